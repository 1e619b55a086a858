"""Bodies of generated Utils/ functions: small helpers returning plain values (no envelope)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from xanoctl.seeds._xs import Lines, Value, arr, block, chain, cond, foreach, obj, quote, stmt, text_block, update, var

if TYPE_CHECKING:
    from xanoctl.seeds._body import Ctx

Body = tuple[list[Lines], Value]


def util_body(ctx: "Ctx") -> Body:
    return BODIES[ctx.fn.work](ctx)


def _lambda(code: list[str], alias: str, timeout: int = 10) -> Lines:
    return stmt("api.lambda", [("code", text_block(code)), ("timeout", str(timeout))], f" as {alias}")


def window_start(ctx: "Ctx") -> Body:
    return [var("$seconds", "($input.days * 86400) + ($input.hours * 3600)"),
            cond([("$seconds <= 0", [update("$seconds", "86400")])]),
            var("$start", chain("now", ['transform_timestamp:("-" ~ $seconds ~ " seconds"):"UTC"']))], "$start"


def log_run(ctx: "Ctx") -> Body:
    data = obj([("source", "$input.source"), ("status", "$input.status"), ("count", "$input.count"),
                ("details", "$input.details"), ("created_at", "now")])
    return [stmt("db.add sync_log", [("data", data)], " as $log")], "$log"


def log_error(ctx: "Ctx") -> Body:
    data = obj([("source", "$input.source"), ("status", '"failed"'), ("count", "0"),
                ("details", "{message: $input.message, payload: $input.payload}")])
    return [stmt("debug.log", [("value", '$input.source ~ ": " ~ $input.message')]),
            stmt("db.add sync_log", [("data", data)], " as $log")], "$log"


def chunk(ctx: "Ctx") -> Body:
    code = ["const items = $input.items || [];", "const size = $input.size;", "const chunks = [];",
            "for (let i = 0; i < items.length; i += size) {", "  chunks.push(items.slice(i, i + size));", "}",
            "return chunks;"]
    return [_lambda(code, "$chunks")], "$chunks"


def normalize_phone(ctx: "Ctx") -> Body:
    return [var("$digits", chain("$input.phone", ['first_notnull:""', 'regex_replace:"/[^0-9]/":""'])),
            cond([("($digits|strlen) == 10", [update("$digits", '"+" ~ $input.country_code ~ $digits')]),
                  ("($digits|strlen) > 10", [update("$digits", '"+" ~ $digits')])],
                 [update("$digits", "null")])], "$digits"


def cents_to_dollars(ctx: "Ctx") -> Body:
    return [var("$dollars", "$input.cents / 100"), update("$dollars", "$dollars|round:2")], "$dollars"


def safe_decode(ctx: "Ctx") -> Body:
    guarded = block("try_catch", [
        block("try", [update("$decoded", "$input.raw|json_decode")]),
        block("catch", [stmt("debug.log", [("value", '"not JSON: " ~ ($input.raw|substr:0:80)')])])])
    return [var("$decoded", "{}"), cond([("($input.raw|is_empty) == false", [guarded])])], "$decoded"


def require_fields(ctx: "Ctx") -> Body:
    check = stmt('precondition (($input.record|get:$field) != null)', [
        ("error_type", '"inputerror"'), ("error", '"Missing field: " ~ $field')])
    return [foreach("$input.fields", "$field", [check])], "true"


def get_cached(ctx: "Ctx") -> Body:
    return [stmt("redis.get", [("key", '"cache:" ~ $input.key')], " as $cached"),
            cond([("$cached == null", [stmt("debug.log", [("value", '"cache miss " ~ $input.key')])])],
                 [update("$cached", "$cached|json_decode")])], "$cached"


def put_cached(ctx: "Ctx") -> Body:
    return [stmt("redis.set", [("key", '"cache:" ~ $input.key'), ("data", "$input.value|json_encode"),
                               ("ttl", "$input.ttl")])], "true"


def to_iso(ctx: "Ctx") -> Body:
    return [var("$iso", "null"),
            cond([("$input.value != null", [update("$iso", '$input.value|format_timestamp:"c":"UTC"')])])], "$iso"


def clean_email(ctx: "Ctx") -> Body:
    return [var("$email", chain("$input.email", ['first_notnull:""', "trim", "to_lower"])),
            cond([('($email|contains:"@") == false', [update("$email", "null")])])], "$email"


def index_by_key(ctx: "Ctx") -> Body:
    return [var("$index", "{}"),
            foreach("$input.items", "$item", [update("$index", "$index|set:($item|get:$input.key|to_text):$item")])], "$index"


def dedupe_by_key(ctx: "Ctx") -> Body:
    code = ["const seen = new Set();", "return ($input.items || []).filter((item) => {",
            "  const key = item[$input.key];", "  if (seen.has(key)) return false;", "  seen.add(key);",
            "  return true;", "});"]
    return [_lambda(code, "$unique")], "$unique"


def start_of_day(ctx: "Ctx") -> Body:
    return [var("$value", "$input.value|first_notnull:now"),
            var("$day", chain("$value", ['format_timestamp:"Y-m-d":$input.timezone',
                                         'parse_timestamp:"Y-m-d":$input.timezone']))], "$day"


def slugify(ctx: "Ctx") -> Body:
    return [var("$slug", chain("$input.value", ["trim", "to_lower", 'regex_replace:"/[^a-z0-9]+/":"-"'])),
            update("$slug", '$slug|trim:"-"')], "$slug"


def format_currency(ctx: "Ctx") -> Body:
    symbol = cond([('$input.currency == "USD"', [update("$symbol", '"$"')]),
                   ('$input.currency == "EUR"', [update("$symbol", '"EUR "')])],
                  [update("$symbol", '$input.currency ~ " "')])
    return [var("$symbol", '""'), symbol,
            var("$formatted", '$symbol ~ ($input.amount|number_format:2:".":",")')], "$formatted"


def full_name(ctx: "Ctx") -> Body:
    return [var("$name", chain('$input.first_name|first_notnull:""', ['concat:" "', 'concat:($input.last_name|first_notnull:"")', "trim"]))], "$name"


def sum_amounts(ctx: "Ctx") -> Body:
    return [var("$sum", "0"),
            foreach("$input.items", "$item", [stmt("math.add $sum", [("value", "$item|get:$input.key|first_notnull:0")])])], "$sum"


def truncate(ctx: "Ctx") -> Body:
    return [var("$text", '$input.value|first_notnull:""'),
            cond([("($text|strlen) > $input.length",
                   [update("$text", '($text|substr:0:($input.length - 1)) ~ "…"')])])], "$text"


def auth_headers(ctx: "Ctx") -> Body:
    domain = ctx.fn.domain
    assert domain is not None
    scheme = "Basic" if domain.basic_auth else "Bearer"
    token = "$token|concat:\":\"|base64_encode" if domain.basic_auth else "$token"
    return [var("$token", f"$input.token|first_notnull:$env.{domain.token_env}"),
            stmt("precondition ($token != null)", [("error_type", '"standard"'),
                                                   ("error", quote(f"{domain.token_env} is not set"))]),
            var("$headers", arr([f'"Authorization: {scheme} " ~ ({token})', '"Content-Type: application/json"',
                                 '"Accept: application/json"'], multiline=True))], "$headers"


def map_record(ctx: "Ctx") -> Body:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    entries: list[tuple[str, Value]] = [("external_id", "$input.record.id|to_text")]
    for name, xs_type in fn.entity.fields:
        value = f"$input.record.{name}"
        if xs_type == "timestamp":
            value += "|to_timestamp"
        elif xs_type in ("int", "decimal"):
            value += "|first_notnull:0"
        entries.append((name, value))
    entries += [(fn.domain.owner[1], "$input." + fn.domain.owner[1]), ("synced_at", "now")]
    return [stmt("precondition ($input.record != null)", [("error_type", '"inputerror"'),
                                                          ("error", '"record is required"')]),
            var("$mapped", obj(entries))], "$mapped"


def record_payload(ctx: "Ctx") -> Body:
    fn = ctx.fn
    assert fn.entity is not None
    entries = [(name, f"$input.row.{name}") for name, _ in fn.entity.fields]
    return [var("$payload", obj(entries)),
            update("$payload", "$payload|filter_empty")], "$payload"


def parse_error(ctx: "Ctx") -> Body:
    domain = ctx.fn.domain
    assert domain is not None
    return [var("$status", "$input.response.status|to_int"),
            var("$message", f'"{domain.name} answered " ~ $status'),
            cond([("$status == 401 || $status == 403", [update("$message", quote(f"{domain.name} token rejected: check {domain.token_env}"))]),
                  ("$status == 429", [update("$message", quote(f"{domain.name} rate limit reached"))]),
                  ("$input.response.result.message != null", [update("$message", '$message ~ ": " ~ $input.response.result.message')])])], "$message"


def build_url(ctx: "Ctx") -> Body:
    domain = ctx.fn.domain
    assert domain is not None
    return [var("$url", f'"{domain.base_url}/" ~ ($input.path|trim:"/")'),
            cond([("$input.query != null", [foreach("$input.query|keys", "$key", [
                update("$url", '$url|url_addarg:$key:($input.query|get:$key)')])])])], "$url"


def verify_webhook(ctx: "Ctx") -> Body:
    domain = ctx.fn.domain
    assert domain is not None
    secret = f"$env.{domain.slug.upper()}_WEBHOOK_SECRET"
    return [var("$expected", f"$input.body|hmac_sha256:{secret}:false"),
            stmt("precondition ($expected == $input.signature)", [
                ("error_type", '"accessdenied"'), ("error", quote(f"Invalid {domain.name} webhook signature"))])], "true"


def paginate(ctx: "Ctx") -> Body:
    return [var("$next", "$input.response.result.paging.next|first_notnull:null"),
            cond([("$next == null && $input.response.result.next_page_url != null",
                   [update("$next", "$input.response.result.next_page_url")])])], "$next"


BODIES: dict[str, Callable[["Ctx"], Body]] = {
    "window_start": window_start,
    "log_run": log_run,
    "log_error": log_error,
    "chunk": chunk,
    "normalize_phone": normalize_phone,
    "cents_to_dollars": cents_to_dollars,
    "safe_decode": safe_decode,
    "require_fields": require_fields,
    "get_cached": get_cached,
    "put_cached": put_cached,
    "to_iso": to_iso,
    "clean_email": clean_email,
    "index_by_key": index_by_key,
    "dedupe_by_key": dedupe_by_key,
    "start_of_day": start_of_day,
    "slugify": slugify,
    "format_currency": format_currency,
    "full_name": full_name,
    "sum_amounts": sum_amounts,
    "truncate": truncate,
    "auth_headers": auth_headers,
    "map_record": map_record,
    "record_payload": record_payload,
    "parse_error": parse_error,
    "build_url": build_url,
    "verify_webhook": verify_webhook,
    "paginate": paginate,
}
