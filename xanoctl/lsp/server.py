"""The language server: the protocol's messages wired to a :class:`~xanoctl.lsp.session.Session`.

Start-up: ``initialize`` finds the workspace (the folder the editor opened); its files are
read and their facts loaded in a worker thread (from the lint cache when a file is unchanged),
so that the server answers at once; the diagnostics of the documents opened meanwhile follow
as soon as the last whole lint run answers for them, or the facts are loaded. Edits are
checked after a short pause (``DEBOUNCE``): a burst of changes is checked once, on its last
text. Files changed on disk come from ``workspace/didChangeWatchedFiles`` (registered when the
editor can), and from a look at the files' times every ``POLL`` seconds otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import os

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from xanoctl import __version__
from xanoctl.lsp.positions import location
from xanoctl.lsp.session import Publish, Session, path_of

FIX_ALL = "source.fixAll.xanoctl"  # the code action kind of every safe fix of a file
DEBOUNCE = 0.02  # seconds of quiet after an edit before it is checked
POLL = 2.0  # seconds between looks at the files on disk, when the editor does not report changes

log = logging.getLogger("xanoctl.lsp")


class RequestFailed(JsonRpcException):
    """The protocol's RequestFailed: the request was understood and cannot be done."""

    CODE = -32803


class XanoServer(LanguageServer):
    def __init__(self, *, use_cache: bool = True, jobs: int | None = None):
        super().__init__("xanoctl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.use_cache = use_cache
        self.jobs = jobs
        self.session: Session | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._poller: asyncio.Task | None = None
        self.watching = False  # the editor reports the files changed on disk
        self.options: dict = {}

    # ------------------------------------------------------------------ publishing

    def send(self, found: list[Publish]) -> None:
        for item in found:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=item.uri, version=item.version, diagnostics=item.diagnostics))

    def schedule(self) -> None:
        """Check after ``DEBOUNCE`` seconds of quiet."""
        loop = asyncio.get_running_loop()
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(DEBOUNCE, self.flush)

    def flush(self) -> None:
        """Check what changed now (a request about a document waits for its latest text)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        session = self.session
        if session is None or not session.ready or not session.pending:
            return
        try:
            self.send(session.check())
        except Exception as exc:  # a bug of ours: said once, the server goes on
            log.exception("check failed")
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error,
                                                           message=f"xanoctl: check failed: {exc!r}"))

    # ------------------------------------------------------------------ start-up

    async def start(self, folder: str | None, options: dict, poll: bool = True) -> None:
        self.options = options
        session = Session(folder, use_cache=self.use_cache, jobs=self.jobs, rules_url=options.get("rulesUrl"))
        # documents opened before the session existed
        for document in list(self.workspace.text_documents.values()):
            session.opened(document.uri, document.source, document.version)
        self.session = session
        if session.problem:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"xanoctl: {session.problem}"))
        loop = asyncio.get_running_loop()
        try:
            self.send(await loop.run_in_executor(None, session.start))
            self.send(await loop.run_in_executor(None, session.load))
            await loop.run_in_executor(None, session.save_run)
        except Exception as exc:
            log.exception("loading the workspace failed")
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"xanoctl: cannot load the workspace: {exc}"))
            session.live = None
        self.flush()
        if poll and self._poller is None:  # also for the configuration, which editors may not report
            self._poller = asyncio.ensure_future(self._poll())

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL)
            session = self.session
            if session is None:
                continue
            try:
                if self.watching:  # the editor reports the files: only the configuration is looked at
                    if session.ready and session.settings() != session._settings:
                        await self.restart()
                    continue
                if session.poll():
                    await self.restart()
                    continue
            except Exception:
                log.exception("polling the files failed")
            if session.pending:
                self.flush()

    async def restart(self) -> None:
        """Make the session again (the configuration changed): every open document is checked
        with the new one."""
        old = self.session
        if old is None:
            return
        published = dict(old.published)
        await self.start(old.folder, self.options, poll=False)
        if self.session is not None:  # documents the new session leaves clean are cleared
            for path, diagnostics in published.items():
                if diagnostics and path in self.session.open and path not in self.session.published:
                    self.send([Publish(self.session.uri_for(path), self.session.open[path].version, [])])


def _watches_files(capabilities: types.ClientCapabilities) -> bool:
    workspace = capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    return bool(watched is not None and watched.dynamic_registration)


def _folder(params: types.InitializeParams) -> str | None:
    if params.workspace_folders:
        return path_of(params.workspace_folders[0].uri)
    if params.root_uri:
        return path_of(params.root_uri)
    return params.root_path or None


def build(*, use_cache: bool = True, jobs: int | None = None) -> XanoServer:
    # what answers questions (and with it the parser, the semantic model) is imported by the
    # handlers on the first question: the first diagnostics need none of it
    server = XanoServer(use_cache=use_cache, jobs=jobs)
    state: dict = {}

    @server.feature(types.INITIALIZE)
    def initialize(ls: XanoServer, params: types.InitializeParams) -> None:
        state["folder"] = _folder(params)
        options = params.initialization_options
        state["options"] = options if isinstance(options, dict) else {}

    @server.feature(types.INITIALIZED)
    async def initialized(ls: XanoServer, params: types.InitializedParams) -> None:
        if _watches_files(ls.client_capabilities):
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[
                    types.Registration(
                        id="xanoctl-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                            types.FileSystemWatcher(glob_pattern="**/*.xs"),
                            types.FileSystemWatcher(glob_pattern="**/xanoctl.yaml"),
                        ]))]))
                ls.watching = True
            except Exception as exc:  # the editor refused: the poll finds changes instead
                log.info("the editor does not watch files (%s): looking at them every %s s", exc, POLL)
        await ls.start(state.get("folder"), state.get("options", {}))

    # ------------------------------------------------------------------ documents

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: XanoServer, params: types.DidOpenTextDocumentParams) -> None:
        if ls.session is None:
            return  # the session reads the documents opened before it when it starts
        doc = params.text_document
        ls.session.opened(doc.uri, doc.text, doc.version)
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: XanoServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.session is None:
            return
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.session.changed(params.text_document.uri, document.source, params.text_document.version)
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: XanoServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.flush()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: XanoServer, params: types.DidCloseTextDocumentParams) -> None:
        if ls.session is None:
            return
        ls.send(ls.session.closed(params.text_document.uri))
        ls.schedule()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched(ls: XanoServer, params: types.DidChangeWatchedFilesParams) -> None:
        if ls.session is None:
            return
        paths = [path for path in (path_of(change.uri) for change in params.changes) if path]
        if ls.session.configures(paths):
            await ls.restart()
            return
        ls.session.disk_changed(paths)
        ls.schedule()

    # ------------------------------------------------------------------ questions

    def where(ls: XanoServer, uri: str, pos: types.Position) -> tuple[str, int, int] | None:
        """The path and 1-based line and column of a position, after the pending checks."""
        ls.flush()
        session = ls.session
        path = path_of(uri)
        if session is None or path is None:
            return None
        lines = session.lines_of(path)
        if lines is None:
            return None
        line, column = location(lines, pos.line, pos.character)
        return path, line, column

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: XanoServer, params: types.DefinitionParams):
        from xanoctl.lsp import navigation

        found = where(ls, params.text_document.uri, params.position)
        return navigation.definition(ls.session, *found) if found else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: XanoServer, params: types.ReferenceParams):
        from xanoctl.lsp import navigation

        found = where(ls, params.text_document.uri, params.position)
        if not found:
            return None
        return navigation.references(ls.session, *found, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: XanoServer, params: types.HoverParams):
        from xanoctl.lsp import navigation

        found = where(ls, params.text_document.uri, params.position)
        return navigation.hover(ls.session, *found) if found else None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: XanoServer, params: types.DocumentSymbolParams):
        from xanoctl.lsp import navigation

        path = path_of(params.text_document.uri)
        text = ls.session.text_of(path) if ls.session is not None and path else None
        return navigation.document_symbols(text) if text is not None else []

    @server.feature(types.WORKSPACE_SYMBOL)
    def workspace_symbol(ls: XanoServer, params: types.WorkspaceSymbolParams):
        from xanoctl.lsp import navigation

        return navigation.workspace_symbols(ls.session, params.query) if ls.session is not None else []

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=['"', ".", "|", "{", ",", " "]))
    def complete(ls: XanoServer, params: types.CompletionParams):
        from xanoctl.lsp import completion

        found = where(ls, params.text_document.uri, params.position)
        if not found:
            return None
        return types.CompletionList(is_incomplete=False, items=completion.complete(ls.session, *found))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    def code_action(ls: XanoServer, params: types.CodeActionParams):
        from xanoctl.lsp import actions

        found = where(ls, params.text_document.uri, params.range.start)
        if not found or ls.session is None:
            return None
        path = found[0]
        lines = ls.session.lines_of(path) or []
        start = found[1:]
        end = location(lines, params.range.end.line, params.range.end.character)
        found = actions.code_actions(ls.session, path, start, end)
        only = params.context.only
        if only:  # the kinds asked for, and their sub-kinds (`source.fixAll` takes ours)
            found = [action for action in found
                     if any(action.kind == kind or str(action.kind).startswith(f"{kind}.") for kind in only)]
        return found

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: XanoServer, params: types.PrepareRenameParams):
        from xanoctl.lsp import actions

        found = where(ls, params.text_document.uri, params.position)
        if not found:
            return None
        target = actions.rename_target(ls.session, *found)
        if target is None:
            return None
        lines = ls.session.lines_of(found[0]) or []
        from xanoctl.lsp.positions import span_range

        span = target.span
        if target.header:
            span = actions._name_span(ls.session, found[0], span) or span
        return types.PrepareRenamePlaceholder(range=span_range(lines, span), placeholder=target.name)

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    def rename(ls: XanoServer, params: types.RenameParams):
        from xanoctl.lsp import actions

        found = where(ls, params.text_document.uri, params.position)
        if not found:
            return None
        try:
            return actions.rename(ls.session, *found, params.new_name)
        except actions.Refused as exc:
            raise RequestFailed(f"cannot rename: {exc}") from None

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: XanoServer, *args) -> None:
        if ls._poller is not None:
            ls._poller.cancel()
        if ls._timer is not None:
            ls._timer.cancel()

    return server


def serve(*, tcp: int | None = None, host: str = "127.0.0.1", use_cache: bool = True,
          jobs: int | None = None) -> None:
    """Serve over stdio (or a TCP port on ``host``) until the editor says ``exit``."""
    logging.basicConfig(level=os.environ.get("XANOCTL_LSP_LOG", "WARNING").upper(),
                        format="xanoctl lsp: %(levelname)s %(message)s")
    server = build(use_cache=use_cache, jobs=jobs)
    if tcp is None:
        server.start_io()
        return
    try:
        server.start_tcp(host, tcp)
    except OSError as exc:
        from xanoctl.errors import XanoctlError

        raise XanoctlError(f"cannot serve on {host}:{tcp}: {exc.strerror or exc}; choose another port "
                           f"with --tcp") from None
