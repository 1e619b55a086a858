"""A workspace linted one document at a time: what an editor needs (``xanoctl lsp``).

The same engine as ``xanoctl lint``, kept in memory: every file's facts (from the lint cache
where a file is unchanged, analysed in parallel where there is a lot), the workspace index
over them, and the findings of some files on demand, with the configuration, suppressions and
baseline of a lint run. A changed text (an editor's unsaved buffer, a file changed on disk) is
analysed alone and replaces that file's facts; the workspace rules then run over the files
asked about only (:meth:`~xanoctl.lint.index.WorkspaceIndex.focused`), still looking every
name up in the whole workspace, so that their findings are those a whole run would report.
:class:`Change` says what an update altered that other files depend on (a function's inputs,
name or envelope, a table's columns, an object's name or route) and :meth:`dependents` which
files' findings it can change.

>>> live = LiveWorkspace.open(["workspace/"], LintConfig())   # doctest: +SKIP
>>> live.load(); change = live.update(path, text.encode())    # doctest: +SKIP
>>> live.findings([path, *live.dependents(change, open_paths)])  # doctest: +SKIP
"""

from __future__ import annotations

import os
from bisect import insort
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from xanoctl.lint import baseline as baselines
from xanoctl.lint.cache import digest
from xanoctl.lint.config import LintConfig
from xanoctl.lint.engine import (
    _check_workspace, _file_results, _open_cache, _read, analyse_files, run_key, settle,
)
from xanoctl.lint.files import Scope, resolve_scope, workspaces
from xanoctl.lint.finding import Finding, make_finding

if TYPE_CHECKING:
    from xanoctl.lint.facts import FileResult
    from xanoctl.lint.index import WorkspaceIndex

# more changed files than this at once are analysed through the engine (in parallel)
_MANY = 32


@dataclass
class Change:
    """What an update altered that other files' findings depend on."""

    paths: set[str] = field(default_factory=set)  # the files updated
    functions: set[str] = field(default_factory=set)  # inputs, answer or existence changed
    tables: set[str] = field(default_factory=set)  # columns or existence changed
    objects: set[tuple[str, str]] = field(default_factory=set)  # (kind, name) appeared or gone
    routes: set[tuple[str, str]] = field(default_factory=set)  # (VERB, route) of endpoints changed
    states: set[tuple[str, str]] = field(default_factory=set)  # (table, column) of states written or tested
    env: bool = False  # the environment variables the workspace document defines
    names: bool = False  # the set of function names changed (XR001's suggestions)

    def __bool__(self) -> bool:
        return bool(self.functions or self.tables or self.objects or self.routes or self.states or self.env)

    def merge(self, other: Change) -> None:
        self.paths |= other.paths
        self.functions |= other.functions
        self.tables |= other.tables
        self.objects |= other.objects
        self.routes |= other.routes
        self.states |= other.states
        self.env = self.env or other.env
        self.names = self.names or other.names


