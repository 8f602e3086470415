"""The import graph of azwizard/ and screens/ (installed as azwizard.screens), read with ``ast``.

An edge A -> B is an import of B that runs when A is imported: a statement at module level (also inside a
top-level ``if``/``try``), except under ``if TYPE_CHECKING:``, which never runs. ``from X import y`` is an edge to
``X.y`` when that is a module, else to ``X``. Imports inside functions are kept apart: they run later, so they
cannot make an import cycle, but one that would close a cycle if it were at module level only dodges it
(:func:`dodging_imports`).

``python tests/import_graph.py`` prints the module-level cycles and the dodging imports (issue 20's figures).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"azwizard": ROOT / "azwizard", "azwizard.screens": ROOT / "screens"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    line: int
    module_level: bool


def modules() -> dict[str, Path]:
    """Every module of the two trees by dotted name (packages by their ``__init__``)."""
    out: dict[str, Path] = {}
    for prefix, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([prefix, *parts])
            if prefix == "azwizard" and parts[:1] == ["screens"]:
                continue  # not a folder of azwizard/, but keep it safe
            out[name] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _statements(body: Iterable[ast.stmt], module_level: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement under ``body``, with whether it runs at import time."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, module_level
        elif isinstance(node, ast.If):
            if _is_type_checking(node.test):
                continue  # only for the type checker
            yield from _statements(node.body, module_level)
            yield from _statements(node.orelse, module_level)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]):
                yield from _statements(block, module_level)
        elif isinstance(node, (ast.With, ast.For, ast.While)):
            yield from _statements(node.body, module_level)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _statements(node.body, False)
        elif isinstance(node, ast.ClassDef):
            yield from _statements(node.body, module_level)


def _resolve_from(name: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package else name.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports() -> list[Import]:
    mods = modules()
    out: list[Import] = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node, module_level in _statements(tree.body, True):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                assert isinstance(node, ast.ImportFrom)
                base = _resolve_from(name, node, is_package)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in mods else base)
            for target in targets:
                # "import azwizard.plan.aks" names the module itself; a name not in the trees is a third party's
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                edge = Import(name, target, node.lineno, module_level)
                if target and target != name and edge not in out:
                    out.append(edge)
    return out


def graph(edges: Iterable[Import]) -> dict[str, set[str]]:
    g: dict[str, set[str]] = {m: set() for m in modules()}
    for e in edges:
        if e.module_level:
            g[e.source].add(e.target)
    return g


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(out, key=lambda c: (-len(c), c))


def reaches(g: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        v = todo.pop()
        if v == goal:
            return True
        for w in g[v] - seen:
            seen.add(w)
            todo.append(w)
    return False


def dodging_imports(edges: list[Import] | None = None) -> list[Import]:
    """The function-level imports A -> B where B already imports A (directly or not) at module level: moved to
    the top, each would make an import cycle."""
    edges = imports() if edges is None else edges
    g = graph(edges)
    return [e for e in edges if not e.module_level and reaches(g, e.target, e.source)]


def main() -> None:
    edges = imports()
    g = graph(edges)
    found = cycles(g)
    local = [e for e in edges if not e.module_level]
    dodging = dodging_imports(edges)
    print(f"modules: {len(g)}, module-level imports: {sum(map(len, g.values()))}, "
          f"function-level imports: {len({(e.source, e.line) for e in local})} statements "
          f"(screens/ {len({(e.source, e.line) for e in local if e.source.startswith('azwizard.screens.')})}, "
          f"engine {len({(e.source, e.line) for e in local if not e.source.startswith('azwizard.screens.')})})")
    print(f"module-level cycles (strongly connected components): {len(found)}, "
          f"modules in them: {sum(map(len, found))}")
    for comp in found:
        print("  cycle:", " <-> ".join(comp))
    print(f"function-level imports that only dodge a cycle: {len(dodging)}")
    for e in dodging:
        print(f"  {e.source}:{e.line} -> {e.target}")
    every: dict[str, set[str]] = {m: set() for m in g}
    for e in edges:
        every[e.source].add(e.target)
    mutual = cycles(every)
    print(f"cycles counting function-level imports too: {len(mutual)}, modules in them: {sum(map(len, mutual))}")
    for comp in mutual:
        print("  cycle:", " <-> ".join(comp) if len(comp) < 6 else f"{comp[0]} and {len(comp) - 1} more")


if __name__ == "__main__":
    main()
