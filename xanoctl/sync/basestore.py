"""The content each object had when it was last pulled or pushed (the "manifest state").

The manifest records only the sha256 of that content. The content itself is found, in order:

1. in ``.xanoctl/objects/``, a content-addressed copy that ``status``, ``diff`` and ``push``
   save for every file still matching its manifest hash, and that ``push`` saves for what it
   pushed;
2. in the working tree, when the file still matches the hash;
3. in git: the file at HEAD, then in the last commits that touched it, when one matches.

:func:`find_base` returns None when none of these has it (a file edited after a pull that was
never committed, before any xanoctl command looked at it); callers may then try the remote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from xanoctl.atomic import sweep, write_atomic
from xanoctl.sync.manifest import sha256_bytes

if TYPE_CHECKING:  # git is imported only where history is read
    import git

HISTORY_DEPTH = 20


class BaseStore:
    def __init__(self, state: Path):
        self.root = state / "objects"

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest[2:]

    def get(self, digest: str) -> bytes | None:
        try:
            data = self._path(digest).read_bytes()
        except OSError:
            return None
        return data if sha256_bytes(data) == digest else None

    def put(self, data: bytes) -> str:
        digest = sha256_bytes(data)
        target = self._path(digest)
        if not target.exists():
            try:
                write_atomic(target, data, fsync=False)
            except OSError:
                pass  # only a cache
        return digest

    def capture(self, contents: Mapping[str, bytes]) -> None:
        """Save every given content (values; keys are only labels)."""
        for data in contents.values():
            self.put(data)


def git_location(folder: Path, rel: str) -> tuple[git.Repo | None, str | None]:
    """The repository holding ``folder`` and the path of its file ``rel`` in it (None, None
    outside a repository)."""
    import os

    import git

    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None, None
    root = Path(os.path.realpath(repo.working_tree_dir or "."))
    target = Path(os.path.realpath(folder / rel))
    if not target.is_relative_to(root):
        return None, None
    return repo, target.relative_to(root).as_posix()


class Bases:
    """The pulled contents of one workspace folder, for a pull's merges: an entry's content
    (:func:`find_base`), and the contents a pull keeps for the next one. ``.xanoctl/`` is made
    only when there is something to keep."""

    def __init__(self, state: Path, folder: Path, ensure: Callable[[Path], Path]):
        self.store = BaseStore(state)
        self.state, self.folder, self._ensure = state, folder, ensure

    def get(self, digest: str, rel: str) -> bytes | None:
        try:
            local = (self.folder / rel).read_bytes()
        except OSError:
            local = None
        return find_base(digest, self.store, local, *git_location(self.folder, rel))

    def keep(self, contents: Iterable[bytes]) -> None:
        """Save ``contents`` (first removing the temporary files a killed run left in the store)."""
        contents = list(contents)
        if contents:
            self._ensure(self.state)
            if self.store.root.is_dir():
                sweep(self.store.root)
            for data in contents:
                self.store.put(data)


def find_base(digest: str, store: BaseStore, local: bytes | None, repo: git.Repo | None,
              repo_rel: str | None) -> bytes | None:
    """The content whose sha256 is ``digest`` (see the module doc for where it is looked for).
    ``local`` is the working-tree file's bytes, ``repo_rel`` its path in ``repo``."""
    found = store.get(digest)
    if found is not None:
        return found
    if local is not None and sha256_bytes(local) == digest:
        return local
    if repo is None or repo_rel is None:
        return None
    import git

    try:
        commits = list(repo.iter_commits(paths=repo_rel, max_count=HISTORY_DEPTH))
    except (git.GitCommandError, ValueError):
        return None
    for commit in commits:
        try:
            data = (commit.tree / repo_rel).data_stream.read()
        except (KeyError, AttributeError):
            continue
        if sha256_bytes(data) == digest:
            store.put(data)
            return data
    return None
