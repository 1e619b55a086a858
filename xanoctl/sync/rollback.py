"""``xanoctl rollback``: put back an object's version from git, or undo the last push.

``rollback PATH... --to REV`` reads each file at REV (GitPython), finds its object in the
manifest (through the manifest at REV when the file was renamed since), pushes that content
through the safe push of :mod:`xanoctl.sync.push` (all paths together or none), then writes it to
the working tree and updates the manifest; ``commit=True`` commits "rollback <name> to <rev>".
A working-tree file with changes that are neither pushed nor committed is never overwritten.
The lint gate is skipped: the content is a version that ran before, and an emergency rollback
must not wait on warnings about it.

``rollback --last-push`` undoes the last push from its journal: a push that died half-way
(kill -9), a push whose restore did not finish, or a push that succeeded. Objects changed
remotely by someone else since that push are refused unless ``force``. The undo of a push that
finished puts the working tree back too (:func:`put_back`): a file that still holds what the
push wrote gets the object's content from before the push again (a file the push created an
object from is removed, one whose object it deleted comes back); a file changed since the push
is left as it is, and said so, and the next push notes that it would redo the undone change.
The files of a push that did not finish are left as they are: the edits it was pushing are
still to push.

Both forms write tables like a push does: from a branch other than the live one only with
``permission.shared``, and a column removed or retyped only with ``permission.loss`` or the
user's yes (:mod:`xanoctl.sync.sharedschema`).
"""

from __future__ import annotations

import asyncio
from typing import Sequence

from xanoctl.sync import history, lockupdate, sharedschema
from xanoctl.xano.client import AsyncXanoClient, XanoClient
from xanoctl.sync.context import Context
from xanoctl.errors import UsageError, XanoctlError
from xanoctl.sync.identity import of_entry
from xanoctl.sync.journal import PUSHED, RESTORE_INCOMPLETE, RESTORED, UNDONE, Journal, exclusive, last_journal
from xanoctl.sync.localscan import selection
from xanoctl.sync.manifest import MANIFEST_NAME, Entry, Manifest, sha256_bytes
from xanoctl.sync.plan import UPDATE, Candidate
from xanoctl.sync.push import (NOTHING, REFUSED, PushResult, check_journal_workspace, execute, finish,
                               refuse_unfinished, run_loop, save_lock, write_files)
from xanoctl.sync.restore import find_by_name, pending_restore, restore
from xanoctl.sync.sharedschema import Permission


# ---------------------------------------------------------------------------- rollback --to


def rollback_to(ctx: Context, paths: Sequence[str], rev: str, *, force: bool = False,
                commit: bool = False, permission: Permission = Permission()) -> PushResult:
    if not paths:
        raise UsageError("name the files to roll back, e.g. `xanoctl rollback function/x.xs --to HEAD~1`")
    repo = history.repository(ctx.folder.root, "and commit pulls (`xanoctl pull --commit`): rollback reads "
                              "the files from git history")
    revision = history.resolve(repo, rev)
    short = history.short(repo, revision)
    with exclusive(ctx.state):
        ctx.sweep()
        refuse_unfinished(ctx)
        then = _manifest_at(repo, revision, ctx)
        candidates, problems, notes = [], [], []
        head = history.head_commit(repo)
        for rel in _files(ctx, paths):
            item = _candidate(ctx, repo, revision, rev, head, then, rel, problems)
            if item is not None:
                candidates.append(item)
        if problems:
            return PushResult("rollback", REFUSED, problems=problems, notes=notes)
        candidates = _skip_current(ctx, candidates, short, notes)
        if not candidates:
            return PushResult("rollback", NOTHING, notes=notes)
        names = ", ".join(c.identity.name for c in candidates)
        description = f"rollback {names} to {short}"
        result = execute(ctx, candidates, operation="rollback", force=force, description=description, commit=commit,
                         permission=permission)
        result.notes = notes + result.notes
        if result.outcome != PUSHED:
            return result
        assert result.journal is not None
        write_files(ctx, result.journal)  # remote done: now the working tree
        finish(ctx, result, repo if commit else None, description + "\n")
        return result


def _files(ctx: Context, paths: Sequence[str]) -> list[str]:
    rels = []
    for rel in selection(ctx.folder, list(paths)) or []:
        if rel == "" or (ctx.folder.root / rel).is_dir():
            raise UsageError(f"{rel or ctx.folder.root}: name files to roll back, not folders")
        if rel not in rels:
            rels.append(rel)
    return rels


