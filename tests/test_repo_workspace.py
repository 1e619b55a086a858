"""The repository's own demo workspace, its committed baseline, and the pull-request check.

The PR check is replayed the way `.github/workflows/xanoscript.yml` runs it: in a git
repository holding the workspace and the baseline, a change is committed on top of a base, and
`xanoctl lint workspace --changed-since BASE --baseline ... --format github` must annotate the
new bug on its line, and nothing that was already there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

REPO = Path(__file__).resolve().parent.parent
BASELINE = "xanoctl-baseline.json"
PLANTED_RULES = {"EP001", "FP001", "FP002", "FP003", "FP004", "ID001", "ID002", "SC001", "SC002", "TY001", "XR001",
                 "XS002", "DB001", "DB002", "RT001", "XR002", "XR003", "SEC001", "SEC002", "PF001", "ST001"}


def xanoctl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "xanoctl", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)


def test_workspace_with_committed_baseline_is_clean():
    result = xanoctl("lint", "workspace", "--baseline", BASELINE, "--no-cache", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems" in result.stdout


def test_workspace_without_baseline_shows_every_rule_at_work():
    result = xanoctl("lint", "workspace", "--format", "json", "--no-cache", cwd=REPO)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["files"] == len(list((REPO / "workspace").rglob("*.xs")))
    assert {finding["code"] for finding in report["findings"]} == PLANTED_RULES


@pytest.fixture
def pr_repo(tmp_path):
    shutil.copytree(REPO / "workspace", tmp_path / "workspace")
    shutil.copy(REPO / BASELINE, tmp_path / BASELINE)
    repo = git.Repo.init(tmp_path)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test")
        config.set_value("user", "email", "test@example.com")
    repo.index.add(["workspace", BASELINE])
    base = repo.index.commit("base").hexsha
    return tmp_path, repo, base


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_pull_request_annotates_only_the_new_bug(pr_repo):
    root, repo, base = pr_repo
    changed = root / "workspace" / "function" / "Tasks" / "HubSpot - Sync Contacts.xs"
    line = edit(changed, "failed: $upsert.data.failed", "failed: $upsert.failed")
    repo.index.add([str(changed.relative_to(root))])
    repo.index.commit("read the failures")

    result = xanoctl("lint", "workspace", "--changed-since", base, "--baseline", BASELINE,
                     "--format", "github", "--no-cache", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [row for row in result.stdout.splitlines() if row.startswith("::")]
    assert len(annotations) == 1, result.stdout
    assert annotations[0].startswith(
        f"::error file=workspace/function/Tasks/HubSpot - Sync Contacts.xs,line={line},"
    )
    assert "FP003" in annotations[0] and "$upsert.data.failed" in annotations[0]


def test_pull_request_without_new_findings_is_green(pr_repo):
    root, repo, base = pr_repo
    changed = root / "workspace" / "function" / "Tasks" / "FUB - Sync People.xs"  # holds a baselined bug
    text = changed.read_text(encoding="utf-8")
    changed.write_text("// Reviewed in the pull request.\n" + text, encoding="utf-8")
    repo.index.add([str(changed.relative_to(root))])
    repo.index.commit("comment")

    result = xanoctl("lint", "workspace", "--changed-since", base, "--baseline", BASELINE,
                     "--format", "github", "--no-cache", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout
