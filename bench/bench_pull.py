"""Pull wall time, whole process, against the emulator with per-request latency and a page cap.

    python bench/bench_pull.py [--functions 2000 --endpoints 1000 --tasks 100] [--latency-ms 50]
                               [--page-cap 100] [--per-page 1000] [--runs 3] [--profile FILE.html]
                               [--root DIR] [--xanoctl PATH] [--baseline PATH] [--phases]

Generates a workspace (``xanoctl.seeds.generate``: about 3,183 objects by default) and serves it
from the emulator on 127.0.0.1 in this process, with ``latency-ms`` added to every request and
list pages capped at ``page-cap`` items below the ``per_page`` the client asks for (a server
that keeps its own page size). Then runs ``xanoctl pull`` as a separate process into an empty
folder (cold: start-up, every request and every file included), ``runs`` times, then pulls
once more and pulls again into the pulled folder (nothing changed). ``--baseline`` times another
executable the same way, the runs alternating between the two (a before/after in the same
minutes, as this shared machine's load changes from one minute to the next). Prints the wall
times (best and median) and the CPU time of the pull process, the pages and requests, and
whether the target holds: a cold pull in 1.0 s or less with requests close to pages. ``--profile`` runs one cold pull under pyinstrument
(``pip install pyinstrument``) instead.

Two figures help read the wall times, neither counted in them: what creating as many empty
files costs in the same folder right now (the file system's share: on a busy shared disk it
varies tenfold from one minute to the next), and with ``--phases`` where one more cold pull
spends its time, wall and CPU (a separate process calling the library's steps in the order
``xanoctl pull`` does, with a clock between them; start-up is the process's imports). A first
pull plans and writes each object while the later pages are fetched
(:mod:`xanoctl.sync.firstpull`): its fetch step includes that work, and the plan and write
steps only what is left after the last page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import cli_env
from xanoctl.seeds.generate import generate

TARGET = 1.0
# One cold pull, step by step (the steps of xanoctl.sync.pull.pull), timed; printed as JSON.
PHASES = r"""
import json, resource, sys, time
def now():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime
marks = [("start", *now())]
import xanoctl.commands.pull
from xanoctl.config import load_config
from xanoctl.xano.client import XanoClient
from xanoctl.sync.firstpull import FirstPull
from xanoctl.sync.pull import apply, complete, fetch_and_look, plan_pull, reached, unreached
from xanoctl.xano.kinds import EVERY
from xanoctl.sync.workspace import WorkspaceFolder
marks.append(("imports", *now()))
config = load_config(dir=sys.argv[1])
with XanoClient.from_config(config) as client:
    target = WorkspaceFolder(config.dir)
    kinds = list(EVERY)
    marks.append(("client", *now()))
    early = FirstPull.start(target, kinds, config.layout, client.aio.workspace, client.aio.branch)
    with early:
        remote, local = fetch_and_look(client, kinds, target, early)
        kinds = reached(kinds, unreached(client, kinds, remote, local.manifest), remote, local.manifest)
        remote = complete(client, kinds, [obj for obj in remote if obj.kind in kinds], local.manifest)
        marks.append(("fetch (all pages; files planned and written meanwhile)", *now()))
        out, result, staged = plan_pull(remote, local, target, kinds, client.aio.workspace, client.aio.branch,
                                        False, config.layout, early)
        marks.append(("plan (what is left after the last page)", *now()))
        apply(out, target, result, staged)
        marks.append(("write (the rest, the manifest, the rename)", *now()))
print(json.dumps([[name, marks[i][1] - marks[i - 1][1], marks[i][2] - marks[i - 1][2]]
                  for i, (name, _, _) in enumerate(marks) if i]))
