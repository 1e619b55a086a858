"""The references a document makes to other objects, and the table index."""

from __future__ import annotations

import textwrap

import pytest

from xanoctl.language.parser import parse_document
from xanoctl.semantics.references import references
from xanoctl.semantics.tables import table_of


def refs(source: str) -> list[tuple]:
    doc = parse_document(textwrap.dedent(source).lstrip())
    return [(ref.kind, ref.name, ref.mode, ref.via, ref.pos[0], ref.pos[1]) for ref in references(doc)]


def test_calls_of_every_kind_with_the_name_position():
    assert refs('''
        workflow_test "t" {
          stack {
            function.run "Workers/A" as $a
            function.call B
            task.call "Nightly"
            tool.call lookup
            trigger.call on_user
            middleware.call "auth check"
            addon.call user_addon
            api.call "users/{id}" verb=GET
            ai.agent.run "Support agent" as $r
          }
        }
    ''') == [
        ("function", "Workers/A", "call", "function.run", 3, 18),
        ("function", "B", "call", "function.call", 4, 19),
        ("task", "Nightly", "call", "task.call", 5, 15),
        ("tool", "lookup", "call", "tool.call", 6, 15),
        ("trigger", "on_user", "call", "trigger.call", 7, 18),
        ("middleware", "auth check", "call", "middleware.call", 8, 21),
        ("addon", "user_addon", "call", "addon.call", 9, 16),
        ("query", "users/{id}", "call", "api.call", 10, 14),
        ("agent", "Support agent", "call", "ai.agent.run", 11, 18),
    ]


def test_tables_read_and_written_joins_and_addons():
    found = refs('''
        function f {
          stack {
            db.query person {
              join = {
                acct: {table: "account", where: $db.person.account_id == $db.acct.id}
              }
              addon = [{name: "person_tags", input: {person_id: $output.id}, as: "tags"}]
            } as $people
            db.add "sync_log" {
              data = {ok: true}
            }
            db.bulk.delete staging {
              where = $db.staging.done
            }
            db.transaction {
              stack {
                db.truncate old_rows
              }
            }
          }
        }
    ''')
    assert [(kind, name, mode, via) for kind, name, mode, via, _, _ in found] == [
        ("table", "person", "read", "db.query"),
        ("table", "account", "read", "join"),
        ("addon", "person_tags", "call", "addon"),
        ("table", "sync_log", "write", "db.add"),
        ("table", "staging", "write", "db.bulk.delete"),
        ("table", "old_rows", "write", "db.truncate"),
    ]


def test_disabled_statements_and_dynamic_names_name_nothing():
    assert refs('''
        function f {
          stack {
            !function.run "Old" as $x
            !conditional {
              if (true) {
                db.add person {
                  data = {}
                }
              }
            }
            db.direct_query {
              sql = "select 1"
            } as $rows
          }
        }
    ''') == []


def test_middleware_of_a_document_and_of_a_workspace_and_empty_names():
    found = refs('''
        query "x" verb=GET {
          api_group = "app"
          stack {
          }
          response = null
          middleware = {pre: [{name: "Verify"}], post: [{name: ""}]}
        }
    ''')
    assert [(kind, name, mode) for kind, name, mode, *_ in found] == [
        ("middleware", "Verify", "uses"), ("middleware", "", "uses")]


@pytest.mark.parametrize("source, columns", [
    ("table t {\n  schema {\n    int id\n    text? name\n    int[] tags?\n  }\n}\n",
     [("id", "int", False, None), ("name", "text", True, None), ("tags", "int", False, "[]")]),
    ("table t {\n  schema {\n    int account_id? {\n      table = \"account\"\n    }\n  }\n}\n",
     [("account_id", "int", False, None)]),
])
def test_table_columns(source, columns):
    table = table_of(parse_document(source))
    assert [(c.name, c.type, c.nullable, c.array) for c in table.columns] == columns
    assert table.column("id").type == "int" and table.column("created_at").type == "timestamp"
    assert table.column("nope") is None


def test_foreign_key_and_other_documents():
    table = table_of(parse_document("table t {\n  schema {\n    int account_id? {\n      table = \"account\"\n    }\n  }\n}\n"))
    assert table.column("account_id").references == "account" and table.complete
    assert table_of(parse_document("function f {\n  stack {\n  }\n}\n")) is None
