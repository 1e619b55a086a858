"""`xanoctl lint --fix / --unsafe-fixes / --diff` end to end through the CLI, on a workspace
with a planted bug of every rule that fixes; and the fixes' guarantees (a file is never made
worse, written atomically, left alone when it changed on disk, byte for byte outside the
edited ranges, CRLF kept; suppressions and baselines respected)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.lint.api import lint_paths
from xanoctl.lint.apply_fixes import apply_edits
from xanoctl.lint.fixing import fix
from xanoctl.lint.rules import RULES, fix_of

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER, function, write_workspace  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

TABLE = '''table user {
  schema {
    int id
    email? email
    text? first_name
  }
}
'''

NOTIFY = '''function "Workers/Notify" {
  input {
    int account_id?
  }
  stack {
    var $sent { value = true }
  }
  response = {success: $sent, data: null, error: null}
}
'''

# one file per planted bug; the comment says which rule finds it and how safe its fix is
PLANTED = {
    "table/user.xs": TABLE,
    "function/Workers/Sync People.xs": WORKER,
    "function/Workers/Notify.xs": NOTIFY,
    # ID001 (safe: `ad_user_id` is required and not passed), FP003 (safe)
    "function/Tasks/Sync People.xs": CALLER,
    # XS002 (safe): the older response block, `var x1`, `as model`
    "function/Utils/Legacy.xs": '''function "Utils/Legacy" {
  input {
    int n
  }
  stack {
    var x1 { value = $input.n * 2 }
    db.query user {
      return = {type: "count"}
    } as model
  }
  response {
    value = {x: $x1, m: $model}
  }
}
''',
    # XS900 (safe): a suppression that silences nothing
    "function/Utils/Quiet.xs": function("Utils/Quiet", "int n", "// xanoctl: ignore[FP003] read from the envelope\n"
                                        "var $double { value = $input.n * 2 }", "$double"),
    # FL001 (unsafe)
    "function/Utils/Parse Id.xs": function("Utils/Parse Id", "text raw", "var $id { value = $input.raw|to_integer }",
                                           "$id"),
    # VR001 (unsafe)
    "function/Utils/Count.xs": function("Utils/Count", "int n", "var $people_count { value = $input.n }",
                                        "$people_cnt"),
    # VR002 (unsafe)
    "function/Utils/Limit.xs": function("Utils/Limit", "int n", "var $limit { value = 100 }\nvar $m { value = $input.n }",
                                        "$m"),
    # IN001 (unsafe)
    "function/Utils/Echo.xs": function("Utils/Echo", "int ad_user_id", "", "$input.ad_user"),
    # DB001 (unsafe), TY001 (unsafe: a text id into the int column)
    "function/Users/Find.xs": function("Users/Find", "text user_id", 'db.get users {\n  field_name = "id"\n'
                                       "  field_value = $input.user_id\n} as $found\ndb.get user {\n"
                                       '  field_name = "id"\n  field_value = $input.user_id\n} as $user', "$user"),
    # DB002 (unsafe)
    "function/Users/Rename.xs": function("Users/Rename", "int user_id\ntext name",
                                         'db.edit user {\n  field_name = "id"\n  field_value = $input.user_id\n'
                                         "  data = {firstname: $input.name}\n} as $user", "$user"),
    # XR001 (unsafe)
    "function/Tasks/Notify.xs": function("Tasks/Notify", "", 'function.run "Workers/Notfy" as $r',
                                         "{success: true, data: $r, error: null}"),
    # ID001 (unsafe: `account_id` is optional)
    "function/Tasks/Notify All.xs": function("Tasks/Notify All", "",
                                             'function.run "Workers/Notify" {\n  input = {account: 1}\n} as $n',
                                             "{success: true, data: $n, error: null}"),
    # FL002 (unsafe)
    "function/Utils/Is Local.xs": function("Utils/Is Local", "text phone",
                                           'var $local { value = $input.phone|starts_with:"+" == false }', "$local"),
    # XS003 (unsafe)
    "function/Utils/Count Users.xs": function("Utils/Count Users", "",
                                              'db.rawQuery user {\n  return = {type: "count"}\n} as $count', "$count"),
    # DB003 (unsafe)
    "table/job.xs": 'table job {\n  schema {\n    int id\n    enum status?=New {\n'
                    '      values = ["New", "Started", "Complete"]\n    }\n  }\n}\n',
    "function/Jobs/Start.xs": function("Jobs/Start", "int job_id", 'db.edit job {\n  field_name = "id"\n'
                                       '  field_value = $input.job_id\n  data = {status: "Startd"}\n} as $job', "$job"),
    # CF002 (unsafe), FP004 (unsafe)
    "function/Tasks/Check.xs": function("Tasks/Check", "int ad_user_id",
                                        'function.run "Workers/Sync People" {\n  input = {ad_user_id: $input.ad_user_id}\n'
                                        "} as $r\nreturn {\n  value = {success: $r.success ?? true, data: null, "
                                        "error: null}\n}\ndebug.log {\n  value = $r\n}",
                                        "{success: true, data: null, error: null}"),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "workspace"
    write_workspace(root, PLANTED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def invoke(*args, cache: bool = False):
    return CliRunner().invoke(main, ["lint", *args, *([] if cache else ["--no-cache"])])


def snapshot_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.xs"))}


def findings(result) -> list[tuple[str, str, str]]:
    return sorted((f.path, f.code, f.message) for f in result.findings)


def test_every_rule_that_fixes_has_a_planted_bug(project):
    result = lint_paths(["workspace"], use_cache=False)
    fixing = {code for code, rule in RULES.items() if fix_of(rule)}
    planted = {f.code for f in result.findings if f.fix is not None}
    assert planted == fixing
    kinds = {(f.code, f.fix.applicability) for f in result.findings if f.fix is not None}
    assert {("ID001", "safe"), ("ID001", "unsafe"), ("FP003", "safe"), ("XS002", "safe"), ("XS900", "safe")} <= kinds
    assert all(f.fix.applicability in ("safe", "unsafe") and f.fix.title and f.fix.edits
               for f in result.findings if f.fix is not None)


def test_fix_applies_exactly_the_safe_fixes_and_changes_only_their_ranges(project):
    before = lint_paths(["workspace"], use_cache=False)
    originals = snapshot_files(project)
    safe = [f for f in before.findings if f.fix is not None and f.fix.safe]
    result = invoke("workspace", "--fix")
    assert result.exit_code == 1  # errors remain (the unsafe ones)
    after = lint_paths(["workspace"], use_cache=False)
    assert findings(after) == sorted(set(findings(before)) - {(f.path, f.code, f.message) for f in safe})
    assert f"Fixed {len(safe)} findings (" in result.stderr
    more = sum(1 for f in after.findings if f.fix is not None)
    assert result.stderr.strip().endswith(f"remaining, {more} more fixable with --unsafe-fixes).")
    # each file is its original with the safe fixes' edits applied, and nothing else
    for name, data in snapshot_files(project).items():
        edits = [edit for f in safe if f.path == name for edit in f.fix.edits]
        assert data.decode() == apply_edits(originals[name].decode(), edits), name
    assert any(data != originals[name] for name, data in snapshot_files(project).items())


def test_a_second_fix_changes_nothing(project):
    assert invoke("workspace", "--fix").exit_code == 1
    files = snapshot_files(project)
    stamps = {path: path.stat().st_mtime_ns for path in project.rglob("*.xs")}
    again = invoke("workspace", "--fix")
    assert "Fixed 0 findings" in again.stderr
    assert snapshot_files(project) == files
    assert {path: path.stat().st_mtime_ns for path in project.rglob("*.xs")} == stamps


def test_unsafe_fixes_fix_the_rest(project):
    result = invoke("workspace", "--unsafe-fixes")
    after = lint_paths(["workspace"], use_cache=False)
    assert [(f.path, f.code) for f in after.findings if f.fix is not None] == []
    assert result.exit_code == after.exit_code
    assert "more fixable" not in result.stderr
    assert "left as it was" not in result.stderr
    fixed = snapshot_files(project)
    assert 'db.get user {' in fixed["workspace/function/Users/Find.xs"].decode()
    assert "$input.user_id|to_int" in fixed["workspace/function/Users/Find.xs"].decode()
    assert "debug.log" not in fixed["workspace/function/Tasks/Check.xs"].decode()
    assert "?? false" in fixed["workspace/function/Tasks/Check.xs"].decode()
    assert "var $limit" not in fixed["workspace/function/Utils/Limit.xs"].decode()


def test_diff_writes_nothing_and_exits_1(project, snapshot):
    files = snapshot_files(project)
    result = invoke("workspace", "--diff")
    assert result.exit_code == 1
    assert snapshot_files(project) == files
    assert result.stdout == snapshot
    assert result.stderr.startswith("Would fix ")
    unsafe = invoke("workspace", "--diff", "--unsafe-fixes")
    assert unsafe.exit_code == 1 and len(unsafe.stdout) > len(result.stdout)
    assert snapshot_files(project) == files
    assert invoke("workspace", "--diff", "-o", "fix.diff").exit_code == 1
    assert (project / "fix.diff").read_text(encoding="utf-8") == result.stdout
    invoke("workspace", "--unsafe-fixes")
    clean = invoke("workspace", "--diff", "--unsafe-fixes")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_diff_applies_as_a_patch(project):
    if shutil.which("git") is None:
        pytest.skip("no git")
    patch = invoke("workspace", "--diff").stdout
    (project / "fix.patch").write_text(patch, encoding="utf-8")
    subprocess.run(["git", "apply", "fix.patch"], cwd=project, check=True, capture_output=True)
    fixed = snapshot_files(project)
    for path in project.rglob("*.xs"):
        path.write_bytes(fixed[str(path.relative_to(project))])
    invoke("workspace", "--fix")
    assert snapshot_files(project) == fixed  # the patch did what --fix does


def test_a_fix_that_would_break_the_parse_is_refused(project):
    legacy = project / "workspace/function/Utils/Guard.xs"
    text = function("Utils/Guard", "int a", "var $x1 { value = $input.a }\nprecondition if (`typeof $x1`) {\n"
                    '  error = "no total"\n}', "$x1")
    legacy.write_text(text, encoding="utf-8")
    assert lint_paths([legacy], use_cache=False).findings[0].fix.safe
    result = invoke("workspace", "--fix")
    assert "workspace/function/Utils/Guard.xs: left as it was: the fixed text does not parse (line 7" \
        in result.stderr
    assert legacy.read_text(encoding="utf-8") == text
    assert "Fixed " in result.stderr


def test_a_fix_that_brings_a_new_finding_is_refused_unless_that_one_is_fixed_too(project):
    caller = project / "workspace/function/Tasks/Sync People.xs"
    text = CALLER.replace("{user_id: $input.ad_user_id}", "{user_id: $input.name}").replace(
        "int ad_user_id", "text name")
    caller.write_text(text, encoding="utf-8")
    result = invoke("workspace", "--fix")
    assert "workspace/function/Tasks/Sync People.xs: left as it was: the fix would bring TY001" in result.stderr
    assert caller.read_text(encoding="utf-8") == text  # the FP003 fix of that file is left too
    invoke("workspace", "--unsafe-fixes")
    fixed = caller.read_text(encoding="utf-8")
    assert "{ad_user_id: $input.name|to_int}" in fixed and "$result.data.people" in fixed


def test_crlf_and_encoding_are_kept(project):
    path = project / "workspace/function/Utils/Legacy.xs"
    original = ("\ufeff" + PLANTED["function/Utils/Legacy.xs"].replace("Legacy", "Légacy ✓")).replace("\n", "\r\n")
    path.write_bytes(original.encode("utf-8"))
    invoke("workspace", "--fix")
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())
    assert data.count(b"\r\n") == data.count(b"\n") and b"response = {x: $x1, m: $model}\r\n" in data
    assert "Légacy ✓".encode() in data and b"var $x1" in data and b"as $model" in data


def test_suppressed_and_baselined_findings_are_left_alone(project):
    caller = project / "workspace/function/Tasks/Sync People.xs"
    caller.write_text(CALLER.replace("    var $count", "    // xanoctl: ignore[FP003] on purpose\n    var $count"),
                      encoding="utf-8")
    assert invoke("workspace", "--write-baseline", "base.json").exit_code == 0
    legacy = project / "workspace/function/Utils/Legacy.xs"
    legacy_text = legacy.read_text(encoding="utf-8")
    quiet = project / "workspace/function/Utils/Quiet.xs"
    quiet.write_text(quiet.read_text(encoding="utf-8").replace("int n", "int n\n    int m"), encoding="utf-8")
    result = invoke("workspace", "--fix", "--baseline", "base.json")
    assert "$result.people" in caller.read_text(encoding="utf-8")  # suppressed
    assert "user_id:" in caller.read_text(encoding="utf-8")  # in the baseline
    assert legacy.read_text(encoding="utf-8") == legacy_text  # in the baseline
    assert "Fixed 0 findings" in result.stderr


def test_a_file_changed_on_disk_while_fixing_is_not_overwritten(project):
    target = project / "workspace/function/Tasks/Sync People.xs"
    calls = []

    def lint(texts):
        found = lint_paths(["workspace"], texts=texts, use_cache=False)
        calls.append(texts)
        if len(calls) == 2:  # someone saves the file while the fixes are checked
            target.write_text(CALLER + "\n", encoding="utf-8")
        return found

    run = fix(lint)
    assert target.read_text(encoding="utf-8") == CALLER + "\n"
    assert [left.reason for left in run.left if left.path.endswith("Tasks/Sync People.xs")] == \
        ["it changed on disk while fixing; run the fix again"]
    assert "response = {x: $x1, m: $model}" in (project / "workspace/function/Utils/Legacy.xs").read_text()


def test_permissions_and_symbolic_links_are_kept(project):
    real = project / "elsewhere.xs"
    real.write_text(CALLER, encoding="utf-8")
    link = project / "workspace/function/Tasks/Sync People.xs"
    link.unlink()
    link.symlink_to(real)
    legacy = project / "workspace/function/Utils/Legacy.xs"
    legacy.chmod(0o640)
    invoke("workspace", "--fix")
    assert link.is_symlink() and "$result.data.people" in real.read_text(encoding="utf-8")
    assert legacy.stat().st_mode & 0o777 == 0o640
    assert not [path for path in project.rglob("*.tmp")]


def test_fix_with_paths_and_changed_since(project):
    if shutil.which("git") is None:
        pytest.skip("no git")
    invoke("workspace/function/Utils/Legacy.xs", "--fix")
    assert "response = {x" in (project / "workspace/function/Utils/Legacy.xs").read_text()
    assert "$result.people" in (project / "workspace/function/Tasks/Sync People.xs").read_text()
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
    quiet = project / "workspace/function/Utils/Quiet.xs"
    quiet.write_text(quiet.read_text().replace("$input.n * 2", "$input.n * 3"), encoding="utf-8")
    result = invoke("workspace", "--fix", "--changed-since", "HEAD")
    assert "Fixed 1 finding (0 remaining)." in result.stderr
    assert "xanoctl: ignore" not in quiet.read_text()
    assert "$result.people" in (project / "workspace/function/Tasks/Sync People.xs").read_text()


def test_fix_with_the_cache_then_lint_sees_the_fixed_files(project):
    assert invoke("workspace", cache=True).exit_code == 1
    invoke("workspace", "--unsafe-fixes", cache=True)
    warm = invoke("workspace", "--format", "json", cache=True)
    cold = invoke("workspace", "--format", "json")
    assert json.loads(warm.stdout) == json.loads(cold.stdout)
    assert all(not item["fixes"] for item in json.loads(warm.stdout)["findings"])


def test_json_report_after_fix_stays_json(project):
    result = invoke("workspace", "--fix", "--format", "json")
    data = json.loads(result.stdout)
    assert all(item["code"] != "FP003" for item in data["findings"])
    unsafe = [item for item in data["findings"] if item["fixes"]]
    assert unsafe and all(item["fixes"][0]["applicability"] == "unsafe" for item in unsafe)
    assert result.stderr.startswith("Fixed ")


def test_text_report_marks_what_fix_fixes(project):
    result = invoke("workspace")
    lines = result.stdout.splitlines()
    assert any(line.startswith("workspace/function/Tasks/Sync People.xs:9:26: FP003 [*] error:") for line in lines)
    assert any(": FL001 error:" in line for line in lines)  # unsafe: no mark
    safe = sum(1 for line in lines if " [*] " in line)
    assert lines[-1].startswith(f"[*] {safe} fixable with --fix (") and lines[-1].endswith("more with --unsafe-fixes).")


def test_fix_cannot_write_a_baseline(project):
    result = invoke("workspace", "--fix", "--write-baseline", "b.json")
    assert result.exit_code == 2 and "--write-baseline" in result.output


def test_the_fixing_pre_commit_hook(project):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "xanoctl-lint-fix")
    assert hook["files"] == next(h for h in hooks if h["id"] == "xanoctl-lint")["files"]
    entry = hook["entry"].split()
    assert entry[:2] == ["xanoctl", "lint"] and "--fix" in entry
    staged = "workspace/function/Utils/Legacy.xs"
    result = CliRunner().invoke(main, [*entry[1:], staged])
    assert result.exit_code == 0 and "Fixed 3 findings (0 remaining)." in result.stderr
    assert "response = {x" in (project / staged).read_text()


def test_rules_say_how_a_rule_fixes():
    runner = CliRunner()
    assert "Fix (safe, applied by --fix): reads the field inside data" in runner.invoke(main, ["rules", "FP003"]).output
    assert "Fix (unsafe, applied by --unsafe-fixes)" in runner.invoke(main, ["rules", "FL001"]).output
    assert "No automatic fix." in runner.invoke(main, ["rules", "SC001"]).output
    catalogue = json.loads(runner.invoke(main, ["rules", "--json"]).output)
    fixes = {rule["code"]: rule["fix"] and rule["fix"]["applicability"] for rule in catalogue}
    assert fixes["ID001"] == "safe/unsafe" and fixes["XS900"] == "safe" and fixes["RT001"] is None


@pytest.mark.parametrize("code", sorted(code for code, rule in RULES.items() if fix_of(rule)))
def test_the_bad_example_of_every_rule_that_fixes_is_fixed(tmp_path, monkeypatch, code):
    """The rule's own bad example, fixed with --unsafe-fixes: its finding is gone, nothing new."""
    from xanoctl.lint.rules import examples

    monkeypatch.chdir(tmp_path)
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")
    example = tmp_path / "example.xs"
    example.write_text(examples(RULES[code])["bad"], encoding="utf-8")
    before = lint_paths([tmp_path], use_cache=False)
    assert any(f.code == code and f.fix is not None for f in before.findings)
    result = CliRunner().invoke(main, ["lint", ".", "--unsafe-fixes", "--no-cache"])
    assert "left as it was" not in result.stderr
    after = lint_paths([tmp_path], use_cache=False)
    assert code not in [f.code for f in after.findings]
    assert len(after.findings) < len(before.findings)


