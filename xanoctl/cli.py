"""The command line: a thin layer that parses arguments, calls the library and renders.

Each command lives in its own module under :mod:`xanoctl.commands`, named in :data:`COMMANDS`
with its one-line help; a command's module (and what it imports: the parser, httpx, git...)
is imported only when that command runs, so that ``xanoctl --help`` and a cached ``xanoctl
lint`` start fast. Adding a command is one line in the table. Library errors
(:class:`xanoctl.errors.XanoctlError`) become one line on stderr and an exit code, never a
traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from xanoctl import __version__
from xanoctl.errors import XanoctlError
from xanoctl.gcpause import freeze_imports

# name -> ("module:attribute" of the click command, the one-line help `xanoctl --help` lists)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("xanoctl.commands.init:init", "Write xanoctl.yaml in the current folder."),
    "pull": ("xanoctl.commands.pull:pull", "Pull every object of the workspace into the folder."),
    "status": ("xanoctl.commands.status:status", "Show what changed locally, remotely or on both sides."),
    "diff": ("xanoctl.commands.diff:diff", "Show diffs against the last pull, the remote or a git revision."),
    "push": ("xanoctl.commands.push:push", "Push local changes to Xano, with a journal to undo them."),
    "rollback": ("xanoctl.commands.rollback:rollback", "Restore objects from git history, or undo the last push."),
    "lint": ("xanoctl.commands.lint:lint", "Lint XanoScript files and folders."),
    "rules": ("xanoctl.commands.rules:rules", "List the lint rules, or explain one."),
    "tasks": ("xanoctl.commands.tasks:tasks", "List background tasks with their schedule and next run."),
    "emulator": ("xanoctl.commands.emulator:emulator", "Serve a local Metadata API (an emulator of Xano's)."),
    "demo": ("xanoctl.commands.demo:demo", "Serve a demo workspace locally, pull it and lint it."),
    "graph": ("xanoctl.commands.graph:graph", "Show the call graph, or what reaches or is reached by an object."),
    "docs": ("xanoctl.commands.docs:docs", "Generate the operations manual of the workspace."),
    "compare": ("xanoctl.commands.compare:compare", "Compare two versions of a workspace object by object."),
    "test": ("xanoctl.commands.test:test", "Run the workspace's unit and workflow tests."),
    "smoke": ("xanoctl.commands.smoke:smoke", "Call the workspace's endpoints and judge their answers."),
    "lsp": ("xanoctl.commands.lsp:lsp", "Serve lint, navigation and fixes to editors (LSP)."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, from :data:`COMMANDS`; its help
    lists them from the table, importing nothing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands or name not in COMMANDS:
            return self.commands.get(name)
        target, short_help = COMMANDS[name]
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        freeze_imports()  # the command's modules, as every module, live until the process ends
        command.short_help = command.short_help or short_help
        self.commands[name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1] if name in COMMANDS else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from xanoctl.gcpause import few_collections

        try:
            # A command makes most of its objects to keep them until it ends (the workspace's
            # facts, a graph, a pull's objects): the cycle collector scanning them again and
            # again cost a view command a fifth of a second.
            with few_collections():
                return super().invoke(ctx)
        except XanoctlError as exc:
            click.echo(f"xanoctl: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("xanoctl: interrupted", err=True)
            sys.exit(130)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="xanoctl")
def main() -> None:
    """Manage a Xano workspace as code: pull, lint, diff, push and roll back XanoScript."""
