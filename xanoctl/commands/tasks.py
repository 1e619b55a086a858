"""`xanoctl tasks [PATH]`: every background task with its schedule, read from its XanoScript
(the Metadata API shows none)."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import click

from xanoctl.ui.output import format_option, print_json, width as terminal_width

_TASK = re.compile(rb"^[ \t]*task[ \t]", re.MULTILINE)


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@format_option("text", "json", help="text: a table, then what each task runs; json: every task with its "
               "schedule, next run and chain (docs/json.md).")
@click.option("--now", "now_text", metavar="TIMESTAMP",
              help="Compute next runs from this moment (ISO 8601; default: now), e.g. 2025-12-01T00:00:00Z.")
def tasks(path, fmt, now_text):
    """List background tasks: active flag, how often and at what time of day they run, and
    the next run (UTC); then the chain each task runs (its function and the functions below)
    and the tables it writes. A folder that holds several workspaces lists each one's tasks,
    with their workspace. The table fits the terminal's width.

    \b
    Examples:
      xanoctl tasks                        the tasks of the workspace folder
      xanoctl tasks workspace/ --now 2025-12-01T00:00:00Z
      xanoctl tasks --format json          for machines
    """
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
    if fmt == "json":
        print_json({"now": iso(now), "tasks": rows})
        return
    if not rows:
        click.echo(f"No tasks under {path or default_path(path, config, 'tasks')}.")
        return
    heads = ("WORKSPACE",) if several else ()
    table = [(*heads, "TASK", "ACTIVE", "SCHEDULE", "NEXT RUN (UTC)")]
    for row in rows:
        active = {True: "yes", False: "no", None: "?"}[row["active"]]
        table.append((*((row["workspace"],) if several else ()), row["name"], active, row["when"],
                      row["next_run_text"]))
    for line in fit_table(table, terminal_width(), shrink=(len(heads) + 2, len(heads))):
        click.echo(line)
    for row in rows:  # then what each task runs
        tree = trees.get((row["name"], row["path"]))
        if tree or row.get("writes"):
            where = f" ({row['workspace']})" if several else ""
            click.echo(f"\n{row['name']}{where} runs:")
            click.echo("\n".join(tree or ["  (no function)"]))
            click.echo(f"  writes: {', '.join(row['writes']) or 'no table'}")


def fit_table(table: list[tuple[str, ...]], width: int | None, shrink: tuple[int, ...]) -> list[str]:
    """The rows of ``table`` in aligned columns two spaces apart. When ``width`` is given and
    the table is wider, the columns ``shrink`` (indexes, the first narrowed first, down to 16
    characters) wrap their text on the lines below: nothing is cut."""
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    over = sum(widths) + 2 * (len(widths) - 1) - width if width is not None else 0
    for column in shrink:
        if over <= 0:
            break
        cut = min(over, max(widths[column] - 16, 0))
        widths[column] -= cut
        over -= cut
    lines = []
    for line in table:
        cells = [textwrap.wrap(text, widths[i], break_on_hyphens=False) or [""] if i in shrink else [text]
                 for i, text in enumerate(line)]
        for row in range(max(len(cell) for cell in cells)):
            parts = [(cell[row] if row < len(cell) else "").ljust(widths[i]) for i, cell in enumerate(cells)]
            lines.append("  ".join(parts).rstrip())
    return lines


_NAME = re.compile(rb'^[ \t]*task[ \t]+("(?:[^"\\\r\n]|\\.)*"|[^\s{]+)', re.MULTILINE)


def _unreadable(data: bytes, finding, shown: str) -> dict:
    match = _NAME.search(data)
    name = match.group(1).decode("utf-8", "replace") if match else Path(shown).stem
    if name.startswith('"'):
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return {
        "name": name, "path": shown, "active": None, "frequency": "unreadable", "when": "unreadable", "schedule": None,
        "next_run": None, "next_run_text": f"unknown (syntax error at line {finding.line}; see `xanoctl lint`)",
        "error": f"line {finding.line}: {finding.message}",
    }
