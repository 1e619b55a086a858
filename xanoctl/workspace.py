"""The workspace folder on disk: reading, writing (atomically, byte for byte) and removing
object files, never outside the folder.

Every relative path is checked (relative, POSIX, no ``..``, no NUL) and resolved, symbolic
links included, before any access: a path that would land outside the folder raises
:class:`UnsafePathError` instead of touching anything.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.manifest import sha256_bytes


class UnsafePathError(XanoctlError):
    pass


class WorkspaceFolder:
    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))
        self._safe_dirs: set[str] = set()  # folders already verified to resolve inside the root

    def resolve(self, rel: str) -> Path:
        """The absolute path of ``rel``, verified to stay inside the folder (its folder resolved
        with symbolic links, and the file itself when it is a link)."""
        pure = PurePosixPath(rel)
        if (not rel or "\x00" in rel or "\\" in rel or pure.is_absolute()
                or any(part in ("", ".", "..") for part in rel.split("/"))):
            raise UnsafePathError(f"refusing the path {rel!r}: not a plain relative path inside the workspace")
        target = self.root.joinpath(*pure.parts)
        parent = str(target.parent)
        if parent not in self._safe_dirs:
            self._check(rel, Path(os.path.realpath(parent)), allow_root=True)
            if os.path.isdir(parent):  # a folder that does not exist yet is checked again later
                self._safe_dirs.add(parent)
        if os.path.islink(target):
            self._check(rel, Path(os.path.realpath(target)), allow_root=False)
        return target

    def _check(self, rel: str, real: Path, allow_root: bool) -> None:
        if not real.is_relative_to(self.root) or (real == self.root and not allow_root):
            raise UnsafePathError(f"refusing the path {rel!r}: it resolves outside {self.root}")

    def read(self, rel: str) -> bytes | None:
        try:
            return self.resolve(rel).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def sha256(self, rel: str) -> str | None:
        data = self.read(rel)
        return None if data is None else sha256_bytes(data)

    def write(self, rel: str, data: bytes) -> None:
        target = self.resolve(rel)
        write_atomic(target, data, fsync=False)

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
            folder = folder.parent
        return True
