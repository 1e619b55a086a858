"""The Metadata API client against the emulator over HTTP (and, for paging shapes the emulator
never produces, against a scripted httpx transport)."""

from __future__ import annotations

import asyncio
import re
import json
import socket
from datetime import datetime, timezone

import httpx
import pytest

from xanoctl.xano.client import (AmbiguousWriteError, AsyncXanoClient, AuthError, NotFoundError, RejectedError,
                            RetriesExhausted, UnreachableError, XanoApiError, XanoClient)
from xanoctl.config import HttpSettings
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.state import EmulatorOptions, EmulatorState
from xanoctl.emulator.testing import SOURCES, function_source, query_source
from xanoctl.xano.remote import parse_timestamp, same_instant
from xanoctl.xano.retry import backoff_delay, parse_retry_after, retry_delay, retryable

TOKEN = "client-secret-token-123"
FAST = HttpSettings(per_page=3, lookahead=4, backoff=0.001, max_backoff=0.01, attempts=4)


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN, read_only_token="ro-token") as server:
        yield server


def client_for(emu, http=FAST, token=TOKEN, **options) -> XanoClient:
    return XanoClient(emu.base_url, token, emu.workspace_id, http=http, **options)


# the kinds beyond the first seven: one list each, the workspace's document from the multidoc
NEW_KINDS = ("workspace", "addon", "tool", "agent", "mcp_server", "realtime_channel", "table_trigger",
             "workspace_trigger", "agent_trigger", "mcp_server_trigger", "realtime_trigger")
LISTS = 5 + len(NEW_KINDS) - 1  # one page each for the kinds of one short list


def populate(emu, functions=10, groups=2, endpoints=4):
    for index in range(functions):
        emu.add("function", f"Utils/f{index}", function_source(f"Utils/f{index}"))
    for kind in ("task", "table", "middleware", "workflow_test", *NEW_KINDS):
        emu.add(kind, f"{kind}1", SOURCES[kind](f"{kind}1"))
    for g in range(groups):
        group = emu.add("api_group", f"G{g}", SOURCES["api_group"](f"G{g}"))
        for e in range(endpoints):
            emu.add("query", f"things/{e}", query_source(f"things/{e}", "GET"), verb="GET", group=group.id)


def test_every_kind_across_many_pages(emu):
    populate(emu, functions=20, groups=3, endpoints=7)
    with client_for(emu) as client:
        objects = client.fetch_all()
        stats = client.stats
    kinds = {}
    for obj in objects:
        kinds.setdefault(obj.kind, []).append(obj)
    assert {k: len(v) for k, v in kinds.items()} == {"table": 1, "function": 20, "middleware": 1, "api_group": 3,
                                                     "query": 21, "task": 1, "workflow_test": 1,
                                                     **{kind: 1 for kind in NEW_KINDS}}
    assert sorted(o.name for o in kinds["function"]) == sorted(f"Utils/f{i}" for i in range(20))
    assert all(o.xanoscript == function_source(o.name) for o in kinds["function"])
    groups = {g.id: g.name for g in kinds["api_group"]}
    assert all(q.verb == "GET" and groups[q.group_id] == q.group_name for q in kinds["query"])
    assert kinds["workspace"][0].id == emu.workspace_id and kinds["workspace"][0].updated_at is None
    # pages: functions 7, endpoints 3 per group, one each for the rest; and one multidoc export
    assert stats.pages == 7 + 3 * 3 + LISTS
    # speculative pages past the end: at most lookahead - 1 per list of several pages, and fewer
    # for short lists (the window grows with the pages confirmed)
    assert stats.pages + 1 <= emu.request_count() <= stats.requests <= stats.pages + 1 + 3 + 3 * 1


def test_the_async_client_and_search(emu):
    populate(emu, functions=5, groups=0)

    async def main():
        async with AsyncXanoClient(emu.base_url, TOKEN, emu.workspace_id, http=FAST) as client:
            return await client.list_objects("function", search="f3")

    assert [o.name for o in asyncio.run(main())] == ["Utils/f3"]


def scripted(pages: dict[int, dict]) -> httpx.MockTransport:
    """A fake server answering list pages from a script (shapes the emulator never sends)."""
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        return httpx.Response(200, json=pages.get(page, {"items": [], "nextPage": None}))
    return httpx.MockTransport(handler)