"""
# "pulled into ws/: 3142 added, ... (45 requests, 45 pages)"
# or "nothing changed: 3142 objects up to date ... (45 requests, 45 pages)"
SUMMARY = re.compile(r": (\d+) (?:added|objects).*\((\d+) requests, (\d+) pages\)")


def pull(emulator, folder: Path, per_page: int, profile: str | None = None,
         xanoctl: list[str] | None = None) -> tuple[float, float, dict, int]:
    """(wall seconds, CPU seconds of the process, the pull's JSON summary, requests the emulator saw)."""
    env = {**os.environ, **cli_env(emulator, tmp=folder.parent, per_page=per_page)}
    xanoctl = xanoctl or [sys.executable, "-m", "xanoctl"]
    if profile:
        renderer = "html" if profile.endswith(".html") else "text"
        xanoctl = [sys.executable, "-m", "pyinstrument", "-r", renderer, "-o", profile, "-m", "xanoctl"]
    before = emulator.request_count()
    cpu, served = _children_cpu(), _own_cpu()
    started = time.perf_counter()
    done = subprocess.run([*xanoctl, "pull", "--dir", str(folder)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    summary_cpu = _own_cpu() - served  # the emulator's, in this process
    if done.returncode != 0:
        sys.exit(f"pull failed ({done.returncode}): {done.stderr.strip()}")
    summary = {"emulator_cpu": summary_cpu}
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    found = SUMMARY.search(last)
    if found:
        summary.update(added=int(found[1]), requests=int(found[2]), pages=int(found[3]),
                       wrote_nothing=last.startswith("nothing changed"))
    elif not profile:
        sys.exit(f"unexpected output: {last!r}")
    return wall, cpu, summary, emulator.request_count() - before


def phases(emulator, folder: Path, per_page: int) -> list[tuple[str, float, float]]:
    """(step, wall seconds, CPU seconds) of one more cold pull, run step by step in a process."""
    env = {**os.environ, **cli_env(emulator, tmp=folder.parent, per_page=per_page)}
    done = subprocess.run([sys.executable, "-c", PHASES, str(folder)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the phased pull failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return [tuple(row) for row in json.loads(done.stdout)]


def create_cost(root: Path, count: int) -> float:
    """Seconds to create ``count`` empty files in 40 folders of a new folder under ``root``
    (then removed): the file system's share of a cold pull, at this moment."""
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        folders = [Path(tmp, f"d{index}") for index in range(40)]
        started = time.perf_counter()
        for folder in folders:
            folder.mkdir()
        for index in range(count):
            os.close(os.open(folders[index % 40] / f"f{index}.xs", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        return time.perf_counter() - started


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--page-cap", type=int, default=100)
    parser.add_argument("--per-page", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", help="folder to pull into (default: the system's temporary folder; "
                                       "/dev/shm takes the disk out of the measure)")
    parser.add_argument("--xanoctl", help="the xanoctl executable to time (default: this Python's xanoctl), "
                                          "e.g. another virtual environment's for a before/after")
    parser.add_argument("--baseline", metavar="PATH", help="another xanoctl executable to time in the same "
                                                           "minutes, runs alternating (a before/after)")
    parser.add_argument("--profile", metavar="FILE", help="profile one cold pull with pyinstrument (.html, else text)")
    parser.add_argument("--phases", action="store_true", help="also time the steps of one more cold pull")
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    faults = f"latency-ms={args.latency_ms}" + (f",page-cap={args.page_cap}" if args.page_cap else "")
    with run_in_thread(seed=seed, faults=faults) as emulator, tempfile.TemporaryDirectory(dir=args.root) as tmp:
        folder = Path(tmp) / "workspace"
        print(f"workspace: {len(seed.objects)} objects; faults {faults}; per_page {args.per_page}")
        if args.profile:
            pull(emulator, folder, args.per_page, profile=args.profile)
            print(f"profile written to {args.profile}")
            return
        candidates = {"": [args.xanoctl] if args.xanoctl else None}
        if args.baseline:  # before/after: the runs alternate between the two, in the same minutes
            candidates = {"baseline ": [args.baseline], "this ": candidates[""]}
        cold: dict[str, list[tuple[float, float, float]]] = {label: [] for label in candidates}
        last: dict[str, tuple[dict, int]] = {}  # each one's last summary and requests seen
        for run in range(args.runs):
            order = list(candidates.items())
            for label, command in order if run % 2 == 0 else order[::-1]:
                shutil.rmtree(folder, ignore_errors=True)
                wall, cpu, summary, seen = pull(emulator, folder, args.per_page, xanoctl=command)
                cold[label].append((wall, cpu, summary["emulator_cpu"]))
                last[label] = summary, seen
        files = summary["added"]
        for label, command in candidates.items():
            walls, cpus, served = (list(column) for column in zip(*cold[label]))
            summary, seen = last[label]
            print(f"{label}cold pull (whole process): best {min(walls):.2f} s, median {statistics.median(walls):.2f} s "
                  f"over {args.runs} runs (CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; the "
                  f"emulator's {min(served):.2f} s); {summary['added']} files in {tmp}; {summary['pages']} pages, "
                  f"{summary['requests']} requests sent, {seen} seen by the emulator")
            shutil.rmtree(folder, ignore_errors=True)
            pull(emulator, folder, args.per_page, xanoctl=command)
            warm, cpu, summary, seen = pull(emulator, folder, args.per_page, xanoctl=command)
            print(f"{label}second pull (nothing changed): {warm:.2f} s (CPU {cpu:.2f} s), wrote nothing: "
                  f"{summary['wrote_nothing']}; {summary['pages']} pages, {seen} requests")
        walls = [wall for wall, _, _ in cold[list(candidates)[-1]]]
        files_cost = create_cost(Path(tmp), files)
        print(f"file system: creating {files} empty files in {tmp} takes {files_cost:.2f} s now "
              f"({1e6 * files_cost / files:.0f} us each; not part of the figures above)")
        if args.phases:
            shutil.rmtree(folder, ignore_errors=True)
            steps = phases(emulator, folder, args.per_page)
            print("steps of one more cold pull (wall / CPU, ms): " + ", ".join(
                f"{name} {1000 * wall:.0f} / {1000 * cpu:.0f}" for name, wall, cpu in steps))
        print(f"target: cold pull in {TARGET:.1f} s or less: {'met' if min(walls) <= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
