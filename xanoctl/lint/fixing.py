"""``xanoctl lint --fix``: the fixes of the reported findings applied pass after pass, never
making a file worse.

Each pass takes the fixes of the findings the lint reports (suppressed and baselined ones are
not reported, so they are left alone), safe ones only unless ``unsafe``, and applies those that
do not overlap one taken before (the others wait for the next pass, over the fixed text, where
a fix may also have exposed another). A fix that only removes code waits until its file has no
other fix to apply (renaming a misspelt read may be what makes an "unused" variable used). The
fixed texts are linted in memory, not written, until nothing changes (at most
:data:`MAX_PASSES`). Then, file by file:

- a fixed text that does not parse, that still has a finding a fix was for, or that brings a
  finding the original did not have, is left as it was (and named; a file fixed together with
  it by one fix is left too);
- a file whose content changed on disk since it was linted is not overwritten (and named);
- the others are written atomically, with their permissions; a fix writes only its ranges, so
  the line endings, the encoding and every other byte stay as they were.

A finding after the fix is "the same" as one before when it has the same code and its range,
mapped back through the edits, overlaps the old one's (or it has the same object and message).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable

from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoSyntaxError
from xanoctl.lint.apply_fixes import Change, apply_changes, changes, choose, line_starts, map_back, offset, position
from xanoctl.lint.cache import digest
from xanoctl.lint.engine import LintResult
from xanoctl.lint.files import display_path
from xanoctl.lint.finding import Finding
from xanoctl.lint.fixes import Edit

MAX_PASSES = 10

Lint = Callable[[dict[str, bytes] | None], LintResult]  # a lint run, with texts in place of some files


@dataclass
class Left:
    """A file the fixes were not written to, and why."""

    path: str  # as displayed
    reason: str


@dataclass
class FixRun:
    """What ``--fix`` did (or, not writing, would do)."""

    before: LintResult  # the findings before any fix
    result: LintResult  # the findings left
    unsafe: bool
    changed: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # displayed path -> (before, after)
    fixed: int = 0  # findings before that are gone
    left: list[Left] = field(default_factory=list)  # files left as they were
    passes: int = 0

    @property
    def more_unsafe(self) -> int:
        """Findings left that ``--unsafe-fixes`` would fix (none when it was given)."""
        if self.unsafe:
            return 0
        return sum(1 for finding in self.result.findings if finding.fix is not None and not finding.fix.safe)

    def summary(self, written: bool = True) -> str:
        """``Fixed N findings (M remaining, K more fixable with --unsafe-fixes).``"""
        head = "Fixed" if written else "Would fix"
        parts = [f"{len(self.result.findings)} remaining"]
        if self.more_unsafe:
            parts.append(f"{self.more_unsafe} more fixable with --unsafe-fixes")
        return f"{head} {self.fixed} finding{'' if self.fixed == 1 else 's'} ({', '.join(parts)})."


class _State:
    """The fixed texts in memory, and how each came from its original."""

    def __init__(self, before: LintResult):
        self.before = before
        self.originals: dict[str, bytes] = {}  # absolute path -> bytes, as linted
        self.texts: dict[str, str] = {}  # absolute path -> the fixed text
        # absolute path -> each pass's (text before it, changes made to that text)
        self.history: dict[str, list[tuple[str, list[Change]]]] = {}
        self.linked: dict[str, set[str]] = {}  # files fixed together by one fix
        self.left: dict[str, str] = {}  # absolute path -> why it is left as it was

    def text(self, path: str) -> str | None:
        """The current text of ``path``: fixed, else as linted (None, and the file left, when it
        cannot be had as it was linted: it changed since, or it is not UTF-8)."""
        if path in self.texts:
            return self.texts[path]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            self.leave(path, f"cannot read it ({exc.strerror or exc})")
            return None
        if self.before.digests.get(path) != digest(data):
            self.leave(path, "it changed on disk while fixing; run the fix again")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.leave(path, "it is not UTF-8 text")
            return None
        self.originals[path] = data
        return text

    def change(self, path: str, text: str, found: list[Change], fixed: str) -> None:
        self.history.setdefault(path, []).append((text, found))
        self.texts[path] = fixed

    def leave(self, path: str, reason: str) -> None:
        """Put ``path`` back as it was, and the files fixed together with it."""
        todo = [(path, reason)]
        while todo:
            path, reason = todo.pop()
            if path in self.left:
                continue
            self.left[path] = reason
            self.texts.pop(path, None)
            self.history.pop(path, None)
            for other in self.linked.get(path, ()):
                todo.append((other, f"one fix changes it together with {_shown(path)}, left as it was"))

    def overlay(self) -> dict[str, bytes]:
        """The texts to lint: the fixed ones, and the others as they were linted first."""
        out = dict(self.originals)
        out.update((path, text.encode("utf-8")) for path, text in self.texts.items())
        return out

    def span_before(self, path: str, finding: Finding, passes: int | None = None) -> tuple[tuple, tuple]:
        """The range of a finding on the fixed text of ``path`` in the lines and columns of its
        text before the last ``passes`` passes (all of them: the original)."""
        if path not in self.texts:
            return (finding.line, finding.column), (finding.end_line, finding.end_column)
        text = self.texts[path]
        starts = line_starts(text)
        start = offset(text, starts, finding.line, finding.column)
        end = offset(text, starts, finding.end_line, finding.end_column)
        steps = self.history[path] if passes is None else self.history[path][-passes:]
        for _, found in reversed(steps):
            start, end = map_back(found, start), map_back(found, end, end=True)
        first = line_starts(steps[0][0])
        return position(first, start), position(first, end)


def fix(lint: Lint, *, unsafe: bool = False, write: bool = True) -> FixRun:
    """Fix what ``lint`` reports; ``write=False`` changes no file (``--diff``)."""
    before = lint(None)
    state = _State(before)
    result = before
    passes = 0
    while passes < MAX_PASSES:
        left = len(state.left)
        taken = _one_pass(result, state, unsafe)
        if taken or len(state.left) != left:  # (a file left as it was loses its earlier passes too)
            result = lint(state.overlay())
        if not taken:
            break
        passes += 1
        if _persisting(state, result, taken):
            result = lint(state.overlay())
    result, fixed = _judge(lint, state, result)
    if write:
        stale = [path for path in state.texts if _on_disk(path) != state.originals[path]]
        for path in stale:
            state.leave(path, "it changed on disk while fixing; run the fix again")
        if stale:
            result, fixed = _judge(lint, state, lint(state.overlay()))
    run = FixRun(before=before, result=result, unsafe=unsafe, fixed=fixed, passes=passes)
    cwd = os.getcwd()
    for path in sorted(state.texts):
        data = state.texts[path].encode("utf-8")
        if data != state.originals[path]:
            run.changed[_shown(path, cwd)] = (state.originals[path], data)
    run.left = [Left(_shown(path, cwd), reason) for path, reason in sorted(state.left.items())]
    if write:
        _write(state, run, cwd)
    return run


def _one_pass(result: LintResult, state: _State, unsafe: bool) -> dict[str, list[tuple]]:
    """Apply the fixes of ``result`` that can go together. Returns, for each file changed, the
    findings fixed (code, start, end) in the text before this pass."""
    candidates = []
    for number, finding in enumerate(result.findings):
        fix = finding.fix
        if fix is None or not (fix.safe or unsafe):
            continue
        own = result.sources.get(finding.path, finding.path)
        if fix.paths(own) & state.left.keys():
            continue
        candidates.append((number, fix, own))
    # code is removed (an unused `var`...) only once the file's other fixes are in: a fix that
    # renames a read may be what makes the variable used
    busy = {path for _, fix, own in candidates if not _removes(fix) for path in fix.paths(own)}
    candidates = [item for item in candidates if not (_removes(item[1]) and item[1].paths(item[2]) & busy)]
    chosen = set(choose(candidates)[0])
    edits: dict[str, list[Edit]] = {}
    fixed: dict[str, list[tuple]] = {}
    for number, fix, own in candidates:
        if number not in chosen:
            continue
        paths = fix.paths(own)
        for path in paths:
            state.linked.setdefault(path, set()).update(paths - {path})
        for edit in fix.edits:
            edits.setdefault(edit.path or own, []).append(edit)
        finding = result.findings[number]
        fixed.setdefault(own, []).append((finding.code, (finding.line, finding.column),
                                          (finding.end_line, finding.end_column)))
    taken: dict[str, list[tuple]] = {}
    for path, found in edits.items():
        text = state.text(path) if path not in state.left else None
        if text is None:
            continue
        made = changes(text, found)
        fixed_text = apply_changes(text, made)
        if fixed_text == text:
            continue
        problem = _parse_error(fixed_text, path)
        if problem:
            state.leave(path, f"the fixed text does not parse ({problem})")
            continue
        state.change(path, text, made, fixed_text)
        taken[path] = fixed.get(path, [])
    return taken


def _removes(fix) -> bool:
    return all(not edit.text for edit in fix.edits)


def _persisting(state: _State, result: LintResult, taken: dict[str, list[tuple]]) -> bool:
    """Leave as it was a file where a finding this pass fixed is still there (the fix did not
    do what it says, and would be applied again and again); whether one was."""
    stuck = False
    for finding in result.findings:
        path = result.sources.get(finding.path, finding.path)
        if path not in taken or path not in state.texts:
            continue
        start, end = state.span_before(path, finding, passes=1)
        for code, first, last in taken[path]:
            if code == finding.code and start <= last and first <= end:
                state.leave(path, f"the fix of {code} at line {first[0]}, column {first[1]} does not remove it")
                stuck = True
                break
    return stuck


def _parse_error(text: str, path: str) -> str | None:
    from xanoctl.language.parser import parse_documents

    try:
        parse_documents(text, path)
    except XanoSyntaxError as error:
        return f"line {error.line}, column {error.column}: {error.message}"
    return None


def _judge(lint: Lint, state: _State, result: LintResult) -> tuple[LintResult, int]:
    """Leave as it was every fixed file that brings a finding its original did not have; the
    findings left, and how many of those before are gone."""
    while True:
        by_path = _by_path(state.before)
        new: dict[str, Finding] = {}
        gone = sum(len(found) for found in by_path.values())
        for path, found in _by_path(result).items():
            if path not in state.texts and result.digests.get(path) != state.before.digests.get(path):
                continue  # changed on disk by someone else: not ours to judge
            fresh, kept = _compare(state, path, by_path.get(path, []), found)
            gone -= kept
            if fresh:
                new[path] = fresh[0]
        if not new or not state.texts:  # (without a fixed text, nothing new is the fixes' doing)
            return result, gone
        changed = [path for path in new if path in state.texts]
        for path in changed:
            state.leave(path, f"the fix would bring {_describe(new[path])}")
        if not changed:  # a finding in a file no fix changed: put the fixed files back, one by one
            path, finding = next(iter(new.items()))
            state.leave(sorted(state.texts)[0], f"fixing it with the others brings {_describe(finding)} "
                                                f"in {_shown(path)}")
        result = lint(state.overlay())


def _by_path(result: LintResult) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for finding in result.findings:
        out.setdefault(result.sources.get(finding.path, finding.path), []).append(finding)
    return out


def _compare(state: _State, path: str, old: list[Finding], found: list[Finding]) -> tuple[list[Finding], int]:
    """The findings of ``found`` (after) that none of ``old`` (before) was, and how many of
    ``old`` are still there."""
    unmatched = list(old)
    fresh: list[Finding] = []
    later: list[tuple[Finding, tuple]] = []
    for finding in found:  # first the same object and message (a finding that only moved)
        key = (finding.code, finding.obj, finding.message)
        same = next((item for item in unmatched if (item.code, item.obj, item.message) == key), None)
        if same is not None:
            unmatched.remove(same)
        else:
            later.append((finding, state.span_before(path, finding)))
    for finding, (start, end) in later:  # then the same code where it was (a message quoting the code)
        same = next((item for item in unmatched if item.code == finding.code
                     and start <= (item.end_line, item.end_column) and (item.line, item.column) <= end), None)
        if same is not None:
            unmatched.remove(same)
        else:
            fresh.append(finding)
    return fresh, len(old) - len(unmatched)


def _on_disk(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _write(state: _State, run: FixRun, cwd: str) -> None:
    """Write each fixed file atomically, with its permissions (through a symbolic link, which
    stays one)."""
    for path in sorted(state.texts):
        data = state.texts[path].encode("utf-8")
        if data == state.originals[path]:
            continue
        target = os.path.realpath(path)
        try:
            write_atomic(target, data, mode=stat.S_IMODE(os.stat(target).st_mode))
        except OSError as exc:
            shown = _shown(path, cwd)
            run.left.append(Left(shown, f"not written: {exc.strerror or exc}"))
            run.changed.pop(shown, None)


def _describe(finding: Finding) -> str:
    return f"{finding.code} at line {finding.line}, column {finding.column}: {finding.message}"


def _shown(path: str, cwd: str | None = None) -> str:
    return display_path(path, cwd)
