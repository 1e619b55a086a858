"""Running many calls at once with their results in a stable order."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Sequence, TypeVar

from xanoctl.runtime.results import Result

T = TypeVar("T")


async def in_order(items: Sequence[T], concurrency: int, work: Callable[[T], Awaitable[Result]],
                   on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """``work(item)`` for every item, ``concurrency`` at a time; the results in the items'
    order, each handed to ``on_result`` as soon as it and every one before it are in (so that
    a concurrent run prints what a sequential one does)."""
    gate = asyncio.Semaphore(max(concurrency, 1))
    settled: dict[int, Result] = {}
    emitted = 0

    async def one(index: int, item: T) -> None:
        nonlocal emitted
        async with gate:
            settled[index] = await work(item)
        while emitted in settled:
            if on_result is not None:
                on_result(settled[emitted])
            emitted += 1

    await asyncio.gather(*(one(index, item) for index, item in enumerate(items)))
    return [settled[index] for index in range(len(items))]
