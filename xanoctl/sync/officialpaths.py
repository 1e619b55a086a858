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
from xanoctl.xano.kinds import rank

MAX_SEGMENT_BYTES = 200  # well under the 255 bytes of common file systems, suffixes included


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


def channel_segments(name: str) -> list[str]:
    """A realtime v2 channel's path as folders, where its server is not named (``channelPathSegments``):
    each ``/`` part snake_cased, a ``{param}`` part kept as ``[param]``."""
    return [f"[{part[1:-1]}]" if part.startswith("{") and part.endswith("}") else snake_case(part)
            for part in name.split("/")]


def realtime_place(kind: str, name: str, parents: tuple[str, ...]) -> tuple[list[str], str]:
    """(folders, file name without ``.xs``) of a realtime v2 document, as ``resolveDocumentPath``
    places it: under ``realtime/server/<server>/`` (a channel in ``channel/<channel>/``, beside its
    messages in ``message/`` and its triggers in ``trigger/``; the server's triggers in its
    ``trigger/``), or, for a document that does not name its server, ``channel/<channel path>/``
    (a channel's own file ``_channel.xs``), ``realtime/channel_trigger/``, ``realtime/server_trigger/``.
    A message is placed under the server it names (Xano writes it in every message; the official
    CLI finds it through the message's channel: the same folder in a coherent workspace)."""
    server, channel = (parents + ("", ""))[:2]
    if kind == "realtime_server":
        return ["realtime", "server", sanitize(name)], sanitize(name)
    if kind == "realtime_server_trigger":
        return (["realtime", "server", sanitize(server), "trigger"] if server else ["realtime", "server_trigger"],
                sanitize(name))
    if kind == "channel":
        if server:
            return ["realtime", "server", sanitize(server), "channel", snake_case(name)], snake_case(name)
        return ["channel", *channel_segments(name)], "_channel"
    if kind == "message" and not channel:  # the official CLI's default placement
        folders, leaf = folder_parts(name)
        return ["message", *folders], sanitize(leaf)
    if server and channel:
        where = ["realtime", "server", sanitize(server), "channel", snake_case(channel)]
        return where + ["message" if kind == "message" else "trigger"], sanitize(name)
    if channel:
        return ["channel", *channel_segments(channel)] + ([] if kind == "message" else ["trigger"]), sanitize(name)
    return ["realtime", "channel_trigger"], sanitize(name)


def duplicate(stem: str, count: int) -> str:
    """The ``count``-th document named ``stem`` in one folder: ``x``, ``x_2``, ``x_3``..."""
    return stem if count <= 1 else f"{stem}_{count}"


def order(items: Iterable[T]) -> list[T]:
    """Objects in the order the official CLI writes them: by kind (tables, functions,
    middleware, API groups each followed by its endpoints, tasks...; a document type xanoctl
    does not know after all, by keyword), by id within a kind; endpoints of a group not among
    ``items`` come last."""
    items = list(items)
    endpoints: dict[int | None, list[T]] = {}
    for item in sorted((i for i in items if i.kind == "query"), key=lambda i: i.id):
        endpoints.setdefault(item.group_id, []).append(item)
    out: list[T] = []
    for item in sorted((i for i in items if i.kind != "query"), key=lambda i: (rank(i.kind), i.kind, i.id)):
        out.append(item)
        if item.kind == "api_group":
            out.extend(endpoints.pop(item.id, []))
    for group_id in sorted(endpoints, key=lambda g: g or 0):
        out.extend(endpoints[group_id])
    return out
