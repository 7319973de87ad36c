"""What a person waits for on a warm server: the first Recommend of a session, and a share link opened in a new browser.

Each sample is a new Chromium context (a new browser, a new Streamlit session): open New user,
type a profile, press Recommend and time the click to the page settled (the list, its charts,
Streamlit idle); then open that persona's share link in another new context and time the load
to the page settled. Prints the samples and their medians; ``--url`` measures a server already
running (another version, for a before/after), else the app is started as ``make run`` does.

Run: ``python -m tools.first_steps [--sessions 8] [--url http://localhost:8501]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tools.loadtest import CHROMIUM, FLAGS, ROOT, serve

SETTLED = (
    "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3 && "
    "(!document.querySelector('[data-testid=\"stStatusWidget\"]') || "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running'))"
)


def _settled(page, timeout_s: float = 120) -> None:
    page.get_by_text("Top-20").wait_for(timeout=timeout_s * 1000)
    page.wait_for_function(SETTLED, timeout=timeout_s * 1000)


def measure(base: str, sessions: int) -> dict[str, list[float]]:
    """``{"first_recommend_s": […], "share_link_s": […]}``, one sample per new browser session."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {"first_recommend_s": [], "share_link_s": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for n in range(sessions):
                context = browser.new_context(viewport={"width": 1440, "height": 2000})
                page = context.new_page()
                page.goto(f"{base}/new_user")
                page.get_by_role("textbox", name="Profile text").wait_for(timeout=300_000)
                page.wait_for_timeout(1000)  # the page's first run has finished: the server is warm for this session
                page.get_by_role("textbox", name="Profile text").fill(f"space operas and alien worlds, evening {n}")
                started = time.perf_counter()
                page.get_by_role("button", name="Recommend").click()
                _settled(page)
                samples["first_recommend_s"].append(round(time.perf_counter() - started, 3))
                link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
                other = browser.new_context(viewport={"width": 1440, "height": 2000})
                opened = other.new_page()
                started = time.perf_counter()
                opened.goto(link)
                _settled(opened)
                samples["share_link_s"].append(round(time.perf_counter() - started, 3))
                context.close()
                other.close()
        finally:
            browser.close()
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.first_steps", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8, help="new browser sessions to time (default 8)")
    parser.add_argument("--url", help="a running server to measure (default: start the app as `make run` does)")
    args = parser.parse_args(argv)
    if args.url:
        samples = measure(args.url.rstrip("/"), args.sessions)
    else:
        with serve(ROOT / "bench-results" / "first-steps-server.log") as (base, _):
            samples = measure(base, args.sessions)
    for name, values in samples.items():
        print(f"{name}: median {statistics.median(values):.2f} s  ({', '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
