"""Tests that cannot pass silently: the project's own modules are imported (a broken import
fails, never skips), a refused usage error is checked for what it tells the user to fix, and
the journal helper of the push tests fails on a damaged line that is not the last."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import journal_events  # noqa: E402

from xanoctl.sync.journal import Journal, Step  # noqa: E402

TESTS = Path(__file__).resolve().parent
# errors that tell a user what to fix: a test that expects one checks what it says
USAGE_ERRORS = {"UsageError", "FaultSpecError", "UnsafePathError"}


def modules_of_the_suite() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(TESTS.glob("*.py"))]


def calls(tree: ast.AST, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
            yield node


def test_the_project_s_own_modules_are_imported_never_skipped():
    skipped = [f"{path.name}:{call.lineno}" for path, tree in modules_of_the_suite() for call in calls(tree, "importorskip")
               if call.args and isinstance(call.args[0], ast.Constant) and str(call.args[0].value).startswith("xanoctl")]
    assert not skipped, f"import xanoctl's modules (a broken one must fail the suite): {skipped}"


def unchecked_usage_errors(tree: ast.Module) -> list[int]:
    """Lines of ``with pytest.raises(E)`` (E a usage error) with no ``match=`` and no assert
    reading the caught exception (``caught.value``) in the same function."""
    found = []
    for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        asserts = " ".join(ast.unparse(n) for n in ast.walk(function) if isinstance(n, ast.Assert))
        for node in ast.walk(function):
            if not isinstance(node, ast.With):
                continue
            for item in node.items:
                call = item.context_expr
                if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "pytest.raises" and call.args):
                    continue
                if ast.unparse(call.args[0]).split(".")[-1] not in USAGE_ERRORS:
                    continue
                if any(k.arg == "match" for k in call.keywords):
                    continue
                name = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
                if name is None or f"{name}.value" not in asserts:
                    found.append(call.lineno)
    return found


def test_every_expected_usage_error_is_checked_for_what_it_says():
    unchecked = [f"{path.name}:{line}" for path, tree in modules_of_the_suite() for line in unchecked_usage_errors(tree)]
    assert not unchecked, f"check the message says what to fix (match=..., or assert on caught.value): {unchecked}"


def test_the_usage_error_check_finds_a_bare_raises():
    bare = ast.parse("def test_x():\n    with pytest.raises(UsageError):\n        f()\n")
    checked = ast.parse("def test_x():\n    with pytest.raises(UsageError) as caught:\n        f()\n"
                        "    assert 'XANO_TOKEN' in str(caught.value)\n")
    matched = ast.parse("def test_x():\n    with pytest.raises(UsageError, match='XANO_TOKEN'):\n        f()\n")
    assert unchecked_usage_errors(bare) == [2]
    assert unchecked_usage_errors(checked) == [] and unchecked_usage_errors(matched) == []


def journal(tmp_path: Path) -> Journal:
    steps = [Step(seq=1, action="update", kind="function", name="a", path="function/a.xs", phase=3, id=1,
                  content="new", sha256="x", before={"xanoscript": "old", "updated_at": 1})]
    made = Journal.create(tmp_path, {"operation": "push", "instance": "http://x/api:meta"}, steps)
    made.record("started", seq=1)
    return made


def test_the_journal_helper_fails_on_a_damaged_line_that_is_not_the_last(tmp_path):
    damaged = journal(tmp_path)
    with open(damaged.path, "ab") as handle:
        handle.write(b"garbage\n")
    damaged.record("done", seq=1, after={"id": 1})
    with pytest.raises(AssertionError, match="line 3 of 4 is damaged"):
        journal_events(damaged.path)


def test_the_journal_helper_reads_past_a_torn_last_line(tmp_path):
    torn = journal(tmp_path)
    with open(torn.path, "ab") as handle:
        handle.write(b'{"type": "done", "seq": 1, "af')  # killed while appending
    assert [event["type"] for event in journal_events(torn.path)] == ["started"]
