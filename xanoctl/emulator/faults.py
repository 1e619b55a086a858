"""Fault injection for the emulator: what to break, and when.

A fault spec is a comma-separated list of ``name=value`` items (the same text on the command
line, over HTTP at ``/_emulator/faults`` and from Python)::

    429-every=N       every Nth API request answers 429 Too Many Requests
    429-burst=N[@M]   N consecutive 429s, starting with the Mth request (default: the next one)
    rate-window=N/S   a plan's quota: at most N requests per window of S seconds (a decimal for
                      scaled-down tests), the others answered 429; the first request opens a
                      window, the first after it ends opens the next. Xano's Free plan is about
                      ``rate-window=10/20``, with no Retry-After
    retry-after=S     send ``Retry-After: S`` with every 429 (Xano documents none: off by default)
    page-cap=N        a list page holds at most N items whatever ``per_page`` asks; the answer
                      then also says ``perPage`` (N), ``itemsTotal`` and ``pageTotal``
    5xx-every=N       every Nth API request answers 500
    5xx-on-write=N[+] the Nth write (POST, PUT, DELETE) answers 500 and changes nothing;
                      with ``+``, that write and every later one
    5xx-write-burst=K[@N] K consecutive writes answer 500 (changing nothing), starting with
                      the Nth write (default: the next one): one write exhausting its retries
    drop-every=N      every Nth API request: the TCP connection is dropped without an answer
    drop-on-write=N[+] the Nth write is applied, then its connection dropped (an ambiguous failure)
    latency-ms=N      every API request waits N milliseconds first
    write-latency-ms=N every write also waits N milliseconds before it is applied (a slow write
                      still in flight when the client gives up on it)

Requests are counted from the moment the faults are set (setting faults resets the counters);
requests to ``/_emulator/...`` are never counted nor faulted. Example:
``429-every=5,5xx-on-write=3,latency-ms=50,drop-every=7,429-burst=10``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable


class FaultSpecError(ValueError):
    pass


@dataclass(frozen=True)
class Faults:
    every_429: int = 0
    burst_429: int = 0
    burst_429_at: int = 1
    retry_after: str | None = None
    window_requests: int = 0
    window_seconds: float = 0.0
    page_cap: int = 0
    every_5xx: int = 0
    write_5xx: int = 0
    write_5xx_onward: bool = False
    write_5xx_burst: int = 0
    write_5xx_burst_at: int = 1
    every_drop: int = 0
    write_drop: int = 0
    write_drop_onward: bool = False
    latency_ms: int = 0
    write_latency_ms: int = 0

    def __bool__(self) -> bool:
        return self != Faults()

    @classmethod
    def parse(cls, spec: str | None) -> "Faults":
        """A :class:`Faults` from a spec string (see the module doc); raises FaultSpecError."""
        values: dict[str, object] = {}
        for item in (spec or "").split(","):
            item = item.strip()
            if not item:
                continue
            name, sep, value = item.partition("=")
            name, value = name.strip().lower(), value.strip()
            if not sep or not value:
                raise FaultSpecError(f"fault {item!r}: expected name=value")
            if name == "429-burst":
                count, _, start = value.partition("@")
                values["burst_429"] = _count(name, count)
                values["burst_429_at"] = _count(name, start) if start else 1
            elif name == "5xx-write-burst":
                count, _, start = value.partition("@")
                values["write_5xx_burst"] = _count(name, count)
                values["write_5xx_burst_at"] = _count(name, start) if start else 1
            elif name == "rate-window":
                count, slash, seconds = value.partition("/")
                values["window_requests"] = _count(name, count)
                values["window_seconds"] = _seconds(name, seconds if slash else "")
            elif name == "retry-after":
                _count(name, value, allow_zero=True)
                values["retry_after"] = value
            elif name in ("5xx-on-write", "drop-on-write"):
                onward = value.endswith("+")
                prefix = "write_5xx" if name.startswith("5xx") else "write_drop"
                values[prefix] = _count(name, value.rstrip("+"))
                values[f"{prefix}_onward"] = onward
            elif name in _SIMPLE:
                values[_SIMPLE[name]] = _count(name, value, allow_zero=name.endswith("latency-ms"))
            else:
                raise FaultSpecError(f"unknown fault {name!r}; known: {', '.join(KNOWN)}")
        return cls(**values)  # type: ignore[arg-type]

    def spec(self) -> str:
        """The spec string of these faults (``parse(f.spec()) == f``)."""
        parts = []
        if self.every_429:
            parts.append(f"429-every={self.every_429}")
        if self.burst_429:
            parts.append(f"429-burst={self.burst_429}" + (f"@{self.burst_429_at}" if self.burst_429_at != 1 else ""))
        if self.window_requests:
            parts.append(f"rate-window={self.window_requests}/{self.window_seconds:g}")
        if self.retry_after is not None:
            parts.append(f"retry-after={self.retry_after}")
        if self.page_cap:
            parts.append(f"page-cap={self.page_cap}")
        if self.every_5xx:
            parts.append(f"5xx-every={self.every_5xx}")
        if self.write_5xx:
            parts.append(f"5xx-on-write={self.write_5xx}" + ("+" if self.write_5xx_onward else ""))
        if self.write_5xx_burst:
            parts.append(f"5xx-write-burst={self.write_5xx_burst}"
                         + (f"@{self.write_5xx_burst_at}" if self.write_5xx_burst_at != 1 else ""))
        if self.every_drop:
            parts.append(f"drop-every={self.every_drop}")
        if self.write_drop:
            parts.append(f"drop-on-write={self.write_drop}" + ("+" if self.write_drop_onward else ""))
        if self.latency_ms:
            parts.append(f"latency-ms={self.latency_ms}")
        if self.write_latency_ms:
            parts.append(f"write-latency-ms={self.write_latency_ms}")
        return ",".join(parts)


_SIMPLE = {"429-every": "every_429", "5xx-every": "every_5xx", "drop-every": "every_drop",
           "latency-ms": "latency_ms", "write-latency-ms": "write_latency_ms", "page-cap": "page_cap"}
KNOWN = ("429-every", "429-burst", "rate-window", "retry-after", "page-cap", "5xx-every", "5xx-on-write",
         "5xx-write-burst", "drop-every", "drop-on-write", "latency-ms", "write-latency-ms")


def _count(name: str, value: str, allow_zero: bool = False) -> int:
    try:
        number = int(value)
    except ValueError:
        raise FaultSpecError(f"fault {name}: {value!r} is not an integer") from None
    if number < 0 or (number == 0 and not allow_zero):
        raise FaultSpecError(f"fault {name}: expected a {'non-negative' if allow_zero else 'positive'} integer")
    return number


def _seconds(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FaultSpecError(f"fault {name}: expected N/S (requests per seconds), got {value!r} as seconds") from None
    if not number > 0 or number == float("inf"):
        raise FaultSpecError(f"fault {name}: the window must last a positive number of seconds")
    return number


@dataclass(frozen=True)
class Decision:
    """What to do with one request: wait ``latency`` seconds, then ``action``: None (serve it),
    ``"429"``, ``"500"``, ``"drop"`` (drop before serving) or ``"drop-after"`` (serve, apply,
    then drop instead of answering)."""

    latency: float = 0.0
    action: str | None = None
    retry_after: str | None = None
    write_latency: float = 0.0  # after the body is received, before the write is applied


class FaultInjector:
    """The faults in force and the request counters they use. Thread-safe: tests change faults
    from their own thread while the server runs in another."""

    def __init__(self, faults: Faults | None = None, clock: Callable[[], float] = time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self.faults = faults or Faults()
        self.requests = 0  # API requests since the faults were set
        self.writes = 0
        self.injected: dict[str, int] = {}
        self._window_start: float | None = None  # the rate window in force, and its requests served
        self._window_used = 0

    def set(self, faults: Faults | str | None) -> Faults:
        parsed = faults if isinstance(faults, Faults) else Faults.parse(faults)
        with self._lock:
            self.faults = parsed
            self.requests = self.writes = 0
            self.injected = {}
            self._window_start, self._window_used = None, 0
        return parsed

    def reset(self) -> None:
        self.set(Faults())

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"faults": self.faults.spec(), "requests": self.requests, "writes": self.writes,
                    "injected": dict(self.injected)}

    def decide(self, is_write: bool) -> Decision:
        with self._lock:
            f = self.faults
            self.requests += 1
            n = self.requests
            w = 0
            if is_write:
                self.writes += 1
                w = self.writes
            action = None
            if f.every_drop and n % f.every_drop == 0:
                action = "drop"
            elif f.burst_429 and f.burst_429_at <= n < f.burst_429_at + f.burst_429:
                action = "429"
            elif f.every_429 and n % f.every_429 == 0:
                action = "429"
            elif f.window_requests and not self._in_window(f):
                action = "429"
            elif f.every_5xx and n % f.every_5xx == 0:
                action = "500"
            elif w and f.write_5xx and (w == f.write_5xx or (f.write_5xx_onward and w > f.write_5xx)):
                action = "500"
            elif w and f.write_5xx_burst and f.write_5xx_burst_at <= w < f.write_5xx_burst_at + f.write_5xx_burst:
                action = "500"
            elif w and f.write_drop and (w == f.write_drop or (f.write_drop_onward and w > f.write_drop)):
                action = "drop-after"
            if action:
                self.injected[action] = self.injected.get(action, 0) + 1
            return Decision(latency=f.latency_ms / 1000.0, action=action, retry_after=f.retry_after,
                            write_latency=f.write_latency_ms / 1000.0 if is_write else 0.0)

    def _in_window(self, f: Faults) -> bool:
        """Whether the quota of the current window has room for one more request (taken)."""
        now = self._clock()
        if self._window_start is None or now - self._window_start >= f.window_seconds:
            self._window_start, self._window_used = now, 0
        if self._window_used >= f.window_requests:
            return False
        self._window_used += 1
        return True

    @property
    def page_cap(self) -> int:
        return self.faults.page_cap


