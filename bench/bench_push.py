"""Push of many changed objects against the emulator with per-request latency, and the time to
restore after a failure at the last write, through the command line (`xanoctl push`).

    python bench/bench_push.py [--objects 50] [--latency-ms 50] [--repeat 3] [--concurrency 8]

Each round starts an emulator (in a thread, real HTTP on 127.0.0.1) holding ``--objects``
functions, pulls them into a temporary folder, edits every file and times `xanoctl push`
(plan with a GET per object, lint gate, journal with snapshots, writes, manifest). Then it
edits every file again, breaks the last one (a syntax error Xano rejects with a 400) and times
`xanoctl push --no-lint`: every earlier write is restored and verified by reading back; the
restore time is measured from the journal (its ``restore`` and ``end`` events).
Target (design.md): a push of 50 changed objects with 50 ms latency under 5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from xanoctl.cli import main as cli
from xanoctl.emulator.server import RunningEmulator, run_in_thread
from xanoctl.emulator.testing import function_source


def run(args: list[str]) -> int:
    """The command in this process, its report thrown away."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            cli.main(args, standalone_mode=False)
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


def edit(folder: Path, marker: str) -> list[Path]:
    files = sorted((folder / "function" / "Bench").glob("*.xs"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  stack {\n", f"  stack {{\n    var $m_{marker} {{\n      value = 1\n    }}\n", 1),
                        encoding="utf-8")
    return files


@contextlib.contextmanager
def pulled(objects: int, concurrency: int) -> Iterator[tuple[RunningEmulator, Path]]:
    """An emulator holding ``objects`` functions and a folder they were pulled into, the CLI's
    environment pointing at it."""
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
            yield emu, folder
    finally:
        emu.stop()


def arguments(doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--objects", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    return parser.parse_args()


def medians(round_: Callable[[int, int, int], dict[str, float]], args: argparse.Namespace) -> dict[str, float]:
    """The median of each figure over ``args.repeat`` rounds, after printing what was measured."""
    rounds = [round_(args.objects, args.latency_ms, args.concurrency) for _ in range(args.repeat)]
    print(f"push of {args.objects} changed objects, {args.latency_ms} ms latency per request, "
          f"{args.concurrency} requests in flight (median of {args.repeat}):")
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def one_round(objects: int, latency_ms: int, concurrency: int) -> dict[str, float]:
    with pulled(objects, concurrency) as (emu, folder):
        edit(folder, "a")
        emu.set_faults(f"latency-ms={latency_ms}")
        before = emu.request_count()
        started = time.perf_counter()
        code = run(["push", "--dir", str(folder)])
        push_time = time.perf_counter() - started
        requests = emu.request_count() - before
        assert code == 0, "the push failed"
        files = edit(folder, "b")
        last = files[-1]
        last.write_text(last.read_text(encoding="utf-8").replace("  input {\n", "  input {\n    int = =\n", 1),
                        encoding="utf-8")
        started = time.perf_counter()
        code = run(["push", "--dir", str(folder), "--no-lint"])
        failed_time = time.perf_counter() - started
        assert code == 1, "the broken push did not fail"
        journal = sorted((folder.parent / ".xanoctl" / "pushes").glob("*.jsonl"))[-1]
        events = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()[1:]]
        begin = next(e["at"] for e in events if e["type"] == "restore")
        end = next(e for e in events if e["type"] == "end")
        assert end["outcome"] == "restored", end
        restored = sum(1 for e in events if e["type"] == "restored" and e.get("how") == "restored")
        return {"push": push_time, "requests": requests, "failed_push": failed_time,
                "restore": end["at"] - begin, "restored": restored}


def main() -> None:
    med = medians(one_round, arguments(__doc__))
    print(f"  push:                   {med['push']:.2f} s ({med['requests']:.0f} requests; target < 5 s)")
    print(f"  push failing at the last write: {med['failed_push']:.2f} s in all, of which restoring "
          f"{med['restored']:.0f} objects (PUT + read back each): {med['restore']:.2f} s")


if __name__ == "__main__":
    main()
