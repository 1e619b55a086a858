"""A task's schedule for readers: the frequency in words, the times it runs (which do not
depend on the moment) and, given a moment, its next run."""

from __future__ import annotations

from datetime import datetime, timezone

from xanoctl.errors import UsageError
from xanoctl.lint.facts import EventFact, TaskFact
from xanoctl.lint.schedule import frequency_words, next_run, parse_timestamp

_DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def parse_now(text: str | None) -> datetime | None:
    """``--now`` (ISO 8601, e.g. 2025-12-01T00:00:00Z); a :class:`UsageError` if it is not one."""
    if not text:
        return None
    parsed = parse_timestamp(text.replace("T", " ").replace("Z", "+0000"))
    if parsed is None:
        raise UsageError(f"--now: {text!r} is not a timestamp; write e.g. 2025-12-01T00:00:00Z")
    return parsed


def describe(task: TaskFact, shown: str, now: datetime | None) -> dict:
    """The row of ``xanoctl tasks --json`` (``next_run`` None and its text empty without
    ``now``)."""
    active = task.active is not False  # Xano's default is active
    events = task.events
    next_at: datetime | None = None
    if events is None:
        frequency, note = "no schedule", "never (no schedule)"
    elif not events:
        frequency, note = "empty schedule", "never (empty schedule)"
    else:
        frequency = "; ".join(frequency_words(event.freq) if event.valid else "invalid" for event in events)
        if not any(event.valid for event in events):
            note = "never (invalid schedule)"
        elif now is None:
            note = ""
        else:
            runs = [run for run in (next_run(event, now) for event in events) if run is not None]
            next_at = min(runs) if runs else None
            note = stamp_text(next_at) if next_at else "none left"
    if not active:
        next_at, note = None, "— (inactive)"
    return {
        "name": task.name,
        "path": shown,
        "active": task.active if task.active is not None else True,
        "frequency": frequency,
        "when": schedule_words(events) if events else frequency,
        "schedule": [
            {"starts_on": iso(event.starts_on), "freq": event.freq, "ends_on": iso(event.ends_on),
             "every": frequency_words(event.freq) if event.valid else "invalid", "valid": event.valid}
            for event in events or ()
        ],
        "next_run": iso(next_at),
        "next_run_text": note,
    }


def run_times(events: tuple[EventFact, ...] | None) -> str:
    """When the events run, in UTC, without reference to the present: ``06:30 from
    2025-11-28``, ``Mondays 07:00 from 2025-12-01``, ``:05, :35 past each hour from
    2025-11-28``."""
    if events is None:
        return "never (no schedule)"
    if not events:
        return "never (empty schedule)"
    return "; ".join(_event_times(event) for event in events)


def _event_times(event: EventFact, table: bool = False) -> str:
    """One event in words: for :func:`run_times` (``06:30 from 2025-11-28``), or with
    ``table`` for :func:`schedule_words` (``daily at 06:30``)."""
    if not event.valid or event.starts_on is None:
        return "invalid"
    start = event.starts_on.astimezone(timezone.utc)
    if event.freq is None:
        return f"once, {stamp_text(start, short=True)}"
    when = _times_of_day(event.freq, start)
    if table:
        if when is None:
            return frequency_words(event.freq)
        when = when.removesuffix(" past each hour")  # hourly at :05, every 15 min at :00, :15, :30, :45
        return f"{frequency_words(event.freq)}{',' if event.freq % 604800 == 0 else ' at'} {when}"
    until = f" until {stamp_text(event.ends_on, short=True)}" if event.ends_on else ""
    if when is None:
        return f"{frequency_words(event.freq)} from {stamp_text(start, short=True)}{until}"
    return f"{when} from {start.strftime('%Y-%m-%d')}{until}"


def schedule_words(events: tuple[EventFact, ...] | None) -> str:
    """How often and at what time of day (UTC) the events run, for a table: ``daily at
    13:00``, ``hourly at :05``, ``weekly, Mondays 07:00``, ``every 6 h at 00:15, 06:15, 12:15,
    18:15``, ``once, 2025-12-01 10:00``; ``every 7 min`` when no time of day repeats."""
    if events is None:
        return "no schedule"
    if not events:
        return "empty schedule"
    return "; ".join(_event_times(event, table=True) for event in events)


def _times_of_day(freq: int, start: datetime) -> str | None:
    """``13:00``, ``Mondays 07:00``, ``00:15, 06:15, 12:15, 18:15``, ``:05, :35 past each
    hour``; None when the runs do not fall at the same times each day or hour."""
    clock = _clock(start)
    if freq % 604800 == 0:
        return f"{_DAYS[start.weekday()]} {clock}"
    if freq % 86400 == 0:
        return clock
    if 86400 % freq == 0 and 86400 // freq <= 6:
        first = (start.hour * 3600 + start.minute * 60 + start.second) % freq
        return ", ".join(_clock_of(first + n * freq) for n in range(86400 // freq))
    if 3600 % freq == 0 and 3600 // freq <= 6:
        first = (start.minute * 60 + start.second) % freq
        return ", ".join(_minute_of(first + n * freq) for n in range(3600 // freq)) + " past each hour"
    return None


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def _clock_of(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}" + (f":{rest % 60:02d}" if rest % 60 else "")


def _minute_of(seconds: int) -> str:
    return f":{seconds // 60:02d}" + (f":{seconds % 60:02d}" if seconds % 60 else "")


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp_text(moment: datetime, short: bool = False) -> str:
    moment = moment.astimezone(timezone.utc)
    if short and not moment.second:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M:%S")
