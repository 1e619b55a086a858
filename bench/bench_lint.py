"""Lint throughput on the generated workspace, cold (no cache) and warm (cache), through the
same code path as the command line (`xanoctl lint DIR --format json`).

    python bench/bench_lint.py [--functions 2000 --endpoints 1000 --tasks 100] [--repeat 3] [--jobs 0]

Writes the generated workspace (``xanoctl.seeds.generate``) to a temporary folder, one file
per object, with a ``xanoctl.lock`` so that it is linted as a pulled workspace. Each round
deletes ``.xanoctl/cache/`` and lints twice (cold, then warm), then changes one function and
lints again (one file re-parsed, cross-file rules over everything). Also times a warm run in a
fresh process (`python -m xanoctl lint ...`), which adds interpreter start-up and imports.
Targets: cold at least 50,000 lines/s; warm under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xanoctl.cli import main as cli
from xanoctl.seeds.generate import generate


def write_workspace(folder: Path, seed) -> int:
    lines = 0
    for number, obj in enumerate(seed.objects):
        path = folder / obj.kind / f"{number:05d}.xs"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(obj.xanoscript, encoding="utf-8")
        lines += obj.xanoscript.count("\n") + 1
    (folder / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return lines


def seed_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The size of the generated workspace, and how many rounds."""
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    return parser


def lint_once(workspace: Path, jobs: int) -> tuple[float, int]:
    args = ["lint", str(workspace), "--format", "json", "-o", os.devnull, "--jobs", str(jobs)]
    started = time.perf_counter()
    try:
        cli.main(args, standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return time.perf_counter() - started, code


def main() -> None:
    parser = seed_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core)")
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    home = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="xanoctl-bench-") as tmp:
        os.chdir(tmp)  # no xanoctl.yaml of the caller's repository applies
        workspace = Path(tmp) / "workspace"
        lines = write_workspace(workspace, seed)
        cache = Path(tmp) / ".xanoctl"
        some_function = next(workspace.joinpath("function").iterdir())
        original = some_function.read_text(encoding="utf-8")
        cold, warm, touched = [], [], []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            seconds, code = lint_once(workspace, args.jobs)
            cold.append(seconds)
            warm.append(lint_once(workspace, args.jobs)[0])
            some_function.write_text(original + "\n", encoding="utf-8")
            touched.append(lint_once(workspace, args.jobs)[0])
            some_function.write_text(original, encoding="utf-8")
            lint_once(workspace, args.jobs)
        script = Path(sys.executable).with_name("xanoctl")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]
        started = time.perf_counter()
        subprocess.run([*command, "lint", str(workspace), "--format", "json", "-o", os.devnull], check=False)
        fresh_process = time.perf_counter() - started
        os.chdir(home)

    best_cold, best_warm = min(cold), min(warm)
    print(f"objects          {len(seed.objects)}")
    print(f"lines            {lines:,}")
    print(f"cores            {os.cpu_count()} (jobs={args.jobs or 'auto'})")
    print(f"exit code        {code}")
    print(f"cold             {best_cold:.3f} s  ({lines / best_cold:,.0f} lines/s; "
          f"median {statistics.median(cold):.3f} s)   target >= 50,000 lines/s")
    print(f"warm             {best_warm:.3f} s  ({lines / best_warm:,.0f} lines/s; "
          f"median {statistics.median(warm):.3f} s)   target < 0.5 s")
    print(f"one file changed {min(touched):.3f} s")
    print(f"warm, new process {fresh_process:.3f} s (interpreter start-up and imports included)")


if __name__ == "__main__":
    main()
