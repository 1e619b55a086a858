"""The seed workspaces: the demo shipped as package data, and the generator.

Besides shape and determinism, these tests run a small reference check of the rules the demo
exercises (XR001, ID001, ID002, FP001-FP003, EP001, SC001, SC002, XS002) over the parsed
model, and assert that it finds exactly the planted bugs: the seeds are only useful to the
linter's tests if everything not planted is clean.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import astuple
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pytest

from xanoctl.language import model as m
from xanoctl.language.parser import parse_document
from xanoctl.seeds import Seed, load_seed
from xanoctl.seeds.generate import generate

REPO = Path(__file__).resolve().parents[1]
SMALL = {"functions": 120, "endpoints": 60, "tasks": 12, "tables": 6}
RULE_CODES = {"FP001", "FP002", "FP003", "FP004", "ID001", "ID002", "XR001", "EP001", "SC001", "SC002", "XS002"}
UNCHECKED = {"TY001"}  # planted bugs the reference below does not re-state
# the workspace rules of issue 11: one instance of each is planted in the demo only
DEMO_ONLY = {"DB001", "DB002", "RT001", "XR002", "XR003", "SEC001", "SEC002", "PF001", "ST001"}


@lru_cache(maxsize=None)
def seed_of(name: str, plant_bugs: bool = False, small: bool = False) -> Seed:
    if name == "demo":
        return load_seed("demo")
    return generate(plant_bugs=plant_bugs, **(SMALL if small else {}))


@lru_cache(maxsize=None)
def documents_of(name: str, plant_bugs: bool = False, small: bool = False) -> list[tuple[object, m.Document]]:
    return [(obj, parse_document(obj.xanoscript, obj.name)) for obj in seed_of(name, plant_bugs, small).objects]


# --------------------------------------------------------------------------- the demo


def test_demo_ships_in_the_installed_package():
    root = resources.files("xanoctl.seeds").joinpath("demo")
    index = json.loads(root.joinpath("index.json").read_text(encoding="utf-8"))
    for entry in index["objects"]:
        assert root.joinpath(entry["file"]).is_file(), entry["file"]
    seed = load_seed("demo")
    assert len(seed.objects) == len(index["objects"]) and seed.name == "demo"


def test_demo_files_ship_with_the_installed_package():
    """The tests run against the installed package (CI installs it with `pip install .`), so
    every demo file listed in the source index must be present in the installed copy."""
    from importlib import resources

    installed = resources.files("xanoctl") / "seeds" / "demo"
    index = json.loads((REPO / "xanoctl/seeds/demo/index.json").read_text(encoding="utf-8"))
    assert (installed / "index.json").is_file()
    missing = [entry["file"] for entry in index["objects"] if not (installed / entry["file"]).is_file()]
    assert missing == []


def test_demo_is_shaped_like_a_real_workspace():
    seed = load_seed("demo")
    functions = [o.name for o in seed.of_kind("function")]
    for folder, at_least in (("Tasks/", 8), ("Workers/", 10), ("Utils/", 4), ("Archive/", 2)):
        assert sum(name.startswith(folder) for name in functions) >= at_least, folder
    assert 25 <= len(functions) <= 40
    assert 6 <= len(seed.of_kind("task")) <= 12
    assert 2 <= len(seed.of_kind("api_group")) <= 3
    assert 3 <= len(seed.of_kind("table")) <= 6
    assert len(seed.of_kind("middleware")) == 1
    groups = {o.name for o in seed.of_kind("api_group")}
    assert all(o.group in groups and o.verb in ("GET", "POST", "PUT", "PATCH", "DELETE") for o in seed.of_kind("query"))


def test_demo_xanoscript_has_the_export_layout():
    for obj in load_seed("demo").objects:
        text = obj.xanoscript
        assert not text.endswith("\n") and "\t" not in text and "\r" not in text, obj.name
        for line in text.split("\n"):
            assert (len(line) - len(line.lstrip(" "))) % 2 == 0 or '"""' in text, (obj.name, line)


def test_load_seed_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown seed"):
        load_seed("nope")


@pytest.mark.parametrize("name,plant_bugs,small", [("demo", False, False), ("generated", True, True),
                                                    ("generated", True, False)])
def test_every_planted_bug_points_into_its_object(name, plant_bugs, small):
    seed = seed_of(name, plant_bugs, small)
    assert seed.planted
    for bug in seed.planted:
        obj = seed.object_of(bug)
        assert obj is not None, bug
        lines = obj.xanoscript.split("\n")
        assert 1 <= bug.line <= len(lines), bug
        assert bug.snippet and lines[bug.line - 1][bug.column - 1:].startswith(bug.snippet.split("\n")[0]), bug
        assert bug.note


@pytest.mark.parametrize("name,plant_bugs,small", [("demo", False, False), ("generated", True, True),
                                                    ("generated", True, False)])
