"""``xanoctl lsp`` end to end: the real server as a subprocess over stdio (pytest-lsp), a real
workspace on disk (the demo's, with its planted bugs), and an editor's moves."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER  # noqa: E402
from lspclient import WAIT, apply_edits, editor  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.asyncio

DIGEST = "function/Tasks/FUB - Daily People Digest.xs"  # reads `$result.people` (FP003)
SYNC = "function/Tasks/FUB - Sync People.xs"  # passes `user_id` (ID001)
WORKER_PATH = "function/Workers/FUB - Sync People.xs"


@pytest.fixture
def demo(tmp_path) -> Path:
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    return tmp_path / "workspace"


def codes(diagnostics) -> list[str]:
    return sorted(d.code for d in diagnostics)


def small(tmp_path: Path, caller: str = CALLER) -> Path:
    root = tmp_path / "workspace"
    (root / "function" / "Workers").mkdir(parents=True)
    (root / "function" / "Tasks").mkdir(parents=True)
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    (root / "function" / "Workers" / "sync.xs").write_text(WORKER, encoding="utf-8")
    (root / "function" / "Tasks" / "sync.xs").write_text(caller, encoding="utf-8")
    return root


# ---------------------------------------------------------------------------- diagnostics

async def test_fp003_is_reported_and_its_code_action_fixes_it(demo):
    async with editor(demo) as ed:
        uri = ed.open(DIGEST)
        found = await ed.diagnostics(uri, lambda d: "FP003" in codes(d))
        fp003 = next(d for d in found if d.code == "FP003")
        assert fp003.source == "xanoctl" and fp003.severity == types.DiagnosticSeverity.Error
        assert "$result.data.people" in fp003.message
        assert fp003.code_description is not None and fp003.code_description.href.endswith("FP003.md")
        assert Path(fp003.code_description.href.removeprefix("file://")).read_text().startswith("# FP003")
        # the callee's envelope, where it is declared
        related = fp003.related_information[0]
        assert related.location.uri == ed.uri(WORKER_PATH) and "envelope" in related.message
        actions = await ed.client.text_document_code_action_async(types.CodeActionParams(
            text_document=ed.ident(uri), range=fp003.range,
            context=types.CodeActionContext(diagnostics=[fp003])))
        fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix and "data.people" in a.title)
        ed.change(uri, apply_edits(ed.texts[uri], fix.edit.changes[uri]))
        assert "$result.data.people" in ed.texts[uri]
        await ed.diagnostics(uri, lambda d: "FP003" not in codes(d))


async def test_an_unsaved_change_of_a_callee_reaches_its_open_caller(tmp_path):
    root = small(tmp_path, CALLER.replace("user_id:", "ad_user_id:").replace("$result.people", "$result.data.people"))
    async with editor(root) as ed:
        caller = ed.open("function/Tasks/sync.xs")
        callee = ed.open("function/Workers/sync.xs")
        await ed.diagnostics(caller)
        assert not ed.client.diagnostics[caller]
        ed.change(callee, WORKER.replace("ad_user_id", "agent_id"))  # not saved
        found = await ed.diagnostics(caller, lambda d: codes(d) == ["ID001", "ID002"])
        id001 = next(d for d in found if d.code == "ID001")
        assert "has no input `ad_user_id`" in id001.message
        assert "`agent_id` (int)" in id001.related_information[0].message
        assert not ed.client.diagnostics[callee]
        # undone: the caller is clean again
        ed.change(callee, WORKER)
        await ed.diagnostics(caller, lambda d: not d)
        # the file on disk never changed
        assert (root / "function" / "Workers" / "sync.xs").read_text() == WORKER


async def test_every_finding_of_lint_with_its_severity_tags_and_configuration(demo, tmp_path):
    (tmp_path / "xanoctl.yaml").write_text("dir: workspace\nlint:\n  severity: {FP003: warning}\n", encoding="utf-8")
    text = (demo / DIGEST).read_text()
    unused = text.replace("  stack {\n", "  stack {\n    var $never { value = 1 }\n", 1)
    (demo / DIGEST).write_text(unused, encoding="utf-8")
    async with editor(tmp_path, folder=tmp_path) as ed:
        ed.root = demo
        uri = ed.open(DIGEST)
        found = await ed.diagnostics(uri, lambda d: "VR002" in codes(d))
        by_code = {d.code: d for d in found}
        assert by_code["FP003"].severity == types.DiagnosticSeverity.Warning  # configured
        assert list(by_code["VR002"].tags) == [types.DiagnosticTag.Unnecessary]
        # the same findings as `xanoctl lint`
        from xanoctl.lint.api import lint_paths
        from xanoctl.lint.config import load_config

        result = lint_paths([demo], load_config(start=tmp_path), use_cache=False)
        expected = sorted((f.code, f.line) for f in result.findings if result.sources[f.path] == str(demo / DIGEST))
        assert sorted((d.code, d.range.start.line + 1) for d in found) == expected


async def test_the_ignore_action_writes_the_suppression_lint_understands(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        found = await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
        id001 = next(d for d in found if d.code == "ID001")
        actions = await ed.client.text_document_code_action_async(types.CodeActionParams(
            text_document=ed.ident(uri), range=id001.range, context=types.CodeActionContext(diagnostics=[id001])))
        ignore = next(a for a in actions if a.title == "Ignore ID001 for this statement")
        fixed = apply_edits(ed.texts[uri], ignore.edit.changes[uri])
        assert "    // xanoctl: ignore[ID001]\n    function.run \"Workers/FUB - Sync People\"" in fixed
        ed.change(uri, fixed)
        await ed.diagnostics(uri, lambda d: "ID001" not in codes(d) and "XS900" not in codes(d))


# ---------------------------------------------------------------------------- navigation

async def test_definition_references_hover_and_symbols(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        await ed.diagnostics(uri)
        on_callee = ed.where(uri, '"Workers/FUB - Sync People"', 3)
        found = await ed.client.text_document_definition_async(types.DefinitionParams(
            text_document=ed.ident(uri), position=on_callee))
        assert [loc.uri for loc in found] == [ed.uri(WORKER_PATH)]
        assert found[0].range.start.line == 1  # the header line, under its comment
        # and back: every caller of the worker, from its header line
        worker = ed.open(WORKER_PATH)
        refs = await ed.client.text_document_references_async(types.ReferenceParams(
            text_document=ed.ident(worker), position=ed.where(worker, "Workers/FUB", 2),
            context=types.ReferenceContext(include_declaration=False)))
        callers = {Path(loc.uri).name for loc in refs}
        assert {"FUB%20-%20Sync%20People.xs", "FUB%20-%20Daily%20People%20Digest.xs"} <= callers
        assert len(refs) >= 5
        hover = await ed.client.text_document_hover_async(types.HoverParams(text_document=ed.ident(uri),
                                                                            position=on_callee))
        assert "| `ad_user_id` | `int` | optional |" in hover.contents.value
        assert "Answers the envelope" in hover.contents.value
        # a variable's binding, an input's declaration, a table and its column
        on_input = ed.where(worker, "$input.ad_user_id", 8)
        found = await ed.client.text_document_definition_async(types.DefinitionParams(
            text_document=ed.ident(worker), position=on_input))
        assert found[0].uri == worker and found[0].range.start.line == 3  # `int ad_user_id?`
        on_var = ed.where(worker, "$agent", 2, nth=1)
        found = await ed.client.text_document_definition_async(types.DefinitionParams(
            text_document=ed.ident(worker), position=on_var))
        assert found[0].range.start.line == ed.where(worker, "} as $agent").line
        on_table = ed.where(worker, "db.query user", 10)
        found = await ed.client.text_document_definition_async(types.DefinitionParams(
            text_document=ed.ident(worker), position=on_table))
        assert found[0].uri.endswith("/table/user.xs")
        on_column = ed.where(worker, "$db.user.ad_user_id", 12)
        hover = await ed.client.text_document_hover_async(types.HoverParams(text_document=ed.ident(worker),
                                                                            position=on_column))
        assert "`user.ad_user_id`" in hover.contents.value
        found = await ed.client.text_document_definition_async(types.DefinitionParams(
            text_document=ed.ident(worker), position=on_column))
        assert found[0].uri.endswith("/table/user.xs") and found[0].range.start.line > 1
        symbols = await ed.client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=ed.ident(worker)))
        assert symbols[0].name == "Workers/FUB - Sync People"
        names = [child.name for child in symbols[0].children]
        assert names[:2] == ["ad_user_id", "endpoint_type"]
        assert "db.query user as $agent" in names
        found = await ed.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="sync people"))
        assert {"Workers/FUB - Sync People", "Tasks/FUB - Sync People"} <= {s.name for s in found}


async def test_hover_on_a_rule_code_and_a_filter(demo):
    text = (demo / SYNC).read_text().replace(
        "    function.run", "    // xanoctl: ignore[ID001] the worker is renamed next week\n    function.run", 1)
    async with editor(demo) as ed:
        uri = ed.open(SYNC, text)
        await ed.diagnostics(uri)
        hover = await ed.client.text_document_hover_async(types.HoverParams(
            text_document=ed.ident(uri), position=ed.where(uri, "ID001", 2)))
        assert hover.contents.value.startswith("### ID001") and "Bad:" in hover.contents.value
        digest = ed.open(DIGEST, (demo / DIGEST).read_text().replace("|count", "|to_integer", 1))
        hover = await ed.client.text_document_hover_async(types.HoverParams(
            text_document=ed.ident(digest), position=ed.where(digest, "|first_notnull", 3)))
        assert hover.contents.value.startswith("**filter** `first_notnull`: an expression filter")
        hover = await ed.client.text_document_hover_async(types.HoverParams(
            text_document=ed.ident(digest), position=ed.where(digest, "|to_integer", 3)))
        assert hover.contents.value == "`to_integer`: not a filter Xano knows; did you mean `to_int`?"


async def _labels(ed, uri, position) -> list[str]:
    found = await ed.client.text_document_completion_async(types.CompletionParams(
        text_document=ed.ident(uri), position=position))
    items = found.items if isinstance(found, types.CompletionList) else found
    return [item.label for item in items]


async def test_completion_of_callees_their_inputs_tables_columns_filters_inputs_and_data(tmp_path):
    root = small(tmp_path, CALLER.replace("user_id:", "ad_user_id:").replace("$result.people", "$result.data.people"))
    (root / "table").mkdir()
    (root / "table" / "user.xs").write_text("table user {\n  schema {\n    int id\n    text email\n  }\n}\n")
    async with editor(root) as ed:
        uri = ed.open("function/Tasks/sync.xs")
        await ed.diagnostics(uri)
        text = ed.texts[uri]
        # a call being written: the callee's name, then its input names
        ed.change(uri, text.replace("    var $count", '    function.run "Wor\n    var $count'))
        labels = await _labels(ed, uri, ed.where(uri, '"Wor', 4))
        assert labels == ["Workers/Sync People"]
        ed.change(uri, text.replace("      input = {ad_user_id: $input.ad_user_id}", "      input = {ad_"))
        labels = await _labels(ed, uri, ed.where(uri, "{ad_", 4))
        assert labels == ["ad_user_id"]
        ed.change(uri, text.replace("      input = {ad_user_id: $input.ad_user_id}",
                                    "      input = {ad_user_id: 1, \n"))
        assert await _labels(ed, uri, ed.where(uri, "1, ", 3)) == []  # every input passed
        # tables, columns, filters, $input. and the envelope's data
        ed.change(uri, text.replace("    var $count", "    db.get u\n    var $count"))
        assert await _labels(ed, uri, ed.where(uri, "db.get u", 8)) == ["user"]
        ed.change(uri, text.replace("$input.ad_user_id}", "$db.user.}"))
        assert await _labels(ed, uri, ed.where(uri, "$db.user.", 9)) == ["id", "email", "created_at"]
        ed.change(uri, text.replace("|count", "|to_in"))
        assert "to_int" in await _labels(ed, uri, ed.where(uri, "|to_in", 6))
        ed.change(uri, text.replace("{ad_user_id: $input.ad_user_id}", "{ad_user_id: $input.}"))
        assert await _labels(ed, uri, ed.where(uri, "$input.", 7)) == ["ad_user_id"]
        ed.change(uri, text.replace("$result.data.people|count", "$result.data."))
        assert await _labels(ed, uri, ed.where(uri, "$result.data.", 13)) == ["people"]
        ed.change(uri, text.replace("$result.data.people|count", "$result."))
        assert await _labels(ed, uri, ed.where(uri, "$result.", 8)) == ["data", "error", "step", "success"]


async def test_rename_of_a_function_edits_its_header_and_every_caller(demo):
    async with editor(demo) as ed:
        worker = ed.open(WORKER_PATH)
        await ed.diagnostics(worker)
        position = ed.where(worker, "Workers/FUB", 2)
        prepared = await ed.client.text_document_prepare_rename_async(types.PrepareRenameParams(
            text_document=ed.ident(worker), position=position))
        assert prepared.placeholder == "Workers/FUB - Sync People"
        edit = await ed.client.text_document_rename_async(types.RenameParams(
            text_document=ed.ident(worker), position=position, new_name="Workers/FUB - Pull People"))
        files = {uri: apply_edits(Path(uri.removeprefix("file://").replace("%20", " ")).read_text(), edits)
                 for uri, edits in edit.changes.items()}
        assert 'function "Workers/FUB - Pull People" {' in files[worker]
        assert len(files) >= 4
        for uri, text in files.items():
            assert 'function.run "Workers/FUB - Sync People"' not in text, uri  # (text values stay)
            Path(uri.removeprefix("file://").replace("%20", " ")).write_text(text)
        ed.change(worker, files[worker])  # the editor applies the edit to the open buffer too
        ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri, type=types.FileChangeType.Changed) for uri in files]))
        await ed.diagnostics(worker, lambda d: ed.client.diagnostics.get(worker) is not None)
        from xanoctl.lint.api import lint_paths

        assert not [f for f in lint_paths([demo], use_cache=False).findings if f.code == "XR001"
                    and "Pull People" in f.message]
        # refused when a caller does not parse
        broken = demo / DIGEST
        broken.write_text(broken.read_text().replace("  stack {", "  stack {{", 1))
        ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=broken.as_uri(), type=types.FileChangeType.Changed)]))
        with pytest.raises(Exception, match="does not parse"):
            await ed.client.text_document_rename_async(types.RenameParams(
                text_document=ed.ident(worker), position=position, new_name="Workers/Other"))


# ---------------------------------------------------------------------------- disk and start-up

async def test_files_changed_on_disk_count(tmp_path):
    root = small(tmp_path, CALLER.replace("user_id:", "ad_user_id:").replace("$result.people", "$result.data.people"))
    worker = root / "function" / "Workers" / "sync.xs"
    for watch in (True, False):  # reported by the editor, or found by the server's own look
        worker.write_text(WORKER, encoding="utf-8")
        async with editor(root, watch=watch) as ed:
            caller = ed.open("function/Tasks/sync.xs")
            await ed.diagnostics(caller, lambda d: not d)
            if watch:
                assert [r.method for r in ed.client.registered] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
            worker.unlink()  # a `git checkout` that removes it
            if watch:
                ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                    types.FileEvent(uri=worker.as_uri(), type=types.FileChangeType.Deleted)]))
            await ed.diagnostics(caller, lambda d: codes(d) == ["XR001"])
            worker.write_text(WORKER.replace("ad_user_id", "agent_id"), encoding="utf-8")
            if watch:
                ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                    types.FileEvent(uri=worker.as_uri(), type=types.FileChangeType.Created)]))
            await ed.diagnostics(caller, lambda d: codes(d) == ["ID001", "ID002"])


async def test_a_second_start_answers_from_the_lint_cache(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        first = await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
    assert (demo.parent / ".xanoctl" / "cache").is_dir()
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        # first as the last whole run left them (no callee's place yet: the index is not read), then
        # with the related places once it is
        quick = await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
        assert [(d.code, d.range, d.message) for d in quick] == [(d.code, d.range, d.message) for d in first]
        await ed.diagnostics(uri, lambda d: d == first)


# ---------------------------------------------------------------------------- robustness

async def test_a_document_that_does_not_parse_gets_its_error_and_an_outline(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
        ed.type(uri, 8, 0, "    var $x {\n")
        found = await ed.diagnostics(uri, lambda d: codes(d) == ["XS001"])
        assert found[0].severity == types.DiagnosticSeverity.Error
        symbols = await ed.client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=ed.ident(uri)))
        assert [s.name for s in symbols] == ["Tasks/FUB - Sync People"]
        # its callers still see the function it declares (no XR001 for them)
        other = ed.open("function/Tasks/FUB - Weekly Agent Report.xs")
        assert "XR001" not in codes(await ed.diagnostics(other))


async def test_binary_huge_outside_and_unknown_texts(demo, tmp_path):
    outside = tmp_path / "elsewhere" / "loose.xs"
    outside.parent.mkdir()
    outside.write_text('function "Loose" {\n  stack {\n    var $x { value = $y }\n  }\n  response = $x\n}\n')
    async with editor(demo) as ed:
        binary = ed.open("function/Tasks/binary.xs", "function \x00\x01 {")
        found = await ed.diagnostics(binary, lambda d: bool(d))
        assert codes(found) == ["XS001"] and "binary" in found[0].message
        huge = ed.open("function/Tasks/huge.xs", "// x\n" * 900_000)
        found = await ed.diagnostics(huge, lambda d: bool(d))
        assert "too large" in found[0].message
        loose = ed.open(outside.relative_to(demo, walk_up=True) if sys.version_info >= (3, 12) else
                        Path("..") / "elsewhere" / "loose.xs")
        found = await ed.diagnostics(loose, lambda d: bool(d))
        assert codes(found) == ["VR001"]  # the document rules; no cross-file rule outside a workspace
        # requests about a URI never opened, and another scheme
        never = ed.uri("function/Tasks/never.xs")
        assert not await ed.client.text_document_hover_async(types.HoverParams(
            text_document=ed.ident(never), position=types.Position(line=0, character=0)))
        assert await ed.client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri="untitled:Untitled-1"))) == []
        # still answering
        uri = ed.open(SYNC)
        assert "ID001" in codes(await ed.diagnostics(uri, lambda d: "ID001" in codes(d)))


async def test_thousands_of_rapid_changes_leave_the_last_texts_diagnostics(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
        text = ed.texts[uri]
        for number in range(2000):
            ed.change(uri, text.replace("user_id:", "ad_user_id:") if number % 2 else text + f"\n// {number}\n")
        ed.change(uri, text.replace("user_id:", "ad_user_id:"))
        found = await ed.diagnostics(uri, lambda d: "ID001" not in codes(d))
        await asyncio.sleep(1)  # nothing older arrives after it
        assert ed.client.diagnostics[uri] == found and "ID001" not in codes(found)


async def test_a_cancelled_request_and_closing_a_document(demo):
    async with editor(demo) as ed:
        uri = ed.open(SYNC)
        await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
        future = ed.client.protocol.send_request(types.WORKSPACE_SYMBOL, types.WorkspaceSymbolParams(query=""),
                                                 msg_id="cancel-me")
        ed.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
        try:  # answered before the cancel came, or refused as cancelled: either is fine
            await asyncio.wait_for(asyncio.wrap_future(future), WAIT)
        except Exception as exc:
            assert "cancel" in str(exc).lower(), exc
        found = await ed.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="FUB"))
        assert found
        ed.close(uri)
        await ed.diagnostics(uri, lambda d: not d)


async def test_a_changed_configuration_applies_at_once(demo, tmp_path):
    config = tmp_path / "xanoctl.yaml"
    config.write_text("dir: workspace\n", encoding="utf-8")
    for watch in (True, False):  # reported by the editor, or found by the server's own look
        config.write_text("dir: workspace\n", encoding="utf-8")
        async with editor(tmp_path, folder=tmp_path, watch=watch) as ed:
            ed.root = demo
            uri = ed.open(SYNC)
            await ed.diagnostics(uri, lambda d: "ID001" in codes(d))
            config.write_text("dir: workspace\nlint:\n  ignore: [ID001]\n", encoding="utf-8")
            if watch:
                ed.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                    types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
            await ed.diagnostics(uri, lambda d: "ID001" not in codes(d))


async def _message(reader) -> dict:
    import json

    length = 0
    while True:
        line = (await reader.readline()).decode().strip()
        if not line:
            break
        if line.lower().startswith("content-length:"):
            length = int(line.split(":")[1])
    return json.loads(await reader.readexactly(length))


def _frame(message: dict) -> bytes:
    import json

    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


async def test_over_tcp_and_a_port_in_use(demo):
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "xanoctl", "lsp", "--tcp", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # until it listens
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the server never listened")
        writer.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                             "params": {"processId": None, "rootUri": demo.as_uri(), "capabilities": {}}}))
        answer = await asyncio.wait_for(_message(reader), WAIT)
        assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "xanoctl"
        assert answer["result"]["capabilities"]["renameProvider"] and answer["result"]["capabilities"]["definitionProvider"]
        # a second server on the same port: one line, no traceback
        second = subprocess.run([sys.executable, "-m", "xanoctl", "lsp", "--tcp", str(port)],
                                capture_output=True, text=True, timeout=WAIT)
        assert second.returncode == 1
        assert second.stderr.startswith(f"xanoctl: error: cannot serve on 127.0.0.1:{port}: ")
        assert "Traceback" not in second.stderr
        writer.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        assert (await asyncio.wait_for(_message(reader), WAIT))["id"] == 2
        writer.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        await writer.drain()
        assert server.wait(timeout=WAIT) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
