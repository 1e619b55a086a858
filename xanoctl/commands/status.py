"""`xanoctl status`: every object as unchanged, modified locally, changed remotely, conflict,
new or deleted."""

from __future__ import annotations

import json
import sys

import click

from xanoctl.commands._workspace import Context, workspace_options
from xanoctl.sync.status import STATES, UNCHANGED, StatusReport, workspace_status

COLOURS = {"modified locally": "green", "new locally": "green", "deleted locally": "green",
           "changed remotely": "yellow", "new remotely": "yellow", "deleted remotely": "yellow",
           "conflict": "red"}


def render(report: StatusReport, color: bool = False) -> list[str]:
    counts = report.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {state}" for state, n in counts.items())
    where = f"workspace {report.workspace}, branch {report.branch or '(live)'}"
    lines = [f"{where}: {total} objects" + (f": {summary}" if summary else "")]
    if report.shared:
        what = "is a table" if report.shared == 1 else "are tables"
        lines.append(f"{report.shared} of them {what}, shared by every branch: the live database's, not branch "
                     f"{report.branch!r}'s own")
    if not report.checked_remote:
        lines.append("(offline: the remote was not checked)")
    if report.unfinished_push:
        warning = f"warning: {report.unfinished_push}"
        lines.append(click.style(warning, fg="red", bold=True) if color else warning)
    if report.swept:
        lines.append(f"removed {len(report.swept)} temporary file(s) left by an interrupted xanoctl run: "
                     + _some(report.swept))
    if report.writing:
        lines.append(f"warning: {len(report.writing)} temporary file(s) of a xanoctl run still going (or that "
                     f"cannot be removed): {_some(report.writing)}")
    for state in STATES:
        if state == UNCHANGED:
            continue
        items = [o for o in report.objects if o.state == state]
        if not items:
            continue
        title = f"{state}:"
        lines += ["", click.style(title, fg=COLOURS.get(state), bold=True) if color else title]
        width = max(len(o.path or "") for o in items)
        for item in items:
            facts = ["shared by every branch"] if item.shared else []
            if item.note:
                facts.append(item.note)
            if item.remote in ("changed", "touched") or (state == "conflict" and item.remote_at is not None):
                pulled = f", pulled {item.pulled_at}" if item.pulled_at is not None else ""
                facts.append(f"remote updated_at {item.remote_at}{pulled}")
            tail = f"  ({'; '.join(facts)})" if facts else ""
            lines.append(f"  {item.path or '-':<{width}}  {item.label()}{tail}")
    for kind, reason in sorted(report.unreachable.items()):
        lines.append(f"note: {kind}: remote not checked: {reason}")
    touched = [o for o in report.objects if o.state == UNCHANGED and o.remote == "touched"]
    if touched:
        lines += ["", f"{len(touched)} unchanged object(s) have a newer remote timestamp with identical content "
                      "(a pull records it)"]
    return lines


def _some(paths: list[str], shown: int = 3) -> str:
    return ", ".join(paths[:shown]) + (f" and {len(paths) - shown} more" if len(paths) > shown else "")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print every object's state as JSON.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything differs (for drift checks in CI).")
@click.option("--offline", is_flag=True, help="Do not contact Xano: local changes only.")
@workspace_options
def status(paths, as_json, exit_code, offline, ctx: Context) -> None:
    """Show each object as unchanged, modified locally, changed remotely, conflict (both), new
    locally, deleted locally, deleted remotely or new remotely.

    Local changes are found by the files' sha256 against xanoctl.lock; remote changes by the
    remote updated_at against the one recorded at the last pull. Exit 0, unless --exit-code
    and something differs (then 1).
    """
    report = workspace_status(ctx, list(paths), offline=offline)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, sort_keys=True, default=str))
    else:
        color = sys.stdout.isatty()
        for line in render(report, color=color):
            click.echo(line, color=color)
    if exit_code and report.differs:
        sys.exit(1)
