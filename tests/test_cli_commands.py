"""The command table of :mod:`xanoctl.cli`: every command in it imports and runs its help, and
``xanoctl --help`` lists them all from the table without importing any command module; a
warm ``xanoctl lint`` (the cache answers) imports neither the parser nor the rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from xanoctl.cli import COMMANDS, main

REPO = Path(__file__).resolve().parent.parent


def modules_after(args: list[str], cwd: Path) -> tuple[int, str, list[str]]:
    """Run ``xanoctl ARGS`` in a fresh interpreter: (exit code, stdout, modules imported)."""
    script = (
        "import json, sys\n"
        "from xanoctl.cli import main\n"
        "try:\n"
        f"    main({args!r}, prog_name='xanoctl')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code or 0\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True)
    out, _, modules = done.stdout.rpartition("\nMODULES ")
    return done.returncode, out, json.loads(modules)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_in_the_table_imports_and_shows_its_help(name):
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command) and command.name == name
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and result.output.startswith(f"Usage: main {name} ")


def test_help_lists_every_command_with_its_line_without_importing_them(tmp_path):
    code, out, modules = modules_after(["--help"], tmp_path)
    assert code == 0
    for name, (_, line) in COMMANDS.items():
        assert any(row.split() == [name, *line.split()] for row in out.splitlines()), name
    assert not [m for m in modules if m.startswith("xanoctl.commands.")]
    assert not {"httpx", "lark", "git", "yaml"} & set(modules)


def test_an_unknown_command_is_one_usage_error_line_that_suggests_the_closest():
    result = CliRunner().invoke(main, ["pul"])
    assert result.exit_code == 2
    assert result.output == "xanoctl: error: no such command 'pul': did you mean `xanoctl pull`?\n"
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.output == "xanoctl: error: no such command 'frobnicate': `xanoctl --help` lists the commands\n"


def test_a_warm_lint_answers_from_the_cache_without_the_parser_or_the_rules(tmp_path):
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    code, cold, modules = modules_after(["lint"], tmp_path)
    assert code == 1 and "xanoctl.lint.rules" in modules  # the demo has planted findings
    code, warm, modules = modules_after(["lint"], tmp_path)
    assert code == 1 and warm == cold
    heavy = {"lark", "xanoctl.language.parser", "xanoctl.lint.rules", "xanoctl.lint.analyze", "httpx", "git",
             "multiprocessing", "yaml"}
    assert heavy.isdisjoint(modules), heavy & set(modules)
