"""`graph`, `tasks`, `docs` and `compare` on a tree that holds two workspaces (V1 and V2 pulled
side by side, a folder of exports) whose names clash: the same function with other callers, the
same endpoint, a task of the same name running another chain. Each command answers per
workspace, never mixing the two."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pydot
import pytest
from click.testing import CliRunner

from xanoctl.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from viewsamples import write_workspace  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")  # pydot's pyparsing calls


def task(schedule: str, active: str) -> str:
    return f'''
        task "Sync" {{
          active = {active}
          stack {{
            function.run "Tasks/Sync" as $r
          }}
          schedule = [{schedule}]
        }}
    '''


def function(name: str, body: str) -> str:
    return f'''
        function "{name}" {{
          input {{
          }}
          stack {{
            {body}
          }}
          response = $r
        }}
    '''


def endpoint(calls: str) -> str:
    return f'''
        query users verb=GET {{
          api_group = "Shop"
          input {{
          }}
          stack {{
            function.run "{calls}" as $r
          }}
          response = $r
        }}
    '''


WRITE = "db.add {} {{\n              data = {{}}\n            }} as $r"
V1 = {  # the task runs Tasks/Sync -> Workers/Pull (writes orders); GET users serves Tasks/Sync
    "task/sync.xs": task("{starts_on: 2025-11-28 06:30:00+0000, freq: 86400}", "true"),
    "function/Tasks/sync.xs": function("Tasks/Sync", 'function.run "Workers/Pull" as $r'),
    "function/Workers/pull.xs": function("Workers/Pull", WRITE.format("orders")),
    "api/shop/users.xs": endpoint("Tasks/Sync"),
}
V2 = {  # the task runs Tasks/Sync -> Workers/Push (writes invoices); GET users serves Workers/Push
    "task/sync.xs": task("{starts_on: 2025-11-28 07:00:00+0000, freq: 3600}", "false"),
    "function/Tasks/sync.xs": function("Tasks/Sync", 'function.run "Workers/Push" as $r'),
    "function/Workers/push.xs": function("Workers/Push", WRITE.format("invoices")),
    "api/shop/users.xs": endpoint("Workers/Push"),
}


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """``tree/v1`` and ``tree/v2``, pulled side by side (each with its xanoctl.lock)."""
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "tree" / "v1", V1)
    write_workspace(tmp_path / "tree" / "v2", V2)
    return tmp_path / "tree"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def refused(*args: str) -> list[str]:
    """The lines of a usage error (exit 2)."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    return result.output.strip().splitlines()


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


# ---------------------------------------------------------------------------- graph


def test_graph_json_keeps_the_workspaces_apart(tree):
    data = json.loads(ok("graph", "tree", "--format", "json"))
    assert data["workspaces"] == [{"name": "v1", "path": "tree/v1"}, {"name": "v2", "path": "tree/v2"}]
    ids = [node["id"] for node in data["nodes"]]
    assert len(ids) == len(set(ids))
    assert {n["id"]: n["workspace"] for n in data["nodes"] if n["name"] == "Tasks/Sync"} == {
        "v1::function:Tasks/Sync": "v1", "v2::function:Tasks/Sync": "v2"}
    edges = {(e["from"], e["to"], e["kind"], e["workspace"]) for e in data["edges"]}
    assert edges == {
        ("v1::task:Sync", "v1::function:Tasks/Sync", "runs", "v1"),
        ("v1::function:Tasks/Sync", "v1::function:Workers/Pull", "calls", "v1"),
        ("v1::function:Workers/Pull", "v1::table:orders", "writes", "v1"),
        ("v1::query:Shop:GET:users", "v1::function:Tasks/Sync", "serves", "v1"),
        ("v2::task:Sync", "v2::function:Tasks/Sync", "runs", "v2"),
        ("v2::function:Tasks/Sync", "v2::function:Workers/Push", "calls", "v2"),
        ("v2::function:Workers/Push", "v2::table:invoices", "writes", "v2"),
        ("v2::query:Shop:GET:users", "v2::function:Workers/Push", "serves", "v2"),
    }
    paths = {n["id"]: n["path"] for n in data["nodes"] if n["name"] == "users"}
    assert paths == {"v1::query:Shop:GET:users": "tree/v1/api/shop/users.xs",
                     "v2::query:Shop:GET:users": "tree/v2/api/shop/users.xs"}


