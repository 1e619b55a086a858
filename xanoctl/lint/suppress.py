"""Inline suppression: ``// xanoctl: ignore[ID001] reason`` on the line above a statement.

The comment covers the statement (or clause, input field, or whole document) that starts on
the next line of code, nested lines included. Several comments may be stacked above one
statement. A suppression that silences nothing is reported as XS900, as is one that cannot be
read or names an unknown rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from xanoctl.lint.finding import Finding, Problem, Span, make_finding
from xanoctl.lint.fixes import SAFE, UNSAFE, replace
from xanoctl.pickling import by_fields

if TYPE_CHECKING:
    from xanoctl.language.model import Document

CODE = "XS900"
_COMMENT = re.compile(r"^([ \t]*)//[ \t]*xanoctl[ \t]*:(.*)$")
_IGNORE = re.compile(r"ignore\[([^\]]*)\](.*)$")
_CODES = re.compile(r"ignore\[([^\]]*)\]")


@by_fields
@dataclass(slots=True)
class Suppression:
    """``// xanoctl: ignore[CODES] reason`` and the lines it covers."""

    pos: Span  # the comment
    codes: tuple[str, ...]
    reason: str
    first: int  # first line covered
    last: int  # last line covered
    line: Span = (0, 0, 0, 0)  # the comment's whole line, its line break included (to remove it)
    listed: Span = (0, 0, 0, 0)  # the codes between the brackets (to remove one of them)


def spans(docs: list[Document]) -> dict[int, int]:
    """For each line where a statement, clause, setting, field or document starts, the last
    line it covers."""
    out: dict[int, int] = {}

    def add(pos) -> None:
        if pos.end_line > out.get(pos.line, 0):
            out[pos.line] = pos.end_line

    for doc in docs:
        add(doc.pos)
        if doc.stack_pos is not None:
            add(doc.stack_pos)
        for setting in doc.settings:
            add(setting.pos)
            add(setting.value.pos)
        for field in [*(doc.inputs or []), *(doc.schema or [])]:
            add(field.pos)
        for top in [*(doc.stack or []), *doc.blocks]:
            for stmt in top.walk():
                add(stmt.pos)
                for setting in stmt.settings:
                    add(setting.value.pos)
    return out


def scan(text: str, lines: list[str], docs: list[Document], known: Iterable[str]) -> tuple[
        list[Suppression], list[Problem]]:
    """The suppressions of a file, and problems with malformed ones (for XS900)."""
    if "xanoctl" not in text:
        return [], []
    known = set(known)
    found: list[Suppression] = []
    problems: list[Problem] = []
    covered = None
    for index, line in enumerate(lines):
        match = _COMMENT.match(line)
        if not match:
            continue
        line_no = index + 1
        start = len(match.group(1)) + 1
        pos = (line_no, start, line_no, len(line.rstrip("\r")) + 1)
        body = match.group(2).strip()
        ignore = _IGNORE.match(body)
        if not ignore:
            problems.append(Problem(pos, "unreadable suppression; write `// xanoctl: ignore[CODE] reason` "
                                         "on the line above the statement"))
            continue
        codes = tuple(code.strip().upper() for code in re.split(r"[,\s]+", ignore.group(1)) if code.strip())
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            from xanoctl.lint.rules import suggest_code

            hint = suggest_code(unknown[0]) if unknown else None
            what = f"unknown rule `{unknown[0]}`" if unknown else "no rule code"
            advice = f"did you mean `{hint}`?" if hint else "`xanoctl rules` lists the codes"
            problems.append(Problem(pos, f"suppression names {what}; {advice}",
                                    _replaced(line, pos, unknown[0], hint) if hint else None))
            codes = tuple(code for code in codes if code in known)
            if not codes:
                continue
        if covered is None:
            covered = spans(docs)
        target = _next_code_line(lines, index + 1)
        first = target if target is not None else line_no
        last = max(covered.get(first, first), first)
        listed = _CODES.search(line)
        whole = (line_no, 1, line_no + 1, 1) if line_no < len(lines) else (line_no, 1, line_no, len(line) + 1)
        inside = (line_no, listed.start(1) + 1, line_no, listed.end(1) + 1) if listed and not unknown else (0, 0, 0, 0)
        found.append(Suppression(pos, codes, ignore.group(2).strip(), first, last, whole, inside))
    return found, problems


def _replaced(line: str, pos: Span, code: str, hint: str):
    """A fix writing ``hint`` in place of the unknown ``code`` in the brackets, when it is written
    there once (unsafe: the closest code is a guess)."""
    listed = _CODES.search(line)
    if not listed:
        return None
    found = list(re.finditer(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", listed.group(1), re.IGNORECASE))
    if len(found) != 1:
        return None
    start = listed.start(1) + found[0].start() + 1
    return replace((pos[0], start, pos[0], start + len(code)), hint, f"Write `{hint}`", UNSAFE)


def _next_code_line(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("//"):
            return index + 1
    return None


def apply(findings: list[Finding], suppressions: list[Suppression], path: str,
          enabled) -> tuple[list[Finding], list[Finding], int]:
    """Drop the findings a suppression covers. Returns (kept, XS900 findings for suppressions
    that silenced nothing, number suppressed). ``enabled(code)`` tells whether a rule runs on
    this file; a suppression of a rule that does not run is not reported as unused."""
    if not suppressions:
        return findings, [], 0
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        hit = None
        for index, item in enumerate(suppressions):
            if finding.code in item.codes and item.first <= finding.line <= item.last:
                hit = index
                break
        if hit is None:
            kept.append(finding)
        else:
            used.add((hit, finding.code))
    unused: list[Finding] = []
    for index, item in enumerate(suppressions):
        idle = [code for code in item.codes if (index, code) not in used and enabled(code)]
        for code in idle:
            todo = ("remove this comment" if len(idle) == len(item.codes)
                    else f"remove `{code}` from `ignore[{', '.join(item.codes)}]`")
            message = f"unused suppression: the statement below has no {code} finding; {todo}"
            unused.append(make_finding(path, CODE, "warning", Problem(item.pos, message, _fix(item, idle))))
    return kept, unused, len(findings) - len(kept)


def _fix(item: Suppression, idle: list[str]):
    """Remove the comment when it silences nothing, else the codes it has no use for."""
    if not item.line[0]:  # read from an older cache
        return None
    if len(idle) == len(item.codes):
        return replace(item.line, "", "Remove the unused suppression", SAFE)
    if not item.listed[0]:  # the brackets hold more than the codes read (an unknown one)
        return None
    kept = ", ".join(code for code in item.codes if code not in idle)
    gone = ", ".join(f"`{code}`" for code in idle)
    return replace(item.listed, kept, f"Remove {gone} from the suppression", SAFE)


def covering_start(docs: list[Document], line: int) -> int:
    """The line where the innermost statement holding ``line`` starts (else the innermost
    clause, input field or document): a suppression comment written above it covers ``line``."""
    best = None
    for doc in docs:
        for top in [*(doc.stack or []), *doc.blocks]:
            for stmt in top.walk():
                if stmt.pos.line <= line <= stmt.pos.end_line and (best is None or stmt.pos.line > best):
                    best = stmt.pos.line
    if best is None:
        for start, last in spans(docs).items():
            if start <= line <= last and (best is None or start > best):
                best = start
    return best if best is not None else line


def comment(codes: Iterable[str], indent: str = "", reason: str = "") -> str:
    """The suppression comment of ``codes``, as a line (its line break included)."""
    text = f"{indent}// xanoctl: ignore[{', '.join(codes)}]"
    return f"{text} {reason}\n" if reason else text + "\n"
