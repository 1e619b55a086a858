r"""An invalid schedule event.

A task runs from `starts_on` (a timestamp such as `2025-11-28 05:56:27+0000`) every `freq`
seconds (absent: once) until `ends_on` (optional). An event without `starts_on`, with a
timestamp that is not one, a `freq` that is not a positive whole number, an `ends_on` that is
not after `starts_on`, or a key the scheduler does not know, never runs as meant. The older
block form `schedule { events = [...] }` is reported here too, with the form to write.

Bad::

    task "FUB - Nightly sync" {
      active = true
      stack {
        debug.log { value = now }
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 0}]
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
from xanoctl.lint.schedule import current_schedule, event_problems, schedule_value
from xanoctl.language.model import ArrayLit

CODE = "SC002"
NAME = "bad-schedule"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"


def check(doc, ctx) -> Iterator[Problem]:
    if doc.kind != "task":
        return
    value, block = schedule_value(doc)
    if block is not None:
        current = current_schedule(block, ctx.source)
        write = f"write `{current}`" if current else "write `schedule = [...]` with the same events"
        yield Problem(block.pos, f"task `{doc.name}`: `schedule {{ events = [...] }}` is the older form; {write}")
    if value is None:
        return
    if not isinstance(value, ArrayLit):
        yield Problem(value.pos, f"task `{doc.name}`: `schedule` must be a list of events, e.g. "
                                 f"`schedule = [{{starts_on: 2025-01-01 00:00:00+0000, freq: 86400}}]`")
        return
    for item in value.items:
        for pos, message in event_problems(item, lambda pos: ctx.snippet(pos, 40)):
            yield Problem(pos, f"task `{doc.name}`: {message}")
