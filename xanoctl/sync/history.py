"""Reading files from git history and committing named files (GitPython).

Everything here takes absolute paths on disk and converts them to repository paths itself;
callers never build git path specs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import git

from xanoctl.errors import UsageError, XanoctlError
from xanoctl.sync.gitops import find_repo


def repository(folder: Path, hint: str) -> git.Repo:
    """The git repository holding ``folder`` (an error that ends with ``hint``, what to do
    otherwise)."""
    return find_repo(folder, hint)


def repo_path(repo: git.Repo, path: Path) -> str:
    """``path`` relative to the working tree, POSIX style (``workspace/function/x.xs``)."""
    root = Path(os.path.realpath(repo.working_tree_dir or "."))
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(root):
        raise UsageError(f"{path} is outside the git working tree {root}")
    return real.relative_to(root).as_posix()


def resolve(repo: git.Repo, rev: str) -> git.Commit:
    try:
        return repo.commit(rev)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise UsageError(f"unknown git revision {rev!r}: name a commit, branch or tag "
                         "(see `git log --oneline`)") from None


def short(repo: git.Repo, commit: git.Commit) -> str:
    return repo.git.rev_parse("--short", commit.hexsha)


def read_at(commit: git.Commit, rel: str) -> bytes | None:
    """The bytes of ``rel`` (repository path) at ``commit``, or None when it has no such file."""
    try:
        item = commit.tree / rel
    except KeyError:
        return None
    if item.type != "blob":
        return None
    return item.data_stream.read()


def head_commit(repo: git.Repo) -> git.Commit | None:
    try:
        return repo.head.commit
    except ValueError:  # no commit yet
        return None


def commits_touching(repo: git.Repo, rel: str, limit: int) -> list[git.Commit]:
    try:
        return list(repo.iter_commits(paths=rel, max_count=limit))
    except (git.GitCommandError, ValueError):
        return []


def commit_paths(repo: git.Repo, paths: Iterable[Path], message: str) -> str | None:
    """Commit exactly these files (additions, changes, deletions), nothing else that may be
    staged. Returns the new commit's sha, or None when none of them changed."""
    specs = sorted({repo_path(repo, Path(p)) for p in paths})
    indexed = set(repo.git.ls_files("--", *specs).splitlines()) if specs else set()
    committed = set()
    if specs and head_commit(repo) is not None:  # a deletion already staged (a run killed before committing)
        committed = set(repo.git.ls_tree("-r", "--name-only", "HEAD", "--", *specs).splitlines())
    root = Path(repo.working_tree_dir or ".")
    present = [spec for spec in specs if (root / spec).exists() or spec in indexed | committed]
    if not present:
        return None
    staged = [spec for spec in present if (root / spec).exists() or spec in indexed]
    if staged:
        repo.git.add("--all", "--", *staged)
    if not repo.git.status("--porcelain", "--", *present).strip():
        return None
    try:
        repo.git.commit("--only", "--no-verify", "-m", message, "--", *present)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().splitlines()
        raise XanoctlError(f"git commit failed: {detail[-1] if detail else exc}; the remote is updated, "
                           "commit the files yourself") from None
    return repo.head.commit.hexsha
