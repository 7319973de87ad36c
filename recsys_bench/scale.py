"""Cost at catalogue scale: prepare (embed, train, map) and serve, on synthetic catalogues of growing size.

``python -m recsys bench --scale`` runs each size in a fresh subprocess (so peak memory is
that size's own) on :func:`recsys_bench.synthetic.synthetic_catalogue`, and reports per
size: embedding seconds (item texts; synthetic training profiles), training seconds, map
fit seconds, peak memory (RSS high-water mark), new user + top-20 p50/p95 with every term,
and the browser render time of the Embedding map's figure (Chromium, from navigation to
``plotly_afterplot``). Preparing uses every core, as ``python -m recsys prepare`` does;
serving uses one torch thread, as the app server that ``make run`` starts does.

Embeddings are cached by text (the engine's own disk cache); the model and the map are
always built from scratch. When a size's texts were embedded by an earlier run, the time
recorded by that cold run is reported (``embed_cached: true``), so a rerun measures
training and serving without paying for the encoder again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

SIZES = (1_000, 10_000, 50_000, 100_000)
TARGETS = {"new_user_top20_p50_ms": 50.0, "prepare_minutes": 15.0, "peak_memory_gb": 8.0, "at_items": 50_000}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
)  # fmt: skip
#: Profiles typed against the synthetic catalogue's topics, in the forms people write them.
PROFILES = (
    "I love astronomy, comets and anything about the night sky",
    "cooking books with bread and pastry recipes",
    "sailing stories, storms and lighthouses",
    "jazz clubs, saxophone and bebop",
    "chess openings and endgames, but nothing about football",
    "robots and automation labs",
    "medieval castles and knights under siege",
    "ancient Egypt: pharaohs, tombs and the Nile",
    "football seasons and derby matches",
    "cycling climbs and sprint stages",
    "photography: portraits and darkroom technique",
    "painting, galleries and oil on canvas",
    "poetry, sonnets and ballads",
    "economics of markets and inflation",
    "hospital dramas and medicine",
    "wildlife on the savanna, wolves and elephants",
    "coral reefs, whales and ocean life",
    "architecture: cathedrals, bridges and skylines",
    "fashion designers and couture",
    "cinema history, directors and film festivals",
    "mythology with dragons and heroes on a quest",
    "detective fiction, clues and alibis",
    "space exploration, rockets and astronauts",
    "steam railways and old locomotives",
    "wine, vineyards and tasting notes",
    "philosophy of mind, ethics and logic",
    "video games, arcades and multiplayer",
    "birdwatching in the marsh with binoculars",
    "I'm a retired teacher who likes gardening and greenhouses",
    "mountaineering: glaciers, summits and avalanches",
)
MAP_LIMIT_NOTE = "the map draws at most recsys.analysis.projection.MAX_DRAWN points"


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kilobytes on Linux


def _summary(samples: Sequence[float]) -> dict[str, float]:
    return {"p50_ms": float(np.percentile(samples, 50)), "p95_ms": float(np.percentile(samples, 95)), "n": len(samples)}


def _embed_record(cache_dir: Path, name: str, seed: int) -> Path:
    return cache_dir / "scale" / f"embed-{name}-seed{seed}.json"


def render_seconds(figure, folder: Path) -> dict[str, float]:
    """Write ``figure`` as a standalone HTML page (plotly.js inline) and time its render in Chromium.

    Returns ``afterplot_ms`` (from navigation start to the plot's first ``plotly_afterplot``,
    on the page's own clock) and ``wall_ms`` (the same span measured from Python). The
    first ``plotly_afterplot`` can fire before ``Plotly.newPlot`` returns, too early for a
    listener attached afterwards; the page instead wraps the div's ``emit`` the moment
    plotly.js installs it.
    """
    from playwright.sync_api import sync_playwright
    from plotly.offline import get_plotlyjs

    hook = (
        "var gd = document.getElementById('map');"
        "Object.defineProperty(gd, 'emit', {configurable: true, get: function () { return this._timedEmit; },"
        " set: function (emit) { this._timedEmit = function (name, data) {"
        " if (name === 'plotly_afterplot' && window.__afterplot === undefined) window.__afterplot = performance.now();"
        " return emit.call(this, name, data); }; }});"
    )
    path = folder / "map.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<div id='map' style='width:100%;height:{figure.layout.height or 660}px'></div>"
        f"<script>{get_plotlyjs()}</script>"
        f"<script>{hook} var fig = {figure.to_json()}; Plotly.newPlot(gd, fig.data, fig.layout, {{responsive: true}});</script>"
        "</body></html>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_function("window.__afterplot !== undefined", timeout=600_000, polling=50)
            wall = (time.perf_counter() - started) * 1000
            afterplot = float(page.evaluate("window.__afterplot"))
        finally:
            browser.close()
    return {"afterplot_ms": afterplot, "wall_ms": wall, "html_mb": path.stat().st_size / 1024**2, "page_errors": errors}


def map_figure(explorer, projector):
    """The figure the Embedding map page draws by default (2D text space, coloured by genre), at this catalogue's size."""
    import pandas as pd

    from recsys import columns as C
    from recsys.analysis.projection import drawn_rows
    from ui import charts

    layout = projector.layout("text", 2)
    rows = drawn_rows(explorer.dataset.n_items)
    items = explorer.items.iloc[rows]
    frame = pd.DataFrame(layout.items[rows], columns=["x", "y"])
    frame["id"] = items[C.ITEM].to_numpy()
    frame["genre"] = [gs[0] if len(gs) else "unknown" for gs in items[C.GENRES]]
    frame["label"] = [
        f"<b>{t}</b><br>{', '.join(g)}<br>{n} ratings" for t, g, n in zip(items[C.TITLE], items[C.GENRES], explorer.popularity[rows])
    ]
    frame = frame.sort_values("genre", kind="stable")
    return charts.embedding_map(frame, None, "genre", 2, [], categorical=True), len(rows)


#: Torch threads of the app server (``make run`` starts it with ``OMP_NUM_THREADS=1``).
SERVER_TORCH_THREADS = 1


def serve(explorer, say: Callable[[str], None], repeats: int = 1) -> dict:
    """New user + top-20 with every term on :data:`PROFILES` (each text new to the embedding cache), after a warm-up.

    Also, per profile: the same request again with its text embedding cached (the engine's
    own cost, which is what the catalogue's size can change; on a shared machine the
    encoder's time swings with load), the bare encode of a text of the same length by the loaded text model,
    reading the profile, and top-k.
    """
    from recsys.ranking import top_k

    started = time.perf_counter()
    for text in ("warm-up: astronomy and comets", "warm-up: cooking"):
        explorer.recommend(explorer.new_user(text), k=20)
    warm_up = time.perf_counter() - started
    total, cached, encode, read, rank = [], [], [], [], []
    for n in range(repeats * len(PROFILES)):
        text = f"{PROFILES[n % len(PROFILES)]} (take {time.time_ns()})"
        for samples in (total, cached):  # the first time the text is new, the second its embedding is cached
            t0 = time.perf_counter()
            user = explorer.new_user(text)
            explorer.recommend(user, k=20)
            samples.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        explorer.encoder.bare_encode([text + " again"])
        encode.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        explorer.read(text)
        read.append((time.perf_counter() - t0) * 1000)
        scores = explorer.score_terms(user).score
        t0 = time.perf_counter()
        top_k(scores, 20)
        rank.append((time.perf_counter() - t0) * 1000)
    say(
        f"new user + top-20: p50 {np.median(total):.1f} ms, p95 {np.percentile(total, 95):.1f} ms; "
        f"text embedding cached: p50 {np.median(cached):.1f} ms; bare encode p50 {np.median(encode):.1f} ms"
    )
    return {
        "new_user_top20": _summary(total),
        "cached_text": _summary(cached),
        "parts_p50_ms": {"bare_encode": float(np.median(encode)), "read_profile": float(np.median(read)), "top_k": float(np.median(rank))},
        "warm_up_seconds": warm_up,
    }


def run_size(
    n_items: int,
    seed: int = 0,
    cache_dir: Path | None = None,
    render: bool = True,
    stand_in: bool = False,
    titles: bool = False,
    n_users: int | None = None,
    encoder_name: str | None = None,
) -> dict:
    """Prepare and serve one synthetic catalogue in this process; returns its row of the cost table.

    ``encoder_name``: the text model (:func:`recsys.encoders.make_encoder`; ``$COLDSTART_ENCODER``, else MiniLM).

    ``stand_in``: give the item texts random unit vectors instead of embedding them (in a
    throw-away embedding cache), to measure every other stage at a size whose item embedding
    alone would not fit the time at hand; the row says so and reports no embedding time.
    """
    import torch

    from recsys import columns as C
    from recsys.analysis.projection import Projector
    from recsys.artifacts import train_or_load
    from recsys.cache import cache_root
    from recsys.encoders import make_encoder
    from recsys.explorer import Explorer
    from recsys_bench.synthetic import synthetic_catalogue

    tag = f"[{n_items:,} items]"

    def say(message: str) -> None:
        print(f"{tag} {message}", file=sys.stderr, flush=True)

    last: list[str] = [""]

    def progress(message: str, fraction: float) -> None:
        step = message.split("(")[0].strip()
        if step != last[0] or "step" in message or "update" in message:
            last[0] = step
            say(f"{fraction:4.0%} {message}")

    cache_dir = Path(cache_dir or cache_root())
    row: dict = {"items": n_items, "seed": seed, "torch_threads": torch.get_num_threads(), "texts": "titles" if titles else "descriptions"}
    t0 = time.perf_counter()
    dataset = synthetic_catalogue(n_items, seed, short_texts=titles, n_users=n_users)
    row |= {"users": dataset.n_users, "interactions": len(dataset.ratings), "generate_seconds": time.perf_counter() - t0}
    say(f"generated {dataset.n_users:,} users, {len(dataset.ratings):,} interactions")
    scratch = tempfile.TemporaryDirectory(prefix="coldstart-scale-vectors-")
    encoder = make_encoder(encoder_name, cache_dir=Path(scratch.name) if stand_in else cache_dir)
    record = _embed_record(cache_dir, dataset.name, seed)
    recorded = json.loads(record.read_text()) if record.exists() and not stand_in else {}
    if stand_in:
        say(f"stand-in vectors for {n_items:,} item texts (not embedded)")
        vectors = np.random.default_rng(seed).normal(size=(n_items, encoder.dim)).astype(np.float32)
        encoder.store.add([encoder.key(t) for t in dataset.items[C.TEXT]], vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    say(f"embedding {n_items:,} item texts")
    t0 = time.perf_counter()
    encoder.encode(
        dataset.items[C.TEXT].tolist(),
        progress=lambda done, total: say(f"embedded {done:,}/{total:,} item texts") if done % 8192 < 512 else None,
    )
    items_seconds, items_embedded = time.perf_counter() - t0, encoder.misses
    with tempfile.TemporaryDirectory(prefix="coldstart-scale-") as work:
        started = time.perf_counter()
        trained = train_or_load(dataset, encoder, progress=progress, cache_dir=Path(work))
        explorer = Explorer(dataset, encoder, trained)
        model_seconds = time.perf_counter() - started
        prepared = trained.info["prepare_seconds"]
        say(f"training took {prepared['fit']:.1f} s")
        t0 = time.perf_counter()
        projector = Projector.for_explorer(explorer, progress=progress, cache_dir=Path(work))
        map_seconds = time.perf_counter() - t0
        say(f"2D maps fitted in {map_seconds:.1f} s")
        cold_items = items_embedded >= n_items
        cold_profiles = prepared["profiles_embedded"] > 0
        if cold_items and cold_profiles:
            recorded = {"items_seconds": items_seconds, "profiles_seconds": prepared["profiles_and_tensors"]}
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps(recorded))
        row |= {
            "item_vectors": "stand-in: random unit vectors, not embedded" if stand_in else encoder.model_id,
            "embed_items_seconds": items_seconds if cold_items else recorded.get("items_seconds"),
            "embed_profiles_seconds": prepared["profiles_and_tensors"] if cold_profiles else recorded.get("profiles_seconds"),
            "embed_cached": not (cold_items and cold_profiles) and not stand_in,
            "profile_texts": sum(len(t) for t in trained.profiles.texts),
            "write_profiles_seconds": prepared["write_profiles"],
            "train_seconds": prepared["fit"],
            "model_total_seconds": model_seconds,
            "map_seconds": map_seconds,
            "anchors": None if trained.anchors is None else len(trained.anchors),
            "final_loss": trained.info["final_loss"],
        }
        # Prepared with every core (as `python -m recsys prepare` runs); served as `make run` serves: one torch thread
        # per request (SERVER_TORCH_THREADS), since a shared server answers many requests at once.
        prepare_threads = torch.get_num_threads()
        torch.set_num_threads(SERVER_TORCH_THREADS)
        try:
            row["serve"] = serve(explorer, say) | {"torch_threads": SERVER_TORCH_THREADS}
        finally:
            torch.set_num_threads(prepare_threads)
        row["peak_memory_gb"] = _peak_gb()  # before the browser: its memory is its own processes'
        if render:
            figure, drawn = map_figure(explorer, projector)
            say(f"rendering the map ({drawn:,} of {n_items:,} items drawn) in Chromium")
            row["render"] = render_seconds(figure, Path(work)) | {"points": drawn}
            say(f"map rendered in {row['render']['afterplot_ms']:.0f} ms")
    scratch.cleanup()
    embed = (row["embed_items_seconds"] or 0) + (row["embed_profiles_seconds"] or 0)
    row["prepare_seconds"] = embed + row["write_profiles_seconds"] + row["train_seconds"] + row["map_seconds"]
    row["peak_memory_gb"] = max(row["peak_memory_gb"], _peak_gb())
    return row


def run_scale(
    sizes: Sequence[int],
    json_path: Path | None = None,
    seed: int = 0,
    render: bool = True,
    stand_in: bool = False,
    titles: bool = False,
    n_users: int | None = None,
    encoder_name: str | None = None,
) -> dict:
    """Each size in a fresh subprocess; the table grows (and is written) as sizes finish.

    Rows of other sizes already in ``json_path`` are kept (a long size can run on its own
    later); a size run again replaces its row.
    """
    results = {"command": " ".join(["python -m recsys", *sys.argv[1:]]), "machine": machine(), "targets": TARGETS, "sizes": []}
    for n in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        command = [sys.executable, "-m", "recsys_bench.scale", "--one", str(n), "--seed", str(seed), "--out", str(out)]
        started = time.perf_counter()
        flags = ([] if render else ["--no-render"]) + (["--stand-in-item-vectors"] if stand_in else []) + (["--titles"] if titles else [])
        flags += ["--users", str(n_users)] if n_users else []
        flags += ["--encoder", encoder_name] if encoder_name else []
        done = subprocess.run([*command, *flags], check=False)
        row = json.loads(out.read_text()) if done.returncode == 0 and out.stat().st_size else {"items": n, "failed": done.returncode}
        out.unlink(missing_ok=True)
        row["subprocess_seconds"] = time.perf_counter() - started
        results["sizes"].append(row)
        if json_path is not None:
            _merge_into(json_path, results)
        print_table(results)
    return results


def _merge_into(path: Path, results: dict) -> None:
    """Write ``results`` to ``path`` keeping rows of sizes this run did not measure (re-read now: runs may overlap)."""
    ours = {row["items"] for row in results["sizes"]}
    kept = []
    if path.exists():
        kept = [row for row in json.loads(path.read_text()).get("sizes", []) if row["items"] not in ours]
    merged = dict(results, sizes=sorted(kept + results["sizes"], key=lambda row: row["items"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2, default=float))


def machine() -> dict:
    import platform

    import torch

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "device": "cpu",
    }


def table_rows(results: dict) -> list[list[str]]:
    """The cost table as strings: one row per size."""

    def s(value, fmt="{:,.0f}") -> str:
        return "—" if value is None else fmt.format(value)

    rows = []
    for r in results["sizes"]:
        if "failed" in r:
            rows.append([f"{r['items']:,}", f"failed (exit {r['failed']})"] + [""] * (len(HEADER) - 2))
            continue
        serve_ = r["serve"]["new_user_top20"]
        rows.append([
            f"{r['items']:,}", f"{r['users']:,}", f"{r['interactions']:,}",
            s(r["embed_items_seconds"]) + ("*" if r["embed_cached"] else "") + ("†" if r.get("item_vectors", "").startswith("stand-in") else ""),
            s(r["embed_profiles_seconds"]),
            s(r["train_seconds"]), s(r["map_seconds"]), f"{r['prepare_seconds'] / 60:.1f}", f"{r['peak_memory_gb']:.2f}",
            f"{serve_['p50_ms']:.1f} / {serve_['p95_ms']:.1f}", f"{r['serve']['parts_p50_ms']['bare_encode']:.1f}",
            s(r["serve"].get("cached_text", {}).get("p50_ms"), "{:.1f}"),
            s(r.get("render", {}).get("afterplot_ms")) + (f" ({r['render']['points']:,} pts)" if "render" in r else ""),
        ])  # fmt: skip
    return rows


HEADER = (
    "items", "users", "interactions", "embed items s", "embed profiles s", "train s", "map s", "prepare min",
    "peak GB", "new user+top-20 p50/p95 ms", "bare encode p50 ms", "cached-text p50 ms", "map render ms",
)  # fmt: skip


def print_table(results: dict) -> None:
    rows = [list(HEADER), *table_rows(results)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(HEADER))]
    for r in rows:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    if any(r.get("embed_cached") for r in results["sizes"]):
        print("* embedding time of the run that first embedded these texts (they were read from the cache this time)")
    if any(r.get("item_vectors", "").startswith("stand-in") for r in results["sizes"]):
        print("† item texts not embedded (random unit vectors stand in); prepare time excludes item embedding")
    sys.stdout.flush()


def markdown_table(results: dict) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(results)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=int, required=True, help="catalogue size to run in this process")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="write this size's row here (JSON)")
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--stand-in-item-vectors", action="store_true", help="random unit vectors instead of embedding item texts")
    parser.add_argument("--titles", action="store_true", help="title-length item texts (no descriptions)")
    parser.add_argument("--users", type=int, help="users instead of one per five items (at most 5,000)")
    parser.add_argument("--encoder", help="the text model, minilm or multilingual (default: $COLDSTART_ENCODER, else minilm)")
    args = parser.parse_args(argv)
    row = run_size(
        args.one, args.seed, render=not args.no_render, stand_in=args.stand_in_item_vectors, titles=args.titles, n_users=args.users,
        encoder_name=args.encoder,
    )  # fmt: skip
    Path(args.out).write_text(json.dumps(row, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
