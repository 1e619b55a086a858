"""The settings of one run of xanoctl, as the person asked for them: ``--color``, ``-q``,
``-v``, whether the command prints JSON, and the progress line.

The CLI opens a :func:`session` around each run; the options shared by every command
(:func:`xanoctl.ui.output.common_options`, which the CLI adds to each command it loads)
fill it in while the arguments are parsed. Code below the CLI (the Xano client) reads it with
:func:`current`; outside a session (a library call, a test) it gets defaults: colour and
progress on a terminal only, no verbose lines.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, TextIO

from xanoctl.ui import colour
from xanoctl.ui.progress import Progress


class Session:
    """A plain class, not a dataclass: ``xanoctl --help`` loads it, and a dataclass costs its
    generated methods at import."""

    __slots__ = ("color", "quiet", "verbose", "machine", "command", "progress")

    def __init__(self) -> None:
        self.color = "auto"  # --color: auto, always, never
        self.quiet = False  # -q: no progress, no notices, no summary of a successful change
        self.verbose = 0  # -v: a line per request to Xano and per retry
        self.machine = False  # the command prints JSON (or another format for machines) on stdout
        self.command = "xanoctl"  # the command running, for the progress line
        self.progress = Progress()

    def colour(self, stream: TextIO | None = None) -> bool:
        """Whether to colour ``stream`` (default: stdout)."""
        return colour.wanted(self.color, sys.stdout if stream is None else stream)

    def set_quiet(self) -> None:
        self.quiet = True
        self.progress.silence()

    def set_verbose(self, level: int) -> None:
        self.verbose = max(self.verbose, level)
        self.progress.verbose = self.verbose > 0

    def set_machine(self) -> None:
        """The command prints for a machine: the progress line would only be noise."""
        self.machine = True
        self.progress.live = False

    def set_command(self, name: str) -> None:
        self.command = self.progress.label = name


_CURRENT: ContextVar[Session | None] = ContextVar("xanoctl_session", default=None)


def current() -> Session:
    """The session of this run; outside one, a fresh default session each time (bound to the
    ``sys.stderr`` of the moment)."""
    found = _CURRENT.get()
    return found if found is not None else Session()


@contextmanager
def session() -> Iterator[Session]:
    """A new session for one run (the CLI's), ended with its progress line cleared."""
    opened = Session()
    token = _CURRENT.set(opened)
    try:
        yield opened
    finally:
        opened.progress.clear()
        _CURRENT.reset(token)
