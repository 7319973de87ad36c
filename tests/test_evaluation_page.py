"""The Evaluation and Embedding map pages: true axis spacing, one look per method, the speed table, calibration that
hurts, beyond-accuracy measures, the age legend and name tags that keep apart (figures, AppTest and a real browser)."""

from __future__ import annotations

import base64
import colorsys
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from recsys.results import METHOD_MEANINGS
from ui import charts

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "bench" / "reference" / "results.json"
APP = str(ROOT / "app.py")
SHOTS = ROOT / "screenshots"


@pytest.fixture(autouse=True)
def app_template():
    """The app's default template (another module's AppTest import may have set Streamlit's)."""
    before = pio.templates.default
    pio.templates.default = charts.TEMPLATE_NAME
    yield
    pio.templates.default = before


def reference() -> dict:
    return json.loads(REFERENCE.read_text())


def values(sent) -> np.ndarray:
    """A figure's array as sent to the browser: a list, or plotly's typed array (``{"dtype", "bdata"}``)."""
    if isinstance(sent, dict):
        return np.frombuffer(base64.b64decode(sent["bdata"]), dtype=sent["dtype"])
    return np.asarray(sent)


def warmup_frame(results: dict) -> pd.DataFrame:
    rows = [{"N": int(n), "method": m, **v} for n, block in results["user_cold"].items() for m, v in block.items()]
    return pd.DataFrame(rows).sort_values(["method", "N"])


# ---------------------------------------------------------------------- figures


def test_the_warm_up_curve_is_spaced_as_the_numbers_are():
    figure = charts.curves(warmup_frame(reference()), "N", "recall@20", "method", "t", "N", "recall@20").to_dict()
    assert figure["layout"]["xaxis"]["type"] == "linear"
    assert list(figure["layout"]["xaxis"]["tickvals"]) == [0, 1, 2, 5, 10, 20]
    for trace in figure["data"]:
        assert values(trace["x"]).dtype.kind in "iuf", trace["x"]  # numbers, not category names
        assert values(trace["x"]).tolist() == [0, 1, 2, 5, 10, 20]  # in order, so the line joins neighbours


def hls(colour: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))


def saturated(colour: str) -> bool:
    return hls(colour)[2] > 0.2


def hue_gap(a: str, b: str) -> float:
    gap = abs(hls(a)[0] - hls(b)[0]) * 360
    return min(gap, 360 - gap)


def test_every_method_has_its_own_colour_and_ours_stands_out():
    results = reference()
    named = {*results["warm_items"], *results["item_cold"], *results["speed_ms"]["fit_seconds"]}
    named |= {m for block in results["user_cold"].values() for m in block}
    styles = charts.method_styles(sorted(named))
    assert len({s["colour"] for s in styles.values()}) == len(named)
    assert len({(s["dash"], s["symbol"]) for s in styles.values()}) == len(named)  # told apart without colour too
    figure = charts.curves(warmup_frame(results), "N", "recall@20", "method", "t", "N", "recall@20").to_dict()
    colours = [t["line"]["color"] for t in figure["data"]]
    assert len(set(colours)) == len(colours) == 12
    widths = {t["name"]: t["line"]["width"] for t in figure["data"]}
    assert widths["ours"] > max(w for name, w in widths.items() if name != "ours")
    assert figure["data"][-1]["name"] == "ours"  # drawn over the lines that run close to it
    # Ours is the only line of its hue family: every other coloured method is at least 25° of hue away.
    assert all(hue_gap(styles["ours"]["colour"], s["colour"]) >= 25 for m, s in styles.items() if m != "ours" and saturated(s["colour"]))
    assert styles["ours"]["dash"] != styles["ours_unread"]["dash"]
    # The same method keeps its colour from figure to figure (a three-method chart included).
    loop = pd.DataFrame([{"round": int(r), "method": m, "ndcg@10": v} for m, b in results["feedback_loop"].items() for r, v in b.items()])
    small = charts.curves(loop, "round", "ndcg@10", "method", "t", "r", "y").to_dict()
    assert {t["name"]: t["line"]["color"] for t in small["data"]}["ours"] == dict(zip(widths, colours))["ours"]


