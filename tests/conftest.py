"""Shared fixtures. Tests never read the user's artifact cache: the whole run uses its own.

``COLDSTART_CACHE`` is pointed at a fresh temporary folder before anything is loaded, so
the real model is trained once per test run by the code under test (a change that breaks
training cannot hide behind a model trained earlier). Set ``COLDSTART_TEST_CACHE`` to a
folder of your choice to reuse a test cache between local runs; artifact keys include a
hash of the code that made them, so a reused test cache still retrains after a change.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ["COLDSTART_CACHE"] = os.environ.get("COLDSTART_TEST_CACHE") or tempfile.mkdtemp(prefix="coldstart-test-cache-")

from recsys import Explorer  # noqa: E402


@pytest.fixture(scope="session")
def explorer() -> Explorer:
    return Explorer.load()
