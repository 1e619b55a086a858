"""The official Xano CLI's multidoc push and branch requests, replayed through the emulator over
HTTP exactly as the CLI builds them, and the shapes of the answers it reads.

Taken from the CLI's source (repository xano-inc/cli): ``src/utils/multidoc-push.ts`` (query
flags ``delete, env, records, transaction, truncate`` then ``branch`` when set and ``partial``;
headers ``accept: application/json``, ``Content-Type: text/x-xanoscript``; files trimmed and
joined by ``\\n---\\n``; the dry-run always with ``delete=true``; operations matched to files by
``type:name`` with an endpoint's verb appended; ``exception:`` in ``details`` blocks the push;
``guid_map`` entries keyed ``type:name:verb:api_group``), ``src/commands/workspace/pull`` (the
export split on ``\\n---\\n`` and trimmed), ``src/commands/branch/{get,edit,set_live}`` and
``test/commands/workspace/push/index.test.ts`` (the "Push is disabled" refusal).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.state import EmulatorOptions, EmulatorState

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited  # noqa: E402

TOKEN = "cli-token"


def cli_params(*, delete=False, env=False, records=False, transaction=True, truncate=False, branch="",
               partial=True) -> str:
    """``new URLSearchParams({delete, env, records, transaction, truncate})``, then ``branch`` if
    set, then ``partial``: the query string the CLI sends."""
    pairs = [("delete", delete), ("env", env), ("records", records), ("transaction", transaction),
             ("truncate", truncate)]
    query = [(key, str(value).lower()) for key, value in pairs]
    if branch:
        query.append(("branch", branch))
    query.append(("partial", str(partial).lower()))
    return urlencode(query)


def headers(content_type: str | None = "text/x-xanoscript") -> dict[str, str]:
    out = {"accept": "application/json", "Authorization": f"Bearer {TOKEN}"}
    if content_type:
        out["Content-Type"] = content_type
    return out


def document_key(type_: str, name: str, verb: str | None = None, api_group: str | None = None) -> str:
    """The CLI's ``buildDocumentKey``."""
    return ":".join([type_, name] + ([verb] if verb else []) + ([api_group] if api_group else []))


class Cli:
    """The requests of ``xano workspace pull/push`` and ``xano branch ...`` against one emulator."""

    def __init__(self, emu):
        self.emu = emu
        self.base = f"{emu.base_url}/workspace/{emu.workspace_id}"
        self.http = httpx.Client()

    def pull(self) -> list[str]:
        text = self.http.get(f"{self.base}/multidoc", params={"branch": "", "env": "false", "records": "false"},
                             headers=headers(None)).text
        return [part.strip() for part in text.split("\n---\n") if part.strip()]

    def dry_run(self, docs: list[str], **flags) -> httpx.Response:
        flags.setdefault("delete", True)  # "Always request delete info in dry-run"
        return self.http.post(f"{self.base}/multidoc/dry-run?{cli_params(**flags)}",
                              content="\n---\n".join(d.strip() for d in docs).encode(), headers=headers())

    def push(self, docs: list[str], **flags) -> httpx.Response:
        return self.http.post(f"{self.base}/multidoc?{cli_params(**flags)}",
                              content="\n---\n".join(d.strip() for d in docs).encode(), headers=headers())


@pytest.fixture
def emu():
    with run_in_thread(seed="demo", token=TOKEN) as server:
        yield server


@pytest.fixture
def cli(emu):
    client = Cli(emu)
    yield client
    client.http.close()


NEW_FUNCTION = 'function "Cli/Added" {\n  input {\n  }\n  stack {\n  }\n  response = null\n}'
NEW_GROUP = 'api_group "Cli Group" {\n}'
NEW_ENDPOINT = ('query "cli/{id}" verb=GET {\n  api_group = "Cli Group"\n  input {\n    int id\n  }\n  stack {\n  }\n'
                '  response = null\n}')
BROKEN = 'function "Cli/Broken" {\n  stack {\n    var = =\n  }\n}'


def test_a_pulled_tree_pushed_back_unchanged_is_all_unchanged(cli):
    docs = cli.pull()
    answer = cli.dry_run(docs, partial=False)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= {"operations", "summary"}
    assert {op["action"] for op in body["operations"]} == {"unchanged"}
    assert all(set(op) >= {"action", "type", "name", "details"} for op in body["operations"])
    for counts in body["summary"].values():
        assert set(counts) == {"created", "updated", "deleted", "unchanged", "truncated"}
    assert sum(c["unchanged"] for c in body["summary"].values()) == len(docs)


