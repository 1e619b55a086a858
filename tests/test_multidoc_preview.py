"""How `push --transaction` reads Xano's dry-run: answers the emulator never gives (the field
operations of a table update, an `mvp:placeholder`, a malformed answer), from the shapes in the
official CLI's ``src/utils/multidoc-push.ts``."""

from __future__ import annotations

from xanoctl.sync.journal import Step
from xanoctl.sync.multidoc import read_preview

TABLE = 'table "users" {\n  schema {\n    int id\n    text email\n  }\n}'
FUNCTION = 'function "Utils/x" {\n  stack {\n  }\n  response = null\n}'
ENDPOINT = 'query "users/{id}" verb=GET {\n  api_group = "App"\n  stack {\n  }\n  response = null\n}'


def step(seq: int, action: str, kind: str, name: str, content: str, verb: str | None = None) -> Step:
    return Step(seq=seq, action=action, kind=kind, name=name, path=f"{kind}/{name}.xs", phase=seq, id=seq,
                verb=verb, content=content)


def summary() -> dict:
    return {"table": {"created": 0, "updated": 1, "deleted": 0, "unchanged": 0, "truncated": 0}}


def test_a_table_update_reported_field_by_field_agrees_with_the_plan():
    steps = [step(1, "update", "table", "users", TABLE)]
    answer = {"operations": [{"action": "add_field", "type": "table", "name": "users", "details": "email"},
                             {"action": "drop_field", "type": "table", "name": "users", "details": "phone"}],
              "summary": summary()}
    operations, problems = read_preview(answer, steps)
    assert problems == []
    assert [(op.action, op.path) for op in operations] == [("add_field", "table/users.xs"),
                                                            ("drop_field", "table/users.xs")]


def test_placeholders_and_exceptions_block_and_name_the_file():
    steps = [step(1, "update", "function", "Utils/x", FUNCTION),
             step(2, "create", "query", "users/{id}", ENDPOINT, verb="GET")]
    answer = {"operations": [
        {"action": "update", "type": "function", "name": "Utils/x", "details": "mvp:placeholder function.run"},
        {"action": "create", "type": "query", "name": "users/{id} GET", "details": "exception: invalid syntax"}],
        "summary": summary()}
    _, problems = read_preview(answer, steps)
    assert problems == ["function/Utils/x.xs: function 'Utils/x': mvp:placeholder function.run",
                        "query/users/{id}.xs: query 'users/{id} GET': exception: invalid syntax"]


def test_remote_only_deletes_are_ignored_and_a_missing_document_is_a_problem():
    steps = [step(1, "update", "function", "Utils/x", FUNCTION), step(2, "update", "table", "users", TABLE)]
    answer = {"operations": [{"action": "update", "type": "function", "name": "Utils/x", "details": ""},
                             {"action": "delete", "type": "function", "name": "Other", "details": ""}],
              "summary": summary()}
    _, problems = read_preview(answer, steps)
    assert problems == ["table/users.xs: the server's dry-run does not mention table 'users' (id 2)"]


def test_an_answer_without_operations_and_summary_stops_the_push():
    for answer in ({}, {"operations": [], "summary": []}, {"operations": {}, "summary": {}}):
        operations, problems = read_preview(answer, [step(1, "update", "function", "Utils/x", FUNCTION)])
        assert operations == [] and problems and "cannot check the import" in problems[0]
