"""Rate limits (429): one shared pause for every request of the client, Retry-After honoured,
backoff with jitter without it, and a time budget; end to end, a pull of the demo through a
Free-plan-like quota window (scaled down: a few requests per fraction of a second, no
Retry-After) completes with every object."""

from __future__ import annotations

import asyncio
import io
import re
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, edited, fn_path, shop  # noqa: E402,F401

from xanoctl.cli import main
from xanoctl.config import HttpSettings
from xanoctl.emulator.faults import FaultInjector
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import cli_env, snapshot
from xanoctl.xano.client import AsyncXanoClient
from xanoctl.ui.progress import Progress
from xanoctl.xano.ratelimit import RateLimitExhausted, RateLimitGate

TOKEN = "rate-limit-token-8d1e"


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def gate_for(fake: FakeTime, budget: float = 60.0, **options) -> RateLimitGate:
    return RateLimitGate(budget, 1.0, 8.0, sleep=fake.sleep, clock=fake.clock, rand=lambda: 0.0, **options)


def test_the_429s_of_requests_sent_together_close_the_gate_once():
    fake = FakeTime()
    gate = gate_for(fake)

    async def scenario():
        sent = [await gate.wait() for _ in range(4)]  # four requests in flight, all limited
        for ticket in sent:
            gate.limited(ticket, None)
        assert gate.pauses == 1 and gate.limited_count == 4
        probe = await gate.wait()
        assert probe.probe and fake.slept == [0.5]  # strike 1: half of base (rand 0)
        gate.limited(probe, None)  # limited again after the pause: the pause doubles
        probe = await gate.wait()
        assert fake.slept == [0.5, 1.0]
        gate.passed(probe)  # the probe got through: small pauses again
        ticket = await gate.wait()
        assert not ticket.probe
        gate.limited(ticket, None)
        await gate.wait()
        assert fake.slept == [0.5, 1.0, 0.5]

    asyncio.run(scenario())


def test_after_a_pause_one_probe_goes_alone_and_the_others_follow_when_it_gets_through():
    fake = FakeTime()
    gate = gate_for(fake)
    order: list[str] = []

    async def request(name: str, answers: list[str]) -> None:
        while True:
            ticket = await gate.wait()
            order.append(f"{name}{'*' if ticket.probe else ''}")
            await asyncio.sleep(0)
            answer = answers.pop(0)
            if answer == "429":
                gate.limited(ticket, None)
                continue
            gate.passed(ticket)
            return

    async def scenario():
        first = await gate.wait()
        gate.limited(first, None)  # the quota is spent
        await asyncio.gather(request("a", ["429", "ok"]), request("b", ["ok"]), request("c", ["ok"]))

    asyncio.run(scenario())
    assert order[:2] == ["a*", "a*"]  # a probes, is limited, probes again alone
    assert sorted(order[2:]) == ["b", "c"]  # then everyone goes
    assert gate.pauses == 2


def test_retry_after_is_waited_exactly_and_a_longer_one_from_a_straggler_extends_the_pause():
    fake = FakeTime()
    gate = gate_for(fake)

    async def scenario():
        first, second = await gate.wait(), await gate.wait()
        gate.limited(first, 3.0)
        gate.limited(second, 5.0)
        await gate.wait()

    asyncio.run(scenario())
    assert sum(fake.slept) == 5.0


def test_the_budget_bounds_the_time_without_progress_and_stops_every_waiter():
    fake = FakeTime()
    gate = gate_for(fake, budget=10.0)

    async def scenario():
        with pytest.raises(RateLimitExhausted) as caught:
            while True:
                gate.limited(await gate.wait(), None)
        assert caught.value.asked is None and caught.value.waited <= 10.0
        with pytest.raises(RateLimitExhausted):
            await gate.wait()  # requests still queued give up too

    asyncio.run(scenario())
    assert 4.0 <= sum(fake.slept) <= 10.0  # waited most of the budget, never more


def test_a_terminal_counts_down_on_one_line_with_the_budget_left_and_a_log_gets_one_line():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = FakeTime()
    screen = Terminal()
    progress = Progress(screen, live=True, clock=fake.clock)
    gate = gate_for(fake, tick=1.0)
    gate._on_wait = lambda remaining: progress.rate_limited(remaining, gate.left())

    async def scenario():
        gate.limited(await gate.wait(), 3.0)
        gate.passed(await gate.wait())

    asyncio.run(scenario())
    # the next try counts down; the time left before giving up shrinks as the client waits
    lines = [f"\rrate limited by Xano: next try in {n} s (giving up in {left} without progress)\x1b[K"
             for n, left in ((3, "1 min"), (2, "59 s"), (1, "58 s"))]
    assert screen.getvalue() == "".join(lines) + "\rxanoctl: 0 requests to Xano\x1b[K"  # requests go again
    log = io.StringIO()
    notice = Progress(log, live=False)
    for remaining in (12, 11, 0, 5, 0):
        notice.rate_limited(remaining, 300)
    assert log.getvalue() == ("xanoctl: rate limited by Xano (429): waiting and retrying, for up to 5 min "
                              "without progress\n")
    quiet = io.StringIO()
    silenced = Progress(quiet, live=False)
    silenced.silence()  # -q
    silenced.rate_limited(12, 300)
    assert quiet.getvalue() == ""


