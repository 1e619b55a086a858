"""`xanoctl status` through the CLI against the emulator: every state, text and JSON
(snapshots), --exit-code, --offline and PATH selection."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import FUNCTIONS, edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402


def every_state(shop) -> None:
    """One object in each state."""
    original = function_source("Utils/f02", '"Utils/f02"')
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "local"))
    shop.remote_edit("Utils/f02", edited(original, "ui"))
    shop.remote_edit("Utils/f03", edited(function_source("Utils/f03", '"Utils/f03"'), "ui"))
    shop.write(fn_path("Utils/f03"), edited(shop.read(fn_path("Utils/f03")), "local"))
    (shop.ws / fn_path("Utils/f04")).unlink()
    gone = shop.stored("function", "Utils/f05")
    shop.emu.mutate(lambda state: state.store.remove(state.store.workspace(shop.emu.workspace_id).live,
                                                     "function", gone.id))
    shop.remote_edit("Utils/f06", shop.read(fn_path("Utils/f06")))  # saved without a change
    shop.write("function/Utils/local-new.xs", function_source("Utils/local-new"))
    shop.emu.add("function", "Utils/remote-new", function_source("Utils/remote-new"))
    shop.emu.add("function", "Utils/both-new", function_source("Utils/both-new"))
    shop.write("function/Utils/both-new.xs", function_source("Utils/both-new", "2"))


def test_a_freshly_pulled_workspace_is_unchanged(shop):
    result = shop.cli("status", "--exit-code")
    assert result.output.startswith("workspace 1, branch (live): 10 objects: 10 unchanged")


def test_every_state_in_text(shop, snapshot):
    every_state(shop)
    result = shop.cli("status")
    assert result.output == snapshot
    assert shop.cli("status", "--exit-code", code=1).output == result.output


def test_every_state_in_json(shop, snapshot):
    every_state(shop)
    data = json.loads(shop.cli("status", "--json").output)
    assert data == snapshot
    states = {o["name"]: o["state"] for o in data["objects"]}
    assert states["Utils/f01"] == "modified locally"
    assert states["Utils/f02"] == "changed remotely"
    assert states["Utils/f03"] == "conflict"
    assert states["Utils/f04"] == "deleted locally"
    assert states["Utils/f05"] == "deleted remotely"
    assert states["Utils/f06"] == "unchanged"
    assert states["Utils/local-new"] == "new locally"
    assert states["Utils/remote-new"] == "new remotely"
    assert states["Utils/both-new"] == "conflict"


def test_offline_shows_local_changes_only(shop, snapshot):
    every_state(shop)
    shop.emu.stop()
    result = shop.cli("status", "--offline")
    assert result.output == snapshot


def test_paths_select_objects(shop):
    every_state(shop)
    data = json.loads(shop.cli("status", "--json", "workspace/function/Utils/f01.xs",
                               "workspace/function/Utils/f03.xs").output)
    assert [(o["path"], o["state"]) for o in data["objects"]] == [
        ("function/Utils/f01.xs", "modified locally"), ("function/Utils/f03.xs", "conflict")]


def test_a_path_outside_the_workspace_is_a_usage_error(shop):
    result = shop.cli("status", "xanoctl.yaml", code=2)
    assert "is not inside the workspace folder" in result.stderr


def test_no_manifest_says_to_pull(shop):
    (shop.ws / "xanoctl.lock").unlink()
    result = shop.cli("status", code=1)
    assert "run `xanoctl pull` first" in result.stderr


def test_a_file_a_killed_pull_already_wrote_is_changed_remotely_not_a_conflict(shop):
    """A pull killed after putting a file in place, before xanoctl.lock: the file holds the
    remote version, which is no local edit; the next pull records it."""
    path = fn_path(FUNCTIONS[0])
    shop.remote_edit(FUNCTIONS[0], edited(shop.read(path), "remote"))
    shop.write(path, shop.remote()[("function", FUNCTIONS[0])])  # as the killed pull left it
    item = next(o for o in json.loads(shop.cli("status", "--json").output)["objects"] if o["path"] == path)
    assert item["state"] == "changed remotely" and "already holds the remote version" in item["note"]
    shop.cli("pull")
    assert json.loads(shop.cli("status", "--json").output)["differs"] is False
