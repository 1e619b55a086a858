"""Damaged copies of real files, as a slip of the hand or a bad merge makes them."""

from __future__ import annotations

import random

CHARS = ' {}"\n|$.:[]()!=,\t\'`-0a#/'


def damage(text: str, rng: random.Random, chars: str = CHARS) -> str:
    """``text`` with one to three characters deleted, or one of ``chars`` inserted or doubled."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        char = rng.choice(chars)
        cut = rng.random()
        text = (text[:at] + text[at + 1:] if cut < 0.4 else
                text[:at] + char * (1 if cut < 0.8 else 2) + text[at:])
    return text
