"""What a pull decides (:class:`PullPlan`: the file operations and the new manifest) and what
it reports (:class:`PullResult`, made of :class:`Change` records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xanoctl.sync.manifest import Entry, Manifest
from xanoctl.ui import words
from xanoctl.xano.remote import RemoteObject, parents_label


@dataclass(frozen=True)
class Change:
    action: str  # added, changed, removed, conflict, error
    kind: str
    id: int
    name: str
    path: str
    old_path: str | None = None
    reason: str = ""
    parents: tuple[str, ...] = ()  # a realtime v2 document's server (and channel)

    @classmethod
    def of(cls, action: str, obj: "RemoteObject | Entry", path: str, *, old_path: str | None = None,
           reason: str = "") -> "Change":
        """What happened to a remote object, or to a manifest entry, at ``path``."""
        return cls(action, obj.kind, obj.id, obj.name, path, old_path, reason, obj.parents)

    def label(self) -> str:
        return f"{self.kind} {self.name!r}{parents_label(self.kind, self.parents)} (id {self.id})"

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "parents": list(self.parents),
                "path": self.path, "old_path": self.old_path, "reason": self.reason}


@dataclass
class PullResult:
    folder: Path
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    errors: list[Change] = field(default_factory=list)
    merged: list[Change] = field(default_factory=list)  # changed on both sides, merged (reason: conflicts left)
    unchanged: int = 0
    written: list[str] = field(default_factory=list)  # relative paths written (manifest included)
    deleted: list[str] = field(default_factory=list)  # relative paths removed
    requests: int = 0
    pages: int = 0
    commit: str | None = None
    swept: list[str] = field(default_factory=list)  # temporary files left by a killed run, removed
    kept: list[str] = field(default_factory=list)  # files modified locally (remote unchanged), left as they are
    shared: int = 0  # objects every branch shares (tables), pulled on a named branch: the live database's
    unreachable: dict[str, str] = field(default_factory=dict)  # kind -> why it was not pulled, what to do

    @property
    def wrote_nothing(self) -> bool:
        return not self.written and not self.deleted

    def summary(self) -> str:
        """``2 changed, 1 merged (1 with conflict markers), 1 deleted, 74 unchanged, 1 conflict (9
        requests, 8 pages)``: the counts that are not zero."""
        marked = sum(1 for change in self.merged if change.reason)
        merged = f"merged ({marked} with conflict markers)" if marked else "merged"
        counts = words.counts([(len(self.added), "added"), (len(self.changed), "changed"),
                               (len(self.merged), merged), (len(self.removed), "deleted"),
                               (self.unchanged, "unchanged"),
                               (len(self.conflicts), "conflict" if len(self.conflicts) == 1 else "conflicts"),
                               (len(self.errors), "unreadable")], empty="no objects")
        return f"{counts} ({words.plural(self.requests, 'request')}, {words.plural(self.pages, 'page')})"

    def as_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "added": [c.as_json() for c in self.added],
                "changed": [c.as_json() for c in self.changed], "removed": [c.as_json() for c in self.removed],
                "conflicts": [c.as_json() for c in self.conflicts], "errors": [c.as_json() for c in self.errors],
                "merged": [c.as_json() for c in self.merged],
                "unchanged": self.unchanged, "wrote_nothing": self.wrote_nothing, "written": self.written,
                "deleted": self.deleted, "requests": self.requests, "pages": self.pages, "commit": self.commit,
                "swept": self.swept, "kept": self.kept, "shared": self.shared, "unreachable": self.unreachable}


@dataclass
class PullPlan:
    """The file operations of a pull, and its new manifest (``lock``: its text, when already
    rendered)."""

    writes: dict[str, bytes] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)
    bases: list[bytes] = field(default_factory=list)  # remote contents written (or merged): the next base
    manifest: Manifest = field(default_factory=Manifest)
    lock: bytes | None = None