def item(ident: int) -> dict:
    return {"id": ident, "name": f"f{ident}", "xanoscript": {"status": "ok", "value": f"function f{ident} {{}}"}}


@pytest.mark.parametrize("lookahead", [1, 4])
def test_short_and_empty_pages_do_not_end_a_list_only_nextpage_does(lookahead):
    pages = {1: {"items": [item(1)], "nextPage": 2}, 2: {"items": [], "nextPage": 3},
             3: {"items": [item(3)], "nextPage": 4}, 4: {"items": [item(4)], "nextPage": None},
             5: {"items": [item(5)], "nextPage": None}}  # never reached: page 4 is the last
    http = HttpSettings(per_page=50, lookahead=lookahead)
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, http=http, transport=scripted(pages)) as client:
        assert [o.id for o in client.list_objects("function")] == [1, 3, 4]


def counting(pages: dict[int, dict], asked: list[int]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        asked.append(page)
        return httpx.Response(200, json=pages.get(page, {"items": [], "nextPage": None}))
    return httpx.MockTransport(handler)


def paged(count: int, size: int, **totals) -> dict[int, dict]:
    """``count`` items in pages of ``size``, each answer with the paging fields ``totals``
    computes from (items total, page total, page size)."""
    last = -(-count // size)
    pages = {}
    for page in range(1, last + 1):
        body = {"items": [item(i) for i in range((page - 1) * size + 1, min(page * size, count) + 1)],
                "nextPage": page + 1 if page < last else None}
        body.update({name: make(count, last, size) for name, make in totals.items()})
        pages[page] = body
    return pages


@pytest.mark.parametrize("fields", [
    {"pageTotal": lambda count, last, size: last},
    {"itemsTotal": lambda count, last, size: count, "perPage": lambda count, last, size: size},
    {"itemsTotal": lambda count, last, size: count},  # the page size is the first page's length
])
def test_a_total_in_the_first_answer_fetches_every_page_once(fields):
    asked: list[int] = []
    http = HttpSettings(per_page=1000, lookahead=4)  # the server caps pages at 7, below per_page
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, http=http,
                    transport=counting(paged(60, 7, **fields), asked)) as client:
        assert [o.id for o in client.list_objects("function")] == list(range(1, 61))
        assert client.stats.discarded == 0
    assert sorted(asked) == list(range(1, 10))  # nine pages, nine requests


def test_a_total_that_is_out_of_date_still_ends_only_at_nextpage():
    asked: list[int] = []
    grown = paged(30, 10, pageTotal=lambda count, last, size: 2)  # says 2 pages, there are 3
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, http=HttpSettings(per_page=10),
                    transport=counting(grown, asked)) as client:
        assert len(client.list_objects("function")) == 30
    shrunk = paged(20, 10, pageTotal=lambda count, last, size: 5)  # says 5 pages, there are 2
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, http=HttpSettings(per_page=10),
                    transport=counting(shrunk, asked)) as client:
        assert len(client.list_objects("function")) == 20


def test_the_emulator_page_cap_costs_one_request_per_page(emu):
    populate(emu, functions=20, groups=2, endpoints=7)
    emu.set_faults("page-cap=3")
    with client_for(emu, http=HttpSettings(per_page=50, lookahead=4)) as client:
        objects = client.fetch_all()
        pages = client.stats.pages
    assert len([o for o in objects if o.kind == "function"]) == 20
    assert len([o for o in objects if o.kind == "query"]) == 14
    assert pages == 7 + 2 * 3 + LISTS and emu.request_count() == pages + 1  # and the multidoc export


def test_a_nextpage_that_jumps_is_followed_literally():
    pages = {1: {"items": [item(1)], "nextPage": 5}, 5: {"items": [item(5)], "nextPage": 9},
             9: {"items": [item(9)]}}
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, transport=scripted(pages)) as client:
        assert [o.id for o in client.list_objects("function")] == [1, 5, 9]


@pytest.mark.parametrize("items", [[5], [{"id": "x", "name": "f"}], [{"name": "no id"}], ["text"]])
def test_malformed_objects_are_one_clear_error(items):
    pages = {1: {"items": items, "nextPage": None}}
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, transport=scripted(pages)) as client:
        with pytest.raises(XanoApiError, match="GET /workspace/1/function: unexpected object"):
            client.list_objects("function")


