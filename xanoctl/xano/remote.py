"""Objects as the Metadata API returns them, normalised: kinds, XanoScript, timestamps.

No I/O here: :mod:`xanoctl.xano.client` fetches, this module reads what came back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

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
    if key not in KINDS:
        raise UsageError(f"unknown kind {name!r}; expected one of: {', '.join(KINDS)}")
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

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def label(self) -> str:
        """``function 'Tasks/X' (id 12)``, ``query GET 'users/{id}' in 'Tests' (id 4)``."""
        if self.kind == "query":
            return f"query {self.verb} {self.name!r} in {self.group_name!r} (id {self.id})"
        return f"{self.kind} {self.name!r} (id {self.id})"


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


def multidoc_objects(kind: str, text: str, workspace: int) -> list[RemoteObject]:
    """The documents of ``kind`` in a multidoc export, as objects: for a kind without routes of
    its own (the workspace document), whose id is the workspace's and which shows no
    ``updated_at`` (status and push compare it by content)."""
    found = []
    for document in text.split(MULTIDOC_SEPARATOR):
        header = document_header(document)
        if header is None or header[0] != kind:
            continue
        guid = _GUID.search(document)
        found.append(RemoteObject(kind=kind, id=workspace, name=header[1], guid=guid.group(1) if guid else None,
                                  updated_at=None, xanoscript=document))
    return found
