"""A change to a workspace, for the linter to judge: which files it changes, and the workspace
before and after it.

The linter lints the workspace as it is *after* the change (the files on disk, except where
``after`` says otherwise) and reports the findings of the changed files, plus every finding
the change causes in the files it does not touch: a finding of the workspace after the change
that the workspace *before* it (``before`` over the after side) did not have. A function
deleted, renamed, or given other inputs or another answer, a table or a column removed, a route
taken: whatever the cross-file rules see, the callers it breaks are reported.

Three changes are judged this way:

- ``lint --changed-since REV`` (:func:`changes_since`): the working tree against the merge base
  of REV and HEAD, untracked files included (GitPython). Using the merge base makes
  ``--changed-since origin/main`` list what a pull request changed even when main has moved on;
- ``lint --staged`` (:func:`staged_changes`, the pre-commit hook): the commit being made, i.e.
  the index against HEAD; the files the commit leaves out are judged as the index has them;
- the push gate (:mod:`xanoctl.sync.push`): the objects pushed against the remote.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

from xanoctl.errors import UsageError


@dataclass
class Changes:
    """Paths are real paths (symbolic links resolved). ``None`` content: no such file."""

    paths: set[str]  # the files the change writes (they exist after it): reported in full
    before: dict[str, bytes | None] = field(default_factory=dict)  # content before, where it differs from after
    after: dict[str, bytes | None] = field(default_factory=dict)  # content after, where it is not the file on disk
    notes: list[str] = field(default_factory=list)  # what could not be judged exactly, for the report


def changed_files(rev: str, start: str) -> set[str]:
    return changes_since(rev, start).paths


def _repo(start: str, flag: str):
    import git

    try:
        return git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"{flag} needs a git repository; {start} is not inside one") from None


def changes_since(rev: str, start: str, suffix: str = ".xs") -> Changes:
    import git

    repo = _repo(start, "--changed-since")
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
            path = os.path.realpath(os.path.join(root, diff.b_path))
            out.paths.add(path)
            if diff.b_path.endswith(suffix) and (diff.new_file or diff.a_path != diff.b_path):
                out.before.setdefault(path, None)  # (a rename: its old path gets its content below)
        if diff.a_path and diff.a_path.endswith(suffix) and diff.a_blob is not None and not diff.new_file:
            try:
                out.before[os.path.realpath(os.path.join(root, diff.a_path))] = diff.a_blob.data_stream.read()
            except (ValueError, git.GitCommandError):
                pass  # a submodule or a missing object: nothing to compare with
    for name in repo.untracked_files:
        path = os.path.realpath(os.path.join(root, name))
        out.paths.add(path)
        if name.endswith(suffix):
            out.before[path] = None
    return out


def staged_changes(start: str, suffix: str = ".xs") -> Changes:
    """The commit being made: the files staged (added, modified, deleted) against HEAD, the
    workspace as the index holds it (a file with unstaged edits is judged as staged, an
    untracked file as absent)."""
    import git

    repo = _repo(start, "--staged")
    root = repo.working_tree_dir or start
    out = Changes(set())

    def real(name: str) -> str:
        return os.path.realpath(os.path.join(root, name))

    def blob(sha: str) -> bytes:
        return repo.odb.stream(bytes.fromhex(sha)).read()

    try:
        head = repo.head.commit.hexsha
    except ValueError:
        head = None  # the first commit: everything staged is new
    # index against HEAD (raw: modes and blob ids, without renames): the commit's changes
    if head is not None:
        raw = repo.git.diff("--cached", "--raw", "-z", "--no-renames", "--no-abbrev", head)
        for old_sha, new_sha, status, name in _raw(raw):
            if not name.endswith(suffix):
                continue
            path = real(name)
            if status != "D":
                out.paths.add(path)
            out.before[path] = None if status == "A" else blob(old_sha)
            if status == "D":
                out.after[path] = None
    else:
        for (name, stage), entry in repo.index.entries.items():
            if stage == 0 and name.endswith(suffix):
                out.paths.add(real(name))
                out.before[real(name)] = None
    # the working tree against the index: what the commit does not take
    staged = {name: entry for (name, stage), entry in repo.index.entries.items() if stage == 0}
    for _, _, status, name in _raw(repo.git.diff("--raw", "-z", "--no-renames", "--no-abbrev")):
        if name.endswith(suffix) and name in staged:
            out.after[real(name)] = blob(staged[name].hexsha)
    for name in repo.untracked_files:
        if name.endswith(suffix):
            out.after[real(name)] = None
    return out


def _raw(text: str) -> list[tuple[str, str, str, str]]:
    """``git diff --raw -z`` records: (old blob, new blob, status letter, path)."""
    parts = text.split("\0")
    out = []
    for head, name in zip(parts[0::2], parts[1::2]):
        fields = head.lstrip(":").split()
        if len(fields) >= 5:
            out.append((fields[2], fields[3], fields[4][:1], name))
    return out


def overlaid(contents: Mapping[str, bytes | None], path: str) -> bytes | None:
    """``path``'s content: from ``contents`` when it has it, else from the disk."""
    if path in contents:
        return contents[path]
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None
