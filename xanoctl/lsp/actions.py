"""Code actions (the quick fix of a finding, "ignore CODE for this statement") and the rename
of a function, as the protocol's workspace edits."""

from __future__ import annotations

import re

from lsprotocol import types

from xanoctl.lint import suppress
from xanoctl.lint.finding import Finding
from xanoctl.lsp.positions import position, span_range


class Refused(Exception):
    """A rename that cannot be done safely; the message says why."""


def _overlaps(finding: Finding, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (finding.line, finding.column) <= end and start <= (finding.end_line, finding.end_column)


def code_actions(session, path: str, start: tuple[int, int], end: tuple[int, int]) -> list[types.CodeAction]:
    """The actions for the findings of ``path`` that touch the range ``start``-``end``
    (1-based line and column each)."""
    text = session.open.get(path)
    if text is None:
        return []
    out: list[types.CodeAction] = []
    ignores: list[types.CodeAction] = []
    for finding in session.findings.get(path, []):
        if not _overlaps(finding, start, end):
            continue
        diagnostic = next((d for d in session.published.get(path, ()) if d.code == finding.code
                           and d.message == finding.message), None)
        fix = quick_fix(session, path, finding, diagnostic)
        if fix is not None:
            out.append(fix)
        if finding.code != suppress.CODE:
            action = ignore_action(session, path, finding, diagnostic)
            if action is not None and all(a.title != action.title for a in ignores):
                ignores.append(action)
    everything = fix_all(session, path)
    return out + ignores + ([everything] if everything is not None else [])


def workspace_edit(session, path: str, edits) -> types.WorkspaceEdit | None:
    """A fix's edits (:class:`~xanoctl.lint.fixes.Edit`: 1-based, in characters, ``path`` empty
    for the finding's own file) as the protocol's workspace edit (0-based lines, UTF-16
    columns, each file's text as the editor has it); None when a file cannot be read."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        target = edit.path or path
        lines = session.lines_of(target)
        if lines is None:
            return None
        changes.setdefault(session.uri_for(target), []).append(
            types.TextEdit(range=span_range(lines, edit.span), new_text=edit.text))
    return types.WorkspaceEdit(changes=changes)


def quick_fix(session, path: str, finding: Finding, diagnostic) -> types.CodeAction | None:
    """The finding's own fix (the edits ``xanoctl lint --fix`` makes, not derived again), as a
    workspace edit; a safe fix is the preferred action, an unsafe one says so."""
    fix = finding.fix
    if fix is None:
        return None
    edit = workspace_edit(session, path, fix.edits)
    if edit is None:
        return None
    return types.CodeAction(
        title=fix.title if fix.safe else f"{fix.title} (unsafe fix)", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic is not None else None, is_preferred=fix.safe or None, edit=edit)


def fix_all(session, path: str) -> types.CodeAction | None:
    """Every safe fix of the document that can be applied together (what one pass of
    ``xanoctl lint --fix`` applies to it), as one action."""
    from xanoctl.lint.apply_fixes import choose

    found = [(number, finding.fix, path) for number, finding in enumerate(session.findings.get(path, []))
             if finding.fix is not None and finding.fix.safe]
    if not found:
        return None
    taken, _ = choose(found)
    chosen = {number for number in taken}
    edits = [edit for number, fix, _ in found if number in chosen for edit in fix.edits]
    edit = workspace_edit(session, path, list(dict.fromkeys(edits)))
    if edit is None:
        return None
    from xanoctl.lsp.server import FIX_ALL

    return types.CodeAction(title="Fix all safe xanoctl findings", kind=FIX_ALL, edit=edit)



def ignore_action(session, path: str, finding: Finding, diagnostic) -> types.CodeAction | None:
    """Write ``// xanoctl: ignore[CODE]`` on the line above the statement holding the
    finding (the innermost statement, clause or input field that starts on a line of its own),
    indented as it is."""
    text = session.open[path]
    models = text.models
    line = suppress.covering_start(models, finding.line) if models else finding.line
    if not 0 < line <= len(text.lines):
        return None
    current = text.lines[line - 1]
    indent = current[:len(current) - len(current.lstrip())]
    insert = suppress.comment([finding.code], indent)
    where = position(text.lines, line, 1)
    return types.CodeAction(
        title=f"Ignore {finding.code} for this statement", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic is not None else None,
        edit=types.WorkspaceEdit(changes={session.uri_for(path): [
            types.TextEdit(range=types.Range(start=where, end=where), new_text=insert)]}))


# ---------------------------------------------------------------------------- rename

def rename_target(session, path: str, line: int, column: int):
    """The function whose name stands at ``line:column``, and the span of the name; None
    when no function's name stands there."""
    from xanoctl.lsp.navigation import target_at

    target = target_at(session, path, line, column)
    if target is None or target.kind != "function":
        return None
    return target


def rename(session, path: str, line: int, column: int, new_name: str) -> types.WorkspaceEdit:
    """Rename the function named at ``line:column``: its header and every call of it in the
    workspace, as one edit. Refused when a file that may call it does not parse (its calls
    cannot all be found), or when another function has the new name already."""
    target = rename_target(session, path, line, column)
    owner = session.owner(path)
    if target is None or owner is None:
        raise Refused("no function name here: rename works on a function's name in its header or in a call")
    old = target.name
    if not new_name.strip() or "\n" in new_name:
        raise Refused("the new name is empty or holds a line break")
    index = owner.index_of(path)
    if new_name != old and new_name in index.functions:
        raise Refused(f"a function `{new_name}` exists already")
    fact = index.function(old)
    if fact is None:
        raise Refused(f"`{old}` is not one function of the workspace (missing or defined twice)")
    for other, result in index.files.items():
        if not result.parsed:
            text = session.text_of(other)
            if text is not None and old in text.text:
                raise Refused(f"{_shown(session, other)} does not parse and names `{old}`: its calls cannot be "
                              f"renamed safely; fix its syntax first")
    places: list[tuple[str, tuple]] = [(fact.path, _name_span(session, fact.path, fact.pos))]
    for doc in index.every_document:
        for ref in doc.refs:
            if ref.kind == "function" and ref.name == old:
                places.append((doc.path, ref.pos))
    changes: dict[str, list[types.TextEdit]] = {}
    for place, span in places:
        text = session.text_of(place)
        if text is None or span is None:
            raise Refused(f"{_shown(session, place)} cannot be read")
        written = _slice(text.lines, span)
        if written is None or written.strip("\"'") != old and written != old:
            raise Refused(f"{_shown(session, place)} changed since it was read; try again")
        new_text = _written(new_name, written)
        edit = types.TextEdit(range=span_range(text.lines, span), new_text=new_text)
        edits = changes.setdefault(session.uri_for(place), [])
        if edit not in edits:
            edits.append(edit)
    return types.WorkspaceEdit(changes=changes)


def _shown(session, path: str) -> str:
    import os

    root = session.folder
    return os.path.relpath(path, root) if root and path.startswith(root + os.sep) else path


def _slice(lines, span) -> str | None:
    line, column, end_line, end_column = span
    if line != end_line or not 0 < line <= len(lines):
        return None
    return lines[line - 1][column - 1:end_column - 1]


def _written(name: str, old_written: str) -> str:
    """``name`` written as the old one was: quoted unless it was bare and may stay bare."""
    bare = not old_written.startswith(("\"", "'"))
    if bare and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _name_span(session, path: str, header) -> tuple | None:
    """The name in a header span (``function "X"``: the ``"X"``)."""
    text = session.text_of(path)
    if text is None:
        return None
    line, column, end_line, end_column = header
    if not 0 < line <= len(text.lines):
        return None
    segment = text.lines[line - 1][column - 1:end_column - 1]
    found = re.match(r"[a-z_]+[ \t]+", segment)
    if found is None:
        return None
    return (line, column + found.end(), line, end_column)
