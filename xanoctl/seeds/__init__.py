"""Seed workspaces: the content the emulator serves and the benchmarks read.

A :class:`Seed` is a list of :class:`SeedObject` (one per Xano object, with its XanoScript
exactly as an export writes it: 2-space indent, no final newline) and the list of
:class:`PlantedBug` the linter must report on it, each with the rule code and the 1-based
line and column where the finding points.

Two seeds exist:

- ``load_seed("demo")``: a small workspace shaped like a real one, stored as ``.xs`` files
  under ``xanoctl/seeds/demo/`` with an ``index.json`` of metadata and planted bugs.
- ``load_seed("generated")``: :func:`xanoctl.seeds.generate.generate` with its defaults
  (2,000 functions, 1,000 endpoints, 100 tasks, 20 tables; about 150,000 lines), clean.

The emulator assigns ids, guids and timestamps when it loads a seed; a seed holds none.

Editing the demo: each entry of ``index.json`` names its ``.xs`` file; each planted bug records
``line``, ``column`` and the ``snippet`` found there, so a change that moves a bug's line shows
up in ``tests/test_seeds.py`` (which also checks that nothing but the planted bugs is wrong).
Endpoints (kind ``query``) belong to an API group by ``group`` (the group's name); their
``name`` is the path (``"tasks/fub-sync-people"``) and ``verb`` the HTTP method.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from xanoctl.xano.kinds import NAMES

KINDS = NAMES  # :mod:`xanoctl.xano.kinds`


@dataclass(slots=True)
class SeedObject:
    """One object of a seed workspace.

    ``kind`` is one of :data:`KINDS`. ``verb`` and ``group`` are set for endpoints only
    (``kind == "query"``). ``active`` is set for tasks only. ``extra`` holds the few
    kind-specific API fields: ``canonical`` and ``swagger`` for API groups, ``auth`` (the
    auth table) for endpoints that require one.
    """

    kind: str
    name: str
    xanoscript: str
    verb: str | None = None
    group: str | None = None
    description: str = ""
    tags: list[str] = field(default_factory=list)
    active: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return self.xanoscript.count("\n") + 1


@dataclass(slots=True)
class PlantedBug:
    """A bug deliberately left in a seed, and where the linter must report it.

    ``code`` is the rule code (``FP003``, ``ID001``...; ``XX-future`` for bugs no rule checks
    yet). ``kind``, ``name``, ``verb`` and ``group`` identify the object. ``line`` and
    ``column`` are 1-based, inside the object's XanoScript, at the start of the offending
    expression, statement or clause; ``snippet`` is the source text that starts there.
    """

    code: str
    kind: str
    name: str
    verb: str | None
    line: int
    column: int
    note: str
    group: str | None = None
    snippet: str = ""


@dataclass(slots=True)
class Seed:
    objects: list[SeedObject]
    planted: list[PlantedBug]
    name: str = ""

    def of_kind(self, kind: str) -> list[SeedObject]:
        return [obj for obj in self.objects if obj.kind == kind]

    def find(self, kind: str, name: str, verb: str | None = None,
             group: str | None = None) -> SeedObject | None:
        """The object of that kind and name (and verb and group, for endpoints), or None."""
        for obj in self.objects:
            if obj.kind == kind and obj.name == name and (verb is None or obj.verb == verb) \
                    and (group is None or obj.group == group):
                return obj
        return None

    def object_of(self, bug: PlantedBug) -> SeedObject | None:
        return self.find(bug.kind, bug.name, bug.verb, bug.group)

    @property
    def line_count(self) -> int:
        return sum(obj.line_count for obj in self.objects)


def load_seed(name: str) -> Seed:
    """Load a seed by name: ``"demo"`` or ``"generated"``. Raises ValueError otherwise."""
    if name == "demo":
        return _load_stored("demo")
    if name == "generated":
        from xanoctl.seeds.generate import generate

        return generate()
    raise ValueError(f"unknown seed {name!r}: choose 'demo' or 'generated'")


def _load_stored(name: str) -> Seed:
    """Read a seed stored as package data: ``<name>/index.json`` plus one ``.xs`` per object."""
    root = resources.files(__name__).joinpath(name)
    index = json.loads(root.joinpath("index.json").read_text(encoding="utf-8"))
    objects = []
    for entry in index["objects"]:
        entry = dict(entry)
        text = root.joinpath(entry.pop("file")).read_text(encoding="utf-8")
        objects.append(SeedObject(xanoscript=text.removesuffix("\n"), **entry))
    planted = [PlantedBug(**bug) for bug in index["planted"]]
    return Seed(objects=objects, planted=planted, name=name)
