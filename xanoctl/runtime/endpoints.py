"""The workspace's endpoints as the public API serves them, read from the pulled tree: each
group's canonical (its public base ``/api:<canonical>``), each endpoint's verb, path, declared
inputs, whether it needs a token (``auth = "..."``) and whether it answers the FP envelope.

An endpoint answers the envelope when its ``response`` is a ``{success, data, error, step}``
literal, or the result of a ``function.run`` of a function in an FP folder (lint rule FP001's
``folders``, default ``Tasks/`` and ``Workers/``) or of a function the index knows returns the
envelope. An endpoint never wired to anything (no live statement, ``response`` null or absent)
in a group whose other endpoints answer the envelope is judged as they are: it answers ``null``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from xanoctl.lint.facts import InputFact


@dataclass(frozen=True)
class Endpoint:
    group: str
    canonical: str | None
    verb: str
    path: str  # the endpoint's name: its path template (`users/{id}`)
    inputs: tuple[InputFact, ...]
    auth: bool
    envelope: bool
    file: str  # absolute
    shown: str  # as reports show it
    line: int

    @property
    def label(self) -> str:
        return f"{self.verb} {self.path}"

    def path_params(self) -> list[str]:
        return [part[1:-1] for part in self.path.strip("/").split("/") if part.startswith("{") and part.endswith("}")]


def discover(workspace, fp_folders: list[str]) -> list[Endpoint]:
    """Every endpoint of the workspace (a :class:`xanoctl.views.load.Workspace`), by group, then
    file."""
    from xanoctl.language.parser import parse_documents, read_source

    graph = workspace.graph
    index = workspace.index
    parsed: dict[str, list] = {}

    def document(doc):
        if doc.path not in parsed:
            parsed[doc.path] = parse_documents(read_source(doc.path), doc.path)
        return next((d for d in parsed[doc.path]
                     if d.kind == doc.kind and d.name == doc.name and (d.verb or "") == (doc.verb or "")), None)

    unwired: set[Endpoint] = set()
    canonicals: dict[str, str | None] = {}
    for doc in index.documents:
        if doc.kind == "api_group":
            parsed_doc = document(doc)
            value = getattr(parsed_doc.value("canonical"), "value", None) if parsed_doc else None
            canonicals.setdefault(doc.name, value if isinstance(value, str) and value else None)
    found = []
    for doc in sorted(index.documents, key=lambda d: (d.path, d.pos)):
        if doc.kind != "query" or not doc.verb:
            continue
        node = graph.nodes[graph.id_of(doc)]
        parsed_doc = document(doc)
        if parsed_doc is None or node.group is None:
            continue
        auth = getattr(parsed_doc.value("auth"), "value", None)
        found.append(Endpoint(node.group, canonicals.get(node.group), doc.verb.upper(), doc.name.strip("/"),
                              tuple(doc.inputs or ()), bool(auth), _answers_envelope(parsed_doc, index, fp_folders),
                              doc.path, workspace.shown(doc.path), doc.pos[0]))
        if _unwired(parsed_doc):
            unwired.add(found[-1])
    # an endpoint never wired (no live statement, no response) in a group whose endpoints answer
    # the envelope was meant to answer it too: it is judged as they are
    enveloped = {e.group for e in found if e.envelope}
    found = [dataclasses.replace(e, envelope=True) if e in unwired and e.group in enveloped else e for e in found]
    return sorted(found, key=lambda e: (e.group, e.file, e.line))


def _unwired(doc) -> bool:
    from xanoctl.language.model import Literal

    response = doc.response
    return all(stmt.disabled for stmt in doc.stack or []) and (
        response is None or isinstance(response, Literal) and response.kind == "null")


def _answers_envelope(doc, index, fp_folders: list[str]) -> bool:
    from xanoctl.language.model import ObjectLit, Variable

    response = doc.response
    if isinstance(response, ObjectLit):
        return "success" in response.keys()
    if not isinstance(response, Variable):
        return False
    for stmt in doc.statements():
        if stmt.kind == "function.run" and stmt.alias is not None and stmt.alias.name == response.name \
                and not stmt.alias.path and isinstance(stmt.target, str):
            fact = index.functions.get(stmt.target)
            return any(stmt.target.startswith(folder) for folder in fp_folders) or \
                (fact is not None and fact.status == "envelope")
    return False
