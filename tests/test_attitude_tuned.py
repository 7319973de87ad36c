"""The fine-tuned attitude model measured in recsys_bench.attitude_tuned: it trains, learns, and quantises without changing its mind."""

from __future__ import annotations

import numpy as np
import pytest

from recsys_bench.attitude_tuned import TunedAttitude

GENRES = ["westerns", "musicals", "horror films", "cookbooks", "poetry", "science fiction"]


@pytest.mark.slow
def test_the_fine_tuned_model_learns_which_way_a_clause_feels_and_int8_keeps_the_order() -> None:
    texts, labels = [], []
    for genre in GENRES:
        for template, label in (("I can't stand {g}", 1), ("{g} bore me to tears", 1), ("I love {g}", 0), ("{g}, please", 0)):
            texts.append(template.format(g=genre))
            labels.append(label)
    model = TunedAttitude.train(texts, np.asarray(labels), epochs=10)
    unseen = ["I really cannot stand cartoons", "Cartoons bore me to tears", "I love cartoons", "Cartoons, please"]
    p = model(unseen)
    assert len(p) == 4 and all(0.0 <= x <= 1.0 for x in p)
    assert min(p[:2]) > 0.6 and max(p[2:]) < 0.4  # decided at the reader's threshold, not just ordered
    q = model.quantised()(unseen)
    assert min(q[:2]) > 0.6 and max(q[2:]) < 0.4
