"""``xanoctl push``: ship local changes, never overwriting a remote change, never leaving the
workspace half-pushed (design.md, "Push and rollback").

1. Plan (:mod:`xanoctl.sync.plan`): updates, creates, deletes (``delete=True``); the remote is
   read now, and each object to change is snapshotted.
2. Conflicts: an object changed remotely since the last pull is refused (``force`` overrides).
   Tables, shared by every branch: written from a branch other than the live one, or losing
   data, only as ``permission`` allows (:mod:`xanoctl.sync.sharedschema`; a question on a
   terminal about data loss is asked last, after the lint gate).
3. Lint gate (:mod:`xanoctl.sync.gate`): the workspace as it will be after the push is linted;
   errors in the files to push, and any finding the push causes in a file it does not touch
   (a caller it breaks), stop it (``lint=False`` skips it).
4. Journal (:mod:`xanoctl.sync.journal`): plan and snapshots on disk before the first write.
5. Apply (:mod:`xanoctl.sync.apply`), phase by phase, writes concurrent within a phase.
6. On any failure (a rejection, retries exhausted, Ctrl-C): restore (:mod:`xanoctl.sync.restore`)
   and report; local files are not modified (the manifest changes only when a restore had to
   re-create a deleted object, whose id is then new).
7. On success: ``xanoctl.lock`` updated, pushed content kept as the new "pulled" content,
   optionally a git commit of exactly the pushed files and the manifest.

:func:`resume` finishes a push whose process died, from its journal. :func:`execute` is the
safe push itself, shared with ``rollback``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from xanoctl.sync import history, lockupdate, multidoc, sharedschema
from xanoctl.sync.apply import after_of, apply_steps, group_id_of
from xanoctl.sync.gate import lint_gate
from xanoctl.xano.client import AsyncXanoClient, XanoApiError
from xanoctl.sync.context import Context
from xanoctl.errors import XanoctlError
from xanoctl.sync.journal import (PUSHED, RESTORE_INCOMPLETE, RESTORED, UNDONE, Journal, JournalError, Step,
                             exclusive, last_journal, prune)
from xanoctl.sync.localscan import selection
from xanoctl.sync.manifest import MANIFEST_NAME, Manifest, instance_origin, save_manifest, sha256_bytes
from xanoctl.sync.plan import Candidate, Conflict, Plan, check_remote, local_changes
from xanoctl.sync.pull import check_manifest
from xanoctl.sync.restore import find_by_name, restore
from xanoctl.sync.sharedschema import Permission, Verdict

NOTHING, REFUSED, DRY_RUN, INTERRUPTED = "nothing", "refused", "dry-run", "interrupted"
RESUMABLE = ("push", "resume", "rollback")
MAX_LISTED = 100


@dataclass
class PushResult:
    operation: str  # push, resume, rollback, undo
    outcome: str = NOTHING  # nothing, refused, dry-run, pushed, restored, restore-incomplete, undone, interrupted
    plan: Plan | None = None
    journal: Journal | None = None
    failure: str | None = None  # what made the push fail
    interrupted: bool = False
    lint: Any = None  # xanoctl.lint.engine.LintResult of the gate
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    commit: str | None = None
    manifest_changed: bool = False
    preview: list[Any] | None = None  # the server's dry-run operations of a --transaction push
    files: dict[str, list[str]] | None = None  # an undo's working tree: written, removed, kept
    schema: Verdict | None = None  # its writes to the objects every branch shares, and the data they destroy

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        if self.outcome in (NOTHING, DRY_RUN, PUSHED, UNDONE) and not self.problems:
            return 0
        if self.outcome == RESTORED and self.operation == "undo":
            return 0
        return 1


Gate = Callable[[Plan], Any]


# ---------------------------------------------------------------------------- push


def push(ctx: Context, paths: Sequence[str] = (), *, force: bool = False, dry_run: bool = False,
         lint: bool = True, delete: bool = False, commit: bool = False, transaction: bool = False,
         permission: Permission = Permission()) -> PushResult:
    with exclusive(ctx.state):
        ctx.sweep()
        refuse_unfinished(ctx)
        prefixes = selection(ctx.folder, list(paths))
        candidates, problems, notes = local_changes(ctx.folder, ctx.manifest, prefixes, delete=delete, base=ctx.base)
        notes += redo_notes(ctx, candidates)
        if problems:
            return PushResult("push", REFUSED, problems=problems, notes=notes)
        if not candidates:
            return PushResult("push", NOTHING, notes=notes)
        repo = history.repository(ctx.folder.root, "or push without --commit") if commit and not dry_run else None
        result = execute(ctx, candidates, operation="push", force=force, dry_run=dry_run,
                         gate=lint_gate(ctx) if lint else None, commit=commit, transaction=transaction,
                         permission=permission)
        result.notes = notes + result.notes
        if result.outcome == PUSHED:
            finish(ctx, result, repo)
        else:
            close_restore(ctx, result)
        return result


def redo_notes(ctx: Context, candidates: list[Candidate]) -> list[str]:
    """What in this push redoes the change ``rollback --last-push`` undid: a file that holds
    again what the undone push wrote, or one the undo left as it was (changed since)."""
    journal = last_journal(ctx.state)
    if journal is None or journal.outcome != UNDONE:
        return []
    done = {step.path: step for step in journal.steps if step.status == "done"}
    notes = []
    for c in candidates:
        step = done.get(c.path)
        if step is None:
            continue
        if c.path in journal.kept or (c.content is not None and c.content == step.content) \
                or (c.action == "delete" and step.action == "delete"):
            notes.append(f"{c.path}: this {c.action} redoes the change `xanoctl rollback --last-push` undid "
                         f"(push {journal.id})")
    return notes


def refuse_unfinished(ctx: Context) -> None:
    journal = last_journal(ctx.state)
    if journal is None or journal.finished:
        return
    if journal.outcome == RESTORE_INCOMPLETE or journal.restoring:
        raise XanoctlError(f"the {journal.header.get('operation', 'push')} {journal.id} failed and its restore did not "
                           "finish: run `xanoctl rollback --last-push` to finish restoring first")
    operation = journal.header.get("operation", "push")
    finish_it = "`xanoctl push --resume` to finish it, or " if operation in RESUMABLE else ""
    raise XanoctlError(f"the {operation} {journal.id} did not finish ({journal.progress()}): run "
                       f"{finish_it}`xanoctl rollback --last-push` to undo it")


# ---------------------------------------------------------------------------- the safe push


def execute(ctx: Context, candidates: list[Candidate], *, operation: str, force: bool = False,
            dry_run: bool = False, gate: Gate | None = None, description: str = "",
            commit: bool = False, transaction: bool = False, permission: Permission = Permission()) -> PushResult:
    """Plan, check, journal, apply, and restore on failure. On success the outcome is
    ``pushed`` and the caller calls :func:`finish` (after writing files, for a rollback).
    ``transaction``: write in one multidoc import where the workspace takes them
    (:mod:`xanoctl.sync.multidoc`). ``permission``: what may be done to the objects every
    branch shares and to their data (:mod:`xanoctl.sync.sharedschema`)."""
    result = PushResult(operation)
    try:
        return run_loop(_execute(ctx, candidates, result, force, dry_run, gate, description, commit,
                                 transaction, permission))
    except KeyboardInterrupt:  # a second Ctrl-C, during the restore
        result.interrupted = True
        result.outcome = RESTORE_INCOMPLETE if result.journal is not None else INTERRUPTED
        result.failure = "interrupted again while restoring"
        return result


async def _execute(ctx: Context, candidates: list[Candidate], result: PushResult, force: bool, dry_run: bool,
                   gate: Gate | None, description: str, commit: bool, transaction: bool,
                   permission: Permission) -> PushResult:
    config = ctx.config
    instance, workspace, token = config.require_remote()
    async with AsyncXanoClient(instance, token, workspace, config.branch, config.http) as client:
        try:
            check_manifest(ctx.manifest, workspace, config.branch, ctx.folder.root, instance_origin(instance))
            plan = await check_remote(client, candidates, ctx.manifest, force=force)
        except asyncio.CancelledError:
            return _interrupted_before_writing(result)
        result.plan = plan
        result.notes += plan.notes
        if plan.problems or plan.conflicts:
            result.problems += plan.problems
            result.outcome = REFUSED
            return result
        if not plan.steps:
            return result
        try:
            result.schema = await sharedschema.check(client, sharedschema.of_steps(plan.steps), config.branch)
        except asyncio.CancelledError:
            return _interrupted_before_writing(result)
        if result.schema is not None and not dry_run:
            result.problems += result.schema.refusals(permission, asking=permission.confirm is not None)
            if result.problems:
                result.outcome = REFUSED
                return result
        if gate is not None:
            result.lint = gate(plan)
            if result.lint is not None and result.lint.failed:
                result.outcome = REFUSED
                return result
        writer: multidoc.Apply | None = apply_steps
        if transaction:
            try:
                writer = await multidoc.prepare(client, plan, result)
            except asyncio.CancelledError:
                return _interrupted_before_writing(result)
            if writer is None:
                result.outcome = REFUSED
                return result
        if dry_run:
            result.outcome = DRY_RUN
            return result
        if result.schema is not None and not result.schema.confirmed(permission):
            result.problems += result.schema.unconfirmed()
            result.outcome = REFUSED
            return result
        if result.schema is not None and result.schema.losses:
            permission = Permission(permission.shared, True)  # confirmed: what the journal records
        header = {"operation": result.operation, "description": description, "instance": instance,
                  "workspace": workspace, "branch": config.branch, "folder": str(ctx.folder.root),
                  "commit": commit, "transaction": writer is not apply_steps, **permission.journal()}
        result.journal = Journal.create(ctx.state, header, plan.steps)
        return await apply_or_restore(client, result.journal, result, config.http.concurrency, writer)


async def apply_or_restore(client: AsyncXanoClient, journal: Journal, result: PushResult,
                           concurrency: int, writer: multidoc.Apply = apply_steps) -> PushResult:
    """Apply the journal's remaining steps (object by object, or ``writer``); on any failure
    restore everything it touched."""
    result.journal = journal
    try:
        failure = await writer(client, journal, concurrency)
        if failure is not None:
            result.failure = failure.describe()
    except asyncio.CancelledError:
        _uncancel()
        result.interrupted, result.failure = True, "interrupted (Ctrl-C)"
    except (XanoApiError, JournalError) as exc:
        result.failure = str(exc)
    if result.failure is None:
        result.outcome = PUSHED
        return result
    complete = await restore(client, journal, concurrency)
    result.outcome = RESTORED if complete else RESTORE_INCOMPLETE
    return result


def _interrupted_before_writing(result: PushResult) -> PushResult:
    _uncancel()
    result.interrupted, result.outcome = True, INTERRUPTED
    result.failure = "interrupted before any write"
    return result


def run_loop(coro: Any) -> Any:
    """``asyncio.run``, minus asyncio's "Task exception was never retrieved" traceback when a
    second Ctrl-C stops it: the KeyboardInterrupt reaches the caller, which reports it."""
    with asyncio.Runner() as runner:
        runner.get_loop().set_exception_handler(_quiet_interrupt)
        return runner.run(coro)


def _quiet_interrupt(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    if not isinstance(context.get("exception"), KeyboardInterrupt):
        loop.default_exception_handler(context)


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        while task.cancelling():
            task.uncancel()


def finish(ctx: Context, result: PushResult, repo: Any = None, message: str | None = None) -> None:
    """After every step is done: the new manifest, the pushed content as the new base, the
    commit (``repo``), and only then the journal's end, so that a process killed anywhere
    before it leaves a push that ``push --resume`` finishes."""
    journal = result.journal
    assert journal is not None
    operation = journal.header.get("operation", "push")
    if not journal.manifest_saved:
        save_lock(ctx, journal, lockupdate.after_push(ctx.manifest, journal), result, "push",
                  done=f"the {operation} is done remotely", then="xanoctl push --resume")
        journal.record("manifest")
    for step in journal.steps:
        if step.content is not None and step.status == "done":
            ctx.store.put(step.content.encode("utf-8"))
    try:
        if repo is not None:
            result.commit = commit_push(ctx, result, repo, message)
    finally:  # a git failure leaves a finished push: its message says to commit by hand
        journal.record("end", outcome=PUSHED)
    result.outcome = PUSHED
    prune(ctx.state)


def close_restore(ctx: Context, result: PushResult) -> None:
    """After a restore (a failed push or resume): ``xanoctl.lock`` describes the restored remote
    (objects deleted and created again have new ids), then the journal's end."""
    journal = result.journal
    if journal is None or result.outcome not in (RESTORED, RESTORE_INCOMPLETE):
        return
    save_lock(ctx, journal, lockupdate.after_restore(ctx.manifest, journal), result, "restore")
    if journal.restoring:  # else interrupted before the restore began: resume or roll back
        journal.try_record("end", outcome=result.outcome)


