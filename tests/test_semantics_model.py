"""The semantic model of one document: bindings and reads, declared inputs, value types and
the typed values it hands to callees and tables."""

from __future__ import annotations

import doctest
import textwrap

import pytest

from xanoctl.language.parser import parse_document
from xanoctl.semantics import document, inputs, types, variables
from xanoctl.semantics.document import Semantics


def model(source: str) -> Semantics:
    return Semantics(parse_document(textwrap.dedent(source).lstrip()))


@pytest.mark.parametrize("module", [document, inputs, types, variables])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_bindings_reads_and_their_contexts():
    found = model('''
        function "a" {
          input {
            int id
          }
          stack {
            foreach ($input.list) {
              each as $item {
                var $y { value = $item|map:$$.a }
              }
            }
            try_catch {
              try {
                db.query t {
                  addon = [{name: "n", input: {id: $output.id}, as: "_n"}]
                } as $rows|first
              }
              catch {
                var.update $y { value = $error.message }
              }
            }
            !var $dead { value = $gone }
          }
          response = $rows
        }
    ''').vars
    assert {name: [(b.kind, b.live) for b in bs] for name, bs in found.bindings.items()} == {
        "$item": [("each", True)], "$y": [("var", True)], "$rows": [("as", True)], "$dead": [("var", False)]}
    assert [(r.name, r.pos.line, r.builtin) for r in found.unbound()] == []
    assert [(r.name, r.live) for r in found.reads if r.name == "$gone"] == [("$gone", False)]
    assert [(c.how, c.stmt.kind) for c in found.changes["$y"]] == [("bind", "var"), ("update", "var.update")]
    assert [(read.key, read.pos.line) for read in found.inputs] == [("list", 6)]
    assert found.is_read("$rows") and not found.is_read("$dead")


def test_inputs_with_types_marks_and_nested_objects():
    found = model('''
        query "users/{id}" verb=GET {
          input {
            int id
            text[]? tags?
            object filter {
              schema {
                int[] ids
                object range {
                  schema {
                    timestamp from
                  }
                }
              }
            }
            enum kind?=basic {
              values = ["basic", "pro"]
            }
          }
          stack {
          }
          response = null
        }
    ''').inputs
    assert found.complete
    tags = found.fields["tags"]
    assert (tags.type, tags.array, tags.nullable, tags.optional, tags.required) == ("text", "[]", True, True, False)
    assert found.fields["kind"].required is False  # a default
    assert found.fields["filter"].fields["range"].fields["from"].type == "timestamp"


@pytest.mark.parametrize("expr, expected", [
    ('"x"', "text"), ("1", "int"), ("1.5", "decimal"), ("true", "bool"), ("null", "null"), ("now", "timestamp"),
    ("[1]", "list"), ("{a: 1}", "object"), ('!int "4"', "int"), ("$input.id", "int"), ("$input.name", "text"),
    ("$input.tags", "list"), ("$input.name|to_int", "int"), ("$input.id|to_text", "text"),
    ("$input.tags|count", "int"), ("$input.name|json_decode", None), ("$input.name|trim|!to_int", "text"),
    ("$input.id + 1", "int"), ("$input.id / 2", "decimal"), ("$input.id == 1", "bool"), ('"a" ~ 1', "text"),
    ("$input.id ?? 0", "int"), ("$input.id > 0 ? 1 : 2.5", "decimal"), ("$input.id > 0 ? 1 : \"x\"", None),
    ("$auth.id", None), ("$input.obj.n", "decimal"), ("$input.obj", "object"), ("`$input.id`", None),
])
def test_value_types(expr, expected):
    found = model(f'''
        function "a" {{
          input {{
            int id
            text name
            text[] tags
            object obj {{
              schema {{
                decimal n
              }}
            }}
          }}
          stack {{
            var $x {{ value = {expr} }}
          }}
          response = $x
        }}
    ''')
    assert found.types.variable("$x") == expected


def test_variable_types_from_statements_and_updates():
    found = model('''
        function "a" {
          input {
          }
          stack {
            db.query t as $list
            db.query t {
              return = {type: "single"}
            } as $one
            db.query t {
              return = {type: "exists"}
            } as $any
            db.query t {
              return = {type: "list", paging: {page: 1, per_page: 10}}
            } as $page
            db.add t {
              data = {}
            } as $row
            db.query t as $firsts|first
            db.query t as $n|count
            var $sum { value = 0 }
            math.add $sum { value = 1.5 }
            var $maybe { value = null }
            var.update $maybe { value = "x" }
            var $mixed { value = 1 }
            var.update $mixed { value = "x" }
            function.run "b" as $r
            var $loop { value = $loop + 1 }
          }
          response = null
        }
    ''').types
    assert [found.variable(name) for name in ("$list", "$one", "$any", "$page", "$row", "$firsts", "$n")] == [
        "list", "object", "bool", "object", "object", None, "int"]
    assert [found.variable(name) for name in ("$sum", "$maybe", "$mixed", "$r", "$loop", "$nowhere")] == [
        "decimal", "text", None, None, None, None]
    assert [found.origin(name) for name in ("$list", "$page", "$row", "$firsts", "$sum")] == [
        "a db.query list", "a paged db.query result", "a db.add row", None, None]


def test_handed_values_of_known_type_only():
    found = model('''
        function "a" {
          input {
            text user_id
          }
          stack {
            db.edit user {
              field_name = "id"
              field_value = $input.user_id
              data = {}
            } as $u
            db.del user {
              field_name = $input.user_id
              field_value = 1
            }
            !db.get user {
              field_name = "id"
              field_value = "x"
            } as $dead
            function.run "b" {
              input = {a: null, b: $u.name, c.d: 1, e: [1]}
            } as $r
          }
          response = null
        }
    ''')
    assert [(v.via, v.target, v.key, v.type, v.pos.line) for v in found.handed()] == [
        ("db.edit", "user", "id", "text", 8), ("function.run", "b", "e", "list", 20)]
