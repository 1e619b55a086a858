"""The engine around the rules: configuration, inline suppression, baselines, the cache,
--changed-since and parallel parsing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import git
import pytest

from xanoctl.errors import UsageError
from xanoctl.lint.api import build_index, lint_paths
from xanoctl.lint.config import load_config, parse_section
from xanoctl.lint.formats.text import summary

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER  # noqa: E402

TASK = '''task "Nightly" {
  active = true
  stack {
    debug.log { value = now }
  }
}
'''


def workspace(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "workspace"
    files = files or {"function/Workers/sync.xs": WORKER, "function/Tasks/sync.xs": CALLER, "task/nightly.xs": TASK}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return root


def codes(result):
    return sorted(finding.code for finding in result.findings)


# ---------------------------------------------------------------------------- configuration


def test_defaults_report_every_rule(tmp_path):
    assert codes(lint_paths([workspace(tmp_path)], use_cache=False)) == ["FP003", "ID001", "SC001"]


def test_select_and_ignore_take_codes_and_prefixes(tmp_path):
    root = workspace(tmp_path)
    assert codes(lint_paths([root], select="FP,ID", use_cache=False)) == ["FP003", "ID001"]
    assert codes(lint_paths([root], ignore=["SC001", "FP"], use_cache=False)) == ["ID001"]
    config = parse_section({"select": ["ID001", "SC"], "ignore": ["SC001"]})
    assert codes(lint_paths([root], config, use_cache=False)) == ["ID001"]


def test_severity_and_fail_on(tmp_path):
    root = workspace(tmp_path)
    config = parse_section({"severity": {"FP003": "warning", "ID001": "info"}, "select": ["FP003", "ID001"]})
    result = lint_paths([root], config, use_cache=False)
    assert [(f.code, f.severity) for f in result.findings] == [("ID001", "info"), ("FP003", "warning")]
    assert result.exit_code == 0
    assert lint_paths([root], config, fail_on="warning", use_cache=False).exit_code == 1
    config = parse_section({"rules": {"SC001": {"severity": "warning"}}, "select": ["SC001"]})
    assert lint_paths([root], config, use_cache=False).findings[0].severity == "warning"


def test_per_path_ignores(tmp_path):
    root = workspace(tmp_path)
    config = parse_section({"per_path_ignores": {"workspace/function/Tasks/": ["ID001"], "*/task/*.xs": ["SC"]}},
                           base_dir=tmp_path)
    assert codes(lint_paths([root], config, use_cache=False)) == ["FP003"]


def test_load_config_from_yaml(tmp_path, monkeypatch):
    (tmp_path / "xanoctl.yaml").write_text(
        "instance: https://x.example\nlint:\n  select: [FP003]\n  fail_on: warning\n"
        "  rules:\n    FP002: {required_keys: [success, data, error, step]}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    config = load_config()
    assert config.select == ("FP003",) and config.fail_on == "warning"
    assert config.rule_options("FP002")["required_keys"] == ["success", "data", "error", "step"]
    assert config.rule_options("FP001")["folders"] == ["Tasks/", "Workers/"]


@pytest.mark.parametrize("section, fragment", [
    ({"selct": ["FP001"]}, "unknown key 'selct'; did you mean 'select'?"),
    ({"fail-on": "warning"}, "lint: unknown key 'fail-on'; did you mean 'fail_on'?"),
    ({"per-path-ignores": {}}, "did you mean 'per_path_ignores'?"),
    ({"severity": {"FP001": "warn"}}, "lint.severity.FP001: 'warn' is not a severity; did you mean warning?"),
    ({"rules": {"FP001": {"folder": ["Jobs/"]}}},
     "unknown option 'folder'; did you mean 'folders'? FP001 takes folders, severity"),
    ({"select": ["FP01"]}, "unknown rule 'FP01'; did you mean FP001?"),
    ({"select": "ZZ999"}, "unknown rule 'ZZ999'"),
    ({"fail_on": "fatal"}, "'fatal' is not a severity"),
    ({"severity": {"FP001": "loud"}}, "not a severity"),
    ({"rules": {"FP001": {"folders": 3}}}, "lint.rules.FP001.folders: expected a list of strings"),
    ({"rules": {"SC001": {"include_inactive": "yes"}}}, "expected true or false"),
    ({"per_path_ignores": ["x"]}, "expected a mapping PATTERN"),
    (["FP001"], "expected a mapping"),
])
def test_bad_configuration_is_a_usage_error(section, fragment):
    with pytest.raises(UsageError) as caught:
        parse_section(section)
    assert fragment in str(caught.value)
    assert caught.value.exit_code == 2


def test_unreadable_yaml_is_a_usage_error(tmp_path):
    (tmp_path / "xanoctl.yaml").write_text("lint: [unclosed\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid YAML at line"):
        load_config(tmp_path / "xanoctl.yaml")


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file or folder"):
        lint_paths([tmp_path / "nope"], use_cache=False)


# ---------------------------------------------------------------------------- suppression


def suppressed_caller(comment: str) -> str:
    return CALLER.replace("    function.run", f"    {comment}\n    function.run")


def test_suppression_silences_the_statement_below(tmp_path):
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": suppressed_caller("// xanoctl: ignore[ID001] input renamed later")})
    result = lint_paths([root], use_cache=False)
    assert codes(result) == ["FP003"] and result.suppressed == 1


def test_stacked_and_multi_code_suppressions(tmp_path):
    comment = "// xanoctl: ignore[ID001, FP003] legacy\n    // xanoctl: ignore[XR001] also legacy"
    text = suppressed_caller(comment).replace("    var $count", "    // xanoctl: ignore[FP003]\n    var $count")
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": text})
    result = lint_paths([root], use_cache=False)
    # FP003 is silenced by the comment above `var $count`; the other two name nothing that happens
    assert [(f.code, f.line, f.message) for f in result.findings] == [
        ("XS900", 6, "unused suppression: the statement below has no FP003 finding; remove `FP003` from "
                     "`ignore[ID001, FP003]`"),
        ("XS900", 7, "unused suppression: the statement below has no XR001 finding; remove this comment"),
    ]


def test_suppression_above_a_block_covers_nested_lines(tmp_path):
    text = CALLER.replace("  stack {", "  // xanoctl: ignore[FP003, ID001] whole stack\n  stack {")
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": text})
    assert codes(lint_paths([root], use_cache=False)) == []


def test_unused_suppression_of_a_rule_that_is_off_is_not_reported(tmp_path):
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": suppressed_caller("// xanoctl: ignore[EP001]")})
    assert "XS900" in codes(lint_paths([root], use_cache=False))
    assert "XS900" not in codes(lint_paths([root], ignore="EP001", use_cache=False))


@pytest.mark.parametrize("comment, message", [
    ("// xanoctl: ignore ID001", "unreadable suppression; write `// xanoctl: ignore[CODE] reason`"),
    ("// xanoctl: ignore[ID01] typo", "suppression names unknown rule `ID01`"),
])
def test_malformed_suppressions(tmp_path, comment, message):
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": suppressed_caller(comment)})
    found = [f for f in lint_paths([root], use_cache=False).findings if f.code == "XS900"]
    assert [(f.line, f.column) for f in found] == [(6, 5)]
    assert found[0].message.startswith(message)


@pytest.mark.parametrize("comment, message, fix", [
    ("// xanoctl: ignore[ID01] typo", "suppression names unknown rule `ID01`; did you mean `ID001`?", "ID001"),
    ("// xanoctl: ignore[FP003, xr01] two", "suppression names unknown rule `XR01`; did you mean `XR001`?", "XR001"),
    ("// xanoctl: ignore[QQ777]", "suppression names unknown rule `QQ777`; `xanoctl rules` lists the codes", None),
])
def test_an_unknown_code_in_a_suppression_suggests_the_closest(tmp_path, comment, message, fix):
    root = workspace(tmp_path, {"w.xs": WORKER, "t.xs": suppressed_caller(comment)})
    found = [f for f in lint_paths([root], use_cache=False).findings
             if f.code == "XS900" and f.message.startswith("suppression names")]
    assert [(f.message, f.fix and f.fix.edits[0].text) for f in found] == [(message, fix)]


# ---------------------------------------------------------------------------- baseline


def test_baseline_hides_known_findings_across_line_shifts(tmp_path):
    root = workspace(tmp_path)
    base = tmp_path / "lint-baseline.json"
    written = lint_paths([root], write_baseline=base, use_cache=False)
    assert written.baseline_written == 3
    data = json.loads(base.read_text())
    assert {entry["path"] for entry in data["findings"]} == {
        "workspace/function/Tasks/sync.xs", "workspace/task/nightly.xs"}
    assert lint_paths([root], baseline=base, use_cache=False).findings == []
    # shift every line of the caller: the baseline still matches
    caller = root / "function/Tasks/sync.xs"
    caller.write_text("// moved down\n\n" + CALLER, encoding="utf-8")
    result = lint_paths([root], baseline=base, use_cache=False)
    assert result.findings == [] and result.baselined == 3
    # a new finding of the same kind elsewhere is reported
    caller.write_text(CALLER.replace("var $count { value = $result.people|count }",
                                     "var $count { value = $result.people|count }\n    debug.log { value = $result.rows }"),
                      encoding="utf-8")
    result = lint_paths([root], baseline=base, use_cache=False)
    assert [(f.code, f.message.split(":")[0]) for f in result.findings] == [("FP003", "`$result.rows`")]


def test_baseline_survives_reworded_messages(tmp_path):
    """A newer xanoctl may word a message better: the baseline still knows the finding by the
    code it points at. A baseline written before entries carried that code matches by message."""
    root = workspace(tmp_path)
    base = tmp_path / "lint-baseline.json"
    lint_paths([root], write_baseline=base, use_cache=False)
    data = json.loads(base.read_text())
    assert {entry["source"] for entry in data["findings"]} == {
        "user_id", "$result.people", 'task "Nightly"'}
    for entry in data["findings"]:
        entry["message"] = "worded by an older xanoctl"
    base.write_text(json.dumps(data), encoding="utf-8")
    result = lint_paths([root], baseline=base, use_cache=False)
    assert result.findings == [] and result.baselined == 3
    # the code it pointed at changed: that is a new finding
    (root / "function/Tasks/sync.xs").write_text(CALLER.replace("$result.people|count", "$result.persons|count"),
                                                  encoding="utf-8")
    assert [f.code for f in lint_paths([root], baseline=base, use_cache=False).findings] == ["FP003"]
    # an entry without `source` (an older baseline) matches by its message
    lint_paths([root], write_baseline=base, use_cache=False)
    data = json.loads(base.read_text())
    for entry in data["findings"]:
        del entry["source"]
    base.write_text(json.dumps(data), encoding="utf-8")
    assert lint_paths([root], baseline=base, use_cache=False).findings == []


def test_baseline_from_config_and_bad_baselines(tmp_path):
    root = workspace(tmp_path)
    base = tmp_path / "b.json"
    lint_paths([root], write_baseline=base, use_cache=False)
    config = parse_section({"baseline": "b.json"}, base_dir=tmp_path)
    assert lint_paths([root], config, use_cache=False).findings == []
    with pytest.raises(UsageError, match="not found; create it with"):
        lint_paths([root], baseline=tmp_path / "missing.json", use_cache=False)
    (tmp_path / "junk.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a xanoctl baseline"):
        lint_paths([root], baseline=tmp_path / "junk.json", use_cache=False)


# ---------------------------------------------------------------------------- cache


def test_warm_run_comes_from_the_cache(tmp_path):
    root = workspace(tmp_path)
    cache = tmp_path / "cache"
    cold = lint_paths([root], cache_dir=cache)
    warm = lint_paths([root], cache_dir=cache)
    assert not cold.from_cache and cold.analysed == 3
    assert warm.from_cache and warm.analysed == 0
    assert warm.findings == cold.findings
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_cross_file_rules_stay_right_when_one_file_changes(tmp_path):
    root = workspace(tmp_path)
    cache = tmp_path / "cache"
    assert codes(lint_paths([root], cache_dir=cache)) == ["FP003", "ID001", "SC001"]
    # rename the worker's input: the unchanged caller's ID001 goes away
    (root / "function/Workers/sync.xs").write_text(WORKER.replace("ad_user_id", "user_id"), encoding="utf-8")
    result = lint_paths([root], cache_dir=cache)
    assert result.analysed == 1 and not result.from_cache
    assert codes(result) == ["FP003", "SC001"]
    # the worker stops returning an envelope: FP003 in the caller goes away, FP001 appears
    (root / "function/Workers/sync.xs").write_text(
        WORKER.replace("{success: true, data: {people: $people}, error: null}", "$people"), encoding="utf-8")
    assert codes(lint_paths([root], cache_dir=cache)) == ["FP001", "ID001", "SC001"]


def test_rule_options_invalidate_the_cache(tmp_path):
    root = workspace(tmp_path, {"w.xs": WORKER.replace("error: null", "step: 1")})
    cache = tmp_path / "cache"
    assert codes(lint_paths([root], cache_dir=cache)) == ["FP002"]
    config = parse_section({"rules": {"FP002": {"required_keys": ["success", "data"]}}})
    result = lint_paths([root], config, cache_dir=cache)
    assert codes(result) == [] and result.analysed == 1


def test_damaged_cache_is_ignored(tmp_path):
    root = workspace(tmp_path)
    cache = tmp_path / "cache"
    lint_paths([root], cache_dir=cache)
    for path in cache.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert codes(lint_paths([root], cache_dir=cache)) == ["FP003", "ID001", "SC001"]


def test_default_cache_folder_is_next_to_the_workspace(tmp_path):
    root = workspace(tmp_path)
    lint_paths([root])
    assert (tmp_path / ".xanoctl" / "cache" / ".gitignore").is_file()


# ---------------------------------------------------------------------------- --changed-since


def test_changed_since_reports_changed_files_with_the_whole_workspace_in_view(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    repo = git.Repo.init(tmp_path)
    repo.index.add([str(p.relative_to(tmp_path)) for p in root.rglob("*") if p.is_file()])
    repo.index.commit("initial", author=git.Actor("t", "t@example.com"), committer=git.Actor("t", "t@example.com"))
    monkeypatch.chdir(tmp_path)
    assert lint_paths([root], changed_since="HEAD", use_cache=False).files == 0
    # touch the caller only: its cross-file findings (callee in another, unchanged file) are reported
    caller = root / "function/Tasks/sync.xs"
    caller.write_text(CALLER + "\n", encoding="utf-8")
    (root / "task/new.xs").write_text(TASK.replace("Nightly", "Hourly"), encoding="utf-8")  # untracked
    result = lint_paths([root], changed_since="HEAD", use_cache=False)
    assert result.files == 2
    assert [(f.path, f.code) for f in result.findings] == [
        ("workspace/function/Tasks/sync.xs", "ID001"), ("workspace/function/Tasks/sync.xs", "FP003"),
        ("workspace/task/new.xs", "SC001")]
    with pytest.raises(UsageError, match="unknown git revision 'nope'"):
        lint_paths([root], changed_since="nope", use_cache=False)


def test_changed_since_outside_git_is_a_usage_error(tmp_path):
    root = workspace(tmp_path)
    with pytest.raises(UsageError, match="needs a git repository"):
        lint_paths([root], changed_since="HEAD", use_cache=False)


# ---------------------------------------------------------------------------- parallel parsing, index


def test_parallel_and_serial_runs_agree(tmp_path):
    files = {}
    for n in range(80):
        files[f"function/Workers/w{n}.xs"] = WORKER.replace("Sync People", f"Sync {n}") + "\n" * 3000
        files[f"function/Tasks/t{n}.xs"] = CALLER.replace("Sync People", f"Sync {n}")
    root = workspace(tmp_path, files)
    serial = lint_paths([root], use_cache=False, jobs=1)
    parallel = lint_paths([root], use_cache=False, jobs=2)
    assert parallel.analysed == serial.analysed == 160
    assert parallel.findings == serial.findings and len(serial.findings) == 160


def test_parallel_batches_hold_every_file_once_and_end_small():
    from xanoctl.lint.engine import _batches

    blobs = {f"f{n}.xs": b"x" * (100 + (n * 7919) % 5000) for n in range(600)}
    batches = _batches(list(blobs), blobs, dict.fromkeys(blobs, "d"), 2)
    paths = [path for batch in batches for path, _, _ in batch]
    assert sorted(paths) == sorted(blobs)  # none lost, none twice
    sizes = [sum(len(data) for _, data, _ in batch) for batch in batches]
    total = sum(sizes)
    assert sizes[0] >= total / 4 and sizes == sorted(sizes, reverse=True)
    # the last batches are small: a worker finishing late holds up the others only briefly
    assert max(sizes[-3:]) <= total / 32 + 5100


def test_build_index(tmp_path):
    index = build_index([workspace(tmp_path)])
    assert sorted(index.functions) == ["Tasks/Sync People", "Workers/Sync People"]
    worker = index.function("Workers/Sync People")
    assert [(i.name, i.type, i.required) for i in worker.inputs] == [("ad_user_id", "int", True)]
    assert index.returns_envelope("Workers/Sync People") is True
    assert [(c.callee, [k for k, _ in c.inputs], c.alias) for c in index.calls] == [
        ("Workers/Sync People", ["user_id"], "$result")]
    assert [t.name for t in index.tasks] == ["Nightly"] and index.tasks[0].events is None


def _commit_all(repo: git.Repo, root: Path, message: str) -> None:
    repo.git.add("-A", str(root))
    actor = git.Actor("t", "t@example.com")
    repo.index.commit(message, author=actor, committer=actor)


GOOD_CALLER = CALLER.replace("user_id: $input", "ad_user_id: $input").replace("$result.people", "$result.data.people")
OTHER = CALLER.replace("Tasks/Sync People", "Tasks/Other")  # already wrong: ID001 and FP003
OTHER_OK = GOOD_CALLER.replace("Tasks/Sync People", "Tasks/Other OK").replace("Workers/Sync People", "Workers/Else")


def _rewrite(root: Path, old: str, new: str) -> None:
    path = root / "function/Workers/sync.xs"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


TABLE = "table user {\n  schema {\n    int id\n    text email\n  }\n}"
READER = ('function "Users/Find" {\n  input {\n    text email\n  }\n  stack {\n    db.query user {\n'
          '      where = $db.user.email == $input.email\n    } as $rows\n  }\n  response = $rows\n}')


@pytest.mark.parametrize("change, expected", [
    # the pull request deletes the worker: its unchanged callers now call nothing
    (lambda root: (root / "function/Workers/sync.xs").unlink(), [("other", "XR001"), ("sync", "XR001")]),
    # ... renames it (file and function): the same
    (lambda root: ((root / "function/Workers/sync.xs").rename(root / "function/Workers/all.xs"),
                   (root / "function/Workers/all.xs").write_text(
                       WORKER.replace("Workers/Sync People", "Workers/Sync All People"), encoding="utf-8")),
     [("other", "XR001"), ("sync", "XR001")]),
    # ... renames an input: what each caller now passes wrong (`other` already had an ID001 for
    # `user_id`, whose words change, and an FP003 that is not this change's doing)
    (lambda root: _rewrite(root, "int ad_user_id", "int agent_id"),
     [("other", "ID002"), ("other", "ID001"), ("sync", "ID002"), ("sync", "ID001")]),
    # ... adds a required input
    (lambda root: _rewrite(root, "int ad_user_id", "int ad_user_id\n    text mode"),
     [("other", "ID002"), ("sync", "ID002")]),
    # ... stops returning an envelope: FP001 is on the worker; the callers' findings are as before
    (lambda root: _rewrite(root, "{success: true, data: {people: $people}, error: null}", "{people: $people}"),
     [("Workers/sync", "FP001")]),
    # ... changes only its body: its callers' old findings are not this change's doing
    (lambda root: _rewrite(root, "value = []", "value = [1]"), []),
    # ... moves to another file unchanged: nothing to report either
    (lambda root: (root / "function/Workers/sync.xs").rename(root / "function/Workers/moved.xs"), []),
    # ... removes a column of a table: the unchanged function querying it breaks
    (lambda root: (root / "table/user.xs").write_text(TABLE.replace("    text email\n", ""), encoding="utf-8"),
     [("Users/find", "DB002")]),
    # ... deletes the table
    (lambda root: (root / "table/user.xs").unlink(), [("Users/find", "DB001")]),
])
def test_changed_since_reports_callers_that_a_changed_function_breaks(tmp_path, monkeypatch, change, expected):
    """A pull request that deletes, renames or changes what a function takes or answers, or a
    table, breaks files it does not touch: every finding it causes there is reported (and only
    those: the findings those files had before are not its doing)."""
    root = workspace(tmp_path, {"function/Workers/sync.xs": WORKER, "function/Tasks/sync.xs": GOOD_CALLER,
                                "function/Tasks/other.xs": OTHER, "function/Tasks/ok.xs": OTHER_OK,
                                "function/Workers/else.xs": WORKER.replace("Sync People", "Else"),
                                "table/user.xs": TABLE, "table/account.xs": TABLE.replace("user", "account"),
                                "function/Users/find.xs": READER})
    repo = git.Repo.init(tmp_path)
    _commit_all(repo, root, "initial")
    monkeypatch.chdir(tmp_path)
    change(root)
    result = lint_paths([root], changed_since="HEAD", use_cache=False)
    found = [(f.path.removeprefix("workspace/").removeprefix("function/").removeprefix("Tasks/").removesuffix(".xs"),
              f.code) for f in result.findings]
    assert found == expected
    assert result.exit_code == (1 if expected else 0)
    assert result.callers == sum(1 for path, _ in expected if path != "Workers/sync")
    if result.callers:
        assert summary(result).endswith(f"({result.callers} in unchanged files that the change breaks)")
        # the summary counts the files the problems are in, and the files checked (those changed)
        holding = len({path for path, _ in expected})
        checked = "" if holding == result.files else f" ({result.files} checked)"
        assert f" in {holding} file{'' if holding == 1 else 's'}{checked}." in summary(result)
    # the same from the cache
    lint_paths([root], changed_since="HEAD", cache_dir=tmp_path / "cache")
    cached = lint_paths([root], changed_since="HEAD", cache_dir=tmp_path / "cache")
    assert cached.from_cache and cached.findings == result.findings
