"""Writing a file atomically: a temporary file beside the target, then renamed over it, so a
reader (or a crash) sees the old content or the new one, never half."""

from __future__ import annotations

import os
import threading

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


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


def stage(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, fsync: bool = True) -> str:
    """The first half of :func:`write_atomic`: ``data`` written to a new temporary file beside
    ``path`` (its folder created if needed), whose name is returned. ``os.replace(tmp, path)``
    finishes the write; :func:`discard` gives it up. Nothing is left behind on a failure."""
    target = os.fspath(path)
    folder, name = os.path.split(target)
    if folder and not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{threading.get_ident()}.tmp")
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
