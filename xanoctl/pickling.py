"""Cheap pickling for the slotted dataclasses that the lint cache keeps and the worker
processes send back (facts, findings, suppressions, tables: thousands per workspace)."""

from __future__ import annotations

from operator import attrgetter
from typing import TypeVar

T = TypeVar("T", bound=type)


def by_fields(cls: T) -> T:
    """Class decorator, above ``@dataclass(slots=True)``: pickle an instance as the call
    ``cls(*fields)``. Python's own way for slotted classes (each slot's name with its value,
    or a dataclass ``__setstate__`` that looks the fields up again for every object) makes
    larger pickles that cost two to four times as much to write and to read."""
    names = cls.__slots__
    assert len(names) > 1, "attrgetter gives a tuple for two names or more"
    values = attrgetter(*names)

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls
