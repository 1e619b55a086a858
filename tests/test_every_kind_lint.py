"""Lint and the map over every kind: the rules that read a stack read the stacks of tools,
add-ons and triggers; what triggers fire on and what agents and MCP servers use are checked as
references; EV001 judges `$env.NAME` by the workspace document's environment; the graph links
agents to tools to functions and tables, and tables, agents, MCP servers and channels to their
triggers (a write reaches a table's triggers, a read does not). The shared corpus, read in place
(tests skip when it is absent), holds agents, tools, MCP servers, triggers and a workspace
document."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_lint_rules import hits, lint, messages  # noqa: E402

from xanoctl.lint.api import lint_paths  # noqa: E402
from xanoctl.lint.config import LintConfig  # noqa: E402
from xanoctl.views.load import open_workspaces  # noqa: E402

# beside the project (<project>/../shared/corpus, as tests/test_corpus.py reads it), or beside a worktree's folder
CORPUS = next((path for path in (Path(__file__).resolve().parents[2] / "shared" / "corpus",
                                 Path(__file__).resolve().parents[3] / "shared" / "corpus") if path.is_dir()),
              Path(__file__).resolve().parents[2] / "shared" / "corpus")
PANKAJ = CORPUS / "pankaj22-test+devGitSync"
TRACK = CORPUS / "mflowtron+tracklnd-monorepo"

USER = 'table user {\n  schema {\n    int id\n    text name\n  }\n}\n'
LOOKUP = '''function "Users/Find" {
  input {
    int user_id
  }
  stack {
    db.get user {
      field_name = "id"
      field_value = $input.user_id
    } as $user
  }
  response = $user
}
'''
TOOL = '''tool "Find user" {
  instructions = "Find a user by id"
  input {
    int user_id
  }
  stack {
    function.run "Users/Find" {
      input = {user_id: $input.user_id}
    } as $found
  }
  response = $found
}
'''
AGENT = '''agent Helper {
  llm = {type: "anthropic", model: "claude-4-sonnet", system_prompt: "Help."}
  tools = [{name: "Find user"}]
}
'''
TRIGGER = '''table_trigger "user audit" {
  table = "user"
  input {
    json new
  }
  stack {
    var $seen {
      value = $input.new
    }
  }
  response = $seen
  actions = {insert: true, update: true}
}
'''


def test_rules_that_read_a_stack_read_the_stacks_of_tools_addons_and_triggers(tmp_path):
    files = {
        "table/user.xs": USER, "function/Users/Find.xs": LOOKUP,
        "ai/tool/Find user.xs": TOOL.replace("{user_id: $input.user_id}", "{id: $input.usr}"),
        "addon/names.xs": 'addon names {\n  input {\n    int user_id\n  }\n  stack {\n    db.query user {\n'
                          '      where = $db.user.nmae == $input.user_id\n      return = {type: "single"}\n'
                          '    }\n  }\n}\n',
        "table/trigger/audit.xs": TRIGGER.replace("value = $input.new", "value = $unknown"),
    }
    result = lint(tmp_path, files, ignore=[])
    codes = {(f.code, Path(f.path).parent.name) for f in result.findings}
    assert ("ID001", "tool") in codes  # function.run passes `id`, the function declares `user_id`
    assert ("IN001", "tool") in codes  # $input.usr: the tool declares user_id
    assert ("DB002", "addon") in codes  # $db.user.nmae
    assert ("VR001", "trigger") in codes  # $unknown


def test_references_of_triggers_agents_and_mcp_servers_are_checked(tmp_path):
    files = {
        "table/user.xs": USER, "function/Users/Find.xs": LOOKUP, "ai/tool/Find user.xs": TOOL,
        "ai/agent/Helper.xs": AGENT.replace('{name: "Find user"}', '{name: "Find usr"}'),
        "ai/mcp_server/Tools.xs": 'mcp_server Tools {\n  tools = [{name: "Find user"}]\n}\n',
        "table/trigger/audit.xs": TRIGGER.replace('table = "user"', 'table = "users"'),
        "ai/agent/trigger/hook.xs": 'agent_trigger hook {\n  agent = "Helpr"\n  input {\n  }\n  stack {\n  }\n'
                                    '  actions = {connection: true}\n}\n',
        "ai/mcp_server/trigger/hook.xs": 'mcp_server_trigger hook2 {\n  mcp_server = "Tools"\n  input {\n  }\n'
                                         '  stack {\n  }\n}\n',
        "realtime/channel/room.xs": 'realtime_channel room {\n  public_messaging = {active: false}\n}\n',
        "realtime/trigger/hook.xs": 'realtime_trigger hook3 {\n  channel = "12345|room"\n  input {\n  }\n'
                                    '  stack {\n  }\n}\n',
    }
    result = lint(tmp_path, files)
    assert sorted(messages(result, "XR003")) == [
        '`agent = "Helpr"`: no agent of that name in the workspace; did you mean `Helper`?',
        "`tools` item `Find usr`: no tool of that name in the workspace; did you mean `Find user`?",
    ]
    assert messages(result, "DB001") == [
        '`table_trigger user audit`: `table = "users"`: no table of that name in the workspace; did you mean `user`?']
    assert ("DB001", 2, 11, 2, 18) in hits(result)


def test_ev001_names_the_closest_defined_variable_and_stays_silent_without_an_environment(tmp_path):
    use = ('function "Mail/Send" {\n  input {\n  }\n  stack {\n    var $key {\n'
           '      value = $env.RESEND_KEY ~ $env.FROM_EMAIL ~ $env.$remote_ip\n    }\n  }\n  response = $key\n}\n')
    defined = 'workspace Shop {\n  env = {RESEND_API_KEY: "", FROM_EMAIL: ""}\n}\n'
    result = lint(tmp_path / "a", {"function/Mail/Send.xs": use, "workspace/Shop.xs": defined})
    assert messages(result, "EV001") == [
        "`$env.RESEND_KEY`: the workspace defines no environment variable `RESEND_KEY`; did you mean `RESEND_API_KEY`?"]
    assert hits(result, "EV001") == [("EV001", 6, 15, 6, 30)]
    pulled = 'workspace Shop {\n  preferences = {internal_docs: false}\n}\n'  # pulled: no env clause
    assert hits(lint(tmp_path / "b", {"function/Mail/Send.xs": use, "workspace/Shop.xs": pulled}), "EV001") == []
    assert hits(lint(tmp_path / "c", {"function/Mail/Send.xs": use}), "EV001") == []


def graph_of(root: Path):
    (workspace,) = open_workspaces(str(root), LintConfig(), relative_to_root=True, use_cache=False)
    return workspace.graph


def test_the_graph_links_agents_tools_functions_tables_and_triggers(tmp_path):
    writer = LOOKUP.replace('"Users/Find"', '"Users/Rename"').replace(
        "db.get user {\n      field_name = \"id\"\n      field_value = $input.user_id\n    } as $user",
        "db.edit user {\n      field_name = \"id\"\n      field_value = $input.user_id\n      data = {name: \"x\"}\n"
        "    } as $user")
    files = {"table/user.xs": USER, "function/Users/Find.xs": LOOKUP, "function/Users/Rename.xs": writer,
             "ai/tool/Find user.xs": TOOL, "ai/agent/Helper.xs": AGENT, "table/trigger/audit.xs": TRIGGER}
    root = tmp_path / "ws"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    graph = graph_of(root)
    edges = {(e.source, e.target, e.kind) for e in graph.edges}
    assert {("agent:Helper", "tool:Find user", "uses"), ("tool:Find user", "function:Users/Find", "calls"),
            ("function:Users/Find", "table:user", "reads"), ("function:Users/Rename", "table:user", "writes"),
            ("table:user", "table_trigger:user audit", "triggers")} <= edges
    # a write to the table reaches its trigger; a read does not
    assert "table_trigger:user audit" in graph.reach(["function:Users/Rename"], upstream=False)
    assert "table_trigger:user audit" not in graph.reach(["agent:Helper"], upstream=False)
    assert "table:user" in graph.reach(["agent:Helper"], upstream=False)
    up = graph.reach(["table_trigger:user audit"], upstream=True)
    assert "function:Users/Rename" in up and "function:Users/Find" not in up and "agent:Helper" not in up


@pytest.mark.skipif(not PANKAJ.is_dir(), reason="the shared corpus is absent")
def test_the_corpus_agents_mcp_servers_and_triggers_resolve_and_map(tmp_path):
    root = tmp_path / "pankaj"
    shutil.copytree(PANKAJ, root)  # read in place would do, but the lint needs it to be one workspace
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    result = lint_paths([root], use_cache=False)
    assert [f for f in result.findings if f.code in ("XR003", "DB001", "EV001")] == []
    edges = {(e.source, e.target, e.kind) for e in graph_of(root).edges}
    assert {("agent:FreeAgent", "tool:Tool_1", "uses"), ("agent:FreeAgent", "tool:Tool_2", "uses"),
            ("mcp_server:TestMCPServer", "tool:Tool_1", "uses"),
            ("agent:FreeAgent", "agent_trigger:agent_trigger", "triggers"),
            ("mcp_server:TestMCPServer", "mcp_server_trigger:mcp_server_trigger", "triggers"),
            ("realtime_channel:test1", "realtime_trigger:channel_trigger", "triggers")} <= edges


@pytest.mark.skipif(not TRACK.is_dir(), reason="the shared corpus is absent")
def test_ev001_on_corpus_code_reports_exactly_the_variables_left_out_of_the_environment(tmp_path):
    root = tmp_path / "track"
    shutil.copytree(TRACK / "xano", root)
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    (root / "workspace.xs").write_text(
        'workspace T {\n  env = {RESEND_FROM_EMAIL: "", RESEND_API_KEY: "", PUBLIC_WEB_URL: "", '
        'SQUARE_ACCESS_TOKEN: "", SQUARE_ENVIRONMENT: "", SQUARE_LOCATION_ID: ""}\n}\n', encoding="utf-8")
    result = lint_paths([root], use_cache=False, select=["EV001"])
    assert sorted(f.message.split("`")[1] for f in result.findings) == ["$env.MUX_TOKEN_ID", "$env.MUX_TOKEN_SECRET"]


SERVER = 'realtime_server chat {\n  canonical = "abc12345"\n  active = true\n}\n'
CHANNEL = ('channel "rooms/{room_id}" {\n  realtime_server = "chat"\n  access = {anonymous: true, presence: false}\n'
           '  input {\n    int room_id\n  }\n}\n')
MESSAGE = '''message send {
  realtime_server = "chat"
  channel = "rooms/{room_id}"
  deliver_to = "channel"
  input {
    text body
  }
  stack {
    function.run "Users/Find" {
      input = {user_id: $input.body|to_int}
    } as $found
  }
  response = {body: $input.body, user: $found}
}
'''


def test_realtime_v2_documents_name_their_server_and_channel_and_their_stacks_are_read(tmp_path):
    files = {
        "table/user.xs": USER, "function/Users/Find.xs": LOOKUP,
        "realtime/server/chat/realtime_server.xs": SERVER,
        "realtime/server/chat/channel/rooms/channel.xs": CHANNEL,
        "realtime/server/chat/channel/lobby/channel.xs": CHANNEL.replace('"rooms/{room_id}"', "lobby").replace(
            '"chat"', '"caht"'),
        "realtime/server/chat/channel/rooms/message/send.xs": MESSAGE,
        "realtime/server/chat/channel/rooms/message/other.xs": MESSAGE.replace("message send", "message other").replace(
            'channel = "rooms/{room_id}"', 'channel = "room/{room_id}"').replace("$input.body|to_int", "$input.bdy"),
        "realtime/server/chat/channel/rooms/trigger/gate.xs": 'channel_trigger gate {\n  realtime_server = "chat"\n'
            '  channel = "rooms/{room_id}"\n  input {\n  }\n  stack {\n  }\n  actions = {join: true}\n}\n',
        "realtime/server/chat/trigger/connect.xs": 'realtime_server_trigger connect {\n  realtime_server = "chats"\n'
            '  input {\n  }\n  stack {\n  }\n  actions = {connect: true}\n}\n',
    }
    result = lint(tmp_path, files, ignore=["VR002"])  # (IN001 on: a message's stack reads its inputs)
    assert sorted(messages(result, "XR003")) == [
        '`channel = "room/{room_id}"`: no channel of that name in the workspace; did you mean `rooms/{room_id}`?',
        '`realtime_server = "caht"`: no realtime server of that name in the workspace; did you mean `chat`?',
        '`realtime_server = "chats"`: no realtime server of that name in the workspace; did you mean `chat`?',
    ]
    assert messages(result, "IN001") == ["`$input.bdy`: this message declares no input `bdy`; did you mean `body`?"]
    graph = graph_of(tmp_path)
    edges = {(edge.source, edge.target, edge.kind) for edge in graph.edges}
    assert {("channel:rooms/{room_id}", "message:rooms/{room_id}:send", "triggers"),
            ("channel:rooms/{room_id}", "channel_trigger:rooms/{room_id}:gate", "triggers"),
            ("message:rooms/{room_id}:send", "function:Users/Find", "calls"),
            ("channel:rooms/{room_id}", "realtime_server:chat", "uses")} <= edges
