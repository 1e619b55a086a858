"""Request slots: at most ``size`` requests in flight at once, the waiting ones served by rank.

The client ranks a list page by its number. A list's first page tells how many pages follow
(and the API groups' list, which endpoint lists there are): the requests it unlocks cannot
start before it is answered. So when requests queue for a slot, a lower rank goes first (first
pages and single objects before any following page, second pages before third pages...), and
among equals the first come: a short list started late is not stuck behind every page of a
long one, and the pull ends with the long list's last pages instead of a chain of waits. A
request cancelled while it waits gives up its place, or passes on the slot it was just handed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from contextlib import asynccontextmanager
from typing import AsyncIterator

FIRST = 1  # the rank of a list's first page, a single object, any write


class Slots:
    def __init__(self, size: int):
        if size < 1:
            raise ValueError("at least one request slot is needed")
        self._free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrival = itertools.count()

    @asynccontextmanager
    async def hold(self, rank: int = FIRST) -> AsyncIterator[None]:
        """Wait for a slot (by ``rank``, then arrival), hold it for the block, then free it."""
        await self._acquire(rank)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, rank: int) -> None:
        if self._free and not self._waiting:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._arrival), turn))
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release()  # handed a slot just as it was cancelled: pass it on
            else:
                turn.cancel()  # skipped by _release
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)  # the slot goes straight to the next in line
                return
        self._free += 1

    @property
    def free(self) -> int:
        return self._free
