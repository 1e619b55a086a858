"""``xanoctl.lock``: the manifest of a pulled workspace (JSON, committed).

Its header names where the workspace was pulled from: ``instance`` (the instance's origin,
``https://x123.xano.io``, never a token; ``demo`` for the folder ``xanoctl demo`` made; absent
from a lock written before it was recorded, which the next pull from the same workspace
adopts), ``workspace`` (id) and ``branch``. It holds each object's identity, which the path alone cannot (names are mapped lossily to
paths): one entry per object with ``kind``, ``id``, ``guid``, exact ``name``, ``group``
(``{"id", "name"}`` for endpoints, else null), ``verb`` (endpoints, else null), ``parents``
(only for a realtime v2 document: the server and channel it belongs to), the remote
``updated_at`` seen at the last pull (as the API gave it), the ``sha256`` of the file as
written, and its ``path`` (relative, POSIX). Entries are sorted by path and keys are sorted,
so the file diffs cleanly::

    {
      "branch": "",
      "instance": "https://x123.xano.io",
      "objects": [
        {"group": null, "guid": "...", "id": 12, "kind": "function", "name": "Tasks/X", "path": "function/Tasks/X.xs", "sha256": "...", "updated_at": "2025-01-06 09:00:00+0000", "verb": null},
        {"group": {"id": 3, "name": "Tests"}, "guid": "...", "id": 4, "kind": "query", ...},
        ...
      ],
      "version": 1,
      "workspace": 1
    }

One object per line, so that a change to one object is a one-line diff. Pulled on a named
branch, the entries of the objects every branch shares (tables: their one set is the live
database's) carry ``"shared": true``; a manifest without the mark (an older one, or a live
pull's) reads the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from urllib.parse import urlsplit

from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.xano.remote import WORKSPACE_KINDS, parents_label

if TYPE_CHECKING:
    from xanoctl.xano.remote import RemoteObject

MANIFEST_NAME = "xanoctl.lock"
DEMO = "demo"  # the ``instance`` of the folder ``xanoctl demo`` made
VERSION = 1
# one encoder for every line (json.dumps with options builds a new one per call)
_LINE = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
_STRING = json.encoder.encode_basestring  # a string as JSON (ensure_ascii=False)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def instance_origin(url: str) -> str:
    """The origin of a Metadata API base URL, as the lock records it: scheme and host in lower
    case, the port unless it is the scheme's default; no credentials, no path."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")
def shared(kind: str, branch: str) -> bool:
    """Whether the manifest of ``branch`` marks an object of ``kind`` as shared by every branch:
    a workspace-scoped object pulled on a named branch."""
    return bool(branch) and kind in WORKSPACE_KINDS


@dataclass(frozen=True)
class Entry:
    kind: str
    id: int
    guid: str | None
    name: str
    path: str
    sha256: str
    updated_at: Any = None
    verb: str | None = None
    group: dict[str, Any] | None = None  # {"id": int, "name": str} for endpoints
    parents: tuple[str, ...] = ()  # a realtime v2 document's server (and channel), written only when set

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    @property
    def group_id(self) -> int | None:
        return self.group["id"] if self.group else None

    def label(self) -> str:
        return f"{self.kind} {self.name!r}{parents_label(self.kind, self.parents)} (id {self.id})"

    def as_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "id": self.id, "guid": self.guid, "name": self.name, "path": self.path,
                "sha256": self.sha256, "updated_at": self.updated_at, "verb": self.verb,
                "group": dict(self.group) if self.group else None}
        if self.parents:
            data["parents"] = list(self.parents)
        return data

    @classmethod
    def of_object(cls, obj: RemoteObject, path: str, sha256: str, updated_at: Any) -> "Entry":
        """The entry of a listed object whose file is ``path`` (its bytes' digest ``sha256``)."""
        return cls(kind=obj.kind, id=obj.id, guid=obj.guid, name=obj.name, path=path, sha256=sha256,
                   updated_at=updated_at, verb=obj.verb,
                   group={"id": obj.group_id, "name": obj.group_name} if obj.kind == "query" else None,
                   parents=obj.parents)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Entry":
        group = data.get("group")
        return cls(kind=str(data["kind"]), id=int(data["id"]), guid=data.get("guid"), name=str(data["name"]),
                   path=str(data["path"]), sha256=str(data["sha256"]), updated_at=data.get("updated_at"),
                   verb=data.get("verb"),
                   group={"id": int(group["id"]), "name": str(group.get("name", ""))} if group else None,
                   parents=tuple(str(name) for name in data.get("parents") or ()))