def test_one_workspace_keeps_the_json_contract(tree):
    data = json.loads(ok("graph", "tree/v1", "--format", "json"))
    assert set(data) == {"nodes", "edges"}
    assert "function:Tasks/Sync" in {n["id"] for n in data["nodes"]}
    assert not any("workspace" in item for item in data["nodes"] + data["edges"])
    assert not any(n["name"] == "Workers/Push" for n in data["nodes"])


def test_graph_text_has_one_section_per_workspace(tree):
    out = ok("graph", "tree")
    assert out.startswith("Workspace v1 (tree/v1)\n6 objects (2 missing), 4 references\n")
    v1, v2 = out.split("\n\nWorkspace v2 (tree/v2)\n6 objects (2 missing), 4 references\n")
    assert "v1::function:Tasks/Sync  (tree/v1/function/Tasks/sync.xs)\n  calls   v1::function:Workers/Pull" in v1
    assert "Push" not in v1 and "Pull" not in v2
    assert "v2::query:Shop:GET:users  (tree/v2/api/shop/users.xs)\n  serves  v2::function:Workers/Push" in v2


def test_callers_of_a_name_in_both_workspaces_answers_for_each(tree):
    assert ok("graph", "tree", "--callers", "Tasks/Sync") == (
        "Workspace v1 (tree/v1)\n"
        "v1::function:Tasks/Sync\n"
        "├── v1::query:Shop:GET:users  (serves, line 6)\n"
        "└── v1::task:Sync  (runs, line 4)\n"
        "\n"
        "Workspace v2 (tree/v2)\n"
        "v2::function:Tasks/Sync\n"
        "└── v2::task:Sync  (runs, line 4)\n")
    # a workspace named with the name or the id answers for that one only
    only_v2 = "Workspace v2 (tree/v2)\nv2::function:Tasks/Sync\n└── v2::task:Sync  (runs, line 4)\n"
    assert ok("graph", "tree", "--callers", "v2::Tasks/Sync") == only_v2
    assert ok("graph", "tree", "--callers", "v2::function:Tasks/Sync") == only_v2
    # a name of one workspace only answers there
    assert ok("graph", "tree", "--callees", "Workers/Pull") == (
        "Workspace v1 (tree/v1)\nv1::function:Workers/Pull\n└── v1::table:orders  (writes, line 5)  (missing)\n")


def test_callers_as_json_and_focus_select_in_each_workspace(tree):
    data = json.loads(ok("graph", "tree", "--callers", "function:Tasks/Sync", "--format", "json"))
    assert {n["id"] for n in data["nodes"]} == {"v1::function:Tasks/Sync", "v1::query:Shop:GET:users",
                                                "v1::task:Sync", "v2::function:Tasks/Sync", "v2::task:Sync"}
    focus = json.loads(ok("graph", "tree", "--focus", "Workers/Push", "--depth", "1", "--format", "json"))
    assert focus["workspaces"] == [{"name": "v2", "path": "tree/v2"}]
    assert {n["id"] for n in focus["nodes"]} == {"v2::function:Workers/Push", "v2::function:Tasks/Sync",
                                                 "v2::query:Shop:GET:users", "v2::table:invoices"}


def test_unknown_and_ambiguous_names_are_one_line_errors(tree):
    result = run("graph", "tree", "--callers", "Workers/Pul")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "xanoctl: error: no object named 'Workers/Pul' in workspaces v1, v2; did you mean 'Workers/Pull' or 'Workers/Push'?")
    result = run("graph", "tree", "--callers", "v1::Nothing")
    assert result.exit_code == 2
    assert "no object named 'Nothing' in workspace v1" in result.output
    result = run("graph", "tree", "--callers", "Sync")  # in each workspace, a task and no other
    assert result.exit_code == 0 and "v1::task:Sync" in result.output and "v2::task:Sync" in result.output
    (tree / "v1" / "function" / "sync.xs").write_text(textwrap_function("Sync", "var $r { value = 1 }"))
    result = run("graph", "tree", "--callers", "Sync")  # two objects of v1: choose
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "xanoctl: error: 'Sync' is ambiguous: it names v1::function:Sync, v1::task:Sync; give the id"]


