"""What the official Xano CLI met in the emulator and Xano does otherwise, replayed over HTTP as
the CLI's source builds the requests (xano-inc/cli): `POST /knowledge/sync` at the end of
`workspace push` (src/utils/knowledge-sync.ts), the dry-run of files it trimmed and wrote guids
into (src/utils/multidoc-push.ts: `readDocuments` trims, `syncGuidToFile` inserts `guid = "..."`),
a new API group's canonical in its XanoScript (`syncCanonicalToFile`), a leading `//` comment as
the description, `swagger` in `apigroup create`'s JSON, branch timestamps, and the lists `release
list`, `tenant list`, `static_host list` and `platform list` read; and every kind on its routes."""

from __future__ import annotations

import httpx
import pytest

from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import SOURCES
from xanoctl.xano.kinds import TABLE

TOKEN = "cli-token"
XS = {"Content-Type": "text/x-xanoscript", "accept": "application/json"}


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as running:
        yield running


def client(emu) -> httpx.Client:
    return httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {TOKEN}"})


def test_knowledge_sync_answers_the_push_dry_run_import_and_delete(emu):
    ws = f"/workspace/{emu.workspace_id}/knowledge/sync"
    doc = {"name": "Style guide", "knowledge_type": "doc", "content": "# Style", "description": "",
           "enabled": True, "mode": "auto", "scope": "workspace"}
    with client(emu) as http:
        assert http.get(ws, params={"branch": ""}).json() == []
        dry = http.post(ws, json={"branch": "", "delete": False, "dry_run": True, "items": [doc]}).json()
        assert dry["operations"] == [{"action": "create", "type": "doc", "name": "Style guide"}]
        assert dry["summary"]["doc"]["created"] == 1 and http.get(ws).json() == []
        done = http.post(ws, json={"branch": "", "delete": False, "force": False, "items": [doc]})
        assert done.status_code == 200
        answer = done.json()
        assert answer["imported"] == 1 and answer["deleted"] == 0 and answer["guid_map"][0]["name"] == "Style guide"
        stored = http.get(ws).json()
        assert [item["name"] for item in stored] == ["Style guide"] and stored[0]["guid"] == answer["guid_map"][0]["guid"]
        # `push --sync --delete` with no knowledge files: the sync deletes what is there
        swept = http.post(ws, json={"branch": "", "delete": True, "force": False, "items": []}).json()
        assert swept == {"imported": 0, "deleted": 1, "guid_map": []} and http.get(ws).json() == []


def test_a_trimmed_file_and_a_guid_line_written_back_are_no_change_in_the_dry_run(emu):
    source = SOURCES["function"]("Utils/x") + "\n"
    obj = emu.add("function", "Utils/x", source)
    lines = source.rstrip("\n").split("\n")
    sent = "\n".join(lines[:-1] + [f'  guid = "{obj.guid}"', lines[-1]])  # what the CLI's writeback leaves
    with client(emu) as http:
        answer = http.post(f"/workspace/{emu.workspace_id}/multidoc/dry-run", content=sent.strip(), headers=XS,
                           params={"delete": "false", "transaction": "true", "partial": "true"}).json()
    assert [(op["action"], op["name"]) for op in answer["operations"]] == [("unchanged", "Utils/x")]


def test_a_new_api_group_agent_or_mcp_server_shows_its_canonical_in_its_xanoscript(emu):
    ws = f"/workspace/{emu.workspace_id}"
    with client(emu) as http:
        made = http.post(f"{ws}/apigroup", content='api_group Shop {\n  active = true\n}', headers=XS,
                         params={"include_xanoscript": "true"}).json()
        assert made["canonical"] and f'  canonical = "{made["canonical"]}"' in made["xanoscript"]["value"]
        by_json = http.post(f"{ws}/apigroup", json={"name": "Docs", "description": "", "swagger": False}).json()
        assert by_json["swagger"] is False
        again = http.get(f"{ws}/apigroup/{by_json['id']}", params={"include_xanoscript": "true"}).json()
        assert f'canonical = "{by_json["canonical"]}"' in again["xanoscript"]["value"]
        agent = http.post(f"{ws}/agent", content='agent Helper {\n  llm = {type: "xano-free"}\n}', headers=XS,
                          params={"include_xanoscript": "true"}).json()
        assert f'canonical = "{agent["canonical"]}"' in agent["xanoscript"]["value"]


def test_a_leading_comment_is_the_description_on_create_and_on_update(emu):
    ws = f"/workspace/{emu.workspace_id}"
    text = "// Finds a user.\n" + SOURCES["function"]("Users/Find")
    with client(emu) as http:
        made = http.post(f"{ws}/function", content=text, headers=XS).json()
        assert made["description"] == "Finds a user."
        changed = http.put(f"{ws}/function/{made['id']}", content=text.replace("Finds", "Looks up"), headers=XS)
        assert changed.json()["description"] == "Looks up a user."


def test_branch_timestamps_carry_the_t_and_empty_lists_answer(emu):
    with client(emu) as http:
        branches = http.get(f"/workspace/{emu.workspace_id}/branch").json()
        assert branches[0]["created_at"][10] == "T" and branches[0]["created_at"].endswith("Z")
        for path in (f"/workspace/{emu.workspace_id}/release", f"/workspace/{emu.workspace_id}/tenant",
                     f"/workspace/{emu.workspace_id}/static_host", "/platform"):
            answer = http.get(path)
            assert (answer.status_code, answer.json()) == (200, []), path
        assert http.get("/workspace/99/release").status_code == 404


@pytest.mark.parametrize("kind", [kind.name for kind in TABLE if kind.collection and not kind.grouped])
def test_every_kind_is_served_on_its_own_routes(emu, kind):
    base = f"/workspace/{emu.workspace_id}/{next(k.collection for k in TABLE if k.name == kind)}"
    with client(emu) as http:
        made = http.post(base, content=SOURCES[kind]("first"), headers=XS, params={"include_xanoscript": "true"})
        assert made.status_code == 200, made.text
        ident = made.json()["id"]
        listed = http.get(base, params={"include_xanoscript": "true"}).json()
        assert [item["name"] for item in listed["items"]] == ["first"] and listed["nextPage"] is None
        changed = SOURCES[kind]("first").replace("{\n", '{\n  description = "v2"\n', 1)
        assert http.put(f"{base}/{ident}", content=changed, headers=XS).status_code == 200
        got = http.get(f"{base}/{ident}", params={"include_xanoscript": "true"}).json()
        assert got["xanoscript"]["value"].startswith(changed.split("\n")[0]) and 'description = "v2"' in \
            got["xanoscript"]["value"]
        assert http.delete(f"{base}/{ident}").status_code == 200
        assert http.get(f"{base}/{ident}").status_code == 404
