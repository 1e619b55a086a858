"""The mapping of findings to the protocol's diagnostics, positions and edits (unit tests; the
server end to end is tests/test_lsp.py)."""

from __future__ import annotations

from lsprotocol import types

from xanoctl.lint.finding import Finding
from xanoctl.lint.fixes import Edit, Fix
from xanoctl.lint.index import WorkspaceIndex
from xanoctl.lint.live import LiveWorkspace
from xanoctl.lsp import diagnostics as diag
from xanoctl.lsp.positions import location, position, span_range, split


def finding(code="FP003", severity="error", span=(2, 5, 2, 9), message="`$r.people`: read `$r.data.people`",
            related=(), path="/w/function/a.xs") -> Finding:
    return Finding(path, *span, code, severity, message, "function a", None, related)


def test_range_code_source_severity_and_link():
    lines = ["function a {", "    $r.people", ""]
    found = diag.diagnostic(finding(), lines, href="file:///rules/FP003.md")
    assert found.range == types.Range(start=types.Position(line=1, character=4), end=types.Position(line=1, character=8))
    assert (found.code, found.source, found.message) == ("FP003", "xanoctl", "`$r.people`: read `$r.data.people`")
    assert found.severity == types.DiagnosticSeverity.Error
    assert found.code_description == types.CodeDescription(href="file:///rules/FP003.md")
    assert found.tags is None and found.related_information is None
    assert diag.diagnostic(finding(severity="warning"), lines).severity == types.DiagnosticSeverity.Warning
    assert diag.diagnostic(finding(severity="info"), lines).severity == types.DiagnosticSeverity.Information
    assert diag.diagnostic(finding(), lines).code_description is None


def test_unused_and_unreachable_code_is_unnecessary_older_syntax_deprecated():
    lines = ["x" * 20] * 3
    for code in ("VR002", "CF002", "XS900"):
        assert diag.diagnostic(finding(code, "warning"), lines).tags == [types.DiagnosticTag.Unnecessary]
    assert diag.diagnostic(finding("XS002", "warning"), lines).tags == [types.DiagnosticTag.Deprecated]
    assert diag.diagnostic(finding("ID001"), lines).tags is None


def test_columns_are_utf16_code_units():
    # "é" is one unit, "😀" (outside the basic plane) two; the finding counts characters
    lines = ['    var $x { value = "é😀" ~ $y }']
    at = lines[0].index("$y") + 1
    found = diag.diagnostic(finding("VR001", span=(1, at, 1, at + 2)), lines)
    assert found.range.start.character == at - 1 + 1  # one more unit than characters before it
    assert found.range.end.character - found.range.start.character == 2
    assert location(lines, 0, found.range.start.character) == (1, at)


def test_positions_past_the_end_are_clamped():
    lines = ["abc", "de"]
    assert position(lines, 9, 1) == types.Position(line=1, character=2)
    assert position(lines, 1, 99) == types.Position(line=0, character=3)
    assert position(lines, 0, 5) == types.Position(line=0, character=0)
    assert location(lines, 7, 0) == (2, 3)
    assert location(lines, 1, 99) == (2, 3)
    assert split("\ufeffa\r\nb\n") == ["a", "b", ""]


def test_a_multi_line_span():
    lines = ["function a {", "  stack {", "  }", "}"]
    assert span_range(lines, (2, 3, 3, 4)) == types.Range(start=types.Position(line=1, character=2),
                                                         end=types.Position(line=2, character=3))


WORKER = 'function "W" {\n  input {\n    int ad_user_id\n    text mode?\n  }\n  stack {\n  }\n' \
         '  response = {success: true, data: {n: 1}, error: null}\n}\n'


def _index(tmp_path) -> WorkspaceIndex:
    from xanoctl.lint.config import LintConfig

    root = tmp_path / "workspace"
    (root / "function").mkdir(parents=True)
    (root / "xanoctl.lock").write_text("{}")
    (root / "function" / "w.xs").write_text(WORKER)
    live = LiveWorkspace.open([root], LintConfig(), use_cache=False)
    live.load()
    return live.indexes[0]


def test_related_places_name_the_callee_with_its_inputs_or_envelope(tmp_path):
    index = _index(tmp_path)
    worker = str(tmp_path / "workspace" / "function" / "w.xs")
    [place] = diag.related_places(finding("ID001", related=("W",)), index)
    assert place == diag.Related(worker, (1, 1, 1, 13), "`W` takes `ad_user_id` (int), `mode` (text, optional)")
    [place] = diag.related_places(finding("FP003", related=("W",)), index)
    assert place.message == "`W` answers an envelope with `data`, `error`, `success`"
    assert diag.related_places(finding("XR001", related=("Missing",)), index) == []
    info = diag.related_information([place], lambda path: WORKER.split("\n"), lambda path: "file://" + path)
    assert info[0].location.uri == "file://" + worker
    assert info[0].location.range == types.Range(start=types.Position(line=0, character=0),
                                                 end=types.Position(line=0, character=12))
    assert diag.related_information([place], lambda path: None, str) == []


def test_rule_pages_are_written_once_from_the_rule_docs(tmp_path):
    href = diag.rule_pages(tmp_path)
    link = href("ID001")
    page = tmp_path / "ID001.md"
    assert link == page.resolve().as_uri() and page.read_text().startswith("# ID001\n")
    assert "Bad:" in page.read_text()
    assert href("NOPE1") is None


def test_a_fix_is_a_workspace_edit_in_editor_positions(tmp_path):
    from xanoctl.lsp.actions import workspace_edit

    class Session:  # what workspace_edit asks of the session: each file's lines and URI
        def lines_of(self, path):
            return {"/w/a.xs": ['  x = "😀" ~ $r.people'], "/w/b.xs": ["one", "two"]}.get(path)

        def uri_for(self, path):
            return "file://" + path

    fix = Fix("Read `$r.data.people`", "safe", (Edit(1, 15, 1, 24, "$r.data.people"),
                                                Edit(2, 1, 3, 1, "", "/w/b.xs")))
    edit = workspace_edit(Session(), "/w/a.xs", fix.edits)
    [own] = edit.changes["file:///w/a.xs"]
    assert own.range.start == types.Position(line=0, character=15) and own.new_text == "$r.data.people"
    [other] = edit.changes["file:///w/b.xs"]  # a whole line, its line break included
    assert other.range == types.Range(start=types.Position(line=1, character=0),
                                      end=types.Position(line=1, character=3))
    assert workspace_edit(Session(), "/w/missing.xs", (Edit(1, 1, 1, 2, "x"),)) is None


def test_related_places_of_a_route_and_of_a_name_declared_twice(tmp_path):
    from xanoctl.lint.config import LintConfig

    root = tmp_path / "workspace"
    (root / "function").mkdir(parents=True)
    (root / "api" / "App").mkdir(parents=True)
    (root / "xanoctl.lock").write_text("{}")
    (root / "function" / "w.xs").write_text(WORKER)
    (root / "function" / "copy.xs").write_text(WORKER)
    query = 'query "users/{%s}" verb=GET {\n  api_group = "App"\n  input {\n  }\n  stack {\n  }\n  response = 1\n}\n'
    (root / "api" / "App" / "a.xs").write_text(query % "id")
    (root / "api" / "App" / "b.xs").write_text(query % "user_id")
    live = LiveWorkspace.open([root], LintConfig(), use_cache=False)
    live.load()
    found = live.findings(live.scope.index)
    index = live.indexes[0]
    copy = str(root / "function" / "copy.xs")
    [du001] = [f for f in found[copy] if f.code == "DU001"]
    assert diag.related_places(du001, index) == [
        diag.Related(str(root / "function" / "w.xs"), (1, 1, 1, 13), "`W` is declared here too")]
    a, b = str(root / "api" / "App" / "a.xs"), str(root / "api" / "App" / "b.xs")
    [rt001] = [f for f in found[a] if f.code == "RT001"]
    assert diag.related_places(rt001, index) == [
        diag.Related(b, (1, 1, 1, 24), "`GET users/{user_id}` answers the same route")]