def test_the_cli_partial_push_sends_only_the_changed_documents_and_reads_the_guid_map(cli, emu):
    docs = cli.pull()
    index = next(i for i, d in enumerate(docs) if _op_key(d).startswith("function:"))
    tree = docs[:index] + [edited(docs[index], "cli")] + docs[index + 1:] + [NEW_FUNCTION, NEW_GROUP, NEW_ENDPOINT]
    preview = cli.dry_run(tree).json()
    actions = {(op["type"], op["name"]): op["action"] for op in preview["operations"]}
    assert actions[("function", "Cli/Added")] == "create"
    assert actions[("api_group", "Cli Group")] == "create"
    assert actions[("query", "cli/{id} GET")] == "create"  # an endpoint's name carries its verb
    assert list(actions.values()).count("update") == 1
    assert preview["summary"]["function"]["created"] == 1 and preview["summary"]["function"]["updated"] == 1
    # filterChangedEntries: keep the documents whose `type:name[ verb]` is neither unchanged nor a delete
    keys = {f"{op['type']}:{op['name']}" for op in preview["operations"]
            if op["action"] not in ("unchanged", "delete", "cascade_delete")}
    sent = [d for d in tree if _op_key(d) in keys]
    assert len(sent) == 4
    answer = cli.push(sent)
    assert answer.status_code == 200
    guid_map = answer.json()["guid_map"]
    assert len(guid_map) == 4 and all(entry["guid"] for entry in guid_map)
    by_key = {document_key(e["type"], e["name"], e.get("verb"), e.get("api_group")): e for e in guid_map}
    assert "query:cli/{id}:GET:Cli Group" in by_key
    assert by_key["api_group:Cli Group"]["canonical"]  # a created group gets a canonical
    with emu.state.lock:
        branch = emu.state.store.workspace(emu.workspace_id).live
        added = next(o for o in branch.objects["function"].values() if o.name == "Cli/Added")
        group = next(o for o in branch.objects["api_group"].values() if o.name == "Cli Group")
        endpoint = next(o for o in branch.objects["query"].values() if o.name == "cli/{id}")
    assert by_key["function:Cli/Added"]["guid"] == added.guid
    assert endpoint.group_id == group.id and endpoint.verb == "GET"
    assert group.fields["canonical"] == by_key["api_group:Cli Group"]["canonical"]
    again = cli.dry_run(cli.pull()).json()  # what was pushed is what the export now holds
    assert {op["action"] for op in again["operations"]} == {"unchanged"}


def _op_key(doc: str) -> str:
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("//"):
            kind, rest = stripped.split(" ", 1)
            name = rest.split('"')[1] if rest.startswith('"') else rest.split(" ")[0]
            verb = rest.split("verb=")[1].split(" ")[0] if "verb=" in rest else None
            return f"{kind}:{name} {verb}" if verb else f"{kind}:{name}"
    return ""


def test_a_syntax_error_is_an_exception_in_the_dry_run_and_the_push_applies_nothing(cli):
    before = cli.pull()
    tree = [NEW_FUNCTION, BROKEN, NEW_GROUP]
    preview = cli.dry_run(tree).json()
    critical = [op for op in preview["operations"] if "exception:" in (op["details"] or "")]
    assert [(op["type"], op["name"]) for op in critical] == [("function", "Cli/Broken")]
    assert "Syntax error" in critical[0]["details"] and "line 3" in critical[0]["details"]
    answer = cli.push(tree)  # `--force` skips the preview: the transaction refuses it whole
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == "ERROR_CODE_SYNTAX_ERROR"
    assert error["payload"]["line"] == 3 and error["payload"]["document"] == 2
    assert cli.pull() == before  # nothing applied, not even the valid documents


def test_without_a_transaction_the_documents_before_the_failure_stay(cli):
    answer = cli.push([NEW_FUNCTION, BROKEN], transaction=False)
    assert answer.status_code == 400
    names = "\n".join(cli.pull())
    assert '"Cli/Added"' in names and "Cli/Broken" not in names


def test_a_duplicate_guid_is_refused_with_the_message_the_cli_looks_for(cli):
    one = 'function "Cli/One" {\n  stack {\n  }\n  response = null\n  guid = "dupGUID1"\n}'
    two = 'function "Cli/Two" {\n  stack {\n  }\n  response = null\n  guid = "dupGUID1"\n}'
    answer = cli.push([one, two])
    assert answer.status_code == 400
    assert "Duplicate function guid: dupGUID1" in answer.json()["message"]


def test_a_guid_identifies_the_object_a_document_renames(cli, emu):
    docs = cli.pull()
    pushed = cli.push([NEW_FUNCTION]).json()["guid_map"][0]["guid"]
    renamed = NEW_FUNCTION.replace("Cli/Added", "Cli/Renamed").replace("response = null",
                                                                        f'response = null\n  guid = "{pushed}"')
    preview = cli.dry_run([renamed]).json()
    assert [(op["action"], op["name"]) for op in preview["operations"] if "delete" not in op["action"]] == \
           [("update", "Cli/Renamed")]
    cli.push([renamed])
    with emu.state.lock:
        names = [o.name for o in emu.state.store.workspace(emu.workspace_id).live.objects["function"].values()]
    assert "Cli/Renamed" in names and "Cli/Added" not in names
    assert len(cli.pull()) == len(docs) + 1


