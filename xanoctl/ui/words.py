"""Counts and lists in words: ``1 object``, ``2 objects``, ``a, b, c and 4 more``."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

_IRREGULAR = {"entry": "entries", "query": "queries", "is": "are", "was": "were", "has": "have",
              "this": "these", "it": "they", "library": "libraries", "dependency": "dependencies"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 file``, ``0 files``, ``3 entries``; ``many`` when the plural is not regular."""
    return f"{count} {noun if count == 1 else (many or plural_of(noun))}"


def plural_of(noun: str) -> str:
    """The plural of a noun, or of the last word of a phrase (``file modified locally`` is not
    one: put the noun last, or give the plural)."""
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR:
        word = _IRREGULAR[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def some(items: Sequence[str], shown: int = 3) -> str:
    """``a, b, c`` or ``a, b, c and 4 more``."""
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


def counts(pairs: Iterable[tuple[int, str]], empty: str = "nothing") -> str:
    """``2 updated, 1 deleted``: the non-zero counts, in order; ``empty`` when all are zero."""
    text = ", ".join(f"{n} {word}" for n, word in pairs if n)
    return text or empty


def sharing(mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    """``{"b": "x", "a": "x", "c": "y"}`` -> ``[("a, b", "x"), ("c", "y")]``: the keys that share
    a value said once (kinds refused for one reason: every kind a refused export carries), in
    the order of their first key."""
    found: dict[str, list[str]] = {}
    for key in sorted(mapping):
        found.setdefault(mapping[key], []).append(key)
    return [(", ".join(keys), value) for value, keys in found.items()]
