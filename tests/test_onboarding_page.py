"""The Onboarding designer page shows the simulation run it read, names the right winner, and asks what the strategies ask."""

from __future__ import annotations

import pytest
from test_app import open_page

from recsys import onboarding, results

pytestmark = pytest.mark.slow


def test_the_page_shows_the_run_it_read_and_the_questions_each_strategy_asks(app, explorer):
    at = open_page(app, "app_pages/onboarding.py")
    found = results.onboarding(explorer.dataset.name)
    assert found is not None, "no onboarding run for MovieLens: the shipped reference is bench/reference/onboarding.json"
    data = found.data
    from ui import literal

    # The run is named with the catalogue it was run on, not only by its file.
    said = next(c.value for c in at.caption if c.value.startswith("From the "))
    assert f" on **{literal.md(explorer.dataset.name)}** (`" in said and f"{data['users']:,} held-out people" in said, said
    labels = {name: row["label"] for name, row in data["strategies"].items()}
    winners = next(d.value for d in at.table if "best" in d.value.columns)
    # Before the first question every strategy shows the same list: none is named best there.
    assert winners["best"].tolist() == [labels[w["best"]] if w["questions"] else winners["best"][0] for w in data["winners"]]
    assert data["winners"][0]["questions"] == 0 and winners["best"][0] == "— (none: nothing asked)"
    assert winners["not distinguishable from it"][0].startswith("every strategy")
    assert winners["recall@20"].tolist() == [f"{w['value']:.3f}" for w in data["winners"]]
    assert winners["questions"].tolist() == [w["questions"] for w in data["winners"]]
    # The sentence under the tables names the strategy best with the most questions, and its numbers.
    last, curve = data["winners"][-1], data["strategies"][data["winners"][-1]["best"]]["recall@20"]

    reading = next(m.value for m in at.markdown if m.value.startswith("**Reading it:**"))
    assert f"**{literal.md(labels[last['best']])}**" in reading and f"{curve[-1]:.3f} from {curve[0]:.3f}" in reading
    assert ("ahead of every other" in reading) == (not last["tied"])
    # The start and the two gains add up to the end, as displayed.
    import re

    end, start = (float(x) for x in re.search(r"recall@20 (\d+\.\d+) from (\d+\.\d+)", reading).groups())
    first, second = (float(x) for x in re.search(r"gain ([+-]\d+\.\d+), the next \d+ ([+-]\d+\.\d+)", reading).groups())
    assert round(start + first + second, 3) == end, reading
    # Its 0-question recall is not Evaluation's N = 0 (0.138 beside 0.157 in the reference run): the page says why, with both numbers.
    cold = results.latest().data["user_cold"]["0"]["ours"]["recall@20"]
    assert any(
        c.value.startswith(f"Not Evaluation's warm-up curve, whose N = 0 reads {cold:.3f} beside this {start:.3f}") for c in at.caption
    )
    # The questions: "most popular" asks the most-rated films, in order.
    stats = onboarding.CatalogueStats.of(explorer)
    popular = [explorer.titles()[stats.ids[r]] for r in sorted(range(len(stats.raters)), key=lambda r: -stats.raters[r])[:5]]
    shown = [literal.md(t) for t in popular]
    column = next(m.value for m in at.markdown if m.value.startswith("1. " + shown[0]))
    assert [line.split(". ", 1)[1] for line in column.split("  \n")] == shown
    # Every strategy's questions name whole titles (they were cut at 34 characters: "Snow White and the Seven Dw…").
    whole = {literal.md(t) for t in explorer.titles().values()}
    columns = [m.value for m in at.markdown if m.value.startswith("1. ")]
    asked = [line.split(". ", 1)[1] for column in columns for line in column.split("  \n")]
    assert len(columns) >= 4 and set(asked) <= whole
    assert any(len(title) > 34 for title in asked)  # a title the cut used to shorten


def test_without_a_run_the_page_says_how_to_make_one(app, monkeypatch, tmp_path):
    monkeypatch.setenv("COLDSTART_BENCH_RESULTS", str(tmp_path / "results.json"))
    at = open_page(app, "app_pages/onboarding.py")
    assert any("bench --onboarding" in i.value for i in at.info)
    assert not [d for d in [*at.dataframe, *at.table] if "best" in d.value.columns]
