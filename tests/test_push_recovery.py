"""What an engineer meets when things go wrong around a push rather than in it: a journal that
cannot be written, a disk that fills up once the remote is pushed, a damaged journal, Ctrl-C
pressed twice, and a rollback whose process dies (an ssh session dropped at night). Each ends
in one line that says what to do, and nothing is lost."""

from __future__ import annotations

import json
import resource
import time
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, edited, fn_path, journal_events, shop, wait_for  # noqa: E402,F401


def edit(shop, names=FUNCTIONS[:3], marker="v2") -> None:
    for name in names:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), marker))


def test_a_journal_that_cannot_be_written_stops_the_push_before_any_write(shop):
    edit(shop)
    before = shop.remote()
    (shop.root / ".xanoctl").mkdir(exist_ok=True)
    (shop.root / ".xanoctl" / "pushes").write_text("not a folder\n")
    result = shop.cli("push", code=1)
    assert "Traceback" not in result.output
    error = result.stderr.strip()
    assert error.count("\n") == 0 and "cannot write the push journal" in error and "nothing was written" in error
    assert shop.remote() == before


def test_a_disk_full_once_the_remote_is_pushed_is_finished_by_resume(shop):
    """The manifest cannot be written (file size limit below its size): the remote is pushed
    and the journal says so; one line says to run `push --resume`, which records it."""
    edit(shop, FUNCTIONS[:1])
    size = (shop.ws / "xanoctl.lock").stat().st_size

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size - 200, size - 200))

    process = shop.spawn("push", preexec=small_files)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, out + err
    assert "Traceback" not in err and err.strip().count("\n") == 0
    assert "xanoctl.lock" in err and "push --resume" in err
    assert shop.remote()[("function", FUNCTIONS[0])] == shop.read(fn_path(FUNCTIONS[0]))
    shop.cli("push", "--resume")
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_damaged_journal_says_what_to_do(shop):
    edit(shop, FUNCTIONS[:1])
    shop.cli("push")
    journal = shop.journals()[-1]
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text(lines[0] + "garbage\n" + "".join(lines[1:]), encoding="utf-8")
    edit(shop, FUNCTIONS[1:2])
    error = shop.cli("push", code=1).stderr.strip()
    assert error.count("\n") == 0 and "is damaged" in error and "move it out of .xanoctl/pushes/" in error


def test_ctrl_c_twice_stops_the_restore_and_rollback_last_push_finishes_it(shop):
    edit(shop, FUNCTIONS)
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults("latency-ms=150")
    process = shop.spawn("push", concurrency=1)

    def events(kind: str) -> int:
        journals = shop.journals()
        return sum(e["type"] == kind for e in journal_events(journals[-1])) if journals else 0

    wait_for(lambda: events("done") >= 3 or process.poll() is not None)
    process.send_signal(signal.SIGINT)
    wait_for(lambda: events("restore") >= 1 or process.poll() is not None)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "rollback --last-push" in err and "Traceback" not in out + err
    assert "  pushed " not in out  # under "restore:", nothing reads as if it were fine
    assert "not restored" in out, out
    shop.emu.reset_faults()
    shop.cli("rollback", "--last-push")
    assert shop.remote() == before and shop.tree() == tree


