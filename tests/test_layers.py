"""Layers point one way: engine ← analyses ← app and benchmark, tools outside; no import circles.

The import graph is read from the source with ``ast`` (nothing is imported): every ``import``
counts, inside functions and ``TYPE_CHECKING`` blocks too, and ``from pkg import name`` counts as
the submodule ``pkg.name`` when there is one.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("recsys", "recsys_bench", "ui", "app_pages", "tools")
SCRIPTS = ("app.py", "frontdoor.py")
#: Imports against the layers that are known and named, each with why; the tests fail on any other, and on a
#: listed one that is gone (so the list never goes stale).
KNOWN = {
    # `bench --scale` times the Embedding map page's own figure in Chromium at each catalogue size.
    "recsys_bench.scale → ui.charts": "the scale benchmark renders the map figure the page draws",
}


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages and scripts, by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for script in SCRIPTS:
        found[script.removesuffix(".py")] = root / script
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The dotted names ``name`` imports: project modules as the most precise known module, others as written."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                out.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source)
    return out


def graph(root: Path = ROOT) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(project module → the project modules it imports, project module → everything it imports)."""
    found = modules(root)
    known = set(found)
    everything = {name: imported(name, path, known) for name, path in found.items()}
    inside = {name: {other for other in names if other in known and other != name} for name, names in everything.items()}
    return inside, everything


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component of more than one module, as a path ``a → … → a``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(edges) + 100))
    try:
        for node in sorted(edges):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return [_circle(component, edges) for component in components]


def _circle(component: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(edges[node] & component):
            if other == start:
                return [*paths[node], start]
            if other not in paths:
                paths[other] = [*paths[node], other]
                queue.append(other)
    raise AssertionError(f"not a strongly connected component: {sorted(component)}")


def breaches(everything: dict[str, set[str]], layer: str, forbidden: tuple[str, ...]) -> list[str]:
    """``module → import`` for each module under ``layer`` that imports something under a ``forbidden`` top-level name."""
    return sorted(
        f"{name} → {target}"
        for name, targets in everything.items()
        if name == layer or name.startswith(layer + ".")
        for target in targets
        if target.split(".")[0] in forbidden
    )


@pytest.fixture(scope="module")
def imports() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return graph()


def test_the_graph_sees_every_kind_of_import(imports):
    """The reader is trusted only if it sees what the checks rely on: function-level, relative and ``from pkg import module``."""
    inside, everything = imports
    assert {"recsys", "recsys.explorer", "recsys.analysis.anatomy", "ui.session", "app_pages.new_user", "app", "frontdoor"} <= set(inside)
    assert "tools.loadtest" in inside["tools.first_steps"]  # from tools.loadtest import ...
    assert "recsys.analysis.anatomy" in inside["recsys.explorer"]  # from recsys.analysis import anatomy
    assert "recsys.data" in inside["recsys.cli"]  # only inside functions there
    assert "streamlit" in everything["ui.session"]


def test_no_import_circles(imports):
    inside, _ = imports
    found = cycles(inside)
    assert found == [], "import circles: " + "; ".join(" → ".join(circle) for circle in found)


def test_the_engine_imports_neither_the_benchmark_nor_the_app_nor_the_tools(imports):
    _, everything = imports
    assert breaches(everything, "recsys", ("recsys_bench", "ui", "app_pages", "streamlit", "tools")) == []


def test_the_benchmark_imports_neither_the_app_nor_the_tools(imports):
    _, everything = imports
    assert breaches(everything, "recsys_bench", ("ui", "app_pages", "tools")) == sorted(KNOWN)


def test_the_tools_are_not_installed():
    """What drives the running app from outside stays beside the packages: the installed ones are the engine and the benchmark."""
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert not [p for p in packages if p.split(".")[0] in ("tools", "ui", "app_pages")], packages


def test_a_circle_and_a_backward_import_are_caught(tmp_path):
    """The checks above fail on a tree that breaks them (a copy with a circle and an engine → benchmark import)."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for script in SCRIPTS:
        (tmp_path / script).write_text("")
    (tmp_path / "recsys" / "a.py").write_text("def f():\n    from recsys import b\n")
    (tmp_path / "recsys" / "b.py").write_text("from . import c\n")
    (tmp_path / "recsys" / "c.py").write_text("import recsys.a\nfrom recsys_bench.speed import measure\n")
    (tmp_path / "recsys_bench" / "speed.py").write_text("")
    inside, everything = graph(tmp_path)
    assert cycles(inside) == [["recsys.a", "recsys.b", "recsys.c", "recsys.a"]]
    assert breaches(everything, "recsys", ("recsys_bench",)) == ["recsys.c → recsys_bench.speed"]


def test_the_engine_command_line_finds_the_benchmark_commands_as_entry_points():
    """``python -m recsys bench|speed`` come from the benchmark's ``recsys.commands`` entry points."""
    from recsys import cli
    from recsys_bench import commands

    installed = cli.installed_commands()
    assert installed["bench"] is commands.bench and installed["speed"] is commands.speed
    args = cli.build_parser().parse_args(["--data", "somewhere", "bench", "--quick", "--no-peers"])
    assert args.func is commands.cmd_bench and args.data == "somewhere" and args.quick


def test_without_the_benchmark_its_commands_say_so(monkeypatch, capsys):
    """The engine installed alone: ``bench`` and ``speed`` answer that the benchmark package is missing (exit 2), never a traceback."""
    from recsys import cli

    monkeypatch.setattr(cli, "entry_points", lambda group: [])
    assert cli.main(["bench", "--quick", "--no-peers"]) == 2
    assert "benchmark package (recsys_bench), which is not installed" in capsys.readouterr().err
    assert cli.main(["--data", "somewhere", "speed"]) == 2
    assert "`speed` is a command of the benchmark package" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["recommend", "--profile", "x", "--no-such-option"])  # other commands still parse strictly


def test_the_benchmark_has_its_own_entry_point(capsys):
    """``python -m recsys_bench bench|speed``: the same commands, with the engine's global options."""
    from recsys_bench.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--data", "somewhere", "speed", "--help"])
    assert exit_.value.code == 0
    assert "usage: python -m recsys_bench speed" in capsys.readouterr().out
