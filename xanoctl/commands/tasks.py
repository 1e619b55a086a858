"""`xanoctl tasks [PATH]`: every background task with its schedule, read from its XanoScript
(the Metadata API shows none)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import click

_TASK = re.compile(rb"^[ \t]*task[ \t]", re.MULTILINE)


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--now", "now_text", metavar="TIMESTAMP",
              help="Compute next runs from this moment (ISO 8601; default: now), e.g. 2025-12-01T00:00:00Z.")
def tasks(path, as_json, now_text):
    """List background tasks: active flag, frequency in words and next run (UTC); then the
    chain each task runs (its function and the functions below) and the tables it writes."""
    from xanoctl.errors import UsageError
    from xanoctl.lint.config import load_config
    from xanoctl.lint.files import display_path
    from xanoctl.lint.schedule import frequency_words, next_run, parse_timestamp

    now = datetime.now(timezone.utc)
    if now_text:
        parsed = parse_timestamp(now_text.replace("T", " ").replace("Z", "+0000"))
        if parsed is None:
            raise UsageError(f"--now: {now_text!r} is not a timestamp; write e.g. 2025-12-01T00:00:00Z")
        now = parsed
    from xanoctl.views.chains import chain, tree_lines
    from xanoctl.views.load import default_path, open_workspace

    config = load_config()
    workspace = open_workspace(default_path(path, config), config)
    graph = workspace.graph
    reported = set(workspace.scope.report)
    rows = []
    for task in workspace.index.tasks:
        if task.path in reported:
            row = _row(task, display_path(task.path), now, frequency_words, next_run)
            node = graph.nodes.get(f"task:{task.name}")
            if node is not None and node.path == row["path"]:
                found = chain(graph, node)
                row.update(chain=[step.as_json() for step in found.steps], writes=found.writes,
                           reads=found.reads, tree=tree_lines(found.steps, "  "))
            else:  # a second task of the same name: its chain is the first one's
                row.update(chain=None, writes=None, reads=None, tree=[])
            rows.append(row)
    for file in sorted(reported):
        result = workspace.results[file]
        if not result.parsed:  # never leave a task out: say that its file does not parse
            try:
                data = Path(file).read_bytes()
            except OSError:
                continue
            if _TASK.search(data):
                rows.append(_unreadable(data, result.findings[0], display_path(result.path)))
    rows.sort(key=lambda row: row["name"].lower())
    trees = {id(row): row.pop("tree", []) for row in rows}
    if as_json:
        click.echo(json.dumps({"now": _iso(now), "tasks": rows}, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"No tasks under {path}.")
        return
    table = [("TASK", "ACTIVE", "SCHEDULE", "NEXT RUN (UTC)")]
    for row in rows:
        active = {True: "yes", False: "no", None: "?"}[row["active"]]
        table.append((row["name"], active, row["frequency"], row["next_run_text"]))
    widths = [max(len(line[i]) for line in table) for i in range(3)]
    for line in table:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:3])) + "  " + line[3])
    for row in rows:
        if trees[id(row)] or row.get("writes"):
            click.echo("")
            click.echo(f"{row['name']} runs:")
            click.echo("\n".join(trees[id(row)] or ["  (no function)"]))
            click.echo(f"  writes: {', '.join(row['writes']) or 'no table'}")


def _row(task, shown: str, now: datetime, frequency_words, next_run) -> dict:
    active = task.active is not False  # Xano's default is active
    events = task.events
    if events is None:
        frequency, next_at, note = "no schedule", None, "never (no schedule)"
    elif not events:
        frequency, next_at, note = "empty schedule", None, "never (empty schedule)"
    else:
        words = [frequency_words(event.freq) if event.valid else "invalid" for event in events]
        frequency = "; ".join(words)
        runs = [run for run in (next_run(event, now) for event in events) if run is not None]
        next_at = min(runs) if runs else None
        note = _text(next_at) if next_at else ("never (invalid schedule)" if not any(e.valid for e in events)
                                               else "none left")
    if not active:
        next_at, note = None, "— (inactive)"
    return {
        "name": task.name,
        "path": shown,
        "active": task.active if task.active is not None else True,
        "frequency": frequency,
        "schedule": [
            {"starts_on": _iso(event.starts_on), "freq": event.freq, "ends_on": _iso(event.ends_on),
             "every": frequency_words(event.freq) if event.valid else "invalid", "valid": event.valid}
            for event in events or ()
        ],
        "next_run": _iso(next_at),
        "next_run_text": note,
    }


_NAME = re.compile(rb'^[ \t]*task[ \t]+("(?:[^"\\\r\n]|\\.)*"|[^\s{]+)', re.MULTILINE)


def _unreadable(data: bytes, finding, shown: str) -> dict:
    match = _NAME.search(data)
    name = match.group(1).decode("utf-8", "replace") if match else Path(shown).stem
    if name.startswith('"'):
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return {
        "name": name, "path": shown, "active": None, "frequency": "unreadable", "schedule": None,
        "next_run": None, "next_run_text": f"unknown (syntax error at line {finding.line}; see `xanoctl lint`)",
        "error": f"line {finding.line}: {finding.message}",
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
