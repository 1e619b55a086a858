"""Safety behaviours of push, resume, restore and undo that a user notices, each pinned by a
test that fails when the behaviour changes (issue 27: each was a one-line change that passed
the whole suite before)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, edited, fn_path, journal_events, shop, wait_for  # noqa: E402,F401

from xanoctl.emulator.testing import function_source, query_source  # noqa: E402


HOOK = Path(__file__).parent / "crashhook"  # tests/test_crash.py's: SIGKILL before the Nth matching write


def killed(shop, *args: str, before_journal_write: int) -> None:
    """``xanoctl ARGS`` killed just before its Nth write to the journal (the header takes two, then
    each step's "started" and "done"): 4 is after the first step reached Xano, before the journal
    heard so."""
    env = {**os.environ, **shop.env, "XANOCTL_HTTP_CONCURRENCY": "1", "XANOCTL_CRASH_ROOT": str(shop.root),
           "XANOCTL_CRASH_AT": str(before_journal_write), "XANOCTL_CRASH_MATCH": ".jsonl",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(HOOK), os.environ.get("PYTHONPATH")]))}
    script = Path(sys.executable).with_name("xanoctl")
    done = subprocess.run([str(script), *args], cwd=shop.root, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr


def outcome(shop) -> str | None:
    ends = [e["outcome"] for e in journal_events(shop.journals()[-1]) if e["type"] == "end"]
    return ends[-1] if ends else None


def test_resume_refuses_to_overwrite_a_colleague_s_edit_made_since_the_push_began(shop):
    for name in FUNCTIONS:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "mine"))
    shop.emu.set_faults("latency-ms=150")
    process = shop.spawn("push", concurrency=1)
    wait_for(lambda: bool(shop.journals()) and any(e["type"] == "done" for e in journal_events(shop.journals()[-1])))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    shop.emu.reset_faults()
    colleague = edited(shop.stored("function", FUNCTIONS[-1]).xanoscript, "colleague")
    shop.remote_edit(FUNCTIONS[-1], colleague)  # in the Xano UI, while the push lay dead
    result = shop.cli("push", "--resume", code=1)
    assert f"{fn_path(FUNCTIONS[-1])}: function {FUNCTIONS[-1]!r}" in result.output
    assert "changed remotely since the push began" in result.output
    assert "`push --resume --force` overwrites it" in result.output
    assert shop.remote()[("function", FUNCTIONS[-1])] == colleague  # the colleague's edit is kept
    assert outcome(shop) is None  # still unfinished: resume --force or rollback --last-push decide


def test_the_restore_deletes_the_endpoint_the_push_created_not_another_verb_of_the_same_path(shop):
    shop.write("api/Shop/items/{id}_POST.xs", query_source("items/{id}", "POST", '"created"'))
    before = shop.remote()
    assert ("query", "GET items/{id}") in before
    shop.emu.set_faults("drop-on-write=1")  # the POST endpoint is created, its answer lost
    result = shop.cli("push", code=1, concurrency=1)
    assert "may have been created" in result.output
    assert "the remote is back as it was before the push" in result.output
    assert shop.remote() == before  # the GET endpoint is still there, the POST one is gone


def test_an_undo_whose_re_create_was_lost_finishes_when_run_again(shop):
    (shop.ws / fn_path("Utils/f05")).unlink()
    before = shop.remote()
    shop.cli("push", "--delete")
    assert ("function", "Utils/f05") not in shop.remote()
    shop.emu.set_faults("drop-on-write=1")  # the undo re-creates f05, and its answer is lost
    first = shop.cli("rollback", "--last-push", code=1)
    assert "NOT RESTORED function/Utils/f05.xs" in first.output
    assert "the connection failed after the request was sent" in first.output  # why, from the journal
    assert "the restore is incomplete: run `xanoctl rollback --last-push` to try again" in first.output
    shop.emu.reset_faults()
    again = shop.cli("rollback", "--last-push")  # finds the object it re-created, verifies it
    assert shop.remote() == before  # f05 once, with its text from before the push
    assert "re-created   function/Utils/f05.xs" in again.output
    assert "the remote is back as it was before the push" in again.output
    assert outcome(shop) == "undone"
    assert shop.entry(fn_path("Utils/f05"))["id"] == shop.stored("function", "Utils/f05").id
    assert "already undone" in shop.cli("rollback", "--last-push").output


def test_resume_refuses_to_create_what_someone_created_remotely_since_the_push_began(shop):
    for name in ("Utils/new1", "Utils/new2"):
        shop.write(fn_path(name), function_source(name, '"mine"'))
    killed(shop, "push", before_journal_write=4)  # new1 created, new2 not yet
    theirs = function_source("Utils/new2", '"theirs"')
    shop.emu.add("function", "Utils/new2", theirs)  # a colleague creates the same name meanwhile
    result = shop.cli("push", "--resume", code=1)
    assert f"{fn_path('Utils/new2')}: function 'Utils/new2'" in result.output
    assert "appeared remotely since the push began" in result.output
    assert shop.remote()[("function", "Utils/new2")] == theirs


def test_resume_refuses_to_update_what_someone_deleted_remotely_since_the_push_began(shop):
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "mine"))
    killed(shop, "push", before_journal_write=4)  # f01 updated, f02 not yet
    shop.emu.mutate(lambda state: state.store.remove(state.store.workspace(shop.emu.workspace_id).live, "function",
                                                     shop.stored("function", FUNCTIONS[1]).id))
    result = shop.cli("push", "--resume", code=1)
    assert f"{fn_path(FUNCTIONS[1])}: function {FUNCTIONS[1]!r} (id 2) was deleted remotely since the push began" \
        in result.output
    assert ("function", FUNCTIONS[1]) not in shop.remote()  # not created again behind the colleague's back


def test_resume_force_overwrites_a_colleague_s_edit_and_an_undo_brings_theirs_back(shop):
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "mine"))
    pulled = shop.remote()
    killed(shop, "push", before_journal_write=4)  # f01 updated, f02 not yet
    theirs = edited(pulled[("function", FUNCTIONS[1])], "colleague")
    shop.remote_edit(FUNCTIONS[1], theirs)
    shop.cli("push", "--resume", "--force")
    assert all(shop.remote()[("function", n)] == shop.read(fn_path(n)) for n in FUNCTIONS[:2])
    shop.cli("rollback", "--last-push")
    after = shop.remote()
    assert after[("function", FUNCTIONS[0])] == pulled[("function", FUNCTIONS[0])]
    assert after[("function", FUNCTIONS[1])] == theirs  # the snapshot taken when forcing, not the pulled one


def test_an_undo_finishes_when_an_object_the_push_created_was_deleted_meanwhile(shop):
    shop.write("function/Utils/added.xs", function_source("Utils/added", '"added"'))
    shop.write(fn_path(FUNCTIONS[0]), edited(shop.read(fn_path(FUNCTIONS[0])), "v2"))
    before = shop.remote()
    shop.cli("push")
    created = shop.stored("function", "Utils/added")
    shop.emu.mutate(lambda state: state.store.remove(state.store.workspace(shop.emu.workspace_id).live, "function",
                                                     created.id))  # someone removed it in the Xano UI
    result = shop.cli("rollback", "--last-push")
    assert "deleted      function/Utils/added.xs" in result.output
    assert shop.remote() == before and outcome(shop) == "undone"


def test_a_failed_push_takes_away_the_api_group_it_created_and_puts_back_what_it_updated(shop):
    shop.write("api/Admin/api_group.xs", 'api_group Admin {\n  canonical = "adm123"\n}')
    shop.write("api/Admin/users_GET.xs", query_source("users", "GET", '"users"').replace(
        "verb=GET {\n", 'verb=GET {\n  api_group = "Admin"\n', 1))
    shop.write(fn_path(FUNCTIONS[0]), edited(shop.read(fn_path(FUNCTIONS[0])), "v2"))
    before = shop.remote()
    shop.emu.set_faults("5xx-write-burst=3@3")  # the group is created, the function updated; the endpoint fails
    result = shop.cli("push", code=1, concurrency=1)
    assert "the remote is back as it was before the push" in result.output
    assert shop.remote() == before and shop.stored("api_group", "Admin") is None


def test_a_failed_push_puts_an_updated_endpoint_back_and_status_finds_nothing_changed(shop):
    endpoint = "api/Shop/items/{id}_GET.xs"
    shop.write(endpoint, shop.read(endpoint).replace('"item"', '"item v2"'))
    shop.write(fn_path(FUNCTIONS[0]), edited(shop.read(fn_path(FUNCTIONS[0])), "v2"))
    (shop.ws / fn_path(FUNCTIONS[5])).unlink()
    before, tree = shop.remote(), shop.tree()
    shop.emu.set_faults("5xx-write-burst=3@3")  # the function and the endpoint are written, the delete fails
    result = shop.cli("push", "--delete", code=1, concurrency=1)
    assert f"restored     {endpoint}" in result.output
    assert shop.remote() == before
    shop.emu.reset_faults()
    # xanoctl.lock now holds the restored objects' ids and times: only the local edits show
    states = {o["path"]: o["state"] for o in json.loads(shop.cli("status", "--json").output)["objects"]
              if o["state"] != "unchanged"}
    assert states == {endpoint: "modified locally", fn_path(FUNCTIONS[0]): "modified locally",
                      fn_path(FUNCTIONS[5]): "deleted locally"}
    assert {k: v for k, v in shop.tree().items() if k != "xanoctl.lock"} == \
        {k: v for k, v in tree.items() if k != "xanoctl.lock"}
    remote = json.loads(shop.cli("status", "--json").output)
    assert not [o for o in remote["objects"] if "remote" in o["state"] or o["state"] == "conflict"]



def test_an_endpoint_re_created_by_a_restore_goes_back_into_its_own_group(shop):
    endpoint = "api/Shop/items/{id}_GET.xs"
    group = shop.stored("api_group", "Shop")
    assert shop.stored("function", FUNCTIONS[0]).id == group.id  # ids are per kind: the same number
    for rel in (endpoint, fn_path(FUNCTIONS[0]), fn_path(FUNCTIONS[1])):
        (shop.ws / rel).unlink()
    before = shop.remote()
    shop.emu.set_faults("5xx-write-burst=3@3")  # the endpoint and f01 are deleted, f02's delete fails
    result = shop.cli("push", "--delete", code=1, concurrency=1)
    assert result.output.count("  re-created ") == 2
    assert shop.remote() == before and shop.stored("query", "items/{id}").group_id == group.id
    shop.emu.reset_faults()
    states = {o["path"]: o["state"] for o in json.loads(shop.cli("status", "--json").output)["objects"]
              if o["state"] != "unchanged"}
    assert states == {endpoint: "deleted locally", fn_path(FUNCTIONS[0]): "deleted locally",
                      fn_path(FUNCTIONS[1]): "deleted locally"}


def test_an_undo_records_the_restored_objects_ids_and_times_in_the_lock(shop):
    endpoint = "api/Shop/items/{id}_GET.xs"
    shop.write(endpoint, shop.read(endpoint).replace('"item"', '"item v2"'))
    (shop.ws / fn_path(FUNCTIONS[5])).unlink()
    shop.cli("push", "--delete")
    shop.cli("rollback", "--last-push")
    stored = {"query": shop.stored("query", "items/{id}"), "function": shop.stored("function", FUNCTIONS[5])}
    pulled = shop.cli("pull").output  # a pull after the undo finds nothing to write
    assert pulled.startswith("nothing changed: 10 objects up to date"), pulled
    for rel, obj in ((endpoint, stored["query"]), (fn_path(FUNCTIONS[5]), stored["function"])):
        entry = shop.entry(rel)
        assert (entry["id"], entry["guid"]) == (obj.id, obj.guid)


def test_a_failed_push_deletes_the_endpoint_it_created(shop):
    shop.write("api/Shop/items/{id}_POST.xs", query_source("items/{id}", "POST", '"created"'))
    task = "task/Nightly.xs"
    shop.write(task, shop.read(task).replace("active = true", "active = false"))
    before = shop.remote()
    shop.emu.set_faults("5xx-write-burst=3@2")  # the endpoint is created, the task's update fails
    result = shop.cli("push", "--no-lint", code=1, concurrency=1)  # (the seeded task calls noop without input)
    assert "deleted      api/Shop/items/{id}_POST.xs" in result.output
    assert shop.remote() == before  # the POST endpoint is gone, the GET one untouched


def test_a_write_that_failed_is_reported_unchanged_and_the_writes_after_it_not_sent(shop):
    endpoint = "api/Shop/items/{id}_GET.xs"
    shop.write(endpoint, shop.read(endpoint).replace('"item"', '"item v2"'))
    shop.write("task/Nightly.xs", shop.read("task/Nightly.xs").replace("active = true", "active = false"))
    before = shop.remote()
    shop.emu.set_faults("5xx-write-burst=3@1")  # the endpoint's update fails: it changed nothing
    result = shop.cli("push", "--no-lint", code=1, concurrency=1)
    assert f"unchanged    {endpoint}" in result.output and "the write did not apply" in result.output
    assert "not sent     task/Nightly.xs" in result.output
    assert shop.remote() == before
