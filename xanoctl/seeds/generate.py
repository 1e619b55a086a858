"""Generate a realistic Xano workspace of any size, deterministically.

``generate()`` plans the workspace (:mod:`xanoctl.seeds._plan`, :mod:`xanoctl.seeds._objects`),
optionally plants one known instance of every bug the linter finds, renders every object to
XanoScript in the layout of Xano's exports, and returns a :class:`~xanoctl.seeds.Seed` whose
``planted`` list says where each planted bug is. Without ``plant_bugs`` the workspace is clean.
With the default sizes it holds about 150,000 lines.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from xanoctl.seeds import PlantedBug, Seed, SeedObject
from xanoctl.seeds._functions import render_function
from xanoctl.seeds._objects import (ADMIN_MIDDLEWARE, WEBHOOK_MIDDLEWARE, Endpoint, Job, plan_endpoints, plan_groups,
                                    plan_jobs, render_endpoint, render_group, render_job, render_middleware,
                                    render_table)
from xanoctl.seeds._plan import Call, Fn, Plan, plan


@dataclass
class _Plant:
    """A planted bug before rendering: the object, and how to find its position afterwards."""

    code: str
    kind: str
    name: str
    pattern: str  # a regular expression matching exactly once in the object's XanoScript
    note: str
    verb: str | None = None
    group: str | None = None


def generate(functions: int = 2000, endpoints: int = 1000, tasks: int = 100, tables: int = 20,
             seed: int = 0, plant_bugs: bool = False) -> Seed:
    """A generated workspace with exactly ``functions`` functions, ``endpoints`` endpoints,
    ``tasks`` background tasks and ``tables`` tables (plus the API groups and middleware they
    use). The same arguments always give the same Seed."""
    rng = random.Random(seed)
    workspace = plan(functions, tables, rng)
    endpoint_list = plan_endpoints(endpoints, workspace, rng)
    groups = plan_groups(endpoint_list, rng)
    jobs = plan_jobs(tasks, workspace, rng)
    plants = _plant(workspace, endpoint_list, jobs, random.Random(f"{seed}:bugs")) if plant_bugs else []

    objects: list[SeedObject] = []
    for table in workspace.tables:
        objects.append(SeedObject("table", table.name, render_table(table), description=table.description))
    for fn in workspace.functions:
        objects.append(SeedObject("function", fn.name, render_function(fn, seed), description=fn.description,
                                  tags=["archive"] if fn.folder == "Archive" else []))
    for job in jobs:
        objects.append(SeedObject("task", job.name, render_job(job), description=job.description, active=job.active))
    for group in groups:
        objects.append(SeedObject("api_group", group.name, render_group(group), description=group.description,
                                  tags=list(group.tags), extra={"canonical": group.canonical,
                                                                "swagger": group.swagger}))
    if endpoint_list:
        for name in (WEBHOOK_MIDDLEWARE, ADMIN_MIDDLEWARE):
            objects.append(SeedObject("middleware", name, render_middleware(name)))
    for endpoint in endpoint_list:
        objects.append(SeedObject("query", endpoint.path, render_endpoint(endpoint, seed), verb=endpoint.verb,
                                  group=endpoint.group, description=endpoint.description,
                                  extra={"auth": endpoint.auth} if endpoint.auth else {}))
    return Seed(objects=objects, planted=[_locate(p, objects) for p in plants], name="generated")


def _locate(plant: _Plant, objects: list[SeedObject]) -> PlantedBug:
    obj = next(o for o in objects if o.kind == plant.kind and o.name == plant.name
               and o.verb == plant.verb and o.group == plant.group)
    matches = list(re.finditer(plant.pattern, obj.xanoscript, re.M))
    if len(matches) != 1:
        raise AssertionError(f"planted {plant.code} in {plant.name}: {len(matches)} matches of {plant.pattern!r}")
    start = matches[0].start("at") if "at" in matches[0].groupdict() else matches[0].start()
    text = obj.xanoscript
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    snippet = text[start:matches[0].end()]
    return PlantedBug(plant.code, plant.kind, plant.name, plant.verb, line, column, plant.note, plant.group, snippet)


# --------------------------------------------------------------------------- planting


def _plant(workspace: Plan, endpoints: list[Endpoint], jobs: list[Job], rng: random.Random) -> list[_Plant]:
    """Set bug flags on the plan; return how to find each bug once rendered. Each bug goes into
    its own object. Sizes too small for a bug simply skip it."""
    used: set[str] = set()
    plants: list[_Plant] = []

    def pick(candidates: list, key=lambda item: item.name):
        free = [c for c in candidates if key(c) not in used]
        if not free:
            return None
        chosen = rng.choice(free)
        used.add(key(chosen))
        return chosen

    def worker_calls(fn: Fn) -> list[Call]:
        return [c for c in fn.calls if c.callee is not None and c.callee.folder == "Workers"]

    callers = [t for t in workspace.tasks if worker_calls(t) and worker_calls(t)[0].callee.work != "one"]  # type: ignore[union-attr]
    for mode in ("direct", "direct", "copy"):
        fn = pick(callers)
        if fn is None:
            continue
        first = worker_calls(fn)[0]
        fn.bugs["fp003"] = mode
        key = first.callee.data[0][0]  # type: ignore[union-attr]
        var = f"{first.alias}_result" if mode == "copy" else first.alias
        plants.append(_Plant("FP003", "function", fn.name, re.escape(f"{var}.{key}") + r"(?![\w.])",
                             f"reads {var}.{key}; {first.name} returns an envelope, so it should read "
                             f"{first.alias}.data.{key}" + (" (through a copy of the result)" if mode == "copy" else "")))

    renames = [(t, c, f) for t in workspace.tasks for c in worker_calls(t) if c.callee.work != "one"  # type: ignore[union-attr]
               for f in c.callee.inputs if not f.required]  # type: ignore[union-attr]
    rng.shuffle(renames)
    renames.sort(key=lambda found: found[2].name != "ad_user_id")  # the classic one first, when it exists
    for fn, planted_call, item in renames:
        wrong = _near_miss(item.name)
        if not wrong or fn.name in used or planted_call.callee.input(wrong) or wrong in {f.name for f in fn.inputs}:  # type: ignore[union-attr]
            continue
        used.add(fn.name)
        planted_call.rename = (item.name, wrong)
        plants.append(_Plant("ID001", "function", fn.name, rf"(?<![\w$.])(?P<at>{wrong})(?=\s*:)",
                             f"passes {wrong} to {planted_call.name}, whose input is {item.name}"))
        break

    omits = [(t, c) for t in workspace.tasks for c in worker_calls(t)
             if c.callee.work != "one" and any(f.required for f in c.callee.inputs)]  # type: ignore[union-attr]
    rng.shuffle(omits)
    for fn, planted_call in omits:
        if fn.name in used:
            continue
        used.add(fn.name)
        planted_call.omit = next(f.name for f in planted_call.callee.inputs if f.required)  # type: ignore[union-attr]
        plants.append(_Plant("ID002", "function", fn.name, re.escape(f'function.run "{planted_call.name}"'),
                             f"omits {planted_call.omit}, a required input of {planted_call.name}"))
        break

    fn = pick([t for t in workspace.tasks if len(worker_calls(t)) > 1 and worker_calls(t)[-1].callee.work != "one"])  # type: ignore[union-attr]
    if fn is not None:
        ghost_call = worker_calls(fn)[-1]
        ghost_call.ghost, ghost_call.callee = ghost_call.callee, None
        ghost_call.name = ghost_call.name.replace(" - ", " - Run ", 1) + " (new)"
        plants.append(_Plant("XR001", "function", fn.name, re.escape(f'function.run "{ghost_call.name}"'),
                             f"calls {ghost_call.name}, which does not exist (renamed to {ghost_call.ghost.name})"))  # type: ignore[union-attr]

    fn = pick([t for t in workspace.tasks if worker_calls(t) and worker_calls(t)[0].callee.work != "one"])  # type: ignore[union-attr]
    if fn is not None:
        fn.bugs["coalesce"] = True
        alias = worker_calls(fn)[0].alias
        plants.append(_Plant("FP004", "function", fn.name, re.escape(f"{alias}.success ?? true"),
                             "success check written with ?? true counts a missing envelope as success"))

    for flag, code, note in (("fp001", "FP001", "Workers/ function whose response is its data without the envelope"),
                             ("fp002", "FP002", "envelope response without the error key")):
        fn = pick(workspace.workers)
        if fn is not None:
            fn.bugs[flag] = True
            plants.append(_Plant(code, "function", fn.name, r"^  response = (?P<at>.+)$", note))

    fn = pick(workspace.archive)
    if fn is not None:
        fn.bugs["legacy_response"] = True
        plants.append(_Plant("XS002", "function", fn.name, r"^  (?P<at>response) \{$",
                             "older beta form response { value = ... }"))

    fn = pick([w for w in workspace.workers if w.work == "one" and w.table is not None])
    if fn is not None:
        record_id = fn.input("record_id")
        assert record_id is not None
        record_id.type = "text"
        plants.append(_Plant("TY001", "function", fn.name, r"field_value = (?P<at>\$input\.record_id)$",
                             "text record_id passed to db.get on the integer id field"))

    endpoint = pick([e for e in endpoints if e.kind in ("webhook", "create", "list")], key=lambda e: e.path + e.verb)
    if endpoint is not None:
        endpoint.bugs["empty"] = True
        plants.append(_Plant("EP001", "query", endpoint.path, r"^  (?P<at>stack) \{$",
                             "endpoint with an empty stack: it answers null", endpoint.verb, endpoint.group))

    for schedule, code, note in (("missing", "SC001", "background task without a schedule"),
                                 ("freq0", "SC002", "schedule event with freq: 0"),
                                 ("ends_before", "SC002", "schedule event whose ends_on is before its starts_on"),
                                 ("legacy", "SC002", "legacy block form schedule { events = [...] }")):
        job = pick(jobs)
        if job is None:
            continue
        job.bugs["schedule"] = schedule
        pattern = {"missing": r"^(?P<at>task) ", "legacy": r"^  (?P<at>schedule) \{$"}.get(
            schedule, r"schedule = \[(?P<at>\{starts_on)")
        plants.append(_Plant(code, "task", job.name, pattern, note))
        if schedule == "legacy":
            plants.append(_Plant("XS002", "task", job.name, pattern, "the legacy schedule block is older beta syntax"))
    return plants


def _near_miss(name: str) -> str:
    """A wrong input name a developer could plausibly have typed for ``name``."""
    parts = name.split("_")
    if len(parts) >= 3 and parts[-1] == "id":
        return "_".join(parts[1:])  # ad_user_id -> user_id
    if name.endswith("s") and len(name) > 4:
        return name[:-1]  # days -> day
    if len(parts) == 2:
        return parts[1] + "_" + parts[0]  # page_size -> size_page
    return ""
