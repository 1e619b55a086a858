"""The emulator's Metadata API as an ASGI (Starlette) application.

Paths, envelopes, content types and errors follow ``meta-api.md``; everything lives under
``/api:meta``. ``/_emulator/faults`` and ``/_emulator/stats`` (a path the real API never uses,
protected by the token) let a test change faults and read counters over HTTP.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from xanoctl.emulator.documents import Header, read_header, with_canonical
from xanoctl.emulator import multidoc as imports
from xanoctl.emulator import public, runs
from xanoctl.emulator.faults import FaultSpecError
from xanoctl.emulator.state import READ, UPDATE, EmulatorState
from xanoctl.language.environment import without_env
from xanoctl.xano.kinds import BY_COLLECTION, NAMES
from xanoctl.emulator.store import (ApiError, Branch, StoredObject, format_time, input_error, new_canonical,
                                    not_found)

BASE = "/api:meta"
ADMIN = "/_emulator"
XANOSCRIPT_TYPE = "text/x-xanoscript"
TRANSPORT_KEY = "xanoctl.transport"  # set in the ASGI scope state by the emulator's server
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SORTS = ("created_at", "updated_at", "name")
COLLECTIONS = BY_COLLECTION  # collection -> kind (endpoints have their own routes)
MULTIDOC_ORDER = tuple(kind for kind in NAMES if kind != "query")  # endpoints follow their group
EMPTY_LISTS = ("release", "tenant", "static_host")  # the official CLI's `release list`, `tenant list`...
CANONICAL_KINDS = imports.CANONICAL_KINDS  # the container kinds Xano gives a canonical

ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


class MetaApi:
    """Route handlers over one :class:`EmulatorState`."""

    def __init__(self, state: EmulatorState):
        self.state = state

    # ------------------------------------------------------------------ helpers

    def _auth(self, request: Request, right: str | None = None) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        rights = self.state.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if rights is None:
            raise ApiError(401, "ERROR_CODE_UNAUTHORIZED", "Unauthorized: a valid access token is required.")
        needed = right or (READ if request.method in ("GET", "HEAD") else UPDATE)
        if needed not in rights:
            raise ApiError(403, "ERROR_CODE_ACCESS_DENIED",
                           f"Access denied: this token does not have the {needed} scope.")

    def _render(self, obj: StoredObject, branch: Branch, request: Request) -> dict[str, Any]:
        params = request.query_params
        include_draft = _flag(params.get("include_draft"))
        style = self.state.options.timestamps
        data: dict[str, Any] = {"id": obj.id, "name": obj.name, "description": obj.description,
                                "guid": obj.guid, "created_at": format_time(obj.created_at, style),
                                "updated_at": format_time(obj.updated_at, style), "branch": branch.label,
                                "tag": list(obj.tags)}
        data.update(_kind_fields(obj))
        if _flag(params.get("include_xanoscript")):
            source = obj.draft if include_draft and obj.draft is not None else obj.xanoscript
            if obj.xanoscript_error:
                data["xanoscript"] = {"status": "error", "message": obj.xanoscript_error}
            elif self.state.options.xanoscript_as_string:
                data["xanoscript"] = source
            else:
                data["xanoscript"] = {"status": "ok", "value": source}
        return data

    def _changed(self) -> None:
        self.state.save()

    # ------------------------------------------------------------------ account, workspaces, branches

    async def me(self, request: Request) -> Response:
        self._auth(request)
        return JSONResponse({"id": 1, "name": "Emulator", "email": "emulator@localhost", "extras": {}})

    async def instances(self, request: Request) -> Response:
        self._auth(request)
        base = str(request.base_url).rstrip("/") + BASE
        return JSONResponse([{"name": "emulator", "display": "Xano emulator", "xano_domain": request.url.netloc,
                              "custom_domain": "", "rate_limit": False, "meta_api": base,
                              "meta_swagger": base + "/swagger"}])

    async def workspaces(self, request: Request) -> Response:
        self._auth(request)
        with self.state.lock:
            return JSONResponse([{"id": ws.id, "name": ws.name, "description": ws.description,
                                  "branch": ws.live.label} for ws in self.state.store.workspaces.values()])

    async def workspace(self, request: Request) -> Response:
        self._auth(request)
        with self.state.lock:
            ws = self.state.store.workspace(_int(request, "wid"))
            return JSONResponse({"id": ws.id, "name": ws.name, "description": ws.description,
                                 "branch": ws.live.label})

    async def branches(self, request: Request) -> Response:
        self._auth(request)
        wid = _int(request, "wid")
        if request.method == "POST":
            body = await _json_body(request)
            with self.state.lock:
                branch = self.state.store.create_branch(wid, str(body.get("label") or ""),
                                                        body.get("source_branch"), str(body.get("description") or ""),
                                                        str(body.get("color") or ""))
            self._changed()
            return JSONResponse(_branch_json(branch, self.state.options.timestamps))
        with self.state.lock:
            ws = self.state.store.workspace(wid)
            return JSONResponse([_branch_json(b, self.state.options.timestamps) for b in ws.branches.values()])

    async def branch(self, request: Request) -> Response:
        self._auth(request)
        wid, label, style = _int(request, "wid"), request.path_params["label"], self.state.options.timestamps
        if request.method == "GET":
            with self.state.lock:
                return JSONResponse(_branch_json(self.state.store.branch(wid, label or None), style))
        if request.method == "PUT":
            body = await _json_body(request)
            with self.state.lock:
                branch = self.state.store.edit_branch(wid, label, new_label=_text_or_none(body, "label"),
                                                      description=_text_or_none(body, "description"),
                                                      color=_text_or_none(body, "color"))
                answer = _branch_json(branch, style)
            self._changed()
            return JSONResponse(answer)
        with self.state.lock:
            self.state.store.delete_branch(wid, label)
        self._changed()
        return JSONResponse({})

    async def branch_live(self, request: Request) -> Response:
        self._auth(request)
        await _json_body(request)  # an optional {"override_reason": ...}
        with self.state.lock:
            branch = self.state.store.set_live(_int(request, "wid"), request.path_params["label"])
            answer = _branch_json(branch, self.state.options.timestamps)
        self._changed()
        return JSONResponse(answer)

    # ------------------------------------------------------------------ objects

    def _kind(self, request: Request) -> tuple[str, int | None]:
        if "gid" in request.path_params:
            return "query", _int(request, "gid")
        collection = request.path_params["collection"]
        if collection not in COLLECTIONS:
            raise not_found(f"unknown path /{collection}")
        kind = COLLECTIONS[collection]
        if kind in self.state.options.absent_kinds:
            raise ApiError(403, "ERROR_CODE_ACCESS_DENIED", f"Your plan does not include this feature ({kind}).")
        return kind, None

    def _group_check(self, branch: Branch, kind: str, group_id: int | None) -> None:
        if kind == "query" and group_id not in branch.objects["api_group"]:
            raise not_found(f"api group {group_id} not found")

    async def collection(self, request: Request) -> Response:
        self._auth(request)
        kind, group_id = self._kind(request)
        wid = _int(request, "wid")
        if request.method == "POST":
            return await self._create(request, wid, kind, group_id)
        params = request.query_params
        page, per_page = _positive(params, "page", 1), _positive(params, "per_page", 50)
        sort, order = params.get("sort") or "created_at", (params.get("order") or "desc").lower()
        if sort not in SORTS:
            raise input_error(f"Invalid sort {sort!r}: expected one of {', '.join(SORTS)}.", "sort")
        if order not in ("asc", "desc"):
            raise input_error(f"Invalid order {order!r}: expected asc or desc.", "order")
        search = (params.get("search") or "").lower()
        with self.state.lock:
            branch = self.state.store.branch(wid, params.get("branch"))
            self._group_check(branch, kind, group_id)
            items = [o for o in self.state.store.objects(branch, kind, group_id) if search in o.name.lower()]
            items.sort(key=lambda o: (_sort_value(o, sort), o.id), reverse=order == "desc")
            cap = self.state.faults.page_cap
            if cap:  # a server that keeps its own page size, and says so
                per_page = min(per_page, cap)
            start = (page - 1) * per_page
            chosen = items[start:start + per_page]
            body = {"curPage": page, "nextPage": page + 1 if start + per_page < len(items) else None,
                    "prevPage": page - 1 if page > 1 else None,
                    "items": [self._render(o, branch, request) for o in chosen]}
            if cap:
                body.update(perPage=per_page, itemsTotal=len(items), pageTotal=-(-len(items) // per_page))
        return JSONResponse(body)

    async def _create(self, request: Request, wid: int, kind: str, group_id: int | None) -> Response:
        header, text = await self._document(request, kind)
        with self.state.lock:
            store = self.state.store
            branch = store.branch(wid, request.query_params.get("branch"))
            self._group_check(branch, kind, group_id)
            store.check_unique(branch, kind, header.name, header.verb, group_id)
            fields = dict(header.fields)
            if kind in CANONICAL_KINDS and not fields.get("canonical"):
                fields["canonical"] = new_canonical()
                text = with_canonical(text, fields["canonical"])  # in its XanoScript too, as Xano shows it
            obj = store.add(branch, kind, header.name, text, verb=header.verb, group_id=group_id,
                            description=header.description, tags=header.tags, fields=fields)
            body = self._render(obj, branch, request)
        self._changed()
        return JSONResponse(body)

    async def _document(self, request: Request, kind: str) -> tuple[Header, str]:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await request.body()
        if ctype == "application/json" and kind in ("api_group", "table"):
            return _from_json(raw, kind)
        if ctype not in (XANOSCRIPT_TYPE, "text/plain"):
            raise input_error(f"Unsupported content type {ctype or 'none'!r}: send the XanoScript as "
                              f"{XANOSCRIPT_TYPE}.", "content-type")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise input_error("The body is not valid UTF-8.", "xanoscript") from None
        return read_header(text, kind), text

    def _locate(self, request: Request) -> tuple[str, Branch, StoredObject]:
        kind, group_id = self._kind(request)
        branch, obj = self.state.store.locate(_int(request, "wid"), kind, _int(request, "oid"))
        if kind == "query" and obj.group_id != group_id:
            raise not_found()
        return kind, branch, obj

    async def item(self, request: Request) -> Response:
        self._auth(request)
        self._kind(request)
        if request.method == "GET":
            with self.state.lock:
                _, branch, obj = self._locate(request)
                return JSONResponse(self._render(obj, branch, request))
        if request.method == "DELETE":
            with self.state.lock:
                kind, branch, obj = self._locate(request)
                self.state.store.remove(branch, kind, obj.id)
            self._changed()
            return JSONResponse({})
        with self.state.lock:  # PUT: fail fast on an unknown id, before reading the body
            kind, _, _ = self._locate(request)
        header, text = await self._document(request, kind)
        publish = request.query_params.get("publish", "true").lower() not in ("false", "0", "no")
        with self.state.lock:
            kind, branch, obj = self._locate(request)
            self.state.store.check_unique(branch, kind, header.name, header.verb or obj.verb, obj.group_id,
                                          exclude=obj.id)
            self.state.store.replace(obj, name=header.name, xanoscript=text, verb=header.verb,
                                     description=header.description, tags=header.tags, fields=header.fields,
                                     publish=publish)
            body = self._render(obj, branch, request)
            if not publish and _flag(request.query_params.get("include_xanoscript")):
                body["xanoscript"] = self._render_draft(obj)
        self._changed()
        return JSONResponse(body)

    def _render_draft(self, obj: StoredObject) -> Any:
        if self.state.options.xanoscript_as_string:
            return obj.draft
        return {"status": "ok", "value": obj.draft}

    async def empty_list(self, request: Request) -> Response:
        """``GET /workspace/{wid}/release`` (``tenant``, ``static_host``) and ``GET /platform``: a
        bare array, empty (the emulator holds none)."""
        self._auth(request)
        if "wid" in request.path_params:
            with self.state.lock:
                self.state.store.workspace(_int(request, "wid"))
        return JSONResponse([])

    async def knowledge(self, request: Request) -> Response:
        """``/knowledge/sync`` as the official CLI uses it (``src/utils/knowledge-sync.ts``): GET
        the branch's knowledge objects (``?branch=``); POST ``{branch, delete, dry_run?, force,
        items}`` imports them by guid, else by name (``delete``: the others go), answering
        ``{imported, deleted, guid_map}``, or with ``dry_run`` ``{operations, summary}``."""
        self._auth(request)
        wid = _int(request, "wid")
        if request.method == "GET":
            with self.state.lock:
                branch = self.state.store.branch(wid, request.query_params.get("branch"))
                return JSONResponse(list(branch.knowledge))
        body = await _json_body(request)
        items = body.get("items") or []
        if not isinstance(items, list) or not all(isinstance(item, dict) and item.get("name") for item in items):
            raise input_error("items: a list of knowledge objects, each with a name", "items")
        with self.state.lock:
            branch = self.state.store.branch(wid, str(body.get("branch") or "") or None)
            answer = knowledge_sync(branch, items, delete=bool(body.get("delete")), dry=bool(body.get("dry_run")))
        if not body.get("dry_run"):
            self._changed()
        return JSONResponse(answer)

    async def schema(self, request: Request) -> Response:
        self._auth(request)
        with self.state.lock:
            _, obj = self.state.store.locate(_int(request, "wid"), "table", _int(request, "oid"))
            text = obj.xanoscript
        return JSONResponse(_table_schema(text))

    async def multidoc_import(self, request: Request) -> Response:
        """POST .../multidoc and .../multidoc/dry-run (see :mod:`xanoctl.emulator.multidoc`)."""
        self._auth(request)
        if not self.state.options.direct_push:
            raise ApiError(500, "ERROR_FATAL", imports.PUSH_DISABLED)
        flags = imports.Flags.from_query(request.query_params)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in (XANOSCRIPT_TYPE, "text/plain"):
            raise input_error(f"Unsupported content type {ctype or 'none'!r}: send the documents as "
                              f"{XANOSCRIPT_TYPE}.", "content-type")
        try:
            body = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise input_error("The body is not valid UTF-8.", "multidoc") from None
        dry = request.url.path.endswith("/dry-run")
        wid = _int(request, "wid")
        with self.state.lock:
            store = self.state.store
            branch = store.branch(wid, flags.branch)
            plan = imports.resolve(store, branch, body, flags)
            if dry:
                return JSONResponse(imports.dry_run(plan, flags, store.workspace(wid).name))
            answer = imports.apply(store, branch, plan, flags)
        self._changed()
        return JSONResponse(answer)

    async def multidoc(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.multidoc_import(request)
        self._auth(request)
        if not self.state.options.export:
            raise ApiError(403, "ERROR_CODE_ACCESS_DENIED", "This token cannot export the workspace.")
        include_draft = _flag(request.query_params.get("include_draft"))
        env = _flag(request.query_params.get("env"))
        with self.state.lock:
            branch = self.state.store.branch(_int(request, "wid"), request.query_params.get("branch"))
            docs: list[str] = []
            others = sorted(kind for kind in branch.objects if kind not in MULTIDOC_ORDER and kind != "query")
            for kind in (*MULTIDOC_ORDER, *others):  # a type xanoctl does not know after all
                if kind in self.state.options.absent_kinds:
                    continue
                for obj in sorted(branch.objects[kind].values(), key=lambda o: o.id):
                    source = _source(obj, include_draft)
                    # the workspace's environment only when asked for (it holds secrets)
                    docs.append(source if kind != "workspace" or env else without_env(source))
                    if kind == "api_group":
                        endpoints = [e for e in branch.objects["query"].values() if e.group_id == obj.id]
                        docs.extend(_source(e, include_draft) for e in sorted(endpoints, key=lambda o: o.id))
        return Response("\n---\n".join(docs), media_type=f"{XANOSCRIPT_TYPE}; charset=utf-8")

    # ------------------------------------------------------------------ unit and workflow tests

    async def unit_test_list(self, request: Request) -> Response:
        """GET .../unit_test: the unit tests of the branch, paged (``obj_type`` filters)."""
        self._auth(request)
        params = request.query_params
        page, per_page = _positive(params, "page", 1), _positive(params, "per_page", 50)
        obj_type = params.get("obj_type") or None
        if obj_type is not None and obj_type not in runs.UNIT_KINDS:
            raise input_error(f"Invalid obj_type {obj_type!r}: expected one of {', '.join(runs.UNIT_KINDS)}.",
                              "obj_type")
        with self.state.lock:
            branch = self.state.store.branch(_int(request, "wid"), params.get("branch"))
            tests = runs.unit_tests(branch, obj_type)
        start = (page - 1) * per_page
        return JSONResponse({"curPage": page, "nextPage": page + 1 if start + per_page < len(tests) else None,
                             "prevPage": page - 1 if page > 1 else None,
                             "items": [test.as_json() for test in tests[start:start + per_page]]})

    async def unit_test_run(self, request: Request) -> Response:
        """POST .../unit_test/{tid}/run, body ``{branch}`` (the official CLI's)."""
        self._auth(request)
        body = await _json_body(request)
        with self.state.lock:
            workspace = self.state.store.workspace(_int(request, "wid"))
            label = str(body.get("branch") or "")
            branches = [self.state.store.branch(workspace.id, label or None)]
            test = runs.find_unit_test(branches, request.path_params["tid"])
            delay = runs.delay_of(test.obj, test.name)
        if delay:
            await asyncio.sleep(delay)
        with self.state.lock:
            answer = runs.run_answer(test.obj, test.name, test.expects)
        return JSONResponse(answer)

    async def workflow_test_run(self, request: Request) -> Response:
        """POST .../workflow_test/{oid}/run."""
        self._auth(request)
        await _json_body(request)
        with self.state.lock:
            _, obj = self.state.store.locate(_int(request, "wid"), "workflow_test", _int(request, "oid"))
            delay = runs.delay_of(obj, None)
        if delay:
            await asyncio.sleep(delay)
        with self.state.lock:
            answer = runs.run_answer(obj, None, 0)
        return JSONResponse(answer)

    # ------------------------------------------------------------------ the public API

    async def public_api(self, request: Request) -> Response:
        """``/api:{canonical}[:{branch}]/{path}``: the workspace's endpoints (emulator/public.py)."""
        first, _, rest = request.url.path.lstrip("/").partition("/")
        base = public.split_base(first)
        if base is None:
            raise ApiError(404, "ERROR_CODE_NOT_FOUND", "Unable to locate request.")
        body: Any = None
        raw = await request.body()
        if raw and request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
            try:
                body = json.loads(raw)
            except ValueError:
                raise input_error("The body is not valid JSON.") from None
        with self.state.lock:
            answer = public.answer(self.state.store, base[0], base[1], request.method, rest,
                                   dict(request.query_params), body, request.headers.get("authorization", ""))
        if answer.delay:
            await asyncio.sleep(answer.delay)
        if request.method == "HEAD":
            return Response(status_code=answer.status)
        return JSONResponse(answer.body, answer.status)

    # ------------------------------------------------------------------ admin (not part of the real API)

    async def admin_outcomes(self, request: Request) -> Response:
        """PUT /_emulator/outcomes: script a test's run or an endpoint's answer. JSON
        ``{kind: "unit_test", obj_type, object, name, outcome}``, ``{kind: "workflow_test", name,
        outcome}`` or ``{kind: "endpoint", group, verb, path, outcome}`` (``group``: its name or
        canonical); ``branch`` optional; ``outcome: null`` goes back to the default."""
        self._auth(request, UPDATE)
        body = await _json_body(request)
        with self.state.lock:
            result = script_outcome(self.state.store, body)
        self._changed()
        return JSONResponse(result)


    async def admin_faults(self, request: Request) -> Response:
        self._auth(request, READ if request.method == "GET" else UPDATE)
        if request.method == "DELETE":
            self.state.faults.reset()
        elif request.method in ("PUT", "POST"):
            raw = (await request.body()).decode("utf-8", "replace").strip()
            spec = raw
            if raw.startswith("{"):
                spec = str(json.loads(raw).get("faults") or "")
            try:
                self.state.faults.set(spec)
            except FaultSpecError as exc:
                raise input_error(str(exc), "faults") from None
        return JSONResponse(self.state.faults.snapshot())

    async def admin_stats(self, request: Request) -> Response:
        self._auth(request, READ if request.method == "GET" else UPDATE)
        if request.method == "DELETE":
            self.state.stats.methods.clear()
            self.state.stats.statuses.clear()
            self.state.stats.log.clear()
        return JSONResponse(self.state.stats.as_dict())


# ---------------------------------------------------------------------------- helpers


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _int(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])  # (an int already where the route converts it)
    except (KeyError, ValueError):
        raise not_found() from None


