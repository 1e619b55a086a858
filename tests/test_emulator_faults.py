"""Fault injection: from specs, from Python, over HTTP; and the emulator as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import httpx
import pytest

from xanoctl.emulator.faults import Faults, FaultSpecError
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import function_source

TOKEN = "fault-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XS = {**AUTH, "Content-Type": "text/x-xanoscript"}


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as server:
        yield server


def statuses(emu, count, path="/workspace"):
    with httpx.Client(headers=AUTH) as client:
        return [client.get(emu.base_url + path).status_code for _ in range(count)]


@pytest.mark.parametrize("spec", ["429-every=5,5xx-on-write=3,latency-ms=50,drop-every=7,429-burst=10",
                                  "429-burst=3@4,retry-after=2", "5xx-on-write=2+,drop-on-write=4", "rate-window=10/20,page-cap=100",
                                  "rate-window=4/0.25", ""])
def test_fault_specs_round_trip(spec):
    faults = Faults.parse(spec)
    assert Faults.parse(faults.spec()) == faults
    assert bool(faults) == bool(spec)


@pytest.mark.parametrize("spec, fix", [
    ("429-every", "expected name=value"), ("429-every=0", "expected a positive integer"),
    ("429-every=x", "'x' is not an integer"), ("teapot=1", "known: 429-every, 429-burst"),
    ("latency-ms=-1", "expected a non-negative integer"), ("rate-window=10", "expected N/S"),
    ("rate-window=10/0", "positive number of seconds"), ("rate-window=0/20", "expected a positive integer"),
    ("rate-window=10/x", "expected N/S"), ("page-cap=0", "expected a positive integer")])
def test_bad_fault_specs_are_refused_saying_what_is_expected(spec, fix):
    with pytest.raises(FaultSpecError) as caught:
        Faults.parse(spec)
    assert fix in str(caught.value) and spec.partition("=")[0] in str(caught.value)


def test_429_every_nth_request_with_optional_retry_after(emu):
    emu.set_faults("429-every=3")
    assert statuses(emu, 6) == [200, 200, 429, 200, 200, 429]
    emu.set_faults("429-every=2,retry-after=7")
    with httpx.Client(headers=AUTH) as client:
        client.get(emu.base_url + "/workspace")
        limited = client.get(emu.base_url + "/workspace")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    assert limited.json()["message"] == "Rate Limited. Too many requests."


def test_a_429_burst_starts_at_the_given_request(emu):
    emu.set_faults("429-burst=3@2")
    assert statuses(emu, 6) == [200, 429, 429, 429, 200, 200]


def test_5xx_on_the_nth_write_changes_nothing(emu):
    emu.set_faults("5xx-on-write=2")
    with httpx.Client(headers=XS) as client:
        codes = [client.post(emu.base_url + "/workspace/1/function", content=function_source(f"f{i}").encode()
                             ).status_code for i in range(3)]
        assert codes == [200, 500, 200]
        names = [o["name"] for o in client.get(emu.base_url + "/workspace/1/function").json()["items"]]
    assert sorted(names) == ["f0", "f2"]


def test_5xx_onward_fails_every_later_write_but_not_reads(emu):
    emu.set_faults("5xx-on-write=1+")
    with httpx.Client(headers=XS) as client:
        assert client.post(emu.base_url + "/workspace/1/function", content=b"x").status_code == 500
        assert client.post(emu.base_url + "/workspace/1/function", content=b"x").status_code == 500
        assert client.get(emu.base_url + "/workspace/1/function").status_code == 200


def test_a_dropped_connection_is_a_transport_error_for_httpx(emu):
    emu.set_faults("drop-every=2")
    with httpx.Client(headers=AUTH) as client:
        assert client.get(emu.base_url + "/workspace").status_code == 200
        with pytest.raises(httpx.TransportError):
            client.get(emu.base_url + "/workspace")
        assert client.get(emu.base_url + "/workspace").status_code == 200


def test_drop_on_write_applies_the_write_then_drops(emu):
    emu.set_faults("drop-on-write=1")
    with httpx.Client(headers=XS) as client:
        with pytest.raises(httpx.TransportError):
            client.post(emu.base_url + "/workspace/1/function", content=function_source("ghost").encode())
        items = client.get(emu.base_url + "/workspace/1/function").json()["items"]
    assert [o["name"] for o in items] == ["ghost"]


def test_faults_over_http_need_the_token_and_skip_admin_requests(emu):
    admin = emu.origin + "/_emulator/faults"
    assert httpx.put(admin, content=b"429-every=1").status_code == 401
    answer = httpx.put(admin, content=b"429-every=1", headers=AUTH)
    assert answer.status_code == 200 and answer.json()["faults"] == "429-every=1"
    assert httpx.put(admin, content=b"nonsense=1", headers=AUTH).status_code == 400
    assert statuses(emu, 2) == [429, 429]
    assert httpx.get(admin, headers=AUTH).json()["injected"] == {"429": 2}
    assert httpx.delete(admin, headers=AUTH).json()["faults"] == ""
    assert statuses(emu, 1) == [200]
    stats = httpx.get(emu.origin + "/_emulator/stats", headers=AUTH).json()
    assert stats["requests"] == 3 and stats["statuses"] == {"429": 2, "200": 1}


def test_the_emulator_command_serves_until_stopped(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "xanoctl", "emulator", "--port", "0", "--seed", "demo",
                                "--token", TOKEN, "--faults", "latency-ms=1", "--state", str(tmp_path / "s.json")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        values = dict(re.match(r"export (\w+)=(\S+)", line).groups() for line in lines)
        assert values["XANO_TOKEN"] == TOKEN and values["XANO_WORKSPACE"] == "1"
        answer = httpx.get(values["XANO_INSTANCE"] + "/workspace/1/function", headers=AUTH, timeout=10)
        assert answer.status_code == 200 and answer.json()["items"]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (tmp_path / "s.json").is_file()


def test_the_emulator_command_refuses_bad_faults():
    result = subprocess.run([sys.executable, "-m", "xanoctl", "emulator", "--faults", "teapot=1"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "teapot" in result.stderr and "Traceback" not in result.stderr


def test_a_page_cap_shortens_pages_below_per_page_and_says_so(emu):
    for index in range(7):
        emu.add("function", f"f{index}", function_source(f"f{index}"))
    url = f"{emu.base_url}/workspace/{emu.workspace_id}/function"
    emu.set_faults("page-cap=3")
    pages = [httpx.get(url, params={"per_page": 50, "page": page}, headers=AUTH).json() for page in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert [p["nextPage"] for p in pages] == [2, 3, None]
    assert {(p["perPage"], p["itemsTotal"], p["pageTotal"]) for p in pages} == {(3, 7, 3)}
    emu.set_faults("")
    whole = httpx.get(url, params={"per_page": 50}, headers=AUTH).json()
    assert len(whole["items"]) == 7 and "itemsTotal" not in whole
