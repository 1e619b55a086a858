"""`xanoctl docs`: the operations manual of the demo workspace (snapshots), its determinism,
and what each section says on hand-written workspaces."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xanoctl.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from viewsamples import write_workspace  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PAGES = ["README.md", "api.md", "functions.md", "health.md", "pipelines.md", "tasks.md"]


def docs(*args: str):
    return CliRunner().invoke(main, ["docs", *args])


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """A copy of the demo workspace (the lint cache goes beside it, not into the repository)."""
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "workspace"


def test_demo_manual_pages(demo, tmp_path, snapshot):
    result = docs(str(demo), "--out", str(tmp_path / "manual"))
    assert result.exit_code == 0, result.output + result.stderr
    assert sorted(p.name for p in (tmp_path / "manual").iterdir()) == PAGES
    for name in PAGES:
        assert (tmp_path / "manual" / name).read_text(encoding="utf-8") == snapshot(name=name)


def test_demo_manual_on_stdout(demo, snapshot):
    result = docs(str(demo))
    assert result.exit_code == 0
    assert result.stdout == snapshot


def test_same_workspace_same_bytes_wherever_it_is_run_from(demo, tmp_path, monkeypatch):
    first = docs(str(demo)).stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = tmp_path / "moved" / "workspace"
    shutil.copytree(demo, moved, ignore=shutil.ignore_patterns(".xanoctl"))
    monkeypatch.chdir(elsewhere)
    assert docs(str(moved)).stdout == first
    assert docs(str(moved)).stdout == first  # from the cache this time
    # the pages of --out link to each other
    docs(str(moved), "--out", "out")
    tasks = (elsewhere / "out" / "tasks.md").read_text(encoding="utf-8")
    assert "[Tasks/FUB - Sync People](functions.md#function-tasks-fub-sync-people)" in tasks
    assert tasks.startswith("# Background tasks\n\n10 background tasks, 9 active.")


def test_the_manual_answers_the_first_day_questions(demo):
    text = docs(str(demo), "--now", "2025-12-03T10:07:00Z").stdout
    # background tasks: schedule in words, the times they run, the next run with --now
    assert ("| [HubSpot - Sync Contacts](#task-hubspot-sync-contacts) | yes | daily; daily | 06:30 from 2025-11-28; "
            "18:30 from 2025-11-28 | 2025-12-03 18:30:00 | [Tasks/HubSpot - Sync Contacts]"
            "(#function-tasks-hubspot-sync-contacts) | `fub_person` |") in text
    # API groups: inputs and the function served
    assert ("| <a id=\"query-app-get-users-user-id\"></a>`GET users/{user_id}` | `text user_id` | "
            "[Workers/Users - Load Profile](#function-workers-users-load-profile) | — |") in text
    # health: a missing function and who names it
    assert ("- function `Workers/Slack - Post Digest`: named by "
            "[Tasks/Slack - Daily Digest](#function-tasks-slack-daily-digest)") in text
    # without --now nothing depends on the day
    assert "Next run" not in docs(str(demo)).stdout


WORKSPACE = {
    "task/import.xs": '''
        task "Import" {
          active = true
          stack {
            function.run "Tasks/Import" as $r
          }
          schedule = [{starts_on: 2025-01-01 00:05:00+0000, freq: 900}]
        }
    ''',
    "task/publish.xs": '''
        task "Publish" {
          active = false
          stack {
            function.run "Tasks/Publish" as $r
          }
          schedule = [{starts_on: 2025-01-06 07:00:00+0000, freq: 604800}]
        }
    ''',
    "function/Tasks/import.xs": '''
        function "Tasks/Import" {
          stack {
            function.run "Workers/Fetch" as $rows
            db.bulk.add staging_order {
              items = $rows.data
            }
          }
          response = {success: true, data: null, error: null}
        }
    ''',
    "function/Tasks/publish.xs": '''
        function "Tasks/Publish" {
          stack {
            db.query staging_order as $rows
            db.add order {
              data = {rows: $rows}
            }
            function.run "Archive/Old Publish" as $old
          }
          response = {success: true, data: null, error: null}
        }
    ''',
    "function/Workers/fetch.xs": '''
        function "Workers/Fetch" {
          input {
            int page?
          }
          stack {
            var $rows { value = [] }
          }
          response = {success: true, data: $rows, error: null}
        }
    ''',
    "function/Workers/unused.xs": '''
        function "Workers/Unused" {
          stack {
            var $x { value = 1 }
          }
          response = $x
        }
    ''',
    "function/Archive/old.xs": '''
        function "Archive/Old Publish" {
          stack {
            var $x { value = 1 }
          }
          response = $x
        }
    ''',
    "api/Tests/fetch_GET.xs": '''
        query "workers/fetch" verb=GET {
          api_group = "Tests"
          stack {
            function.run "Workers/Fetch" as $r
          }
          response = $r
        }
    ''',
    "api/Shop/orders_GET.xs": '''
        query "orders" verb=GET {
          api_group = "Shop"
          input {
            int page?
          }
          stack {
            db.query order as $orders
          }
          response = $orders
        }
    ''',
}


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_workspace(tmp_path / "shop", WORKSPACE)


def section(text: str, title: str) -> str:
    return text.split(title + "\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_pipelines_tasks_that_move_data_and_how_often(shop):
    text = docs(str(shop)).stdout
    pipelines = section(text, "## Data pipelines")
    assert ("| `staging_order` | [Import](#task-import) (every 15 min) | [Publish](#task-publish) "
            "(inactive, weekly) |") in pipelines
    assert "| `order` | [Publish](#task-publish) (inactive, weekly) | [GET orders (Shop)]" in pipelines
    assert "c0 ==>|writes| t1" in pipelines and "t1 -.->|reads| c1" in pipelines
    tasks = section(text, "## Background tasks")
    assert "| :05, :20, :35, :50 past each hour from 2025-01-01 |" in tasks
    assert "| Mondays 07:00 from 2025-01-06 |" in tasks


def test_health_lists_idle_untested_and_archived_still_called(shop):
    text = docs(str(shop)).stdout
    assert section(text, "### Functions nothing calls (1)").strip().splitlines()[-1] == \
        "- [Workers/Unused](#function-workers-unused)"
    untested = section(text, "### `Tasks/` and `Workers/` functions without a test endpoint (3)")
    assert [line for line in untested.splitlines() if line.startswith("- ")] == [
        "- [Tasks/Import](#function-tasks-import)", "- [Tasks/Publish](#function-tasks-publish)",
        "- [Workers/Unused](#function-workers-unused)"]
    archived = section(text, "### `Archive/` functions still called (1)")
    assert "- [Archive/Old Publish](#function-archive-old-publish): called by [Tasks/Publish]" in archived
    conformance = section(text, "### FP conformance by folder")
    assert "| Workers/ (FP) | 2 | 1 | 1 | 0 | 1 |" in conformance
    findings = section(text, "### Lint findings")
    assert "| FP001 | error | 1 | Workers/ 1 |" in findings


def test_function_entries(shop):
    text = docs(str(shop)).stdout
    entry = text.split('<a id="function-workers-fetch"></a>\n', 1)[1].split("\n<a id=", 1)[0]
    assert entry.splitlines() == [
        "#### Workers/Fetch", "", "`function/Workers/fetch.xs`", "",
        "- Inputs: `int page` (optional)",
        "- Answers an envelope: yes",
        "- Called by: [Tasks/Import](#function-tasks-import), [GET workers/fetch (Tests)]"
        "(#query-tests-get-workers-fetch)",
        "- Calls: nothing",
        "- Tables: none",
    ]


def test_errors_are_one_line(shop, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = docs(str(shop), "--out", str(tmp_path / "file" / "manual"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"xanoctl: error: cannot write the manual to {tmp_path / 'file' / 'manual'}: ")
    assert len(result.stderr.splitlines()) == 1
    assert docs(str(shop), "--out", str(tmp_path / "file")).exit_code == 2  # a file, not a folder
    result = docs(str(shop), "--now", "tomorrow")
    assert result.exit_code == 2 and "not a timestamp" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_endpoint_without_a_group_is_listed(shop):
    (shop / "api" / "loose_GET.xs").write_text(
        'query loose verb=GET {\n  stack {\n    function.run "Workers/Fetch" as $r\n  }\n  response = $r\n}\n',
        encoding="utf-8")
    text = docs(str(shop)).stdout
    loose = section(text, "### Endpoints without an API group (1)")
    assert ('| <a id="query-get-loose"></a>`GET loose` | none | [Workers/Fetch](#function-workers-fetch) | — |'
            in loose)


def test_check_fails_when_the_manual_is_out_of_date(shop, tmp_path):
    out = str(tmp_path / "manual")
    assert docs(str(shop), "--out", out, "--check").exit_code == 1  # not written yet
    assert docs(str(shop), "--out", out).exit_code == 0
    result = docs(str(shop), "--out", out, "--check")
    assert result.exit_code == 0 and "up to date" in result.stderr
    (shop / "function" / "Workers" / "unused.xs").unlink()
    result = docs(str(shop), "--out", out, "--check")
    assert result.exit_code == 1
    assert "is out of date (README.md, api.md, functions.md, health.md); regenerate it" in result.stderr
    assert (tmp_path / "manual" / "functions.md").read_text(encoding="utf-8").count("Workers/Unused") > 0
    assert docs(str(shop), "--check").exit_code == 2
