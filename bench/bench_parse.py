"""Parse throughput on a generated, realistic workspace (one process, one core).

    python bench/bench_parse.py [--functions 2000 --endpoints 1000 --tasks 100] [--repeat 3]

Generates the workspace in memory (``xanoctl.seeds.generate``), compiles the grammar once,
then parses every document ``--repeat`` times and prints lines, documents and lines per
second for the best run. Target: at least 50,000 lines per second.

``--digest``: also print a digest of every model built (the generated documents, then every
``.xs`` of ``../shared/corpus`` when it is there, syntax errors included): a change meant only
to make the parser faster must leave it unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.parser import _parser, parse_document, parse_documents
from xanoctl.seeds.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--digest", action="store_true", help="print a digest of the models built")
    args = parser.parse_args()

    seed = generate(functions=args.functions, endpoints=args.endpoints, tasks=args.tasks)
    texts = [obj.xanoscript for obj in seed.objects]
    lines = sum(text.count("\n") + 1 for text in texts)

    started = time.perf_counter()
    _parser()
    compile_seconds = time.perf_counter() - started

    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            parse_document(text)
        best = min(best, time.perf_counter() - started)

    print(f"documents        {len(texts)}")
    print(f"lines            {lines}")
    print(f"grammar load     {compile_seconds:.3f} s")
    print(f"parse (best of {args.repeat}) {best:.3f} s")
    print(f"throughput       {lines / best:,.0f} lines/s (one core)")
    if args.digest:
        print(f"models digest    {models_digest(texts)}")


def models_digest(texts: list[str]) -> str:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    files = sorted(corpus.rglob("*.xs")) if corpus.is_dir() else []
    digest = hashlib.sha256()
    for text in [*texts, *(path.read_text(encoding="utf-8", errors="replace") for path in files)]:
        try:
            digest.update(repr(parse_documents(text)).encode())
        except XanoSyntaxError as error:
            digest.update(f"error {error}".encode())
    return f"{digest.hexdigest()[:16]} ({len(texts)} generated, {len(files)} corpus files)"


if __name__ == "__main__":
    main()
