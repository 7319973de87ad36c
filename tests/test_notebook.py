"""The teaching notebook runs clean against the library (its cells assert their own numbers)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "scoring_math.ipynb"


def test_the_scoring_math_notebook_runs_clean(explorer):
    # `explorer` trains (or loads) the model in this test run's cache, which the kernel inherits.
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "r̂ = 0 + 0.2 + 0.1 + 0.95 = 1.25" in printed
    assert "b_u:" in printed and "loss:" in printed
