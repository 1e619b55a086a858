"""`xanoctl diff` through the CLI: against the pulled state (default), the live remote with
metadata differences, and a git revision; colour only when asked or on a terminal."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402


def local_changes(shop) -> None:
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "local"))
    shop.write("function/Utils/local-new.xs", function_source("Utils/local-new"))
    (shop.ws / fn_path("Utils/f04")).unlink()


def test_diff_against_the_pulled_state(shop, snapshot):
    local_changes(shop)
    result = shop.cli("diff")
    assert result.output == snapshot
    assert "\x1b[" not in result.output  # not a terminal: no colour
    assert shop.cli("diff", "--exit-code", code=1).output == result.output


def test_diff_of_selected_paths(shop):
    local_changes(shop)
    result = shop.cli("diff", "workspace/function/Utils/f04.xs")
    assert result.output.startswith("diff function/Utils/f04.xs  function 'Utils/f04' (id 4)\n")
    assert "+++ /dev/null" in result.output and "f01" not in result.output


def test_the_pulled_state_comes_from_git_when_no_copy_was_kept(shop):
    local_changes(shop)
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)
    result = shop.cli("diff", "workspace/function/Utils/f01.xs")
    assert '+    var $edit_local {' in result.output


def test_the_pulled_state_comes_from_the_remote_as_a_last_resort(shop):
    shutil.rmtree(shop.root / ".git")  # a workspace pulled but never committed
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "local"))
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)
    assert '+    var $edit_local {' in shop.cli("diff").output
    shop.remote_edit("Utils/f01", function_source("Utils/f01", "0"))
    shutil.rmtree(shop.root / ".xanoctl", ignore_errors=True)
    assert "the pulled version is not available" in shop.cli("diff").output


def test_diff_against_the_remote_with_metadata(shop, snapshot):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "local"))
    shop.remote_edit("Utils/f02", edited(function_source("Utils/f02", '"Utils/f02"'), "ui"))
    shop.emu.add("function", "Utils/remote-new", function_source("Utils/remote-new"))
    result = shop.cli("diff", "--remote")
    assert result.output == snapshot
    assert "# metadata: updated_at: '2025-01-06T09:00:02+00:00' (pulled) -> '2025-01-06T09:00:11+00:00' (remote)" \
        in result.output


def test_diff_against_a_revision(shop, snapshot):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "one"))
    shop.commit_all("one")
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "two"))
    (shop.ws / fn_path("Utils/f02")).unlink()
    result = shop.cli("diff", "--rev", "HEAD~1")
    assert result.output == snapshot
    assert shop.cli("diff", "--rev", "no-such-rev", code=2).stderr.startswith("xanoctl: error: unknown git revision")


def test_colour_when_asked(shop):
    local_changes(shop)
    result = shop.cli("diff", "--color")
    assert "\x1b[32m+" in result.output and "\x1b[31m-" in result.output


def test_remote_and_rev_together_is_a_usage_error(shop):
    assert "choose one" in shop.cli("diff", "--remote", "--rev", "HEAD", code=2).output