def test_a_paging_loop_is_an_error():
    pages = {1: {"items": [item(1)], "nextPage": 2}, 2: {"items": [item(2)], "nextPage": 1}}
    with XanoClient("http://xano.test/api:meta", TOKEN, 1, transport=scripted(pages)) as client:
        with pytest.raises(XanoApiError, match="paging loop"):
            client.list_objects("function")


def test_requests_in_flight_never_exceed_the_concurrency():
    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.005)
        finally:  # a cancelled speculative page leaves too
            in_flight -= 1
        if "/apigroup/" in request.url.path:
            return httpx.Response(200, json={"items": [], "nextPage": None})
        if request.url.path.endswith("/multidoc"):
            return httpx.Response(200, text="")
        page = int(request.url.params["page"])
        if request.url.path.endswith("/apigroup"):
            return httpx.Response(200, json={"items": [{"id": i, "name": f"g{i}"} for i in range(1, 9)]})
        return httpx.Response(200, json={"items": [item(page)], "nextPage": page + 1 if page < 12 else None})

    async def main():
        http = HttpSettings(concurrency=3, lookahead=4)
        async with AsyncXanoClient("http://xano.test/api:meta", TOKEN, 1, http=http,
                                   transport=httpx.MockTransport(handler)) as client:
            return await client.fetch_all()

    objects = asyncio.run(main())
    assert len([o for o in objects if o.kind == "function"]) == 12
    assert peak == 3


def test_waiting_requests_go_by_page_number_so_endpoint_lists_do_not_wait_behind_long_lists():
    """With one request slot: the API groups' answer unlocks the endpoint lists, whose first
    pages then go ahead of the following pages of the functions' list already waiting."""
    asked: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.split("/workspace/1/", 1)[1]
        if path == "multidoc":
            return httpx.Response(200, text="")
        page = int(request.url.params["page"])
        asked.append(f"{path} {page}")
        await asyncio.sleep(0.001)
        if path == "function":
            return httpx.Response(200, json={"items": [item(page)], "nextPage": page + 1 if page < 4 else None,
                                             "pageTotal": 4})
        if path == "apigroup":
            return httpx.Response(200, json={"items": [{"id": 7, "name": "g7"}, {"id": 8, "name": "g8"}],
                                             "nextPage": None})
        return httpx.Response(200, json={"items": [], "nextPage": None})

    async def main():
        async with AsyncXanoClient("http://xano.test/api:meta", TOKEN, 1, http=HttpSettings(concurrency=1),
                                   transport=httpx.MockTransport(handler)) as client:
            return await client.fetch_all()

    objects = asyncio.run(main())
    assert sorted(o.id for o in objects if o.kind == "function") == [1, 2, 3, 4]
    assert asked == ["table 1", "addon 1", "function 1", "middleware 1", "apigroup 1", "task 1", "tool 1", "agent 1",
                     "mcp_server 1", "realtime/channel 1", "table/trigger 1", "trigger 1", "agent/trigger 1",
                     "mcp_server/trigger 1", "realtime/channel/trigger 1", "workflow_test 1",
                     "apigroup/7/api 1", "apigroup/8/api 1", "function 2", "function 3", "function 4"]


def test_xanoscript_as_a_plain_string_and_unrenderable_objects_are_kept():
    state = EmulatorState.create(token=TOKEN, options=EmulatorOptions(xanoscript_as_string=True, timestamps="ms"))
    with run_in_thread(state) as emu:
        emu.add("function", "ok", function_source("ok"))
        broken = emu.add("function", "broken", function_source("broken"))
        emu.mutate(lambda s: setattr(broken, "xanoscript_error", "render failed"))
        with client_for(emu) as client:
            objects = {o.name: o for o in client.list_objects("function")}
    assert objects["ok"].xanoscript == function_source("ok") and objects["ok"].xanoscript_error is None
    assert objects["broken"].xanoscript is None and objects["broken"].xanoscript_error == "render failed"
    assert isinstance(objects["ok"].updated_at, int)


