"""`xanoctl graph --format json`, `xanoctl tasks --json` and `xanoctl docs --out DIR` on the
generated workspace, cold (no lint cache) and warm (cache), through the command line in a fresh
process each time.

    python bench/bench_views.py [--functions 2000 --endpoints 1000 --tasks 100] [--repeat 3] [--several 2]

``--several N``: N copies of the workspace side by side (``tree/w1``...), the commands run on
``tree`` (one graph, task list and manual per workspace).

Writes the generated workspace (``xanoctl.seeds.generate``, 3,142 documents with the defaults)
the way bench_lint.py does. Each round deletes ``.xanoctl/cache/`` and runs each command twice
(cold, then warm), the commands in turn; `xanoctl lint` of the same workspace is timed beside
them, for what the views add to reading the workspace. The process time (user + system,
children included) is printed beside the wall time: on a shared machine the wall time depends
on the neighbours. Target: graph and docs under 3 s each, cold.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_lint import seed_arguments, write_workspace

from xanoctl.seeds.generate import generate


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = seed_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--several", type=int, default=0, help="N workspaces side by side")
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    script = Path(sys.executable).with_name("xanoctl")
    xanoctl = [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]
    target = "tree" if args.several else "workspace"
    commands = {"graph --format json": ["graph", target, "--format", "json"],
                "tasks --json": ["tasks", target, "--json"],
                "docs --out DIR": ["docs", target, "--out", "manual"],
                # the same parse, for comparison: what the views add on top of it
                "lint --format json": ["lint", target, "--format", "json"]}
    with tempfile.TemporaryDirectory(prefix="xanoctl-bench-") as tmp:
        folder = Path(tmp)
        if args.several:
            lines = sum(write_workspace(folder / "tree" / f"w{n + 1}", seed) for n in range(args.several))
        else:
            lines = write_workspace(folder / "workspace", seed)
        print(f"documents        {len(seed.objects) * max(1, args.several or 0):,}")
        print(f"lines            {lines:,}")
        print(f"cores            {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.repeat):  # the commands in turn, so that all see the same minutes
            for label, command in commands.items():
                shutil.rmtree(folder / ".xanoctl", ignore_errors=True)
                runs.setdefault((label, "cold"), []).append(timed(xanoctl + command, folder))
                runs.setdefault((label, "warm"), []).append(timed(xanoctl + command, folder))
        for (label, name), timings in runs.items():
            best = min(timings)
            goal = "   target < 3 s cold" if label.split()[0] in ("graph", "docs") else ""
            print(f"{label:<20} {name}  {best[0]:.2f} s wall, {best[1]:.2f} s cpu "
                  f"(median {statistics.median(r[0] for r in timings):.2f} s wall){goal}")
        manual = folder / "manual"
        pages = [path for path in manual.rglob("*.md")]
        print(f"manual           {len(pages)} pages, {sum(path.stat().st_size for path in pages):,} bytes")


if __name__ == "__main__":
    main()