def _positive(params: Any, name: str, default: int) -> int:
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise input_error(f"Invalid {name}: expected a positive integer.", name)
    return number


def _sort_value(obj: StoredObject, sort: str) -> Any:
    return obj.name.lower() if sort == "name" else getattr(obj, sort)


def _kind_fields(obj: StoredObject) -> dict[str, Any]:
    fields = dict(obj.fields)
    if obj.kind == "function":
        extra = {"cache": fields.pop("cache", {})}
    elif obj.kind == "query":
        extra = {"verb": obj.verb, "auth": fields.pop("auth", ""), "input": fields.pop("input", []),
                 "cache": fields.pop("cache", {})}
    elif obj.kind == "task":
        extra = {"active": fields.pop("active", True), "datasource": fields.pop("datasource", "live")}
    elif obj.kind == "api_group":
        extra = {"canonical": fields.pop("canonical", ""), "swagger": fields.pop("swagger", True)}
    else:
        extra = {}
    fields.pop("schedule", None)
    return {**fields, **extra}


def script_outcome(store: Any, body: dict[str, Any]) -> dict[str, Any]:
    """Set (or clear) the scripted outcome named by ``body`` (see ``MetaApi.admin_outcomes``)."""
    workspace = store.workspace(int(body.get("workspace") or min(store.workspaces)))
    branch = store.branch(workspace.id, body.get("branch") or None)
    kind, outcome = body.get("kind"), body.get("outcome")
    if kind == "unit_test":
        obj_type = str(body.get("obj_type") or "function")
        obj = _named(branch, obj_type if obj_type in runs.UNIT_KINDS else "", str(body.get("object") or ""))
        key, check = runs.outcome_key(str(body.get("name") or "")), runs.check_outcome
    elif kind == "workflow_test":
        obj = _named(branch, "workflow_test", str(body.get("name") or ""))
        key, check = runs.outcome_key(None), runs.check_outcome
    elif kind == "endpoint":
        group_key = str(body.get("group") or "")
        groups = [g for g in branch.objects["api_group"].values()
                  if group_key in (g.name, str(g.fields.get("canonical", "")))]
        verb, path = str(body.get("verb") or "GET").upper(), str(body.get("path") or "").strip("/")
        obj = next((e for e in branch.objects["query"].values() if groups and e.group_id == groups[0].id
                    and e.verb == verb and e.name.strip("/") == path), None)
        if obj is None:
            raise not_found(f"no endpoint {verb} {path!r} in group {group_key!r}")
        key, check = public.RESPONSE, public.check_response
    else:
        raise input_error("Invalid kind: expected unit_test, workflow_test or endpoint.", "kind")
    if outcome is None:
        obj.outcomes.pop(key, None)
    elif isinstance(outcome, dict):
        obj.outcomes[key] = check(outcome)
    else:
        raise input_error("Invalid outcome: expected an object or null.", "outcome")
    return {"object": obj.name, "key": key, "outcome": obj.outcomes.get(key)}


