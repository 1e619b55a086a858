"""Two behaviours a one-line change used to break without a failing test (issue 27):
``graph --focus`` on an API group starts from its endpoints, and the rate-limit gate lets the
next request probe when the probe got no answer (the test fails, it does not hang)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.xano.ratelimit import RateLimitGate

DEMO = Path(__file__).resolve().parent.parent / "workspace"


def test_graph_focus_on_an_api_group_follows_its_endpoints_as_far_as_the_depth_says(tmp_path, monkeypatch):
    shutil.copytree(DEMO, tmp_path / "workspace")
    monkeypatch.chdir(tmp_path)  # the lint cache goes beside the copy
    result = CliRunner().invoke(main, ["graph", "workspace", "--focus", "Tests", "--format", "json"])
    assert result.exit_code == 0, result.output
    ids = {node["id"] for node in json.loads(result.output)["nodes"]}
    # depth 2 from each endpoint of the group: the endpoint runs a task function (1), which runs its worker (2)
    assert {"api_group:Tests", "query:Tests:POST:tasks/fub-sync-people", "function:Tasks/FUB - Sync People",
            "function:Workers/FUB - Sync People"} <= ids
    assert not {node for node in ids if node.startswith("api_group:") and node != "api_group:Tests"}


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self):
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_probe_that_got_no_answer_lets_the_next_request_probe_instead_of_holding_everyone():
    fake = FakeTime()
    gate = RateLimitGate(60.0, 1.0, 8.0, sleep=fake.sleep, clock=fake.clock, rand=lambda: 0.0)

    async def scenario() -> tuple[bool, bool]:
        gate.limited(await gate.wait(), None)  # the quota is spent: the gate closes
        probe = await gate.wait()  # after the pause one request goes alone
        assert probe.probe
        waiting = asyncio.create_task(gate.wait())  # another waits for the probe's answer
        for _ in range(10):
            await asyncio.sleep(0)
        held = not waiting.done()
        gate.abandoned(probe)  # the probe's connection dropped: no answer
        for _ in range(10):  # a few turns of the loop, no clock: a waiter left stuck fails here
            await asyncio.sleep(0)
        took_over = waiting.done() and waiting.result().probe
        waiting.cancel()
        return held, took_over

    held, took_over = asyncio.run(scenario())
    assert held, "a request went while the probe was still out"
    assert took_over, "the probe got no answer and the next request was left waiting for it"
