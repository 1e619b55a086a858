"""Objects as the Metadata API returns them, normalised: kinds, XanoScript, timestamps.

No I/O here: :mod:`xanoctl.xano.client` fetches, this module reads what came back.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from xanoctl.errors import UsageError
from xanoctl.xano import kinds as _kinds

# Kinds as the XanoScript keyword names them, in pull order (:mod:`xanoctl.xano.kinds`).
KINDS: tuple[str, ...] = _kinds.NAMES
# Kinds that belong to the workspace, not to a branch: one set serves every branch, and a write
# through any branch changes the live database (:data:`xanoctl.xano.kinds.TABLE`, ``workspace``).
WORKSPACE_KINDS: frozenset[str] = _kinds.WORKSPACE_KINDS
# Collection path (under /workspace/{wid}) of each kind; a query's needs its group id.
COLLECTIONS: dict[str, str] = _kinds.COLLECTIONS
_ALIASES = _kinds.ALIASES


def normalize_kind(name: str) -> str:
    """``functions`` -> ``function``, ``endpoint`` -> ``query``..., or a UsageError."""
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in _kinds.EVERY:
        from xanoctl.config import closest

        close = closest(key, [*_kinds.EVERY, *_ALIASES])
        if close is not None:
            raise UsageError(f"unknown kind {name!r}: did you mean {close!r}?")
        raise UsageError(f"unknown kind {name!r}; expected one of: {', '.join(_kinds.EVERY)} "
                         f"({_kinds.OTHER}: every document of a type xanoctl does not know)")
    return key


def collection_path(workspace: int, kind: str, group_id: int | None = None) -> str:
    if kind not in COLLECTIONS:
        raise ValueError(f"a {kind} has no route of its own: it travels in the multidoc")
    if kind == "query" and group_id is None:
        raise ValueError("an endpoint (query) needs its API group id")
    return f"/workspace/{workspace}/" + COLLECTIONS[kind].format(group_id=group_id)


def parse_timestamp(value: Any) -> datetime | None:
    """An instant from ``"2023-04-19 21:01:32+0000"``, an ISO string or epoch milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000.0, tz=timezone.utc)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(text) / 1000.0, tz=timezone.utc)
    for fmt in ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S.%f%z"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def same_instant(a: Any, b: Any) -> bool:
    """Whether two timestamps (any accepted form) denote the same instant. A string without
    fractions of a second (``"2023-04-19 21:01:32+0000"``) only knows the second: against it,
    epoch milliseconds are compared to the second."""
    if a == b:
        return True
    first, second = parse_timestamp(a), parse_timestamp(b)
    if first is None or second is None:
        return False
    if _whole_seconds(a) or _whole_seconds(b):
        return first.replace(microsecond=0) == second.replace(microsecond=0)
    return first == second


def _whole_seconds(value: Any) -> bool:
    text = value.strip() if isinstance(value, str) else ""
    return bool(text) and not text.lstrip("-").isdigit() and "." not in text


@dataclass(frozen=True)
class RemoteObject:
    """One workspace object. ``xanoscript`` is None when the API could not render it: then
    ``xanoscript_error`` says why. ``group_id``/``group_name`` are set for endpoints (the API
    object itself carries no group id: the client fills them from the URL it listed)."""

    kind: str
    id: int
    name: str
    guid: str | None
    updated_at: Any
    xanoscript: str | None
    xanoscript_error: str | None = None
    verb: str | None = None
    group_id: int | None = None
    group_name: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # the objects it belongs to (:attr:`xanoctl.xano.kinds.Kind.parents`): a message's server and channel
    parents: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def label(self) -> str:
        """``function 'Tasks/X' (id 12)``, ``query GET 'users/{id}' in 'Tests' (id 4)``."""
        if self.kind == "query":
            return f"query {self.verb} {self.name!r} in {self.group_name!r} (id {self.id})"
        return f"{self.kind} {self.name!r}{parents_label(self.kind, self.parents)} (id {self.id})"


def parents_label(kind: str, parents: tuple[str, ...]) -> str:
    """`` of channel 'rooms/{id}' of realtime_server 'chat'``: the parents of a document, innermost
    first (``""`` for a kind without parents, or parents it does not name)."""
    clauses = _kinds.lookup(kind).parents
    return "".join(f" of {clause} {name!r}" for clause, name in reversed(list(zip(clauses, parents))) if name)


def read_xanoscript(raw: dict[str, Any]) -> tuple[str | None, str | None]:
    """(source, error) from an object's ``xanoscript`` field: ``{status, value}``,
    ``{status: error, message}`` or a plain string."""
    if "xanoscript" not in raw:
        return None, "the object has no xanoscript field (was include_xanoscript=true sent?)"
    field_ = raw["xanoscript"]
    if isinstance(field_, str):
        return field_, None
    if isinstance(field_, dict):
        status = str(field_.get("status", "ok")).lower()
        value = field_.get("value")
        if status == "ok" and isinstance(value, str):
            return value, None
        message = field_.get("message") or field_.get("error") or f"status {status!r}"
        return None, str(message)
    return None, f"unexpected xanoscript field of type {type(field_).__name__}"


