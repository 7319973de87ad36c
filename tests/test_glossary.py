"""The sidebar's glossary: every word it explains is one the pages print, and its filter finds words by any name."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.glossary import GLOSSARY, matching

ROOT = Path(__file__).resolve().parent.parent
#: Where the pages' words come from: the pages themselves and the modules that write their labels and notes.
PRINTED = [
    *sorted((ROOT / "app_pages").glob("*.py")),
    *(ROOT / p for p in ("app.py", "ui/charts.py", "ui/session.py", "recsys/results.py", "recsys/onboarding.py")),
]


def printed_strings(path: Path) -> list[str]:
    """Every string literal of a module but its docstrings (comments are not in the tree): what it can print."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_every_word_explained_is_one_the_pages_print():
    text = " ".join(s for path in PRINTED for s in printed_strings(path))
    missing = [e.term for e in GLOSSARY if e.term.split(" (")[0] not in text]
    assert not missing, missing
    assert len({e.term for e in GLOSSARY}) == len(GLOSSARY)


def test_the_filter_finds_a_word_by_its_other_names_and_needs_every_word_typed():
    assert [e.term for e in matching("rank-biased")] == ["RBO"]
    assert [e.term for e in matching("LOG-ODDS")] == ["score r̂"]  # case ignored, found by another name
    assert "b_i" in [e.term for e in matching("bias")] and "b_u" in [e.term for e in matching("bias")]
    assert [e.term for e in matching("bias item")] == ["b_i"]  # every word typed must be there, in any order
    assert matching("") == list(GLOSSARY) and matching("zebra") == []
    assert [e.term for e in matching("id")] == ["collaborative"]  # a word's start: not every "side" and "divided"


def test_a_negative_score_is_explained_as_normal():
    """A product manager read the list's negative scores as bad ones (a newcomer's walk)."""
    (score,) = [e for e in GLOSSARY if e.term == "score r̂"]
    assert "Negative scores are normal" in score.plain and "only the order matters" in score.plain
