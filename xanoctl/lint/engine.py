"""The lint run: which files, what the cache already knows, parse the rest (in parallel when
there is a lot), run the workspace rules over the index, then suppress, filter and baseline.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xanoctl.lint import baseline as baselines
from xanoctl.lint import suppress
from xanoctl.lint.cache import FOLDER, LintCache, code_fingerprint, digest, unpack
from xanoctl.lint.config import LintConfig
from xanoctl.lint.files import Scope, display_path, resolve_scope, workspaces
from xanoctl.lint.layout import Workspace
from xanoctl.lint.finding import Finding, Problem, make_finding, severity_rank
from xanoctl.gcpause import few_collections

if TYPE_CHECKING:
    from xanoctl.lint.changed import Changes
    from xanoctl.lint.facts import FileResult

# When the cache answers, a run reads files, hashes them and unpickles the last result: the
# parser, the rules and the process pool are imported only by the functions that need them.

PARALLEL_MIN_FILES = 64
PARALLEL_MIN_BYTES = 256_000


@dataclass
class Facts:
    """What the views build on: the files read, the workspaces they form, each file's facts."""

    scope: Scope
    workspaces: list[Workspace]
    results: dict[str, FileResult]


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
    callers: int = 0  # findings reported in unchanged files that the change breaks (a change judged)
    elsewhere: set[str] = field(default_factory=set)  # the displayed paths of those files
    analysed: int = 0  # files parsed in this run (the others came from the cache)
    from_cache: bool = False  # the whole run was answered by the cache
    sources: dict[str, str] = field(default_factory=dict)  # displayed path -> absolute path
    # displayed path -> where its credentials stand (SEC001): masked in every source line shown
    secrets: dict[str, list] = field(default_factory=dict)
    baseline_written: int | None = None
    notes: list[str] = field(default_factory=list)  # what a change's judgement could not see exactly
    # absolute path -> digest of the content this run linted (what ``--fix`` checks the files against)
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    # with ``keep_files``: the scope, its workspaces and every file's facts, for the views
    facts: Facts | None = field(default=None, repr=False)

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


def run(paths, config: LintConfig, *, changed_since: str | None = None, staged: bool = False,
        change: Changes | None = None, use_cache: bool = True, cache_dir: str | Path | None = None,
        jobs: int | None = None, write_baseline: str | Path | None = None, keep_files: bool = False,
        texts: dict[str, bytes] | None = None, empty_ok: bool = True) -> LintResult:
    """Lint ``paths`` (see :func:`xanoctl.lint.api.lint_paths`). With a change (``change``, or the
    one ``changed_since`` or ``staged`` names, see :mod:`xanoctl.lint.changed`): the workspace as
    it is after the change, reporting the changed files among ``paths`` and the findings the
    change causes in the other files. ``texts``: the content to lint in place of what some files
    (absolute paths) hold on disk (``--fix`` lints its fixed texts before it writes them).
    ``empty_ok=False``: a named folder holding no XanoScript is a usage error."""
    cwd = os.getcwd()
    scope = resolve_scope(paths, config.workspace, empty_ok=empty_ok)
    report = list(scope.report)
    changes = change
    if changed_since or staged:
        from xanoctl.lint.changed import changes_since, staged_changes

        start = str(Path(scope.roots[0]) if scope.roots else cwd)
        changes = staged_changes(start) if staged else changes_since(changed_since or "", start)
    overlay: dict[str, bytes | None] = {}
    if changes is not None:
        named = set(report)
        scope, overlay = _overlaid(scope, changes.after)
        report = [path for path in scope.index
                  if os.path.realpath(path) in changes.paths and (path in named or path in overlay)]

    if texts:
        overlay = {**overlay, **texts}
    blobs, digests = _read(scope, overlay)
    cache = _open_cache(config, scope, cwd, cache_dir) if use_cache else None
    scope_id, run_digest = run_key(scope, digests)

    payload = cache.last_run(scope_id, run_digest) if cache else None
    analysed = 0
    from_cache = payload is not None
    results = None
    if payload is None:
        results, analysed = _file_results(scope, blobs, digests, cache, config, jobs, set(overlay))
        payload = _check_workspace(workspaces(scope, blobs.get), results, config)
        if cache is not None:
            cache.save_run(scope_id, run_digest, payload)
    caused = None
    if changes is not None:
        caused, before_cached, more = _caused(scope, blobs, digests, overlay, changes, payload, report, cache,
                                              config, jobs, scope_id)
        from_cache, analysed = from_cache and before_cached, analysed + more
    result = _finish(payload, report, config, cwd, analysed, from_cache, write_baseline, caused)
    if changes is not None:
        result.notes = list(changes.notes)
    result.digests = digests
    if keep_files:
        result.facts = Facts(scope, workspaces(scope, blobs.get), results if results is not None else
                             _file_results(scope, blobs, digests, cache, config, jobs, set(overlay))[0])
    return result


