"""``xanoctl status``: every object, classified.

Local side: the file's sha256 against the manifest's (unchanged, modified, missing; a file the
manifest does not know is new). Remote side: the remote ``updated_at`` against the manifest's,
compared as instants; when only the timestamp moved and the XanoScript is byte for byte what
the manifest describes (a restore after a failed push, a save without a change) the remote is
"touched", not changed. The two sides give one state per object:

=================  =============================  ==============================
local \\ remote     unchanged / touched            changed          deleted
=================  =============================  ==============================
unchanged          unchanged                      changed remotely deleted remotely
modified           modified locally               conflict         conflict
missing            deleted locally                conflict         deleted remotely
=================  =============================  ==============================

plus ``new locally`` (a file the manifest does not know) and ``new remotely`` (an object the
manifest does not know); a new file declaring an object that already exists remotely is a
conflict (pull first). On a named branch, a table is marked ``shared``: its one set is every
branch's, the live database's, not the branch's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from xanoctl.sync.identity import (Identity, UnreadableDocument, group_file_folder, identity_of, of_entry,
                                   of_remote, parse_declared)
from xanoctl.sync.localscan import LocalFile
from xanoctl.sync.manifest import Entry, Manifest, instance_origin, sha256_bytes, shared
from xanoctl.xano.remote import RemoteObject, parents_label, same_instant
from xanoctl.sync.workspace import WorkspaceFolder

if TYPE_CHECKING:
    from xanoctl.sync.context import Context

UNCHANGED = "unchanged"
MODIFIED = "modified locally"
CHANGED = "changed remotely"
CONFLICT = "conflict"
NEW_LOCAL = "new locally"
DELETED_LOCAL = "deleted locally"
DELETED_REMOTE = "deleted remotely"
NEW_REMOTE = "new remotely"
SPACING_NOTE = "differs only in spacing Xano does not keep (a final newline, spaces at line ends): not a change"
ENV_NOTE = ("its env clause is kept locally: Xano's environment is never pulled nor pushed (it holds secrets): "
            "not a change")
STATES = (MODIFIED, NEW_LOCAL, DELETED_LOCAL, CHANGED, NEW_REMOTE, DELETED_REMOTE, CONFLICT, UNCHANGED)


@dataclass(frozen=True)
class RemoteState:
    """``state`` is unchanged, touched (timestamp only), changed or deleted."""

    state: str
    updated_at: Any = None
    obj: RemoteObject | None = None


def remote_state(entry: Entry, obj: RemoteObject | None) -> RemoteState:
    """How the remote object compares with what the manifest recorded at the last pull."""
    if obj is None:
        return RemoteState("deleted")
    if obj.updated_at is None and obj.xanoscript is not None:  # no time shown (the workspace's document)
        same = sha256_bytes(obj.xanoscript.encode("utf-8")) == entry.sha256 and obj.name == entry.name
        return RemoteState("unchanged" if same else "changed", None, obj)
    if same_instant(obj.updated_at, entry.updated_at):
        return RemoteState("unchanged", obj.updated_at, obj)
    if obj.xanoscript is not None and sha256_bytes(obj.xanoscript.encode("utf-8")) == entry.sha256 \
            and obj.name == entry.name:
        return RemoteState("touched", obj.updated_at, obj)
    return RemoteState("changed", obj.updated_at, obj)


@dataclass
class ObjectStatus:
    state: str
    path: str | None
    kind: str | None = None
    name: str | None = None
    id: int | None = None
    verb: str | None = None
    group: str | None = None
    local: str = "unchanged"  # unchanged, modified, missing, new, absent (remote-only)
    remote: str = "unchecked"  # unchanged, touched, changed, deleted, new, unchecked (offline)
    note: str = ""
    pulled_at: Any = None
    remote_at: Any = None
    shared: bool = False  # shared by every branch (a table seen from a named branch)
    parents: tuple[str, ...] = ()  # a realtime v2 document's server (and channel)

    def label(self) -> str:
        if self.kind is None:
            return "(unreadable)"
        what = f"{self.kind} {self.verb} {self.name!r}" if self.kind == "query" else f"{self.kind} {self.name!r}"
        if self.kind == "query" and self.group:
            what += f" in {self.group!r}"
        what += parents_label(self.kind, self.parents)
        return what + (f" (id {self.id})" if self.id is not None else "")

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "state": self.state, "kind": self.kind, "name": self.name, "id": self.id,
                "verb": self.verb, "group": self.group, "parents": list(self.parents), "local": self.local,
                "remote": self.remote, "note": self.note,
                "updated_at": {"pulled": self.pulled_at, "remote": self.remote_at}, "shared": self.shared}


@dataclass
class StatusReport:
    workspace: int | None
    branch: str
    objects: list[ObjectStatus] = field(default_factory=list)
    checked_remote: bool = True
    unfinished_push: str | None = None  # what to run when the last push did not finish
    swept: list[str] = field(default_factory=list)  # temporary files of killed runs, removed now
    writing: list[str] = field(default_factory=list)  # temporary files of runs still going
    unreachable: dict[str, str] = field(default_factory=dict)  # kind -> why its remote was not checked

    @property
    def shared(self) -> int:
        """How many of the objects are shared by every branch."""
        return sum(item.shared for item in self.objects)

    def counts(self) -> dict[str, int]:
        out = {state: 0 for state in STATES}
        for item in self.objects:
            out[item.state] += 1
        return {state: n for state, n in out.items() if n}

    @property
    def differs(self) -> bool:
        return any(item.state != UNCHANGED for item in self.objects)

    def as_json(self) -> dict[str, Any]:
        return {"workspace": self.workspace, "branch": self.branch, "remote_checked": self.checked_remote,
                "counts": self.counts(), "differs": self.differs, "unfinished_push": self.unfinished_push,
                "temporary_files": {"removed": self.swept, "in_use": self.writing},
                "unreachable": self.unreachable, "shared": self.shared,
                "objects": [item.as_json() for item in self.objects]}


_TABLE = {
    ("unchanged", "unchanged"): UNCHANGED, ("unchanged", "touched"): UNCHANGED,
    ("unchanged", "changed"): CHANGED, ("unchanged", "deleted"): DELETED_REMOTE,
    ("modified", "unchanged"): MODIFIED, ("modified", "touched"): MODIFIED,
    ("modified", "changed"): CONFLICT, ("modified", "deleted"): CONFLICT,
    ("missing", "unchanged"): DELETED_LOCAL, ("missing", "touched"): DELETED_LOCAL,
    ("missing", "changed"): CONFLICT, ("missing", "deleted"): DELETED_REMOTE,
    ("unchanged", "unchecked"): UNCHANGED, ("modified", "unchecked"): MODIFIED,
    ("missing", "unchecked"): DELETED_LOCAL,
}
_NOTES = {
    ("modified", "changed"): "modified locally and changed remotely",
    ("modified", "deleted"): "modified locally and deleted remotely",
    ("missing", "changed"): "deleted locally and changed remotely",
    ("missing", "deleted"): "deleted on both sides",
    ("unchanged", "touched"): "remote timestamp moved, content identical",
    ("modified", "touched"): "remote timestamp moved, content identical",
    ("missing", "touched"): "remote timestamp moved, content identical",
}


def _tracked(item: LocalFile, remote: RemoteObject | None, checked: bool) -> ObjectStatus:
    entry = item.entry
    assert entry is not None
    local = "missing" if item.missing else ("modified" if item.modified else "unchanged")
    rstate = remote_state(entry, remote) if checked else RemoteState("unchecked")
    state, note = _TABLE[(local, rstate.state)], _NOTES.get((local, rstate.state), "")
    if state == CONFLICT and local == "modified" and _holds(item, rstate.obj):
        state, note = CHANGED, "the file already holds the remote version (a pull that did not finish?): pull records it"
    if item.spacing_only and not note:
        note = SPACING_NOTE
    elif item.env_only and not note:
        note = ENV_NOTE
    return ObjectStatus(state=state, path=entry.path, kind=entry.kind, name=entry.name, id=entry.id,
                        verb=entry.verb, group=(entry.group or {}).get("name"), local=local, remote=rstate.state,
                        note=note, pulled_at=entry.updated_at, remote_at=rstate.updated_at, parents=entry.parents)


def _holds(item: LocalFile, obj: RemoteObject | None) -> bool:
    """Whether the local file is byte for byte the remote object's XanoScript."""
    return obj is not None and obj.xanoscript is not None and sha256_bytes(obj.xanoscript.encode("utf-8")) == item.sha256


