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
    (endpoint to function), calls, reads and writes (tables), uses (middleware).

    PATH: the workspace folder (default: `dir` of xanoctl.yaml, else ./workspace). A folder
    that holds several workspaces (pulled side by side, a repository of exports) gives one graph
    per workspace, ids `<workspace>::<id>`; a NAME found in several answers for each, and
    `v1::NAME` asks one. Exit status 2 for an unknown or ambiguous NAME.
    """
    from xanoctl.errors import UsageError
    from xanoctl.lint.config import load_config
    from xanoctl.views import render
    from xanoctl.views.load import default_path, open_workspaces
    from xanoctl.views.several import labelled, merged, resolve_each

    if sum(1 for option in (callers, callees, focus) if option) > 1:
        raise UsageError("use one of --callers, --callees and --focus")
    if depth is not None and not (callers or callees or focus):
        raise UsageError("--depth goes with --callers, --callees or --focus")
    config = load_config(config_path)
    found = open_workspaces(default_path(path, config), config)
    several = len(found) > 1
    graphs = {ws.name: labelled(ws.graph, ws.name) for ws in found} if several else {None: found[0].graph}
    name = callers or callees or focus
    chosen: dict = dict(graphs)
    if name:
        nodes = resolve_each(graphs, name) if several else [found[0].graph.resolve(name)]
        if callees or callers:
            if fmt == "text":
                lines = []
                for node in nodes:
                    lines += ([f"Workspace {node.workspace}"] if several else []) \
                        + render.tree(graphs[node.workspace], node, upstream=bool(callers), depth=depth) + [""]
                click.echo("\n".join(lines[:-1]))
                return
            chosen = {node.workspace: graphs[node.workspace].subgraph(
                graphs[node.workspace].reach([node.id], upstream=bool(callers), depth=depth)) for node in nodes}
        else:
            chosen = {node.workspace: graphs[node.workspace].subgraph(
                graphs[node.workspace].neighbourhood(node, 2 if depth is None else depth)) for node in nodes}
    if not several:
        _show(chosen[None], fmt)
    elif fmt == "text":
        where = {ws.name: ws for ws in found}
        lines = [f"{len(found)} workspaces: {', '.join(where)}"]
        for label, graph in chosen.items():
            lines += ["", f"Workspace {label} ({where[label].shown(where[label].root)})", *render.listing(graph)]
        click.echo("\n".join(lines))
    else:
        listed = [{"name": ws.name, "path": ws.shown(ws.root)} for ws in found if ws.name in chosen]
        _show(merged(list(chosen.values())), fmt, listed)


def _show(graph, fmt: str, workspaces: list[dict] | None = None) -> None:
    from xanoctl.views import render

    if fmt == "json":
        click.echo(render.json_text(graph, workspaces), nl=False)
    elif fmt == "mermaid":
        click.echo(render.mermaid(graph), nl=False)
    elif fmt == "dot":
        click.echo(render.dot(graph), nl=False)
    else:
        click.echo("\n".join(render.listing(graph)))