def _named(branch: Branch, kind: str, name: str) -> StoredObject:
    if kind not in branch.objects:
        raise input_error(f"Invalid obj_type: expected one of {', '.join(runs.UNIT_KINDS)}.", "obj_type")
    for obj in branch.objects[kind].values():
        if obj.name == name:
            return obj
    raise not_found(f"no {kind} named {name!r}")


def _branch_json(branch: Branch, style: str) -> dict[str, Any]:
    """A branch as ``GET /branch`` lists it: its ``created_at`` in ISO form with the ``T``
    (``2024-01-01T00:00:00Z``, Xano's own example in its Metadata API notes)."""
    created = branch.created_at if style == "ms" else \
        datetime.fromtimestamp(branch.created_at / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"created_at": created, "label": branch.label, "live": branch.live, "backup": branch.backup}


def knowledge_sync(branch: Branch, items: list[dict[str, Any]], *, delete: bool, dry: bool) -> dict[str, Any]:
    """Import knowledge objects into a branch (matched by guid, else by name), or say what that
    would do (``dry``)."""
    by_guid = {obj.get("guid"): obj for obj in branch.knowledge if obj.get("guid")}
    by_name = {obj.get("name"): obj for obj in branch.knowledge}
    operations, kept, guid_map = [], [], []
    summary: dict[str, dict[str, int]] = {}
    for item in items:
        kind = str(item.get("knowledge_type") or "doc")
        counts = summary.setdefault(kind, {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0})
        old = by_guid.get(item.get("guid")) or by_name.get(item.get("name"))
        fields = {k: v for k, v in item.items() if k != "guid"}
        action = "create" if old is None else (
            "unchanged" if {k: v for k, v in old.items() if k != "guid"} == fields else "update")
        counts[{"create": "created", "update": "updated", "unchanged": "unchanged"}[action]] += 1
        operations.append({"action": action, "type": kind, "name": str(item["name"])})
        guid = old.get("guid") if old is not None else secrets.token_urlsafe(20)[:27]
        kept.append({**fields, "guid": guid})
        guid_map.append({"guid": guid, "name": str(item["name"])})
    gone = [obj for obj in branch.knowledge if delete and obj.get("guid") not in {k["guid"] for k in kept}]
    for obj in gone:
        summary.setdefault(str(obj.get("knowledge_type") or "doc"),
                           {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0})["deleted"] += 1
        operations.append({"action": "delete", "type": str(obj.get("knowledge_type") or "doc"), "name": obj.get("name")})
    if dry:
        return {"operations": operations, "summary": summary}
    survivors = [obj for obj in branch.knowledge if obj not in gone and obj.get("guid") not in {k["guid"] for k in kept}]
    branch.knowledge = survivors + kept
    return {"imported": len(kept), "deleted": len(gone), "guid_map": guid_map}


