"""The linter as a library, for other commands (``demo``, ``push``) and for tests.

>>> from xanoctl.lint.api import lint_paths
>>> result = lint_paths(["workspace/"])          # defaults; pass load_config() for xanoctl.yaml
>>> result.exit_code, [f.code for f in result.findings]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from xanoctl.lint.config import LintConfig, load_config
from xanoctl.lint.engine import LintResult, run

if TYPE_CHECKING:  # the index (and the facts it holds) only where one is built
    from xanoctl.lint.changed import Changes
    from xanoctl.lint.index import WorkspaceIndex

__all__ = ["LintConfig", "LintResult", "build_index", "lint_paths", "load_config"]


def lint_paths(
    paths: Sequence[str | Path],
    config: LintConfig | None = None,
    *,
    select: Sequence[str] | str | None = None,
    ignore: Sequence[str] | str | None = None,
    fail_on: str | None = None,
    changed_since: str | None = None,
    staged: bool = False,
    change: Changes | None = None,
    baseline: str | Path | None = None,
    write_baseline: str | Path | None = None,
    use_cache: bool = True,
    cache_dir: str | Path | None = None,
    jobs: int | None = None,
    keep_files: bool = False,
    texts: dict[str, bytes] | None = None,
    empty_ok: bool = True,
) -> LintResult:
    """Lint files and folders (folders: every ``*.xs`` below them).

    ``config`` defaults to the built-in defaults (not to ``xanoctl.yaml``: pass
    :func:`load_config` for that). ``select``/``ignore``/``fail_on``/``baseline`` override it.
    Cross-file rules see the whole workspace around the paths (the folder holding
    ``xanoctl.lock``); findings are reported for the named paths only. With a change
    (``changed_since`` a git revision, ``staged`` the commit being made, or ``change``, see
    :mod:`xanoctl.lint.changed`) the workspace is linted as it is after the change: findings
    are reported for the changed files among the named paths, and for the findings the change
    causes in any other file (``result.callers`` counts those). ``keep_files`` keeps
    every file's facts in ``result.facts`` (scope, workspaces, facts by path), for the views. ``texts``
    lints that content in place of what those files (absolute paths) hold on disk. Raises
    :class:`xanoctl.errors.UsageError` for a bad path, revision, option or baseline (and, with
    ``empty_ok=False``, for a folder holding no XanoScript).
    """
    config = (config or LintConfig()).overridden(select=select, ignore=ignore, fail_on=fail_on,
                                                 baseline=baseline)
    return run(paths, config, changed_since=changed_since, staged=staged, change=change, use_cache=use_cache,
               cache_dir=cache_dir, jobs=jobs, write_baseline=write_baseline, keep_files=keep_files, texts=texts,
               empty_ok=empty_ok)


def build_index(paths: Sequence[str | Path], config: LintConfig | None = None, *, use_cache: bool = True,
                cache_dir: str | Path | None = None, jobs: int | None = None) -> WorkspaceIndex:
    """The workspace index (functions, calls, tasks with schedules, endpoints, tables, every
    document with its references) of the workspace around ``paths``, without running the
    workspace rules; unchanged files come from the lint cache."""
    from xanoctl.lint.engine import load
    from xanoctl.lint.index import WorkspaceIndex

    facts = load(paths, config or LintConfig(), use_cache=use_cache, cache_dir=cache_dir, jobs=jobs)
    return WorkspaceIndex((facts.results[path] for path in facts.scope.index),
                          complete=all(workspace.complete for workspace in facts.workspaces))
