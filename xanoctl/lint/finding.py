"""What the linter reports: a :class:`Finding`, and the :class:`Problem` a rule yields."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from xanoctl.lint.fixes import UNSAFE, Fix, replace as replacing
from xanoctl.pickling import by_fields
from xanoctl.semantics.masking import mask_text

if TYPE_CHECKING:
    from xanoctl.language.model import Pos

SEVERITIES = ("info", "warning", "error")  # in increasing order of weight


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


Span = tuple[int, int, int, int]  # line, column, end_line, end_column (1-based, end exclusive)


def span(pos: Pos | Span) -> Span:
    """A plain tuple: a model's :class:`Pos` (a named tuple) costs ten times as much to pickle."""
    if type(pos) is tuple:
        return pos
    return (pos.line, pos.column, pos.end_line, pos.end_column)


class Problem(NamedTuple):
    """What a rule yields: where, what, and optionally its :class:`~xanoctl.lint.fixes.Fix`
    (a plain string is taken as an unsafe fix putting that text in place of ``pos``).

    Document rules leave ``path`` and ``obj`` empty (the engine knows them); workspace rules,
    which look across files, fill them in, and name in ``related`` the functions the finding
    is about (the callee), so that ``--changed-since`` can report a caller that a changed
    function breaks.
    """

    pos: Pos | Span
    message: str
    fix: Fix | str | None = None
    path: str = ""
    obj: str = ""
    related: tuple[str, ...] = ()


@by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. Lines and columns are 1-based; ``end_column`` is exclusive.

    ``obj`` names the object the finding is about (``function Workers/X``); with ``path``,
    ``code`` and ``message`` it identifies the finding across line shifts (baselines).
    ``fix`` is the :class:`~xanoctl.lint.fixes.Fix`, when the rule knows one. ``related`` names
    the functions a cross-file finding is about (not part of the reports).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: str
    message: str
    obj: str = ""
    fix: Fix | None = None
    related: tuple[str, ...] = ()

    @property
    def replacement(self) -> str | None:
        """The text to put in place of the finding's range, when the fix is that one edit
        (the JSON report's ``fix``, from before fixes had a model)."""
        fix = self.fix
        if fix is None or len(fix.edits) != 1:
            return None
        edit = fix.edits[0]
        if edit.path or edit.span != (self.line, self.column, self.end_line, self.end_column):
            return None
        return edit.text

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_(self, **changes) -> "Finding":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The JSON contract (issue 3): these keys, extended only by adding keys."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "object": self.obj,
            "fix": self.replacement,
            "fixes": [] if self.fix is None else [fix_dict(self.fix, self.path)],
        }


def fix_dict(fix: Fix, path: str) -> dict:
    """A fix in the JSON report: its edits' paths as the finding's (``path``) or absolute."""
    return {"title": fix.title, "applicability": fix.applicability, "edits": [
        {"path": edit.path or path, "line": edit.line, "column": edit.column, "end_line": edit.end_line,
         "end_column": edit.end_column, "text": edit.text} for edit in fix.edits]}


def make_finding(path: str, code: str, severity: str, problem: Problem, obj: str = "") -> Finding:
    line, column, end_line, end_column = span(problem.pos)
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Finding(
        path=problem.path or path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        code=code,
        severity=severity,
        message=mask_text(problem.message),
        obj=problem.obj or obj,
        fix=_fix(problem, (line, column, end_line, end_column)) if problem.fix else None,
        related=problem.related,
    )


def _fix(problem: Problem, pos: Span) -> Fix | None:
    """The problem's fix; none when it would write a credential (what a report shows masked)."""
    fix = problem.fix
    if isinstance(fix, str):
        fix = replacing(pos, fix, f"Replace with `{fix}`", UNSAFE)
    if any(mask_text(edit.text) != edit.text for edit in fix.edits):
        return None
    title = mask_text(fix.title)
    return fix if title == fix.title else fix._replace(title=title)
