"""`xanoctl pull --commit`: one commit of the workspace folder, never of anything else."""

from __future__ import annotations

import git
import pytest
from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import cli_env, function_source, snapshot

TOKEN = "commit-test-token-77ad"
IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "t@example.com"}


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as server:
        for name in ("Utils/A", "Utils/B", "Tasks/C"):
            server.add("function", name, function_source(name))
        yield server


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    repository = git.Repo.init(tmp_path)
    (tmp_path / "README.md").write_text("hello\n")
    repository.index.add(["README.md"])
    repository.index.commit("initial", author=git.Actor("T", "t@e"), committer=git.Actor("T", "t@e"))
    return repository


@pytest.fixture
def cli(emu, tmp_path):
    def run(*args: str, code: int = 0):
        env = {**cli_env(emu, tmp=tmp_path), **IDENTITY}
        result = CliRunner().invoke(main, list(args), env=env)
        assert TOKEN not in result.output and "Traceback" not in result.output
        assert result.exit_code == code, result.output
        return result
    return run


def changed_files(commit) -> set[str]:
    return set(commit.stats.files)


def test_commit_records_the_pull_with_a_summary(emu, cli, repo):
    result = cli("pull", "--dir", "ws", "--commit")
    head = repo.head.commit
    assert result.stdout.splitlines()[-1] == f"committed {head.hexsha[:12]}"
    lines = head.message.splitlines()
    assert lines[0] == "xanoctl pull: 3 added"
    assert "added:" in lines and any("function 'Utils/A'" in line and "function/Utils/A.xs" in line for line in lines)
    assert changed_files(head) == {"ws/xanoctl.lock", "ws/function/Utils/A.xs", "ws/function/Utils/B.xs",
                                   "ws/function/Tasks/C.xs"}
    assert not repo.is_dirty(untracked_files=True)
    assert TOKEN not in head.message
    cli("pull", "--dir", "ws", "--commit")
    assert repo.head.commit == head  # nothing changed: no empty commit


def test_changes_outside_the_workspace_folder_are_left_out_of_the_commit(emu, cli, repo, tmp_path):
    cli("pull", "--dir", "ws", "--commit")
    (tmp_path / "README.md").write_text("edited\n")
    (tmp_path / "staged.txt").write_text("staged\n")
    repo.index.add(["staged.txt"])
    (tmp_path / "untracked.txt").write_text("x\n")
    obj = emu.add("function", "Utils/D", function_source("Utils/D"))
    cli("pull", "--dir", "ws", "--commit")
    head = repo.head.commit
    assert head.message.startswith("xanoctl pull: function 'Utils/D' added\n")
    assert f"(id {obj.id})" in head.message
    assert changed_files(head) == {"ws/xanoctl.lock", "ws/function/Utils/D.xs"}
    assert (tmp_path / "README.md").read_text() == "edited\n"
    assert "staged.txt" in [d.a_path for d in repo.index.diff("HEAD")]  # still staged, not committed
    assert "untracked.txt" in repo.untracked_files


def test_unrelated_changes_in_the_workspace_folder_are_refused_before_anything_is_written(emu, cli, repo, tmp_path):
    cli("pull", "--dir", "ws", "--commit")
    (tmp_path / "ws/function/Utils/A.xs").write_text("local edit")
    (tmp_path / "ws/notes.txt").write_text("stray")
    emu.add("function", "Utils/E", function_source("Utils/E"))
    before, head = snapshot(tmp_path / "ws"), repo.head.commit
    result = cli("pull", "--dir", "ws", "--commit", code=1)
    assert "uncommitted changes in" in result.stderr and "ws/function/Utils/A.xs" in result.stderr
    assert snapshot(tmp_path / "ws") == before and repo.head.commit == head


def test_uncommitted_output_of_an_earlier_pull_is_committed(emu, cli, repo, tmp_path):
    cli("pull", "--dir", "ws")
    emu.add("function", "Utils/F", function_source("Utils/F"))
    cli("pull", "--dir", "ws", "--commit")
    head = repo.head.commit
    assert "ws/function/Utils/A.xs" in changed_files(head) and "ws/function/Utils/F.xs" in changed_files(head)
    assert head.message.startswith("xanoctl pull: 4 added\n")  # what the commit holds
    assert "function 'Utils/A'" in head.message
    assert not repo.is_dirty(untracked_files=True)


def test_commit_after_a_pull_without_it_commits_even_when_nothing_changed_since(emu, cli, repo, tmp_path):
    cli("pull", "--dir", "ws")
    broken = emu.add("function", "Utils/Broken", function_source("Utils/Broken"))
    emu.mutate(lambda s: setattr(broken, "xanoscript_error", "cannot render"))
    result = cli("pull", "--dir", "ws", "--commit")
    head = repo.head.commit
    assert result.stdout.splitlines()[-1] == f"committed {head.hexsha[:12]}"
    assert head.message.startswith("xanoctl pull: 3 added\n")
    assert "not pulled (Xano could not render it): function 'Utils/Broken'" in head.message
    assert not repo.is_dirty(untracked_files=True)


def test_commit_outside_a_repository_says_what_to_do(emu, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("pull", "--dir", "ws", "--commit", code=1)
    assert "not inside a git repository" in result.stderr and "git init" in result.stderr
    assert not (tmp_path / "ws").exists()
