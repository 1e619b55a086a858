"""A deadlock fails fast with a trace instead of hanging: every test has a timeout
(pytest-timeout, a default in pyproject.toml) and every CI job has ``timeout-minutes``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_every_test_has_a_default_timeout(request):
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert settings["tool"]["pytest"]["ini_options"]["timeout"] >= 60  # room for a loaded 2-core machine
    assert any(extra.startswith("pytest-timeout") for extra in settings["project"]["optional-dependencies"]["test"])
    assert float(request.config.getini("timeout")) >= 60  # the plugin is loaded and reads it


def test_a_test_stuck_on_a_lock_fails_with_a_trace_instead_of_hanging(tmp_path):
    (tmp_path / "test_stuck.py").write_text(
        "import threading\n\n\ndef test_waits_on_a_lock_nobody_releases():\n"
        "    lock = threading.Lock()\n    lock.acquire()\n    lock.acquire()\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "timeout=2",
                             str(tmp_path / "test_stuck.py")], capture_output=True, text=True, cwd=tmp_path,
                            timeout=100)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Timeout" in result.stdout and "lock.acquire()" in result.stdout  # where it was stuck
    assert "1 failed" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_ci_job_has_a_time_limit(path):
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    assert jobs
    for name, job in jobs.items():
        limit = int(job.get("timeout-minutes", 0))
        assert 0 < limit < 360, f"{path.name}: job {name} needs a timeout-minutes under GitHub's own 360"
