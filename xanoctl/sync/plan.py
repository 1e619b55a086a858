"""What a push will do: which objects to update, create or delete, in which order, and which
of them conflict with a change made remotely since the last pull.

1. :func:`local_changes` (no network): a file modified since the pull is an update; a file the
   manifest does not know is a create (kind and name from its header, endpoints' group from
   ``api_group = "..."`` or their ``api/<group>/`` folder); a tracked file deleted locally is a
   delete, with ``delete=True`` only.
2. :func:`check_remote` (reads only): fetches each object to update or delete (its current
   XanoScript becomes the snapshot a failed push restores), compares its ``updated_at`` with
   the manifest's (a conflict unless ``force``), and makes sure no object already carries a
   name that a create would take.

Writes run in phases (:func:`phase`): creates then updates, kind by kind (tables, functions,
middleware, API groups, endpoints, tasks: what is referred to before what refers to it), then
deletes in the reverse kind order. Objects within one phase are independent and are written
concurrently; a restore undoes the phases in reverse order.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from xanoctl.xano.client import AsyncXanoClient
from xanoctl.sync.identity import Identity, UnreadableDocument, of_entry, read_identity
from xanoctl.sync.journal import Step
from xanoctl.sync.localscan import Base, as_pushed, scan
from xanoctl.sync.manifest import Entry, Manifest, sha256_bytes
from xanoctl.xano.client import undeletable
from xanoctl.xano.kinds import lookup, multidoc_only, rank
from xanoctl.xano.remote import RemoteObject
from xanoctl.sync.status import new_group_names, remote_state
from xanoctl.sync.workspace import WorkspaceFolder
from xanoctl.ui.words import plural

UPDATE, CREATE, DELETE = "update", "create", "delete"


def phase(action: str, kind: str) -> int:
    """Creates then updates kind by kind in the pull order, then deletes in the reverse order (a
    document type xanoctl does not know: after every known kind, deleted first)."""
    index = rank(kind)
    if action == CREATE:
        return 2 * index
    if action == UPDATE:
        return 2 * index + 1
    return 100 + (rank("") - index)


@dataclass
class Candidate:
    """One object to write, as the local side sees it."""

    action: str
    path: str
    identity: Identity
    entry: Entry | None = None
    content: str | None = None  # the XanoScript to push (update, create)

    @property
    def sha256(self) -> str | None:
        return None if self.content is None else sha256_bytes(self.content.encode("utf-8"))


@dataclass
class Conflict:
    path: str
    label: str
    reason: str  # "changed remotely" or "deleted remotely"
    pulled_at: Any = None
    remote_at: Any = None
    remote: RemoteObject | None = None
    entry: Entry | None = None


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # refusals that --force does not lift
    notes: list[str] = field(default_factory=list)  # things left alone, for the report
    forced: list[Conflict] = field(default_factory=list)  # conflicts overridden by --force

    def counts(self) -> dict[str, int]:
        out = {UPDATE: 0, CREATE: 0, DELETE: 0}
        for step in self.steps:
            action = DELETE if step.action == "forget" else step.action
            out[action] += 1
        return out


def local_changes(folder: WorkspaceFolder, manifest: Manifest, prefixes: list[str] | None,
                  *, delete: bool = False, base: Base | None = None) -> tuple[list[Candidate], list[str], list[str]]:
    """(candidates, problems, notes) from the working tree. ``base``: an entry's pulled content,
    to leave out files that differ from it only in spacing Xano does not keep."""
    candidates: list[Candidate] = []
    problems: list[str] = []
    notes: list[str] = []
    files = scan(folder, manifest, prefixes, base=base)
    spaced = sum(1 for item in files if item.spacing_only)
    if spaced:
        notes.append(f"{spaced} file{'s' if spaced != 1 else ''} differ{'s' if spaced == 1 else ''} only in spacing "
                     "Xano does not keep (a final newline, spaces at line ends): not pushed")
    notes += [f"{item.path}: its env clause is kept locally (Xano's environment is never pushed: it holds "
              "secrets): not pushed" for item in files if item.env_only]
    new_paths = [item.path for item in files if item.entry is None]
    groups = new_group_names(folder, new_paths, manifest)
    tracked = {of_entry(entry): entry for entry in manifest.entries.values()}
    for item in files:
        entry = item.entry
        if entry is None:
            continue
        if item.missing:
            if multidoc_only(entry.kind):  # no route deletes it
                (problems if delete else notes).append(f"{entry.path}: deleted locally; {undeletable(entry.kind)}")
            elif delete:
                candidates.append(Candidate(DELETE, entry.path, of_entry(entry), entry))
            else:
                notes.append(f"{entry.path}: deleted locally; `push --delete` deletes {of_entry(entry).label()} remotely")
            continue
        if not item.modified:
            continue
        content = _text(folder, entry.path, problems)
        if content is None:
            continue
        try:
            declared = read_identity(entry.path, content.encode("utf-8"), manifest, groups)
        except UnreadableDocument:
            declared = None  # the lint gate (or Xano) will say why
        if declared is not None and declared.kind != entry.kind:
            problems.append(f"{entry.path}: declares a {declared.kind}, but it is the {entry.kind} "
                            f"{entry.name!r} (id {entry.id}); an object cannot change kind")
            continue
        if declared is not None and entry.kind == "branch" and declared.name != entry.name:
            problems.append(f"{entry.path}: renames the branch {entry.name!r} to {declared.name!r}; its settings "
                            "document names the branch it is pulled from: change a branch's label in Xano's branch "
                            "settings, then pull")
            continue
        if declared is not None and multidoc_only(entry.kind) and not lookup(entry.kind).single \
                and declared != of_entry(entry):
            problems.append(f"{entry.path}: renames {of_entry(entry).label()} to {declared.label()}; a {entry.kind} "
                            "travels in the multidoc import, which matches a document by its name: it would create "
                            "a second one beside the first, which no route deletes; rename it in Xano, then pull")
            continue
        candidates.append(Candidate(UPDATE, entry.path, of_entry(entry), entry, as_pushed(entry.kind, content)))
    creates: dict[Identity, str] = {}
    for rel in new_paths:
        content = _text(folder, rel, problems)
        if content is None:
            continue
        try:
            ident = read_identity(rel, content.encode("utf-8"), manifest, groups)
        except UnreadableDocument as exc:
            problems.append(f"cannot create from {exc}")
            continue
        if ident in tracked:
            other = tracked[ident]
            problems.append(f"{rel}: declares {ident.label()}, which is tracked as {other.path} (id {other.id}); "
                            "edit that file instead, or move it back")
            continue
        if ident in creates:
            problems.append(f"{rel}: declares {ident.label()}, like {creates[ident]}")
            continue
        if lookup(ident.kind).single:  # one per workspace (or branch): its settings, its error trigger
            other = next((e for e in manifest.entries.values() if e.kind == ident.kind), None) or next(
                (k for k in creates if k.kind == ident.kind), None)
            if other is not None:
                where = other.path if isinstance(other, Entry) else creates[other]
                owner = "branch" if ident.kind == "branch" else "workspace"
                problems.append(f"{rel}: a second {ident.kind} document; the {owner} has one, {where}: edit that "
                                "file instead, and delete this one")
                continue
        creates[ident] = rel
        candidates.append(Candidate(CREATE, rel, ident, None, as_pushed(ident.kind, content)))
    if delete:
        problems += _orphaned_endpoints(candidates, manifest, folder)
    return candidates, problems, notes


def _text(folder: WorkspaceFolder, rel: str, problems: list[str]) -> str | None:
    data = folder.read(rel)
    if data is None:
        problems.append(f"{rel}: cannot read the file")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{rel}: not UTF-8 text; XanoScript files are UTF-8")
        return None


def _orphaned_endpoints(candidates: list[Candidate], manifest: Manifest, folder: WorkspaceFolder) -> list[str]:
    """Deleting an API group deletes its endpoints: refuse unless they are deleted too."""
    deleted = {c.entry.key for c in candidates if c.action == DELETE and c.entry is not None}
    problems = []
    for c in candidates:
        if c.action != DELETE or c.entry is None or c.entry.kind != "api_group":
            continue
        kept = [e for e in manifest.entries.values()
                if e.kind == "query" and e.group_id == c.entry.id and e.key not in deleted]
        if kept:
            names = ", ".join(e.path for e in kept[:3]) + (" ..." if len(kept) > 3 else "")
            problems.append(f"{c.path}: deleting the API group {c.entry.name!r} would delete its endpoints "
                            f"too, and these still have files: {names}")
    return problems


async def check_remote(client: AsyncXanoClient, candidates: list[Candidate], manifest: Manifest,
                       *, force: bool = False) -> Plan:
    """The plan: steps with snapshots, conflicts, and refusals."""
    plan = Plan()
    tracked = [c for c in candidates if c.entry is not None]
    client.progress.begin(f"checking {plural(len(candidates), 'object')} against Xano")
    fetched = await asyncio.gather(*(client.find(c.entry.kind, c.entry.id, group_id=c.entry.group_id,
                                                 group_name=(c.entry.group or {}).get("name"))
                                     for c in tracked if c.entry is not None))
    current = {c.entry.key: obj for c, obj in zip(tracked, fetched) if c.entry is not None}
    creates = [c for c in candidates if c.action == CREATE]
    new_groups = {c.identity.name for c in creates if c.identity.kind == "api_group"}
    groups = {e.name: e for e in manifest.entries.values() if e.kind == "api_group"}
    taken = await asyncio.gather(*(_existing(client, c, groups) for c in creates))
    client.progress.end()
    plan_items: list[tuple[Candidate, str, RemoteObject | None]] = []
    for c in tracked:
        assert c.entry is not None
        obj = current[c.entry.key]
        state = remote_state(c.entry, obj)
        if state.state == "deleted":
            if c.action == DELETE:
                plan.notes.append(f"{c.path}: {c.identity.label()} is already gone remotely")
                plan_items.append((c, "forget", None))
                continue
            conflict = Conflict(c.path, _label(c), "deleted remotely", c.entry.updated_at, None, None, c.entry)
            if not force:
                plan.conflicts.append(conflict)
                continue
            plan.forced.append(conflict)
            plan_items.append((c, CREATE, None))
            continue
        if state.state == "changed":
            conflict = Conflict(c.path, _label(c), "changed remotely", c.entry.updated_at, state.updated_at,
                                obj, c.entry)
            if not force:
                plan.conflicts.append(conflict)
                continue
            plan.forced.append(conflict)
        assert obj is not None
        if obj.xanoscript is None:
            plan.problems.append(f"{c.path}: Xano cannot render the XanoScript of {_label(c)} "
                                 f"({obj.xanoscript_error}); without a snapshot a failed push could not "
                                 "restore it, so it is not pushed")
            continue
        plan_items.append((c, c.action, obj))
    for c, existing in zip(creates, taken):
        if existing is not None:
            plan.problems.append(f"{c.path}: {existing.label()} already exists remotely but xanoctl.lock does "
                                 "not know it: run `xanoctl pull` first")
            continue
        if c.identity.kind == "query" and c.identity.group not in groups and c.identity.group not in new_groups:
            plan.problems.append(f"{c.path}: the API group {c.identity.group!r} exists neither in xanoctl.lock "
                                 "nor among the files to push")
            continue
        plan_items.append((c, CREATE, None))
    plan.steps = _steps(plan_items, groups)
    return plan


async def _existing(client: AsyncXanoClient, c: Candidate, groups: dict[str, Entry]) -> RemoteObject | None:
    """The remote object that already has the identity a create would take, if any."""
    ident = c.identity
    if ident.kind == "query":
        group = groups.get(ident.group or "")
        if group is None:
            return None  # a new group has no endpoints yet
        found = await client.list_objects("query", group_id=group.id, group_name=group.name, search=ident.name)
    elif lookup(ident.kind).single:  # the workspace (or the branch) has one, whatever it is called
        found = await client.list_objects(ident.kind)
        return found[0] if found else None
    else:
        found = await client.list_objects(ident.kind, search=ident.name)
    for obj in found:
        if obj.name == ident.name and (ident.kind != "query" or obj.verb == ident.verb) \
                and (not ident.parents or obj.parents == ident.parents):
            return obj
    return None


def _label(c: Candidate) -> str:
    return c.identity.label() + (f" (id {c.entry.id})" if c.entry is not None else "")


def _steps(items: list[tuple[Candidate, str, RemoteObject | None]], groups: dict[str, Entry]) -> list[Step]:
    steps: list[Step] = []
    group_creates: dict[str, Step] = {}
    ordered = sorted(items, key=lambda item: (phase(item[1] if item[1] != "forget" else DELETE,
                                                    item[0].identity.kind), item[0].path))
    for seq, (c, action, obj) in enumerate(ordered, start=1):
        entry = c.entry
        kind = c.identity.kind
        step = Step(seq=seq, action=action, kind=kind, name=c.identity.name, path=c.path,
                    phase=phase(action if action != "forget" else DELETE, kind),
                    id=entry.id if entry is not None and action != CREATE else None,
                    verb=c.identity.verb, content=c.content, sha256=c.sha256,
                    entry=entry.as_json() if entry is not None else None)
        if obj is not None:
            step.before = {"id": obj.id, "name": obj.name, "guid": obj.guid, "updated_at": obj.updated_at,
                           "xanoscript": obj.xanoscript}
        if kind == "api_group" and action == CREATE:
            group_creates[c.identity.name] = step
        if kind == "query":
            if entry is not None and entry.group:
                step.group = dict(entry.group)
            elif c.identity.group in groups:
                group = groups[c.identity.group or ""]
                step.group = {"id": group.id, "name": group.name}
            else:
                step.group = {"id": None, "name": c.identity.group}
                creator = group_creates.get(c.identity.group or "")
                step.group_seq = creator.seq if creator else None
        steps.append(step)
    return steps
