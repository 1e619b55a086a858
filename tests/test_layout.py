"""A workspace is recognised by what its files declare, in every layout it comes in: Xano's
export (``functions/``, ``apis/<group>/1654_name_POST.xs``...), the official CLI's (``function/``,
``api/<group>/``, ``ai/agent/``...) and the readable one; below a repository's root; several
side by side; a multidoc file as a workspace of its own. The workspace rules (XR001, DB001,
XR003) run on each, and `lint`, `graph`, `tasks`, `docs` and `compare` see the same workspaces."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.lint.api import lint_paths
from xanoctl.lint.files import find_xs
from xanoctl.lint.layout import Declared, declared, root_of, split

sys.path.insert(0, str(Path(__file__).parent))
from test_corpus import CORPUS  # noqa: E402


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def function(name: str, stack: str = "var $r { value = 1 }") -> str:
    return f'function "{name}" {{\n  input {{\n  }}\n  stack {{\n    {stack}\n  }}\n  response = $r\n}}\n'


def endpoint(name: str, verb: str, stack: str) -> str:
    return f'query "{name}" verb={verb} {{\n  api_group = "Shop"\n  input {{\n  }}\n  stack {{\n    {stack}\n  }}\n' \
           f'  response = $r\n}}\n'


TABLE = "table user {\n  schema {\n    int id\n  }\n}\n"
CALLS_MISSING = 'function.run "Workers/Gone" as $r'
EMPTY_TABLE = 'db.get "" {\n      field_name = "id"\n      field_value = 1\n    } as $r'


def codes(result) -> list[tuple[str, str]]:
    return sorted((f.code, Path(f.path).name) for f in result.findings if f.code in ("XR001", "DB001", "XR003"))


# ---------------------------------------------------------------------------- the rule


def test_declared_reads_each_documents_first_line():
    assert declared(b'// note\n\nfunction "Tasks/Sync" {\n}\n') == (Declared("function", "Tasks/Sync"),)
    assert declared(b"\xef\xbb\xbfquery auth/login verb=POST {\n}") == (Declared("query", "auth/login"),)
    assert declared(b'table user {\n}\n---\nfunction "a \\"b\\"" {\n}\n---\n\n') == (
        Declared("table", "user"), Declared("function", 'a "b"'))
    assert declared(b"// only a comment\n") == ()
    assert declared(b"{ broken\n") == (Declared("", ""),)


@pytest.mark.parametrize("rel, document, root", [
    ("functions/12_validate.xs", Declared("function", "validate"), "ws"),  # Xano's export
    ("functions/emails/35_send.xs", Declared("function", "Emails/send"), "ws"),
    ("apis/shop/1654_auth_login_POST.xs", Declared("query", "auth/login"), "ws"),
    ("apis/shop/api_group.xs", Declared("api_group", "Shop"), "ws"),
    ("tables/triggers/1_on_insert.xs", Declared("table_trigger", "on_insert"), "ws"),
    ("realtime_channels/triggers/6_t.xs", Declared("realtime_trigger", "t"), "ws"),
    ("function/tasks/sync.xs", Declared("function", "Tasks/Sync"), "ws"),  # the official CLI
    ("api/shop/auth/login_POST.xs", Declared("query", "auth/login"), "ws"),
    ("ai/agent/trigger/t.xs", Declared("agent_trigger", "t"), "ws"),
    # realtime v2, nested under the server (and channel) in both layouts, and the older folders
    ("realtime/server/chat/chat.xs", Declared("realtime_server", "chat"), "ws"),
    ("realtime/server/chat/channel/rooms_room_id/rooms_room_id.xs", Declared("channel", "rooms/{room_id}"), "ws"),
    ("realtime/server/Chat/channel/rooms_{room_id}/channel.xs", Declared("channel", "rooms/{room_id}"), "ws"),
    ("realtime/server/chat/channel/rooms_room_id/message/send.xs", Declared("message", "send"), "ws"),
    ("realtime/server/chat/channel/rooms_room_id/trigger/gate.xs", Declared("channel_trigger", "gate"), "ws"),
    ("realtime/server/chat/trigger/gate.xs", Declared("realtime_server_trigger", "gate"), "ws"),
    ("realtime/server/trigger/gate.xs", Declared("realtime_server_trigger", "gate"), "ws"),
    ("realtime/channel/trigger/gate.xs", Declared("channel_trigger", "gate"), "ws"),
    ("workspace/trigger/on_error.xs", Declared("error_trigger", "On Error"), "ws"),
    ("branch/v_1.xs", Declared("branch", "v1"), "ws"),
    ("toolset/ops/tools.xs", Declared("toolset", "Ops/Tools"), "ws"),  # a type xanoctl does not know
    ("function/Tasks/Sync.xs", Declared("function", "Tasks/Sync"), "ws"),  # the readable layout
    ("function/functions/x.xs", Declared("function", "functions/x"), "ws"),  # a folder named as a kind's
    ("function/tasks/x.xs", Declared("function", "tasks/x"), "ws"),
    ("tasks/x.xs", Declared("function", "x"), None),  # a function where tasks are kept
    ("notes/x.xs", Declared("function", "x"), None),
    ("functions/x.xs", Declared("", ""), None),  # declares nothing
])
def test_root_of_each_layout(rel, document, root):
    top = os.path.join(os.sep, "repo", "ws")
    found = root_of(os.path.join(top, *rel.split("/")), document)
    assert found == (top if root else None)


def test_split_keeps_multidoc_files_and_loose_files_apart(tmp_path):
    write(tmp_path, {
        "a/functions/1_x.xs": function("x"), "a/workspace.xs": 'workspace "A" {\n}\n',
        "b/xanoctl.lock": "{}", "b/notes/moved.xs": function("y"),
        "all.xs": TABLE + "---\n" + function("z"), "loose/one.xs": function("w"),
    })
    files = find_xs(str(tmp_path))
    found = split(files, lambda path: Path(path).read_bytes(), [str(tmp_path / "b")])
    assert [(Path(w.root).relative_to(tmp_path).as_posix(), [Path(f).name for f in w.files], w.complete, w.multidoc)
            for w in found] == [
        ("a", ["1_x.xs", "workspace.xs"], True, False),  # workspace.xs: the nearest workspace above it
        ("all.xs", ["all.xs"], True, True),
        ("b", ["moved.xs"], True, False),
        ("loose", ["one.xs"], False, False),
    ]


# ---------------------------------------------------------------------------- lint, in each layout


def test_an_export_is_a_workspace(tmp_path):
    root = write(tmp_path / "export", {
        "functions/12_caller.xs": function("caller", CALLS_MISSING),
        "apis/shop/api_group.xs": 'api_group Shop {\n}\n',
        "apis/shop/1654_users_POST.xs": endpoint("users", "POST", EMPTY_TABLE),
        "tables/1_user.xs": TABLE,
    })
    # Xano exports a call of a deleted function as `function.run ""`: a named callee that the
    # export's files lack was left out of them (a trimmed export), so only the empty names count
    assert codes(lint_paths([root], use_cache=False)) == [("DB001", "1654_users_POST.xs")]
    write(root, {"functions/13_other.xs": function("other", 'function.run "" as $r')})
    assert codes(lint_paths([root], use_cache=False)) == [("DB001", "1654_users_POST.xs"), ("XR003", "13_other.xs")]
    # one file of it: the whole export is its workspace (its tables are known)
    assert codes(lint_paths([root / "apis" / "shop" / "1654_users_POST.xs"], use_cache=False)) == [
        ("DB001", "1654_users_POST.xs")]


def test_a_named_object_missing_from_an_export_is_not_reported_but_from_a_pull_it_is(tmp_path):
    export = write(tmp_path / "export", {
        "functions/12_caller.xs": function("caller", CALLS_MISSING),
        "functions/14_reader.xs": function("reader", 'db.get account {\n      field_name = "id"\n      field_value = 1\n    } as $r'),
        "tables/1_user.xs": TABLE,
    })
    assert codes(lint_paths([export], use_cache=False)) == []
    # the same files as `xanoctl pull` names them: the workspace is whole, the callee and table are gone
    pulled = write(tmp_path / "pulled", {
        "function/caller.xs": function("caller", CALLS_MISSING),
        "function/reader.xs": function("reader", 'db.get account {\n      field_name = "id"\n      field_value = 1\n    } as $r'),
        "table/user.xs": TABLE,
    })
    assert codes(lint_paths([pulled], use_cache=False)) == [("DB001", "reader.xs"), ("XR001", "caller.xs")]


def test_the_official_layout_linted_from_the_repository_root(tmp_path):
    repo = write(tmp_path / "repo", {
        "backend/function/tasks/sync.xs": function("Tasks/Sync", CALLS_MISSING),
        "backend/function/workers/pull.xs": function("Workers/Pull"),
        "backend/ai/agent/helper.xs": 'agent helper {\n}\n',
        "backend/table/user.xs": TABLE,
        "backend/api/shop/users_GET.xs": endpoint("users", "GET", 'task.call "Nightly" as $r'),
        "backend/task/nightly.xs": 'task Nightly {\n  stack {\n    function.run "Workers/Pull" as $r\n  }\n}\n',
    })
    assert codes(lint_paths([repo], use_cache=False)) == [("XR001", "sync.xs")]
    assert codes(lint_paths([repo / "backend" / "function" / "tasks"], use_cache=False)) == [("XR001", "sync.xs")]
    # XR003 sees the workspace's tasks: a call of one it lacks is reported
    (repo / "backend" / "task" / "nightly.xs").unlink()
    (repo / "backend" / "task" / "other.xs").write_text('task Other {\n  stack {\n  }\n}\n', encoding="utf-8")
    assert codes(lint_paths([repo], use_cache=False)) == [("XR001", "sync.xs"), ("XR003", "users_GET.xs")]


def test_several_workspaces_in_several_layouts_are_checked_apart(tmp_path):
    tree = write(tmp_path / "tree", {
        "shop/function/caller.xs": function("caller", 'function.run "helper" as $r'),
        "shop/table/user.xs": TABLE,
        "export/functions/1_caller.xs": function("caller", 'function.run "helper" as $r'),
        "export/tables/1_user.xs": TABLE,
        "crm/backend/function/helper.xs": function("helper"),
        "crm/backend/function/caller.xs": function("caller", 'function.run "helper" as $r'),
    })
    # `helper` is crm's: shop's call of it is reported, crm's is not (nor the export's: see above)
    result = lint_paths([tree], use_cache=False)
    assert [(f.code, f.path.split("tree/")[1]) for f in result.findings if f.code == "XR001"] == [
        ("XR001", "shop/function/caller.xs")]


def test_a_multidoc_file_is_a_workspace_of_its_own(tmp_path):
    tree = write(tmp_path / "tree", {
        "all.xs": TABLE + "---\n" + function("caller", 'function.run "helper" as $r') + "---\n"
                  + endpoint("users", "GET", EMPTY_TABLE),
        "ws/function/helper.xs": function("helper"),
        "ws/function/other.xs": function("other", 'function.run "caller" as $r'),
    })
    result = lint_paths([tree], use_cache=False)
    # never merged: all.xs does not see ws's `helper`, nor ws all.xs's `caller`
    assert [(f.code, f.path.split("tree/")[1], f.line) for f in result.findings if f.code in ("XR001", "DB001")] == [
        ("XR001", "all.xs", 11), ("DB001", "all.xs", 21), ("XR001", "ws/function/other.xs", 5)]
    # alone, it is the whole workspace: its own names are found
    (tree / "all.xs").write_text(TABLE + "---\n" + function("helper") + "---\n"
                                 + function("caller", 'function.run "helper" as $r'), encoding="utf-8")
    assert codes(lint_paths([tree / "all.xs"], use_cache=False)) == []


# ---------------------------------------------------------------------------- the views and compare


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_views_and_compare_see_the_workspace_below_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "repo", {
        "backend/function/tasks/sync.xs": function("Tasks/Sync", 'function.run "Workers/Pull" as $r'),
        "backend/function/workers/pull.xs": function("Workers/Pull"),
        "backend/function/workers/push.xs": function("Workers/Push", CALLS_MISSING),
        "backend/task/nightly.xs": 'task Nightly {\n  active = true\n  stack {\n    function.run "Tasks/Sync" as $r\n'
                                   '  }\n  schedule = [{starts_on: 2025-11-28 06:30:00+0000, freq: 86400}]\n}\n',
        "README.md": "# the repository\n",
    })
    graph = run("graph", "repo", "--format", "json")
    assert graph.exit_code == 0, graph.output
    data = json.loads(graph.stdout)
    assert "workspaces" not in data  # one workspace, found below the root
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        ("task:Nightly", "function:Tasks/Sync"), ("function:Tasks/Sync", "function:Workers/Pull"),
        ("function:Workers/Push", "function:Workers/Gone")}
    tasks = run("tasks", "repo", "--now", "2025-12-01T00:00:00Z")
    assert tasks.exit_code == 0 and "Nightly" in tasks.stdout and "Workers/Pull" in tasks.stdout
    docs = run("docs", "repo", "--out", "manual")
    assert docs.exit_code == 0, docs.output
    assert "Workers/Pull" in (tmp_path / "manual" / "functions.md").read_text(encoding="utf-8")
    assert "XR001" in (tmp_path / "manual" / "health.md").read_text(encoding="utf-8")  # the workspace rules ran
    # compare: the repository and the workspace folder are the same workspace
    (tmp_path / "copy").mkdir()
    write(tmp_path / "copy", {"function/workers/pull.xs": function("Workers/Pull", "var $r { value = 2 }"),
                              "function/tasks/sync.xs": function("Tasks/Sync", 'function.run "Workers/Pull" as $r'),
                              "function/workers/push.xs": function("Workers/Push", CALLS_MISSING),
                              "task/nightly.xs": (tmp_path / "repo/backend/task/nightly.xs").read_text()})
    compared = run("compare", "repo", "copy", "--path", "function/workers/")  # paths in the workspace
    assert compared.exit_code == 0, compared.output
    assert compared.stdout.startswith("repo -> copy: 0 only in repo, 0 only in copy, 0 renamed, 1 changed")


def test_graph_of_a_tree_of_exports_and_a_multidoc_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tree", {
        "shop/functions/1_caller.xs": function("caller", 'function.run "helper" as $r'),
        "shop/functions/2_helper.xs": function("helper"),
        "all.xs": function("caller", 'function.run "helper" as $r') + "---\n" + function("helper"),
    })
    data = json.loads(run("graph", "tree", "--format", "json").stdout)
    assert data["workspaces"] == [{"name": "all.xs", "path": "tree/all.xs"}, {"name": "shop", "path": "tree/shop"}]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [
        ("all.xs::function:caller", "all.xs::function:helper"), ("shop::function:caller", "shop::function:helper")]


# ---------------------------------------------------------------------------- the corpus


CORPUS_WORKSPACES = {  # folder -> the folder of its workspace, relative to it
    "Javier-ikon+lot-audit-scan": ".", "Rigby35X+barkhaus-saas": ".", "booga1234+flat_roof_v3": ".",
    "mflowtron+tracklnd-monorepo": "xano", "pankaj22-test+devGitSync": ".", "pyakku+resolutpro": ".",
}


def test_each_corpus_folder_is_the_workspace_it_is():
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    top = str(CORPUS.resolve())
    found = split(find_xs(top), lambda path: Path(path).read_bytes())
    assert {os.path.relpath(w.root, top): (len(w.files), w.complete) for w in found} == {
        os.path.normpath(os.path.join(folder, inner)): (len(find_xs(os.path.join(top, folder))), True)
        for folder, inner in CORPUS_WORKSPACES.items()}
    # and the workspace rules run on each: the statements on deleted tables (`db.get ""`) are found
    result = lint_paths([CORPUS], use_cache=False, select=["DB001"])
    assert {f.path.split("corpus/")[1].split("/")[0] for f in result.findings} == {
        "booga1234+flat_roof_v3", "pyakku+resolutpro"}
    assert all("names no table (an empty name)" in f.message for f in result.findings)


# ---------------------------------------------------------------------------- no workspace, no XanoScript


@pytest.mark.parametrize("command", ["graph", "tasks", "docs"])
def test_views_outside_a_project_say_there_is_no_workspace(tmp_path, monkeypatch, command):
    # the current folder holds workspaces (as the system's temp folder may) but is none itself
    write(tmp_path / "some" / "ws", {"function/x.xs": function("x"), "xanoctl.lock": "{}"})
    monkeypatch.chdir(tmp_path)
    result = run(command)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        "xanoctl: error: no workspace here (no xanoctl.yaml, no ./workspace folder, and this folder is not a "
        f"workspace's): name the workspace folder, e.g. `xanoctl {command} path/to/workspace`, or run "
        "`xanoctl init` and `xanoctl pull`")
    # a project whose workspace folder is not there yet
    (tmp_path / "xanoctl.yaml").write_text("instance: https://x.xano.io/api:meta\nworkspace: 1\ndir: backend\n")
    result = run(command)
    assert result.exit_code == 2
    assert "backend: the workspace folder named in" in result.output and "run `xanoctl pull`" in result.output
    # the current folder is a workspace's: it is read
    (tmp_path / "xanoctl.yaml").unlink()
    monkeypatch.chdir(tmp_path / "some" / "ws")
    assert run(command).exit_code == 0
    monkeypatch.chdir(tmp_path / "some" / "ws" / "function")
    assert run(command).exit_code == 0


@pytest.mark.parametrize("command", ["lint", "graph", "tasks", "docs"])
def test_an_explicit_path_with_no_xanoscript_is_an_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "README.md").write_text("# not XanoScript\n")
    result = run(command, "empty")
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        "xanoctl: error: empty: no XanoScript here (no *.xs file in this folder or below); name a workspace "
        "folder or .xs files")


def test_the_default_workspace_folder_may_be_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workspace").mkdir()
    assert run("lint").exit_code == 0
    assert run("tasks").output == "No tasks under workspace.\n"
