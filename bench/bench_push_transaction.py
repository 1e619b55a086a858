"""`xanoctl push` object by object against `xanoctl push --transaction` (one multidoc import),
through the command line against the emulator with per-request latency.

    python bench/bench_push_transaction.py [--objects 50] [--latency-ms 50] [--repeat 3]
                                           [--concurrency 8]

Each round starts an emulator holding ``--objects`` functions, pulls them, edits every file
and times `xanoctl push`, then edits every file again and times `xanoctl push --transaction`
(plan with a GET per object, lint gate, Xano's dry-run, journal, one import, read back by
listing, manifest), counting the requests each sends. ``--concurrency 1`` stands for a
rate-limited workspace, where the number of requests is what costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_push import edit, run  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402
from xanoctl.emulator.testing import function_source  # noqa: E402


def timed(emu, args: list[str]) -> tuple[float, int]:
    before = emu.request_count()
    started = time.perf_counter()
    code = run(args)
    elapsed = time.perf_counter() - started
    assert code == 0, f"{' '.join(args)} failed"
    return elapsed, emu.request_count() - before


def one_round(objects: int, latency_ms: int, concurrency: int) -> dict[str, float]:
    emu = run_in_thread()
    try:
        for number in range(objects):
            name = f"Bench/f{number:03d}"
            emu.add("function", name, function_source(name, f'"{name}"'))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "workspace"
            os.environ.update({"XANO_INSTANCE": emu.base_url, "XANO_WORKSPACE": str(emu.workspace_id),
                               "XANO_TOKEN": emu.token, "XANO_BRANCH": "",
                               "XANOCTL_HTTP_CONCURRENCY": str(concurrency),
                               "XANOCTL_CREDENTIALS": str(Path(tmp) / "none")})
            assert run(["pull", "--dir", str(folder)]) == 0
            emu.set_faults(f"latency-ms={latency_ms}")
            edit(folder, "a")
            per_object, per_object_requests = timed(emu, ["push", "--dir", str(folder)])
            edit(folder, "b")
            transaction, transaction_requests = timed(emu, ["push", "--transaction", "--dir", str(folder)])
            return {"per_object": per_object, "per_object_requests": per_object_requests,
                    "transaction": transaction, "transaction_requests": transaction_requests}
    finally:
        emu.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    rounds = [one_round(args.objects, args.latency_ms, args.concurrency) for _ in range(args.repeat)]
    med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(f"push of {args.objects} changed objects, {args.latency_ms} ms latency per request, "
          f"{args.concurrency} requests in flight (median of {args.repeat}):")
    print(f"  object by object:  {med['per_object']:.2f} s ({med['per_object_requests']:.0f} requests)")
    print(f"  --transaction:     {med['transaction']:.2f} s ({med['transaction_requests']:.0f} requests)")


if __name__ == "__main__":
    main()
