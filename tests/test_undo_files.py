"""`rollback --last-push` puts the working tree back with the remote (issue 21, safety 3): after
undoing a push that finished, the files hold what the remote holds again, so that a plain push
does not silently re-apply what was undone; a file changed since the push is left as it is and
said so, and the next push (its dry run too) says that it would redo the undone change. A push
that did not finish leaves the files as they are (its edits are still to push). End to end
through the CLI against the emulator over HTTP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402

F1, F2, F3 = fn_path("Utils/f01"), fn_path("Utils/f02"), fn_path("Utils/f03")
NEW = "function/Utils/added.xs"


def changed(shop) -> dict[str, str]:
    status = json.loads(shop.cli("status", "--json").output)
    return {o["path"]: o["state"] for o in status["objects"] if o["state"] != "unchanged"}


def test_the_undo_of_a_finished_push_puts_every_file_back_and_commits_them(shop):
    pulled, tree = shop.remote(), shop.tree()
    shop.write(F1, edited(shop.read(F1), "v2"))
    shop.write(NEW, function_source("Utils/added"))
    (shop.ws / F3).unlink()
    shop.cli("push", "--delete", "--commit")
    result = shop.cli("rollback", "--last-push", "--commit")
    assert "put back 3 file(s) as they were before the push (1 removed" in result.output
    assert shop.remote() == pulled
    assert {p: d for p, d in shop.tree().items() if p != "xanoctl.lock"} == \
           {p: d for p, d in tree.items() if p != "xanoctl.lock"}
    assert changed(shop) == {}
    assert shop.cli("push").output.rstrip().endswith("nothing to push")  # nothing undone comes back
    assert shop.repo.git.status("--porcelain", "--", "workspace") == ""
    assert shop.repo.head.commit.message.startswith("xanoctl: undo push")
    committed = shop.repo.git.show("--name-only", "--no-renames", "--format=", "HEAD").split()
    assert sorted(committed) == [f"workspace/{NEW}", f"workspace/{F1}", f"workspace/{F3}", "workspace/xanoctl.lock"]


def test_a_file_changed_since_the_push_is_kept_and_the_next_push_says_it_redoes_the_undone_change(shop):
    shop.write(F1, edited(shop.read(F1), "v2"))
    shop.write(F2, edited(shop.read(F2), "v2"))
    shop.cli("push")
    later = edited(shop.read(F2), "later")
    shop.write(F2, later)
    result = shop.cli("rollback", "--last-push")
    assert "put back 1 file(s) as they were before the push" in result.output
    assert (f"kept {F2}: changed since the push, so left as it is; it still holds the undone change, which the "
            "next `xanoctl push` would redo") in result.output
    assert shop.read(F2) == later
    assert changed(shop) == {F2: "modified locally"}
    dry = shop.cli("push", "--dry-run").output
    assert f"note: {F2}: this update redoes the change `xanoctl rollback --last-push` undid (push " in dry
    assert f"update  {F2}" in dry
    # a file the user sets to what was pushed again says so too
    shop.write(F1, edited(shop.read(F1), "v2"))
    assert f"note: {F1}: this update redoes the change" in shop.cli("push", "--dry-run").output


def test_the_undo_of_a_push_that_did_not_finish_leaves_the_files(shop):
    shop.write(F1, edited(shop.read(F1), "mine"))
    mine = shop.read(F1)
    shop.cli("push")
    journal = shop.journals()[-1]
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(lines[:-3]), encoding="utf-8")  # killed after writing, before the lock
    lock = shop.lock()
    result = shop.cli("rollback", "--last-push")
    assert "local files were not modified: the push had not finished" in result.output
    assert shop.read(F1) == mine and changed(shop) == {F1: "modified locally"}
    assert lock  # (the lock described the push; the undo put it back)
