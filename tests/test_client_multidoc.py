"""The client's multidoc import and branch calls against the emulator over HTTP, recording the
requests on the wire: the same query, headers and body the official CLI sends."""

from __future__ import annotations

import httpx
import pytest

from xanoctl.config import HttpSettings
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.state import EmulatorOptions, EmulatorState
from xanoctl.emulator.testing import function_source
from xanoctl.xano.client import AmbiguousWriteError, NotFoundError, RejectedError, XanoClient

TOKEN = "multidoc-client-token-42"
FAST = HttpSettings(backoff=0.001, max_backoff=0.01, attempts=3)


class Recording(httpx.AsyncBaseTransport):
    """A real HTTP transport that keeps every request it sends."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def emu():
    with run_in_thread(seed="demo", token=TOKEN) as server:
        yield server


def open_client(emu, branch: str = "") -> tuple[XanoClient, Recording]:
    wire = Recording()
    return XanoClient(emu.base_url, TOKEN, emu.workspace_id, branch, FAST, transport=wire), wire


def test_dry_run_then_push_with_the_cli_query_and_body(emu):
    client, wire = open_client(emu)
    docs = "\n---\n".join([function_source("Md/One"), function_source("Md/Two")])
    with client:
        preview = client.multidoc_dry_run(docs)
        answer = client.multidoc_push(docs)
    assert [(op["action"], op["name"]) for op in preview["operations"]] == [("create", "Md/One"),
                                                                              ("create", "Md/Two")]
    assert [entry["name"] for entry in answer["guid_map"]] == ["Md/One", "Md/Two"]
    dry, push = wire.requests
    assert dry.url.path.endswith(f"/workspace/{emu.workspace_id}/multidoc/dry-run")
    assert push.url.path.endswith(f"/workspace/{emu.workspace_id}/multidoc")
    for request in (dry, push):
        assert request.method == "POST"
        assert request.url.query.decode() == "delete=false&env=false&records=false&transaction=true&truncate=false&partial=true"
        assert request.headers["content-type"] == "text/x-xanoscript"
        assert request.content == docs.encode()


def test_the_branch_goes_between_the_flags_and_partial(emu):
    emu.mutate(lambda state: state.store.create_branch(emu.workspace_id, "dev", None))
    client, wire = open_client(emu, branch="dev")
    with client:
        client.multidoc_dry_run(function_source("Md/Dev"), transaction=False, partial=False, delete=True)
    assert wire.requests[0].url.query.decode() == \
        "delete=true&env=false&records=false&transaction=false&truncate=false&branch=dev&partial=false"


def test_branch_get_edit_and_set_live(emu):
    client, wire = open_client(emu)
    emu.mutate(lambda state: state.store.create_branch(emu.workspace_id, "feature x", None))
    with client:
        assert client.branch_info("v1")["live"] is True
        edited = client.edit_branch("feature x", new_label="feature-y", color="#ff5733")
        assert edited["label"] == "feature-y"
        assert client.set_live("feature-y")["live"] is True
        assert client.branch_info("v1")["live"] is False
        with pytest.raises(NotFoundError):
            client.branch_info("feature x")
        with pytest.raises(RejectedError, match="cannot be changed"):
            client.edit_branch("v1", new_label="main")
    put = next(r for r in wire.requests if r.method == "PUT")
    assert put.url.raw_path.endswith(b"/branch/feature%20x") and put.content == b'{"label": "feature-y", "color": "#ff5733"}'
    assert put.headers["content-type"] == "application/json"


def test_a_syntax_error_in_the_import_names_the_document(emu):
    client, _ = open_client(emu)
    docs = "\n---\n".join([function_source("Md/Fine"), 'function "Md/Bad" {\n  stack {\n    var = =\n  }\n}'])
    with client:
        with pytest.raises(RejectedError) as caught:
            client.multidoc_push(docs)
    assert caught.value.code == "ERROR_CODE_SYNTAX_ERROR" and caught.value.payload["document"] == 2
    assert "line 3" in str(caught.value) and TOKEN not in str(caught.value)


def test_a_workspace_without_direct_push_refuses_with_xanos_message():
    state = EmulatorState.create(seed="demo", token=TOKEN, options=EmulatorOptions(direct_push=False))
    with run_in_thread(state) as emu:
        client, _ = open_client(emu)
        with client:
            with pytest.raises(AmbiguousWriteError, match="Push is disabled for this workspace"):
                client.multidoc_dry_run(function_source("Md/One"))
