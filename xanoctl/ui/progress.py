"""What remote work is doing, told to a person: one line on stderr, rewritten in place.

The line is shown only when stderr is a terminal (not ``TERM=dumb``), and never under ``-q``
or when the command prints JSON: a pipe, a log or a machine never sees it. It is cleared before
anything else is printed and when the work ends.

The Xano client reports every request, page, retry and rate-limit wait to the
:class:`Progress` of the run (:func:`xanoctl.ui.session.current`), so every command that
talks to Xano shows progress without doing anything; work with steps of its own (a push
writing its objects) names them with :meth:`Progress.begin` and :meth:`Progress.advance`.

A multidoc export read as it streams (the documents without routes of their own) is counted
beside whatever the line says: ``checking 3 objects against Xano (reading Xano's export: 40
documents)``.

Elsewhere (a log, CI) a rate-limit wait is told once, in one line; ``-v`` adds one line per
request and per retry.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, TextIO

from xanoctl.ui.colour import is_terminal
from xanoctl.ui.words import plural

REDRAW = 0.1  # seconds between two redraws of mere counts


class Progress:
    """The progress of one run. ``live``: the line on a terminal (default: stderr is one and
    ``TERM`` is not ``dumb``); ``log``: one-off notices elsewhere (off under ``-q``);
    ``verbose``: a line per request and per retry."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None, log: bool = True,
                 verbose: bool = False, label: str = "xanoctl", clock: Callable[[], float] = time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.live = (is_terminal(self.stream) and os.environ.get("TERM") != "dumb") if live is None else live
        self.log = log
        self.verbose = verbose
        self.label = label
        self.requests = 0
        self.pages = 0
        self.objects = 0
        self._clock = clock
        self._phase: str | None = None
        self._total: int | None = None
        self._done = 0
        self._unit = ""
        self._shown = ""  # the line on the terminal now
        self._drawn_at = float("-inf")
        self._told_rate_limit = False
        self._exports = 0  # multidoc exports being read as they stream
        self._exported = 0  # their documents read so far

    def silence(self) -> None:
        """No line and no notices from now on (``-q``, or a command printing JSON)."""
        self.clear()
        self.live = self.log = False

    # ------------------------------------------------------------------ the work's own steps

    def begin(self, phase: str, total: int | None = None, unit: str = "") -> None:
        """A step of the work, ``writing`` ``total`` ``objects``, counted by :meth:`advance`
        (``writing: 3/30 objects``); without ``total``, the phase alone until something is
        counted."""
        self._phase, self._total, self._done, self._unit = phase, total, 0, unit
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self._done += count
        self._draw(force=self._total is not None and self._done >= self._total)

    def end(self) -> None:
        """The step is over: back to counting requests."""
        self._phase, self._total, self._done = None, None, 0
        self.clear()

    # ------------------------------------------------------------------ what the client reports

    def request(self, method: str, path: str) -> None:
        self.requests += 1
        self._draw()

    def answer(self, method: str, path: str, status: int | None, seconds: float) -> None:
        if self.verbose:
            self.say(f"xanoctl: {method} {path}: {status if status is not None else 'no answer'} "
                     f"({seconds * 1000:.0f} ms)")

    def page(self, kind: str, count: int) -> None:
        self.pages += 1
        self.objects += count
        self._draw()

    def export_started(self) -> None:
        """A multidoc export starts streaming (several may, at once)."""
        self._exports += 1
        self._draw(force=True)

    def export_document(self) -> None:
        """One more document of an export read."""
        self._exported += 1
        self._draw()

    def export_ended(self) -> None:
        self._exports = max(self._exports - 1, 0)
        if not self._exports:
            self._exported = 0
        self._draw(force=True)

    def retrying(self, why: str, attempt: int, attempts: int, delay: float) -> None:
        """The client waits ``delay`` seconds before try ``attempt`` of ``attempts``."""
        text = f"{why}, retrying {attempt}/{attempts}"
        if self.verbose:
            self.say(f"xanoctl: {text} in {delay:.1f} s")
        self._draw(text, force=True)

    def rate_limited(self, remaining: float, left: float) -> None:
        """Xano rate-limits: the next try in ``remaining`` seconds (0: requests go through
        again); the client gives up after ``left`` more seconds without progress."""
        if remaining <= 0:
            self._draw(force=True)
            return
        if self.live:
            self._draw(f"rate limited by Xano: next try in {_duration(remaining)} "
                       f"(giving up in {_duration(left)} without progress)", force=True)
        elif self.log and not self._told_rate_limit:
            self._told_rate_limit = True
            self._write(f"xanoctl: rate limited by Xano (429): waiting and retrying, for up to "
                        f"{_duration(left)} without progress\n")

    # ------------------------------------------------------------------ the line

    def line(self) -> str:
        """What the line says now about the work (without a retry or a wait)."""
        reading = f" (reading Xano's export: {plural(self._exported, 'document')})" if self._exports else ""
        return self._work() + reading

    def _work(self) -> str:
        if self._phase is not None:
            if self._total is None and not self._done:
                return self._phase
            done = f"{self._done}/{self._total}" if self._total is not None else str(self._done)
            return f"{self._phase}: {done}" + (f" {self._unit}" if self._unit else "")
        if self.pages:
            return f"{self.label}: {plural(self.objects, 'object')} in {plural(self.pages, 'page')}"
        return f"{self.label}: {plural(self.requests, 'request')} to Xano"

    def say(self, text: str) -> None:
        """A line of its own on stderr (the progress line is redrawn below it)."""
        shown = self._shown
        self.clear()
        self._write(text + "\n")
        if shown:
            self._draw(shown, force=True)

    def clear(self) -> None:
        if self._shown:
            self._write("\r\x1b[K")
            self._shown = ""

    def _draw(self, text: str | None = None, *, force: bool = False) -> None:
        if not self.live:
            return
        now = self._clock()
        if not force and now - self._drawn_at < REDRAW:
            return
        text = _fit(text if text is not None else self.line(), self.stream)
        self._drawn_at = now
        if text != self._shown:
            self._write(f"\r{text}\x1b[K")
            self._shown = text

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not stop the work


def _duration(seconds: float) -> str:
    """``12 s``, ``4 min 48 s``, ``1 h 5 min``."""
    seconds = max(round(seconds), 1)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _fit(text: str, stream: TextIO) -> str:
    """The line cut to the terminal's width (a wrapped line could not be rewritten in place):
    ``COLUMNS`` when set, else the terminal's own; as it is when neither is known."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else 0
    if not width:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return text
    if width < 10:  # unknown (a terminal that says 0) or too narrow to cut sensibly
        return text
    return text if len(text) < width else text[:width - 2] + "…"
