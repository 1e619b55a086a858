"""`xanoctl smoke` end to end through the CLI against the emulator's public API: every verdict,
the fixture checks (no request sent: the emulator's request log proves it), inputs in the query
string or a JSON body, path parameters, tokens, 429 retries, timeouts, order under concurrency,
branches, JUnit XML against junit-10.xsd, exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import xmlschema

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import function_source, group_source  # noqa: E402

JUNIT = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit-10.xsd"))


def endpoint(path: str, verb: str, inputs: str, stack: str, response: str, extra: str = "") -> str:
    return (f'query "{path}" verb={verb} {{\n{extra}  input {{\n{inputs}  }}\n  stack {{\n{stack}  }}\n'
            f"  response = {response}\n}}")


SYNC = endpoint("tasks/sync-people", "POST", "    int ad_user_id\n",
                '    function.run "Tasks/Sync People" {\n      input = {ad_user_id: $input.ad_user_id}\n'
                "    } as $result\n", "$result")
HEALTH = endpoint("health", "GET", "", "", '{success: true, data: null, error: null, step: "health"}')
USER = endpoint("users/{id}", "GET", "    int id\n    text fields?\n", "", "$id", extra='  auth = "user"\n')
LIST = endpoint("things", "GET", "    text q\n", "", '["a"]')

FIXTURES = """token_env: SMOKE_TOKEN
Tests:
  "POST tasks/sync-people":
    input: {ad_user_id: 7}
  "GET health": {}
  "GET users/{id}":
    input: {id: 7, fields: "name"}
  "GET things":
    input: {q: "x"}
