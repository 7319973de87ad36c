"""Charts written as plain dicts (``ui.charts._figure``) are exactly what plotly's validation would make of them."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from recsys.analysis.pull import popularity_pull
from ui import charts


def as_sent(figure: go.Figure) -> dict:
    """The figure as Streamlit sends it to the browser (``st.plotly_chart``: ``to_dict``, then JSON)."""
    return json.loads(pio.to_json(figure.to_dict(), validate=False))


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
