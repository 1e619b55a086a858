"""`xanoctl graph [PATH]`: the call graph of the workspace (tasks, endpoints, functions,
tables, middleware), what reaches an object and what it reaches."""

from __future__ import annotations

import click

FORMATS = ("text", "json", "mermaid", "dot")


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a listing, or a tree with --callers/--callees; json: the nodes and edges; "
                   "mermaid, dot: a drawing with folders as clusters.")
@click.option("--callers", metavar="NAME", help="Everything that reaches this object (an id such as "
              "function:Workers/X, or an unambiguous name), up to the tasks and endpoints.")
@click.option("--callees", metavar="NAME", help="Everything this object reaches.")
@click.option("--focus", metavar="NAME", help="Only this object's neighbourhood: what reaches it and "
              "what it reaches, --depth steps each way.")
@click.option("--depth", type=click.IntRange(min=0), help="Steps to follow (default: all; 2 with --focus).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest xanoctl.yaml).")
def graph(path, fmt, callers, callees, focus, depth, config_path):
    """Show how the workspace's objects call each other: edges runs (task to function), serves
    (endpoint to function), calls, reads and writes (tables), uses (middleware); and the state
    changes each object makes (`job.status: New -> Started`; JSON: `"states"` on its node).

    PATH: the workspace folder (default: `dir` of xanoctl.yaml, else ./workspace). A folder
    that holds several workspaces (pulled side by side, a repository of exports) gives one graph
    per workspace, ids `<workspace>::<id>`; a NAME found in several answers for each, and
    `v1::NAME` asks one. Exit status 2 for an unknown or ambiguous NAME.
    """
    from xanoctl.errors import UsageError
    from xanoctl.lint.config import load_config
    from xanoctl.views.load import default_path, open_workspaces
    from xanoctl.views.several import Graphs

    if sum(1 for option in (callers, callees, focus) if option) > 1:
        raise UsageError("use one of --callers, --callees and --focus")
    if depth is not None and not (callers or callees or focus):
        raise UsageError("--depth goes with --callers, --callees or --focus")
    config = load_config(config_path)
    shown = Graphs.of(open_workspaces(default_path(path, config, "graph"), config, empty_ok=path is None))
    if callers or callees:
        nodes = shown.resolve(callers or callees)
        if fmt == "text":
            click.echo(shown.trees(nodes, upstream=bool(callers), depth=depth), nl=False)
            return
        shown = shown.reach(nodes, upstream=bool(callers), depth=depth)
    elif focus:
        shown = shown.focus(shown.resolve(focus), 2 if depth is None else depth)
    click.echo(shown.text(fmt), nl=False)
