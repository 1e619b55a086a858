"""The lint cache, under ``.xanoctl/cache/`` (git-ignored).

Two files:

- ``lint-files.pickle``: per file (absolute path), the content digest and the :class:`FileResult`
  of its last analysis, pickled on its own (:func:`pack`: the worker process that analysed it
  packs it once, for the trip to the parent and for the cache). A changed file is analysed
  again; the others are unpacked as they are, and the cross-file rules run over all of them.
- ``lint-run-<scope>.pickle``: the raw findings of the last whole run over a scope, with the
  digest of every file's content. When nothing changed, this is all a run reads.

Both are keyed by the xanoctl version, a fingerprint of the linter's own code and grammar, and
the rule options; a different key discards them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from typing import TYPE_CHECKING

import xanoctl
from xanoctl.atomic import write_atomic

if TYPE_CHECKING:
    from xanoctl.lint.facts import FileResult

FOLDER = Path(".xanoctl") / "cache"
MAX_RUNS = 16
_FORMAT = 9


# what reading a missing, old or damaged cache file or entry may raise: it is only a cache
_DAMAGED = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
            ValueError)


def pack(result: FileResult) -> bytes:
    """One file's result as the cache stores it."""
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> FileResult:
    """The result :func:`pack` made."""
    return pickle.loads(data)


def digest(data: bytes) -> str:
    """The content key of a file's cached analysis."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def code_fingerprint() -> str:
    """Changes when the linter, the parser or the grammar change (size and mtime of their
    files; any top-level module counts, to be safe)."""
    package = Path(xanoctl.__file__).resolve().parent
    parts = [xanoctl.__version__, str(_FORMAT)]
    # the language (parser, lalr, build, model...), the semantic model and the linter itself
    candidates = [*package.glob("*.py"), package / "grammar" / "xanoscript.lark",
                  package.parent / "grammar" / "xanoscript.lark"]
    for layer in ("language", "semantics", "lint"):
        for root, _, names in os.walk(package / layer):
            candidates.extend(Path(root) / name for name in names if name.endswith(".py"))
    for path in sorted(candidates):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


class LintCache:
    def __init__(self, folder: Path, key: str):
        self.folder = Path(folder)
        self.key = key
        self._files: dict[str, tuple[str, bytes]] | None = None  # path -> (digest, packed result)

    # ------------------------------------------------------------------ whole runs

    def last_run(self, scope: str, digest: str):
        data = self._load(self._run_path(scope))
        if data and data.get("key") == self.key and data.get("digest") == digest:
            return data.get("payload")
        return None

    def save_run(self, scope: str, digest: str, payload) -> None:
        self._dump(self._run_path(scope), {"key": self.key, "digest": digest, "payload": payload})
        runs = sorted(self.folder.glob("lint-run-*.pickle"), key=_mtime, reverse=True)
        for stale in runs[MAX_RUNS:]:  # one per scope linted; keep the most recent
            stale.unlink(missing_ok=True)

    # ------------------------------------------------------------------ per file

    def files(self) -> dict[str, tuple[str, bytes]]:
        if self._files is None:
            data = self._load(self.folder / "lint-files.pickle")
            self._files = data["files"] if data and data.get("key") == self.key else {}
        return self._files

    def get(self, path: str, digest: str) -> FileResult | None:
        found = self.files().get(path)
        if found is None or found[0] != digest:
            return None
        try:
            return unpack(found[1])
        except _DAMAGED:  # a damaged entry is only a cache miss
            return None

    def save_files(self, results: dict[str, FileResult], packed: dict[str, bytes] | None = None) -> None:
        """Store ``results`` (``packed``: those already packed by :func:`pack`)."""
        packed = packed or {}
        files = {path: entry for path, entry in self.files().items() if os.path.exists(path)}
        for path, result in results.items():
            files[path] = (result.digest, packed.get(path) or pack(result))
        self._files = files
        self._dump(self.folder / "lint-files.pickle", {"key": self.key, "files": files})

    # ------------------------------------------------------------------ storage

    def _run_path(self, scope: str) -> Path:
        name = hashlib.blake2b(scope.encode(), digest_size=8).hexdigest()
        return self.folder / f"lint-run-{name}.pickle"

    @staticmethod
    def _load(path: Path):
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except _DAMAGED:
            return None  # a missing, old or damaged cache is only a cache

    def _dump(self, path: Path, data) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by xanoctl: this folder is a cache\n*\n", encoding="utf-8")
            write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), fsync=False)
        except OSError:
            pass  # a read-only checkout lints without a cache
