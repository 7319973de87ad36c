"""The prior blend adds the standardised log segment popularity, fading with each onboarding like."""

from __future__ import annotations

import numpy as np
import pytest

from recsys_bench.baselines import Method
from recsys_bench.prior_blend import PriorBlend
from recsys_bench.splits import Request


class Fixed(Method):
    def __init__(self, values):
        self.values = np.asarray(values, dtype=np.float64)

    def scores(self, request):
        return self.values


def request(likes: int) -> Request:
    return Request("k", "g", 1, tuple(range(likes)), (), (), "", {}, False)


def test_the_prior_is_added_standardised_and_fades_with_each_like() -> None:
    model, counts = Fixed([1.0, 2.0, 3.0]), [0.0, np.e - 1, np.e**2 - 1]  # log1p: 0, 1, 2 → z: -1.22, 0, 1.22
    z = np.array([-1.0, 0.0, 1.0]) / np.std([0.0, 1.0, 2.0])
    blend = PriorBlend(model, Fixed(counts), 2.0)
    assert blend.scores(request(0)) == pytest.approx([1.0, 2.0, 3.0] + 2.0 * z)
    assert blend.scores(request(3)) == pytest.approx([1.0, 2.0, 3.0] + 2.0 * z / 4)
    assert PriorBlend(model, Fixed(counts), 0.0).scores(request(0)) == pytest.approx([1.0, 2.0, 3.0])


def test_the_overlap_of_identical_profiles_is_one_and_a_heavy_prior_makes_different_ones_alike(small_explorer) -> None:
    from recsys_bench.prior_blend import overlap

    same = overlap(small_explorer, ["space adventures", "space adventures"], [0.0], k=5)
    assert same == {0.0: 1.0}
    apart = overlap(small_explorer, ["space adventures with aliens", "romantic love stories", "scary horror"], [0.0, 1000.0], k=5)
    assert apart[1000.0] > apart[0.0]  # popularity all but alone: the lists become alike