def test_every_bug_of_section_8_is_planted(name, plant_bugs, small):
    seed = seed_of(name, plant_bugs, small)
    codes = [bug.code for bug in seed.planted]
    assert RULE_CODES <= set(codes) - DEMO_ONLY <= RULE_CODES | UNCHECKED
    assert DEMO_ONLY <= set(codes) if name == "demo" else not DEMO_ONLY & set(codes)
    assert codes.count("FP003") == 3 and codes.count("SC002") == 3
    assert codes.count("TY001") == 1 or (small and codes.count("TY001") == 0)  # tiny sizes may lack it
    buggy = {(b.kind, b.name, b.verb, b.group) for b in seed.planted if b.kind == "function"}
    assert len(buggy) == sum(b.kind == "function" for b in seed.planted)  # one bug per function


# --------------------------------------------------------------------------- the generator


@pytest.mark.parametrize("sizes", [SMALL, {"functions": 7, "endpoints": 3, "tasks": 2, "tables": 1},
                                   {"functions": 0, "endpoints": 0, "tasks": 0, "tables": 0},
                                   {"functions": 300, "endpoints": 150, "tasks": 30, "tables": 30}])
def test_generation_has_the_requested_counts(sizes):
    seed = generate(**sizes)
    assert len(seed.of_kind("function")) == sizes["functions"]
    assert len(seed.of_kind("query")) == sizes["endpoints"]
    assert len(seed.of_kind("task")) == sizes["tasks"]
    assert len(seed.of_kind("table")) == sizes["tables"]
    keys = [(o.kind, o.group, o.name, o.verb) for o in seed.objects]
    assert len(keys) == len(set(keys))
    groups = {o.name for o in seed.of_kind("api_group")}
    assert {o.group for o in seed.of_kind("query")} == groups


def test_generation_is_deterministic():
    def snapshot(seed: Seed):
        return [(o.kind, o.group, o.name, o.verb, o.xanoscript, o.active, o.extra) for o in seed.objects], \
            [astuple(b) for b in seed.planted]

    assert snapshot(generate(**SMALL, plant_bugs=True)) == snapshot(generate(**SMALL, plant_bugs=True))
    assert snapshot(generate(**SMALL)) != snapshot(generate(**SMALL, seed=1))


def test_default_generation_is_about_150k_lines_and_is_the_generated_seed():
    seed = seed_of("generated")
    assert 120_000 <= seed.line_count <= 180_000
    assert not seed.planted
    counts = {kind: len(seed.of_kind(kind)) for kind in ("function", "query", "task", "table")}
    assert counts == {"function": 2000, "query": 1000, "task": 100, "table": 20}
    assert 15 <= len(seed.of_kind("api_group")) <= 25
    folders = {o.name.split("/")[0] for o in seed.of_kind("function")}
    assert folders == {"Tasks", "Workers", "Utils", "Archive"}
    assert [o.xanoscript for o in load_seed("generated").objects[:50]] == [o.xanoscript for o in seed.objects[:50]]


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("name,plant_bugs,small", [("demo", False, False), ("generated", False, False),
                                                    ("generated", True, True)])
def test_every_document_parses(name, plant_bugs, small):
    for obj, doc in documents_of(name, plant_bugs, small):
        assert doc.kind == obj.kind
        assert doc.name == obj.name and doc.verb == obj.verb


# --------------------------------------------------------------------------- reference check

ENVELOPE = ("success", "data", "error")


