"""The pair attitude model measured in recsys_bench.attitude_context: it reads the asked clause through the profile around it."""

from __future__ import annotations

import numpy as np
import pytest

from recsys_bench.attitude_context import PairAttitude

GENRES = ["westerns", "musicals", "horror films", "cookbooks", "poetry", "science fiction"]


@pytest.mark.slow
def test_the_pair_model_decides_a_bare_clause_by_the_sentence_around_it() -> None:
    # The asked clause is only the genre: which way it feels is said outside it, so a clause-only model cannot learn this.
    pairs, labels = [], []
    for genre in GENRES:
        for template, label in (("I can't stand {g}", 1), ("{g} bore me to tears", 1), ("I love {g}", 0), ("{g}, please", 0)):
            pairs.append((genre, template.format(g=genre)))
            labels.append(label)
    model = PairAttitude.train(pairs, np.asarray(labels), epochs=12)
    unseen = ["I really cannot stand cartoons", "Cartoons bore me to tears", "I love cartoons", "Cartoons, please"]
    p = model.pairs([("cartoons", text) for text in unseen])
    assert min(p[:2]) > 0.6 and max(p[2:]) < 0.4
    model.context = unseen[0]  # as the reader calls it: clauses only, the profile set beside them
    assert model(["cartoons"])[0] > 0.6
    model.context = unseen[2]
    assert model(["cartoons"])[0] < 0.4
