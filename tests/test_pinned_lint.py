"""What the linter reports or silences, as a user sees it, pinned where a one-line change used
to pass the whole suite (issue 27): a suppression's reach over a blank line, RT001's API group
from a folder above the endpoint, SEC002 on the quoted "false"."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER  # noqa: E402

from xanoctl.errors import UsageError  # noqa: E402
from xanoctl.lint.api import lint_paths  # noqa: E402


def lint(tmp_path: Path, files: dict[str, str], **options):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return lint_paths([tmp_path], use_cache=False, **options)


def bare_endpoint(path: str, verb: str = "GET") -> str:
    """An endpoint as exports write it, with no ``api_group`` setting."""
    return f'query "{path}" verb={verb} {{\n  input {{\n  }}\n  stack {{\n  }}\n  response = null\n}}\n'


def found(result) -> list[tuple[str, int]]:
    return sorted((f.code, f.line) for f in result.findings)


# ---------------------------------------------------------------------------- suppressions


def test_a_suppression_reaches_over_a_blank_line_to_the_statement_below_and_no_further(tmp_path):
    """The comment covers the next line of code (docs: "the statement that starts on the next
    line of code"): blank lines between them do not cut it off; the statement after is not
    covered."""
    caller = CALLER.replace("    function.run", "    // xanoctl: ignore[ID001, FP003] renamed later\n\n    function.run")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller})
    assert result.suppressed == 1  # ID001 on the function.run below the blank line
    assert found(result) == [("FP003", 11), ("XS900", 6)]  # FP003 is on the next statement: not covered
    assert "remove `FP003` from `ignore[ID001, FP003]`" in next(f.message for f in result.findings if f.code == "XS900")


def test_a_suppression_with_nothing_below_it_silences_nothing_and_is_reported(tmp_path):
    caller = CALLER.replace("  }\n  response", "    // xanoctl: ignore[FP003] at the end\n  }\n  response")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller})
    assert result.suppressed == 0
    assert found(result) == [("FP003", 9), ("ID001", 7), ("XS900", 10)]


def test_an_unused_suppression_is_a_warning_at_the_comment_and_does_not_fail_the_lint(tmp_path):
    caller = CALLER.replace("    function.run", "    // xanoctl: ignore[XR001] old name\n    function.run")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller}, ignore="ID001,FP003")
    [unused] = result.findings
    assert (Path(unused.path).name, unused.code, unused.severity) == ("t.xs", "XS900", "warning")
    assert (unused.line, unused.column, unused.end_line, unused.end_column) == (6, 5, 6, 39)  # the whole comment
    assert result.exit_code == 0


@pytest.mark.parametrize("comment, message", [
    ("// xanoctl: ignore ID001",
     "unreadable suppression; write `// xanoctl: ignore[CODE] reason` on the line above the statement"),
    ("// xanoctl: ignore[] no code", "suppression names no rule code; `xanoctl rules` lists the codes")])
def test_a_suppression_that_cannot_be_used_is_reported_and_the_ones_after_it_still_silence(tmp_path, comment, message):
    caller = CALLER.replace("    function.run", f"    {comment}\n    function.run").replace(
        "    var $count", "    // xanoctl: ignore[FP003] legacy reader\n    var $count")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller})
    assert found(result) == [("ID001", 8), ("XS900", 6)] and result.suppressed == 1
    assert [f.message for f in result.findings if f.code == "XS900"] == [message]


def test_known_codes_beside_an_unknown_one_still_silence(tmp_path):
    caller = CALLER.replace("    function.run", "    // xanoctl: ignore[ID001, XX999] renamed\n    function.run").replace(
        "    var $count", "    // xanoctl: ignore[YY001]\n    // xanoctl: ignore[FP003] legacy reader\n    var $count")
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": caller})
    assert found(result) == [("XS900", 6), ("XS900", 10)] and result.suppressed == 2
    assert [f.message.split(";")[0] for f in result.findings] == [
        "suppression names unknown rule `XX999`", "suppression names unknown rule `YY001`"]


def test_a_suppression_on_the_last_line_of_a_file_is_reported_not_a_crash(tmp_path):
    result = lint(tmp_path, {"w.xs": WORKER, "t.xs": CALLER + "// xanoctl: ignore[FP003]\n"})
    assert found(result) == [("FP003", 9), ("ID001", 7), ("XS900", 13)]


def test_a_suppression_covers_every_line_of_a_statement_whose_first_setting_shares_its_line(tmp_path):
    """``api.request { url = [...]`` opens the statement and its first value on one line: the
    statement's span (to its closing brace) counts, not the shorter value's."""
    doc = ('function "a" {\n  input {\n  }\n  stack {\n    // xanoctl: ignore[SEC002] legacy partner\n'
           '    api.request { url = [\n        "https://x.example.com"\n      ]|first\n      verify_peer = false\n'
           '    } as $r\n  }\n  response = $r\n}\n')
    result = lint(tmp_path, {"a.xs": doc})
    assert result.findings == [] and result.suppressed == 1


# ---------------------------------------------------------------------------- the baseline


TWICE = CALLER.replace("Tasks/Sync People", "Tasks/Café Sync").replace(
    "    var $count", '    function.run "Workers/Sync People" {\n      input = {user_id: $input.ad_user_id}\n'
                     '    } as $again\n    var $count')  # the same ID001 twice in one object
LONG = "reports/" + "monthly-revenue-by-region-and-product-line/" * 2 + "{id}"
ROUTES = {"api/App/api_group.xs": 'api_group App {\n  canonical = "abc123"\n}\n',
          "api/App/a_GET.xs": bare_endpoint(LONG), "api/App/b_GET.xs": bare_endpoint(LONG.replace("{id}", "{rid}"))}


def test_a_baseline_is_indented_utf8_json_with_a_count_per_finding_and_the_source_it_points_at(tmp_path):
    base = tmp_path / "out" / "new" / "baseline.json"  # folders made as needed
    result = lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": TWICE, **ROUTES}, write_baseline=base, select="ID001,RT001")
    assert result.baseline_written == 4
    text = base.read_text(encoding="utf-8")
    assert text.startswith('{\n  "version": 1,\n  "tool": "xanoctl lint",\n  "findings": [\n    {\n      "path": ')
    assert text.endswith("\n  ]\n}\n") and "\"object\": \"function Tasks/Café Sync\"" in text  # é, not \\u00e9
    entries = json.loads(text)["findings"]
    id001 = next(e for e in entries if e["code"] == "ID001")
    assert (id001["path"], id001["count"], id001["source"]) == ("../../ws/t.xs", 2, "user_id")
    routes = sorted(e["source"] for e in entries if e["code"] == "RT001")
    assert routes[0] == f'query "{LONG}"' and len(routes[0]) > 60  # not cut short


def test_a_baseline_hides_as_many_copies_as_it_counted_and_reports_one_more(tmp_path):
    base = tmp_path / "baseline.json"
    lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": TWICE}, write_baseline=base, select="ID001")
    assert lint(tmp_path / "ws", {}, baseline=base, select="ID001").findings == []
    third = TWICE.replace("    var $count", '    function.run "Workers/Sync People" {\n'
                                           '      input = {user_id: $input.ad_user_id}\n    } as $third\n    var $count')
    result = lint(tmp_path / "ws", {"t.xs": third}, baseline=base, select="ID001")
    assert [f.code for f in result.findings] == ["ID001"] and result.baselined == 2


def test_a_baseline_reports_findings_of_files_and_objects_it_does_not_know(tmp_path):
    base = tmp_path / "baseline.json"
    lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": CALLER}, write_baseline=base, select="ID001")
    other = CALLER.replace("Tasks/Sync People", "Tasks/Other")
    result = lint(tmp_path / "ws", {"o.xs": other}, baseline=base, select="ID001")
    assert [(Path(f.path).name, f.code) for f in result.findings] == [("o.xs", "ID001")] and result.baselined == 1


def test_an_older_baseline_entry_without_object_or_count_hides_one_finding(tmp_path):
    base = tmp_path / "baseline.json"
    broken = 'function "b" {\n  stack {\n    var $x { value = \n  }\n}\n'
    lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": TWICE, "b.xs": broken}, write_baseline=base, select="ID001,XS001")
    data = json.loads(base.read_text(encoding="utf-8"))
    for entry in data["findings"]:
        del entry["count"]
        if entry["code"] == "XS001":
            assert entry["object"] == "" and entry["source"] == ""  # the file does not parse
            del entry["object"]
    base.write_text(json.dumps(data), encoding="utf-8")
    result = lint(tmp_path / "ws", {}, baseline=base, select="ID001,XS001")
    assert [f.code for f in result.findings] == ["ID001"] and result.baselined == 2  # one ID001 of two


def test_a_baseline_never_holds_a_credential_and_still_knows_its_finding_reworded(tmp_path):
    secret = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    leaky = ('function "Workers/Charge" {\n  input {\n  }\n  stack {\n    api.request {\n'
             '      url = "https://api.example.com/v1/charges"\n'
             f'      headers = ["X-Api-Key: {secret}"]\n    }} as $charge\n  }}\n  response = $charge\n}}\n')
    base = tmp_path / "baseline.json"
    lint(tmp_path / "ws", {"c.xs": leaky}, write_baseline=base, select="SEC001")
    text = base.read_text(encoding="utf-8")
    assert '"code": "SEC001"' in text and secret[4:] not in text and secret[-8:] not in text
    data = json.loads(text)
    data["findings"][0]["message"] = "worded otherwise by a newer xanoctl"
    base.write_text(json.dumps(data), encoding="utf-8")
    result = lint(tmp_path / "ws", {}, baseline=base, select="SEC001")
    assert result.findings == [] and result.baselined == 1  # matched by the masked source it points at


def test_a_file_that_is_not_utf8_is_baselined_with_no_source(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "latin.xs").write_bytes(b'function "a" {\n  stack {\n    var $x { value = "caf\xe9" }\n  }\n}\n')
    base = tmp_path / "baseline.json"
    lint(tmp_path / "ws", {}, write_baseline=base)
    [entry] = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert (entry["code"], entry["source"]) == ("XS001", "")


def test_a_baseline_records_the_whole_comment_an_unused_suppression_points_at(tmp_path):
    caller = CALLER.replace("    function.run", "    // xanoctl: ignore[XR001] TODO FIX\n    function.run")
    base = tmp_path / "baseline.json"
    lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": caller}, write_baseline=base, select="XS900,XR001")
    [entry] = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert (entry["code"], entry["source"]) == ("XS900", "// xanoctl: ignore[XR001] TODO FIX")


@pytest.mark.parametrize("content, fix", [
    ("{not json", "cannot be read (Expecting property name"),
    ('{"findings": [{"code": "ID001"}]}', ": malformed entry {'code': 'ID001'}")])
def test_a_damaged_baseline_is_a_usage_error_that_says_to_write_it_again(tmp_path, content, fix):
    base = tmp_path / "baseline.json"
    base.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        lint(tmp_path / "ws", {"w.xs": WORKER}, baseline=base)
    assert str(caught.value).startswith(f"baseline {base}") and fix in str(caught.value)


def test_a_baseline_that_cannot_be_written_says_why(tmp_path):
    base = tmp_path / "baseline.json"
    base.mkdir()  # a folder where the file should go
    with pytest.raises(UsageError) as caught:
        lint(tmp_path / "ws", {"w.xs": WORKER, "t.xs": CALLER}, write_baseline=base)
    assert str(caught.value) == f"cannot write the baseline {base}: Is a directory"


# ---------------------------------------------------------------------------- RT001


def test_rt001_finds_the_api_group_in_a_folder_above_the_endpoint(tmp_path):
    files = {"api/App/api_group.xs": 'api_group App {\n  canonical = "abc123"\n}\n',
             "api/App/users/{id}_GET.xs": bare_endpoint("users/{id}"),
             "api/App/users/{user_id}_GET.xs": bare_endpoint("users/{user_id}"),
             "api/App/users/{id}/posts/{post}_GET.xs": bare_endpoint("users/{id}/posts/{post}"),
             "api/App/users/{user}/posts/{p}_GET.xs": bare_endpoint("users/{user}/posts/{p}")}
    result = lint(tmp_path, files, select="RT001")
    routes = sorted(f.message.split(" is the same route")[0] for f in result.findings)
    assert routes == ["`GET users/{id}/posts/{post}` of API group `App`", "`GET users/{id}` of API group `App`",
                      "`GET users/{user_id}` of API group `App`", "`GET users/{user}/posts/{p}` of API group `App`"]


def test_rt001_leaves_endpoints_of_no_known_group_alone(tmp_path):
    files = {"api/App/users/{id}_GET.xs": bare_endpoint("users/{id}"),
             "api/App/users/{user_id}_GET.xs": bare_endpoint("users/{user_id}")}
    assert lint(tmp_path, files, select="RT001").findings == []


# ---------------------------------------------------------------------------- SEC002


def request(settings: str) -> str:
    lines = "".join(f"      {line}\n" for line in settings.splitlines())
    return ('function "Partners/Fetch" {\n  input {\n  }\n  stack {\n    api.request {\n'
            f'      url = "https://partner.example.com"\n{lines}    }} as $items\n  }}\n  response = $items\n}}\n')


def test_sec002_flags_the_quoted_false_as_it_flags_false(tmp_path):
    files = {"a.xs": request('verify_peer = "false"'), "b.xs": request('verify_host = "FALSE"'),
             "c.xs": request("verify_peer = false")}
    result = lint(tmp_path, files, select="SEC002")
    assert sorted((Path(f.path).name, f.line, f.message.split(":")[0]) for f in result.findings) == [
        ("a.xs", 7, "`api.request` with `verify_peer = false`"), ("b.xs", 7, "`api.request` with `verify_host = false`"),
        ("c.xs", 7, "`api.request` with `verify_peer = false`")]


def test_sec002_leaves_the_quoted_true_and_other_words_alone(tmp_path):
    files = {"a.xs": request('verify_peer = "true"'), "b.xs": request('verify_host = "no"'),
             "c.xs": request("verify_peer = $input.verify")}
    assert lint(tmp_path, files, select="SEC002").findings == []
