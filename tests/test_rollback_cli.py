"""`xanoctl rollback PATH... --to REV` through the CLI, in a real git repository: one
function, several together (or none), across a rename, and what it refuses."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import edited, fn_path, shop  # noqa: E402,F401

from xanoctl.emulator.testing import function_source  # noqa: E402

F01, F02 = fn_path("Utils/f01"), fn_path("Utils/f02")


def rename_f01_remotely_and_pull(shop) -> str:
    """Rename Utils/f01 to Utils/renamed in Xano, pull and commit; the renamed source."""
    renamed = function_source("Utils/renamed", '"Utils/f01"')

    def rename(state):
        obj = shop.stored("function", "Utils/f01")
        state.store.replace(obj, name="Utils/renamed", xanoscript=renamed, verb=None, description="", tags=[],
                            fields={}, publish=True)
    shop.emu.mutate(rename)
    shop.cli("pull")
    shop.commit_all("pull: renamed")
    return renamed


def break_and_ship(shop, *paths: str) -> str:
    """Push a bad version of each path with --commit; return the good revision's short sha."""
    good = shop.repo.head.commit.hexsha[:7]
    for rel in paths:
        shop.write(rel, edited(shop.read(rel), "oops"))
    shop.cli("push", "--commit")
    return good


def test_rollback_one_function_to_a_revision(shop):
    original = shop.read(F01)
    good = break_and_ship(shop, F01)
    assert shop.remote()[("function", "Utils/f01")] != original
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD~1", "--commit")
    assert "rolled back 1 object" in result.output
    assert shop.remote()[("function", "Utils/f01")] == original
    assert shop.read(F01) == original
    commit = shop.repo.head.commit
    assert commit.message.strip() == f"rollback Utils/f01 to {good}"
    assert sorted(commit.stats.files) == ["workspace/" + F01, "workspace/xanoctl.lock"]
    assert shop.cli("status", "--exit-code").exit_code == 0
    assert not shop.repo.is_dirty()


def test_rollback_several_functions_together(shop):
    originals = {rel: shop.read(rel) for rel in (F01, F02)}
    good = break_and_ship(shop, F01, F02)
    shop.cli("rollback", "workspace/" + F01, "workspace/" + F02, "--to", good, "--commit")
    remote = shop.remote()
    assert remote[("function", "Utils/f01")] == originals[F01] == shop.read(F01)
    assert remote[("function", "Utils/f02")] == originals[F02] == shop.read(F02)
    assert shop.repo.head.commit.message.strip() == f"rollback Utils/f01, Utils/f02 to {good}"


def test_several_paths_roll_back_together_or_not_at_all(shop):
    break_and_ship(shop, F01, F02)
    before, tree = shop.remote(), shop.tree()
    head = shop.repo.head.commit.hexsha
    shop.emu.set_faults("5xx-write-burst=3@2")  # the second write fails on every attempt
    result = shop.cli("rollback", "workspace/" + F01, "workspace/" + F02, "--to", "HEAD~1", "--commit",
                      code=1, concurrency=1)
    assert "restored     function/Utils/f01.xs" in result.output
    assert shop.remote() == before and shop.tree() == tree
    assert shop.repo.head.commit.hexsha == head


def test_rollback_finds_a_renamed_file_through_the_manifest_at_the_revision(shop):
    original = shop.read(F01)
    renamed = rename_f01_remotely_and_pull(shop)
    assert not (shop.ws / F01).exists() and shop.read("function/Utils/renamed.xs") == renamed
    shop.cli("rollback", "workspace/" + F01, "--to", "HEAD~1")
    obj = shop.stored("function", "Utils/f01")
    assert obj is not None and obj.id == 1 and obj.xanoscript == original
    assert shop.read("function/Utils/renamed.xs") == original  # the object's current file


