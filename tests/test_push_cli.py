"""`xanoctl push` through the CLI against the emulator over HTTP: clean pushes, creates and
deletes, conflicts refused and forced, the lint gate, dry runs, 429 storms, commits."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, broken, edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source, query_source  # noqa: E402
from xanoctl.sync.manifest import sha256_bytes  # noqa: E402


def test_a_clean_push_updates_the_remote_and_the_manifest(shop):
    before = shop.remote()
    old_entry = shop.entry(fn_path("Utils/f01"))
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "v2"))
    result = shop.cli("push")
    assert "pushed 2 objects; xanoctl.lock updated" in result.output
    after = shop.remote()
    for name in FUNCTIONS[:2]:
        assert after[("function", name)] == shop.read(fn_path(name))
    assert {k: v for k, v in after.items() if k[1] not in FUNCTIONS[:2]} == \
           {k: v for k, v in before.items() if k[1] not in FUNCTIONS[:2]}
    entry = shop.entry(fn_path("Utils/f01"))
    assert entry["sha256"] == sha256_bytes((shop.ws / fn_path("Utils/f01")).read_bytes())
    assert entry["updated_at"] != old_entry["updated_at"] and entry["id"] == old_entry["id"]
    assert "0 changed remotely" not in shop.cli("status").output
    assert shop.cli("status", "--exit-code").exit_code == 0
    shop.assert_no_token_anywhere()


def test_new_files_are_created_with_kind_and_name_from_their_header(shop):
    shop.write("function/Utils/brand new.xs", function_source("Utils/Brand New", '"new"'))
    shop.write("api/Shop/things_POST.xs", query_source("things", "POST", '"posted"'))
    result = shop.cli("push")
    assert "pushed 2 objects" in result.output
    remote = shop.remote()
    assert remote[("function", "Utils/Brand New")] == shop.read("function/Utils/brand new.xs")
    assert remote[("query", "POST things")] == shop.read("api/Shop/things_POST.xs")
    created = shop.entry("function/Utils/brand new.xs")
    assert created["name"] == "Utils/Brand New" and created["id"] == shop.stored("function", "Utils/Brand New").id
    endpoint = shop.entry("api/Shop/things_POST.xs")
    assert endpoint["verb"] == "POST" and endpoint["group"]["name"] == "Shop"
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_new_api_group_and_its_endpoint_are_created_in_order(shop):
    shop.write("api/Admin/api_group.xs", 'api_group "Admin" {\n  canonical = "adm"\n}')
    shop.write("api/Admin/stats_GET.xs", query_source("stats", "GET", '"s"'))
    shop.cli("push")
    group = shop.stored("api_group", "Admin")
    endpoint = shop.stored("query", "stats")
    assert group is not None and endpoint is not None and endpoint.group_id == group.id
    assert shop.entry("api/Admin/stats_GET.xs")["group"] == {"id": group.id, "name": "Admin"}


def test_deleted_files_are_deleted_remotely_only_with_delete(shop):
    (shop.ws / fn_path("Utils/f03")).unlink()
    result = shop.cli("push")
    assert "push --delete" in result.output
    assert shop.stored("function", "Utils/f03") is not None
    shop.cli("push", "--delete")
    assert shop.stored("function", "Utils/f03") is None
    assert all(e["path"] != fn_path("Utils/f03") for e in shop.lock()["objects"])


def test_a_remote_change_since_the_pull_is_a_conflict_refused_then_forced(shop):
    path = fn_path("Utils/f02")
    shop.remote_edit("Utils/f02", edited(function_source("Utils/f02", '"Utils/f02"'), "ui"))
    shop.write(path, edited(shop.read(path), "local"))
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "local"))
    before, tree = shop.remote(), shop.tree()
    result = shop.cli("push", code=1)
    assert "conflict: function/Utils/f02.xs: function 'Utils/f02'" in result.output
    assert "changed remotely since the last pull (remote updated_at 2025-01-06 09:" in result.output
    assert "pulled 2025-01-06 09:" in result.output and "remote has +3 -0 lines against the pulled version" in result.output
    assert "--force" in result.stderr
    assert "`xanoctl diff --remote` shows the remote changes" in result.stderr  # pull would keep the local file
    assert shop.remote() == before and shop.tree() == tree
    assert shop.journals() == []
    result = shop.cli("push", "--force")
    assert "forced:" in result.output
    assert shop.remote()[("function", "Utils/f02")] == shop.read(path)


def test_a_remote_timestamp_moved_without_a_content_change_is_no_conflict(shop):
    shop.remote_edit("Utils/f02", shop.read(fn_path("Utils/f02")))  # saved in the UI, unchanged
    shop.write(fn_path("Utils/f02"), edited(shop.read(fn_path("Utils/f02")), "local"))
    shop.cli("push")
    assert shop.remote()[("function", "Utils/f02")] == shop.read(fn_path("Utils/f02"))


def test_the_lint_gate_stops_errors_and_no_lint_skips_it(shop):
    path = fn_path("Utils/f04")
    source = shop.read(path).replace("  stack {\n", '  stack {\n    function.run "Utils/missing" as $r\n', 1)
    shop.write(path, source)
    before = shop.remote()
    result = shop.cli("push", code=1)
    assert "XR001" in result.output and "lint errors" in result.stderr
    assert shop.remote() == before and shop.journals() == []
    shop.cli("push", "--no-lint")
    assert shop.remote()[("function", "Utils/f04")] == source


def test_dry_run_prints_the_plan_and_writes_nothing(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "x"))
    shop.write("function/Utils/extra.xs", function_source("Utils/extra"))
    before, tree = shop.remote(), shop.tree()
    result = shop.cli("push", "--dry-run")
    assert "update  function/Utils/f01.xs" in result.output
    assert "create  function/Utils/extra.xs" in result.output
    assert "dry run: nothing was written" in result.output
    assert shop.remote() == before and shop.tree() == tree and shop.journals() == []


def test_paths_limit_what_is_pushed(shop):
    for name in FUNCTIONS[:3]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "p"))
    shop.cli("push", "workspace/function/Utils/f02.xs")
    remote = shop.remote()
    assert remote[("function", "Utils/f02")] == shop.read(fn_path("Utils/f02"))
    assert remote[("function", "Utils/f01")] != shop.read(fn_path("Utils/f01"))


def test_nothing_to_push(shop):
    assert "nothing to push" in shop.cli("push").output


def test_a_push_survives_a_429_storm(shop):
    shop.emu.set_faults("429-every=2")
    for name in FUNCTIONS:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "storm"))
    shop.cli("push", attempts=8)
    remote = shop.remote()
    assert all(remote[("function", n)] == shop.read(fn_path(n)) for n in FUNCTIONS)
    assert shop.emu.state.faults.snapshot()["injected"]["429"] > 0


def test_commit_records_exactly_the_pushed_files_and_the_manifest(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "c"))
    shop.write(fn_path("Utils/f05"), edited(shop.read(fn_path("Utils/f05")), "c"))
    shop.write("notes.txt", "not part of the push\n")
    shop.cli("push", "workspace/function/Utils/f01.xs", "--commit")
    commit = shop.repo.head.commit
    assert commit.message.startswith("xanoctl push: update function 'Utils/f01'\n")  # names the object
    assert "function 'Utils/f01' (id 1)  function/Utils/f01.xs" in commit.message
    assert sorted(commit.stats.files) == ["workspace/function/Utils/f01.xs", "workspace/xanoctl.lock"]
    assert shop.repo.is_dirty(path="workspace/function/Utils/f05.xs")


def test_push_m_commits_with_that_subject_and_counts_several_objects(shop):
    for name in ("Utils/f01", "Utils/f02"):
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "c"))
    shop.cli("push", "-m", "Fix the two helpers")  # -m implies --commit
    commit = shop.repo.head.commit
    lines = commit.message.splitlines()
    assert lines[:4] == ["Fix the two helpers", "", "xanoctl push: 2 updated.", "Workspace 1, branch (live)."]
    assert sorted(commit.stats.files) == ["workspace/function/Utils/f01.xs", "workspace/function/Utils/f02.xs",
                                          "workspace/xanoctl.lock"]
    shop.write(fn_path("Utils/f03"), edited(shop.read(fn_path("Utils/f03")), "c"))
    shop.write(fn_path("Utils/f04"), edited(shop.read(fn_path("Utils/f04")), "c"))
    shop.cli("push", "--commit")
    assert shop.repo.head.commit.message.startswith("xanoctl push: 2 updated\n")  # no "0 created, 0 deleted"
    assert "-m needs a commit subject" in shop.cli("push", "-m", " ", code=2).output


def test_a_file_that_does_not_parse_cannot_be_created(shop):
    shop.write("function/Utils/bad.xs", broken(function_source("Utils/bad")))
    result = shop.cli("push", code=1)
    assert "cannot create from function/Utils/bad.xs:3:" in result.output


def test_creating_an_object_that_exists_remotely_but_not_in_the_lock_is_refused(shop):
    shop.emu.add("function", "Utils/sneaky", function_source("Utils/sneaky"))
    shop.write("function/Utils/sneaky.xs", function_source("Utils/sneaky", "1"))
    result = shop.cli("push", code=1)
    assert "already exists remotely but xanoctl.lock does not know it" in result.output


def test_local_deletions_are_noted_when_nothing_else_is_pushed(shop):
    (shop.ws / fn_path("Utils/f03")).unlink()
    result = shop.cli("push")
    assert "`push --delete` deletes function 'Utils/f03' remotely" in result.output
    assert result.output.rstrip().endswith("nothing to push")
