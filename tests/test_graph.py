"""`xanoctl graph`: edges of every kind on hand-written workspaces, the JSON contract, the
callers/callees trees, name resolution, focus, and the drawings (dot parsed by pydot)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import jsonschema
import pydot
import pytest
from click.testing import CliRunner

from xanoctl.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from viewsamples import write_workspace  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")  # pydot's pyparsing calls

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "workspace"

FILES = {
    "task/nightly.xs": '''
        task "Nightly" {
          active = true
          stack {
            function.run "Tasks/Nightly" as $r
          }
          schedule = [{starts_on: 2025-11-28 06:30:00+0000, freq: 86400}]
        }
    ''',
    "function/Tasks/nightly.xs": '''
        function "Tasks/Nightly" {
          input {
            int ad_user_id?
          }
          stack {
            db.query staging as $rows
            foreach ($rows) {
              each as $row {
                function.run "Workers/Load" {
                  input = {row: $row}
                } as $loaded
              }
            }
            conditional {
              if ($rows|count > 0) {
                function.call "Workers/Report" as $report
              }
              else {
                function.run "Workers/Gone" as $gone
              }
            }
            db.truncate staging
          }
          response = {success: true, data: null, error: null}
        }
    ''',
    "function/Workers/load.xs": '''
        function "Workers/Load" {
          input {
            json row
          }
          stack {
            db.get person {
              field_name = "id"
              field_value = $input.row.id
            } as $found
            db.has person {
              field_name = "email"
              field_value = $input.row.email
            } as $known
            db.count person as $total
            db.add_or_edit person {
              field_name = "id"
              field_value = $input.row.id
              data = {name: $input.row.name}
            } as $saved
            db.bulk.add audit {
              items = [$saved]
            } as $logged
            function.run "Workers/Report" as $again
          }
          response = {success: true, data: $saved, error: null}
        }
    ''',
    "function/Workers/report.xs": '''
        function "Workers/Report" {
          stack {
            db.edit person {
              field_name = "id"
              field_value = 1
              data = {seen: true}
            } as $p
            db.patch person {
              field_name = "id"
              field_value = 1
              data = {seen: false}
            } as $q
            db.del audit {
              field_name = "id"
              field_value = 1
            }
            db.add audit {
              data = {ok: true}
            } as $a
            function.run "Workers/Load" {
              input = {row: {}}
            } as $cycle
          }
          response = {success: true, data: null, error: null}
        }
    ''',
    "function/Utils/lonely.xs": '''
        function "Utils/Lonely" {
          stack {
            var $x { value = 1 }
          }
          response = $x
        }
    ''',
    "api/App/api_group.xs": '''
        api_group "App" {
          canonical = "abc"
        }
    ''',
    "api/App/people_GET.xs": '''
        query people verb=GET {
          api_group = "App"
          middleware = {pre: [{name: "Auth"}]}
          input {
            int page?
          }
          stack {
            function.run "Workers/Report" as $r
          }
          response = $r
        }
    ''',
    "api/Tests/people_GET.xs": '''
        query people verb=GET {
          stack {
            function.run "Tasks/Nightly" as $r
          }
          response = $r
        }
    ''',
    "middleware/auth.xs": '''
        middleware "Auth" {
          stack {
            var $ok { value = true }
          }
          response = $ok
        }
    ''',
    "table/person.xs": '''
        table person {
          schema {
            int id
            text name?
          }
        }
    ''',
}

SCHEMA = {
    "type": "object",
    "required": ["nodes", "edges"],
    "additionalProperties": False,
    "properties": {
        "nodes": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "kind", "name", "path"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": r"^(query:[^:]*:[A-Z]*:.+|[a-z_]+:.+)$"},
                "kind": {"type": "string"},
                "name": {"type": "string"},
                "path": {"type": ["string", "null"]},
                "missing": {"const": True},
                "states": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["column", "from", "to", "line"], "additionalProperties": False,
                    "properties": {"column": {"type": "string"}, "from": {"type": ["string", "null"]},
                                   "to": {"type": ["string", "null"]}, "line": {"type": "integer", "minimum": 1}},
                }},
            },
        }},
        "edges": {"type": "array", "items": {
            "type": "object",
            "required": ["from", "to", "kind", "path", "line"],
            "additionalProperties": False,
            "properties": {
                "from": {"type": "string"}, "to": {"type": "string"},
                "kind": {"enum": ["runs", "serves", "calls", "reads", "writes", "uses", "triggers"]},
                "path": {"type": "string"}, "line": {"type": "integer", "minimum": 1},
            },
        }},
    },
}


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", FILES)
    return "ws"


def run(*args: str):
    return CliRunner().invoke(main, ["graph", *args])


def graph_json(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    return data


def edges(data: dict) -> set[tuple[str, str, str, int]]:
    return {(e["from"], e["to"], e["kind"], e["line"]) for e in data["edges"]}


def test_edges_of_every_kind(ws):
    data = graph_json(ws)
    assert edges(data) == {
        ("task:Nightly", "function:Tasks/Nightly", "runs", 4),
        # inside a foreach, and in both branches of a conditional
        ("function:Tasks/Nightly", "table:staging", "reads", 6),
        ("function:Tasks/Nightly", "function:Workers/Load", "calls", 9),
        ("function:Tasks/Nightly", "function:Workers/Report", "calls", 16),
        ("function:Tasks/Nightly", "function:Workers/Gone", "calls", 19),
        ("function:Tasks/Nightly", "table:staging", "writes", 22),
        ("function:Workers/Load", "table:person", "reads", 6),  # db.get
        ("function:Workers/Load", "table:person", "reads", 10),  # db.has
        ("function:Workers/Load", "table:person", "reads", 14),  # db.count
        ("function:Workers/Load", "table:person", "writes", 15),  # db.add_or_edit
        ("function:Workers/Load", "table:audit", "writes", 20),  # db.bulk.add
        ("function:Workers/Load", "function:Workers/Report", "calls", 23),
        ("function:Workers/Report", "table:person", "writes", 3),
        ("function:Workers/Report", "table:person", "writes", 8),
        ("function:Workers/Report", "table:audit", "writes", 13),
        ("function:Workers/Report", "table:audit", "writes", 17),
        ("function:Workers/Report", "function:Workers/Load", "calls", 20),
        ("query:App:GET:people", "middleware:Auth", "uses", 3),
        ("query:App:GET:people", "function:Workers/Report", "serves", 8),
        ("query:Tests:GET:people", "function:Tasks/Nightly", "serves", 3),
    }
    paths = {e["from"]: e["path"] for e in data["edges"]}
    assert paths["task:Nightly"] == "ws/task/nightly.xs"
    assert paths["query:Tests:GET:people"] == "ws/api/Tests/people_GET.xs"


def test_nodes_missing_targets_and_endpoints_in_several_groups(ws):
    nodes = {n["id"]: n for n in graph_json(ws)["nodes"]}
    # the same route in two groups: one by its api_group setting, one by its api/<group>/ folder
    assert nodes["query:App:GET:people"]["path"] == "ws/api/App/people_GET.xs"
    assert nodes["query:Tests:GET:people"] == {"id": "query:Tests:GET:people", "kind": "query", "name": "people",
                                               "path": "ws/api/Tests/people_GET.xs"}
    assert nodes["function:Workers/Gone"] == {"id": "function:Workers/Gone", "kind": "function",
                                              "name": "Workers/Gone", "path": None, "missing": True}
    # a table with no table document is missing too; one with a document is not
    assert nodes["table:staging"].get("missing") is True and "missing" not in nodes["table:person"]
    assert nodes["api_group:App"]["path"] == "ws/api/App/api_group.xs"
    assert nodes["api_group:Tests"]["missing"] is True  # named by its folder only
    assert "function:Utils/Lonely" in nodes and nodes["middleware:Auth"]["kind"] == "middleware"
    assert [n["id"] for n in graph_json(ws)["nodes"]] == sorted(nodes)


def test_callers_tree_marks_cycles_and_reaches_tasks_and_endpoints(ws):
    result = run(ws, "--callers", "Workers/Report")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "function:Workers/Report",
        "├── function:Tasks/Nightly  (calls, line 16)",
        "│   ├── query:Tests:GET:people  (serves, line 3)",
        "│   └── task:Nightly  (runs, line 4)",
        "├── function:Workers/Load  (calls, line 23)",
        "│   ├── function:Tasks/Nightly  (calls, line 9)  (see above)",
        "│   └── function:Workers/Report  (calls, line 20)  (cycle)",
        "└── query:App:GET:people  (serves, line 8)",
    ]


def test_callees_tree_with_missing_targets_and_depth(ws):
    result = run(ws, "--callees", "task:Nightly", "--depth", "2")
    assert result.output.splitlines() == [
        "task:Nightly",
        "└── function:Tasks/Nightly  (runs, line 4)",
        "    ├── function:Workers/Gone  (calls, line 19)  (missing)",
        "    ├── function:Workers/Load  (calls, line 9)",
        "    ├── function:Workers/Report  (calls, line 16)",
        "    └── table:staging  (reads/writes, lines 6, 22)  (missing)",
    ]
    assert run(ws, "--callees", "Utils/Lonely").output.splitlines() == [
        "function:Utils/Lonely", "  (it reaches nothing)"]


def test_names_resolve_by_id_or_unambiguous_name(ws):
    result = run(ws, "--callers", "people")
    assert result.exit_code == 2
    assert "'people' is ambiguous: it names query:App:GET:people, query:Tests:GET:people; give the id" in result.output
    assert run(ws, "--callers", "query:App:GET:people").exit_code == 0
    assert run(ws, "--callers", "workers/report").output.startswith("function:Workers/Report\n")  # case
    result = run(ws, "--callees", "Workers/Reprt")
    assert result.exit_code == 2 and "no object named 'Workers/Reprt'" in result.output
    assert "did you mean 'Workers/Report' or" in result.output
    assert "Traceback" not in result.output
    result = run(ws, "--callers", "x", "--callees", "y")
    assert result.exit_code == 2 and "one of --callers, --callees and --focus" in result.output
    assert run(ws, "--depth", "1").exit_code == 2


def test_focus_keeps_the_neighbourhood(ws):
    data = graph_json(ws, "--focus", "Tasks/Nightly", "--depth", "1")
    assert sorted(n["id"] for n in data["nodes"]) == [
        "function:Tasks/Nightly", "function:Workers/Gone", "function:Workers/Load", "function:Workers/Report",
        "query:Tests:GET:people", "table:staging", "task:Nightly"]
    assert ("function:Workers/Load", "function:Workers/Report", "calls", 23) in edges(data)
    callers = graph_json(ws, "--callers", "Workers/Gone")
    assert sorted(n["id"] for n in callers["nodes"]) == [
        "function:Tasks/Nightly", "function:Workers/Gone", "query:Tests:GET:people", "task:Nightly"]


def test_text_listing(ws):
    lines = run(ws).output.splitlines()
    assert lines[0] == "14 objects (4 missing), 20 references"
    start = lines.index("task:Nightly  (ws/task/nightly.xs)")
    assert lines[start + 1] == "  runs    function:Tasks/Nightly  (line 4)"
    assert "  calls   function:Workers/Gone  (line 19)  (missing)" in lines
    assert lines[-2:] == ["Not referring and not referred to:", "  function:Utils/Lonely"]


def test_dot_parses_with_folders_as_clusters(ws):
    result = run(ws, "--format", "dot")
    (graph,) = pydot.graph_from_dot_data(result.output)
    clusters = {sub.get_label().strip('"'): sub for sub in graph.get_subgraphs()}
    assert sorted(clusters) == ["API App", "API Tests", "Background tasks", "Middleware", "Tables", "Tasks/",
                                "Utils/", "Workers/"]
    workers = {node.get_name().strip('"') for node in clusters["Workers/"].get_nodes()}
    assert workers == {"function:Workers/Load", "function:Workers/Report", "function:Workers/Gone"}
    drawn = {(e.get_source().strip('"'), e.get_destination().strip('"'), e.get_label()) for e in graph.get_edges()}
    assert ("task:Nightly", "function:Tasks/Nightly", "runs") in drawn
    assert ("function:Workers/Load", "table:person", "reads") in drawn
    assert len(drawn) == 16  # one arrow per (from, to, kind)
    gone = next(n for n in clusters["Workers/"].get_nodes() if n.get_name() == '"function:Workers/Gone"')
    assert gone.get("style") == "dashed"


def test_mermaid_draws_clusters_shapes_and_missing(ws):
    text = run(ws, "--format", "mermaid", "--focus", "task:Nightly", "--depth", "1").output
    assert text.splitlines() == [
        "flowchart LR",
        '  subgraph c0["Background tasks"]',
        '    n0[/"Nightly"/]',
        "  end",
        '  subgraph c1["Tasks/"]',
        '    n1["Tasks/Nightly"]',
        "  end",
        "  n0 -->|runs| n1",
    ]


# ---------------------------------------------------------------------------- demo workspace


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """A copy of the demo workspace (the lint cache goes beside it, not into the repository)."""
    shutil.copytree(DEMO, tmp_path / "workspace")
    monkeypatch.chdir(tmp_path)
    return "workspace"


def test_demo_mermaid(demo, snapshot):
    result = run(demo, "--format", "mermaid")
    assert result.exit_code == 0
    assert result.output == snapshot


def test_demo_dot(demo, snapshot):
    result = run(demo, "--format", "dot", "--focus", "Workers/FUB - Sync People", "--depth", "2")
    (parsed,) = pydot.graph_from_dot_data(result.output)
    names = {n.get_name().strip('"') for sub in parsed.get_subgraphs() for n in sub.get_nodes()}
    assert {"task:FUB - Sync People", "query:Worker Tests:POST:workers/fub-sync-people",
            "table:fub_person"} <= names
    assert result.output == snapshot


def test_demo_json_is_valid_and_answers_what_reaches_a_worker(demo):
    data = graph_json(demo)
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"api_group", "function", "middleware", "query", "table", "task", "workflow_test", "workspace",
                     "addon", "tool", "agent", "mcp_server", "realtime_channel", "table_trigger", "workspace_trigger",
                     "agent_trigger", "mcp_server_trigger", "realtime_trigger", "branch", "error_trigger",
                     "realtime_server", "channel", "message", "realtime_server_trigger", "channel_trigger"}
    missing = [n["id"] for n in data["nodes"] if n.get("missing")]
    # the planted XR001, XR003 (twice) and DB001: a call, a middleware, an agent and a table nothing defines
    assert missing == ["agent:Back office asistant", "function:Workers/Slack - Post Digest",
                       "middleware:Verify Webhook Signatures", "table:fub_people"]
    edges = {(e["from"], e["to"], e["kind"]) for e in data["edges"]}
    assert {("agent:Back office assistant", "tool:Sync agent people", "uses"),
            ("tool:Sync agent people", "function:Workers/FUB - Sync People", "calls"),
            ("table:fub_person", "table_trigger:fub_person changes", "triggers"),
            # a realtime v2 message runs when it is sent on its channel, and runs a function
            ("channel:agents/{agent_id}", "message:agents/{agent_id}:request_sync", "triggers"),
            ("message:agents/{agent_id}:request_sync", "function:Workers/Sync Jobs - Create", "calls"),
            ("channel:agents/{agent_id}", "realtime_server:back_office_live", "uses"),
            ("realtime_server:back_office_live", "realtime_server_trigger:live connections", "triggers")} <= edges
    lines = run(demo, "--callers", "Workers/FUB - Sync People").output.splitlines()
    assert "│   └── task:HubSpot - Sync Contacts  (runs, line 6)" in lines
    assert lines[-3:] == ["├── query:Worker Tests:POST:workers/fub-sync-people  (serves, line 11)",
                          "└── tool:Sync agent people  (calls, line 9)",
                          "    └── agent:Back office assistant  (uses, line 12)"]  # the agent reaches it too


def test_graph_of_a_folder_that_is_not_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.xs").write_text('function "A" {\n  stack {\n    function.run B as $b\n  }\n  response = $b\n}\n',
                                   encoding="utf-8")
    data = graph_json(".")
    assert edges(data) == {("function:A", "function:B", "calls", 3)}
    assert os.path.exists(tmp_path / "a.xs")


def test_a_function_in_a_file_that_does_not_parse_is_not_missing(ws):
    Path("ws/function/Workers/gone.xs").write_text('function "Workers/Gone" {\n  stack {\n', encoding="utf-8")
    nodes = {n["id"]: n for n in graph_json(ws)["nodes"]}
    assert nodes["function:Workers/Gone"] == {"id": "function:Workers/Gone", "kind": "function",
                                              "name": "Workers/Gone", "path": "ws/function/Workers/gone.xs"}


def test_api_calls_addons_and_tools(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", {
        "api/A/x_GET.xs": 'query x verb=GET {\n  api_group = "A"\n  stack {\n    var $r { value = 1 }\n  }\n'
                          '  response = $r\n}\n',
        "api/B/x_GET.xs": 'query x verb=GET {\n  api_group = "B"\n  stack {\n    var $r { value = 2 }\n  }\n'
                          '  response = $r\n}\n',
        "api/B/only_POST.xs": 'query only verb=POST {\n  api_group = "B"\n  stack {\n'
                              '    db.query person {\n      addon = [{name: "person_tags", as: "tags"}]\n'
                              '    } as $p\n  }\n  response = $p\n}\n',
        "workflow_test/t.xs": 'workflow_test t {\n  stack {\n    api.call x verb=GET {\n      api_group = "B"\n'
                              '    } as $b\n    api.call only verb=POST as $o\n    api.call x verb=GET as $which\n'
                              '    task.call "Nightly" as $n\n  }\n}\n',
        "agent/a.xs": 'agent "Helper" {\n  tools = [{name: "lookup"}]\n}\n',
    })
    data = graph_json("ws")
    assert edges(data) == {
        ("workflow_test:t", "query:B:GET:x", "calls", 3),  # by its api_group
        ("workflow_test:t", "query:B:POST:only", "calls", 6),  # the one endpoint of that route
        ("workflow_test:t", "query::GET:x", "calls", 7),  # two endpoints answer it: not resolved
        ("workflow_test:t", "task:Nightly", "calls", 8),
        ("query:B:POST:only", "table:person", "reads", 4),
        ("query:B:POST:only", "addon:person_tags", "calls", 5),
        ("agent:Helper", "tool:lookup", "uses", 2),
    }
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["query::GET:x"]["missing"] is True and nodes["task:Nightly"]["missing"] is True


def test_an_endpoint_without_api_group_belongs_to_the_group_document_of_its_folder(tmp_path, monkeypatch):
    """The official CLI's layout: `apis/<snake_case group>/`, with the group's own document there."""
    monkeypatch.chdir(tmp_path)
    write_workspace(tmp_path / "ws", {
        "apis/v_1/api_group.xs": 'api_group "v1" {\n  canonical = "x"\n}\n',
        "apis/v_1/users/12_list_GET.xs": 'query users verb=GET {\n  stack {\n    db.query user as $u\n  }\n'
                                         '  response = $u\n}\n',
        "apis/other/13_ping_GET.xs": 'query ping verb=GET {\n  stack {\n    var $x { value = 1 }\n  }\n'
                                     '  response = $x\n}\n',
    })
    ids = {n["id"] for n in graph_json("ws")["nodes"]}
    assert {"api_group:v1", "query:v1:GET:users", "query:other:GET:ping", "api_group:other"} <= ids