def _manifest_at(repo, revision, ctx: Context) -> Manifest | None:
    data = history.read_at(revision, history.repo_path(repo, ctx.folder.root / MANIFEST_NAME))
    if data is None:
        return None
    try:
        return Manifest.loads(data.decode("utf-8"), f"{MANIFEST_NAME} at {revision.hexsha[:7]}")
    except (XanoctlError, UnicodeDecodeError):
        return None


def _candidate(ctx: Context, repo, revision, rev: str, head, then: Manifest | None, rel: str,
               problems: list[str]) -> Candidate | None:
    entry = _entry_for(ctx.manifest, then, rel)
    source = then.entries[entry.key].path if entry and then and entry.key in then.entries else rel
    data = history.read_at(revision, history.repo_path(repo, ctx.folder.root / source))
    if data is None:
        problems.append(f"{rel}: no such file at {rev}")
        return None
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{rel}: not UTF-8 text at {rev}")
        return None
    if entry is None:
        where = history.repo_path(repo, ctx.folder.root / rel)
        problems.append(f"{rel}: its object is not in xanoctl.lock (deleted since {rev}?); rollback puts back "
                        f"objects that exist: `git checkout {rev} -- {where}` then `xanoctl push {where}` "
                        "creates it again")
        return None
    local = ctx.folder.read(entry.path)
    committed = history.read_at(head, history.repo_path(repo, ctx.folder.root / entry.path)) if head else None
    if local is not None and sha256_bytes(local) != entry.sha256 and local not in (data, committed):
        problems.append(f"{entry.path}: has changes that are neither pushed nor committed; commit or discard "
                        "them first (the rollback writes this file)")
        return None
    return Candidate(UPDATE, entry.path, of_entry(entry), entry, content)


def _skip_current(ctx: Context, candidates: list[Candidate], short: str, notes: list[str]) -> list[Candidate]:
    """Leave out the objects already at REV everywhere: in the working tree, in xanoctl.lock
    and remotely. Only the remote can tell when someone broke (or deleted) one in the Xano UI."""
    local = [c for c in candidates if c.entry is not None and c.sha256 == c.entry.sha256
             and ctx.folder.read(c.path) == (c.content or "").encode("utf-8")]
    if not local:
        return candidates
    with XanoClient.from_config(ctx.config) as client:
        found = client.gather(*(client.aio.find(c.entry.kind, c.entry.id, group_id=c.entry.group_id,
                                                group_name=(c.entry.group or {}).get("name"))
                                for c in local if c.entry is not None))
    current = {c.path for c, obj in zip(local, found) if obj is not None and obj.xanoscript == c.content}
    notes += [f"{path}: already at {short}, here and remotely; not pushed again" for path in sorted(current)]
    return [c for c in candidates if c.path not in current]


def _entry_for(now: Manifest, then: Manifest | None, rel: str) -> Entry | None:
    """The current entry of the object that had the file ``rel`` at REV (the manifest at REV
    knows it even if the file was renamed since), else the current owner of ``rel``."""
    if then is not None:
        old = then.by_path().get(rel)
        if old is not None and old.key in now.entries:
            return now.entries[old.key]
    return now.by_path().get(rel)


# ---------------------------------------------------------------------------- rollback --last-push


def undo_last_push(ctx: Context, *, force: bool = False, commit: bool = False,
                   permission: Permission = Permission()) -> PushResult:
    with exclusive(ctx.state):
        ctx.sweep()
        journal = last_journal(ctx.state)
        if journal is None:
            raise XanoctlError("no push to undo: the push journal (.xanoctl/pushes/) is empty")
        if journal.outcome in (RESTORED, UNDONE):
            return PushResult("undo", NOTHING, journal=journal,
                              notes=[f"the last push ({journal.id}) is already undone ({journal.outcome})"])
        check_journal_workspace(ctx, journal)
        repo = history.repository(ctx.folder.root, "or undo without --commit") if commit else None
        finished = journal.outcome == PUSHED  # (an undo killed half-way has not recorded its end yet)
        pushed = finished or journal.lock_saved(ctx.folder.read(MANIFEST_NAME))
        result = PushResult("undo", journal=journal)
        try:
            run_loop(_undo(ctx, journal, result, force, permission))
        except KeyboardInterrupt:
            result.interrupted = True
            result.failure = "interrupted while restoring: run `xanoctl rollback --last-push` again"
            result.outcome = RESTORE_INCOMPLETE
        if result.outcome != RESTORE_INCOMPLETE and result.outcome != RESTORED:
            return result  # refused: nothing was written
        if result.outcome == RESTORED and pushed:
            result.outcome = UNDONE
        save_lock(ctx, journal, lockupdate.after_restore(ctx.manifest, journal), result, "undo")
        for step in journal.steps:
            if step.before and step.before.get("xanoscript") is not None:
                ctx.store.put(step.before["xanoscript"].encode("utf-8"))
        if finished and result.outcome == UNDONE:
            result.files = put_back(ctx, journal)
        try:
            if repo is not None:  # also when an earlier, killed run saved the lock
                kept = set((result.files or {}).get("kept", []))
                touched = [ctx.folder.root / step.path for step in journal.steps
                           if result.files is not None and step.status == "done" and step.path not in kept]
                result.commit = history.commit_paths(repo, [ctx.folder.root / MANIFEST_NAME, *touched],
                                                     f"xanoctl: undo push {journal.id}\n")
        finally:
            journal.try_record("end", outcome=result.outcome)
        return result


