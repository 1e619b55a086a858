"""The rules on the semantic model (VR001, VR002, IN001, TY001, and FP001 through value
types): what each must catch, with exact positions, and what it must leave alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xanoctl.lint.api import lint_paths

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import function  # noqa: E402


def lint(tmp_path: Path, files: dict[str, str] | str, **kw):
    if isinstance(files, str):
        files = {"main.xs": files}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")  # a whole workspace
    return lint_paths([tmp_path], use_cache=False, **kw)


def hits(result, code: str):
    return [(f.line, f.column, f.end_line, f.end_column) for f in result.findings if f.code == code]


def messages(result, code: str):
    return [f.message for f in result.findings if f.code == code]


# ---------------------------------------------------------------------------- VR001


def test_vr001_unbound_read_with_did_you_mean(tmp_path):
    stack = 'db.query person {\n  return = {type: "count"}\n} as $people_count'
    result = lint(tmp_path, function("Utils/Count", "", stack, "{count: $people_cnt}"))
    assert hits(result, "VR001") == [(9, 22, 9, 33)]
    assert messages(result, "VR001") == [
        "`$people_cnt` is read but nothing in this function sets it; did you mean `$people_count`?"]
    assert result.findings[0].replacement == "$people_count"


def test_vr001_every_read_is_reported_where_it_stands(tmp_path):
    stack = "var $a { value = $missing + 1 }\nconditional {\n  if ($missing > 2) {\n    debug.log { value = $a }\n  }\n}"
    result = lint(tmp_path, function("Utils/A", "", stack, "$a"))
    assert hits(result, "VR001") == [(5, 22, 5, 30), (7, 11, 7, 19)]
    assert messages(result, "VR001")[0].endswith("set it first (`var $missing { value = ... }`)")


@pytest.mark.parametrize("stack, response", [
    # bound later, or only in a branch, a loop or a catch: flow-insensitive, as in Xano
    ("debug.log { value = $later }\nvar $later { value = 1 }", "null"),
    ("conditional {\n  if (true) {\n    var $x { value = 1 }\n  }\n}", "$x"),
    ("foreach ([1, 2]) {\n  each as $item {\n    debug.log { value = $item }\n  }\n}", "$item"),
    ("for (3) {\n  each as $i {\n    debug.log { value = $i ~ $index }\n  }\n}", "null"),
    ("try_catch {\n  try {\n    var $x { value = 1 }\n  }\n  catch {\n    debug.log { value = $error.message }\n  }\n}",
     "$x"),
    # the element of higher-order filters and of array statements
    ("var $names { value = [{a: 1}]|map:$$.a|filter:$$ > 0 }", "$names"),
    ("array.filter ([1, 2]) if ($this > 1) as $big", "$big"),
    # the row of an addon, the built-ins, the long form $var.x, names in backticks
    ('db.query person {\n  addon = [{name: "n", input: {id: $output.id}, as: "_n"}]\n} as $rows', "$rows"),
    ("var $x { value = $auth.id ~ $env.NAME ~ $input }", "$var.x"),
    ("var $x { value = `$y + 1` }", "$x"),
    # a read in a disabled statement never runs
    ("!debug.log { value = $nowhere }", "null"),
    # the older `var x1 {` binds `$x1`
    ("var x1 {\n  value = 1\n}\nvar.update x1 {\n  value = 2\n}", "$x1"),
])
def test_vr001_silent(tmp_path, stack, response):
    assert hits(lint(tmp_path, function("Utils/A", "", stack, response)), "VR001") == []


def test_vr001_built_ins_only_where_xano_binds_them(tmp_path):
    stack = "debug.log { value = $error.message }\nvar $x { value = $$ }"
    result = lint(tmp_path, function("Utils/A", "", stack, "$x"))
    assert hits(result, "VR001") == [(5, 25, 5, 31), (6, 22, 6, 24)]


def test_vr001_a_variable_bound_only_in_a_disabled_statement(tmp_path):
    result = lint(tmp_path, function("Utils/A", "", "!var $x { value = 1 }", "$x"))
    assert hits(result, "VR001") == [(7, 14, 7, 16)]


# ---------------------------------------------------------------------------- VR002


def test_vr002_unused_var(tmp_path):
    stack = "var $limit { value = 100 }\nvar $used { value = 1 }\nvar.update $limit { value = 5 }"
    result = lint(tmp_path, function("Utils/A", "", stack, "$used"))
    assert hits(result, "VR002") == [(5, 9, 5, 15)]
    assert messages(result, "VR002") == ["`$limit` is set but never read; use it or remove the `var`"]
    assert result.findings[0].severity == "warning"


@pytest.mark.parametrize("stack", [
    "db.add person {\n  data = {name: \"x\"}\n} as $row",  # `as` names a side effect
    "var $x { value = 1 }\napi.lambda {\n  code = \"return $var.x + 1;\"\n} as $y",  # read by lambda code
    "var $x { value = 1 }\nvar $y { value = `$x * 2` }\ndebug.log { value = $y }",  # read in a backtick
    "var $x { value = [] }\narray.push $x { value = 1 }",  # changed in place: its value is used
    "var $x { value = 1 }\n!debug.log { value = $x }",  # read by a disabled statement
])
def test_vr002_silent(tmp_path, stack):
    assert hits(lint(tmp_path, function("Utils/A", "", stack)), "VR002") == []


# ---------------------------------------------------------------------------- IN001


def test_in001_undeclared_input_with_did_you_mean(tmp_path):
    stack = "db.query person {\n  where = $db.person.ad_user_id == $input.user_id\n} as $rows"
    result = lint(tmp_path, function("Utils/A", "int ad_user_id\ntext name", stack, "$rows"))
    assert hits(result, "IN001") == [(8, 40, 8, 54)]
    assert messages(result, "IN001") == [
        "`$input.user_id`: this function declares no input `user_id`; did you mean `ad_user_id`?"]
    assert result.findings[0].replacement == "$input.ad_user_id"


def test_in001_lists_the_inputs_when_none_is_close(tmp_path):
    result = lint(tmp_path, function("Utils/A", "int a\ntext b", "", "$input.zzz"))
    assert hits(result, "IN001") == [(8, 14, 8, 24)]
    assert messages(result, "IN001") == ["`$input.zzz`: this function declares no input `zzz`; it takes `a`, `b`"]


@pytest.mark.parametrize("inputs, response", [
    ("int a", "$input.a"),
    ("object where {\n  schema {\n    int id\n  }\n}", "$input.where.id"),
    ('dblink {\n  table = "user"\n}', "$input.name"),  # the fields of a table: cannot be told
    ("int a", "$input|get:\"b\""),  # a dynamic read
])
def test_in001_silent(tmp_path, inputs, response):
    assert hits(lint(tmp_path, function("Utils/A", inputs, "", response)), "IN001") == []


def test_in001_silent_without_an_input_clause(tmp_path):
    task = ('task "Nightly" {\n  stack {\n    debug.log { value = $input.x }\n  }\n'
            '  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}\n')
    assert hits(lint(tmp_path, task), "IN001") == []


LINKED = "table goal {\n  schema {\n    int id\n    text target\n    text name\n  }\n}\n"


def test_in001_linked_inputs_are_the_columns_of_the_table(tmp_path):
    # `dblink { table = "goal" }` declares goal's columns as inputs; `target_value` is none of them
    inputs = 'int goal_id\ndblink {\n  table = "goal"\n}'
    stack = "var $t { value = $input.target_value }\nvar $n { value = $input.name }"
    result = lint(tmp_path, {"goal.xs": LINKED, "main.xs": function("Goals/Set", inputs, stack,
                                                                       "{t: $t, n: $n, id: $input.goal_id}")})
    assert hits(result, "IN001") == [(9, 22, 9, 41)]
    assert messages(result, "IN001") == [
        "`$input.target_value`: this function declares no input `target_value` (its inputs include the columns of "
        "`goal`); did you mean `target`?"]
    assert result.findings[0].fix.edits[0].text == "$input.target"


@pytest.mark.parametrize("files", [
    {},  # the linked table is not in the workspace
    {"goal.xs": LINKED.replace("text name", "dblink {\n  table = \"other\"\n}")},  # not known in full
    {"goal.xs": LINKED, "goal2.xs": LINKED.replace("text target", "text goal")},  # defined twice, differently
])
def test_in001_linked_inputs_silent_when_the_table_is_not_known_in_full(tmp_path, files):
    inputs = 'dblink {\n  table = "goal"\n}'
    main = function("Goals/Set", inputs, "var $t { value = $input.target_value }", "$t")
    assert hits(lint(tmp_path, {**files, "main.xs": main}), "IN001") == []


LAMBDA = """api.lambda {
  code = \"\"\"
    // $input.commented is not read
    const text = "$input.quoted" + `${$input.in_template}`;
    const file = $input.file || $input.fiel;
  \"\"\"
  timeout = 10
} as $out"""


def test_in001_inputs_read_in_lambda_code(tmp_path):
    result = lint(tmp_path, function("Media/Upload", "file? file?\ntext in_template", LAMBDA, "$out"))
    assert hits(result, "IN001") == [(11, 37, 11, 48)]
    assert messages(result, "IN001") == ["`$input.fiel`: this function declares no input `fiel`; did you mean `file`?"]
    assert result.findings[0].fix.edits[0].text == "$input.file"
    # a disabled lambda runs nothing
    disabled = LAMBDA.replace("api.lambda", "!api.lambda")
    assert hits(lint(tmp_path, function("Media/Upload", "file? file?", disabled, "null")), "IN001") == []


# ---------------------------------------------------------------------------- TY001

USER = "table user {\n  schema {\n    int id\n    text name\n    decimal score?\n  }\n}\n"


def get_user(value: str, before: str = "") -> str:
    return before + f'db.get user {{\n  field_name = "id"\n  field_value = {value}\n}} as $user'


def test_ty001_text_input_to_an_int_column(tmp_path):
    files = {"user.xs": USER, "main.xs": function("Utils/A", "text user_id filters=trim",
                                                    get_user("$input.user_id"), "$user")}
    result = lint(tmp_path, files)
    assert hits(result, "TY001") == [(8, 21, 8, 35)]
    assert messages(result, "TY001") == [
        "`$input.user_id` is text but column `user.id` is int; convert it: `$input.user_id|to_int`"]
    assert next(f for f in result.findings if f.code == "TY001").replacement == "$input.user_id|to_int"


@pytest.mark.parametrize("value, before", [
    ("$id", "var $id { value = $input.user_id|to_int }\n"),  # converted first: the rule follows it
    ("$input.user_id|to_int", ""),
    ('"42"', ""),  # a quoted number converts cleanly
    ("$input.user_id|first_notnull:0", ""),  # cannot be told
    ("$id", 'var $id { value = null }\nvar.update $id { value = $input.user_id|to_int }\n'),
    ("$row.user_id", "db.get user as $row\n"),  # a column of a row: not followed
])
def test_ty001_silent(tmp_path, value, before):
    files = {"user.xs": USER, "main.xs": function("Utils/A", "text user_id", get_user(value, before), "$user")}
    assert hits(lint(tmp_path, files), "TY001") == []


def test_ty001_literals_variables_and_rows(tmp_path):
    stack = ('var $key { value = "u-" ~ $input.n }\n' + get_user('""') + "\n" + get_user("$key").replace("$user", "$u2")
             + "\n" + get_user("$u2").replace("$user", "$u3"))
    files = {"user.xs": USER, "main.xs": function("Utils/A", "int n", stack, "$u3")}
    result = lint(tmp_path, files)
    assert messages(result, "TY001") == [
        '`""` is text but column `user.id` is int; write a number',
        "`$key` is text but column `user.id` is int; convert it: `$key|to_int`",
        "`$u2` is an object but column `user.id` is int; pass one of its fields (`.id`)"]
    assert hits(result, "TY001") == [(9, 21, 9, 23), (13, 21, 13, 25), (17, 21, 17, 24)]


def test_ty001_function_inputs_against_the_callee(tmp_path):
    callee = function("Utils/Load", "int user_id\ntext note?\nint[] ids?", "", "null")
    caller = function("Utils/Caller", "text id", 'function.run "Utils/Load" {\n'
                      '  input = {user_id: $input.id, note: 5, ids: [1]}\n} as $r\n'
                      'function.run "Utils/Load" {\n  input = {user_id: "abc"}\n} as $s\n'
                      'function.run "Utils/Load" {\n  input = {user_id: "7"}\n} as $t', "[$r, $s, $t]")
    result = lint(tmp_path, {"callee.xs": callee, "caller.xs": caller})
    assert [(f.path.split("/")[-1], f.line, f.column) for f in result.findings if f.code == "TY001"] == [
        ("caller.xs", 7, 25), ("caller.xs", 10, 25)]
    assert messages(result, "TY001") == [
        "`$input.id` is text but input `user_id` of `Utils/Load` is int; convert it: `$input.id|to_int`",
        '`"abc"` is text but input `user_id` of `Utils/Load` is int; write a number']


def test_ty001_silent_for_unknown_tables_columns_and_callees(tmp_path):
    stack = ('db.get account {\n  field_name = "id"\n  field_value = $input.t\n} as $a\n'
             'db.get user {\n  field_name = "nickname"\n  field_value = $input.t\n} as $b\n'
             'function.run "Utils/Nowhere" {\n  input = {id: $input.t}\n} as $c')
    files = {"user.xs": USER, "main.xs": function("Utils/A", "text t", stack, "[$a, $b, $c]")}
    assert hits(lint(tmp_path, files), "TY001") == []


# ---------------------------------------------------------------------------- FP001 through types


@pytest.mark.parametrize("stack, response, holds", [
    ("db.query person as $rows", "$rows", "a db.query list"),
    ('db.query person {\n  return = {type: "count"}\n} as $n', "$n", "a db.query count"),
    ('db.get person {\n  field_name = "id"\n  field_value = 1\n} as $p', "$p", "a db.get row"),
    ("db.query person as $rows\nvar $n { value = $rows|count }", "$n", "`$rows|count`"),
    ('var $t { value = $input.name|to_lower }', "$t", "`$input.name|to_lower`"),
])
def test_fp001_a_variable_holding_no_envelope(tmp_path, stack, response, holds):
    result = lint(tmp_path, function("Workers/A", "text name", stack, response))
    assert messages(result, "FP001") == [
        f"response of FP function `Workers/A` is `{response}`, which holds {holds}, not an envelope; "
        f"answer `{{success: true, data: {response}, error: null}}`"]


@pytest.mark.parametrize("stack, response", [
    ("db.query person as $rows\nvar $out { value = {success: true, data: $rows, error: null} }", "$out"),
    ("db.get person as $out\nvar.update $out.success { value = true }", "$out"),  # made into one
    ('function.run "Workers/B" as $r', "$r"),
])
def test_fp001_silent_through_types(tmp_path, stack, response):
    assert messages(lint(tmp_path, function("Workers/A", "", stack, response)), "FP001") == []


def test_ty001_silent_for_a_table_defined_twice(tmp_path):
    other = USER.replace("int id", "uuid id")
    files = {"user.xs": USER, "user2.xs": other,
             "main.xs": function("Utils/A", "text user_id", get_user("$input.user_id"), "$user")}
    assert hits(lint(tmp_path, files), "TY001") == []
