"""DB001, DB002, RT001, XR002, XR003 over small workspaces: what each must catch, with exact
positions, and what it must leave alone."""

from __future__ import annotations

import sys
from pathlib import Path

from xanoctl.lint.api import lint_paths
from xanoctl.lint.config import parse_section

sys.path.insert(0, str(Path(__file__).parent))

from test_lint_rules import function, hits, lint, messages  # noqa: E402

USER = '''table user {
  schema {
    int id
    timestamp created_at?=now
    email? email
    text? first_name
    int? account_id {
      table = "account"
    }
  }
}
'''
ACCOUNT = '''table account {
  schema {
    int id
    text name
  }
}
'''
LINKED = '''table profile {
  schema {
    int id
    dblink {
      table = "user"
    }
  }
}
'''


def tables(**extra: str) -> dict[str, str]:
    return {"table/user.xs": USER, "table/account.xs": ACCOUNT, **extra}


# ---------------------------------------------------------------------------- DB001


def test_db001_unknown_table_with_did_you_mean_and_position(tmp_path):
    stack = 'db.get users {\n  field_name = "id"\n  field_value = 1\n} as $u'
    result = lint(tmp_path, tables(**{"function/f.xs": function("Users/Get", "", stack, "$u")}))
    assert hits(result, "DB001") == [("DB001", 5, 12, 5, 17)]
    assert messages(result, "DB001") == [
        "`db.get` on `users`: no table of that name in the workspace; did you mean `user`?"]
    assert [f.replacement for f in result.findings if f.code == "DB001"] == ["user"]


def test_db001_join_table_and_empty_name(tmp_path):
    stack = ('db.query user {\n  join = {acct: {table: "acounts", where: $db.user.account_id == $db.acct.id}}\n'
             '} as $rows\ndb.del "" {\n  field_name = "id"\n  field_value = 1\n}')
    result = lint(tmp_path, tables(**{"function/f.xs": function("Users/List", "", stack, "$rows")}))
    assert hits(result, "DB001") == [("DB001", 6, 29, 6, 38), ("DB001", 8, 12, 8, 14)]
    assert messages(result, "DB001") == [
        "join of a `db.query` on `acounts`: no table of that name in the workspace; did you mean `account`?",
        "`db.del` names no table (an empty name): it has no table to work on; name the table"]


def test_db001_silent_without_table_documents_or_outside_a_workspace(tmp_path):
    stack = 'db.get users {\n  field_name = "id"\n  field_value = 1\n} as $u'
    text = function("Users/Get", "", stack, "$u")
    assert hits(lint(tmp_path / "a", {"function/f.xs": text}), "DB001") == []
    (tmp_path / "b").mkdir()  # files in no layout: what they hold may not be all there is
    (tmp_path / "b" / "f.xs").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "user.xs").write_text(USER, encoding="utf-8")
    assert hits(lint_paths([tmp_path / "b"], use_cache=False), "DB001") == []


def test_db001_known_tables_disabled_statements_and_numeric_ids(tmp_path):
    stack = ('db.get user {\n  field_name = "id"\n  field_value = 1\n} as $u\n'
             '!db.get nothing {\n  field_name = "id"\n  field_value = 1\n} as $v\n'
             'db.query account as $all')
    result = lint(tmp_path, tables(**{"function/f.xs": function("Users/Get", "", stack, "$u")}))
    assert hits(result, "DB001") == []


# ---------------------------------------------------------------------------- DB002


def test_db002_data_keys_field_name_where_eval_and_joins(tmp_path):
    stack = '\n'.join([
        'db.query user {',
        '  join = {acct: {table: "account", where: $db.user.account_id == $db.acct.idd}}',
        '  where = $db.user.emial == "a" && $db.user.created_at > 0',
        '  eval = {account_name: $db.acct.nmae}',
        '} as $rows',
        'db.edit user {',
        '  field_name = "mail"',
        '  field_value = "a"',
        '  data = {firstname: "x", id: 1, first_name: "y"}',
        '} as $u',
    ])
    result = lint(tmp_path, tables(**{"function/f.xs": function("Users/Edit", "", stack, "$u")}))
    assert hits(result, "DB002") == [
        ("DB002", 6, 70, 6, 82), ("DB002", 7, 15, 7, 29), ("DB002", 8, 29, 8, 42),
        ("DB002", 11, 20, 11, 26), ("DB002", 13, 15, 13, 24)]
    assert messages(result, "DB002") == [
        "`idd` in `join`: table `account` has no column of that name; did you mean `id`?",
        "`emial` in `where`: table `user` has no column of that name; did you mean `email`?",
        "`nmae` in `eval`: table `account` has no column of that name; did you mean `name`?",
        '`field_name = "mail"`: table `user` has no column of that name; did you mean `email`?',
        "`data` key `firstname`: table `user` has no column of that name; did you mean `first_name`?"]
    # `first_name` is written already: renaming `firstname` would write it twice, so no fix
    assert [f.replacement for f in result.findings if f.code == "DB002"][3:] == ['"email"', None]


