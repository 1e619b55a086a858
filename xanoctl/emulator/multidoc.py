"""The emulator's multidoc import (no HTTP here): ``POST /workspace/{id}/multidoc`` and its
``/dry-run``, as the official Xano CLI (``xano workspace push``) uses them.

The body is XanoScript documents joined by ``\\n---\\n``. Each document is matched to an object
of the branch by its ``guid = "..."`` when it has one, else by kind and name (an endpoint by its
``api_group = "..."``, name and verb). The dry-run answers one operation per document
(``create``, ``update``, ``unchanged``; a document that cannot be imported says why in
``details``, starting with ``exception:``), ``delete`` operations for the objects no document
names when ``delete=true``, ``truncate`` for the tables when ``truncate=true``, and a summary per
type. The import applies every document; with ``transaction=true`` (the CLI's default) a
document that fails applies nothing at all, without it the documents before it stay applied.
It answers ``{"guid_map": [{type, name, guid, verb?, api_group?, canonical?}]}``. Deletes
happen only with ``delete=true`` and ``partial=false`` (the CLI's ``--sync --delete``). Tables
are the workspace's whatever ``branch`` names: an import into any branch changes the live
database's (:mod:`xanoctl.emulator.store`). As the official CLI's source shows Xano's answers
(``src/utils/multidoc-push.ts``): the dry-run reports every kind of trigger as type ``trigger``,
and the workspace's own document under the fixed name ``workspace`` whatever it is called; that
document is the workspace's one (matched whatever its name, never deleted), and its ``env``
clause is imported only with ``env=true`` (the stored environment stays otherwise) and exported
only with ``env=true``. The other kinds Xano keeps one of are matched the same way: a branch's
settings document (``branch <label>``: the branch imported into, never deleted) and the
workspace's error trigger. A realtime v2 document is matched by its name within its server and
channel (its ``realtime_server`` and ``channel`` clauses: message names repeat from one channel to
the next); a new realtime server gets a canonical, as an API group does. A document of a type
xanoctl does not know is stored and exported as it is, like any other.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from xanoctl.emulator.documents import Header, comparable, header_of, parse, with_canonical
from xanoctl.emulator.store import ApiError, Branch, Store, StoredObject, input_error, new_canonical
from xanoctl.language.environment import env_clause, with_env
from xanoctl.xano.kinds import NAMES, lookup, rank
from xanoctl.xano.remote import parents_in

SEPARATOR = "\n---\n"
KIND_ORDER = NAMES
CANONICAL_KINDS = ("api_group", "agent", "mcp_server", "realtime_server")  # the containers Xano gives a canonical
FLAGS = ("delete", "env", "records", "transaction", "truncate", "partial")
PUSH_DISABLED = ("Push is disabled for this workspace. Enable 'Allow Push' in Workspace Settings, or use sandbox "
                 "commands instead: xano sandbox push, xano sandbox impersonate")
_FIRST_LINE = re.compile(r'^(\w+)\s+("(?:[^"\\]|\\.)*"|\S+)(?:\s+(.*))?')
_VERB = re.compile(r"verb=(\w+)")


@dataclass
class Flags:
    """The query flags of a multidoc import (defaults: the CLI's own)."""

    delete: bool = False
    env: bool = False
    records: bool = False
    transaction: bool = True
    truncate: bool = False
    partial: bool = False
    branch: str | None = None

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "Flags":
        values: dict[str, Any] = {}
        for name in FLAGS:
            raw = params.get(name)
            if raw in (None, ""):
                continue
            word = raw.strip().lower()
            if word not in ("true", "false", "1", "0"):
                raise input_error(f"Invalid {name} {raw!r}: expected true or false.", name)
            values[name] = word in ("true", "1")
        return cls(branch=params.get("branch") or None, **values)


@dataclass
class Doc:
    """One document of the body and what importing it does."""

    index: int  # 1-based position in the body
    text: str
    kind: str
    name: str
    verb: str | None = None
    group: str | None = None  # an endpoint's api_group
    guid: str | None = None
    parents: tuple[str, ...] = ()  # a realtime v2 document's server and channel
    header: Header | None = None
    error: ApiError | None = None
    target: StoredObject | None = None
    action: str = "create"

    @property
    def op_name(self) -> str:
        """The name the dry-run reports: an endpoint's carries its verb ("users/{id} GET"), the
        workspace's document is always ``workspace``."""
        if self.kind == "workspace":
            return "workspace"
        return f"{self.name} {self.verb}" if self.kind == "query" and self.verb else self.name

    def fail(self, error: ApiError) -> None:
        if self.error is None:
            self.error = error


@dataclass
class Import:
    """The resolved import of one body into one branch."""

    docs: list[Doc]
    deletes: list[StoredObject] = field(default_factory=list)
    cascades: list[StoredObject] = field(default_factory=list)  # endpoints of deleted groups

    @property
    def failed(self) -> list[Doc]:
        return [doc for doc in self.docs if doc.error is not None]


def split(body: str) -> list[str]:
    """The documents of a multidoc body, as sent (blank parts skipped)."""
    return [part for part in body.split(SEPARATOR) if part.strip()]


def resolve(store: Store, branch: Branch, body: str, flags: Flags) -> Import:
    """Match every document to its object and decide what importing it does."""
    docs = [_read(index, text) for index, text in enumerate(split(body), start=1)]
    if not docs:
        raise input_error("The multidoc body holds no document.", "multidoc")
    payload_groups = {doc.name for doc in docs if doc.kind == "api_group" and doc.error is None}
    groups = {g.name: g for g in branch.objects["api_group"].values()}
    seen: dict[tuple[Any, ...], Doc] = {}
    for doc in docs:
        if doc.error is not None and doc.header is None:
            continue
        doc.target = _target(store, branch, doc, groups)
        if doc.kind == "query" and doc.group not in groups and doc.group not in payload_groups:
            doc.fail(_exception(f"api group {doc.group!r} not found"))
        key = ("guid", doc.kind, doc.guid) if doc.guid else ("name", doc.kind, doc.group, doc.parents, doc.name,
                                                              doc.verb)
        if doc.target is not None:
            key = ("id", doc.kind, doc.target.id)
        if key in seen:
            what = f"Duplicate {doc.kind} guid: {doc.guid}" if doc.guid else (
                f"Duplicate {doc.kind} {doc.op_name!r}: also document {seen[key].index}")
            doc.fail(input_error(what, "multidoc"))
        seen[key] = doc
        if doc.target is None:
            doc.action = "create"
        elif _same(doc, flags) and doc.target.name == doc.name:
            doc.action = "unchanged"
        else:
            doc.action = "update"
    result = Import(docs)
    if flags.delete:
        kept = {(doc.kind, doc.target.id) for doc in docs if doc.target is not None}
        for kind in sorted(branch.objects, key=lambda k: (rank(k), k)):
            if lookup(kind).kept:
                continue  # the workspace keeps its document, the branch its own
            for obj in sorted(branch.objects[kind].values(), key=lambda o: o.id):
                if (kind, obj.id) in kept:
                    continue
                group_gone = kind == "query" and any(g.id == obj.group_id for g in result.deletes)
                (result.cascades if group_gone else result.deletes).append(obj)
    return result


def dry_run(plan: Import, flags: Flags, workspace_name: str) -> dict[str, Any]:
    """The dry-run answer: operations and a summary per type."""
    operations: list[dict[str, Any]] = []
    summary: dict[str, dict[str, int]] = {}

    def count(kind: str, what: str) -> None:
        summary.setdefault(kind, {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0, "truncated": 0})
        summary[kind][what] += 1

    for doc in plan.docs:
        details = f"exception: {_describe(doc.error)}" if doc.error is not None else _details(doc)
        operations.append({"action": doc.action, "type": op_type(doc.kind), "name": doc.op_name, "details": details})
        count(op_type(doc.kind), {"create": "created", "update": "updated", "unchanged": "unchanged"}[doc.action])
        if flags.truncate and doc.kind == "table" and doc.error is None:
            operations.append({"action": "truncate", "type": "table", "name": doc.name,
                               "details": "all records are deleted before the import"})
            count("table", "truncated")
    for action, objects in (("delete", plan.deletes), ("cascade_delete", plan.cascades)):
        for obj in objects:
            operations.append({"action": action, "type": op_type(obj.kind), "name": _obj_op_name(obj),
                               "details": "" if action == "delete" else "its API group is deleted"})
            count(op_type(obj.kind), "deleted")
    return {"workspace_name": workspace_name, "operations": operations, "summary": summary}


def apply(store: Store, branch: Branch, plan: Import, flags: Flags) -> dict[str, Any]:
    """Import the documents; raise the first document's error (with ``transaction`` nothing
    is applied then). Returns ``{"guid_map": [...]}``."""
    failed = plan.failed
    if failed and flags.transaction:
        raise _answer(failed[0])
    saved = (copy.deepcopy(branch.objects), dict(store.next_ids)) if flags.transaction else None
    guid_map: list[dict[str, Any]] = []
    try:
        for doc in sorted(plan.docs, key=lambda d: (_rank(d.kind), d.index)):
            if doc.error is not None:  # without a transaction, what came before stays applied
                raise _answer(doc)
            guid_map.append(_import(store, branch, doc, flags.env))
        if flags.delete and not flags.partial:
            for obj in plan.deletes:
                if obj.id in branch.objects[obj.kind]:
                    store.remove(branch, obj.kind, obj.id)
    except Exception:
        if saved is not None:  # in place: the dicts of the workspace-scoped kinds are every branch's
            objects, store.next_ids = saved
            for kind, items in objects.items():
                branch.objects[kind].clear()
                branch.objects[kind].update(items)
            for kind in [kind for kind in branch.objects if kind not in objects]:  # a type the import brought
                del branch.objects[kind]
        raise
    guid_map.sort(key=lambda entry: entry.pop("_index"))
    return {"guid_map": guid_map}


# ---------------------------------------------------------------------------- helpers


def _read(index: int, text: str) -> Doc:
    kind, name, verb = _first_line(text)
    doc = Doc(index, text, kind, name, verb)
    try:
        document = parse(text)
        doc.header = header_of(document)
    except ApiError as exc:
        doc.fail(exc)
        return doc
    doc.kind, doc.name, doc.verb, doc.guid = doc.header.kind, doc.header.name, doc.header.verb, document.guid
    doc.parents = parents_in(doc.kind, text)
    if doc.kind == "query":
        value = document.value("api_group")
        doc.group = getattr(value, "value", None) if value is not None else None
        if not isinstance(doc.group, str) or not doc.group:
            doc.group = None
            doc.fail(_exception('an endpoint document needs api_group = "..."'))
    return doc


def _first_line(text: str) -> tuple[str, str, str | None]:
    """Kind, name and verb from the first line that is not a comment (also for a document
    that does not parse, so that the dry-run can name it)."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("//"):
            match = _FIRST_LINE.match(stripped)
            if match is None:
                break
            name = match.group(2)
            if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
                name = name[1:-1]
            verb = _VERB.search(match.group(3) or "")
            return match.group(1), name, verb.group(1).upper() if verb else None
    return "unknown", "", None


def op_type(kind: str) -> str:
    """The type a dry-run reports a kind under: every kind of trigger is a ``trigger``."""
    return "trigger" if kind.endswith("_trigger") else kind


def _target(store: Store, branch: Branch, doc: Doc, groups: dict[str, StoredObject]) -> StoredObject | None:
    objects = branch.objects.get(doc.kind, {})
    if doc.guid:
        for obj in objects.values():
            if obj.guid == doc.guid:
                return obj
    if lookup(doc.kind).single:  # the workspace (the branch) has one, whatever it is called
        return min(objects.values(), key=lambda o: o.id, default=None)
    group = groups.get(doc.group or "") if doc.kind == "query" else None
    if doc.kind == "query" and group is None:
        return None
    for obj in sorted(objects.values(), key=lambda o: o.id):
        if obj.name != doc.name or (doc.parents and parents_in(doc.kind, obj.xanoscript) != doc.parents):
            continue
        if doc.kind == "query" and (obj.group_id != group.id or obj.verb != doc.verb):  # type: ignore[union-attr]
            continue
        return obj
    return None


def _import(store: Store, branch: Branch, doc: Doc, env: bool = False) -> dict[str, Any]:
    header = doc.header
    assert header is not None
    if doc.kind == "workspace" and not env:  # the environment is imported only when asked for
        doc.text = with_env(doc.text, env_clause(doc.target.xanoscript) if doc.target is not None else "")
    group_id = None
    if doc.kind == "query":
        group_id = next(g.id for g in branch.objects["api_group"].values() if g.name == doc.group)
    if doc.action == "create":
        fields = dict(header.fields)
        if doc.kind in CANONICAL_KINDS and not fields.get("canonical"):
            fields["canonical"] = new_canonical()
            doc.text = with_canonical(doc.text, fields["canonical"])
        guid = doc.guid if doc.guid and not _guid_taken(branch, doc.guid) else None
        obj = store.add(branch, doc.kind, header.name, doc.text, verb=header.verb, group_id=group_id,
                        description=header.description, tags=header.tags, fields=fields, guid=guid)
    else:
        obj = doc.target
        assert obj is not None
        if doc.action == "update":
            store.replace(obj, name=header.name, xanoscript=doc.text, verb=header.verb,
                          description=header.description, tags=header.tags, fields=header.fields, publish=True)
    entry: dict[str, Any] = {"_index": doc.index, "type": doc.kind, "name": obj.name, "guid": obj.guid}
    if doc.kind == "query":
        entry.update(verb=obj.verb, api_group=doc.group)
    if doc.kind in CANONICAL_KINDS:
        entry["canonical"] = obj.fields.get("canonical", "")
    return entry


def _same(doc: Doc, flags: Flags) -> bool:
    """Whether a document would leave its object as it is: compared as Xano compares them
    (:func:`~xanoctl.emulator.documents.comparable`: a trimmed file, a guid line written back, are
    no change); a workspace document without its environment unless the import takes it."""
    assert doc.target is not None
    if doc.kind == "workspace" and not flags.env:
        return comparable(with_env(doc.target.xanoscript, "")) == comparable(with_env(doc.text, ""))
    return comparable(doc.target.xanoscript) == comparable(doc.text)


def _guid_taken(branch: Branch, guid: str) -> bool:
    return any(obj.guid == guid for objects in branch.objects.values() for obj in objects.values())


def _rank(kind: str) -> int:
    return rank(kind)


def _obj_op_name(obj: StoredObject) -> str:
    return f"{obj.name} {obj.verb}" if obj.kind == "query" and obj.verb else obj.name


def _details(doc: Doc) -> str:
    if doc.action == "update" and doc.target is not None and doc.target.name != doc.name:
        return f"renamed from {doc.target.name!r}"
    return ""


def _exception(message: str) -> ApiError:
    return input_error(message, "multidoc")


def _describe(error: ApiError) -> str:
    payload = error.payload if isinstance(error.payload, dict) else {}
    if "line" in payload:
        return f"{error.message} (line {payload['line']}, col {payload.get('col')})"
    return error.message


def _answer(doc: Doc) -> ApiError:
    """The error the import answers for a failing document: its own, naming the document."""
    error = doc.error
    assert error is not None
    payload = dict(error.payload) if isinstance(error.payload, dict) else {}
    payload.update(document=doc.index, type=doc.kind, name=doc.op_name)
    message = f"{error.message} (document {doc.index}: {doc.kind} {doc.op_name!r})"
    return ApiError(error.status, error.code, message, payload)
