"""The test tiers: a test that starts a browser, a server or the MovieLens model carries that tier's mark."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import tier_problems


def item(name: str, fixtures: list[str], marks: list[str]):
    return SimpleNamespace(nodeid=name, fixturenames=fixtures, iter_markers=lambda: [SimpleNamespace(name=m) for m in marks])


def test_a_test_using_a_tier_fixture_without_its_mark_is_named():
    problems = tier_problems([item("t::a", ["browser", "tmp_path"], ["slow"]), item("t::b", ["explorer"], [])])
    assert problems == ["t::a uses browser but is not marked browser", "t::b uses explorer but is not marked slow"]


def test_marked_tests_and_browser_tests_with_their_server_pass():
    assert tier_problems([
        item("t::a", ["browser", "server", "explorer"], ["browser", "slow"]),
        item("t::b", ["postgres_server"], ["server"]),
        item("t::c", ["small_explorer", "tmp_path"], []),
    ]) == []  # fmt: skip


@pytest.mark.parametrize("tier", ["slow", "server", "browser", "eval"])
def test_every_tier_is_a_registered_mark(pytestconfig, tier):
    assert any(line.startswith(f"{tier}:") for line in pytestconfig.getini("markers"))
