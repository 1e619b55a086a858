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
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
