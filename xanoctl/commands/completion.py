"""`xanoctl completion SHELL`: the shell completion script, from click's own completion."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the script that completes xanoctl's commands, options and arguments in SHELL.

    \b
    Examples:
      eval "$(xanoctl completion bash)"                         in ~/.bashrc
      eval "$(xanoctl completion zsh)"                          in ~/.zshrc
      xanoctl completion fish > ~/.config/fish/completions/xanoctl.fish
    """
    from click.shell_completion import get_completion_class

    from xanoctl.cli import main

    cls = get_completion_class(shell)
    assert cls is not None  # SHELLS are click's own
    source = cls(main, {}, "xanoctl", "_XANOCTL_COMPLETE").source()
    if shell == "fish":  # "type,value<TAB>help": split at the first comma only, or a help is cut at its own
        source = source.replace('(string split "," $completion)', '(string split -m 1 "," $completion)')
    click.echo(source)