def test_fixes_of_a_finding_are_masked_never_written_with_a_credential(project):
    path = project / "workspace/function/Utils/Token.xs"
    token = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    path.write_text(function("Utils/Token", "", f'var $key {{ value = "{token}" }}\nvar $k {{ value = $key }}',
                             "$k"), encoding="utf-8")
    result = lint_paths([path], use_cache=False)
    assert any(f.code == "SEC001" for f in result.findings)
    assert all(token not in json.dumps(f.as_dict()) for f in result.findings)


def test_xs900_removes_only_the_idle_code(project):
    path = project / "workspace/function/Tasks/Sync People.xs"
    path.write_text(CALLER.replace("    var $count", "    // xanoctl: ignore[FP003, ID001] both\n    var $count"),
                    encoding="utf-8")
    invoke("workspace", "--fix")
    text = path.read_text(encoding="utf-8")
    assert "// xanoctl: ignore[FP003] both" in text and "$result.people" in text


# ---------------------------------------------------------------------------- the pure applier


def test_apply_edits_in_any_order_identical_ones_once():
    from xanoctl.lint.fixes import Edit

    text = "var $a { value = $r.people }\nvar b\n"
    edits = [Edit(2, 5, 2, 5, "$"), Edit(1, 18, 1, 27, "$r.data.people"), Edit(2, 5, 2, 5, "$")]
    assert apply_edits(text, edits) == "var $a { value = $r.data.people }\nvar $b\n"


