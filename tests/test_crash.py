"""Crash safety (issue 15): real ``xanoctl`` processes (the installed console script) are killed
with SIGKILL at many points of pull, push, rollback, ``rollback --last-push`` and
``push --resume``, with and without ``--commit``; after each kill the documented recovery
(docs/push-and-rollback.md, "When a process dies") must leave every object byte-exact where it
belongs (the remote and the files), the user's edits on disk, ``status`` clean or honestly
reporting, and no stray file.

Kill points come from what the process writes. A first run of each scenario records every
file it writes, renames or removes and every program it starts (an audit hook loaded into the
spawned Python from tests/crashhook/, see there); then the scenario is run again and the
process kills itself (SIGKILL) just before the Nth of those events: the narrow windows (between
saving xanoctl.lock and journaling it, between a journal record and the next request, between
staging a pull's files and renaming them) are hit on every run. A few kills are sent from
outside instead, when the journal shows a request in flight (with the emulator's latency
widening the window). Which events are chosen, and which recovery is run (``push --resume`` or
``rollback --last-push``), is drawn from a seed printed with every failure:
``XANOCTL_CRASH_SEED=<seed>`` replays it; ``XANOCTL_CRASH_SCALE`` (default 1) scales the
number of kill points.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, Clock, Shop, build_shop, edited, fn_path, journal_events, wait_for  # noqa: E402

from xanoctl.atomic import writer_of  # noqa: E402
from xanoctl.emulator.store import Store  # noqa: E402
from xanoctl.emulator.testing import function_source  # noqa: E402

HOOK = Path(__file__).parent / "crashhook"
SEED = int(os.environ.get("XANOCTL_CRASH_SEED") or random.SystemRandom().randrange(1_000_000))
SCALE = float(os.environ.get("XANOCTL_CRASH_SCALE") or 1)
# the default timeout (pyproject.toml) fits the default number of kill points; more take longer
pytestmark = pytest.mark.timeout(round(120 * max(1.0, SCALE)))
NEW_FILE = "function/Utils/brand new.xs"
QUERY = "api/shop/items_{id}_GET.xs"

State = dict[str, Any]  # "remote": {(kind, name): xanoscript}, "tree": {path: bytes} without the lock


# ---------------------------------------------------------------------------- the world


class World:
    """One emulator and one pulled, committed repository, copied afresh for every run."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        (tmp / "template").mkdir()
        self.template = build_shop(tmp / "template")
        self.emu = self.template.emu
        with self.emu.state.lock:
            self.store = self.emu.state.store.dumps()
            self.clock = self.emu.state.store.clock.now
        self.runs = 0

    def fresh(self, remote: Callable[[Shop], None] | None = None) -> Shop:
        """A copy of the repository, and the emulator back as it was after the first pull (then
        ``remote`` changes, someone's work in the Xano UI)."""
        self.runs += 1
        root = self.tmp / f"run{self.runs}" / "repo"
        shutil.copytree(self.template.root, root, symlinks=True)
        self.emu.reset_faults()

        def reset(state):
            state.store = Store.from_json(json.loads(self.store), clock=Clock(self.clock))
        self.emu.mutate(reset)
        shop = Shop(self.emu, root, self.template.env)
        if remote is not None:
            remote(shop)
        return shop