def test_drawings_have_one_cluster_per_workspace(tree):
    mermaid = ok("graph", "tree", "--format", "mermaid")
    assert mermaid.startswith('flowchart LR\n  subgraph w0["v1"]\n    subgraph c0["API Shop"]\n')
    assert '\n  subgraph w1["v2"]\n' in mermaid
    assert mermaid.count('["Tasks/Sync"]') == 2
    (graph,) = pydot.graph_from_dot_data(ok("graph", "tree", "--format", "dot"))
    outer = {sub.get_label(): sub for sub in graph.get_subgraphs()}
    assert set(outer) == {'"v1"', '"v2"'}
    inner = {sub.get_label(): [n.get_name() for n in sub.get_nodes()] for sub in outer['"v2"'].get_subgraphs()}
    assert inner['"Workers/"'] == ['"v2::function:Workers/Push"']


def test_exports_without_manifests_are_split_by_folder(tmp_path, monkeypatch):
    # a repository of exports: no xanoctl.lock, the workspaces found by their object folders
    monkeypatch.chdir(tmp_path)
    for name, files in (("shop (2024)", V1), ("crm", V2)):
        write_workspace(tmp_path / "exports" / name, files)
        (tmp_path / "exports" / name / "xanoctl.lock").unlink()
    data = json.loads(ok("graph", "exports", "--format", "json"))
    assert [w["name"] for w in data["workspaces"]] == ["crm", "shop (2024)"]
    assert {e["from"]: e["to"] for e in data["edges"] if e["from"].endswith("function:Tasks/Sync")} == {
        "crm::function:Tasks/Sync": "crm::function:Workers/Push",
        "shop (2024)::function:Tasks/Sync": "shop (2024)::function:Workers/Pull"}
    assert run("docs", "exports", "--out", "manual").exit_code == 0
    index = (tmp_path / "manual" / "README.md").read_text(encoding="utf-8")
    assert "| [shop (2024)](shop%20%282024%29/README.md) |" in index
    assert "Workers/Pull" in (tmp_path / "manual" / "shop (2024)" / "functions.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- tasks


def test_tasks_each_chain_in_its_own_workspace(tree):
    assert ok("tasks", "tree", "--now", "2025-12-01T00:00:00Z") == (
        "WORKSPACE  TASK  ACTIVE  SCHEDULE  NEXT RUN (UTC)\n"
        "v1         Sync  yes     daily     2025-12-01 06:30:00\n"
        "v2         Sync  no      hourly    — (inactive)\n"
        "\nSync (v1) runs:\n  └── Tasks/Sync\n      └── Workers/Pull\n  writes: orders\n"
        "\nSync (v2) runs:\n  └── Tasks/Sync\n      └── Workers/Push\n  writes: invoices\n")
    rows = json.loads(ok("tasks", "tree", "--json"))["tasks"]
    assert [(r["workspace"], r["name"], r["path"], r["writes"]) for r in rows] == [
        ("v1", "Sync", "tree/v1/task/sync.xs", ["orders"]), ("v2", "Sync", "tree/v2/task/sync.xs", ["invoices"])]
    assert rows[1]["chain"] == [{"function": "Tasks/Sync", "calls": [{"function": "Workers/Push", "calls": []}]}]
    # one workspace: no workspace column or field
    assert ok("tasks", "tree/v2").startswith("TASK  ACTIVE")
    assert "workspace" not in json.loads(ok("tasks", "tree/v2", "--json"))["tasks"][0]


# ---------------------------------------------------------------------------- docs


def test_docs_one_manual_per_workspace_with_an_index(tree, tmp_path):
    result = run("docs", "tree", "--out", "manual")
    assert result.exit_code == 0, result.output
    assert "Wrote the manual of 2 workspaces (17 pages) to manual" in result.stderr
    out = tmp_path / "manual"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == ["README.md"] + [
        f"{ws}/{page}" for ws in ("v1", "v2")
        for page in ("README.md", "ai.md", "api.md", "functions.md", "health.md", "pipelines.md", "states.md",
                     "tasks.md")]
    index = (out / "README.md").read_text(encoding="utf-8")
    assert "| [v1](v1/README.md) | 2 | 1 | 1 | 1 |" in index and "| [v2](v2/README.md) | 2 | 1 | 1 | 1 |" in index
    v1 = (out / "v1" / "functions.md").read_text(encoding="utf-8")
    v2 = (out / "v2" / "functions.md").read_text(encoding="utf-8")
    assert "Workers/Pull" in v1 and "Workers/Push" not in v1
    assert "Workers/Push" in v2 and "Workers/Pull" not in v2
    # each manual is the one of that workspace alone (but for its title, and its first line that
    # marks it a part of the manual above)
    assert run("docs", "tree/v2", "--out", "alone").exit_code == 0
    for page in ("README.md", "ai.md", "api.md", "functions.md", "health.md", "pipelines.md", "states.md", "tasks.md"):
        marker, several = (out / "v2" / page).read_text(encoding="utf-8").split("\n", 1)
        alone = (tmp_path / "alone" / page).read_text(encoding="utf-8").split("\n", 1)
        assert marker == ("<!-- Generated by xanoctl docs, part of the manual in a folder above: do not edit it "
                          "by hand. -->")
        assert alone[0].startswith("<!-- Generated by xanoctl docs: ")
        assert several.replace("# Operations manual: v2\n", "# Operations manual\n", 1) == alone[1]
    # --check sees a change in either workspace
    assert run("docs", "tree", "--out", "manual", "--check").exit_code == 0
    (tree / "v1" / "function" / "Workers" / "pull.xs").write_text(
        textwrap_function("Workers/Pull", WRITE.format("payments")), encoding="utf-8")
    stale = run("docs", "tree", "--out", "manual", "--check")
    assert stale.exit_code == 1
    lines = stale.stderr.splitlines()
    assert "manual/v1/tasks.md: out of date" in lines and all(line.startswith("manual/v1/") for line in lines[:-1])
    assert lines[-1].startswith(f"The manual in manual is out of date ({len(lines) - 1} of its files or folders)")


def test_docs_follows_the_workspaces_the_tree_holds(tree, tmp_path):
    out = tmp_path / "manual"
    # one workspace first: the pages at the top of the folder
    shutil.move(tree / "v2", tmp_path / "v2")
    assert run("docs", "tree", "--out", "manual").exit_code == 0  # tree holds v1 alone: a folder of one workspace
    shutil.move(tmp_path / "v2", tree / "v2")
    (out / "NOTES.md").write_text("# Our notes on the manual\n", encoding="utf-8")  # not xanoctl's
    # a second workspace appears: the one-workspace pages at the top are left over
    check = run("docs", "tree", "--out", "manual", "--check")
    assert check.exit_code == 1
    assert check.stderr.splitlines() == [
        "manual/README.md: out of date",
        *(f"manual/{page}: left over: a page the manual no longer has"
          for page in ("ai.md", "api.md", "functions.md", "health.md", "pipelines.md", "states.md", "tasks.md")),
        "manual/v1/: missing (8 pages)",
        "manual/v2/: missing (8 pages)",
        "The manual in manual is out of date (10 of its files or folders); regenerate it with "
        "`xanoctl docs --out manual`"]
    wrote = run("docs", "tree", "--out", "manual")
    assert wrote.exit_code == 0
    assert wrote.stderr.splitlines()[1] == (
        "Removed 7 pages the manual no longer has: manual/ai.md, manual/api.md, manual/functions.md, manual/health.md, "
        "manual/pipelines.md, manual/states.md, manual/tasks.md")
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("*")) == ["NOTES.md", "README.md", "v1", "v2"]
    assert run("docs", "tree", "--out", "manual", "--check").exit_code == 0
    # a workspace goes: its folder is left over, reported as one line, then removed but for
    # a file xanoctl did not write
    shutil.rmtree(tree / "v2")
    write_workspace(tree / "exports" / "v3", V2)
    assert run("docs", "tree", "--out", "manual").exit_code == 0
    (out / "v1" / "diagram.png").write_bytes(b"\x89PNG")
    shutil.rmtree(tree / "exports")
    check = run("docs", "tree", "--out", "manual", "--check")
    assert check.exit_code == 1
    lines = check.stderr.splitlines()
    assert "manual/exports/: left over: 8 pages the manual no longer has" in lines
    assert "manual/v1/README.md: left over: a page the manual no longer has" in lines
    wrote = run("docs", "tree", "--out", "manual")
    assert wrote.stderr.splitlines() == [
        "Wrote the manual (8 pages) to manual",
        "Removed 16 pages the manual no longer has: manual/exports/, manual/v1/README.md, manual/v1/ai.md, "
        "manual/v1/api.md, "
        "manual/v1/functions.md, manual/v1/health.md, manual/v1/pipelines.md, manual/v1/states.md, "
        "manual/v1/tasks.md"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "NOTES.md", "README.md", "ai.md", "api.md", "functions.md", "health.md", "pipelines.md", "states.md",
        "tasks.md", "v1", "v1/diagram.png"]
    assert run("docs", "tree", "--out", "manual", "--check").exit_code == 0


