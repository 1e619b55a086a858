"""The lint run: which files, what the cache already knows, parse the rest (in parallel when
there is a lot), run the workspace rules over the index, then suppress, filter and baseline.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from xanoctl.lint import baseline as baselines
from xanoctl.lint import suppress
from xanoctl.lint.cache import FOLDER, LintCache, code_fingerprint, digest, unpack
from xanoctl.lint.config import LintConfig
from xanoctl.lint.files import Scope, display_path, resolve_scope, workspaces
from xanoctl.lint.finding import Finding, Problem, make_finding, severity_rank
from xanoctl.gcpause import few_collections

if TYPE_CHECKING:
    from xanoctl.lint.facts import FileResult

# When the cache answers, a run reads files, hashes them and unpickles the last result: the
# parser, the rules and the process pool are imported only by the functions that need them.

PARALLEL_MIN_FILES = 64
PARALLEL_MIN_BYTES = 256_000


@dataclass
class LintResult:
    """The outcome of a lint run. ``findings`` are sorted by path and position, with paths
    relative to the current folder; ``exit_code`` follows the failure severity."""

    files: int
    findings: list[Finding]
    fail_on: str = "error"
    lines: int = 0
    suppressed: int = 0
    baselined: int = 0
    callers: int = 0  # findings reported in unchanged files that call a changed function
    analysed: int = 0  # files parsed in this run (the others came from the cache)
    from_cache: bool = False  # the whole run was answered by the cache
    sources: dict[str, str] = field(default_factory=dict)  # displayed path -> absolute path
    # displayed path -> where its credentials stand (SEC001): masked in every source line shown
    secrets: dict[str, list] = field(default_factory=dict)
    baseline_written: int | None = None
    # with ``keep_files``: the scope and every file's facts, for the views built on the index
    facts: tuple[Scope, dict[str, FileResult]] | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        threshold = severity_rank(self.fail_on)
        return any(severity_rank(finding.severity) >= threshold for finding in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            out[finding.severity] = out.get(finding.severity, 0) + 1
        return out


def run(paths, config: LintConfig, *, changed_since: str | None = None, use_cache: bool = True,
        cache_dir: str | Path | None = None, jobs: int | None = None,
        write_baseline: str | Path | None = None, keep_files: bool = False) -> LintResult:
    cwd = os.getcwd()
    scope = resolve_scope(paths, config.workspace)
    report = list(scope.report)
    changes = None
    if changed_since:
        from xanoctl.lint.changed import changes_since

        changes = changes_since(changed_since, str(Path(scope.roots[0]) if scope.roots else cwd))
        report = [path for path in report if os.path.realpath(path) in changes.paths]

    blobs, digests = _read(scope)
    cache = _open_cache(config, scope, cwd, cache_dir) if use_cache else None
    scope_id, run_digest = run_key(scope, digests)

    payload = cache.last_run(scope_id, run_digest) if cache else None
    analysed = 0
    from_cache = payload is not None
    results = None
    if payload is None:
        results, analysed = _file_results(scope, blobs, digests, cache, config, jobs)
        payload = _check_workspace(scope, results, config)
        if cache is not None:
            cache.save_run(scope_id, run_digest, payload)
    touched = _touched(changes, report, payload, config) if changes is not None else None
    result = _finish(payload, report, config, cwd, analysed, from_cache, write_baseline, touched)
    if keep_files:
        result.facts = (scope, results if results is not None else
                        _file_results(scope, blobs, digests, cache, config, jobs)[0])
    return result


def load(paths, config: LintConfig, *, use_cache: bool = True, cache_dir: str | Path | None = None,
         jobs: int | None = None) -> tuple[Scope, dict[str, FileResult]]:
    """The facts of every file of the workspace around ``paths`` (from the cache where a file
    is unchanged, parsed in parallel where there is a lot), without running the workspace
    rules: what the views (graph, manual, task chains) build on."""
    scope = resolve_scope(paths, config.workspace)
    blobs, digests = _read(scope)
    cache = _open_cache(config, scope, os.getcwd(), cache_dir) if use_cache else None
    results, _ = _file_results(scope, blobs, digests, cache, config, jobs)
    return scope, results


def run_key(scope: Scope, digests: dict[str, str]) -> tuple[str, str]:
    """What names a whole run in the cache: its scope, and the digest of every file's content."""
    scope_id = "\n".join(scope.roots) if scope.roots else "\n".join(scope.index)
    run_digest = hashlib.blake2b(
        "".join(f"{path}\0{digests[path]}\n" for path in scope.index).encode()
        + f"complete={scope.complete}".encode(), digest_size=16).hexdigest()
    return scope_id, run_digest


