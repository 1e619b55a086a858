"""The push journal on disk: what survives a crash mid-append, what is refused, and the lock
that keeps one push at a time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from xanoctl.errors import XanoctlError
from xanoctl.sync.journal import Journal, JournalError, Step, exclusive, last_journal


def make(tmp_path) -> Journal:
    steps = [Step(seq=1, action="update", kind="function", name="a", path="function/a.xs", phase=3, id=1,
                  content="new", sha256="x", before={"xanoscript": "old", "updated_at": 1}),
             Step(seq=2, action="create", kind="function", name="b", path="function/b.xs", phase=2, content="b")]
    return Journal.create(tmp_path, {"operation": "push", "instance": "http://x/api:meta"}, steps)


def test_events_are_read_back_into_step_states(tmp_path):
    journal = make(tmp_path)
    journal.record("started", seq=2)
    journal.record("done", seq=2, after={"id": 9})
    journal.record("started", seq=1)
    again = last_journal(tmp_path)
    assert again is not None and again.id == journal.id
    assert [s.status for s in again.steps] == ["started", "done"]
    assert again.step(2).object_id == 9 and again.completed == [2]
    assert again.outcome is None and not again.finished and again.progress() == "1 of 2 objects written"


def test_a_torn_last_line_is_ignored(tmp_path):
    journal = make(tmp_path)
    journal.record("started", seq=1)
    with open(journal.path, "ab") as handle:
        handle.write(b'{"type": "done", "seq": 1, "af')  # killed while appending
    again = Journal.load(journal.path)
    assert again.step(1).status == "started"


def test_a_damaged_line_in_the_middle_is_refused(tmp_path):
    journal = make(tmp_path)
    journal.record("started", seq=1)
    with open(journal.path, "ab") as handle:
        handle.write(b"garbage\n")
    journal.record("done", seq=1, after={"id": 1})
    with pytest.raises(JournalError, match="line 3 is damaged"):
        Journal.load(journal.path)


def test_the_header_is_written_whole_before_anything_else(tmp_path):
    journal = make(tmp_path)
    assert journal.path.read_text(encoding="utf-8").count("\n") == 1
    assert oct(journal.path.stat().st_mode & 0o777) == "0o600"


def test_one_push_at_a_time_and_a_dead_holder_is_taken_over(tmp_path):
    with exclusive(tmp_path):
        assert (tmp_path / "push.lock").read_text() == str(os.getpid())
    assert not (tmp_path / "push.lock").exists()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "push.lock").write_text(str(child.pid))
        with pytest.raises(XanoctlError, match=f"pid {child.pid}"):
            with exclusive(tmp_path):
                pass
    finally:
        child.kill()
        child.wait()
    with exclusive(tmp_path):  # its holder is dead now
        pass
