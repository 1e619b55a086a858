"""Each rule: what it must catch (with exact positions), and what it must leave alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xanoctl.lint.api import lint_paths
from xanoctl.lint.config import LintConfig, parse_section

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import function  # noqa: E402


def lint(tmp_path: Path, files: dict[str, str] | str, config: LintConfig | None = None, **kw):
    if isinstance(files, str):
        files = {"main.xs": files}
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")  # a whole workspace
    # the samples here are minimal (variables set only to be read by the rule under test):
    # the variable rules have their tests in test_lint_semantic_rules.py
    kw.setdefault("ignore", VARIABLE_RULES)
    return lint_paths([tmp_path], config, use_cache=False, **kw)


VARIABLE_RULES = ["VR001", "VR002", "IN001"]


def hits(result, code: str | None = None):
    return [(f.code, f.line, f.column, f.end_line, f.end_column) for f in result.findings
            if code is None or f.code == code]


def messages(result, code: str):
    return [f.message for f in result.findings if f.code == code]


ENVELOPE = "{success: true, data: {people: $people}, error: null}"
WORKER = function("Workers/Sync People", "int ad_user_id\ntext endpoint_type?", "var $people { value = [] }", ENVELOPE)


# ---------------------------------------------------------------------------- FP001


def test_fp001_plain_object_response(tmp_path):
    result = lint(tmp_path, function("Workers/Count", "", "var $n { value = 1 }", "{count: $n}"))
    assert hits(result) == [("FP001", 7, 14, 7, 25)]
    assert messages(result, "FP001") == [
        "response of FP function `Workers/Count` is `{count: $n}`, not an envelope; "
        "write `{success: true, data: {count: $n}, error: null}`"]
    assert result.findings[0].fix is None  # wrapping the answer changes every caller: no fix


def test_fp001_null_response_and_return_value(tmp_path):
    stack = "conditional {\n  if ($input.a == null) {\n    return {\n      value = null\n    }\n  }\n}"
    result = lint(tmp_path, function("Tasks/Check", "int a?", stack, ENVELOPE.replace("$people", "1")))
    assert hits(result) == [("FP001", 9, 19, 9, 23)]
    assert "`return` value of FP function `Tasks/Check` is `null`" in messages(result, "FP001")[0]


@pytest.mark.parametrize("stack, response", [
    ("var $ok { value = false }\nvar.update $ok { value = ($input.n|count) == 0 }", "$ok"),
    ("", "$input.n > 3 ? 1 : null"),
    ("", "!$input.n"),
    ("", '!int "3"'),
    ("", "$input.n * 2"),
    ("var $n { value = 0 }\nmath.add $n { value = 1 }", "$n"),
    ("var $rows { value = [] }\narray.push $rows { value = 1 }", "$rows"),
])
def test_fp001_scalars_are_not_envelopes(tmp_path, stack, response):
    result = lint(tmp_path, function("Workers/Check", "int n", stack, response))
    assert [f.code for f in result.findings] == ["FP001"]


def test_fp001_through_a_variable_names_what_it_holds(tmp_path):
    result = lint(tmp_path, function("Workers/Totals", "", "var $totals { value = {count: 1} }", "$totals"))
    assert hits(result) == [("FP001", 7, 14, 7, 21)]
    assert "is `$totals`, which holds `{count: 1}`" in messages(result, "FP001")[0]


@pytest.mark.parametrize("name, stack, response", [
    ("Utils/Count", "var $n { value = 1 }", "{count: $n}"),  # not an FP folder
    ("Workers/Pass", 'function.run "Workers/Elsewhere" as $r', "$r"),  # callee unknown: cannot tell
    ("Workers/Filtered", "var $rows { value = [] }", "$rows|first"),  # an expression: cannot tell
    ("Workers/Mixed", "var $out { value = null }\nvar.update $out { value = {success: true, data: 1, error: null} }",
     "$out"),  # sometimes null, sometimes an envelope: cannot tell
    ("Workers/Disabled", "!return {\n  value = null\n}", ENVELOPE.replace("$people", "1")),
    ("Workers/Input", "", "$input.x"),
    ("Workers/Either", 'function.run "Workers/Elsewhere" as $r', "$r ?? null"),  # one side unknown
    ("Workers/Object", "", '!object "{}"'),
    ("Workers/Default", "", '$input.n ?? "none"'),
])
def test_fp001_stays_silent(tmp_path, name, stack, response):
    result = lint(tmp_path, function(name, "", stack, response), LintConfig(), select="FP001")
    assert hits(result) == []


def test_fp001_folders_option(tmp_path):
    config = parse_section({"rules": {"FP001": {"folders": ["Jobs/"]}}})
    files = {"a.xs": function("Jobs/A", response="{n: 1}"), "b.xs": function("Workers/B", response="{n: 1}")}
    result = lint(tmp_path, files, config, select="FP001")
    assert [f.obj for f in result.findings] == ["function Jobs/A"]


# ---------------------------------------------------------------------------- FP002


def test_fp002_missing_error_key(tmp_path):
    result = lint(tmp_path, function("Workers/A", response="{success: true, data: 1}"))
    assert hits(result) == [("FP002", 6, 14, 6, 38)]
    assert messages(result, "FP002") == ["envelope of `Workers/A` lacks the key `error`; add `error: null`"]


def test_fp002_in_a_return_and_in_a_variable(tmp_path):
    stack = ("var $out { value = {data: 1} }\nconditional {\n  if (true) {\n    return {\n      value = {success: false}\n"
             "    }\n  }\n}")
    result = lint(tmp_path, function("Tasks/A", "", stack, "$out"))
    assert hits(result, "FP002") == [("FP002", 5, 24, 5, 33), ("FP002", 9, 19, 9, 35)]
    assert messages(result, "FP002")[0] == ("envelope of `Tasks/A` lacks the keys `success`, `error`; "
                                            "add `success: true, error: null`")


def test_fp002_required_step_option(tmp_path):
    config = parse_section({"rules": {"FP002": {"required_keys": ["success", "data", "error", "step"]}}})
    result = lint(tmp_path, function("Workers/A", response="{success: true, data: 1, error: null}"), config)
    assert messages(result, "FP002") == ['envelope of `Workers/A` lacks the key `step`; add `step: "Workers/A"`']


def test_fp002_keys_set_later_count(tmp_path):
    stack = "var $out { value = {success: true, data: 1} }\nvar.update $out.error { value = null }"
    assert hits(lint(tmp_path, function("Workers/A", "", stack, "$out"))) == []


def test_fp_rules_see_an_envelope_built_key_by_key(tmp_path):
    """`var $out { value = {} }` then `var.update $out.success ...`: an envelope, not `{}`."""
    stack = ("var $out { value = {} }\nvar.update $out.success { value = true }\n"
             "var.update $out.data { value = [] }\nvar.update $out.error { value = null }")
    result = lint(tmp_path / "a", {"w.xs": function("Workers/Sync People", "", stack, "$out"),
                             "t.xs": caller(CALL.replace("{ad_user_id: $input.ad_user_id}", "{}")
                                            + "\nvar $n { value = $result.people }")})
    assert [f.code for f in result.findings] == ["FP003"]
    # one key short: FP002 names it, at the object it starts from
    result = lint(tmp_path / "b", function("Workers/Short", "", stack.replace("var.update $out.error { value = null }", ""),
                                     "$out"))
    assert hits(result) == [("FP002", 5, 24, 5, 26)]
    # keys that make no envelope leave it a plain object
    result = lint(tmp_path / "c", function("Workers/Count", "", "var $out { value = {} }\nvar.update $out.count { value = 1 }",
                                     "$out"))
    assert [f.code for f in result.findings] == ["FP001"]


def test_fp002_complete_or_outside_fp_folders_is_fine(tmp_path):
    files = {"a.xs": function("Workers/A", response="{success: true, data: 1, error: null, step: \"x\"}"),
             "b.xs": function("Utils/B", response="{success: true}")}
    assert hits(lint(tmp_path, files)) == []


# ---------------------------------------------------------------------------- FP003


def caller(stack: str, name: str = "Tasks/Sync People") -> str:
    return function(name, "int ad_user_id", stack, "{success: true, data: null, error: null}")


CALL = 'function.run "Workers/Sync People" {\n  input = {ad_user_id: $input.ad_user_id}\n} as $result'


def test_fp003_direct_read(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(CALL + "\nvar $n { value = $result.people|count }")})
    assert hits(result) == [("FP003", 9, 22, 9, 36)]
    finding = result.findings[0]
    assert finding.message == ("`$result.people`: `Workers/Sync People` returns an envelope; "
                               "read `$result.data.people`")
    assert finding.replacement == "$result.data.people" and finding.fix.applicability == "safe"
    assert finding.obj == "function Tasks/Sync People"


def test_fp003_read_through_a_copy(tmp_path):
    stack = CALL + "\nvar $sync { value = $result }\nforeach ($sync.people.0.tags) {\n  each as $tag {\n  }\n}"
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(stack)})
    assert hits(result) == [("FP003", 10, 14, 10, 33)]
    assert result.findings[0].message == (
        "`$sync.people.0.tags`: `$sync` holds the result of `Workers/Sync People`, which returns an "
        "envelope; read `$sync.data.people.0.tags`")


def test_fp003_follows_a_callee_that_passes_an_envelope_on(tmp_path):
    middle = function("Tasks/Middle", "", 'function.run "Workers/Sync People" {\n  input = {ad_user_id: 1}\n} as $r',
                      "$r")
    top = function("Utils/Top", "", 'function.run "Tasks/Middle" as $m\nvar $x { value = $m.people }', "$x")
    result = lint(tmp_path, {"w.xs": WORKER, "m.xs": middle, "t.xs": top})
    assert messages(result, "FP003") == ["`$m.people`: `Tasks/Middle` returns an envelope; read `$m.data.people`"]


def test_fp003_in_response_and_conditions(tmp_path):
    stack = CALL + "\nconditional {\n  if ($result.ok) {\n  }\n}"
    text = function("Utils/X", "int ad_user_id", stack, "$result.people")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": text})
    assert [(f.line, f.column) for f in result.findings] == [(10, 11), (14, 14)]


@pytest.mark.parametrize("read", [
    "$result.data.people", "$result.success", "$result.error", "$result.step", "$result", "$result|get:\"people\"",
    "$result[$input.key]",
])
def test_fp003_envelope_keys_and_undecidable_reads_are_fine(tmp_path, read):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(CALL + f"\nvar $n {{ value = {read} }}")})
    assert hits(result) == []


def test_fp003_keys_set_on_the_envelope_later_are_fine(tmp_path):
    worker = function("Workers/Sync People", "int ad_user_id",
                      "var $out { value = {success: true, data: null, error: null} }\n"
                      "var.update $out.meta { value = {pages: 1} }", "$out")
    result = lint(tmp_path, {"w.xs": worker, "t.xs": caller(CALL + "\nvar $n { value = $result.meta.pages }")})
    assert hits(result) == []
    # the caller adds a key to the result itself, then reads it
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(
        CALL + "\nvar.update $result.people { value = [] }\nvar $n { value = $result.people }")})
    assert hits(result) == []


def test_fp003_keys_the_callee_puts_in_its_envelope_are_fine(tmp_path):
    worker = function("Workers/Sync People", "int ad_user_id", "",
                      "{success: true, data: null, error: null, meta: {pages: 1}}")
    result = lint(tmp_path, {"w.xs": worker, "t.xs": caller(CALL + "\nvar $n { value = $result.meta.pages }")})
    assert hits(result) == []


@pytest.mark.parametrize("worker", [
    function("Workers/Sync People", "int ad_user_id", "", "{people: []}"),  # not an envelope
    function("Workers/Sync People", "int ad_user_id", "conditional {\n  if (true) {\n    return {\n"
             "      value = $input|first\n    }\n  }\n}", ENVELOPE.replace("$people", "1")),  # a return unknown
    function("Workers/Sync People", "int ad_user_id", "", "$input"),
])
def test_fp003_silent_unless_every_result_is_an_envelope(tmp_path, worker):
    result = lint(tmp_path, {"w.xs": worker, "t.xs": caller(CALL + "\nvar $n { value = $result.people }")},
                  select="FP003")
    assert hits(result) == []


def test_fp003_result_set_in_a_branch_after_a_null_default(tmp_path):
    """`var $r { value = null }`, then the call in a conditional: reading `$r.people` is wrong
    whichever way it went. Copies made the same way (`var.update $copy { value = $r }`) too."""
    stack = ("var $result { value = null }\nvar $copy { value = null }\nconditional {\n  if ($input.ad_user_id > 0) {\n"
             + "\n".join("    " + line for line in CALL.splitlines())
             + "\n    var.update $copy { value = $result }\n  }\n}\nvar $n { value = $result.people }"
             "\nvar $m { value = $copy.count }\nvar $ok { value = $result.success }")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(stack)})
    assert [(f.code, f.line, f.message.split(":")[0]) for f in result.findings] == [
        ("FP003", 16, "`$result.people`"), ("FP003", 17, "`$copy.count`")]


@pytest.mark.parametrize("expr, column", [
    ("$input.ids|filter:$$ == $result.people.0.id", 46),  # a filter argument
    ("{count: $result.count, ok: true}", 30),  # an object value
    ("$result.ok ? 1 : 0", 22),  # a ternary condition
    ("[1, ($result.people|count)]", 27),  # an array item, in parentheses
    ('$result.people["first name"]', 22),
])
def test_fp003_nested_reads(tmp_path, expr, column):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller(CALL + f"\nvar $n {{ value = {expr} }}")})
    assert [(f.code, f.line, f.column) for f in result.findings] == [("FP003", 9, column)]


def test_fp003_silent_for_unknown_callee_reassigned_or_disabled(tmp_path):
    files = {
        "w.xs": WORKER,
        "a.xs": caller('function.run "Workers/Nowhere" as $r\nvar $n { value = $r.people }', "Tasks/A"),
        "b.xs": caller(CALL + "\ndb.query person as $result\nvar $n { value = $result.people }", "Tasks/B"),
        "c.xs": caller(CALL + "\n!var $n { value = $result.people }", "Tasks/C"),
        "d.xs": caller(CALL + "\nvar.update $result.people { value = [] }", "Tasks/D"),
    }
    assert hits(lint(tmp_path, files), "FP003") == []


# ---------------------------------------------------------------------------- EP001


def endpoint(stack: str = "", response: str = "null") -> str:
    body = "".join(f"    {line}\n" for line in stack.splitlines() if line.strip())
    return (f'query "people/sync" verb=POST {{\n  api_group = "Tasks"\n  input {{\n  }}\n  stack {{\n{body}  }}\n'
            f'  response = {response}\n}}\n')


def test_ep001_empty_stack(tmp_path):
    result = lint(tmp_path, endpoint())
    assert hits(result) == [("EP001", 5, 3, 6, 4)]
    assert messages(result, "EP001")[0].startswith("endpoint `POST people/sync` has an empty stack: it answers `null`")


def test_ep001_no_stack_clause_says_so(tmp_path):
    text = endpoint().replace("  stack {\n  }\n", "")
    result = lint(tmp_path, text)
    assert hits(result) == [("EP001", 1, 1, 1, 20)]
    assert messages(result, "EP001") == [
        "endpoint `POST people/sync` has no stack: it answers `null`; add `stack { function.run \"...\" as $result }` "
        "and set `response = $result`"]


def test_ep001_response_from_an_empty_stack(tmp_path):
    assert [f.code for f in lint(tmp_path, endpoint("", "$result")).findings] == ["EP001"]


def test_ep001_only_disabled_statements(tmp_path):
    result = lint(tmp_path, endpoint('!function.run "Tasks/Sync" as $result', "$result"))
    assert [f.code for f in result.findings] == ["EP001"]
    assert "only disabled statements" in result.findings[0].message


@pytest.mark.parametrize("stack, response", [
    ("db.query person as $people", "$people"),
    ("", "{ok: true}"),  # a constant answer is deliberate
    ("", "{echo: $input, user: $auth.id}"),  # so is an echo of the request
])
def test_ep001_silent(tmp_path, stack, response):
    assert hits(lint(tmp_path, endpoint(stack, response))) == []


# ---------------------------------------------------------------------------- SC001 / SC002


def task(schedule: str | None = None, active: str = "true") -> str:
    tail = f"  {schedule}\n" if schedule else ""
    return f'task "Nightly" {{\n  active = {active}\n  stack {{\n    var $x {{ value = now }}\n  }}\n{tail}}}\n'


def test_sc001_no_schedule_points_at_the_task(tmp_path):
    result = lint(tmp_path, "// the nightly job\n" + task())
    assert hits(result) == [("SC001", 2, 1, 2, 15)]
    assert messages(result, "SC001")[0].startswith("task `Nightly` has no schedule: it never runs; add `schedule = [")


def test_sc001_empty_schedule(tmp_path):
    assert hits(lint(tmp_path, task("schedule = []"))) == [("SC001", 6, 14, 6, 16)]


def test_sc001_inactive_task_is_reported_unless_asked_not_to(tmp_path):
    result = lint(tmp_path, task(active="false"))
    assert messages(result, "SC001") == [
        "task `Nightly` has no schedule: it would never run once switched on; add "
        "`schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 86400}]`"]
    config = parse_section({"rules": {"SC001": {"include_inactive": False}}})
    assert hits(lint(tmp_path, task(active="false"), config)) == []


@pytest.mark.parametrize("event, fragment", [
    ("{starts_on: 2025-11-28 05:56:27+0000, freq: 0}", "`freq` must be a positive whole number"),
    ("{starts_on: 2025-11-28 05:56:27+0000, freq: -60}", "`freq` must be a positive whole number"),
    ('{starts_on: 2025-11-28 05:56:27+0000, freq: "86400"}', "found `\"86400\"`"),
    ("{starts_on: 2025-11-28 05:56:27+0000, freq: 1.5}", "found `1.5`"),
    ("{freq: 86400}", "without `starts_on`"),
    ('{starts_on: "next monday", freq: 86400}', "`starts_on` is not a valid timestamp"),
    ("{starts_on: 2025-13-28 05:56:27+0000, freq: 86400}", "`starts_on` is not a valid timestamp"),
    ("{starts_on: 2025-11-28 05:56:27+0000, freq: 86400, ends_on: 2025-01-01 00:00:00+0000}",
     "is not after `starts_on`"),
    ("{starts_on: 2025-11-28 05:56:27+0000, frequency: 86400}", "unknown schedule key `frequency`"),
    ("{starts_on: 2025-11-28 05:56:27+0000, freq: $env.freq}", "found `$env.freq`"),
    ("{starts_on: $env.start, freq: 60}", "(`$env.start`)"),
])
def test_sc002_bad_event_points_at_the_event(tmp_path, event, fragment):
    result = lint(tmp_path, task(f"schedule = [{event}]"))
    assert [f.code for f in result.findings] == ["SC002"]
    finding = result.findings[0]
    assert (finding.line, finding.column, finding.end_column) == (6, 15, 15 + len(event))
    assert fragment in finding.message


def test_sc002_legacy_block_and_not_a_list(tmp_path):
    legacy = "schedule {\n    events = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n  }"
    result = lint(tmp_path, task(legacy))
    assert [(f.code, f.line, f.column) for f in result.findings] == [("SC002", 6, 3), ("XS002", 6, 3)]
    assert "write `schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]`" in messages(result, "SC002")[0]
    result = lint(tmp_path, task('schedule = "daily"'))
    assert messages(result, "SC002") == ["task `Nightly`: `schedule` must be a list of events, e.g. "
                                         "`schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 86400}]`"]


@pytest.mark.parametrize("events", [
    "{starts_on: 2025-11-28 05:56:27+0000}",  # once
    "{starts_on: 2025-11-28 05:56:27+0000, freq: 900, ends_on: 2026-01-01 00:00:00+0000}",
    "{starts_on: 2025-11-28 05:56:27+0000, freq: 86400, ends_on: null}",
    "{starts_on: 2025-11-28 05:56:27+0000, freq: 3600}, {starts_on: 2025-11-28 06:00:00+0000, freq: 86400}",
    "{starts_on: 2025-11-28 05:56:27+0000, freq: 86400, !frequency: 60}",  # a disabled key is left out
    "{starts_on: 2025-11-28 05:56:27+0000, !freq: 0}",
])
def test_sc002_good_schedules(tmp_path, events):
    assert hits(lint(tmp_path, task(f"schedule = [{events}]"))) == []


# ---------------------------------------------------------------------------- ID001 / ID002 / XR001


def call(inputs: str | None, callee: str = "Workers/Sync People") -> str:
    block = f" {{\n  input = {inputs}\n}}" if inputs is not None else ""
    return caller(f'function.run "{callee}"{block} as $result')


def test_id001_close_name(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{user_id: $input.ad_user_id}")})
    assert hits(result) == [("ID001", 7, 16, 7, 23)]
    assert result.findings[0].message == "`Workers/Sync People` has no input `user_id`; did you mean `ad_user_id` (a required input)?"
    assert result.findings[0].replacement == "ad_user_id"


def test_id001_no_close_name_lists_the_inputs(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{ad_user_id: 1, colour: \"red\"}")})
    assert messages(result, "ID001") == [
        "`Workers/Sync People` has no input `colour`; it takes `ad_user_id`, `endpoint_type`"]
    empty = function("Workers/Sync People", "", "", ENVELOPE.replace("$people", "1"))
    result = lint(tmp_path, {"w.xs": empty, "t.xs": call("{ad_user_id: 1, colour: \"red\"}")})
    assert messages(result, "ID001")[0] == "`Workers/Sync People` has no input `ad_user_id`; it takes no inputs"


def test_id002_missing_required_input(tmp_path):
    worker = function("Workers/Sync People", "int ad_user_id\ntext endpoint_type\nbool dry?\nint limit?=10",
                      "", ENVELOPE.replace("$people", "1"))
    result = lint(tmp_path, {"w.xs": worker, "t.xs": call("{dry: true}")})
    assert hits(result) == [("ID002", 6, 5, 6, 39)]
    assert result.findings[0].message == (
        "call to `Workers/Sync People` omits the required inputs `ad_user_id` (int), `endpoint_type` (text); "
        "add `ad_user_id: ..., endpoint_type: ...` to its `input`")
    result = lint(tmp_path, {"w.xs": worker, "t.xs": call(None)})
    assert [f.code for f in result.findings] == ["ID002"]
    assert result.findings[0].message.endswith("pass `input = {ad_user_id: ..., endpoint_type: ...}`")


def test_disabled_input_entries_are_neither_passed_nor_unknown(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{\n    ad_user_id: 1\n    !colour: \"red\"\n  }")})
    assert hits(result) == []
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{!ad_user_id: 1}")})
    assert [f.code for f in result.findings] == ["ID002"]
    assert "omits the required input `ad_user_id` (int)" in result.findings[0].message


def test_id002_names_the_type_as_declared(tmp_path):
    worker = function("Workers/Sync People", "int[] ids\ntext[1:5]? tags\nobject opts {\n  schema {\n    int x\n  }\n}",
                      "", ENVELOPE.replace("$people", "1"))
    result = lint(tmp_path, {"w.xs": worker, "t.xs": call("{}")})
    assert messages(result, "ID002") == [
        "call to `Workers/Sync People` omits the required inputs `ids` (int[]), `tags` (text[1:5]?), "
        "`opts` (object); pass `input = {ids: ..., tags: ..., opts: ...}`"]


def test_id002_quiet_where_id001_names_the_input(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{user_id: 1}")})
    assert [f.code for f in result.findings] == ["ID001"]


@pytest.mark.parametrize("inputs", ["$input", "{ad_user_id: 1, \"a.b\": 2}", "{ad_user_id: 1, endpoint_type: \"x\"}"])
def test_id_rules_silent_when_undecidable_or_right(tmp_path, inputs):
    assert hits(lint(tmp_path, {"w.xs": WORKER, "t.xs": call(inputs)})) == []


def test_id_rules_silent_when_the_callee_takes_a_dblink(tmp_path):
    worker = WORKER.replace("    text endpoint_type?\n", '    dblink {\n      table = "person"\n    }\n')
    result = lint(tmp_path, {"w.xs": worker, "t.xs": call("{first_name: 1}")})
    assert hits(result) == []


def test_id_rules_silent_for_duplicate_definitions(tmp_path):
    other = function("Workers/Sync People", "int user_id", "", ENVELOPE.replace("$people", "1"))
    result = lint(tmp_path, {"w.xs": WORKER, "w2.xs": other, "t.xs": call("{user_id: 1}")})
    assert [hit for hit in hits(result) if hit[0] != "DU001"] == []
    assert [f.path.split("/")[-1] for f in result.findings if f.code == "DU001"] == ["w.xs", "w2.xs"]  # the copy


def test_xr001_unknown_function(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": call("{ad_user_id: 1}", "Workers/Sync Peple")})
    assert hits(result) == [("XR001", 6, 5, 6, 38)]
    assert result.findings[0].message == ('`function.run "Workers/Sync Peple"`: no function of that name in the '
                                          'workspace; did you mean `Workers/Sync People`?')
    assert result.findings[0].replacement == 'function.run "Workers/Sync People"'
    result = lint(tmp_path, {"t.xs": call("{ad_user_id: 1}", "Utils/Completely Else")})
    assert messages(result, "XR001")[-1].endswith("no function of that name in the workspace")


def test_xr001_callee_in_a_file_that_does_not_parse_is_not_missing(tmp_path):
    broken = WORKER.replace("response =", "response ==")
    result = lint(tmp_path, {"w.xs": broken, "t.xs": call("{user_id: 1}")})
    assert [f.code for f in result.findings] == ["XS001"]
    # also when the broken file starts with a byte-order mark
    result = lint(tmp_path, {"w.xs": "\ufeff" + broken})
    assert [f.code for f in result.findings] == ["XS001"]


def test_xr001_needs_the_whole_workspace(tmp_path):
    (tmp_path / "t.xs").write_text(call("{ad_user_id: 1}", "Workers/Elsewhere"), encoding="utf-8")
    assert hits(lint_paths([tmp_path / "t.xs"], use_cache=False)) == []  # a loose file: cannot tell
    assert hits(lint_paths([tmp_path], use_cache=False)) == []  # a loose folder: cannot tell either
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")  # a pulled workspace: can tell
    assert [f.code for f in lint_paths([tmp_path / "t.xs"], use_cache=False).findings] == ["XR001"]


def test_workspace_layout_makes_a_root(tmp_path):
    ws = tmp_path / "ws"
    (ws / "function" / "Workers").mkdir(parents=True)
    (ws / "function" / "Tasks").mkdir(parents=True)
    (ws / "function" / "Workers" / "w.xs").write_text(WORKER, encoding="utf-8")
    (ws / "function" / "Tasks" / "t.xs").write_text(call("{user_id: 1}"), encoding="utf-8")
    (ws / "function" / "Tasks" / "u.xs").write_text(call("{}", "Workers/Gone").replace("Tasks/Sync People", "Tasks/U"),
                                                  encoding="utf-8")
    result = lint_paths([ws / "function" / "Tasks"], use_cache=False)
    assert sorted(f.code for f in result.findings) == ["ID001", "XR001"] and result.files == 2
    # a folder named `function` somewhere above does not make an unrelated folder a workspace
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "function").mkdir()
    (tmp_path / "elsewhere" / "t.xs").write_text(call("{}", "Workers/Gone"), encoding="utf-8")
    assert hits(lint_paths([tmp_path / "elsewhere"], use_cache=False)) == []


def test_configured_workspace_folder_is_a_root(tmp_path, monkeypatch):
    (tmp_path / "xanoctl.yaml").write_text("dir: src\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "w.xs").write_text(WORKER, encoding="utf-8")
    (tmp_path / "src" / "t.xs").write_text(call("{user_id: 1}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from xanoctl.lint.config import load_config

    result = lint_paths([tmp_path / "src" / "t.xs"], load_config(), use_cache=False)
    assert [f.code for f in result.findings] == ["ID001"]


def test_cross_file_rules_see_the_workspace_around_a_single_file(tmp_path):
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")
    (tmp_path / "function").mkdir()
    (tmp_path / "function" / "w.xs").write_text(WORKER, encoding="utf-8")
    (tmp_path / "t.xs").write_text(call("{user_id: 1}"), encoding="utf-8")
    result = lint_paths([tmp_path / "t.xs"], use_cache=False)
    assert [f.code for f in result.findings] == ["ID001"] and result.files == 1


# ---------------------------------------------------------------------------- XS001 / XS002


def test_xs001_syntax_error_position_and_message(tmp_path):
    result = lint(tmp_path, function("Utils/A", "", "var $a { value = 1 } var $b { value = 2 }"))
    assert [(f.code, f.line) for f in result.findings] == [("XS001", 5)]
    assert result.findings[0].column > 1 and result.findings[0].message


@pytest.mark.parametrize("data, fragment", [
    (b"\x00\x01binary", "binary"),
    (b"function \"x\" {\xff}", "UTF-8"),
    (b"", "empty"),
    (b"// only a comment\n", "no XanoScript document"),
])
def test_xs001_hostile_files(tmp_path, data, fragment):
    (tmp_path / "bad.xs").write_bytes(data)
    result = lint_paths([tmp_path], use_cache=False)
    assert [f.code for f in result.findings] == ["XS001"]
    assert fragment in result.findings[0].message


def test_xs002_legacy_forms(tmp_path):
    stack = "var x { value = 1 }\ndb.query person { search = 1 } as rows"
    result = lint(tmp_path, function("Utils/A", "", stack, "$x"))
    assert [(f.code, f.line, f.column) for f in result.findings] == [
        ("XS002", 5, 5), ("XS002", 6, 23), ("XS002", 6, 39)]
    assert messages(result, "XS002")[0] == "`var x` is the older form: write `var $x`"


def test_xs002_shows_the_current_form_with_the_code_itself(tmp_path):
    text = ('function "Utils/A" {\n  input {\n    int n?\n  }\n  stack {\n'
            '    precondition if (`$input.n != null`) {\n      error = "no n"\n    }\n  }\n'
            '  response {\n    value = $input.n * 2\n  }\n}\n---\n'
            'task "B" {\n  stack {\n    var $x { value = 1 }\n  }\n'
            '  schedule {\n    events = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n  }\n}\n')
    result = lint(tmp_path, text)
    assert messages(result, "XS002") == [
        "`precondition if (...)` is the older form: write `precondition ($input.n != null) {`",
        "`response { value = ... }` is the older form: write `response = $input.n * 2`",
        "`schedule { events = [...] }` is the older form: write "
        "`schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]`",
    ]
    assert messages(result, "SC002") == [
        "task `B`: `schedule { events = [...] }` is the older form; write "
        "`schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]`"]


# ---------------------------------------------------------------------------- multidoc


def test_multidoc_positions_are_file_lines(tmp_path):
    result = lint(tmp_path, WORKER + "---\n" + call("{user_id: 1}"))
    assert hits(result) == [("ID001", 18, 16, 18, 23)]
