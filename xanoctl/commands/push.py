"""`xanoctl push`: plan, conflict check, lint gate, journal, apply, automatic restore."""

from __future__ import annotations

import click

from xanoctl.commands._schema import schema_options
from xanoctl.commands._workspace import Context, emit, workspace_options
from xanoctl.sync.push import push as run_push, resume
from xanoctl.sync.pushreport import render


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--dry-run", is_flag=True, help="Print the plan (after the conflict check and lint gate); write nothing.")
@click.option("--force", is_flag=True, help="Overwrite objects changed remotely since the last pull.")
@click.option("--no-lint", is_flag=True, help="Skip the lint gate.")
@click.option("--delete", is_flag=True, help="Delete remotely the objects whose files were deleted locally.")
@click.option("--commit", is_flag=True, help="Commit the pushed files and xanoctl.lock to git.")
@click.option("--transaction", is_flag=True, help="Send the changes in one multidoc import, all or nothing, after "
              "Xano's own dry-run (falls back to object by object where the workspace refuses multidoc imports).")
@click.option("--resume", "resume_", is_flag=True, help="Finish the last push, whose process died, from its journal.")
@schema_options
@workspace_options
def push(paths, dry_run, force, no_lint, delete, commit, transaction, resume_, permission, ctx: Context) -> None:
    """Push local changes to Xano: files modified since the last pull are updated, new files
    created (kind and name from their header), and with --delete deleted files deleted.

    Objects changed remotely since the last pull are refused (--force overrides); lint errors
    stop the push (--no-lint skips the gate). The remote XanoScript of every object to change
    is saved in a journal under .xanoctl/ before the first write; if any write fails (or on
    Ctrl-C) everything already written is restored from it, and local files are left as they
    were. A push whose process died is finished with --resume, or undone with
    `xanoctl rollback --last-push`.

    Tables are shared by every branch: from a branch other than the live one, writing one
    changes the live database, and is refused without --allow-shared-schema-changes. A table
    deleted, or a column removed or retyped, loses data on any branch: it is asked on a
    terminal, and refused elsewhere without --allow-data-loss. --dry-run shows both apart.
    """
    if resume_:
        if paths or dry_run or delete or no_lint or transaction:
            raise click.UsageError("--resume finishes the last push as planned: it takes no paths, --dry-run, "
                                   "--delete, --no-lint or --transaction")
        result = resume(ctx, force=force, commit=commit, permission=permission)
    else:
        result = run_push(ctx, paths, force=force, dry_run=dry_run, lint=not no_lint, delete=delete, commit=commit,
                          transaction=transaction, permission=permission)
    lines, error = render(ctx, result)
    emit(lines, error, result.exit_code)
