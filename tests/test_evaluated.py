"""The linter reads what Xano evaluates: a disabled object key's value and a disabled filter's
arguments are never evaluated, a `placeholder` of the exporter stands for a statement that
binds and reads variables, and a filter's last argument takes the operators to its right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xanoctl.lint.api import lint_paths

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import function  # noqa: E402

USER = "table user {\n  schema {\n    int id\n    text name\n  }\n}\n"


def lint(tmp_path: Path, files: dict[str, str] | str):
    if isinstance(files, str):
        files = {"main.xs": files}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")  # a whole workspace
    return lint_paths([tmp_path], use_cache=False)


def codes(result) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in result.findings]


# ---------------------------------------------------------------------------- disabled keys


def test_a_disabled_key_of_the_response_is_not_read(tmp_path):
    # `$tags` is bound nowhere and `tag` is no input: neither is evaluated, as Xano leaves the key out
    doc = function("Utils/A", "int id", "var $payload { value = $input.id }",
                   "{result: $payload, !tag: $tags, !by: $input.tag}")
    assert codes(lint(tmp_path, doc)) == []


def test_a_live_key_beside_a_disabled_one_is_still_read(tmp_path):
    doc = function("Utils/A", "int id", "", "{!tag: $tags, result: $payload}")
    assert codes(lint(tmp_path, doc)) == [("VR001", 7, 36)]


def test_a_disabled_key_of_an_object_literal_is_not_read(tmp_path):
    stack = "var $out {\n  value = {\n    id: $input.id\n    !debug: $input.verbose ~ $trace\n  }\n}"
    assert codes(lint(tmp_path, function("Utils/A", "int id", stack, "$out"))) == []


def test_a_disabled_data_key_writes_no_column(tmp_path):
    stack = 'db.add user {\n  data = {name: "x", !nickname: $input.n, age: 3}\n} as $row'
    result = lint(tmp_path, {"user.xs": USER, "main.xs": function("Utils/A", "text n", stack, "$row")})
    assert [f.code for f in result.findings] == ["DB002"] and "`age`" in result.findings[0].message


def test_a_disabled_input_key_passes_nothing(tmp_path):
    # no TY001 for the text passed to an int input: it is not passed, and the input is missing
    callee = function("Utils/Load", "int user_id", "", "null")
    caller = function("Utils/Caller", "text id", 'function.run "Utils/Load" {\n'
                      '  input = {!user_id: $input.id}\n} as $r', "$r")
    assert [f.code for f in lint(tmp_path, {"callee.xs": callee, "caller.xs": caller}).findings] == ["ID002"]


def test_a_var_read_only_in_a_disabled_key_counts_as_read(tmp_path):
    # as a read in a disabled statement does: a name kept in code switched off is not unused
    doc = function("Utils/A", "", "var $tags { value = [] }", "{!tag: $tags}")
    assert codes(lint(tmp_path, doc)) == []


def test_an_unknown_filter_in_a_disabled_key_is_still_unknown(tmp_path):
    doc = function("Utils/A", "int id", "", "{!id: $input.id|to_integer}")
    assert [(f.code, f.message) for f in lint(tmp_path, doc).findings] == [
        ("FL001", "unknown filter `to_integer`: did you mean `to_int`?")]


# ---------------------------------------------------------------------------- disabled filters


def test_the_arguments_of_a_disabled_filter_are_not_read(tmp_path):
    stack = 'var $body {\n  value = {}\n    |!set:"name":$input.name\n    |!set:"trace":$trace\n    |set:"id":$input.id\n}'
    assert codes(lint(tmp_path, function("Utils/A", "int id", stack, "$body"))) == []


def test_the_arguments_of_a_live_filter_after_a_disabled_one_are_read(tmp_path):
    stack = 'var $body {\n  value = {}|!set:"a":$input.a|set:"b":$input.b\n}'
    assert codes(lint(tmp_path, function("Utils/A", "int id", stack, "$body"))) == [("IN001", 7, 44)]


def test_a_disabled_filter_of_an_alias_reads_nothing(tmp_path):
    stack = "db.query user as $rows|!filter:$wanted"
    assert codes(lint(tmp_path, {"user.xs": USER, "main.xs": function("Utils/A", "", stack, "$rows")})) == []


# ---------------------------------------------------------------------------- placeholders

JWE = 'placeholder "mvp:crypto_jwe_decode"'


def test_a_read_after_a_placeholder_may_be_what_it_binds(tmp_path):
    stack = f"debug.log {{ value = $token }}\n{JWE}\ndebug.log {{ value = $claims.sub }}"
    result = lint(tmp_path, function("Utils/A", "", stack, "$claims"))
    # the read before the placeholder is still unbound; those after it are unknown, not unset
    assert codes(result) == [("VR001", 5, 25)]


def test_a_read_anywhere_in_the_loop_of_a_placeholder_may_be_what_it_binds(tmp_path):
    stack = (f"foreach ([1, 2]) {{\n  each as $item {{\n    debug.log {{ value = $claims }}\n    {JWE}\n  }}\n}}\n"
             "debug.log { value = $later }")
    assert codes(lint(tmp_path, function("Utils/A", "", stack))) == []


def test_a_var_before_a_placeholder_may_be_what_it_reads(tmp_path):
    stack = f'var $key {{ value = "k" }}\n{JWE}\nvar $unused {{ value = 1 }}'
    result = lint(tmp_path, function("Utils/A", "", stack))
    assert [(f.code, f.message.split(" ")[0]) for f in result.findings] == [("VR002", "`$unused`")]


def test_a_placeholder_may_change_a_variable_set_before_it(tmp_path):
    # `$id` holds text, but the placeholder could set it again: its type is unknown
    stack = f'var $id {{ value = "abc" }}\n{JWE}\ndb.get user {{\n  field_name = "id"\n  field_value = $id\n}} as $u'
    result = lint(tmp_path, {"user.xs": USER, "main.xs": function("Utils/A", "", stack, "$u")})
    assert codes(result) == []


def test_a_disabled_placeholder_explains_nothing(tmp_path):
    stack = f"!{JWE}\ndebug.log {{ value = $claims }}"
    assert codes(lint(tmp_path, function("Utils/A", "", stack))) == [("VR001", 6, 25)]


# ---------------------------------------------------------------------------- greedy filters


def value_of(expr: str):
    from xanoctl.language.parser import parse_document
    doc = parse_document(function("Utils/A", "", f"var $v {{ value = {expr} }}"))
    return doc.stack[0].value("value")


def show(expr) -> str:
    """The model of an expression, with every operation in parentheses."""
    from xanoctl.language.model import Binary, Filtered, Literal, Member, ObjectLit, Variable
    if isinstance(expr, Binary):
        return f"({show(expr.left)} {expr.op} {show(expr.right)})"
    if isinstance(expr, Filtered):
        chain = "".join("|" + f.name + "".join(":" + show(arg) for arg in f.args) for f in expr.filters)
        return f"({show(expr.value)}{chain})"
    if isinstance(expr, Member):
        return f"{show(expr.obj)}.{expr.key}"
    if isinstance(expr, Variable):
        return expr.name
    if isinstance(expr, ObjectLit):
        return "{" + ", ".join(f"{e.key}: {show(e.value)}" for e in expr.entries) + "}"
    assert isinstance(expr, Literal)
    return expr.raw


@pytest.mark.parametrize("expr, model", [
    # the last argument takes the operators to its right
    ('$phone|starts_with:"+" == false', '($phone|starts_with:("+" == false))'),
    ('$ranked|filter:$$.status == "a" || $$.status == "b"',
     '($ranked|filter:(($$.status == "a") || ($$.status == "b")))'),
    # ... and the right side of such an operator its filters, as in Xano's own parser
    ('$a|contains:"x" || $b|contains:"y"', '($a|contains:("x" || ($b|contains:"y")))'),
    ('$x|set:"phone":$c.phone ?? ""', '($x|set:"phone":($c.phone ?? ""))'),
    # an argument without an operator ends at `:` or `|`: chains and several arguments
    ('{}|set:"a":1|set:"b":2', '({}|set:"a":1|set:"b":2)'),
    ('$x|concat:"- id: " ~ ($id|to_text):""', '($x|concat:("- id: " ~ ($id|to_text)):"")'),
    # parentheses, a filter without argument, and a filter on the right of an operator
    ('($phone|starts_with:"+") == false', '(($phone|starts_with:"+") == false)'),
    ('$a|count > 3', '(($a|count) > 3)'),
    ('$a > $b|count', '($a > ($b|count))'),
])
def test_a_filter_argument_takes_the_operators_to_its_right(expr, model):
    assert show(value_of(expr)) == model


# ---------------------------------------------------------------------------- FL002


def fl002(tmp_path: Path, value: str, inputs: str = "text phone\njson ranked\nint id"):
    result = lint(tmp_path, function("Utils/A", inputs, f"var $v {{ value = {value} }}", "$v"))
    return [(f.line, f.column, f.end_column, f.message, f.replacement) for f in result.findings if f.code == "FL002"]


def test_fl002_a_comparison_swallowed_by_the_needle(tmp_path):
    assert fl002(tmp_path, '$input.phone|starts_with:"+" == false') == [(
        8, 22, 59,
        '`==` is read into the argument of `starts_with`, which gets `"+" == false` (a filter\'s last argument '
        'takes the operators to its right); to apply `==` to its result, write `($input.phone|starts_with:"+") == false`',
        '($input.phone|starts_with:"+") == false')]


@pytest.mark.parametrize("value, fix", [
    ('$input.phone|contains:"x" || $input.phone|contains:"y"',
     '($input.phone|contains:"x") || $input.phone|contains:"y"'),
    ('$input.ranked|get:"status" == "a" && $input.id > 1', '($input.ranked|get:"status") == "a" && $input.id > 1'),
    ("$input.id|add:1 > 10", "($input.id|add:1) > 10"),
    ('$input.phone|to_lower|replace:"-":"" != $input.phone', '($input.phone|to_lower|replace:"-":"") != $input.phone'),
    ('$input.phone|strpos:"0" === 0', '($input.phone|strpos:"0") === 0'),  # an older name
])
def test_fl002_operators_swallowed_by_a_plain_argument(tmp_path, value, fix):
    assert [found[-1] for found in fl002(tmp_path, value)] == [fix]


@pytest.mark.parametrize("value", [
    '($input.phone|starts_with:"+") == false',  # what was meant
    '$input.phone|starts_with:("+" == false)',  # an argument in parentheses: meant too
    '$input.ranked|filter:$$.status == "a" || $$.status == "b"',  # a predicate
    '{}|set:"local":$input.phone == "0"',  # a value
    '$input.ranked|get:"status":null == null',  # a default may be anything
    '$input.phone|concat:"-" ~ $input.id',  # text, not a comparison
    '{}|set:"phone":$input.phone ?? ""',  # a default value for the key
    '$input.phone|!starts_with:"+" == false',  # disabled: it does not run
    '$input.phone|strlen > 3',  # no argument to swallow
])
def test_fl002_silent(tmp_path, value):
    assert fl002(tmp_path, value) == []


def test_fl002_across_lines_names_the_operator_without_a_fix(tmp_path):
    found = fl002(tmp_path, '$input.phone\n    |starts_with:"+" == false')
    assert [(line, fix) for line, _, _, _, fix in found] == [(8, None)]
    assert found[0][3].endswith("to apply `==` to its result, put the filtered value in parentheses")


# ---------------------------------------------------------------------------- XS003


def test_xs003_an_unknown_statement_with_the_closest_real_one(tmp_path):
    stack = "db.rawQuery user as $rows\n!retrun {\n  value = 1\n}\nutil.send_mail {\n  to = \"a@b.c\"\n}"
    result = lint(tmp_path, function("Utils/A", "", stack, "$rows"))
    assert [(f.code, f.line, f.column, f.end_column, f.message, f.replacement) for f in result.findings] == [
        ("XS003", 5, 5, 16, "unknown statement `db.rawQuery`: did you mean `db.query`?", "db.query"),
        ("XS003", 6, 6, 12, "unknown statement `retrun`: did you mean `return`?", "return"),
        ("XS003", 9, 5, 19, "unknown statement `util.send_mail`: did you mean `util.send_email`?", "util.send_email")]


@pytest.mark.parametrize("stack", [
    "db.bulk.delete user {\n  where = $db.user.id > 0\n}",  # real, newer than the parser's tables
    'placeholder "mvp:crypto_jwe_decode"',  # written by Xano's exporter
    "security.create_password as $p",  # a family whose list is not known: may be real
    "db.frobnicate user as $x",  # close to nothing: may be newer than the list
])
def test_xs003_silent(tmp_path, stack):
    assert [f.code for f in lint(tmp_path, function("Utils/A", "", stack)).findings if f.code == "XS003"] == []


def test_xs003_statements_the_official_parser_accepts_are_known():
    from xanoctl.semantics.statements import statement_names
    assert {"util.send_email", "util.template_engine", "db.external.postgres.direct_query", "array.find_index",
            "ai.external.mcp.tool.run", "storage.sign_private_url"} <= statement_names()
