"""The items' rows check: each dose's Chinese table and English profile cases, as docs/tuning.md reports them."""

from __future__ import annotations

import pytest

from recsys_bench import item_rows_check
from recsys_bench.chinese import understanding
from recsys_bench.profiles import CASES

pytestmark = pytest.mark.slow


def test_the_check_reports_each_split_as_the_chinese_table_does(explorer):
    got = item_rows_check.check(explorer)
    table = understanding(explorer)
    for split in item_rows_check.SPLITS:
        assert got[split] == {k: table[split]["summary"][k] for k in ("cases", "met", "wanted_share", "in_window")}
        assert 0 <= got[split]["met"] <= got[split]["cases"] and 0.0 <= got[split]["wanted_share"] <= 1.0
    assert got["english"]["cases"] == len(CASES) and 0 < got["english"]["wanted_share"] <= 1.0
