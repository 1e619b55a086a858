"""The emulator's unit and workflow tests (no HTTP here).

The emulator cannot run XanoScript, so a run's outcome is scripted. Unit tests are derived from
the ``test "name" { ... }`` blocks of the stored functions, endpoints and middleware (as Xano
lists them: ``GET /workspace/{id}/unit_test``); workflow tests are the stored ``workflow_test``
documents. A test's outcome is kept on its object (:attr:`StoredObject.outcomes`, so that it
survives in the state file): ``ok`` (the default), ``exception`` with a message, an HTTP
error (``http_status``, with Xano's error body), ``none`` (an answer without a status), a
``timing`` in seconds to report, and a ``delay`` in seconds the run takes to answer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from xanoctl.emulator.store import ApiError, Branch, StoredObject, input_error, not_found, stable_guid

UNIT_KINDS = ("function", "query", "middleware")  # the kinds whose documents hold `test` blocks (semantics/tests.py)
STATUSES = ("ok", "exception", "none")
# Xano's error codes by HTTP status, for a scripted HTTP error
_CODES = {400: "ERROR_CODE_INPUT_ERROR", 401: "ERROR_CODE_UNAUTHORIZED", 403: "ERROR_CODE_ACCESS_DENIED",
          404: "ERROR_CODE_NOT_FOUND", 429: "ERROR_CODE_TOO_MANY_REQUESTS"}


@dataclass(frozen=True)
class UnitTest:
    id: str
    name: str
    obj: StoredObject
    expects: int
    has_input: bool
    description: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description, "obj_id": self.obj.id,
                "obj_name": self.obj.name, "obj_type": self.obj.kind, "expect_count": self.expects,
                "input_count": 1 if self.has_input else 0}


def unit_test_id(obj: StoredObject, name: str) -> str:
    """A unit test's id: a string, stable for one object's test of one name."""
    return _test_id(obj.guid, name)


@functools.lru_cache(maxsize=65536)
def _test_id(guid: str, name: str) -> str:
    digest = stable_guid("unit_test", guid, name).lower().replace("-", "x").replace("_", "y")
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}"


def unit_tests(branch: Branch, obj_type: str | None = None) -> list[UnitTest]:
    """Every unit test of the branch, by object kind, then object id, then place in its file."""
    tests: list[UnitTest] = []
    for kind in UNIT_KINDS:
        if obj_type and kind != obj_type:
            continue
        for obj in sorted(branch.objects[kind].values(), key=lambda o: o.id):
            if "test" in obj.xanoscript:
                tests.extend(UnitTest(unit_test_id(obj, name), name, obj, expects, has_input, description)
                             for name, expects, has_input, description in _blocks(obj.xanoscript))
    return tests


@functools.lru_cache(maxsize=4096)
def _blocks(xanoscript: str) -> tuple[tuple[str, int, bool, str], ...]:
    """(name, expects, has input, description) of each test block of a document (parsed once
    per text: every run looks its test up)."""
    from xanoctl.errors import XanoSyntaxError
    from xanoctl.language import parser
    from xanoctl.semantics.tests import unit_tests as unit_tests_of

    try:
        document = parser.parse_document(xanoscript)
    except XanoSyntaxError:
        return ()
    return tuple((block.target, sum(1 for stmt in block.walk() if stmt.kind.startswith("expect.")),
                  block.setting("input") is not None, str(getattr(block.value("description"), "value", "") or ""))
                 for block in unit_tests_of(document))


def find_unit_test(branches: list[Branch], test_id: str) -> UnitTest:
    for branch in branches:
        for kind in UNIT_KINDS:
            for obj in branch.objects[kind].values():
                if "test" not in obj.xanoscript:
                    continue
                for name, expects, has_input, description in _blocks(obj.xanoscript):
                    if _test_id(obj.guid, name) == test_id:
                        return UnitTest(test_id, name, obj, expects, has_input, description)
    raise not_found(f"unit test {test_id!r} not found")


def outcome_key(test_name: str | None) -> str:
    """The key of an outcome on its object: a unit test's name, or ``run`` for a workflow test."""
    return f"test:{test_name}" if test_name is not None else "run"


def check_outcome(outcome: dict[str, Any]) -> dict[str, Any]:
    """A scripted outcome as given to the admin route, checked: ``status`` (``ok``,
    ``exception``, ``none``), ``message``, ``http_status`` (an error answer instead), ``timing``."""
    status = outcome.get("status", "ok")
    if status not in STATUSES:
        raise input_error(f"Invalid status {status!r}: expected one of {', '.join(STATUSES)}.", "status")
    clean: dict[str, Any] = {"status": status}
    if outcome.get("message") is not None:
        clean["message"] = str(outcome["message"])
    if outcome.get("http_status") is not None:
        code = int(outcome["http_status"])
        if not 400 <= code <= 599:
            raise input_error("Invalid http_status: expected 400 to 599.", "http_status")
        clean["http_status"] = code
    for key in ("timing", "delay"):
        if outcome.get(key) is not None:
            clean[key] = float(outcome[key])
    return clean


def delay_of(obj: StoredObject, test_name: str | None) -> float:
    """How long the scripted run takes before it answers (seconds)."""
    return float(obj.outcomes.get(outcome_key(test_name), {}).get("delay", 0.0))


def run_answer(obj: StoredObject, test_name: str | None, expects: int) -> dict[str, Any]:
    """The answer of ``POST .../run`` for a test of ``obj`` (a unit test's name, or None for a
    workflow test), or the scripted HTTP error raised as :class:`ApiError`."""
    outcome = obj.outcomes.get(outcome_key(test_name), {"status": "ok"})
    if "http_status" in outcome:
        status = outcome["http_status"]
        raise ApiError(status, _CODES.get(status, "ERROR_FATAL"),
                       outcome.get("message", "An unexpected error occurred."))
    timing = outcome.get("timing", 0.001)
    if outcome.get("status", "ok") == "none":
        return {"timing": timing} if "timing" in outcome else {}
    if outcome.get("status", "ok") == "ok":
        answer: dict[str, Any] = {"status": "ok", "timing": timing}
        if test_name is not None:
            answer["results"] = [{"status": "pass"} for _ in range(max(expects, 1))]
        return answer
    message = outcome.get("message", "assertion failed")
    answer = {"status": "exception", "message": message, "timing": timing}
    if test_name is not None:
        answer["results"] = [{"status": "fail", "message": message}]
    return answer
