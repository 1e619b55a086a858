"""``--changed-since REV``: the files changed since a git revision (GitPython).

Changed means: different in the working tree (staged or not) from the merge base of REV and
HEAD, plus untracked files. Using the merge base makes ``--changed-since origin/main`` list
what a pull request changed even when main has moved on.
"""

from __future__ import annotations

import os

from xanoctl.errors import UsageError


def changed_files(rev: str, start: str) -> set[str]:
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
    changed: set[str] = set()
    for diff in base.diff(None):
        if diff.b_path and not diff.deleted_file:
            changed.add(os.path.realpath(os.path.join(root, diff.b_path)))
    for name in repo.untracked_files:
        changed.add(os.path.realpath(os.path.join(root, name)))
    return changed
