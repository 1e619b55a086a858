"""FP004 (success defaulting to true), CF002 (unreachable statements), FL001 (unknown filters):
what each must catch, with exact positions, and what each must leave alone."""

from __future__ import annotations

import pytest

from xanoctl.lint.api import lint_paths
from xanoctl.semantics.filters import names

WORKER = ('function "Workers/W" {\n  input {\n  }\n  stack {\n  }\n'
          '  response = {success: true, data: null, error: null}\n}\n')


def lint(tmp_path, body: str, code: str, inputs: str = "", worker: bool = True):
    text = f'function "Tasks/T" {{\n  input {{\n{inputs}  }}\n  stack {{\n{body}  }}\n  response = null\n}}\n'
    (tmp_path / "t.xs").write_text(text, encoding="utf-8")
    if worker:
        (tmp_path / "w.xs").write_text(WORKER, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")
    result = lint_paths([tmp_path], use_cache=False)
    return [(f.line, f.column, f.end_line, f.end_column, f.message, f.replacement) for f in result.findings if f.code == code]


def run(alias_line: str) -> str:
    return f'    function.run "Workers/W" as $r\n    var $ok {{\n      value = {alias_line}\n    }}\n'


# ---------------------------------------------------------------------------- FP004


@pytest.mark.parametrize("expr, fix", [
    ("$r.success ?? true", "$r.success ?? false"),
    ("$r.success|first_notnull:true", "$r.success|first_notnull:false"),
    ("$r.success|first_notempty:true", "$r.success|first_notempty:false"),
    ('$r|get:"success":true', '$r|get:"success":false'),
    ("$r.data.result.success ?? true", "$r.data.result.success ?? false"),
])
def test_fp004_catches_a_success_defaulting_to_true(tmp_path, expr, fix):
    found = lint(tmp_path, run(expr), "FP004")
    assert found == [(7, 15, 7, 15 + len(expr),
                      f"`{expr}` reads a missing `success` as success: a caller that got no envelope goes on "
                      f"as if the call had worked; default to `false`", fix)]


@pytest.mark.parametrize("expr", [
    "$r.success ?? false", "$r.success == true", "$input.success ?? true", "$env.success ?? true",
    "$r.done ?? true", "$r.success|to_bool|first_notnull:true", "$r.success|!first_notnull:true",
    '$r|get:"data":true', "($r.success ?? false) || $r.retry ?? true",
])
def test_fp004_leaves_other_defaults_alone(tmp_path, expr):
    assert lint(tmp_path, run(expr), "FP004") == []


def test_fp004_in_a_condition_inside_a_loop(tmp_path):
    body = ('    foreach ([1, 2]) {\n      each as $i {\n        function.run "Workers/W" as $r\n'
            '        conditional {\n          if ($r.success ?? true) {\n            debug.log {\n'
            '              value = $i\n            }\n          }\n        }\n      }\n    }\n')
    assert [hit[:4] for hit in lint(tmp_path, body, "FP004")] == [(9, 15, 9, 33)]


# ---------------------------------------------------------------------------- CF002


def test_cf002_statement_after_return(tmp_path):
    body = ('    return {\n      value = 1\n    }\n    debug.log {\n      value = 2\n    }\n'
            '    var $x {\n      value = 3\n    }\n')
    assert lint(tmp_path, body, "CF002") == [(8, 5, 8, 14, "`debug.log` never runs: it comes after the `return` on "
                                                          "line 5 in the same block (and 1 more statement); move it "
                                                          "above, or remove it", None)]


def test_cf002_after_throw_inside_a_branch(tmp_path):
    body = ('    conditional {\n      if ($input.a == null) {\n        throw {\n          name = "E"\n'
            '          value = "no a"\n        }\n        debug.log {\n          value = "unreachable"\n'
            '        }\n      }\n    }\n    debug.log {\n      value = "reachable"\n    }\n')
    found = lint(tmp_path, body, "CF002", inputs="    int a?\n")
    assert [hit[:4] for hit in found] == [(12, 9, 12, 18)]
    assert "after the `throw` on line 8" in found[0][4]


def test_cf002_leaves_reachable_and_disabled_statements_alone(tmp_path):
    body = ('    conditional {\n      if (true) {\n        return {\n          value = 1\n        }\n      }\n'
            '    }\n    !return {\n      value = 2\n    }\n    debug.log {\n      value = 3\n    }\n'
            '    try_catch {\n      try {\n        return {\n          value = 4\n        }\n      }\n'
            '      finally {\n        debug.log {\n          value = 5\n        }\n      }\n    }\n'
            '    return {\n      value = 6\n    }\n    !debug.log {\n      value = 7\n    }\n')
    assert lint(tmp_path, body, "CF002") == []


# ---------------------------------------------------------------------------- FL001


def test_fl001_unknown_filter_with_the_closest_name(tmp_path):
    body = '    var $id {\n      value = $input.raw|trim|to_integer\n    }\n'
    assert lint(tmp_path, body, "FL001", inputs="    text raw\n") == [
        (7, 31, 7, 41, "unknown filter `to_integer`: did you mean `to_int`?", "to_int")]


def test_fl001_in_guards_aliases_disabled_filters_and_nested_arguments(tmp_path):
    body = ('    conditional {\n      if ($input.raw|lenght > 2) {\n        debug.log {\n'
            '          value = [1, 2]|map:($$|to_txt)\n        }\n      }\n    }\n'
            '    db.query person {\n      where = $db.person.name == ($input.raw|!lowercase)\n    } as $p|frist\n')
    found = lint(tmp_path, body, "FL001", inputs="    text raw\n")
    assert [(hit[0], hit[1], hit[4]) for hit in found] == [
        (7, 22, "unknown filter `lenght`: Xano has no filter of that name"),
        (9, 34, "unknown filter `to_txt`: did you mean `to_text`?"),
        (14, 47, "unknown filter `lowercase`: did you mean `to_lower`?"),
        (15, 13, "unknown filter `frist`: did you mean `first`?"),
    ]


def test_fl001_unknown_input_filter(tmp_path):
    found = lint(tmp_path, "", "FL001", inputs="    text name filters=trim|lowercase\n    int n filters=min:1\n")
    assert [(hit[0], hit[1], hit[4]) for hit in found] == [
        (3, 28, "unknown input filter `lowercase`: did you mean `lower`?")]


@pytest.mark.parametrize("expr", [
    "$input.raw|lower", "$input.raw|array_merge:[]", "[1]|lambda_map:$$", "$input.raw|to_int|first_notnull:0",
    '$input.raw|regex_test:"/a/"', "$input.raw|div:2",
])
def test_fl001_older_and_newer_names_are_known(tmp_path, expr):
    assert lint(tmp_path, f"    var $x {{\n      value = {expr}\n    }}\n", "FL001", inputs="    text raw\n") == []


def test_fl001_database_filters_and_aggregates(tmp_path):
    body = ('    db.query person {\n      where = $db.person.created_at|timestamp_year == 2024\n'
            '      return = {\n        type: "aggregate"\n        group: {year: $db.person.year}\n'
            '        eval: {ids: $db.person.id|to_list, owners: $db.person.owner|to_distinct_list}\n      }\n'
            '    } as $rows\n')
    assert lint(tmp_path, body, "FL001") == []


def test_the_fact_list_has_its_source_and_no_overlap():
    found = names()
    assert "to_int" in found.expression and found.deprecated["lower"] == "to_lower"
    assert not found.expression & set(found.deprecated)
    assert {"trim", "min", "minDigit"} <= found.input_names
