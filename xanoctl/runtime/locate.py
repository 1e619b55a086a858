"""Where each test lives in the pulled tree, and which tests a run selects.

A unit test is the ``test "name"`` block of its object's document (its line is the block's);
a workflow test is its ``workflow_test`` document. Both are found through the lint index that
the views read (every file parsed once, through the lint cache), and each is a node of the
workspace graph: its object for a unit test, the document for a workflow test.

Selection: names and paths (a file or folder selects the tests declared in it; any other
word selects the tests, or the objects' tests, of that name, ``*`` and ``?`` allowed), and
``--changed-since REV``: the tests whose object, or anything it reaches in the call graph
(callees, endpoints called, tables read or written, middleware), changed since REV. An object
deleted or renamed since REV counts as changed: the tests of what still calls its old name run.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Iterable

from xanoctl.errors import UsageError


@dataclass(frozen=True)
class Place:
    """Where a test is declared: the path as shown (relative to the current folder), its line,
    the absolute path, and its object's node in the workspace graph."""

    path: str
    line: int
    file: str
    node: str


class LocalTree:
    """The pulled workspace's tests, by what Xano calls them."""

    def __init__(self, workspace):  # a xanoctl.views.load.Workspace
        self.workspace = workspace
        self._units: dict[tuple[str, str, str], list[Place]] = {}
        self._workflows: dict[str, Place] = {}
        graph = workspace.graph
        for doc in sorted(workspace.index.documents, key=lambda d: (d.path, d.pos)):
            node = graph.id_of(doc)
            shown = workspace.shown(doc.path)
            if doc.kind == "workflow_test":
                self._workflows.setdefault(doc.name, Place(shown, doc.pos[0], doc.path, node))
            for name, line in doc.tests:
                self._units.setdefault((doc.kind, _route(doc.name), name), []).append(
                    Place(shown, line, doc.path, node))

    def unit(self, obj_type: str, obj_name: str, name: str) -> Place | None:
        places = self._units.get((obj_type, _route(obj_name), name))
        return places[0] if places else None

    def workflow(self, name: str) -> Place | None:
        return self._workflows.get(name)

    def changed_nodes(self, rev: str) -> set[str]:
        """The graph nodes of every document in a file changed since ``rev`` (as it is now, and
        as it was then: a deleted or renamed object is changed too)."""
        from xanoctl.language.parser import decode_source, parse_documents
        from xanoctl.lint.changed import changes_since
        from xanoctl.views.graph import endpoint_group, node_id

        start = self.workspace.root or os.path.abspath(self.workspace.path)
        changes = changes_since(rev, start)
        graph = self.workspace.graph
        nodes = {graph.id_of(doc) for doc in self.workspace.index.documents
                 if os.path.realpath(doc.path) in changes.paths}
        for path, data in changes.before.items():
            try:
                documents = parse_documents(decode_source(data, path), path)
            except Exception:  # noqa: BLE001 - an old version that does not parse names nothing
                continue
            for doc in documents:
                if doc.name is None:
                    continue
                group = None
                if doc.kind == "query":
                    declared = getattr(doc.value("api_group"), "value", None)
                    group = endpoint_group(SimpleNamespace(group=declared, path=path), self.workspace.root, {})
                nodes.add(node_id(doc.kind, doc.name, group, doc.verb))
        return nodes

    def reaches(self, node: str, changed: set[str]) -> bool:
        return bool(self.workspace.graph.reach([node], upstream=False) & changed)


def _route(name: str) -> str:
    """An endpoint's path as Xano may name it in a unit test (``/user/login``) and as the
    document does (``user/login``)."""
    return name.strip("/")


def matches_word(word: str, *names: str) -> bool:
    return any(fnmatch.fnmatchcase(name, word) for name in names if name)


def under(place: Place | None, paths: Iterable[str]) -> bool:
    """Whether the test is declared in one of ``paths`` (files or folders, real paths)."""
    if place is None:
        return False
    real = os.path.realpath(place.file)
    return any(real == path or real.startswith(path.rstrip(os.sep) + os.sep) for path in paths)


def split_selectors(selectors: Iterable[str]) -> tuple[list[str], list[str]]:
    """(real paths, words): a selector naming an existing file or folder is a path."""
    paths, words = [], []
    for selector in selectors:
        (paths if os.path.exists(selector) else words).append(selector)
    return [os.path.realpath(path) for path in paths], words


def no_match(selector: str, known: Iterable[str]) -> UsageError:
    import difflib

    close = difflib.get_close_matches(selector, sorted(set(known)), n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return UsageError(f"no test, object or path {selector!r} among the tests listed{hint}")
