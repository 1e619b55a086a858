"""The plan of a generated workspace: which functions, tables, endpoints and tasks exist, their
inputs, what each returns and who calls whom. Rendering to XanoScript is done elsewhere
(:mod:`xanoctl.seeds._functions`, :mod:`xanoctl.seeds._objects`); planted bugs are flags set
on the plan before rendering."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from xanoctl.seeds._catalog import DOMAINS, TASK_ACTIONS, WORKER_ACTIONS, Domain, Entity


@dataclass
class Field:
    """An input or schema field. ``required`` means no ``?`` after the name and no default."""

    type: str
    name: str
    required: bool = True
    default: str | None = None
    filters: str = ""
    values: tuple[str, ...] = ()  # enum values
    comment: str = ""
    table: str = ""  # foreign key metadata
    array: bool = False

    def lines(self) -> list[str]:
        head = self.type + ("[]" if self.array else "") + " " + self.name
        if not self.required:
            head += "?"
        if self.default is not None:
            head += "=" + self.default
        if self.filters:
            head += " filters=" + self.filters
        meta = []
        if self.values:
            meta.append("values = [" + ", ".join(f'"{v}"' for v in self.values) + "]")
        if self.table:
            meta.append(f'table = "{self.table}"')
        out = [f"// {self.comment}"] if self.comment else []
        if meta:
            return out + [head + " {", *("  " + m for m in meta), "}"]
        return out + [head]


@dataclass
class Table:
    name: str
    domain: Domain | None
    entity: Entity | None
    fields: list[Field]
    description: str


@dataclass
class Call:
    """A ``function.run`` site. ``callee`` is None when the name does not exist (XR001)."""

    callee: "Fn | None"
    name: str
    alias: str
    rename: tuple[str, str] | None = None  # planted ID001: pass an input under a wrong name
    omit: str | None = None  # planted ID002: leave out a required input
    ghost: "Fn | None" = None  # planted XR001: the function whose inputs the call was written for


@dataclass
class Fn:
    name: str
    folder: str  # Tasks, Workers, Utils, Archive
    action: str  # worker or task action, or util kind
    work: str  # pull, one, push, send, local (workers); util kind (utils); "task"; "archive"
    domain: Domain | None
    entity: Entity | None
    inputs: list[Field]
    data: list[tuple[str, str]] = field(default_factory=list)  # envelope data keys and kinds
    returns: str = "envelope"
    calls: list[Call] = field(default_factory=list)
    table: Table | None = None
    description: str = ""
    bugs: dict[str, Any] = field(default_factory=dict)

    def input(self, name: str) -> Field | None:
        return next((f for f in self.inputs if f.name == name), None)

    @property
    def envelope(self) -> bool:
        return self.folder in ("Tasks", "Workers")


@dataclass
class Plan:
    tables: list[Table]
    utils: list[Fn]
    workers: list[Fn]
    tasks: list[Fn]
    archive: list[Fn]

    @property
    def functions(self) -> list[Fn]:
        return self.utils + self.workers + self.tasks + self.archive


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_counts(total: int) -> tuple[int, int, int, int]:
    """(utils, workers, tasks, archive) for a number of functions."""
    utils = max(1 if total >= 3 else 0, round(total * 0.15))
    archive = round(total * 0.08)
    tasks = max(1 if total >= 2 else 0, round(total * 0.27))
    return utils, total - utils - archive - tasks, tasks, archive


def _unique(name: str, taken: set[str]) -> str:
    candidate, version = name, 2
    while candidate in taken:
        candidate, version = f"{name} v{version}", version + 1
    taken.add(candidate)
    return candidate


def _weighted_order(items: list, weight, rng: random.Random) -> list:
    """A weighted shuffle: heavier items tend to come first (Efraimidis-Spirakis keys)."""
    keyed = [(rng.random() ** (1.0 / weight(item)), index) for index, item in enumerate(items)]
    return [items[index] for _, index in sorted(keyed, reverse=True)]


def _domain_weight(domain: Domain) -> float:
    return {"FUB": 6, "Stripe": 5, "HubSpot": 4, "Slack": 3, "Calendly": 3, "Zoom": 2.5, "Sheets": 2.5}.get(domain.name, 1.5)


# --------------------------------------------------------------------------- tables


def entity_table_name(domain: Domain, entity: Entity) -> str:
    return f"{domain.slug}_{entity.singular}"


def plan_tables(count: int, rng: random.Random) -> list[Table]:
    tables: list[Table] = []
    if count >= 1:
        tables.append(Table("user", None, None, [
            Field("int", "id"), Field("timestamp", "created_at", False, "now"),
            Field("text", "name", filters="trim"), Field("email", "email", filters="trim|lower"),
            Field("password", "password", filters="min:8"),
            Field("enum", "role", False, "agent", values=("agent", "admin", "owner")),
            Field("bool", "active", False, "true")], "Back-office users (agents, admins, owners)."))
    if count >= 2:
        tables.append(Table("sync_log", None, None, [
            Field("int", "id"), Field("timestamp", "created_at", False, "now"), Field("text", "source"),
            Field("enum", "status", values=("ok", "failed", "skipped")), Field("int", "count", False, "0"),
            Field("json", "details", False)], "One row per run of a sync or a failed API call."))
    pairs = [(d, e) for d in DOMAINS for e in d.entities]
    for domain, entity in _weighted_order(pairs, lambda p: _domain_weight(p[0]), rng)[:max(count - 2, 0)]:
        fields = [Field("int", "id"), Field("timestamp", "created_at", False, "now"),
                  Field("text", "external_id", filters="trim"),
                  Field(domain.owner[0], domain.owner[1], False)]
        for name, xs_type in entity.fields:
            fields.append(Field(xs_type, name, False))
        fields += [Field("bool", "archived", False, "false"), Field("timestamp", "synced_at", False),
                   Field("int", "user_id", False, table="user")]
        tables.append(Table(entity_table_name(domain, entity), domain, entity, fields,
                            f"{domain.name} {entity.plural.replace('_', ' ')} mirrored by the sync workers."))
    return tables


# --------------------------------------------------------------------------- functions

_GENERAL_UTILS = (
    ("Dates", "Window Start", "window_start"), ("Log", "Sync Run", "log_run"), ("Arrays", "Chunk", "chunk"),
    ("Text", "Normalize Phone", "normalize_phone"), ("Money", "Cents To Dollars", "cents_to_dollars"),
    ("JSON", "Safe Decode", "safe_decode"), ("Validate", "Require Fields", "require_fields"),
    ("Cache", "Get Cached", "get_cached"), ("Dates", "To ISO", "to_iso"), ("Text", "Clean Email", "clean_email"),
    ("Arrays", "Index By Key", "index_by_key"), ("Log", "API Error", "log_error"),
    ("Dates", "Start Of Day", "start_of_day"), ("Text", "Slugify", "slugify"),
    ("Money", "Format Currency", "format_currency"), ("Arrays", "Dedupe By Key", "dedupe_by_key"),
    ("Text", "Full Name", "full_name"), ("Money", "Sum Amounts", "sum_amounts"),
    ("Cache", "Put Cached", "put_cached"), ("Text", "Truncate", "truncate"),
)

# util kind -> (inputs, return shape)
UTIL_SIGNATURES: dict[str, tuple[tuple[Field, ...], str]] = {
    "window_start": ((Field("int", "days", False, "0"), Field("int", "hours", False, "0")), "timestamp"),
    "log_run": ((Field("text", "source"), Field("enum", "status", values=("ok", "failed", "skipped")),
                 Field("int", "count", False, "0"), Field("json", "details", False)), "row"),
    "chunk": ((Field("json", "items"), Field("int", "size", False, "100", filters="min:1")), "array"),
    "normalize_phone": ((Field("text", "phone", False), Field("text", "country_code", False, '"1"')), "text"),
    "cents_to_dollars": ((Field("int", "cents"),), "number"),
    "safe_decode": ((Field("text", "raw", False),), "object"),
    "require_fields": ((Field("json", "record"), Field("text", "fields", array=True)), "bool"),
    "get_cached": ((Field("text", "key", filters="trim"), Field("int", "ttl", False, "300")), "object"),
    "to_iso": ((Field("timestamp", "value", False),), "text"),
    "clean_email": ((Field("text", "email", False),), "text"),
    "index_by_key": ((Field("json", "items"), Field("text", "key", False, "id")), "object"),
    "log_error": ((Field("text", "source"), Field("text", "message"), Field("json", "payload", False)), "row"),
    "start_of_day": ((Field("timestamp", "value", False), Field("text", "timezone", False, "UTC")), "timestamp"),
    "slugify": ((Field("text", "value"),), "text"),
    "format_currency": ((Field("decimal", "amount"), Field("text", "currency", False, "USD")), "text"),
    "dedupe_by_key": ((Field("json", "items"), Field("text", "key", False, "id")), "array"),
    "full_name": ((Field("text", "first_name", False), Field("text", "last_name", False)), "text"),
    "sum_amounts": ((Field("json", "items"), Field("text", "key", False, "amount")), "number"),
    "put_cached": ((Field("text", "key", filters="trim"), Field("json", "value"),
                    Field("int", "ttl", False, "300")), "bool"),
    "truncate": ((Field("text", "value", False), Field("int", "length", False, "140")), "text"),
    "auth_headers": ((Field("text", "token", False),), "array"),
    "map_record": ((Field("json", "record"),), "object"),
    "record_payload": ((Field("json", "row"),), "object"),
    "parse_error": ((Field("json", "response"),), "text"),
    "build_url": ((Field("text", "path", filters="trim"), Field("json", "query", False)), "text"),
    "verify_webhook": ((Field("text", "signature"), Field("text", "body")), "bool"),
    "paginate": ((Field("json", "response"),), "text"),
}


_UTIL_DESCRIPTIONS = {
    "window_start": "Start of a look-back window: now minus the given days and hours (one day when both are 0).",
    "log_run": "Records one run of a sync in sync_log and returns the row.",
    "chunk": "Splits a list into chunks of at most `size` items (API batch limits).",
    "normalize_phone": "E.164 phone number from whatever a CRM stored, or null.",
    "cents_to_dollars": "Integer cents to a decimal amount.",
    "safe_decode": "Decodes JSON text; an empty object when it is not JSON.",
    "require_fields": "Throws an input error naming the first missing field.",
    "get_cached": "Reads a JSON value from the Redis cache (null on a miss).",
    "to_iso": "ISO 8601 text of a timestamp, or null.",
    "clean_email": "Trimmed, lower-case e-mail address, or null when it is not one.",
    "index_by_key": "Turns a list into an object keyed by one field of each item.",
    "log_error": "Logs a failed API call to sync_log.",
    "start_of_day": "Midnight of a timestamp's day in a time zone.",
    "slugify": "URL-safe slug of a text.",
    "format_currency": "Amount with two decimals and a currency symbol.",
    "dedupe_by_key": "Drops the items whose key was already seen.",
    "full_name": "First and last name joined, without stray spaces.",
    "sum_amounts": "Sum of one numeric field over a list.",
    "put_cached": "Writes a JSON value to the Redis cache for `ttl` seconds.",
    "truncate": "Shortens a text to `length` characters with an ellipsis.",
    "auth_headers": "Request headers for the {domain} API (token from the environment unless given).",
    "map_record": "Maps a {domain} {thing} from the API to our table's columns.",
    "record_payload": "Builds the {domain} API payload of a {thing} from our row.",
    "parse_error": "Human message for a failed {domain} API answer.",
    "build_url": "Absolute {domain} API URL for a path and query parameters.",
    "verify_webhook": "Checks the HMAC signature of a {domain} webhook call.",
    "paginate": "Next page URL of a {domain} list answer, or null on the last page.",
}


def _copy_fields(fields) -> list[Field]:
    return [Field(**vars(f)) for f in fields]


def plan_utils(count: int, tables: list[Table], rng: random.Random) -> list[Fn]:
    has_log = any(t.name == "sync_log" for t in tables)
    pool: list[tuple[str, Domain | None, Entity | None, str]] = []
    for category, op, kind in _GENERAL_UTILS:
        if kind in ("log_run", "log_error") and not has_log:
            continue
        pool.append((f"Utils/{category} - {op}", None, None, kind))
    domains = _weighted_order(list(DOMAINS), _domain_weight, rng)
    pool += [(f"Utils/{d.name} - Auth Headers", d, None, "auth_headers") for d in domains]
    pool += [(f"Utils/{d.name} - Map {e.singular.replace('_', ' ').title()}", d, e, "map_record")
             for d in domains for e in d.entities]
    for title, kind in (("Parse Error", "parse_error"), ("Build URL", "build_url"),
                        ("Verify Webhook", "verify_webhook"), ("Next Page", "paginate")):
        pool += [(f"Utils/{d.name} - {title}", d, None, kind) for d in domains]
    pool += [(f"Utils/{d.name} - {e.singular.replace('_', ' ').title()} Payload", d, e, "record_payload")
             for d in domains for e in d.entities]
    taken: set[str] = set()
    utils = []
    for index in range(count):
        name, domain, entity, kind = pool[index % len(pool)]
        inputs, returns = UTIL_SIGNATURES[kind]
        what = {"domain": domain.name if domain else "", "thing": entity.singular.replace("_", " ") if entity else ""}
        fn = Fn(_unique(name, taken), "Utils", kind, kind, domain, entity, _copy_fields(inputs), returns=returns,
                description=_UTIL_DESCRIPTIONS[kind].format(**what))
        if kind == "map_record" and domain is not None:
            fn.inputs.append(Field(domain.owner[0], domain.owner[1], False))
        utils.append(fn)
    return utils


def _worker_inputs(domain: Domain, action: str, rng: random.Random) -> list[Field]:
    owner = Field(domain.owner[0], domain.owner[1])
    optional_owner = Field(domain.owner[0], domain.owner[1], False)
    table = {
        "Fetch": [owner, Field("int", "limit", False, "100", filters="min:1|max:500"), Field("int", "days", False, "7")],
        "Refresh": [Field("int", "record_id")],
        "Sync": [optional_owner if rng.random() < 0.5 else owner, Field("int", "page_size", False, "100")],
        "Import": [owner, Field("int", "days", False, "1"), Field("bool", "dry_run", False, "false")],
        "Backfill": [owner, Field("timestamp", "from"), Field("timestamp", "to", False)],
        "Enrich": [Field("int", "record_id"), Field("bool", "force", False, "false")],
        "Upsert": [Field("json", "records"), optional_owner],
        "Export": [Field("json", "records"), Field("text", "destination", False)],
        "Notify": [Field("text", "channel", filters="trim"), Field("text", "message"), Field("json", "context", False)],
        "Reconcile": [owner, Field("json", "records")],
        "Dedupe": [owner, Field("text", "match_on", False, "email")],
        "Validate": [Field("json", "record")],
        "Score": [Field("json", "records"), Field("int", "threshold", False, "70")],
        "Summarize": [owner, Field("int", "days", False, "30")],
        "Archive": [owner, Field("int", "older_than_days", False, "90")],
        "Prune": [Field("int", "keep_days", False, "30", filters="min:1")],
    }[action]
    fields = _copy_fields(table)
    for item in fields:
        note = _INPUT_NOTES.get(item.name) or (f"{domain.name} account the records belong to"
                                               if item.name == domain.owner[1] else "")
        if note and rng.random() < 0.45:
            item.comment = note
    return fields


_INPUT_NOTES = {
    "days": "How many days back to look", "limit": "Page size asked from the API",
    "records": "Records to send, as returned by the fetch worker", "record_id": "Local row id",
    "dry_run": "Log what would change without writing", "page_size": "Records per API page",
    "threshold": "Score from which a record counts as hot", "force": "Refresh even when synced recently",
    "channel": "Channel or recipient", "from": "Start of the range (UTC)", "to": "End of the range, now when empty",
}


def _find(fns: list[Fn], kind: str, domain: Domain | None = None, entity: Entity | None = None) -> Fn | None:
    for fn in fns:
        if fn.work == kind and (domain is None or fn.domain is domain) and (entity is None or fn.entity is entity):
            return fn
    return None


_WORKER_HELPERS = (
    ("auth_headers", ("pull", "one", "push", "send")), ("window_start", ("pull", "local")),
    ("paginate", ("pull",)), ("map_record", ("pull", "one")), ("chunk", ("push",)),
    ("parse_error", ("pull", "one", "push", "send")), ("log_error", ("pull", "push", "send", "local")),
)
_HELPER_ALIAS = {"auth_headers": "headers", "window_start": "since", "paginate": "next_url",
                 "map_record": "mapped", "chunk": "batches", "parse_error": "reason", "log_error": "error_log"}
_RESULT_ALIAS = {"Fetch": "$fetched", "Refresh": "$refreshed", "Sync": "$synced", "Import": "$imported",
                 "Backfill": "$backfilled", "Enrich": "$enriched", "Upsert": "$upserted", "Export": "$exported",
                 "Notify": "$notified", "Reconcile": "$reconciled", "Dedupe": "$deduped", "Validate": "$validated",
                 "Score": "$scored", "Summarize": "$summary", "Archive": "$archived", "Prune": "$pruned"}


_WORKER_DESCRIPTIONS = {
    "Fetch": "Lists {things} from {domain}", "Refresh": "Reloads one {thing} from {domain}",
    "Sync": "Pulls {things} from {domain} and mirrors them locally", "Import": "Imports new {domain} {things}",
    "Backfill": "Backfills {domain} {things} for a date range", "Enrich": "Completes one {thing} with {domain} data",
    "Upsert": "Creates or updates {things} in {domain}", "Export": "Sends {things} to {domain}",
    "Notify": "Posts a {domain} notification", "Reconcile": "Matches {domain} {things} with our records",
    "Dedupe": "Removes duplicate {domain} {things}", "Validate": "Checks a {domain} {thing} before it is sent",
    "Score": "Scores {domain} {things}", "Summarize": "Totals {domain} {things} over a period",
    "Archive": "Archives old {domain} {things}", "Prune": "Deletes stale {domain} {things}",
}
_TASK_DESCRIPTIONS = (
    "{action} of {domain} {things}: runs the workers in order and logs the run.",
    "Orchestrates the {domain} {things} {action_lower}.",
    "{action} ({domain} {things}). Called by its background task and by the Tests API group.",
    "Scheduled {action_lower} of {domain} {things}; stops at the first failing step.",
)


def _worker_description(action: str, domain: Domain, entity: Entity, rng: random.Random) -> str:
    text = _WORKER_DESCRIPTIONS[action].format(things=entity.plural.replace("_", " "), domain=domain.name,
                                               thing=entity.singular.replace("_", " "))
    suffix = rng.choice(("", "", " (returns the FP envelope).", " Used by the Tasks/ functions.", " Paginates."))
    return text + ("." if not suffix else suffix if suffix.startswith(" (") or suffix.startswith(".") else "." + suffix)


def plan_workers(count: int, utils: list[Fn], tables: list[Table], rng: random.Random) -> list[Fn]:
    order = {action: index for index, (action, _, _) in enumerate(WORKER_ACTIONS)}
    triples = [(d, e, a) for d in DOMAINS for e in d.entities for a in WORKER_ACTIONS]
    chosen = _weighted_order(triples, lambda t: _domain_weight(t[0]), rng)
    chosen = [chosen[i % len(chosen)] for i in range(count)]
    chosen.sort(key=lambda t: order[t[2][0]])
    by_entity = {(t.domain, t.entity): t for t in tables if t.entity is not None}
    taken: set[str] = set()
    workers: list[Fn] = []
    for domain, entity, (action, work, data) in chosen:
        name = _unique(f"Workers/{domain.name} - {action} {entity.title}", taken)
        keys = [(k.format(plural=entity.plural, singular=entity.singular), kind) for k, kind in data]
        fn = Fn(name, "Workers", action, work, domain, entity, _worker_inputs(domain, action, rng), keys,
                table=by_entity.get((domain, entity)),
                description=_worker_description(action, domain, entity, rng))
        for kind, works in _WORKER_HELPERS:
            helper = _find(utils, kind, domain, entity if kind == "map_record" else None) \
                if kind in ("auth_headers", "map_record", "parse_error", "paginate") else _find(utils, kind)
            wanted = work in works and (kind != "window_start" or fn.input("days") is not None)
            if helper is not None and wanted and rng.random() < 0.75:
                fn.calls.append(Call(helper, helper.name, "$" + _HELPER_ALIAS[kind]))
        fetch = next((w for w in workers if w.action == "Fetch" and w.domain is domain and w.entity is entity), None)
        if fetch is not None and work == "pull" and rng.random() < 0.6:
            fn.calls.append(Call(fetch, fetch.name, "$fetched"))
        workers.append(fn)
    return workers


def plan_tasks(count: int, workers: list[Fn], utils: list[Fn], rng: random.Random) -> list[Fn]:
    if not workers:
        return []
    triples = [(d, e, a) for d in DOMAINS for e in d.entities for a in TASK_ACTIONS]
    chosen = _weighted_order(triples, lambda t: _domain_weight(t[0]), rng)
    taken: set[str] = set()
    tasks = []
    for index in range(count):
        domain, entity, action = chosen[index % len(chosen)]
        name = _unique(f"Tasks/{domain.name} - {action} {entity.title}", taken)
        inputs = []
        if rng.random() < 0.7:
            note = f"{domain.name} account to run for" if rng.random() < 0.4 else ""
            inputs.append(Field(domain.owner[0], domain.owner[1], comment=note))
        if rng.random() < 0.5:
            inputs.append(Field("int", "days", False, "1"))
        if rng.random() < 0.3:
            inputs.append(Field("bool", "dry_run", False, "false"))
        fn = Fn(name, "Tasks", action, "task", domain, entity, inputs,
                description=rng.choice(_TASK_DESCRIPTIONS).format(
                    action=action, action_lower=action.lower(), domain=domain.name,
                    things=entity.plural.replace("_", " ")))
        usable = [w for w in workers if w.work != "one" or w.table is not None]
        same = [w for w in usable if w.domain is domain and w.entity is entity]
        near = [w for w in usable if w.domain is domain and w.entity is not entity]
        pool = same + rng.sample(near, min(len(near), 2)) or rng.sample(usable or workers, min(len(usable or workers), 3))
        callees = pool[:rng.choice((1, 2, 2, 3))]
        for position, callee in enumerate(callees):
            alias = ("$r", "$run", "$res", "$out")[position] if rng.random() < 0.4 else _RESULT_ALIAS[callee.action]
            if any(c.alias == alias for c in fn.calls):
                alias += str(position + 1)
            fn.calls.append(Call(callee, callee.name, alias))
            key = callee.data[0][0]
            if any(k == key for k, _ in fn.data):
                key = f"{alias[1:]}_{key}"
            fn.data.append((key, callee.data[0][1]))
        for kind in ("window_start", "log_run"):
            helper = _find(utils, kind)
            if helper is not None and rng.random() < 0.6:
                fn.calls.append(Call(helper, helper.name, "$" + ("since" if kind == "window_start" else "log")))
        tasks.append(fn)
    return tasks


def plan_archive(count: int, utils: list[Fn], tables: list[Table], rng: random.Random) -> list[Fn]:
    pairs = _weighted_order([(d, e) for d in DOMAINS for e in d.entities], lambda p: _domain_weight(p[0]), rng)
    by_entity = {(t.domain, t.entity): t for t in tables if t.entity is not None}
    taken: set[str] = set()
    archive = []
    for index in range(count):
        domain, entity = pairs[index % len(pairs)]
        suffix = rng.choice(("(old)", "v1", "(copy)", "2023", "- do not use"))
        name = _unique(f"Archive/{domain.name} - Import {entity.title} {suffix}", taken)
        fn = Fn(name, "Archive", "Import", "archive", domain, entity,
                [Field("int", "limit", False, "50"), Field(domain.owner[0], domain.owner[1], False)],
                returns="number", table=by_entity.get((domain, entity)),
                description=f"Retired import of {domain.name} {entity.plural.replace('_', ' ')}; kept for reference.")
        helper = _find(utils, "auth_headers", domain) or _find(utils, "window_start")
        if helper is not None and rng.random() < 0.5:
            fn.calls.append(Call(helper, helper.name, "$" + helper.work))
        archive.append(fn)
    return archive


def plan(functions: int, tables: int, rng: random.Random) -> Plan:
    n_utils, n_workers, n_tasks, n_archive = split_counts(functions)
    table_list = plan_tables(tables, rng)
    utils = plan_utils(n_utils, table_list, rng)
    workers = plan_workers(n_workers, utils, table_list, rng)
    tasks = plan_tasks(n_tasks, workers, utils, rng)
    archive = plan_archive(n_archive, utils, table_list, rng)
    return Plan(table_list, utils, workers, tasks, archive)