def _read(scope: Scope) -> tuple[dict[str, bytes | None], dict[str, str]]:
    blobs: dict[str, bytes | None] = {}
    digests: dict[str, str] = {}
    for path in scope.index:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            blobs[path], digests[path] = None, f"unreadable:{exc.errno}"
            continue
        blobs[path], digests[path] = data, digest(data)
    return blobs, digests


def _open_cache(config: LintConfig, scope: Scope, cwd: str, cache_dir) -> LintCache:
    key = hashlib.blake2b(f"{code_fingerprint()}\n{config.fingerprint()}".encode(),
                          digest_size=16).hexdigest()
    return LintCache(Path(cache_dir) if cache_dir else _cache_folder(config, scope, cwd), key)


def _file_results(scope: Scope, blobs, digests, cache: LintCache | None, config: LintConfig,
                  jobs: int | None) -> tuple[dict[str, FileResult], int]:
    """Every file's result, from the cache or analysed now (and then cached); and how many
    were analysed."""
    with few_collections():
        results: dict[str, FileResult] = {}
        misses: list[str] = []
        for path in scope.index:
            found = cache.get(path, digests[path]) if cache else None
            if found is not None:
                results[path] = found
            elif blobs[path] is None:
                results[path] = _unreadable(path, digests[path])
            else:
                misses.append(path)
        packed: dict[str, bytes] = {}
        fresh = analyse_files(misses, blobs, digests, config.options, jobs, packed)
        results.update(fresh)
        if cache is not None and fresh:
            cache.save_files(fresh, packed)
        return results, len(fresh)


_GONE = ("gone",)


def _touched(changes, report: list[str], payload: dict, config: LintConfig) -> set[str]:
    """The functions whose inputs or answers (or existence) the change altered: compared
    with what the changed files defined at the base revision. Functions that pass on the
    envelope of one of them are altered too."""
    from xanoctl.lint.analyze import Options, analyze

    functions: dict[str, tuple] = payload.get("functions", {})
    options = Options(config.options)
    before: dict[str, tuple] = {}
    for path, data in changes.before.items():
        for fact in analyze(path, data, options).functions:
            before.setdefault(fact.name, fact.signature())
    reported = set(report)
    names = set(before)
    names.update(name for name, (_, paths) in functions.items() if reported.intersection(paths))
    touched = {name for name in names
               if before.get(name, _GONE) != (functions[name][0] if name in functions else _GONE)}
    grew = bool(touched)
    while grew:
        grew = False
        for name, (signature, _) in functions.items():
            if name not in touched and signature and touched.intersection(signature[3]):
                touched.add(name)
                grew = True
    return touched


def _cache_folder(config: LintConfig, scope: Scope, cwd: str) -> Path:
    if config.source:
        return Path(config.base_dir) / FOLDER
    if scope.roots:
        return Path(scope.roots[0]).parent / FOLDER
    return Path(cwd) / FOLDER


