"""`xanoctl push`: plan, conflict check, lint gate, journal, apply, automatic restore."""

from __future__ import annotations

import click

from xanoctl.commands._schema import schema_options
from xanoctl.commands._workspace import Context, emit, workspace_options
from xanoctl.sync.push import push as run_push, resume
from xanoctl.sync.pushreport import as_json, render
from xanoctl.ui.output import colour_on, emit_json, format_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--dry-run", is_flag=True, help="Print the plan (after the conflict check and lint gate); write nothing.")
@click.option("--force", is_flag=True, help="Overwrite objects changed remotely since the last pull.")
@click.option("--no-lint", is_flag=True, help="Skip the lint gate.")
@click.option("--delete", is_flag=True, help="Delete remotely the objects whose files were deleted locally.")
@click.option("--commit", is_flag=True, help="Commit the pushed files and xanoctl.lock to git (the subject names "
              "the object when there is one).")
@click.option("-m", "--message", metavar="TEXT", help="The subject of the commit (implies --commit).")
@click.option("--transaction", is_flag=True, help="Send the changes in one multidoc import, all or nothing, after "
              "Xano's own dry-run (falls back to object by object where the workspace refuses multidoc imports).")
@click.option("--resume", "resume_", is_flag=True, help="Finish the last push, whose process died, from its journal.")
@format_option("text", "json", help="text: the plan and what happened to each object; json: the same facts "
               "(docs/json.md).")
@schema_options
@workspace_options
def push(paths, dry_run, force, no_lint, delete, commit, message, transaction, resume_, fmt, permission,
         ctx: Context) -> None:
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

    \b
    Examples:
      xanoctl push --dry-run                    the plan, after the conflict check and the lint gate
      xanoctl push -m "Fix the people sync"     push and commit with this subject
      xanoctl push function/Workers/X.xs        only this file
      xanoctl push --delete --commit            also delete the objects whose files were deleted
      xanoctl push --resume                     finish a push whose process died
    """
    if message is not None and not message.strip():
        raise click.UsageError("-m needs a commit subject")
    commit = commit or message is not None
    if resume_:
        if paths or dry_run or delete or no_lint or transaction or message:
            raise click.UsageError("--resume finishes the last push as planned: it takes no paths, --dry-run, "
                                   "--delete, --no-lint, --transaction or -m")
        result = resume(ctx, force=force, commit=commit, permission=permission)
    else:
        result = run_push(ctx, paths, force=force, dry_run=dry_run, lint=not no_lint, delete=delete, commit=commit,
                          transaction=transaction, permission=permission, message=message.strip() if message else None)
    if fmt == "json":
        data = as_json(ctx, result)
        emit_json(data, data["error"], result.exit_code)
    color = colour_on()
    lines, error = render(ctx, result, color=color)
    emit(lines, error, result.exit_code, color=color)
