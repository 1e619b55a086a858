"""Loaded by the Python of a ``xanoctl`` process that tests/test_crash.py spawns (through
PYTHONPATH), never by xanoctl itself: an audit hook (PEP 578) that sees every file the process
writes, renames or removes under ``XANOCTL_CRASH_ROOT`` (and every program it starts, git),
appends one line per such event to ``XANOCTL_CRASH_TRACE``, and kills the process with SIGKILL
just before the ``XANOCTL_CRASH_AT``-th one (counting only those whose description contains
``XANOCTL_CRASH_MATCH``, when set). Nothing happens without ``XANOCTL_CRASH_ROOT``."""

import os
import signal
import sys
import threading

_ROOT = os.environ.get("XANOCTL_CRASH_ROOT")
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _install(root: str) -> None:
    roots = tuple({os.path.abspath(root), os.path.realpath(root)})
    kill_at = int(os.environ.get("XANOCTL_CRASH_AT") or 0)
    trace = os.environ.get("XANOCTL_CRASH_TRACE")
    match = os.environ.get("XANOCTL_CRASH_MATCH") or ""
    guard = threading.Lock()
    count = [0, 0]  # events, events matching

    def inside(path: object) -> bool:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return isinstance(path, str) and os.path.abspath(path).startswith(roots)

    def label(event: str, args: tuple) -> str | None:
        if event == "open" and inside(args[0]):
            mode, flags = args[1], args[2]
            writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE)
            return f"write {args[0]}" if writes else None
        if event == "os.rename" and inside(args[1]):
            return f"rename {args[0]} -> {args[1]}"
        if event in ("os.remove", "os.rmdir", "os.mkdir") and inside(args[0]):
            return f"{event[3:]} {args[0]}"
        if event == "subprocess.Popen":
            return "run " + " ".join(str(a) for a in (args[1] or [])[:3])
        return None

    def hook(event: str, args: tuple) -> None:
        if event not in ("open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "subprocess.Popen"):
            return
        what = label(event, args)
        if what is None:
            return
        with guard:
            count[0] += 1
            count[1] += match in what
            if trace:
                fd = os.open(trace, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.write(fd, f"{count[0]}\t{what}\n".encode("utf-8", "replace"))
                os.close(fd)
            if match in what and count[1] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)


if _ROOT:
    _install(_ROOT)
