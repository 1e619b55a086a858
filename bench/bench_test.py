"""`xanoctl test` of many unit tests against the emulator, each run taking a fixed time,
through the command line.

    python bench/bench_test.py [--tests 500] [--run-ms 50] [--concurrency 8] [--repeat 3]

Each round writes an emulator state holding functions with five `test` blocks each (``--tests``
in all), every run scripted to take ``--run-ms`` before it answers `ok`, serves it from its own
process (`xanoctl emulator --state`: real HTTP on 127.0.0.1, and no GIL shared with the client,
as with a real instance), pulls it into a temporary folder (so that every result is tied to its
line), and times `xanoctl test --concurrency N --format json` in this process: listing every
page, reading the tree, running each test, the verdicts and the report. Target (design.md): 500 unit tests at 50 ms
per run with concurrency 8 under 4 s (the runs alone take 500 x 50 ms / 8 = 3.1 s).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xanoctl.cli import main as cli
from xanoctl.emulator.server import bind
from xanoctl.emulator.state import EmulatorState

PER_FUNCTION = 5


def source(name: str) -> str:
    tests = "".join(f'\n  test "case {n}" {{\n    input = {{a: {n}}}\n    expect.to_equal ($response) {{\n'
                    f"      value = {n}\n    }}\n  }}\n" for n in range(PER_FUNCTION))
    return (f'function "{name}" {{\n  input {{\n    int a\n  }}\n  stack {{\n    var $x {{\n      value = $input.a\n'
            f"    }}\n  }}\n  response = $x\n{tests}}}")


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main(args, standalone_mode=False)
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


@contextlib.contextmanager
def serving(tmp: Path, functions: int, run_ms: int):
    """An emulator process serving ``functions`` functions with their tests; the CLI's
    environment pointing at it."""
    state = EmulatorState.create(token="bench-token", state_file=tmp / "state.json")
    branch = state.store.workspace(1).live
    delay = {"status": "ok", "delay": run_ms / 1000}
    for number in range(functions):
        name = f"Bench/f{number:03d}"
        obj = state.store.add(branch, "function", name, source(name))
        obj.outcomes.update({f"test:case {n}": delay for n in range(PER_FUNCTION)})
    state.save()
    sock = bind(0)
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen([sys.executable, "-m", "xanoctl", "emulator", "--state", str(tmp / "state.json"),
                               "--token", "bench-token", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = server.stdout.readline().split("=", 1)[1].strip()  # export XANO_INSTANCE=...
        yield {"XANO_INSTANCE": base, "XANO_WORKSPACE": "1", "XANO_TOKEN": "bench-token", "XANO_BRANCH": "",
               "XANOCTL_CREDENTIALS": str(tmp / "none")}
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=500)
    parser.add_argument("--run-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times = []
    functions = -(-args.tests // PER_FUNCTION)
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp), functions, args.run_ms) as env:
            os.environ.update(env)
            folder = Path(tmp) / "workspace"
            assert run(["pull", "--dir", str(folder)])[0] == 0
            started = time.perf_counter()
            code, output = run(["test", "--dir", str(folder), "--concurrency", str(args.concurrency),
                                "--format", "json"])
            elapsed = time.perf_counter() - started
            report = json.loads(output)
            assert code == 0 and report["passed"] == PER_FUNCTION * functions, \
                (report["passed"], report["failed"], report["results"][:1])
            assert all(result["path"] and result["line"] for result in report["results"])
            times.append(elapsed)
    floor = args.tests * args.run_ms / 1000 / args.concurrency
    print(f"xanoctl test: {args.tests} unit tests, {args.run_ms} ms per run, concurrency {args.concurrency}: "
          f"median {statistics.median(times):.2f} s (best {min(times):.2f} s; the runs alone {floor:.2f} s)")


if __name__ == "__main__":
    main()
