"""Object -> file path: the layout, safe segments, stable collision suffixes, and the
workspace folder's refusal to touch anything outside itself."""

from __future__ import annotations

import os

import pytest

from xanoctl.errors import XanoctlError
from xanoctl.sync import officialpaths
from xanoctl.sync.paths import MAX_SEGMENT_BYTES, OFFICIAL, Placement, assign_paths, planned_path, safe_segment
from xanoctl.sync.workspace import UnsafePathError, WorkspaceFolder


def paths_of(*items, previous=None, layout="readable", keep=()):
    return assign_paths(items, previous, layout=layout, keep=keep)


def fn(ident, name):
    return Placement("function", ident, name)


def test_the_layout_of_every_kind():
    result = paths_of(fn(1, "Workers/FUB - Sync People"), Placement("task", 1, "Nightly sync"),
                      Placement("table", 1, "user"), Placement("middleware", 1, "auth check"),
                      Placement("api_group", 4, "Tests"), Placement("query", 9, "users/{id}", "GET", 4, "Tests"),
                      Placement("query", 10, "users", "post", 4, "Tests"))
    assert sorted(result.values()) == [
        "api/Tests/api_group.xs", "api/Tests/users/{id}_GET.xs", "api/Tests/users_POST.xs",
        "function/Workers/FUB - Sync People.xs", "middleware/auth check.xs", "table/user.xs",
        "task/Nightly sync.xs"]


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../../b", "a\x00b", "CON", "nul", "com1.backup",
    "LPT9", "x" * 300, "é" * 200, "trailing. ", ".git/config", "a.xs/b", "C:\\Windows\\system32", "a:b|c?d*e",
    "<script>", "tab\there", "new\nline", "/".join(["deep"] * 40), "////", "🚀/🚀🚀",
])
@pytest.mark.parametrize("layout", ["readable", "official"])
def test_hostile_names_map_to_safe_relative_paths(name, layout, tmp_path):
    path = paths_of(fn(7, name), layout=layout)[("function", 7)]
    limit = MAX_SEGMENT_BYTES if layout == "readable" else officialpaths.MAX_SEGMENT_BYTES
    parts = path.split("/")
    assert parts[0] == "function" and path.endswith(".xs")
    assert not path.startswith("/") and "\\" not in path and "\x00" not in path and ":" not in path
    for part in parts:
        assert part not in ("", ".", "..") and not part.startswith(".")
        assert len(part.encode("utf-8")) <= limit + len(".xs")
        assert part.split(".")[0].upper() not in ("CON", "NUL", "COM1", "LPT9")
        assert not any(ch in part for ch in '<>:"|?*') and all(ord(ch) >= 32 for ch in part)
    assert len(parts) <= 10
    folder = WorkspaceFolder(tmp_path)
    folder.write(path, b"x")
    assert folder.resolve(path).is_relative_to(tmp_path.resolve())


def test_a_lossy_name_always_carries_its_id_and_a_clean_name_never_does():
    result = paths_of(fn(3, "a:b"), fn(4, "a?b"), fn(5, "plain"))
    assert result == {("function", 3): "function/a_b~3.xs", ("function", 4): "function/a_b~4.xs",
                      ("function", 5): "function/plain.xs"}


def test_names_that_differ_only_in_case_get_a_suffix_by_id_and_keep_their_paths():
    first = paths_of(fn(8, "Foo"), fn(2, "foo"))
    assert first == {("function", 2): "function/foo.xs", ("function", 8): "function/Foo~8.xs"}
    # the lowest id goes away: the other keeps the path it had (stable), no renames
    later = paths_of(fn(8, "Foo"), previous=first)
    assert later == {("function", 8): "function/Foo~8.xs"}
    # a newcomer does not take an existing object's path
    again = paths_of(fn(8, "Foo"), fn(1, "FOO"), previous=later)
    assert again == {("function", 8): "function/Foo~8.xs", ("function", 1): "function/FOO.xs"}


def test_names_that_differ_only_in_unicode_normalization_do_not_share_a_file_on_macos():
    composed, decomposed = "Utils/Caf\u00e9", "Utils/Cafe\u0301"  # one file on APFS and HFS+
    result = paths_of(fn(1, composed), fn(2, decomposed))
    assert result == {("function", 1): f"function/{composed}.xs", ("function", 2): f"function/{decomposed}~2.xs"}
    groups = paths_of(Placement("api_group", 1, "Caf\u00e9"), Placement("api_group", 2, "CAFE\u0301"))
    assert groups[("api_group", 2)] == "api/CAFE\u0301~2/api_group.xs"


def test_the_same_objects_always_map_to_the_same_files():
    items = [fn(i, name) for i, name in enumerate(["a", "A", "a:", "b/c", "B/c", "x" * 120, "?"], start=1)]
    assert paths_of(*items) == paths_of(*reversed(items))
    assert len(set(paths_of(*items).values())) == len(items)