def test_db002_stays_silent_when_unsure(tmp_path):
    stack = '\n'.join([
        'db.query user {',  # an alias it cannot follow, a name that is no alias, a search index
        '  join = {x: {table: $input.t, where: $db.x.anything == 1}}',
        '  where = $db.other.nothing == 1 && $db.user.$user_search search "a"',
        '} as $rows',
        'db.add user {',  # computed data
        '  data = `$input|pick:["a"]`',
        '} as $a',
        'db.add profile {',  # a table with a dblink
        '  data = {whatever: 1}',
        '} as $p',
        'db.add nowhere {',  # a table the workspace does not define (DB001's)
        '  data = {whatever: 1}',
        '} as $n',
        'db.add dup {',  # defined twice with other columns
        '  data = {b: 1}',
        '} as $d',
    ])
    dup1 = "table dup {\n  schema {\n    int id\n    text a\n  }\n}\n"
    dup2 = "table dup {\n  schema {\n    int id\n    text c\n  }\n}\n"
    files = tables(**{"table/profile.xs": LINKED, "table/dup1.xs": dup1, "table/dup2.xs": dup2,
                      "function/f.xs": function("Users/Add", "", stack, "$a")})
    assert hits(lint(tmp_path, files), "DB002") == []


# ---------------------------------------------------------------------------- RT001


def endpoint(path: str, verb: str, group: str = "App") -> str:
    return (f'query "{path}" verb={verb} {{\n  api_group = "{group}"\n  input {{\n  }}\n  stack {{\n  }}\n'
            f'  response = null\n}}\n')


def test_rt001_same_route_differing_only_in_parameter_names(tmp_path):
    files = {"api/App/users/{id}_GET.xs": endpoint("users/{id}", "GET"),
             "api/App/users/{user_id}_GET.xs": endpoint("/users/{user_id}", "GET")}
    result = lint(tmp_path, files)
    assert hits(result, "RT001") == [("RT001", 1, 1, 1, 19), ("RT001", 1, 1, 1, 25)]
    assert messages(result, "RT001") == [
        "`GET users/{id}` of API group `App` is the same route as `GET /users/{user_id}` "
        "({user_id}_GET.xs): only one of them answers",
        "`GET /users/{user_id}` of API group `App` is the same route as `GET users/{id}` "
        "({id}_GET.xs): only one of them answers"]


def test_rt001_other_verb_other_group_other_path_are_fine(tmp_path):
    files = {"a.xs": endpoint("users/{id}", "GET"), "b.xs": endpoint("users/{id}", "DELETE"),
             "c.xs": endpoint("users/{id}", "GET", "Admin"), "d.xs": endpoint("users/{id}/posts", "GET"),
             "e.xs": endpoint("users", "GET")}
    assert hits(lint(tmp_path, files), "RT001") == []


def test_rt001_two_workspaces_in_one_tree_are_checked_apart(tmp_path):
    # V1 and V2 pulled side by side, and a folder of exports: the same route in two workspaces
    # is no clash; two routes of one export still are
    files = {"v1/xanoctl.lock": "{}", "v1/api/App/users/{id}_GET.xs": endpoint("users/{id}", "GET"),
             "v2/xanoctl.lock": "{}", "v2/api/App/users/{id}_GET.xs": endpoint("users/{id}", "GET"),
             "exports/a/apis/App/1_users_id_GET.xs": endpoint("users/{id}", "GET"),
             "exports/b/apis/App/1_users_id_GET.xs": endpoint("users/{id}", "GET"),
             "exports/b/apis/App/2_users_user_id_GET.xs": endpoint("users/{user_id}", "GET")}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    def clashes(*paths) -> list[str]:
        result = lint_paths([str(tmp_path / path) for path in paths], use_cache=False, select="RT001")
        return sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in result.findings)

    assert clashes(".") == ["exports/b/apis/App/1_users_id_GET.xs", "exports/b/apis/App/2_users_user_id_GET.xs"]
    assert clashes("v1", "v2") == []
    assert clashes("exports") == clashes("exports/b")


# ---------------------------------------------------------------------------- XR002


ARCHIVED = function("Archive/Old Sync", "", "var $x { value = 1 }", "$x")


