"""Bodies of generated Tasks/ functions: orchestrators that run their workers in order, stop at the
first failed envelope, log the run, and answer an envelope of what the workers returned."""

from __future__ import annotations

from xanoctl.seeds._body import TARGET, Ctx, cutoff, label, envelope_response, extras
from xanoctl.seeds._plan import Call, Fn
from xanoctl.seeds._xs import Lines, Value, call, cond, envelope, foreach, obj, quote, ret, stmt, var


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
        entries = {"source": label(fn),
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
            "source": label(fn), "status": '"failed"', "details": f"{{error: {alias}.error}}"}),
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
    return [cutoff("1"), rows, foreach("$stale.items", "$row", each)]
