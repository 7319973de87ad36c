"""The real app in a real browser: every page, a persona, a like, isolation between sessions.

Starts `streamlit run app.py` on a free local port and drives Debian's Chromium with
Playwright. Screenshots of every page go to ``screenshots/`` (git-ignored) for a person
to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ["Home", "New user", "New item", "Embedding map", "Score anatomy", "Fusion", "Evaluation"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(explorer):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install chromium)")
    port = free_port()
    log = open(ROOT / ".cache" / "browser-test-server.log", "w")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the app did not start within 120 s")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def wait_idle(page, timeout: float = 90) -> None:
    """Wait until Streamlit has finished running the script (no 'Running…' indicator)."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') || "
        "!document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout * 1000,
    )
    page.wait_for_timeout(600)


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").first.inner_text()


def make_persona(page, base: str, text: str, name: str) -> None:
    """Create a persona on the New user page; navigates in-app so the session survives."""
    if page.url.startswith(base):
        page.get_by_role("link", name="New user").first.click()
    else:
        page.goto(f"{base}/new_user")
    page.get_by_role("textbox", name="Profile text").wait_for(timeout=180_000)
    page.get_by_role("textbox", name="Profile text").fill(text)
    page.get_by_role("textbox", name="Persona name").fill(name)
    page.get_by_role("button", name="Recommend").click()
    page.get_by_text("Top-20").wait_for(timeout=60_000)
    wait_idle(page)


def test_every_page_a_persona_and_a_like(server, browser):
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 2200})
    make_persona(page, server, "gory slasher films and haunted houses", "Horror buff")
    assert_no_exception(page)
    assert page.get_by_text("Scream", exact=False).count() > 0
    page.screenshot(path=str(SHOTS / "new_user.png"))
    page.locator("button:has-text('👎')").first.click()
    wait_idle(page)
    expect(page.get_by_text("The last online update, in numbers")).to_have_count(1, timeout=60_000)
    expect(page.locator("text=/▲ \\d+|🆕 new/").first).to_be_visible(timeout=60_000)  # a dislike moves other items up
    page.screenshot(path=str(SHOTS / "new_user_after_feedback.png"))
    for title in PAGES:
        page.get_by_role("link", name=title).first.click()
        wait_idle(page)
        assert_no_exception(page)
        if title == "New item":
            page.get_by_role("button", name="Find its audience").click()
            wait_idle(page)
            assert page.get_by_text("Most likely audience").count() == 1
        if title == "Embedding map":
            page.wait_for_selector(".js-plotly-plot", timeout=300_000)  # the first visit may fit the UMAP maps
            wait_idle(page)
            assert page.get_by_text("Horror buff").count() >= 1  # the persona is placed and labelled
        page.screenshot(path=str(SHOTS / f"{title.lower().replace(' ', '_')}.png"))
        assert_no_exception(page)
    page.close()


def test_two_sessions_do_not_share_personas(server, browser):
    from playwright.sync_api import expect

    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    make_persona(first, server, "cartoons with my kids", "Alice family")
    make_persona(second, server, "space operas", "Bob space")
    make_persona(second, server, "westerns", "Bob western")
    # Rerun the first session after the second has added its personas.
    first.get_by_role("link", name="Embedding map").first.click()
    expect(first.get_by_text("1 persona in this session")).to_have_count(1, timeout=120_000)
    expect(first.get_by_text("Placed on the map")).to_contain_text("Alice family", timeout=120_000)
    assert first.get_by_text("Bob space").count() == 0 and first.get_by_text("Bob western").count() == 0
    second.get_by_role("link", name="Embedding map").first.click()
    expect(second.get_by_text("2 personas in this session")).to_have_count(1, timeout=120_000)
    expect(second.get_by_text("Placed on the map")).to_contain_text("Bob western", timeout=120_000)
    assert second.get_by_text("Alice family").count() == 0


def test_malformed_upload_is_a_clear_message(server, browser, tmp_path):
    from playwright.sync_api import expect

    items = tmp_path / "items.csv"
    items.write_text("item_id,name\n1,Red shoes\n")
    interactions = tmp_path / "interactions.csv"
    interactions.write_text("user_id,item_id\n1,1\n")
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(server)
    page.get_by_text("Bring your own catalogue").click()
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(items))
    inputs.nth(1).set_input_files(str(interactions))
    expect(page.get_by_text("Not loadable: file items.csv, column 'title'")).to_be_visible(timeout=60_000)
    assert_no_exception(page)
    page.close()
