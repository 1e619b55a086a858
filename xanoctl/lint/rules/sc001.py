r"""A background task without a schedule: it never runs.

The Metadata API shows every task's schedule as empty; the schedule lives only in the task's
XanoScript, so a task created without one (or with `schedule = []`) silently never runs.
An inactive task (`active = false`) is reported too, since switching it on would not make it
run; set `include_inactive: false` to leave inactive tasks alone.

Options: `include_inactive` (default `true`).

Bad::

    task "FUB - Nightly sync" {
      active = true
      stack {
        debug.log { value = now }
      }
    }

Good::

    task "FUB - Nightly sync" {
      active = true
      stack {
        debug.log { value = now }
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.schedule import EXAMPLE_STAMP, schedule_value
from xanoctl.language.model import ArrayLit, Literal

CODE = "SC001"
NAME = "no-schedule"
SEVERITY = "error"
OPTIONS = {"include_inactive": True}
SCOPE = "document"

_ADD = f"`schedule = [{{starts_on: {EXAMPLE_STAMP}, freq: 86400}}]`"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind != "task":
        return
    active = doc.value("active")
    inactive = isinstance(active, Literal) and active.value is False
    if inactive and not ctx.options(CODE)["include_inactive"]:
        return
    never = "it would never run once switched on" if inactive else "it never runs"
    value, block = schedule_value(doc)
    if value is None and block is None:
        yield Problem(ctx.header(), f"task `{doc.name}` has no schedule: {never}; add {_ADD}")
    elif isinstance(value, ArrayLit) and not value.items:
        yield Problem(value.pos, f"task `{doc.name}` has an empty schedule: {never}; add an event, "
                                 f"e.g. {_ADD}")
