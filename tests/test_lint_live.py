"""The linter one document at a time (``xanoctl.lint.live``, what the language server runs):
its findings are those of a whole ``xanoctl lint`` run, before and after a file changes, and
it names the files a change can affect."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from xanoctl.lint.api import lint_paths
from xanoctl.lint.config import load_config, parse_section
from xanoctl.lint.live import LiveWorkspace

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _whole_run(paths, config, texts=None) -> dict[str, list]:
    """Every file's findings by absolute path, from a whole lint run."""
    result = lint_paths(paths, config, use_cache=False)
    found: dict[str, list] = {}
    for finding in result.findings:
        path = result.sources[finding.path]
        found.setdefault(path, []).append(_key(finding))
    return found


def _key(finding) -> tuple:
    return (finding.line, finding.column, finding.end_line, finding.end_column, finding.code, finding.severity,
            finding.message)


def _live(live: LiveWorkspace, paths) -> dict[str, list]:
    return {path: [_key(f) for f in found] for path, found in live.findings(paths).items() if found}


def _demo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    return tmp_path / "workspace"


def test_findings_of_every_file_are_those_of_a_whole_run(tmp_path):
    root = _demo(tmp_path)
    config = load_config(start=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    expected = _whole_run([root], config)
    assert expected  # the demo's planted bugs
    assert _live(live, live.scope.index) == expected
    # asked about a few files only, each gets the same findings
    some = sorted(expected)[:3]
    assert _live(live, some) == {path: expected[path] for path in some}


def test_configuration_suppressions_and_baseline_apply(tmp_path):
    root = _demo(tmp_path)
    baseline = tmp_path / "baseline.json"
    config = parse_section({"ignore": ["SC001"], "severity": {"FP003": "warning"}}, base_dir=tmp_path)
    lint_paths([root], config, write_baseline=baseline, use_cache=False)
    target = next(p for p in sorted(root.rglob("*.xs")) if "Workers" in str(p))
    target.write_text(target.read_text() + "\n", encoding="utf-8")
    config = parse_section({"ignore": ["SC001"], "severity": {"FP003": "warning"}, "baseline": str(baseline)},
                           base_dir=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    assert _live(live, live.scope.index) == _whole_run([root], config) == {}
    config = parse_section({"ignore": ["SC001"], "severity": {"FP003": "warning"}}, base_dir=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    found = _live(live, live.scope.index)
    assert found == _whole_run([root], config)
    codes = {key[4] for keys in found.values() for key in keys}
    assert "SC001" not in codes and {key[5] for keys in found.values() for key in keys if key[4] == "FP003"} == {"warning"}


def _two(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = tmp_path / "workspace"
    (root / "function" / "Workers").mkdir(parents=True)
    (root / "function" / "Tasks").mkdir(parents=True)
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    worker = root / "function" / "Workers" / "sync.xs"
    caller = root / "function" / "Tasks" / "sync.xs"
    worker.write_text(WORKER, encoding="utf-8")
    caller.write_text(CALLER.replace("user_id:", "ad_user_id:").replace("$result.people", "$result.data.people"),
                      encoding="utf-8")
    return root, worker, caller


def test_an_unsaved_change_of_a_callee_reaches_its_caller(tmp_path):
    root, worker, caller = _two(tmp_path)
    config = load_config(start=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    assert _live(live, [str(worker), str(caller)]) == {}
    renamed = WORKER.replace("ad_user_id", "agent_id")
    change = live.update(str(worker), renamed.encode())
    assert "Workers/Sync People" in change.functions  # and its callers, for theirs
    assert live.dependents(change, [str(caller)]) == {str(caller)}
    found = live.findings([str(caller)])[str(caller)]
    assert sorted(f.code for f in found) == ["ID001", "ID002"]
    # the same as linting that text from disk
    worker.write_text(renamed, encoding="utf-8")
    assert _live(live, [str(caller), str(worker)]) == _whole_run([root], config)
    # an edit that callers do not depend on changes nothing for them
    change = live.update(str(worker), (renamed + "\n// a comment\n").encode())
    assert not change and live.dependents(change, [str(caller)]) == set()


def test_a_new_file_a_removed_file_and_a_table(tmp_path):
    root, worker, caller = _two(tmp_path)
    config = load_config(start=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    change = live.update(str(worker), None)
    assert "Workers/Sync People" in change.functions and str(worker) not in live
    assert [f.code for f in live.findings([str(caller)])[str(caller)]] == ["XR001"]
    change = live.update(str(worker), WORKER.encode())
    assert live.dependents(change, [str(caller)]) == {str(caller)}
    assert live.findings([str(caller)])[str(caller)] == []
    table = root / "table" / "user.xs"
    user = 'table user {\n  schema {\n    int id\n    text email\n  }\n}\n'
    reader = root / "function" / "reader.xs"
    text = ('function reader {\n  stack {\n    db.get user {\n      field_name = "email"\n'
            '      field_value = "a"\n    } as $u\n  }\n  response = $u\n}\n')
    live.update(str(reader), text.encode())
    change = live.update(str(table), user.encode())
    assert change.tables == {"user"} and live.dependents(change, [str(reader), str(caller)]) == {str(reader)}
    assert live.findings([str(reader)])[str(reader)] == []
    change = live.update(str(table), user.replace("email", "mail").encode())
    assert live.dependents(change, [str(reader)]) == {str(reader)}
    assert [f.code for f in live.findings([str(reader)])[str(reader)]] == ["DB002"]


def test_the_last_whole_run_answers_a_second_start(tmp_path):
    root, worker, caller = _two(tmp_path)
    caller.write_text(CALLER, encoding="utf-8")
    config = load_config(start=tmp_path)
    cache = tmp_path / "cache"
    first = LiveWorkspace.open([root], config, cache_dir=cache)
    assert first.cached_findings([str(caller)]) is None
    assert first.load() == 2
    first.save_run()
    second = LiveWorkspace.open([root], config, cache_dir=cache)
    quick = second.cached_findings([str(caller)])
    assert [f.code for f in quick[str(caller)]] == ["ID001", "FP003"]
    assert second.load() == 0  # every file from the cache
    assert second.findings([str(caller)]) == quick


# edits of the demo workspace, each (file, old text, new text): what other files' findings
# depend on (a function's inputs, name and envelope, a table's columns, a route, the states
# written and selected, the calls made once per item of a loop), and what they do not
EDITS = [
    ("function/Workers/FUB - Sync People.xs", "int ad_user_id?", "int agent_id?"),
    ("function/Workers/FUB - Sync People.xs", '"Workers/FUB - Sync People" {', '"Workers/FUB - Pull People" {'),
    ("function/Workers/FUB - Sync People.xs", "success: false, data: null", "ok: false, data: null"),
    ("table/user.xs", "ad_user_id", "adUserId"),
    ("api/App/users/{user_id}_GET.xs", 'query "users/{user_id}" verb=GET', 'query "users/{user_id}" verb=PATCH'),
    ("function/Tasks/Sync Jobs - Start.xs", '$db.sync_job.status == "New"', '$db.sync_job.status == "Queued"'),
    # a task that picks up the jobs left "In Process": the stuck state (ST001) of another file goes
    ("task/Calendly - Sync Events.xs", '    function.run "Tasks/Calendly - Sync Events" as $result\n',
     '    function.run "Tasks/Calendly - Sync Events" as $result\n    db.query sync_job {\n'
     '      where = $db.sync_job.status == "In Process"\n    } as $stuck\n'),
    ("function/Tasks/Sync Jobs - Start.xs", 'data = {status: "In Process"}', 'data = {status: "Running"}'),
    ("table/sync_job.xs", '"In Process", ', ""),
    ("table/sync_job.xs", '"Complete", ', '"In Process", "Complete", '),
    ("function/Utils/Dates - Window Start.xs", "  stack {\n", "  stack {\n    var $never { value = 1 }\n"),
    # the workspace's environment: every `$env.NAME` read elsewhere is judged by it (EV001)
    ("workspace/demo.xs", "  realtime = ", '  env = {HUBSPOT_TOKEN: ""}\n  realtime = '),
]


def test_an_edit_changes_the_findings_of_its_dependents_only(tmp_path):
    root = _demo(tmp_path)
    config = load_config(start=tmp_path)
    live = LiveWorkspace.open([root], config, use_cache=False)
    live.load()
    every = list(live.scope.index)
    before = _live(live, every)
    applied = 0
    for relative, old, new in EDITS:
        path = str(root / relative)
        if not (root / relative).is_file():
            continue
        text = (root / relative).read_text(encoding="utf-8")
        assert old in text, (relative, old)
        text = text.replace(old, new, 1)
        change = live.update(path, text.encode())
        (root / relative).write_text(text, encoding="utf-8")
        after = _live(live, every)
        assert after == _whole_run([root], config), relative  # the same as linting it all again
        moved = {file for file in every if before.get(file) != after.get(file)}
        assert moved <= live.dependents(change, every), (relative, old, moved - live.dependents(change, every))
        before = after
        applied += 1
    assert applied == len(EDITS)