def test_bars_take_each_method_its_colour():
    frame = pd.DataFrame({"method": ["ours", "ours_no_text", "lightfm"], "v": [0.3, 0.2, 0.1]})
    styles = charts.method_styles(list(frame["method"]))
    bar = charts.bars(frame, "method", "v", "t", colours_of={m: s["colour"] for m, s in styles.items()}).to_dict()["data"][0]
    assert list(bar["marker"]["color"]) == [styles[m]["colour"] for m in frame["method"]]


def map_points(n_items: int = 80, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    items = pd.DataFrame(rng.uniform(0, 10, size=(n_items, 2)), columns=["x", "y"]).assign(
        id=range(n_items), genre="Drama", label="film"
    )  # fmt: skip
    ages = ["age <18", "age 18-24", "age 25-34", "age 56+"]
    users = pd.DataFrame(rng.uniform(0, 10, size=(40, 2)), columns=["x", "y"]).assign(id=range(40), label="u", segment=ages * 10)
    return items, users


def tag_boxes(figure: dict, points: list[dict], size=charts.MAP_PLOT_PX) -> list[tuple[float, float, float, float]]:
    """Each name tag's box on screen, in pixels, as ``tag_offsets`` estimates the map: where the overlap is judged."""
    xs = [t for trace in figure["data"] if trace.get("mode") == "markers" for t in values(trace["x"])]
    ys = [t for trace in figure["data"] if trace.get("mode") == "markers" for t in values(trace["y"])]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    boxes = []
    for tag in figure["layout"]["annotations"]:
        x = (tag["x"] - x0) / (x1 - x0) * size[0] + tag["ax"]
        y = (y1 - tag["y"]) / (y1 - y0) * size[1] + tag["ay"]
        half = (charts.TAG_CHAR * len(tag["text"]) + charts.TAG_PAD) / 2
        boxes.append((x - half, y - charts.TAG_HEIGHT / 2, x + half, y + charts.TAG_HEIGHT / 2))
    return boxes


def overlaps(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_name_tags_of_points_close_together_do_not_overlap():
    items, users = map_points()
    # Five session points within a few pixels of each other: four personas and a new item.
    extra = [{"x": 5 + 0.01 * n, "y": 5 - 0.01 * n, "name": name, "targets": []}
             for n, name in enumerate(["Space fan", "Robot fan", "new item: A space opera", "Alien fan", "Star fan"])]  # fmt: skip
    figure = charts.embedding_map(items, users, "genre", 2, extra).to_dict()
    boxes = tag_boxes(figure, extra)
    assert len(boxes) == 5
    assert not [(i, j) for (i, a), (j, b) in combinations(enumerate(boxes), 2) if overlaps(a, b)]
    offsets = [(t["ax"], t["ay"]) for t in figure["layout"]["annotations"]]
    assert len(set(offsets)) == 5
    # A point on its own keeps its tag just above its marker.
    alone = charts.embedding_map(items, users, "genre", 2, [{"x": 1, "y": 1, "name": "Alone", "targets": []}]).to_dict()
    assert (alone["layout"]["annotations"][0]["ax"], alone["layout"]["annotations"][0]["ay"]) == charts.TAG_OFFSETS[0]


def test_a_name_tag_does_not_cover_a_neighbours_marker():
    # The second point sits right where the first tag would go (36 px above the first point).
    bounds = (0.0, 620.0, 0.0, 500.0)  # one data unit = one pixel
    points = [{"x": 300.0, "y": 250.0, "name": "Below"}, {"x": 300.0, "y": 286.0, "name": "Above"}]
    (ax, ay), _ = charts.tag_offsets(points, bounds)
    half = (charts.TAG_CHAR * len("Below") + charts.TAG_PAD) / 2
    tag = (300 + ax - half, 250 + ay - charts.TAG_HEIGHT / 2, 300 + ax + half, 250 + ay + charts.TAG_HEIGHT / 2)
    assert not overlaps(tag, (300 - 11, 214 - 11, 300 + 11, 214 + 11))  # "Above" is drawn 36 px higher, at y = 214 px


def test_users_are_filled_markers_apart_from_the_top_k_rings():
    items, users = map_points()
    persona = {"x": 5, "y": 5, "name": "Space fan", "targets": [[1, 1], [2, 2]], "target_labels": ["a", "b"]}
    for dims in (2, 3):
        if dims == 3:
            items, users = items.assign(z=0.0), users.assign(z=1.0)
            persona = persona | {"z": 0.5, "targets": [[1, 1, 1], [2, 2, 2]]}
        data = charts.embedding_map(items, users, "genre", dims, [persona]).to_dict()["data"]
        top_k = next(t for t in data if t.get("name", "").startswith("top-K of"))
        user_traces = [t for t in data if t.get("name", "").startswith("users: ")]
        assert [t["name"] for t in user_traces] == ["users: age <18", "users: age 18-24", "users: age 25-34", "users: age 56+"]
        for trace in user_traces:
            symbol = trace["marker"]["symbol"]
            assert not symbol.endswith("-open") and symbol != top_k["marker"].get("symbol", "circle"), symbol
            assert trace["marker"]["color"].startswith("#")  # a solid fill
        assert top_k["marker"]["color"] == "rgba(0,0,0,0)"  # the ring stays hollow


# ---------------------------------------------------------------------- the pages (AppTest)


def evaluation_page(monkeypatch, path: Path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COLDSTART_BENCH_RESULTS", str(path))
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("app_pages/evaluation.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.slow
def test_evaluation_page_on_the_reference_run(explorer, monkeypatch):
    results = reference()
    at = evaluation_page(monkeypatch, REFERENCE)
    warmup, _, loop, *_ = figures(at)
    for figure in (warmup, loop):
        assert figure["layout"]["xaxis"]["type"] == "linear"
        assert all(values(trace["x"]).dtype.kind in "iuf" for trace in figure["data"])
    # The popularity-bias scatter's dozen methods: ours, drawn last, heads its legend, whose markers are one size (the
    # legend scrolled, and ours was the entry cut off at its bottom).
    scatter = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("N = 0: accuracy vs average popularity"))
    assert scatter["data"][-1]["name"] == "ours" and len(scatter["data"]) >= 10
    assert scatter["layout"]["legend"]["traceorder"] == "reversed" and scatter["layout"]["legend"]["itemsizing"] == "constant"
    # Speed: a table saying whose machine it was, never raw JSON; the ratio line and the table agree.
    assert not at.json
    assert any("reference machine" in s.value for s in at.subheader)
    steps = next(d.value for d in at.dataframe if "median (ms)" in d.value.columns)
    speed = results["speed_ms"]
    row = steps.set_index("step").loc["new user: embed the profile text, rank the top-20"]
    assert row["median (ms)"] == round(speed["new_user_top20"]["p50_ms"], 1)
    assert f"{row['× bare encode (median)']:.2f} ×" in " ".join(m.value for m in at.markdown)
    # The one-off training time says what it covers, beside the per-split fits of the table under it.
    trained = f"training the model from scratch on every user (the training loop; each split's fit below trains on fewer): **{speed['train_from_scratch_s']:.1f} s**"
    assert any(trained in m.value for m in at.markdown)
    # Each target's measured value in the target's own terms: a warm-items drop of −0.0307 is 3.1% *above*.
    targets = next(d.value for d in at.table if "measured" in d.value.columns).set_index("target")
    drop = results["targets"]["warm items: at most 3% below ours_no_content"]["value"]
    assert drop < 0  # ours is above ours_no_content in the reference run, so the sentence below can fail
    assert targets.loc["warm items: at most 3% below ours_no_content", "measured"] == f"{-drop:.1%} above ours_no_content"
    ratio = results["targets"]["item_cold recall@20 >= 1.2 x best peer"]["value"]
    assert targets.loc["item_cold recall@20 >= 1.2 x best peer", "measured"] == f"{ratio:.2f}× (target 1.2×)"
    for name, entry in results["targets"].items():  # a missed target is marked so, and a met one too
        assert targets.loc[name.removesuffix(" (peers issue)"), "met"] == ("✓" if entry["met"] else "✗"), name
    assert {"✓", "✗"} <= set(targets["met"])  # the reference run has both
    assert len(targets) == len(results["targets"])
    # The warm-up curve falls after five likes: the page says why, with the run's own numbers beside it.
    from recsys.results import warmup_note

    block = results["user_cold"]
    assert block["20"]["ours"]["recall@20"] < block["5"]["ours"]["recall@20"]  # the fall the note is about
    assert block["20"]["popularity"]["recall@20"] < block["0"]["popularity"]["recall@20"]
    fall = warmup_note(block)
    assert fall and f"falls from {block['0']['popularity']['recall@20']:.3f} at N = 0" in fall
    assert any(c.value == fall for c in at.caption)
    # A method the targets and the warm-items table name is said in words somewhere on the page.
    assert "ours_no_content" in results["warm_items"] and "ours_no_content" not in results["user_cold"]["0"]
    assert any("**ours_no_content**: the model with only collaborative parts" in c.value for c in at.caption)
    # One item-cold value against two goals' bars is said once, with the value the table shows and each outcome.
    item = targets.loc["item_cold recall@20 >= 0.36", "measured"].split()[0]
    assert targets.loc["item_cold recall@20 >= 0.34", "goal"] == "ahead of every peer"
    assert any(c.value.startswith(f"item_cold recall@20 is one measured value, {item}, against two bars") for c in at.caption)
    # Equal scores took a random order drawn from each seed: the caption says so, and no note lays the tied methods'
    # recall on the catalogue's order (true of the runs before, below).
    assert results["ties"] == "random order per seed"
    assert any("equal scores in random order per seed" in c.value for c in at.caption)
    assert not any("catalogue's own order" in c.value for c in at.caption)
    # Every method of the warm-up curve is named in words under it (ours_unread, drawn above ours, was never said).
    legend = next(c.value for c in at.caption if c.value.startswith("**ours**: "))
    drawn_methods = {t["name"] for t in warmup["data"]}
    assert (
        all(f"**{m}**: " in legend for m in drawn_methods if m in METHOD_MEANINGS) and "**ours_unread**: the same trained model" in legend
    )
    # ours_unread drawn above ours invites "why not ship that?": the page answers with the run's numbers, and says the
    # era is the gap only where turning the era term off (ours_no_era) closes it.
    cold = {n: {m: v["recall@20"] for m, v in block.items()} for n, block in results["user_cold"].items()}
    above = [n for n in sorted(cold, key=int) if cold[n]["ours_unread"] > cold[n]["ours"] + 5e-4]
    said = next(c.value for c in at.caption if c.value.startswith("ours_unread is above ours at N = "))
    assert said.startswith(f"ours_unread is above ours at N = {', '.join(above)} ({cold[above[0]]['ours_unread']:.3f} against "), said
    no_era = ", ".join(f"{cold[n]['ours_no_era']:.3f}" for n in above)
    assert f"With its era term off, ours scores {no_era}:" in said, said
    assert ("the gap is the era" in said) == all(cold[n]["ours_no_era"] >= cold[n]["ours_unread"] - 0.002 for n in above)
    # Popularity's curve falls though it learns nothing: the caption says why (not that every curve falls: ours rises
    # after the first round), with our gap over popularity as drawn at each round.
    drawn = {t["name"]: dict(zip(values(t["x"]), values(t["y"]))) for t in loop["data"]}
    gaps = ", ".join(f"{drawn['ours'][r] - drawn['popularity'][r]:+.3f}".replace("-", "−") for r in sorted(drawn["ours"]))
    said = next(c.value for c in at.caption if c.value.startswith("Popularity learns nothing from the likes"))
    assert f"falls from {drawn['popularity'][0]:.3f} to {drawn['popularity'][max(drawn['popularity'])]:.3f}:" in said, said
    assert re.sub(r" (before any feedback|after \d+ rounds?)", "", said.split("ours minus popularity: ")[1]) == gaps + ".", said
    # Calibration that hurts is said in words, with the numbers of the table.
    splits = results["calibration"]["splits"]
    hurt = [n for n, r in splits.items() if round(r["ece_calibrated"], 4) > round(r["ece_raw"], 4)]
    assert hurt == ["warm"]
    warning = " ".join(w.value for w in at.warning)
    assert f"**warm**, ECE {splits['warm']['ece_raw']:.4f} → {splits['warm']['ece_calibrated']:.4f}" in warning
    ece = next(d.value for d in at.dataframe if "ECE calibrated" in d.value.columns)
    assert ece.loc[ece["effect"] == "worse", "split"].tolist() == hurt
    # Precision, F1 and diversity: offered on the curve, in the tables, and drawn on demand.
    assert {"precision@20", "F1@20", "diversity (text)", "diversity (genre)"} <= set(at.radio[0].options)
    for frame in (d.value for d in at.dataframe if "recall@20" in d.value.columns and "n_users" in d.value.columns):
        assert {"precision@20", "f1@20", "diversity_text", "diversity_genre"} <= set(frame.columns)
    at.radio(key="item_cold_measure").set_value("f1@20").run()
    bars = figures(at)[1]["data"][0]
    assert dict(zip(values(bars["x"]), values(bars["y"]))) == pytest.approx({m: v["f1@20"] for m, v in results["item_cold"].items()})
    errors = dict(zip(values(bars["x"]), values(bars["error_y"]["array"])))
    assert errors == pytest.approx({m: v["f1@20_ci95"] for m, v in results["item_cold"].items()})


@pytest.mark.slow
def test_a_run_that_kept_catalogue_order_for_ties_says_what_it_gave_the_tied_methods(explorer, monkeypatch, tmp_path):
    """A run from before random tie-breaking (no "ties" key) ranked equal scores in catalogue order, which on MovieLens
    follows popularity: the tied methods' recall on held-out items came from that order, and the page says so."""
    results = {k: v for k, v in reference().items() if k != "ties"}
    for method in ("popularity", "implicit_als"):  # two methods that cannot tell held-out items apart, as such a run had
        results["item_cold"][method] = dict(results["item_cold"]["popularity"])
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    at = evaluation_page(monkeypatch, path)
    popularity = pd.Series(np.asarray(explorer.popularity, dtype=np.float64))
    order = popularity.corr(pd.Series(np.arange(len(popularity), dtype=np.float64)), method="spearman")
    assert order < -0.5  # MovieLens-100k's ids run roughly from the most-rated films down: the case this part is about
    assert any(f"with its training interactions {order:+.2f})" in c.value and "tie on every measure" in c.value for c in at.caption)
    assert any("equal scores in catalogue order" in c.value for c in at.caption)


@pytest.mark.slow
def test_the_calibration_warning_follows_the_numbers(explorer, monkeypatch, tmp_path):
    results = reference()
    splits = results["calibration"]["splits"]
    splits["warm"]["ece_calibrated"] = splits["warm"]["ece_raw"] / 2  # now better everywhere
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    at = evaluation_page(monkeypatch, path)
    assert not any("Calibration makes" in w.value for w in at.warning)
    assert any("this machine's run" in s.value for s in at.subheader)  # a local run's speed, not the reference's
    splits["item_cold"]["ece_calibrated"] = 0.05  # and now worse on the cold items
    path.write_text(json.dumps(results))
    at = evaluation_page(monkeypatch, path)
    warning = " ".join(w.value for w in at.warning)
    assert f"**item_cold**, ECE {splits['item_cold']['ece_raw']:.4f} → 0.0500" in warning and "warm" not in warning


@pytest.mark.slow
def test_a_run_of_another_catalogue_says_its_calibration_is_not_this_ones(explorer, monkeypatch, tmp_path):
    """Opened on the bookshop, the page said "The pages show a like-probability … recalibrated with p = σ(0.604 · r̂ …)"
    under MovieLens' run, while the bookshop's pages show σ(r̂) as trained."""
    results = reference() | {"dataset": "books", "fingerprint": "0123456789abcdef"}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    at = evaluation_page(monkeypatch, path)
    assert any("every number on this page is books's" in w.value for w in at.warning)
    said = next(m.value for m in at.markdown if "like-probability for every score" in m.value)
    assert said.startswith("On books, where this run measured it, the pages show") and "this fit does not apply" in said, said
    # On its own catalogue (same content, any name) the page speaks of the pages as they are.
    path.write_text(json.dumps(reference() | {"dataset": "renamed"}))
    at = evaluation_page(monkeypatch, path)
    said = next(m.value for m in at.markdown if "like-probability for every score" in m.value)
    assert said.startswith("The pages show") and "does not apply" not in said
    assert not any("not the catalogue this session explores" in w.value for w in at.warning)


@pytest.mark.slow
def test_the_age_legend_runs_youngest_first(explorer):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("app_pages/embedding_map.py")
    at.run()
    next(s for s in at.selectbox if s.label == "Users").select("by age group").run()
    assert not at.exception
    names = [t["name"].removeprefix("users: ") for t in figures(at)[0]["data"] if t.get("name", "").startswith("users: ")]
    labels = list(explorer.user_space.block("age").labels)
    assert len(names) >= 5 and names == sorted(names, key=labels.index), names


# ---------------------------------------------------------------------- a real browser


def free_port() -> int:
    for port in range(8660, 8700):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8660-8699")


@pytest.fixture(scope="module")
def app_server(explorer, tmp_path_factory):
    """``streamlit run app.py`` on a free port, with the shipped reference results and the test run's cache."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "COLDSTART_BENCH_RESULTS": str(REFERENCE), "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert process.poll() is None and time.time() < deadline, log.read_text()
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def idle(page, timeout: float = 180) -> None:
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !(document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText || '').includes('Running')", timeout=timeout * 1000
    )
    page.wait_for_timeout(1000)


@pytest.mark.slow
@pytest.mark.browser
def test_evaluation_in_a_browser(app_server, browser):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 7600})
    page.goto(f"{app_server}/evaluation")
    page.get_by_text("Reference run of").wait_for(timeout=240_000)
    idle(page)
    page.locator(".js-plotly-plot").nth(5).wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stJson']").count() == 0
    assert page.get_by_text("Calibration makes this split").count() == 1
    # The warm-up curve's ticks sit where the numbers put them: 10 → 20 twice as far as 5 → 10.
    warmup = page.locator(".js-plotly-plot").first
    # Read every tick in one call: Plotly may redraw the axis between separate reads (a resize after the last run),
    # and a tick located before the redraw is gone after it.
    read = "el => Object.fromEntries([...el.querySelectorAll('.xtick text')].map(t => [t.textContent, t.getBoundingClientRect().x]))"
    ticks = warmup.evaluate(read)
    for _ in range(10):  # until two reads a moment apart agree: the axis has settled
        page.wait_for_timeout(300)
        again = warmup.evaluate(read)
        if again == ticks:
            break
        ticks = again
    assert set(ticks) == {"0", "1", "2", "5", "10", "20"}, ticks
    assert ticks["20"] - ticks["10"] == pytest.approx(2 * (ticks["10"] - ticks["5"]), rel=0.05)
    page.screenshot(path=str(SHOTS / "evaluation_page.png"), full_page=True)
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_map_tags_and_legend_in_a_browser(app_server, browser):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1500})
    page.goto(f"{app_server}/new_user")
    page.get_by_role("textbox", name="Profile text").wait_for(timeout=240_000)
    # Near-identical profiles land side by side on the text map: five tags for one spot.
    for text, name in [
        ("space operas", "Space A"),
        ("space operas.", "Space B"),
        ("Space operas", "Space C"),
        ("space operas!", "Space D"),
        ("space operas!!", "Space E"),
    ]:
        page.get_by_role("textbox", name="Profile text").fill(text)
        page.get_by_role("textbox", name="Persona name").fill(name)
        page.get_by_role("button", name="Recommend").click()
        page.get_by_text("Top-20").first.wait_for(timeout=120_000)
        idle(page)
    page.locator("[data-testid=stSidebarNav] a[href$='/new_item']").first.click()
    page.get_by_role("textbox", name="Description").wait_for(timeout=120_000)
    page.get_by_role("textbox", name="Description").fill("space operas")
    page.get_by_role("button", name="Find its audience").click()
    idle(page)
    page.locator("[data-testid=stSidebarNav] a[href$='/map']").first.click()
    page.wait_for_selector(".js-plotly-plot .annotation", timeout=300_000)
    idle(page, 300)
    page.locator("[data-testid='stSelectbox']").filter(has_text="Users").locator("input").click()
    page.get_by_role("option", name="by age group").click()
    idle(page)
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stException']").count() == 0
    # One read for all boxes (Plotly may redraw between separate reads).
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .annotation .bg')].map(b => "
        "{ const r = b.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })"
    )
    assert len(boxes) == 6, boxes
    clashes = [
        (i, j) for (i, a), (j, b) in combinations(enumerate(boxes), 2)
        if min(a["x"] + a["width"], b["x"] + b["width"]) > max(a["x"], b["x"]) and min(a["y"] + a["height"], b["y"] + b["height"]) > max(a["y"], b["y"])
    ]  # fmt: skip
    page.screenshot(path=str(SHOTS / "embedding_map_tags.png"))
    assert not clashes, (clashes, boxes)
    legend = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .legendtext')].map(t => t.textContent)")
    ages = [name for name in legend if name.startswith("users: age")]
    assert ages and ages[0] == "users: age <18" and ages[-1] == "users: age 56+", ages
    page.close()