"""


@pytest.fixture
def shop(tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    emu.add("function", "Tasks/Sync People", function_source("Tasks/Sync People"))
    emu.add("api_group", "Tests", group_source("Tests"), fields={"canonical": "abc123"})
    for path, verb, source in (("tasks/sync-people", "POST", SYNC), ("health", "GET", HEALTH),
                               ("users/{id}", "GET", USER), ("things", "GET", LIST)):
        emu.add("query", path, source, verb=verb, group="Tests")
    built = open_shop(emu, tmp_path)
    built.cli("pull")
    (built.root / "smoke.yaml").write_text(FIXTURES, encoding="utf-8")
    built.env["SMOKE_TOKEN"] = "user-token-123"
    healthy(built)
    yield built
    emu.stop()


def script(shop, path, verb="POST", **outcome):
    shop.emu.script(kind="endpoint", group="Tests", verb=verb, path=path, outcome=outcome)


def healthy(shop):
    script(shop, "tasks/sync-people", body={"success": True, "data": {"people": 3}, "error": None,
                                             "step": "Tasks/Sync People"})


def smoke_json(shop, *args, code):
    return json.loads(shop.cli("smoke", "--format", "json", *args, code=code).stdout)


def verdicts(report):
    return [(r["name"], r["status"], r["message"]) for r in report["results"]]


def test_healthy_endpoints_pass_and_inputs_reach_them(shop):
    report = smoke_json(shop, code=0)
    assert verdicts(report) == [("GET health", "pass", None), ("POST tasks/sync-people", "pass", None),
                                ("GET things", "pass", None), ("GET users/{id}", "pass", None)]
    assert [r["envelope"] for r in report["results"]] == [True, True, False, False]
    assert report["results"][1]["path"] == "workspace/api/Tests/tasks/sync-people_POST.xs"
    public = [line for line in shop.emu.request_log() if not line.startswith("GET /api:meta")]
    # path parameters in the path, GET inputs in the query string (the emulator checks the
    # required ones: a missing one would answer 400), POST inputs in a JSON body
    assert public == ["GET /api:abc123/health", "POST /api:abc123/tasks/sync-people", "GET /api:abc123/things",
                      "GET /api:abc123/users/7"]


@pytest.mark.parametrize("body, message", [
    ({"success": False, "data": None, "error": "No ad_user_id provided", "step": "Workers/FUB - Sync People"},
     'success: false, error: "No ad_user_id provided", step: "Workers/FUB - Sync People"'),
    (None, "answered null, not the envelope: an empty stack, a response never wired, or a function that returns "
           "nothing"),
    ({"people": []}, "no `success` key: not the envelope (keys: people)"),
    ({"code": "ERROR_CODE_BAD_REQUEST", "message": "bad"}, "answered an error: ERROR_CODE_BAD_REQUEST: bad"),
    ([1, 2], "answered a list, not the envelope {success, data, error, step}"),
    ({"success": "yes"}, 'success is "yes", not true'),
])
def test_the_envelope_verdict_is_strict(shop, body, message):
    script(shop, "tasks/sync-people", body=body)
    report = smoke_json(shop, "--endpoint", "POST tasks/sync-people", code=1)
    assert verdicts(report) == [("POST tasks/sync-people", "fail", message)]
    github = shop.cli("smoke", "--endpoint", "POST tasks/sync-people", "--format", "github", code=1).output
    assert github.startswith("::error file=workspace/api/Tests/tasks/sync-people_POST.xs,line=1,")


def test_a_non_2xx_status_fails_and_a_fixture_status_is_checked(shop):
    script(shop, "tasks/sync-people", status=500, body={"code": "ERROR_FATAL", "message": "boom"})
    assert verdicts(smoke_json(shop, "--endpoint", "POST tasks/sync-people", code=1)) == [
        ("POST tasks/sync-people", "fail", "HTTP 500: ERROR_FATAL boom")]
    script(shop, "things", verb="GET", status=201, body=["a"])
    assert verdicts(smoke_json(shop, "--endpoint", "GET things", code=0))[0][1] == "pass"
    (shop.root / "smoke.yaml").write_text(FIXTURES.replace('input: {q: "x"}', 'input: {q: "x"}\n    status: 200'))
    assert verdicts(smoke_json(shop, "--endpoint", "GET things", code=1)) == [
        ("GET things", "fail", 'HTTP 201, expected 200: ["a"]')]


def test_disabled_test_endpoints_are_skipped_with_the_setting(shop):
    script(shop, "tasks/sync-people", status=403,
           body={"code": "ERROR_CODE_ACCESS_DENIED", "message": "Test endpoints are disabled (env TEST_ENDPOINTS)"})
    report = smoke_json(shop, code=0)
    assert report["skipped"] == 1 and report["failed"] == 0
    skipped = [r for r in report["results"] if r["status"] == "skip"][0]
    assert "Test endpoints are disabled (env TEST_ENDPOINTS)" in skipped["message"]
    junit = shop.cli("smoke", "--format", "junit", code=0).output
    JUNIT.validate(junit)
    assert "<skipped message=" in junit
    assert "SKIP  POST tasks/sync-people [Tests]" in shop.cli("smoke", code=0).output


def fixture_error(shop, text, *args):
    (shop.root / "smoke.yaml").write_text(text, encoding="utf-8")
    before = len(shop.emu.request_log())
    result = shop.cli("smoke", *args, code=2)
    assert len(shop.emu.request_log()) == before  # nothing was sent
    return result.output


def test_fixture_keys_are_checked_against_declared_inputs_before_anything_is_sent(shop):
    out = fixture_error(shop, FIXTURES.replace("input: {ad_user_id: 7}", "input: {user_id: 7}"))
    assert "nothing was sent" in out
    assert ("smoke.yaml:4: POST tasks/sync-people in 'Tests' does not declare the input 'user_id'; did you mean "
            "'ad_user_id'? (declared: ad_user_id)") in out
    assert "smoke.yaml:3: POST tasks/sync-people in 'Tests' requires the input 'ad_user_id' (int)" in out


def test_every_fixture_mistake_is_a_usage_error(shop):
    assert "no endpoint GET helth in group 'Tests'; did you mean 'GET health'" in fixture_error(
        shop, FIXTURES.replace('"GET health"', '"GET helth"'))
    assert "no API group 'Test' in the pulled workspace; did you mean 'Tests'?" in fixture_error(
        shop, FIXTURES.replace("Tests:", "Test:"))
    assert "unknown key 'inputs'" in fixture_error(shop, FIXTURES.replace("input: {q", "inputs: {q"))
    assert 'an endpoint is written "VERB path"' in fixture_error(shop, FIXTURES.replace('"GET health"', '"health"'))
    assert "GET users/{id} needs a token (auth): set token_env in smoke.yaml" in fixture_error(shop, FIXTURES.replace(
        "token_env: SMOKE_TOKEN\n", ""))
    shop.env.pop("SMOKE_TOKEN")
    assert "the environment variable SMOKE_TOKEN (token_env) is not set" in fixture_error(shop, FIXTURES)


def test_a_required_input_of_an_endpoint_without_fixture_is_a_usage_error(shop):
    out = fixture_error(shop, FIXTURES.replace('  "GET things":\n    input: {q: "x"}\n', ""))
    assert "GET things in 'Tests' requires the input 'q' (text)" in out and "workspace/api/Tests/things_GET.xs:1" in out


def test_selection_by_group_and_endpoint(shop):
    assert [r["name"] for r in smoke_json(shop, "--endpoint", "get /health", code=0)["results"]] == ["GET health"]
    assert "no endpoint 'GET nope'" in shop.cli("smoke", "--endpoint", "GET nope", code=2).output
    assert "no API group 'Other'" in shop.cli("smoke", "--group", "Other", code=2).output
    (shop.root / "smoke.yaml").unlink()
    assert "write a smoke.yaml naming groups, or pass --group" in shop.cli("smoke", code=2).output
    # a group given without fixtures: its endpoints without required inputs can run
    assert [r["name"] for r in smoke_json(shop, "--group", "Tests", "--endpoint", "GET health", code=0)["results"]] \
        == ["GET health"]


def test_429_is_retried_through_the_gate(shop):
    shop.emu.set_faults("429-burst=2")
    report = smoke_json(shop, "--endpoint", "GET health", code=0)
    assert verdicts(report) == [("GET health", "pass", None)]
    assert shop.emu.request_log().count("GET /api:abc123/health") == 3


def test_a_timeout_fails_that_endpoint(shop):
    script(shop, "health", verb="GET", body={"success": True}, delay=2)
    report = smoke_json(shop, "--endpoint", "GET health", "--endpoint", "GET things", "--timeout", "0.2", code=1)
    assert verdicts(report) == [("GET health", "fail", "no answer within 0.2 s"), ("GET things", "pass", None)]


def test_results_keep_the_tree_order_under_concurrency(shop):
    script(shop, "health", verb="GET", body={"success": True}, delay=0.3)
    sequential = shop.cli("smoke", code=0).output.splitlines()
    concurrent = shop.cli("smoke", "--concurrency", "4", code=0).output.splitlines()
    strip = lambda lines: [line.split(" (")[0] for line in lines]  # noqa: E731 - timings differ
    assert strip(concurrent) == strip(sequential)
    assert concurrent[0].startswith("PASS  GET health [Tests]")


def test_a_branch_is_called_on_its_own_base(shop):
    shop.emu.mutate(lambda state: state.store.create_branch(shop.emu.workspace_id, "dev", None))
    report = smoke_json(shop, "--branch", "dev", "--endpoint", "GET health", code=0)
    assert verdicts(report) == [("GET health", "pass", None)]
    assert shop.emu.request_log()[-1] == "GET /api:abc123:dev/health"


def test_an_unreachable_instance_cannot_run(shop):
    shop.emu.stop()
    out = shop.cli("smoke", code=2).output
    assert out.startswith("xanoctl: error: no endpoint answered (no answer (") and len(out.splitlines()) == 1


def test_the_token_never_shows_even_when_an_endpoint_echoes_it(shop):
    script(shop, "users/{id}", verb="GET", status=500, body={"message": "bad token user-token-123"})
    for fmt in ("text", "json", "junit", "github"):
        out = shop.cli("smoke", "--endpoint", "GET users/{id}", "--format", fmt, code=1).output
        assert "user-token-123" not in out and "bad token ***" in out