def write_files(ctx: Context, journal: Journal) -> None:
    """Write the pushed content of every done step to the working tree (a rollback)."""
    for step in journal.steps:
        if step.status == "done" and step.content is not None:
            try:
                ctx.folder.write(step.path, step.content.encode("utf-8"))
            except OSError as exc:
                raise XanoctlError(f"the rollback is done remotely, but {step.path} could not be written "
                                   f"({exc.strerror or exc}): make room, then run `xanoctl push --resume` "
                                   "to finish it") from None


def save_lock(ctx: Context, journal: Journal, manifest: Manifest, result: PushResult, purpose: str, *,
              done: str = "the remote is restored", then: str = "xanoctl rollback --last-push") -> None:
    """Replace ``xanoctl.lock`` with ``manifest`` (when its text changes). The journal says so
    first, with the new text's hash: a process killed right after the save is told apart from
    one killed right before it (:meth:`Journal.lock_saved`). A lock that cannot be written is a
    one-line error: ``done`` (what is done remotely), and ``then`` records it."""
    text = manifest.dumps()
    if text == ctx.manifest.dumps():
        return
    record = journal.record if purpose == "push" else journal.try_record
    record("lock", purpose=purpose, sha256=sha256_bytes(text.encode("utf-8")))
    try:
        save_manifest(ctx.folder.root, manifest)
    except OSError as exc:
        raise XanoctlError(f"{done}, but xanoctl.lock could not be written ({exc.strerror or exc}): make room, "
                           f"then run `{then}` to record it") from None
    ctx.manifest = manifest
    result.manifest_changed = True


