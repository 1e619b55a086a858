"""What ``xanoctl init`` and ``xanoctl doctor`` check, one :class:`Check` each: the settings,
the token, the instance, the workspace, the branch, git and the workspace folder.

Every check says what it found in one line, and what to do when it failed; a check that
cannot run because an earlier one failed is skipped, not failed again. The token is never
shown: only where it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from xanoctl.config import CONFIG_NAME, Config, display_path, load_config
from xanoctl.errors import XanoctlError
from xanoctl.ui.words import plural

OK, WARN, FAIL, SKIP = "ok", "warning", "failed", "skipped"


@dataclass
class Check:
    name: str
    status: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"check": self.name, "status": self.status, "detail": self.detail}


@dataclass
class Remote:
    """What the instance answered: the account, the workspaces the token sees, the branches of
    the configured workspace (None: not asked, or the question failed)."""

    account: dict[str, Any] | None = None
    workspaces: list[dict[str, Any]] | None = None
    branches: list[dict[str, Any]] | None = None
    error: XanoctlError | None = None


def workspace_names(workspaces: list[dict[str, Any]]) -> str:
    """``1 (demo), 4 (crm)``."""
    return ", ".join(f"{w.get('id')} ({w.get('name')})" for w in workspaces) or "none"


def branch_names(branches: list[dict[str, Any]]) -> str:
    return ", ".join(str(b.get("label")) + (" (live)" if b.get("live") else "") for b in branches) or "none"


def find_workspace(workspaces: list[dict[str, Any]], wanted: int) -> dict[str, Any] | None:
    return next((w for w in workspaces if w.get("id") == wanted), None)


def find_branch(branches: list[dict[str, Any]], wanted: str) -> dict[str, Any] | None:
    """The branch labelled ``wanted``; ``""`` is the live one."""
    if not wanted:
        return next((b for b in branches if b.get("live")), None)
    return next((b for b in branches if b.get("label") == wanted), None)


def ask(instance: str, token: str, workspace: int | None, config: Config | None = None) -> Remote:
    """The account, the workspaces and (for ``workspace``) its branches, in one client; a
    failure is kept in ``error`` with what was learnt before it."""
    from xanoctl.config import HttpSettings
    from xanoctl.xano.client import XanoClient

    found = Remote()
    http = config.http if config is not None else HttpSettings()
    try:
        with XanoClient(instance, token, workspace or 0, config.branch if config else "", http) as client:
            found.account = client.me()
            found.workspaces = client.workspaces()
            if workspace is not None and find_workspace(found.workspaces, workspace) is not None:
                found.branches = client.branches()
    except XanoctlError as exc:
        found.error = exc
    return found


# ---------------------------------------------------------------------------- doctor


def doctor(load: Callable[[], Config] = load_config) -> list[Check]:
    """Every check, in order; ``load`` reads the settings (flags applied)."""
    checks: list[Check] = []
    try:
        config = load()
    except XanoctlError as exc:
        return [Check("config", FAIL, str(exc))] + [Check(name, SKIP, "the settings cannot be read")
                                                      for name in ("token", "instance", "workspace", "branch",
                                                                   "git", "layout")]
    checks.append(_config(config))
    checks.append(Check("token", OK, f"from {_shown(config.token_from)} (not shown)") if config.token else
                  Check("token", FAIL, "no token: set XANO_TOKEN or write `token: ...` to the credentials file "
                                       "(~/.config/xanoctl/credentials), never to xanoctl.yaml"))
    checks += _remote(config)
    checks.append(_git(config))
    checks.append(_layout(config))
    return checks


def _config(config: Config) -> Check:
    if config.config_file is None:
        where = "no xanoctl.yaml (settings from flags and the environment; `xanoctl init` writes one)"
        status = WARN
    else:
        where, status = display_path(config.config_file), OK
        try:  # the lint section too, rule options included
            from xanoctl.lint.config import load_config as load_lint

            load_lint(config.config_file)
        except XanoctlError as exc:
            return Check("config", FAIL, str(exc))
    missing = [name for name, value in (("instance", config.instance), ("workspace", config.workspace))
               if value is None]
    if missing:
        return Check("config", FAIL, f"{where}: no {' and no '.join(missing)}: run `xanoctl init` or set "
                                     f"{', '.join('XANO_' + name.upper() for name in missing)}")
    return Check("config", status, f"{where}: instance {config.instance}, workspace {config.workspace}, "
                                   f"branch {config.branch or '(live)'}, folder {_shown(config.dir)}/")


def _remote(config: Config) -> list[Check]:
    names = ("instance", "workspace", "branch")
    if config.instance is None or config.workspace is None or not config.token:
        return [Check(name, SKIP, "needs the instance, the workspace and a token") for name in names]
    found = ask(config.instance, config.token, config.workspace, config)
    if found.account is None:
        error = str(found.error) if found.error else "no answer"
        if found.error is not None and getattr(found.error, "status", None) in (401, 403):
            return [Check("instance", FAIL, f"{config.instance} answers, but {error}")] + [
                Check(name, SKIP, "the token was refused") for name in names[1:]]
        return [Check("instance", FAIL, error)] + [Check(name, SKIP, "the instance does not answer")
                                                   for name in names[1:]]
    who = found.account.get("name") or found.account.get("email") or "the token's account"
    checks = [Check("instance", OK, f"{config.instance} answers; the token is {who}'s")]
    if found.workspaces is None:
        return checks + [Check("workspace", FAIL, str(found.error)), Check("branch", SKIP, "no workspace")]
    workspace = find_workspace(found.workspaces, config.workspace)
    if workspace is None:
        return checks + [
            Check("workspace", FAIL, f"workspace {config.workspace} is not one the token can see "
                                     f"({workspace_names(found.workspaces)}): fix `workspace` in xanoctl.yaml "
                                     "(or XANO_WORKSPACE)"),
            Check("branch", SKIP, "no workspace")]
    checks.append(Check("workspace", OK, f"{config.workspace} ({workspace.get('name')})"))
    if found.branches is None:
        return checks + [Check("branch", FAIL, str(found.error) if found.error else "no answer")]
    branch = find_branch(found.branches, config.branch)
    if branch is None:
        wanted = repr(config.branch) if config.branch else "the live branch"
        checks.append(Check("branch", FAIL, f"no branch {wanted} in workspace {config.workspace} "
                                            f"({branch_names(found.branches)}): fix `branch` in xanoctl.yaml"))
    else:
        checks.append(Check("branch", OK, f"{branch.get('label')}" + (" (live)" if branch.get("live") else "")))
    return checks


def _git(config: Config) -> Check:
    import git

    folder = config.config_file.parent if config.config_file else Path(config.dir).parent
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return Check("git", FAIL, f"{folder.resolve()} is not in a git repository: run `git init` (pull --commit, "
                                  "push --commit and rollback --to need it)")
    root = Path(repo.working_tree_dir or folder)
    notes = []
    if config.config_file is not None:
        rel = os.path.relpath(config.config_file, root)
        if not repo.git.ls_files("--", rel).strip():
            notes.append(f"{CONFIG_NAME} is not committed (`xanoctl pull --commit` commits it)")
    try:
        repo.head.commit
    except ValueError:
        notes.append("no commit yet")
    return Check("git", WARN if notes else OK, f"repository {root}" + (f"; {'; '.join(notes)}" if notes else ""))


def _layout(config: Config) -> Check:
    from xanoctl.sync.localscan import untracked_files
    from xanoctl.sync.manifest import MANIFEST_NAME, load_manifest
    from xanoctl.sync.workspace import WorkspaceFolder

    folder = Path(config.dir)
    if not folder.is_dir():
        return Check("layout", FAIL, f"no workspace folder {_shown(folder)}/: run `xanoctl pull`")
    try:
        manifest = load_manifest(folder)
    except XanoctlError as exc:
        return Check("layout", FAIL, str(exc))
    if manifest is None:
        return Check("layout", FAIL, f"no {MANIFEST_NAME} in {_shown(folder)}/: run `xanoctl pull`")
    if manifest.workspace is not None and (manifest.workspace, manifest.branch) != (config.workspace, config.branch):
        return Check("layout", FAIL, f"{_shown(folder)}/ was pulled from workspace {manifest.workspace} branch "
                                     f"{manifest.branch or '(live)'}, not the configured one: fix xanoctl.yaml, "
                                     "or pull into another folder (--dir)")
    ws = WorkspaceFolder(folder)
    missing = [entry.path for entry in manifest.entries.values() if not (ws.root / entry.path).is_file()]
    new = untracked_files(ws, manifest.by_path())
    facts = [plural(len(manifest.entries), "object"), f"{config.layout} layout"]
    if missing:
        facts.append(f"{plural(len(missing), 'file')} deleted locally")
    if new:
        facts.append(f"{plural(len(new), 'new file')}")
    unfinished = _unfinished_push(config)
    if unfinished:
        return Check("layout", FAIL, f"{_shown(folder)}/: {', '.join(facts)}; {unfinished}")
    return Check("layout", OK, f"{_shown(folder)}/: {', '.join(facts)}")


def _unfinished_push(config: Config) -> str | None:
    from xanoctl.sync.statedir import state_dir
    from xanoctl.sync.status import unfinished_in

    return unfinished_in(state_dir(config))


def _shown(path: Path | str) -> str:
    return display_path(Path(path)) if path and (os.sep in str(path) or Path(path).exists()) else str(path)
