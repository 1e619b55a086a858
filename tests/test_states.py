"""State machines from the code (issue 28): a job table, its create worker, a start task moving
New to Started to Complete, Partial or Error (with a `catch`), with and without a task that
resets stuck rows. What `xanoctl docs` draws, what `xanoctl graph` shows, and the two rules
(DB003 a value an enum does not have, ST001 a stuck state), end to end through the CLI; then
the model's answers on the forms it follows (branches, returns, transactions, selections)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.language.parser import parse_document
from xanoctl.semantics.states import state_facts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from viewsamples import write_workspace  # noqa: E402

TABLE = '''
    table job {
      schema {
        int id
        timestamp created_at?=now
        text source
        enum status?=New {
          values = ["New", "Started", "Complete", "Partial", "Error"]
        }
        int failed?=0
      }
    }
'''

JOBS = {
    "table/job.xs": TABLE,
    "function/Workers/jobs-create.xs": '''
        function "Workers/Jobs - Create" {
          input {
            text source
          }
          stack {
            db.add job {
              data = {source: $input.source, status: "New"}
            } as $job
          }
          response = {success: true, data: $job, error: null}
        }
    ''',
    "function/Workers/jobs-run.xs": '''
        function "Workers/Jobs - Run" {
          input {
            int job_id
          }
          stack {
            var $failed {
              value = 0
            }
          }
          response = {success: true, data: {failed: $failed}, error: null}
        }
    ''',
    "function/Tasks/jobs-start.xs": '''
        function "Tasks/Jobs - Start" {
          input {
          }
          stack {
            db.query job {
              where = $db.job.status == "New"
            } as $jobs
            foreach ($jobs) {
              each as $job {
                db.edit job {
                  field_name = "id"
                  field_value = $job.id
                  data = {status: "Started"}
                }
                try_catch {
                  try {
                    function.run "Workers/Jobs - Run" {
                      input = {job_id: $job.id}
                    } as $run
                    conditional {
                      if ($run.data.failed == 0) {
                        db.edit job {
                          field_name = "id"
                          field_value = $job.id
                          data = {status: "Complete"}
                        }
                      }
                      else {
                        db.edit job {
                          field_name = "id"
                          field_value = $job.id
                          data = {status: "Partial", failed: $run.data.failed}
                        }
                      }
                    }
                  }
                  catch {
                    db.edit job {
                      field_name = "id"
                      field_value = $job.id
                      data = {status: "Error"}
                    }
                  }
                }
              }
            }
          }
          response = {success: true, data: null, error: null}
        }
    ''',
    "task/jobs-start.xs": '''
        task "Jobs - Start" {
          stack {
            function.run "Tasks/Jobs - Start" as $result
          }
          schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 300}]
        }
    ''',
    "api/App/jobs_GET.xs": '''
        query jobs verb=GET {
          input {
          }
          stack {
            db.query job {
              where = $db.job.status == "complete"
            } as $done
          }
          response = $done
        }
    ''',
}

RESET = {
    "task/jobs-reset.xs": '''
        task "Jobs - Reset stuck" {
          stack {
            db.query job {
              where = $db.job.status == "Started" && $db.job.created_at < (now|transform_timestamp:"-1 hour")
            } as $stuck
            foreach ($stuck) {
              each as $job {
                db.edit job {
                  field_name = "id"
                  field_value = $job.id
                  data = {status: "New"}
                }
              }
            }
          }
          schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 3600}]
        }
    ''',
}


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def lint(folder: str) -> list[tuple[str, str, int, int, str]]:
    result = cli("lint", folder, "--no-cache", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], Path(f["path"]).name, f["line"], f["column"], f["message"])
            for f in json.loads(result.output)["findings"]]


@pytest.fixture
def jobs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", JOBS)
    return "ws"


def test_the_stuck_state_and_the_typo_are_found(jobs):
    found = lint(jobs)
    assert [f[:4] for f in found] == [("DB003", "jobs_GET.xs", 6, 33), ("ST001", "jobs-start.xs", 13, 27)]
    assert found[0][4] == ('"complete" is not a value of the enum `job.status` ("New", "Started", "Complete", '
                           '"Partial", "Error"): no row ever matches it; did you mean "Complete"?')
    assert found[1][4] == (
        '`job.status` enters "Started" here and the same run leaves it ("Complete", "Error", "Partial"), but no '
        'task, trigger or endpoint selects rows in "Started": a run dying between the two writes leaves the row '
        'there for good; add a task that resets or retries rows stuck in "Started"')


def test_a_task_that_resets_stuck_rows_silences_the_warning(jobs, tmp_path):
    write_workspace(tmp_path / "ws", RESET)
    assert [f[0] for f in lint(jobs)] == ["DB003"]


def test_the_state_machine_page(jobs, tmp_path, snapshot):
    result = cli("docs", jobs, "--out", "manual")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "manual" / "states.md").read_text(encoding="utf-8")
    assert page == snapshot
    assert "\n".join([
        "  [*] --> s0 : Workers/Jobs - Create, default",
        "  s0 --> s1 : Tasks/Jobs - Start",
        "  s1 --> s2 : Tasks/Jobs - Start",
        "  s1 --> s3 : Tasks/Jobs - Start",
        "  s1 --> s4 : Tasks/Jobs - Start",
        "```"]) in page
    started = next(line for line in page.splitlines() if line.startswith("| `Started`"))
    assert started.split(" | ")[3] == "**none**"  # rows leave it, no task picks them up
    new = next(line for line in page.splitlines() if line.startswith("| `New`"))
    assert "[Jobs - Start](tasks.md#task-jobs-start)" in new.split(" | ")[3]
    assert "- `Started`: entered by [Tasks/Jobs - Start]" in page


def test_the_page_with_a_reset_task(jobs, tmp_path):
    write_workspace(tmp_path / "ws", RESET)
    page = cli("docs", jobs).output
    assert "  s1 --> s0 : Jobs - Reset stuck" in page
    started = next(line for line in page.splitlines() if line.startswith("| `Started`"))
    assert "[Jobs - Reset stuck](#task-jobs-reset-stuck)" in started.split(" | ")[3]
    assert "Stuck states" not in page


def test_graph_shows_the_state_changes_a_function_makes(jobs):
    tree = cli("graph", jobs, "--callees", "Tasks/Jobs - Start").output
    assert tree.endswith("\n".join([
        "State changes function:Tasks/Jobs - Start makes:",
        "  job.status: New -> Started  (line 13)",
        "  job.status: Started -> Complete  (line 25)",
        "  job.status: Started -> Partial  (line 32)",
        "  job.status: Started -> Error  (line 41)", ""]))
    listing = cli("graph", jobs).output
    assert "  state   job.status: [*] -> New  (line 7)" in listing
    nodes = {node["id"]: node for node in json.loads(cli("graph", jobs, "--format", "json").output)["nodes"]}
    assert nodes["function:Workers/Jobs - Create"]["states"] == [
        {"column": "job.status", "from": "[*]", "to": "New", "line": 7}]
    assert "states" not in nodes["function:Workers/Jobs - Run"]


def test_a_text_column_written_only_with_literals_is_a_state_machine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {
        "table/sync.xs": "table sync {\n  schema {\n    int id\n    text state\n  }\n}\n",
        "function/a.xs": _edits("sync", "state", ["Queued"], entry=True),
        "function/b.xs": _edits("sync", "state", ["In Process", "Done"], where="Queued"),
    }
    write_workspace(tmp_path / "ws", files)
    page = cli("docs", "ws").output
    assert '  state "In Process" as s1' in page
    assert [f[0] for f in lint("ws")] == ["ST001"]  # nothing picks up "In Process": the migration's bug
    # a computed value written anywhere: not a state column (the code does not tell its states)
    write_workspace(tmp_path / "ws", {"function/c.xs": _edits("sync", "state", ["$input.state"], where="Done")})
    assert "No state machines" in cli("docs", "ws").output
    assert lint("ws") == []


def _edits(table: str, column: str, values: list[str], where: str | None = None, entry: bool = False) -> str:
    literal = lambda value: value if value.startswith("$") else f'"{value}"'  # noqa: E731
    name = f"{table}-{'-'.join(v.strip('$') for v in values)}"
    lines = [f'function "{name}" {{', "  input {", "    text state?", "  }", "  stack {"]
    if entry:
        lines += [f"    db.add {table} {{", f"      data = {{{column}: {literal(values[0])}}}", "    } as $row"]
    else:
        lines += [f"    db.query {table} {{", f'      where = $db.{table}.{column} == "{where}"', "    } as $rows",
                  "    foreach ($rows) {", "      each as $row {"]
        for value in values:
            lines += [f"        db.edit {table} {{", '          field_name = "id"', "          field_value = $row.id",
                      f"          data = {{{column}: {literal(value)}}}", "        }"]
        lines += ["      }", "    }"]
    return "\n".join(lines + ["  }", "  response = null", "}"]) + "\n"


# ---------------------------------------------------------------------------- the model


def facts(stack: str):
    doc = parse_document('function "f" {\n  input {\n    int id\n  }\n  stack {\n'
                         + textwrap.indent(textwrap.dedent(stack).strip("\n"), "    ") + "\n  }\n}\n")
    return state_facts(doc, list(doc.statements()))


def edit(value: str, row: str = "$job.id", field: str = "id") -> str:
    return (f'db.edit job {{\n  field_name = "{field}"\n  field_value = {row}\n'
            f'  data = {{status: "{value}"}}\n}}\n')


def test_a_run_that_may_end_in_the_state_does_not_leave_it():
    writes, _ = facts(edit("Started", "$input.id") + 'conditional {\n  if ($input.id > 1) {\n    return {\n'
                      '      value = 1\n    }\n  }\n}\n' + edit("Complete", "$input.id"))
    assert [(w.value, w.sources, w.left) for w in writes] == [("Started", None, False), ("Complete", ("Started",), False)]


def test_a_throw_dies_and_a_branch_without_a_write_keeps_the_state():
    writes, _ = facts(edit("Started", "$input.id") + 'conditional {\n  if ($input.id > 1) {\n'
                      '    throw {\n      name = "x"\n      value = "y"\n    }\n  }\n}\n' + edit("Complete", "$input.id"))
    assert writes[0].left  # the throw is a run dying, not a run ending in Started
    writes, _ = facts(edit("Started", "$input.id") + 'conditional {\n  if ($input.id > 1) {\n'
                      + textwrap.indent(edit("Complete", "$input.id"), "    ") + "  }\n}\n")
    assert not writes[0].left  # without the else, a run ends in Started


def test_both_writes_in_one_transaction_are_atomic():
    writes, _ = facts("db.transaction {\n  stack {\n" + textwrap.indent(edit("Started", "$input.id")
                                                                         + edit("Complete", "$input.id"), "    ")
                      + "  }\n}\n")
    assert writes[0].left and writes[0].atomic


def test_selections_and_tests_of_a_held_row():
    _, tests = facts('db.query job {\n  where = $db.job.status != "Done" && $db.job.source == $input.x\n} as $jobs\n'
                     'db.get job {\n  field_name = "id"\n  field_value = $input.id\n} as $job\n'
                     'precondition ($job.status in ["New", "Started"]) {\n  error = "busy"\n}\n'
                     'db.get job {\n  field_name = "status"\n  field_value = "Error"\n} as $failed\n')
    assert [(t.column, t.op, t.values, t.select) for t in tests] == [
        ("status", "!=", ("Done",), True), ("source", "==", None, True),
        ("status", "in", ("New", "Started"), False), ("status", "==", ("Error",), True)]
    assert tests[0].admits("Started") and not tests[0].admits("Done") and tests[1].admits("Done")


def test_a_guard_on_the_row_tells_the_state_it_leaves():
    writes, _ = facts('db.get job {\n  field_name = "id"\n  field_value = $input.id\n} as $job\n'
                      'conditional {\n  if ($job.status == "Error" || $job.status == "Partial") {\n'
                      + textwrap.indent(edit("New"), "    ") + "  }\n}\n")
    assert writes[0].sources == ("Error", "Partial")


def test_unknown_sources_and_computed_values_keep_the_rule_silent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", JOBS)
    cancel = textwrap.dedent('''
        query "jobs/{id}/cancel" verb=POST {
          input {
            int id
          }
          stack {
            db.edit job {
              field_name = "id"
              field_value = $input.id
              data = {status: "Error"}
            } as $job
          }
          response = $job
        }
    ''')
    (tmp_path / "ws" / "api" / "App" / "cancel_POST.xs").write_text(cancel, encoding="utf-8")
    assert [f[0] for f in lint("ws")] == ["DB003"]  # any job, whatever its state, can be cancelled


def test_enum_values_in_writes_and_tests_of_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", {"table/job.xs": TABLE, "function/f.xs": '''
        function "f" {
          input {
            int id
          }
          stack {
            db.add job {
              data = {status: "Startd", source: "x"}
            } as $job
            conditional {
              if ($job.status == "error") {
                debug.log {
                  value = 1
                }
              }
            }
            db.query job {
              where = $db.job.status not in ["New", "Cancelled"] && $db.job.status != ""
            } as $rows
          }
          response = null
        }
    '''})
    found = lint("ws")
    assert [(code, line, column) for code, _, line, column, _ in found] == [("DB003", 7, 23), ("DB003", 10, 26),
                                                                           ("DB003", 17, 45)]
    assert found[0][4].endswith('Xano refuses the write; did you mean "Started"?')
    assert found[1][4].endswith('the comparison never holds; did you mean "Error"?')
    assert found[2][4].startswith('"Cancelled" is not a value') and "always holds" in found[2][4]
    result = cli("lint", "ws", "--no-cache", "--format", "json")
    assert json.loads(result.output)["findings"][0]["fix"] == '"Started"'
