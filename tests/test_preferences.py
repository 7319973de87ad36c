"""The explicit avoid / era terms, computed by hand on a tiny catalogue (no model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recsys.preferences import ExplicitLayout, PreferenceConfig
from recsys.reading import EraWindow, Reading

ITEMS = pd.DataFrame({"genres": [["Horror"], ["Comedy", "Horror"], ["Comedy"]], "year": [1990.0, 1993.0, np.nan]})
LAYOUT = ExplicitLayout.of(ITEMS)


def test_items_carry_genre_and_year_indicators():
    assert LAYOUT.genres == ("Comedy", "Horror") and LAYOUT.years == (1990, 1991, 1992, 1993)
    x = LAYOUT.item_coordinates(ITEMS)
    assert x.tolist() == [[0, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0]]  # the unknown year has no year coordinate


def test_a_ruled_out_genre_costs_avoid_per_genre_the_item_has():
    w = LAYOUT.user_coordinates(Reading(rules_out=("Horror",)), PreferenceConfig(avoid=10.0))
    scores = LAYOUT.item_coordinates(ITEMS) @ w
    assert scores.tolist() == [-10.0, -10.0, 0.0]


def test_the_era_term_by_hand():
    config = PreferenceConfig(era_edge=2.0, era=5.0, era_cap=3, leaning=0.1)
    firm = LAYOUT.user_coordinates(Reading(era=EraWindow(1992, 1993, "the early nineties")), config)
    # 1990 is 2 years out: 2 + 5 × 0.2 = 3.0; 1991 is 1 year out: 2 + 0.5 = 2.5; 1992 and 1993 are inside.
    assert firm[2:].tolist() == pytest.approx([-3.0, -2.5, 0.0, 0.0])
    leaning = LAYOUT.user_coordinates(Reading(era=EraWindow(1992, 1993, "recent", firm=False)), config)
    assert leaning[2:].tolist() == pytest.approx([-0.3, -0.25, 0.0, 0.0])
    # A hedge ("mostly", "I prefer") scales it again: a hedged period by `hedged`, a hedged taste word by both.
    config = PreferenceConfig(era_edge=2.0, era=5.0, era_cap=3, leaning=0.1, hedged=0.5)
    hedged = LAYOUT.user_coordinates(Reading(era=EraWindow(1992, 1993, "mostly the early nineties", hedged=True)), config)
    assert hedged[2:].tolist() == pytest.approx([-1.5, -1.25, 0.0, 0.0])
    both = LAYOUT.user_coordinates(Reading(era=EraWindow(1992, 1993, "I prefer recent", firm=False, hedged=True)), config)
    assert both[2:].tolist() == pytest.approx([-0.15, -0.125, 0.0, 0.0])
    assert not LAYOUT.user_coordinates(None).any() and not LAYOUT.user_coordinates(Reading()).any()
