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
    chain each task runs (its function and the functions below) and the tables it writes.
    A folder that holds several workspaces lists each one's tasks, with their workspace."""
    from xanoctl.lint.config import load_config
    from xanoctl.lint.files import display_path
    from xanoctl.views.chains import chain, tree_lines
    from xanoctl.views.load import default_path, open_workspaces
    from xanoctl.views.schedules import describe, iso, parse_now

    now = parse_now(now_text) or datetime.now(timezone.utc)
    config = load_config()
    found = open_workspaces(default_path(path, config, "tasks"), config, empty_ok=path is None)
    several = len(found) > 1
    rows, trees = [], {}
    for workspace in found:  # each task's chain in its own workspace's graph
        graph = workspace.graph
        reported = workspace.files.intersection(workspace.scope.report)
        rows_here = []
        for task in workspace.index.tasks:
            if task.path not in reported:
                continue
            row = describe(task, display_path(task.path), now)
            node = graph.nodes.get(f"task:{task.name}")
            if node is not None and node.path == row["path"]:
                found_chain = chain(graph, node)
                row.update(chain=[step.as_json() for step in found_chain.steps], writes=found_chain.writes,
                           reads=found_chain.reads)
                trees[row["name"], row["path"]] = tree_lines(found_chain.steps, "  ")
            else:  # a second task of the same name (XR003 says so): the graph holds the first one
                row.update(chain=None, writes=None, reads=None)
            rows_here.append(row)
        for file in sorted(reported):
            if not workspace.results[file].parsed:  # never leave a task out: say that its file does not parse
                try:
                    data = Path(file).read_bytes()
                except OSError:
                    continue
                if _TASK.search(data):
                    rows_here.append(_unreadable(data, workspace.results[file].findings[0], display_path(file)))
        if several:
            rows_here = [{"workspace": workspace.name, **row} for row in rows_here]
        rows += sorted(rows_here, key=lambda row: row["name"].lower())
    if as_json:
        click.echo(json.dumps({"now": iso(now), "tasks": rows}, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"No tasks under {path or default_path(path, config, 'tasks')}.")
        return
    heads = ("WORKSPACE",) if several else ()
    table = [(*heads, "TASK", "ACTIVE", "SCHEDULE", "NEXT RUN (UTC)")]
    for row in rows:
        active = {True: "yes", False: "no", None: "?"}[row["active"]]
        table.append((*((row["workspace"],) if several else ()), row["name"], active, row["frequency"],
                      row["next_run_text"]))
    widths = [max(len(line[i]) for line in table) for i in range(len(heads) + 3)]
    for line in table:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])) + "  " + line[-1])
    for row in rows:  # then what each task runs
        tree = trees.get((row["name"], row["path"]))
        if tree or row.get("writes"):
            where = f" ({row['workspace']})" if several else ""
            click.echo(f"\n{row['name']}{where} runs:")
            click.echo("\n".join(tree or ["  (no function)"]))
            click.echo(f"  writes: {', '.join(row['writes']) or 'no table'}")


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
