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

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_push import arguments, edit, medians, pulled, run  # noqa: E402


def timed(emu, args: list[str]) -> tuple[float, int]:
    before = emu.request_count()
    started = time.perf_counter()
    code = run(args)
    elapsed = time.perf_counter() - started
    assert code == 0, f"{' '.join(args)} failed"
    return elapsed, emu.request_count() - before


def one_round(objects: int, latency_ms: int, concurrency: int) -> dict[str, float]:
    with pulled(objects, concurrency) as (emu, folder):
        emu.set_faults(f"latency-ms={latency_ms}")
        edit(folder, "a")
        per_object, per_object_requests = timed(emu, ["push", "--dir", str(folder)])
        edit(folder, "b")
        transaction, transaction_requests = timed(emu, ["push", "--transaction", "--dir", str(folder)])
        return {"per_object": per_object, "per_object_requests": per_object_requests,
                "transaction": transaction, "transaction_requests": transaction_requests}


def main() -> None:
    med = medians(one_round, arguments(__doc__))
    print(f"  object by object:  {med['per_object']:.2f} s ({med['per_object_requests']:.0f} requests)")
    print(f"  --transaction:     {med['transaction']:.2f} s ({med['transaction_requests']:.0f} requests)")


if __name__ == "__main__":
    main()
