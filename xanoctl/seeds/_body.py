"""What the function-body renderers share: the context of one function being written, values for
inputs, request helpers, the envelope, and the filler statements that bring a body to length.

Tasks/ and Workers/ functions return the FP envelope ``{success, data, error, step}`` on every
path; callers unwrap ``.data``; every ``function.run`` passes each required input of its callee
and only declared inputs. Planted bugs (``Fn.bugs``, ``Call.rename/omit/ghost``) are the only
departures.
"""

from __future__ import annotations

import random

from xanoctl.seeds._plan import Call, Field, Fn
from xanoctl.seeds._xs import (Entry, Lines, Value, arr, body, call, chain, cond, envelope, indent, obj, quote, ret,
                               stmt, text_block, var)

INIT = {"list": "[]", "count": "0", "flag": "false", "text": '""', "row": "null"}
TARGET = {"Workers": (38, 68), "Tasks": (34, 60), "Utils": (16, 40), "Archive": (30, 60)}


def input_block(fields: list[Field]) -> Lines:
    lines: Lines = []
    for index, item in enumerate(fields):
        if index and (item.comment or item.values or item.table):
            lines.append("")
        lines += item.lines()
        if (item.values or item.table) and index + 1 < len(fields):
            lines.append("")
    return ["input {", *indent(lines), "}"]


class Ctx:
    """What a body renderer needs: the function, its random stream, the calls not yet placed."""

    def __init__(self, fn: Fn, rng: random.Random):
        self.fn, self.rng = fn, rng
        self.pending = list(fn.calls)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def planned(self, work: str) -> bool:
        """Whether a call to a callee of this kind is still to be placed."""
        return any(work in (target.work, target.action) for target in
                   (planned.callee or planned.ghost for planned in self.pending) if target is not None)

    def take(self, work: str) -> Call | None:
        """The planned call to a callee of this kind (util kind or worker action), once."""
        for planned in self.pending:
            target = planned.callee or planned.ghost
            if target is not None and work in (target.work, target.action):
                self.pending.remove(planned)
                return planned
        return None

    def run(self, planned: Call, sources: dict[str, str]) -> Lines:
        return call(planned.name, self.inputs_for(planned, sources), planned.alias)

    def inputs_for(self, planned: Call, sources: dict[str, str]) -> list[Entry]:
        target = planned.callee or planned.ghost
        assert target is not None
        entries: list[Entry] = []
        for item in target.inputs:
            if item.name == planned.omit:
                continue
            renamed = planned.rename is not None and planned.rename[0] == item.name
            value = sources.get(item.name)
            if value is None:
                if item.required:
                    value = fallback(item, self.fn)
                elif renamed or (item.default is not None and self.chance(0.25)):
                    value = literal(item)
                else:
                    continue
            entries.append((planned.rename[1] if renamed and planned.rename else item.name, value))
        return entries

    def fail(self, error: str) -> Lines:
        entries = [("success", "false"), ("data", "null"), ("error", error), ("step", quote(self.fn.name))]
        return ret(obj(entries, multiline=None if self.chance(0.15) else False))

    def owner_sources(self) -> dict[str, str]:
        sources = {}
        for item in self.fn.inputs:
            sources[item.name] = "$input." + item.name
        return sources


def literal(item: Field) -> str:
    if item.values:
        return quote(item.values[0])
    if item.default is not None:
        return item.default if item.type != "text" or item.default.startswith('"') else quote(item.default)
    return {"int": "50", "decimal": "0", "bool": "false", "json": "[]", "timestamp": "now",
            "email": "$env.OPS_EMAIL"}.get(item.type, '""')


def fallback(item: Field, caller: Fn) -> str:
    """A value for a required input the caller has no variable for."""
    if caller.domain is not None and item.name == caller.domain.owner[1] or item.name.endswith(
            ("_id", "_uri", "_sid", "_gid", "_uuid", "stripe_account")):
        prefix = caller.domain.slug.upper() + "_" if caller.domain else ""
        env = "$env." + ("" if item.name.upper().startswith(prefix) else prefix) + item.name.upper()
        return env + "|to_int" if item.type == "int" else env
    if item.name == "channel":
        return "$env.SLACK_ALERTS_CHANNEL"
    if item.name == "message":
        return quote(f"{caller.name.split('/')[-1]} finished")
    if item.type == "timestamp":
        return 'now|transform_timestamp:"-30 days"'
    if item.array:
        return '["id", "email"]'
    return literal(item)


