"""Task schedules: reading the events, judging them (SC001/SC002), and describing them
(``xanoctl tasks``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from xanoctl.lint.facts import EventFact
from xanoctl.language.model import ArrayLit, Document, Expr, Literal, ObjectLit, Pos, Statement

EVENT_KEYS = ("starts_on", "freq", "ends_on")
_STAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r"[ ]?(Z|[+-]\d{2}:?\d{2})?\Z"
)
EXAMPLE_STAMP = "2025-01-01 00:00:00+0000"


def parse_timestamp(text: str) -> datetime | None:
    """``2025-11-28 05:56:27+0000`` -> an aware datetime (UTC when no offset), else None."""
    match = _STAMP.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz = timezone.utc
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError:
        return None


def stamp_value(expr: Expr | None) -> datetime | None:
    if isinstance(expr, Literal) and expr.kind in ("timestamp", "string") and isinstance(expr.value, str):
        return parse_timestamp(expr.value)
    return None


def freq_value(expr: Expr | None) -> int | None:
    """The frequency in seconds when ``expr`` is a positive whole number literal, else None."""
    if isinstance(expr, Literal) and expr.kind == "number" and isinstance(expr.value, int) \
            and not isinstance(expr.value, bool) and expr.value > 0:
        return expr.value
    return None


def legacy_block(doc: Document) -> Statement | None:
    for block in doc.blocks:
        if block.kind == "schedule":
            return block
    return None


def schedule_value(doc: Document) -> tuple[Expr | None, Statement | None]:
    """The schedule expression (``schedule = [...]`` or the legacy block's ``events``) and the
    legacy block when that form is used."""
    value = doc.value("schedule")
    if value is not None:
        return value, None
    block = legacy_block(doc)
    if block is not None:
        return block.value("events"), block
    return None, None


def current_schedule(block: Statement, source: Callable[[Pos], str | None], limit: int = 100) -> str | None:
    """``schedule = [...]`` with the events of an older ``schedule { events = [...] }`` block,
    when they stand on one line and are short enough to quote; else None."""
    events = block.value("events")
    text = source(events.pos) if events is not None else None
    return f"schedule = {text}" if text and len(text) <= limit else None


def task_events(doc: Document) -> tuple[EventFact, ...] | None:
    value, block = schedule_value(doc)
    if value is None and block is None:
        return None
    if not isinstance(value, ArrayLit):
        return ()
    events = []
    for item in value.items:
        if isinstance(item, ObjectLit):
            start, freq, end = item.get("starts_on"), item.get("freq"), item.get("ends_on")
            valid = not list(event_problems(item))
            events.append(EventFact(stamp_value(start), freq_value(freq), stamp_value(end), valid))
        else:
            events.append(EventFact(None, None, None, False))
    return tuple(events)


def event_problems(item: Expr, source: Callable[[Pos], str] | None = None) -> Iterator[tuple[Pos, str]]:
    """What is wrong with one schedule event, as (position, message); the position is the
    event's (the message names the key). ``source`` gives the text of a value that is not a
    literal (``$env.freq``), for the message."""
    def _raw(expr: Expr) -> str:
        if isinstance(expr, Literal):
            return expr.raw or str(expr.value)
        return (source(expr.pos) if source else "") or "an expression"

    if not isinstance(item, ObjectLit):
        yield item.pos, (f"a schedule event must be an object such as "
                         f"`{{starts_on: {EXAMPLE_STAMP}, freq: 86400}}`")
        return
    for entry in item.entries:
        if entry.key not in EVENT_KEYS and not entry.disabled:  # Xano ignores `!key: ...`
            import difflib

            close = difflib.get_close_matches(entry.key, EVENT_KEYS, n=1, cutoff=0.5)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            yield item.pos, (f"unknown schedule key `{entry.key}` (an event takes "
                              f"`starts_on`, `freq` and `ends_on`){hint}")
    start_expr = item.get("starts_on")
    start = stamp_value(start_expr)
    if start_expr is None:
        yield item.pos, (f"schedule event without `starts_on`: the task never runs; "
                         f"add `starts_on: {EXAMPLE_STAMP}`")
    elif start is None:
        yield item.pos, (f"`starts_on` is not a valid timestamp (`{_raw(start_expr)}`); "
                               f"write it like `{EXAMPLE_STAMP}`")
    freq_expr = item.get("freq")
    if freq_expr is not None and freq_value(freq_expr) is None:
        yield item.pos, (f"`freq` must be a positive whole number of seconds, e.g. "
                              f"`freq: 86400` for daily; found `{_raw(freq_expr)}`")
    end_expr = item.get("ends_on")
    if end_expr is not None and not (isinstance(end_expr, Literal) and end_expr.kind == "null"):
        end = stamp_value(end_expr)
        if end is None:
            yield item.pos, (f"`ends_on` is not a valid timestamp (`{_raw(end_expr)}`); "
                                 f"write it like `{EXAMPLE_STAMP}`")
        elif start is not None and end <= start:
            yield item.pos, (f"`ends_on` ({_raw(end_expr)}) is not after `starts_on` "
                                 f"({_raw(start_expr)}): the task never runs")


# ---------------------------------------------------------------------------- describing


def frequency_words(freq: int | None) -> str:
    """``60`` -> ``every 60 s``, ``900`` -> ``every 15 min``, ``3600`` -> ``hourly``,
    ``86400`` -> ``daily``, ``604800`` -> ``weekly``, ``None`` -> ``once``."""
    if freq is None:
        return "once"
    named = {3600: "hourly", 86400: "daily", 604800: "weekly"}
    if freq in named:
        return named[freq]
    for unit, word in ((604800, "weeks"), (86400, "days"), (3600, "h")):
        if freq % unit == 0:
            return f"every {freq // unit} {word}"
    if freq % 60 == 0 and freq > 60:
        return f"every {freq // 60} min"
    return f"every {freq} s"


def next_run(event: EventFact, now: datetime) -> datetime | None:
    """The first run at or after ``now``, or None when the event has no run left."""
    if not event.valid or event.starts_on is None:
        return None
    start = event.starts_on
    if now <= start:
        run = start
    elif event.freq is None:
        return None
    else:
        elapsed = (now - start).total_seconds()
        steps = -(-int(elapsed) // event.freq)  # ceiling
        run = start + timedelta(seconds=steps * event.freq)
        if run < now:
            run += timedelta(seconds=event.freq)
    if event.ends_on is not None and run > event.ends_on:
        return None
    return run
