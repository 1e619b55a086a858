"""Render planned functions (:mod:`xanoctl.seeds._plan`) to XanoScript.

Tasks/ and Workers/ functions return the FP envelope ``{success, data, error, step}`` on
every path; callers unwrap ``.data``; every ``function.run`` passes each required input of its
callee and only declared inputs. Planted bugs (``Fn.bugs``, ``Call.rename/omit/ghost``) are the
only departures.
"""

from __future__ import annotations

import random
from typing import Callable

from xanoctl.seeds import _utils
from xanoctl.seeds._format import export_blank_lines
from xanoctl.seeds._plan import Call, Field, Fn
from xanoctl.seeds._xs import (Entry, Lines, Value, arr, block, body, call, chain, cond, envelope, foreach,
                               indent, obj, quote, ret, setting, stmt, text_block, update, var)

INIT = {"list": "[]", "count": "0", "flag": "false", "text": '""', "row": "null"}
TARGET = {"Workers": (38, 68), "Tasks": (34, 60), "Utils": (16, 40), "Archive": (30, 60)}


def render_function(fn: Fn, seed: int) -> str:
    ctx = Ctx(fn, random.Random(f"{seed}:{fn.name}"))
    statements, response = {"Workers": worker_body, "Tasks": task_body, "Utils": _utils.util_body,
                            "Archive": archive_body}[fn.folder](ctx)
    lines = [f"// {fn.description}"] if fn.description else []
    lines.append(f'function "{fn.name}" {{')
    lines += indent(input_block(fn.inputs))
    lines += ["", *indent(block("stack", statements)), ""]
    if fn.bugs.get("legacy_response"):
        lines += indent(stmt("response", [("value", response)]))
    else:
        lines += indent(setting("response", response))
    if fn.folder == "Archive":
        lines += ["", '  tags = ["archive"]']
    lines.append("}")
    return export_blank_lines("\n".join(lines))


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


# --------------------------------------------------------------------------- workers


def worker_body(ctx: Ctx) -> tuple[list[Lines], Value]:
    fn = ctx.fn
    assert fn.domain is not None and fn.entity is not None
    owner = fn.domain.owner[1]
    out: list[Lines] = []
    owner_input = fn.input(owner)
    if owner_input is not None and not owner_input.required:
        out.append(cond([(f"$input.{owner} == null", [ctx.fail(quote(f"No {owner} provided"))])]))
    headers = "$headers"
    if fn.work != "local" or (fn.table is None and fn.action not in ("Validate", "Score")):
        statements, headers = headers_stmt(ctx)
        out += statements
    since = ctx.take("window_start")
    if since is not None:
        out.append(ctx.run(since, {"days": "$input.days"}))
    for key, kind in fn.data:
        out.append(var("$" + key, INIT[kind]))
    out += WORK[fn.work](ctx, headers, since.alias if since else None)
    out += extras(ctx, out, TARGET["Workers"])
    if fn.bugs.get("fp001"):
        return out, "$" + fn.data[0][0]
    return out, envelope_response(ctx, obj([(key, "$" + key) for key, _ in fn.data]))


