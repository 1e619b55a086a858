"""`xanoctl diff`: unified diffs of XanoScript against what was pulled, the live remote, or a
git revision."""

from __future__ import annotations

import sys

import click

from xanoctl.commands._workspace import Context, workspace_options
from xanoctl.sync.diffing import against_manifest, against_remote, against_revision, as_json, render
from xanoctl.ui.output import colour_on, echo, format_option, print_json


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--remote", is_flag=True, help="Compare with the live remote objects (and show metadata differences).")
@click.option("--rev", metavar="REV", help="Compare with the files at this git revision.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences.")
@format_option("text", "json", help="text: unified diffs, git style; json: each file's sides, notes and diff "
               "(docs/json.md).")
@workspace_options
def diff(paths, remote, rev, exit_code, fmt, ctx: Context) -> None:
    """Show unified diffs of the working tree's XanoScript against the manifest state (the
    content as last pulled or pushed; default), the live remote (--remote) or a git revision
    (--rev REV).

    \b
    Examples:
      xanoctl diff                              what changed since the last pull
      xanoctl diff --remote function/Tasks/     what a push would change, against the live objects
      xanoctl diff --rev HEAD~1 --exit-code
      xanoctl diff --format json
    """
    if remote and rev:
        raise click.UsageError("--remote and --rev compare with different things: choose one")
    if remote:
        report = against_remote(ctx, paths)
    elif rev:
        report = against_revision(ctx, rev, paths)
    else:
        report = against_manifest(ctx, paths)
    if fmt == "json":
        print_json(as_json(report))
    else:
        color = colour_on()
        text = render(report, color=color)
        if text:
            echo(text, nl=False, color=color)
    if exit_code and report.differs:
        sys.exit(1)