def test_apply_edits_refuses_overlaps():
    from xanoctl.lint.apply_fixes import OverlapError
    from xanoctl.lint.fixes import Edit

    with pytest.raises(OverlapError):
        apply_edits("abcdef", [Edit(1, 1, 1, 4, "x"), Edit(1, 3, 1, 5, "y")])
    with pytest.raises(OverlapError):  # two insertions at one place: which goes first is unknown
        apply_edits("abcdef", [Edit(1, 2, 1, 2, "x"), Edit(1, 2, 1, 2, "y")])
    assert apply_edits("abcdef", [Edit(1, 1, 1, 3, "x"), Edit(1, 3, 1, 5, "y")]) == "xyef"  # touching


def test_whole_lines_crlf_and_the_end_of_the_text():
    from xanoctl.lint.fixes import Edit

    text = "a\r\n// gone\r\nb"
    assert apply_edits(text, [Edit(2, 1, 3, 1, "")]) == "a\r\nb"
    assert apply_edits(text, [Edit(3, 1, 4, 1, "")]) == "a\r\n// gone\r\n"  # a line past the last: the end
    assert apply_edits(text, [Edit(1, 2, 1, 2, "\nz")]) == "a\r\nz\r\n// gone\r\nb"  # new lines as the text's
    assert apply_edits(text, [Edit(1, 1, 1, 99, "x")]) == "x\r\n// gone\r\nb"  # a column past the end: the end