def commit_push(ctx: Context, result: PushResult, repo: Any, message: str | None = None) -> str | None:
    journal = result.journal
    assert journal is not None
    done = [s for s in journal.steps if s.status == "done"]
    paths = [ctx.folder.root / s.path for s in done] + [ctx.folder.root / MANIFEST_NAME]
    return history.commit_paths(repo, paths, message or push_message(ctx, done))


def push_message(ctx: Context, steps: list[Step]) -> str:
    groups = {"updated": [s for s in steps if s.action == "update"],
              "created": [s for s in steps if s.action == "create"],
              "deleted": [s for s in steps if s.action in ("delete", "forget")]}
    counts = ", ".join(f"{len(items)} {name}" for name, items in groups.items())
    lines = [f"xanoctl push: {counts}", "",
             f"Workspace {ctx.manifest.workspace}, branch {ctx.manifest.branch or '(live)'}."]
    for name, items in groups.items():
        if items:
            lines += ["", f"{name}:"]
            lines += [f"  {s.label()}  {s.path}" for s in items[:MAX_LISTED]]
            if len(items) > MAX_LISTED:
                lines.append(f"  ... and {len(items) - MAX_LISTED} more")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- resume


def resume(ctx: Context, *, force: bool = False, commit: bool = False,
           permission: Permission = Permission()) -> PushResult:
    """Finish the last push from its journal (its process died): steps already applied are
    recognised by reading the remote, the others are written; a failure restores everything.
    The objects every branch shares are written as the push was allowed to, or ``permission``
    (:mod:`xanoctl.sync.sharedschema`)."""
    with exclusive(ctx.state):
        ctx.sweep()
        journal = last_journal(ctx.state)
        if journal is None:
            raise XanoctlError("no push to resume: the push journal (.xanoctl/pushes/) is empty")
        if journal.finished:
            return PushResult("resume", NOTHING, journal=journal,
                              notes=[f"the last push ({journal.id}) finished ({journal.outcome}): nothing to resume"])
        if journal.outcome == RESTORE_INCOMPLETE or journal.restoring:
            raise XanoctlError(f"the push {journal.id} was being restored: run `xanoctl rollback --last-push` "
                               "to finish restoring it")
        operation = journal.header.get("operation")
        if operation not in RESUMABLE:
            raise XanoctlError(f"the last operation ({operation} {journal.id}) cannot be resumed: "
                               "run `xanoctl rollback --last-push` to undo it, or run it again")
        check_journal_workspace(ctx, journal)
        commit = commit or bool(journal.header.get("commit"))  # as the push was asked to
        repo = history.repository(ctx.folder.root, "as the interrupted operation commits its result") if commit else None
        result = PushResult("rollback" if operation == "rollback" else "resume", journal=journal)
        try:
            run_loop(_resume(ctx, journal, result, force, permission.with_journal(journal.header)))
        except KeyboardInterrupt:
            result.interrupted, result.outcome = True, RESTORE_INCOMPLETE
            result.failure = "interrupted again while restoring"
        if result.outcome == PUSHED:
            rollback = operation == "rollback"
            if rollback:  # what the rollback does once the remote is done
                write_files(ctx, journal)
            message = str(journal.header.get("description")) + "\n" if rollback else None
            finish(ctx, result, repo, message)
        else:
            close_restore(ctx, result)
        return result


