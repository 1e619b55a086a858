"""A first pull (into a folder that does not exist yet) plans and writes each object while the
later pages are fetched (xanoctl.sync.firstpull): the tree it makes must be the one a pull
into an existing folder makes, byte for byte, collisions and suffixes included; a failed or
killed one must leave nothing behind."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_pull import TOKEN, cli, emu  # noqa: E402,F401  (the emulator and the CLI, as a user runs them)

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import SOURCES, cli_env, function_source, query_source, snapshot
from xanoctl.sync.firstpull import FirstPull
from xanoctl.sync.manifest import Entry, _LINE, entry_line
from xanoctl.sync.pull import plan
from xanoctl.xano.remote import KINDS
from xanoctl.xano.remote import RemoteObject
from xanoctl.sync.workspace import WorkspaceFolder

# Names that collide once made paths (case, characters a file system refuses, a name equal
# to another's suffixed path), folders that differ only in case, API groups whose folders
# collide; listed newest first (created_at falling while ids rise), so that a later page
# brings a lower id that takes a path an earlier page's object preferred.
FUNCTIONS = [(10, "Tasks/Sync"), (11, "tasks/sync"), (12, "TASKS/Other"), (13, "a?b"), (14, "a_b"),
             (15, "a_b~13"), (16, "CON"), (17, "Utils/Format"), (18, "utils/format"), (19, "x" * 200),
             (20, "Deep/er/and/deeper/still/and/more/levels/than/allowed"), (21, "Ünïcode/Nämé"),
             (22, "u\u0308nicode/name"), (23, "trailing. "), (24, "Tasks/sync")]


def plant(emu) -> None:
    clock = 1_900_000_000_000
    for ident, name in FUNCTIONS:
        clock -= 60_000
        emu.add("function", name, function_source(name), object_id=ident, created_at=clock)
    for ident, name in ((40, "Users"), (41, "users"), (42, "a/b"), (43, "a_b")):
        clock -= 60_000
        group = emu.add("api_group", name, SOURCES["api_group"](name), object_id=ident, created_at=clock)
        for offset, path in enumerate(("list", "LIST", "{id}", "items/{id}")):
            clock -= 60_000
            emu.add("query", path, query_source(path, "GET"), verb="GET", group=group.id,
                    object_id=100 + 10 * ident + offset, created_at=clock)
    for kind, name in (("task", "Nightly"), ("task", "nightly"), ("table", "user"), ("middleware", "auth")):
        clock -= 60_000
        emu.add(kind, name, SOURCES[kind](name), created_at=clock)
    broken = emu.add("function", "Utils/Broken", "", object_id=30, created_at=clock - 60_000)
    emu.mutate(lambda state: setattr(broken, "xanoscript_error", "cannot render"))


def test_a_first_pull_makes_the_tree_a_pull_into_an_existing_folder_makes(emu, cli, tmp_path):
    plant(emu)
    (tmp_path / "existing").mkdir()  # exists: planned after the last page, the usual way
    usual = json.loads(cli("pull", "--dir", "existing", "--json", per_page=2).stdout)
    first = json.loads(cli("pull", "--dir", "fresh", "--json", per_page=2).stdout)
    assert snapshot(tmp_path / "fresh") == snapshot(tmp_path / "existing")  # files, paths, bytes, lock
    for summary in (usual, first):
        summary.pop("folder")
        summary.pop("requests")
    assert first == usual
    paths = {change["path"] for change in first["added"]}
    assert {"function/Tasks/Sync.xs", "function/tasks/sync~11.xs", "function/a_b.xs", "function/a_b~13~15.xs",
            "function/a_b~13.xs", "api/Users/api_group.xs", "api/users~41/api_group.xs",
            "api/users~41/LIST_GET~511.xs"} <= paths
    assert [error["name"] for error in first["errors"]] == ["Utils/Broken"]
    assert len(first["added"]) == len(snapshot(tmp_path / "fresh")) - 1
    assert sorted(os.listdir(tmp_path)) == ["existing", "fresh"]  # nothing left aside


def _objects(count: int, rng: random.Random) -> list[RemoteObject]:
    """Objects of every kind with names drawn from a small alphabet: many collide."""
    names = ["A", "a", "b", "B/c", "b/C", "a?", "a_", "a_~3", "CON", "Con", "é", "e\u0301", "x/y/z", "X/y/z"]
    objects = [RemoteObject("api_group", gid, name, f"g{gid}", "2025-01-01 00:00:00+0000", f"group {gid}")
               for gid, name in ((1, "G"), (2, "g"), (3, "g?"), (4, "h"))]
    for ident in range(1, count):
        kind = rng.choice(["function", "function", "query", "task", "table", "middleware"])
        gid = rng.choice([1, 2, 3, 4])
        objects.append(RemoteObject(
            kind, ident, rng.choice(names), f"guid{ident}", 1_700_000_000_000 + ident,
            None if ident % 17 == 0 else f"{kind} {ident} {rng.random()}", "no" if ident % 17 == 0 else None,
            verb=rng.choice(["GET", "POST"]) if kind == "query" else None,
            group_id=gid if kind == "query" else None, group_name=objects[gid - 1].name if kind == "query" else None))
    return objects


@pytest.mark.parametrize("layout", ["readable", "official"])
@pytest.mark.parametrize("seed", range(6))
def test_the_plan_made_page_by_page_is_the_usual_plan(tmp_path, layout, seed):
    """Pages in any order, any size, handed over in a running event loop (part of them left to
    plan once the loop has stopped): the same files, bytes, manifest and report as plan()."""
    rng = random.Random(seed)
    remote = _objects(120, rng)
    groups, others = remote[:4], remote[4:]
    rng.shuffle(others)  # groups first, as the client lists them (endpoints once the groups are in)...
    remote = groups + others
    if seed >= 4:  # ... or anywhere: a group after endpoints changes folders already chosen
        rng.shuffle(remote)
    kinds = list(KINDS) if seed % 3 else ["query", "function"]
    usual, usual_result = plan(remote, None, WorkspaceFolder(tmp_path / "usual"), kinds, 1, "", layout=layout)

    early = FirstPull.start(WorkspaceFolder(tmp_path / "early"), kinds, layout, 1, "")
    assert early is not None

    async def fetch() -> None:
        index = 0
        while index < len(remote):
            size = rng.randint(1, 12)
            early.take(remote[index:index + size])
            index += size
            for _ in range(rng.randint(0, 3)):
                await asyncio.sleep(0)

    with early:
        asyncio.run(fetch())
        out, result = early.finish(remote)
        assert early.staged.aside is not None
        aside = Path(early.staged.aside)
        written = {path.relative_to(aside).as_posix(): path.read_bytes() for path in aside.rglob("*") if path.is_file()}
        assert written == usual.writes
        assert out.lock == usual.manifest.dumps().encode()
        assert out.manifest.entries == usual.manifest.entries
        assert result.as_json() | {"folder": ""} == usual_result.as_json() | {"folder": ""}
        early.discard()
    assert not aside.exists() and not (tmp_path / "early").exists()


def test_files_are_written_aside_before_the_last_page(tmp_path):
    remote = [RemoteObject("function", ident, f"f{ident}", None, None, f"function {ident}") for ident in range(1, 40)]
    with FirstPull(WorkspaceFolder(tmp_path / "ws"), KINDS, "readable", 1, "") as early:
        async def first_pages() -> None:
            early.take(remote[:20])
            for _ in range(5):
                await asyncio.sleep(0)

        asyncio.run(first_pages())
        early._writer.close()  # (the thread writes in the background: wait for it to be done)
        aside = Path(early.staged.aside)
        assert sorted(path.name for path in (aside / "function").iterdir()) == sorted(f"f{i}.xs" for i in range(1, 21))
        assert not (tmp_path / "ws").exists()
        early.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_first_pull_failing_half_way_leaves_nothing(emu, cli, tmp_path):
    for index in range(30):
        emu.add("function", f"Utils/F{index}", function_source(f"Utils/F{index}"))
    emu.set_faults("latency-ms=5,429-burst=1000@8")  # seven pages, then a storm that never ends
    result = cli("pull", "--dir", "ws", code=1, attempts=2, rate_limit_wait=0.3, concurrency=1, per_page=2)
    assert "Xano kept rate-limiting (429)" in result.stderr
    assert os.listdir(tmp_path) == []  # no workspace, nothing aside


def test_a_first_pull_into_a_folder_that_cannot_be_made_is_one_line_and_makes_nothing(emu, cli, tmp_path):
    emu.add("function", "Utils/F", function_source("Utils/F"))
    name = "w" * 240  # a legal name, but too long for the folder built aside beside it
    result = cli("pull", "--dir", f"deeper/{name}", code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xanoctl: error: cannot write ")
    assert "File name too long; nothing was changed" in lines[0]
    assert os.listdir(tmp_path) == []  # not even the parent folder made for it


def test_a_killed_first_pull_leaves_no_workspace_and_the_next_pull_sweeps_what_it_wrote_aside(tmp_path):
    with run_in_thread(token=TOKEN, faults="latency-ms=150") as emu:
        for index in range(40):
            emu.add("function", f"Utils/F{index}", function_source(f"Utils/F{index}"))
        env = {**os.environ, **cli_env(emu, tmp=tmp_path, per_page=5, concurrency=1, lookahead=1)}
        process = subprocess.Popen([sys.executable, "-m", "xanoctl", "pull", "--dir", "ws"], cwd=tmp_path, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        aside: list[Path] = []
        while time.monotonic() < deadline and not any(True for folder in aside for _ in folder.rglob("*.xs")):
            aside = [path for path in tmp_path.iterdir() if path.name.startswith(".ws.xanoctl-")]
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert aside and any(aside[0].rglob("*.xs")), "the pull wrote nothing aside before it was killed"
        assert not (tmp_path / "ws").exists()
        emu.set_faults("")
        done = subprocess.run([sys.executable, "-m", "xanoctl", "pull", "--dir", "ws"], cwd=tmp_path, env=env,
                              capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("removed 1 temporary file left by an interrupted xanoctl run")
    assert not aside[0].exists() and len(snapshot(tmp_path / "ws")) == 41


def test_a_folder_another_running_pull_is_building_aside_is_left_alone(emu, cli, tmp_path):
    emu.add("function", "Utils/F", function_source("Utils/F"))
    mine = tmp_path / f".ws.xanoctl-{os.getpid()}-1.tmp"  # a running process's (this one's)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    theirs = tmp_path / f".ws.xanoctl-{dead.stdout.strip()}-2.tmp"  # a process that has ended
    for folder in (mine, theirs):
        (folder / "function").mkdir(parents=True)
        (folder / "function" / "x.xs").write_text("half a pull")
    result = cli("pull", "--dir", "ws")
    assert result.stdout.startswith("removed 1 temporary file")
    assert mine.exists() and not theirs.exists()
    assert snapshot(tmp_path / "ws")["function/Utils/F.xs"] == function_source("Utils/F").encode()


def test_the_client_hands_over_each_page_of_every_list_as_it_comes(emu, tmp_path):
    from xanoctl.xano.client import XanoClient

    for index in range(7):
        emu.add("function", f"F{index}", function_source(f"F{index}"))
    group = emu.add("api_group", "G", SOURCES["api_group"]("G"))
    for index in range(5):
        emu.add("query", f"q{index}", query_source(f"q{index}"), verb="GET", group=group.id)
    emu.set_faults("page-cap=2")
    pages: list[list[RemoteObject]] = []
    with XanoClient(emu.base_url, TOKEN, emu.workspace_id) as client:
        remote = client.fetch_all(KINDS, on_objects=pages.append)
    assert all(1 <= len(page) <= 2 for page in pages) and len(pages) >= 8
    handed = [obj for page in pages for obj in page]
    assert len(handed) == len(remote) and {id(obj) for obj in handed} == {id(obj) for obj in remote}
    functions = [obj.name for obj in handed if obj.kind == "function"]
    assert functions == [f"F{index}" for index in range(7)]  # each list in its order
    first_query = next(i for i, obj in enumerate(handed) if obj.kind == "query")
    assert all(obj.kind != "api_group" for obj in handed[first_query:])  # every group before any endpoint


@pytest.mark.parametrize("entry", [
    Entry("function", 1, None, "a", "function/a.xs", "0" * 64),
    Entry("query", 2, 'g"\\\n\x01\u2028é', "n/é\U0001F600\x7f", "p", "s", 1_700_000_000_000, "GET", {"id": 3, "name": 'A"p'}),
    Entry("query", 2, "g", "n", "p", "s", 1.5, None, {"id": 3, "name": "x", "extra": 1}),
    Entry("task", 2, "g", "n", "p", "s", True, None, None),
    Entry("task", 2, "g", "n", "p", "s", {"at": [1, None]}, None, {"id": True, "name": "x"}),
    Entry("task", -2, "g", "n", "p", "s", -0, None, {"id": 3, "name": None}),
])
def test_a_manifest_line_is_the_entry_as_json(entry):
    assert entry_line(entry) == _LINE(entry.as_json())
    assert json.loads(entry_line(entry)) == entry.as_json()


@pytest.mark.parametrize("case", ["the folder appeared meanwhile", "an object listed twice"])
def test_a_first_pull_that_cannot_finish_early_is_planned_the_usual_way(tmp_path, case):
    from xanoctl.sync.pull import Local, plan_pull

    remote = [RemoteObject("function", ident, f"f{ident}", None, None, f"function {ident}") for ident in range(1, 30)]
    if case == "an object listed twice":
        remote.append(RemoteObject("function", 3, "again", None, None, "function again"))
    folder = WorkspaceFolder(tmp_path / "ws")
    early = FirstPull.start(folder, KINDS, "readable", 1, "")
    with early:
        async def pages() -> None:
            for start in range(0, len(remote), 7):
                early.take(remote[start:start + 7])
                await asyncio.sleep(0)

        asyncio.run(pages())
        if case == "the folder appeared meanwhile":
            (tmp_path / "ws").mkdir()
        out, result, staged = plan_pull(remote, Local([], None, {}), folder, list(KINDS), 1, "", False, "readable",
                                        early)
    assert staged is None  # planned by plan(), its files to be staged by apply()
    usual, usual_result = plan(remote, None, WorkspaceFolder(tmp_path / "ws"), KINDS, 1, "")
    assert out.writes == usual.writes and result.as_json() == usual_result.as_json()
    assert [path.name for path in tmp_path.iterdir()] == (["ws"] if case == "the folder appeared meanwhile" else [])


@pytest.mark.parametrize("layout, names, expected", [
    ("readable", ("Users", "users"), {"api/Users/api_group.xs", "api/users~2/api_group.xs", "api/users~2/list_GET.xs"}),
    # the same folder, other file names: only the endpoint's folder changes, no path is wanted twice
    ("official", ("a b", 'a"b'), {"api/a_b/a_b.xs", "api/a_b_2/ab.xs", "api/a_b_2/list_GET.xs"}),
])
def test_a_group_listed_after_endpoints_moves_their_folder_as_the_usual_plan_does(tmp_path, layout, names, expected):
    """Not what the client does (every group comes before any endpoint), but the plan made page by
    page must not rely on it: a group listed later can take the folder another group's endpoints
    were written in."""
    late = RemoteObject("api_group", 1, names[0], "g1", None, "group 1")
    early_group = RemoteObject("api_group", 2, names[1], "g2", None, "group 2")
    endpoint = RemoteObject("query", 5, "list", "q5", None, "query 5", verb="GET", group_id=2, group_name=names[1])
    remote = [early_group, endpoint, late]
    usual, usual_result = plan(remote, None, WorkspaceFolder(tmp_path / "usual"), KINDS, 1, "", layout=layout)
    with FirstPull(WorkspaceFolder(tmp_path / "ws"), KINDS, layout, 1, "") as first:
        async def pages() -> None:
            for obj in remote:
                first.take([obj])
                await asyncio.sleep(0)

        asyncio.run(pages())
        out, result = first.finish(remote)
        aside = Path(first.staged.aside)
        assert {p.relative_to(aside).as_posix() for p in aside.rglob("*.xs")} == set(usual.writes) == expected
        assert out.lock == usual.manifest.dumps().encode()
        assert result.as_json() | {"folder": ""} == usual_result.as_json() | {"folder": ""}
        first.discard()
