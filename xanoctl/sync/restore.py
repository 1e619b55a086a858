"""Putting the remote back as it was before a push, from the journal's snapshots.

Every step that may have changed the remote is undone, phase by phase in reverse order
(concurrently within a phase), then verified by reading the object back:

- update: the snapshot's XanoScript is PUT back (a step that may not have been applied is
  read first and left alone when it still matches the snapshot);
- create: the created object is deleted (found by id, or by name when the create's answer was
  lost), and its absence verified;
- delete: the object is created again from the snapshot, under a new id (Xano gives no way to
  restore an id), endpoints into their group's new id when the group was re-created too.

A step that cannot be restored is recorded (``restore_failed``) and the others still are; the
journal then ends ``restore-incomplete`` and ``xanoctl rollback --last-push`` tries again. The
caller records that end, once ``xanoctl.lock`` describes the restored remote.
"""

from __future__ import annotations

import asyncio
from typing import Any

from xanoctl.sync.apply import group_id_of
from xanoctl.xano.client import AsyncXanoClient, XanoApiError
from xanoctl.errors import XanoctlError
from xanoctl.sync.journal import Journal, Step
from xanoctl.xano.kinds import multidoc_only
from xanoctl.xano.remote import RemoteObject

# ``kept``: created by the push, and no route deletes it (a document without a route of its own):
# left in place, and named by the report
SETTLED = frozenset({"restored", "unchanged", "deleted", "recreated", "absent", "kept"})


class RestoreMismatch(XanoctlError):
    pass


def pending_restore(journal: Journal) -> list[Step]:
    """Steps that may have changed the remote and are not restored yet."""
    return [s for s in journal.steps if s.status != "pending" and s.action != "forget"
            and s.restore not in SETTLED]


async def restore(client: AsyncXanoClient, journal: Journal, concurrency: int) -> bool:
    """Undo every step still to restore. Returns whether the restore is complete; the caller
    saves the lock, then records the journal's ``end``."""
    journal.try_record("restore")
    todo = pending_restore(journal)
    client.progress.begin("restoring", len(todo), "objects")
    for number in sorted({s.phase for s in todo}, reverse=True):
        steps = [s for s in todo if s.phase == number]
        slots = asyncio.Semaphore(max(1, concurrency))

        async def one(step: Step) -> None:
            async with slots:
                try:
                    how, as_ = await _undo(client, journal, step)
                except (XanoApiError, RestoreMismatch) as exc:
                    journal.try_record("restore_failed", seq=step.seq, error=str(exc))
                    return
                journal.try_record("restored", seq=step.seq, how=how, **({"as": as_} if as_ else {}))
                client.progress.advance()

        await asyncio.gather(*(one(step) for step in steps))
    return not pending_restore(journal)


async def _undo(client: AsyncXanoClient, journal: Journal, step: Step) -> tuple[str, dict[str, Any] | None]:
    if step.action == "update":
        return await _undo_update(client, journal, step)
    if step.action == "create":
        return await _undo_create(client, journal, step)
    return await _undo_delete(client, journal, step)


def _group(journal: Journal, step: Step) -> tuple[int | None, str | None]:
    if step.kind != "query":
        return None, None
    return _current_group_id(journal, group_id_of(journal, step)), (step.group or {}).get("name")


def _current_group_id(journal: Journal, group_id: int | None) -> int | None:
    """A group deleted by the push and re-created by this restore has a new id."""
    for other in journal.steps:
        if other.kind == "api_group" and other.action == "delete" and other.id == group_id and other.restored_as:
            return other.restored_as.get("id")
    return group_id


async def _undo_update(client: AsyncXanoClient, journal: Journal, step: Step) -> tuple[str, dict[str, Any] | None]:
    assert step.before is not None and step.id is not None
    snapshot = step.before["xanoscript"]
    gid, gname = _group(journal, step)
    if step.status != "done":
        current = await client.find(step.kind, step.id, group_id=gid, group_name=gname)
        if current is not None and current.xanoscript == snapshot:
            return "unchanged", None
    obj = await client.update(step.kind, step.id, snapshot, group_id=gid, group_name=gname)
    check = await client.find(step.kind, step.id, group_id=gid, group_name=gname)
    _verify(step, check, snapshot)
    assert check is not None
    return "restored", {"id": obj.id, "guid": check.guid, "updated_at": check.updated_at}


async def _undo_create(client: AsyncXanoClient, journal: Journal, step: Step) -> tuple[str, dict[str, Any] | None]:
    gid, gname = _group(journal, step)
    if step.kind == "query" and gid is None:
        return "absent", None  # its group was never created
    ident = step.object_id
    if ident is None:
        found = await find_by_name(client, step, gid, gname)
        if found is None:
            return "absent", None
        ident = found.id
    elif await client.find(step.kind, ident, group_id=gid, group_name=gname) is None:
        return "deleted", {"id": ident}  # deleted by an earlier attempt whose process died
    if multidoc_only(step.kind):  # no route deletes it: it stays, and the report says so
        return "kept", {"id": ident}
    await client.delete(step.kind, ident, group_id=gid)
    if await client.find(step.kind, ident, group_id=gid, group_name=gname) is not None:
        raise RestoreMismatch(f"{step.label()} is still there after being deleted")
    return "deleted", {"id": ident}


async def _undo_delete(client: AsyncXanoClient, journal: Journal, step: Step) -> tuple[str, dict[str, Any] | None]:
    assert step.before is not None and step.id is not None
    snapshot = step.before["xanoscript"]
    gid, gname = _group(journal, step)
    if await client.find(step.kind, step.id, group_id=gid, group_name=gname) is not None:
        return "unchanged", None  # the delete never happened
    again = await find_by_name(client, step, gid, gname)  # re-created by an earlier attempt?
    if again is None or again.xanoscript != snapshot:
        again = await client.create(step.kind, snapshot, group_id=gid, group_name=gname)
    check = await client.find(step.kind, again.id, group_id=gid, group_name=gname)
    _verify(step, check, snapshot)
    assert check is not None
    as_ = {"id": again.id, "guid": check.guid, "updated_at": check.updated_at}
    if step.kind == "query":
        as_["group_id"] = gid
    return "recreated", as_


async def find_by_name(client: AsyncXanoClient, step: Step, gid: int | None,
                        gname: str | None) -> RemoteObject | None:
    found = await client.list_objects(step.kind, group_id=gid, group_name=gname, search=step.name)
    parents = step.parents  # (a message's server and channel)
    for obj in found:
        if obj.name == step.name and (step.kind != "query" or obj.verb == step.verb) \
                and (not any(parents) or obj.parents == parents):
            return obj
    return None


def _verify(step: Step, obj: RemoteObject | None, snapshot: str) -> None:
    if obj is None:
        raise RestoreMismatch(f"{step.label()} is gone when read back after the restore")
    if obj.xanoscript != snapshot:
        raise RestoreMismatch(f"{step.label()} read back differs from its snapshot after the restore")
