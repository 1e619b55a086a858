"""The command line: a thin layer that parses arguments, calls the library and renders.

Each command lives in its own module under :mod:`xanoctl.commands` and is registered below.
Library errors (:class:`xanoctl.errors.XanoctlError`) become one line on stderr and an exit
code, never a traceback.
"""

from __future__ import annotations

import sys

import click

from xanoctl import __version__
from xanoctl.errors import XanoctlError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except XanoctlError as exc:
            click.echo(f"xanoctl: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("xanoctl: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="xanoctl")
def main() -> None:
    """Manage a Xano workspace as code: pull, lint, diff, push and roll back XanoScript."""


def _register() -> None:
    from xanoctl.commands import lint

    for command in (lint.lint,):
        main.add_command(command)
    from xanoctl.commands import rules, tasks

    main.add_command(rules.rules)
    main.add_command(tasks.tasks)
    from xanoctl.commands import docs, graph

    main.add_command(graph.graph)
    main.add_command(docs.docs)
    from xanoctl.commands import demo, emulator, init, pull

    main.add_command(init.init)
    main.add_command(pull.pull)
    main.add_command(emulator.emulator)
    main.add_command(demo.demo)
    from xanoctl.commands import diff, push, rollback, status

    for command in (status.status, diff.diff, push.push, rollback.rollback):
        main.add_command(command)
    from xanoctl.commands import compare

    main.add_command(compare.compare)


_register()
