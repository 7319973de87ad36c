"""Shared fixtures: the real engine, loaded once per test session (trained on first use, then cached)."""

from __future__ import annotations

import pytest

from recsys import Explorer


@pytest.fixture(scope="session")
def explorer() -> Explorer:
    return Explorer.load()
