"""The workspace index: what every file declares and calls, for the cross-file rules."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Iterable

from xanoctl.lint.facts import (
    CallFact, DocFact, EndpointFact, FileResult, FunctionFact, HandedFact, ReadFact, TaskFact,
)
from xanoctl.semantics.tables import Table

if TYPE_CHECKING:
    from xanoctl.semantics.machines import Machine


class WorkspaceIndex:
    """Functions (by exact name), calls, result reads, tasks, endpoints, tables (by name, with
    their columns) and every document with its references, and the typed values documents hand to callees and
    tables, of a workspace. ``complete`` says whether every file of the workspace was read: only then is
    a function that is not in the index really missing; ``exported`` that the files are Xano's export,
    whose named references always named an object that existed (:func:`xanoctl.lint.layout.exported`):
    one the files do not hold was left out of them, and only an empty name is known to be missing.

    The rules walk ``calls``, ``reads``, ``handed`` and ``documents`` and look names up in the
    rest; :meth:`focused` limits the walked facts to some files (an editor re-checking the
    documents an edit can change), while every lookup still sees the whole workspace
    (``every_document``: every document, whatever the focus)."""

    def __init__(self, files: Iterable[FileResult], complete: bool = True, exported: bool = False):
        self.complete = complete
        self.exported = exported
        self.files: dict[str, FileResult] = {}  # by path, in the order given
        self.functions: dict[str, FunctionFact] = {}
        self.duplicates: set[str] = set()
        self.calls: list[CallFact] = []
        self.reads: list[ReadFact] = []
        self.tasks: list[TaskFact] = []
        self.endpoints: list[EndpointFact] = []
        self.tables: dict[str, Table] = {}
        self.duplicate_tables: set[str] = set()  # defined more than once: the first is in `tables`
        self.ambiguous_tables: set[str] = set()  # defined more than once, with other columns
        self.table_versions: dict[str, list[Table]] = {}  # every definition of a table defined more than once
        self.documents: list[DocFact] = []
        self.handed: list[HandedFact] = []
        for result in files:
            self.files[result.path] = result
            for fact in result.functions:
                if fact.name in self.functions:
                    self.duplicates.add(fact.name)
                else:
                    self.functions[fact.name] = fact
            self.calls.extend(result.calls)
            self.reads.extend(result.reads)
            self.tasks.extend(result.tasks)
            self.endpoints.extend(result.endpoints)
            for table in result.tables:
                first = self.tables.setdefault(table.name, table)
                if first is not table:
                    self.duplicate_tables.add(table.name)
                    self.table_versions.setdefault(table.name, [first]).append(table)
                    if set(first.names()) != set(table.names()):
                        self.ambiguous_tables.add(table.name)
            self.documents.extend(result.documents)
            self.handed.extend(result.handed)
        self.every_document: list[DocFact] = self.documents
        self.focus: frozenset[str] | None = None  # see focused(); None: every file
        # what is worked out once for the whole workspace (shared with the focused views)
        self._envelope: dict[str, bool | None] = {}
        self._keys: dict[str, frozenset[str]] = {}
        self._shared: dict[str, object] = {}

    @property
    def machines(self) -> list[Machine]:
        """The state machines of the workspace's tables (:mod:`xanoctl.semantics.machines`)."""
        if "machines" not in self._shared:
            from xanoctl.semantics.machines import machines

            self._shared["machines"] = machines(self.tables, self.every_document, self.ambiguous_tables)
        return self._shared["machines"]  # type: ignore[return-value]

    def in_focus(self, path: str) -> bool:
        """Whether the rules report on the file ``path`` (see :meth:`focused`)."""
        return self.focus is None or path in self.focus

    def focused(self, paths: Iterable[str]) -> WorkspaceIndex:
        """This index with the facts the rules walk limited to the files ``paths`` (those of
        the index): the workspace rules then report on those files only, as they would in a
        run over everything. A rule that groups documents (routes, duplicates) groups
        ``every_document`` and reports the documents :meth:`in_focus`."""
        view = copy.copy(self)
        chosen = [self.files[path] for path in dict.fromkeys(paths) if path in self.files]
        view.focus = frozenset(result.path for result in chosen)
        view.calls = [call for result in chosen for call in result.calls]
        view.reads = [read for result in chosen for read in result.reads]
        view.handed = [value for result in chosen for value in result.handed]
        view.documents = [doc for result in chosen for doc in result.documents]
        return view

    def exists(self, name: str) -> bool:
        return name in self.functions

    def function(self, name: str) -> FunctionFact | None:
        """The one function of that name; None when missing or defined more than once."""
        if name in self.duplicates:
            return None
        return self.functions.get(name)

    def callers(self, name: str) -> list[CallFact]:
        return [call for call in self.calls if call.callee == name]

    def returns_envelope(self, name: str) -> bool | None:
        """True when every result of ``name`` is an envelope (following the calls whose results
        it passes on), False when one plainly is not, None when it cannot be told."""
        if name in self._envelope:
            return self._envelope[name]
        self._envelope[name] = None  # guards against call cycles
        fact = self.function(name)
        verdict: bool | None
        if fact is None or fact.status == "unknown":
            verdict = None
        elif fact.status in ("other", "none"):
            verdict = False
        else:
            verdict = True
            for callee in fact.env_callees:
                inner = self.returns_envelope(callee)
                if inner is False:
                    verdict = False
                    break
                if inner is None:
                    verdict = None
        self._envelope[name] = verdict
        return verdict

    def envelope_keys(self, name: str) -> frozenset[str]:
        """Every key the envelopes of ``name`` (and of the calls it passes on) are built with."""
        if name in self._keys:
            return self._keys[name]
        self._keys[name] = frozenset()
        fact = self.function(name)
        keys: set[str] = set()
        if fact is not None:
            keys.update(fact.env_keys)
            for callee in fact.env_callees:
                keys.update(self.envelope_keys(callee))
        self._keys[name] = frozenset(keys)
        return self._keys[name]
