"""The folder `xanoctl docs --out DIR` writes (xanoctl/views/manual_folder.py): which files are
missing, out of date, left over or not xanoctl's, on hand-made folders."""

from __future__ import annotations

from pathlib import Path

from xanoctl.views import manual_folder
from xanoctl.views.manual_folder import PART, ROOT


def put(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_a_workspace_gone_from_a_nested_folder_is_one_line(tmp_path):
    # the tree held exports/shop and exports/crm; crm is gone
    wanted = manual_folder.files({"README.md": "# Index\n", "exports/shop/README.md": "# Shop\n"})
    assert wanted["README.md"].startswith(ROOT + "\n") and wanted["exports/shop/README.md"].startswith(PART + "\n")
    put(tmp_path, {**wanted, "exports/crm/README.md": f"{PART}\n# Crm\n", "exports/crm/deep/api.md": f"{PART}\n# A\n",
                   "exports/shop/old.md": f"{PART}\n# Old\n"})
    survey = manual_folder.survey(tmp_path, wanted)
    assert survey.problems("m") == ["m/exports/crm/: left over: 2 pages the manual no longer has",
                                    "m/exports/shop/old.md: left over: a page the manual no longer has"]
    manual_folder.write(tmp_path, wanted, survey, "m")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "README.md", "exports", "exports/shop", "exports/shop/README.md"]
    assert manual_folder.survey(tmp_path, wanted).problems("m") == []


def test_what_is_not_the_manuals_stays_out_of_it(tmp_path):
    wanted = manual_folder.files({"README.md": "# Index\n", "v1/README.md": "# V1\n"})
    put(tmp_path, {**wanted,
                   "other/README.md": f"{ROOT}\n# Another manual\n", "other/v9/README.md": f"{PART}\n# Its part\n",
                   ".git/old.md": f"{PART}\n# In a hidden folder\n", "v2/README.md": f"{PART}\n# V2\n",
                   "v2/.notes/todo.md": "ours\n", "v1/extra.md": f"{ROOT}\n# A top page below the top\n",
                   "notes.md": f"# Notes\n{PART}\n"})
    survey = manual_folder.survey(tmp_path, wanted)
    # v2/ holds a hidden folder of the user's: its page is left over, the folder stays
    assert survey.problems("m") == ["m/v2/README.md: left over: a page the manual no longer has"]
    manual_folder.write(tmp_path, wanted, survey, "m")
    assert (tmp_path / "v2" / ".notes" / "todo.md").exists() and not (tmp_path / "v2" / "README.md").exists()
    assert all((tmp_path / name).exists() for name in ("other/README.md", "other/v9/README.md", ".git/old.md",
                                                       "v1/extra.md", "notes.md"))


def test_missing_folders_and_foreign_files(tmp_path):
    wanted = manual_folder.files({"README.md": "# Index\n", "a/b/README.md": "# B\n", "a/b/api.md": "# Api\n"})
    assert manual_folder.survey(tmp_path / "nope", wanted).problems("m") == ["m/: missing (3 pages)"]
    put(tmp_path, {"README.md": "# Our own\n", "a/x.md": "x\n"})
    survey = manual_folder.survey(tmp_path, wanted)
    assert survey.problems("m") == [
        "m/README.md: not written by xanoctl docs (its first line is not the manual's marker)",
        "m/a/b/: missing (2 pages)"]
    assert survey.foreign == ["README.md"] and survey.removed == 0
