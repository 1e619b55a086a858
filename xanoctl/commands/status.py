"""`xanoctl status`: every object as unchanged, modified locally, changed remotely, conflict,
new or deleted."""

from __future__ import annotations

import sys

import click

from xanoctl.commands._workspace import Context, workspace_options
from xanoctl.sync.status import ENV_NOTE, STATES, UNCHANGED, StatusReport, workspace_status
from xanoctl.ui.colour import paint
from xanoctl.ui.output import colour_on, echo, format_option, print_json
from xanoctl.ui.words import plural, sharing, some

COLOURS = {"modified locally": "green", "new locally": "green", "deleted locally": "green",
           "changed remotely": "yellow", "new remotely": "yellow", "deleted remotely": "yellow",
           "conflict": "red"}


def render(report: StatusReport, color: bool = False) -> list[str]:
    counts = report.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {state}" for state, n in counts.items())
    where = f"workspace {report.workspace}, branch {report.branch or '(live)'}"
    lines = [f"{where}: {plural(total, 'object')}" + (f": {summary}" if summary else "")]
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
        lines.append(f"removed {plural(len(report.swept), 'temporary file')} left by an interrupted xanoctl run: "
                     + some(report.swept))
    if report.writing:
        lines.append(f"warning: {plural(len(report.writing), 'temporary file')} of a xanoctl run still going (or "
                     f"that cannot be removed): {some(report.writing)}")
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
    # an unchanged file that differs from what was pulled in what no push sends says so (it is listed nowhere)
    kept = [item for item in report.objects if item.state == UNCHANGED and item.note == ENV_NOTE]
    notes = [f"{item.path}: {item.note}" for item in kept] + \
        [f"{kinds}: remote not checked: {reason}" for kinds, reason in sharing(report.unreachable)]
    if notes:
        lines.append("")
    lines += [paint("note:", "info", color) + f" {note}" for note in notes]
    touched = [o for o in report.objects if o.state == UNCHANGED and o.remote == "touched"]
    if touched:
        have = "has" if len(touched) == 1 else "have"
        lines += ["", f"{plural(len(touched), 'unchanged object')} {have} a newer remote timestamp with identical "
                      "content (a pull records it)"]
    return lines


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option("text", "json", help="text: the objects that differ, by state; json: every object's state "
               "(docs/json.md).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything differs (for drift checks in CI).")
@click.option("--offline", is_flag=True, help="Do not contact Xano: local changes only.")
@workspace_options
def status(paths, fmt, exit_code, offline, ctx: Context) -> None:
    """Show each object as unchanged, modified locally, changed remotely, conflict (both), new
    locally, deleted locally, deleted remotely or new remotely.

    Local changes are found by the files' sha256 against xanoctl.lock; remote changes by the
    remote updated_at against the one recorded at the last pull. Exit 0, unless --exit-code
    and something differs (then 1).

    \b
    Examples:
      xanoctl status
      xanoctl status function/Workers/      only this folder (a path as any command prints it)
      xanoctl status --offline              local changes only, without asking Xano
      xanoctl status --exit-code --format json   a drift check in CI
    """
    report = workspace_status(ctx, list(paths), offline=offline)
    if fmt == "json":
        print_json(report.as_json())
    else:
        color = colour_on()
        for line in render(report, color=color):
            echo(line, color=color)
    if exit_code and report.differs:
        sys.exit(1)
