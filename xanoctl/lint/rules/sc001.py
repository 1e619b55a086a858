r"""A background task without a schedule: it never runs.

The Metadata API shows every task's schedule as empty; the schedule lives only in the task's
XanoScript, so a task created without one (or with `schedule = []`) silently never runs.
Inactive tasks (`active = false`) are left alone unless `include_inactive` is set.

Options: `include_inactive` (default `false`).

Bad::

    task "FUB - Nightly sync" {
      active = true
      stack {
        var $started { value = now }
      }
    }

Good::

    task "FUB - Nightly sync" {
      active = true
      stack {
        var $started { value = now }
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.schedule import EXAMPLE_STAMP, schedule_value
from xanoctl.model import ArrayLit, Literal

CODE = "SC001"
NAME = "no-schedule"
SEVERITY = "error"
OPTIONS = {"include_inactive": False}
SCOPE = "document"

_ADD = f"`schedule = [{{starts_on: {EXAMPLE_STAMP}, freq: 86400}}]`"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind != "task":
        return
    active = doc.value("active")
    if isinstance(active, Literal) and active.value is False and not ctx.options(CODE)["include_inactive"]:
        return
    value, block = schedule_value(doc)
    if value is None and block is None:
        yield Problem(ctx.header(), f"task `{doc.name}` has no schedule: it never runs; add {_ADD}")
    elif isinstance(value, ArrayLit) and not value.items:
        yield Problem(value.pos, f"task `{doc.name}` has an empty schedule: it never runs; add an event, "
                                 f"e.g. {_ADD}")
