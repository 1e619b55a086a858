"""`xanoctl tasks`: schedules in words and next runs, and the schedule helpers behind them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.lint.facts import EventFact
from xanoctl.lint.schedule import frequency_words, next_run, parse_timestamp


@pytest.mark.parametrize("freq, words", [
    (None, "once"), (60, "every 60 s"), (45, "every 45 s"), (900, "every 15 min"), (3600, "hourly"),
    (7200, "every 2 h"), (86400, "daily"), (172800, "every 2 days"), (604800, "weekly"),
    (1209600, "every 2 weeks"), (90, "every 90 s"),
])
def test_frequency_words(freq, words):
    assert frequency_words(freq) == words


UTC = timezone.utc


@pytest.mark.parametrize("start, freq, end, now, expected", [
    ("2025-11-28 05:56:27+0000", 86400, None, "2025-12-03 10:00:00+0000", "2025-12-04 05:56:27+0000"),
    ("2025-11-28 05:56:27+0000", 86400, None, "2025-12-04 05:56:27+0000", "2025-12-04 05:56:27+0000"),
    ("2025-11-28 05:56:27+0000", 86400, None, "2025-11-01 00:00:00+0000", "2025-11-28 05:56:27+0000"),
    ("2025-11-28 05:56:27+0000", None, None, "2025-12-01 00:00:00+0000", None),
    ("2025-11-28 05:56:27+0000", 3600, "2025-11-29 00:00:00+0000", "2025-12-01 00:00:00+0000", None),
    ("2025-11-28 00:00:00+0200", 3600, None, "2025-11-28 00:30:00+0000", "2025-11-28 01:00:00+0000"),
])
def test_next_run(start, freq, end, now, expected):
    event = EventFact(parse_timestamp(start), freq, parse_timestamp(end) if end else None, True)
    found = next_run(event, parse_timestamp(now))
    assert found == (parse_timestamp(expected) if expected else None)


def test_parse_timestamp():
    assert parse_timestamp("2025-11-28 05:56:27+0000") == datetime(2025, 11, 28, 5, 56, 27, tzinfo=UTC)
    assert parse_timestamp("2025-02-30 00:00:00+0000") is None
    assert parse_timestamp("tomorrow") is None


TASKS = {
    "nightly.xs": 'task "Nightly" {\n  active = true\n  stack {\n    var $x { value = now }\n  }\n'
                  '  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}',
    "quarter.xs": 'task "Quarter hour" {\n  stack {\n    var $x { value = now }\n  }\n'
                  '  schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 900}]\n}',
    "off.xs": 'task "Off" {\n  active = false\n  stack {\n    var $x { value = now }\n  }\n'
              '  schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 60}]\n}',
    "none.xs": 'task "Never" {\n  active = true\n  stack {\n    var $x { value = now }\n  }\n}',
    "bad.xs": 'task "Broken" {\n  active = true\n  stack {\n    var $x { value = now }\n  }\n'
              '  schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 0}]\n}',
    "fn.xs": 'function "Utils/Not a task" {\n  input {\n  }\n  stack {\n  }\n  response = null\n}',
}


@pytest.fixture
def tasks_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the lint cache of a folder that is not a workspace goes here
    for name, text in TASKS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_tasks_table(tasks_folder):
    result = CliRunner().invoke(main, ["tasks", str(tasks_folder), "--now", "2025-12-03T10:07:00Z"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "TASK          ACTIVE  SCHEDULE                            NEXT RUN (UTC)",
        "Broken        yes     invalid                             never (invalid schedule)",
        "Never         yes     no schedule                         never (no schedule)",
        "Nightly       yes     daily at 05:56:27                   2025-12-04 05:56:27",
        "Off           no      every 60 s                          — (inactive)",
        "Quarter hour  yes     every 15 min at :00, :15, :30, :45  2025-12-03 10:15:00",
    ]


def test_the_tasks_table_wraps_to_the_terminal_width_and_cuts_nothing(tasks_folder):
    result = CliRunner().invoke(main, ["tasks", str(tasks_folder), "--now", "2025-12-03T10:07:00Z"],
                                env={"COLUMNS": "64"})
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "TASK          ACTIVE  SCHEDULE          NEXT RUN (UTC)",
        "Broken        yes     invalid           never (invalid schedule)",
        "Never         yes     no schedule       never (no schedule)",
        "Nightly       yes     daily at          2025-12-04 05:56:27",
        "                      05:56:27",
        "Off           no      every 60 s        — (inactive)",
        "Quarter hour  yes     every 15 min at   2025-12-03 10:15:00",
        "                      :00, :15, :30,",
        "                      :45",
    ]


def test_tasks_json(tasks_folder):
    result = CliRunner().invoke(main, ["tasks", str(tasks_folder), "--json", "--now", "2025-12-03T10:07:00Z"])
    data = json.loads(result.output)
    assert data["now"] == "2025-12-03T10:07:00Z"
    nightly = next(task for task in data["tasks"] if task["name"] == "Nightly")
    assert nightly["active"] is True and nightly["frequency"] == "daily" and nightly["when"] == "daily at 05:56:27"
    assert nightly["next_run"] == "2025-12-04T05:56:27Z"
    assert nightly["schedule"] == [{"starts_on": "2025-11-28T05:56:27Z", "freq": 86400, "ends_on": None,
                                    "every": "daily", "valid": True}]
    assert [task["name"] for task in data["tasks"]] == ["Broken", "Never", "Nightly", "Off", "Quarter hour"]


def test_tasks_bad_now(tasks_folder):
    result = CliRunner().invoke(main, ["tasks", str(tasks_folder), "--now", "soon"])
    assert result.exit_code == 2 and "not a timestamp" in result.output


def test_a_task_that_does_not_parse_is_listed_not_dropped(tasks_folder):
    """On call, the table must show every task: one whose file does not parse is listed with
    that verdict, never silently left out."""
    (tasks_folder / "typo.xs").write_text(
        'task "Hourly sync" {\n  active = true\n  stack {\n    var $x { value = now } var $y { value = 1 }\n  }\n'
        '  schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 3600}]\n}', encoding="utf-8")
    result = CliRunner().invoke(main, ["tasks", str(tasks_folder), "--now", "2025-12-03T10:07:00Z"])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if line.startswith("Hourly sync"))
    assert row.split()[2:] == ["?", "unreadable", "unknown", "(syntax", "error", "at", "line", "4;",
                               "see", "`xanoctl", "lint`)"]
    data = json.loads(CliRunner().invoke(main, ["tasks", str(tasks_folder), "--json"]).output)
    typo = next(task for task in data["tasks"] if task["name"] == "Hourly sync")
    assert typo["frequency"] == "unreadable" and typo["next_run"] is None and typo["schedule"] is None
    assert typo["active"] is None  # not known
    assert typo["error"].startswith("line 4:")


def test_an_invalid_event_is_not_described_as_once(tasks_folder):
    data = json.loads(CliRunner().invoke(main, ["tasks", str(tasks_folder), "--json"]).output)
    broken = next(task for task in data["tasks"] if task["name"] == "Broken")
    assert [(event["every"], event["valid"]) for event in broken["schedule"]] == [("invalid", False)]


CHAIN = {
    "task/nightly.xs": 'task "Nightly" {\n  active = true\n  stack {\n    function.run "Tasks/Nightly" as $r\n  }\n'
                       '  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}\n',
    "function/Tasks/nightly.xs": 'function "Tasks/Nightly" {\n  stack {\n    function.run "Workers/Fetch" as $f\n'
                                 '    function.run "Workers/Save" as $s\n    function.run "Workers/Fetch" as $again\n'
                                 '  }\n  response = $s\n}\n',
    "function/Workers/fetch.xs": 'function "Workers/Fetch" {\n  stack {\n    db.query person as $p\n'
                                 '    function.run "Workers/Missing" as $m\n  }\n  response = $p\n}\n',
    "function/Workers/save.xs": 'function "Workers/Save" {\n  stack {\n    function.run "Workers/Fetch" as $f\n'
                                '    db.add sync_log {\n      data = {ok: true}\n    } as $log\n'
                                '    db.bulk.patch person {\n      items = []\n    }\n  }\n  response = $log\n}\n',
}


@pytest.fixture
def chain_folder(tmp_path, monkeypatch):
    root = tmp_path / "ws"
    for name, text in {**CHAIN, **{f"task/other-{n}": t for n, t in TASKS.items() if n != "fn.xs"}}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def test_tasks_show_the_chain_each_runs_and_the_tables_it_writes(chain_folder):
    result = CliRunner().invoke(main, ["tasks", str(chain_folder), "--now", "2025-12-03T10:07:00Z"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the table is as before; the chains follow it
    assert lines[:7] == [
        "TASK          ACTIVE  SCHEDULE                            NEXT RUN (UTC)",
        "Broken        yes     invalid                             never (invalid schedule)",
        "Never         yes     no schedule                         never (no schedule)",
        "Nightly       yes     daily at 05:56:27                   2025-12-04 05:56:27",
        "Nightly       yes     daily at 05:56:27                   2025-12-04 05:56:27",
        "Off           no      every 60 s                          — (inactive)",
        "Quarter hour  yes     every 15 min at :00, :15, :30, :45  2025-12-03 10:15:00",
    ]
    assert lines[7:] == [
        "",
        "Nightly runs:",
        "  └── Tasks/Nightly",
        "      ├── Workers/Fetch",
        "      │   └── Workers/Missing  (missing)",
        "      └── Workers/Save",
        "          └── Workers/Fetch  (see above)",
        "  writes: person, sync_log",
    ]


def test_tasks_json_carries_the_chain(chain_folder):
    data = json.loads(CliRunner().invoke(main, ["tasks", str(chain_folder), "--json"]).output)
    nightly = [task for task in data["tasks"] if task["name"] == "Nightly"]
    chained = next(task for task in nightly if task["path"].endswith("task/nightly.xs"))
    assert chained["chain"] == [{"function": "Tasks/Nightly", "calls": [
        {"function": "Workers/Fetch", "calls": [{"function": "Workers/Missing", "missing": True, "calls": []}]},
        {"function": "Workers/Save", "calls": [{"function": "Workers/Fetch", "repeat": True, "calls": []}]},
    ]}]
    assert chained["writes"] == ["person", "sync_log"] and chained["reads"] == ["person"]
    # the second task named "Nightly" (nightly.xs of TASKS, no calls) is listed, without a chain
    other = next(task for task in nightly if task is not chained)
    assert other["chain"] is None and other["frequency"] == "daily"
    never = next(task for task in data["tasks"] if task["name"] == "Never")
    assert never["chain"] == [] and never["writes"] == []
