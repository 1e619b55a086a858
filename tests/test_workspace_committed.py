"""The repository's committed `workspace/` is exactly a pull of the demo seed, so it never goes
stale. Refresh it from the repository root with:

    xanoctl demo --dir workspace --no-lint
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xanoctl.xano.client import XanoClient
from xanoctl.config import HttpSettings
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import snapshot
from xanoctl.sync.pull import pull
from xanoctl.sync.manifest import DEMO

COMMITTED = Path(__file__).resolve().parent.parent / "workspace"


@pytest.mark.skipif(not (COMMITTED / "xanoctl.lock").is_file(), reason="no source tree next to the tests")
def test_the_committed_workspace_equals_a_fresh_pull_of_the_demo_seed(tmp_path):
    with run_in_thread(seed="demo") as emulator:
        with XanoClient(emulator.base_url, emulator.token, emulator.workspace_id, http=HttpSettings()) as client:
            pull(client, tmp_path / "fresh", origin=DEMO)
    fresh, committed = snapshot(tmp_path / "fresh"), snapshot(COMMITTED)
    stale = sorted(set(fresh) ^ set(committed)) + sorted(p for p in fresh.keys() & committed.keys()
                                                         if fresh[p] != committed[p])
    assert not stale, ("workspace/ is stale; refresh it with `xanoctl demo --dir workspace --no-lint` from the "
                       f"repository root. Differing: {stale[:10]}")
