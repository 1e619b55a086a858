"""The language server on the generated workspace, through the real server process over stdio
(the same client as tests/test_lsp.py).

    python bench/bench_lsp.py [--functions 2000 --endpoints 1000 --tasks 100] [--repeat 3] [--keys 40]

Writes the generated workspace (as bench_lint.py does, 3,142 documents by default) with a
500-line function and a worker called by five open callers, then measures:

- start-up: ``initialize`` sent to the first diagnostics of an open document, cold (no lint
  cache) and with the cache the first start left;
- a keystroke in the 500-line function to its diagnostics (debounce included): each key turns a
  read of a defined variable into one of an undefined one and back, so that every key changes
  the diagnostics (a change that does not is not published);
- a change of the worker's inputs (unsaved) to the diagnostics of its five open callers.

Targets (issue 24): start-up under 2 s cold and 0.5 s with the cache; a keystroke under 100 ms
median; an input change to the callers under 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_lint import seed_arguments, write_workspace  # noqa: E402
from lspclient import editor  # noqa: E402

from xanoctl.seeds.generate import generate  # noqa: E402

LONG = "function/Bench/Long.xs"
WORKER = "function/Bench/Worker.xs"
CALLERS = [f"function/Bench/Caller {number}.xs" for number in range(5)]


def long_function(lines: int = 500) -> str:
    """A function of about ``lines`` lines: inputs, then vars that each read the one before."""
    out = ['function "Bench/Long" {', "  input {", "    int a", "    text b?", "  }", "  stack {",
           "    var $v0 { value = $input.a }"]
    number = 1
    while len(out) < lines - 3:
        out += [f"    var $v{number} {{", f"      value = $v{number - 1} + $input.a", "    }"]
        number += 1
    out += ["  }", f"  response = $v{number - 1}", "}"]
    return "\n".join(out) + "\n"


def worker(name: str) -> str:
    return (f'function "Bench/Worker" {{\n  input {{\n    int {name}\n  }}\n  stack {{\n  }}\n'
            f'  response = {{success: true, data: {{n: $input.{name}}}, error: null}}\n}}\n')


def caller(number: int) -> str:
    return (f'function "Bench/Caller {number}" {{\n  stack {{\n    function.run "Bench/Worker" {{\n'
            f'      input = {{agent_id: {number}}}\n    }} as $r\n  }}\n  response = $r\n}}\n')


async def _first_diagnostics(root: Path) -> tuple[float, float]:
    """Seconds from starting the server process, and from sending ``initialize`` (once the
    process is up and listening), to the first diagnostics of an open document."""
    marks: dict[str, float] = {"spawn": time.perf_counter()}
    async with editor(root, marks=marks) as ed:
        uri = ed.open(LONG)
        await ed.diagnostics(uri, wait=120)
        done = time.perf_counter()
        return done - marks["spawn"], done - marks["initialize"]


async def _keystrokes(root: Path, keys: int) -> list[float]:
    times = []
    async with editor(root) as ed:
        uri = ed.open(LONG)
        await ed.diagnostics(uri, wait=120)
        at = ed.where(uri, "value = $v10 ", 10)  # just after `$v1`: typing `9` reads the undefined $v19x
        text = ed.texts[uri]
        for number in range(keys):
            bad = number % 2 == 0
            wanted = (lambda d: any(x.code == "VR001" for x in d)) if bad else (lambda d: not d)
            started = time.perf_counter()
            if bad:
                ed.type(uri, at.line, at.character + 1, "x")
            else:
                ed.change(uri, text)
            await ed.diagnostics(uri, wanted, wait=30)
            times.append(time.perf_counter() - started)
            await asyncio.sleep(0.15)  # a typist's pace: each key is checked on its own
    return times


async def _input_changes(root: Path, rounds: int) -> list[float]:
    times = []
    async with editor(root) as ed:
        callers = [ed.open(path) for path in CALLERS]
        callee = ed.open(WORKER)
        for uri in callers:
            await ed.diagnostics(uri, lambda d: not d, wait=120)
        for number in range(rounds):
            broken = number % 2 == 0
            started = time.perf_counter()
            ed.change(callee, worker("ad_user_id" if broken else "agent_id"))
            for uri in callers:
                await ed.diagnostics(uri, (lambda d: bool(d)) if broken else (lambda d: not d), wait=30)
            times.append(time.perf_counter() - started)
            await asyncio.sleep(0.15)
    return times


def _shape(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"median {statistics.median(times) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
            f"best {ordered[0] * 1000:.0f} ms ({len(times)} runs)")


def main() -> None:
    parser = seed_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--keys", type=int, default=40, help="keystrokes measured")
    args = parser.parse_args()
    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    home = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="xanoctl-bench-lsp-") as tmp:
        os.chdir(tmp)
        root = Path(tmp) / "workspace"
        lines = write_workspace(root, seed)
        bench = root / "function" / "Bench"
        bench.mkdir(parents=True)
        (root / LONG).write_text(long_function(), encoding="utf-8")
        (root / WORKER).write_text(worker("agent_id"), encoding="utf-8")
        for number, path in enumerate(CALLERS):
            (root / path).write_text(caller(number), encoding="utf-8")
        documents = sum(1 for _ in root.rglob("*.xs"))
        cold, warm = [], []
        for _ in range(args.repeat):
            shutil.rmtree(Path(tmp) / ".xanoctl", ignore_errors=True)
            cold.append(asyncio.run(_first_diagnostics(root)))
            warm.append(asyncio.run(_first_diagnostics(root)))
        cold_spawn, cold_init = zip(*cold)
        warm_spawn, warm_init = zip(*warm)
        keys = asyncio.run(_keystrokes(root, args.keys))
        inputs = asyncio.run(_input_changes(root, max(args.keys // 2, 4)))
        os.chdir(home)
    print(f"documents        {documents} ({lines:,} lines), cores {os.cpu_count()}")
    for label, init, spawn, target in (("cold", cold_init, cold_spawn, "2 s"), ("cached", warm_init, warm_spawn, "0.5 s")):
        print(f"start, {label:<9} initialize -> diagnostics: best {min(init):.2f} s, median "
              f"{statistics.median(init):.2f} s; from the process start: best {min(spawn):.2f} s, median "
              f"{statistics.median(spawn):.2f} s   target < {target}")
    print(f"keystroke        {_shape(keys)}   target median < 100 ms")
    print(f"inputs -> 5 open callers  {_shape(inputs)}   target < 250 ms")


if __name__ == "__main__":
    main()
