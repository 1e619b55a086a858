"""Writing a file atomically: a temporary file beside the target, then renamed over it, so a
reader (or a crash) sees the old content or the new one, never half.

Every temporary file xanoctl makes is named ``.<name>.xanoctl-<pid>-<thread>.tmp`` (``<name>``
the target's name, ``<pid>`` the writing process). A process killed between the write and the
rename leaves one behind; :func:`sweep` recognises them by that name and removes those whose
writer is no longer running (a concurrent run's files in progress are left alone). The
``.<name>.<pid>-<thread>.tmp`` files of earlier versions are recognised too, for ``.xs`` files and
``xanoctl.lock``.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TEMPORARY = re.compile(r"^\..+\.xanoctl-(\d+)-\d+\.tmp$")
_LEGACY = re.compile(r"^\.(?:.+\.xs|xanoctl\.lock)\.(\d+)-\d+\.tmp$")  # before the xanoctl- marker


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, fsync: bool = True) -> None:
    """Replace ``path`` with ``data``. Permissions: ``mode`` exactly when given (e.g. 0o600 for
    private files), else from the umask like any new file. ``fsync=False`` skips the flush to
    disk: still atomic for readers; used for the many files of a pull, whose manifest is
    written last, fsynced."""
    target = os.fspath(path)
    tmp = stage(target, data, mode=mode, fsync=fsync)
    try:
        os.replace(tmp, target)
    except BaseException:
        discard(tmp)
        raise


def temporary_name(path: str) -> str:
    """The temporary file beside ``path`` that this process and thread write it through."""
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.xanoctl-{os.getpid()}-{threading.get_ident()}.tmp")


def stage(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, fsync: bool = True) -> str:
    """The first half of :func:`write_atomic`: ``data`` written to a new temporary file beside
    ``path`` (its folder created if needed), whose name is returned. ``os.replace(tmp, path)``
    finishes the write; :func:`discard` gives it up. Nothing is left behind on a failure."""
    target = os.fspath(path)
    folder = os.path.dirname(target)
    if folder and not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)
    tmp = temporary_name(target)
    try:
        fd = os.open(tmp, _FLAGS, 0o666)
    except FileExistsError:  # left over by a crash of this same process id: take it over
        os.unlink(tmp)
        fd = os.open(tmp, _FLAGS, 0o666)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        discard(tmp)
        raise
    return tmp


def discard(tmp: str) -> None:
    """Remove a temporary file made by :func:`stage`, if it is still there."""
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def writer_of(name: str) -> int | None:
    """The process id in the name of one of xanoctl's temporary files; None for any other name."""
    found = _TEMPORARY.match(name) or _LEGACY.match(name)
    return int(found.group(1)) if found else None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (this process is; a zombie is not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    try:  # Linux: a killed process not yet reaped by its parent still answers signal 0
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


@dataclass
class Sweep:
    """What :func:`sweep` found: paths removed (their writer is dead) and paths kept (a running
    process is writing them, or they could not be removed)."""

    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def __add__(self, other: "Sweep") -> "Sweep":
        return Sweep(self.removed + other.removed, self.kept + other.kept)


def sweep(folder: str | os.PathLike[str], *, skip: tuple[str, ...] = (".git",)) -> Sweep:
    """Remove xanoctl's temporary files under ``folder`` (sub-folders included, except those
    named in ``skip``) whose writer is no longer running."""
    found = Sweep()
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            pid = writer_of(name) if name.endswith(".tmp") else None
            if pid is None:
                continue
            path = Path(top, name)
            if process_alive(pid):
                found.kept.append(path)
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                found.kept.append(path)  # cannot be removed: reported
                continue
            found.removed.append(path)
    return found


def create(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a new file ``path`` (never replacing one: FileExistsError), without a
    temporary file; for files in a folder that nobody sees until it is renamed into place."""
    fd = os.open(path, _FLAGS, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BaseException:
        discard(os.fspath(path))
        raise
