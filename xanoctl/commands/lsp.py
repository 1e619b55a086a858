"""`xanoctl lsp`: the language server, over stdio (or a TCP port)."""

from __future__ import annotations

import click


@click.command()
@click.option("--tcp", "port", type=click.IntRange(1, 65535), metavar="PORT",
              help="Serve on this TCP port of 127.0.0.1 instead of stdio.")
@click.option("--stdio", is_flag=True, help="Serve over stdin and stdout (the default; editors pass it).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the lint cache (.xanoctl/cache/).")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes at start-up (0: one per core).")
def lsp(port, stdio, no_cache, jobs):
    """Serve the linter, the workspace map and the fixes to an editor over the Language Server
    Protocol (VS Code, Neovim, Helix, Zed, Emacs: see the README). The editor starts it; it
    finds the workspace from the folder the editor opens, as `xanoctl lint` does.
    """
    if port is not None and stdio:
        raise click.UsageError("choose one of --tcp PORT and --stdio")
    from xanoctl.lsp.server import serve

    serve(tcp=port, use_cache=not no_cache, jobs=jobs or None)
