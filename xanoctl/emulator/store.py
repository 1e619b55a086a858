"""The emulator's workspaces, branches and objects, in memory (no HTTP here).

Ids are integers counted per kind across all branches; guids are assigned once and never
change; timestamps are epoch milliseconds internally and ``updated_at`` moves forward by at
least one second on every successful update, so that it visibly changes even in the
``"2023-04-19 21:01:32+0000"`` form. A draft (``publish=false``) is kept beside the live
XanoScript until the next published update.

Tables belong to the workspace, not to a branch (:data:`xanoctl.xano.remote.WORKSPACE_KINDS`):
every branch of a workspace holds the very same dict of them, so a table created, changed or
deleted through any branch is the live database's, seen from every branch; the other kinds are
copied when a branch is made and stay the branch's own. A branch's own settings document
(``branch <label> {...}``), when it has one, follows it: a branch made from it gets a copy under
its own label (and color), and a branch's new label or color shows in it. Documents of a type
xanoctl does not know (one a multidoc import brings) are kept by their keyword, per branch.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from xanoctl.xano.kinds import NAMES
from xanoctl.xano.remote import WORKSPACE_KINDS

KINDS = NAMES
LIVE_BRANCH = "v1"


class ApiError(Exception):
    """An error answer of the Metadata API: status, code, message, payload."""

    def __init__(self, status: int, code: str, message: str = "", payload: Any = None):
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.message = message
        self.payload = payload

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.payload is not None:
            body["payload"] = self.payload
        return body


def not_found(message: str = "") -> ApiError:
    return ApiError(404, "ERROR_CODE_NOT_FOUND", message)


def input_error(message: str, param: str | None = None) -> ApiError:
    return ApiError(400, "ERROR_CODE_INPUT_ERROR", message, {"param": param} if param else None)


@dataclass
class StoredObject:
    kind: str
    id: int
    name: str
    guid: str
    xanoscript: str
    created_at: int
    updated_at: int
    description: str = ""
    tags: list[str] = field(default_factory=list)
    verb: str | None = None
    group_id: int | None = None  # endpoints only
    fields: dict[str, Any] = field(default_factory=dict)  # kind-specific API fields (active, canonical...)
    draft: str | None = None  # unpublished XanoScript
    draft_updated_at: int | None = None
    xanoscript_error: str | None = None  # set to make the API answer {status: "error"}
    outcomes: dict[str, Any] = field(default_factory=dict)  # scripted runs and answers (emulator/runs.py, public.py)


@dataclass
class Branch:
    label: str
    created_at: int
    live: bool = False
    backup: bool = False
    description: str = ""
    color: str = ""
    # by kind; the dicts of the workspace-scoped kinds are the same objects in every branch
    objects: dict[str, dict[int, StoredObject]] = field(default_factory=lambda: {k: {} for k in KINDS})
    # the branch's knowledge (agents.md, docs, skills), as `/knowledge/sync` exchanges them
    knowledge: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Workspace:
    id: int
    name: str
    description: str = ""
    branches: dict[str, Branch] = field(default_factory=dict)

    @property
    def live(self) -> Branch:
        for branch in self.branches.values():
            if branch.live:
                return branch
        return self.branches[LIVE_BRANCH]


def format_time(ms: int, style: str = "string") -> Any:
    """``"2025-01-06 09:00:00+0000"`` (the API reference's form) or epoch ms."""
    if style == "ms":
        return ms
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S+0000")


def new_canonical() -> str:
    """A canonical for a new API group (Xano's are 8 URL-safe characters)."""
    return secrets.token_urlsafe(6)[:8]


def stable_guid(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:27]


_BRANCH_HEADER = re.compile(r'^([ \t]*branch[ \t]+)("(?:[^"\\\n]|\\.)*"|[^\s{]+)', re.MULTILINE)
_COLOR = re.compile(r'^([ \t]*color[ \t]*=[ \t]*)"[^"\n]*"', re.MULTILINE)


def branch_settings(text: str, label: str, color: str | None = None) -> str:
    """A branch's settings document under another label (and ``color``, when given)."""
    name = label if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", label) else json.dumps(label)
    text = _BRANCH_HEADER.sub(lambda m: m.group(1) + name, text, count=1)
    if color is not None:
        text = _COLOR.sub(lambda m: m.group(1) + json.dumps(color), text, count=1)
    return text


def _wall_clock_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Store:
    """Every workspace of one emulated instance."""

    workspaces: dict[int, Workspace] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    clock: Callable[[], int] = field(default=_wall_clock_ms, repr=False, compare=False)

    # ------------------------------------------------------------------ structure

    def add_workspace(self, name: str, description: str = "", workspace_id: int | None = None,
                      created_at: int | None = None) -> Workspace:
        wid = workspace_id or max(self.workspaces, default=0) + 1
        workspace = Workspace(wid, name, description)
        stamp = self.clock() if created_at is None else created_at
        workspace.branches[LIVE_BRANCH] = Branch(LIVE_BRANCH, stamp, live=True)
        self.workspaces[wid] = workspace
        return workspace

    def workspace(self, wid: int) -> Workspace:
        try:
            return self.workspaces[wid]
        except KeyError:
            raise not_found(f"workspace {wid} not found") from None

    def branch(self, wid: int, label: str | None) -> Branch:
        workspace = self.workspace(wid)
        if not label:
            return workspace.live
        try:
            return workspace.branches[label]
        except KeyError:
            raise not_found(f"branch {label!r} not found") from None

    def create_branch(self, wid: int, label: str, source: str | None, description: str = "",
                      color: str = "") -> Branch:
        workspace = self.workspace(wid)
        if not label:
            raise input_error("Missing param: label", "label")
        if label in workspace.branches:
            raise input_error("This branch label is already being used.", "label")
        origin = self.branch(wid, source)
        branch = Branch(label, self.clock(), description=description, color=color)
        for kind, objects in origin.objects.items():
            if kind in WORKSPACE_KINDS:
                branch.objects[kind] = objects  # not copied: the workspace's own, shared
                continue
            for obj in objects.values():
                copy = StoredObject(**{**asdict(obj), "id": self._new_id(kind)})
                if kind == "branch":  # the branch's own settings, under its own label
                    copy.name, copy.xanoscript = label, branch_settings(copy.xanoscript, label, color or None)
                branch.objects.setdefault(kind, {})[copy.id] = copy
        # endpoints follow their group's new id
        group_ids = {old.id: new.id for old, new in zip(origin.objects["api_group"].values(),
                                                        branch.objects["api_group"].values())}
        for endpoint in branch.objects["query"].values():
            endpoint.group_id = group_ids.get(endpoint.group_id, endpoint.group_id)
        workspace.branches[label] = branch
        return branch

    def edit_branch(self, wid: int, label: str, *, new_label: str | None = None, description: str | None = None,
                    color: str | None = None) -> Branch:
        """Change a branch's label, description or color (the label of ``v1`` cannot change)."""
        workspace = self.workspace(wid)
        branch = self.branch(wid, label)
        if new_label is not None and new_label != branch.label:
            if branch.label == LIVE_BRANCH:
                raise input_error(f'The "{LIVE_BRANCH}" branch label cannot be changed.', "label")
            if not new_label.strip():
                raise input_error("Missing param: label", "label")
            if new_label in workspace.branches:
                raise input_error("This branch label is already being used.", "label")
            workspace.branches = {(new_label if key == branch.label else key): value
                                  for key, value in workspace.branches.items()}
            branch.label = new_label
        if description is not None:
            branch.description = description
        if color is not None:
            branch.color = color
        for settings in branch.objects.get("branch", {}).values():  # its settings document shows them
            settings.name = branch.label
            settings.xanoscript = branch_settings(settings.xanoscript, branch.label, color)
        return branch

    def set_live(self, wid: int, label: str) -> Branch:
        """Make ``label`` the live branch (the one unqualified requests use)."""
        workspace = self.workspace(wid)
        branch = self.branch(wid, label)
        for other in workspace.branches.values():
            other.live = other is branch
        return branch

    def delete_branch(self, wid: int, label: str) -> None:
        workspace = self.workspace(wid)
        branch = self.branch(wid, label)
        if label == LIVE_BRANCH or branch.live:
            raise ApiError(400, "ERROR_CODE_BAD_REQUEST", f"the branch {label!r} cannot be deleted")
        del workspace.branches[label]

    # ------------------------------------------------------------------ objects

    def _new_id(self, kind: str) -> int:
        ident = self.next_ids.get(kind, 1)
        self.next_ids[kind] = ident + 1
        return ident

    def locate(self, wid: int, kind: str, object_id: int) -> tuple[Branch, StoredObject]:
        """The object with that id in any branch of the workspace (ids are unique across
        branches); a workspace-scoped object is found in the live branch, as every branch
        holds it."""
        workspace = self.workspace(wid)
        if kind in WORKSPACE_KINDS:
            obj = workspace.live.objects[kind].get(object_id)
            if obj is None:
                raise not_found()
            return workspace.live, obj
        for branch in workspace.branches.values():
            obj = branch.objects[kind].get(object_id)
            if obj is not None:
                return branch, obj
        raise not_found()

    def objects(self, branch: Branch, kind: str, group_id: int | None = None) -> list[StoredObject]:
        items = list(branch.objects[kind].values())
        if kind == "query":
            items = [obj for obj in items if obj.group_id == group_id]
        return items

    def check_unique(self, branch: Branch, kind: str, name: str, verb: str | None,
                     group_id: int | None, exclude: int | None = None) -> None:
        for obj in self.objects(branch, kind, group_id):
            if obj.id != exclude and obj.name == name and (kind != "query" or obj.verb == verb):
                raise input_error("This name is already being used. Please choose a unique name.", "name")

    def add(self, branch: Branch, kind: str, name: str, xanoscript: str, *, verb: str | None = None,
            group_id: int | None = None, description: str | None = "", tags: Iterable[str] = (),
            fields: dict[str, Any] | None = None, guid: str | None = None,
            created_at: int | None = None, object_id: int | None = None) -> StoredObject:
        """Store a new object without validating its XanoScript (seeds and tests use this to
        plant anything, hostile names included)."""
        if kind == "query" and group_id not in branch.objects["api_group"]:
            raise not_found(f"api group {group_id} not found")
        stamp = self.clock() if created_at is None else created_at
        ident = object_id if object_id is not None else self._new_id(kind)
        self.next_ids[kind] = max(self.next_ids.get(kind, 1), ident + 1)
        obj = StoredObject(kind=kind, id=ident, name=name, guid=guid or secrets.token_urlsafe(20)[:27],
                           xanoscript=xanoscript, created_at=stamp, updated_at=stamp,
                           description=description or "", tags=list(tags), verb=verb.upper() if verb else None,
                           group_id=group_id if kind == "query" else None, fields=dict(fields or {}))
        obj.fields.pop("schedule", None)  # the API never shows a schedule
        branch.objects.setdefault(kind, {})[ident] = obj
        return obj

    def replace(self, obj: StoredObject, *, name: str, xanoscript: str, verb: str | None, description: str | None,
                tags: Iterable[str], fields: dict[str, Any], publish: bool) -> StoredObject:
        """Apply an update: the live version when ``publish``, else a draft beside it. A
        ``description`` of None (the document has none, e.g. only a leading ``//`` comment)
        keeps the object's description."""
        stamp = max(self.clock(), obj.updated_at + 1000)
        if publish:
            obj.name, obj.xanoscript, obj.tags = name, xanoscript, list(tags)
            if description is not None:
                obj.description = description
            if verb:
                obj.verb = verb.upper()
            obj.fields.update({k: v for k, v in fields.items() if k != "schedule"})
            obj.draft = obj.draft_updated_at = None
            obj.xanoscript_error = None
        else:
            obj.draft, obj.draft_updated_at = xanoscript, stamp
        obj.updated_at = stamp
        return obj

    def remove(self, branch: Branch, kind: str, object_id: int) -> None:
        if object_id not in branch.objects[kind]:
            raise not_found()
        del branch.objects[kind][object_id]
        if kind == "api_group":  # a group takes its endpoints with it
            for endpoint in [e for e in branch.objects["query"].values() if e.group_id == object_id]:
                del branch.objects["query"][endpoint.id]

    # ------------------------------------------------------------------ persistence

    def to_json(self) -> dict[str, Any]:
        """Each workspace with its workspace-scoped objects once (``shared``) and its branches
        with their own."""
        workspaces = []
        for workspace in self.workspaces.values():
            branches = {}
            for label, branch in workspace.branches.items():
                raw = {name: getattr(branch, name) for name in ("label", "created_at", "live", "backup",
                                                                 "description", "color", "knowledge")}
                raw["objects"] = {kind: _objects_json(objects) for kind, objects in branch.objects.items()
                                  if kind not in WORKSPACE_KINDS}
                branches[label] = raw
            shared = {kind: _objects_json(workspace.live.objects[kind]) for kind in sorted(WORKSPACE_KINDS)}
            workspaces.append({"id": workspace.id, "name": workspace.name, "description": workspace.description,
                               "shared": shared, "branches": branches})
        return {"next_ids": self.next_ids, "workspaces": workspaces}

    @classmethod
    def from_json(cls, data: dict[str, Any], clock: Callable[[], int] | None = None) -> "Store":
        """A store from :meth:`to_json`'s data, or from an older file that kept tables per
        branch: those become one set, the live branch's, plus any id only another branch had."""
        store = cls() if clock is None else cls(clock=clock)
        store.next_ids = {str(k): int(v) for k, v in data.get("next_ids", {}).items()}
        for raw in data.get("workspaces", []):
            branches = {}
            for label, braw in raw.get("branches", {}).items():
                objects = {kind: {} for kind in KINDS}
                for kind, items in braw.get("objects", {}).items():
                    for key, item in items.items():
                        objects.setdefault(kind, {})[int(key)] = StoredObject(**item)
                branches[label] = Branch(**{**braw, "objects": objects})
            workspace = Workspace(int(raw["id"]), raw["name"], raw.get("description", ""), branches)
            for kind in WORKSPACE_KINDS:
                shared = {int(key): StoredObject(**item) for key, item in raw.get("shared", {}).get(kind, {}).items()}
                for branch in sorted(branches.values(), key=lambda b: not b.live):
                    for key, obj in branch.objects[kind].items():
                        shared.setdefault(key, obj)
                for branch in branches.values():
                    branch.objects[kind] = shared
            store.workspaces[workspace.id] = workspace
        return store

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)


def _objects_json(objects: dict[int, StoredObject]) -> dict[str, Any]:
    return {str(key): asdict(obj) for key, obj in objects.items()}
