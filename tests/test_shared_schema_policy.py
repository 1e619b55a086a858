"""What a write to a table destroys, told from the parsed table documents before and after
(:func:`xanoctl.sync.sharedschema.lost`), and what undoing a push writes (:func:`of_undo`)."""

from __future__ import annotations

import pytest

from xanoctl.sync.journal import Step
from xanoctl.sync.sharedschema import Loss, Permission, Verdict, Write, lost, of_undo


def table(*columns: str, extra: str = "") -> str:
    body = "".join(f"    {column}\n" for column in columns)
    return f'table "user" {{\n  auth = false\n{extra}  schema {{\n{body}  }}\n}}'


def enum(name: str, *values: str) -> str:
    listed = ", ".join(f'"{v}"' for v in values)
    return f"enum? {name} {{\n      values = [{listed}]\n    }}"


BASE = table("int id", "text name", "int age", enum("state", "on", "off"))


@pytest.mark.parametrize("after, expected", [
    (table("int id", "text name", "int age", enum("state", "on", "off"), "text? email"), ()),  # a column added
    (table("int id", "text? name", "int age", enum("state", "on", "off")), ()),  # nullable now: nothing lost
    (table("int id", "text name", "int age", enum("state", "on", "off", "paused")), ()),  # an enum value added
    (table("int id", "text name", "int age", enum("state", "on", "off"), extra='  description = "x"\n'), ()),
    (table("text name", "int age", enum("state", "on", "off")), ()),  # id is there whether listed or not
    (table("int id", "int age", enum("state", "on", "off")), ("column 'name' removed",)),
    (table("int id", "text full_name", "int age", enum("state", "on", "off")), ("column 'name' removed",)),
    (table("int id", "text name", "text age", enum("state", "on", "off")), ("column 'age' retyped int -> text",)),
    (table("int id", "text name", "int[] age", enum("state", "on", "off")), ("column 'age' retyped int -> int[]",)),
    (table("int id", "text name", "int age", enum("state", "on")),
     ("column 'state' loses the enum value(s) 'off'",)),
    (table("int id", "int age", "text name2", enum("state", "on", "off")), ("column 'name' removed",)),
    ('table "user" {\n  schema {\n    int = =\n  }\n}', ()),  # does not parse: Xano refuses it, nothing is lost
])
def test_what_an_update_of_a_table_loses(after, expected):
    assert lost(Write("table/user.xs", "table 'user'", "table", "update", BASE, after)) == expected


def test_a_dblink_part_removed_cannot_be_told_safe():
    linked = 'table "t" {\n  schema {\n    int id\n    dblink {\n      table = "other"\n    }\n  }\n}'
    plain = 'table "t" {\n  schema {\n    int id\n  }\n}'
    assert lost(Write("t.xs", "t", "table", "update", linked, plain)) == (
        "a dblink part of its schema changed: the columns it brings cannot be compared",)
    assert lost(Write("t.xs", "t", "table", "update", linked, linked.replace("  schema", '  auth = false\n  schema'))) \
        == ()


def test_a_deleted_table_loses_every_record_and_a_created_one_nothing():
    assert lost(Write("t.xs", "t", "table", "delete", BASE, None)) == ("the table is deleted, with every record in it",)
    assert lost(Write("t.xs", "t", "table", "create", None, BASE)) == ()


def test_a_remote_table_that_cannot_be_read_is_not_taken_as_safe():
    (what,) = lost(Write("t.xs", "t", "table", "update", "table {{{", BASE))
    assert "cannot be told" in what


def test_several_losses_of_one_table_are_named_together():
    after = table("int id", "text age", enum("state", "on"))
    assert lost(Write("t.xs", "t", "table", "update", BASE, after)) == (
        "column 'name' removed", "column 'age' retyped int -> text", "column 'state' loses the enum value(s) 'off'")


def step(seq, action, before=None, content=None, status="done", rejected=False):
    return Step(seq=seq, action=action, kind="table", name=f"t{seq}", path=f"table/t{seq}.xs", phase=0, id=seq,
                content=content, before={"xanoscript": before} if before is not None else None, status=status,
                rejected=rejected)


def test_undoing_a_push_writes_the_inverse_of_each_step():
    steps = [step(1, "update", before="old", content="new"), step(2, "create", content="made"),
             step(3, "delete", before="gone"), step(4, "forget"),
             step(5, "create", content="refused", status="failed", rejected=True)]
    assert [(w.action, w.before, w.after) for w in of_undo(steps)] == [
        ("update", "new", "old"), ("delete", "made", None), ("create", None, "gone")]


def test_on_the_live_branch_only_the_data_loss_is_refused():
    write = Write("table/user.xs", "table 'user' (id 1)", "table", "update", BASE, table("int id"))
    verdict = Verdict("", True, [write], [])
    assert verdict.refusals(Permission()) == [] and not verdict.reaches_live
    on_dev = Verdict("dev", False, [write], [])
    assert on_dev.refusals(Permission(shared=True)) == []
    assert on_dev.refusals(Permission()) == [
        "table/user.xs: table 'user' (id 1) is shared by every branch: changing it from branch 'dev' changes the "
        "live database; pass --allow-shared-schema-changes to do it"]


def test_the_question_decides_when_no_flag_does():
    write = Write("table/user.xs", "table 'user'", "table", "update", BASE, table("int id"))

    verdict = Verdict("", True, [write], [Loss(write, lost(write))])
    asked = []
    assert verdict.settle(Permission(confirm=lambda lines: asked.extend(lines) or False)) == [
        "table/user.xs: table 'user': column 'name' removed; column 'age' removed; column 'state' removed: "
        "not confirmed"]
    assert asked == ["data loss: table/user.xs: table 'user': column 'name' removed; column 'age' removed; "
                     "column 'state' removed"]
    assert verdict.settle(Permission(confirm=lambda lines: True)) == []
    assert verdict.settle(Permission(loss=True)) == []
    assert "--allow-data-loss" in verdict.settle(Permission())[0]
