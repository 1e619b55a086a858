"""The official Xano CLI's file names (``layout: official``), as its pull writes them
(xano-inc/cli: ``resolveDocumentPath``, ``sanitizeDocumentName`` and
``buildApiGroupFolderResolver`` in ``src/utils/document-parser.ts``, the duplicate counter of
``src/commands/workspace/pull/index.ts``)::

    function/<snake folders...>/<snake leaf>.xs     (likewise task/, table/, middleware/, workflow_test/)
    api/<snake group>/<snake group>.xs
    api/<snake group>/<snake folders...>/<snake leaf>_<VERB>.xs

Every ``/``-separated part of a name is put through lodash ``snakeCase``
(:mod:`xanoctl.sync.snakecase`); the leaf has its double quotes removed first. Folder parts that
come out empty are left out (``"a//b"`` is ``a/b``). Two documents that land on the same file
in one folder: the first (in the order of the workspace's multidoc: tables, functions,
middleware, each API group followed by its endpoints, tasks; by id within a kind here) keeps
``<base>.xs``, the next ones get ``<base>_2.xs``, ``<base>_3.xs``. Two API groups with the same
snake name: the first keeps the folder, the next get ``<folder>_2``... (the group's file keeps
its own snake name: ``api/authentication_2/authentication.xs``).

Where the official CLI would write a file it cannot (an empty name: ``.xs``; a Windows device
name; a segment too long for the file system) the segment is made safe as in the readable
layout and the object's id is added, like any lossy name.
"""

from __future__ import annotations

from typing import Iterable, Protocol, TypeVar

from xanoctl.sync.snakecase import snake_case
from xanoctl.xano.kinds import NAMES

MAX_SEGMENT_BYTES = 200  # well under the 255 bytes of common file systems, suffixes included
KIND_ORDER = tuple(kind for kind in NAMES if kind != "query")  # endpoints follow their group


class Named(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> int: ...
    @property
    def group_id(self) -> int | None: ...


T = TypeVar("T", bound=Named)


def sanitize(name: str) -> str:
    """The official CLI's file name of a document (without ``.xs``)."""
    return snake_case(name.replace('"', ""))


def folder_parts(name: str) -> tuple[list[str], str]:
    """(snake folder parts without the empty ones, leaf) of an object's name."""
    *folders, leaf = name.split("/")
    return [part for part in (snake_case(folder) for folder in folders) if part], leaf


def group_folder(name: str) -> str:
    return snake_case(name)


def duplicate(stem: str, count: int) -> str:
    """The ``count``-th document named ``stem`` in one folder: ``x``, ``x_2``, ``x_3``..."""
    return stem if count <= 1 else f"{stem}_{count}"


def order(items: Iterable[T]) -> list[T]:
    """Objects in the order the official CLI writes them: by kind (tables, functions,
    middleware, API groups each followed by its endpoints, tasks), by id within a kind;
    endpoints of a group not among ``items`` come last."""
    items = list(items)
    endpoints: dict[int | None, list[T]] = {}
    for item in sorted((i for i in items if i.kind == "query"), key=lambda i: i.id):
        endpoints.setdefault(item.group_id, []).append(item)
    out: list[T] = []
    for kind in KIND_ORDER:
        for item in sorted((i for i in items if i.kind == kind), key=lambda i: i.id):
            out.append(item)
            if kind == "api_group":
                out.extend(endpoints.pop(item.id, []))
    for group_id in sorted(endpoints, key=lambda g: g or 0):
        out.extend(endpoints[group_id])
    return out