def reference_findings(docs: list[tuple[object, m.Document]]) -> set[tuple]:
    """What the linter must report, computed directly from the model (a deliberately small
    re-statement of the rules in design.md, not the linter)."""
    functions = {doc.name: doc for obj, doc in docs if doc.kind == "function"}
    findings: set[tuple] = set()

    def add(code, obj, pos):
        findings.add((code, obj.kind, obj.name, obj.verb, obj.group, pos.line, pos.column))

    def returns_envelope(doc: m.Document) -> bool:
        value = doc.response
        return isinstance(value, m.ObjectLit) and {"success", "data"} <= set(value.keys())

    for obj, doc in docs:
        for _, pos in doc.legacy:
            add("XS002", obj, pos)
        if doc.kind == "function" and doc.name.startswith(("Tasks/", "Workers/")):
            values = [doc.response] + [s.value("value") for s in doc.statements() if s.kind == "return"]
            for value in values:
                if value is None:
                    continue
                keys = set(value.keys()) if isinstance(value, m.ObjectLit) else set()
                if not keys & set(ENVELOPE):
                    add("FP001", obj, value.pos)
                elif not set(ENVELOPE) <= keys:
                    add("FP002", obj, value.pos)
        if doc.kind == "query" and not doc.stack:
            add("EP001", obj, doc.stack_pos)
        if doc.kind == "task":
            _check_schedule(doc, lambda code, pos: add(code, obj, pos))
        envelope_vars: dict[str, str] = {}
        for statement in doc.statements():
            if statement.kind == "function.run":
                callee = functions.get(statement.target)
                if callee is None:
                    add("XR001", obj, statement.pos)
                    continue
                declared = {f.name: f for f in callee.inputs or []}
                given = statement.value("input")
                keys = given.entries if isinstance(given, m.ObjectLit) else []
                for entry in keys:
                    if entry.key not in declared:
                        add("ID001", obj, entry.pos)
                if {name for name, f in declared.items() if f.required} - {e.key for e in keys}:
                    add("ID002", obj, statement.pos)
                if statement.alias and returns_envelope(callee):
                    envelope_vars[statement.alias.name] = callee.name
            elif statement.kind == "var" and isinstance(statement.value("value"), m.Variable):
                source = statement.value("value").name
                if source in envelope_vars and isinstance(statement.target, m.Variable):
                    envelope_vars[statement.target.name] = envelope_vars[source]
        for expr in _expressions(doc):
            for node in m.walk_expr(expr):
                path = m.access_path(node) if isinstance(node, m.Member) and isinstance(node.obj, m.Variable) else None
                if path and path[0] in envelope_vars and path[1][0] not in ENVELOPE + ("step",):
                    add("FP003", obj, node.obj.pos)
                if isinstance(node, m.Binary) and node.op == "??" and isinstance(node.right, m.Literal) \
                        and node.right.value is True and isinstance(node.left, m.Member) and node.left.key == "success":
                    add("FP004", obj, node.pos)
    return findings


def _expressions(doc: m.Document):
    for setting in doc.settings:
        yield setting.value
    for statement in doc.statements():
        yield from statement.args
        if statement.guard is not None:
            yield statement.guard
        for setting in statement.settings:
            yield setting.value


def _check_schedule(doc: m.Document, add) -> None:
    events = doc.schedule
    if events is None:
        add("SC001", doc.pos)
        return
    for block in doc.blocks:
        if block.kind == "schedule":
            add("SC002", block.pos)
            return
    for event in events:
        starts, freq, ends = event.starts_on, event.freq, event.ends_on
        ok = isinstance(starts, m.Literal) and starts.kind == "timestamp"
        ok = ok and (freq is None or (isinstance(freq, m.Literal) and isinstance(freq.value, int) and freq.value > 0))
        if ok and ends is not None:
            ok = isinstance(ends, m.Literal) and ends.kind == "timestamp" and _instant(ends.value) > _instant(starts.value)
        if not ok:
            add("SC002", event.pos)


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S%z")


@pytest.mark.parametrize("name,plant_bugs,small", [("demo", False, False), ("generated", True, True),
                                                    ("generated", False, False)])
def test_reference_check_finds_exactly_the_planted_bugs(name, plant_bugs, small):
    seed = seed_of(name, plant_bugs, small)
    expected = {(b.code, b.kind, b.name, b.verb, b.group, b.line, b.column)
                for b in seed.planted if b.code in RULE_CODES}
    assert reference_findings(documents_of(name, plant_bugs, small)) == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_are_clean_but_for_their_planted_bugs(seed):
    for plant_bugs in (False, True):
        generated = generate(seed=seed, plant_bugs=plant_bugs, functions=200, endpoints=90, tasks=15, tables=7)
        docs = [(obj, parse_document(obj.xanoscript, obj.name)) for obj in generated.objects]
        expected = {(b.code, b.kind, b.name, b.verb, b.group, b.line, b.column)
                    for b in generated.planted if b.code in RULE_CODES}
        assert reference_findings(docs) == expected


# --------------------------------------------------------------------------- the benchmark writer


@pytest.mark.skipif(not (REPO / "bench/generate_workspace.py").is_file(), reason="needs the source tree")
def test_bench_writer_lays_out_the_workspace_tree(tmp_path):
    out = tmp_path / "ws"
    result = subprocess.run([sys.executable, str(REPO / "bench/generate_workspace.py"), str(out),
                             "--functions", "40", "--endpoints", "30", "--tasks", "5", "--tables", "4",
                             "--plant-bugs"], capture_output=True, text=True, check=True)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xs"))
    seed = generate(functions=40, endpoints=30, tasks=5, tables=4, plant_bugs=True)
    assert len(files) == len(seed.objects)
    assert f"{len(files)} files" in result.stdout
    assert f"{seed.line_count} lines" in result.stdout.replace(",", "")
    assert {f.split("/")[0] for f in files} == {"function", "task", "api", "table", "middleware"}
    assert any(f.startswith("function/Workers/") for f in files)
    assert all("{" not in f and "}" not in f for f in files)
    assert any(f.endswith("/api_group.xs") for f in files)
    assert any(f.endswith(("_GET.xs", "_POST.xs")) for f in files)
    planted = json.loads((out / "planted.json").read_text())
    assert len(planted) == len(seed.planted)
