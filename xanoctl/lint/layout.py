"""Which workspace each file belongs to, whatever layout the workspace comes in.

A file says what it holds: its first line declares a document (``function "Tasks/Sync" {``,
``query "auth/login" verb=POST {``, ``table user {``), and every layout keeps the documents of
a kind in a folder of their own right below the workspace's folder:

==================  ==============================  ==============================  =====================
kind                readable (``xanoctl pull``)     the official CLI                Xano's export
==================  ==============================  ==============================  =====================
function            ``function/<name folders>/``    ``function/<name folders>/``    ``functions/``
query, api_group    ``api/<group>/<name folders>/`` ``api/<group>/<name folders>/`` ``apis/<group>/``
table (trigger)     ``table/``                      ``table/`` (``table/trigger/``) ``tables/`` (``tables/triggers/``)
task, middleware,   ``task/``, ``middleware/``      ``task/``, ``middleware/``,     ``tasks/``, ``middlewares/``,
addon...                                            ``addon/``...                   ``addons/``...
agent, tool,                                        ``ai/agent/``, ``ai/tool/``,    ``agents/``, ``tools/``,
mcp_server                                          ``ai/mcp_server/``              ``mcp_servers/``
==================  ==============================  ==============================  =====================

(and their triggers, realtime channels, workflow tests, workspace triggers, the realtime v2
documents nested under their server, ``realtime/server/<server>/channel/<channel>/message/``...:
see ``_FOLDERS``; a document type not listed there: its keyword's folder, as the official CLI's
pull writes it).
The folder of a file's workspace is therefore read back from its path and its declaration:
the folder above the kind's folder, once the folders its name gives (``Tasks/`` of
``Tasks/Sync``, as many as the name has, or none as in an export) are set aside. Nothing rests
on one folder name: a workspace is found at the top of a repository of exports, in a
repository's ``backend/`` folder, or several side by side, each in its own folder.

Besides, a folder holding ``xanoctl.lock`` (a pulled workspace) or named ``dir`` in
xanoctl.yaml is a workspace's (*marked*); a file that fits no layout (``workspace.xs`` at the
top of an export, a file moved by hand) belongs to the nearest workspace above it; files under
no workspace at all are *loose*, one group whose workspace is not known in full. A multidoc
file (documents separated by ``---`` lines: the official CLI's whole workspace in one file) is a
workspace of its own, never merged with another.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

MAX_NAME_FOLDERS = 8  # folder levels a name gives (as the readable layout bounds them)
_ANY = "*"  # one folder of any name (an API group's)

# the folders (below the workspace's) where each layout keeps a kind's documents
_FOLDERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "function": (("function",), ("functions",)),
    "task": (("task",), ("tasks",)),
    "table": (("table",), ("tables",)),
    "table_trigger": (("table", "trigger"), ("tables", "triggers"), ("table_trigger",)),
    "middleware": (("middleware",), ("middlewares",)),
    "addon": (("addon",), ("addons",)),
    "api_group": (("api", _ANY), ("apis", _ANY)),
    "query": (("api", _ANY), ("apis", _ANY)),
    "api": (("api", _ANY), ("apis", _ANY)),  # older exports' endpoints
    "agent": (("ai", "agent"), ("agent",), ("agents",)),
    "agent_trigger": (("ai", "agent", "trigger"), ("agents", "triggers"), ("agent_trigger",)),
    "tool": (("ai", "tool"), ("tool",), ("tools",)),
    "mcp_server": (("ai", "mcp_server"), ("mcp_server",), ("mcp_servers",)),
    "mcp_server_trigger": (("ai", "mcp_server", "trigger"), ("mcp_servers", "triggers"), ("mcp_server_trigger",)),
    "realtime_channel": (("realtime", "channel"), ("realtime_channels",), ("realtime_channel",)),
    "realtime_trigger": (("realtime", "trigger"), ("realtime_channels", "triggers"), ("realtime_trigger",)),
    # realtime v2: nested under their server (and channel) by the official CLI's pull and the
    # readable layout; the folders of its earlier pulls; the ``<keyword>/`` of Xano's examples
    "realtime_server": (("realtime", "server", _ANY), ("realtime_server",)),
    "channel": (("realtime", "server", _ANY, "channel", _ANY), ("channel",)),
    "message": (("realtime", "server", _ANY, "channel", _ANY, "message"), ("message",)),
    "channel_trigger": (("realtime", "server", _ANY, "channel", _ANY, "trigger"), ("realtime", "channel", "trigger"),
                        ("realtime", "channel_trigger"), ("realtime_channels", "triggers"), ("channel_trigger",)),
    "realtime_server_trigger": (("realtime", "server", _ANY, "trigger"), ("realtime", "server", "trigger"),
                                ("realtime", "server_trigger"), ("realtime_server_trigger",)),
    "workflow_test": (("workflow_test",), ("workflow_tests",)),
    "workspace_trigger": (("workspace", "trigger"), ("triggers",), ("workspace_trigger",)),
    "error_trigger": (("workspace", "trigger"), ("triggers",), ("error_trigger",)),
    "workspace": (("workspace",),),
    "branch": (("branch",),),
}

# every folder name that starts a kind's folder in some layout (for a look at names alone)
KIND_FOLDER_NAMES = frozenset(folders[0] for patterns in _FOLDERS.values() for folders in patterns)

_SEPARATOR = re.compile(rb"^---[ \t]*\r?$", re.MULTILINE)
_CONTENT_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?[ \t]*(?!//)\S", re.MULTILINE)
_DECLARATION = re.compile(rb'(?:\xef\xbb\xbf)?[ \t]*([a-z_]+)[ \t]+("(?:[^"\\\r\n]|\\.)*"|[^\s{"]+)')


class Declared(NamedTuple):
    kind: str
    name: str


@dataclass(frozen=True)
class Workspace:
    """One workspace of a tree: its folder (a multidoc file: the file itself; loose files: the
    folder they share), its files, whether they are all of it (``complete``: a callee or a
    table they do not hold is really missing), and whether they are Xano's export
    (``exported``: a named object they do not hold was left out of the files, not deleted)."""

    root: str
    files: tuple[str, ...]
    complete: bool
    multidoc: bool = False
    exported: bool = False  # Xano's export (see :func:`exported`)


def declared(data: bytes) -> tuple[Declared, ...]:
    """What a file declares: the kind and name of each of its documents (``---`` lines separate
    them), read from each one's first line; a document whose first line declares nothing
    (a syntax error) counts, with an empty kind."""
    if b"---" not in data or not _SEPARATOR.search(data):
        return (_declaration(data, 0),) if _CONTENT_LINE.search(data) else ()
    found = []
    start = 0
    for match in (*_SEPARATOR.finditer(data), None):
        end = match.start() if match else len(data)
        if _CONTENT_LINE.search(data, start, end):
            found.append(_declaration(data, start, end))
        start = match.end() if match else end
    return tuple(found)


def _declaration(data: bytes, start: int, end: int | None = None) -> Declared:
    content = _CONTENT_LINE.search(data, start, len(data) if end is None else end)
    if content is None:
        return Declared("", "")
    match = _DECLARATION.match(data, content.start(), len(data) if end is None else end)
    if match is None:
        return Declared("", "")
    raw = match.group(2).decode("utf-8", errors="replace")
    if raw.startswith('"'):
        raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return Declared(match.group(1).decode("ascii"), raw)


def root_of(path: str, document: Declared) -> str | None:
    """The folder of the workspace a one-document file belongs to, from its path and what it
    declares; None when the path fits no layout of that kind. Where several fit (a function
    named ``functions/x`` in ``function/functions/x.xs``) the one that sets aside the most
    folders wins."""
    if not document.kind:
        return None
    name_folders = min(sum(1 for part in document.name.split("/")[:-1] if part), MAX_NAME_FOLDERS)
    return _root(os.path.dirname(path), document.kind, name_folders)


@functools.lru_cache(maxsize=4096)  # the files of a folder share their kind, and so the answer
def _root(folder: str, kind: str, name_folders: int) -> str | None:
    parts = folder.split(os.sep)
    best = 0
    for pattern in _FOLDERS.get(kind) or ((kind,), (f"{kind}s",)):
        for extra in range(name_folders, -1, -1):
            size = len(pattern) + extra
            if size <= best or len(parts) <= size:
                continue
            tail = parts[len(parts) - size:len(parts) - extra]
            if all(want == _ANY or want == have.lower() for want, have in zip(pattern, tail)):
                best = size
    return os.sep.join(parts[:len(parts) - best]) or os.sep if best else None


def split(files: Iterable[str], read: Callable[[str], bytes | None], marked: Iterable[str] = ()) -> list[Workspace]:
    """``files`` (absolute paths) by workspace: each multidoc file alone; the others in the
    nearest workspace folder above them, found by what they declare (:func:`root_of`) or
    ``marked`` (folders holding ``xanoctl.lock``, the configured workspace folder); the rest
    together, loose. Workspaces in the order of their folders; the loose files last."""
    roots: set[str] = set(marked)
    own: dict[str, str | None] = {}
    alone: list[str] = []
    for path in files:
        data = read(path)
        documents = declared(data) if data else ()
        if len(documents) > 1:
            alone.append(path)
            continue
        own[path] = root_of(path, documents[0]) if documents else None
        if own[path]:
            roots.add(own[path])
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    nearest: dict[str, str | None] = {}  # by folder
    for path, root in own.items():
        folder = os.path.dirname(path)
        if folder not in nearest:
            nearest[folder] = _nearest(folder, roots)
        above = nearest[folder]
        chosen = root if root and (above is None or len(root) >= len(above)) else above
        if chosen is None:
            loose.append(path)
        else:
            groups.setdefault(chosen, []).append(path)
    found = [Workspace(root, tuple(groups[root]), True, exported=exported(groups[root])) for root in sorted(groups)]
    found += [Workspace(path, (path,), True, True) for path in alone]
    found.sort(key=lambda workspace: workspace.root)
    if loose:
        shared = os.path.commonpath([os.path.dirname(path) for path in loose])
        found.append(Workspace(shared, tuple(loose), False))
    return found


_EXPORT_NAME = re.compile(r"\d+_")  # Xano's export names each file after its object's id: 1654_name_POST.xs


def exported(files: Iterable[str]) -> bool:
    """Whether ``files`` are Xano's export: most are named after their object's id. Xano writes a
    reference to an object that was deleted as an empty name (``function.run ""``, ``db.get ""``),
    so a named object that an export's files do not hold existed when it was exported: the files
    were trimmed before they were committed (a real repository leaves out its billing code), and
    a rule cannot tell that the object is missing from the workspace."""
    files = list(files)
    named = sum(1 for path in files if _EXPORT_NAME.match(os.path.basename(path)))
    return bool(files) and named * 2 > len(files)


def _nearest(folder: str, roots: set[str]) -> str | None:
    """The deepest of ``roots`` that is ``folder`` or holds it."""
    while True:
        if folder in roots:
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
