"""Which files to lint, and which workspace the cross-file rules see.

The *report set* is what the user named: files, and the ``*.xs`` files under named folders.
The *index set* is the whole workspace around them, so that linting one file still checks its
calls against every function: the workspace folder is the nearest folder holding
``xanoctl.lock`` (written by ``xanoctl pull``), else the workspace folder named in
``xanoctl.yaml`` (``dir``), else the folder that what the files declare places them in
(:mod:`xanoctl.lint.layout`: the readable layout, the official CLI's, Xano's export). A tree
that holds several workspaces is checked one workspace at a time (:func:`workspaces`); files
under no workspace are checked together, and are not *complete*: a callee they do not hold may
exist elsewhere, so XR001 stays silent there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from xanoctl.errors import UsageError
from xanoctl.lint import layout
from xanoctl.lint.layout import KIND_FOLDER_NAMES, Workspace

SUFFIX = ".xs"
MANIFEST = "xanoctl.lock"
_SKIP_DIRS = {".git", ".xanoctl", "node_modules", "__pycache__", ".venv"}
# top-level folders of a workspace in any layout (the readable one, the official CLI's, exports)
KIND_FOLDERS = KIND_FOLDER_NAMES | {"branch", "trigger"}


@dataclass(frozen=True)
class Scope:
    report: tuple[str, ...]  # absolute paths of the files to report on
    index: tuple[str, ...]  # absolute paths of every file the index reads (report included)
    roots: tuple[str, ...]  # the workspace folders around the named paths (may be empty)
    complete: bool  # whether a workspace was found around the named paths (see :func:`workspaces`)
    marked: tuple[str, ...] = ()  # folders of the index holding xanoctl.lock, and the configured one


def find_xs(folder: str, marked: list[str] | None = None) -> list[str]:
    """Every ``*.xs`` file below ``folder``, sorted, skipping tool and VCS folders (``marked``:
    receives the folders holding ``xanoctl.lock``)."""
    found: list[str] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(os.path.join(current, name) for name in names if name.endswith(SUFFIX))
        if marked is not None and MANIFEST in names:
            marked.append(current)
    found.sort()
    return found


def workspace_root(path: str, configured: str | None = None, files: list[str] | None = None) -> str | None:
    """The workspace folder holding ``path``: the nearest folder above it with
    ``xanoctl.lock``; else the configured workspace folder when ``path`` is inside it; else
    the folder above it that what ``path`` declares places it in (a folder: the first of its
    ``files`` that a layout places, when that is above the folder)."""
    here = Path(path)
    start = here if here.is_dir() else here.parent
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return str(folder)
    if configured:
        root = Path(configured)
        if root.is_dir() and (here == root or root in here.parents):
            return str(root)
    return _declared_root(os.path.abspath(path), files)


def _declared_root(path: str, files: list[str] | None) -> str | None:
    for file in (files if files is not None else [path]):
        try:
            with open(file, "rb") as handle:
                documents = layout.declared(handle.read())
        except OSError:
            continue
        root = layout.root_of(file, documents[0]) if len(documents) == 1 else None
        if root is not None:
            return root if file == path or path == root or path.startswith(root + os.sep) else None
    return None


def resolve_scope(paths, configured_workspace: str | None = None, *, empty_ok: bool = True) -> Scope:
    """The files of ``paths`` and of the workspaces around them. ``empty_ok=False``: a named
    folder holding no ``*.xs`` file is a :class:`UsageError` (a path typo must not pass)."""
    if not paths:
        raise UsageError("name the files or folders to lint, e.g. `xanoctl lint workspace/`")
    report: list[str] = []
    roots: list[str] = []
    marked: list[str] = []
    walked: dict[str, list[str]] = {}
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if os.path.isdir(path):
            walked[path] = find_xs(path, marked)
            if not walked[path] and not empty_ok:
                raise UsageError(f"{raw}: no XanoScript here (no *.xs file in this folder or below); "
                                 "name a workspace folder or .xs files")
            report.extend(walked[path])
        elif os.path.isfile(path):
            report.append(path)
        else:
            raise UsageError(f"{raw}: no such file or folder")
        root = workspace_root(path, configured_workspace, walked.get(path))
        if root and root not in roots:
            roots.append(root)
    report = sorted(set(report))
    index = set(report)
    for root in roots:
        index.update(walked[root] if root in walked else find_xs(root, marked))
    configured = os.path.abspath(configured_workspace) if configured_workspace else None
    marked.extend(root for root in roots if root == configured or os.path.isfile(os.path.join(root, MANIFEST)))
    return Scope(tuple(report), tuple(sorted(index)), tuple(roots), bool(roots),
                 tuple(sorted(set(marked))))


def workspaces(scope: Scope, read: Callable[[str], bytes | None]) -> list[Workspace]:
    """The index set split by workspace, for the cross-file rules and the views
    (:func:`xanoctl.lint.layout.split`; ``read``: a file's bytes): a tree holding several
    workspaces (two pulled folders, a repository of exports) is checked one workspace at a
    time, so that two workspaces' `POST auth/login` are not one route twice."""
    return layout.split(scope.index, read, scope.marked)


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the current folder when it is inside it, with ``/`` separators."""
    cwd = cwd or os.getcwd()
    if os.path.isabs(path) and path.startswith(cwd) and path[len(cwd):len(cwd) + 1] == os.sep \
            and os.path.normpath(path) == path:  # the common case, without relpath's work
        rel = path[len(cwd) + 1:]
        return rel if os.sep == "/" else Path(rel).as_posix()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return Path(path).as_posix()
    if rel.startswith(".."):
        return Path(path).as_posix()
    return Path(rel).as_posix()
