"""Text reports of push, resume and rollback results: the plan, the conflicts with their
facts, and after a failure what happened to each object; in the colours every command uses
(:func:`xanoctl.ui.colour.paint`) when ``color``: green what was done, red what failed or
refused, yellow what needs a look (a delete in the plan, a write that did not apply, a file
kept), cyan a note, bold a heading."""

from __future__ import annotations

from typing import Callable

from xanoctl.sync.context import Context
from xanoctl.sync.journal import PUSHED, RESTORE_INCOMPLETE, RESTORED, UNDONE, Journal, Step
from xanoctl.sync.plan import Conflict, Plan
from xanoctl.sync.push import DRY_RUN, NOTHING, REFUSED, PushResult
from xanoctl.ui.colour import paint
from xanoctl.ui.words import plural

MAX_LINES = 200


def plan_lines(plan: Plan, apart: frozenset[str] = frozenset(), color: bool = False) -> list[str]:
    """A line per step, but those of the paths listed ``apart`` (shown in their own section)."""
    steps = [s for s in plan.steps if s.path not in apart]
    width = max((len(s.path) for s in steps), default=0)
    lines = [f"  {paint(s.action, 'warning' if s.action == 'delete' else None, color, 7)} {s.path:<{width}}  "
             f"{s.label()}" for s in steps[:MAX_LINES]]
    if len(steps) > MAX_LINES:
        lines.append(f"  ... and {len(steps) - MAX_LINES} more")
    return lines


def preview_lines(operations: list) -> list[str]:
    """The server's dry-run of a --transaction push, one operation per line."""
    shown = [op for op in operations if op.action not in ("delete", "cascade_delete")]
    width = max((len(op.type) for op in shown), default=0)
    names = max((len(op.name) for op in shown), default=0)
    lines = [(f"  {op.action:<9} {op.type:<{width}}  {op.name:<{names}}" + (f"  {op.path}" if op.path else "")
              + (f"  ({op.details})" if op.details else "")).rstrip() for op in shown[:MAX_LINES]]
    if len(shown) > MAX_LINES:
        lines.append(f"  ... and {len(shown) - MAX_LINES} more")
    return lines


def conflict_line(conflict: Conflict, base_lines: Callable[[Conflict], str]) -> str:
    if conflict.reason == "deleted remotely":
        return (f"conflict: {conflict.path}: {conflict.label} was deleted remotely since the last pull "
                f"(pulled at {conflict.pulled_at})")
    extra = base_lines(conflict)
    return (f"conflict: {conflict.path}: {conflict.label} changed remotely since the last pull (remote updated_at "
            f"{conflict.remote_at}, pulled {conflict.pulled_at}{'; ' + extra if extra else ''})")


