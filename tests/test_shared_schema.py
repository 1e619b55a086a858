"""Tables are shared by every branch (issue 29): end to end through the CLI against the emulator
over real HTTP, a workspace pulled on branch ``dev`` whose table is the live database's.

No command changes the live database as a side effect of working on a branch: a table pushed
(object by object, ``--transaction``, ``--delete``), rolled back or undone from ``dev`` is
refused unless ``--allow-shared-schema-changes``, and a column removed or retyped needs
``--allow-data-loss`` (or a yes on a terminal) on any branch, the live one included."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, edited, fn_path, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import function_source, table_source  # noqa: E402

TABLE = "table/user.xs"
FUNCTION = "Utils/f01"
SHARED = "--allow-shared-schema-changes"
LOSS = "--allow-data-loss"


def world(tmp_path, branch="dev"):
    """A workspace with a function and a table, branch ``dev`` made from live, pulled on
    ``branch`` ("" for live) and committed."""
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    emu.add("function", FUNCTION, function_source(FUNCTION, '"f"'))
    emu.add("table", "user", table_source("user"))
    emu.mutate(lambda state: state.store.create_branch(emu.workspace_id, "dev", None))
    shop = open_shop(emu, tmp_path, branch=branch)
    shop.cli("pull")
    shop.commit_all("pull")
    return shop


@pytest.fixture
def dev(tmp_path):
    shop = world(tmp_path)
    yield shop
    shop.emu.stop()


@pytest.fixture
def live(tmp_path):
    shop = world(tmp_path, branch="")
    yield shop
    shop.emu.stop()


def source(shop, kind, name, branch=""):
    """The XanoScript of an object as ``branch`` ("" for live) has it."""
    with shop.emu.state.lock:
        objects = shop.emu.state.store.branch(shop.emu.workspace_id, branch or None).objects[kind]
        return next((o.xanoscript for o in objects.values() if o.name == name), None)


def add_column(text):
    return text.replace("    text name\n", "    text name\n    text? email\n")


def drop_column(text):
    return text.replace("    text name\n", "")


def test_a_table_pushed_on_a_dev_branch_is_refused_and_the_live_schema_unchanged(dev):
    dev.write(TABLE, add_column(dev.read(TABLE)))
    dev.write(fn_path(FUNCTION), edited(dev.read(fn_path(FUNCTION)), "dev"))
    result = dev.cli("push", code=1)
    refusal = [line for line in result.stdout.splitlines() if TABLE in line]
    assert refusal == [f"refused: {TABLE}: table 'user' (id 1) is shared by every branch: changing it from branch "
                       f"'dev' changes the live database; pass {SHARED} to do it"]
    assert source(dev, "table", "user") == table_source("user")
    assert source(dev, "function", FUNCTION, "dev") == function_source(FUNCTION, '"f"')  # nothing was written
    assert dev.journals() == []


def test_with_the_flag_it_lands_and_is_visible_from_every_branch(dev):
    wanted = add_column(dev.read(TABLE))
    dev.write(TABLE, wanted)
    result = dev.cli("push", SHARED)
    assert "1 of them shared by every branch: written to the live database" in result.stdout
    assert source(dev, "table", "user") == source(dev, "table", "user", "dev") == wanted
    assert dev.cli("status", "--exit-code").exit_code == 0


def test_a_function_pushed_on_the_branch_stays_on_the_branch(dev):
    function, table = edited(dev.read(fn_path(FUNCTION)), "dev"), add_column(dev.read(TABLE))
    dev.write(fn_path(FUNCTION), function)
    dev.write(TABLE, table)
    dev.cli("push", SHARED)
    assert source(dev, "function", FUNCTION, "dev") == function
    assert source(dev, "function", FUNCTION) == function_source(FUNCTION, '"f"')
    assert source(dev, "table", "user") == source(dev, "table", "user", "dev") == table


def test_a_dropped_column_needs_its_own_confirmation(dev):
    dev.write(TABLE, drop_column(dev.read(TABLE)))
    refused = dev.cli("push", SHARED, code=1)
    assert (f"refused: {TABLE}: table 'user' (id 1): column 'name' removed: that data is lost; pass {LOSS} "
            "to do it (or run it on a terminal to confirm)") in refused.stdout
    assert source(dev, "table", "user") == table_source("user")
    dev.cli("push", SHARED, LOSS)
    assert source(dev, "table", "user") == drop_column(table_source("user"))


def test_on_the_live_branch_a_retyped_column_is_named_and_needs_the_confirmation_too(live):
    live.write(TABLE, live.read(TABLE).replace("text name", "int name"))
    refused = live.cli("push", code=1)
    assert f"column 'name' retyped text -> int: that data is lost; pass {LOSS}" in refused.stdout
    assert SHARED not in refused.stdout  # on the live branch a table is no one else's
    live.cli("push", LOSS)
    assert "int name" in source(live, "table", "user")
    live.write(TABLE, add_column(live.read(TABLE)))  # a column added loses nothing
    live.cli("push")


def test_a_named_branch_that_is_the_live_one_writes_its_tables_unasked(dev):
    dev.emu.mutate(lambda state: state.store.set_live(dev.emu.workspace_id, "dev"))  # Xano tells which is live
    wanted = add_column(dev.read(TABLE))
    dev.write(TABLE, wanted)
    assert SHARED not in dev.cli("push").stdout
    assert source(dev, "table", "user", "v1") == wanted


def test_a_dry_run_shows_the_shared_objects_and_the_data_loss_apart(dev):
    dev.write(TABLE, drop_column(dev.read(TABLE)))
    dev.write(fn_path(FUNCTION), edited(dev.read(fn_path(FUNCTION)), "dev"))
    out = dev.cli("push", "--dry-run").stdout.splitlines()
    start = out.index("would push (2 to update):")
    assert out[start:] == [
        "would push (2 to update):",
        f"  update  function/{FUNCTION}.xs  function '{FUNCTION}' (id 2)",
        f"shared by every branch: on branch 'dev' these write to the live database (refused without {SHARED}):",
        f"  update  {TABLE}  table 'user' (id 1)",
        f"data loss (refused without {LOSS}, or a yes on a terminal):",
        f"  {TABLE}: table 'user' (id 1): column 'name' removed",
        "dry run: nothing was written",
    ]
    assert source(dev, "table", "user") == table_source("user") and dev.journals() == []


def test_a_transactional_push_is_refused_the_same_way(dev):
    wanted = add_column(dev.read(TABLE))
    dev.write(TABLE, wanted)
    refused = dev.cli("push", "--transaction", code=1)
    assert "shared by every branch" in refused.stdout and "live database" in refused.stdout
    assert source(dev, "table", "user") == table_source("user")
    dry = dev.cli("push", "--transaction", "--dry-run").stdout
    assert "would push in one transaction" in dry and f"  update  {TABLE}  table 'user' (id 1)" in dry
    assert "in one transaction" in dev.cli("push", "--transaction", SHARED).stdout
    assert source(dev, "table", "user", "dev") == wanted


def test_a_table_deleted_from_a_branch_needs_both_flags(dev):
    (dev.ws / TABLE).unlink()
    refused = dev.cli("push", "--delete", code=1).stdout
    assert "deleting it from branch 'dev' changes the live database" in refused
    assert source(dev, "table", "user") is not None
    refused = dev.cli("push", "--delete", SHARED, code=1).stdout
    assert "the table is deleted, with every record in it: that data is lost" in refused
    dev.cli("push", "--delete", SHARED, LOSS)
    assert source(dev, "table", "user") is None


def test_rollback_to_a_revision_and_of_the_last_push_are_refused_the_same_way(dev):
    pulled = dev.read(TABLE)
    dev.write(TABLE, add_column(pulled))
    dev.cli("push", SHARED, "--commit")
    # rollback --last-push drops the column again: shared, and a loss
    refused = dev.cli("rollback", "--last-push", code=1).stdout
    assert f"pass {SHARED}" in refused and "column 'email' removed" in refused
    assert source(dev, "table", "user") == add_column(pulled)
    refused = dev.cli("rollback", "workspace/" + TABLE, "--to", "HEAD~1", SHARED, code=1).stdout
    assert "column 'email' removed: that data is lost" in refused
    dev.cli("rollback", "workspace/" + TABLE, "--to", "HEAD~1", SHARED, LOSS)
    assert source(dev, "table", "user") == pulled


def command(shop, args, **env):
    """``xanoctl ARGS`` as a real process, with ``env`` added to its environment."""
    script = Path(sys.executable).with_name("xanoctl")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]
    return program + list(args), {**os.environ, **shop.env, **env}


def killed_before_its_first_write(shop, *args):
    """``xanoctl push ARGS`` killed once its journal exists, before it records (and sends) its
    first write: by tests/crashhook, as tests/test_crash.py kills them."""
    argv, env = command(shop, ["push", *args], PYTHONPATH=str(Path(__file__).parent / "crashhook"),
                        XANOCTL_CRASH_ROOT=str(shop.root), XANOCTL_CRASH_MATCH=".jsonl", XANOCTL_CRASH_AT="3")
    process = subprocess.run(argv, cwd=shop.root, env=env, capture_output=True, text=True, timeout=60)
    assert process.returncode == -9, process.stdout + process.stderr
    return shop.journals()[-1]


def test_a_resumed_push_keeps_the_permission_it_was_given(dev):
    wanted = add_column(dev.read(TABLE))
    dev.write(TABLE, wanted)
    journal = killed_before_its_first_write(dev, SHARED)
    assert json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["allow_shared_schema_changes"] is True
    assert source(dev, "table", "user") == table_source("user")
    dev.cli("push", "--resume")  # the push was allowed to write the table: its resume is too
    assert source(dev, "table", "user") == wanted
    assert dev.cli("status", "--exit-code").exit_code == 0


def test_a_journal_without_the_permission_is_not_resumed_on_the_shared_table(dev):
    """The journal of an older xanoctl, which recorded no permission."""
    wanted = add_column(dev.read(TABLE))
    dev.write(TABLE, wanted)
    journal = killed_before_its_first_write(dev, SHARED)
    header, *events = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    older = {k: v for k, v in json.loads(header).items() if not k.startswith("allow_")}
    journal.write_text(json.dumps(older) + "\n" + "".join(events), encoding="utf-8")
    refused = dev.cli("push", "--resume", code=1).stdout
    assert f"refused: {TABLE}: table 'user' (id 1) is shared by every branch" in refused and f"pass {SHARED}" in refused
    assert source(dev, "table", "user") == table_source("user")
    dev.cli("push", "--resume", SHARED)
    assert source(dev, "table", "user") == wanted


# ---------------------------------------------------------------------------- on a terminal


def run_on_terminal(shop, args, answer):
    """``xanoctl ARGS`` in a pseudo-terminal; ``answer`` typed at the question. Returns (exit
    code, everything shown)."""
    argv, env = command(shop, args)
    master, slave = pty.openpty()
    process = subprocess.Popen(argv, cwd=shop.root, env=env, stdin=slave, stdout=slave, stderr=slave,
                               close_fds=True)
    os.close(slave)
    shown, answered = b"", False
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        assert ready, "no output for 60 s: " + shown.decode("utf-8", "replace")
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        if not answered and b"Go on? [y/N]" in shown:
            os.write(master, answer.encode() + b"\n")
            answered = True
    os.close(master)
    return process.wait(timeout=60), shown.decode("utf-8", "replace").replace("\r\n", "\n")


def test_on_a_terminal_the_data_loss_is_asked(live):
    live.write(TABLE, drop_column(live.read(TABLE)))
    code, shown = run_on_terminal(live, ["push"], "n")
    assert code == 1, shown
    assert f"data loss: {TABLE}: table 'user' (id 1): column 'name' removed" in shown
    assert "column 'name' removed: not confirmed" in shown
    assert source(live, "table", "user") == table_source("user")
    code, shown = run_on_terminal(live, ["push"], "y")
    assert code == 0, shown
    assert source(live, "table", "user") == drop_column(table_source("user"))


# ---------------------------------------------------------------------------- what the other commands say


def test_pull_on_a_branch_marks_the_shared_tables_and_an_older_manifest_keeps_working(dev):
    lock = dev.lock()
    table = next(e for e in lock["objects"] if e["kind"] == "table")
    function = next(e for e in lock["objects"] if e["kind"] == "function")
    assert table.get("shared") is True and "shared" not in function and lock["branch"] == "dev"
    assert '"sha256": "%s", "shared": true, "updated_at"' % table["sha256"] in (dev.ws / "xanoctl.lock").read_text()
    pulled = dev.cli("pull").stdout
    assert "note: 1 table(s) are shared by every branch: the live database's, not this branch's" in pulled
    assert json.loads(dev.cli("pull", "--json").stdout)["shared"] == 1
    # an older manifest, without the mark: status and push read it, and the next pull marks it
    text = (dev.ws / "xanoctl.lock").read_text(encoding="utf-8")
    (dev.ws / "xanoctl.lock").write_text(text.replace('"shared": true, ', ""), encoding="utf-8")
    assert dev.cli("status", "--exit-code").exit_code == 0
    dev.write(TABLE, add_column(dev.read(TABLE)))
    assert "shared by every branch" in dev.cli("push", code=1).stdout
    dev.cli("push", SHARED)
    assert dev.entry(TABLE)["shared"] is True  # the push's manifest carries it again


def test_a_live_pull_marks_nothing(live):
    assert all("shared" not in entry for entry in live.lock()["objects"])
    assert "shared" not in live.cli("pull").stdout


def test_status_and_diff_say_a_table_is_shared_instead_of_the_branchs_own(dev):
    dev.write(TABLE, add_column(dev.read(TABLE)))
    dev.write(fn_path(FUNCTION), edited(dev.read(fn_path(FUNCTION)), "dev"))
    out = dev.cli("status").stdout.splitlines()
    assert out[:2] == ["workspace 1, branch dev: 2 objects: 2 modified locally",
                       "1 of them is a table, shared by every branch: the live database's, not branch 'dev''s own"]
    assert f"  {TABLE:<21}  table 'user' (id 1)  (shared by every branch)" in out
    assert f"  function/{FUNCTION}.xs  function '{FUNCTION}' (id 2)" in out
    data = json.loads(dev.cli("status", "--json").stdout)
    assert data["shared"] == 1
    assert {o["kind"]: o["shared"] for o in data["objects"]} == {"table": True, "function": False}
    for args in ((), ("--remote",)):
        heads = [line for line in dev.cli("diff", *args).stdout.splitlines() if line.startswith("diff ")]
        assert heads == [f"diff function/{FUNCTION}.xs  function '{FUNCTION}' (id 2)",
                         f"diff {TABLE}  table 'user' (id 1), shared by every branch (the live database's)"]


def test_compare_with_a_live_branch_says_a_table_is_shared(dev):
    dev.write(TABLE, add_column(dev.read(TABLE)))
    text = dev.cli("compare", "workspace", "live:dev", code=None).stdout
    assert "  table      user  [code]  +0 -1  (shared by every branch)" in text
    assert "note: live:dev: its 1 table(s) are shared by every branch: the live database's, not branch 'dev''s own" \
        in text
    data = json.loads(dev.cli("compare", "workspace", "live:dev", "--format", "json").stdout)
    assert [(c["kind"], c.get("shared")) for c in data["changed"]] == [("table", True)]
    # from the live side the same table is the live database's own: no mark
    live_side = json.loads(dev.cli("compare", "workspace", f"live:{dev.emu.workspace_id}", "--format", "json").stdout)
    assert [(c["kind"], c.get("shared")) for c in live_side["changed"]] == [("table", None)]
