"""A workspace read for the views: every file's facts (through the lint cache), the index and
the graph, with paths shown relative to a folder of the caller's choice.

A tree that holds several workspaces (:func:`xanoctl.lint.files.workspaces`: two pulled folders
side by side, a repository of exports, multidoc files) is read once and split: one
:class:`Workspace`, index and graph per workspace, each named by its folder relative to the
folder the user named (``v1``, ``exports/shop``, ``exports/all.xs``)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from xanoctl.lint.api import LintResult, lint_paths
from xanoctl.lint.config import LintConfig
from xanoctl.lint.engine import Facts, load
from xanoctl.lint.facts import FileResult
from xanoctl.errors import UsageError
from xanoctl.lint.files import Scope, display_path, workspace_root
from xanoctl.lint import layout
from xanoctl.lint.index import WorkspaceIndex
from xanoctl.views.graph import Graph, build


@dataclass
class Workspace:
    path: str  # as named by the user
    root: str | None  # the workspace folder, when there is one
    scope: Scope
    results: dict[str, FileResult]  # by absolute path
    index: WorkspaceIndex
    graph: Graph
    shown: Callable[[str], str]  # an absolute path as the graph shows it
    lint: LintResult | None = None
    label: str | None = None  # its name among several workspaces; None when the tree holds one
    files: frozenset[str] = frozenset()  # the absolute paths of its files (scope.index when alone)

    @property
    def name(self) -> str:
        if self.label is not None:
            return self.label
        return os.path.basename(self.root) if self.root else os.path.basename(os.path.abspath(self.path))


def default_path(path: str | None, config: LintConfig, command: str) -> str:
    """The folder a view reads: the one named, else ``dir`` of xanoctl.yaml, else ./workspace
    when there is one, else the current folder when it is a workspace's (it or a folder above
    holds xanoctl.lock, or it holds a folder where a layout keeps documents: ``function/``,
    ``functions/``, ``apis/``...). Anything else is a :class:`UsageError` naming what to do:
    a view never reads a folder that merely happens to be the current one."""
    if path:
        return path
    if config.workspace:
        if Path(config.workspace).is_dir():
            return config.workspace
        raise UsageError(f"{display_path(config.workspace)}: the workspace folder named in {config.source or 'xanoctl.yaml'} "
                         f"does not exist; run `xanoctl pull`, or name a folder: `xanoctl {command} PATH`")
    if Path("workspace").is_dir():
        return "workspace"
    if workspace_root(os.getcwd()) is not None or any(
            name in layout.KIND_FOLDER_NAMES and os.path.isdir(name) for name in os.listdir(".")):
        return "."
    raise UsageError(f"no workspace here (no xanoctl.yaml, no ./workspace folder, and this folder is not a "
                     f"workspace's): name the workspace folder, e.g. `xanoctl {command} path/to/workspace`, "
                     f"or run `xanoctl init` and `xanoctl pull`")


def open_workspaces(path: str, config: LintConfig, *, relative_to_root: bool = False, lint: bool = False,
                    use_cache: bool = True, jobs: int | None = None, empty_ok: bool = False) -> list[Workspace]:
    """Read the workspaces under ``path`` (``lint``: and lint them, all the findings in each
    one's ``.lint``): one when ``path`` is a workspace or inside one, else one per workspace
    the tree holds, sorted by name. Paths in the graphs are relative to the current folder, as
    in lint reports (``relative_to_root``: to each workspace's folder), with ``/`` separators.
    Every file is read once, through the lint cache. A folder holding no XanoScript is a
    :class:`UsageError` unless ``empty_ok`` (the default workspace folder, maybe still empty)."""
    facts, linted = _read(path, config, lint, use_cache, jobs, empty_ok)
    scope, results = facts.scope, facts.results
    groups = facts.workspaces
    if len(groups) <= 1:
        return [_one(path, scope, results, linted, relative_to_root, groups[0] if groups else None)]
    base = os.path.abspath(path) if os.path.isdir(path) else os.path.commonpath(scope.index)
    found = []
    for group in groups:
        # the files outside any workspace at the top of the tree are named for the top folder
        root = group.root
        label = Path(os.path.relpath(root, base)).as_posix() if root.startswith(base + os.sep) \
            else os.path.basename(base)
        found.append(_one(path, scope, results, linted, relative_to_root, group, label))
    return sorted(found, key=lambda workspace: workspace.name)


def _read(path: str, config: LintConfig, lint: bool, use_cache: bool, jobs: int | None, empty_ok: bool
          ) -> tuple[Facts, LintResult | None]:
    if lint:
        linted = lint_paths([path], config, use_cache=use_cache, jobs=jobs, keep_files=True, empty_ok=empty_ok)
        assert linted.facts is not None
        return linted.facts, linted
    return load([path], config, use_cache=use_cache, jobs=jobs, empty_ok=empty_ok), None


def _one(path: str, scope: Scope, results: dict[str, FileResult], linted: LintResult | None,
         relative_to_root: bool, group: layout.Workspace | None, label: str | None = None) -> Workspace:
    files = group.files if group else ()
    index = WorkspaceIndex((results[file] for file in files), complete=group is not None and group.complete,
                           exported=group is not None and group.exported)
    root = group.root if group else None
    if label is None and not (group and group.complete and not group.multidoc):
        root = scope.roots[0] if scope.roots else (os.path.abspath(path) if os.path.isdir(path) else None)
    folder = os.path.dirname(root) if root and group and group.multidoc else root
    base = folder if relative_to_root and folder else os.getcwd()
    shown = functools.lru_cache(maxsize=None)(lambda file: display_path(file, base))
    return Workspace(path, root, scope, results, index, build(index, root, shown), shown, linted, label,
                     frozenset(files))
