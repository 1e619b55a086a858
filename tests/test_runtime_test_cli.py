"""`xanoctl test` end to end through the CLI against the emulator over HTTP: every verdict,
exit codes and JSON for each, the order of results under concurrency, JUnit XML validated
against the Jenkins xUnit plugin's junit-10.xsd, GitHub annotations, selection by name, path,
kind and --changed-since through the call graph."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import xmlschema

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import workflow_test_source  # noqa: E402

JUNIT = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit-10.xsd"))

ADD = '''function "Utils/add" {
  input {
    int a
  }
  stack {
    var $sum {
      value = $input.a + 1
    }
  }
  response = $sum

  test "adds one" {
    input = {a: 5}
    expect.to_equal ($response) {
      value = 6
    }
  }

  test "takes zero" {
    input = {a: 0}
    expect.to_equal ($response) {
      value = 1
    }
  }
}'''

RUN = '''function "Tasks/Run" {
  input {
  }
  stack {
    function.run "Workers/Do" as $result
  }
  response = $result

  test "runs" {
    expect.to_be_defined ($response)
  }
}'''

DO = '''function "Workers/Do" {
  input {
  }
  stack {
    db.add jobs {
      data = {name: "x"}
    } as $job
  }
  response = {success: true, data: $job, error: null, step: "Workers/Do"}
}'''

JOBS = 'table jobs {\n  auth = false\n  schema {\n    int id\n    text name\n  }\n}'

FLOW = '''workflow_test "checkout flow" {
  stack {
    function.call "Utils/add" {
      input = {a: 1}
    } as $sum
    expect.to_equal ($sum) {
      value = 2
    }
  }
}'''


def build(tmp_path, *, tests: bool = True):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    emu.add("table", "jobs", JOBS)
    emu.add("function", "Workers/Do", DO)
    if tests:
        emu.add("function", "Utils/add", ADD)
        emu.add("function", "Tasks/Run", RUN)
        emu.add("workflow_test", "checkout flow", FLOW)
    shop = open_shop(emu, tmp_path)
    shop.cli("pull")
    shop.commit_all("pull")
    return shop


@pytest.fixture
def shop(tmp_path):
    built = build(tmp_path)
    yield built
    built.emu.stop()


def run_json(shop, *args, code):
    return json.loads(shop.cli("test", "--format", "json", *args, code=code).output)


def test_every_test_passes(shop):
    report = run_json(shop, code=0)
    assert report == {"passed": 4, "failed": 0, "results": [
        {"name": "adds one", "obj_type": "function", "obj_name": "Utils/add", "status": "pass", "message": None,
         "timing": 0.001, "kind": "unit", "path": "workspace/function/Utils/add.xs", "line": 12},
        {"name": "takes zero", "obj_type": "function", "obj_name": "Utils/add", "status": "pass", "message": None,
         "timing": 0.001, "kind": "unit", "path": "workspace/function/Utils/add.xs", "line": 19},
        {"name": "runs", "obj_type": "function", "obj_name": "Tasks/Run", "status": "pass", "message": None,
         "timing": 0.001, "kind": "unit", "path": "workspace/function/Tasks/Run.xs", "line": 9},
        {"name": "checkout flow", "obj_type": "workflow_test", "obj_name": "checkout flow", "status": "pass",
         "message": None, "timing": 0.001, "kind": "workflow", "path": "workspace/workflow_test/checkout flow.xs",
         "line": 1}]}
    text = shop.cli("test", code=0).output
    assert text.splitlines()[0] == "PASS  adds one [function: Utils/add] (0.001s)  workspace/function/Utils/add.xs:12"
    assert text.rstrip().endswith("Results: 4 passed, 0 failed")


def test_a_failing_test_fails_the_run_with_its_message_at_its_line(shop):
    shop.emu.script(kind="unit_test", object="Utils/add", name="takes zero",
                    outcome={"status": "exception", "message": "expected 1, got 0", "timing": 0.02})
    shop.emu.script(kind="workflow_test", name="checkout flow", outcome={"status": "exception", "message": "step 2"})
    report = run_json(shop, code=1)
    assert (report["passed"], report["failed"]) == (2, 2)
    failed = {r["name"]: (r["message"], r["path"], r["line"], r["timing"]) for r in report["results"]
              if r["status"] == "fail"}
    assert failed == {"takes zero": ("expected 1, got 0", "workspace/function/Utils/add.xs", 19, 0.02),
                      "checkout flow": ("step 2", "workspace/workflow_test/checkout flow.xs", 1, 0.001)}
    text = shop.cli("test", code=1).output
    assert "FAIL  takes zero [function: Utils/add] (0.020s)  workspace/function/Utils/add.xs:19\n" \
           "      Error: expected 1, got 0\n" in text
    github = shop.cli("test", "--format", "github", code=1).output.splitlines()
    assert github == [
        "::error file=workspace/function/Utils/add.xs,line=19,title=xanoctl test%3A takes zero::expected 1, got 0",
        "::error file=workspace/workflow_test/checkout flow.xs,line=1,title=xanoctl test%3A checkout flow::step 2",
        "Results: 2 passed, 2 failed"]


def test_only_ok_passes_an_answer_without_status_fails(shop):
    shop.emu.script(kind="unit_test", object="Tasks/Run", name="runs", outcome={"status": "none"})
    report = run_json(shop, "runs", code=1)
    assert [(r["status"], r["message"]) for r in report["results"]] == [("fail", "the answer has no status")]


def test_an_api_error_while_running_one_test_is_that_tests_failure(shop):
    shop.emu.script(kind="unit_test", object="Utils/add", name="adds one",
                    outcome={"http_status": 500, "message": "An unexpected error occurred."})
    report = run_json(shop, code=1)
    assert [(r["name"], r["status"]) for r in report["results"]] == [
        ("adds one", "fail"), ("takes zero", "pass"), ("runs", "pass"), ("checkout flow", "pass")]
    assert report["results"][0]["message"] == ('API error 500: {"code":"ERROR_FATAL","message":'
                                               '"An unexpected error occurred."}')
    assert report["results"][0]["timing"] is None


def test_an_empty_suite_passes(tmp_path):
    shop = build(tmp_path, tests=False)
    try:
        assert run_json(shop, code=0) == {"passed": 0, "failed": 0, "results": []}
        assert shop.cli("test", code=0).output == "No tests found\n"
        junit = shop.cli("test", "--format", "junit", code=0).output
        JUNIT.validate(junit)
    finally:
        shop.emu.stop()


def test_an_unreachable_server_and_a_bad_token_cannot_run_the_tests(shop):
    shop.env["XANO_TOKEN"] = "not-the-token"
    bad = shop.cli("test", "--format", "json", code=2)
    assert bad.output.startswith("xanoctl: error: cannot list the tests: Xano refused the token (401")
    assert len(bad.output.strip().splitlines()) == 1
    shop.env["XANO_TOKEN"] = TOKEN
    port = shop.emu.port
    shop.emu.stop()
    gone = shop.cli("test", "--format", "json", code=2, attempts=1)
    assert gone.output.startswith(f"xanoctl: error: cannot list the tests: cannot reach http://127.0.0.1:{port}")
    assert len(gone.output.strip().splitlines()) == 1


def test_results_keep_the_listed_order_under_concurrency(shop):
    # the first test answers last: it is still printed first
    shop.emu.script(kind="unit_test", object="Utils/add", name="adds one", outcome={"delay": 0.3})
    sequential = shop.cli("test", code=0).output
    concurrent = shop.cli("test", "--concurrency", "4", code=0).output
    assert concurrent == sequential
    assert [line.split()[1] for line in concurrent.splitlines()[:4]] == ["adds", "takes", "runs", "checkout"]
    log = [line for line in shop.emu.request_log() if line.endswith("/run")]
    assert len(log) == 8


def test_junit_is_valid_against_the_schema_and_carries_failures(shop):
    shop.emu.script(kind="unit_test", object="Utils/add", name="takes zero",
                    outcome={"status": "exception", "message": 'expected <1> & "one"'})
    junit = shop.cli("test", "--format", "junit", code=1).output
    JUNIT.validate(junit)
    data = JUNIT.to_dict(junit)
    assert (data["@tests"], data["@failures"]) == ("4", "1")
    suites = {suite["@name"]: suite for suite in data["testsuite"]}
    assert sorted(suites) == ["unit tests", "workflow tests"]
    failing = [case for case in suites["unit tests"]["testcase"] if "failure" in case]
    assert failing[0]["@name"] == "takes zero" and failing[0]["@classname"] == "function.Utils/add"
    assert failing[0]["failure"][0]["$"] == 'workspace/function/Utils/add.xs:19: expected <1> & "one"'


def test_select_by_name_path_kind(shop):
    names = lambda *args: [r["name"] for r in run_json(shop, *args, code=0)["results"]]  # noqa: E731
    assert names("Utils/add") == ["adds one", "takes zero"]
    assert names("takes*") == ["takes zero"]
    assert names("workspace/function/Tasks") == ["runs"]
    assert names("--workflow") == ["checkout flow"]
    assert names("--unit", "--obj-type", "function") == ["adds one", "takes zero", "runs"]
    assert names("--obj-type", "query") == []
    unknown = shop.cli("test", "Utils/ad", code=2)
    assert "no test, object or path 'Utils/ad'" in unknown.output and "did you mean 'Utils/add'" in unknown.output


def test_changed_since_selects_through_the_call_graph(shop):
    names = lambda: [r["name"] for r in run_json(shop, "--changed-since", "HEAD", code=0)["results"]]  # noqa: E731
    assert names() == []
    # a callee two steps away: the test of its caller runs, not the others
    shop.write("function/Workers/Do.xs", shop.read("function/Workers/Do.xs").replace('name: "x"', 'name: "y"'))
    assert names() == ["runs"]
    shop.commit_all("edit the worker")
    # a table the worker writes
    shop.write("table/jobs.xs", shop.read("table/jobs.xs").replace("text name", "text name\n    text note?"))
    assert names() == ["runs"]
    shop.commit_all("edit the table")
    # the function itself: its unit tests and the workflow test that calls it
    shop.write("function/Utils/add.xs", shop.read("function/Utils/add.xs").replace("+ 1", "+ 2"))
    assert names() == ["adds one", "takes zero", "checkout flow"]
    # a function deleted: the tests that still call its name run
    shop.commit_all("edit add")
    (shop.ws / "function/Workers/Do.xs").unlink()
    assert names() == ["runs"]
    assert "unknown git revision" in shop.cli("test", "--changed-since", "nope", code=2).output


def test_a_branch_runs_that_branchs_tests(shop):
    def change(state):
        store = state.store
        store.create_branch(shop.emu.workspace_id, "dev", None)
    shop.emu.mutate(change)
    dev_flow = next(o for o in shop.emu.state.store.branch(shop.emu.workspace_id, "dev").objects["workflow_test"].values())
    shop.emu.mutate(lambda state: dev_flow.outcomes.update(run={"status": "exception", "message": "on dev"}))
    report = run_json(shop, "--branch", "dev", "--workflow", code=1)
    assert [(r["name"], r["message"]) for r in report["results"]] == [("checkout flow", "on dev")]
    assert run_json(shop, "--workflow", code=0)["passed"] == 1
    assert any(line.startswith("GET /api:meta/workspace/1/workflow_test") for line in shop.emu.request_log())
