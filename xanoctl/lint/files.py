"""Which files to lint, and which workspace the cross-file rules see.

The *report set* is what the user named: files, and the ``*.xs`` files under named folders.
The *index set* is the whole workspace around them, so that linting one file still checks its
calls against every function: the workspace root is the nearest folder holding
``xanoctl.lock`` (written by ``xanoctl pull``), else the workspace folder named in
``xanoctl.yaml`` (``dir``), else the nearest folder laid out like a workspace (``function/``,
``task/``, ``api/``...). Without a root, the index set is the report set, and it is not
*complete*: a callee it does not hold may exist elsewhere, so XR001 stays silent. A tree that
holds several workspaces is checked one workspace at a time (:func:`workspaces`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from xanoctl.errors import UsageError

SUFFIX = ".xs"
MANIFEST = "xanoctl.lock"
_SKIP_DIRS = {".git", ".xanoctl", "node_modules", "__pycache__", ".venv"}
# top-level folders of a pulled workspace (design.md, and the official Xano CLI's layout)
KIND_FOLDERS = frozenset({
    "function", "task", "api", "table", "middleware", "addon", "agent", "tool", "mcp_server",
    "workflow_test", "trigger", "triggers", "realtime", "workspace", "branch",
})

# ... and those of Xano's own exports (plural names: `functions/`, `apis/`...)
_EXPORT_FOLDERS = frozenset({
    "functions", "tasks", "apis", "tables", "middlewares", "addons", "agents", "tools", "mcp_servers",
    "workflow_tests", "triggers", "realtime_channels",
})


@dataclass(frozen=True)
class Scope:
    report: tuple[str, ...]  # absolute paths of the files to report on
    index: tuple[str, ...]  # absolute paths of every file the index reads (report included)
    roots: tuple[str, ...]  # workspace roots found (may be empty)
    complete: bool  # whether the index holds the whole workspace


def find_xs(folder: str) -> list[str]:
    """Every ``*.xs`` file below ``folder``, sorted, skipping tool and VCS folders."""
    found: list[str] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(os.path.join(current, name) for name in names if name.endswith(SUFFIX))
    found.sort()
    return found


def workspace_root(path: str, configured: str | None = None) -> str | None:
    """The workspace folder holding ``path``: the nearest folder above it with
    ``xanoctl.lock``; else the configured workspace folder when ``path`` is inside it; else the
    nearest folder laid out like a workspace (a ``function/`` folder, with ``path`` being that
    folder itself or inside one of its object folders)."""
    here = Path(path)
    start = here if here.is_dir() else here.parent
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return str(folder)
    if configured:
        root = Path(configured)
        if root.is_dir() and (here == root or root in here.parents):
            return str(root)
    for folder in (start, *start.parents):
        if (folder / "function").is_dir():
            if folder == here:
                return str(folder)
            relative = here.relative_to(folder).parts
            if relative and relative[0] in KIND_FOLDERS:
                return str(folder)
    return None


def resolve_scope(paths, configured_workspace: str | None = None) -> Scope:
    if not paths:
        raise UsageError("name the files or folders to lint, e.g. `xanoctl lint workspace/`")
    report: list[str] = []
    roots: list[str] = []
    walked: dict[str, list[str]] = {}
    for raw in paths:
        path = os.path.abspath(os.fspath(raw))
        if os.path.isdir(path):
            walked[path] = find_xs(path)
            report.extend(walked[path])
        elif os.path.isfile(path):
            report.append(path)
        else:
            raise UsageError(f"{raw}: no such file or folder")
        root = workspace_root(path, configured_workspace)
        if root and root not in roots:
            roots.append(root)
    report = sorted(set(report))
    if roots:
        index = set(report)
        for root in roots:
            index.update(walked[root] if root in walked else find_xs(root))
        return Scope(tuple(report), tuple(sorted(index)), tuple(roots), True)
    return Scope(tuple(report), tuple(report), (), False)


def workspaces(scope: Scope) -> list[list[str]]:
    """The index set split by workspace, for the cross-file rules: a tree holding several
    workspaces (two pulled folders, a repository of exports) is checked one workspace at a
    time, so that two workspaces' `POST auth/login` are not one route twice. See
    :func:`workspace_groups`."""
    return list(workspace_groups(scope).values())


def workspace_groups(scope: Scope, holds: Callable[[str], bool] | None = None) -> dict[str, list[str]]:
    """The index set split by workspace, by the workspace's folder. Each file belongs to the
    root of the scope that holds it; else, looking down from the folder all the files share,
    to the first folder holding ``xanoctl.lock`` or an object folder (``function/``,
    ``apis/``...); files under no such folder form one group, under the folder they share.
    ``holds(folder)`` says whether a folder is such a one (default: as it is on disk; see
    :func:`marks_workspace`)."""
    if holds is None:
        known: dict[str, bool] = {}
        holds = lambda folder: _holds_workspace(folder, known)  # noqa: E731
    tops = sorted(scope.roots, key=len, reverse=True)
    if not scope.index:
        return {tops[0] if tops else "": []}
    try:
        common = os.path.commonpath(scope.index)
    except ValueError:  # on several drives
        return {tops[0] if tops else "": list(scope.index)}
    if len(scope.index) < 2:
        return {tops[0] if tops else os.path.dirname(scope.index[0]): list(scope.index)}
    groups: dict[str | None, list[str]] = {}
    for path in scope.index:
        key = next((top for top in tops if path.startswith(top + os.sep)), None)
        if key is None:
            folder = common
            parts = Path(os.path.relpath(os.path.dirname(path), common)).parts
            for part in ("", *parts):
                folder = os.path.join(folder, part) if part and part != "." else folder
                if holds(folder):
                    key = folder
                    break
        groups.setdefault(key, []).append(path)
    loose = groups.pop(None, None)
    if loose:  # files under no workspace folder: the folder they share
        groups[os.path.commonpath([os.path.dirname(path) for path in loose])] = loose
    return groups  # type: ignore[return-value]


def marks_workspace(name: str, is_folder: bool) -> bool:
    """Whether an entry ``name`` of a folder makes it a workspace's folder: the manifest, or an
    object folder (``function/``, ``apis/``...)."""
    return name == MANIFEST or is_folder and (name in KIND_FOLDERS or name in _EXPORT_FOLDERS)


def _holds_workspace(folder: str, known: dict[str, bool]) -> bool:
    if folder not in known:
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        # (a name that could mark it, then whether it is a folder: one look on disk per candidate)
        known[folder] = any(marks_workspace(name, True) and (name == MANIFEST or os.path.isdir(os.path.join(folder, name)))
                            for name in names)
    return known[folder]


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