def test_sync_delete_removes_what_the_tree_lacks_and_partial_never_does(cli):
    docs = cli.pull()
    kept = docs[:-3]
    preview = cli.dry_run(kept, partial=False).json()
    deleted = [op for op in preview["operations"] if op["action"] in ("delete", "cascade_delete")]
    assert len(deleted) >= 3
    assert cli.push(kept, partial=True, delete=True).status_code == 200
    assert len(cli.pull()) == len(docs)  # partial: nothing deleted
    assert cli.push(kept, partial=False, delete=True).status_code == 200
    assert len(cli.pull()) == len(docs) - len(deleted)


def test_truncate_lists_the_tables_and_flags_are_checked(cli):
    docs = cli.pull()
    tables = [d for d in docs if _op_key(d).startswith("table:")]
    preview = cli.dry_run(tables, truncate=True).json()
    assert preview["summary"]["table"]["truncated"] == len(tables)
    assert sum(op["action"] == "truncate" for op in preview["operations"]) == len(tables)
    bad = cli.http.post(f"{cli.base}/multidoc/dry-run?transaction=maybe", content=b"function x {\n}",
                        headers=headers())
    assert bad.status_code == 400 and bad.json()["payload"]["param"] == "transaction"


def test_a_branch_flag_targets_that_branch(cli, emu):
    assert cli.http.post(f"{cli.base}/branch", json={"label": "dev"}, headers=headers("application/json")).is_success
    assert cli.push([NEW_FUNCTION], branch="dev").status_code == 200
    with emu.state.lock:
        ws = emu.state.store.workspace(emu.workspace_id)
        assert any(o.name == "Cli/Added" for o in ws.branches["dev"].objects["function"].values())
        assert not any(o.name == "Cli/Added" for o in ws.live.objects["function"].values())
    assert cli.push([NEW_FUNCTION], branch="nope").status_code == 404


def test_without_direct_push_the_import_and_its_dry_run_are_refused():
    state = EmulatorState.create(seed="demo", token=TOKEN, options=EmulatorOptions(direct_push=False))
    with run_in_thread(state) as emu:
        cli = Cli(emu)
        for answer in (cli.dry_run([NEW_FUNCTION]), cli.push([NEW_FUNCTION])):
            assert answer.status_code == 500
            assert answer.json()["message"].startswith("Push is disabled for this workspace.")
        assert len(cli.pull()) > 10  # the export (pull) still works
        cli.http.close()


def test_a_put_keeps_a_description_the_document_does_not_carry(cli, emu):
    doc = next(d for d in cli.pull() if d.startswith("//") and "\nfunction " in d)
    name = doc.split('function "', 1)[1].split('"', 1)[0]
    with emu.state.lock:
        obj = next(o for o in emu.state.store.workspace(emu.workspace_id).live.objects["function"].values()
                   if o.name == name)
        description = obj.description
    assert description
    answer = cli.http.put(f"{cli.base}/function/{obj.id}", params={"include_xanoscript": "true"},
                          content=edited(doc, "cli").encode(), headers=headers())
    assert answer.status_code == 200 and answer.json()["description"] == description
    cli.push([edited(doc, "again")])
    assert obj.description == description


def test_a_group_created_object_by_object_gets_a_canonical(cli):
    answer = cli.http.post(f"{cli.base}/apigroup", content=b'api_group "Plain" {\n}', headers=headers())
    assert answer.status_code == 200 and answer.json()["canonical"]
    answer = cli.http.post(f"{cli.base}/apigroup", json={"name": "From JSON"}, headers=headers("application/json"))
    assert answer.json()["canonical"]


def test_branch_get_edit_and_set_live_as_the_cli_sends_them(cli):
    live = cli.http.get(f"{cli.base}/branch/v1", headers=headers(None)).json()
    assert set(live) >= {"created_at", "label", "live", "backup"} and live["live"] is True
    cli.http.post(f"{cli.base}/branch", json={"label": "dev"}, headers=headers("application/json"))
    edited_branch = cli.http.put(f"{cli.base}/branch/dev", content=json.dumps(
        {"label": "development", "description": "Dev", "color": "#ff5733"}), headers=headers("application/json"))
    assert edited_branch.status_code == 200 and edited_branch.json()["label"] == "development"
    assert cli.http.get(f"{cli.base}/branch/dev", headers=headers(None)).status_code == 404
    refused = cli.http.put(f"{cli.base}/branch/v1", content=json.dumps({"label": "main"}),
                           headers=headers("application/json"))
    assert refused.status_code == 400
    made_live = cli.http.post(f"{cli.base}/branch/development/live", headers=headers(None))
    assert made_live.status_code == 200 and made_live.json()["live"] is True
    branches = {b["label"]: b["live"] for b in cli.http.get(f"{cli.base}/branch", headers=headers(None)).json()}
    assert branches == {"v1": False, "development": True}
    cli.http.post(f"{cli.base}/branch/v1/live", content=json.dumps({"override_reason": "back"}),
                  headers=headers("application/json"))
    assert cli.http.get(f"{cli.base}/branch/v1", headers=headers(None)).json()["live"] is True
