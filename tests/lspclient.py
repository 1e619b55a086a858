"""A test editor for ``xanoctl lsp``: the real server as a subprocess over stdio (pytest-lsp's
client), a real workspace on disk, and the few moves an editor makes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from lsprotocol import types
from pytest_lsp import ClientServerConfig

WAIT = 60


def loop_time() -> float:
    import time

    return time.perf_counter()  # seconds: a loaded machine is slow, and a test that waits longer has found a bug


def capabilities(watch: bool = True) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watch),
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=False)),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            completion=types.CompletionClientCapabilities(completion_item=types.ClientCompletionItemOptions(
                documentation_format=[types.MarkupKind.Markdown]))))


class Editor:
    def __init__(self, client, root: Path):
        self.client = client
        self.root = root
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    def uri(self, relative: str | Path) -> str:
        return (self.root / relative).resolve().as_uri()

    def open(self, relative: str | Path, text: str | None = None) -> str:
        uri = self.uri(relative)
        text = (self.root / relative).read_text(encoding="utf-8") if text is None else text
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="xanoscript", version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        """The whole text replaced (as an editor may send it)."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    def type(self, uri: str, line: int, character: int, inserted: str) -> None:
        """``inserted`` typed at a place (an incremental change)."""
        self.versions[uri] += 1
        lines = self.texts[uri].split("\n")
        lines[line] = lines[line][:character] + inserted + lines[line][character:]
        self.texts[uri] = "\n".join(lines)
        at = types.Position(line=line, character=character)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at),
                                                                   text=inserted)]))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    async def diagnostics(self, uri: str, until: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
                          wait: float = WAIT) -> Sequence[types.Diagnostic]:
        """The document's diagnostics once they satisfy ``until``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            found = self.client.diagnostics.get(uri)
            if found is not None and until(found):
                return found
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"diagnostics of {uri} never came as expected; last: {found!r}")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                       left)

    def where(self, uri: str, needle: str, offset: int = 0, nth: int = 0) -> types.Position:
        """The position of the ``nth`` occurrence of ``needle`` in the document (plus
        ``offset`` characters)."""
        text = self.texts[uri] if uri in self.texts else Path(uri.removeprefix("file://")).read_text()
        at = -1
        for _ in range(nth + 1):
            at = text.index(needle, at + 1)
        line = text.count("\n", 0, at)
        return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1) + offset)

    def ident(self, uri: str) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=uri)


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``text`` with the protocol's edits applied (ASCII texts: a column is a character)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: types.Position) -> int:
        return starts[pos.line] + pos.character if pos.line < len(starts) else len(text)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


@contextlib.asynccontextmanager
async def editor(root: Path, *, folder: Path | None = None, watch: bool = True, options: dict | None = None,
                 env: dict | None = None, args: Sequence[str] = (), marks: dict | None = None):
    """The server started on ``folder`` (default ``root``), initialised; shut down after.
    ``marks`` receives the time ``initialize`` is sent, once the server reads its input (for
    the benchmark)."""
    folder = folder or root
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "xanoctl", "lsp", *args],
        server_env={**os.environ, "XDG_CACHE_HOME": str(root.parent / "xdg-cache"), **(env or {})})
    client = await config.start()
    if watch:
        client.registered = []

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            client.registered.extend(params.registrations)
    try:
        if marks is not None:  # the server answers once it is up: what it costs to start it is apart
            try:  # refused (not initialised yet), after a round trip
                await asyncio.wrap_future(client.protocol.send_request("xanoctl/ping", None))
            except Exception:
                pass
            marks["initialize"] = loop_time()
        await client.initialize_session(types.InitializeParams(
            capabilities=capabilities(watch), root_uri=folder.resolve().as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.resolve().as_uri(), name=folder.name)],
            initialization_options=options))
        yield Editor(client, root)
        await asyncio.wait_for(client.shutdown_session(), WAIT)
        assert client._server.returncode == 0
    except BaseException:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()  # a failed test must not wait for the server
        raise
    finally:
        await asyncio.wait_for(client.stop(), WAIT)