def test_a_byte_order_mark_is_no_column():
    from xanoctl.lint.fixes import Edit

    assert apply_edits("\ufeffab", [Edit(1, 1, 1, 2, "X")]) == "\ufeffXb"


def test_choose_leaves_overlapping_fixes_for_the_next_pass_and_shares_identical_edits():
    from xanoctl.lint.apply_fixes import choose
    from xanoctl.lint.fixes import Edit, Fix

    one = Fix("one", "safe", (Edit(1, 1, 1, 5, "x"),))
    same = Fix("same", "safe", (Edit(1, 1, 1, 5, "x"),))
    clash = Fix("clash", "safe", (Edit(1, 3, 1, 8, "y"),))
    other_file = Fix("other", "safe", (Edit(1, 3, 1, 8, "y", path="/b.xs"),))
    both = Fix("both", "safe", (Edit(2, 1, 2, 2, "z"), Edit(1, 4, 1, 4, "w")))
    taken, left = choose([(1, one, "/a.xs"), (2, same, "/a.xs"), (3, clash, "/a.xs"), (4, other_file, "/a.xs"),
                          (5, both, "/a.xs")])
    assert taken == [1, 2, 4] and left == [3, 5]


def test_map_back_and_editor_positions():
    from xanoctl.lint.apply_fixes import changes, map_back, utf16_position
    from xanoctl.lint.fixes import Edit

    text = "$r.people + $r.x"
    found = changes(text, [Edit(1, 1, 1, 10, "$r.data.people")])
    assert map_back(found, 20) == 15 and map_back(found, 3) == 0 and map_back(found, 14, end=True) == 9
    assert utf16_position(["a😀b = $x"], 1, 4) == (0, 4)  # the emoji is two UTF-16 units
    assert utf16_position(["x"], 2, 1) == (1, 0)


