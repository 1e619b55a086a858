"""The workspace folder on disk: reading, writing (atomically, byte for byte) and removing
object files, never outside the folder.

Every relative path is checked (relative, POSIX, no ``..``, no NUL) and resolved, symbolic
links included, before any access: a path that would land outside the folder raises
:class:`UnsafePathError` instead of touching anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from xanoctl.atomic import write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.manifest import sha256_bytes


class UnsafePathError(XanoctlError):
    pass


class WorkspaceFolder:
    def __init__(self, root: Path):
        self.root = Path(os.path.realpath(root))
        self._root = str(self.root)
        self._safe_dirs: set[str] = set()  # folders already verified to resolve inside the root

    def resolve(self, rel: str) -> Path:
        """The absolute path of ``rel``, verified to stay inside the folder (its folder resolved
        with symbolic links, and the file itself when it is a link)."""
        return Path(self._resolve(rel))

    def _resolve(self, rel: str) -> str:
        parts = rel.split("/")
        if (not rel or "\x00" in rel or "\\" in rel or rel.startswith("/")
                or any(part in ("", ".", "..") for part in parts)):
            raise UnsafePathError(f"refusing the path {rel!r}: not a plain relative path inside the workspace")
        target = os.path.join(self._root, *parts)
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
        try:
            with open(self._resolve(rel), "rb") as handle:
                return handle.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def sha256(self, rel: str) -> str | None:
        data = self.read(rel)
        return None if data is None else sha256_bytes(data)

    def write(self, rel: str, data: bytes) -> None:
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