def test_api_groups_that_collide_get_distinct_folders_and_endpoints_follow():
    result = paths_of(Placement("api_group", 1, "Tests"), Placement("api_group", 2, "tests"),
                      Placement("api_group", 3, "a/b"),
                      Placement("query", 1, "x", "GET", 1, "Tests"), Placement("query", 2, "x", "GET", 2, "tests"),
                      Placement("query", 3, "x", "GET", 3, "a/b"))
    assert result[("api_group", 2)] == "api/tests~2/api_group.xs"
    assert result[("query", 2)] == "api/tests~2/x_GET.xs"
    assert result[("api_group", 3)] == "api/a_b~3/api_group.xs" and result[("query", 3)] == "api/a_b~3/x_GET.xs"


def test_endpoints_with_the_same_path_and_verb_in_one_group_do_not_collide():
    result = paths_of(Placement("query", 1, "x", "GET", 1, "G"), Placement("query", 2, "x", "GET", 1, "G"))
    assert result == {("query", 1): "api/G/x_GET.xs", ("query", 2): "api/G/x_GET~2.xs"}


@pytest.mark.parametrize("raw,safe", [("ok name", "ok name"), ("a/b", "a_b"), ("..", "__"), ("CON", "_CON"),
                                      (".hidden", "_hidden"), ("end.", "end"), ("x.xs", "x.xs")])
def test_safe_segment(raw, safe):
    assert safe_segment(raw) == safe


@pytest.mark.parametrize("rel", ["../x.xs", "/etc/passwd", "a/../../x", "", "a//b", "a\x00b", "a\\..\\b", "."])
def test_the_workspace_folder_refuses_paths_that_are_not_plain_and_inside(rel, tmp_path):
    with pytest.raises(UnsafePathError) as caught:
        WorkspaceFolder(tmp_path / "ws").resolve(rel)
    assert f"refusing the path {rel!r}: not a plain relative path inside the workspace" in str(caught.value)


def test_the_workspace_folder_refuses_to_follow_a_symlink_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    root.mkdir()
    os.symlink(outside, root / "function")
    folder = WorkspaceFolder(root)
    with pytest.raises(UnsafePathError, match="outside"):
        folder.write("function/x.xs", b"data")
    assert not list(outside.iterdir())


def test_removing_a_file_prunes_empty_folders_but_not_the_root(tmp_path):
    folder = WorkspaceFolder(tmp_path)
    folder.write("function/a/b/c.xs", b"1")
    folder.write("function/keep.xs", b"2")
    assert folder.remove("function/a/b/c.xs")
    assert not (tmp_path / "function" / "a").exists() and (tmp_path / "function" / "keep.xs").exists()
    assert folder.remove("function/keep.xs") and tmp_path.exists() and not (tmp_path / "function").exists()
    assert not folder.remove("function/keep.xs")


@pytest.mark.parametrize("rel", ["../x.xs", "/etc/passwd", "a//b", "a\x00b"])
def test_a_new_workspace_folder_built_aside_refuses_unsafe_paths_too(rel, tmp_path):
    folder = WorkspaceFolder(tmp_path / "new" / "ws")
    with pytest.raises(UnsafePathError, match="not a plain relative path inside the workspace"):
        folder.stage({"function/ok.xs": b"1", rel: b"2"})
    assert not (tmp_path / "new").exists()  # nothing left, not even the parent it created


def test_a_new_workspace_folder_is_built_aside_and_renamed_into_place(tmp_path):
    folder = WorkspaceFolder(tmp_path / "ws")
    files = {"function/Utils/a.xs": b"a", "function/b.xs": b"b", "api/G/api_group.xs": b"g"}
    staged = folder.stage(files)
    assert not (tmp_path / "ws").exists()  # nothing visible before install
    folder.install(staged)
    assert {p.relative_to(tmp_path / "ws").as_posix(): p.read_bytes()
            for p in (tmp_path / "ws").rglob("*") if p.is_file()} == files
    assert os.listdir(tmp_path) == ["ws"]  # no leftover beside it
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "ws").stat().st_mode & 0o777 == 0o777 & ~umask  # an ordinary folder, not a private one


def test_a_failure_building_a_new_folder_leaves_nothing(tmp_path):
    folder = WorkspaceFolder(tmp_path / "ws")
    with pytest.raises(XanoctlError, match="cannot write function/a.xs/b.xs"):
        folder.stage({"function/a.xs": b"file", "function/a.xs/b.xs": b"under a file"})
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- the official CLI's layout


def official(*items, previous=None, keep=()):
    return paths_of(*items, previous=previous, layout=OFFICIAL, keep=keep)


