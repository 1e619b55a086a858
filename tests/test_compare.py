"""`xanoctl compare`: two versions of a workspace object by object, from folders, git revisions
and live branches (through the emulator over HTTP)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import cli_env
from xanoctl.xano.client import XanoClient
from xanoctl.config import HttpSettings

WORKER = "function/Workers/FUB - Sync People.xs"
TASK = "task/FUB - Sync People.xs"
CHUNK = "function/Utils/Arrays - Chunk.xs"
PROFILE = "function/Workers/Users - Load Profile.xs"
DIGEST = "function/Tasks/Slack - Daily Digest.xs"
LOG = "function/Utils/Log - Sync Run.xs"
ENDPOINT = "api/App/users/_user_id__GET.xs"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo workspace, pulled once from the emulator."""
    emulator = run_in_thread(seed="demo")
    root = tmp_path_factory.mktemp("demo")
    env = cli_env(emulator, tmp=root)
    result = CliRunner().invoke(main, ["pull", "--dir", str(root / "v1")], env=env)
    assert result.exit_code == 0, result.output
    yield emulator, root / "v1", env
    emulator.stop()


def edit(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def plant(v1: Path, v2: Path) -> None:
    """A copy of v1 with a difference of every aspect, a rename by guid, an object added and
    one removed, and a change of spacing only."""
    shutil.copytree(v1, v2)
    edit(v2, WORKER, "    int ad_user_id?\n", "    text ad_user_id\n    bool dry_run?\n")  # inputs
    edit(v2, WORKER, '    function.run "Utils/HTTP - Auth Headers" {',
         '    db.add sync_log {\n      data = {ok: true}\n    }\n    function.run "Utils/HTTP - Auth Headers" {')  # tables
    edit(v2, TASK, "freq: 86400", "freq: 3600")  # schedule
    edit(v2, TASK, "active = true", "active = false")
    profile = (v2 / PROFILE).read_text(encoding="utf-8")
    response = next(line for line in profile.splitlines() if line.startswith("  response = "))
    edit(v2, PROFILE, response, "  response = {user: $user, people: $people_count}")  # envelope
    edit(v2, DIGEST, "  stack {\n", '  stack {\n    function.run "Utils/Dates - Window Start" as $since\n')  # calls
    edit(v2, LOG, "  input {\n", "\n  input {\n\n")  # spacing only
    # a rename in the UI: the same guid under another name and path
    old = v2 / CHUNK
    old.rename(v2 / "function/Utils/Arrays - Split.xs")
    edit(v2, "function/Utils/Arrays - Split.xs", '"Utils/Arrays - Chunk"', '"Utils/Arrays - Split"')
    manifest = json.loads((v2 / "xanoctl.lock").read_text(encoding="utf-8"))
    for entry in manifest["objects"]:
        if entry["path"] == CHUNK:
            entry["path"], entry["name"] = "function/Utils/Arrays - Split.xs", "Utils/Arrays - Split"
    (v2 / "xanoctl.lock").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (v2 / "function/Archive/FUB - Sync People (old).xs").unlink()  # only in v1
    (v2 / "function/Utils/Text - Slugify.xs").write_text(
        'function "Utils/Text - Slugify" {\n  input {\n    text value\n  }\n  stack {\n  }\n'
        '  response = $input.value|to_lower\n}\n', encoding="utf-8")  # only in v2


@pytest.fixture(scope="module")
def sides(demo, tmp_path_factory):
    _, v1, _ = demo
    v2 = tmp_path_factory.mktemp("planted") / "v2"
    plant(v1, v2)
    return v1, v2


def objects(folder: Path) -> int:
    """How many objects a pulled folder holds."""
    return len(json.loads((folder / "xanoctl.lock").read_text(encoding="utf-8"))["objects"])


def run(*args: str, code: int = 0, env=None, cwd=None) -> str:
    result = CliRunner().invoke(main, ["compare", *args], env=env)
    assert result.exit_code == code, result.output
    return result.output


def as_json(*args: str, **kw) -> dict:
    return json.loads(run(*args, "--format", "json", **kw))


def test_every_aspect_object_by_object(sides):
    v1, v2 = map(str, sides)
    data = as_json(v1, v2)
    assert data["a"] == v1 and data["b"] == v2
    assert data["only_a"] == [{"kind": "function", "name": "Archive/FUB - Sync People (old)",
                               "path": "function/Archive/FUB - Sync People (old).xs"}]
    assert data["only_b"] == [{"kind": "function", "name": "Utils/Text - Slugify",
                               "path": "function/Utils/Text - Slugify.xs"}]
    assert data["renamed"] == [{"kind": "function", "a_name": "Utils/Arrays - Chunk", "b_name": "Utils/Arrays - Split",
                                "a_path": CHUNK, "b_path": "function/Utils/Arrays - Split.xs"}]
    changed = {item["name"]: item for item in data["changed"]}
    assert {name: item["aspects"] for name, item in changed.items()} == {
        "Workers/FUB - Sync People": ["inputs", "tables", "code"],
        "FUB - Sync People": ["schedule"],
        "Workers/Users - Load Profile": ["envelope", "code"],
        "Tasks/Slack - Daily Digest": ["calls", "code"],
        "Utils/Log - Sync Run": ["code"],
    }
    assert changed["Workers/FUB - Sync People"]["details"] == [
        "inputs: `ad_user_id` now required", "inputs: `ad_user_id` retyped int -> text",
        "inputs: `dry_run` added (bool, optional)", "tables: + sync_log (write)",
        "code: the stack or other settings changed"]
    assert changed["Workers/FUB - Sync People"]["added_lines"] == 5
    assert changed["Workers/FUB - Sync People"]["removed_lines"] == 1
    assert changed["FUB - Sync People"]["details"] == [
        "schedule: active true -> false",
        "schedule: daily from 2025-11-28 05:56:27 UTC -> hourly from 2025-11-28 05:56:27 UTC"]
    assert changed["Workers/Users - Load Profile"]["details"][0].startswith(
        "envelope: no longer answers the envelope")
    assert changed["Tasks/Slack - Daily Digest"]["details"][0] == "calls: + function Utils/Dates - Window Start"
    assert data["same"] == objects(sides[0]) - 1 - 1 - 5  # every object but the removed one, the renamed one, the changed
    assert not [item for item in data["changed"] if item["name"] == "Utils/Arrays - Split"]  # a rename alone


def test_text_and_markdown_reports(sides, snapshot):
    v1, v2 = sides
    text = run(str(v1), str(v2)).replace(str(v1), "v1").replace(str(v2), "v2")
    markdown = run(str(v1), str(v2), "--format", "markdown").replace(str(v1), "v1").replace(str(v2), "v2")
    assert text == snapshot(name="text")
    assert markdown == snapshot(name="markdown")


def test_filters_exit_code_whitespace_and_diffs(sides):
    v1, v2 = map(str, sides)
    run(v1, v2, "--exit-code", code=1)
    run(v1, v1, "--exit-code", code=0)
    tasks = as_json(v1, v2, "--kind", "task")
    assert [item["name"] for item in tasks["changed"]] == ["FUB - Sync People"]
    assert tasks["only_a"] == tasks["only_b"] == tasks["renamed"] == [] and tasks["same"] == 10
    workers = as_json(v1, v2, "--path", "function/Workers/")
    assert sorted(item["name"] for item in workers["changed"]) == ["Workers/FUB - Sync People",
                                                                   "Workers/Users - Load Profile"]
    quiet = as_json(v1, v2, "--ignore-whitespace")
    assert "Utils/Log - Sync Run" not in [item["name"] for item in quiet["changed"]]
    diffs = as_json(v1, v2, "--diff", "--kind", "task")
    assert diffs["changed"][0]["diff"].splitlines()[:2] == [f"--- a/{TASK}", f"+++ b/{TASK}"]
    assert "-  active = true" in diffs["changed"][0]["diff"] and "+  active = false" in diffs["changed"][0]["diff"]
    assert "      +    bool dry_run?" in run(v1, v2, "--diff", "--path", "function/Workers/FUB")


def test_git_revisions_of_the_workspace_folder(sides, tmp_path, monkeypatch):
    v1, v2 = sides
    root = tmp_path / "repo"
    shutil.copytree(v1, root / "workspace")
    (root / "xanoctl.yaml").write_text("dir: workspace\n", encoding="utf-8")
    repo = git.Repo.init(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
    repo.git.add("--all")
    repo.git.commit("-m", "v1")
    shutil.rmtree(root / "workspace")
    shutil.copytree(v2, root / "workspace")
    # copytree keeps mtimes and may reuse inodes: a changed file of the same size could look
    # unchanged to git's stat cache, so v2 is staged from a fresh index
    Path(repo.index.path).unlink()
    repo.git.add("--all")
    repo.git.commit("-m", "v2")
    (root / "workspace" / TASK).write_text((root / "workspace" / TASK).read_text().replace("hourly", "x"))
    edit(root / "workspace", TASK, "freq: 3600", "freq: 900")  # uncommitted, in the working tree
    monkeypatch.chdir(root)
    revs = as_json("rev:HEAD~1", "rev:HEAD")
    assert (revs["a"], revs["b"]) == ("rev:HEAD~1", "rev:HEAD")
    assert len(revs["changed"]) == 5 and len(revs["renamed"]) == 1 and revs["same"] == objects(v1) - 7
    tree = as_json("rev:HEAD", "workspace")
    assert [(item["name"], item["details"]) for item in tree["changed"]] == [
        ("FUB - Sync People", ["schedule: hourly from 2025-11-28 05:56:27 UTC -> every 15 min from "
                               "2025-11-28 05:56:27 UTC"])]
    error = CliRunner().invoke(main, ["compare", "rev:nope", "workspace"])
    assert error.exit_code == 2 and "unknown git revision 'nope'" in error.output
    assert error.output.count("\n") == 1


def test_a_git_revision_outside_a_repository_says_what_to_do_instead(sides, tmp_path, monkeypatch):
    v1, _ = sides
    shutil.copytree(v1, tmp_path / "plain" / "workspace")
    monkeypatch.chdir(tmp_path / "plain")
    error = CliRunner().invoke(main, ["compare", "rev:HEAD", "workspace"])
    assert error.exit_code != 0 and error.output.count("\n") == 1
    assert "is not inside a git repository" in error.output
    assert "compare the folder itself instead of rev:HEAD" in error.output and "pull" not in error.output


def test_two_live_branches_of_one_workspace(demo):
    emulator, v1, env = demo
    emulator.state.store.create_branch(emulator.workspace_id, "v2", None)
    with XanoClient(emulator.base_url, emulator.token, emulator.workspace_id, "v2", http=HttpSettings()) as client:
        worker = next(o for o in client.list_objects("function") if o.name == "Workers/FUB - Sync People")
        client.update("function", worker.id, worker.xanoscript.replace("    int ad_user_id?\n", "    int ad_user_id\n"))
    data = as_json("live", "live:v2", env=env)
    assert [(item["name"], item["details"]) for item in data["changed"]] == [
        ("Workers/FUB - Sync People", ["inputs: `ad_user_id` now required"])]
    assert data["only_a"] == data["only_b"] == data["renamed"] == [] and data["same"] == objects(v1) - 1
    same = as_json(f"live:{emulator.workspace_id}@v2", "live:v2", env=env)
    assert same["changed"] == [] and same["same"] == objects(v1)
    # the pulled folder against the live branch: the same object, told by guid and name
    assert [item["name"] for item in as_json(str(v1), "live:v2", env=env)["changed"]] == ["Workers/FUB - Sync People"]


def test_bad_sides_are_one_line_errors(demo, tmp_path):
    emulator, v1, env = demo
    missing = CliRunner().invoke(main, ["compare", str(tmp_path / "nope"), str(v1)])
    assert missing.exit_code == 2 and "no such folder" in missing.output and missing.output.count("\n") == 1
    unknown = CliRunner().invoke(main, ["compare", "live:nope", str(v1)], env=env)
    assert unknown.exit_code == 2 and "has no branch 'nope'" in unknown.output and unknown.output.count("\n") == 1
    down = CliRunner().invoke(main, ["compare", "live", str(v1)],
                              env={**env, "XANO_INSTANCE": "http://127.0.0.1:9/api:meta", "XANOCTL_HTTP_ATTEMPTS": "1"})
    assert down.exit_code == 1 and down.output.count("\n") == 1 and env["XANO_TOKEN"] not in down.output