def spawn(shop: Shop, args: list[str], *, kill_at: int = 0, trace: Path | None = None, match: str = "",
          **http: Any) -> subprocess.Popen:
    env = {**os.environ, **shop.env, **{f"XANOCTL_HTTP_{k.upper()}": str(v) for k, v in http.items()},
           "PYTHONPATH": os.pathsep.join(filter(None, [str(HOOK), os.environ.get("PYTHONPATH")])),
           "XANOCTL_CRASH_ROOT": str(shop.root), "XANOCTL_CRASH_AT": str(kill_at),
           "XANOCTL_CRASH_TRACE": str(trace or ""), "XANOCTL_CRASH_MATCH": match}
    script = Path(sys.executable).with_name("xanoctl")
    return subprocess.Popen([str(script), *args], cwd=shop.root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(shop: Shop, process: subprocess.Popen) -> int:
    """Wait for the process; then for git commands it started, which outlive it."""
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in out + err, out + err
    deadline = time.monotonic() + 10
    while (shop.root / ".git" / "index.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return process.returncode


def run_traced(shop: Shop, args: list[str], kill_at: int = 0, match: str = "", **http: Any) -> tuple[int, list[str]]:
    trace = shop.root.parent / "trace.txt"
    trace.unlink(missing_ok=True)
    code = finish(shop, spawn(shop, args, kill_at=kill_at, trace=trace, match=match, **http))
    events = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
    return code, [line.split("\t", 1)[1] for line in events]


def state_of(shop: Shop) -> State:
    tree = {path: data for path, data in shop.tree().items() if path != "xanoctl.lock"}
    return {"remote": shop.remote(), "tree": tree}


def strays(shop: Shop) -> list[str]:
    found = [str(p.relative_to(shop.root)) for p in shop.root.rglob("*.tmp")
             if ".git" not in p.parts and writer_of(p.name) is not None]
    return found + ([".xanoctl/push.lock"] if (shop.root / ".xanoctl" / "push.lock").exists() else [])


def status(shop: Shop) -> dict[str, Any]:
    return json.loads(shop.cli("status", "--json").output)


def states(report: dict[str, Any]) -> dict[str, str]:
    return {o["path"]: o["state"] for o in report["objects"] if o["state"] != "unchanged"}


# ---------------------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    name: str
    args: list[str]
    budget: int  # kill points drawn from the trace
    prepare: Callable[[Shop], None] = lambda shop: None  # the user's work before the command
    remote: Callable[[Shop], None] | None = None  # someone's work in Xano before the command
    recover: Callable[[Shop, "Scenario", str], str] = lambda shop, sc, way: way
    ways: tuple[str, ...] = ("forward",)  # forward: the command's effect; back: as before it
    # (a finished push undone goes "undone": the remote and the files as before the user's edits)
    back_states: dict[str, str] = field(default_factory=dict)  # status after going back
    forward_states: dict[str, str] = field(default_factory=dict)
    committed: str = ""  # forward ends with this path committed (the workspace, or only xanoctl.lock)
    faults: str | None = None  # the emulator's, during the command (not during the recovery)


def user_edits(shop: Shop) -> None:
    """Two updates, a create and a delete: every kind of push step."""
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "mine"))
    shop.write(NEW_FILE, function_source("Utils/Brand New", '"new"'))
    (shop.ws / fn_path(FUNCTIONS[5])).unlink()


PUSHED_BACK = {fn_path(FUNCTIONS[0]): "modified locally", fn_path(FUNCTIONS[1]): "modified locally",
               NEW_FILE: "new locally", fn_path(FUNCTIONS[5]): "deleted locally"}


def remote_changes(shop: Shop) -> None:
    """Someone edits, renames and deletes objects in the Xano UI, and creates one."""
    def change(state):
        store = state.store
        f1, f2, f3 = (shop.stored("function", name) for name in FUNCTIONS[:3])
        store.replace(f1, name=f1.name, xanoscript=edited(f1.xanoscript, "remote"), verb=None, description="",
                      tags=[], fields={}, publish=True)
        store.replace(f2, name="Utils/renamed", xanoscript=function_source("Utils/renamed", '"was f02"'), verb=None,
                      description="", tags=[], fields={}, publish=True)
        branch = store.workspace(shop.emu.workspace_id).live
        store.remove(branch, "function", f3.id)
        store.add(branch, "function", "Utils/created", function_source("Utils/created", '"remote"'))
    shop.emu.mutate(change)


def local_edit(shop: Shop) -> None:
    shop.write(fn_path(FUNCTIONS[3]), edited(shop.read(fn_path(FUNCTIONS[3])), "uncommitted"))


def first_pull(shop: Shop) -> None:
    shutil.rmtree(shop.ws)
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)


def recover_pull(shop: Shop, scenario: Scenario, way: str) -> str:
    shop.cli(*scenario.args)  # documented: run the pull again
    return "forward"


def recover_push(shop: Shop, scenario: Scenario, way: str) -> str:
    """What docs/push-and-rollback.md says: status first; an unfinished push is resumed or
    rolled back; otherwise the command had not begun, or had finished."""
    unfinished = status(shop)["unfinished_push"]
    if unfinished and "restore did not finish" in unfinished:
        shop.cli("rollback", "--last-push")
        return "back"
    if unfinished:
        shop.cli("push", "--resume") if way == "forward" else shop.cli("rollback", "--last-push")
        return way
    if way == "forward":
        shop.cli(*scenario.args)  # not begun: run it again (finished: nothing to do)
    elif shop.journals():
        ends = [e for e in journal_events(shop.journals()[-1]) if e["type"] == "end"]
        shop.cli("rollback", "--last-push")  # finished: undo it
        if ends and ends[-1].get("outcome") == "pushed":
            return "undone"  # the files go back with the remote
    return way


def recover_undo(shop: Shop, scenario: Scenario, way: str) -> str:
    shop.cli(*scenario.args)  # documented: run it again (it says when it is done)
    return "forward"


def push_killed(shop: Shop) -> None:
    """A push killed after its first write reached Xano, before the journal recorded it: what
    `push --resume` starts from (journal writes: the header's two, "started", then "done")."""
    user_edits(shop)
    code, _ = run_traced(shop, ["push", "--delete"], kill_at=4, match=".jsonl", concurrency=1)
    assert code == -signal.SIGKILL


