"""Mutation testing of the safety-critical modules. Run by hand: python benchmarks/mutation.py [options]

Small deliberate bugs (mutants) are put into the modules that decide what is sent to Azure and what is
deleted, one at a time, and the tests that cover each module are run against each mutant: a mutant the tests
catch is *killed*, one they miss *survives* and shows a gap (or is equivalent: it changes nothing observable).

- Mutants are generated from each module's AST at run time (nothing is tied to line numbers, so the tool
  follows the source as it changes): comparison flips (== !=, < <=, in / not in, is / is not), ``and`` <-> ``or``,
  a condition negated (if / while / ternary / comprehension filter), True <-> False, an integer constant + 1,
  a guard that returns or raises emptied (``pass``), a ``raise`` removed, a journal ``record(...)`` call
  removed, ``return <value>`` -> ``return None``. Docstrings, annotations and decorators are left alone.
- The worktree is never changed: the source tree is copied into a temporary directory per worker (with
  ``screens/`` at ``azwizard/screens`` as pyproject's package-dir maps it), each mutant is written there,
  and the module's tests run in a forked child of a worker that has the third-party imports already loaded
  (pytest -x, a per-mutant timeout). PYTHONPATH points at the copy, so a subprocess a test starts runs the
  mutant too.
- ``--sample F`` runs a deterministic fraction of the mutants, chosen by a hash of (file, function, mutation,
  occurrence), so the same mutants are chosen while unrelated lines move.

Prints the score per module and overall, and every surviving mutant as file:line with the mutation.
Which tests cover which module is the TARGETS table below (fastest, most direct tests first, so a killed
mutant stops early).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# module -> (functions to mutate, or None for all; the test files that cover it, most direct first)
TARGETS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {
    "azwizard/plan/diff.py": (None, ("tests/test_plan_diff_parts.py", "tests/test_plan_diff.py", "tests/test_plan_diff_text.py",
                                     "tests/test_safety_paths.py",
                                     "tests/test_cli_existing.py", "tests/test_run_resume.py")),
    "azwizard/run/preflight.py": (None, ("tests/test_preflight_ledger.py", "tests/test_cli_existing.py",
                                         "tests/test_ownership.py", "tests/test_run_resume.py",
                                         "tests/test_cleanup_takeover.py", "tests/test_cli_apply.py")),
    "azwizard/run/executor.py": (None, ("tests/test_run_executor_parts.py", "tests/test_run_patch_step.py",
                                        "tests/test_attempt.py",
                                        "tests/test_run_executor_resume.py",
                                        "tests/test_run_vm.py",
                                        "tests/test_run_retries.py", "tests/test_safety_paths.py",
                                        "tests/test_run_resume.py", "tests/test_cli_existing.py",
                                        "tests/test_ownership.py", "tests/test_cli_apply.py",
                                        "tests/test_aks_metrics.py")),
    "azwizard/journal.py": (None, ("tests/test_journal_file.py", "tests/test_run_vm.py",
                                   "tests/test_cleanup_inventory.py", "tests/test_run_resume.py",
                                   "tests/test_cleanup_delete.py")),
    "azwizard/cleanup/inventory.py": (None, ("tests/test_cleanup_inventory_parts.py", "tests/test_cleanup_inventory_reads.py",
                                             "tests/test_cleanup_inventory.py",
                                             "tests/test_cleanup_discovery.py",
                                             "tests/test_cleanup_takeover.py", "tests/test_cleanup_delete.py",
                                             "tests/test_cleanup_plan.py")),
    "azwizard/cleanup/order.py": (None, ("tests/test_cleanup_order_parts.py", "tests/test_cleanup_plan.py",
                                         "tests/test_cleanup_blockers.py", "tests/test_cleanup_backup.py",
                                         "tests/test_cleanup_delete.py")),
    "azwizard/cleanup/delete.py": (None, ("tests/test_cleanup_delete_journal.py", "tests/test_cleanup_delete.py",
                                          "tests/test_cleanup_delete_retries.py",
                                          "tests/test_safety_paths.py",
                                          "tests/test_cleanup_backup.py", "tests/test_cleanup_plan.py")),
    "azwizard/sshkeys.py": (None, ("tests/test_sshkeys.py", "tests/test_sshkeys_files.py",
                                   "tests/test_safety_paths.py", "tests/test_cli_private_key.py")),
    "azwizard/plan/export_az.py": (None, ("tests/test_export_az_fallbacks.py", "tests/test_export_az_parts.py",
                                         "tests/test_export.py",
                                         "tests/test_cli_az_import.py")),
    "azwizard/plan/export_arm.py": (None, ("tests/test_export_arm_template.py", "tests/test_export_az_parts.py",
                                          "tests/test_export.py")),
    "azwizard/plan/export_aks.py": (None, ("tests/test_export_aks_parts.py", "tests/test_export.py",
                                          "tests/test_plan_aks.py", "tests/test_aks_metrics.py")),
    "azwizard/userfiles.py": (None, ("tests/test_userfiles_reading.py", "tests/test_userfiles_writing.py",
                                     "tests/test_userfiles_limits.py",
                                     "tests/test_cli_bad_input.py",
                                     "tests/test_sshkeys.py", "tests/test_profiles.py")),
    "azwizard/specs/common.py": (("parse_tags_text",), ("tests/test_tags_field.py", "tests/test_profiles.py")),
    "azwizard/rules/model.py": (None, ("tests/test_rules_model.py", "tests/test_rules_vm.py",
                                       "tests/test_rules_aks.py")),
    "azwizard/rules/common.py": (None, ("tests/test_rules_common.py", "tests/test_rules_vm.py",
                                        "tests/test_rules_aks.py")),
    "azwizard/rules/vm.py": (None, ("tests/test_rules_vm_limits.py", "tests/test_rules_vm.py",
                                    "tests/test_safety_paths.py", "tests/test_rules_vm_agreement.py",
                                    "tests/test_export.py")),
    "azwizard/rules/aks.py": (None, ("tests/test_rules_aks_edges.py", "tests/test_rules_aks.py",
                                     "tests/test_rules_aks_agreement.py",
                                     "tests/test_cli_plan.py")),
}

# Tests left out of every run: they interrupt a subprocess at a moment read from its output, which a loaded
# machine misses now and then (a false "killed"), and a subprocess is not traced, so they reach no line here.
DESELECT = ("tests/test_run_resume.py::test_kill_9_or_ctrl_c_then_the_same_command_continues_the_run",
            "tests/test_cli_apply.py::test_ctrl_c_stops_watching_and_exits_130")

# Mutants shown equivalent (they cannot change what anyone observes; docs/testing.md gives each one's reason), by
# their stable key (file|function|mutation|n-th in the function). They are not run (unless --run-equivalent):
# each reaches many tests and survives them all, so running them cost minutes of every full run. The report
# counts them apart. A key that no longer matches a mutant is only a mutant run again.
EQUIVALENT: dict[str, str] = {
    "azwizard/plan/diff.py|compare|True -> False|1": "zip strict: the lengths are compared equal just before",
    "azwizard/plan/diff.py|_merge|return value -> return None|1": "base is None there",
    "azwizard/plan/diff.py|body_for_put|return value -> return None|1": "the caller takes None as the step's body",
    "azwizard/plan/diff.py|refused_changes|1 -> 2|1": "rsplit('.', 2)[-1] is the same last element",
    "azwizard/plan/diff.py|_vnet_refusal|1 -> 2|1": "split(']', 2)[0] is the same first element",
    "azwizard/plan/diff.py|_norm|guard emptied (its return removed)|3": "a bool through float(): True == 1.0",
    "azwizard/plan/diff.py|refused_changes|guard emptied (its continue removed)|1":
        "no refusal prefix, pool rule or VNet rule matches a tags. path",
    "azwizard/plan/diff.py|_vnet_refusal|1 -> 2|2": "split(']', 2)[1] differs only after a second ']'",
    "azwizard/plan/diff.py|_vnet_refusal|return value -> return None|1": "the caller only tests truthiness",
    "azwizard/plan/diff.py|_vnet_refusal|return value -> return None|4": "the caller only tests truthiness",
    "azwizard/plan/diff.py|_vnet_refusal|return value -> return None|6": "the caller only tests truthiness",
    "azwizard/plan/diff.py|_Absent.__repr__|return value -> return None|1":
        "repr only: every output (show, to_dict, the screens) tests 'is ABSENT', none formats it",
    "azwizard/plan/diff.py|_get|guard emptied (its return removed)|1":
        "the exact key is then found by the case-insensitive search: it differs only for two spellings of one "
        "key in one object, which ARM's JSON never has",
    "azwizard/plan/diff.py|_set_path|guard emptied (its return removed)|1":
        "its one path's parent (a role assignment's properties) is in every body: roleDefinitionId and "
        "principalId are required there",
    "azwizard/plan/diff.py|refused_changes|'and' -> 'or'|1":
        "only a cluster has agentPoolProfiles paths, and no cluster property outside them ends in a pool-fixed name",
    "azwizard/run/preflight.py|Ledger._add|'or' -> 'and'|2": "journal.journey is read from the plan event",
    "azwizard/run/preflight.py|Ledger.disproof|return value -> return None|2": "callers only test truthiness",
    "azwizard/run/preflight.py|Ledger.disproof|return value -> return None|4": "callers only test truthiness",
    "azwizard/run/preflight.py|owner_of|True -> False|1": "journal_known is read only for another run's resource",
    "azwizard/run/preflight.py|owner_of|'is not' -> 'is'|2": "journal_known is read only for another run's resource",
    "azwizard/run/preflight.py|rest_body|'and' -> 'or'|1": "no SDK returns a Mapping with serialize()",
    "azwizard/run/preflight.py|read_plan|8 -> 9|1": "only the number of concurrent reads",
    "azwizard/run/executor.py|Runner.__init__|8 -> 9|2": "only the number of concurrent steps",
    "azwizard/run/executor.py|Runner._run|condition negated|5": "explain() returns an AzwizardError unchanged",
    "azwizard/run/executor.py|Runner._body|guard emptied (its return removed)|1":
        "resolving a body that refers to no output gives the same body",
    "azwizard/run/executor.py|Runner._already_created|True -> False|1": "no code reads 'confirmed'",
    "azwizard/run/executor.py|arm_target|guard emptied (its return removed)|1": "getattr(None, ...) is None: ''",
    "azwizard/run/executor.py|Runner._landed|guard emptied (its return removed)|1":
        "writable(kind, None) is {}: compare() then lists every planned value and the next guard returns None",
    "azwizard/run/executor.py|Runner._execute|'and' -> 'or'|8":
        "a landed create's journal line gains 'owner' (this run's own id), a field no code reads",
    "azwizard/journal.py|Journal.record|True -> False|1":
        "sort_keys: only the order of the keys in each JSON line; every reader parses it, or looks for one "
        "\"key\": \"value\" pair",
    "azwizard/cleanup/inventory.py|build_inventory|8 -> 9|1": "only the number of concurrent reads",
    "azwizard/cleanup/delete.py|Deleter.__init__|8 -> 9|1": "only the number of concurrent deletions",
    "azwizard/cleanup/delete.py|Deleter._verified_gone|1 -> 2|1": "only the length of the pauses",
    "azwizard/cleanup/delete.py|Deleter._verified_gone|return value -> return None|3":
        "its one caller tests 'if not self._verified_gone(op)': None is as false as False",
    "azwizard/cleanup/order.py|DeleteOp|False -> True|2":
        "only a backup item's operation reads soft_delete_off, and _backup_drafts always sets it",
    "azwizard/cleanup/order.py|_ordered.rank|3 -> 4|1":
        "the default is never used: every DELETABLE kind and backup items have their KIND_RANK",
    "azwizard/userfiles.py|read_user_text|1 -> 2|1": "only the size of each read (2 << 16)",
    "azwizard/userfiles.py|read_user_text|0 -> 1|1": "os has O_NONBLOCK on every POSIX system: the default is unused",
    "azwizard/userfiles.py|read_user_text|0 -> 1|2": "os has O_NOCTTY on every POSIX system: the default is unused",
    "azwizard/userfiles.py|read_user_text|1 -> 2|2":
        "limit + 2 - total: one byte more asked for; any byte past the limit is refused alike",
    "azwizard/userfiles.py|read_user_text|16 -> 17|1": "only the size of each read (1 << 17)",
    "azwizard/rules/vm.py|nsg_rule_syntax|65535 -> 65536|1": "implied by hi <= 65535 and lo <= hi beside it",
    "azwizard/rules/vm.py|custom_data_size|87380 -> 87381|1": "a base64 length is a multiple of 4; 87380 is one",
    "azwizard/rules/vm.py|_resolved_subnet_ipv4|return value -> return None|3":
        "return '' -> None: its one caller only tests the text's truth (no subnet)",
    "azwizard/rules/vm.py|_port_covers|return value -> return None|3":
        "return False -> None: its one caller, any(), only tests truth",
    "azwizard/rules/vm.py|_source_family|0 -> 1|1":
        "'*' or a service tag as family 1: the callers only ask 'is None' or 'in (4, 6)'",
    "azwizard/rules/aks.py|ephemeral_capacity|0 -> 1|1": "1 byte instead of 0 still holds no OS disk",
    "azwizard/rules/aks.py|ephemeral_capacity|0 -> 1|2": "1 byte instead of 0 still holds no OS disk",
    "azwizard/plan/export_az.py|BodyReader.expect|return value -> return None|2":
        "return False -> None: every caller only tests truthiness or ignores it",
    "azwizard/plan/export_arm.py|ArmContext.scope_value|True -> False|1":
        "zip strict: the names are one per type segment of the same id (parsed, or a step's, one per segment)",
    "azwizard/sshkeys.py|PublicKey.kind|1 -> 2|1": "split(' ', 2)[0] is the same first word",
    "azwizard/sshkeys.py|generate_keypair|384 -> 385|1":
        "0o601 adds only others' execute bit until the chmod to 0o600 on the next lines; never readable",
    "azwizard/sshkeys.py|redact_private_keys|guard emptied (its return removed)|1":
        "the fast path: without those words the pattern matches nothing and the replace changes nothing",
}

# Third-party modules loaded once per worker, before any fork (the children import azwizard afresh).
PRELOAD = ("pytest", "_pytest.python", "_pytest.fixtures", "hypothesis", "pytest_asyncio", "xdist",
           "textual.app", "textual.widgets", "rich.console", "yaml", "cryptography.hazmat.primitives.serialization",
           "azure.core.pipeline", "azure.identity", "azure.mgmt.compute", "azure.mgmt.network",
           "azure.mgmt.containerservice", "azure.mgmt.resource", "azure.mgmt.resource.locks",
           "azure.mgmt.authorization", "azure.mgmt.recoveryservices", "azure.mgmt.recoveryservicesbackup",
           "azure.mgmt.containerregistry", "platformdirs")


# ---------------------------------------------------------------------------------------------- mutants

@dataclass(frozen=True)
class Mutant:
    file: str
    index: int  # the n-th mutation point of the file's AST walk (this run only)
    line: int
    first: int  # the lines that must run for the mutant to make a difference
    last: int
    function: str
    description: str
    key: str  # stable across line moves: file, function, mutation, occurrence in the function

    def label(self) -> str:
        return f"{self.file}:{self.line} ({self.function}) {self.description}"


_CMP_SWAP: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_CMP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
             ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}


def _is_guard(stmt: ast.If) -> bool:
    """An ``if`` whose body ends the function, the loop step or raises (a lone ``raise`` is already a
    "raise removed" mutant)."""
    if len(stmt.body) == 1 and isinstance(stmt.body[0], ast.Raise):
        return False
    return bool(stmt.body) and isinstance(stmt.body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


def _calls_record(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "record")


class _Mutator(ast.NodeTransformer):
    """Walks a module; each mutation point gets the next index. With ``target`` set, applies that one."""

    def __init__(self, functions: tuple[str, ...] | None, target: int | None = None) -> None:
        self.functions = functions
        self.target = target
        # (line shown, the lines that must run for it to matter: first, last; function, description)
        self.points: list[tuple[int, int, int, str, str]] = []
        self.stack: list[str] = []
        self.applied = False

    # -- where to look
    def _active(self) -> bool:
        if self.functions is None:
            return True
        return any(f in self.functions for f in self.stack)

    def _offer(self, node: ast.AST, description: str, make: Callable[[], ast.AST],
               span: tuple[int, int] | None = None) -> ast.AST | None:
        if not self._active():
            return None
        index = len(self.points)
        line = getattr(node, "lineno", 0)
        first, end = span or (line, getattr(node, "end_lineno", None) or line)
        self.points.append((line, first, end, ".".join(self.stack) or "<module>", description))
        if index == self.target:
            self.applied = True
            return make()
        return None

    def _scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        self.stack.append(node.name)
        # Decorators, annotations and docstrings are not behaviour worth mutating here.
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
            node.body[1:] = self._stmts(body)
        else:
            node.body = self._stmts(body)
        if not node.body:
            node.body = [ast.Pass()]
        if not isinstance(node, ast.ClassDef):
            node.args = self.visit(node.args)
        self.stack.pop()
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope  # type: ignore[assignment]

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return node  # annotations

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_Module(self, node: ast.Module) -> ast.AST:
        body = node.body
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
        node.body[start:] = self._stmts(body[start:])
        return node

    def _stmts(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in stmts:
            if isinstance(stmt, ast.ImportFrom | ast.Import):
                out.append(stmt)
                continue
            if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Name) and stmt.test.id == "TYPE_CHECKING":
                out.append(stmt)
                continue
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
                out.append(stmt)
                continue
            replaced = None
            if isinstance(stmt, ast.Raise):
                replaced = self._offer(stmt, "raise removed", lambda s=stmt: ast.copy_location(ast.Pass(), s))
            elif _calls_record(stmt):
                replaced = self._offer(stmt, "journal record(...) removed",
                                       lambda s=stmt: ast.copy_location(ast.Pass(), s))
            elif isinstance(stmt, ast.Return) and stmt.value is not None and not (
                    isinstance(stmt.value, ast.Constant) and stmt.value.value is None):
                replaced = self._offer(stmt, "return value -> return None",
                                       lambda s=stmt: ast.copy_location(ast.Return(value=None), s))
            elif isinstance(stmt, ast.If) and _is_guard(stmt):
                def emptied(s: ast.If = stmt) -> ast.stmt:
                    new = copy.deepcopy(s)
                    new.body = [ast.copy_location(ast.Pass(), s.body[0])]
                    return new
                replaced = self._offer(stmt, f"guard emptied (its {type(stmt.body[-1]).__name__.lower()} removed)",
                                       emptied, (stmt.body[0].lineno, stmt.body[-1].end_lineno or stmt.body[-1].lineno))
            if replaced is not None:
                out.append(replaced)  # type: ignore[arg-type]
                continue
            out.append(self.visit(stmt))
        return out

    # -- statement containers: recurse with _stmts so statement mutations apply at every depth
    def generic_visit(self, node: ast.AST) -> ast.AST:
        for field, value in ast.iter_fields(node):
            if field == "decorator_list":
                continue
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self._stmts(value) or [ast.Pass()])
            elif isinstance(value, list):
                new = []
                for item in value:
                    if isinstance(item, ast.AST):
                        item = self.visit(item)
                    new.append(item)
                setattr(node, field, new)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    def _negate_test(self, node: ast.AST, test: ast.expr) -> ast.expr:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            made = self._offer(test, "'not' removed from condition", lambda: copy.deepcopy(test.operand))
        else:
            made = self._offer(test, "condition negated",
                               lambda: ast.copy_location(ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(test)), test))
        return made if made is not None else self.visit(test)  # type: ignore[return-value]

    def visit_If(self, node: ast.If) -> ast.AST:
        node.test = self._negate_test(node, node.test)
        node.body = self._stmts(node.body) or [ast.Pass()]
        node.orelse = self._stmts(node.orelse)
        return node

    def visit_While(self, node: ast.While) -> ast.AST:
        node.test = self._negate_test(node, node.test)
        node.body = self._stmts(node.body) or [ast.Pass()]
        node.orelse = self._stmts(node.orelse)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        node.test = self._negate_test(node, node.test)
        node.body = self.visit(node.body)
        node.orelse = self.visit(node.orelse)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        node.target = self.visit(node.target)
        node.iter = self.visit(node.iter)
        node.ifs = [self._negate_test(node, t) for t in node.ifs]
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        made = self._offer(node, f"'{'and' if isinstance(node.op, ast.And) else 'or'}' -> "
                                 f"'{'or' if isinstance(node.op, ast.And) else 'and'}'",
                           lambda: ast.copy_location(ast.BoolOp(op=other, values=copy.deepcopy(node.values)), node))
        if made is not None:
            return made
        return self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        for i, op in enumerate(node.ops):
            swap = _CMP_SWAP.get(type(op))
            if swap is None:
                continue

            def make(i: int = i, swap: type = swap) -> ast.AST:
                new = copy.deepcopy(node)
                new.ops[i] = swap()
                return new
            made = self._offer(node, f"'{_CMP_TEXT[type(op)]}' -> '{_CMP_TEXT[swap]}'", make)
            if made is not None:
                return made
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            made = self._offer(node, f"{value} -> {not value}",
                               lambda: ast.copy_location(ast.Constant(value=not value), node))
        elif isinstance(value, int):
            made = self._offer(node, f"{value} -> {value + 1}",
                               lambda: ast.copy_location(ast.Constant(value=value + 1), node))
        else:
            made = None
        return made if made is not None else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return node  # message text: not mutated


def mutants_of(file: str, functions: tuple[str, ...] | None) -> list[Mutant]:
    source = (ROOT / file).read_text(encoding="utf-8")
    walker = _Mutator(functions)
    walker.visit(ast.parse(source))
    seen: dict[tuple[str, str], int] = {}
    out = []
    for index, (line, first, last, function, description) in enumerate(walker.points):
        n = seen[(function, description)] = seen.get((function, description), 0) + 1
        out.append(Mutant(file, index, line, first, last, function, description,
                          f"{file}|{function}|{description}|{n}"))
    return out


def mutated_source(source: str, functions: tuple[str, ...] | None, index: int) -> str:
    walker = _Mutator(functions, target=index)
    tree = walker.visit(ast.parse(source))
    if not walker.applied:
        raise ValueError(f"mutation point {index} not found")
    return ast.unparse(ast.fix_missing_locations(tree))


def chosen(m: Mutant, fraction: float) -> bool:
    h = int.from_bytes(hashlib.sha256(m.key.encode()).digest()[:8], "big")
    return h / 2**64 < fraction


# ---------------------------------------------------------------------------------------------- worker

def make_copy(dest: Path) -> None:
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                    ".hypothesis", "*.egg-info", "snapshot_report.html")
    for name in ("azwizard", "tests", "benchmarks", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copytree(ROOT / "screens", dest / "azwizard" / "screens", ignore=ignore)
    (dest / "screens").symlink_to(dest / "azwizard" / "screens")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)


def _module_name(copy_dir: Path, file: str) -> str:
    rel = Path(file).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level_imports(module: str, path: Path, is_package: bool) -> set[str]:
    """The azwizard modules ``module`` binds at import time (imports inside functions resolve at call time and
    find whatever is in sys.modules then, so they do not count)."""
    out: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if is_package else module.rpartition(".")[0]

    def walk(stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Name) and stmt.test.id == "TYPE_CHECKING":
                walk(stmt.orelse)
                continue
            if isinstance(stmt, ast.Import):
                out.update(a.name for a in stmt.names)
            elif isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    base = package.split(".")
                    base = base[:len(base) - (stmt.level - 1)]
                    name = ".".join(base + ([stmt.module] if stmt.module else []))
                else:
                    name = stmt.module or ""
                out.add(name)
                out.update(f"{name}.{a.name}" for a in stmt.names)
            elif isinstance(stmt, ast.If | ast.Try | ast.With):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for sub in getattr(stmt, field, []):
                        walk(sub.body if isinstance(sub, ast.ExceptHandler) else [sub])
    walk(tree.body)
    return {m for m in out if m.split(".")[0] == "azwizard"}


_IMPORTERS: dict[frozenset[str], dict[str, set[str]]] = {}  # the loaded modules -> who imports whom


def stale_modules(target: str) -> set[str]:
    """The loaded azwizard modules that must be imported again for ``target`` to be the mutant everywhere: the
    target, every module that binds something of it at import time (transitively), and every submodule of a
    package among them (a re-imported package must not find a half of its old self)."""
    loaded = {name: m for name, m in sys.modules.items()
              if name.split(".")[0] == "azwizard" and getattr(m, "__file__", None)}
    key = frozenset(loaded)
    if key not in _IMPORTERS:  # parsing every loaded module costs seconds: once per worker, not once per job
        _IMPORTERS.clear()
        importers: dict[str, set[str]] = {}
        for name, m in loaded.items():
            for dep in _top_level_imports(name, Path(m.__file__), hasattr(m, "__path__")):
                importers.setdefault(dep, set()).add(name)
        _IMPORTERS[key] = importers
    importers = _IMPORTERS[key]
    stale = {target}
    todo = [target]
    while todo:
        name = todo.pop()
        more = set(importers.get(name, ()))
        if hasattr(loaded.get(name), "__path__"):
            more |= {n for n in loaded if n.startswith(name + ".")}
        for n in more - stale:
            stale.add(n)
            todo.append(n)
    return stale


def worker(copy_dir: str) -> None:
    """Read jobs (JSON lines) on stdin; answer each with its outcome on the original stdout."""
    import importlib
    import importlib.metadata
    import importlib.util
    import pkgutil

    os.chdir(copy_dir)
    sys.path.insert(0, copy_dir)
    signal.signal(signal.SIGTERM, _stop)
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever an import prints goes to stderr, not into the answers
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - a module not installed only costs time in the child
            continue
    for ep in importlib.metadata.entry_points(group="pytest11"):  # the pytest plugins, loaded once
        with contextlib.suppress(Exception):
            ep.load()
    # azwizard itself, from the copy: the child imports again only what the mutant makes stale
    import azwizard

    for info in pkgutil.walk_packages(azwizard.__path__, "azwizard."):
        if not info.name.endswith("__main__"):
            with contextlib.suppress(Exception):
                importlib.import_module(info.name)
    _hypothesis_profile()
    _prepare_children()
    stale_of: dict[str, set[str]] = {}
    for line in sys.stdin:
        job = json.loads(line)
        if job.get("coverage"):  # the unmutated tests, recording which test runs which line of the targets
            for f in job["coverage"]:
                module = _module_name(Path(copy_dir), f)
                if module not in stale_of:
                    stale_of[module] = stale_modules(module)
            stale = set().union(*(stale_of[_module_name(Path(copy_dir), f)] for f in job["coverage"]))
            outcome, seconds = _run_child(job["tests"], job["timeout"], stale,
                                          coverage=([str(Path(copy_dir) / f) for f in job["coverage"]], job["out"]))
        else:
            path = Path(copy_dir) / job["file"]
            module = _module_name(Path(copy_dir), job["file"])
            if module not in stale_of:
                stale_of[module] = stale_modules(module)
            cached = Path(importlib.util.cache_from_source(str(path)))
            original = path.read_text(encoding="utf-8")
            killer = Path(copy_dir + ".killer")
            killer.unlink(missing_ok=True)
            functions = tuple(job["functions"]) if job["functions"] is not None else None
            try:
                path.write_text(mutated_source(original, functions, job["index"]), encoding="utf-8")
                cached.unlink(missing_ok=True)  # never a byte-compiled copy of another mutant
                outcome, seconds = _run_child(job["tests"], job["timeout"], stale_of[module],
                                              limits=job.get("limits"))
                if outcome == "error(4)":
                    # pytest's "not found": the mutant changed which tests exist (ids of parametrized tests
                    # computed from the code). Not a kill by itself: the test files run whole instead.
                    files = list(dict.fromkeys(str(t).split("::")[0] for t in job["tests"]))
                    outcome, more = _run_child(files, 3 * job["timeout"], stale_of[module])
                    seconds += more
            finally:
                path.write_text(original, encoding="utf-8")
                cached.unlink(missing_ok=True)
        first_failed = ""
        if not job.get("coverage"):
            with contextlib.suppress(OSError):
                first_failed = Path(copy_dir + ".killer").read_text()
        out.write(json.dumps({"outcome": outcome, "seconds": seconds, "cpu": _cpu_used(),
                              "killer": first_failed}) + "\n")
        out.flush()


def _hypothesis_profile() -> None:
    """The CI profile (tests/conftest.py: derandomized, so the same examples as CI's) without shrinking: a mutant
    is killed by the first failing example; minimising it cost a killed mutant up to ~40 s (export_az ``_nsg``'s
    condition negated, in tests/test_export.py's property test). Registered before the forks; the children's
    conftest loads it by the name ``HYPOTHESIS_PROFILE`` gives."""
    with contextlib.suppress(Exception):
        from hypothesis import Phase, settings

        settings.register_profile("mutation", derandomize=True, database=None,
                                  phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target))
        os.environ["HYPOTHESIS_PROFILE"] = "mutation"


def _prepare_children() -> None:
    """Work every child would repeat, done once before the forks (measured: a killed mutant's child went from
    about 1.2 to 0.2 CPU-s of pytest start-up and collection).

    - Hypothesis' pytest plugin reads the constants of every local module's source at collection
      (``_get_local_constants``: 0.85 CPU-s in each child). It remembers the modules it has read, so reading
      them here leaves a child only the modules it imports afresh (the mutated ones and the test files).
    - tests/conftest.py runs ``gc.collect()`` then ``gc.freeze()`` when collection ends: with the worker's
      heap (the SDK, Textual, azwizard) that walk cost 0.45 CPU-s per child. Frozen here, it walks only what
      the child made.
    """
    import gc
    import warnings

    # a private helper of hypothesis: only time is lost if it moves. Its warning (reading its cache of constants
    # while plugins load) is about start-up time, which this is.
    with contextlib.suppress(Exception), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from hypothesis.internal.conjecture.providers import _get_local_constants

        _get_local_constants()
    # The simulator's catalogs are built on first use and cached (sim/catalog/skus.py, the retail prices):
    # ~0.1 s in every child whose tests start a simulator. Built here once, for the regions the tests use
    # most; a region not warmed is only built in the child, as before. (Only modules no target imports: a
    # mutant never makes them stale.)
    with contextlib.suppress(Exception):
        from azwizard.sim.catalog import skus
        from azwizard.sim.providers import retailprices

        skus.vm_specs()
        for region in ("norwayeast", "westeurope", "norwaywest", "eastus"):
            skus.resource_skus(region)
            retailprices.region_items(region)
    gc.collect()
    gc.freeze()


class _Coverage:
    """A pytest plugin and a trace function: for each line of the target files, the tests that ran it ("" for
    import time), and each test's duration."""

    def __init__(self, files: list[str]) -> None:
        self.files = set(files)
        self.current = ""
        self.hits: dict[str, dict[int, set[str]]] = {f: {} for f in files}
        self.durations: dict[str, float] = {}
        self.setups: dict[str, float] = {}  # each test's setup phase (where module/session fixtures are made)

    def trace(self, frame: object, event: str, arg: object) -> object:
        filename = frame.f_code.co_filename  # type: ignore[attr-defined]
        if filename not in self.files:
            return None
        lines = self.hits[filename]
        current = self.current

        def local(frame: object, event: str, arg: object) -> object:
            if event == "line":
                lines.setdefault(frame.f_lineno, set()).add(self.current)  # type: ignore[attr-defined]
            return local
        lines.setdefault(frame.f_lineno, set()).add(current)  # type: ignore[attr-defined]
        return local

    def pytest_runtest_setup(self, item: object) -> None:
        self.current = item.nodeid  # type: ignore[attr-defined]

    def pytest_runtest_logreport(self, report: object) -> None:
        nodeid = report.nodeid  # type: ignore[attr-defined]
        self.durations[nodeid] = self.durations.get(nodeid, 0.0) + report.duration  # type: ignore[attr-defined]
        if report.when == "setup":  # type: ignore[attr-defined]
            self.setups[nodeid] = report.duration  # type: ignore[attr-defined]

    def pytest_runtest_teardown(self, item: object, nextitem: object) -> None:
        pass

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        self.current = ""

    def dump(self, path: str) -> None:
        Path(path).write_text(json.dumps({"hits": {f: {str(n): sorted(t) for n, t in lines.items()}
                                                   for f, lines in self.hits.items()},
                                          "durations": self.durations, "setups": self.setups}))


class _Killer:
    """A pytest plugin: writes the id of the first test that fails (the one that killed the mutant)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.written = False

    def pytest_runtest_logreport(self, report: object) -> None:
        if not self.written and report.failed:  # type: ignore[attr-defined]
            self.written = True
            with contextlib.suppress(OSError):
                Path(self.path).write_text(report.nodeid)  # type: ignore[attr-defined]


def _forget(stale: set[str]) -> None:
    for name in stale:
        sys.modules.pop(name, None)
    for name in stale:  # a package kept must not hand out the old submodule as an attribute
        parent, _, child = name.rpartition(".")
        if parent and parent not in stale and parent in sys.modules:
            with contextlib.suppress(AttributeError):
                delattr(sys.modules[parent], child)


_CHILD: list[int] = []


def _cpu_used() -> float:
    """CPU seconds of this process and every test run it waited for, so far."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _stop(signum: int, frame: object) -> None:
    """The worker is told to stop: end the test run it started (its own process group) first."""
    for pid in _CHILD:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(1)


_WATCHDOG_EXIT = 86  # a test ran past its own limit (``_Watchdog``): the child ended itself


class _Watchdog:
    """A pytest plugin: ends the test run when one test runs past its limit (seconds, by node id), which the main
    process sets from that test's unmutated time. A mutant that makes a test hang then costs that test's limit
    (a few seconds), not the whole run's timeout; the run's own timeout stays as the backstop."""

    def __init__(self, limits: dict[str, float], killer: str) -> None:
        self.limits = limits
        self.killer = killer

    def pytest_runtest_protocol(self, item: object, nextitem: object) -> None:
        import threading

        nodeid = item.nodeid  # type: ignore[attr-defined]
        limit = self.limits.get(nodeid)
        if limit is None:
            return
        timer = threading.Timer(limit, self._expire, (nodeid,))
        timer.daemon = True
        timer.start()
        self._timer: threading.Timer | None = timer  # cancelled when the test's reports are done

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        timer = getattr(self, "_timer", None)
        if timer is not None:
            timer.cancel()
            self._timer = None

    def _expire(self, nodeid: str) -> None:
        with contextlib.suppress(OSError):
            if not os.path.exists(self.killer):
                Path(self.killer).write_text(nodeid)
        os._exit(_WATCHDOG_EXIT)


def _run_child(tests: list[str], timeout: float, stale: set[str],
               coverage: tuple[list[str], str] | None = None,
               limits: dict[str, float] | None = None) -> tuple[str, float]:
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: its own process group, so a timeout ends what it started too
        code = 3
        try:
            os.setsid()
            if not os.environ.get("MUTATION_VERBOSE"):  # the last run's output, for a baseline that fails
                log = os.open(os.getcwd() + ".log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(log, 1)
                os.dup2(log, 2)
            _forget(stale)
            import threading

            import pytest

            plugins: list[object] = [_Killer(os.getcwd() + ".killer")]
            if limits:
                plugins.append(_Watchdog(limits, os.getcwd() + ".killer"))
            cov = None
            if coverage is not None:
                cov = _Coverage(coverage[0])
                plugins.append(cov)
                sys.settrace(cov.trace)  # type: ignore[arg-type]
                threading.settrace(cov.trace)  # type: ignore[arg-type]
            profile_dir = os.environ.get("MUTATION_PROFILE") if coverage is None else None
            profiler = None
            if profile_dir:  # where a mutant's CPU goes (pstats files, one per test run)
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            # A mutant needs no traceback: formatting one walked every loaded module's file (inspect.getmodule,
            # ~0.25 s a killed mutant with the worker's imports); the baseline keeps them to show what failed.
            tb = ["--tb=no"] if coverage is None else []
            code = int(pytest.main(["-x", "-q", *tb, "--assert=plain", "-p", "no:cacheprovider", "-p", "no:randomly",
                                    "-p", "no:rerunfailures", "-p", "no:unraisableexception", "--no-header",
                                    "-o", "addopts=", *(f"--deselect={d}" for d in DESELECT), *tests],
                                   plugins=plugins))
            if profiler is not None and profile_dir:
                profiler.disable()
                profiler.dump_stats(os.path.join(profile_dir, f"{os.getpid()}.prof"))
            if cov is not None and coverage is not None:
                sys.settrace(None)
                cov.dump(coverage[1])
        finally:
            os._exit(code)
    _CHILD[:] = [pid]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - t0 > timeout:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", time.monotonic() - t0
        time.sleep(0.02)
    seconds = time.monotonic() - t0
    if code == _WATCHDOG_EXIT:  # what the hung test started (its own process group) goes too
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        return "timeout", seconds
    if code == 0:
        return "survived", seconds
    if code in (1, 2, 3):  # tests failed, interrupted (collection / import error), internal error
        return "killed", seconds
    return f"error({code})", seconds


class Worker:
    def __init__(self, base: Path, n: int) -> None:
        self.dir = base / f"w{n}"
        make_copy(self.dir)
        env = dict(os.environ, PYTHONPATH=str(self.dir), HYPOTHESIS_PROFILE="ci",
                   AZWIZARD_MUTATION="1")
        # The copy keeps its byte-compiled modules: without them every child compiled again each module it
        # re-imports and every test file (~65 ms a mutant, measured with PYTHONDONTWRITEBYTECODE=1 set). The
        # mutated module's own .pyc is deleted before and after each mutant (worker()).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", str(self.dir)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env, cwd=self.dir)
        self.job: dict[str, object] | None = None
        self.idle = True

    def send(self, job: dict[str, object]) -> None:
        self.job = job
        self.idle = False
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({k: v for k, v in job.items() if k != "mutant"}) + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.poll() is None and self.job is not None and not self.idle:
            self.proc.terminate()  # it is running a test: it ends that run, then itself
        if self.proc.stdin:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_jobs(workers: list[Worker], jobs: list[dict[str, object]],
             on_result: Callable[[dict[str, object], dict[str, object]], None],
             prepare: Callable[[dict[str, object]], dict[str, object]] = lambda job: job) -> None:
    """Each job to a free worker; ``prepare`` sees a job just before it is sent (to order its tests by what
    the results so far have shown)."""
    pending = list(reversed(jobs))
    busy: dict[int, Worker] = {}
    for w in workers:
        if pending:
            w.send(prepare(pending.pop()))
            assert w.proc.stdout is not None
            busy[w.proc.stdout.fileno()] = w
    while busy:
        ready, _, _ = select.select(list(busy), [], [])
        for fd in ready:
            w = busy.pop(fd)
            assert w.proc.stdout is not None and w.job is not None
            line = w.proc.stdout.readline()
            w.idle = True
            if not line:
                raise SystemExit(f"worker {w.dir} stopped")
            on_result(w.job, {**json.loads(line), "worker": str(w.dir)})
            if pending:
                w.send(prepare(pending.pop()))
                busy[fd] = w


# ---------------------------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--module", action="append", default=[],
                    help="only these modules (a path in TARGETS, or a substring of one); repeatable")
    ap.add_argument("--sample", type=float, default=1.0, help="fraction of the mutants to run (deterministic)")
    ap.add_argument("--workers", type=int, default=2, help="parallel workers (default 2)")
    ap.add_argument("--timeout-factor", type=float, default=3.0,
                    help="a mutant's run times out after this many times its tests' unmutated time + 10 s (min 20 s); "
                         "each test after this many times its own time + --test-grace")
    ap.add_argument("--test-grace", type=float, default=5.0,
                    help="seconds each test may run beyond --timeout-factor times its unmutated time (default 5)")
    ap.add_argument("--line", action="append", default=[], metavar="FILE:LINE",
                    help="only the mutants on this line (e.g. preflight.py:220, as a survivor is printed); "
                         "repeatable")
    ap.add_argument("--tests", action="append", default=[], metavar="TEST_FILE",
                    help="these test files instead of the module's own (to check one new test against one line "
                         "quickly); repeatable")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--run-equivalent", action="store_true",
                    help="run the mutants listed as equivalent too (to see they still survive)")
    ap.add_argument("--json", help="write every outcome to this file")
    ap.add_argument("--without", action="append", default=[], metavar="TEST_FILE",
                    help="leave this test file out; repeatable")
    ap.add_argument("--new", action="append", default=[], metavar="TEST_FILE",
                    help="score before and after these test files in one run: each mutant meets the other tests "
                         "first, and only a survivor meets these; repeatable")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return

    modules = [m for m in TARGETS if not args.module or any(sel in m for sel in args.module)]
    if not modules:
        raise SystemExit(f"no module matches {args.module}; known: {', '.join(TARGETS)}")
    plan: dict[str, list[Mutant]] = {}
    keys: set[str] = set()
    for m in modules:
        functions, _ = TARGETS[m]
        every = mutants_of(m, functions)
        keys |= {x.key for x in every}
        plan[m] = [x for x in every if chosen(x, args.sample)
                   and (not args.line or any(f"{x.file}:{x.line}".endswith(sel) for sel in args.line))]
    unmatched = [k for k in EQUIVALENT if k.split("|")[0] in modules and k not in keys]
    if unmatched:  # the code changed under the list: those mutants now run (and their reasons need a look)
        print("note: listed as equivalent, but no such mutant any more: " + "; ".join(unmatched), flush=True)
    total = sum(len(v) for v in plan.values())
    if args.list:
        for m in modules:
            for x in plan[m]:
                print(x.label())
        print(f"{total} mutants")
        return
    print(f"{total} mutants in {len(modules)} modules (sample {args.sample:g}), {args.workers} worker(s)", flush=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the workers are stopped too (finally)
    t0 = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="azwizard-mutation-"))
    workers = [Worker(base, n) for n in range(max(1, args.workers))]
    results: list[tuple[Mutant, str, float]] = []
    before: dict[str, str] = {}  # with --new: each mutant's outcome without the new tests
    try:
        # 1. The unmutated tests, once per test file, recording which test runs which line of the targets (and
        # proving they pass in the copy).
        files = [m for m in modules if plan[m]]
        def tests_of(m: str) -> tuple[str, ...]:
            return tuple(args.tests) or TARGETS[m][1]

        test_files = list(dict.fromkeys(t for m in files for t in tests_of(m) if t not in args.without))
        hits: dict[str, dict[int, set[str]]] = {m: {} for m in files}
        durations: dict[str, float] = {}
        setups: dict[str, float] = {}  # each test's setup time in the coverage pass

        retried: set[str] = set()
        waited = [0.0]  # seconds the timed-out mutants' runs waited beyond their CPU
        cpu_by_key: dict[str, float] = {}  # each mutant's CPU seconds (its test runs and its worker's share)

        def mutant_key(job: dict[str, object]) -> str:
            m = job["mutant"]
            assert isinstance(m, Mutant)
            return m.key
        dropped: list[str] = []
        cpu_of: dict[str, float] = {}  # each worker's CPU seconds so far (with its test runs)

        def covered(job: dict[str, object], res: dict[str, object]) -> None:
            cpu_of[str(res["worker"])] = float(res.get("cpu", 0.0))  # type: ignore[arg-type]
            test = str(job["tests"][0])  # type: ignore[index]
            if res["outcome"] != "survived":
                log = Path(str(res["worker"]) + ".log")
                with contextlib.suppress(OSError):
                    failed = [x for x in log.read_text(errors="replace").splitlines() if x.startswith("FAILED")
                              or x.startswith("ERROR") or "Error" in x]
                    print("    " + "\n    ".join(failed[-5:]), flush=True)
                if test not in retried:  # a test that fails once under load gets one more run
                    retried.add(test)
                    print(f"  {test} failed unmutated ({res['outcome']}); running it again", flush=True)
                    pending.append(job)
                    return
                print(f"  {test} fails unmutated twice: left out of this run", flush=True)
                dropped.append(test)
                return
            data = json.loads(Path(str(job["out"])).read_text())
            for path, lines in data["hits"].items():  # absolute paths in that worker's copy
                m = next(f for f in files if path.endswith("/" + f))
                for line, tests in lines.items():
                    hits[m].setdefault(int(line), set()).update(tests)
            durations.update(data["durations"])
            setups.update(data.get("setups", {}))
            print(f"  covered by {test}: {res['seconds']:.1f} s", flush=True)

        pending = [{"coverage": files, "tests": [t], "timeout": 1800, "out": str(base / f"cov{i}.json")}
                   for i, t in enumerate(test_files)]
        while pending:
            batch, pending = pending, []
            run_jobs(workers, batch, covered)
        cpu_coverage = sum(cpu_of.values())
        print(f"  coverage pass: {time.monotonic() - t0:.0f} s, {cpu_coverage / 60:.1f} CPU-min", flush=True)

        # 2. Each mutant against the tests that run its lines, fastest first (-x stops at the first failure).
        # With --new, the other tests first; a survivor then meets the new ones ("before" and "after").
        new = set(args.new)
        stage2: list[dict[str, object]] = []
        jobs = []
        for m in files:
            everything = [t for t in durations if t.split("::")[0] in tests_of(m)]
            for x in plan[m]:
                tests: set[str] = set()
                for line in range(x.first, x.last + 1):
                    tests |= hits[m].get(line, set())
                if "" in tests:  # runs at import time: any test of the module may see it
                    tests = set(everything)
                old_tests = sorted((t for t in tests if t.split("::")[0] not in new),
                                   key=lambda t: (durations.get(t, 0.0), t))
                new_tests = sorted((t for t in tests if t.split("::")[0] in new),
                                   key=lambda t: (durations.get(t, 0.0), t))
                if x.key in EQUIVALENT and not args.run_equivalent:
                    results.append((x, "equivalent", 0.0))
                    before[x.key] = "equivalent"
                    continue
                if not tests:
                    results.append((x, "not covered", 0.0))
                    before[x.key] = "not covered"
                    continue
                # the worker writes the mutant's source itself (3 970 parses and unparses took minutes here, one
                # after the other, before the first mutant ran)
                job = {"file": m, "index": x.index, "functions": TARGETS[m][0], "mutant": x, "new_tests": new_tests}
                if old_tests:
                    jobs.append({**job, "tests": old_tests, "timeout": _timeout(old_tests, durations, args)})
                else:
                    before[x.key] = "not covered"
                    stage2.append({**job, "tests": new_tests, "timeout": _timeout(new_tests, durations, args)})
        skipped = sum(1 for _, o, _ in results if o == "equivalent")
        print(f"  {len(jobs) + len(stage2)} mutants to run, {len(results) - skipped} not reached by any test, "
              f"{skipped} listed as equivalent (not run)", flush=True)

        # The tests that killed the mutants so far, by function and by module: a mutant meets them first (the
        # next mutant of a function usually dies by the test that killed the last one), then the rest fastest
        # first. A killed mutant then costs one test, not every faster test that passes before the one that
        # fails; a survivor still runs them all.
        killers_of: dict[tuple[str, str], list[str]] = {}
        kills_in: dict[str, dict[str, int]] = {}

        def prepare(job: dict[str, object]) -> dict[str, object]:
            mutant = job["mutant"]
            assert isinstance(mutant, Mutant)
            near = killers_of.get((mutant.file, mutant.function), [])
            counts = kills_in.get(mutant.file, {})
            tests = list(job["tests"])  # type: ignore[call-overload]

            def rank(t: str) -> tuple[int, float, float]:
                if t in near:
                    return (0, -near.index(t), 0.0)  # the latest killer first
                return (1, -min(counts.get(t, 0), 3), durations.get(t, 0.0))
            ordered = sorted(tests, key=rank)
            return {**job, "tests": ordered, "limits": _limits(ordered, durations, args, setups)}

        def record(job: dict[str, object], res: dict[str, object]) -> None:
            spent = float(res.get("cpu", 0.0)) - cpu_of.get(str(res["worker"]), 0.0)  # type: ignore[arg-type]
            cpu_of[str(res["worker"])] = float(res.get("cpu", 0.0))  # type: ignore[arg-type]
            cpu_by_key[mutant_key(job)] = cpu_by_key.get(mutant_key(job), 0.0) + max(0.0, spent)
            if res["outcome"] == "timeout":  # a hang mostly waits: its wall time, not its CPU, is what it costs
                waited[0] += max(0.0, float(res["seconds"]) - spent)  # type: ignore[arg-type]
            mutant = job["mutant"]
            assert isinstance(mutant, Mutant)
            outcome = str(res["outcome"])
            killer = str(res.get("killer") or "")
            if outcome in ("killed", "timeout") and killer:
                near = killers_of.setdefault((mutant.file, mutant.function), [])
                if killer in near:
                    near.remove(killer)
                near.append(killer)
                counts = kills_in.setdefault(mutant.file, {})
                counts[killer] = counts.get(killer, 0) + 1
            if mutant.key not in before:
                before[mutant.key] = outcome
                later = job["new_tests"]
                if outcome == "survived" and later:
                    stage2.append({**job, "tests": later, "timeout": _timeout(later, durations, args)})  # type: ignore[arg-type]
                    return
            results.append((mutant, outcome, float(res["seconds"])))  # type: ignore[arg-type]
            if outcome == "survived":
                print(f"  survived: {mutant.label()}", flush=True)
            if len(results) % 50 == 0:
                print(f"  {len(results)}/{total} done, {time.monotonic() - t0:.0f} s", flush=True)

        try:
            run_jobs(workers, jobs, record, prepare)
            while stage2:
                batch, stage2[:] = list(stage2), []
                run_jobs(workers, batch, record, prepare)
        except (KeyboardInterrupt, SystemExit):  # stopped: report the mutants run so far
            ran = sum(1 for _, o, _ in results if o not in ("equivalent", "not covered"))
            print(f"\nSTOPPED after {ran} of the {len(jobs) + len(stage2)} mutants to run: the scores below are "
                  "of the mutants run so far (and those not covered or equivalent)", flush=True)
    finally:
        for w in workers:
            w.close()
        shutil.rmtree(base, ignore_errors=True)

    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers and every test run they waited for
    cpu = used.ru_utime + used.ru_stime
    report(results, time.monotonic() - t0, args.json, before if args.new else None, cpu_by_key)
    print(f"CPU time of the workers and their test runs: {cpu / 60:.1f} min "
          f"(about {cpu / 120:.1f} min of wall time on 2 otherwise idle cores)")
    # The coverage pass costs the same whatever the sample; the mutants' part scales with it.
    mutants_cpu = max(0.0, cpu - cpu_coverage)
    full = cpu_coverage + mutants_cpu / max(args.sample, 1e-9)
    # on 2 idle cores: the CPU time over the 2 workers, and the time the hung mutants' runs spent waiting
    full_wall = (full + waited[0] / max(args.sample, 1e-9)) / 2
    print(f"  of which the coverage pass {cpu_coverage / 60:.1f} min, the {len(results)} mutants "
          f"{mutants_cpu / 60:.1f} min ({mutants_cpu / max(1, len(results)):.2f} s each); the timed-out runs "
          f"waited {waited[0] / 60:.1f} min more")
    if args.sample < 1:
        survived = sum(1 for _, o, _ in results if o == "survived")
        print(f"  all the mutants of these modules: about {full / 60:.1f} CPU-min, with the waits about "
              f"{full_wall / 60:.1f} min on 2 idle cores (if the others survive as often as these: "
              f"{survived} of {len(results)}; a survivor runs every test that reaches its line, so a sample whose "
              "survivors were killed since underestimates the rest)")


