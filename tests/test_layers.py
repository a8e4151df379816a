"""Layers point one way: ui -> reader -> index (DESIGN.md, "Rules of the house").

Every import statement counts, wherever it stands: at the top of a module, inside a function,
or under `if TYPE_CHECKING:`. The modules are read as source (their AST), not imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def imported_names(path: Path, name: str | None = None) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything a module imports, anywhere in it. `from a.b import c`
    yields a.b and a.b.c (c may be a module); relative imports are made absolute."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def within(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def offending_imports(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found: dict[str, str] = {}
    for path in modules(package).values():
        for line, name in imported_names(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if any(within(name, top) for top in forbidden) and where not in found:
                found[where] = f"{where} imports {name}"
    return sorted(found.values())


@pytest.mark.parametrize("package", ["reader", "index"])
def test_the_core_and_the_index_never_import_qt_or_the_ui(package: str) -> None:
    assert offending_imports(package, (*QT, "ui")) == []


def test_the_index_never_imports_the_core() -> None:
    assert offending_imports("index", ("reader", "ui")) == []


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    known = modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for _, imported in imported_names(path):
            # `from reader.x import f`: the module is reader.x; a package's own __init__
            # (imported on the way to any of its modules) is not an edge.
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and imported != package:
                targets.add(imported)
        graph[name] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as one
    cycle through its modules, starting at its first module by name."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return [cycle_through(component, graph) for component in sorted(components)]


def cycle_through(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A path from the component's first module back to it (breadth first: the shortest)."""
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & set(component)):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return component


def test_the_cycle_finder_names_the_modules_of_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_the_core_modules_import_each_other_without_a_cycle() -> None:
    cycles = import_cycles(import_graph("reader"))
    assert not cycles, "import cycles in reader/: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_layer_check_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from reader.library import Library\n"
        "def run() -> None:\n"
        "    import PySide6.QtWidgets\n"
        "    from ui.app import run\n"
    )
    found = {name for _, name in imported_names(source, "sample")}
    assert {"reader.library", "PySide6.QtWidgets", "ui.app", "ui.app.run"} <= found
