"""Bodies of generated Workers/ functions (the data work, by kind: pull, one, push, send, local)
and of Archive/ functions (retired imports)."""

from __future__ import annotations

from typing import Callable

from xanoctl.seeds._body import (INIT, TARGET, Ctx, api_url, cutoff, envelope_response, extras, headers_stmt,
                                 record_data, request, status_check)
from xanoctl.seeds._xs import (Entry, Lines, Value, block, call, chain, cond, envelope, foreach, obj, quote, ret,
                               stmt, update, var)


def worker_body(ctx: Ctx) -> tuple[list[Lines], Value]:
    fn = ctx.fn
    assert fn.domain is not None and fn.entity is not None
    owner = fn.domain.owner[1]
    out: list[Lines] = []
    owner_input = fn.input(owner)
    if owner_input is not None and not owner_input.required:
        out.append(cond([(f"$input.{owner} == null", [ctx.fail(quote(f"No {owner} provided"))])]))
    headers = "$headers"
    fetched = fn.work == "pull" and ctx.planned("Fetch")  # the Fetch worker makes the requests
    if not fetched and (fn.work != "local" or (fn.table is None and fn.action not in ("Validate", "Score"))):
        statements, headers = headers_stmt(ctx)
        out += statements
    since = ctx.take("window_start")
    if since is not None:
        out.append(ctx.run(since, {"days": "$input.days"}))
    for key, kind in fn.data:
        out.append(var("$" + key, INIT[kind]))
    out += WORK[fn.work](ctx, headers, since.alias if since else None)
    out += extras(ctx, out, TARGET["Workers"])
    if fn.bugs.get("fp001"):  # the data without its envelope
        return out, obj([(key, "$" + key) for key, _ in fn.data], multiline=False)
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
        external = "$record.id"
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
    rows = f"$api.response.result.{fn.entity.list_key}|first_notempty:[]"
    if where:  # the same condition, on the rows the API answered
        rows += f"|filter:({where.format(t='$$')})"
    return [request(api_url(ctx), "GET", headers, "$api", timeout=30), var(alias, rows)]



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
        out.append(cutoff("$input.older_than_days"))
        out += _rows(ctx, headers, f"{{t}}.{owner} == $input.{owner} && {{t}}.created_at < $cutoff && {{t}}.archived == false")
        act = (stmt(f"db.patch {table}", [("field_name", '"id"'), ("field_value", "$row.id"), ("data", "{archived: true}")],
                    " as $patched") if table else stmt("debug.log", [("value", '"would archive " ~ $row.id')]))
        out.append(foreach("$rows", "$row", [act, stmt("math.add $archived", [("value", "1")])]))
    else:  # Prune
        out.append(cutoff("$input.keep_days"))
        out += _rows(ctx, headers, "{t}.synced_at < $cutoff")
        act = (stmt(f"db.del {table}", [("field_name", '"id"'), ("field_value", "$row.id")]) if table
               else stmt("debug.log", [("value", '"would delete " ~ $row.id')]))
        out.append(foreach("$rows", "$row", [act, stmt("math.add $deleted", [("value", "1")])]))
    return out


WORK: dict[str, Callable[[Ctx, str, str | None], list[Lines]]] = {
    "pull": _pull, "one": _one, "push": _push, "send": _send, "local": _local}


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
