"""`xanoctl compare` of two generated workspaces (3,142 documents each) that differ in a few
hundred objects, timed as a whole process (start-up included), cold (no cache).

    python bench/bench_compare.py [--changed 300] [--repeat 3]

Side B is side A with ``--changed`` objects edited (a statement added, an input retyped, a
task's frequency changed, in turn), 30 removed and 30 added. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_workspace import generate, relative_path  # noqa: E402


def write(folder: Path, seed) -> list[Path]:
    paths = []
    for obj in seed.objects:
        path = folder / relative_path(obj)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(obj.xanoscript, encoding="utf-8")
        paths.append(path)
    return paths


def mutate(folder: Path, changed: int, rng: random.Random) -> int:
    paths = sorted(folder.rglob("*.xs"))
    edits = 0
    for number, path in enumerate(rng.sample(paths, changed)):
        text = path.read_text(encoding="utf-8")
        if path.parts[-2] == "task" and "freq: " in text:
            new = text.replace("freq: ", "freq: 1", 1)
        elif number % 2 and "    int " in text:
            new = text.replace("    int ", "    text ", 1)
        else:
            new = text.replace("  stack {\n", "  stack {\n    debug.log {\n      value = 1\n    }\n", 1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            edits += 1
    remaining = [p for p in paths if p.parts[-2] != "task" and "api_group" not in p.name]
    for path in rng.sample(remaining, 30):
        path.unlink(missing_ok=True)
    for number in range(30):
        extra = folder / "function" / "Bench" / f"Added {number}.xs"
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_text(f'function "Bench/Added {number}" {{\n  input {{\n  }}\n  stack {{\n  }}\n'
                         f'  response = null\n}}\n', encoding="utf-8")
    return edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changed", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seed = generate(functions=2000, endpoints=1000, tasks=100, tables=20)
    script = Path(sys.executable).with_name("xanoctl")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]
    with tempfile.TemporaryDirectory(prefix="xanoctl-bench-") as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        write(a, seed)
        shutil.copytree(a, b)
        edits = mutate(b, args.changed, random.Random(7))
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            out = subprocess.run([*command, "compare", str(a), str(b), "--format", "json"], cwd=tmp,
                                 capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
        data = json.loads(out.stdout)
    print(f"documents        {len(seed.objects)} per side")
    print(f"edited           {edits} objects, 30 removed, 30 added")
    print(f"found            {len(data['changed'])} changed, {len(data['only_a'])} only in A, "
          f"{len(data['only_b'])} only in B, {data['same']} the same")
    print(f"compare          {min(times):.3f} s (median {statistics.median(times):.3f} s)   target < 2 s")


if __name__ == "__main__":
    main()
