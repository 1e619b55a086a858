"""The client's rate-limit gate: one 429 pauses every request of the client, not only the one
that got it.

Xano answers 429 when a plan's quota is spent (the Free plan: about 10 requests per 20 s, with
no ``Retry-After``). Retrying each request on its own would spend the next window's quota on
requests that are bound to fail; instead every request passes :meth:`RateLimitGate.wait`
before it is sent, and a 429 closes the gate for everyone: for ``Retry-After`` seconds when the
answer has one, else for a jittered pause that doubles with each 429 in a row (see
:func:`xanoctl.sync.retry.rate_limit_delay`). The 429s of requests that were already in flight
when the gate closed do not double it again. Any request that gets through resets the pauses.

The client gives up (:class:`RateLimitExhausted`) only when it has been held back for longer
than ``budget`` seconds with no request getting through, or when ``Retry-After`` asks for more
than what remains of it.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from typing import Awaitable, Callable, TextIO

from xanoctl.sync.retry import rate_limit_delay

TICK = 1.0  # how often a terminal's waiting line counts down


class RateLimitExhausted(Exception):
    """The budget is spent. ``waited`` seconds were spent waiting; ``asked`` is a Retry-After
    that alone exceeded what was left (None otherwise)."""

    def __init__(self, waited: float, asked: float | None = None):
        super().__init__(f"rate limited for {waited:.0f} s")
        self.waited = waited
        self.asked = asked


class RateLimitGate:
    """Shared by every request of one client (one event loop)."""

    def __init__(self, budget: float, base: float, cap: float, *,
                 on_wait: Callable[[float], None] | None = None, tick: float | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 rand: Callable[[], float] = random.random):
        self.budget = budget
        self.base = base
        self.cap = cap
        self.limited_count = 0  # 429s seen
        self.pauses = 0  # times the gate closed
        self._on_wait = on_wait
        self.tick = tick  # report the remaining wait every ``tick`` seconds (None: once)
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._until = 0.0  # no request starts before this (clock time)
        self._generation = 0  # bumped each time the gate closes
        self._strikes = 0  # closings since a request last got through
        self._since: float | None = None  # first 429 since a request last got through
        self._exhausted: RateLimitExhausted | None = None

    async def wait(self) -> int:
        """Wait until the gate is open; the generation to hand back to :meth:`limited`."""
        while True:
            if self._exhausted is not None:
                raise self._exhausted
            pause = self._until - self._clock()
            if pause <= 0:
                return self._generation
            closed = self._generation
            remaining = pause
            while remaining > 0:  # in steps of ``tick`` so that a terminal can count down
                if self._on_wait is not None:
                    self._on_wait(remaining)
                step = min(remaining, self.tick) if self.tick else remaining
                await self._sleep(step)
                remaining -= step
            if self._generation == closed:  # not closed again meanwhile: go
                if self._exhausted is not None:
                    raise self._exhausted
                return self._generation

    def limited(self, generation: int, retry_after: float | None) -> None:
        """A request sent at ``generation`` got a 429. Closes the gate (unless a 429 of the
        same generation already did); raises :class:`RateLimitExhausted` when the budget
        does not allow another wait."""
        self.limited_count += 1
        now = self._clock()
        if self._since is None:
            self._since = now
        if self._exhausted is not None:
            raise self._exhausted
        if generation != self._generation:
            if retry_after is not None:  # a later, longer Retry-After still counts
                self._close(now, retry_after, asked=True)
            return
        self._strikes += 1
        if retry_after is not None:
            self._close(now, retry_after, asked=True)
        else:
            self._close(now, rate_limit_delay(self._strikes, self.base, self.cap, self._rand), asked=False)

    def passed(self) -> None:
        """A request got through: the quota is back, the pauses start small again."""
        if self._since is not None:
            self._strikes = 0
            self._since = None
            if self._on_wait is not None:
                self._on_wait(0.0)

    def _close(self, now: float, delay: float, asked: bool) -> None:
        assert self._since is not None
        waited = now - self._since
        if waited + delay > self.budget:
            too_long = asked and delay > self.budget - waited
            self._exhausted = RateLimitExhausted(waited, delay if too_long else None)
            raise self._exhausted
        if now + delay > self._until:
            self._until = now + delay
            self._generation += 1
            self.pauses += 1


class WaitNotice:
    """Tells a person that the client is waiting: on a terminal, one line rewritten in place
    ("rate limited by Xano: waiting 12 s...") and cleared when requests get through again;
    elsewhere (a log, CI) one line the first time only."""

    def __init__(self, budget: float, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.budget = budget
        self.tty = _isatty(self.stream)
        self._showing = ""  # the line on the terminal now
        self._told = False

    def __call__(self, remaining: float) -> None:
        if remaining <= 0:
            if self._showing:
                self._write("\r\x1b[K")
                self._showing = ""
            return
        if self.tty:
            line = f"rate limited by Xano: waiting {max(remaining, 1):.0f} s..."
            if line != self._showing:  # every waiting request reports; write each second once
                self._write(f"\r{line}\x1b[K")
                self._showing = line
        elif not self._told:
            self._write(f"xanoctl: rate limited by Xano (429): waiting and retrying, for up to "
                        f"{self.budget:g} s without progress\n")
            self._told = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not stop the work


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
