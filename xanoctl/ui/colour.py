"""Whether to colour what goes to a stream.

In order, the first that applies decides:

1. ``--color always`` or ``--color never`` (``--no-color`` is ``never``);
2. ``NO_COLOR`` set and not empty: no colour (https://no-color.org);
3. ``FORCE_COLOR`` set and not empty (and not ``0`` or ``false``): colour, even in a pipe
   (https://force-color.org);
4. ``TERM=dumb``: no colour;
5. colour when the stream is a terminal.

What a colour means is the same in every command (:func:`paint`): green for what went well (a
test passed, an object pushed or pulled), red and bold for what failed (a conflict, a failed
test, a refusal), yellow for what needs a look without failing (a skip, a file kept, a note),
cyan for information, bold for a heading.
"""

from __future__ import annotations

import os
from typing import Mapping, TextIO

WHEN = ("auto", "always", "never")
STYLES = {"ok": {"fg": "green"}, "failed": {"fg": "red", "bold": True}, "warning": {"fg": "yellow"},
          "info": {"fg": "cyan"}, "heading": {"bold": True}}


def wanted(when: str, stream: TextIO | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour ``stream`` under the ``--color`` setting ``when``."""
    env = os.environ if env is None else env
    if when == "always":
        return True
    if when == "never":
        return False
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "").strip().lower() not in ("", "0", "false", "no"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # a closed stream, or one without isatty
        return False


def paint(text: str, meaning: str | None, on: bool, width: int = 0) -> str:
    """``text`` in the colour of ``meaning`` (a key of :data:`STYLES`; None: as it is) when
    ``on``, padded to ``width`` outside the colour (columns stay aligned, and the text without
    colour is the same)."""
    pad = " " * (width - len(text))
    if not on or not text or meaning is None:
        return text + pad
    import click

    return click.style(text, **STYLES[meaning]) + pad