class LiveWorkspace:
    """The files of a scope (see :func:`~xanoctl.lint.files.resolve_scope`), their facts and
    index, kept current one file at a time. Not thread-safe: one caller at a time."""

    def __init__(self, scope: Scope, config: LintConfig, *, use_cache: bool = True,
                 cache_dir: str | Path | None = None, jobs: int | None = None):
        self.scope = scope
        self.config = config
        self.jobs = jobs
        self._blobs, self._digests = _read(scope)
        self._cache = _open_cache(config, scope, os.getcwd(), cache_dir) if use_cache else None
        self._baseline = baselines.load(config.baseline) if config.baseline else None
        self.results: dict[str, FileResult] = {}
        self._order: list[str] = list(scope.index)  # sorted: the order of a whole run
        # the workspaces of the scope (most hold one), as a whole run splits them, and their
        # files (see load: what the last whole run says needs neither)
        self._workspaces: list = []
        self._groups: list[list[str]] = [[]]
        self._indexes: list[WorkspaceIndex] | None = None
        self._options = None
        self.texts: dict[str, str] = {}  # decoded text of the files updated from a buffer
        self._updated = False  # a file was updated since loading
        self.loaded = False

    @classmethod
    def open(cls, paths: Iterable[str | Path], config: LintConfig, **options) -> LiveWorkspace:
        """The workspace around ``paths`` (files and folders), as ``xanoctl lint`` finds it."""
        return cls(resolve_scope(list(paths), config.workspace), config, **options)

    # ------------------------------------------------------------------ loading

    def cached_findings(self, paths: Iterable[str]) -> dict[str, list[Finding]] | None:
        """The findings of ``paths`` as the last whole run over this scope left them, when no
        file changed since (nothing is parsed); None when there is no such run."""
        if self._cache is None:
            return None
        payload = self._cache.last_run(*run_key(self.scope, self._digests))
        if payload is None:
            return None
        return {path: self._settled(path, payload["findings"].get(path, []),
                                    payload["suppressions"].get(path, [])) for path in paths}

    def load(self) -> int:
        """Every file's facts, from the cache or analysed now (and cached); returns how many
        were analysed."""
        self._workspaces = workspaces(self.scope, self._blobs.get) if self.scope.index else []
        self._groups = [list(found.files) for found in self._workspaces] or [[]]
        results, analysed = _file_results(self.scope, self._blobs, self._digests, self._cache, self.config,
                                          self.jobs)
        self.results = {path: results[path] for path in self.scope.index}
        self._blobs = {}  # the texts are in the facts now
        self._indexes = None
        self.loaded = True
        return analysed

    def save_run(self) -> None:
        """Store the whole run over the files as they are on disk, so that the next start
        answers from :meth:`cached_findings` (nothing when a file was updated since loading:
        the facts are not those of the files on disk)."""
        if self._cache is None or self._updated:
            return
        key = run_key(self.scope, self._digests)
        if self._cache.last_run(*key) is None:
            self._cache.save_run(*key, _check_workspace(self._workspaces, self.results, self.config))

    # ------------------------------------------------------------------ updates

    def __contains__(self, path: str) -> bool:
        return path in self.results

    def update(self, path: str, data: bytes | None) -> Change:
        """Analyse ``path`` anew from ``data`` (None: the file is gone)."""
        return self.update_many({path: data})

    def update_many(self, texts: Mapping[str, bytes | None]) -> Change:
        """Analyse several files anew (None: a file gone): from the cache where the content
        is known, in parallel when there are many."""
        texts = {path: data for path, data in texts.items()  # what is as it was changes nothing
                 if data is not None and (path not in self.results or self.results[path].digest != digest(data))
                 or data is None and path in self.results}
        change = Change(paths=set(texts))
        if not texts:
            return change
        self._updated = True
        fresh: dict[str, FileResult] = {}
        misses: dict[str, bytes] = {}
        for path, data in texts.items():
            if data is None:
                continue
            self._digests[path] = file_digest = digest(data)
            self.texts[path] = data.decode("utf-8", errors="replace")
            found = self._cache.get(path, file_digest) if self._cache is not None and len(texts) > 1 else None
            if found is not None:
                fresh[path] = found
            else:
                misses[path] = data
        if misses:
            digests = {path: self._digests[path] for path in misses}
            if len(misses) > _MANY:
                fresh.update(analyse_files(list(misses), misses, digests, self.config.options, self.jobs))
            else:
                for path, data in misses.items():
                    fresh[path] = self._analyse(path, data, digests[path])
        for path in texts:
            before = self.results.get(path)
            after = fresh.get(path)
            change.merge(_compare(before, after, path))
            if after is None:
                self.results.pop(path, None)
                self.texts.pop(path, None)
                if path in self._order:
                    self._order.remove(path)
                    for group in self._groups:
                        if path in group:
                            group.remove(path)
                continue
            if before is None:
                insort(self._order, path)
                self._group_of(path).append(path)
            self.results[path] = after
        if change.functions:
            self._passed_on(change)
        self._indexes = None
        return change

    def _analyse(self, path: str, data: bytes, file_digest: str) -> FileResult:
        from xanoctl.lint.analyze import analyze

        try:
            return analyze(path, data, self._rule_options(), file_digest)
        except Exception as exc:  # a bug of ours must not leave the file's old findings shown
            from xanoctl.lint.facts import FileResult
            from xanoctl.lint.finding import Problem
            from xanoctl.lint.rules import xs001

            result = FileResult(path=path, digest=file_digest, lines=data.count(b"\n") + 1, parsed=False)
            problem = Problem((1, 1, 1, 2), f"xanoctl could not analyse this text ({type(exc).__name__}: {exc}); "
                                            f"please report it")
            result.findings.append(make_finding(path, xs001.CODE, xs001.SEVERITY, problem))
            return result

    def _rule_options(self):
        if self._options is None:
            from xanoctl.lint.analyze import Options

            self._options = Options(self.config.options)
        return self._options

    def _group_of(self, path: str) -> list[str]:
        """The workspace a new file belongs to: the one whose files share the longest folder
        with it."""
        best, shared = self._groups[0], -1
        for group in self._groups:
            if group:
                length = len(os.path.commonpath([path, group[0]]))
                if length > shared:
                    best, shared = group, length
        return best

    def _passed_on(self, change: Change) -> None:
        """The functions that call a changed function (directly or not) have changed too, for
        their own callers: they may pass its envelope on (FP003), or run its queries once per
        item of a loop (PF001)."""
        callers: dict[str, set[str]] = {}
        for result in self.results.values():
            for doc in result.documents:
                if doc.kind == "function":
                    for ref in doc.refs:
                        if ref.kind == "function":
                            callers.setdefault(ref.name, set()).add(doc.name)
        todo = list(change.functions)
        while todo:
            for caller in callers.get(todo.pop(), ()):
                if caller not in change.functions:
                    change.functions.add(caller)
                    todo.append(caller)

    # ------------------------------------------------------------------ questions

    @property
    def indexes(self) -> list[WorkspaceIndex]:
        """One index per workspace of the scope (most scopes hold one)."""
        if self._indexes is None:
            from xanoctl.lint.index import WorkspaceIndex

            found = self._workspaces or [None]
            self._indexes = [WorkspaceIndex((self.results[path] for path in sorted(group) if path in self.results),
                                            complete=workspace.complete if workspace else self.scope.complete,
                                            exported=workspace.exported if workspace else False)
                             for group, workspace in zip(self._groups, found)]
        return self._indexes

    def index_of(self, path: str) -> WorkspaceIndex:
        """The index of the workspace ``path`` belongs to."""
        indexes = self.indexes
        for index in indexes:
            if path in index.files:
                return index
        return indexes[0]

    def findings(self, paths: Iterable[str]) -> dict[str, list[Finding]]:
        """The findings of ``paths`` (files of the scope) as a whole lint run reports them:
        every rule, suppressions, configuration and baseline applied, sorted."""
        from xanoctl.lint.analyze import Options
        from xanoctl.lint.context import IndexContext
        from xanoctl.lint.rules import WORKSPACE_CHECKS

        wanted = [path for path in dict.fromkeys(paths) if path in self.results]
        raw: dict[str, list[Finding]] = {path: list(self.results[path].findings) for path in wanted}
        ctx = IndexContext(self._rule_options() if self._options is not None else Options(self.config.options))
        for index in self.indexes:
            mine = [path for path in wanted if path in index.files]
            if not mine:
                continue
            view = index.focused(mine)
            for rule, check in WORKSPACE_CHECKS:
                for problem in check(view, ctx):
                    finding = make_finding(problem.path, rule.CODE, rule.SEVERITY, problem)
                    if finding.path in raw:
                        raw[finding.path].append(finding)
        return {path: self._settled(path, raw[path], self.results[path].suppressions) for path in wanted}

    def _settled(self, path: str, raw: list[Finding], marks: list) -> list[Finding]:
        found, _ = settle(raw, marks, path, self.config)
        if self._baseline is not None and found:
            kept, _ = baselines.filter_known(self.config.baseline, [(f, path) for f in found],
                                             {path: self.results[path].secrets} if path in self.results else None,
                                             known=self._baseline, texts=self.texts)
            found = [finding for finding, _ in kept]
        return sorted(found, key=lambda finding: finding.sort_key)

    def dependents(self, change: Change, among: Iterable[str]) -> set[str]:
        """The files of ``among`` whose findings ``change`` can alter (the updated files
        themselves included): callers of a changed function and readers of its results,
        users of a changed table, documents naming an object that appeared or went, endpoints
        sharing a changed route."""
        found = {path for path in among if path in change.paths and path in self.results}
        if not change and not change.names:
            return found
        for path in among:
            if path in found or path not in self.results:
                continue
            if _depends(self.results[path], change, self.index_of(path).functions):
                found.add(path)
        return found