def textwrap_function(name: str, body: str) -> str:
    import textwrap

    return textwrap.dedent(function(name, body)).lstrip()


def test_docs_on_stdout_one_page_whose_links_all_resolve(tree):
    page = ok("docs", "tree")
    assert page.startswith("# Operations manuals\n")
    assert "\n## Operations manual: v1\n" in page and "\n## Operations manual: v2\n" in page
    anchors = re.findall(r'<a id="([^"]+)"></a>', page)
    assert len(anchors) == len(set(anchors))
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links and links <= set(anchors)
    assert "[Workers/Push](#workspace-v2-function-workers-push)" in page


# ---------------------------------------------------------------------------- compare


def test_compare_a_side_is_one_workspace(tree, tmp_path):
    shutil.copytree(tree, tmp_path / "copy")
    assert refused("compare", "tree", "copy") == [
        "xanoctl: error: tree holds 2 workspaces (tree/v1, tree/v2): a side is one workspace; name its "
        "folder, e.g. tree/v1"]
    result = run("compare", "copy/v2", "tree")
    assert result.exit_code == 2 and "tree holds 2 workspaces" in result.output
    out = ok("compare", "tree/v1", "tree/v2")
    assert out.startswith("tree/v1 -> tree/v2: 1 only in tree/v1, 1 only in tree/v2, 0 renamed, 3 changed")