def headers_stmt(ctx: Ctx) -> tuple[list[Lines], str]:
    """The request headers: the domain's Auth Headers util when planned, else an inline array."""
    domain = ctx.fn.domain
    assert domain is not None
    planned = ctx.take("auth_headers")
    if planned is not None:
        sources = {"token": "$env." + domain.token_env} if ctx.chance(0.3) else {}
        return [ctx.run(planned, sources)], planned.alias
    auth = (f'"Authorization: Basic " ~ ($env.{domain.token_env}|concat:":"|base64_encode)' if domain.basic_auth
            else f'"Authorization: Bearer " ~ $env.{domain.token_env}')
    if ctx.chance(0.35):
        value: Value = chain("[]", [f"push:({auth})", 'push:"Content-Type: application/json"'])
    else:
        value = arr([auth, '"Content-Type: application/json"'], multiline=True)
    return [var("$headers", value)], "$headers"


def request(url: str, method: str, headers: str, alias: str, params: Value | None = None,
            timeout: int | None = None) -> Lines:
    settings: list[Entry] = [("url", url), ("method", quote(method))]
    if params is not None:
        settings.append(("params", params))
    settings.append(("headers", headers))
    if timeout:
        settings.append(("timeout", str(timeout)))
    return stmt("api.request", settings, f" as {alias}")


def api_url(ctx: Ctx, suffix: str = "") -> str:
    domain, entity = ctx.fn.domain, ctx.fn.entity
    assert domain is not None and entity is not None
    return quote(f"{domain.base_url}/{entity.path}{suffix}")


def status_check(ctx: Ctx, api: str) -> Lines:
    """Return a failure envelope when the API answered an error (parse_error util if planned)."""
    planned = ctx.take("parse_error")
    if planned is not None:
        failure = [ctx.run(planned, {"response": f"{api}.response"}), ctx.fail(planned.alias)]
    else:
        failure = [ctx.fail(f'"{ctx.fn.domain.name} API error " ~ {api}.response.status')]  # type: ignore[union-attr]
    test = ctx.rng.choice((f"{api}.response.status != 200", f"{api}.response.status >= 400",
                           f"({api}.response.status|to_int) >= 300"))
    return cond([(test, failure)])


def record_data(ctx: Ctx, item: str, owner: bool = True) -> Value:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    entries: list[Entry] = [("external_id", f"{item}.id|to_text")]
    if owner and fn.input(fn.domain.owner[1]) is not None:
        entries.append((fn.domain.owner[1], "$input." + fn.domain.owner[1]))
    for name, xs_type in fn.entity.fields:
        value = f"{item}.{name}"
        if xs_type == "timestamp" and ctx.chance(0.5):
            value += '|format_timestamp:"c":"UTC"'
        entries.append((name, value))
    entries.append(("synced_at", "now"))
    return obj(entries)


def envelope_response(ctx: Ctx, data: Value) -> Value:
    fn = ctx.fn
    if fn.bugs.get("fp002"):
        return obj([("success", "true"), ("data", data), ("step", quote(fn.name))], multiline=False)
    value = envelope("true", data, "null", fn.name)
    if isinstance(value, list) and ctx.chance(0.7) and isinstance(data, str):
        return obj([("success", "true"), ("data", data), ("error", "null"), ("step", quote(fn.name))],
                   multiline=False)
    return value