def check_journal_workspace(ctx: Context, journal: Journal) -> None:
    header = journal.header
    if (header.get("instance") != ctx.config.instance or header.get("workspace") != ctx.config.workspace
            or (header.get("branch") or "") != ctx.config.branch):
        raise XanoctlError(f"the journal {journal.id} is for {header.get('instance')} workspace "
                           f"{header.get('workspace')} branch {header.get('branch') or '(live)'!r}, not the one "
                           "configured here: use the same settings as that push")
    if Path(str(header.get("folder"))) != ctx.folder.root:
        raise XanoctlError(f"the journal {journal.id} is for the workspace folder {header.get('folder')}, "
                           f"not {ctx.folder.root}: pass --dir {header.get('folder')}")


async def _resume(ctx: Context, journal: Journal, result: PushResult, force: bool, permission: Permission) -> None:
    config = ctx.config
    instance, workspace, token = config.require_remote()
    async with AsyncXanoClient(instance, token, workspace, config.branch, config.http) as client:
        conflicts = await _reconcile(client, journal, force)
        if conflicts:
            result.outcome = REFUSED
            result.problems += conflicts
            return
        todo = [step for step in journal.steps if step.status != "done"]
        result.schema = await sharedschema.check(client, sharedschema.of_steps(todo), config.branch)
        if result.schema is not None:
            result.problems += result.schema.settle(permission)
            if result.problems:
                result.outcome = REFUSED
                return
        await apply_or_restore(client, journal, result, config.http.concurrency)


