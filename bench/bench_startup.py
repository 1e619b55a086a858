"""Start-up time of whole ``xanoctl`` processes: ``xanoctl --help`` and a warm ``xanoctl lint``.

    python bench/bench_startup.py [--runs 20] [--xanoctl PATH] [--workspace workspace/]

Copies the workspace (default: the demo ``workspace/`` of this repository) into a temporary
folder, lints it once to fill the cache, then times ``runs`` runs of each command as a separate
process (the console script next to this Python, or ``--xanoctl``) and prints the best and the
median wall times and the best CPU time (user + system), beside a bare ``python -c pass``.
Targets: ``--help`` under 0.1 s, a warm lint of an unchanged workspace under 0.15 s.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"xanoctl --help": 0.10, "xanoctl lint (warm)": 0.15}


def timed(command: list[str], cwd: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system) of ``runs`` runs of ``command``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - before)
    return walls, cpus


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--xanoctl", help="the xanoctl executable (default: the one beside this Python)")
    parser.add_argument("--workspace", default=str(Path(__file__).resolve().parent.parent / "workspace"))
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "xanoctl"
    xanoctl = [args.xanoctl] if args.xanoctl else ([str(beside)] if beside.exists() else
                                                   [sys.executable, "-m", "xanoctl"])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(args.workspace, root / "workspace")
        subprocess.run([*xanoctl, "lint"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = {
            "python -c pass": timed([sys.executable, "-c", "pass"], root, args.runs),  # the floor
            "xanoctl --help": timed([*xanoctl, "--help"], root, args.runs),
            "xanoctl lint (warm)": timed([*xanoctl, "lint"], root, args.runs),
        }
    for name, (walls, cpus) in results.items():
        target = TARGETS.get(name)
        verdict = ("; target under " + f"{target * 1000:.0f} ms: " + ("met" if min(walls) < target else "MISSED")
                   if target else "")
        print(f"{name:<22} best {min(walls) * 1000:4.0f} ms, median {statistics.median(walls) * 1000:4.0f} ms "
              f"(CPU best {min(cpus) * 1000:4.0f} ms) over {len(walls)} runs{verdict}")


if __name__ == "__main__":
    main()
