"""Fewer garbage collections while a command, or a lint run, makes and moves its objects."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def few_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs rarely meanwhile. Parsing, and pickling the
    facts to and from the worker processes and the cache, make hundreds of thousands of small
    objects that hold no cycles; the default thresholds walk the growing heap again and again
    for nothing. Memory that is garbage is still freed at once by reference counting."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
