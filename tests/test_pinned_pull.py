"""The workspace writer under a pull, pinned where a one-line change used to pass the whole
suite (issue 27, found by bench/mutation.py): folders built aside and taken back, the cache of
verified folders, reading after writing into a folder that was missing, all-or-nothing staging
and the errors that say what to fix."""

from __future__ import annotations

import os

import pytest

from xanoctl.errors import XanoctlError
from xanoctl.sync.workspace import Staged, UnsafePathError, WorkspaceFolder


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
        folder.stage({"function/b/new.xs": b"1", "function/z.xs/c.xs": b"2"})
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