def test_xr002_live_code_calling_the_archive(tmp_path):
    caller = function("Tasks/Sync", "", 'function.run "Archive/Old Sync" as $r', "$r")
    inside = function("Archive/Older", "", 'function.run "Archive/Old Sync" as $r', "$r")
    old_task = ('task "Old Sync" {\n  stack {\n    function.run "Archive/Old Sync" as $r\n  }\n'
                '  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}\n')
    result = lint(tmp_path, {"function/Archive/Old Sync.xs": ARCHIVED, "function/Tasks/Sync.xs": caller,
                             "function/Archive/Older.xs": inside, "task/Archive/old.xs": old_task})
    assert hits(result, "XR002") == [("XR002", 5, 18, 5, 36)]
    assert result.findings[0].path.endswith("function/Tasks/Sync.xs")
    assert messages(result, "XR002") == [
        '`function.run "Archive/Old Sync"`: calls a function in `Archive/`, outside the live code; '
        "move the function out of the archive or stop calling it"]
    assert [f.severity for f in result.findings if f.code == "XR002"] == ["warning"]


def test_xr002_archive_folders_option(tmp_path):
    old = function("Legacy/Old Sync", "", "var $x { value = 1 }", "$x")
    caller = function("Tasks/Sync", "", 'function.run "Legacy/Old Sync" as $r\nfunction.run "Archive/Old Sync" as $s',
                      "$r")
    files = {"function/a.xs": old, "function/b.xs": ARCHIVED, "function/c.xs": caller}
    config = parse_section({"rules": {"XR002": {"folders": ["legacy"]}}})
    result = lint(tmp_path, files, config)
    assert [m.split("`")[1] for m in messages(result, "XR002")] == ['function.run "Legacy/Old Sync"']


# ---------------------------------------------------------------------------- XR003


ADDON = '''addon post_count {
  input {
    int user_id
  }
  stack {
    db.query post {
      return = {type: "count"}
    }
  }
}
'''
MIDDLEWARE = '''middleware "Check Signature" {
  input {
  }
  stack {
  }
  response = null
}
'''


def test_xr003_calls_of_every_kind(tmp_path):
    stack = '\n'.join([
        'function.call "Users/Lsit" as $a',
        'task.call "Nightly Sycn" as $b',
        'db.query user {',
        '  addon = [{name: "post_cuont", as: "posts"}]',
        '} as $c',
        'middleware.call "Check Signatur" as $d',
        'function.run "" as $e',
        'task.call "" as $f',
    ])
    task = ('task "Nightly Sync" {\n  stack {\n  }\n'
            '  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}\n')
    files = {"addon/a.xs": ADDON, "middleware/m.xs": MIDDLEWARE, "task/t.xs": task,
             "function/l.xs": function("Users/List"), "function/f.xs": function("Users/Run", "", stack)}
    result = lint(tmp_path, files)
    assert hits(result, "XR003") == [
        ("XR003", 5, 19, 5, 31), ("XR003", 6, 15, 6, 29), ("XR003", 8, 23, 8, 35), ("XR003", 10, 21, 10, 37),
        ("XR003", 11, 18, 11, 20), ("XR003", 12, 15, 12, 17)]
    assert messages(result, "XR003") == [
        '`function.call "Users/Lsit"`: no function of that name in the workspace; did you mean `Users/List`?',
        '`task.call "Nightly Sycn"`: no task of that name in the workspace; did you mean `Nightly Sync`?',
        "`addon` item `post_cuont`: no addon of that name in the workspace; did you mean `post_count`?",
        '`middleware.call "Check Signatur"`: no middleware of that name in the workspace; '
        "did you mean `Check Signature`?",
        '`function.run ""`: names no function (an empty name); name the function to call, or delete the statement',
        '`task.call ""`: names no task (an empty name); name the task to call, or delete the statement']
    assert hits(result, "XR001") == []  # the empty name is XR003's alone


def test_xr003_middleware_settings_and_agent_tools(tmp_path):
    endpoint_text = ('query hook verb=POST {\n  api_group = "App"\n  input {\n  }\n  stack {\n  }\n'
                     '  response = null\n  middleware = {pre: [{name: "Check Signature"}, {name: "Chek Signature"}], '
                     'post: [{name: ""}]}\n}\n')
    tool = 'tool lookup {\n  input {\n  }\n  stack {\n  }\n  response = null\n}\n'
    agent = 'agent helper {\n  tools = [{name: "lookup"}, {name: "lokup"}, {name: ""}]\n}\n'
    result = lint(tmp_path, {"middleware/m.xs": MIDDLEWARE, "api/hook.xs": endpoint_text, "tool/t.xs": tool,
                             "agent/a.xs": agent})
    assert hits(result, "XR003") == [("XR003", 2, 37, 2, 44), ("XR003", 8, 57, 8, 73)]
    assert messages(result, "XR003") == [
        "`tools` item `lokup`: no tool of that name in the workspace; did you mean `lookup`?",
        "`middleware` item `Chek Signature`: no middleware of that name in the workspace; "
        "did you mean `Check Signature`?"]