def _signature_tables(result: FileResult | None) -> dict[str, tuple]:
    if result is None:
        return {}
    return {table.name: (table.complete, tuple((c.name, c.type, c.nullable, c.array, c.references, c.values)
                                               for c in table.columns)) for table in result.tables}


def _compare(before: FileResult | None, after: FileResult | None, path: str) -> Change:
    """What changed between two analyses of one file, for the other files."""
    from xanoctl.lint.rules.rt001 import route

    change = Change(paths={path})
    old = {fact.name: fact.signature() for fact in before.functions} if before else {}
    new = {fact.name: fact.signature() for fact in after.functions} if after else {}
    change.functions = {name for name in old.keys() | new.keys() if old.get(name, ()) != new.get(name, ())}
    change.names = old.keys() != new.keys()
    old_tables, new_tables = _signature_tables(before), _signature_tables(after)
    change.tables = {name for name in old_tables.keys() | new_tables.keys()
                     if old_tables.get(name) != new_tables.get(name)}
    old_docs = {(doc.kind, doc.name, doc.verb, doc.group) for doc in before.documents} if before else set()
    new_docs = {(doc.kind, doc.name, doc.verb, doc.group) for doc in after.documents} if after else set()
    for kind, name, verb, _ in old_docs ^ new_docs:
        change.objects.add((kind, name))
        if kind == "query" and verb:
            change.routes.add((verb.upper(), route(name)))
    # what else the documents say that other files' findings read (their shape, places aside)
    old_shapes = {(doc.kind, doc.name, doc.verb): _shape(doc) for doc in before.documents} if before else {}
    new_shapes = {(doc.kind, doc.name, doc.verb): _shape(doc) for doc in after.documents} if after else {}
    for key in old_shapes.keys() | new_shapes.keys():
        old, new = old_shapes.get(key), new_shapes.get(key)
        if old != new:
            if key[0] == "function":
                change.functions.add(key[1])
            if key[0] == "workspace":
                change.env = True
            if (old and old[-2]) != (new and new[-2]):  # what it says of states changed
                change.states |= (old[-1] if old else frozenset()) | (new[-1] if new else frozenset())
    return change


