"""One result per test or endpoint, what a run adds up to, and its exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xanoctl.errors import XanoctlError

PASS, FAIL, SKIP = "pass", "fail", "skip"


class NotRun(XanoctlError):
    """The run could not happen at all (bad token, unknown workspace, unreachable instance,
    fixtures that do not fit): exit 2, as the official CLI's."""

    exit_code = 2


@dataclass
class Result:
    """``kind``: ``unit`` or ``workflow`` (a test) or ``endpoint`` (smoke). ``obj_type`` and
    ``obj_name``: the object a unit test belongs to (a workflow test is its own object; an
    endpoint's group). ``path`` and ``line``: where it is declared locally (None when the local
    tree does not have it)."""

    kind: str
    name: str
    obj_type: str
    obj_name: str
    status: str
    message: str = ""
    timing: float | None = None
    path: str | None = None
    line: int | None = None
    details: dict[str, Any] = field(default_factory=dict)  # more for JSON (an endpoint's HTTP status...)

    def as_json(self) -> dict[str, Any]:
        data = {"name": self.name, "obj_type": self.obj_type, "obj_name": self.obj_name, "status": self.status,
                "message": self.message or None, "timing": self.timing, "kind": self.kind,
                "path": self.path, "line": self.line}
        data.update(self.details)
        return data


@dataclass
class Report:
    """Every result, in a stable order (the server's for tests, the tree's for endpoints)."""

    results: list[Result] = field(default_factory=list)
    what: str = "test"  # "test" or "endpoint": the words of the summary

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def passed(self) -> int:
        return self.count(PASS)

    @property
    def failed(self) -> int:
        return self.count(FAIL)

    @property
    def skipped(self) -> int:
        return self.count(SKIP)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed (or there was nothing to run), 1 when something failed."""
        return 1 if self.failed else 0
