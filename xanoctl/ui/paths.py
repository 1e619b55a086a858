"""PATH arguments, named the way any command prints them.

``status``, ``diff``, ``push`` and ``pull`` print paths inside the workspace folder
(``function/Workers/X.xs``); ``lint`` prints them from the current folder
(``workspace/function/Workers/X.xs``). Every command takes both, from the repository root
and from inside the workspace: a PATH is first taken as given (relative to the current
folder); when nothing is there, it is taken inside the workspace folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def resolve(arg: str | Path, workspace: Path | str | None, cwd: Path | None = None) -> Path:
    """The file or folder ``arg`` names (absolute, symbolic links resolved): as given when it
    exists or lies inside ``workspace``, else inside ``workspace`` when it exists there."""
    cwd = Path.cwd() if cwd is None else cwd
    given = Path(arg)
    target = Path(os.path.realpath(given if given.is_absolute() else cwd / given))
    if given.is_absolute() or workspace is None or target.exists():
        return target
    root = Path(os.path.realpath(workspace))
    inside = Path(os.path.realpath(root / given))
    if inside.is_relative_to(root) and (inside.exists() or not target.is_relative_to(root)):
        return inside
    return target
