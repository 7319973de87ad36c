"""Every example in a docstring runs and shows what the code returns (an example that has drifted fails here).

Modules whose examples load the trained MovieLens model or a text model are in the slow tier, after the test run's
model is trained (``explorer``); the rest are fast.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Examples that load the trained model or a text model: seconds to minutes, so in the slow tier.
HEAVY = {"recsys.explorer", "recsys.encoder", "recsys.encoders"}


def modules_with_examples() -> list[str]:
    """The modules with at least one example that runs: a line starting ``>>>`` not marked ``+SKIP``."""
    found = []
    for package in ("recsys", "recsys_bench", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            if any(line.startswith(">>> ") and "+SKIP" not in line for line in lines):
                found.append(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
    return found


def run_examples(name: str) -> doctest.TestResults:
    module = importlib.import_module(name)
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True, verbose=False)


@pytest.mark.parametrize("name", [m for m in modules_with_examples() if m not in HEAVY])
def test_the_examples_of_a_module_run_as_written(name):
    result = run_examples(name)
    assert result.attempted > 0 and result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (printed above)"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HEAVY))
def test_the_examples_that_load_a_model_run_as_written(name, explorer):
    result = run_examples(name)
    assert result.attempted > 0 and result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (printed above)"


def test_every_package_with_examples_is_found():
    """The search above finds examples where they are (an empty list would pass every test above)."""
    found = modules_with_examples()
    assert {"recsys.results", "recsys.calibration", "ui.session", "recsys.data.catalogue"} <= set(found) and set(found) >= HEAVY