def classify(files: list[LocalFile], manifest: Manifest, folder: WorkspaceFolder,
             remote: Iterable[RemoteObject] | None, prefixes: list[str] | None = None) -> StatusReport:
    """One :class:`ObjectStatus` per selected file or object. ``remote`` None: offline (only
    the local side is known)."""
    checked = remote is not None
    by_key = {obj.key: obj for obj in remote or ()}
    report = StatusReport(manifest.workspace, manifest.branch, checked_remote=checked)
    report.unreachable = dict(getattr(remote, "unreachable", {}))  # kinds not reached: left unchecked
    for item in files:
        if item.entry is not None:
            report.objects.append(_tracked(item, by_key.get(item.entry.key),
                                           checked and item.entry.kind not in report.unreachable))
    claimed = _new_files(files, manifest, folder, by_key, report, checked)
    if checked:
        known = set(manifest.entries)
        for obj in by_key.values():
            if obj.key in known or of_remote(obj) in claimed:
                continue
            if prefixes is not None and not any(p == "" for p in prefixes):
                continue  # a remote-only object has no path to select it by
            report.objects.append(ObjectStatus(NEW_REMOTE, None, obj.kind, obj.name, obj.id, obj.verb,
                                               obj.group_name, local="absent", remote="new",
                                               remote_at=obj.updated_at, note="pull to get it",
                                               parents=obj.parents))
    for item in report.objects:
        item.shared = item.kind is not None and shared(item.kind, manifest.branch)
    report.objects.sort(key=_order)
    return report