def load(paths, config: LintConfig, *, use_cache: bool = True, cache_dir: str | Path | None = None,
         jobs: int | None = None, empty_ok: bool = True) -> Facts:
    """The facts of every file of the workspace around ``paths`` (from the cache where a file
    is unchanged, parsed in parallel where there is a lot) and the workspaces they form,
    without running the workspace rules: what the views (graph, manual, task chains) build on."""
    scope = resolve_scope(paths, config.workspace, empty_ok=empty_ok)
    blobs, digests = _read(scope)
    cache = _open_cache(config, scope, os.getcwd(), cache_dir) if use_cache else None
    results, _ = _file_results(scope, blobs, digests, cache, config, jobs)
    return Facts(scope, workspaces(scope, blobs.get), results)


def run_key(scope: Scope, digests: dict[str, str]) -> tuple[str, str]:
    """What names a whole run in the cache: its scope, and the digest of every file's content."""
    scope_id = "\n".join(scope.roots) if scope.roots else "\n".join(scope.index)
    return scope_id, _run_digest(scope, digests)


def _read(scope: Scope, overlay: dict[str, bytes | None] | None = None) -> tuple[dict[str, bytes | None],
                                                                               dict[str, str]]:
    """Every file of the index: its bytes (None: unreadable) and their digest; from ``overlay``
    where it has the file."""
    blobs: dict[str, bytes | None] = {}
    digests: dict[str, str] = {}
    overlay = overlay or {}
    for path in scope.index:
        if path in overlay:
            data = overlay[path]
            assert data is not None  # (absent files are not in the index)
            blobs[path], digests[path] = data, digest(data)
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            blobs[path], digests[path] = None, f"unreadable:{exc.errno}"
            continue
        blobs[path], digests[path] = data, digest(data)
    return blobs, digests


def _run_digest(scope: Scope, digests: dict[str, str]) -> str:
    return hashlib.blake2b("".join(f"{path}\0{digests[path]}\n" for path in scope.index).encode()
                           + "\n".join(scope.marked).encode(), digest_size=16).hexdigest()


def _overlaid(scope: Scope, contents: dict[str, bytes | None]) -> tuple[Scope, dict[str, bytes | None]]:
    """``scope`` with the files of ``contents`` (real paths) added to its index, or taken out
    of it (None), and ``contents`` keyed by the index's paths. Files outside the scope's
    workspace folders are left out."""
    if not contents:
        return scope, {}
    by_real = {os.path.realpath(path): path for path in scope.index}
    roots = [(os.path.realpath(root), root) for root in scope.roots]
    index = set(scope.index)
    out: dict[str, bytes | None] = {}
    for real, data in contents.items():
        path = by_real.get(real)
        if path is None:
            path = next((root + real[len(top):] for top, root in roots if real.startswith(top + os.sep)), None)
        if path is None:
            continue
        if data is None:
            index.discard(path)
        else:
            index.add(path)
            out[path] = data
    kept = tuple(sorted(index))
    report = tuple(path for path in scope.report if path in index)
    return dataclasses.replace(scope, report=report, index=kept), out


def _open_cache(config: LintConfig, scope: Scope, cwd: str, cache_dir) -> LintCache:
    key = hashlib.blake2b(f"{code_fingerprint()}\n{config.fingerprint()}".encode(),
                          digest_size=16).hexdigest()
    return LintCache(Path(cache_dir) if cache_dir else _cache_folder(config, scope, cwd), key)


def _file_results(scope: Scope, blobs, digests, cache: LintCache | None, config: LintConfig,
                  jobs: int | None, uncached: set[str] | frozenset[str] = frozenset()) -> tuple[dict[str, FileResult], int]:
    """Every file's result, from the cache or analysed now (and then cached, unless its path is
    in ``uncached``: content that is not the file on disk); and how many were analysed."""
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
        keep = {path: result for path, result in fresh.items() if path not in uncached}
        if cache is not None and keep:
            cache.save_files(keep, packed)
        return results, len(fresh)