def test_the_official_layout_of_every_kind():
    result = official(fn(1, "Tasks/reZEN - Onboarding Start Job"), Placement("task", 1, "Task 0 - Stage Listings"),
                      Placement("table", 1, "UserProfile"), Placement("middleware", 1, "Auth Check"),
                      Placement("api_group", 4, "Shop API"), Placement("query", 9, "users/{user_id}", "GET", 4, "Shop API"),
                      Placement("query", 10, "v1/HubSpot/{id}", "patch", 4, "Shop API"),
                      Placement("query", 11, "users", "POST", 4, "Shop API"))
    assert sorted(result.values()) == [
        "api/shop_api/shop_api.xs", "api/shop_api/users/user_id_GET.xs", "api/shop_api/users_POST.xs",
        "api/shop_api/v_1/hub_spot/id_PATCH.xs", "function/tasks/re_zen_onboarding_start_job.xs",
        "middleware/auth_check.xs", "table/user_profile.xs", "task/task_0_stage_listings.xs"]


def test_the_official_layout_numbers_duplicates_in_the_official_order():
    result = official(fn(3, "a/Foo Bar"), fn(1, "A/foo_bar"), fn(2, "a/FOO-BAR"), fn(4, "a//foo bar"))
    assert result == {("function", 1): "function/a/foo_bar.xs", ("function", 2): "function/a/foo_bar_2.xs",
                      ("function", 3): "function/a/foo_bar_3.xs", ("function", 4): "function/a/foo_bar_4.xs"}


def test_an_official_duplicate_suffix_never_takes_a_file_another_name_maps_to():
    result = official(fn(1, "x 2"), fn(2, "x"), fn(3, "X"))
    assert result == {("function", 1): "function/x_2.xs", ("function", 2): "function/x.xs",
                      ("function", 3): "function/x_3.xs"}


def test_official_api_groups_with_one_snake_name_get_numbered_folders_and_keep_their_file_name():
    result = official(Placement("api_group", 1, "Authentication"), Placement("api_group", 2, "authentication"),
                      Placement("query", 5, "login", "POST", 2, "authentication"))
    assert result == {("api_group", 1): "api/authentication/authentication.xs",
                      ("api_group", 2): "api/authentication_2/authentication.xs",
                      ("query", 5): "api/authentication_2/login_POST.xs"}


@pytest.mark.parametrize("name,path", [("!!!", "function/_~7.xs"), ("con", "function/_con~7.xs"),
                                       ("a/!!!/b", "function/a/b.xs"), ("/x", "function/x.xs"),
                                       ("\u00c9t\u00e9 2024", "function/ete_2024.xs")])
def test_official_names_the_official_cli_cannot_write_get_a_safe_name_and_the_id(name, path):
    assert official(fn(7, name)) == {("function", 7): path}


def test_an_endpoint_without_a_verb_and_with_an_empty_leaf_in_the_official_layout():
    result = official(Placement("api_group", 1, "G"), Placement("query", 2, "users/", "GET", 1, "G"),
                      Placement("query", 3, "ping", None, 1, "G"))
    assert result[("query", 2)] == "api/g/users/_GET.xs" and result[("query", 3)] == "api/g/ping.xs"


def test_a_file_stays_where_it_is_while_kept_and_a_renamed_object_moves_to_the_layout():
    previous = {("function", 1): "function/Tasks/Sync.xs", ("api_group", 2): "api/Shop/api_group.xs"}
    items = [fn(1, "Tasks/Sync"), Placement("api_group", 2, "Shop"), Placement("query", 3, "x", "GET", 2, "Shop")]
    kept = official(*items, previous=previous, keep={("function", 1), ("api_group", 2)})
    # the new endpoint goes into its group's folder, wherever that is
    assert kept == {("function", 1): "function/Tasks/Sync.xs", ("api_group", 2): "api/Shop/api_group.xs",
                    ("query", 3): "api/Shop/x_GET.xs"}
    moved = official(*items, previous=previous)
    assert moved == {("function", 1): "function/tasks/sync.xs", ("api_group", 2): "api/shop/shop.xs",
                     ("query", 3): "api/shop/x_GET.xs"}


def test_an_official_path_that_still_fits_its_object_is_kept_without_being_told():
    first = official(fn(1, "x"), fn(2, "X"))
    assert official(fn(2, "X"), previous=first) == {("function", 2): "function/x_2.xs"}
    assert official(fn(2, "X"), fn(5, "x"), previous={("function", 2): "function/x_2.xs"}) == \
        {("function", 2): "function/x_2.xs", ("function", 5): "function/x.xs"}


def test_planned_path_follows_the_layout():
    item = Placement("query", 1, "users/{id}", "GET", 4, "Shop API")
    assert planned_path(item) == "api/Shop API/users/{id}_GET.xs"
    assert planned_path(item, OFFICIAL) == "api/shop_api/users/id_GET.xs"
