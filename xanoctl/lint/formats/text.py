"""``--format text``: one finding per paragraph, with the source line and a caret; ``[*]``
marks a finding that ``--fix`` fixes::

    workspace/function/Tasks/Sync.xs:12:27: FP003 [*] error: `$result.people`: ... read `$result.data.people`
        var $synced { value = $result.people|count }
                              ^^^^^^^^^^^^^^
"""

from __future__ import annotations

import re
import unicodedata

from xanoctl.lint.engine import LintResult
from xanoctl.lint.finding import Finding
from xanoctl.semantics.masking import mask_line

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_WIDTH = 160


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Control characters from a file (an escape sequence, a NUL) shown as one � each: the
    report never drives the terminal, and columns stay in place."""
    return _CONTROL.sub("\ufffd", text)


def render(result: LintResult, *, color: bool = False) -> str:
    blocks: list[str] = []
    cache: dict[str, list[str] | None] = {}
    for finding in result.findings:
        path, message = _clean(finding.path), _clean(finding.message)
        mark = " [*]" if finding.fix is not None and finding.fix.safe else ""
        head = f"{path}:{finding.line}:{finding.column}: {finding.code}{mark} {finding.severity}: {message}"
        if color:
            head = (f"{_BOLD}{path}:{finding.line}:{finding.column}:{_RESET} "
                    f"{_COLORS[finding.severity]}{finding.code}{_RESET}{mark} "
                    f"{_COLORS[finding.severity]}{finding.severity}{_RESET}: {message}")
        source = _source_lines(result.sources.get(finding.path, finding.path), cache)
        excerpt = _excerpt(finding, source, result.secrets.get(finding.path, ()))
        blocks.append(head + ("\n" + excerpt if excerpt else ""))
    blocks.append(summary(result) + fixable(result))
    return "\n".join(blocks)


def summary(result: LintResult) -> str:
    """``Found 3 problems (2 errors, 1 warning) in 2 files (5 checked).``: the files the problems
    are in (with ``--changed-since``, unchanged callers included), and how many were checked."""
    files = _files(result.files)
    counts = result.counts()
    total = len(result.findings)
    if total:
        parts = [f"{n} {level}{'' if n == 1 else 's'}" for level, n in counts.items() if n]
        holding = len({finding.path for finding in result.findings})
        checked = "" if holding == result.files else f" ({result.files} checked)"
        text = f"Found {total} problem{'' if total == 1 else 's'} ({', '.join(parts)}) in {_files(holding)}{checked}."
    else:
        text = f"No problems in {files}."
    extra = []
    if result.suppressed:
        extra.append(f"{result.suppressed} suppressed inline")
    if result.baselined:
        extra.append(f"{result.baselined} in the baseline")
    if result.callers:
        extra.append(f"{result.callers} in unchanged files that the change breaks")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def fixable(result: LintResult) -> str:
    """``[*] 6 fixable with --fix (6 more with --unsafe-fixes).`` on a line of its own, when
    some findings have a fix."""
    safe = sum(1 for finding in result.findings if finding.fix is not None and finding.fix.safe)
    unsafe = sum(1 for finding in result.findings if finding.fix is not None and not finding.fix.safe)
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"\n{unsafe} fixable with --unsafe-fixes."
    return f"\n[*] {safe} fixable with --fix" + (f" ({unsafe} more with --unsafe-fixes)." if unsafe else ".")


def _source_lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
            cache[path] = [line.rstrip("\r") for line in text.split("\n")]
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    return cache[path]


def _excerpt(finding: Finding, lines: list[str] | None, secrets=()) -> str:
    """The finding's line, credentials masked (SEC001's, and tokens of a known format), with
    carets under the finding."""
    if not lines or not 0 < finding.line <= len(lines):
        return ""
    line = _clean(mask_line(lines[finding.line - 1], finding.line, secrets).rstrip())
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = max(min(end, len(line)), start + 1)
    offset = 0
    if len(line) > _WIDTH:  # keep a window around the column
        offset = max(0, min(start - 40, len(line) - _WIDTH))
        line = ("…" if offset else "") + line[offset:offset + _WIDTH]
        shift = offset - (1 if offset else 0)
        start, end = start - shift, min(end - shift, len(line))
    pad = "".join(ch if ch == "\t" else " " * _width(ch) for ch in line[:start])
    carets = sum(4 if ch == "\t" else _width(ch) for ch in line[start:end])
    return f"    {line}\n    {pad}{'^' * max(carets, 1)}"


def _width(ch: str) -> int:
    """Terminal columns of one character: 2 for wide (CJK, most emoji), 0 for combining marks."""
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