def to_remote(
    kind: str, raw: dict[str, Any], *, group_id: int | None = None, group_name: str | None = None
) -> RemoteObject:
    """A :class:`RemoteObject` from one API item (a ValueError when it is not one)."""
    if not isinstance(raw, dict):
        raise ValueError(f"a {kind} that is not a JSON object: {str(raw)[:80]}")
    source, error = read_xanoscript(raw)
    try:
        ident = int(raw["id"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"a {kind} without an integer id: {str(raw)[:80]}") from None
    verb = raw.get("verb")
    return RemoteObject(
        kind=kind,
        id=ident,
        name=str(raw.get("name", "")),
        guid=raw.get("guid"),
        updated_at=raw.get("updated_at"),
        xanoscript=source,
        xanoscript_error=error,
        verb=str(verb).upper() if verb and kind == "query" else None,
        group_id=group_id if kind == "query" else None,
        group_name=group_name if kind == "query" else None,
        raw=raw,
    )


MULTIDOC_SEPARATOR = "\n---\n"
# a document's header, as the official CLI reads it (src/utils/document-parser.ts, parseDocument):
# the first line that is not blank nor a `//` comment: a keyword, then a name (quoted or not)
_HEADER = re.compile(r'^[ \t]*(\w+)[ \t]+("(?:[^"\\\n]|\\.)*"|[^\s{]+)', re.MULTILINE)
_COMMENT = re.compile(r"^[ \t]*(//.*)?$")
_GUID = re.compile(r'^[ \t]*guid[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
# the clauses naming the objects a document belongs to, as the official CLI reads them (the first
# line of the document that sets them: `realtime_server = "chat"`, `channel = "rooms/{id}"`)
_PARENT = {clause: re.compile(rf'^[ \t]*{clause}[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
           for clause in ("realtime_server", "channel")}


def document_header(text: str) -> tuple[str, str] | None:
    """(keyword, name) of a XanoScript document, read from its first line that is not blank nor
    a comment; None when it has none."""
    start = 0
    while True:  # line by line up to the header only (a multidoc holds thousands of documents)
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        start = end + 1
        if _COMMENT.match(line):
            if end < 0:
                return None
            continue
        found = _HEADER.match(line)
        if not found:
            return None
        name = found.group(2)
        if name.startswith('"') and name.endswith('"') and len(name) > 1:
            name = re.sub(r'\\(.)', r"\1", name[1:-1])
        return found.group(1), name


def parents_in(kind: str, text: str) -> tuple[str, ...]:
    """The names of the objects a document of ``kind`` belongs to, outermost first (a message's
    realtime server and channel), ``""`` for a clause it lacks; ``()`` for the other kinds."""
    return tuple((found.group(1) if (found := _PARENT[clause].search(text)) else "")
                 for clause in _kinds.lookup(kind).parents)


def document_id(kind: str, parents: tuple[str, ...], name: str, workspace: int) -> int:
    """The id xanoctl gives a document that has no route of its own (the API shows it no id):
    the workspace's for a kind it holds one of (its settings, its branch's, its error trigger),
    else a number made from its identity (kind, parents, name), the same on every machine."""
    if _kinds.lookup(kind).single:
        return workspace
    key = "\x1f".join((kind, *parents, name)).encode("utf-8")
    return zlib.crc32(key) & 0x7FFFFFFF or 1


class DocumentIds:
    """Ids for the documents of one export, in its order: :func:`document_id`, the next free
    number for a second document of the same identity (which the official CLI writes as
    ``name_2.xs``)."""

    def __init__(self, workspace: int):
        self.workspace = workspace
        self._taken: dict[str, set[int]] = {}

    def __call__(self, kind: str, parents: tuple[str, ...], name: str) -> int:
        ident = document_id(kind, parents, name, self.workspace)
        taken = self._taken.setdefault(kind, set())
        if _kinds.lookup(kind).single:
            return ident
        while ident in taken:
            ident = ident % 0x7FFFFFFF + 1
        taken.add(ident)
        return ident


def document_object(kind: str, name: str, text: str, ident: int) -> RemoteObject:
    """A document without a route of its own, as an object: no ``updated_at`` (status and push
    compare it by content), its guid when its text carries one, its parents."""
    guid = _GUID.search(text)
    return RemoteObject(kind=kind, id=ident, name=name, guid=guid.group(1) if guid else None, updated_at=None,
                        xanoscript=text, parents=parents_in(kind, text))


def wanted_document(kind: str, kinds: frozenset[str] | set[str]) -> bool:
    """Whether a multidoc export's document of keyword ``kind`` is asked for by ``kinds``: a kind
    without routes of its own named there, or any type xanoctl does not know when ``kinds`` holds
    :data:`~xanoctl.xano.kinds.OTHER`."""
    if kind in kinds:
        return _kinds.multidoc_only(kind)
    return _kinds.OTHER in kinds and not _kinds.known(kind)


def multidoc_documents(text: str | Iterable[str], workspace: int, kinds: Iterable[str]) -> list[RemoteObject]:
    """The documents of a multidoc export (its text, or its documents one by one) that ``kinds``
    asks for (:func:`wanted_document`), as objects, in the export's order."""
    kinds = set(kinds)
    ids = DocumentIds(workspace)
    found = []
    for document in text.split(MULTIDOC_SEPARATOR) if isinstance(text, str) else text:
        header = document_header(document)
        if header is None or not wanted_document(header[0], kinds):
            continue
        kind, name = header
        found.append(document_object(kind, name, document, ids(kind, parents_in(kind, document), name)))
    return found