def test_sarif_fixes_are_valid(project):
    from jsonschema import Draft4Validator, FormatChecker

    from test_lint_cli import official_schema

    log = json.loads(invoke("workspace", "--format", "sarif").stdout)
    errors = list(Draft4Validator(official_schema(), format_checker=FormatChecker()).iter_errors(log))
    assert [error.message for error in errors] == []
    fixes = [result["fixes"][0] for result in log["runs"][0]["results"] if "fixes" in result]
    assert {fix["properties"]["applicability"] for fix in fixes} == {"safe", "unsafe"}
    removal = next(fix for fix in fixes if fix["description"]["text"] == "Remove the unused `var $limit`")
    [change] = removal["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "workspace/function/Utils/Limit.xs"
    assert change["replacements"] == [{"deletedRegion": {"startLine": 6, "startColumn": 1, "endLine": 7,
                                                         "endColumn": 1}, "insertedContent": {"text": ""}}]


def test_the_demo_workspace_is_fixed_by_one_command(tmp_path, monkeypatch):
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    monkeypatch.chdir(tmp_path)
    before = lint_paths(["workspace"], use_cache=False)
    result = invoke("workspace", "--fix")
    after = lint_paths(["workspace"], use_cache=False)
    assert [f for f in after.findings if f.fix is not None and f.fix.safe] == []
    assert {f.code for f in before.findings} - {f.code for f in after.findings} == {"FP003", "XS002"}
    assert "left as it was" not in result.stderr
    result = invoke("workspace", "--unsafe-fixes")
    assert "left as it was" not in result.stderr
    assert [f.code for f in lint_paths(["workspace"], use_cache=False).findings if f.fix is not None] == []