def changed_lines(ctx: Context, conflict: Conflict) -> str:
    """``+a -b lines against the pulled version`` when the pulled content is at hand."""
    import difflib

    if conflict.remote is None or conflict.remote.xanoscript is None or conflict.entry is None:
        return ""
    base = ctx.base(conflict.entry)
    if base is None:
        return ""
    old = base.decode("utf-8", "replace").splitlines()
    new = conflict.remote.xanoscript.splitlines()
    added = removed = 0
    for line in difflib.unified_diff(old, new, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return f"remote has +{added} -{removed} lines against the pulled version"


def gate_error(lint, verb: str) -> str:
    """Why the lint gate stopped: files the push would break, or errors in the files to push."""
    from xanoctl.lint.finding import severity_rank

    threshold = severity_rank(lint.fail_on)
    broken = sorted({(f.path, f.line) for f in lint.findings
                     if f.path in lint.elsewhere and severity_rank(f.severity) >= threshold})
    if broken:
        where = ", ".join(f"{path}:{line}" for path, line in broken[:4])
        where += f" and {len(broken) - 4} more" if len(broken) > 4 else ""
        return (f"this {verb} would break files it does not touch ({where}; see above): nothing was written; "
                f"fix them and {verb} them too, or {verb} --no-lint")
    return f"lint errors in the files to {verb}: nothing was written; fix them, or {verb} --no-lint"


_FAILED_WORDS = frozenset({"NOT RESTORED", "failed"})
_WARNING_WORDS = frozenset({"not restored", "unchanged", "not sent", "KEPT"})


def _meaning(word: str) -> str:
    """The colour of a step's outcome: what failed, what needs a look, what was done."""
    return "failed" if word in _FAILED_WORDS else "warning" if word in _WARNING_WORDS else "ok"


def _step_word(step: Step, restoring: bool = False) -> tuple[str, str]:
    if restoring and step.restore is None and step.status in ("done", "started", "failed"):
        return "not restored", {"done": "written by the push", "started": "may have been written"}.get(
            step.status, step.error or "")
    if step.restore == "failed":
        return "NOT RESTORED", f"{step.restore_error}; its XanoScript from before the push is in the journal"
    if step.restore == "restored":
        return "restored", ""
    if step.restore == "unchanged":
        return "unchanged", "the write did not apply" + (f": {step.error}" if step.error else "")
    if step.restore == "deleted":
        return "deleted", "created by this push"
    if step.restore == "recreated":
        return "re-created", f"deleted by this push; new id {(step.restored_as or {}).get('id')}"
    if step.restore == "absent":
        return "not created", ""
    if step.restore == "kept":
        return "KEPT", (f"created by this push; no route deletes a {step.kind}: delete it in Xano if it must go, "
                        "then pull")
    if step.status == "pending":
        return "not sent", ""
    if step.status == "done":
        return {"create": "created", "delete": "deleted", "forget": "deleted"}.get(step.action, "updated"), ""
    if step.status == "failed":
        return "failed", step.error or ""
    return step.status, ""


def outcome_lines(journal: Journal, color: bool = False) -> list[str]:
    steps = sorted(journal.steps, key=lambda s: s.seq)
    width = max((len(s.path) for s in steps), default=0)
    restoring = journal.restoring or journal.outcome == RESTORE_INCOMPLETE
    lines = []
    for step in steps[:MAX_LINES]:
        word, detail = _step_word(step, restoring)
        lines.append(f"  {paint(word, _meaning(word), color, 12)} {step.path:<{width}}  {step.label()}"
                     + (f"  ({detail})" if detail else ""))
    if len(steps) > MAX_LINES:
        lines.append(f"  ... and {len(steps) - MAX_LINES} more")
    return lines


def _labelled(line: str, meaning: str, color: bool) -> str:
    """``refused: ...`` with its label (up to the first colon) in the colour of ``meaning``."""
    label, colon, rest = line.partition(":")
    return paint(label + colon, meaning, color) + rest


def render(ctx: Context, result: PushResult, *, verb: str = "push", color: bool = False) -> tuple[list[str], str | None]:
    """(lines for stdout, a final error line or None)."""
    lines: list[str] = [_labelled(f"note: {note}", "info", color) for note in result.notes]
    plan = result.plan
    if result.problems:
        lines += [_labelled(f"refused: {problem}", "failed", color) for problem in result.problems]
    if plan is not None and plan.conflicts:
        lines += [_labelled(conflict_line(c, lambda c: changed_lines(ctx, c)), "failed", color)
                  for c in plan.conflicts]
    if plan is not None and plan.forced:
        lines += [_labelled("forced: " + conflict_line(c, lambda c: changed_lines(ctx, c)).removeprefix("conflict: "),
                            "warning", color) for c in plan.forced]
    journal = result.journal
    if result.outcome == NOTHING:
        said = any(note.startswith("nothing") or "already" in note for note in result.notes)
        return lines + ([] if said else [f"nothing to {verb}"]), None
    if result.outcome == REFUSED:
        if plan is not None and plan.conflicts:
            keep = "; to keep them, merge them into your files first" if verb == "push" else ""
            return lines, (f"{plural(len(plan.conflicts), 'conflict')}: nothing was written; `xanoctl diff --remote` shows the "
                           f"remote changes; `{verb} --force` overwrites them{keep}")
        if result.lint is not None and result.lint.failed:
            from xanoctl.lint.formats import render as render_lint

            lines.append(render_lint(result.lint, "text", color=color))
            lines += [_labelled(f"note: {note}", "info", color) for note in result.lint.notes]
            return lines, gate_error(result.lint, verb)
        return lines, f"nothing was written ({plural(len(result.problems), 'problem')} above)"
    schema = result.schema.lines() if result.schema is not None else []
    if result.outcome == DRY_RUN and plan is not None and result.preview is not None:
        return lines + [paint("would push in one transaction (Xano's dry-run of the import):", "heading", color)] + \
            preview_lines(result.preview) + schema + ["dry run: nothing was written"], None
    if result.outcome == DRY_RUN and plan is not None:
        counts = ", ".join(f"{n} to {action}" for action, n in plan.counts().items() if n)
        apart = frozenset(w.path for w in result.schema.shared) if result.schema and result.schema.reaches_live \
            else frozenset()
        return lines + [paint(f"would {verb} ({counts}):", "heading", color)] + plan_lines(plan, apart, color) + \
            schema + ["dry run: nothing was written"], None
    if result.outcome == "interrupted" and journal is None:
        return lines, "interrupted before any write: nothing was written"
    if journal is None:
        return lines, result.failure
    extra, error = _journal_lines(ctx, result, journal, verb, color)
    return lines + extra, error


def _journal_lines(ctx: Context, result: PushResult, journal: Journal, verb: str,
                   color: bool) -> tuple[list[str], str | None]:
    where = _rel(ctx, journal)
    done = sum(1 for s in journal.steps if s.status == "done")
    if result.outcome == PUSHED:
        lines = outcome_lines(journal, color)
        how = " in one transaction" if journal.header.get("transaction") else ""
        lines.append(paint(f"{_past(result.operation)} {plural(done, 'object')}{how}", "ok", color)
                     + "; xanoctl.lock updated")
        if result.schema is not None and result.schema.reaches_live:
            lines.append(f"{len(result.schema.shared)} of them shared by every branch: written to the live database")
        if result.commit:
            lines.append(f"committed {result.commit[:12]}")
        return lines, None
    lines = []
    if result.failure:
        lines.append(_labelled(f"{verb} failed: {result.failure}", "failed", color))
    lines += [paint("restore:" if result.operation != "undo" else "undo:", "heading", color)] + \
        outcome_lines(journal, color)
    if result.outcome in (RESTORED, UNDONE):
        kept = [step for step in journal.steps if step.restore == "kept"]
        lines.append(paint("the remote is back as it was before the push", "ok", color)
                     + (paint(f", but for {plural(len(kept), 'document')} it created that no route deletes (KEPT "
                              "above)", "warning", color) if kept else "")
                     + " (verified by reading every object back)")
        if result.operation in ("push", "resume", "rollback"):
            recorded = [what for what, yes in (("the new ids of re-created objects",
                                                any(s.restore == "recreated" for s in journal.steps)),
                                               ("the documents kept", bool(kept))) if yes]
            told = f"records {' and '.join(recorded)}" if recorded else "updated"
            lines.append("local files were not modified" + (f"; xanoctl.lock {told}" if result.manifest_changed else ""))
        elif result.manifest_changed:
            lines.append("xanoctl.lock updated to the restored objects")
        if result.operation == "undo":
            lines += _files_lines(result, color)
        if result.commit:
            lines.append(f"committed {result.commit[:12]}")
        lines.append(f"journal: {where}")
        if result.operation == "undo":
            return lines, None
        error = "the push was rolled back" if not result.interrupted else "interrupted: the push was rolled back"
        if kept:
            error += (f", but for {plural(len(kept), 'document')} no route deletes (KEPT above): delete "
                      f"{'it' if len(kept) == 1 else 'them'} in Xano if {'it' if len(kept) == 1 else 'they'} must "
                      "go, then pull")
        return lines, error
    if result.outcome == RESTORE_INCOMPLETE or journal.restoring:
        lines.append(f"journal: {where}")
        return lines, "the restore is incomplete: run `xanoctl rollback --last-push` to try again"
    lines.append(f"journal: {where}")
    return lines, result.failure or "failed"


def _files_lines(result: PushResult, color: bool = False) -> list[str]:
    """What an undo did to the working tree."""
    files = result.files
    if files is None:
        if result.outcome == UNDONE or result.outcome == RESTORED:
            return ["local files were not modified: the push had not finished, so its edits are still yours to "
                    "push"]
        return []
    lines = []
    back = len(files["written"]) + len(files["removed"])
    if back:
        removed = f" ({len(files['removed'])} deleted: files of objects the push created)" if files["removed"] else ""
        lines.append(paint(f"put back {plural(back, 'file')}", "ok", color) + f" as {'it was' if back == 1 else 'they were'} "
                     f"before the push{removed}")
    for path in files["kept"]:
        lines.append(_labelled(f"kept {path}: changed since the push, so left as it is; it still holds the undone "
                               "change, which the next `xanoctl push` would redo (its --dry-run says so)", "warning",
                               color))
    return lines


def _past(operation: str) -> str:
    return {"push": "pushed", "resume": "resumed: pushed", "rollback": "rolled back"}.get(operation, operation)


def _rel(ctx: Context, journal: Journal) -> str:
    try:
        return str(journal.path.relative_to(ctx.state.parent))
    except ValueError:
        return str(journal.path)


# ---------------------------------------------------------------------------- JSON (docs/json.md, "push")


def as_json(ctx: Context, result: PushResult, *, verb: str = "push") -> dict:
    """The result of push, resume or rollback for machines: the same facts as :func:`render`,
    its final error line included."""
    _, error = render(ctx, result, verb=verb)
    plan = result.plan
    journal = result.journal
    return {
        "operation": result.operation,
        "outcome": result.outcome,
        "exit_code": result.exit_code,
        "plan": [_step_json(step) for step in plan.steps] if plan is not None else None,
        "conflicts": [_conflict_json(c) for c in plan.conflicts] if plan is not None else [],
        "forced": [_conflict_json(c) for c in plan.forced] if plan is not None else [],
        "problems": list(result.problems),
        "notes": list(result.notes),
        "lint": ([finding.as_dict() for finding in result.lint.findings] if result.lint is not None else None),
        "preview": ([{"action": op.action, "type": op.type, "name": op.name, "path": op.path or None,
                      "details": op.details or None} for op in result.preview]
                    if result.preview is not None else None),
        "steps": [dict(_step_json(step), result=_step_word(step, journal.restoring)[0])
                  for step in sorted(journal.steps, key=lambda s: s.seq)] if journal is not None else [],
        "files": result.files,
        "journal": _rel(ctx, journal) if journal is not None else None,
        "commit": result.commit,
        "error": error,
    }


def _step_json(step: Step) -> dict:
    return {"action": "delete" if step.action == "forget" else step.action, "path": step.path, "kind": step.kind,
            "name": step.name, "id": step.object_id, "verb": step.verb, "group": (step.group or {}).get("name"),
            "parents": list(step.parents)}


def _conflict_json(conflict: Conflict) -> dict:
    return {"path": conflict.path, "object": conflict.label, "reason": conflict.reason,
            "updated_at": {"pulled": conflict.pulled_at, "remote": conflict.remote_at}}