def test_rollback_refuses_to_overwrite_uncommitted_unpushed_changes(shop):
    break_and_ship(shop, F01)
    shop.write(F01, edited(shop.read(F01), "wip"))
    before, tree = shop.remote(), shop.tree()
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD~1", code=1)
    assert "has changes that are neither pushed nor committed" in result.output
    assert shop.remote() == before and shop.tree() == tree


def test_rollback_refuses_over_a_remote_change_unless_forced(shop):
    original = shop.read(F01)
    break_and_ship(shop, F01)
    shop.remote_edit("Utils/f01", edited(original, "hotfix-in-the-ui"))
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD~1", code=1)
    assert "changed remotely since the last pull" in result.output
    shop.cli("rollback", "workspace/" + F01, "--to", "HEAD~1", "--force")
    assert shop.remote()[("function", "Utils/f01")] == original


def test_rollback_usage_errors(shop):
    assert "unknown git revision" in shop.cli("rollback", "workspace/" + F01, "--to", "nope", code=2).stderr
    assert "either PATH" in shop.cli("rollback", "workspace/" + F01, code=2).output
    result = shop.cli("rollback", "workspace/function/Utils/none.xs", "--to", "HEAD", code=1)
    assert "no such file at" in result.output
    assert "not folders" in shop.cli("rollback", "workspace/function", "--to", "HEAD", code=2).stderr


def test_a_file_already_at_the_revision_is_not_pushed_again(shop):
    before = shop.remote()
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD")
    assert "already at" in result.output and "not pushed again" in result.output
    assert shop.remote() == before and shop.journals() == []


def test_a_function_broken_in_the_xano_ui_is_put_back_from_git(shop):
    """Nothing local changed, so "already at HEAD" must not hide a broken remote: the remote
    change is refused as a conflict (someone's work), then --force puts the git version back."""
    original = shop.read(F01)
    shop.remote_edit("Utils/f01", edited(original, "broken-in-the-ui"))
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD", code=1)
    assert "changed remotely since the last pull" in result.output and "--force" in result.stderr
    result = shop.cli("rollback", "workspace/" + F01, "--to", "HEAD", "--force", "--commit")
    assert "rolled back 1 object" in result.output
    assert shop.remote()[("function", "Utils/f01")] == original == shop.read(F01)
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_a_function_deleted_in_the_xano_ui_is_created_again_from_git(shop):
    original = shop.read(F01)
    gone = shop.stored("function", "Utils/f01")
    shop.emu.mutate(lambda state: state.store.remove(state.store.workspace(shop.emu.workspace_id).live,
                                                     "function", gone.id))
    assert "deleted remotely" in shop.cli("rollback", "workspace/" + F01, "--to", "HEAD", code=1).output
    shop.cli("rollback", "workspace/" + F01, "--to", "HEAD", "--force")
    back = shop.stored("function", "Utils/f01")
    assert back is not None and back.xanoscript == original
    assert shop.entry(F01)["id"] == back.id
    assert shop.cli("status", "--exit-code").exit_code == 0


def test_rollback_by_the_current_path_of_a_renamed_file(shop):
    """The file has its new name in the working tree (the one an engineer can tab-complete);
    at REV it had the old one: the manifest at REV says which."""
    original = shop.read(F01)
    renamed = rename_f01_remotely_and_pull(shop)
    shop.cli("rollback", "workspace/function/Utils/renamed.xs", "--to", "HEAD~1", "--commit")
    obj = shop.stored("function", "Utils/f01")
    assert obj is not None and obj.id == 1 and obj.xanoscript == original
    assert shop.read("function/Utils/renamed.xs") == original


def test_rollback_of_an_object_deleted_by_a_push_says_how_to_bring_it_back(shop):
    (shop.ws / F02).unlink()
    shop.cli("push", "--delete", "--commit")
    result = shop.cli("rollback", "workspace/" + F02, "--to", "HEAD~1", code=1)
    assert f"git checkout HEAD~1 -- workspace/{F02}" in result.output
    assert f"xanoctl push workspace/{F02}" in result.output
