"""Temporary files left by a killed xanoctl run (issue 15): recognised by their name, removed by
the next pull, push or status when their writer is gone, reported by status, never committed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, edited, fn_path, shop  # noqa: E402,F401

from xanoctl import atomic  # noqa: E402


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def leave(folder: Path, name: str, pid: int, legacy: bool = False) -> Path:
    """A temporary file as a run killed between writing and renaming it leaves behind."""
    marker = "" if legacy else "xanoctl-"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.{marker}{pid}-140000000000001.tmp"
    path.write_bytes(b"half a pull")
    return path


def test_only_xanoctl_temporary_names_are_recognised():
    assert atomic.writer_of(".Sync People.xs.xanoctl-4242-139912.tmp") == 4242
    assert atomic.writer_of(".xanoctl.lock.4242-139912.tmp") == 4242  # earlier versions' name
    assert atomic.writer_of(".notes.txt.4242-139912.tmp") is None  # not ours: never touched
    assert atomic.writer_of("Sync People.xs") is None
    tmp = atomic.temporary_name("/w/function/x.xs")
    assert Path(tmp).parent == Path("/w/function") and atomic.writer_of(Path(tmp).name) == atomic.os.getpid()


def test_status_removes_and_reports_strays_and_keeps_a_running_writer(shop):
    dead = dead_pid()
    stale = [leave(shop.ws / "function" / "Utils", "f01.xs", dead),
             leave(shop.ws, "xanoctl.lock", dead, legacy=True),
             leave(shop.root / ".xanoctl", "cache.json", dead)]
    mine = shop.ws / ".notes.txt.1-2.tmp"
    mine.write_text("the user's own file")
    runner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = leave(shop.ws / "function" / "Utils", "f02.xs", runner.pid)
        out = shop.cli("status").output
        assert "removed 3 temporary files left by an interrupted xanoctl run" in out
        assert "1 temporary file of a xanoctl run still going" in out and running.name in out
        assert not any(path.exists() for path in stale) and running.exists() and mine.exists()
        data = json.loads(shop.cli("status", "--json").output)
        assert data["temporary_files"] == {"removed": [], "in_use": [running.relative_to(shop.root).as_posix()]}
    finally:
        runner.kill()
        runner.wait()
    shop.cli("status")
    assert not running.exists()


def test_pull_commit_removes_strays_instead_of_refusing(shop):
    dead = dead_pid()
    strays = [leave(shop.ws / "function" / "Utils", f"f0{n}.xs", dead) for n in (1, 2)]
    name = FUNCTIONS[0]
    shop.remote_edit(name, edited(shop.remote()[("function", name)], "remote"))
    out = shop.cli("pull", "--commit").output
    assert "removed 2 temporary files" in out and "committed" in out
    assert not any(path.exists() for path in strays)
    assert not shop.repo.is_dirty(untracked_files=True)
    assert shop.read(fn_path(name)) == shop.remote()[("function", name)]


def test_push_removes_strays(shop):
    stray = leave(shop.ws / "function" / "Utils", "f03.xs", dead_pid())
    shop.write(fn_path(FUNCTIONS[2]), edited(shop.read(fn_path(FUNCTIONS[2])), "v2"))
    shop.cli("push")
    assert not stray.exists()