@dataclass
class Manifest:
    workspace: int | None = None
    branch: str = ""
    entries: dict[tuple[str, int], Entry] = field(default_factory=dict)
    instance: str | None = None  # the origin pulled from (see the module doc); None in an older lock

    def copy(self) -> "Manifest":
        return Manifest(self.workspace, self.branch, dict(self.entries), self.instance)

    def source(self) -> str:
        """Where it was pulled from, in words."""
        if self.instance == DEMO:
            return "the demo (`xanoctl demo`)"
        where = f"{self.instance} " if self.instance else ""
        return f"{where}workspace {self.workspace} branch {self.branch or '(live)'}"

    def by_path(self) -> dict[str, Entry]:
        return {entry.path: entry for entry in self.entries.values()}

    def of_kinds(self, kinds: Iterable[str]) -> list[Entry]:
        wanted = set(kinds)
        return [entry for entry in self.entries.values() if entry.kind in wanted]

    def dumps(self) -> str:
        """JSON with one object per line, sorted by path: a change to one object is a one-line
        diff."""
        entries = sorted(self.entries.values(), key=lambda e: (e.path, e.kind, e.id))
        return document(self.workspace, self.branch,
                        [entry_line(entry, shared(entry.kind, self.branch)) for entry in entries], self.instance)

    @classmethod
    def loads(cls, text: str, origin: str = MANIFEST_NAME) -> "Manifest":
        try:
            data = json.loads(text)
            if data.get("version") != VERSION:
                raise ValueError(f"unsupported version {data.get('version')!r}")
            entries = [Entry.from_json(item) for item in data.get("objects", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise XanoctlError(f"{origin}: not a valid manifest ({exc}); restore it from git "
                               "or delete it and pull again") from None
        instance = data.get("instance")
        return cls(workspace=data.get("workspace"), branch=str(data.get("branch") or ""),
                   entries={entry.key: entry for entry in entries},
                   instance=str(instance) if instance else None)


def entry_line(entry: Entry, shared: bool = False) -> str:
    """An entry's line in the manifest's text (without its indentation): its JSON, keys
    sorted, with ``"shared": true`` when ``shared``. Written out directly when every value is a
    string, an integer or null (a pull makes thousands), else by the JSON encoder; the same
    text either way."""
    group = entry.group
    if entry.parents:
        return _LINE(_marked(entry, shared))
    if group is None:
        group_text = "null"
    elif group.keys() == {"id", "name"} and type(group["id"]) is int and type(group["name"]) is str:
        group_text = f'{{"id": {group["id"]}, "name": {_STRING(group["name"])}}}'
    else:
        return _LINE(_marked(entry, shared))
    values = (entry.guid, entry.id, entry.kind, entry.name, entry.path, entry.sha256, entry.updated_at, entry.verb)
    texts = [group_text]
    for value in values:
        kind = type(value)
        if kind is str:
            texts.append(_STRING(value))
        elif value is None:
            texts.append("null")
        elif kind is int:
            texts.append(int.__repr__(value))
        else:
            return _LINE(_marked(entry, shared))
    texts.insert(7, '"shared": true, ' if shared else "")
    return '{"group": %s, "guid": %s, "id": %s, "kind": %s, "name": %s, "path": %s, "sha256": %s, ' \
           '%s"updated_at": %s, "verb": %s}' % tuple(texts)


def _marked(entry: Entry, shared: bool) -> dict[str, Any]:
    return {**entry.as_json(), "shared": True} if shared else entry.as_json()


def document(workspace: int | None, branch: str, lines: list[str], instance: str | None = None) -> str:
    """The manifest's text from its entries' lines (:func:`entry_line`), already sorted by
    path, kind and id. Keys in order; ``instance`` only when known (an older lock's text stays
    as it was)."""
    head: dict[str, Any] = {"branch": branch}
    if instance is not None:
        head["instance"] = instance
    tail = {"version": VERSION, "workspace": workspace}
    fields = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in head.items()]
    rest = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in tail.items()]
    objects = '  "objects": [\n    ' + ",\n    ".join(lines) + '\n  ]' if lines else '  "objects": []'
    return "{\n" + ",\n".join([*fields, objects, *rest]) + "\n}\n"


def changes(old: Manifest | None, new: Manifest) -> dict[str, list[Entry]]:
    """The entries ``added``, ``changed`` (file, name, path or metadata) and ``removed`` from
    ``old`` to ``new``, each sorted by path."""
    before = old.entries if old else {}
    found: dict[str, list[Entry]] = {
        "added": [e for key, e in new.entries.items() if key not in before],
        "changed": [e for key, e in new.entries.items() if key in before and e != before[key]],
        "removed": [e for key, e in before.items() if key not in new.entries],
    }
    for entries in found.values():
        entries.sort(key=lambda e: (e.path, e.kind, e.id))
    return found


def load_manifest(folder: Path) -> Manifest | None:
    """The manifest of a workspace folder, or None when there is none yet."""
    path = folder / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except NotADirectoryError:  # the folder, or a folder above it, is a file
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise XanoctlError(f"{folder}: cannot be a workspace folder: {blocker} is a file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise XanoctlError(f"{path}: cannot read the manifest ({exc})") from None
    return Manifest.loads(text, str(path))


def save_manifest(folder: Path, manifest: Manifest) -> None:
    write_atomic(folder / MANIFEST_NAME, manifest.dumps().encode("utf-8"))
