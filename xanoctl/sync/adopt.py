"""Adopting files already on disk: a tree the official Xano CLI pulled (``xano workspace
pull``), or files written before a first pull.

An object that ``xanoctl.lock`` does not know takes the untracked ``*.xs`` file that declares
it, wherever that file lies: the file whose ``guid = "..."`` is the object's guid, else the file
whose header names the object (kind and name; for an endpoint also its verb and API group, from
its ``api_group = "..."`` clause or the group file in its ``api/<folder>/``). A file whose guid
belongs to another remote object is never taken by name. The pull then records the file where it
is instead of writing a second copy. A file that holds the remote document is adopted as it is
(or rewritten with the remote's exact bytes when it only lacks the surrounding white space the
official CLI trims); one whose document differs is a conflict, as the pull cannot tell a local
edit from a remote change without a last pull to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from xanoctl.sync.identity import Identity, UnreadableDocument, group_file_folder, identity_of, of_remote, \
    parse_declared
from xanoctl.sync.localscan import untracked_files
from xanoctl.sync.manifest import Manifest, sha256_bytes
from xanoctl.xano.remote import RemoteObject
from xanoctl.sync.workspace import UnsafePathError, WorkspaceFolder


@dataclass(frozen=True)
class LocalDocument:
    """An untracked file that declares an object."""

    path: str
    sha256: str
    identity: Identity
    guid: str | None
    trimmed: bytes  # the content without surrounding white space (the official CLI trims each document)

    def same_document(self, remote: bytes) -> bool:
        """Whether the file holds ``remote``, or ``remote`` as the official CLI writes it."""
        return self.sha256 == sha256_bytes(remote) or self.trimmed == remote.strip()


def find(objects: Iterable[RemoteObject], folder: WorkspaceFolder, manifest: Manifest) -> dict[tuple[str, int],
                                                                                             LocalDocument]:
    """``(kind, id)`` -> the untracked file each of ``objects`` takes. A file
    that holds an object's document (byte for byte, or as the official CLI trims it) declares
    that object, header included, so it needs no parsing; the others are parsed and matched by
    guid, then by identity (:func:`match`)."""
    files = untracked_files(folder, manifest.by_path())
    if not files:
        return {}
    objects = list(objects)
    by_content: dict[str, list[RemoteObject]] = {}
    for obj in objects:
        if obj.xanoscript is not None:
            data = obj.xanoscript.encode("utf-8")
            for digest in {sha256_bytes(data), sha256_bytes(data.strip())}:
                by_content.setdefault(digest, []).append(obj)
    found: dict[tuple[str, int], LocalDocument] = {}
    groups: dict[str, str] = {}  # api/<folder> -> the name of the group whose file lies there
    unknown: list[tuple[str, bytes]] = []
    for rel in files:
        try:
            data = folder.read(rel) or b""
        except (UnsafePathError, OSError):
            continue  # a link out of the folder, an unreadable file: never adopted

        owners = by_content.get(sha256_bytes(data)) or by_content.get(sha256_bytes(data.strip())) or []
        if len(owners) == 1 and owners[0].key not in found:
            obj = owners[0]
            found[obj.key] = LocalDocument(rel, sha256_bytes(data), of_remote(obj), obj.guid, data.strip())
            where = group_file_folder(rel)
            if obj.kind == "api_group" and where is not None:
                groups.setdefault(where, obj.name)
        else:
            unknown.append((rel, data))
    rest = [obj for obj in objects if obj.key not in found]
    if rest and unknown:
        taken = {doc.guid for doc in found.values() if doc.guid}
        found.update(match(rest, [doc for doc in _parsed(unknown, manifest, groups) if doc.guid not in taken]))
    return found


def _parsed(files: list[tuple[str, bytes]], manifest: Manifest, groups: dict[str, str]) -> list[LocalDocument]:
    """The files that parse and declare an object xanoctl manages (the others are left out),
    with their identities; ``groups`` gains the group files found among them."""
    parsed = []
    for rel, data in files:
        try:
            parsed.append((rel, data, parse_declared(rel, data)))
        except UnreadableDocument:
            continue
    for rel, _, document in parsed:
        where = group_file_folder(rel)
        if where is not None and document.kind == "api_group" and document.name:
            groups.setdefault(where, document.name)
    out = []
    for rel, data, document in parsed:
        try:
            identity = identity_of(rel, document, manifest, groups)
        except UnreadableDocument:
            continue
        out.append(LocalDocument(rel, sha256_bytes(data), identity, document.guid, data.strip()))
    return out


def match(remote: Iterable[RemoteObject], documents: list[LocalDocument]) -> dict[tuple[str, int], LocalDocument]:
    """``(kind, id)`` -> the file each object takes: by guid first, then by identity; one file
    per object, one object per file (the first file by path when several qualify)."""
    objects = list(remote)
    guids = {obj.guid for obj in objects if obj.guid}
    taken: set[str] = set()
    result: dict[tuple[str, int], LocalDocument] = {}

    def take(obj: RemoteObject, candidates: list[LocalDocument]) -> None:
        for doc in candidates:
            if doc.path not in taken and doc.identity.kind == obj.kind:
                taken.add(doc.path)
                result[obj.key] = doc
                return

    by_guid: dict[str, list[LocalDocument]] = {}
    by_identity: dict[Identity, list[LocalDocument]] = {}
    for doc in documents:
        if doc.guid:
            by_guid.setdefault(doc.guid, []).append(doc)
        if not doc.guid or doc.guid not in guids:
            by_identity.setdefault(doc.identity, []).append(doc)
    for obj in objects:
        if obj.guid:
            take(obj, by_guid.get(obj.guid, []))
    for obj in objects:
        if obj.key not in result:
            take(obj, by_identity.get(of_remote(obj), []))
    return result
