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


SOURCES = {"function": function_source, "task": task_source, "api_group": group_source, "table": table_source,
           "middleware": middleware_source, "workflow_test": workflow_test_source}


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
