"""The options of the commands that write to Xano (push, rollback) about the objects every
branch shares and the data they hold (:mod:`xanoctl.sync.sharedschema`), and the question
asked on a terminal before data is destroyed."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click

from xanoctl.sync.sharedschema import LOSS_FLAG, SHARED_FLAG, Permission


def schema_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--allow-shared-schema-changes`` and ``--allow-data-loss``, given to the command as
    ``permission``."""
    @functools.wraps(command)
    def wrapper(*args: Any, allow_shared: bool, allow_loss: bool, **kwargs: Any) -> Any:
        return command(*args, permission=permission(allow_shared, allow_loss), **kwargs)

    wrapper = click.option(LOSS_FLAG, "allow_loss", is_flag=True,
                           help="Allow a table to be deleted, or a column removed or retyped, and its data lost "
                                "(asked on a terminal otherwise).")(wrapper)
    return click.option(SHARED_FLAG, "allow_shared", is_flag=True,
                        help="Allow writing tables from a branch other than the live one: tables are shared by "
                             "every branch, so this changes the live database.")(wrapper)


def permission(shared: bool, loss: bool) -> Permission:
    """The permission of these flags; on a terminal (standard input and output), the question
    about data loss is asked."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return Permission(shared, loss, ask if interactive else None)


def ask(lines: list[str]) -> bool:
    for line in lines:
        click.echo(line)
    return click.confirm("This data is lost for good. Go on?", default=False)