def test_xr003_silent_for_kinds_the_workspace_does_not_hold_or_outside_a_workspace(tmp_path):
    stack = 'task.call "Nightly" as $b\naddon.call counter as $c\napi.call "users/{id}" verb=GET as $d'
    text = function("Users/Run", "", stack)
    assert hits(lint(tmp_path / "a", {"function/f.xs": text}), "XR003") == []
    (tmp_path / "b").mkdir()  # files in no layout: what they hold may not be all there is
    (tmp_path / "b" / "f.xs").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "other.xs").write_text(ADDON.replace("post_count", "other"), encoding="utf-8")
    assert hits(lint_paths([tmp_path / "b"], use_cache=False), "XR003") == []


def test_xr003_api_call_matches_name_and_verb(tmp_path):
    stack = 'api.call "users/{id}" verb=GET as $a\napi.call "users/{id}" verb=DELETE as $b'
    files = {"api/u.xs": endpoint("users/{id}", "GET"), "function/f.xs": function("Users/Run", "", stack)}
    assert messages(lint(tmp_path, files), "XR003") == [
        '`api.call "users/{id} verb=DELETE"`: no endpoint of that name in the workspace; did you mean `users/{id}`?']


def test_rt001_group_from_the_folder_of_an_export_without_api_group_settings(tmp_path):
    def bare(path: str) -> str:
        return endpoint(path, "GET").replace('  api_group = "App"\n', "")

    files = {"apis/services/api_group.xs": 'api_group services {\n  canonical = "kPow7KJL"\n}\n',
             "apis/services/56_services_services_id_GET.xs": bare("services/{services_id}"),
             "apis/services/60_services_id_GET.xs": bare("services/{id}"),
             "apis/live_site/api_group.xs": 'api_group live_site {\n  canonical = "aB3dE5fG"\n}\n',
             "apis/live_site/36_services_id_GET.xs": bare("services/{id}"),
             "apis/loose/37_services_id_GET.xs": bare("services/{id}")}
    result = lint(tmp_path, files)
    assert [(f.path.split("/")[-1], f.message.split(" is ")[0]) for f in result.findings if f.code == "RT001"] == [
        ("56_services_services_id_GET.xs", "`GET services/{services_id}` of API group `services`"),
        ("60_services_id_GET.xs", "`GET services/{id}` of API group `services`")]


# ---------------------------------------------------------------------------- DU001


def test_du001_the_same_object_declared_in_two_files(tmp_path):
    text = function("Tasks/Sync", "", "", "null")
    result = lint(tmp_path, tables(**{"function/Tasks/sync.xs": text, "function/Tasks/sync copy.xs": text,
                                      "table/user copy.xs": USER}))
    assert [(f.path.split("/")[-1], f.line, f.column) for f in result.findings if f.code == "DU001"] == [
        ("sync copy.xs", 1, 1), ("sync.xs", 1, 1), ("user copy.xs", 1, 1), ("user.xs", 1, 1)]
    assert messages(result, "DU001")[0] == (
        "function `Tasks/Sync` is declared 2 times in the workspace (also in sync.xs): Xano keeps one function of "
        "a name; rename or remove the copies")
    assert messages(result, "DU001")[3].startswith("table `user` is declared 2 times in the workspace (also in "
                                                   "user copy.xs)")


def test_du001_silent_for_triggers_endpoints_and_other_workspaces(tmp_path):
    trigger = 'realtime_trigger channel_trigger {\n  channel = "CHANNEL"\n  stack {\n  }\n}\n'
    files = {"realtime/channel/trigger/a.xs": trigger.replace("CHANNEL", "a"),
             "realtime/channel/trigger/b.xs": trigger.replace("CHANNEL", "b"),
             "function/f.xs": function("F", "", "", "null")}
    assert hits(lint(tmp_path / "one", files), "DU001") == []
    # two workspaces side by side each declare F: no duplicate
    lint(tmp_path / "both" / "v2", {"function/f.xs": function("F", "", "", "null")})
    assert hits(lint(tmp_path / "both" / "v1", {"function/f.xs": function("F", "", "", "null")}), "DU001") == []
    assert hits(lint_paths([tmp_path / "both"], use_cache=False), "DU001") == []