def test_a_rollback_killed_half_way_is_finished_by_push_resume(shop):
    originals = {name: shop.read(fn_path(name)) for name in FUNCTIONS[:3]}
    edit(shop, FUNCTIONS[:3], "oops")
    shop.cli("push", "--commit")
    good = shop.repo.head.commit.parents[0].hexsha[:7]
    shop.emu.set_faults("latency-ms=150")
    process = shop.spawn("rollback", *(f"workspace/{fn_path(n)}" for n in FUNCTIONS[:3]), "--to", "HEAD~1",
                         "--commit", concurrency=1)
    wait_for(lambda: process.poll() is not None or len(shop.journals()) == 2
             and any(e["type"] == "done" for e in journal_events(shop.journals()[-1])))
    process.kill()
    process.wait(timeout=30)
    shop.emu.reset_faults()
    refused = shop.cli("push", code=1).stderr
    assert "push --resume" in refused
    result = shop.cli("push", "--resume")
    assert "rolled back 3 object(s)" in result.output
    remote = shop.remote()
    for name, text in originals.items():
        assert remote[("function", name)] == text == shop.read(fn_path(name))
    assert shop.repo.head.commit.message.strip() == f"rollback {', '.join(FUNCTIONS[:3])} to {good}"
    assert not shop.repo.is_dirty(path="workspace")
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_ctrl_c_during_a_slow_write_restores_it_even_if_it_lands_late(shop):
    """A write still in flight at Ctrl-C may reach Xano after xanoctl gave up on it: the push
    waits for it before restoring, so it is restored rather than found "unchanged" too early."""
    edit(shop)
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults("write-latency-ms=1500")
    process = shop.spawn("push", concurrency=1)

    wait_for(lambda: shop.emu.state.faults.snapshot()["writes"] >= 1 or process.poll() is not None)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    time.sleep(1.6)  # a write sent before the Ctrl-C has landed by now, whatever xanoctl did
    shop.emu.reset_faults()
    assert shop.remote() == before and shop.tree() == tree


def _strip_last_records(journal: Path, count: int) -> list[str]:
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(lines[:-count]), encoding="utf-8")
    return [json.loads(line)["type"] for line in lines[-count:]]


def test_undo_of_a_push_killed_after_saving_the_lock_keeps_the_edit(shop):
    """Issue 15, scenario 1: the process died between saving xanoctl.lock and journaling it.
    `rollback --last-push` puts the remote back and the edit shows as a local modification,
    which a plain pull keeps."""
    path = fn_path(FUNCTIONS[0])
    pulled = shop.read(path)
    edit(shop, FUNCTIONS[:1], "mine")
    mine = shop.read(path)
    shop.cli("push")
    assert _strip_last_records(shop.journals()[-1], 2) == ["manifest", "end"]
    shop.cli("rollback", "--last-push")
    assert shop.remote()[("function", FUNCTIONS[0])] == pulled
    status = shop.cli("status", "--json")
    states = {o["path"]: o["state"] for o in json.loads(status.output)["objects"]}
    assert states[path] == "modified locally"
    assert {state for p, state in states.items() if p != path} == {"unchanged"}
    shop.cli("pull")
    assert shop.read(path) == mine
    shop.cli("push")  # and the edit can be pushed again
    assert shop.remote()[("function", FUNCTIONS[0])] == mine


def test_undo_killed_after_restoring_but_before_its_end_is_finished_by_running_it_again(shop):
    """The undo's own lock write: killed after the remote is restored but before the journal
    says so (and before it put the files back), `rollback --last-push` runs again and finishes
    it: the lock, then the working tree."""
    path = fn_path(FUNCTIONS[1])
    pulled = shop.read(path)
    edit(shop, FUNCTIONS[1:2], "mine")
    mine = shop.read(path)
    shop.cli("push")
    journal, pushed_lock = shop.journals()[-1], (shop.ws / "xanoctl.lock").read_bytes()
    shop.cli("rollback", "--last-push")
    assert shop.read(path) == pulled  # the undo of a finished push puts the file back
    assert _strip_last_records(journal, 3) == ["lock", "files", "end"]
    (shop.ws / "xanoctl.lock").write_bytes(pushed_lock)  # killed before the undo saved it
    shop.write(path, mine)  # ... and so before it put the file back
    assert "its restore did not finish: run `xanoctl rollback --last-push`" in shop.cli("status").output
    edit(shop, FUNCTIONS[2:3], "other")
    assert "rollback --last-push" in shop.cli("push", code=1).stderr
    shop.cli("rollback", "--last-push")
    states = {o["path"]: o["state"] for o in json.loads(shop.cli("status", "--json").output)["objects"]}
    assert {p for p, state in states.items() if state != "unchanged"} == {fn_path(FUNCTIONS[2])}
    assert shop.read(path) == pulled