def _unreadable(path: str, file_digest: str) -> FileResult:
    from xanoctl.lint.facts import FileResult
    from xanoctl.lint.rules import xs001

    result = FileResult(path=path, digest=file_digest, lines=0, parsed=False)
    problem = Problem((1, 1, 1, 2), "cannot read this file (permission denied or not a regular file)")
    result.findings.append(make_finding(path, xs001.CODE, xs001.SEVERITY, problem))
    return result


def analyse_files(paths: list[str], blobs, digests, overrides: dict, jobs: int | None = None,
                  packed: dict[str, bytes] | None = None, *, rules: bool = True) -> dict[str, FileResult]:
    """The facts and findings of many files (``blobs``: path -> bytes), in worker processes when
    there are many (``packed`` then receives each result as the workers packed it for the
    cache). ``rules=False``: the facts only (see :func:`xanoctl.lint.analyze.analyze`)."""
    if not paths:  # all from the cache: the analysis is not even imported
        return {}
    from concurrent.futures.process import BrokenProcessPool

    from xanoctl.lint.analyze import Options, analyze

    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    total = sum(len(blobs[path]) for path in paths)
    if workers > 1 and len(paths) >= PARALLEL_MIN_FILES and total >= PARALLEL_MIN_BYTES:
        try:
            return _analyse_parallel(paths, blobs, digests, overrides, workers,
                                     packed if packed is not None else {}, rules)
        except (BrokenProcessPool, OSError, RuntimeError):
            pass  # no processes to be had here: do it in this one
    options = Options(overrides)
    return {path: analyze(path, blobs[path], options, digests[path], rules=rules) for path in paths}


