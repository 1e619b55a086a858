"""`xanoctl compare A B`: two versions of a workspace, object by object."""

from __future__ import annotations

import sys

import click

from xanoctl.config import load_config
from xanoctl.ui.output import Choice, format_option
from xanoctl.xano.kinds import NAMES

# every kind (xanoctl.xano.kinds), `endpoint` for `query`, and `trigger` for every kind of trigger
KINDS = (*NAMES, "endpoint", "trigger")
TRIGGERS = tuple(kind for kind in NAMES if kind.endswith("_trigger"))


@click.command()
@click.argument("a")
@click.argument("b")
@format_option("text", "markdown", "json", help="text: a listing; markdown: for a pull request; json: every "
               "difference (docs/compare.md).")
@click.option("--diff", "with_diff", is_flag=True, help="Add a unified diff of each changed object.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything differs.")
@click.option("--kind", "kinds", multiple=True, type=Choice(KINDS), metavar="KIND",
              help=f"Only objects of this kind ({', '.join(KINDS)}; `endpoint` is `query`, `trigger` every kind "
                   "of trigger); repeatable.")
@click.option("--path", "prefix", default="", metavar="PREFIX",
              help="Only objects whose path in the workspace starts with PREFIX (function/Workers/).")
@click.option("--ignore-whitespace", is_flag=True, help="A change of spacing or blank lines only is no change.")
@click.option("--instance", help="Metadata API base URL for live sides (overrides XANO_INSTANCE and xanoctl.yaml).")
@click.option("--workspace", help="Workspace id for `live` (overrides XANO_WORKSPACE and xanoctl.yaml).")
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="The workspace folder whose git history rev:REV reads, present or since removed "
                   "(default: from xanoctl.yaml).")
def compare(a, b, fmt, with_diff, exit_code, kinds, prefix, ignore_whitespace, instance, workspace, folder) -> None:
    """Compare two versions of a workspace object by object: what exists on one side only,
    what was renamed (same guid, other name), and for each changed object which aspects
    changed (inputs, envelope, schedule, calls, tables, code).

    A and B are each a folder (a pulled tree), rev:REV (the workspace folder at a git
    revision: rev:HEAD~3, rev:origin/main), or a live workspace on the configured instance:
    live, live:BRANCH, live:WORKSPACE_ID or live:WORKSPACE_ID@BRANCH. Each side is one
    workspace: a folder holding several (pulled side by side, exports), or a workspace folder
    that held several at REV, is refused with their folders named. Nothing is written.

    \b
    Examples:
      xanoctl compare rev:v1.0 workspace        a release against the working tree
      xanoctl compare live:dev live             two live branches
      xanoctl compare rev:HEAD~1 workspace --diff --kind function
      xanoctl compare rev:origin/main workspace --format markdown --exit-code
    """
    from xanoctl.compare import report, sides
    from xanoctl.compare.match import Filters, compare as run

    config = load_config(instance=instance, workspace=workspace, dir=folder)
    chosen = frozenset(k for kind in kinds for k in ({"endpoint": ("query",), "trigger": TRIGGERS}.get(kind) or (kind,)))
    filters = Filters(chosen, prefix.lstrip("./") if prefix.startswith("./") else prefix, ignore_whitespace, with_diff)
    result = run(sides.load(a, config), sides.load(b, config), filters)
    render = {"text": report.as_text, "markdown": report.as_markdown, "json": report.as_json}[fmt]
    click.echo(render(result, with_diff), nl=False)
    if exit_code and result.differs:
        sys.exit(1)
