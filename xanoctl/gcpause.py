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


def freeze_imports() -> None:
    """Move what the process holds so far (its imported modules, which live until it ends) out
    of the collector's sight, so that no collection, the last ones at exit included, walks them
    again (50 ms at the exit of a pull). Once per process: a test session runs many commands."""
    if not gc.get_freeze_count():
        gc.freeze()
