"""Recording a pull in git (GitPython): a commit of the workspace folder only, with a message
that lists what was added, changed and removed.

Before the pull writes, :func:`check_committable` refuses when the workspace folder holds
uncommitted changes that no pull made (a user's edit, a stray file): they would otherwise be
swept into the pull's commit. Files a pull killed half-way wrote (the remote content the new
pull is about to record) are a pull's. Changes outside the workspace folder are never part of the commit
(``git commit --only -- <folder>``), staged or not, so they do not block it.
"""

from __future__ import annotations

import os
from pathlib import Path

import git

from xanoctl.errors import XanoctlError
from xanoctl.sync.manifest import MANIFEST_NAME, Entry, Manifest, changes, sha256_bytes
from xanoctl.ui import words

MAX_LISTED = 100


def find_repo(folder: Path, hint: str = "or pull without --commit") -> git.Repo:
    """The repository holding ``folder``; else an error ending with ``hint`` (what the user can
    do instead, for the command that needs the repository)."""
    start = folder if folder.exists() else folder.parent
    while not start.exists():
        start = start.parent
    try:
        repo = git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise XanoctlError(f"{folder} is not inside a git repository: run `git init` there, {hint}") from None
    if repo.bare or repo.working_tree_dir is None:
        raise XanoctlError(f"{repo.git_dir} is a bare repository: --commit needs a working tree")
    return repo


def _relative(repo: git.Repo, folder: Path) -> str:
    root = Path(os.path.realpath(repo.working_tree_dir or "."))
    real = Path(os.path.realpath(folder))
    if not real.is_relative_to(root):
        raise XanoctlError(f"{folder} is outside the git working tree {root}")
    rel = real.relative_to(root).as_posix()
    return "" if rel == "." else rel


def _dirty_paths(repo: git.Repo, rel: str) -> list[str]:
    """Paths under ``rel`` (repository-relative) that differ from HEAD: staged, modified,
    deleted or untracked."""
    spec = [rel] if rel else []
    out = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", *spec)
    paths = []
    entries = out.split("\0")
    index = 0
    while index < len(entries):
        item = entries[index]
        index += 1
        if len(item) < 4:
            continue
        status, path = item[:2], item[3:]
        if "R" in status or "C" in status:
            index += 1  # the rename's source path follows
        paths.append(path)
    return paths


def check_committable(folder: Path, manifest: Manifest | None, pulled: Manifest | None = None) -> git.Repo:
    """The repository of ``folder``, once verified that every uncommitted change inside the
    folder was made by a pull: the manifest, files matching their hash in ``manifest`` (the one
    on disk) or in ``pulled`` (the one this pull writes), files deleted that one of them no
    longer lists."""
    repo = find_repo(folder)
    rel = _relative(repo, folder)
    known = [m.by_path() for m in (manifest, pulled) if m is not None] or [{}]
    root = Path(repo.working_tree_dir or ".")
    offenders = []
    for path in _dirty_paths(repo, rel):
        inner = path[len(rel) + 1:] if rel else path
        if inner == MANIFEST_NAME:
            continue
        target = root / path
        digest = sha256_bytes(target.read_bytes()) if target.is_file() else None
        if any(_pulled(tracked.get(inner), digest, target) for tracked in known):
            continue
        offenders.append(path)
    if offenders:
        shown = ", ".join(offenders[:3]) + (f" and {len(offenders) - 3} more" if len(offenders) > 3 else "")
        raise XanoctlError(f"uncommitted changes in {folder} that no pull made ({shown}): commit or stash "
                           "them first, or pull without --commit")
    return repo


def _pulled(entry: Entry | None, digest: str | None, target: Path) -> bool:
    """Whether a pull left the file so: written as ``entry`` says, or removed (no entry)."""
    if entry is not None:
        return digest == entry.sha256
    return not target.exists()


def committed_manifest(repo: git.Repo, folder: Path) -> Manifest | None:
    """The manifest of ``folder`` as committed at HEAD, or None (no commit, no manifest yet)."""
    rel = _relative(repo, folder)
    try:
        text = repo.git.show(f"HEAD:{rel + '/' if rel else ''}{MANIFEST_NAME}")
    except git.GitCommandError:
        return None
    try:
        return Manifest.loads(text)
    except XanoctlError:
        return None


def commit_message(committed: Manifest | None, pulled: Manifest, unreadable: list, workspace: int, branch: str,
                   folder_label: str) -> str:
    """What the commit holds (the manifest at HEAD against the one pulled, so that the output of
    an earlier pull not yet committed is counted too), and the objects Xano could not render."""
    found = changes(committed, pulled)
    titles = {"added": "added", "changed": "changed", "removed": "deleted"}
    counts = words.counts([(len(found[title]), word) for title, word in titles.items()], empty="nothing changed")
    single = [(entry, titles[title]) for title, entries in found.items() for entry in entries]
    if len(single) == 1:
        entry, word = single[0]
        verb = f" {entry.verb}" if entry.kind == "query" and entry.verb else ""
        subject = f"xanoctl pull: {entry.kind}{verb} {entry.name!r} {word}"
    else:
        subject = f"xanoctl pull: {counts}"
    lines = [subject, "", f"Workspace {workspace}, branch {branch or '(live)'}, into {folder_label}/."]
    for title, entries in found.items():
        if not entries:
            continue
        lines += ["", f"{titles[title]}:"]
        for entry in entries[:MAX_LISTED]:
            lines.append(f"  {entry.label()}  {entry.path}")
        if len(entries) > MAX_LISTED:
            lines.append(f"  ... and {len(entries) - MAX_LISTED} more")
    if unreadable:
        lines.append("")
        lines += [f"not pulled (Xano could not render it): {change.label()}: {change.reason}"
                  for change in unreadable[:MAX_LISTED]]
    return "\n".join(lines) + "\n"


def commit_folder(repo: git.Repo, folder: Path, message: str, also: list[Path] = ()) -> str | None:
    """Stage every change under ``folder`` and commit only that folder (and the files ``also``:
    ``xanoctl.yaml`` with the first pull). Returns the commit sha, or None when there was
    nothing to commit."""
    rel = _relative(repo, folder) or "."
    extra = [_relative(repo, path) for path in also]
    repo.git.add("--all", "--", rel, *extra)
    if not repo.git.status("--porcelain", "--", rel, *extra).strip():
        return None
    try:
        repo.git.commit("--only", "-m", message, "--", rel, *extra)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().splitlines()
        raise XanoctlError(f"git commit failed: {detail[-1] if detail else exc}; the files are pulled, "
                           "commit them yourself") from None
    return repo.head.commit.hexsha


def untracked(repo: git.Repo, path: Path) -> bool:
    """Whether ``path`` (a file in the working tree) is not in the repository's index."""
    try:
        rel = _relative(repo, path)
    except XanoctlError:
        return False
    return path.is_file() and not repo.git.ls_files("--", rel).strip()
