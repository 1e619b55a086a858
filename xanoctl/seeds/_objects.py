"""Plan and render the generated workspace's non-function objects: tables, API groups,
endpoints (test endpoints wired one to one to Tasks/ and Workers/ functions, CRUD, webhooks,
admin re-runs), background tasks with schedules, and middleware."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from xanoctl.seeds._catalog import DOMAINS, SCHEDULE_FREQS
from xanoctl.seeds._format import export_blank_lines
from xanoctl.seeds._body import fallback, input_block
from xanoctl.seeds._plan import Field, Fn, Plan, Table, slug
from xanoctl.seeds._xs import Entry, Lines, Value, block, call, cond, indent, obj, quote, setting, stmt, update, var

WEBHOOK_MIDDLEWARE = "Verify Webhook Signature"
ADMIN_MIDDLEWARE = "Require Admin"


@dataclass
class Endpoint:
    group: str
    path: str
    verb: str
    kind: str  # test, list, get, create, update, delete, webhook, admin, ping
    fn: Fn | None = None
    table: Table | None = None
    description: str = ""
    bugs: dict[str, Any] = field(default_factory=dict)

    @property
    def auth(self) -> str | None:
        return "user" if self.kind in ("list", "get", "create", "update", "delete", "admin") else None


@dataclass
class Group:
    name: str
    canonical: str
    swagger: bool
    description: str
    tags: list[str]


@dataclass
class Job:
    name: str
    fn: Fn | None
    active: bool
    events: list[tuple[str, int | None, str | None]]  # (starts_on, freq, ends_on)
    description: str
    bugs: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- planning


def plan_endpoints(count: int, plan: Plan, rng: random.Random) -> list[Endpoint]:
    endpoints: list[Endpoint] = []
    n_tasks = min(len(plan.tasks), round(count * 0.42))
    n_workers = min(len(plan.workers), round(count * 0.30))
    for fn in plan.tasks[:n_tasks]:
        endpoints.append(Endpoint("", "tasks/" + slug(fn.name.split("/", 1)[1]), "POST", "test", fn))
    for fn in rng.sample(plan.workers, n_workers):
        verb = "GET" if fn.action in ("Fetch", "Summarize") else "POST"
        endpoints.append(Endpoint("", "workers/" + slug(fn.name.split("/", 1)[1]), verb, "test", fn))
    crud = []
    for table in plan.tables:
        base = table.name
        crud += [Endpoint("App", base, "GET", "list", table=table),
                 Endpoint("App", f"{base}/{{{base}_id}}", "GET", "get", table=table),
                 Endpoint("App", base, "POST", "create", table=table),
                 Endpoint("App", f"{base}/{{{base}_id}}", "PATCH", "update", table=table),
                 Endpoint("App", f"{base}/{{{base}_id}}", "DELETE", "delete", table=table)]
    webhooks = []
    for domain in DOMAINS:
        receivers = [w for w in plan.workers if w.domain is domain and (w.input("records") or w.input("record"))]
        for entity in domain.entities[:3]:
            fn = next((w for w in receivers if w.entity is entity), receivers[0] if receivers else None)
            table = next((t for t in plan.tables if t.entity is entity), None)
            if fn or table:
                webhooks.append(Endpoint("Webhooks", f"webhooks/{domain.slug}/{entity.singular.replace('_', '-')}",
                                         "POST", "webhook", fn, table))
    rest = count - len(endpoints)
    extra = crud[:rest] + webhooks[:max(rest - len(crud), 0)]
    endpoints += extra
    rest = count - len(endpoints)
    for index in range(rest):
        if plan.tasks:
            fn = plan.tasks[index % len(plan.tasks)]
            suffix = "" if index < len(plan.tasks) else f"-{index // len(plan.tasks) + 1}"
            endpoints.append(Endpoint("Admin", f"admin/tasks/{slug(fn.name.split('/', 1)[1])}/run{suffix}",
                                      "POST", "admin", fn))
        else:
            endpoints.append(Endpoint("App", f"ping/{index + 1}", "GET", "ping"))
    _assign_test_groups(endpoints, count)
    for endpoint in endpoints:
        endpoint.description = _endpoint_description(endpoint)
    return endpoints


def _assign_test_groups(endpoints: list[Endpoint], count: int) -> None:
    tests = [e for e in endpoints if e.kind == "test"]
    n_groups = max(1, max(4, round(count / 50)) - 3)
    by_domain: dict[str, int] = {}
    for endpoint in tests:
        name = endpoint.fn.domain.name if endpoint.fn and endpoint.fn.domain else "Other"
        by_domain[name] = by_domain.get(name, 0) + 1
    ranked = sorted(by_domain, key=lambda name: (-by_domain[name], name))
    own = set(ranked[:n_groups - 1]) if len(ranked) > n_groups else set(ranked)
    for endpoint in tests:
        name = endpoint.fn.domain.name if endpoint.fn and endpoint.fn.domain else "Other"
        endpoint.group = ("Tests - " + name if name in own else "Tests - Other") if n_groups > 1 else "Tests"


def _endpoint_description(endpoint: Endpoint) -> str:
    if endpoint.kind in ("test", "admin"):
        assert endpoint.fn is not None
        return (f"Runs {endpoint.fn.name} with the request's inputs." if endpoint.kind == "test"
                else f"Re-runs {endpoint.fn.name} on demand (admins only).")
    if endpoint.kind == "webhook":
        return f"Webhook receiver for {endpoint.path.split('/')[1]} {endpoint.path.split('/')[2]} events."
    table = endpoint.table.name if endpoint.table else ""
    return {"list": f"Lists {table} rows, newest first.", "get": f"One {table} row by id.",
            "create": f"Creates a {table} row.", "update": f"Updates the given fields of a {table} row.",
            "delete": f"Deletes a {table} row.", "ping": "Health check."}[endpoint.kind]


def plan_groups(endpoints: list[Endpoint], rng: random.Random) -> list[Group]:
    names: list[str] = []
    for endpoint in endpoints:
        if endpoint.group not in names:
            names.append(endpoint.group)
    groups = []
    for name in names:
        canonical = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(8))
        test = name.startswith("Tests")
        description = {"App": "The back-office app's API.", "Webhooks": "Webhook receivers of the integrations.",
                       "Admin": "Admin-only operations."}.get(name, f"Test endpoints, one per function ({name[8:] or 'all'}).")
        groups.append(Group(name, canonical, test or name == "App", description, ["tests"] if test else []))
    return groups


def plan_jobs(count: int, plan: Plan, rng: random.Random) -> list[Job]:
    targets = plan.tasks or plan.workers
    jobs: list[Job] = []
    taken: set[str] = set()
    for index in range(count):
        fn = targets[index % len(targets)] if targets else None
        base = fn.name.split("/", 1)[1] if fn else f"Heartbeat {index + 1}"
        name, number = base, 2
        while name in taken:
            name, number = f"{base} #{number}", number + 1
        taken.add(name)
        events = [_event(rng)]
        if rng.random() < 0.1:
            events.append(_event(rng))
        description = rng.choice(("Runs {fn} on schedule.", "Scheduled entry point of {fn}.",
                                  "Background task for {fn}; see the function for what it does."))
        jobs.append(Job(name, fn, rng.random() > 0.1, events, description.format(fn=fn.name if fn else "a heartbeat")))
    return jobs


def _event(rng: random.Random) -> tuple[str, int | None, str | None]:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    starts = f"2025-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.choice((0, 5, 15, 30, 45)):02d}:00+0000"
    freq = rng.choice(SCHEDULE_FREQS)
    ends = f"2026-{rng.randint(1, 12):02d}-28 00:00:00+0000" if rng.random() < 0.1 else None
    return starts, freq, ends


# --------------------------------------------------------------------------- rendering


def _document(description: str, head: str, sections: list[Lines]) -> str:
    lines = [f"// {description}"] if description else []
    lines.append(head + " {")
    for index, section in enumerate(sections):
        if index:
            lines.append("")
        lines += indent(section)
    lines.append("}")
    return export_blank_lines("\n".join(lines))


def render_table(table: Table) -> str:
    fields = input_block(table.fields)
    schema = ["schema {", *fields[1:-1], "}"]
    index = ['{type: "primary", field: [{name: "id"}]}']
    names = [f.name for f in table.fields]
    if "external_id" in names:
        index.append('{type: "btree|unique", field: [{name: "external_id", op: "asc"}]}')
    if table.name == "user":
        index.append('{type: "btree|unique", field: [{name: "email", op: "asc"}]}')
    if table.domain is not None:
        index.append(f'{{type: "btree", field: [{{name: "{table.domain.owner[1]}", op: "asc"}}]}}')
    index.append('{type: "btree", field: [{name: "created_at", op: "desc"}]}')
    auth = "true" if table.name == "user" else "false"
    return _document(table.description, f"table {table.name}",
                     [[f"auth = {auth}"], schema, ["index = [", *indent(index), "]"]])


def render_group(group: Group) -> str:
    settings = [f'canonical = "{group.canonical}"', f"swagger = {{active: {'true' if group.swagger else 'false'}}}"]
    if group.tags:
        settings.append("tags = [" + ", ".join(quote(t) for t in group.tags) + "]")
    return _document(group.description, f"api_group {quote(group.name)}", [settings])


def render_middleware(name: str) -> str:
    inputs = input_block([Field("json", "vars"), Field("enum", "type", values=("pre", "post"))])
    if name == WEBHOOK_MIDDLEWARE:
        stack = [var("$signature", '$env.$http_headers|get:"x-webhook-secret"|first_notnull:""'),
                 stmt("precondition ($signature == $env.WEBHOOK_SECRET)",
                      [("error_type", '"accessdenied"'), ("error", '"Invalid webhook signature"')])]
        description = "Rejects webhook calls whose shared-secret header does not match WEBHOOK_SECRET."
    else:
        stack = [stmt("db.get user", [("field_name", '"id"'), ("field_value", "$auth.id")], " as $admin"),
                 stmt('precondition ($admin != null && $admin.role != "agent")',
                      [("error_type", '"accessdenied"'), ("error", '"Admins only"')])]
        description = "Lets only admins and owners through."
    return _document(description, f"middleware {quote(name)}", [
        ['exception_policy = "rethrow"', 'response_strategy = "merge"'], inputs, block("stack", stack),
        ["response = $input.vars"]])


def render_endpoint(endpoint: Endpoint, seed: int) -> str:
    rng = random.Random(f"{seed}:{endpoint.group}:{endpoint.path}:{endpoint.verb}")
    header = [f"api_group = {quote(endpoint.group)}"]
    if endpoint.auth:
        header.append(f"auth = {quote(endpoint.auth)}")
    if endpoint.kind == "webhook":
        header.append(f'middleware = {{pre: [{{name: "{WEBHOOK_MIDDLEWARE}"}}]}}')
    if endpoint.kind == "admin":
        header.append(f'middleware = {{pre: [{{name: "{ADMIN_MIDDLEWARE}"}}]}}')
    inputs, statements, response = RENDERERS[endpoint.kind](endpoint, rng)
    if endpoint.bugs.get("empty"):
        statements, response = [], "null"
    return _document(endpoint.description, f"query {quote(endpoint.path)} verb={endpoint.verb}",
                     [header, input_block(inputs), block("stack", statements), setting("response", response)])


def _run_with_inputs(fn: Fn, alias: str) -> Lines:
    return call(fn.name, [(f.name, "$input." + f.name) for f in fn.inputs], alias)


def _test(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    fn = endpoint.fn
    assert fn is not None
    statements: list[Lines] = []
    if rng.random() < 0.45:
        statements.append(stmt('precondition ($env.TEST_ENDPOINTS_ENABLED == "true")', [
            ("error_type", '"accessdenied"'), ("error", '"Test endpoints are disabled"')]))
    alias = rng.choice(("$result", "$result", "$out", "$fn_result"))
    statements.append(_run_with_inputs(fn, alias))
    if rng.random() < 0.35:
        statements.append(stmt("debug.log", [("value", obj([("endpoint", quote(endpoint.path)), ("result", alias)]))]))
    return list(fn.inputs), statements, alias


def _admin(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    fn = endpoint.fn
    assert fn is not None
    statements = [_run_with_inputs(fn, "$run")]
    statements.append(cond([("$run.success == false", [stmt("throw", [
        ("name", '"TaskFailed"'), ("value", '$run.step ~ ": " ~ $run.error')])])]))
    statements.append(stmt("debug.log", [("value", obj([("task", quote(fn.name)), ("by", "$auth.id"),
                                                         ("at", "now")]))]))
    return list(fn.inputs), statements, "$run.data"


def _id_name(table: Table) -> str:
    return f"{table.name}_id"


def _lookup(table: Table, alias: str = "$row") -> list[Lines]:
    return [stmt(f"db.get {table.name}", [("field_name", '"id"'), ("field_value", f"$input.{_id_name(table)}")],
                 f" as {alias}"),
            stmt(f"precondition ({alias} != null)", [("error_type", '"notfound"'),
                                                     ("error", quote(f"No {table.name} with this id"))])]


def _editable(table: Table) -> list[Field]:
    return [f for f in table.fields if f.name not in ("id", "created_at", "synced_at", "archived", "password")]


def _list(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    table = endpoint.table
    assert table is not None
    text = next((f.name for f in table.fields if f.type == "text" and f.name != "external_id"), None)
    inputs = [Field("int", "page", False, "1", filters="min:1"),
              Field("int", "per_page", False, "25", filters="min:1|max:100")]
    settings: list[Entry] = []
    if text:
        inputs.append(Field("text", text, False, filters="trim"))
        settings.append(("where", f"$db.{table.name}.{text} ==? $input.{text}"))
    settings.append(("sort", f'{{{table.name}.created_at: "desc"}}'))
    settings.append(("return", obj([("type", '"list"'),
                                    ("paging", "{page: $input.page, per_page: $input.per_page, totals: true}")],
                                   multiline=True)))
    return inputs, [stmt(f"db.query {table.name}", settings, " as $rows")], "$rows"


def _get(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    table = endpoint.table
    assert table is not None
    return [Field("int", _id_name(table), filters="min:1")], _lookup(table), "$row"


def _create(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    table = endpoint.table
    assert table is not None
    fields = _editable(table)
    data = obj([(f.name, "$input." + f.name) for f in fields] + [("created_at", "now")])
    statements = [stmt(f"db.add {table.name}", [("data", data)], " as $row")]
    return fields, statements, "$row"


def _update(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    table = endpoint.table
    assert table is not None
    fields = [Field(f.type, f.name, False, values=f.values, filters=f.filters) for f in _editable(table)]
    data = obj([(f.name, f"$input.{f.name}|first_notnull:$row.{f.name}") for f in fields])
    statements = _lookup(table) + [stmt(f"db.patch {table.name}", [
        ("field_name", '"id"'), ("field_value", "$row.id"), ("data", data)], " as $updated")]
    return [Field("int", _id_name(table), filters="min:1"), *fields], statements, "$updated"


def _delete(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    table = endpoint.table
    assert table is not None
    statements = _lookup(table) + [stmt(f"db.del {table.name}", [("field_name", '"id"'), ("field_value", "$row.id")])]
    return [Field("int", _id_name(table), filters="min:1")], statements, "{deleted: true, id: $row.id}"


def _webhook(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    fn, table = endpoint.fn, endpoint.table
    event = endpoint.path.rsplit("/", 1)[1].replace("-", "_")
    inputs = [Field("text", "type", filters="trim"), Field("json", "payload")]
    statements: list[Lines] = [
        stmt(f'precondition ($input.type|starts_with:"{event}.")', [
            ("error_type", '"inputerror"'), ("error", quote(f"Unsupported event type for {event}"))]),
        var("$record", "$input.payload.data|first_notnull:$input.payload")]
    deleted: list[Lines] = []
    if table is not None:
        deleted.append(stmt(f"db.query {table.name}", [
            ("where", f"$db.{table.name}.external_id == ($record.id|to_text)"), ("return", '{type: "single"}')],
            " as $existing"))
        deleted.append(cond([("$existing != null", [stmt(f"db.del {table.name}", [
            ("field_name", '"id"'), ("field_value", "$existing.id")])])]))
    else:
        deleted.append(stmt("debug.log", [("value", '"ignored delete of " ~ $record.id')]))
    other: list[Lines] = []
    if fn is not None:
        sources = {"records": "[$record]", "record": "$record"}
        owner = fn.domain.owner[1] if fn.domain else ""
        entries = [(f.name, sources.get(f.name) or fallback(f, fn)) for f in fn.inputs
                   if f.required or f.name in sources or f.name == owner]
        other.append(call(fn.name, entries, "$handled"))
        other.append(cond([("$handled.success == false", [stmt("debug.log", [("value", "$handled.error")])])]))
    elif table is not None:
        other.append(stmt(f"db.add_or_edit {table.name}", [
            ("field_name", '"external_id"'), ("field_value", "$record.id|to_text"),
            ("data", "{external_id: $record.id|to_text, synced_at: now}")], " as $row"))
    statements.append(cond([(f'$input.type == "{event}.deleted"', deleted)], other))
    return inputs, statements, "{received: true}"


def _ping(endpoint: Endpoint, rng: random.Random) -> tuple[list[Field], list[Lines], Value]:
    return [], [var("$now", "now")], "{ok: true, at: $now}"


RENDERERS = {"test": _test, "admin": _admin, "list": _list, "get": _get, "create": _create, "update": _update,
             "delete": _delete, "webhook": _webhook, "ping": _ping}


def render_job(job: Job) -> str:
    statements: list[Lines] = []
    if job.fn is not None:
        entries = [(f.name, fallback(f, job.fn)) for f in job.fn.inputs if f.required]
        statements.append(call(job.fn.name, entries, "$result"))
        if len(job.name) % 2:
            statements.append(cond([("$result.success == false", [stmt("debug.log", [("value", "$result.error")])])]))
    else:
        statements.append(stmt("debug.log", [("value", '"heartbeat"')]))
    sections: list[Lines] = [[f"active = {'true' if job.active else 'false'}"], block("stack", statements)]
    schedule = job.bugs.get("schedule")
    events = [_event_text(*event) for event in job.events]
    if schedule == "freq0":
        events = [_event_text(job.events[0][0], 0, None)]
    elif schedule == "ends_before":
        events = [_event_text(job.events[0][0], job.events[0][1], "2024-12-31 23:59:59+0000")]
    if schedule == "legacy":
        sections.append(stmt("schedule", [("events", "[" + ", ".join(events) + "]")]))
    elif schedule != "missing":
        value = "[" + events[0] + "]" if len(events) == 1 else ["[", *indent(events), "]"]
        sections.append(setting("schedule", value))
    return _document(job.description, f"task {quote(job.name)}", sections)


def _event_text(starts: str, freq: int | None, ends: str | None) -> str:
    parts = [f"starts_on: {starts}"]
    if freq is not None:
        parts.append(f"freq: {freq}")
    if ends is not None:
        parts.append(f"ends_on: {ends}")
    return "{" + ", ".join(parts) + "}"
