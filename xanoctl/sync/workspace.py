"""The workspace folder on disk: reading, writing (atomically, byte for byte, and many files
all or nothing) and removing object files, never outside the folder.

Every relative path is checked (relative, POSIX, no ``..``, no NUL) and resolved, symbolic
links included, before any access: a path that would land outside the folder raises
:class:`UnsafePathError` instead of touching anything.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from xanoctl import atomic
from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.sync.manifest import sha256_bytes


class UnsafePathError(XanoctlError):
    pass


@dataclass
class Staged:
    """Files written aside by :meth:`WorkspaceFolder.stage`, not yet in place."""

    files: list[tuple[str, str]] = field(default_factory=list)  # (temporary file, target)
    folders: list[str] = field(default_factory=list)  # folders created for them, outermost first
    aside: str | None = None  # a whole new workspace folder built aside, renamed into place


class WorkspaceFolder:
    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))
        self._root = str(self.root)
        self._safe_dirs: set[str] = set()  # folders already verified to resolve inside the root
        self._absent = False  # the folder was found missing, and this object has written nothing since

    def resolve(self, rel: str) -> Path:
        """The absolute path of ``rel``, verified to stay inside the folder (its folder resolved
        with symbolic links, and the file itself when it is a link)."""
        return Path(self._resolve(rel))

    def _resolve(self, rel: str) -> str:
        target = os.path.join(self._root, *_plain(rel))
        parent = os.path.dirname(target)
        if parent not in self._safe_dirs:
            self._check(rel, os.path.realpath(parent), allow_root=True)
            self._safe_dirs.add(parent)
        if os.path.islink(target):
            self._check(rel, os.path.realpath(target), allow_root=False)
        return target

    def _check(self, rel: str, real: str, allow_root: bool) -> None:
        inside = real.startswith(self._root.rstrip(os.sep) + os.sep) or (allow_root and real == self._root)
        if not inside:
            raise UnsafePathError(f"refusing the path {rel!r}: it resolves outside {self.root}")

    def read(self, rel: str) -> bytes | None:
        if self._absent or (not self._safe_dirs and not os.path.isdir(self._root)):
            self._absent = True
            return None  # a folder not created yet holds nothing (a first pull asks for every file)
        try:
            with open(self._resolve(rel), "rb") as handle:
                return handle.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def sha256(self, rel: str) -> str | None:
        data = self.read(rel)
        return None if data is None else sha256_bytes(data)

    def write(self, rel: str, data: bytes) -> None:
        self._absent = False
        write_atomic(self._resolve(rel), data, fsync=False)

    def remove(self, rel: str) -> bool:
        """Delete a file and the folders it leaves empty (up to the workspace folder)."""
        target = self.resolve(rel)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        folder = target.parent
        while folder != self.root and folder.is_relative_to(self.root):
            try:
                folder.rmdir()
            except OSError:
                break
            self._safe_dirs.discard(str(folder))
            folder = folder.parent
        return True

    def stage(self, files: Mapping[str, bytes]) -> Staged:
        """Write every file aside (a temporary file beside its target, folders created as
        needed), all or nothing: on any failure what was staged is discarded and a one-line
        error names the file. :meth:`install` then puts them in place. When the workspace
        folder does not exist yet (a first pull), the whole folder is built aside instead
        and :meth:`install` renames it into place: one rename instead of one per file."""
        staged = Staged()
        rel = ""
        self._absent = False
        try:
            if files and not os.path.lexists(self._root):
                self._stage_folder(files, staged)
                return staged
            for rel in sorted(files):
                target = self._resolve(rel)
                staged.folders += _missing_folders(os.path.dirname(target))
                staged.files.append((atomic.stage(target, files[rel], fsync=False), target))
        except OSError as exc:
            self.discard(staged)
            raise XanoctlError(f"cannot write {rel or self.root} in {self.root}: {exc.strerror or exc}; "
                               "nothing was changed: fix that, then pull again") from None
        except BaseException:
            self.discard(staged)
            raise
        return staged

    def _stage_folder(self, files: Mapping[str, bytes], staged: Staged) -> None:
        """Build the new workspace folder aside, in a fresh private folder beside it (nothing
        else can have put a link in it: the paths are only checked to be plain and relative)."""
        parent, name = os.path.split(self._root)
        staged.folders += _missing_folders(parent)
        os.makedirs(parent, exist_ok=True)
        aside = os.path.join(parent, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        os.mkdir(aside)  # the permissions of any new folder (mkdtemp's would be private)
        staged.aside = aside
        made = {aside}
        for rel in sorted(files):
            parts = _plain(rel)
            folder = os.path.join(aside, *parts[:-1])
            try:
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                atomic.create(os.path.join(folder, parts[-1]), files[rel])
            except OSError as exc:
                raise XanoctlError(f"cannot write {rel} in {self.root}: {exc.strerror or exc}; nothing was "
                                   "changed: fix that, then pull again") from None

    def install(self, staged: Staged) -> None:
        """Rename staged files over their targets (or the folder built aside into place)."""
        if staged.aside is not None:
            try:
                os.rename(staged.aside, self._root)
            except OSError as exc:
                self.discard(staged)
                raise XanoctlError(f"cannot create {self.root}: {exc.strerror or exc}; nothing was changed: "
                                   "fix that, then pull again") from None
            self._safe_dirs.clear()
            return
        for index, (tmp, target) in enumerate(staged.files):
            try:
                os.replace(tmp, target)
            except OSError as exc:
                self.discard(Staged(staged.files[index:]))
                raise XanoctlError(f"cannot write {target}: {exc.strerror or exc}; the pull stopped half-way: "
                                   "fix that, then pull again") from None

    def discard(self, staged: Staged) -> None:
        """Remove staged files and the folders created for them."""
        if staged.aside is not None:
            shutil.rmtree(staged.aside, ignore_errors=True)
        for tmp, _ in staged.files:
            atomic.discard(tmp)
        for folder in reversed(staged.folders):
            self._safe_dirs.discard(folder)
            try:
                os.rmdir(folder)
            except OSError:
                pass


def _plain(rel: str) -> list[str]:
    """The parts of a plain relative POSIX path; :class:`UnsafePathError` for anything else."""
    parts = rel.split("/")
    if (not rel or "\x00" in rel or "\\" in rel or rel.startswith("/")
            or any(part in ("", ".", "..") for part in parts)):
        raise UnsafePathError(f"refusing the path {rel!r}: not a plain relative path inside the workspace")
    return parts


def _missing_folders(folder: str) -> list[str]:
    """``folder`` and those of its parents that do not exist yet, outermost first."""
    missing = []
    while folder and not os.path.lexists(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return missing[::-1]
