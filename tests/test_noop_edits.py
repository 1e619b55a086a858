"""Saving a file without changing it is no change (issue 21, safety 4): a final newline added by
an editor (or pre-commit's end-of-file-fixer), spaces trimmed or left at line ends, CRLF line
endings. Xano renders XanoScript from the object and would answer the same text back, so status,
diff and push do not count them, and the files stay byte for byte as the user saved them. End to
end through the CLI against the emulator over HTTP."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited, fn_path, shop  # noqa: E402,F401

from xanoctl.language.spacing import same  # noqa: E402

F1, F2 = fn_path("Utils/f01"), fn_path("Utils/f02")


def resave(shop, rel: str, change) -> bytes:
    data = change(shop.read(rel)).encode("utf-8")
    (shop.ws / rel).write_bytes(data)
    return data


def test_an_editor_final_newline_is_no_change_for_status_diff_and_push(shop):
    saved = resave(shop, F1, lambda text: text + "\n")
    stamp = shop.stored("function", "Utils/f01").updated_at
    status = shop.cli("status", "--exit-code")
    assert "modified" not in status.output
    assert "differs only in spacing Xano does not keep" in shop.cli("status", "--json").output
    assert shop.cli("diff").output.strip() == "" and shop.cli("diff", "--remote").output.strip() == ""
    result = shop.cli("push")
    assert "1 file differs only in spacing Xano does not keep (a final newline, spaces at line ends): not pushed" \
        in result.output and result.output.rstrip().endswith("nothing to push")
    assert shop.stored("function", "Utils/f01").updated_at == stamp  # nobody's updated_at bumped
    assert (shop.ws / F1).read_bytes() == saved  # the file stays as saved


def test_spaces_at_line_ends_and_crlf_are_no_change_either(shop):
    resave(shop, F1, lambda text: text.replace("\n", "  \n"))
    resave(shop, F2, lambda text: text.replace("\n", "\r\n") + "\r\n\r\n")
    assert shop.cli("status", "--exit-code").exit_code == 0
    assert "2 files differ only in spacing" in shop.cli("push", "--dry-run").output


def test_the_pulled_content_is_found_in_git_when_xanoctl_kept_no_copy(shop):
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)
    resave(shop, F1, lambda text: text + "\n")
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_real_change_with_a_final_newline_is_pushed_as_saved(shop):
    saved = resave(shop, F1, lambda text: edited(text, "real") + "\n")
    assert "modified locally" in shop.cli("status", "--exit-code", code=1).output
    assert "pushed 1 object(s)" in shop.cli("push").output
    assert shop.remote()[("function", "Utils/f01")].encode("utf-8") == saved


def test_spacing_inside_a_line_is_a_change(shop):
    """Spaces between words may be inside a string: only line ends and the file's ends are
    spacing Xano does not keep."""
    resave(shop, F1, lambda text: text.replace('value = "Utils/f01"', 'value = "Utils/f01 "'))
    resave(shop, F2, lambda text: text.replace("  stack {\n", "  stack {\n\n", 1))
    output = shop.cli("status", "--exit-code", code=1).output
    assert output.count("modified locally") >= 2


def test_same():
    assert same(b"a {\n  b\n}", b"a {  \r\n  b\t\r\n}\r\n\n")
    assert same(b"a {\n  \n}", b"a {\n\n}")  # Xano's indented blank lines
    assert not same(b"a {\n  b\n}", b"a {\n    b\n}")  # indentation
    assert not same(b'x = "a  b"', b'x = "a b"')
    assert not same(b"a\n\nb", b"a\nb")
    assert not same(b"\xff", b"\xff\n")
