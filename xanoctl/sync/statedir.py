"""``.xanoctl/``: xanoctl's private, git-ignored folder (push journals, pulled-content copies).

It sits beside ``xanoctl.yaml`` when there is one (the repository root, where the linter keeps
``.xanoctl/cache/`` too), else beside the workspace folder. It keeps itself out of git with a
``.gitignore`` of ``*`` inside it (which ignores that file too); the repository's own
``.gitignore`` is never touched.
"""

from __future__ import annotations

from pathlib import Path

from xanoctl.config import Config

NAME = ".xanoctl"


def state_dir(config: Config) -> Path:
    root = config.config_file.parent if config.config_file else Path(config.dir).parent
    return root / NAME


def ensure(folder: Path) -> Path:
    """Create ``folder`` (a ``.xanoctl/``) with the ignore file that keeps it out of git, and
    nothing else. Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    inner = folder / ".gitignore"
    if not inner.exists():
        inner.write_text("# created by xanoctl: private state, never committed\n*\n", encoding="utf-8")
    return folder


ensure_private = ensure  # the name pull's merge bases know it by
