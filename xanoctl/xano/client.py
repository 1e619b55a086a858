"""The Metadata API client: with :mod:`xanoctl.xano.public` (the workspace's public API), the
only module of xanoctl that speaks HTTP to Xano.

:class:`AsyncXanoClient` does the work (httpx, asyncio); :class:`XanoClient` is a synchronous
facade over it with one event loop for its lifetime. Both list every page of every kind
concurrently, retry what is safe to retry (see :mod:`xanoctl.xano.retry`) and turn failures into
one-line :class:`XanoApiError` messages that say what to do and never contain the token.

Paging: a list's first page is fetched alone (most lists have one page). When it names a next
page and tells how many there are (``pageTotal``, or ``itemsTotal`` over its page size: a server
that caps pages below the ``per_page`` asked numbers them by its own size), every remaining
page is requested at once (bounded by ``concurrency``: requests waiting for a slot go by page
number, :mod:`xanoctl.xano.slots`), and the pages are consumed in order.
Without a total, the following pages are requested ahead, speculatively: one at first, then one
more for each page confirmed, up to ``lookahead`` in flight. Either way only ``nextPage`` ends a
list: the first page whose ``nextPage`` is null ends it and the pages requested beyond it are
cancelled (without a total, at most ``lookahead - 1`` wasted requests per list, one for a list
of three pages); a last known page that still names a next one (objects created meanwhile) is
followed by the window. A ``nextPage`` other than ``current + 1`` is followed literally, one page
at a time.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, TypeVar
from urllib.parse import quote

import httpx

from xanoctl import __version__
from xanoctl.config import Config, HttpSettings, clean_token, mask_token
from xanoctl.errors import XanoctlError
from xanoctl.xano import kinds as _kinds
from xanoctl.xano.remote import (KINDS, MULTIDOC_SEPARATOR, DocumentIds, RemoteObject, collection_path,
                                 document_header, document_object, multidoc_documents, parents_in, to_remote)
from xanoctl.xano.ratelimit import TICK, RateLimitExhausted, RateLimitGate
from xanoctl.xano.retry import RETRY_STATUSES, lasting_failure, parse_retry_after, retry_delay, retryable
from xanoctl.xano.slots import FIRST, Slots
from xanoctl.ui.progress import Progress
from xanoctl.ui.session import current

XANOSCRIPT_TYPE = "text/x-xanoscript"
MAX_PAGES = 100_000
T = TypeVar("T")


class XanoApiError(XanoctlError):
    """A failed call. ``status`` (None when no answer), ``code`` and ``payload`` come from
    Xano's JSON error body when there was one."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 payload: Any = None, method: str = "", path: str = ""):
        super().__init__(message)
        self.status = status
        self.code = code
        self.payload = payload
        self.method = method
        self.path = path


class AuthError(XanoApiError):
    """401 (bad token) or 403 (token without the needed right)."""


class NotFoundError(XanoApiError):
    """404: unknown workspace, branch or object id."""


class RejectedError(XanoApiError):
    """400: unparseable XanoScript (``code == ERROR_CODE_SYNTAX_ERROR``, ``payload`` has line
    and col), bad input, or a duplicate name (:attr:`name_in_use`)."""

    @property
    def name_in_use(self) -> bool:
        return "name is already being used" in (self.args[0] if self.args else "")


class UnreachableError(XanoApiError):
    """No answer: connection refused, DNS failure, timeout, dropped connection."""


class RetriesExhausted(XanoApiError):
    """Transient failures on every allowed attempt, or 429s for longer than the time budget."""


class AmbiguousWriteError(XanoApiError):
    """A create (POST) failed after it was sent: it may or may not have been applied. It is not
    retried; look (list or get) before trying again."""


@dataclass
class Page:
    """One list page: its items, the ``nextPage`` it names, and the number of pages of the
    list when the answer tells it (``pageTotal``, or ``itemsTotal`` over the page size)."""

    items: list[dict[str, Any]]
    following: int | None
    total: int | None = None


