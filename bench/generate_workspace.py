"""Write a generated Xano workspace to disk, in the workspace tree of design.md, for benchmarks.

    python bench/generate_workspace.py OUT_DIR [--functions N] [--endpoints N] [--tasks N]
                                               [--tables N] [--seed N] [--plant-bugs]

Layout: function/<folders>/<name>.xs (each "/" of a name is a folder level), task/<name>.xs,
api/<group>/api_group.xs, api/<group>/<path...>/<leaf>_<VERB>.xs, table/<name>.xs,
middleware/<name>.xs. Characters unsafe in file names are replaced by "_" ("{id}" -> "_id_").
This mapping is only for benchmarks; `xanoctl pull` has its own. With --plant-bugs the list of
planted bugs is written to OUT_DIR/planted.json, paths relative to OUT_DIR.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    from xanoctl.seeds import SeedObject
    from xanoctl.seeds.generate import generate
except ImportError:  # not installed: use the source tree this script lives in
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from xanoctl.seeds import SeedObject
    from xanoctl.seeds.generate import generate

UNSAFE = re.compile(r'[{}<>:"\\|?*\x00-\x1f]')


def safe(segment: str) -> str:
    segment = UNSAFE.sub("_", segment).strip()
    return "_" if segment in ("", ".", "..") else segment


def relative_path(obj: SeedObject) -> Path:
    parts = [safe(part) for part in obj.name.split("/")]
    if obj.kind == "function":
        return Path("function", *parts[:-1], parts[-1] + ".xs")
    if obj.kind == "query":
        return Path("api", safe(obj.group or "_"), *parts[:-1], f"{parts[-1]}_{obj.verb}.xs")
    if obj.kind == "api_group":
        return Path("api", safe(obj.name), "api_group.xs")
    return Path(obj.kind, safe(obj.name.replace("/", "_")) + ".xs")  # task, table, middleware


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plant-bugs", action="store_true")
    args = parser.parse_args(argv)

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks, tables=args.tables,
                    seed=args.seed, plant_bugs=args.plant_bugs)
    written: dict[Path, SeedObject] = {}
    paths: dict[int, Path] = {}
    for obj in seed.objects:
        path = relative_path(obj)
        number = 2
        while path in written:
            path = path.with_name(f"{path.stem}~{number}{path.suffix}")
            number += 1
        written[path] = obj
        paths[id(obj)] = path
        target = args.out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(obj.xanoscript, encoding="utf-8")
    if args.plant_bugs:
        planted = [{"path": paths[id(seed.object_of(bug))].as_posix(), "code": bug.code, "line": bug.line,
                    "column": bug.column, "note": bug.note} for bug in seed.planted]
        (args.out_dir / "planted.json").write_text(json.dumps(planted, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(written)} files, {seed.line_count:,} lines to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
