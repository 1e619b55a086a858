"""`xanoctl lint` (placeholder until the linter lands)."""

import click


@click.command()
@click.argument("paths", nargs=-1)
def lint(paths):
    """Lint XanoScript files."""
    raise click.UsageError("not implemented yet")
