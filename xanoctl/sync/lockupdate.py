"""What a push, a restore or an undo changes in ``xanoctl.lock``: pure functions from a
manifest and a journal to a new manifest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from xanoctl.sync.apply import group_id_of
from xanoctl.sync.journal import Journal, Step
from xanoctl.sync.manifest import Entry, Manifest, sha256_bytes


def _copy(manifest: Manifest) -> Manifest:
    return Manifest(workspace=manifest.workspace, branch=manifest.branch, entries=dict(manifest.entries))


def after_push(manifest: Manifest, journal: Journal) -> Manifest:
    """The manifest once every step is done: new ``updated_at``, guid and name for updates,
    new entries (with their ids) for creates, none for deletes; ``sha256`` of what was pushed."""
    out = _copy(manifest)
    for step in journal.steps:
        if step.status != "done":
            continue
        after: dict[str, Any] = step.after or {}
        old = Entry.from_json(step.entry) if step.entry else None
        if step.action in ("delete", "forget"):
            if old is not None:
                out.entries.pop(old.key, None)
            continue
        if step.action == "update" and old is not None:
            out.entries[old.key] = replace(old, name=after.get("name") or old.name, guid=after.get("guid") or old.guid,
                                           updated_at=after.get("updated_at"), sha256=step.sha256 or old.sha256)
            continue
        if old is not None:  # a forced create of an object deleted remotely replaces its entry
            out.entries.pop(old.key, None)
        entry = Entry(kind=step.kind, id=int(after["id"]), guid=after.get("guid"), name=after.get("name") or step.name,
                      path=step.path, sha256=step.sha256 or "", updated_at=after.get("updated_at"),
                      verb=step.verb if step.kind == "query" else None, group=_group(journal, step, after))
        out.entries[entry.key] = entry
    return out


def _group(journal: Journal, step: Step, after: dict[str, Any]) -> dict[str, Any] | None:
    if step.kind != "query":
        return None
    gid = after.get("group_id") or group_id_of(journal, step)
    return {"id": int(gid), "name": str((step.group or {}).get("name") or "")} if gid is not None else None


def after_restore(manifest: Manifest, journal: Journal) -> Manifest:
    """After restoring a push that never updated the manifest: only objects the restore had to
    create again (deleted by the push) change, to their new id."""
    out = _copy(manifest)
    for step in journal.steps:
        if step.action == "delete" and step.restore == "recreated" and step.restored_as and step.entry:
            old = Entry.from_json(step.entry)
            if old.key in out.entries:
                out.entries.pop(old.key)
                new = _recreated(old, step)
                out.entries[new.key] = new
    return out


def _recreated(old: Entry, step: Step) -> Entry:
    as_ = step.restored_as or {}
    group = old.group
    if old.kind == "query" and as_.get("group_id") is not None and group:
        group = {"id": int(as_["group_id"]), "name": group.get("name", "")}
    return replace(old, id=int(as_["id"]), guid=as_.get("guid") or old.guid,
                   updated_at=as_.get("updated_at"), group=group)


def after_undo(manifest: Manifest, journal: Journal) -> Manifest:
    """After undoing a push that had updated the manifest: every undone object goes back to its
    entry from before the push, describing the remote as restored (its XanoScript's hash and
    new ``updated_at``); objects the push created leave the manifest (their files stay, as new
    files); objects it deleted come back under their new ids."""
    out = _copy(manifest)
    for step in journal.steps:
        if step.restore is None or step.restore == "failed":
            continue
        after = step.after or {}
        old = Entry.from_json(step.entry) if step.entry else None
        if step.action == "create":
            if after.get("id") is not None:
                out.entries.pop((step.kind, int(after["id"])), None)
            if old is not None and step.restore in ("deleted", "absent"):
                out.entries.pop(old.key, None)  # a forced re-create: the old object stays gone
            continue
        if old is None or step.before is None:
            continue
        snapshot = step.before.get("xanoscript") or ""
        as_ = step.restored_as or {}
        restored = replace(old, sha256=sha256_bytes(snapshot.encode("utf-8")), name=step.before.get("name") or old.name,
                           updated_at=as_.get("updated_at") or step.before.get("updated_at"))
        if step.action == "delete" and step.restore == "recreated":
            out.entries.pop(old.key, None)
            restored = _recreated(restored, step)
        out.entries[restored.key] = restored
    return out
