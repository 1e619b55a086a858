"""``.xanoctl/``: xanoctl's private, git-ignored folder (push journals, pulled-content copies).

It sits beside ``xanoctl.yaml`` when there is one (the repository root, where the linter keeps
``.xanoctl/cache/`` too), else beside the workspace folder. It is kept out of git twice: a
``.gitignore`` of ``*`` inside it, and a ``.xanoctl/`` line in the repository's ``.gitignore``.
"""

from __future__ import annotations

from pathlib import Path

from xanoctl.config import Config

NAME = ".xanoctl"
IGNORE_LINE = ".xanoctl/"


def state_dir(config: Config) -> Path:
    root = config.config_file.parent if config.config_file else Path(config.dir).parent
    return root / NAME


def ensure(folder: Path) -> Path:
    """Create ``folder`` (a ``.xanoctl/``) with its ignore file, and make sure the enclosing
    repository's ``.gitignore`` lists it. Returns ``folder``."""
    ensure_private(folder)
    _ignore_in_repository(folder)
    return folder


def ensure_private(folder: Path) -> Path:
    """Create ``folder`` (a ``.xanoctl/``) with the ignore file that keeps it out of git, and
    nothing else. Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    inner = folder / ".gitignore"
    if not inner.exists():
        inner.write_text("# created by xanoctl: private state, never committed\n*\n", encoding="utf-8")
    return folder


def _ignore_in_repository(folder: Path) -> None:
    import git  # (here: a pull that keeps no state does not pay for importing it)

    try:
        repo = git.Repo(folder.parent, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return
    if repo.working_tree_dir is None:
        return
    ignore = Path(repo.working_tree_dir) / ".gitignore"
    try:
        text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    except (OSError, UnicodeDecodeError):
        return
    lines = {line.strip() for line in text.splitlines()}
    if lines & {".xanoctl/", ".xanoctl", "/.xanoctl/", "/.xanoctl", ".xanoctl/*"}:
        return
    prefix = "" if not text or text.endswith("\n") else "\n"
    try:
        with open(ignore, "a", encoding="utf-8") as handle:
            handle.write(f"{prefix}{IGNORE_LINE}\n")
    except OSError:
        pass  # the inner .gitignore still keeps it out of git
