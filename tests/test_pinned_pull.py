"""The workspace writer under a pull, pinned where a one-line change used to pass the whole
suite (issue 27, found by bench/mutation.py): folders built aside and taken back, the cache of
verified folders, reading after writing into a folder that was missing, all-or-nothing staging
and the errors that say what to fix."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import wait_for  # noqa: E402

from xanoctl import atomic  # noqa: E402
from xanoctl.errors import XanoctlError  # noqa: E402
from xanoctl.sync.workspace import Staged, UnsafePathError, WorkspaceFolder  # noqa: E402


def test_taking_a_file_back_from_the_folder_built_aside_removes_the_folders_it_leaves_empty(tmp_path):
    folder = WorkspaceFolder(tmp_path / "ws")
    staged = Staged()
    folder.open_aside(staged)
    made: set[str] = set()
    for rel in ("function/Utils/Deep/a.xs", "function/Utils/Deep/Er/b.xs", "function/Keep/c.xs", "task/t.xs"):
        folder.put_aside(staged, rel, b"x", made)
    aside = staged.aside
    folder.take_back(staged, "function/Utils/Deep/Er/b.xs")
    assert not os.path.exists(os.path.join(aside, "function/Utils/Deep/Er"))
    assert os.path.exists(os.path.join(aside, "function/Utils/Deep/a.xs"))  # a folder still in use stays
    folder.take_back(staged, "function/Utils/Deep/a.xs")
    assert not os.path.exists(os.path.join(aside, "function/Utils")) and os.path.isdir(os.path.join(aside, "function"))
    folder.take_back(staged, "task/t.xs")
    assert not os.path.exists(os.path.join(aside, "task")) and os.path.isdir(aside)  # never the folder itself
    assert sorted(os.listdir(aside)) == ["function"]
    folder.discard(staged)
    folder.discard(staged)  # discarding again (a caller's cleanup after the writer's own) is harmless
    assert not os.path.exists(aside)


def test_a_folder_removed_then_replaced_by_a_link_outside_is_checked_again(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = WorkspaceFolder(tmp_path / "ws")
    folder.write("function/keep.xs", b"0")
    folder.write("function/gone/a.xs", b"1")  # function/gone is now known to be inside
    assert folder.remove("function/gone/a.xs") and not (tmp_path / "ws" / "function" / "gone").exists()
    os.symlink(outside, tmp_path / "ws" / "function" / "gone")  # someone puts a link in its place
    with pytest.raises(UnsafePathError, match="resolves outside"):
        folder.write("function/gone/b.xs", b"2")
    assert list(outside.iterdir()) == []


def test_a_file_written_into_a_folder_that_was_missing_reads_back(tmp_path):
    folder = WorkspaceFolder(tmp_path / "ws")
    assert folder.read("function/a.xs") is None  # no folder yet: nothing in it
    folder.write("function/a.xs", b"written")
    assert folder.read("function/a.xs") == b"written" and folder.sha256("function/a.xs") is not None


def test_a_failed_stage_leaves_no_folder_it_created(tmp_path):
    root = tmp_path / "ws"
    folder = WorkspaceFolder(root)
    folder.write("function/z.xs", b"a file where a folder is needed")
    with pytest.raises(XanoctlError) as caught:
        folder.stage({"function/b/c/new.xs": b"1", "function/z.xs/c.xs": b"2"})
    assert str(caught.value) == (f"cannot write function/z.xs/c.xs in {root}: File exists; "
                                 "nothing was changed: fix that, then pull again")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["function", "function/z.xs"]


def test_a_first_pull_that_cannot_build_its_folder_says_so_without_leaving_anything(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    root = tmp_path / "a-file" / "ws"
    with pytest.raises(XanoctlError) as caught:
        WorkspaceFolder(root).stage({"function/a.xs": b"1"})
    message = str(caught.value)
    assert message.startswith(f"cannot write {root} in {root}: ")
    assert "File exists" in message or "Not a directory" in message
    assert message.endswith("; nothing was changed: fix that, then pull again") and "[Errno" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_first_pull_whose_files_clash_names_the_file_and_leaves_nothing(tmp_path):
    root = tmp_path / "new" / "ws"
    with pytest.raises(XanoctlError) as caught:
        WorkspaceFolder(root).stage({"function/a.xs": b"1", "function/a.xs/b.xs": b"2"})
    assert str(caught.value) == (f"cannot write function/a.xs/b.xs in {root}: File exists; "
                                 "nothing was changed: fix that, then pull again")
    assert not (tmp_path / "new").exists()


def test_a_file_that_is_a_link_outside_or_to_the_folder_itself_is_refused_by_name(tmp_path):
    outside = tmp_path / "outside.xs"
    outside.write_bytes(b"theirs")
    root = tmp_path / "ws"
    folder = WorkspaceFolder(root)
    folder.write("function/keep.xs", b"0")
    os.symlink(outside, root / "function" / "out.xs")
    os.symlink(root, root / "function" / "self.xs")
    for rel in ("function/out.xs", "function/self.xs"):
        with pytest.raises(UnsafePathError) as caught:
            folder.write(rel, b"mine")
        assert str(caught.value) == f"refusing the path {rel!r}: it resolves outside {root}"
    assert outside.read_bytes() == b"theirs"
    os.symlink(tmp_path, root / "function" / "up")
    with pytest.raises(UnsafePathError, match="refusing the path 'function/up/x.xs': it resolves outside"):
        folder.write("function/up/x.xs", b"mine")


def test_a_workspace_folder_whose_name_ends_in_a_space_is_written_into(tmp_path):
    folder = WorkspaceFolder(tmp_path / "ws ")
    folder.write("function/a.xs", b"1")
    assert (tmp_path / "ws " / "function" / "a.xs").read_bytes() == b"1"


def test_the_folders_a_failed_stage_removed_are_checked_again_before_the_next_write(tmp_path):
    root = tmp_path / "ws"
    folder = WorkspaceFolder(root)
    folder.write("function/z.xs", b"a file where a folder is needed")
    with pytest.raises(XanoctlError):
        folder.stage({"function/b/c/new.xs": b"1", "function/z.xs/c.xs": b"2"})
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["function", "function/z.xs"]
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "function" / "b")
    for rel in ("function/b/x.xs", "function/b/c/x.xs"):  # c was the folder of the file it staged
        with pytest.raises(UnsafePathError, match=f"refusing the path '{rel}': it resolves outside"):
            folder.write(rel, b"mine")
    assert list(outside.iterdir()) == []


def test_a_file_that_cannot_be_put_in_place_stops_the_pull_saying_so(tmp_path):
    root = tmp_path / "ws"
    folder = WorkspaceFolder(root)
    folder.write("function/a.xs", b"old a")
    staged = folder.stage({"function/a.xs": b"new a", "function/b.xs": b"new b", "function/c.xs": b"new c"})
    (root / "function" / "b.xs").mkdir()
    (root / "function" / "b.xs" / "inside").write_text("x")  # a folder now stands where b.xs goes
    with pytest.raises(XanoctlError) as caught:
        folder.install(staged)
    assert str(caught.value).startswith(f"cannot write {root / 'function' / 'b.xs'}: ")
    assert str(caught.value).endswith("; the pull stopped half-way: fix that, then pull again")
    assert "[Errno" not in str(caught.value)
    assert (root / "function" / "a.xs").read_bytes() == b"new a" and not (root / "function" / "c.xs").exists()
    assert temporaries(root / "function") == []  # what was not put in place is discarded


def test_a_first_pull_whose_folder_appeared_meanwhile_changes_nothing(tmp_path):
    root = tmp_path / "ws"
    folder = WorkspaceFolder(root)
    staged = folder.stage({"function/a.xs": b"1"})
    aside = staged.aside
    assert os.path.dirname(aside) == str(tmp_path)
    assert re.fullmatch(rf"\.ws\.xanoctl-{os.getpid()}-\d+\.tmp", os.path.basename(aside))
    (root / "theirs").mkdir(parents=True)  # someone made the folder meanwhile
    with pytest.raises(XanoctlError) as caught:
        folder.install(staged)
    assert str(caught.value).startswith(f"cannot create {root}: ") and "[Errno" not in str(caught.value)
    assert str(caught.value).endswith("; nothing was changed: fix that, then pull again")
    assert not os.path.exists(aside) and sorted(os.listdir(root)) == ["theirs"]


def test_a_manifest_that_cannot_be_written_into_the_new_folder_changes_nothing(tmp_path):
    root = tmp_path / "new" / "ws"
    folder = WorkspaceFolder(root)
    staged = folder.stage({"xanoctl.lock/x.xs": b"1"})  # a folder where the manifest goes
    with pytest.raises(XanoctlError) as caught:
        folder.stage_manifest(staged, b"{}")
    assert str(caught.value) == (f"cannot write xanoctl.lock in {root}: Is a directory; nothing was changed: "
                                 "fix that, then pull again")
    assert not (tmp_path / "new").exists()


def test_sweeping_asides_removes_those_of_dead_pulls_only(tmp_path, monkeypatch):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parent = tmp_path / "repo"
    parent.mkdir()
    names = [f".ws.xanoctl-{dead.pid}-7.tmp", f".ws.{dead.pid}-ab12.tmp", f".ws.xanoctl-{os.getpid()}-8.tmp",
             f".other.xanoctl-{dead.pid}-9.tmp", "ws"] + [f"note{n}" for n in range(20)]
    for name in names:
        (parent / name).mkdir()
        (parent / name / "f.xs").write_text("x")
    (parent / f".ws.xanoctl-{dead.pid}-6.tmp.txt").write_text("a file")
    monkeypatch.chdir(tmp_path)  # not the folder swept
    removed = WorkspaceFolder(parent / "ws").sweep_asides()
    assert sorted(p.name for p in removed) == sorted([f".ws.xanoctl-{dead.pid}-7.tmp", f".ws.{dead.pid}-ab12.tmp"])
    assert sorted(os.listdir(parent)) == sorted(names[2:] + [f".ws.xanoctl-{dead.pid}-6.tmp.txt"])


# ---------------------------------------------------------------------------- atomic writes


def temporaries(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_a_write_that_fails_half_way_keeps_the_old_content_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a.xs"
    atomic.write_atomic(target, b"old")
    with pytest.raises(TypeError):
        atomic.write_atomic(target, "not bytes")  # fails after the temporary file was opened
    assert target.read_bytes() == b"old" and temporaries(tmp_path) == []
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic.write_atomic(tmp_path / "folder", b"new")  # the rename fails
    assert temporaries(tmp_path) == []


def test_a_temporary_file_left_by_this_process_id_is_taken_over(tmp_path):
    target = tmp_path / "a.xs"
    leftover = atomic.temporary_name(str(target))
    (tmp_path / os.path.basename(leftover)).write_bytes(b"half")  # an earlier process with our pid died
    atomic.write_atomic(target, b"whole", mode=0o600)
    assert target.read_bytes() == b"whole" and temporaries(tmp_path) == []
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    umask = os.umask(0o022)
    try:
        (tmp_path / os.path.basename(leftover)).write_bytes(b"half")
        atomic.write_atomic(target, b"again")
    finally:
        os.umask(umask)
    assert target.read_bytes() == b"again" and oct(target.stat().st_mode & 0o777) == "0o644"


def test_a_file_created_for_the_folder_built_aside_never_replaces_one(tmp_path):
    target = tmp_path / "a.xs"
    atomic.create(target, b"first")
    with pytest.raises(FileExistsError):
        atomic.create(target, b"second")
    assert target.read_bytes() == b"first"
    with pytest.raises(TypeError):
        atomic.create(tmp_path / "b.xs", "not bytes")
    assert not (tmp_path / "b.xs").exists()  # nothing half-written is left


def test_only_names_of_xanoctl_s_temporary_files_give_a_writer():
    assert atomic.writer_of(".a.xs.xanoctl-123-456.tmp") == 123
    assert atomic.writer_of(".a.xs.77-456.tmp") == 77 and atomic.writer_of(".xanoctl.lock.78-1.tmp") == 78  # older
    assert atomic.writer_of(".notes.txt.79-1.tmp") is None and atomic.writer_of("a.xs.xanoctl-1-2.tmp") is None


def test_a_process_is_alive_until_it_exits_and_a_zombie_or_an_impossible_pid_is_not():
    assert atomic.process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    wait_for(lambda: zombie(child.pid))  # exited, not reaped yet
    assert not atomic.process_alive(child.pid)
    child.wait()
    assert not atomic.process_alive(child.pid) and not atomic.process_alive(2 ** 80)


def zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[-1].split()[0] == b"Z"
    except OSError:
        return True


def test_a_sweep_removes_files_of_dead_writers_and_keeps_those_of_living_ones(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    names = [f".a.xs.xanoctl-{dead.pid}-1.tmp", f"sub/.b.xs.xanoctl-{os.getpid()}-1.tmp",
             f".git/.d.xs.xanoctl-{dead.pid}-1.tmp", "notes.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    found = atomic.sweep(tmp_path) + atomic.Sweep()
    assert [p.relative_to(tmp_path).as_posix() for p in found.removed] == [f".a.xs.xanoctl-{dead.pid}-1.tmp"]
    assert [p.relative_to(tmp_path).as_posix() for p in found.kept] == [f"sub/.b.xs.xanoctl-{os.getpid()}-1.tmp"]
    assert (tmp_path / ".git" / f".d.xs.xanoctl-{dead.pid}-1.tmp").exists() and (tmp_path / "notes.tmp").exists()


def test_new_files_get_the_umask_s_permissions_never_execute(tmp_path, monkeypatch):
    umask = os.umask(0o022)
    try:
        atomic.write_atomic(tmp_path / "a.xs", b"1")
        atomic.create(tmp_path / "b.xs", b"2")
        monkeypatch.chdir(tmp_path)
        atomic.write_atomic("c.xs", b"3")  # a bare name: the current folder
    finally:
        os.umask(umask)
    assert [oct(p.stat().st_mode & 0o777) for p in sorted(tmp_path.iterdir())] == ["0o644"] * 3


def test_asking_whether_a_process_is_alive_leaves_it_running(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import signal, time\n"  # any signal's default action
                              "for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)\n"
                              "time.sleep(30)"])
    try:
        assert atomic.process_alive(child.pid) and atomic.process_alive(child.pid)
        assert child.poll() is None  # still running: the check sends no signal that stops it
    finally:
        child.kill()
        child.wait()
    odd = tmp_path / "sync) R x"  # a name with a parenthesis and a state letter, as /proc/PID/stat shows it
    os.symlink(sys.executable, odd)
    zombie_child = subprocess.Popen([str(odd), "-c", "pass"])
    wait_for(lambda: zombie(zombie_child.pid))
    assert not atomic.process_alive(zombie_child.pid)
    zombie_child.wait()


def test_a_sweep_looks_at_every_file_of_a_folder(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    names = [f".f{n}.xs.xanoctl-{dead.pid}-1.tmp" for n in range(8)] + [f"other{n}.tmp" for n in range(8)] \
        + [f".g{n}.xs.xanoctl-{os.getpid()}-1.tmp" for n in range(8)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    found = atomic.sweep(tmp_path)
    assert sorted(p.name for p in found.removed) == sorted(names[:8])
    assert sorted(p.name for p in found.kept) == sorted(names[16:])
