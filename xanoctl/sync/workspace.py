"""The workspace folder on disk: reading, writing (atomically, byte for byte, and many files
all or nothing) and removing object files, never outside the folder.

Every relative path is checked (relative, POSIX, no ``..``, no NUL) and resolved, symbolic
links included, before any access: a path that would land outside the folder raises
:class:`UnsafePathError` instead of touching anything.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from xanoctl import atomic
from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.sync.manifest import MANIFEST_NAME, sha256_bytes


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
        target = os.path.join(self._root, *plain_parts(rel))
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
        """Build the new workspace folder aside (see :meth:`open_aside`)."""
        self.open_aside(staged)
        made: set[str] = set()
        for rel in sorted(files):
            try:
                self.put_aside(staged, rel, files[rel], made)
            except OSError as exc:
                raise XanoctlError(f"cannot write {rel} in {self.root}: {exc.strerror or exc}; nothing was "
                                   "changed: fix that, then pull again") from None

    def open_aside(self, staged: Staged) -> None:
        """Start building the new workspace folder (which does not exist yet) aside, in a fresh
        private folder beside it, named like xanoctl's temporary files (:meth:`sweep_asides`
        removes it if this process is killed). Nothing else can have put a link in it: the
        paths written there are only checked to be plain and relative. On a failure the
        caller discards ``staged`` (the parent folders created for it)."""
        parent, name = os.path.split(self._root)
        staged.folders += _missing_folders(parent)
        os.makedirs(parent, exist_ok=True)
        aside = os.path.join(parent, f".{name}.xanoctl-{os.getpid()}-{secrets.randbelow(10 ** 9)}.tmp")
        os.mkdir(aside)  # the permissions of any new folder (mkdtemp's would be private)
        staged.aside = aside

    @staticmethod
    def put_aside(staged: Staged, rel: str, data: bytes, made: set[str]) -> None:
        """Create the file ``rel`` in the folder built aside (never replacing one), its folders
        as needed; ``made``: the folders already created there (kept up to date)."""
        assert staged.aside is not None
        parts = plain_parts(rel)
        folder = os.path.join(staged.aside, *parts[:-1])
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        atomic.create(os.path.join(folder, parts[-1]), data)

    @staticmethod
    def take_back(staged: Staged, rel: str) -> None:
        """Remove the file ``rel`` from the folder built aside, and the folders it leaves empty."""
        assert staged.aside is not None
        parts = plain_parts(rel)
        os.unlink(os.path.join(staged.aside, *parts))
        for depth in range(len(parts) - 1, 0, -1):
            folder = os.path.join(staged.aside, *parts[:depth])
            try:
                os.rmdir(folder)
            except OSError:
                break

    def sweep_asides(self) -> list[Path]:
        """Remove the folders that pulls killed before their end were building aside for this
        workspace folder (see :meth:`open_aside`); those of a running process stay."""
        parent, name = os.path.split(self._root)
        pattern = re.compile(rf"^\.{re.escape(name)}\.(?:xanoctl-(\d+)-\d+|(\d+)-[0-9a-f]+)\.tmp$")
        removed = []
        try:
            entries = list(os.scandir(parent))
        except OSError:
            return []
        for entry in entries:
            found = pattern.match(entry.name) if entry.name.endswith(".tmp") else None
            if found is None or not entry.is_dir(follow_symlinks=False):
                continue
            if atomic.process_alive(int(found.group(1) or found.group(2))):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            if not os.path.lexists(entry.path):
                removed.append(Path(entry.path))
        return removed

    def stage_manifest(self, staged: Staged, text: bytes) -> None:
        """Write the manifest into the folder built aside, last (flushed to disk)."""
        assert staged.aside is not None
        try:
            write_atomic(os.path.join(staged.aside, MANIFEST_NAME), text)
        except OSError as exc:
            self.discard(staged)
            raise XanoctlError(f"cannot write {MANIFEST_NAME} in {self.root}: {exc.strerror or exc}; nothing was "
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
            staged.aside, staged.folders = None, []  # in place: nothing left to discard
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


def plain_parts(rel: str) -> list[str]:
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