def _analyse_parallel(paths, blobs, digests, overrides, workers: int, packed: dict[str, bytes],
                      rules: bool = True) -> dict[str, FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from xanoctl.lint.analyze import analyze_batch

    batches = _batches(paths, blobs, digests, workers)
    # fork is cheapest and inherits the loaded grammar, but is unsafe with other threads
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"
    context = multiprocessing.get_context(method)
    out: dict[str, FileResult] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for results in pool.map(analyze_batch, batches, [overrides] * len(batches), [rules] * len(batches)):
            for path, blob in results:
                out[path] = unpack(blob)
                packed[path] = blob
    return out


def _batches(paths: list[str], blobs, digests, workers: int) -> list[list[tuple[str, bytes, str]]]:
    """The files in batches for the workers, largest files first, each batch a share of what
    is left (half of it divided among the workers), down to a floor of a sixteenth of a
    worker's share: few round trips at the start, and small batches at the end, so that no
    worker is left with a long one while the others wait."""
    ordered = sorted(paths, key=lambda p: -len(blobs[p]))
    left = sum(len(blobs[path]) for path in ordered)
    floor = left / (workers * 16)
    batches: list[list[tuple[str, bytes, str]]] = []
    batch: list[tuple[str, bytes, str]] = []
    size = 0
    target = max(left / (2 * workers), floor)
    for path in ordered:
        batch.append((path, blobs[path], digests[path]))
        size += len(blobs[path])
        if size >= target:
            batches.append(batch)
            left -= size
            batch, size = [], 0
            target = max(left / (2 * workers), floor)
    if batch:
        batches.append(batch)
    return batches


def _check_workspace(scope: Scope, results: dict[str, FileResult], config: LintConfig) -> dict:
    """Run the workspace rules; the raw findings of every file of the index, by path."""
    from xanoctl.lint.analyze import Options
    from xanoctl.lint.context import IndexContext
    from xanoctl.lint.index import WorkspaceIndex
    from xanoctl.lint.rules import WORKSPACE_RULES

    ctx = IndexContext(Options(config.options))
    findings: dict[str, list[Finding]] = {}
    for path in scope.index:
        if results[path].findings:
            findings[path] = list(results[path].findings)
    functions: dict[str, tuple] = {}
    for paths in workspaces(scope):  # one workspace at a time
        index = WorkspaceIndex((results[path] for path in paths), complete=scope.complete)
        for rule in WORKSPACE_RULES:
            for problem in rule.check(index, ctx):
                finding = make_finding(problem.path, rule.CODE, rule.SEVERITY, problem)
                findings.setdefault(finding.path, []).append(finding)
        for name, fact in index.functions.items():
            if name in index.duplicates:
                defined = tuple(path for path in paths for f in results[path].functions if f.name == name)
                signature = None
            else:
                defined, signature = (fact.path,), fact.signature()
            if name in functions:  # in two workspaces: as a name defined twice
                signature, defined = None, functions[name][1] + defined
            functions[name] = (signature, defined)
    return {
        "findings": findings,
        "suppressions": {path: r.suppressions for path, r in results.items() if r.suppressions},
        "secrets": {path: r.secrets for path, r in results.items() if r.secrets},
        "lines": {path: r.lines for path, r in results.items()},
        "functions": functions,  # name -> (signature or None when defined twice, defining files)
    }


def settle(raw: list[Finding], marks: list, path: str, config: LintConfig,
           keep: Callable[[Finding], bool] | None = None) -> tuple[list[Finding], int]:
    """One file's raw findings as reported: its suppressions applied (those that silence
    nothing reported), the rules the configuration turns off for it left out, severities as
    configured. ``keep``: only the findings it keeps, and no unused suppression (a file the
    run reports on for some findings only). Returns the findings and how many the
    suppressions silenced."""
    enabled = lambda code: config.enabled(code, path)  # noqa: E731
    raw, unused, count = suppress.apply(raw, marks, path, enabled)
    if keep is not None:
        raw, unused = [finding for finding in raw if keep(finding)], []
    kept: list[Finding] = []
    for finding in [*raw, *unused]:
        if config.enabled(finding.code, path):
            level = config.severity_of(finding.code, finding.severity)
            kept.append(finding if level == finding.severity else finding.with_(severity=level))
    return kept, count


def _finish(payload: dict, report: list[str], config: LintConfig, cwd: str, analysed: int,
            from_cache: bool, write_baseline, touched: set[str] | None = None) -> LintResult:
    """Suppress, filter by configuration and baseline, and sort the findings of the reported
    files; with ``touched`` (``--changed-since``), also the findings of other files about a
    function the change altered (a caller it breaks)."""
    kept: list[tuple[Finding, str]] = []
    suppressed = 0
    reported = set(report)
    paths = list(report)
    if touched:
        paths += sorted(path for path in payload["findings"] if path not in reported)
    for path in paths:
        raw = payload["findings"].get(path, [])
        marks = payload["suppressions"].get(path, [])
        if not raw and not marks:
            continue
        if path not in reported:
            found, _ = settle(raw, marks, path, config, keep=lambda f: bool(touched.intersection(f.related)))
        else:
            found, count = settle(raw, marks, path, config)
            suppressed += count
        kept.extend((finding, path) for finding in found)
    written = None
    baselined = 0
    secrets = payload.get("secrets", {})
    if write_baseline:
        written = baselines.write(write_baseline, kept, secrets)
    elif config.baseline:
        kept, baselined = baselines.filter_known(config.baseline, kept, secrets)
    sources: dict[str, str] = {}
    findings: list[Finding] = []
    for finding, path in kept:
        shown = display_path(path, cwd)
        sources[shown] = path
        findings.append(finding.with_(path=shown))
    findings.sort(key=lambda finding: finding.sort_key)
    shown_secrets = {shown: secrets[path] for shown, path in sources.items() if path in secrets}
    callers = sum(1 for finding in findings if sources[finding.path] not in reported)
    lines = sum(payload["lines"].get(path, 0) for path in report)
    return LintResult(files=len(report), findings=findings, fail_on=config.fail_on, lines=lines,
                      suppressed=suppressed, baselined=baselined, callers=callers, analysed=analysed,
                      from_cache=from_cache, sources=sources, secrets=shown_secrets,
                      baseline_written=written)
