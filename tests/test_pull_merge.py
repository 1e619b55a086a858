"""`pull` merges an object changed on both sides since the last pull (issue 21, safety 5): a
three-way merge with the content last pulled as the base, the merged text (or conflict markers,
which lint reports as XS001 so that they cannot be pushed) written to the file, and the new
remote recorded as the base, so that the next push goes through without --force. End to end
through the CLI against the emulator over HTTP."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402

NAME = "Utils/f01"
PATH = fn_path(NAME)


def remote_value(shop, value: str) -> str:
    source = function_source(NAME, f'"{value}"')
    shop.remote_edit(NAME, source)
    return source


def test_changes_to_different_lines_merge_cleanly_and_push_without_force(shop):
    shop.write(PATH, edited(shop.read(PATH), "mine"))
    remote_value(shop, "theirs")
    assert "conflict" in shop.cli("push", code=1).output  # as before: the push refuses
    result = shop.cli("pull")
    assert f"  merged   {PATH}: your edits and the remote's" in result.output
    assert "1 merged" in result.output
    merged = shop.read(PATH)
    assert 'value = "mine"' in merged and 'value = "theirs"' in merged and "<<<<<<<" not in merged
    status = shop.cli("status", "--json").output
    assert '"state": "modified locally"' in status and '"conflict"' not in status
    assert "would push (1 to update)" in shop.cli("push", "--dry-run").output
    shop.cli("push")  # no --force: the base is the remote now
    assert shop.remote()[("function", NAME)] == merged


def test_changes_to_the_same_lines_leave_markers_that_cannot_be_pushed(shop):
    shop.write(PATH, shop.read(PATH).replace(f'value = "{NAME}"', 'value = "mine"'))
    remote_value(shop, "theirs")
    result = shop.cli("pull", code=1)
    assert f"  merged   {PATH}: 1 conflict(s) between <<<<<<< and >>>>>>> markers to resolve" in result.output
    assert "merge(s) left conflict markers" in result.stderr and "then push" in result.stderr
    text = shop.read(PATH)
    assert ('<<<<<<< local (your edit)\n      value = "mine"\n=======\n      value = "theirs"\n'
            '>>>>>>> remote (Xano)\n') in text
    lint = shop.cli("lint", f"workspace/{PATH}", code=1)
    assert "XS001" in lint.output and "unresolved merge conflict" in lint.output
    before = shop.remote()
    refused = shop.cli("push", code=1)
    assert "XS001" in refused.output and "lint errors in the files to push" in refused.stderr
    assert shop.remote() == before
    # resolved by hand: pushed without --force
    resolved = text.replace('<<<<<<< local (your edit)\n      value = "mine"\n=======\n', "").replace(
        ">>>>>>> remote (Xano)\n", "").replace('"theirs"', '"both"')
    shop.write(PATH, resolved)
    shop.cli("push")
    assert shop.remote()[("function", NAME)] == resolved


def test_the_base_is_found_in_git_when_xanoctl_kept_no_copy(shop):
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)
    shop.write(PATH, edited(shop.read(PATH), "mine"))
    remote_value(shop, "theirs")
    assert "your edits and the remote's" in shop.cli("pull").output


def test_a_spacing_only_edit_takes_the_remote_change(shop):
    shop.write(PATH, shop.read(PATH) + "\n")
    source = remote_value(shop, "theirs")
    result = shop.cli("pull")
    assert "merged" not in result.output and shop.read(PATH) == source


def test_a_local_edit_survives_a_remote_rename(shop):
    shop.write(PATH, edited(shop.read(PATH), "mine"))
    mine = shop.read(PATH)

    def rename(state):
        obj = shop.stored("function", NAME)
        state.store.replace(obj, name="Utils/renamed", xanoscript=obj.xanoscript.replace(NAME, "Utils/renamed"),
                            verb=None, description="", tags=[], fields={}, publish=True)
    shop.emu.mutate(rename)
    result = shop.cli("pull")
    assert f"merged   {fn_path('Utils/renamed')} (from {PATH})" in result.output
    assert not (shop.ws / PATH).exists()
    moved = shop.read(fn_path("Utils/renamed"))
    assert 'value = "mine"' in moved and 'function "Utils/renamed"' in moved and moved != mine
