"""`xanoctl test` and `xanoctl smoke` speak as every other command (issue 21, docs/cli.md),
through the CLI against the demo workspace in the emulator: a progress line on a terminal for
their remote work (never with JSON, never under -q), -q and -v, the colour conventions, one
error style (a fixture's problems above one error line, mixed flags as a usage error, the
YAML message of xanoctl.yaml), and the paths other commands print. Their JSON is checked in
test_json_output.py, their examples in test_cli_conventions.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import build_demo_shop  # noqa: E402
from test_cli_conventions import ESC, run  # noqa: E402

PHONE = "function/Utils/Text - Normalize Phone.xs"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    shop = build_demo_shop(tmp_path_factory.mktemp("runtime"))
    yield shop
    shop.emu.stop()


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def without_timings(text: str) -> str:
    return re.sub(r"\(\d+\.\d{3}s\)", "(…s)", text)


@pytest.mark.parametrize("command, step", [("test", "running: 5/5 tests"), ("smoke", "calling: 10/10 endpoints")])
def test_their_remote_work_shows_progress_on_a_terminal_only(demo, command, step):
    env = {**demo.env, "COLUMNS": "200"}
    code, out, err = run([command], demo.root, env, tty_err=True)
    assert code == 1 and step in err and err.endswith("\r\x1b[K")  # counted, then cleared
    assert "\r" not in out and "Results: " in out
    for quiet in (["--format", "json"], ["-q"]):
        code, out, err = run([command, *quiet], demo.root, env, tty_err=True)
        assert code == 1 and err == "", quiet
    code, out, err = run([command], demo.root, env)  # stderr a pipe
    assert code == 1 and err == ""


@pytest.mark.parametrize("command, failures", [("test", 2), ("smoke", 2)])
def test_quiet_shows_what_did_not_pass_and_the_summary(demo, command, failures):
    full = demo.cli(command, code=1).stdout
    quiet = demo.cli(command, "-q", code=1)
    assert quiet.stderr == ""
    assert "PASS  " in full and "PASS  " not in quiet.stdout
    assert quiet.stdout.count("FAIL  ") == failures == full.count("FAIL  ")
    assert quiet.stdout.splitlines()[-1] == full.splitlines()[-1]  # the summary counts every result


def test_verbose_tells_each_request_of_both_apis(demo):
    test = demo.cli("test", "-v", code=1).stderr.splitlines()
    runs = [line for line in test if "/run:" in line]
    assert len(runs) == 5 and all(re.fullmatch(r"xanoctl: POST /workspace/\d+/(unit|workflow)_test/\S+/run: 200 "
                                               r"\(\d+ ms\)", line) for line in runs), test
    smoke = demo.cli("smoke", "-v", code=1).stderr.splitlines()
    calls = [line for line in smoke if line.startswith("xanoctl: POST /api:")]
    assert len(calls) == 10 and all(re.fullmatch(r"xanoctl: POST /api:\w+/tasks/[\w-]+: 200 \(\d+ ms\)", line)
                                    for line in calls), smoke


@pytest.mark.parametrize("command", ["test", "smoke"])
def test_colour_follows_the_conventions(demo, command):
    piped = demo.cli(command, code=1).stdout
    assert ESC not in piped  # a pipe: no colour
    forced = demo.cli(command, code=1, env={"FORCE_COLOR": "1"})
    assert "\x1b[32mPASS\x1b[0m" in forced.stdout  # green for what passed
    assert "\x1b[31m\x1b[1mFAIL\x1b[0m" in forced.stdout  # red and bold for what failed
    assert without_timings(plain(forced.stdout)) == without_timings(piped)  # the same text, timings aside
    never = demo.cli(command, "--color", "never", code=1, env={"FORCE_COLOR": "1"})
    assert ESC not in never.stdout


def test_fixture_problems_are_listed_above_one_error_line(demo, tmp_path):
    fixtures = tmp_path / "bad.yaml"
    good = (demo.root / "smoke.yaml").read_text(encoding="utf-8")
    fixtures.write_text(good.replace("input: {ad_user_id: 1}\n", "input: {user_id: 1}\n", 1)
                        .replace('input: {zoom_user_id: "demo"}', "input: {}"), encoding="utf-8")
    result = demo.cli("smoke", "--inputs", str(fixtures), code=2)
    lines = result.stderr.splitlines()
    assert result.stdout == ""
    assert lines[-1] == ("xanoctl: error: the fixtures do not fit the endpoints (3 problems above): nothing was sent; "
                         "fix them and run again")
    assert len(lines) == 4 and all(line.startswith(f"{fixtures}:") for line in lines[:3]), lines
    assert "does not declare the input 'user_id'; did you mean 'ad_user_id'?" in lines[0]


def test_a_fixture_file_speaks_as_xanoctl_yaml(demo, tmp_path):
    fixtures = tmp_path / "bad.yaml"
    fixtures.write_text('Tests:\n  "POST tasks/fub-sync-people":\n    inptu: {ad_user_id: 1}\n', encoding="utf-8")
    result = demo.cli("smoke", "--inputs", str(fixtures), code=2)
    assert result.stderr == (f"xanoctl: error: {fixtures}:3: unknown key 'inptu' in 'POST tasks/fub-sync-people'; "
                             "did you mean 'input'?\n")
    fixtures.write_text("Tests: [1\n", encoding="utf-8")
    result = demo.cli("smoke", "--inputs", str(fixtures), code=2)
    assert re.fullmatch(rf"xanoctl: error: {re.escape(str(fixtures))}:2:1: not valid YAML \(.+\): fix the file\n",
                        result.stderr), result.stderr


def test_mixed_flags_are_a_usage_error_that_points_at_the_help(demo):
    result = demo.cli("test", "--workflow", "--obj-type", "function", code=2)
    assert result.stderr == ("xanoctl: error: --obj-type selects unit tests: it does not go with --workflow "
                             "(see `xanoctl test --help`)\n")


def test_test_takes_the_paths_the_other_commands_print(demo):
    for path in (PHONE, f"workspace/{PHONE}"):  # as status prints it, and as lint does
        result = demo.cli("test", path, "--format", "json", code=1)
        names = [r["name"] for r in json.loads(result.stdout)["results"]]
        assert names == ["a US number gets +1", "a number with its country code keeps it",
                         "a UK number drops its trunk zero", "letters give null"], path
