"""Helpers for tests that run xanoctl against the emulator: valid XanoScript for each kind,
the environment that points the CLI at a running emulator, and a snapshot of a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from xanoctl.emulator.server import RunningEmulator


def q(name: str) -> str:
    """A XanoScript double-quoted string."""
    return json.dumps(name, ensure_ascii=False)


def function_source(name: str, value: str = "null") -> str:
    return (f"function {q(name)} {{\n  input {{\n    int user_id\n  }}\n  stack {{\n"
            f"    var $x {{\n      value = {value}\n    }}\n  }}\n  response = $x\n}}")


def query_source(path: str, verb: str = "GET", value: str = "null") -> str:
    return (f"query {q(path)} verb={verb} {{\n  input {{\n  }}\n  stack {{\n"
            f"    var $x {{\n      value = {value}\n    }}\n  }}\n  response = $x\n}}")


def task_source(name: str, function: str = "Utils/noop") -> str:
    return (f"task {q(name)} {{\n  active = true\n  stack {{\n    function.run {q(function)} as $result\n  }}\n"
            "  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]\n}")


def group_source(name: str) -> str:
    return f"api_group {q(name)} {{\n  canonical = \"abc123\"\n}}"


def table_source(name: str) -> str:
    return f"table {q(name)} {{\n  auth = false\n  schema {{\n    int id\n    text name\n  }}\n}}"


def middleware_source(name: str) -> str:
    return (f"middleware {q(name)} {{\n  input {{\n  }}\n  stack {{\n  }}\n  response = null\n}}")


def workflow_test_source(name: str, function: str = "Utils/noop") -> str:
    return (f"workflow_test {q(name)} {{\n  stack {{\n    function.call {q(function)} as $result\n"
            "    expect.to_be_defined ($result)\n  }\n}")


def workspace_source(name: str) -> str:
    return (f"workspace {q(name)} {{\n  preferences = {{\n    internal_docs    : false\n    track_performance: true\n"
            "  }\n}")


def addon_source(name: str, table: str = "user") -> str:
    return (f"addon {q(name)} {{\n  input {{\n    int user_id? {{\n      table = {q(table)}\n    }}\n  }}\n\n  stack {{\n"
            f"    db.query {q(table)} {{\n      where = $db.{table}.id == $input.user_id\n"
            "      return = {type: \"single\"}\n    }\n  }\n}")


def tool_source(name: str, function: str = "Utils/noop") -> str:
    return (f"tool {q(name)} {{\n  instructions = \"Look a user up\"\n  input {{\n    int user_id\n  }}\n\n  stack {{\n"
            f"    function.run {q(function)} {{\n      input = {{user_id: $input.user_id}}\n    }} as $found\n  }}\n\n"
            "  response = $found\n}")


def agent_source(name: str, tool: str = "Look up") -> str:
    return (f"agent {q(name)} {{\n  canonical = \"agent1234\"\n  llm = {{\n    type         : \"xano-free\"\n"
            "    system_prompt: \"You help.\"\n    max_steps    : 5\n    temperature  : 0\n  }\n\n"
            f"  tools = [{{name: {q(tool)}}}]\n}}")


def mcp_server_source(name: str, tool: str = "Look up") -> str:
    return f"mcp_server {q(name)} {{\n  canonical = \"mcp12345\"\n  tools = [{{name: {q(tool)}}}]\n}}"


def realtime_channel_source(name: str) -> str:
    return (f"realtime_channel {q(name)} {{\n  public_messaging = {{active: false}}\n"
            "  private_messaging = {active: false}\n  settings = {\n    anonymous_clients: false\n"
            "    nested_channels  : false\n    message_history  : 0\n    auth_channel     : false\n"
            "    presence         : false\n  }\n}")


def _trigger(keyword: str, name: str, owner: str, inputs: str, actions: str) -> str:
    return (f"{keyword} {q(name)} {{\n{owner}  input {{\n{inputs}  }}\n\n  stack {{\n"
            "    var $seen {\n      value = $input\n    }\n  }\n\n"
            f"  response = $seen\n  actions = {actions}\n}}")


def table_trigger_source(name: str, table: str = "user") -> str:
    return _trigger("table_trigger", name, f"  table = {q(table)}\n",
                    "    json new\n    json old\n    enum action {\n      values = [\"insert\", \"update\", \"delete\", "
                    "\"truncate\"]\n    }\n\n    text datasource\n", "{insert: true, update: true}")


def workspace_trigger_source(name: str) -> str:
    return _trigger("workspace_trigger", name, "",
                    "    enum action {\n      values = [\"branch_live\", \"branch_merge\", \"branch_new\"]\n    }\n",
                    "{branch_live: true, branch_merge: true, branch_new: true}")


def agent_trigger_source(name: str, agent: str = "Helper") -> str:
    return _trigger("agent_trigger", name, f"  agent = {q(agent)}\n", "    json toolset\n", "{connection: true}")


def mcp_server_trigger_source(name: str, server: str = "Tools") -> str:
    return _trigger("mcp_server_trigger", name, f"  mcp_server = {q(server)}\n", "    json toolset\n",
                    "{connection: true}")


def realtime_trigger_source(name: str, channel: str = "room") -> str:
    return _trigger("realtime_trigger", name, f"  channel = {q(channel)}\n", "    text channel\n    json payload\n",
                    "{message: true, join: true}")


def error_trigger_source(name: str, function: str = "Utils/noop") -> str:
    return (f"error_trigger {q(name)} {{\n  input {{\n    json error\n  }}\n\n  stack {{\n"
            f"    function.run {q(function)} {{\n      input = {{user_id: 0}}\n    }} as $logged\n  }}\n}}")


def branch_source(name: str) -> str:
    return (f"branch {q(name)} {{\n  color = \"#fff3cd\"\n  history = {{\n    function: false\n    query   : 100\n"
            "  }\n}")


def realtime_server_source(name: str) -> str:
    return f"realtime_server {q(name)} {{\n  canonical = \"rt123456\"\n  active = true\n}}"


def channel_source(name: str, server: str = "Chat") -> str:
    return (f"channel {q(name)} {{\n  realtime_server = {q(server)}\n  access = {{anonymous: true, presence: false}}\n"
            "  publish = {who: \"anyone\", direct: false}\n  input {\n    int room_id\n  }\n}")


def message_source(name: str, channel: str = "rooms/{room_id}", server: str = "Chat") -> str:
    return (f"message {q(name)} {{\n  realtime_server = {q(server)}\n  channel = {q(channel)}\n"
            "  deliver_to = \"channel\"\n  input {\n    text body\n  }\n\n  stack {\n"
            "    var $sent_at {\n      value = now\n    }\n  }\n\n"
            "  response = {body: $input.body, sent_at: $sent_at}\n}")


def realtime_server_trigger_source(name: str, server: str = "Chat") -> str:
    return _trigger("realtime_server_trigger", name, f"  realtime_server = {q(server)}\n", "    json client\n",
                    "{connect: true, disconnect: true}")


def channel_trigger_source(name: str, channel: str = "rooms/{room_id}", server: str = "Chat") -> str:
    return _trigger("channel_trigger", name, f"  realtime_server = {q(server)}\n  channel = {q(channel)}\n",
                    "    text channel\n    json payload\n", "{join: true}")


def other_source(name: str, keyword: str = "toolset") -> str:
    """A document of a type xanoctl does not know (Xano's toolsets are not in its table of kinds)."""
    return f"{keyword} {q(name)} {{\n  description = \"Tools for the helpers\"\n  tools = [{{name: \"Look up\"}}]\n}}"


SOURCES = {"function": function_source, "task": task_source, "api_group": group_source, "table": table_source,
           "middleware": middleware_source, "workflow_test": workflow_test_source, "workspace": workspace_source,
           "addon": addon_source, "tool": tool_source, "agent": agent_source, "mcp_server": mcp_server_source,
           "realtime_channel": realtime_channel_source, "table_trigger": table_trigger_source,
           "workspace_trigger": workspace_trigger_source, "agent_trigger": agent_trigger_source,
           "mcp_server_trigger": mcp_server_trigger_source, "realtime_trigger": realtime_trigger_source,
           "error_trigger": error_trigger_source, "branch": branch_source, "realtime_server": realtime_server_source,
           "channel": channel_source, "message": message_source,
           "realtime_server_trigger": realtime_server_trigger_source, "channel_trigger": channel_trigger_source,
           "toolset": other_source}


def cli_env(emulator: RunningEmulator, *, token: str | None = None, tmp: Path | None = None,
            **http: Any) -> dict[str, str]:
    """Environment variables pointing the CLI at ``emulator``; ``http`` sets
    ``XANOCTL_HTTP_<NAME>`` (defaults: tiny backoff so retries cost no time)."""
    settings = {"backoff": 0.001, "max_backoff": 0.01, **http}
    env = {"XANO_INSTANCE": emulator.base_url, "XANO_WORKSPACE": str(emulator.workspace_id),
           "XANO_TOKEN": token if token is not None else emulator.token, "XANO_BRANCH": ""}
    env.update({f"XANOCTL_HTTP_{key.upper()}": str(value) for key, value in settings.items()})
    if tmp is not None:  # never read the developer's own credentials file
        env["XANOCTL_CREDENTIALS"] = str(tmp / "no-credentials")
    return env


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    if not folder.exists():
        return {}
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}
