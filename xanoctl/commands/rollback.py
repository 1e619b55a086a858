"""`xanoctl rollback`: push files' content from a git revision, or undo the last push."""

from __future__ import annotations

import click

from xanoctl.commands._schema import schema_options
from xanoctl.commands._workspace import Context, emit, workspace_options
from xanoctl.sync.pushreport import render
from xanoctl.sync.rollback import rollback_to, undo_last_push


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--to", "rev", metavar="REV", help="The git revision whose version of PATH... to restore.")
@click.option("--last-push", is_flag=True, help="Undo the last push (finished, failed half-way or killed) from its journal.")
@click.option("--force", is_flag=True, help="Overwrite remote changes made since the last pull (or since the push).")
@click.option("--commit", is_flag=True, help='Commit the result to git ("rollback <name> to <rev>").')
@schema_options
@workspace_options
def rollback(paths, rev, last_push, force, commit, permission, ctx: Context) -> None:
    """Restore objects' XanoScript from git history, or undo the last push.

    `xanoctl rollback PATH... --to REV` reads each file at REV, pushes that content to the same
    object (found through xanoctl.lock, also across renames) with the safety of `push`
    (conflict check, journal, automatic restore: all paths together or none), then writes it
    to the working tree. `xanoctl rollback --last-push` puts back what the last push changed.

    Tables are written as `push` writes them: from a branch other than the live one only with
    --allow-shared-schema-changes (tables are shared by every branch), and a column removed or
    retyped only with --allow-data-loss or a yes on a terminal.
    """
    if last_push == bool(rev):
        raise click.UsageError("give either PATH... --to REV, or --last-push")
    if last_push:
        if paths:
            raise click.UsageError("--last-push undoes the whole last push: it takes no paths")
        result = undo_last_push(ctx, force=force, commit=commit, permission=permission)
    else:
        result = rollback_to(ctx, paths, rev, force=force, commit=commit, permission=permission)
    lines, error = render(ctx, result, verb="rollback" if rev else "push")
    emit(lines, error, result.exit_code)