def push_first(shop: Shop) -> None:
    user_edits(shop)
    shop.cli("push", "--delete")


def oops_pushed(shop: Shop) -> None:
    """Two bad versions pushed and committed: the rollback's starting point."""
    for name in FUNCTIONS[:2]:
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "oops"))
    shop.cli("push", "--commit")


def scenarios(base: str) -> list[Scenario]:
    pushing = dict(prepare=user_edits, recover=recover_push, ways=("forward", "back"), back_states=PUSHED_BACK)
    rollback_args = ["rollback", f"workspace/{fn_path(FUNCTIONS[0])}", f"workspace/{fn_path(FUNCTIONS[1])}",
                     "--to", base, "--commit"]
    return [
        Scenario("first pull", ["pull"], 4, prepare=first_pull, recover=recover_pull),
        Scenario("pull of remote changes", ["pull"], 4, prepare=local_edit, remote=remote_changes,
                 recover=recover_pull, forward_states={fn_path(FUNCTIONS[3]): "modified locally"}),
        Scenario("pull --commit", ["pull", "--commit"], 3, remote=remote_changes, recover=recover_pull,
                 committed="workspace"),
        Scenario("push", ["push", "--delete"], 7, **pushing),
        Scenario("push --commit", ["push", "--delete", "--commit"], 3, committed="workspace", **pushing),
        Scenario("rollback --to --commit", rollback_args, 4, prepare=oops_pushed, recover=recover_push,
                 committed="workspace"),
        Scenario("rollback --last-push --commit", ["rollback", "--last-push", "--commit"], 4, prepare=push_first,
                 recover=recover_undo, committed="workspace"),
        Scenario("push --resume", ["push", "--resume"], 3, **{**pushing, "prepare": push_killed}),
        Scenario("push failing, restored", ["push", "--delete"], 4, faults="5xx-write-burst=3@3", **pushing),
    ]


# ---------------------------------------------------------------------------- checks


def check(shop: Shop, scenario: Scenario, way: str, expected: State, where: str) -> None:
    assert not strays(shop), f"{where}: stray files {strays(shop)}"
    now = state_of(shop)
    assert now["remote"] == expected["remote"], f"{where}: the remote differs"
    assert now["tree"] == expected["tree"], f"{where}: the files differ"
    report = status(shop)
    assert report["unfinished_push"] is None, f"{where}: {report['unfinished_push']}"
    assert report["temporary_files"] == {"removed": [], "in_use": []}, where
    wanted = {"back": scenario.back_states, "undone": {}}.get(way, scenario.forward_states)
    assert states(report) == wanted, f"{where}: status {states(report)}"
    if scenario.committed and way == "forward":
        dirty = shop.repo.git.status("--porcelain", "--", scenario.committed)
        assert not dirty, f"{where}: not all committed: {dirty}"
    if wanted:  # the user's work survives a plain pull
        shop.cli("pull")
        after = state_of(shop)["tree"]
        kept = {p: d for p, d in expected["tree"].items() if wanted.get(p) != "deleted locally"}
        assert {p: after.get(p) for p in kept} == kept, f"{where}: a pull lost local work"


# ---------------------------------------------------------------------------- the test


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    built = World(tmp_path_factory.mktemp("crash"))
    yield built
    built.emu.stop()


def kill_points(events: list[str], scenario: Scenario, rng: random.Random) -> list[tuple[int, str]]:
    """(1-based event number to die before, recovery way): always the narrow windows around
    xanoctl.lock (before its rename, and right after it: before the journal says so) and before
    git commits, with every recovery; then a seeded draw among the others, each with one."""
    narrow = set()
    for number, event in enumerate(events, 1):
        if event.endswith("xanoctl.lock") and event.startswith("rename"):
            narrow |= {number, number + 1}
        if event.startswith("run ") and "commit" in event:
            narrow.add(number)
    narrow = {n for n in narrow if n <= len(events)}
    others = [n for n in range(1, len(events) + 1) if n not in narrow]
    count = max(0, round(scenario.budget * SCALE) - len(narrow))
    drawn = sorted(rng.sample(others, min(count, len(others))))
    return sorted([(n, way) for n in narrow for way in scenario.ways]
                  + [(n, rng.choice(scenario.ways)) for n in drawn])


@pytest.mark.parametrize("index", range(9), ids=["first-pull", "pull-changes", "pull-commit", "push", "push-commit",
                                                  "rollback-to", "undo", "resume", "push-restored"])
