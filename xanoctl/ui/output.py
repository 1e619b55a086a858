"""What commands print, the same way everywhere.

- :func:`common_options`: ``--color``, ``-q`` and ``-v``, which the CLI adds to every command
  (and to ``xanoctl`` itself: ``xanoctl -q pull`` is ``xanoctl pull -q``);
- :func:`format_option`: ``--format text|json...`` with ``--json`` as an alias; choosing JSON
  turns the progress line off;
- :class:`Choice`: click's choice whose error names the closest one (``did you mean 'json'?``);
- :func:`print_json`: every JSON report in one style (the shapes: docs/json.md);
- :func:`emit`: a report's lines, then its error line, then the exit status;
- :func:`width`: the columns a report may fill (a terminal's, or ``COLUMNS``), None for a pipe.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable

import click

from xanoctl.ui import colour
from xanoctl.ui.errors import error
from xanoctl.ui.session import current


class Choice(click.Choice):
    """A choice among fixed words: a value that is none of them is a usage error naming the
    closest (``'mesage' is not a choice: did you mean 'message'?``), or listing them all."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        from xanoctl.config import closest

        close = closest(str(value), [str(choice) for choice in self.choices])
        if close is not None:
            return f"{value!r} is not a choice: did you mean {close!r}?"
        return super().get_invalid_choice_message(value, ctx)


def _set_color(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        current().color = value


def _set_no_color(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        current().color = "never"


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        current().set_quiet()


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int) -> None:
    if value:
        current().set_verbose(value)


def common_options() -> list[click.Option]:
    """Fresh ``--color``, ``--no-color`` (hidden), ``-q`` and ``-v`` options; they fill in the
    session and are not passed to the command's function."""
    return [
        click.Option(["--color"], type=Choice(colour.WHEN), is_flag=False, flag_value="always",
                     default=None, expose_value=False, callback=_set_color, metavar="[auto|always|never]",
                     help="Colour the output: auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces it), "
                          "always or never."),
        click.Option(["--no-color"], is_flag=True, expose_value=False, callback=_set_no_color, hidden=True),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_quiet,
                     help="No progress line and no notices; a change that succeeds prints nothing."),
        click.Option(["-v", "--verbose"], count=True, expose_value=False, callback=_set_verbose,
                     help="Tell each request to Xano and each retry, on stderr."),
    ]


def format_option(*formats: str, default: str | None = None, aliases: tuple[str, ...] = ("json",),
                  help: str = "Output format.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format`` with ``formats`` (the first is the default), and ``--json`` (each of
    ``aliases`` as a flag ``--NAME``) as a short way to ask for one. The command's function gets
    the chosen format as ``fmt``. JSON turns the progress line off."""
    default = default or formats[0]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, fmt: str | None, **kwargs: Any) -> Any:
            asked = [name for name in aliases if kwargs.pop(f"_as_{name}")]
            if len(asked) > 1 or (asked and fmt not in (None, asked[0])):
                raise click.UsageError(f"--format {fmt} and --{asked[-1]} ask for different formats: choose one")
            chosen = asked[0] if asked else fmt or default
            if chosen == "json":
                current().set_machine()
            return command(*args, fmt=chosen, **kwargs)

        for name in reversed(aliases):
            wrapper = click.option(f"--{name}", f"_as_{name}", is_flag=True, hidden=True)(wrapper)
        short = " ".join(f"--{name} is --format {name}." for name in aliases)
        return click.option("--format", "fmt", type=Choice(formats), default=None, help=f"{help} {short}",
                            metavar=f"[{'|'.join(formats)}]", show_default=False)(wrapper)

    return decorate


def print_json(data: Any) -> None:
    """One JSON document on stdout: indented, UTF-8 as it is, a newline at the end."""
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo(text: str = "", *, nl: bool = True, color: bool | None = None) -> None:
    """A line of the report on stdout (the progress line cleared first)."""
    current().progress.clear()
    click.echo(text, nl=nl, color=color)


def emit(lines: list[str], failure: str | None, code: int, color: bool | None = None) -> None:
    """Print the report (``-q``: only when the command failed; ``color``: whether its lines
    keep their colours, see :func:`colour_on`), then ``failure`` as the error line, then exit
    with ``code``."""
    if not (current().quiet and code == 0):
        for line in lines:
            echo(line, color=color)
    if failure:
        error(failure)
    raise SystemExit(code)


def emit_json(data: Any, failure: str | None, code: int) -> None:
    """:func:`emit` for ``--format json``: the document on stdout, ``failure`` (also in the
    document) as the error line on stderr, then the exit status."""
    print_json(data)
    if failure:
        error(failure)
    raise SystemExit(code)


def colour_on(stream: Any = None) -> bool:
    """Whether to colour stdout (or ``stream``) in this run."""
    return current().colour(stream)


def width() -> int | None:
    """The columns a report may use: ``COLUMNS`` when set, else the terminal's when stdout is
    one; None (no limit) for a pipe or a file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if colour.is_terminal(sys.stdout):
        import shutil

        return shutil.get_terminal_size().columns
    return None
