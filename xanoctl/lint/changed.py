"""``--changed-since REV``: the files changed since a git revision (GitPython).

Changed means: different in the working tree (staged or not) from the merge base of REV and
HEAD, plus untracked files. Using the merge base makes ``--changed-since origin/main`` list
what a pull request changed even when main has moved on.

The content of the changed ``*.xs`` files at that base is kept too (``before``): a function
deleted, renamed or given other inputs breaks callers in files the change does not touch, and
the engine compares what each function offered before with what it offers now.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from xanoctl.errors import UsageError


@dataclass
class Changes:
    paths: set[str]  # real paths of the files changed (and untracked) in the working tree
    before: dict[str, bytes] = field(default_factory=dict)  # base path -> content, for *.xs files


def changed_files(rev: str, start: str) -> set[str]:
    return changes_since(rev, start).paths


def changes_since(rev: str, start: str, suffix: str = ".xs") -> Changes:
    import git

    try:
        repo = git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"--changed-since needs a git repository; {start} is not inside one") from None
    try:
        base = repo.commit(rev)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise UsageError(f"--changed-since: unknown git revision {rev!r}; try `git log --oneline` "
                         f"or fetch it first (e.g. `git fetch origin main`)") from None
    try:
        bases = repo.merge_base(base, repo.head.commit)
        if bases:
            base = bases[0]
    except (ValueError, git.GitCommandError):
        pass  # no HEAD commit yet: compare with REV itself
    root = repo.working_tree_dir or start
    out = Changes(set())
    for diff in base.diff(None):
        if diff.b_path and not diff.deleted_file:
            out.paths.add(os.path.realpath(os.path.join(root, diff.b_path)))
        if diff.a_path and diff.a_path.endswith(suffix) and diff.a_blob is not None and not diff.new_file:
            try:
                out.before[os.path.realpath(os.path.join(root, diff.a_path))] = diff.a_blob.data_stream.read()
            except (ValueError, git.GitCommandError):
                pass  # a submodule or a missing object: nothing to compare with
    for name in repo.untracked_files:
        out.paths.add(os.path.realpath(os.path.join(root, name)))
    return out
