"""The embedding map: a faithful layout, and new points placed without refitting."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.manifold import trustworthiness

from recsys.analysis.projection import Projector

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def projector(explorer):
    return Projector.for_explorer(explorer)


@pytest.mark.parametrize("space", ["text", "fused"])
def test_layout_preserves_neighbourhoods(projector, space):
    layout = projector.layout(space, 2)
    score = trustworthiness(layout.reference, layout.items, n_neighbors=10, metric="cosine")
    assert score >= 0.85, score


@pytest.mark.parametrize("dims", [2, 3])
def test_every_user_and_item_has_finite_coordinates(projector, explorer, dims):
    for layout in (projector.layout("text", dims), projector.layout("fused", dims)):
        assert layout.items.shape == (explorer.dataset.n_items, dims)
        assert layout.users.shape == (explorer.dataset.n_users, dims)
        assert np.isfinite(layout.items).all() and np.isfinite(layout.users).all()


def test_a_persona_lands_among_the_items_it_resembles(projector, explorer):
    layout = projector.layout("fused", 2)
    user = explorer.new_user("gory slasher films")
    point = layout.place(user.vector[None, :])[0]
    horror = np.array(["Horror" in g for g in explorer.items.genres])
    distance = np.linalg.norm(layout.items - point, axis=1)
    nearest = np.argsort(distance)[:30]
    assert horror[nearest].mean() > 2 * horror.mean()


def test_placing_a_point_does_not_move_the_map(projector, explorer):
    layout = projector.layout("text", 2)
    before = layout.items.copy()
    point = layout.place(explorer.new_user("space operas").text_vector[None, :])
    assert point.shape == (1, 2)
    assert np.array_equal(before, layout.items)
