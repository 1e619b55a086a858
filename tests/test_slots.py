"""Request slots: the bound on requests in flight, the order of those waiting, cancellation."""

from __future__ import annotations

import asyncio

import pytest

from xanoctl.xano.slots import Slots


async def _hold(slots: Slots, rank: int, name: str, order: list[str], release: asyncio.Event,
                busy: list[int]) -> None:
    async with slots.hold(rank):
        order.append(name)
        busy.append(1)
        assert len(busy) <= 2, "more requests in flight than slots"
        await release.wait()
        busy.pop()


def test_waiting_requests_are_served_by_rank_then_arrival():
    async def scenario() -> list[str]:
        slots, order, busy = Slots(2), [], []
        release = asyncio.Event()
        tasks = [asyncio.create_task(_hold(slots, 1, f"first-{i}", order, release, busy)) for i in range(2)]
        await asyncio.sleep(0)
        # queued while both slots are taken: following pages of a long list, then a first page
        for name, rank in (("page-3", 3), ("page-2", 2), ("page-2b", 2), ("late-first", 1)):
            tasks.append(asyncio.create_task(_hold(slots, rank, name, order, release, busy)))
            await asyncio.sleep(0)
        release.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        assert slots.free == 2
        return order

    assert asyncio.run(scenario()) == ["first-0", "first-1", "late-first", "page-2", "page-2b", "page-3"]


def test_a_cancelled_waiter_gives_up_its_place_and_no_slot_is_lost():
    async def scenario() -> list[str]:
        slots, order, busy = Slots(1), [], []
        release = asyncio.Event()
        holder = asyncio.create_task(_hold(slots, 1, "holder", order, release, busy))
        await asyncio.sleep(0)
        doomed = asyncio.create_task(_hold(slots, 1, "doomed", order, release, busy))
        after = asyncio.create_task(_hold(slots, 2, "after", order, release, busy))
        await asyncio.sleep(0)
        doomed.cancel()
        release.set()
        await asyncio.wait_for(asyncio.gather(holder, after), 5)
        with pytest.raises(asyncio.CancelledError):
            await doomed
        assert slots.free == 1
        return order

    assert asyncio.run(scenario()) == ["holder", "after"]


def test_a_waiter_cancelled_just_after_being_handed_a_slot_passes_it_on():
    async def scenario() -> list[str]:
        slots, order, busy = Slots(1), [], []
        release = asyncio.Event()
        gate = asyncio.Event()
        waiters: list[asyncio.Task[None]] = []

        async def holder() -> None:
            async with slots.hold(1):
                await gate.wait()
            waiters[0].cancel()  # its slot was just handed to the first waiter, which has not run yet

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        waiters.append(asyncio.create_task(_hold(slots, 1, "handed", order, release, busy)))
        other = asyncio.create_task(_hold(slots, 1, "other", order, release, busy))
        await asyncio.sleep(0)
        gate.set()
        release.set()
        await asyncio.wait_for(asyncio.gather(first, other), 5)  # a lost slot would hang
        with pytest.raises(asyncio.CancelledError):
            await waiters[0]
        assert slots.free == 1
        return order

    assert asyncio.run(scenario()) == ["other"]


def test_no_slot_at_all_is_refused():
    with pytest.raises(ValueError, match="at least one request slot"):
        Slots(0)
