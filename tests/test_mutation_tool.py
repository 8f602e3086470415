"""benchmarks/mutation.py's mutant generator: mutants come from the syntax tree (so they follow the source as it
changes), each applies exactly one change, and the deterministic sample keeps choosing the same mutants when
unrelated lines move."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import mutation  # noqa: E402

SOURCE = '''"""Doc."""
LIMIT: int = 64


def guard(x: int, names: list[str]) -> int:
    """Doc."""
    if x > LIMIT and "a" in names:
        raise ValueError("too big")
    if not names:
        return 0
    journal.record("seen", x=x)
    return x if x == 1 else -1
'''


def _points(source: str) -> list[tuple[int, str, str]]:
    walker = mutation._Mutator(None)
    walker.visit(ast.parse(source))
    return [(line, function, description) for line, _, _, function, description in walker.points]


def test_the_mutants_of_a_snippet() -> None:
    found = {(line, d) for line, _, d in _points(SOURCE)}
    assert found == {
        (2, "64 -> 65"),
        (7, "condition negated"), (7, "'and' -> 'or'"), (7, "'>' -> '>='"), (7, "'in' -> 'not in'"),
        (8, "raise removed"),
        (9, "'not' removed from condition"), (9, "guard emptied (its return removed)"),
        (10, "return value -> return None"), (10, "0 -> 1"),
        (11, "journal record(...) removed"),
        (12, "return value -> return None"), (12, "condition negated"), (12, "'==' -> '!='"), (12, "1 -> 2"),
    }
    assert all(f == "guard" for line, f, _ in _points(SOURCE) if line > 2)


def test_each_mutant_changes_exactly_its_point_and_nothing_else() -> None:
    original = ast.dump(ast.parse(SOURCE))
    n = len(_points(SOURCE))
    sources = {mutation.mutated_source(SOURCE, None, i) for i in range(n)}
    assert len(sources) == n  # all different
    assert all(ast.dump(ast.parse(s)) != original for s in sources)
    negated = mutation.mutated_source(SOURCE, None, [d for _, _, d in _points(SOURCE)].index("'>' -> '>='"))
    assert "x >= LIMIT and 'a' in names" in negated and "raise ValueError" in negated


def test_only_the_named_functions_are_mutated() -> None:
    walker = mutation._Mutator(("other",))
    walker.visit(ast.parse(SOURCE))
    assert walker.points == []


def test_the_sample_is_stable_when_unrelated_lines_move(tmp_path: Path) -> None:
    a = tmp_path / "a.py"
    a.write_text(SOURCE)
    b = tmp_path / "b.py"
    b.write_text("\n\n# a comment\n" + SOURCE.replace('"""Doc."""\n', '"""Doc."""\nimport os\n', 1))
    mutation.ROOT = tmp_path  # type: ignore[attr-defined]
    try:
        keys_a = {m.key.split("|", 1)[1] for m in mutation.mutants_of("a.py", None) if mutation.chosen(m, 0.5)}
        keys_b = {m.key.split("|", 1)[1] for m in mutation.mutants_of("b.py", None) if mutation.chosen(
            mutation.Mutant("a.py", m.index, m.line, m.first, m.last, m.function, m.description,
                            "a.py|" + m.key.split("|", 1)[1]), 0.5)}
    finally:
        mutation.ROOT = ROOT  # type: ignore[attr-defined]
    assert keys_a == keys_b and 0 < len(keys_a) < len(_points(SOURCE))


def test_every_target_and_its_tests_exist() -> None:
    for module, (_, tests) in mutation.TARGETS.items():
        assert (ROOT / module).is_file(), module
        assert all((ROOT / t).is_file() for t in tests), module
        assert mutation.mutants_of(module, mutation.TARGETS[module][0]), module