def _text_or_none(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    return None if value is None else str(value)


def _source(obj: StoredObject, include_draft: bool) -> str:
    return obj.draft if include_draft and obj.draft is not None else obj.xanoscript


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise input_error("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise input_error("Expected a JSON object.")
    return body


def _from_json(raw: bytes, kind: str) -> tuple[Header, str]:
    """A JSON create (accepted for API groups and tables): render the XanoScript ourselves."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise input_error("The body is not valid JSON.") from None
    name = str(body.get("name") or "").strip() if isinstance(body, dict) else ""
    if not name:
        raise input_error("Missing param: name", "name")
    quoted = json.dumps(name, ensure_ascii=False)
    lines = [f"{kind} {quoted} {{"]
    description = str(body.get("description") or "")
    if description:
        lines.append(f"  description = {json.dumps(description, ensure_ascii=False)}")
    if kind == "table":
        lines += ["  schema {", "    int id", "  }"]
    lines.append("}")
    fields: dict[str, Any] = {"canonical": str(body["canonical"])} if kind == "api_group" and body.get("canonical") else {}
    if kind == "api_group" and isinstance(body.get("swagger"), bool):
        fields["swagger"] = body["swagger"]  # the official CLI's `apigroup create --swagger`
    tags = [str(t) for t in body.get("tag") or []]
    return Header(kind=kind, name=name, description=description, tags=tags, fields=fields), "\n".join(lines)


def _table_schema(text: str) -> list[dict[str, Any]]:
    from xanoctl.language import parser

    try:
        document = parser.parse_document(text)
    except Exception:  # noqa: BLE001 - an unreadable table simply shows no schema
        return []
    return [{"name": f.name, "type": f.type, "nullable": f.nullable, "required": f.required,
             "array": f.array} for f in document.schema or [] if f.name]


# ---------------------------------------------------------------------------- ASGI assembly


class FaultLayer:
    """ASGI middleware in front of the API: counts requests and injects the faults in force."""

    def __init__(self, app: ASGIApp, state: EmulatorState):
        self.app = app
        self.state = state

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        decision = self.state.faults.decide(method in WRITE_METHODS)
        self.state.stats.methods[method] += 1
        self.state.stats.log.append(f"{method} {scope['path']}")
        if decision.latency:
            await asyncio.sleep(decision.latency)
        if decision.write_latency:  # the request is all in: applied even if the client gives up
            receive = await _received(receive)
            await asyncio.sleep(decision.write_latency)

        async def counting_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                self.state.stats.statuses[message["status"]] += 1
            await send(message)

        if decision.action == "drop":
            await _drop(scope, send)
        elif decision.action == "429":
            headers = {"Retry-After": decision.retry_after} if decision.retry_after is not None else None
            response = JSONResponse({"code": "ERROR_CODE_TOO_MANY_REQUESTS",
                                     "message": "Rate Limited. Too many requests."}, 429, headers=headers)
            await response(scope, receive, counting_send)
        elif decision.action == "500":
            response = JSONResponse({"code": "ERROR_FATAL", "message": "An unexpected error occurred."}, 500)
            await response(scope, receive, counting_send)
        elif decision.action == "drop-after":
            async def swallow(message: dict) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _drop(scope, send)
        else:
            await self.app(scope, receive, counting_send)


async def _received(receive: Callable) -> Callable:
    """Read the whole request body now; a ``receive`` that replays it."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            break
    body = b"".join(chunks)

    async def replay() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


class ConnectionDropped(Exception):
    """Raised after a response was started, so that the server aborts the connection."""


async def _drop(scope: dict, send: Callable) -> None:
    """Drop the TCP connection without answering. With the emulator's own server the transport
    is aborted (the client sees the connection close with no bytes); under another server, a
    response is started and abandoned, which also ends in a closed connection."""
    transport = (scope.get("state") or {}).get(TRANSPORT_KEY)
    if transport is not None:
        transport.abort()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
    raise ConnectionDropped("connection dropped by fault injection")


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = "ERROR_CODE_NOT_FOUND" if exc.status_code == 404 else "ERROR_CODE_BAD_REQUEST"
    return JSONResponse({"code": code, "message": str(exc.detail or "")}, exc.status_code)


def build_app(state: EmulatorState) -> ASGIApp:
    """The ASGI application over ``state``."""
    api = MetaApi(state)
    ws = "/workspace/{wid}"
    routes = [
        Route("/auth/me", api.me, methods=["GET"]),
        Route("/instance", api.instances, methods=["GET"]),
        Route("/workspace", api.workspaces, methods=["GET"]),
        Route(ws, api.workspace, methods=["GET"]),
        Route(ws + "/branch", api.branches, methods=["GET", "POST"]),
        Route(ws + "/branch/{label}", api.branch, methods=["GET", "PUT", "DELETE"]),
        Route(ws + "/branch/{label}/live", api.branch_live, methods=["POST"]),
        Route(ws + "/multidoc", api.multidoc, methods=["GET", "POST"]),
        Route(ws + "/multidoc/dry-run", api.multidoc_import, methods=["POST"]),
        Route(ws + "/table/{oid}/schema", api.schema, methods=["GET"]),
        Route(ws + "/knowledge/sync", api.knowledge, methods=["GET", "POST"]),
        # lists the official CLI reads that this emulator holds nothing in: empty, as a new workspace's
        *(Route(ws + "/" + name, api.empty_list, methods=["GET"]) for name in EMPTY_LISTS),
        Route("/platform", api.empty_list, methods=["GET"]),
        Route(ws + "/unit_test", api.unit_test_list, methods=["GET"]),
        Route(ws + "/unit_test/{tid}/run", api.unit_test_run, methods=["POST"]),
        Route(ws + "/workflow_test/{oid}/run", api.workflow_test_run, methods=["POST"]),
        Route(ws + "/apigroup/{gid}/api", api.collection, methods=["GET", "POST"]),
        Route(ws + "/apigroup/{gid}/api/{oid}", api.item, methods=["GET", "PUT", "DELETE"]),
        # every other collection, one or more segments (`agent`, `table/trigger`, `realtime/channel/trigger`)
        Route(ws + "/{collection:path}/{oid:int}", api.item, methods=["GET", "PUT", "DELETE"]),
        Route(ws + "/{collection:path}", api.collection, methods=["GET", "POST"]),
    ]
    admin = [
        Route("/faults", api.admin_faults, methods=["GET", "PUT", "POST", "DELETE"]),
        Route("/stats", api.admin_stats, methods=["GET", "DELETE"]),
        Route("/outcomes", api.admin_outcomes, methods=["PUT", "POST"]),
    ]
    verbs = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
    app = Starlette(routes=[Mount(BASE, routes=routes), Mount(ADMIN, routes=admin),
                            Route("/{rest:path}", api.public_api, methods=verbs)],
                    exception_handlers={ApiError: _api_error, HTTPException: _http_error})
    return FaultLayer(app, state)