def _page_total(body: dict[str, Any], count: int) -> int | None:
    """The list's page count from a page's paging fields, when it has them and they make sense.
    The page size is the server's (``perPage``), else this page's item count: a server that
    caps pages below the ``per_page`` asked numbers its pages by its own size."""
    def number(name: str) -> int | None:
        value = body.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    pages, total, size = number("pageTotal"), number("itemsTotal"), number("perPage")
    if pages is None and total is not None and (size or count):
        pages = -(-total // (size or count))
    return pages if pages is not None and 1 <= pages <= MAX_PAGES else None


@dataclass
class ClientStats:
    requests: int = 0  # HTTP attempts sent, retries included
    retries: int = 0
    pages: int = 0  # list pages consumed
    discarded: int = 0  # speculative pages cancelled or thrown away past the last page


class AsyncXanoClient:
    """Asynchronous client for one workspace (and branch) of one instance.

    Use as ``async with AsyncXanoClient(...) as client:``. Every request, page, retry and
    rate-limit wait is told to ``progress`` (default: the run's, :mod:`xanoctl.ui.progress`),
    which shows a line on a terminal; work with steps of its own names them on
    ``client.progress``. ``on_page(kind, items)`` is called after every list page consumed.
    ``on_wait(seconds)`` replaces the progress's rate-limit notice: it is called while the
    client waits out a rate limit, with 0 when requests get through again. ``sleep`` is
    injectable so that retry waits can be observed; ``transport`` lets tests plug an httpx
    transport.
    """

    def __init__(self, base_url: str, token: str, workspace: int, branch: str = "",
                 http: HttpSettings = HttpSettings(), *,
                 on_page: Callable[[str, int], None] | None = None,
                 on_wait: Callable[[float], None] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 transport: httpx.AsyncBaseTransport | None = None,
                 progress: Progress | None = None):
        self.base_url = base_url.rstrip("/")
        self.workspace = workspace
        self.branch = branch
        self.http = http
        self.stats = ClientStats()
        # the kinds a list could not reach (the plan or the token): kind -> why, with what to do
        self.unreachable: dict[str, str] = {}
        self._token = clean_token(token, "the token") or ""
        self._on_page = on_page
        self._sleep = sleep
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._slots: Slots | None = None
        self._answered = False  # whether the instance has answered this client yet
        self.progress = progress if progress is not None else current().progress
        notice = on_wait if on_wait is not None else self._rate_limited
        self.gate = RateLimitGate(http.rate_limit_wait, http.backoff, http.max_backoff, on_wait=notice,
                                  tick=TICK if on_wait is None and self.progress.live else None, sleep=sleep)

    @classmethod
    def from_config(cls, config: Config, **options: Any) -> "AsyncXanoClient":
        """The client of the configured instance, workspace and branch (a :class:`UsageError`
        that says what to set when one is missing)."""
        instance, workspace, token = config.require_remote()
        return cls(instance, token, workspace, config.branch, config.http, **options)

    def _rate_limited(self, remaining: float) -> None:
        self.progress.rate_limited(remaining, self.gate.left())

    # ------------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        if self._client is None:
            limits = httpx.Limits(max_connections=self.http.concurrency + self.http.lookahead,
                                  max_keepalive_connections=self.http.concurrency + self.http.lookahead)
            self._client = httpx.AsyncClient(
                base_url=self.base_url + "/",
                headers={"Authorization": f"Bearer {self._token}", "Accept": "application/json",
                         "User-Agent": f"xanoctl/{__version__}"},
                timeout=httpx.Timeout(self.http.timeout, connect=min(self.http.timeout, 10.0)),
                limits=limits,
                # certificates are loaded (a tenth of a second) only for an https instance
                verify=self.base_url.startswith("https://"),
                transport=self._transport,
                follow_redirects=False,
            )
            self._slots = Slots(self.http.concurrency)

    async def aclose(self) -> None:
        self.progress.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> "AsyncXanoClient":
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ account and workspace

    async def me(self) -> dict[str, Any]:
        return (await self._send("GET", "/auth/me")).json()

    async def workspaces(self) -> list[dict[str, Any]]:
        return (await self._send("GET", "/workspace")).json()

    async def branches(self) -> list[dict[str, Any]]:
        return (await self._send("GET", f"/workspace/{self.workspace}/branch")).json()

    async def multidoc(self, include_draft: bool = False) -> str:
        """GET ``/multidoc``: the branch's every document, joined by ``\n---\n`` (never its
        environment: ``env=false``, nor its records)."""
        return (await self._send("GET", self._multidoc_path(), params=self._multidoc_params(include_draft))).text

    def _multidoc_path(self) -> str:
        return f"/workspace/{self.workspace}/multidoc"

    def _multidoc_params(self, include_draft: bool) -> dict[str, str]:
        return {"branch": self.branch, "env": "false", "records": "false", "include_draft": _flag(include_draft)}

    async def _streamed_documents(self, include_draft: bool) -> AsyncIterator[str]:
        """The export's documents one by one as they arrive, so that a reader looking for one
        stops reading there (the export of a large workspace runs to megabytes); the progress
        line counts them."""
        response = await self._send("GET", self._multidoc_path(), params=self._multidoc_params(include_draft),
                                    stream=True)
        self.progress.export_started()
        try:
            decoder = codecs.getincrementaldecoder(response.encoding or "utf-8")(errors="replace")
            rest = ""
            async for chunk in response.aiter_bytes():
                *complete, rest = (rest + decoder.decode(chunk)).split(MULTIDOC_SEPARATOR)
                for document in complete:
                    self.progress.export_document()
                    yield document
            self.progress.export_document()
            yield rest + decoder.decode(b"", final=True)
        finally:
            self.progress.export_ended()
            await response.aclose()

    async def export_documents(self, include_draft: bool = False) -> list[str]:
        """Every document of the export, read as it streams (the progress line counts them); a
        stream broken half-way is read again whole (with the client's retries)."""
        try:
            return [document async for document in self._streamed_documents(include_draft)]
        except (httpx.TransportError, UnicodeDecodeError):
            return (await self.multidoc(include_draft)).split(MULTIDOC_SEPARATOR)

    async def find_document(self, kind: str, match: Callable[[RemoteObject], bool], *,
                            include_draft: bool = False) -> RemoteObject | None:
        """The first document of ``kind`` in the export that ``match`` accepts, reading the export
        only up to it; None when none does. A stream broken half-way is read again whole (with the
        client's retries)."""
        ids = DocumentIds(self.workspace)

        def take(document: str) -> RemoteObject | None:
            header = document_header(document)
            if header is None or header[0] != kind:
                return None
            obj = document_object(kind, header[1], document, ids(kind, parents_in(kind, document), header[1]))
            return obj if match(obj) else None

        try:
            async with contextlib.aclosing(self._streamed_documents(include_draft)) as documents:
                async for document in documents:  # (closed at once when found: the response too)
                    found = take(document)
                    if found is not None:
                        return found
            return None
        except (httpx.TransportError, UnicodeDecodeError):
            ids = DocumentIds(self.workspace)
            for document in (await self.multidoc(include_draft)).split(MULTIDOC_SEPARATOR):
                found = take(document)
                if found is not None:
                    return found
            return None

    # ------------------------------------------------------------------ multidoc import and branches

    async def multidoc_dry_run(self, documents: str, **flags: bool) -> dict[str, Any]:
        """POST ``/multidoc/dry-run``: what importing ``documents`` (joined by ``\n---\n``)
        would do, ``{operations: [{action, type, name, details}], summary: {type: counts}}``.
        ``flags``: see :func:`multidoc_params`."""
        path = f"/workspace/{self.workspace}/multidoc/dry-run"
        return _json_object(await self._post_multidoc(path, documents, flags), "POST", path)

    async def multidoc_push(self, documents: str, **flags: bool) -> dict[str, Any]:
        """POST ``/multidoc``: import ``documents`` (by default in one transaction, partial);
        ``{guid_map: [{type, name, guid, verb?, api_group?, canonical?}]}``."""
        path = f"/workspace/{self.workspace}/multidoc"
        return _json_object(await self._post_multidoc(path, documents, flags), "POST", path)

    async def _post_multidoc(self, path: str, documents: str, flags: dict[str, bool]) -> httpx.Response:
        return await self._send("POST", path, params=multidoc_params(self.branch, **flags),
                                content=documents.encode("utf-8"), headers={"Content-Type": XANOSCRIPT_TYPE})

    async def branch_info(self, label: str) -> dict[str, Any]:
        """GET ``/branch/{label}``: ``{label, created_at, live, backup}``."""
        path = f"/workspace/{self.workspace}/branch/{quote(label, safe='')}"
        return _json_object(await self._send("GET", path), "GET", path)

    async def edit_branch(self, label: str, *, new_label: str | None = None, description: str | None = None,
                          color: str | None = None) -> dict[str, Any]:
        """PUT ``/branch/{label}`` with only the fields given (the label of ``v1`` cannot change)."""
        body = {key: value for key, value in (("label", new_label), ("description", description),
                                              ("color", color)) if value is not None}
        path = f"/workspace/{self.workspace}/branch/{quote(label, safe='')}"
        response = await self._send("PUT", path, content=json.dumps(body).encode("utf-8"),
                                    headers={"Content-Type": "application/json"})
        return _json_object(response, "PUT", path)

    async def set_live(self, label: str) -> dict[str, Any]:
        """POST ``/branch/{label}/live``: make that branch the live one."""
        path = f"/workspace/{self.workspace}/branch/{quote(label, safe='')}/live"
        return _json_object(await self._send("POST", path), "POST", path)

    # ------------------------------------------------------------------ unit and workflow tests

    async def list_unit_tests(self, obj_type: str | None = None) -> list[dict[str, Any]]:
        """GET ``/unit_test`` (every page, as the official CLI's ``unit_test run_all`` pages it):
        ``[{id, name, obj_id, obj_name, obj_type, ...}]``."""
        params = {"per_page": str(self.http.per_page)}
        if self.branch:
            params["branch"] = self.branch
        if obj_type:
            params["obj_type"] = obj_type
        return await self._raw_list("unit_test", f"/workspace/{self.workspace}/unit_test", params)

    async def list_workflow_tests(self) -> list[dict[str, Any]]:
        """GET ``/workflow_test?include_xanoscript=false`` (every page): ``[{id, name, ...}]``."""
        params = {"include_xanoscript": "false", "per_page": str(self.http.per_page)}
        if self.branch:
            params["branch"] = self.branch
        return await self._raw_list("workflow_test", f"/workspace/{self.workspace}/workflow_test", params)

    async def _raw_list(self, kind: str, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        await self._list_all(kind, path, params, items.extend)
        for item in items:
            if not isinstance(item, dict) or "id" not in item:
                raise XanoApiError(f"GET {path}: unexpected item from Xano ({self._scrub(str(item))[:80]})",
                                   method="GET", path=path)
        return items

    async def run_unit_test(self, test_id: str) -> httpx.Response:
        """POST ``/unit_test/{id}/run`` with ``{branch}`` (``{}`` on the live branch), as the official
        CLI sends it. Error answers are returned, not raised: a test's API error is that test's
        failure (:mod:`xanoctl.runtime.verdicts`)."""
        path = f"/workspace/{self.workspace}/unit_test/{quote(str(test_id), safe='')}/run"
        body = {"branch": self.branch} if self.branch else {}
        return await self._send("POST", path, content=json.dumps(body).encode("utf-8"),
                                headers={"Content-Type": "application/json"}, answer_errors=True)

    async def run_workflow_test(self, test_id: int) -> httpx.Response:
        """POST ``/workflow_test/{id}/run`` (no body, as the official CLI); error answers returned."""
        path = f"/workspace/{self.workspace}/workflow_test/{quote(str(test_id), safe='')}/run"
        return await self._send("POST", path, headers={"Content-Type": "application/json"}, answer_errors=True)

    # ------------------------------------------------------------------ lists

    async def list_objects(self, kind: str, *, group_id: int | None = None, group_name: str | None = None,
                           include_draft: bool = False, search: str = "",
                           on_objects: Callable[[list[RemoteObject]], None] | None = None) -> list[RemoteObject]:
        """Every object of one kind (for ``query``: of one API group), all pages, deduplicated
        by id (pages can overlap when objects are created during the listing). ``on_objects``
        is given each page's objects as the page is consumed (those not seen on an earlier
        page, in the order of the result)."""
        if _kinds.multidoc_only(kind):
            found = [obj for obj in multidoc_documents(await self.export_documents(include_draft), self.workspace,
                                                       [kind])
                     if search.lower() in obj.name.lower()]
            if on_objects is not None and found:
                on_objects(found)
            return found
        params = {"branch": self.branch, "per_page": str(self.http.per_page), "sort": "created_at",
                  "order": "asc", "include_xanoscript": "true", "include_draft": _flag(include_draft)}
        if search:
            params["search"] = search
        path = collection_path(self.workspace, kind, group_id)
        seen: set[int] = set()
        objects: list[RemoteObject] = []

        def take(page: list[dict[str, Any]]) -> None:
            fresh = []
            for raw in page:
                item = self._object(kind, raw, "GET", path, group_id, group_name)
                if item.id not in seen:
                    seen.add(item.id)
                    fresh.append(item)
            objects.extend(fresh)
            if on_objects is not None and fresh:
                on_objects(fresh)

        await self._list_all(kind, path, params, take)
        return objects

    async def fetch_all(self, kinds: Iterable[str] = KINDS, *,
                        on_objects: Callable[[list[RemoteObject]], None] | None = None) -> list[RemoteObject]:
        """Every object of the given kinds, all lists in flight at once. Endpoints (``query``)
        are listed per API group; asking for them also returns the API groups (their names
        and ids place the endpoint files), every group before any endpoint. The kinds without
        routes of their own (and :data:`~xanoctl.xano.kinds.OTHER`: every document of a type
        xanoctl does not know) come from one multidoc export, read once for all of them. Raises
        the first failure, cancelling the rest, except for a kind that a plan or a token may not
        reach (:data:`~xanoctl.xano.kinds.OPTIONAL`): a list of one refused with 402, 403 or 404
        gives no objects and is recorded in :attr:`unreachable`. ``on_objects``: see
        :meth:`list_objects` (called for every list, in the order the pages are consumed)."""
        wanted = set(kinds)
        if "query" in wanted:
            wanted.add("api_group")
        order = [kind for kind in KINDS if kind in wanted]
        exported = [kind for kind in order if _kinds.multidoc_only(kind)] + \
            ([_kinds.OTHER] if _kinds.OTHER in wanted else [])
        try:
            async with asyncio.TaskGroup() as group:
                tasks = {kind: group.create_task(self._list_kind(kind, on_objects))
                         for kind in order if kind != "query" and not _kinds.multidoc_only(kind)}
                if "query" in wanted:
                    tasks["query"] = group.create_task(self._all_endpoints(tasks["api_group"], on_objects))
                export = group.create_task(self._export(exported, on_objects)) if exported else None
        except BaseExceptionGroup as exc:
            raise _first_error(exc) from None
        documents = export.result() if export is not None else []
        listed = [obj for kind in order if kind in tasks for obj in tasks[kind].result()]
        return sorted(listed + documents, key=lambda obj: _kinds.rank(obj.kind))  # (stable: each list's order)

    async def _export(self, kinds: list[str],
                      on_objects: Callable[[list[RemoteObject]], None] | None) -> list[RemoteObject]:
        """The documents of ``kinds`` (without routes of their own) from one multidoc export; when
        the export is refused with 402, 403 or 404, none, and every one of them unreachable."""
        try:
            documents = await self.export_documents()
        except XanoApiError as exc:
            if exc.status not in (402, 403, 404):
                raise
            for kind in kinds:
                self.unreachable[kind] = unreachable_reason(kind, exc)
            return []
        found = multidoc_documents(documents, self.workspace, kinds)
        if on_objects is not None and found:
            on_objects(found)
        return found

    async def _list_kind(self, kind: str,
                         on_objects: Callable[[list[RemoteObject]], None] | None) -> list[RemoteObject]:
        """:meth:`list_objects`; for an optional kind, no objects when the list is refused."""
        if kind not in _kinds.OPTIONAL:
            return await self.list_objects(kind, on_objects=on_objects)
        try:
            return await self.list_objects(kind, on_objects=on_objects)
        except XanoApiError as exc:
            if exc.status not in (402, 403, 404):
                raise
            self.unreachable[kind] = unreachable_reason(kind, exc)
            return []

    async def _all_endpoints(self, groups_task: "asyncio.Task[list[RemoteObject]]",
                             on_objects: Callable[[list[RemoteObject]], None] | None) -> list[RemoteObject]:
        groups = await groups_task
        async with asyncio.TaskGroup() as group:
            lists = [group.create_task(self.list_objects("query", group_id=g.id, group_name=g.name,
                                                         on_objects=on_objects))
                     for g in groups]
        return [obj for task in lists for obj in task.result()]

    async def _list_all(self, kind: str, path: str, params: dict[str, str],
                        take: Callable[[list[dict[str, Any]]], None]) -> None:
        """Consume every page of a list in order, handing each page's items to ``take``."""
        first = await self._page(kind, path, params, 1)
        self._consumed(kind, len(first.items))
        take(first.items)
        current, following = 1, first.following
        # pages known from the first answer (pageTotal, or itemsTotal over its page size) are all
        # requested at once; past them, or without them, the speculative window takes over
        known = first.total if following == 2 else None
        while following is not None:
            if following != current + 1 or (self.http.lookahead <= 1 and known is None):
                page = await self._page(kind, path, params, following)
                self._consumed(kind, len(page.items))
                take(page.items)
                current, following = following, page.following
            else:
                current, following = await self._pages_ahead(kind, path, params, following, known, take)
                known = None

    async def _pages_ahead(self, kind: str, path: str, params: dict[str, str], start: int, last: int | None,
                           take: Callable[[list[dict[str, Any]]], None]) -> tuple[int, int | None]:
        """Consume pages ``start, start+1, ...``: every page up to ``last`` (the total the first
        answer gave) requested at once, then (or without ``last``) up to ``lookahead`` at once.
        Returns (items, last page consumed, its nextPage when it broke the sequence or None)."""
        window: dict[int, asyncio.Task[Page]] = {}
        ahead = start
        page = start
        ramp_from = start if last is None else last + 1
        try:
            while True:
                if last is not None and ahead <= last:
                    for number in range(ahead, last + 1):
                        window[number] = asyncio.create_task(self._page(kind, path, params, number))
                    ahead = last + 1
                # past the known pages the window grows with the pages confirmed (1, 2, 3... up
                # to lookahead), so that short lists waste at most one request past their end
                while page >= ramp_from and len(window) < min(self.http.lookahead, page - ramp_from + 1):
                    window[ahead] = asyncio.create_task(self._page(kind, path, params, ahead))
                    ahead += 1
                answer = await window.pop(page)
                self._consumed(kind, len(answer.items))
                take(answer.items)
                if answer.following != page + 1:
                    return page, answer.following
                page = answer.following
        finally:
            for task in window.values():
                task.cancel()
            self.stats.discarded += len(window)
            if window:
                await asyncio.gather(*window.values(), return_exceptions=True)

    async def _page(self, kind: str, path: str, params: dict[str, str], page: int) -> "Page":
        if page > MAX_PAGES:
            raise XanoApiError(f"GET {path}: more than {MAX_PAGES} pages; Xano keeps naming a next page",
                               method="GET", path=path)
        response = await self._send("GET", path, params={**params, "page": str(page)},
                                    rank=page)
        body = _json(response, "GET", path)
        if isinstance(body, list):  # tolerate an unpaged answer
            return Page(body, None)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise XanoApiError(f"GET {path}: unexpected answer (no items list); is the instance URL "
                               "the Metadata API base (…/api:meta)?", method="GET", path=path)
        following = body.get("nextPage")
        try:
            following = int(following) if following not in (None, "", False) else None
        except (TypeError, ValueError):
            raise XanoApiError(f"GET {path}: unexpected nextPage {following!r}", method="GET", path=path) from None
        if following is not None and following <= page:
            raise XanoApiError(f"GET {path}: page {page} names page {following} as next (a paging loop)",
                               method="GET", path=path)
        return Page(body["items"], following, _page_total(body, len(body["items"])))

    def _consumed(self, kind: str, count: int) -> None:
        self.stats.pages += 1
        self.progress.page(kind, count)
        if self._on_page is not None:
            self._on_page(kind, count)

    # ------------------------------------------------------------------ one object

    async def get(self, kind: str, object_id: int, *, group_id: int | None = None,
                  group_name: str | None = None, include_draft: bool = False) -> RemoteObject:
        if _kinds.multidoc_only(kind):
            found = await self.find_document(kind, lambda obj: obj.id == object_id, include_draft=include_draft)
            if found is not None:
                return found
            path = self._multidoc_path()
            raise NotFoundError(f"not found on GET {path}: the multidoc holds no such {kind} document", status=404,
                                method="GET", path=path)
        path = f"{collection_path(self.workspace, kind, group_id)}/{object_id}"
        params = {"include_xanoscript": "true", "include_draft": _flag(include_draft)}
        raw = _json(await self._send("GET", path, params=params), "GET", path)
        return self._object(kind, raw, "GET", path, group_id, group_name)

    async def find(self, kind: str, object_id: int, *, group_id: int | None = None,
                   group_name: str | None = None) -> RemoteObject | None:
        """:meth:`get`, or None when the object does not exist (404)."""
        try:
            return await self.get(kind, object_id, group_id=group_id, group_name=group_name)
        except NotFoundError:
            return None

    async def create(self, kind: str, xanoscript: str, *, group_id: int | None = None,
                     group_name: str | None = None) -> RemoteObject:
        """POST the raw XanoScript; the name (and verb) come from the document. A failure
        after sending raises :class:`AmbiguousWriteError` (not retried). A kind without routes of
        its own is imported through the multidoc."""
        if _kinds.multidoc_only(kind):
            return await self._import_one(kind, xanoscript)
        path = collection_path(self.workspace, kind, group_id)
        params = {"branch": self.branch, "include_xanoscript": "true"}
        response = await self._send("POST", path, params=params, content=xanoscript.encode("utf-8"),
                                    headers={"Content-Type": XANOSCRIPT_TYPE})
        return self._object(kind, _json(response, "POST", path), "POST", path, group_id, group_name)

    async def update(self, kind: str, object_id: int, xanoscript: str, *, group_id: int | None = None,
                     group_name: str | None = None, publish: bool = True) -> RemoteObject:
        """PUT the raw XanoScript (``publish=False`` saves a draft). Retried on transient
        failures: the same body gives the same state. A kind without routes of its own is
        imported through the multidoc (its draft cannot be kept apart: ``publish`` is ignored)."""
        if _kinds.multidoc_only(kind):
            return await self._import_one(kind, xanoscript)
        path = f"{collection_path(self.workspace, kind, group_id)}/{object_id}"
        params = {"publish": _flag(publish), "include_xanoscript": "true"}
        response = await self._send("PUT", path, params=params, content=xanoscript.encode("utf-8"),
                                    headers={"Content-Type": XANOSCRIPT_TYPE})
        return self._object(kind, _json(response, "PUT", path), "PUT", path, group_id, group_name)

    async def _import_one(self, kind: str, xanoscript: str) -> RemoteObject:
        """Write one document of a kind without routes of its own (a multidoc import of that one
        document, partial: nothing else is touched), then read it back: the document of the same
        identity (kind, parents, name; the one of a kind the workspace holds one of), the export
        read up to it only."""
        await self.multidoc_push(xanoscript, transaction=True, partial=True, delete=False)
        header = document_header(xanoscript)
        name = header[1] if header is not None else ""
        parents = parents_in(kind, xanoscript)
        single = _kinds.lookup(kind).single
        found = await self.find_document(kind, lambda obj: single or (obj.name, obj.parents) == (name, parents))
        if found is not None:
            return found
        path = self._multidoc_path()
        raise XanoApiError(f"POST {path}: the {kind} document imported is not in the multidoc read back",
                           method="POST", path=path)

    def _object(self, kind: str, raw: Any, method: str, path: str, group_id: int | None,
                group_name: str | None) -> RemoteObject:
        try:
            return to_remote(kind, raw, group_id=group_id, group_name=group_name)
        except ValueError as exc:
            raise XanoApiError(f"{method} {path}: unexpected object from Xano ({self._scrub(str(exc))})",
                               method=method, path=path) from None

    async def delete(self, kind: str, object_id: int, *, group_id: int | None = None) -> None:
        """DELETE; retried on transient failures, and a 404 on a retry counts as done."""
        if _kinds.multidoc_only(kind):
            raise RejectedError(undeletable(kind), status=400, method="DELETE")
        path = f"{collection_path(self.workspace, kind, group_id)}/{object_id}"
        await self._send("DELETE", path, gone_ok_after_retry=True)

    # ------------------------------------------------------------------ transport

    async def _send(self, method: str, path: str, *, params: dict[str, str] | None = None,
                    content: bytes | None = None, headers: dict[str, str] | None = None,
                    gone_ok_after_retry: bool = False, rank: int = FIRST,
                    answer_errors: bool = False, stream: bool = False) -> httpx.Response:
        """One call, retried: 429s through the shared gate (until its time budget is spent),
        transient failures up to ``http.attempts`` times each. It waits for a free slot by
        ``rank`` (see :mod:`xanoctl.xano.slots`): list pages rank by their number.
        ``answer_errors``: an error answer (other than 429) is returned for the caller to judge,
        and a POST that got no answer is :class:`UnreachableError` (a run, not a create).
        ``stream``: a success is returned with its body not read yet (the caller reads it and
        closes the response)."""
        if self._client is None or self._slots is None:
            raise RuntimeError("the client is not open: use `async with AsyncXanoClient(...)`")
        attempt = 0  # attempts that failed for other reasons than a 429, plus this one
        tries = 0
        failure: Exception | None = None
        while True:
            attempt += 1
            tries += 1
            async with self._slots.hold(rank):
                try:
                    ticket = await self.gate.wait()
                except RateLimitExhausted as exc:
                    raise self._rate_limit_error(exc, method, path, tries - 1) from None
                self.stats.requests += 1
                self.progress.request(method, path)
                started = time.monotonic()
                try:
                    request = self._client.build_request(method, path.lstrip("/"), params=params,
                                                         content=content, headers=headers)
                    response = await self._client.send(request, stream=stream)
                    if stream and response.status_code >= 400:
                        await response.aread()  # an error's body, for the message
                except httpx.TransportError as exc:
                    response, failure = None, exc
                    self.gate.abandoned(ticket)
                except BaseException:
                    self.gate.abandoned(ticket)
                    raise
                self.progress.answer(method, path, response.status_code if response is not None else None,
                                     time.monotonic() - started)
            if response is None:
                sent = not isinstance(failure, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
                # a refused connection before the instance ever answered, a TLS failure, an unknown
                # host: trying again in a second cannot change the answer
                lasting = lasting_failure(failure, answered_before=self._answered)
                if not lasting and attempt < self.http.attempts and retryable(method, sent=sent):
                    await self._backoff(attempt, None, "instance unreachable" if not sent else "connection lost")
                    continue
                raise self._transport_error(failure or Exception("no answer"), method, path, attempt, sent, lasting,
                                            ambiguous=not answer_errors)
            self._answered = True
            status = response.status_code
            if status == 429:
                self.stats.retries += 1
                attempt -= 1  # a 429 is bounded by the gate's time budget, not by attempts
                try:
                    self.gate.limited(ticket, parse_retry_after(response.headers.get("retry-after")))
                except RateLimitExhausted as exc:
                    raise self._rate_limit_error(exc, method, path, tries) from None
                continue
            self.gate.passed(ticket)
            if status == 404 and gone_ok_after_retry and tries > 1:
                return response
            if status < 400 or answer_errors:
                return response
            if status in RETRY_STATUSES and attempt < self.http.attempts and retryable(method, status=status):
                await self._backoff(attempt, parse_retry_after(response.headers.get("retry-after")),
                                    f"Xano answered {status}")
                continue
            raise self._status_error(response, method, path, attempt)

    async def _backoff(self, attempt: int, retry_after: float | None, why: str) -> None:
        self.stats.retries += 1
        delay = retry_delay(attempt, self.http.backoff, self.http.max_backoff, retry_after)
        self.progress.retrying(why, attempt + 1, self.http.attempts, delay)
        await self._sleep(delay)

    def _rate_limit_error(self, exc: RateLimitExhausted, method: str, path: str, tries: int) -> XanoApiError:
        setting = "http.rate_limit_wait in xanoctl.yaml or XANOCTL_HTTP_RATE_LIMIT_WAIT"
        if exc.asked is not None:
            why = (f"Xano asked to wait {exc.asked:.0f} s (Retry-After), more than the "
                   f"{self.http.rate_limit_wait:g} s allowed")
        else:
            why = f"Xano kept rate-limiting (429) for {exc.waited:.1f} s with no request getting through"
        return RetriesExhausted(f"{why} ({method} {path}, {tries} attempts): wait a few minutes and run the "
                                f"command again, or allow a longer wait ({setting})",
                                status=429, method=method, path=path)

    def _scrub(self, text: str) -> str:
        text = " ".join(str(text).split())
        return mask_token(text, self._token)[:300]

    def _transport_error(self, exc: Exception, method: str, path: str, attempts: int,
                         sent: bool, lasting: str | None = None, ambiguous: bool = True) -> XanoApiError:
        reason = self._scrub(str(exc) or type(exc).__name__)
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        if method == "POST" and sent and ambiguous:
            return AmbiguousWriteError(
                f"{method} {path}: the connection failed after the request was sent ({reason}); the "
                "object may have been created: list or pull before trying again",
                method=method, path=path)
        where = "(--instance, XANO_INSTANCE or `instance` in xanoctl.yaml)"
        if lasting is not None:
            what, advice = {
                "refused": ("connection refused (nothing listens there)", f"check the instance URL {where}, or "
                                                                          "start the server"),
                "tls-version": (f"the TLS handshake failed ({reason}): the server does not speak https on that "
                                "port", f"try http:// in the instance URL {where}"),
                "tls": (f"the TLS handshake failed ({reason})", f"check the instance URL {where} and the server's "
                                                                "certificate"),
                "unknown-host": (f"unknown host ({reason})", f"check the instance URL {where}"),
            }[lasting]
            return UnreachableError(f"cannot reach {self.base_url}: {what} on {method} {path}: {advice}",
                                    method=method, path=path)
        if isinstance(exc, httpx.TimeoutException):
            what = f"no answer within {self.http.timeout:g} s"
        else:
            what = reason
        verb = "cannot reach" if not sent else "lost the connection to"
        return UnreachableError(
            f"{verb} {self.base_url} ({what}){tries} on {method} {path}: check the instance URL "
            f"{where} and the network, then try again",
            method=method, path=path)

    def _status_error(self, response: httpx.Response, method: str, path: str, attempts: int) -> XanoApiError:
        status = response.status_code
        code, message, payload = None, "", None
        try:
            body = response.json()
            if isinstance(body, dict):
                code, message, payload = body.get("code"), str(body.get("message") or ""), body.get("payload")
        except ValueError:
            message = response.text[:200]
        message = self._scrub(message)
        detail = f"{status} {code}" if code else str(status)
        where = f"{method} {path}"
        kwargs = dict(status=status, code=code, payload=payload, method=method, path=path)
        if status == 401:
            return AuthError(f"Xano refused the token ({detail}) on {where}: set XANO_TOKEN or the "
                             "credentials file (~/.config/xanoctl/credentials) to a valid Metadata API token",
                             **kwargs)
        if status == 403:
            right = "read" if method == "GET" else "update"
            return AuthError(f"the token may not {where} ({detail}): give it the {right} scope for this "
                             "workspace in Xano (Instance settings > Metadata API)", **kwargs)
        if status == 404:
            return NotFoundError(f"not found ({detail}) on {where}: check the workspace id (XANO_WORKSPACE or "
                                 "`workspace` in xanoctl.yaml), the branch and the object id", **kwargs)
        if status >= 500:
            tries = f" after {attempts} attempts" if attempts > 1 else ""
            if method == "POST":
                return AmbiguousWriteError(f"Xano failed ({detail}) on {where}{tries}: {message or 'server error'}; "
                                           "the object may have been created: list or pull before trying again",
                                           **kwargs)
            cls = RetriesExhausted if attempts > 1 else XanoApiError
            return cls(f"Xano failed ({detail}) on {where}{tries}: {message or 'server error'}; try again later",
                       **kwargs)
        if code == "ERROR_CODE_SYNTAX_ERROR" and isinstance(payload, dict):
            message = f"{message} (line {payload.get('line')}, column {payload.get('col')})"
        return RejectedError(f"Xano rejected {where} ({detail}): {message or 'bad request'}", **kwargs)


class XanoClient:
    """Synchronous facade of :class:`AsyncXanoClient` (same methods, same results), running
    one event loop for the client's lifetime. Use as a context manager."""

    def __init__(self, base_url: str, token: str, workspace: int, branch: str = "",
                 http: HttpSettings = HttpSettings(), **options: Any):
        self._runner = asyncio.Runner()
        self.aio = AsyncXanoClient(base_url, token, workspace, branch, http, **options)
        self._runner.run(self.aio.open())

    @classmethod
    def from_config(cls, config: Config, **options: Any) -> "XanoClient":
        instance, workspace, token = config.require_remote()
        return cls(instance, token, workspace, config.branch, config.http, **options)

    @property
    def progress(self) -> Progress:
        return self.aio.progress

    @property
    def stats(self) -> ClientStats:
        return self.aio.stats

    def _run(self, awaitable: Awaitable[T]) -> T:
        return self._runner.run(awaitable)  # type: ignore[arg-type]

    def close(self) -> None:
        try:
            self._runner.run(self.aio.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> "XanoClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def me(self) -> dict[str, Any]:
        return self._run(self.aio.me())

    def workspaces(self) -> list[dict[str, Any]]:
        return self._run(self.aio.workspaces())

    def branches(self) -> list[dict[str, Any]]:
        return self._run(self.aio.branches())

    def multidoc(self, include_draft: bool = False) -> str:
        return self._run(self.aio.multidoc(include_draft))

    def multidoc_dry_run(self, documents: str, **flags: bool) -> dict[str, Any]:
        return self._run(self.aio.multidoc_dry_run(documents, **flags))

    def multidoc_push(self, documents: str, **flags: bool) -> dict[str, Any]:
        return self._run(self.aio.multidoc_push(documents, **flags))

    def branch_info(self, label: str) -> dict[str, Any]:
        return self._run(self.aio.branch_info(label))

    def edit_branch(self, label: str, **changes: Any) -> dict[str, Any]:
        return self._run(self.aio.edit_branch(label, **changes))

    def set_live(self, label: str) -> dict[str, Any]:
        return self._run(self.aio.set_live(label))

    def list_objects(self, kind: str, **options: Any) -> list[RemoteObject]:
        return self._run(self.aio.list_objects(kind, **options))

    def fetch_all(self, kinds: Iterable[str] = KINDS, *,
                  on_objects: Callable[[list[RemoteObject]], None] | None = None) -> list[RemoteObject]:
        return self._run(self.aio.fetch_all(kinds, on_objects=on_objects))

    def get(self, kind: str, object_id: int, **options: Any) -> RemoteObject:
        return self._run(self.aio.get(kind, object_id, **options))

    def find(self, kind: str, object_id: int, **options: Any) -> RemoteObject | None:
        return self._run(self.aio.find(kind, object_id, **options))

    def create(self, kind: str, xanoscript: str, **options: Any) -> RemoteObject:
        return self._run(self.aio.create(kind, xanoscript, **options))

    def update(self, kind: str, object_id: int, xanoscript: str, **options: Any) -> RemoteObject:
        return self._run(self.aio.update(kind, object_id, xanoscript, **options))

    def delete(self, kind: str, object_id: int, **options: Any) -> None:
        return self._run(self.aio.delete(kind, object_id, **options))

    def gather(self, *awaitables: Awaitable[Any]) -> list[Any]:
        """Run several calls of :attr:`aio` concurrently (bounded by ``http.concurrency``)."""
        async def _all() -> list[Any]:
            return list(await asyncio.gather(*awaitables))
        return self._run(_all())


def unreachable_reason(kind: str, exc: XanoApiError) -> str:
    """Why a list of ``kind`` was refused, and what to do, in one line."""
    what = f"{exc.status} {exc.code}" if exc.code else str(exc.status)
    if exc.status == 403:
        fix = "give the token the read scope on it (Instance settings > Metadata API) if you want it"
    elif exc.status == 402:
        fix = "the workspace's plan does not include it"
    else:
        fix = "this instance or plan does not serve it"
    return f"{exc.method} {exc.path} was refused ({what}): {fix}"


def undeletable(kind: str) -> str:
    """Why a document without routes of its own cannot be deleted, and what to do."""
    if _kinds.lookup(kind).kept:
        return (f"the {kind} document cannot be deleted (Xano keeps one per "
                f"{'branch' if kind == 'branch' else 'workspace'}): put its file back, or edit it")
    return (f"a {kind} cannot be deleted through the Metadata API: it has no route of its own, and the multidoc "
            "import deletes only in a full sync; delete it in Xano, then pull (or put its file back)")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def multidoc_params(branch: str, *, delete: bool = False, env: bool = False, records: bool = False,
                    transaction: bool = True, truncate: bool = False, partial: bool = True) -> dict[str, str]:
    """The query of a multidoc import or dry-run, as the official CLI builds it: the five
    flags, then ``branch`` when one is set, then ``partial`` (only the documents sent are
    touched; ``delete`` deletes the others only with ``partial=False``)."""
    params = {"delete": _flag(delete), "env": _flag(env), "records": _flag(records),
              "transaction": _flag(transaction), "truncate": _flag(truncate)}
    if branch:
        params["branch"] = branch
    params["partial"] = _flag(partial)
    return params


def _json_object(response: httpx.Response, method: str, path: str) -> dict[str, Any]:
    body = _json(response, method, path)
    if not isinstance(body, dict):
        raise XanoApiError(f"{method} {path}: unexpected answer (not a JSON object)", method=method, path=path)
    return body


def _json(response: httpx.Response, method: str, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise XanoApiError(f"{method} {path}: Xano answered {response.status_code} with a body that is not "
                           "JSON; is the instance URL the Metadata API base (…/api:meta)?",
                           status=response.status_code, method=method, path=path) from None


def _first_error(group: BaseExceptionGroup) -> BaseException:
    """The first XanoctlError in a (nested) exception group, else the first exception."""
    leaves: list[BaseException] = []
    stack: list[BaseException] = [group]
    while stack:
        exc = stack.pop(0)
        if isinstance(exc, BaseExceptionGroup):
            stack[:0] = list(exc.exceptions)
        else:
            leaves.append(exc)
    for exc in leaves:
        if isinstance(exc, XanoctlError):
            return exc
    return leaves[0]
