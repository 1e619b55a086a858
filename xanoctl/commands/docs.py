"""`xanoctl docs [PATH] [--out DIR]`: the operations manual, generated from the workspace."""

from __future__ import annotations

import click


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
def docs(path):
    """Write the operations manual (Markdown with mermaid diagrams)."""
    raise NotImplementedError
