"""Workflow tests are code: pull, status, diff, push and rollback handle `workflow_test`
documents like the other kinds, in both layouts (the official CLI writes them under
`workflow_test/` in snake_case)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, edited, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import function_source, workflow_test_source  # noqa: E402

NAME = "Checkout Flow"
PATHS = {"readable": "workflow_test/Checkout Flow.xs", "official": "workflow_test/checkout_flow.xs"}


def shop_with_a_workflow_test(tmp_path, layout):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    emu.add("function", "Utils/noop", function_source("Utils/noop"))
    emu.add("workflow_test", NAME, workflow_test_source(NAME))
    shop = open_shop(emu, tmp_path, layout=layout)
    shop.cli("pull")
    shop.commit_all("pull")
    return shop


@pytest.fixture(params=["readable", "official"])
def shop(request, tmp_path):
    built = shop_with_a_workflow_test(tmp_path, request.param)
    built.layout = request.param
    yield built
    built.emu.stop()


def stack_edit(source: str, marker: str) -> str:
    return source.replace("  stack {\n", f'  stack {{\n    var $edit_{marker} {{\n      value = "{marker}"\n    }}\n', 1)


def test_pull_writes_the_workflow_test_where_the_layout_puts_it(shop):
    rel = PATHS[shop.layout]
    assert shop.read(rel) == workflow_test_source(NAME)
    entry = shop.entry(rel)
    assert (entry["kind"], entry["name"]) == ("workflow_test", NAME)
    status = json.loads(shop.cli("status", "--json").output)
    assert {item["path"]: item["state"] for item in status["objects"]}[rel] == "unchanged"


def test_a_local_edit_shows_in_status_and_diff_and_push_sends_it(shop):
    rel = PATHS[shop.layout]
    changed = stack_edit(shop.read(rel), "local")
    shop.write(rel, changed)
    states = {item["path"]: item["state"] for item in json.loads(shop.cli("status", "--json").output)["objects"]}
    assert states[rel] == "modified locally"
    diff = shop.cli("diff", "--remote").output
    assert '+    var $edit_local {' in diff and rel in diff
    shop.cli("push", "--no-lint")
    assert shop.stored("workflow_test", NAME).xanoscript == changed


def test_a_remote_edit_is_pulled_and_a_rollback_puts_the_committed_version_back(shop):
    rel = PATHS[shop.layout]
    original = shop.read(rel)
    shop.remote_edit(NAME, stack_edit(original, "ui"), kind="workflow_test")
    states = {item["path"]: item["state"] for item in json.loads(shop.cli("status", "--json").output)["objects"]}
    assert states[rel] == "changed remotely"
    shop.cli("pull")
    assert "edit_ui" in shop.read(rel)
    shop.commit_all("pull the UI edit")
    shop.cli("rollback", f"workspace/{rel}", "--to", "HEAD~1")
    assert shop.stored("workflow_test", NAME).xanoscript == original
    assert shop.read(rel) == original


def test_a_new_local_workflow_test_is_created(shop):
    rel = "workflow_test/smoke_again.xs"
    shop.write(rel, workflow_test_source("smoke_again"))
    shop.cli("push", "--no-lint")
    created = shop.stored("workflow_test", "smoke_again")
    assert created is not None and created.xanoscript == workflow_test_source("smoke_again")
    assert shop.entry(rel)["kind"] == "workflow_test"


def test_pull_of_one_kind_by_its_cli_name(shop):
    shop.remote_edit(NAME, edited(workflow_test_source(NAME), "x"), kind="workflow_test")
    shop.cli("pull", "--kind", "workflow-tests")
    assert "edit_x" in shop.read(PATHS[shop.layout])


def test_a_transaction_push_and_the_multidoc_export_carry_workflow_tests(shop):
    rel = PATHS[shop.layout]
    changed = stack_edit(shop.read(rel), "tx")
    shop.write(rel, changed)
    shop.cli("push", "--no-lint", "--transaction")
    assert shop.stored("workflow_test", NAME).xanoscript == changed
    import httpx

    text = httpx.get(f"{shop.emu.base_url}/workspace/{shop.emu.workspace_id}/multidoc",
                     headers={"Authorization": f"Bearer {TOKEN}"}).text
    assert text.split("\n---\n")[-1] == changed  # the official order: workflow tests last
