"""Which object a local file declares: kind and name from its header (via the parser), verb
and API group for endpoints (the ``api_group = "..."`` clause, else the ``api/<group>/``
folder the file sits in: the group whose file lies directly in that folder, ``api_group.xs``
in the readable layout, ``<group>.xs`` in the official CLI's), the server and channel a realtime
v2 document belongs to (its ``realtime_server = "..."`` and ``channel = "..."`` clauses), and the
``guid = "..."`` the server wrote into newer exports. A document of any keyword declares an
object: one of a type xanoctl does not know travels in the multidoc (:func:`xanoctl.xano.kinds.lookup`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from xanoctl.errors import XanoctlError, XanoSyntaxError
from xanoctl.sync.manifest import Entry, Manifest
from xanoctl.sync.paths import KIND_FOLDERS
from xanoctl.xano.kinds import lookup
from xanoctl.xano.remote import RemoteObject, parents_label

if TYPE_CHECKING:  # the parser is loaded only when a file has to be read
    from xanoctl.language.model import Document


class UnreadableDocument(XanoctlError):
    pass


@dataclass(frozen=True)
class Identity:
    """What identifies an object within a workspace: kind, exact name, for endpoints the verb
    and the API group's name, for realtime v2 documents the server and channel they belong to
    (:attr:`xanoctl.xano.kinds.Kind.parents`)."""

    kind: str
    name: str
    verb: str | None = None
    group: str | None = None
    parents: tuple[str, ...] = ()

    def label(self) -> str:
        if self.kind == "query":
            return f"query {self.verb} {self.name!r} in {self.group!r}"
        return f"{self.kind} {self.name!r}{parents_label(self.kind, self.parents)}"


def of_entry(entry: Entry) -> Identity:
    group = (entry.group or {}).get("name") if entry.kind == "query" else None
    return Identity(entry.kind, entry.name, entry.verb if entry.kind == "query" else None, group, entry.parents)


def of_remote(obj: RemoteObject) -> Identity:
    return Identity(obj.kind, obj.name, obj.verb if obj.kind == "query" else None,
                    obj.group_name if obj.kind == "query" else None, obj.parents)


def group_folder_of(rel: str) -> str | None:
    """``api/<folder>`` for a file under an API group's folder, else None."""
    parts = PurePosixPath(rel).parts
    if len(parts) >= 3 and parts[0] == KIND_FOLDERS["query"]:
        return f"{parts[0]}/{parts[1]}"
    return None


def group_file_folder(rel: str) -> str | None:
    """``api/<folder>`` for a file directly in an API group's folder (where the group's own
    file lies, in either layout), else None."""
    parts = PurePosixPath(rel).parts
    return group_folder_of(rel) if len(parts) == 3 else None


def parse_declared(rel: str, data: bytes) -> Document:
    """The document of a file that declares an object, or :class:`UnreadableDocument`."""
    from xanoctl.language.parser import decode_source, parse_document

    try:
        document = parse_document(decode_source(data, rel), rel)
    except XanoSyntaxError as exc:
        raise UnreadableDocument(f"{exc}: cannot tell which object it declares") from None
    if not document.name:
        raise UnreadableDocument(f"{rel}: a {document.kind} document without a name")
    return document


def _text(value: object) -> str:
    from xanoctl.language.model import Literal

    return value.value if isinstance(value, Literal) and isinstance(value.value, str) else ""


def read_identity(rel: str, data: bytes, manifest: Manifest,
                  new_groups: dict[str, str] | None = None) -> Identity:
    """The identity a file declares. ``new_groups`` maps ``api/<folder>`` to the name of an
    API group declared by a new (untracked) group file there. Raises
    :class:`UnreadableDocument` when the file does not parse or names no pushable object."""
    return identity_of(rel, parse_declared(rel, data), manifest, new_groups)


def identity_of(rel: str, document: Document, manifest: Manifest,
                new_groups: dict[str, str] | None = None) -> Identity:
    """The identity ``document`` (read from ``rel``) declares; see :func:`read_identity`."""
    from xanoctl.language.model import Literal

    if document.kind != "query":
        parents = tuple(_text(document.value(clause)) for clause in lookup(document.kind).parents)
        return Identity(document.kind, document.name or "", parents=parents)
    name = document.name or ""
    verb = (document.verb or "").upper() or None
    declared = document.value("api_group")
    if isinstance(declared, Literal) and isinstance(declared.value, str) and declared.value:
        return Identity("query", name, verb, declared.value)
    folder = group_folder_of(rel)
    if folder is not None:
        for entry in manifest.entries.values():
            if entry.kind == "api_group" and group_file_folder(entry.path) == folder:
                return Identity("query", name, verb, entry.name)
        if new_groups and folder in new_groups:
            return Identity("query", name, verb, new_groups[folder])
    raise UnreadableDocument(f"{rel}: cannot tell the API group of this endpoint: put it under "
                             "api/<group>/ next to the group's file, or add `api_group = \"<name>\"`")
