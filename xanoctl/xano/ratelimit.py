"""The client's rate-limit gate: one 429 pauses every request of the client, not only the one
that got it.

Xano answers 429 when a plan's quota is spent (the Free plan: about 10 requests per 20 s, with
no ``Retry-After``). Retrying each request on its own would spend the next window's quota on
requests that are bound to fail; instead every request passes :meth:`RateLimitGate.wait`
before it is sent, and a 429 closes the gate for everyone: for ``Retry-After`` seconds when the
answer has one, else for a jittered pause that doubles with each 429 in a row (see
:func:`xanoctl.xano.retry.rate_limit_delay`). The 429s of requests that were already in flight
when the gate closed do not double it again. After a pause one request goes first, alone; the
others follow once it got through. Any request that gets through resets the pauses.

The client gives up (:class:`RateLimitExhausted`) only when it has been held back for longer
than ``budget`` seconds with no request getting through, or when ``Retry-After`` asks for more
than what remains of it.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Awaitable, Callable

from xanoctl.xano.retry import rate_limit_delay

TICK = 1.0  # how often a terminal's waiting line counts down (xanoctl.ui.progress tells it)


class RateLimitExhausted(Exception):
    """The budget is spent. ``waited`` seconds were spent waiting; ``asked`` is a Retry-After
    that alone exceeded what was left (None otherwise)."""

    def __init__(self, waited: float, asked: float | None = None):
        super().__init__(f"rate limited for {waited:.0f} s")
        self.waited = waited
        self.asked = asked


@dataclass(frozen=True)
class Ticket:
    """A request's pass through the gate: the gate's generation when it was sent, and whether
    it is the probe sent alone after a pause."""

    generation: int
    probe: bool = False


class RateLimitGate:
    """Shared by every request of one client (one event loop).

    Each request takes a :class:`Ticket` from :meth:`wait` and reports its answer with
    :meth:`limited` (a 429), :meth:`passed` (any other answer) or :meth:`abandoned` (no
    answer). After a pause one request goes alone (the probe); the others follow when it
    gets through, so a quota that is still spent costs one 429, not one per request."""

    def __init__(self, budget: float, base: float, cap: float, *,
                 on_wait: Callable[[float], None] | None = None, tick: float | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 rand: Callable[[], float] = random.random):
        self.budget = budget
        self.base = base
        self.cap = cap
        self.tick = tick  # report the remaining wait every ``tick`` seconds (None: once)
        self.limited_count = 0  # 429s seen
        self.pauses = 0  # times the gate closed
        self._on_wait = on_wait
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._until = 0.0  # no request starts before this (clock time)
        self._generation = 0  # bumped each time the gate closes
        self._strikes = 0  # closings since a request last got through
        self._since: float | None = None  # first 429 since a request last got through
        self._needs_probe = False
        self._probe: Ticket | None = None  # the probe in flight
        self._settled: asyncio.Event | None = None  # set when the probe's answer is in
        self._exhausted: RateLimitExhausted | None = None

    async def wait(self) -> Ticket:
        """Wait until the gate is open (and, after a pause, until the probe got through)."""
        while True:
            self._check()
            closed = self._generation
            pause = self._until - self._clock()
            if pause > 0:
                await self._pause(pause)
                if self._generation != closed:  # closed again meanwhile
                    continue
                self._check()
            if self._probe is not None:  # one request is testing the quota: wait for its answer
                if self._settled is None:
                    self._settled = asyncio.Event()
                await self._settled.wait()
                continue
            ticket = Ticket(self._generation, probe=self._needs_probe)
            if ticket.probe:
                self._needs_probe, self._probe = False, ticket
            return ticket

    async def _pause(self, pause: float) -> None:
        remaining = pause
        while remaining > 0:  # in steps of ``tick`` so that a terminal can count down
            if self._on_wait is not None:
                self._on_wait(remaining)
            step = min(remaining, self.tick) if self.tick else remaining
            await self._sleep(step)
            remaining -= step

    def limited(self, ticket: Ticket, retry_after: float | None) -> None:
        """The request of ``ticket`` got a 429. Closes the gate (unless a 429 of a request
        sent at the same time already did); raises :class:`RateLimitExhausted` when the
        budget does not allow another pause."""
        self.limited_count += 1
        now = self._clock()
        if self._since is None:
            self._since = now
        if ticket.probe:
            self._probe = None
        try:
            self._check()
            if ticket.generation != self._generation:
                if retry_after is not None:  # a later, longer Retry-After still counts
                    self._close(now, retry_after, asked=True)
                return
            self._strikes += 1
            if retry_after is not None:
                self._close(now, retry_after, asked=True)
            else:
                self._close(now, rate_limit_delay(self._strikes, self.base, self.cap, self._rand), asked=False)
        finally:
            self._settle()

    def passed(self, ticket: Ticket) -> None:
        """The request of ``ticket`` got through: the quota is back, everyone may go, and
        the pauses start small again."""
        if ticket.probe or self._probe is None:
            self._needs_probe, self._probe = False, None
        if self._since is not None:
            self._strikes = 0
            self._since = None
            if self._on_wait is not None:
                self._on_wait(0.0)
        self._settle()

    def abandoned(self, ticket: Ticket) -> None:
        """The request of ``ticket`` got no answer (a transport error, a cancellation): when
        it was the probe, another request takes its place."""
        if ticket.probe and self._probe is ticket:
            self._probe, self._needs_probe = None, True
            self._settle()

    def left(self) -> float:
        """Seconds of the budget left before the client gives up (all of it while requests
        get through)."""
        if self._since is None:
            return self.budget
        return max(self.budget - (self._clock() - self._since), 0.0)

    def _check(self) -> None:
        if self._exhausted is not None:
            raise self._exhausted

    def _settle(self) -> None:
        if self._settled is not None:
            self._settled.set()
            self._settled = None

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
        self._needs_probe = True
