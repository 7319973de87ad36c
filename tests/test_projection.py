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


def test_two_processes_opening_one_catalogue_fit_its_map_once(small_explorer, tmp_path, monkeypatch):
    """The server's processes open a catalogue together: one fits each 2D layout, the other waits and loads it."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from recsys.analysis import projection

    fits: list[int] = []
    real_fit = projection.fit_layout
    monkeypatch.setattr(projection, "fit_layout", lambda vectors, dims, **kw: fits.append(dims) or real_fit(vectors, dims, **kw))
    start = threading.Barrier(2)

    def open_map():
        start.wait()
        return Projector.for_explorer(small_explorer, cache_dir=tmp_path)

    with ThreadPoolExecutor(2) as pool:
        maps = [run.result(timeout=300) for run in [pool.submit(open_map) for _ in range(2)]]
    assert fits == [2] * len(projection.SPACES)  # once per space, not once per process
    for space in projection.SPACES:
        assert np.array_equal(maps[0].layout(space, 2).items, maps[1].layout(space, 2).items)