def _shape(doc) -> tuple:
    """A document's facts that other files' findings depend on, without their places; last
    the (table, column) pairs of its states, before them what it says of them."""
    states = frozenset((write.table, write.column) for write in doc.state_writes) | \
        frozenset((test.table, test.column) for test in doc.state_tests)
    said = (tuple((w.table, w.column, w.value, w.kind, w.sources, w.left, w.then, w.atomic) for w in doc.state_writes),
            tuple((t.table, t.column, t.op, t.values, t.select) for t in doc.state_tests))
    return (tuple((ref.kind, ref.name, ref.mode, ref.via, ref.verb) for ref in doc.refs),
            doc.inputs, tuple((use.table, use.column, use.via) for use in doc.columns),
            tuple((item.kind, item.target, item.loop, item.over, item.item) for item in doc.repeated),
            len(doc.requests), doc.sends, doc.links, doc.env_names, said, states)


def _depends(result: FileResult, change: Change, known: Mapping[str, object]) -> bool:
    """Whether ``change`` can alter the findings of the file of ``result`` (``known``: the
    functions of its workspace, now)."""
    functions, tables = change.functions, change.tables
    names = {name for _, name in change.objects}
    if functions or change.names:
        # a call of a changed function; with a function added or gone, a call of a missing one
        # too (its "did you mean")
        if any(call.callee in functions or (change.names and call.callee not in known) for call in result.calls):
            return True
        if any(functions.intersection(read.callees) for read in result.reads):
            return True
        if any(value.target in functions for value in result.handed if value.via == "function.run"):
            return True
    if tables and any(value.target in tables for value in result.handed if value.via != "function.run"):
        return True
    for doc in result.documents:
        if change.env and doc.env_reads:
            return True
        for ref in doc.refs:
            if ref.name in names or (ref.kind == "function" and ref.name in functions) \
                    or (ref.kind == "table" and (ref.name in tables)):
                return True
        if tables and any(use.table in tables for use in doc.columns):
            return True
        if change.states and any((item.table, item.column) in change.states
                                 for item in (*doc.state_writes, *doc.state_tests)):
            return True
        if change.routes and doc.kind == "query" and doc.verb:
            from xanoctl.lint.rules.rt001 import route

            if (doc.verb.upper(), route(doc.name)) in change.routes:
                return True
    return False
