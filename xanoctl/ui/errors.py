"""The one error style: ``xanoctl: error: <what happened>; <what to do>``, one line on
stderr, never a traceback. Exit status 1 for a failed operation, 2 for a usage or
configuration error (click's own usage errors included: a typo in an option, a missing
argument, a bad choice), 130 when interrupted.

Commands raise :class:`xanoctl.errors.XanoctlError` or :class:`xanoctl.errors.UsageError`
(or click's ``UsageError``) and the CLI prints them through :func:`report`; a command that has
printed its report and still fails prints its last line with :func:`error`.
"""

from __future__ import annotations

from typing import Iterable

import click

from xanoctl.ui.session import current

PREFIX = "xanoctl: error: "


def one_line(message: str) -> str:
    """``message`` on one line: its lines joined, runs of spaces collapsed."""
    return " ".join(str(message).split())


def error(message: str) -> None:
    """Print ``xanoctl: error: message`` on stderr."""
    current().progress.clear()
    click.echo(PREFIX + one_line(message), err=True)


def warning(message: str) -> None:
    """Print ``xanoctl: warning: message`` on stderr (``-q`` does not silence warnings)."""
    current().progress.clear()
    click.echo("xanoctl: warning: " + one_line(message), err=True)


def notice(message: str) -> None:
    """Print ``message`` on stderr, unless ``-q``: what the run did, for the person watching."""
    if not current().quiet:
        current().progress.clear()
        click.echo(message, err=True)


def usage_message(exc: click.UsageError) -> str:
    """Click's usage error as one line that says what to do."""
    if isinstance(exc, click.NoSuchOption):
        text = f"no such option {exc.option_name}"
        hidden = {name for param in (exc.ctx.command.params if exc.ctx else ())
                  if getattr(param, "hidden", False) for name in param.opts}
        shown = sorted(set(exc.possibilities or ()) - hidden)
        if shown:
            text += f": did you mean {' or '.join(shown)}?"
    else:
        text = one_line(exc.format_message()).rstrip(".")
        text = text[:1].lower() + text[1:] if text[1:2].islower() or text[1:2] == " " else text
    if "--help" in text or "`xanoctl" in text:
        return text
    return f"{text} (see `{command_path(exc.ctx)} --help`)"


def command_path(ctx: click.Context | None) -> str:
    """``xanoctl push`` for the context of ``push`` (whatever name the program was run by)."""
    names = []
    while ctx is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["xanoctl", *reversed(names[:-1])])


def no_such_command(name: str, known: Iterable[str]) -> str:
    """``no such command 'pul': did you mean `pull`?``"""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close:
        close = [k for k in known if k.startswith(name)][:1] if len(name) >= 2 else []
    hint = f"did you mean `xanoctl {close[0]}`?" if close else "`xanoctl --help` lists the commands"
    return f"no such command {name!r}: {hint}"
