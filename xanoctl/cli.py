"""The command line: a thin layer that parses arguments, calls the library and renders.

Each command lives in its own module under :mod:`xanoctl.commands`, named in :data:`COMMANDS`
with its one-line help; a command's module (and what it imports: the parser, httpx, git...)
is imported only when that command runs, so that ``xanoctl --help`` and a cached ``xanoctl
lint`` start fast. Adding a command is one line in the table. The conventions every command
follows (the error line, colour, progress, ``--format``, ``-q``/``-v``) live in
:mod:`xanoctl.ui`: library errors (:class:`xanoctl.errors.XanoctlError`) and click's usage
errors become one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from xanoctl import __version__
from xanoctl.errors import XanoctlError
from xanoctl.gcpause import freeze_imports
from xanoctl.ui.errors import error, no_such_command, usage_message
from xanoctl.ui.output import common_options
from xanoctl.ui.session import current, session

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
    "doctor": ("xanoctl.commands.doctor:doctor", "Check the settings, the token, Xano, git and the folder."),
    "completion": ("xanoctl.commands.completion:completion", "Print the shell completion script (bash, zsh, fish)."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, from :data:`COMMANDS`; its help
    lists them from the table, importing nothing. Every command it loads gets the options
    shared by all (:func:`xanoctl.ui.output.common_options`), and every error of a run, click's
    usage errors included, is one line on stderr (:mod:`xanoctl.ui.errors`)."""

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
        command.params.extend(common_options())
        self.commands[name] = command
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(no_such_command(name, self.list_commands(ctx)), ctx)
        found, command, rest = super().resolve_command(ctx, args)
        if found:
            current().set_command(found)
        return found, command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1] if name in COMMANDS else self.commands[name].get_short_help_str())
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from xanoctl.gcpause import few_collections

        # A command makes most of its objects to keep them until it ends (the workspace's
        # facts, a graph, a pull's objects): the cycle collector scanning them again and
        # again cost a view command a fifth of a second.
        with few_collections():
            return super().invoke(ctx)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run one command in a session of its own; errors become one line and an exit
        status (2 usage, 1 failure, 130 interrupted), never a traceback."""
        with session():
            try:
                result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
                code = result if isinstance(result, int) else 0
            except click.exceptions.NoArgsIsHelpError as exc:  # `xanoctl` alone: the help
                exc.show()
                code = exc.exit_code
            except click.UsageError as exc:
                error(usage_message(exc))
                code = exc.exit_code
            except click.ClickException as exc:
                error(exc.format_message())
                code = exc.exit_code
            except XanoctlError as exc:
                for line in exc.details:  # the problems the error sums up, a line each
                    current().progress.clear()
                    click.echo(line, err=True)
                error(str(exc))
                code = exc.exit_code
            except click.Abort:
                current().progress.clear()
                click.echo("xanoctl: interrupted", err=True)
                code = 130
            except BrokenPipeError:  # `xanoctl rules | head -1`: the reader left; say nothing more
                _quiet_stdout()
                code = 1
        if not standalone_mode:
            return code
        sys.exit(code)


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="xanoctl")
def main() -> None:
    """Manage a Xano workspace as code: pull, lint, diff, push and roll back XanoScript.

    \b
    Start with:
      xanoctl demo                      see it work against a local emulator
      xanoctl init --instance URL --workspace ID
      xanoctl doctor                    check the settings, the token and the workspace
      xanoctl pull --commit

    Every command takes -q, -v and --color; `xanoctl COMMAND -h` shows its options and
    examples. Exit status: 0 success, 1 findings or a failed operation, 2 a usage or
    configuration error.
    """


main.params.extend(common_options())
