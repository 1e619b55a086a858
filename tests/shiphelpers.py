"""Shared setup of the status/diff/push/rollback tests: a small lint-clean workspace in an
emulator served over HTTP (with a deterministic clock, so timestamps are stable), a git
repository in ``tmp_path`` holding ``xanoctl.yaml`` and the pulled ``workspace/``, and the CLI
run in-process (click's CliRunner) or as a real subprocess.

Imported by the test modules (``sys.path`` gets this folder); not a test module itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import git
import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.config import write_config
from xanoctl.emulator.server import RunningEmulator, run_in_thread
from xanoctl.emulator.state import SEED_EPOCH_MS
from xanoctl.emulator.testing import cli_env, function_source, group_source, query_source, snapshot, task_source

TOKEN = "tok-SECRET-push-tests-0123456789"
FUNCTIONS = [f"Utils/f{n:02d}" for n in range(1, 7)]  # Utils/f01 .. Utils/f06


class Clock:
    """Milliseconds that advance one second per reading: stable timestamps across runs."""

    def __init__(self, start: int = SEED_EPOCH_MS):
        self.now = start

    def __call__(self) -> int:
        self.now += 1000
        return self.now


def fn_path(name: str) -> str:
    return f"function/{name}.xs"


@dataclass
class Shop:
    """One test's world: emulator, repository, workspace folder, and ways to run the CLI."""

    emu: RunningEmulator
    root: Path
    env: dict[str, str]
    runner: CliRunner = field(default_factory=CliRunner)

    @property
    def ws(self) -> Path:
        return self.root / "workspace"

    @property
    def repo(self) -> git.Repo:
        return git.Repo(self.root)

    def cli(self, *args: str, code: int | None = 0, **http: Any):
        env = dict(self.env)
        env.update({f"XANOCTL_HTTP_{k.upper()}": str(v) for k, v in http.items()})
        old = os.getcwd()
        os.chdir(self.root)
        try:
            result = self.runner.invoke(main, list(args), env=env, catch_exceptions=False)
        finally:
            os.chdir(old)
        if code is not None:
            assert result.exit_code == code, f"exit {result.exit_code}:\n{result.output}"
        assert TOKEN not in result.output
        return result

    def spawn(self, *args: str, preexec: Any = None, **http: Any) -> subprocess.Popen:
        """``xanoctl ARGS`` as a real process (the installed console script); ``preexec`` runs
        in the child before it starts (resource limits)."""
        env = {**os.environ, **self.env, **{f"XANOCTL_HTTP_{k.upper()}": str(v) for k, v in http.items()}}
        script = Path(sys.executable).with_name("xanoctl")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]
        return subprocess.Popen(command + list(args), cwd=self.root, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=preexec)

    # ------------------------------------------------------------------ the remote

    def remote(self) -> dict[tuple[str, str], str]:
        """Every remote object's XanoScript by (kind, name) (endpoints: name ``VERB path``)."""
        out = {}
        with self.emu.state.lock:
            branch = self.emu.state.store.workspace(self.emu.workspace_id).live
            for kind, objects in branch.objects.items():
                for obj in objects.values():
                    name = f"{obj.verb} {obj.name}" if kind == "query" else obj.name
                    out[(kind, name)] = obj.xanoscript
        return out

    def stored(self, kind: str, name: str):
        with self.emu.state.lock:
            branch = self.emu.state.store.workspace(self.emu.workspace_id).live
            for obj in branch.objects[kind].values():
                if obj.name == name:
                    return obj
        return None

    def remote_edit(self, name: str, source: str, kind: str = "function") -> None:
        """Someone changes an object in the Xano UI."""
        def change(state):
            obj = self.stored(kind, name)
            state.store.replace(obj, name=obj.name, xanoscript=source, verb=obj.verb, description="", tags=[],
                                fields={}, publish=True)
        self.emu.mutate(change)

    # ------------------------------------------------------------------ the local side

    def read(self, rel: str) -> str:
        return (self.ws / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        target = self.ws / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def tree(self) -> dict[str, bytes]:
        return snapshot(self.ws)

    def lock(self) -> dict[str, Any]:
        return json.loads((self.ws / "xanoctl.lock").read_text(encoding="utf-8"))

    def entry(self, rel: str) -> dict[str, Any]:
        return next(e for e in self.lock()["objects"] if e["path"] == rel)

    def commit_all(self, message: str) -> str:
        repo = self.repo
        repo.git.add("--all")
        repo.git.commit("-q", "--no-verify", "-m", message)
        return repo.head.commit.hexsha

    def journals(self) -> list[Path]:
        return sorted((self.root / ".xanoctl" / "pushes").glob("*.jsonl"))

    def assert_no_token_anywhere(self) -> None:
        for path in self.root.rglob("*"):
            if path.is_file() and ".git" not in path.parts:
                assert TOKEN.encode() not in path.read_bytes(), path


def edited(source: str, marker: str) -> str:
    """``source`` with one more statement at the top of its stack (a valid change)."""
    return source.replace("  stack {\n", f"  stack {{\n    var $edit_{marker} {{\n      value = \"{marker}\"\n    }}\n", 1)


def broken(source: str) -> str:
    """``source`` with a syntax error on its third line."""
    return source.replace("  input {\n", "  input {\n    int = =\n", 1)


def open_shop(emu: RunningEmulator, tmp_path: Path, *, layout: str | None = "readable", branch: str = "",
              **http: Any) -> Shop:
    """A git repository in ``tmp_path`` whose xanoctl.yaml (none when ``layout`` is None) points
    at ``emu`` (and ``branch``), with its workspace folder not pulled yet."""
    root = tmp_path / "repo"
    root.mkdir()
    git.Repo.init(root)
    with git.Repo(root).config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
    if layout is not None:
        write_config(root / "xanoctl.yaml", instance=emu.base_url, workspace=emu.workspace_id, branch=branch,
                     dir="workspace", layout=layout)
    env = cli_env(emu, tmp=tmp_path, attempts=3, **http)
    for name in ("XANO_INSTANCE", "XANO_WORKSPACE", "XANO_BRANCH"):
        env.pop(name)
    return Shop(emu, root, env)


def build_shop(tmp_path: Path, *, functions: list[str] = FUNCTIONS, faults: str | None = None,
               **http: Any) -> Shop:
    emu = run_in_thread(token=TOKEN, faults=faults)
    emu.state.store.clock = Clock()
    for name in functions:
        emu.add("function", name, function_source(name, f'"{name}"'))
    emu.add("function", "Utils/noop", function_source("Utils/noop"))
    emu.add("api_group", "Shop", group_source("Shop"), fields={"canonical": "abc123"})
    emu.add("query", "items/{id}", query_source("items/{id}", "GET", '"item"'), group="Shop", verb="GET")
    emu.add("task", "Nightly", task_source("Nightly", "Utils/noop"), fields={"active": True})
    shop = open_shop(emu, tmp_path, **http)
    shop.cli("pull")
    shop.commit_all("pull")
    return shop


@pytest.fixture
def shop(tmp_path):
    built = build_shop(tmp_path)
    yield built
    built.emu.stop()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)


def journal_events(path: Path) -> list[dict[str, Any]]:
    """The records after the journal's header. Only the last line may be torn (a process killed
    while appending it, which xanoctl ignores too); a damaged line before it fails the test."""
    lines = path.read_text(encoding="utf-8").splitlines()
    events = []
    for number, line in enumerate(lines[1:], 2):
        try:
            events.append(json.loads(line))
        except ValueError:
            if number != len(lines):
                raise AssertionError(f"{path}: line {number} of {len(lines)} is damaged: {line[:80]!r}") from None
    return events