def extras(ctx: Ctx, statements: list[Lines], target: tuple[int, int]) -> list[Lines]:
    """Place the planned calls not used yet, then add realistic statements up to a length."""
    fn = ctx.fn
    out: list[Lines] = []
    for planned in list(ctx.pending):
        target_fn = planned.callee or planned.ghost
        if target_fn is not None and target_fn.folder == "Utils":
            ctx.pending.remove(planned)
            if target_fn.work == "log_run":
                out.append(ctx.run(planned, _util_sources(ctx, target_fn)))
            elif target_fn.work == "log_error":
                listed = _first(ctx, "list")
                test = f"({listed}|count) > 0" if listed else f"{_first(ctx, 'count') or '0'} == 0"
                sources = dict(_util_sources(ctx, target_fn), message=quote(f"{fn.name}: check {listed or 'the run'}"),
                               payload=obj([("step", quote(fn.name)), ("items", listed or "null")]))
                out.append(cond([(test, [ctx.run(planned, sources)])]))
    goal = ctx.rng.randint(*target) - 8 - len(fn.inputs)
    makers = [_debug_log, _lambda_summary, _empty_check, _chain_var, _text_summary]
    ctx.rng.shuffle(makers)
    for make in makers:
        if len(body(statements + out)) >= goal:
            break
        out.append(make(ctx))
    return out


def label(fn: Fn) -> str:
    return quote(fn.name.split("/")[-1].lower().replace(" - ", ".").replace(" ", "_"))


def _util_sources(ctx: Ctx, util: Fn) -> dict[str, str]:
    fn = ctx.fn
    name = label(fn)
    count = next(("$" + k for k, kind in fn.data if kind == "count"), "0")
    return {"source": name, "message": quote(f"{fn.name} finished"), "status": '"ok"', "count": count,
            "payload": "{step: " + quote(fn.name) + "}", "details": "{step: " + quote(fn.name) + "}",
            "response": "{}", "record": "{}", "items": "[]", "days": "$input.days" if fn.input("days") else "1"}


def _first(ctx: Ctx, kind: str) -> str | None:
    """The function's first data variable of that kind (Tasks hold theirs in call results)."""
    if ctx.fn.folder == "Tasks":
        return None
    return next(("$" + key for key, k in ctx.fn.data if k == kind), None)


def _debug_log(ctx: Ctx) -> Lines:
    subject = _first(ctx, "count") or _first(ctx, "list")
    text = quote(ctx.fn.name.split("/")[-1] + ": ")
    value = f"{text} ~ ({subject}|json_encode)" if subject else f'{text} ~ "done"'
    return stmt("debug.log", [("value", value)])


def _lambda_summary(ctx: Ctx) -> Lines:
    subject = _first(ctx, "list")
    name = subject[1:] if subject else "items"
    if ctx.chance(0.5):
        code = [f"const rows = $var.{name} || [];",
                "const byDay = {};",
                "for (const row of rows) {",
                "  const day = String(row.created_at || row.synced_at || '').slice(0, 10) || 'unknown';",
                "  byDay[day] = (byDay[day] || 0) + 1;",
                "}",
                "return { total: rows.length, by_day: byDay };"]
        return stmt("api.lambda", [("code", text_block(code)), ("timeout", "10")], " as $breakdown")
    code = [f"const rows = Array.isArray($var.{name}) ? $var.{name} : [];",
            "return rows.reduce((acc, row) => {",
            "  const key = (row && (row.status || row.stage)) || 'other';",
            "  acc[key] = (acc[key] || 0) + 1;",
            "  return acc;",
            "}, {});"]
    return stmt("api.lambda", [("code", text_block(code)), ("timeout", "5")], " as $by_status")


def _empty_check(ctx: Ctx) -> Lines:
    subject = _first(ctx, "count")
    test = f"{subject} == 0" if subject else (f"({_first(ctx, 'list')}|count) == 0" if _first(ctx, "list") else "false")
    return cond([(test, [stmt("debug.log", [("value", quote(f"{ctx.fn.name}: nothing to do"))])])])


def _chain_var(ctx: Ctx) -> Lines:
    return body([var("$finished_at", chain("now", ['format_timestamp:"Y-m-d H:i:s":"America/New_York"', "to_text"])),
                 stmt("debug.log", [("value", '"finished at " ~ $finished_at')])])


def _text_summary(ctx: Ctx) -> Lines:
    return body([var("$note", f'"{ctx.fn.action} finished at " ~ (now|format_timestamp:"c":"UTC")'),
                 stmt("debug.log", [("value", "$note")])])


def cutoff(days: str) -> Lines:
    """``var $cutoff`` = now minus ``days`` days (a number or an expression)."""
    shift = f'"-{days} days"' if days.isdigit() else f'("-" ~ {days} ~ " days")'
    return var("$cutoff", chain("now", [f'transform_timestamp:{shift}:"UTC"']))