def test_a_kill_at_any_point_loses_nothing_and_leaves_nothing(world, index):
    rng = random.Random(f"{SEED}-{index}")
    base = world.template.repo.head.commit.hexsha
    scenario = scenarios(base)[index]
    # the reference run: every event the command causes, and where it leads
    shop = world.fresh(scenario.remote)
    remote = shop.remote()
    pristine = state_of(shop)["tree"]
    scenario.prepare(shop)
    expected = {"back": {"remote": remote, "tree": state_of(shop)["tree"]},
                "undone": {"remote": remote, "tree": pristine}}
    world.emu.set_faults(scenario.faults)
    code, events = run_traced(shop, scenario.args)
    world.emu.reset_faults()
    assert code == (1 if scenario.faults else 0) and events, f"{scenario.name}: the reference run failed ({code})"
    if scenario.faults:  # where the command leads when nothing fails
        shop = world.fresh(scenario.remote)
        scenario.prepare(shop)
        shop.cli(*scenario.args)
    expected["forward"] = state_of(shop)
    killed = []
    for number, way in kill_points(events, scenario, rng):
        where = (f"{scenario.name}: killed before event {number}/{len(events)} ({events[number - 1]}), recovery "
                 f"{way} (replay: XANOCTL_CRASH_SEED={SEED})")
        shop = world.fresh(scenario.remote)
        scenario.prepare(shop)
        world.emu.set_faults(scenario.faults)
        code, _ = run_traced(shop, scenario.args, kill_at=number)
        world.emu.reset_faults()
        killed.append(code == -signal.SIGKILL)
        way = scenario.recover(shop, scenario, way)
        check(shop, scenario, way, expected[way], where)
    print(f"{scenario.name}: {sum(killed)} kills of {len(events)} events (seed {SEED})")
    assert sum(killed) >= len(killed) - 1, f"{scenario.name}: the kills did not happen (seed {SEED})"


def unanswered(shop: Shop) -> int:
    """API requests the emulator has received and not answered yet."""
    stats = shop.emu.state.stats
    return stats.requests - sum(stats.statuses.values())


def in_flight(journal: Path) -> set[int]:
    """The steps the journal shows started and not done."""
    events = journal_events(journal)
    return {e["seq"] for e in events if e["type"] == "started"} - {e["seq"] for e in events if e["type"] == "done"}


def test_kills_from_outside_while_requests_are_in_flight(world):
    """SIGKILL sent by the test when the journal shows a write started and the emulator holds
    it unanswered (its latency keeps the request in flight), during a push and during the push
    --resume that follows; each kill must land then (the process dies by it, the journal never
    hears the answer); then resumed or rolled back."""
    rng = random.Random(f"{SEED}-outside")
    scenario = scenarios("HEAD")[3]
    for attempt in range(3):
        shop = world.fresh()
        pristine = state_of(shop)
        user_edits(shop)
        before = state_of(shop)
        shop.emu.set_faults("latency-ms=60,write-latency-ms=120")
        left = 4  # the writes user_edits asks for: two updates, a create, a delete
        for command in (["push", "--delete"], ["push", "--resume"]):
            process = spawn(shop, command, concurrency=1)
            target = rng.randint(1, min(3, left))

            def started() -> int:
                journals = shop.journals()
                return sum(e["type"] == "started" for e in journal_events(journals[-1])) if journals else 0
            seen = started()
            deadline = time.monotonic() + 30
            while process.poll() is None and not (started() >= seen + target and unanswered(shop)):
                assert time.monotonic() < deadline, f"{command}: no write in flight after 30 s (seed {SEED})"
                time.sleep(0.005)
            process.send_signal(signal.SIGKILL)
            finish(shop, process)
            where = f"outside kill {attempt} of {' '.join(command)} (replay: XANOCTL_CRASH_SEED={SEED})"
            assert process.returncode == -signal.SIGKILL, f"{where}: the process ended before the kill"
            assert in_flight(shop.journals()[-1]), f"{where}: the kill landed between two writes"
            wait_for(lambda: not unanswered(shop))  # the write the dead process sent lands now
            left -= target
        shop.emu.reset_faults()
        way = rng.choice(("forward", "back"))
        where = f"outside kill {attempt}, recovery {way} (replay: XANOCTL_CRASH_SEED={SEED})"
        way = recover_push(shop, scenario, way)
        if way == "forward":
            remote = dict(before["remote"])
            remote.pop(("function", FUNCTIONS[5]))
            for name in FUNCTIONS[:2]:
                remote[("function", name)] = shop.read(fn_path(name))
            remote[("function", "Utils/Brand New")] = shop.read(NEW_FILE)
            check(shop, scenario, way, {"remote": remote, "tree": before["tree"]}, where)
        elif way == "undone":
            check(shop, scenario, way, pristine, where)
        else:
            check(shop, scenario, way, before, where)
