"""A workspace read for the views: every file's facts (through the lint cache), the index and
the graph, with paths shown relative to a folder of the caller's choice."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from xanoctl.lint.api import LintResult, lint_paths
from xanoctl.lint.config import LintConfig
from xanoctl.lint.engine import load
from xanoctl.lint.facts import FileResult
from xanoctl.lint.files import Scope, display_path
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

    @property
    def name(self) -> str:
        return os.path.basename(self.root) if self.root else os.path.basename(os.path.abspath(self.path))


def default_path(path: str | None, config: LintConfig) -> str:
    """The folder a view reads: the one named, else ``dir`` of xanoctl.yaml, else ./workspace
    when there is one, else the current folder."""
    if path:
        return path
    return config.workspace or ("workspace" if Path("workspace").is_dir() else ".")


def open_workspace(path: str, config: LintConfig, *, relative_to_root: bool = False, lint: bool = False,
                   use_cache: bool = True, jobs: int | None = None) -> Workspace:
    """Read the workspace around ``path`` (``lint``: and lint it, findings in ``.lint``).
    Paths in the graph are relative to the current folder, as in lint reports
    (``relative_to_root``: to the workspace folder), with ``/`` separators."""
    linted = None
    if lint:
        linted = lint_paths([path], config, use_cache=use_cache, jobs=jobs, keep_files=True)
        scope, results = linted.facts
    else:
        scope, results = load([path], config, use_cache=use_cache, jobs=jobs)
    index = WorkspaceIndex((results[file] for file in scope.index), complete=scope.complete)
    root = scope.roots[0] if scope.roots else (os.path.abspath(path) if os.path.isdir(path) else None)
    base = root if relative_to_root and root else os.getcwd()
    shown = functools.lru_cache(maxsize=None)(lambda file: display_path(file, base))
    return Workspace(path, root, scope, results, index, build(index, root, shown), shown, linted)