def test_a_429_holds_back_every_other_request_of_the_client():
    """The first answer is a 429 (no Retry-After): no other request reaches the server until
    the pause is over, though eight could be in flight."""
    arrivals: list[tuple[float, int]] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        arrivals.append((time.monotonic(), len(arrivals)))
        if len(arrivals) == 1:
            return httpx.Response(429, json={"code": "ERROR_CODE_TOO_MANY_REQUESTS"})
        await asyncio.sleep(0.01)
        return httpx.Response(200, json={"id": 1})

    async def scenario():
        http = HttpSettings(concurrency=8, backoff=0.4, max_backoff=0.4)
        async with AsyncXanoClient("http://xano.test/api:meta", TOKEN, 1, http=http, on_wait=lambda s: None,
                                   transport=httpx.MockTransport(handler)) as client:
            first = asyncio.create_task(client.me())
            await asyncio.sleep(0.05)  # the 429 is in: the gate is closed
            others = [asyncio.create_task(client.me()) for _ in range(7)]
            await asyncio.gather(first, *others)
            return client.gate.pauses

    assert asyncio.run(scenario()) == 1
    limited_at = arrivals[0][0]
    assert len(arrivals) == 9
    assert all(at - limited_at >= 0.2 for at, _ in arrivals[1:])  # the pause is at least half of 0.4 s


def test_the_rate_window_fault_serves_n_requests_per_window_without_retry_after():
    now = [0.0]
    injector = FaultInjector(clock=lambda: now[0])
    injector.set("rate-window=3/2.5")
    actions = [injector.decide(False).action for _ in range(5)]
    now[0] = 2.6
    actions += [injector.decide(False).action for _ in range(4)]
    assert actions == [None, None, None, "429", "429", None, None, None, "429"]
    assert injector.decide(False).retry_after is None
    assert injector.faults.spec() == "rate-window=3/2.5"


# ---------------------------------------------------------------------------- end to end


@pytest.fixture
def demo():
    with run_in_thread(seed="demo", token=TOKEN) as server:
        yield server


def pull(emu, tmp_path, folder: str, code: int = 0, **http):
    env = cli_env(emu, tmp=tmp_path, **http)
    result = CliRunner().invoke(main, ["pull", "--dir", str(tmp_path / folder)], env=env)
    assert result.exit_code == code, result.output
    assert TOKEN not in result.output and "Traceback" not in result.output
    return result


def test_a_pull_of_the_demo_through_a_free_plan_like_window_gets_every_object(demo, tmp_path):
    clean = pull(demo, tmp_path, "clean", per_page=10)
    # the Free plan's 10 requests per 20 s, scaled down: 4 requests per 0.4 s, no Retry-After
    demo.set_faults("rate-window=4/0.4")
    result = pull(demo, tmp_path, "limited", per_page=10, backoff=0.1, max_backoff=0.4)
    limited = demo.state.faults.snapshot()
    assert limited["injected"]["429"] > 0 and limited["requests"] > 3 * 4  # it ran into the quota, often
    assert snapshot(tmp_path / "limited") == snapshot(tmp_path / "clean")
    added = re.search(r": (\d+) added \(", clean.stdout)
    assert added and f": {added[1]} added (" in result.stdout  # every object
    notes = [line for line in result.stderr.splitlines() if "rate limited" in line]
    assert notes == ["xanoctl: rate limited by Xano (429): waiting and retrying, for up to 5 min without progress"]


def test_a_quota_that_does_not_come_back_within_the_budget_is_one_line_and_exit_1(demo, tmp_path):
    demo.set_faults("rate-window=2/3600")
    result = pull(demo, tmp_path, "ws", code=1, per_page=10, backoff=0.05, max_backoff=0.2, rate_limit_wait=0.5)
    errors = [line for line in result.stderr.splitlines() if line.startswith("xanoctl: error:")]
    assert len(errors) == 1 and errors[0].startswith("xanoctl: error: Xano kept rate-limiting (429) for 0.")
    assert "XANOCTL_HTTP_RATE_LIMIT_WAIT" in errors[0]
    assert not (tmp_path / "ws").exists()


def test_a_push_through_a_free_plan_like_window_applies_every_change(shop):
    for name in FUNCTIONS:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "v2"))
    shop.emu.set_faults("rate-window=2/0.3")
    result = shop.cli("push", backoff=0.05, max_backoff=0.3)
    assert shop.emu.state.faults.snapshot()["injected"]["429"] > 0
    assert all(shop.remote()[("function", name)] == shop.read(fn_path(name)) for name in FUNCTIONS)
    assert "Traceback" not in result.output
