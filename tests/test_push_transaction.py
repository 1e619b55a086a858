"""`xanoctl push --transaction` through the CLI against the emulator over HTTP: the planned
documents go in one multidoc import after Xano's dry-run; a bad document stops everything, a
conflict is refused, a workspace without multidoc imports is pushed object by object, and
`rollback --last-push` undoes a transactional push."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, broken, edited, fn_path, journal_events, shop, wait_for  # noqa: E402,F401

from xanoctl.emulator.testing import function_source, q  # noqa: E402


def endpoint_source(path: str, group: str, verb: str = "POST") -> str:
    return (f"query {q(path)} verb={verb} {{\n  api_group = {q(group)}\n  input {{\n  }}\n  stack {{\n"
            f"    var $x {{\n      value = \"ok\"\n    }}\n  }}\n  response = $x\n}}")


def methods(shop) -> dict[str, int]:
    return dict(shop.emu.state.stats.methods)


def test_a_transactional_push_sends_one_import_after_the_dry_run(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write(fn_path("Utils/f02"), edited(shop.read(fn_path("Utils/f02")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh", '"fresh"'))
    shop.write("api/Admin/api_group.xs", 'api_group "Admin" {\n}')
    shop.write("api/Admin/stats_POST.xs", endpoint_source("stats", "Admin"))
    shop.emu.state.stats.methods.clear()
    result = shop.cli("push", "--transaction")
    assert "pushed 5 object(s) in one transaction; xanoctl.lock updated" in result.output
    assert methods(shop)["POST"] == 2  # the dry-run and the import: no per-object create
    assert "PUT" not in methods(shop)
    remote = shop.remote()
    assert remote[("function", "Utils/f01")] == shop.read(fn_path("Utils/f01"))
    assert remote[("function", "Utils/Fresh")] == shop.read("function/Utils/fresh.xs")
    group, endpoint = shop.stored("api_group", "Admin"), shop.stored("query", "stats")
    assert endpoint.group_id == group.id and group.fields["canonical"]  # a created group gets a canonical
    fresh = shop.entry("function/Utils/fresh.xs")
    assert fresh["id"] == shop.stored("function", "Utils/Fresh").id
    assert fresh["guid"] == shop.stored("function", "Utils/Fresh").guid  # created objects get their guid
    assert shop.entry("api/Admin/stats_POST.xs")["group"] == {"id": group.id, "name": "Admin"}
    assert shop.cli("status", "--exit-code").exit_code == 0
    shop.assert_no_token_anywhere()


def test_the_dry_run_shows_xanos_operations_and_writes_nothing(shop):
    shop.write(fn_path("Utils/f03"), edited(shop.read(fn_path("Utils/f03")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    before = shop.remote()
    result = shop.cli("push", "--transaction", "--dry-run")
    assert "would push in one transaction (Xano's dry-run of the import):" in result.output
    assert "update    function  Utils/f03    function/Utils/f03.xs" in result.output
    assert "create    function  Utils/Fresh  function/Utils/fresh.xs" in result.output
    assert shop.remote() == before and not shop.journals()


def test_a_syntax_error_in_one_document_stops_everything(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write(fn_path("Utils/f02"), broken(shop.read(fn_path("Utils/f02"))))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    before = shop.remote()
    result = shop.cli("push", "--transaction", "--no-lint", code=1)
    assert ("refused: function/Utils/f02.xs: function 'Utils/f02': exception: Syntax error: "
            in result.output)
    assert "(line 3, col" in result.output
    assert "nothing was written" in result.output
    assert shop.remote() == before and not shop.journals()


def test_an_import_that_fails_applies_nothing_and_is_verified(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    before = shop.remote()
    shop.emu.set_faults("5xx-on-write=2")  # the dry-run is write 1, the import write 2
    result = shop.cli("push", "--transaction", code=1)
    assert "the remote is back as it was before the push" in result.output
    assert "unchanged" in result.output and "function/Utils/f01.xs" in result.output
    assert shop.remote() == before
    events = [e["type"] for e in journal_events(shop.journals()[-1])]
    assert events.count("started") == 2 and events.count("failed") == 2 and "done" not in events


def test_an_import_applied_but_unanswered_is_put_back(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    before = shop.remote()
    shop.emu.set_faults("drop-on-write=2")  # the import is applied, its answer lost
    result = shop.cli("push", "--transaction", code=1)
    assert "the remote is back as it was before the push" in result.output
    assert shop.remote() == before


def test_a_conflict_is_refused_before_the_dry_run(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "mine"))
    shop.remote_edit("Utils/f01", edited(function_source("Utils/f01", '"Utils/f01"'), "theirs"))
    before = shop.remote()
    shop.emu.state.stats.methods.clear()
    result = shop.cli("push", "--transaction", code=1)
    assert "conflict: function/Utils/f01.xs" in result.output
    assert "POST" not in methods(shop)
    assert shop.remote() == before


def test_a_rename_is_refused_since_the_import_matches_by_name(shop):
    source = shop.read(fn_path("Utils/f04")).replace('function "Utils/f04"', 'function "Utils/f04 renamed"')
    shop.write(fn_path("Utils/f04"), source)
    before = shop.remote()
    result = shop.cli("push", "--transaction", code=1)
    assert "the plan is to update function 'Utils/f04'" in result.output
    assert "but the import would create it" in result.output
    assert shop.remote() == before


def test_what_one_import_cannot_carry_is_refused_before_asking_xano(shop):
    (shop.ws / fn_path("Utils/f05")).unlink()
    endpoint = "api/Shop/items/{id}_GET.xs"
    shop.write(endpoint, edited(shop.read(endpoint), "v2"))  # no `api_group = "..."` in it
    shop.write(fn_path("Utils/f06"), shop.read(fn_path("Utils/f06")) + "\n---\n")
    before = shop.remote()
    shop.emu.state.stats.methods.clear()
    result = shop.cli("push", "--transaction", "--delete", "--no-lint", code=1)
    assert "function/Utils/f05.xs: --transaction does not delete" in result.output
    assert f"{endpoint}: the multidoc import places an endpoint by its `api_group" in result.output
    assert "function/Utils/f06.xs: holds a line `---`" in result.output
    assert "POST" not in methods(shop) and shop.remote() == before


def test_without_direct_push_it_falls_back_to_object_by_object(shop):
    shop.emu.state.options.direct_push = False
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    shop.emu.state.stats.methods.clear()
    result = shop.cli("push", "--transaction")
    assert "note: the workspace does not take multidoc imports (Push is disabled for this workspace)" in result.output
    assert "pushed 2 object(s); xanoctl.lock updated" in result.output
    assert methods(shop)["PUT"] == 1 and methods(shop)["POST"] == 2  # refused dry-run, then one create
    fresh = shop.entry("function/Utils/fresh.xs")
    assert fresh["guid"] == shop.stored("function", "Utils/Fresh").guid  # the per-object push records it too
    assert shop.remote()[("function", "Utils/f01")] == shop.read(fn_path("Utils/f01"))


def test_rollback_last_push_undoes_a_transactional_push(shop):
    before = shop.remote()
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    shop.cli("push", "--transaction")
    assert shop.remote() != before
    result = shop.cli("rollback", "--last-push")
    assert shop.remote() == before
    assert "Utils/Fresh" in result.output
    assert "put back 2 file(s) as they were before the push (1 removed" in result.output
    assert shop.cli("status", "--exit-code").exit_code == 0  # the files went back with the remote
    assert not (shop.ws / "function/Utils/fresh.xs").exists()


def test_a_transactional_push_killed_after_the_import_is_finished_by_resume(shop):
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    shop.emu.set_faults("latency-ms=400")  # the read-backs after the import are slow: kill it there
    process = shop.spawn("push", "--transaction")
    wait_for(lambda: process.poll() is not None or shop.stored("function", "Utils/Fresh") is not None)
    process.kill()
    process.wait(timeout=30)
    shop.emu.reset_faults()
    assert process.returncode != 0, "the push finished before it could be killed"
    assert "push --resume" in shop.cli("push", code=1).stderr
    result = shop.cli("push", "--resume")
    assert "resumed: pushed 3 object(s)" in result.output
    assert shop.entry("function/Utils/fresh.xs")["guid"] == shop.stored("function", "Utils/Fresh").guid
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_the_transaction_reports(shop, snapshot):
    """The dry-run plan, a dry-run refusal and a transactional push, as the user reads them."""
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "v2"))
    shop.write("function/Utils/fresh.xs", function_source("Utils/Fresh"))
    shop.write("api/Admin/api_group.xs", 'api_group "Admin" {\n}')
    shop.write("api/Admin/stats_POST.xs", endpoint_source("stats", "Admin"))
    planned = shop.cli("push", "--transaction", "--dry-run").output
    shop.write(fn_path("Utils/f02"), broken(shop.read(fn_path("Utils/f02"))))
    refused = shop.cli("push", "--transaction", "--no-lint", code=1).output
    shop.write(fn_path("Utils/f02"), edited(shop.read(fn_path("Utils/f03")), "v2").replace("f03", "f02"))
    pushed = shop.cli("push", "--transaction").output
    assert {"dry-run": planned, "refused": refused, "pushed": pushed} == snapshot