def committed(root: Path, message: str) -> None:
    """Everything under ``root`` (a git repository, made on the first call) committed."""
    import git

    repo = git.Repo(root) if (root / ".git").is_dir() else git.Repo.init(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
    if Path(repo.index.path).exists():  # a fresh index: git's stat cache could miss a same-size change
        Path(repo.index.path).unlink()
    repo.git.add("--all")
    repo.git.commit("-m", message, "--allow-empty")


def test_compare_a_revision_is_one_workspace(tree, tmp_path):
    # HEAD~1: the folder held v1 and v2 side by side; HEAD: v1 alone, pulled into the folder itself
    committed(tmp_path, "two workspaces")
    shutil.rmtree(tree)
    write_workspace(tree, V1)
    committed(tmp_path, "one workspace")
    assert refused("compare", "rev:HEAD~1", "rev:HEAD", "--dir", "tree") == [
        "xanoctl: error: rev:HEAD~1: tree held 2 workspaces at HEAD~1 (tree/v1, tree/v2): a side is one workspace; "
        "name its folder with --dir, e.g. --dir tree/v1"]
    assert "rev:HEAD~1: tree held 2 workspaces" in run("compare", "tree", "rev:HEAD~1", "--dir", "tree").output
    # the same revision, one of its workspaces named (a folder gone from the working tree)
    out = ok("compare", "rev:HEAD~1", "tree", "--dir", "tree/v1")
    assert out.startswith("rev:HEAD~1 -> tree: 0 only in rev:HEAD~1, 0 only in tree, 0 renamed, 0 changed")
    assert refused("compare", "rev:HEAD", "tree", "--dir", "tree/v1") == [
        "xanoctl: error: tree/v1: no workspace folder to read rev:HEAD of (see `dir` in xanoctl.yaml, or --dir)"]
    # and the folder of one workspace at either revision compares as before
    (tree / "function" / "Workers" / "pull.xs").write_text(
        textwrap_function("Workers/Pull", WRITE.format("payments")), encoding="utf-8")
    committed(tmp_path, "v1 writes payments")
    assert "1 changed" in ok("compare", "rev:HEAD~1", "rev:HEAD", "--dir", "tree")


def test_compare_a_revision_of_exports_is_split_by_folder(tmp_path, monkeypatch):
    # a repository of exports (no xanoctl.lock) read at its root: `dir` is the repository itself
    monkeypatch.chdir(tmp_path)
    for name, files in (("shop", V1), ("crm", V2)):
        write_workspace(tmp_path / name, files)
        (tmp_path / name / "xanoctl.lock").unlink()
    (tmp_path / "README.md").write_text("exports\n", encoding="utf-8")
    committed(tmp_path, "exports")
    assert refused("compare", "rev:HEAD", "shop", "--dir", ".") == [
        "xanoctl: error: rev:HEAD: the workspace folder held 2 workspaces at HEAD (crm, shop): a side is one "
        "workspace; name its folder with --dir, e.g. --dir crm"]
    assert "0 changed" in ok("compare", "rev:HEAD", "shop", "--dir", "shop")
    # one workspace without manifest nor function/ folder (tasks and endpoints only) is one side
    assert "0 changed" in ok("compare", "rev:HEAD", "crm/task", "--dir", "crm/task")
