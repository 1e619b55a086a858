"""What a push, a restore or an undo changes in ``xanoctl.lock``: pure functions from a
manifest and a journal to a new manifest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from xanoctl.sync.apply import group_id_of
from xanoctl.sync.journal import Journal, Step
from xanoctl.sync.manifest import Entry, Manifest, sha256_bytes


def _copy(manifest: Manifest) -> Manifest:
    return manifest.copy()


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
        entry = _created(journal, step, after)
        out.entries[entry.key] = entry
    return out


def _created(journal: Journal, step: Step, after: dict[str, Any]) -> Entry:
    """The entry of an object a push created, as its step recorded it."""
    return Entry(kind=step.kind, id=int(after["id"]), guid=after.get("guid"), name=after.get("name") or step.name,
                 path=step.path, sha256=step.sha256 or "", updated_at=after.get("updated_at"),
                 verb=step.verb if step.kind == "query" else None, group=_group(journal, step, after),
                 parents=tuple(after.get("parents") or ()))


def _group(journal: Journal, step: Step, after: dict[str, Any]) -> dict[str, Any] | None:
    if step.kind != "query":
        return None
    gid = after.get("group_id") or group_id_of(journal, step)
    return {"id": int(gid), "name": str((step.group or {}).get("name") or "")} if gid is not None else None


def after_restore(manifest: Manifest, journal: Journal) -> Manifest:
    """After a restore (a failed push) or an undo: the manifest describes the remote as
    restored, whatever state ``manifest`` is in (from before the push, saved by the push, or
    saved by a process killed before it could record it, or updated by a pull since), so that
    the pushed changes show as local modifications and no later pull overwrites them.

    Entry by entry: one that describes what the push wrote goes back to the snapshot (its
    XanoScript's hash, the restored ``updated_at``); one still from before the push is kept;
    objects the push created leave the manifest (their files stay, as new files), but for those no
    route deletes (``kept``: they stay, and so do their entries); objects it deleted come back,
    under their new ids when the restore had to create them again."""
    out = _copy(manifest)
    for step in journal.steps:
        if step.restore is None or step.restore == "failed":
            continue
        old = Entry.from_json(step.entry) if step.entry else None
        if step.action == "create":
            for ident in ((step.after or {}).get("id"), (step.restored_as or {}).get("id")):
                if ident is not None:
                    out.entries.pop((step.kind, int(ident)), None)
            if step.restore == "kept" and step.after and step.status == "done":  # still there: its file holds it
                entry = _created(journal, step, step.after)
                out.entries[entry.key] = entry
            continue
        if old is None or step.before is None or step.action not in ("update", "delete"):
            continue
        restored = _snapshot_entry(old, step)
        if step.action == "delete" and step.restore == "recreated":
            out.entries.pop(old.key, None)
            restored = _recreated(restored, step)
            out.entries[restored.key] = restored
        elif step.action == "delete" or _describes_push(out.entries.get(old.key), old, step):
            out.entries[old.key] = restored  # a delete undone, or an update the lock records
    return out


def _snapshot_entry(old: Entry, step: Step) -> Entry:
    """``old`` describing the remote object as restored from the snapshot."""
    before = step.before or {}
    snapshot = before.get("xanoscript") or ""
    as_ = step.restored_as or {}
    return replace(old, sha256=sha256_bytes(snapshot.encode("utf-8")), name=before.get("name") or old.name,
                   updated_at=as_.get("updated_at") or before.get("updated_at"))


def _describes_push(current: Entry | None, old: Entry, step: Step) -> bool:
    """Whether the manifest's entry records the content the push wrote rather than the entry
    from before the push (the same hash only when the push wrote the pulled content back: the
    ``updated_at`` then tells)."""
    if current is None or current.sha256 != step.sha256:
        return False
    if current.sha256 != old.sha256:
        return True
    return current.updated_at is not None and current.updated_at == (step.after or {}).get("updated_at")


def _recreated(old: Entry, step: Step) -> Entry:
    as_ = step.restored_as or {}
    group = old.group
    if old.kind == "query" and as_.get("group_id") is not None and group:
        group = {"id": int(as_["group_id"]), "name": group.get("name", "")}
    return replace(old, id=int(as_["id"]), guid=as_.get("guid") or old.guid,
                   updated_at=as_.get("updated_at"), group=group)