def put_back(ctx: Context, journal: Journal) -> dict[str, list[str]]:
    """The working tree as the remote is once the push is undone, file by file where the file
    still holds what the push wrote (or, for a deleted object, is still missing); the others are
    kept. Recorded in the journal (``files``) before the undo's end. A second run (the first
    killed) finds the files it put back already back."""
    written: list[str] = []
    removed: list[str] = []
    kept: list[str] = []
    for step in sorted(journal.steps, key=lambda s: s.seq):
        if step.status != "done" or step.restore in (None, "failed") or step.action == "forget":
            continue
        snapshot = (step.before or {}).get("xanoscript")
        target = snapshot.encode("utf-8") if step.action != "create" and snapshot is not None else None
        pushed = step.content.encode("utf-8") if step.content is not None else None
        now = ctx.folder.read(step.path)
        if now == target:
            continue  # already back
        if now != pushed:
            kept.append(step.path)
            continue
        try:
            if target is None:
                ctx.folder.remove(step.path)
                removed.append(step.path)
            else:
                ctx.folder.write(step.path, target)
                written.append(step.path)
        except OSError as exc:
            raise XanoctlError(f"the push is undone remotely and in xanoctl.lock, but {step.path} could not be "
                               f"written ({exc.strerror or exc}): fix that, then run `xanoctl rollback --last-push` "
                               "again to put the files back") from None
    journal.try_record("files", written=written, removed=removed, kept=kept)
    return {"written": written, "removed": removed, "kept": kept}


async def _undo(ctx: Context, journal: Journal, result: PushResult, force: bool, permission: Permission) -> None:

    config = ctx.config
    instance, workspace, token = config.require_remote()
    async with AsyncXanoClient(instance, token, workspace, config.branch, config.http) as client:
        if not force:
            result.problems += await _changed_since(client, journal)
            if result.problems:
                result.outcome = REFUSED
                return
        writes = sharedschema.of_undo(pending_restore(journal))
        result.schema = await sharedschema.check(client, writes, config.branch)
        if result.schema is not None:
            result.problems += result.schema.settle(permission)
            if result.problems:
                result.outcome = REFUSED
                return
        complete = await restore(client, journal, config.http.concurrency)
        result.outcome = RESTORED if complete else RESTORE_INCOMPLETE


async def _changed_since(client: AsyncXanoClient, journal: Journal) -> list[str]:
    """Objects someone else changed after the push wrote them: undoing would overwrite that."""
    from xanoctl.sync.apply import group_id_of

    steps = [s for s in pending_restore(journal) if s.action in ("update", "create")]

    async def look(step):
        gid = group_id_of(journal, step) if step.kind == "query" else None
        gname = (step.group or {}).get("name")
        if step.action == "update":
            return await client.find(step.kind, step.id, group_id=gid, group_name=gname)
        if step.kind == "query" and gid is None:
            return None
        if step.object_id is not None:
            return await client.find(step.kind, step.object_id, group_id=gid, group_name=gname)
        return await find_by_name(client, step, gid, gname)

    found = await asyncio.gather(*(look(s) for s in steps))
    problems = []
    for step, obj in zip(steps, found):
        if obj is None:
            continue
        ours = {step.content, (step.before or {}).get("xanoscript")}
        if obj.xanoscript not in ours:
            problems.append(f"{step.path}: {step.label()} was changed remotely after the push (remote updated_at "
                            f"{obj.updated_at}); `rollback --last-push --force` overwrites that change")
    return problems


__all__ = ["rollback_to", "undo_last_push"]
