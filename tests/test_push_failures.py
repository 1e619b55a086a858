"""A push that fails at any write leaves the remote exactly as before and the local files
untouched: injected 5xx (retries exhausted, or no retry at all), a syntax error rejected by
Xano, Ctrl-C, and a process killed with SIGKILL, then undone (`rollback --last-push`) or
finished (`push --resume`)."""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, broken, edited, fn_path, journal_events, shop, wait_for  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402

WRITES = len(FUNCTIONS) + 1  # one create, then one update per function


def change_everything(shop) -> None:
    shop.write("function/Utils/added.xs", function_source("Utils/added", '"added"'))
    for name in FUNCTIONS:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "v2"))


def outcome(shop) -> str | None:
    events = journal_events(shop.journals()[-1])
    ends = [e["outcome"] for e in events if e["type"] == "end"]
    return ends[-1] if ends else None


@pytest.mark.parametrize("at", [1, WRITES // 2 + 1, WRITES], ids=["first", "middle", "last"])
def test_retries_exhausted_at_a_write_restores_everything(shop, at):
    change_everything(shop)
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults(f"5xx-write-burst=3@{at}")  # the write at `at` fails on all 3 attempts
    result = shop.cli("push", code=1, concurrency=1)
    assert "push failed:" in result.output
    # a create (the first write) is not retried after a 5xx: it may have been applied
    assert ("may have been created" if at == 1 else "after 3 attempts") in result.output
    assert "the remote is back as it was before the push" in result.output
    assert "the push was rolled back" in result.stderr
    assert shop.remote() == before
    assert shop.tree() == tree
    assert outcome(shop) == "restored"
    restored = result.output.count("  restored ") + result.output.count("  deleted ")
    assert restored == at - 1  # every write before the failing one was undone
    shop.emu.reset_faults()
    shop.cli("push")  # nothing blocks the next push
    assert shop.remote()[("function", "Utils/added")] == shop.read("function/Utils/added.xs")


@pytest.mark.parametrize("at", [1, WRITES // 2 + 1, WRITES], ids=["first", "middle", "last"])
def test_a_failure_among_concurrent_writes_restores_everything(shop, at):
    change_everything(shop)
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults(f"5xx-on-write={at}")
    shop.cli("push", code=1, concurrency=4, attempts=1)
    assert shop.remote() == before
    assert shop.tree() == tree
    assert outcome(shop) == "restored"


@pytest.mark.parametrize("concurrency", [1, 8])
def test_a_syntax_error_rejected_by_xano_mid_push_restores_the_rest(shop, concurrency):
    for name in FUNCTIONS[:3]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "v2"))
    shop.write(fn_path(FUNCTIONS[1]), broken(shop.read(fn_path(FUNCTIONS[1]))))
    before, tree = shop.remote(), shop.tree()
    result = shop.cli("push", "--no-lint", code=1, concurrency=concurrency)
    assert "Xano rejected PUT" in result.output and "ERROR_CODE_SYNTAX_ERROR" in result.output
    assert "(line 3, column" in result.output
    assert "unchanged    function/Utils/f02.xs" in result.output
    assert shop.remote() == before and shop.tree() == tree


def test_objects_deleted_by_a_failed_push_are_created_again(shop):
    shop.write("function/Utils/added.xs", function_source("Utils/added"))
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    (shop.ws / fn_path("Utils/f05")).unlink()
    (shop.ws / fn_path("Utils/f06")).unlink()
    before, tree, lock = shop.remote(), shop.tree(), shop.lock()
    old_id = shop.entry(fn_path("Utils/f05"))["id"]
    shop.emu.set_faults("5xx-write-burst=3@4")  # create, update, delete f05, then f06's delete fails
    result = shop.cli("push", "--delete", code=1, concurrency=1)
    assert "re-created   function/Utils/f05.xs" in result.output
    assert shop.remote() == before
    new = shop.stored("function", "Utils/f05")
    assert new.id != old_id
    after = shop.tree()
    assert {k: v for k, v in after.items() if k != "xanoctl.lock"} == {k: v for k, v in tree.items() if k != "xanoctl.lock"}
    entries = {e["path"]: e for e in shop.lock()["objects"]}
    old_entries = {e["path"]: e for e in lock["objects"]}
    assert entries[fn_path("Utils/f05")]["id"] == new.id and entries[fn_path("Utils/f05")]["guid"] == new.guid
    assert {p: e for p, e in entries.items() if p != fn_path("Utils/f05")} == \
           {p: e for p, e in old_entries.items() if p != fn_path("Utils/f05")}


def _slow_push(shop, *args):
    shop.emu.set_faults("latency-ms=150")
    return shop.spawn("push", *args, concurrency=1)


def _first_write_journaled(shop) -> bool:
    journals = shop.journals()
    return bool(journals) and any(e["type"] == "done" for e in journal_events(journals[-1]))


def test_ctrl_c_mid_push_restores_everything(shop):
    change_everything(shop)
    before, tree = shop.remote(), shop.tree()
    process = _slow_push(shop)
    wait_for(lambda: _first_write_journaled(shop))
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "interrupted (Ctrl-C)" in out and "restore:" in out
    assert shop.remote() == before and shop.tree() == tree
    assert outcome(shop) == "restored"


def test_kill_9_mid_push_then_rollback_last_push_restores_everything(shop):
    change_everything(shop)
    before, tree = shop.remote(), shop.tree()
    process = _slow_push(shop)
    wait_for(lambda: _first_write_journaled(shop))
    process.kill()
    process.wait(timeout=30)
    shop.emu.reset_faults()
    assert shop.remote() != before  # half-pushed
    assert outcome(shop) is None
    refused = shop.cli("push", code=1)
    assert "did not finish" in refused.stderr and "--resume" in refused.stderr
    result = shop.cli("rollback", "--last-push")
    assert "undo:" in result.output and "deleted      function/Utils/added.xs" in result.output
    assert shop.remote() == before and shop.tree() == tree
    assert outcome(shop) == "restored"
    assert "already undone" in shop.cli("rollback", "--last-push").output
    shop.cli("push")
    assert shop.remote()[("function", "Utils/f03")] == shop.read(fn_path("Utils/f03"))
    shop.assert_no_token_anywhere()


def test_kill_9_mid_push_then_push_resume_finishes_it(shop):
    change_everything(shop)
    process = _slow_push(shop, "--commit")
    wait_for(lambda: _first_write_journaled(shop))
    process.kill()
    process.wait(timeout=30)
    shop.emu.reset_faults()
    status = shop.cli("status").output
    assert "warning: the push" in status and re.search(r"did not finish \([1-6] of 7 objects written\)", status)
    result = shop.cli("push", "--resume")  # commits, as the killed push was asked to
    assert "resumed: pushed 7 object(s)" in result.output
    remote = shop.remote()
    assert remote[("function", "Utils/added")] == shop.read("function/Utils/added.xs")
    assert all(remote[("function", n)] == shop.read(fn_path(n)) for n in FUNCTIONS)
    assert shop.cli("status", "--exit-code").exit_code == 0
    assert shop.repo.head.commit.message.startswith("xanoctl push: 6 updated, 1 created")
    assert "nothing to resume" in shop.cli("push", "--resume").output


def test_rollback_last_push_undoes_a_finished_push(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/added.xs", function_source("Utils/added"))
    before = shop.remote()
    shop.cli("push")
    result = shop.cli("rollback", "--last-push")
    assert "xanoctl.lock updated to the restored objects" in result.output
    assert "put back 2 file(s) as they were before the push (1 removed" in result.output
    assert shop.remote() == before
    status = json.loads(shop.cli("status", "--json").output)
    assert [o for o in status["objects"] if o["state"] != "unchanged"] == []  # the working tree too


def test_the_journal_records_the_snapshot_before_the_first_write(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    pulled = shop.remote()[("function", "Utils/f01")]
    shop.cli("push")
    lines = shop.journals()[-1].read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    step = header["steps"][0]
    assert step["before"]["xanoscript"] == pulled and step["content"] == shop.read(fn_path("Utils/f01"))
    assert [json.loads(line)["type"] for line in lines[1:]] == ["started", "done", "lock", "manifest", "end"]
    assert (shop.root / ".xanoctl" / ".gitignore").read_text().strip().endswith("*")
    assert ".xanoctl/" in (shop.root / ".gitignore").read_text()


def test_a_deleted_api_group_and_its_endpoint_come_back_under_new_ids(shop):
    for rel in ("api/Shop/api_group.xs", "api/Shop/items/{id}_GET.xs", fn_path("Utils/f06")):
        (shop.ws / rel).unlink()
    before, lock = shop.remote(), shop.lock()
    shop.emu.set_faults("5xx-write-burst=3@3")  # endpoint, then group deleted; the function's delete fails
    result = shop.cli("push", "--delete", code=1, concurrency=1)
    assert result.output.count("  re-created ") == 2
    assert shop.remote() == before
    group, endpoint = shop.stored("api_group", "Shop"), shop.stored("query", "items/{id}")
    assert endpoint.group_id == group.id
    entries = {e["path"]: e for e in shop.lock()["objects"]}
    assert entries["api/Shop/api_group.xs"]["id"] == group.id
    assert entries["api/Shop/items/{id}_GET.xs"]["id"] == endpoint.id
    assert entries["api/Shop/items/{id}_GET.xs"]["group"] == {"id": group.id, "name": "Shop"}
    assert entries[fn_path("Utils/f06")] == next(e for e in lock["objects"] if e["path"] == fn_path("Utils/f06"))
    shop.emu.reset_faults()
    shop.cli("push", "--delete")  # the retry deletes the re-created objects
    assert shop.stored("api_group", "Shop") is None and shop.stored("query", "items/{id}") is None


def test_a_create_applied_but_unanswered_is_found_by_name_and_deleted(shop):
    change_everything(shop)
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults("drop-on-write=1")  # the create is applied, then its connection dropped
    result = shop.cli("push", code=1, concurrency=1)
    assert "may have been created" in result.output
    assert "deleted      function/Utils/added.xs" in result.output
    assert shop.remote() == before and shop.tree() == tree


def test_a_dropped_update_is_retried_and_the_push_succeeds(shop):
    change_everything(shop)
    shop.emu.set_faults("drop-on-write=3")
    shop.cli("push", concurrency=1)
    remote = shop.remote()
    assert all(remote[("function", n)] == shop.read(fn_path(n)) for n in FUNCTIONS)
