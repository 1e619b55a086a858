"""Pull wall time against the emulator with per-request latency.

    python bench/bench_pull.py [--functions 2000 --endpoints 1000 --tasks 100] [--latency-ms 50]
                               [--per-page 100] [--concurrency 8] [--lookahead 4]

Generates a workspace (``xanoctl.seeds.generate``), serves it from the emulator on 127.0.0.1
with ``latency-ms`` added to every request, pulls it into a temporary folder (cold), pulls
again (nothing changed), and prints wall times, pages consumed and requests seen by the
emulator. Target: the cold pull under 2 s, with requests close to pages.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from xanoctl.sync.client import XanoClient
from xanoctl.config import HttpSettings
from xanoctl.emulator.server import run_in_thread
from xanoctl.sync.pull import pull
from xanoctl.seeds.generate import generate


def timed_pull(emulator, folder: Path, http: HttpSettings):
    before = emulator.request_count()
    started = time.perf_counter()
    with XanoClient(emulator.base_url, emulator.token, emulator.workspace_id, http=http) as client:
        result = pull(client, folder)
        stats = client.stats
    return time.perf_counter() - started, result, stats, emulator.request_count() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--per-page", type=int, default=HttpSettings.per_page)
    parser.add_argument("--concurrency", type=int, default=HttpSettings.concurrency)
    parser.add_argument("--lookahead", type=int, default=HttpSettings.lookahead)
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    lines = sum(obj.xanoscript.count("\n") + 1 for obj in seed.objects)
    http = HttpSettings(per_page=args.per_page, concurrency=args.concurrency, lookahead=args.lookahead)
    with run_in_thread(seed=seed, faults=f"latency-ms={args.latency_ms}") as emulator, \
            tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "workspace"
        cold, result, stats, seen = timed_pull(emulator, folder, http)
        print(f"workspace: {len(seed.objects)} objects, {lines} lines; latency {args.latency_ms} ms per request; "
              f"per_page {args.per_page}, concurrency {args.concurrency}, lookahead {args.lookahead}")
        print(f"cold pull: {cold:.2f} s, {len(result.added)} files written; {stats.pages} pages, "
              f"{seen} requests seen by the emulator ({stats.requests} sent, {stats.discarded} speculative "
              f"pages cancelled or discarded, {stats.retries} retries)")
        warm, result, stats, seen = timed_pull(emulator, folder, http)
        print(f"second pull (nothing changed): {warm:.2f} s, wrote nothing: {result.wrote_nothing}; "
              f"{stats.pages} pages, {seen} requests")
        print(f"target: cold pull under 2 s: {'met' if cold < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