def _caused(scope: Scope, blobs, digests, overlay: dict[str, bytes | None], changes: Changes, payload: dict,
            report: list[str], cache: LintCache | None, config: LintConfig, jobs: int | None,
            scope_id: str) -> tuple[dict[str, list[Finding]], bool, int]:
    """The findings the change causes in the files not reported: those of the workspace after
    it (``payload``) that the workspace before it does not have (same rule, place and words).
    Returns them by path, whether the run before came from the cache, and how many files were
    analysed for it."""
    before_scope, before = _overlaid(scope, changes.before)
    before_blobs, before_digests = dict(blobs), dict(digests)
    for path in scope.index:
        if path not in before_scope.index:
            before_blobs.pop(path, None)
            before_digests.pop(path, None)
    for path, data in before.items():
        assert data is not None
        before_blobs[path], before_digests[path] = data, digest(data)
    before_id = scope_id + "\0before"
    before_digest = _run_digest(before_scope, before_digests)
    old = cache.last_run(before_id, before_digest) if cache else None
    cached, analysed = old is not None, 0
    if old is None:
        results, analysed = _file_results(before_scope, before_blobs, before_digests, cache, config, jobs,
                                          set(before) | set(overlay))
        old = _check_workspace(workspaces(before_scope, before_blobs.get), results, config)
        if cache is not None:
            cache.save_run(before_id, before_digest, old)
    reported = set(report)
    caused: dict[str, list[Finding]] = {}
    for path, findings in payload["findings"].items():
        if path in reported:
            continue
        seen = Counter(_identity(finding) for finding in old["findings"].get(path, ()))
        new = []
        for finding in findings:
            key = _identity(finding)
            if seen[key]:
                seen[key] -= 1
            else:
                new.append(finding)
        if new:
            caused[path] = new
    return caused, cached, analysed


def _identity(finding: Finding) -> tuple:
    return (finding.code, finding.line, finding.column, finding.end_line, finding.end_column, finding.message)


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


def _check_workspace(found: list[Workspace], results: dict[str, FileResult], config: LintConfig) -> dict:
    """Run the workspace rules, one workspace at a time; the raw findings of every file of the
    index, by path."""
    from xanoctl.lint.analyze import Options
    from xanoctl.lint.context import IndexContext
    from xanoctl.lint.index import WorkspaceIndex
    from xanoctl.lint.rules import WORKSPACE_CHECKS

    ctx = IndexContext(Options(config.options))
    findings: dict[str, list[Finding]] = {}
    for path, result in results.items():
        if result.findings:
            findings[path] = list(result.findings)
    for workspace in found:
        index = WorkspaceIndex((results[path] for path in workspace.files), complete=workspace.complete,
                               exported=workspace.exported)
        for rule, check in WORKSPACE_CHECKS:
            for problem in check(index, ctx):
                finding = make_finding(problem.path, rule.CODE, rule.SEVERITY, problem)
                findings.setdefault(finding.path, []).append(finding)
    return {
        "findings": findings,
        "suppressions": {path: r.suppressions for path, r in results.items() if r.suppressions},
        "secrets": {path: r.secrets for path, r in results.items() if r.secrets},
        "lines": {path: r.lines for path, r in results.items()},
    }


def settle(raw: list[Finding], marks: list, path: str, config: LintConfig,
           unused: bool = True) -> tuple[list[Finding], int]:
    """One file's raw findings as reported: its suppressions applied (with ``unused``, those
    that silence nothing reported: not for a file the run reports some findings of only), the
    rules the configuration turns off for it left out, severities as configured. Returns the
    findings and how many the suppressions silenced."""
    enabled = lambda code: config.enabled(code, path)  # noqa: E731
    raw, idle, count = suppress.apply(raw, marks, path, enabled)
    if not unused:
        idle = []
    kept: list[Finding] = []
    for finding in [*raw, *idle]:
        if config.enabled(finding.code, path):
            level = config.severity_of(finding.code, finding.severity)
            kept.append(finding if level == finding.severity else finding.with_(severity=level))
    return kept, count


def _finish(payload: dict, report: list[str], config: LintConfig, cwd: str, analysed: int,
            from_cache: bool, write_baseline, caused: dict[str, list[Finding]] | None = None) -> LintResult:
    """Suppress, filter by configuration and baseline, and sort the findings of the reported
    files; with ``caused`` (a change judged), also those findings of other files."""
    kept: list[tuple[Finding, str]] = []
    suppressed = 0
    reported = set(report)
    paths = list(report)
    if caused:
        paths += sorted(path for path in caused if path not in reported)
    for path in paths:
        raw = payload["findings"].get(path, []) if path in reported else caused[path]  # type: ignore[index]
        marks = payload["suppressions"].get(path, [])
        if not raw and not marks:
            continue
        if path not in reported:
            found, _ = settle(raw, marks, path, config, unused=False)
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
    elsewhere = {shown for shown, path in sources.items() if path not in reported}
    lines = sum(payload["lines"].get(path, 0) for path in report)
    return LintResult(files=len(report), findings=findings, fail_on=config.fail_on, lines=lines,
                      suppressed=suppressed, baselined=baselined, callers=callers, analysed=analysed,
                      from_cache=from_cache, sources=sources, secrets=shown_secrets,
                      baseline_written=written, elsewhere=elsewhere)
