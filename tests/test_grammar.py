"""The grammar reads every construct of the XanoScript reference into the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from xanoctl.language.model import (
    Pos, ArrayLit, Backtick, Binary, Cast, Filtered, Literal, Member, ObjectLit, Ternary, Unary, Variable,
    access_path, walk_expr,
)
from xanoctl.language.parser import parse_document, parse_documents, read_source, split_documents

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.xs"))


def load(name: str):
    path = FIXTURES / "valid" / name
    return parse_document(read_source(path), str(path))


def stmt(document, kind: str, nth: int = 0):
    found = [s for s in document.statements() if s.kind == kind]
    return found[nth]


def var_value(document, name: str):
    for s in document.statements():
        if s.kind == "var" and isinstance(s.target, Variable) and s.target.name == name:
            return s.value("value")
    raise KeyError(name)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_fixture_parses(path):
    documents = parse_documents(read_source(path), str(path))
    assert documents
    for document in documents:
        assert document.kind
        assert document.legacy == [], "current syntax must not be reported as legacy"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_crlf_tabs_and_missing_final_newline_parse_the_same(path):
    text = read_source(path)
    plain = [[(s.kind, s.pos.line) for s in d.statements()] for d in parse_documents(text)]
    crlf = text.replace("\n", "\r\n").replace("  ", "\t").rstrip("\r\n")
    again = [[(s.kind, s.pos.line) for s in d.statements()] for d in parse_documents(crlf)]
    assert again == plain


def test_header_comments_name_guid_and_envelope():
    document = load("function_envelope.xs")
    assert document.kind == "function"
    assert document.name == "Workers/FUB - Sync People"
    assert document.name_quoted
    assert document.comments == ["Pulls the people of one FUB account.", "Called by Tasks/FUB - Sync People."]
    assert document.pos.line == 3 and document.pos.column == 1
    assert document.guid == "Vb8m1n0lJxJ2pQy9yZ5kqk3nF0E"
    assert [f.name for f in document.inputs] == ["ad_user_id", "endpoint_type"]
    assert all(f.required for f in document.inputs)
    response = document.response
    assert isinstance(response, ObjectLit)
    assert response.keys() == ["success", "data", "error", "step"]
    ret = stmt(document, "return")
    assert isinstance(ret.value("value"), ObjectLit)
    assert ret.pos.line == 11 and ret.pos.column == 9
    conditional = stmt(document, "conditional")
    assert [b.kind for b in conditional.body] == ["if"]
    guard = conditional.body[0].args[0]
    assert isinstance(guard, Binary) and guard.op == "=="
    assert access_path(guard.left) == ("$input", ["ad_user_id"])


def test_query_header_clauses_and_tests():
    document = load("query_endpoint.xs")
    assert (document.kind, document.name, document.verb) == ("query", "user/{user_id}", "GET")
    assert isinstance(document.value("api_group"), Literal)
    assert document.value("history").value == 100
    cache = document.value("cache")
    assert isinstance(cache, ObjectLit) and cache.get("ttl").value == 3600
    assert [f.name for f in document.inputs] == ["user_id", "fields"]
    fields = document.inputs[1]
    assert fields.nullable and fields.optional and not fields.required
    assert [(f.name, f.disabled) for f in fields.filters] == [("trim", False), ("lower", True)]
    assert document.inputs[0].filters[0].args[0].value == 1
    tests = [b for b in document.blocks if b.kind == "test"]
    assert [t.target for t in tests] == ["returns the user", "rejects zero"]
    assert [s.kind for s in tests[0].body] == ["expect.to_equal", "expect.to_be_defined", "expect.to_be_within"]
    assert document.stack_pos is not None and [s.kind for s in document.stack][:2] == ["precondition", "db.get"]


def test_fields_array_markers_defaults_metadata_and_nesting():
    document = load("table_user.xs")
    assert document.kind == "table" and document.name == "user" and not document.name_quoted
    fields = {f.name: f for f in document.schema}
    assert fields["created_at"].default.kind == "now"
    assert fields["created_at"].settings[0].key == "visibility"
    assert fields["email"].nullable and fields["email"].type == "email"
    assert fields["role"].default.kind == "ident" and fields["role"].default.value == "member"
    assert fields["role"].settings[0].key == "values"
    assert fields["tags"].array == "[]" and fields["tags"].optional
    assert fields["files"].array == "[:3]"
    assert fields["balance"].default.value == 0.0
    assert fields["account_id"].settings[0].value.value == "account"
    address = fields["address"]
    assert [f.name for f in address.fields] == ["street", "city", "lines"]
    assert address.fields[2].array == "[1:5]"
    assert address.fields[2].fields[0].name == "value"
    dblink = document.schema[-1]
    assert dblink.type == "dblink" and dblink.name is None and dblink.settings[0].value.value == "account"
    index = document.value("index")
    assert isinstance(index, ArrayLit) and len(index.items) == 3


def test_statement_general_shape():
    document = load("statement_families.xs")
    kinds = [s.kind for s in document.statements()]
    for kind in ("array.push", "array.find", "math.bitwise.xor", "text.trim", "object.keys", "security.create_uuid",
                 "redis.incr", "storage.create_file_resource",
                 "cloud.aws.s3.upload_file", "ai.agent.run", "util.post_process", "api.lambda", "task.call",
                 "db.bulk.delete", "db.external.postgres.direct_query", "foreach.remove", "await", "debug.stop"):
        assert kind in kinds
    find = stmt(document, "array.find")
    assert isinstance(find.args[0], Variable) and find.guard is not None and find.alias.name == "$found"
    pop = stmt(document, "array.pop")
    assert pop.target.name == "$arr" and pop.alias.name == "$last" and not pop.has_block
    agent = stmt(document, "ai.agent.run")
    assert agent.target == "Support triage" and agent.target_quoted
    post = stmt(document, "util.post_process")
    assert post.body[0].kind == "stack" and post.body[0].body[0].kind == "debug.log"
    lam = stmt(document, "api.lambda")
    assert lam.value("code").kind == "text" and "reduce" in lam.value("code").value


def test_control_flow_bodies():
    document = load("task_control_flow.xs")
    each = stmt(document, "each")
    assert each.alias.name == "$item" and each.alias_before_block
    switch = stmt(document, "switch")
    assert [s.kind for s in switch.body] == ["case", "break", "default"]
    assert switch.body[0].args[0].value == "a"
    try_catch = stmt(document, "try_catch")
    assert [s.kind for s in try_catch.body] == ["try", "catch", "finally"]
    transaction = stmt(document, "db.transaction")
    assert transaction.body[0].kind == "stack"
    api_call = stmt(document, "api.call")
    assert api_call.target == "users/{id}" and api_call.verb == "GET"
    disabled = [s for s in document.statements() if s.disabled]
    assert [s.kind for s in disabled] == ["var"]
    assert disabled[0].pos.column == 5
    run = stmt(document, "function.run")
    assert run.target == "Tasks/Nightly sync" and run.alias.name == "$result"
    assert run.target_pos == Pos(4, 18, 4, 38)


def test_schedule_events_with_timestamp_literals():
    document = load("task_control_flow.xs")
    assert document.value("active").value is True
    events = document.schedule
    assert len(events) == 2
    assert events[0].starts_on.kind == "timestamp" and events[0].starts_on.value == "2025-11-28 05:56:27+0000"
    assert events[0].freq.value == 86400 and events[0].ends_on is None
    assert events[1].ends_on.value == "2026-11-29 05:56:27+0000"
    assert events[1].pos.line == 134


def test_task_without_schedule_has_none():
    document = parse_document('task "x" {\n  stack {\n  }\n}')
    assert document.schedule is None and document.stack == []


def test_expressions_precedence_filters_casts_and_literals():
    document = load("expressions.xs")
    a = var_value(document, "$a")
    assert isinstance(a, Binary) and a.op == "-"  # (1 + 2*3) - ((4/2) % 3)
    assert a.left.op == "+" and a.left.right.op == "*" and a.right.op == "%"
    b = var_value(document, "$b")
    assert b.op == "||"
    assert var_value(document, "$c").op == "??"
    assert isinstance(var_value(document, "$d"), Ternary)
    assert var_value(document, "$e").op == "~"
    f = var_value(document, "$f")
    assert f.op == ">" and isinstance(f.left, Filtered) and f.left.filters[0].name == "strlen"
    g = var_value(document, "$g")
    assert g.op == ">" and isinstance(g.right, Filtered)  # the filter belongs to the right operand
    h = var_value(document, "$h")
    assert isinstance(h.left, Cast) and h.left.type == "int" and h.left.value.value == "42"
    assert isinstance(var_value(document, "$k"), Backtick)
    assert "? \"some\"" in var_value(document, "$l").code
    m = var_value(document, "$m")
    assert m.keys() == ["type", "paging", "quoted key", "nested.key", "when"]
    assert len(var_value(document, "$n").items) == 2
    o = var_value(document, "$o")
    assert [f.name for f in o.filters] == ["map", "join"]
    assert access_path(o.filters[0].args[0]) == ("$$", ["name"])
    q = var_value(document, "$q")
    paths = [access_path(node) for node in walk_expr(q) if isinstance(node, Member)]
    assert ("$n", ["0", "name"]) in paths and ("$n", ["1", "name"]) in paths
    assert any(isinstance(node, Member) and not isinstance(node.key, str) for node in walk_expr(q))
    r = var_value(document, "$r")
    assert isinstance(r, Member) and r.key == "2"
    s = var_value(document, "$s")
    assert s.left.value == -1.5 and s.right.value == -3
    assert var_value(document, "$t").value == 'escapes: "quoted" \\ \n \t \u00e9'
    assert var_value(document, "$u").value == "single 'quoted' text"
    v = var_value(document, "$v")
    assert v.kind == "text" and 'with "quotes"' in v.value
    w = var_value(document, "$w")
    assert ("$env", ["$remote_ip"]) in [access_path(n) for n in walk_expr(w) if isinstance(n, Member)]
    y = var_value(document, "$y")
    filters = [node for node in walk_expr(y) if isinstance(node, Filtered)]
    assert any(f.filters[1].disabled for f in filters if len(f.filters) > 1)
    z = var_value(document, "$z")
    assert z.op == "&&" and z.pos.end_line == z.pos.line + 1
    dates = var_value(document, "$dates")
    assert dates.value.kind == "now" and [f.name for f in dates.filters] == ["transform_timestamp", "format_timestamp"]


def test_long_form_variables_are_normalised():
    document = parse_document('function "a" {\n  stack {\n    var $x {\n      value = $var.people.0\n    }\n  }\n}')
    assert access_path(document.stack[0].value("value")) == ("$people", ["0"])


def test_unary_not():
    document = load("expressions.xs")
    b = var_value(document, "$b")
    assert any(isinstance(node, Unary) and node.op == "!" for node in walk_expr(b))


def test_database_operators_in_where():
    document = load("db_where.xs")
    where = stmt(document, "db.query").value("where")
    ops = {node.op for node in walk_expr(where) if isinstance(node, Binary)}
    assert {"ilike?", "in?", ">=?", "not like", "contains", "not contains", "includes", "not includes",
            "overlaps", "not overlaps", "@>", "~", "!~", "search", "not in", "=", "between", "not between",
            "==?", "!=?", "<?", "<=?", ">?"} <= ops
    backtick = stmt(document, "db.query", 1).value("where")
    assert isinstance(backtick, Backtick)
    bare = stmt(document, "db.query", 2)
    assert bare.target == "audit_log" and bare.alias.filters[0].name == "count" and not bare.has_block


def test_keywords_are_plain_names_as_keys_and_fields():
    document = parse_document(
        'function "a" {\n  input {\n    text input\n    int if?\n  }\n  stack {\n'
        '    function.run "x" {\n      input = {if: 1, in: 2, input: 3, true: 4, now: 5}\n    } as $r\n  }\n'
        '  response = $r.input.if\n}'
    )
    assert [f.name for f in document.inputs] == ["input", "if"]
    call = document.stack[0]
    assert call.value("input").keys() == ["if", "in", "input", "true", "now"]
    assert access_path(document.response) == ("$r", ["input", "if"])


def test_one_line_blocks_and_empty_clauses():
    document = parse_document('function "a" {\n  input {}\n  stack {\n    var $x { value = [] }\n  }\n  response = null\n}')
    assert document.inputs == [] and document.stack[0].value("value").items == []
    assert isinstance(document.response, Literal) and document.response.kind == "null"


def test_all_top_level_kinds():
    path = FIXTURES / "valid" / "other_kinds.xs"
    documents = parse_documents(read_source(path), str(path))
    kinds = [d.kind for d in documents]
    assert kinds == ["addon", "agent", "tool", "mcp_server", "workflow_test", "table_trigger",
                     "realtime_trigger", "realtime_channel", "workspace", "branch"]
    agent = documents[1]
    assert agent.value("llm").get("system_prompt").kind == "text"
    trigger = documents[5]
    assert trigger.value("actions").get("insert").value is True


def test_multidoc_split_keeps_line_numbers():
    text = read_source(FIXTURES / "valid" / "other_kinds.xs")
    parts = split_documents(text)
    documents = parse_documents(text)
    lines = text.splitlines()
    for (offset, _), document in zip(parts, documents):
        assert lines[document.pos.line - 1].startswith(document.kind)
        assert document.line_offset == offset
    tool = documents[2]
    run = tool.stack[0]
    assert lines[run.pos.line - 1].strip().startswith("db.get user")


def test_legacy_forms_parse_and_are_listed_with_positions():
    path = FIXTURES / "legacy" / "beta_function.xs"
    document = parse_document(read_source(path), str(path))
    found = [(message.split(":")[0] if "`" not in message else message.split("`")[1], pos.line, pos.column)
             for message, pos in document.legacy]
    assert found == [
        ("maths/total", 1, 10),
        ("var x1", 7, 5),
        ("search = ...", 11, 7),
        ("as model", 12, 10),
        ("as item", 14, 15),
        ("precondition if (...)", 20, 5),
        ("db.add 48", 23, 5),
        ("maths/helper", 26, 5),
        ("response { value = ... }", 30, 3),
    ]
    assert all("write" in message for message, _ in document.legacy)
    assert document.response.name == "$x1"
    task = parse_document(read_source(FIXTURES / "legacy" / "beta_task.xs"))
    assert task.legacy[0][1].line == 6 and task.schedule[0].freq.value == 3600
    table = parse_document(read_source(FIXTURES / "legacy" / "beta_table.xs"))
    assert "security" in table.legacy[0][0] and table.legacy[0][1].line == 2


def test_grammar_is_loaded_from_the_installed_package():
    import xanoctl
    from importlib import resources

    packaged = resources.files("xanoctl").joinpath("grammar/xanoscript.lark")
    assert packaged.is_file(), "the grammar must ship inside the package"
    assert "start:" in packaged.read_text()
    assert Path(xanoctl.__file__).parent.joinpath("grammar", "xanoscript.lark").is_file()


def test_forms_seen_in_real_exports():
    path = FIXTURES / "valid" / "export_forms.xs"
    query, table, task = parse_documents(read_source(path), str(path))
    assert query.inputs == [], "`input` alone declares nothing"
    cases = [s for s in query.statements() if s.kind == "case"]
    assert [(c.args[0].value, c.then_break, c.has_block) for c in cases] == [("a", True, False), ("b", True, True)]
    flags = stmt(query, "var").value("value")
    assert isinstance(flags, Filtered) and isinstance(flags.value, Cast) and flags.filters[0].name == "json_decode"
    branches = stmt(query, "conditional").body
    assert [(b.kind, b.has_block) for b in branches] == [("if", True), ("elseif", False), ("else", True)]
    assert isinstance(branches[0].args[0], Binary) and isinstance(branches[0].args[0].left, Backtick)
    patch = stmt(query, "db.patch")
    assert isinstance(patch.value("data"), Filtered) and isinstance(patch.value("data").value, Backtick)
    post = stmt(query, "util.post_process")
    assert post.body[0].kind == "stack" and post.body[0].body == []
    fields = {f.name: f for f in table.schema}
    assert fields["external_id"].nullable and fields["external_id"].optional
    assert fields["scores"].array == "[]" and fields["scores"].nullable
    assert [(f.name, [a.value for a in f.args]) for f in fields["account_id"].filters] == [("@", ["dbo=36"])]
    assert [(f.name, [a.value for a in f.args]) for f in fields["code"].filters] == [
        ("pattern", ["^[A-Z]{2}$"]), ("trim", [])]
    assert task.stack == [] and len(task.schedule) == 3
    assert task.schedule[2].ends_on.value == "2029-03-15 18:34:02+0000"


def test_disabled_keys_set_operators_and_access_forms():
    document = load("access_and_disabled_forms.xs")
    order = document.inputs[0]
    assert [f.name for f in order.fields] == ["id", "meta"] and order.fields[1].fields == []
    where = stmt(document, "db.query").value("where")
    assert [node.op for node in walk_expr(where) if isinstance(node, Binary)] == ["&&", "not in?", "in?"]
    target = stmt(document, "math.add").target
    assert access_path(target) == ("$rows", ["0", "qty"])
    assert stmt(document, "math.add").target_pos == Pos(22, 14, 22, 26)

    summary = var_value(document, "$summary")
    assert [(e.key, e.disabled) for e in summary.entries] == [("first", False), ("draft", True), ("sku", False)]
    assert summary.keys() == ["first", "sku"] and summary.get("draft") is None
    assert summary.entries[1].pos == Pos(29, 9, 29, 15)  # from the `!`
    assert access_path(summary.get("first")) == ("$rows", ["0", "qty"])
    assert access_path(summary.get("sku")) == ("$input", ["order", "id"])
    assert summary.get("first").pos == Pos(28, 16, 28, 34)  # up to the closing `]`

    inline = var_value(document, "$inline")
    assert [(e.key, e.disabled) for e in inline.entries] == [("old", True), ("kept", False), ("named", False)]
    assert access_path(inline.get("kept")) == ("$var", [""])
    assert inline.get("named") == Variable("$summary", Pos(35, 45, 35, 57))

    picked = var_value(document, "$picked")
    assert isinstance(picked, Backtick) and picked.code.startswith("(`$input|pick:($summary|keys)`|filter_null)")
    label = var_value(document, "$label")
    assert [f.name for f in label.filters] == ["sprintf"] and len(label.filters[0].args) == 2
    assert isinstance(label.filters[0].args[0], Filtered)


def test_dynamic_key_on_the_variables_root_stays_a_member():
    document = parse_document('function "a" {\n  stack {\n    var $x {\n      value = $[$k].y\n    }\n  }\n}')
    value = document.stack[0].value("value")
    assert isinstance(value, Member) and value.key == "y"
    root = value.obj
    assert isinstance(root, Member) and root.obj == Variable("$var", Pos(4, 15, 4, 16)) and root.key == Variable("$k", Pos(4, 17, 4, 19))
