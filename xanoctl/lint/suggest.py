"""Did-you-mean for names of the workspace (functions, tables, middleware...): the existing name
closest to one that does not exist."""

from __future__ import annotations

import difflib
from typing import Iterable


def trigrams(text: str) -> frozenset[str]:
    padded = f"  {text.lower()} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


class Suggester:
    """The closest of ``names`` to a missing one: the same name in another case, else the few
    names sharing the most trigrams with it, ranked by difflib (difflib alone over thousands
    of names is slow). Built lazily, answers cached."""

    def __init__(self, names: Iterable[str], cutoff: float = 0.75):
        self._names = names
        self._cutoff = cutoff
        self._grams: dict[str, frozenset[str]] | None = None
        self._folded: dict[str, str] = {}
        self._hints: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        if name not in self._hints:
            self._hints[name] = self._closest(name) if name else None
        return self._hints[name]

    def _closest(self, name: str) -> str | None:
        if self._grams is None:
            self._grams = {other: trigrams(other) for other in self._names}
            for other in self._grams:
                self._folded.setdefault(other.casefold(), other)
        if name.casefold() in self._folded:
            return self._folded[name.casefold()]
        mine = trigrams(name)
        grams = self._grams
        ranked = sorted(grams, key=lambda other: -len(mine & grams[other]))[:20]
        found = difflib.get_close_matches(name, ranked, n=1, cutoff=self._cutoff)
        return found[0] if found else None
