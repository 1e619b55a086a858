"""Text reports of push, resume and rollback results: the plan, the conflicts with their
facts, and after a failure what happened to each object."""

from __future__ import annotations

from typing import Callable

from xanoctl.sync.context import Context
from xanoctl.sync.journal import PUSHED, RESTORE_INCOMPLETE, RESTORED, UNDONE, Journal, Step
from xanoctl.sync.plan import Conflict, Plan
from xanoctl.sync.push import DRY_RUN, NOTHING, REFUSED, PushResult

MAX_LINES = 200


def plan_lines(plan: Plan, apart: frozenset[str] = frozenset()) -> list[str]:
    """A line per step, but those of the paths listed ``apart`` (shown in their own section)."""
    steps = [s for s in plan.steps if s.path not in apart]
    width = max((len(s.path) for s in steps), default=0)
    lines = [f"  {s.action:<7} {s.path:<{width}}  {s.label()}" for s in steps[:MAX_LINES]]
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
        return "pushed", ""
    if step.status == "failed":
        return "failed", step.error or ""
    return step.status, ""


def outcome_lines(journal: Journal) -> list[str]:
    steps = sorted(journal.steps, key=lambda s: s.seq)
    width = max((len(s.path) for s in steps), default=0)
    restoring = journal.restoring or journal.outcome == RESTORE_INCOMPLETE
    lines = []
    for step in steps[:MAX_LINES]:
        word, detail = _step_word(step, restoring)
        lines.append(f"  {word:<12} {step.path:<{width}}  {step.label()}" + (f"  ({detail})" if detail else ""))
    if len(steps) > MAX_LINES:
        lines.append(f"  ... and {len(steps) - MAX_LINES} more")
    return lines


def render(ctx: Context, result: PushResult, *, verb: str = "push") -> tuple[list[str], str | None]:
    """(lines for stdout, a final error line or None)."""
    lines: list[str] = [f"note: {note}" for note in result.notes]
    plan = result.plan
    if result.problems:
        lines += [f"refused: {problem}" for problem in result.problems]
    if plan is not None and plan.conflicts:
        lines += [conflict_line(c, lambda c: changed_lines(ctx, c)) for c in plan.conflicts]
    if plan is not None and plan.forced:
        lines += ["forced: " + conflict_line(c, lambda c: changed_lines(ctx, c)).removeprefix("conflict: ")
                  for c in plan.forced]
    journal = result.journal
    if result.outcome == NOTHING:
        said = any(note.startswith("nothing") or "already" in note for note in result.notes)
        return lines + ([] if said else [f"nothing to {verb}"]), None
    if result.outcome == REFUSED:
        if plan is not None and plan.conflicts:
            keep = "; to keep them, merge them into your files first" if verb == "push" else ""
            return lines, (f"{len(plan.conflicts)} conflict(s): nothing was written; `xanoctl diff --remote` shows the "
                           f"remote changes; `{verb} --force` overwrites them{keep}")
        if result.lint is not None and result.lint.failed:
            from xanoctl.lint.formats import render as render_lint

            lines.append(render_lint(result.lint, "text", color=False))
            lines += [f"note: {note}" for note in result.lint.notes]
            return lines, gate_error(result.lint, verb)
        return lines, f"nothing was written ({len(result.problems)} problem(s) above)"
    schema = result.schema.lines() if result.schema is not None else []
    if result.outcome == DRY_RUN and plan is not None and result.preview is not None:
        return lines + ["would push in one transaction (Xano's dry-run of the import):"] + preview_lines(
            result.preview) + schema + ["dry run: nothing was written"], None
    if result.outcome == DRY_RUN and plan is not None:
        counts = ", ".join(f"{n} to {action}" for action, n in plan.counts().items() if n)
        apart = frozenset(w.path for w in result.schema.shared) if result.schema and result.schema.reaches_live \
            else frozenset()
        return lines + [f"would {verb} ({counts}):"] + plan_lines(plan, apart) + schema + [
            "dry run: nothing was written"], None
    if result.outcome == "interrupted" and journal is None:
        return lines, "interrupted before any write: nothing was written"
    if journal is None:
        return lines, result.failure
    extra, error = _journal_lines(ctx, result, journal, verb)
    return lines + extra, error


def _journal_lines(ctx: Context, result: PushResult, journal: Journal, verb: str) -> tuple[list[str], str | None]:
    where = _rel(ctx, journal)
    done = sum(1 for s in journal.steps if s.status == "done")
    if result.outcome == PUSHED:
        lines = outcome_lines(journal)
        how = " in one transaction" if journal.header.get("transaction") else ""
        lines.append(f"{_past(result.operation)} {done} object(s){how}; xanoctl.lock updated")
        if result.schema is not None and result.schema.reaches_live:
            lines.append(f"{len(result.schema.shared)} of them shared by every branch: written to the live database")
        if result.commit:
            lines.append(f"committed {result.commit[:12]}")
        return lines, None
    lines = []
    if result.failure:
        lines.append(f"{verb} failed: {result.failure}")
    lines += ["restore:" if result.operation != "undo" else "undo:"] + outcome_lines(journal)
    if result.outcome in (RESTORED, UNDONE):
        lines.append("the remote is back as it was before the push (verified by reading every object back)")
        if result.operation in ("push", "resume", "rollback"):
            lines.append("local files were not modified" + ("; xanoctl.lock records the new ids of re-created objects"
                                                            if result.manifest_changed else ""))
        elif result.manifest_changed:
            lines.append("xanoctl.lock updated to the restored objects")
        if result.operation == "undo":
            lines += _files_lines(result)
        if result.commit:
            lines.append(f"committed {result.commit[:12]}")
        lines.append(f"journal: {where}")
        if result.operation == "undo":
            return lines, None
        return lines, "the push was rolled back" if not result.interrupted else "interrupted: the push was rolled back"
    if result.outcome == RESTORE_INCOMPLETE or journal.restoring:
        lines.append(f"journal: {where}")
        return lines, "the restore is incomplete: run `xanoctl rollback --last-push` to try again"
    lines.append(f"journal: {where}")
    return lines, result.failure or "failed"


def _files_lines(result: PushResult) -> list[str]:
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
        removed = f" ({len(files['removed'])} removed: files of objects the push created)" if files["removed"] else ""
        lines.append(f"put back {back} file(s) as they were before the push{removed}")
    for path in files["kept"]:
        lines.append(f"kept {path}: changed since the push, so left as it is; it still holds the undone change, "
                     "which the next `xanoctl push` would redo (its --dry-run says so)")
    return lines


def _past(operation: str) -> str:
    return {"push": "pushed", "resume": "resumed: pushed", "rollback": "rolled back"}.get(operation, operation)


def _rel(ctx: Context, journal: Journal) -> str:
    try:
        return str(journal.path.relative_to(ctx.state.parent))
    except ValueError:
        return str(journal.path)