def test_429_5xx_and_dropped_connections_are_retried_to_success(emu):
    populate(emu, functions=12, groups=2, endpoints=4)
    emu.set_faults("429-every=3,5xx-every=5,drop-every=7")
    with client_for(emu, http=HttpSettings(per_page=2, backoff=0.001, max_backoff=0.01, attempts=20)) as client:
        objects = client.fetch_all()
        assert client.stats.retries > 5
    assert len([o for o in objects if o.kind == "function"]) == 12
    assert len([o for o in objects if o.kind == "query"]) == 8


def test_retry_after_is_honoured():
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    with run_in_thread(token=TOKEN, faults="429-burst=2,retry-after=3") as emu:
        http = HttpSettings(backoff=0.001, max_backoff=10)
        with client_for(emu, http=http, sleep=sleep) as client:
            client.list_objects("function")
    assert waits and all(wait >= 2.9 for wait in waits)


def test_a_rate_limit_that_outlasts_the_budget_is_one_clear_error(emu):
    emu.set_faults("429-burst=100000")
    notices = []
    http = HttpSettings(per_page=3, backoff=0.001, max_backoff=0.01, rate_limit_wait=0.2)
    with client_for(emu, http=http, on_wait=notices.append) as client:
        with pytest.raises(RetriesExhausted) as caught:
            client.fetch_all()
    message = str(caught.value)
    assert re.match(r"Xano kept rate-limiting \(429\) for 0\.\d s with no request getting through \(GET /", message)
    assert "XANOCTL_HTTP_RATE_LIMIT_WAIT" in message and "\n" not in message and TOKEN not in message
    assert notices and all(wait > 0 for wait in notices)  # it said it was waiting, and never got through


def test_a_retry_after_beyond_the_budget_gives_up_at_once(emu):
    emu.set_faults("429-burst=1,retry-after=3600")
    waits = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    with client_for(emu, http=HttpSettings(rate_limit_wait=60), sleep=sleep) as client:
        with pytest.raises(RetriesExhausted, match=r"Xano asked to wait 3600 s \(Retry-After\), more than the 60 s"):
            client.me()
    assert waits == []


def test_a_create_is_not_retried_after_an_ambiguous_failure(emu):
    emu.set_faults("5xx-on-write=1")
    with client_for(emu) as client:
        with pytest.raises(AmbiguousWriteError, match="may have been created"):
            client.create("function", function_source("once"))
        assert emu.state.faults.snapshot()["writes"] == 1
        emu.set_faults("drop-on-write=1")
        with pytest.raises(AmbiguousWriteError):
            client.create("function", function_source("ghost"))
        assert [o.name for o in client.list_objects("function")] == ["ghost"]  # it was created, once


def test_a_create_is_retried_after_a_429(emu):
    emu.set_faults("429-burst=2")
    with client_for(emu) as client:
        created = client.create("function", function_source("fine"))
        assert [o.id for o in client.list_objects("function")] == [created.id]


def test_updates_and_deletes_are_retried_after_dropped_connections(emu):
    with client_for(emu) as client:
        created = client.create("function", function_source("f"))
        emu.set_faults("drop-on-write=1")
        updated = client.update("function", created.id, function_source("f", "2"))
        assert updated.xanoscript == function_source("f", "2") and updated.id == created.id
        assert updated.updated_at != created.updated_at
        emu.set_faults("drop-on-write=1")
        client.delete("function", created.id)  # applied, dropped, retried: the 404 means done
        assert client.find("function", created.id) is None
        with pytest.raises(NotFoundError):
            client.delete("function", created.id)


def test_get_create_update_publish_and_drafts(emu):
    with client_for(emu) as client:
        group = client.create("api_group", SOURCES["api_group"]("G"))
        endpoint = client.create("query", query_source("a/{id}", "DELETE"), group_id=group.id, group_name="G")
        assert (endpoint.name, endpoint.verb, endpoint.group_id, endpoint.group_name) == ("a/{id}", "DELETE",
                                                                                          group.id, "G")
        client.update("query", endpoint.id, query_source("a/{id}", "DELETE", "1"), group_id=group.id, publish=False)
        assert client.get("query", endpoint.id, group_id=group.id).xanoscript == query_source("a/{id}", "DELETE")
        draft = client.get("query", endpoint.id, group_id=group.id, include_draft=True)
        assert draft.xanoscript == query_source("a/{id}", "DELETE", "1")


