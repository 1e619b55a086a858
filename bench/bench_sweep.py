"""What removing stray temporary files costs every pull, push and status: one walk of the
workspace folder (``xanoctl.atomic.sweep``).

    python bench/bench_sweep.py [--functions 2000 --endpoints 1000 --tasks 100] [--strays 500]

Pulls a generated workspace (``xanoctl.seeds.generate``) from the emulator into a temporary
folder, then times the sweep of the clean folder and of the folder with ``--strays`` temporary
files left by a killed pull (a dead writer). Target: a few milliseconds per thousand files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xanoctl.atomic import sweep
from xanoctl.emulator.server import run_in_thread
from xanoctl.seeds.generate import generate
from xanoctl.xano.client import XanoClient
from xanoctl.sync.pull import pull


def timed(folder: Path) -> tuple[float, int]:
    started = time.perf_counter()
    found = sweep(folder)
    return time.perf_counter() - started, len(found.removed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--strays", type=int, default=500)
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    with run_in_thread(seed=seed) as emulator, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "workspace"
        with XanoClient(emulator.base_url, emulator.token, emulator.workspace_id) as client:
            pull(client, folder)
        files = sum(1 for path in folder.rglob("*") if path.is_file())
        clean, _ = timed(folder)
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        targets = sorted(path for path in folder.rglob("*.xs"))[:args.strays]
        for path in targets:
            path.with_name(f".{path.name}.xanoctl-{dead}-1.tmp").write_bytes(path.read_bytes())
        dirty, removed = timed(folder)
        print(f"workspace: {files} files")
        print(f"sweep, nothing to remove: {clean * 1000:.1f} ms")
        print(f"sweep, {len(targets)} strays of a dead pull: {dirty * 1000:.1f} ms, {removed} removed")


if __name__ == "__main__":
    main()
