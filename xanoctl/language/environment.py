r"""A workspace document's ``env = ...`` clause: its environment variables, which hold secrets.

Xano exports and imports the environment only when asked for (``env=true`` on the multidoc
routes): ``xanoctl pull`` never asks, so a pulled workspace document has no ``env`` clause, and
one written by hand (to let EV001 check the ``$env`` reads) is kept locally: never pushed, never
shown as a change (:mod:`xanoctl.sync.localscan`). Text in, text out: the clause is found by its
line (two spaces in, as Xano renders a document's clauses) and the brackets after it.

>>> text = 'workspace "W" {\n  env = {KEY: "s3cret"}\n  preferences = {}\n}'
>>> without_env(text)
'workspace "W" {\n  preferences = {}\n}'
>>> env_clause(text)
'  env = {KEY: "s3cret"}\n'
"""

from __future__ import annotations

import re

_ENV_START = re.compile(r"^  env\s*=", re.MULTILINE)


def _env_span(text: str) -> tuple[int, int] | None:
    """Where the top-level ``env = ...`` clause of a workspace document stands (its lines)."""
    found = _ENV_START.search(text)
    if found is None:
        return None
    depth, index = 0, found.end()
    while index < len(text):
        char = text[index]
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == '"':
            index = text.find('"', index + 1)
            while index > 0 and text[index - 1] == "\\":
                index = text.find('"', index + 1)
            if index < 0:
                return None
        elif char == "\n" and depth <= 0:
            break
        index += 1
    return found.start(), min(index + 1, len(text))


def env_clause(text: str) -> str:
    """The ``env = ...`` clause of a workspace document (its lines), or ``""``."""
    span = _env_span(text)
    return text[span[0]:span[1]] if span else ""


def with_env(text: str, clause: str) -> str:
    """A workspace document with its ``env`` clause replaced by ``clause`` (``""``: without
    one; a new clause goes after the header line)."""
    span = _env_span(text)
    if span is not None:
        return text[:span[0]] + clause + text[span[1]:]
    if not clause:
        return text
    first = text.find("{\n")
    if first < 0:
        return text
    return text[:first + 2] + (clause if clause.endswith("\n") else clause + "\n") + text[first + 2:]


def without_env(text: str) -> str:
    """A workspace document without its ``env`` clause (the text itself when it has none)."""
    return with_env(text, "")
