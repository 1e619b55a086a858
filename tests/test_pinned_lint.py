"""What the linter reports or silences, as a user sees it, pinned where a one-line change used
to pass the whole suite (issue 27): a suppression's reach over a blank line, RT001's API group
from a folder above the endpoint, SEC002 on the quoted "false"."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from lintsamples import CALLER, WORKER  # noqa: E402

from xanoctl.lint.api import lint_paths  # noqa: E402


def lint(tmp_path: Path, files: dict[str, str], **options):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return lint_paths([tmp_path], use_cache=False, **options)


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


# ---------------------------------------------------------------------------- RT001


def bare_endpoint(path: str, verb: str = "GET") -> str:
    """An endpoint as exports write it, with no ``api_group`` setting."""
    return f'query "{path}" verb={verb} {{\n  input {{\n  }}\n  stack {{\n  }}\n  response = null\n}}\n'


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