def test_rejected_writes_say_why(emu):
    with client_for(emu) as client:
        first = client.create("function", function_source("a"))
        client.create("function", function_source("b"))
        with pytest.raises(RejectedError) as syntax:
            client.update("function", first.id, "function \"a\" {\n  stack {\n")
        assert syntax.value.code == "ERROR_CODE_SYNTAX_ERROR" and syntax.value.payload["line"] == 3
        assert "line 3" in str(syntax.value)
        with pytest.raises(RejectedError) as duplicate:
            client.create("function", function_source("b"))
        assert duplicate.value.name_in_use


def test_bad_token_missing_right_and_unknown_workspace(emu):
    with client_for(emu, token="wrong-token-value") as client:
        with pytest.raises(AuthError) as bad:
            client.fetch_all()
    assert "XANO_TOKEN" in str(bad.value) and "wrong-token-value" not in str(bad.value)
    with client_for(emu, token="ro-token") as client:
        with pytest.raises(AuthError, match="update scope"):
            client.create("function", function_source("x"))
    with XanoClient(emu.base_url, TOKEN, 99, http=FAST) as client:
        with pytest.raises(NotFoundError, match="workspace id"):
            client.fetch_all()


def test_an_unreachable_server_is_one_line_that_names_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with XanoClient(f"http://127.0.0.1:{port}/api:meta", TOKEN, 1, http=FAST) as client:
        with pytest.raises(UnreachableError) as caught:
            client.fetch_all()
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "XANO_INSTANCE" in message and "\n" not in message
    assert TOKEN not in message


def test_a_server_that_echoes_the_token_does_not_leak_it():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"message": f"bad {request.headers['authorization']}"})

    with XanoClient("http://xano.test/api:meta", TOKEN, 1, http=FAST,
                    transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(XanoApiError) as caught:
            client.list_objects("function")
    assert TOKEN not in str(caught.value) and "***" in str(caught.value)


def test_not_json_means_a_wrong_base_url():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="<html>"))
    with XanoClient("http://xano.test", TOKEN, 1, transport=transport) as client:
        with pytest.raises(XanoApiError, match="api:meta"):
            client.list_objects("function")


# ---------------------------------------------------------------------------- retry policy, timestamps


def test_backoff_is_exponential_with_full_jitter_and_capped():
    assert backoff_delay(1, 0.5, 30, rand=lambda: 1.0) == 0.5
    assert backoff_delay(4, 0.5, 30, rand=lambda: 1.0) == 4.0
    assert backoff_delay(20, 0.5, 30, rand=lambda: 1.0) == 30
    assert backoff_delay(3, 0.5, 30, rand=lambda: 0.0) == 0.0
    assert retry_delay(1, 0.5, 30, retry_after=12) == 12
    assert retry_delay(1, 0.5, 30, retry_after=120) == 30


def test_retry_after_parsing():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("method,status,sent,expected", [
    ("GET", 429, True, True), ("GET", 503, True, True), ("GET", None, True, True), ("GET", 400, True, False),
    ("POST", 429, True, True), ("POST", 500, True, False), ("POST", None, True, False), ("POST", None, False, True),
    ("PUT", 502, True, True), ("PUT", None, True, True), ("DELETE", 504, True, True), ("GET", 404, True, False),
])
def test_what_is_retried(method, status, sent, expected):
    assert retryable(method, status=status, sent=sent) is expected


def test_timestamps_compare_as_instants_in_either_form():
    assert same_instant("2025-01-06 09:00:00+0000", 1736154000000)
    assert not same_instant("2025-01-06 09:00:01+0000", 1736154000000)
    assert same_instant(1736154000456, "2025-01-06 09:00:00+0000")  # the string only knows the second
    assert not same_instant(1736154000456, 1736154000000) and not same_instant("garbage", 1736154000000)
    assert parse_timestamp("2025-01-06T09:00:00Z") == parse_timestamp("1736154000000")
    assert parse_timestamp(None) is None and parse_timestamp("garbage") is None


def test_settings_carry_no_secrets_in_repr():
    from xanoctl.config import Config
    from pathlib import Path
    config = Config(instance="https://x.xano.io/api:meta", workspace=1, branch="", dir=Path("w"), token=TOKEN)
    assert TOKEN not in repr(config) and TOKEN not in json.dumps(repr(config))