def _pull(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    entity, out = fn.entity, []
    fetched = ctx.take("Fetch")
    keys = dict(fn.data)
    api = "$api"  # the variable holding the last API answer, "" when there is none
    if fetched is not None and fetched.callee is not None:
        sources = ctx.owner_sources()
        out.append(ctx.run(fetched, sources))
        out.append(cond([(f"{fetched.alias}.success == false", [ctx.fail(f"{fetched.alias}.error")])]))
        items = f"{fetched.alias}.data.{fetched.callee.data[0][0]}"
        api = ""
    elif ctx.take("paginate") is not None or ctx.chance(0.3):
        out += _paginate(ctx, headers, since)
        items, api = "$items", "$page"
    else:
        params = [("limit", "$input.limit" if fn.input("limit") else "100")]
        if since:
            params.append(("updated_since", f'{since}|format_timestamp:"c":"UTC"'))
        owner = fn.domain.owner[1]
        if fn.input(owner):
            params.append((owner, "$input." + owner))
        out.append(request(api_url(ctx), "GET", headers, api, obj(params), ctx.rng.choice((None, 20, 30, 60))))
        out.append(status_check(ctx, api))
        items = f"{api}.response.result.{entity.list_key}"
    item = "$" + entity.singular
    loop: list[Lines] = []
    if fn.input("dry_run") is not None:
        loop.append(cond([("$input.dry_run", [stmt("array.push $skipped", [("value", f"{item}.id")]), ["continue"]])]))
    mapped = ctx.take("map_record")
    data: Value = record_data(ctx, item)
    if mapped is not None:
        loop.append(ctx.run(mapped, {"record": item, fn.domain.owner[1]: "$input." + fn.domain.owner[1]}
                            if fn.input(fn.domain.owner[1]) else {"record": item}))
        data = mapped.alias
    pushed = data
    if fn.table is not None:
        loop.append(stmt(f"db.add_or_edit {fn.table.name}", [
            ("field_name", '"external_id"'), ("field_value", f"{item}.id|to_text"), ("data", data)], " as $row"))
        pushed = "$row"
    for key, kind in fn.data:
        if kind == "list" and key not in ("skipped",):
            loop.append(stmt(f"array.push ${key}", [("value", pushed)]))
        elif kind == "count" and key != "pages":
            loop.append(stmt(f"math.add ${key}", [("value", "1")]))
    out.append(foreach(items, item, loop))
    if "has_more" in keys:
        source = f"{api}.response.result.has_more" if api else "false"
        out.append(update("$has_more", f"{source}|first_notnull:false" if api else "false"))
    if "pages" in keys and api != "$page":
        out.append(update("$pages", "1"))
    return out


def _paginate(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None
    first = f"{fn.domain.base_url}/{fn.entity.path}?limit="  # type: ignore[union-attr]
    size = next(("$input." + name for name in ("page_size", "limit") if fn.input(name)), None)
    url = quote(first + ("" if size else "100")) + (f" ~ {size}" if size else "")
    url += f' ~ "&updated_since=" ~ ({since}|format_timestamp:"U":"UTC")' if since else ""
    out: list[Lines] = [var("$items", "[]"), var("$next_url", url)]
    page: list[Lines] = [request("$next_url", "GET", headers, "$page", timeout=30)]
    page.append(cond([("$page.response.status != 200", [ctx.fail('"Paging failed at " ~ $next_url')])]))
    page.append(update("$items", f"$items|merge:$page.response.result.{fn.entity.list_key}"))
    helper = next((c for c in fn.calls if (c.callee and c.callee.work == "paginate")), None)
    if helper is not None:
        page.append(call(helper.name, ctx.inputs_for(helper, {"response": "$page.response"}), "$next_page"))
        page.append(update("$next_url", "$next_page"))
    else:
        page.append(update("$next_url", "$page.response.result.paging.next|first_notnull:null"))
    if "pages" in dict(fn.data):
        page.append(stmt("math.add $pages", [("value", "1")]))
    out.append(block("while ($next_url != null)", [block("each", page)]))
    return out


def _one(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    singular = fn.entity.singular
    flag = next(key for key, kind in fn.data if kind == "flag")
    out: list[Lines] = []
    if fn.table is not None:
        out.append(stmt(f"db.get {fn.table.name}", [("field_name", '"id"'), ("field_value", "$input.record_id")],
                        " as $record"))
        out.append(cond([("$record == null", [ctx.fail('"No record " ~ $input.record_id')])]))
        external = "$record.external_id"
    else:
        out.append(var("$record", "{id: $input.record_id}"))
        external = "$input.record_id"
    if fn.input("force") is not None:
        early = ret(envelope("true", obj([(singular, "$record"), (flag, "false")]), "null", fn.name))
        out.append(cond([("$record.synced_at != null && $input.force == false", [early])]))
    out.append(request(api_url(ctx, "/") + " ~ " + external, "GET", headers, "$api", timeout=20))
    out.append(status_check(ctx, "$api"))
    mapped = ctx.take("map_record")
    data: Value = record_data(ctx, "$api.response.result")
    if mapped is not None:
        out.append(ctx.run(mapped, {"record": "$api.response.result"}))
        data = mapped.alias
    if fn.table is not None:
        out.append(stmt(f"db.edit {fn.table.name}", [("field_name", '"id"'), ("field_value", "$record.id"),
                                                   ("data", data)], " as $updated"))
        out.append(update("$" + singular, "$updated"))
    else:
        out.append(update("$" + singular, "$api.response.result"))
    out.append(update("$" + flag, "true"))
    return out


def _push(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    counter = next(key for key, kind in fn.data if kind == "count")
    failed = next((key for key, kind in fn.data if kind == "list"), None)
    record = "$" + fn.entity.singular
    params = obj([(name, f"{record}.{name}") for name, _ in fn.entity.fields])
    attempt: list[Lines] = [request(api_url(ctx), "POST", headers, "$api", params, 15)]
    attempt.append(cond([("$api.response.status >= 300", [stmt("throw", [
        ("name", quote(fn.domain.name + "Error")), ("value", '"HTTP " ~ $api.response.status')])])]))
    attempt.append(stmt(f"math.add ${counter}", [("value", "1")]))
    if failed:
        recover = [stmt(f"array.push ${failed}", [("value", obj([("id", f"{record}.id"), ("error", "$error.message")]))])]
    else:
        recover = [stmt("debug.log", [("value", f'"{fn.domain.name} export failed: " ~ $error.message')])]
    per_record = block("try_catch", [block("try", attempt), block("catch", recover)])
    chunk = ctx.take("chunk")
    out: list[Lines] = []
    if chunk is not None:
        out.append(ctx.run(chunk, {"items": "$input.records", "size": "50"}))
        out.append(foreach(chunk.alias, "$batch", [foreach("$batch", record, [per_record])]))
    else:
        out.append(foreach("$input.records", record, [per_record]))
    if "destination" in dict(fn.data):
        out.append(update("$destination", "$input.destination|first_notnull:" + api_url(ctx)))
    return out


def _send(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    out: list[Lines] = [stmt('precondition ($input.channel != "")', [
        ("error_type", '"inputerror"'), ("error", '"channel is required"')])]
    out.append(var("$payload", obj([("channel", "$input.channel"), ("text", "$input.message"),
                                    ("metadata", "$input.context"), ("unfurl_links", "false")])))
    out.append(request(api_url(ctx), "POST", headers, "$api", "$payload", 10))
    out.append(status_check(ctx, "$api"))
    out.append(update("$sent", "true"))
    out.append(update("$message_id", "$api.response.result.id|to_text"))
    return out


def _rows(ctx: Ctx, headers: str, where: str, alias: str = "$rows") -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None
    if fn.table is not None:
        settings: list[Entry] = [("where", where.format(t=f"$db.{fn.table.name}"))]
        if ctx.chance(0.4):
            settings.append(("sort", f'{{{fn.table.name}.created_at: "desc"}}'))
        settings.append(("return", '{type: "list"}'))
        return [stmt(f"db.query {fn.table.name}", settings, f" as {alias}")]
    return [request(api_url(ctx), "GET", headers, "$api", timeout=30),
            var(alias, f"$api.response.result.{fn.entity.list_key}|first_notempty:[]")]


def _cutoff(days: str) -> Lines:
    return var("$cutoff", chain("now", [f'transform_timestamp:("-" ~ {days} ~ " days"):"UTC"']))


def _local(ctx: Ctx, headers: str, since: str | None) -> list[Lines]:
    fn = ctx.fn
    assert fn.entity is not None and fn.domain is not None
    owner = fn.domain.owner[1]
    first_text = next((name for name, t in fn.entity.fields if t == "text"), "id")
    number = next((name for name, t in fn.entity.fields if t in ("int", "decimal")), None)
    table = fn.table.name if fn.table else None
    out: list[Lines] = []
    if fn.action == "Reconcile":
        row = "$existing"
        if table:
            find = stmt(f"db.query {table}", [
                ("where", f"$db.{table}.external_id == ($record.id|to_text) && $db.{table}.{owner} == $input.{owner}"),
                ("return", '{type: "single"}')], f" as {row}")
            hit = [stmt(f"db.patch {table}", [("field_name", '"id"'), ("field_value", f"{row}.id"),
                                              ("data", obj([(first_text, f"$record.{first_text}"), ("synced_at", "now")]))],
                        " as $patched"), stmt("math.add $matched", [("value", "1")])]
        else:
            out += _rows(ctx, headers, "", "$known")
            find = [f"array.find ($known) if ($this.id == $record.id) as {row}"]
            hit = [stmt("math.add $matched", [("value", "1")])]
        loop = foreach("$input.records", "$record", [find, cond(
            [(f"{row} == null", [stmt("array.push $missing", [("value", "$record.id")])])], hit)])
        out.append(block("db.transaction", [block("stack", [loop])]) if table and ctx.chance(0.5) else loop)
    elif fn.action == "Dedupe":
        out += _rows(ctx, headers, f"{{t}}.{owner} == $input.{owner}")
        out.append(var("$seen", "{}"))
        dup = [stmt("array.push $duplicates", [("value", "$row.id")])]
        if table:
            dup.append(stmt(f"db.del {table}", [("field_name", '"id"'), ("field_value", "$row.id")]))
        keep = [update("$seen", "$seen|set:$value:true"), stmt("math.add $kept", [("value", "1")])]
        out.append(foreach("$rows", "$row", [var("$value", "$row|get:$input.match_on|to_lower"),
                                             cond([("$seen|has:$value", dup)], keep)]))
    elif fn.action == "Validate":
        for name, xs_type in fn.entity.fields:
            test = f"$input.record.{name}|is_empty" if xs_type != "bool" else f"$input.record.{name} == null"
            out.append(cond([(test, [stmt("array.push $errors", [("value", quote(f"{name} is required"))])])]))
        out.append(update("$valid", "($errors|count) == 0"))
    elif fn.action == "Score":
        branches = [(f'$record.{first_text} == "{word}"', [stmt("math.add $score", [("value", str(points))])])
                    for word, points in (("won", 60), ("qualified", 40), ("open", 20))]
        loop = [var("$score", "0"), cond(branches)]
        if number:
            loop.append(cond([(f"$record.{number} > 1000", [stmt("math.add $score", [("value", "15")])])]))
        loop.append(stmt("array.push $scored", [("value", "{id: $record.id, score: $score}")]))
        loop.append(cond([("$score >= $input.threshold", [stmt("math.add $hot", [("value", "1")])])]))
        out.append(foreach("$input.records", "$record", loop))
    elif fn.action == "Summarize":
        start = since or "$start"
        if since is None:
            out.append(var("$start", chain("now", ['transform_timestamp:("-" ~ $input.days ~ " days"):"UTC"'])))
        out += _rows(ctx, headers, f"{{t}}.{owner} == $input.{owner} && {{t}}.created_at >= {start}")
        out.append(foreach("$rows", "$row", [stmt("math.add $total", [("value", f"$row.{number}|first_notnull:0" if number else "1")])]))
        out.append(update("$count", "$rows|count"))
    elif fn.action == "Archive":
        out.append(_cutoff("$input.older_than_days"))
        out += _rows(ctx, headers, f"{{t}}.{owner} == $input.{owner} && {{t}}.created_at < $cutoff && {{t}}.archived == false")
        act = (stmt(f"db.patch {table}", [("field_name", '"id"'), ("field_value", "$row.id"), ("data", "{archived: true}")],
                    " as $patched") if table else stmt("debug.log", [("value", '"would archive " ~ $row.id')]))
        out.append(foreach("$rows", "$row", [act, stmt("math.add $archived", [("value", "1")])]))
    else:  # Prune
        out.append(_cutoff("$input.keep_days"))
        out += _rows(ctx, headers, "{t}.synced_at < $cutoff")
        act = (stmt(f"db.del {table}", [("field_name", '"id"'), ("field_value", "$row.id")]) if table
               else stmt("debug.log", [("value", '"would delete " ~ $row.id')]))
        out.append(foreach("$rows", "$row", [act, stmt("math.add $deleted", [("value", "1")])]))
    return out


WORK: dict[str, Callable[[Ctx, str, str | None], list[Lines]]] = {
    "pull": _pull, "one": _one, "push": _push, "send": _send, "local": _local}


# --------------------------------------------------------------------------- extras


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


def _label(fn: Fn) -> str:
    return quote(fn.name.split("/")[-1].lower().replace(" - ", ".").replace(" ", "_"))


def _util_sources(ctx: Ctx, util: Fn) -> dict[str, str]:
    fn = ctx.fn
    label = _label(fn)
    count = next(("$" + k for k, kind in fn.data if kind == "count"), "0")
    return {"source": label, "message": quote(f"{fn.name} finished"), "status": '"ok"', "count": count,
            "payload": "{step: " + quote(fn.name) + "}", "details": "{step: " + quote(fn.name) + "}",
            "response": "{}", "record": "{}", "items": "[]", "days": "$input.days" if fn.input("days") else "1"}


def _first(ctx: Ctx, kind: str) -> str | None:
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
    return var("$finished_at", chain("now", ['format_timestamp:"Y-m-d H:i:s":"America/New_York"', "to_text"]))


def _text_summary(ctx: Ctx) -> Lines:
    return var("$note", f'"{ctx.fn.action} finished at " ~ (now|format_timestamp:"c":"UTC")')


# --------------------------------------------------------------------------- tasks


def task_body(ctx: Ctx) -> tuple[list[Lines], Value]:
    fn = ctx.fn
    out: list[Lines] = []
    sources = ctx.owner_sources()
    since = ctx.take("window_start")
    wants_since = any(c.callee and (c.callee.input("from") or c.callee.input("since")) for c in fn.calls)
    if since is not None and wants_since:
        out.append(ctx.run(since, {"days": "$input.days"} if fn.input("days") else {"hours": "24"}))
        sources["since"] = sources["from"] = since.alias
    if fn.input("dry_run") is not None and ctx.chance(0.5):
        early = ret(envelope("true", "{dry_run: true}", "null", fn.name))
        out.append(cond([("$input.dry_run", [stmt("debug.log", [("value", quote(f"{fn.name}: dry run"))]), early])]))
    sources.setdefault("channel", "$env.SLACK_ALERTS_CHANNEL")
    sources.setdefault("message", quote(f"{fn.name.split('/')[-1]} finished"))
    reads: list[tuple[str, str]] = []
    bugged = ""  # planted FP003: the first read, written without .data
    log = ctx.take("log_run")
    for index, planned in enumerate([c for c in ctx.pending if (c.callee or c.ghost).folder == "Workers"]):
        ctx.pending.remove(planned)
        target = planned.callee or planned.ghost
        assert target is not None
        alias = planned.alias
        if target.work == "one" and target.table is not None:
            out += _per_record(ctx, planned, target, sources)
        else:
            out.append(ctx.run(planned, sources))
            out.append(_success_check(ctx, alias, log, index == 0))
        lists = [key for key, kind in target.data if kind == "list"]
        if lists:
            sources["records"] = f"{alias}.data.{lists[0]}"
            sources["record"] = f"{alias}.data.{lists[0]}|first"
        read = f"{alias}.data.{target.data[0][0]}"
        reads.append((fn.data[index][0], read))
        if index == 0 and fn.bugs.get("fp003") == "direct":
            bugged = f"{alias}.{target.data[0][0]}"
        if index == 0 and fn.bugs.get("fp003") == "copy":
            out.append(var(f"{alias}_result", alias))
            bugged = f"{alias}_result.{target.data[0][0]}"
    if log is not None:
        count = next((value for (key, kind), (_, value) in zip(fn.data, reads) if kind == "count"), None)
        fallback_count = f"({reads[0][1]}|count)" if reads else "0"
        entries = {"source": _label(fn),
                   "status": '"ok"', "count": count or fallback_count,
                   "details": obj([(key, value) for key, value in reads[:2]]) if reads else "{}"}
        out.append(ctx.run(log, entries))
    out += extras(ctx, out, TARGET["Tasks"])
    if bugged:
        reads[0] = (reads[0][0], bugged)
    data = obj(list(reads)) if reads else "null"
    return out, envelope_response(ctx, data)


def _success_check(ctx: Ctx, alias: str, log: Call | None, first: bool) -> Lines:
    fn = ctx.fn
    if first and fn.bugs.get("coalesce"):
        test = f"({alias}.success ?? true) == false"
    else:
        test = ctx.rng.choice((f"{alias}.success == false", f"{alias}.success != true", f"{alias}.success == false"))
    failure: list[Lines] = []
    if log is not None and first and ctx.chance(0.5):
        failure.append(call(log.name, ctx.inputs_for(log, {
            "source": _label(fn), "status": '"failed"', "details": f"{{error: {alias}.error}}"}),
            "$failure_log"))
    elif ctx.chance(0.3):
        failure.append(stmt("debug.log", [("value", obj([("step", quote(fn.name)), ("error", f"{alias}.error")]))]))
    failure.append(ctx.fail(f"{alias}.error"))
    return cond([(test, failure)])


def _per_record(ctx: Ctx, planned: Call, target: Fn, sources: dict[str, str]) -> list[Lines]:
    table = target.table.name  # type: ignore[union-attr]
    rows = stmt(f"db.query {table}", [("where", f"$db.{table}.synced_at < $cutoff || $db.{table}.synced_at == null"),
                                      ("return", '{type: "list", paging: {page: 1, per_page: 50}}')], " as $stale")
    inner = dict(sources, record_id="$row.id")
    each = [ctx.run(planned, inner),
            cond([(f"{planned.alias}.success == false", [stmt("debug.log", [("value", f"{planned.alias}.error")])])])]
    return [_cutoff("1"), rows, foreach("$stale.items", "$row", each)]


# --------------------------------------------------------------------------- archive


def archive_body(ctx: Ctx) -> tuple[list[Lines], Value]:
    fn = ctx.fn
    assert fn.domain is not None and fn.entity is not None
    out: list[Lines] = [var("$imported", "0")]
    helper = ctx.take("auth_headers")
    if helper is not None:
        out.append(ctx.run(helper, {}))
        headers = helper.alias
    else:
        headers = chain("[]", [f'push:("Authorization: Bearer " ~ $env.{fn.domain.token_env})'])  # type: ignore[assignment]
    url = api_url(ctx, "?limit=") + " ~ $input.limit"
    out.append(stmt("api.request", [("url", url), ("method", '"GET"'), ("headers", headers)], " as $api"))
    item = "$" + fn.entity.singular
    loop: list[Lines] = []
    if fn.table is not None:
        loop.append(stmt(f"db.add {fn.table.name}", [("data", record_data(ctx, item, owner=False))], " as $row"))
    else:
        loop.append(["!" + line if i == 0 else line for i, line in
                     enumerate(stmt("debug.log", [("value", f"{item}.id")]))])
    loop.append(stmt("math.add $imported", [("value", "1")]))
    out.append(foreach(f"$api.response.result.{fn.entity.list_key}", item, loop))
    out.append(["!" + line if i == 0 else line for i, line in
                enumerate(stmt("debug.log", [("value", '"imported " ~ $imported')]))])
    out += extras(ctx, out, TARGET["Archive"])
    return out, "$imported"