def _limits(tests: list[str], durations: dict[str, float], args: argparse.Namespace,
            setups: dict[str, float] | None = None) -> dict[str, float]:
    """Each test's own time limit in a mutant's run: ``--timeout-factor`` times its unmutated (traced, so
    generous) time plus ``--test-grace`` seconds. The first test of each file in the run also gets the setup time
    of the file's first test in the coverage pass (``durations`` keeps the order the tests ran in): that one made
    the session- and module-scoped fixtures, which whichever test runs first now makes."""
    opening: dict[str, float] = {}
    for t, d in durations.items():
        opening.setdefault(t.split("::")[0], (setups or {}).get(t, d))
    out: dict[str, float] = {}
    seen: set[str] = set()
    for t in tests:
        f = t.split("::")[0]
        extra = 0.0 if f in seen else opening.get(f, 0.0)
        seen.add(f)
        out[t] = round(args.test_grace + args.timeout_factor * (durations.get(t, 0.0) + extra), 2)
    return out


def _timeout(tests: list[str], durations: dict[str, float], args: argparse.Namespace) -> float:
    return max(20.0, 10 + args.timeout_factor * sum(durations.get(t, 0.0) for t in tests))


def report(results: list[tuple[Mutant, str, float]], elapsed: float, json_path: str | None,
           before: dict[str, str] | None = None, cpu: dict[str, float] | None = None) -> None:
    def dead(outcome: str) -> bool:
        return outcome in ("killed", "timeout")

    by_file: dict[str, list[tuple[Mutant, str, float]]] = {}
    for r in results:
        by_file.setdefault(r[0].file, []).append(r)
    print()
    # score: killed over every mutant (an equivalent one counts as not killed); "not equiv.": killed over the
    # mutants not listed as equivalent
    head = f"{'module':40} {'mutants':>8} {'killed':>7} {'equiv.':>7} {'score':>7} {'not equiv.':>10}"
    print(head + (f" {'before':>7}" if before is not None else ""))
    for f, rs in [*by_file.items(), ("total", results)]:
        killed = sum(1 for _, o, _ in rs if dead(o))
        equivalent = sum(1 for _, o, _ in rs if o == "equivalent")
        line = (f"{f:40} {len(rs):8} {killed:7} {equivalent:7} {100 * killed / max(1, len(rs)):6.1f}% "
                f"{100 * killed / max(1, len(rs) - equivalent):9.1f}%")
        if before is not None:
            line += f" {100 * sum(1 for m, _, _ in rs if dead(before.get(m.key, ''))) / max(1, len(rs)):6.1f}%"
        print(line)
    print(f"({elapsed / 60:.1f} min)")
    survivors = sorted(((m, o) for m, o, _ in results if not dead(o) and o != "equivalent"),
                       key=lambda r: (r[0].file, r[0].line))
    if survivors:
        print("\nsurviving mutants:")
        for m, outcome in survivors:
            print(f"  {m.label()}" + ("" if outcome == "survived" else f"  [{outcome}]"))
    if json_path:
        Path(json_path).write_text(json.dumps([{"file": m.file, "line": m.line, "function": m.function,
                                                "mutation": m.description, "key": m.key, "outcome": o,
                                                **({"before": before.get(m.key)} if before is not None else {}),
                                                "seconds": round(s, 2),
                                                **({"cpu": round(cpu[m.key], 2)} if cpu and m.key in cpu else {})}
                                               for m, o, s in results], indent=1))


if __name__ == "__main__":
    main()
