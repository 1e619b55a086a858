"""Cost of the official layout and of adopting an official CLI's tree, against the emulator.

    python bench/bench_adopt.py [--functions 2000 --endpoints 1000 --tasks 100] [--latency-ms 50]

Generates a workspace (``xanoctl.seeds.generate``), serves it from the emulator on 127.0.0.1
with ``latency-ms`` added to every request, and times: a cold pull in the readable layout, a
cold pull in the official layout, and a pull into a copy of the official tree without its
``xanoctl.lock``, every file adopted where it lies and none written: with the official layout
set (each file found where the layout puts it, nothing parsed) and with the readable layout set
(each file parsed for its identity).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from xanoctl.config import HttpSettings
from xanoctl.emulator.server import run_in_thread
from xanoctl.seeds.generate import generate
from xanoctl.xano.client import XanoClient
from xanoctl.sync.manifest import MANIFEST_NAME
from xanoctl.sync.pull import pull


def timed_pull(emulator, folder: Path, layout: str):
    started = time.perf_counter()
    with XanoClient(emulator.base_url, emulator.token, emulator.workspace_id, http=HttpSettings()) as client:
        result = pull(client, folder, layout=layout)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    with run_in_thread(seed=seed, faults=f"latency-ms={args.latency_ms}") as emulator, \
            tempfile.TemporaryDirectory() as tmp:
        print(f"workspace: {len(seed.objects)} objects; latency {args.latency_ms} ms per request")
        readable, result = timed_pull(emulator, Path(tmp) / "readable", "readable")
        print(f"cold pull, readable layout: {readable:.2f} s, {len(result.added)} files written")
        official, result = timed_pull(emulator, Path(tmp) / "official", "official")
        print(f"cold pull, official layout: {official:.2f} s, {len(result.added)} files written")
        for layout in ("official", "readable"):
            shutil.copytree(Path(tmp) / "official", Path(tmp) / layout / "adopt")
            (Path(tmp) / layout / "adopt" / MANIFEST_NAME).unlink()
            adopted, result = timed_pull(emulator, Path(tmp) / layout / "adopt", layout)
            kept = sum(1 for change in result.added if change.reason == "adopted")
            print(f"pull into the official tree without xanoctl.lock, {layout} layout set: {adopted:.2f} s, "
                  f"{kept} files adopted, {len(result.written)} written ({', '.join(result.written)})")


if __name__ == "__main__":
    main()