def _new_files(files: list[LocalFile], manifest: Manifest, folder: WorkspaceFolder,
               by_key: dict[tuple[str, int], RemoteObject], report: StatusReport,
               checked: bool) -> set[Identity]:
    new = [item for item in files if item.entry is None]
    groups = new_group_names(folder, [item.path for item in new], manifest)
    untracked = [obj for obj in by_key.values() if obj.key not in manifest.entries]
    remote_ids = {of_remote(obj): obj for obj in untracked}
    remote_guids = {obj.guid: obj for obj in untracked if obj.guid}
    tracked_ids = {of_entry(entry): entry for entry in manifest.entries.values()}
    tracked_guids = {entry.guid: entry for entry in manifest.entries.values() if entry.guid}
    claimed: set[Identity] = set()
    for item in new:
        status = ObjectStatus(NEW_LOCAL, item.path, local="new", remote="new" if checked else "unchecked")
        try:
            document = parse_declared(item.path, folder.read(item.path) or b"")
            ident = identity_of(item.path, document, manifest, groups)
        except UnreadableDocument as exc:
            status.note = str(exc)
            report.objects.append(status)
            continue
        status.kind, status.name, status.verb, status.group = ident.kind, ident.name, ident.verb, ident.group
        status.parents = ident.parents
        guid = document.guid
        obj = remote_guids.get(guid or "") or remote_ids.get(ident)  # the guid first, then the name
        other = tracked_guids.get(guid or "") or tracked_ids.get(ident)
        if obj is not None:
            claimed.add(of_remote(obj))
            status.state, status.id, status.remote, status.remote_at = CONFLICT, obj.id, "exists", obj.updated_at
            status.note = "exists remotely but is not in xanoctl.lock: pull first"
        elif other is not None:
            status.state, status.id = CONFLICT, other.id
            status.note = f"declares the same object as {other.path}"
        report.objects.append(status)
    return claimed


def new_group_names(folder: WorkspaceFolder, new_paths: list[str], manifest: Manifest) -> dict[str, str]:
    """``api/<folder>`` -> API group name, for new group files (``api/<folder>/<file>.xs``
    declaring an ``api_group``: ``api_group.xs``, or ``<group>.xs`` in the official layout)."""
    names = {}
    for rel in new_paths:
        where = group_file_folder(rel)
        if where is not None:
            try:
                document = parse_declared(rel, folder.read(rel) or b"")
            except UnreadableDocument:
                continue
            if document.kind == "api_group" and document.name:
                names[where] = document.name
    return names


def _order(item: ObjectStatus) -> tuple:
    return (item.path is None, item.path or "", item.kind or "", item.name or "", item.id or 0)



def workspace_status(ctx: "Context", paths: list[str] | None = None, *, offline: bool = False) -> StatusReport:
    """Status of the selected paths (everything by default), with the remote fetched now
    unless ``offline``."""
    from xanoctl.xano.client import XanoClient
    from xanoctl.sync.localscan import scan, selection
    from xanoctl.sync.pull import check_manifest, fetch
    from xanoctl.xano.kinds import EVERY

    from xanoctl.sync.journal import clear_stale_lock

    prefixes = selection(ctx.folder, paths or [])
    temporary = ctx.sweep()
    clear_stale_lock(ctx.state)
    files = scan(ctx.folder, ctx.manifest, prefixes, ctx.store, ctx.base)
    remote = None
    if not offline:
        with XanoClient.from_config(ctx.config) as client:
            check_manifest(ctx.manifest, client.aio.workspace, client.aio.branch, ctx.folder.root,
                           instance_origin(client.aio.base_url))
            remote = fetch(client, EVERY, ctx.manifest)
    report = classify(files, ctx.manifest, ctx.folder, remote, prefixes)
    report.unfinished_push = unfinished_push(ctx)
    root = ctx.state.parent
    report.swept = sorted(os.path.relpath(path, root) for path in temporary.removed)
    report.writing = sorted(os.path.relpath(path, root) for path in temporary.kept)
    return report


def unfinished_push(ctx: "Context") -> str | None:
    """A sentence about the last push when it did not finish (its process died, or its
    restore is incomplete), else None."""
    return unfinished_in(ctx.state)


def unfinished_in(state: Path) -> str | None:
    """:func:`unfinished_push` of the private folder ``state`` (``.xanoctl/``)."""
    from xanoctl.sync.journal import RESTORE_INCOMPLETE, JournalError, last_journal

    try:
        journal = last_journal(state)
    except JournalError as exc:
        return str(exc)
    if journal is None or journal.finished:
        return None
    operation = journal.header.get("operation", "push")
    if journal.outcome == RESTORE_INCOMPLETE or journal.restoring:
        return (f"the {operation} {journal.id} failed and its restore did not finish: "
                "run `xanoctl rollback --last-push`")
    return (f"the {operation} {journal.id} did not finish ({journal.progress()}): run `xanoctl push --resume` "
            "or `xanoctl rollback --last-push`")
