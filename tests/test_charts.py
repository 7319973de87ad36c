"""Charts written as plain dicts (``ui.charts._figure``) are exactly what plotly's validation would make of them."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from recsys import onboarding
from recsys.analysis.pull import popularity_pull
from ui import charts


@pytest.fixture(autouse=True)
def app_template():
    """The default template as the app has it: ui.charts sets it on import, after Streamlit's import set its own.

    Another test module may import Streamlit later in the same process (AppTest does), which sets
    Streamlit's template as the default again; the app's pages never see that order.
    """
    before = pio.templates.default
    pio.templates.default = charts.TEMPLATE_NAME
    yield
    pio.templates.default = before


def as_sent(figure: go.Figure) -> dict:
    """The figure as Streamlit sends it to the browser (``st.plotly_chart``: ``to_dict``, then JSON)."""
    return json.loads(pio.to_json(figure.to_dict(), validate=False))


@pytest.mark.slow
@pytest.mark.parametrize("text, scale", [("gory slasher films and creepy haunted houses", 1.0), ("cartoons with my kids", 0.0), ("", 0.5)])
def test_validating_the_new_user_charts_changes_nothing(explorer, text, scale):
    user = explorer.new_user(text, demographics=None if text else {"age": 30})
    recs = explorer.recommend(user, k=20, item_bias_scale=scale)
    figures = [
        charts.score_breakdown(recs),
        charts.popularity_pull(popularity_pull(explorer, recs), scale, "ratings"),
        charts.weights_bar(user.weights, "Fusion weights α of this user"),
    ]
    for figure in figures:
        sent = as_sent(figure)
        assert sent == as_sent(go.Figure(figure.to_dict()))  # validation (and the default template) would change nothing
        assert sent["layout"]["template"] == as_sent(go.Figure())["layout"]["template"]  # the template every other chart gets
        assert sent["data"] and all(trace["type"] in ("bar", "scatter") for trace in sent["data"])


def test_weights_as_numpy_scalars_are_sent_as_validation_would_send_them():
    import numpy as np

    figure = charts.weights_bar({"text": np.float32(0.625), "genres": np.float64(0.25), "other": 0.125}, "Global item weights", 220, "item")
    assert as_sent(figure) == as_sent(go.Figure(figure.to_dict()))
    assert as_sent(figure)["data"][0]["x"] == [0.625, 0.25, 0.125]


def test_weight_labels_add_up_to_one_as_displayed():
    """Plain rounding labels 0.335, 0.335, 0.33 as 0.34 + 0.34 + 0.33 = 1.01 (the Fusion page's global user weights did)."""
    figure = charts.weights_bar({"text": 0.335, "demographics": 0.335, "feedback": 0.33}, "Global user weights")
    labels = [float(t) for t in figure.data[0].text]
    assert round(sum(labels), 2) == 1.0 and sorted(labels) == [0.33, 0.33, 0.34]
    assert list(figure.data[0].x) == [0.335, 0.335, 0.33]  # the bars keep their exact lengths


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("colour", ["genre", "popularity"])
def test_validating_the_embedding_map_changes_nothing(dims, colour):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    axes = ["x", "y", "z"][:dims]
    items = pd.DataFrame(rng.normal(size=(60, dims)), columns=axes).assign(
        id=range(60), genre=[["Drama", "Horror", "Comedy"][i % 3] for i in range(60)], popularity=rng.integers(1, 500, 60),
        label=[f"<b>film {i}</b>" for i in range(60)],
    )  # fmt: skip
    users = pd.DataFrame(rng.normal(size=(30, dims)), columns=axes).assign(id=range(30), label="u", segment=["men", "women"] * 15)
    persona = dict(zip(axes, rng.normal(size=dims))) | {"name": "Horror buff", "hover": "Horror buff: gory", "targets": rng.normal(size=(10, dims)).tolist(),
                                                        "target_labels": [f"film {i}" for i in range(10)]}  # fmt: skip
    new_item = dict(zip(axes, rng.normal(size=dims))) | {"name": "new item: X", "hover": "X", "targets": [], "symbol": "diamond-wide"}
    for extra in ([], [persona, new_item]):
        for shown_users in (None, users):
            figure = charts.embedding_map(items, shown_users, colour, dims, extra, categorical=colour != "popularity",
                                          colours={"Drama": "#111111"}, colour_title="number of ratings")  # fmt: skip
            assert as_sent(figure) == as_sent(go.Figure(figure.to_dict()))


@pytest.mark.parametrize("dims", [2, 3])
def test_every_persona_on_the_map_has_its_own_colour_and_shape(dims):
    """Six personas showed two colours twice (four colours in a cycle); twelve must all differ."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    axes = ["x", "y", "z"][:dims]
    items = pd.DataFrame(rng.normal(size=(40, dims)), columns=axes).assign(id=range(40), genre="Drama", popularity=1, label="f")
    extra = [
        dict(zip(axes, rng.normal(size=dims))) | {"name": f"Persona ({n})", "targets": rng.normal(size=(3, dims)).tolist()}
        for n in range(12)
    ]
    figure = charts.embedding_map(items, None, "genre", dims, extra, categorical=True)
    stars = [t for t in figure.to_dict()["data"] if str(t.get("name", "")).startswith("Persona (")]
    assert len(stars) == 12
    assert len({(t["marker"]["color"], t["marker"]["symbol"]) for t in stars}) == 12
    assert len({t["marker"]["color"] for t in stars[:8]}) == 8  # the first eight by colour alone


def test_many_unnamed_methods_still_differ_by_colour_and_by_line_and_marker():
    names = ["ours", *(f"axis:{k}" for k in range(30))]
    styles = charts.method_styles(names)
    assert len({s["colour"] for s in styles.values()}) == len(names)
    assert len({(s["dash"], s["symbol"]) for s in styles.values()}) == len(names)
    assert all(s["colour"].startswith("#") and len(s["colour"]) == 7 for s in styles.values())  # hex, as the fixed ones


def test_strategies_with_identical_curves_are_drawn_as_one_line():
    """On a catalogue without rating values three strategies ask the same questions: one line named for all three."""
    same = {"recall@20": [0.1, 0.2], "ndcg@10": [0.3, 0.4], "recall@20_ci95": [0.0, 0.0], "ndcg@10_ci95": [0.0, 0.0]}
    other = {**same, "recall@20": [0.1, 0.25]}
    strategies = {"popular": {**same, "label": "most popular"}, "entropy": {**same, "label": "most polarising"},
                  "coverage": {**other, "label": "coverage"}, "pop_entropy": {**same, "label": "pop × entropy"}}  # fmt: skip
    merged = charts.merged_curves(strategies)
    assert {name: row["label"] for name, row in merged.items()} == {
        "popular": "most popular = most polarising = pop × entropy", "coverage": "coverage"
    }  # fmt: skip
    names = [trace.name for trace in charts.onboarding_curves(merged, "recall@20", "t").data if trace.showlegend is not False]
    assert names == ["most popular = most polarising = pop × entropy", "coverage"]


def test_points_drawn_on_top_of_each_other_are_named():
    frame = pd.DataFrame({"method": ["ours", "ours_unread", "popularity"], "x": [195.0, 195.5, 420.0], "y": [0.152, 0.152, 0.10]})
    assert charts.coinciding(frame, "method", "x", "y") == [["ours", "ours_unread"]]
    frame.loc[1, "y"] = 0.14  # far apart on one axis (20% of its range): both visible
    assert charts.coinciding(frame, "method", "x", "y") == []


def test_a_small_probability_is_printed_with_its_digits_never_as_a_flat_zero():
    """The #1 book of a sparse catalogue had p = σ(−6.56) ≈ 0.0014 and the page said "p = 0.00"."""
    assert charts.probability(0.2345) == "0.23" and charts.probability(0.996) == "1.00"
    assert charts.probability(0.00141) == "0.0014" and charts.probability(0.0049) == "0.0049"
    assert charts.probability(0.00001) == "< 0.0001" and charts.probability(0.0) == "0"


def test_every_onboarding_strategy_has_its_own_colour_marker_and_dash():
    """'most popular' and 'largest expected change of e_u' were two orange star lines that cross often."""
    row = {"recall@20": [0.1, 0.2], "recall@20_ci95": [0.0, 0.0]}
    strategies = {name: {**row, "recall@20": [0.1, 0.2 + k / 100], "label": name} for k, name in enumerate(onboarding.STRATEGIES)}
    lines = [t for t in charts.onboarding_curves(strategies, "recall@20", "t").data if t.showlegend is not False]
    assert len(lines) == len(onboarding.STRATEGIES)
    for attribute in (lambda t: t.line.color, lambda t: t.marker.symbol, lambda t: t.line.dash):
        assert len({attribute(t) for t in lines}) == len(lines)