async def _reconcile(client: AsyncXanoClient, journal: Journal, force: bool) -> list[str]:
    """Mark as done the steps the dead process applied without recording it; return the
    objects changed remotely by someone else since the push began (unless ``force``, which
    takes a new snapshot of them)."""
    todo = [s for s in journal.steps if s.status != "done"]
    found = await asyncio.gather(*(_current(client, journal, s) for s in todo))
    conflicts = []
    for step, obj in zip(todo, found):
        if step.action == "forget":
            continue
        if step.action == "create":
            if obj is None:
                continue
            if obj.xanoscript == step.content and step.status != "pending":
                journal.record("done", seq=step.seq, after=after_of(obj))
            else:
                conflicts.append(f"{step.path}: {obj.label()} appeared remotely since the push began")
            continue
        if obj is None:
            if step.action == "delete":
                journal.record("done", seq=step.seq, after={"id": step.id, "deleted": True})
            else:
                conflicts.append(f"{step.path}: {step.label()} was deleted remotely since the push began")
            continue
        before = (step.before or {}).get("xanoscript")
        if step.action == "update" and obj.xanoscript == step.content and step.status != "pending":
            journal.record("done", seq=step.seq, after=after_of(obj))
        elif obj.xanoscript != before:
            if not force:
                conflicts.append(f"{step.path}: {step.label()} changed remotely since the push began "
                                 f"(remote updated_at {obj.updated_at}); `push --resume --force` overwrites it")
            else:
                journal.record("snapshot", seq=step.seq, before={"id": obj.id, "name": obj.name, "guid": obj.guid,
                                                                 "updated_at": obj.updated_at,
                                                                 "xanoscript": obj.xanoscript})
    return conflicts


async def _current(client: AsyncXanoClient, journal: Journal, step: Step) -> Any:
    gid = group_id_of(journal, step) if step.kind == "query" else None
    gname = (step.group or {}).get("name")
    if step.action == "forget":
        return None
    if step.action == "create":
        if step.kind == "query" and gid is None:
            return None
        return await find_by_name(client, step, gid, gname)
    assert step.id is not None
    return await client.find(step.kind, step.id, group_id=gid, group_name=gname)


__all__ = ["PushResult", "push", "resume", "execute", "finish", "commit_push", "Conflict"]
