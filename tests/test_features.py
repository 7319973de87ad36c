"""Attribute features: range checks depend on the column (hand-made frames, no model)."""

from __future__ import annotations

import pandas as pd
import pytest

from recsys.features import FeatureSpace

SPACE = FeatureSpace.fit(pd.DataFrame({"age": [20, 30], "year": [1990.0, 1995.0], "price": [1.0, 2.0]}), ["age", "year", "price"])


@pytest.mark.parametrize("record", [{"year": 1995}, {"year": 2024}, {"year": 1895}, {"age": 0}, {"age": 99}, {"price": -5e6}])
def test_plausible_values_are_accepted(record):
    assert SPACE.validate(record) == record


@pytest.mark.parametrize(
    ("record", "message"),
    [({"year": 1700}, "year must be between 1800 and 2100"), ({"age": 200}, "age must be between 0 and 150"),
     ({"price": float("inf")}, "finite"), ({"year": "soon"}, "must be a number")],
)  # fmt: skip
def test_implausible_values_name_the_column_and_range(record, message):
    with pytest.raises(ValueError, match=message):
        SPACE.validate(record)
