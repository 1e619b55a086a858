"""Writing a plan's steps to Xano, phase by phase, recording each step in the journal.

Within a phase, up to ``concurrency`` writes are in flight at once (the client retries 429 and
transient failures). The first failure stops the phase from starting any further write; the
writes already in flight finish (or fail) and are recorded, so that the journal tells exactly
what may have changed. A cancellation (Ctrl-C) works the same way: no further write starts, and
the writes already sent are waited for (a request Xano has received is applied even if nobody
waits for its answer, possibly after the restore has read the object), so that the restore sees
and undoes them. A second Ctrl-C stops the waiting: the ``started`` records remain, and a later
restore (``rollback --last-push``) treats them as possibly applied.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from xanoctl.xano.client import AsyncXanoClient, XanoApiError
from xanoctl.sync.journal import Journal, Step
from xanoctl.xano.remote import RemoteObject


@dataclass
class Failure:
    step: Step
    error: XanoApiError

    def describe(self) -> str:
        return f"{self.step.action} of {self.step.label()} ({self.step.path}) failed: {self.error}"


def definitely_refused(exc: XanoApiError) -> bool:
    """Whether Xano certainly applied nothing: a 4xx answer (429 included: rejected before any
    work). A 5xx, a timeout or a dropped connection may hide an applied write."""
    return exc.status is not None and 400 <= exc.status < 500


def after_of(obj: RemoteObject) -> dict[str, Any]:
    after = {"id": obj.id, "guid": obj.guid, "updated_at": obj.updated_at, "name": obj.name}
    if obj.kind == "query":
        after["group_id"] = obj.group_id
    if obj.parents:
        after["parents"] = list(obj.parents)
    return after


def group_id_of(journal: Journal, step: Step) -> int | None:
    """The API group id of an endpoint step: its own, or that of the group this push created."""
    if step.group_id is not None:
        return step.group_id
    if step.group_seq is not None:
        creator = journal.step(step.group_seq)
        return (creator.after or {}).get("id")
    return None


async def write(client: AsyncXanoClient, journal: Journal, step: Step) -> dict[str, Any]:
    """Perform one step; the ``after`` record of the journal."""
    group_id = group_id_of(journal, step) if step.kind == "query" else None
    group_name = (step.group or {}).get("name")
    if step.action == "update":
        assert step.id is not None and step.content is not None
        obj = await client.update(step.kind, step.id, step.content, group_id=group_id, group_name=group_name)
        return after_of(obj)
    if step.action == "create":
        assert step.content is not None
        if step.kind == "query" and group_id is None:
            raise XanoApiError(f"cannot create {step.label()}: its API group was not created")
        obj = await client.create(step.kind, step.content, group_id=group_id, group_name=group_name)
        return after_of(obj)
    if step.action == "delete":
        assert step.id is not None
        await client.delete(step.kind, step.id, group_id=group_id)
        return {"id": step.id, "deleted": True}
    return {"id": step.id, "forgotten": True}  # "forget": already gone remotely, nothing to send


async def apply_steps(client: AsyncXanoClient, journal: Journal, concurrency: int) -> Failure | None:
    """Run every step not yet done, phase by phase. Returns the first failure (nothing more is
    started after it), or None when every step is done. Cancellation propagates."""
    client.progress.begin("writing", sum(1 for step in journal.steps if step.status != "done"), "objects")
    for number in sorted({step.phase for step in journal.steps}):
        steps = [s for s in journal.steps if s.phase == number and s.status != "done"]
        if not steps:
            continue
        failure = await _phase(client, journal, steps, max(1, concurrency))
        if failure is not None:
            return failure
    return None


async def _phase(client: AsyncXanoClient, journal: Journal, steps: list[Step], concurrency: int) -> Failure | None:
    slots = asyncio.Semaphore(concurrency)
    failures: list[Failure] = []
    stopped: list[bool] = []

    async def one(step: Step) -> None:
        async with slots:
            if failures or stopped:
                return
            try:
                journal.record("started", seq=step.seq)
                try:
                    after = await write(client, journal, step)
                except XanoApiError as exc:
                    failures.append(Failure(step, exc))
                    journal.record("failed", seq=step.seq, error=str(exc), rejected=definitely_refused(exc))
                    return
                journal.record("done", seq=step.seq, after=after)
                client.progress.advance()
            except Exception:  # the journal cannot be written: stop too
                stopped.append(True)
                raise

    tasks = [asyncio.create_task(one(step)) for step in steps]
    try:
        await asyncio.wait(tasks)  # cancelling this wait leaves the writes running
    except asyncio.CancelledError:
        stopped.append(True)  # no new write starts; those in flight finish and are recorded
        await asyncio.wait(tasks)
        raise
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    for task in tasks:
        task.result()  # an unexpected error in a write (a journal that cannot be written)
    return failures[0] if failures else None
