"""The objects of one side, with what the comparison looks at: identity (kind, name, API group
and verb, guid), inputs, envelope, schedule, calls and tables, from the facts the linter keeps
for each file (:mod:`xanoctl.lint.facts`): one parser, one walk."""

from __future__ import annotations

from dataclasses import dataclass, field

from xanoctl.lint.facts import FileResult
from xanoctl.xano.kinds import FOLDERS, lookup

# folder -> kind, the deepest folders first (`table/trigger/` before `table/`); `api/` holds endpoints
_BY_FOLDER = sorted(((folder, kind) for kind, folder in FOLDERS.items() if kind != "api_group"),
                    key=lambda pair: -pair[0].count("/"))


@dataclass
class Obj:
    kind: str
    name: str
    path: str
    text: str
    guid: str | None = None
    group: str | None = None
    verb: str | None = None
    parsed: bool = True
    inputs: tuple[tuple[str, str, bool], ...] | None = None  # (name, type, required)
    envelope: str | None = None  # envelope, other, unknown, none (functions only)
    schedule: tuple | None = None  # (active, events) for tasks
    calls: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (kind, name)
    tables: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (table, read|write)
    shared: bool = False  # shared by every branch: a table of a live:BRANCH side

    @property
    def key(self) -> tuple:
        """What identifies the object without a guid: kind and name; an endpoint by API group,
        verb and path; a document a workspace (a branch) holds one of by its kind alone (two
        branches' settings differ by their labels)."""
        if self.kind == "query":
            return (self.kind, self.group or "", self.verb or "", self.name)
        if lookup(self.kind).single:
            return (self.kind,)
        return (self.kind, self.name)

    @property
    def label(self) -> str:
        """``Workers/Sync People``; an endpoint as ``app GET users/{id}``."""
        if self.kind == "query":
            return f"{self.group or '?'} {self.verb or '?'} {self.name}"
        return self.name


def objects_of(path: str, data: bytes, result: FileResult, guid: str | None = None,
               group: str | None = None) -> list[Obj]:
    """The objects of one file (one, normally; none when empty), from its facts."""
    text = data.decode("utf-8", errors="replace")
    if not result.parsed:
        return [_unparsed(path, text, guid, group)]
    found = []
    for doc in result.documents:
        obj = Obj(kind=doc.kind, name=doc.name, path=path, text=text, guid=doc.guid or guid,
                  group=doc.group or group or _folder_group(path) if doc.kind == "query" else None,
                  verb=doc.verb)
        _facts(obj, result)
        found.append(obj)
    return found


def _facts(obj: Obj, result: FileResult) -> None:
    for doc in result.documents:
        if (doc.kind, doc.name) != (obj.kind, obj.name):
            continue
        obj.inputs = doc_inputs(doc)
        obj.calls = frozenset((ref.kind, ref.name) for ref in doc.refs if ref.kind != "table")
        obj.tables = frozenset((ref.name, ref.mode) for ref in doc.refs if ref.kind == "table")
    for fact in result.functions:
        if fact.name == obj.name and obj.kind == "function":
            obj.envelope = fact.status
    for task in result.tasks:
        if task.name == obj.name and obj.kind == "task":
            events = None if task.events is None else tuple(
                (_iso(e.starts_on), e.freq, _iso(e.ends_on), e.valid) for e in task.events)
            obj.schedule = (task.active, events)


def doc_inputs(doc) -> tuple[tuple[str, str, bool], ...] | None:
    return None if doc.inputs is None else tuple((i.name, i.type, i.required) for i in doc.inputs)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _folder_group(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "api" else None


def _unparsed(path: str, text: str, guid: str | None, group: str | None) -> Obj:
    """A file that does not parse: known by its folder and file name only."""
    parts = path.split("/")
    folder, kind = next(((f, k) for f, k in _BY_FOLDER if path.startswith(f + "/")), (parts[0], parts[0]))
    if kind == "query" and parts[-1] == "api_group.xs":
        kind = "api_group"
    name = path[len(folder) + 1:-3] if path.endswith(".xs") else path
    return Obj(kind=kind, name=name, path=path, text=text, guid=guid, group=group or _folder_group(path),
               parsed=False)
