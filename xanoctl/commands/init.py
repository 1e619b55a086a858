"""`xanoctl init`: write xanoctl.yaml (instance, workspace, branch, folder), checked against
Xano when a token is at hand. Never a token."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from xanoctl.config import (CONFIG_NAME, DEFAULT_DIR, LAYOUTS, credentials_path, find_token, missing_scheme,
                            normalize_instance, parse_workspace, write_config)
from xanoctl.errors import UsageError, XanoctlError
from xanoctl.ui.errors import notice
from xanoctl.ui.output import echo, format_option, print_json


@click.command()
@click.option("--instance", envvar="XANO_INSTANCE",
              help="Metadata API base URL (e.g. https://x123.xano.io/api:meta; a bare origin gets /api:meta; "
                   "host:port needs its scheme). Asked on a terminal when missing.")
@click.option("--workspace", envvar="XANO_WORKSPACE",
              help="Workspace id. With a token, the one the token sees when it sees one, else chosen from them.")
@click.option("--branch", envvar="XANO_BRANCH", default="", help="Branch label (empty: the live branch).")
@click.option("--dir", "folder", default=DEFAULT_DIR, show_default=True,
              help="Workspace folder, relative to xanoctl.yaml.")
@click.option("--layout", type=click.Choice(LAYOUTS), default=LAYOUTS[0], show_default=True,
              help="File names: readable (names as they are) or official (the official Xano CLI's snake_case "
                   "paths, to share a tree with it).")
@click.option("--force", is_flag=True, help="Overwrite an existing xanoctl.yaml.")
@click.option("--no-check", is_flag=True, help="Do not ask Xano, even with a token at hand.")
@format_option("text", "json", help="text: what was written and the next step; json: the same (docs/json.md).")
def init(instance: str | None, workspace: str | None, branch: str, folder: str, layout: str, force: bool,
         no_check: bool, fmt: str) -> None:
    """Write xanoctl.yaml in the current folder. The token is never written: keep it in
    XANO_TOKEN or in ~/.config/xanoctl/credentials.

    With a token at hand, the settings are checked before anything is written: the instance
    answers and takes the token, the workspace is one the token can see (a wrong id lists
    them), the branch exists. Then it prints the next step.

    \b
    Examples:
      xanoctl init --instance https://x123.xano.io --workspace 1
      xanoctl init --instance http://localhost:8787 --workspace 1 --branch dev
      XANO_TOKEN=... xanoctl init --instance https://x123.xano.io   the workspace the token sees
      xanoctl init --instance https://x123.xano.io --workspace 1 --layout official
    """
    path = Path.cwd() / CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(f"{path} already exists: edit it, or pass --force to overwrite it")
    if Path(folder).is_absolute() or ".." in Path(folder).parts:
        raise UsageError("--dir must be a folder inside the repository (relative, without ..)")
    talk = fmt == "text" and _interactive()
    base = normalize_instance(_instance(instance, talk))
    token, _ = find_token(base, os.environ, None)
    chosen = parse_workspace(workspace, "--workspace") if workspace not in (None, "") else None
    name = None
    checked = False
    if token and not no_check:
        chosen, name = _check(base, token, chosen, branch.strip(), talk)
        checked = True
    elif chosen is None:
        raise UsageError("pass --workspace ID (with a token in XANO_TOKEN, init lists the workspaces it can see)")
    write_config(path, instance=base, workspace=chosen, branch=branch.strip(), dir=Path(folder).as_posix(),
                 layout=layout)
    steps = _next_steps(token, path.parent)
    if fmt == "json":
        print_json({"config": str(path), "instance": base, "workspace": chosen, "workspace_name": name,
                    "branch": branch.strip(), "dir": Path(folder).as_posix(), "layout": layout, "checked": checked,
                    "next": steps})
        return
    shown = f"{chosen} ({name})" if name else str(chosen)
    echo(f"wrote {path.name}: instance {base}, workspace {shown}, branch {branch.strip() or '(live)'}, "
         f"folder {folder}/" + (f", {layout} layout" if layout != LAYOUTS[0] else ""))
    if checked:
        notice("checked: the instance answers, the token sees the workspace and the branch exists")
    echo("next: " + "; then ".join(steps))


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _instance(instance: str | None, talk: bool) -> str:
    """The instance URL: given, or asked on a terminal; ``host:port`` asked about its scheme."""
    if not instance:
        if not talk:
            raise UsageError("pass --instance URL (e.g. https://x123.xano.io), or set XANO_INSTANCE")
        instance = click.prompt("Instance URL (e.g. https://x123.xano.io)").strip()
    instance = instance.strip()
    if "://" not in instance and missing_scheme(instance) and talk:
        scheme = click.prompt(f"{instance} has no scheme: http or https?", type=click.Choice(["http", "https"]))
        instance = f"{scheme}://{instance}"
    return instance


def _check(base: str, token: str, chosen: int | None, branch: str, talk: bool) -> tuple[int, str | None]:
    """The workspace id (given, the only one the token sees, or chosen) and its name, once
    checked with Xano; a one-line error that lists what the token sees otherwise."""
    from xanoctl.sync.checks import ask, branch_names, find_branch, find_workspace, workspace_names

    found = ask(base, token, chosen)
    if found.workspaces is None:
        raise XanoctlError(f"{found.error}; or pass --no-check to write the file unchecked") if found.error else \
            XanoctlError("no answer from Xano")
    seen = found.workspaces
    if chosen is None:
        if len(seen) == 1:
            chosen = int(seen[0]["id"])
        elif talk and seen:
            echo("the token sees the workspaces " + workspace_names(seen))
            chosen = click.prompt("Workspace id", type=click.Choice([str(w["id"]) for w in seen]), show_choices=False)
            chosen = int(chosen)
            found = ask(base, token, chosen)
        else:
            raise UsageError(f"pass --workspace ID: the token sees {workspace_names(seen)}")
    workspace = find_workspace(seen, chosen)
    if workspace is None:
        raise UsageError(f"workspace {chosen} is not one the token can see: {workspace_names(seen)}; "
                         "pass --workspace with one of them")
    if found.branches is None:
        found = ask(base, token, chosen)
    if found.branches is not None and find_branch(found.branches, branch) is None:
        raise UsageError(f"no branch {branch!r} in workspace {chosen}: {branch_names(found.branches)}; pass "
                         "--branch with one of them (empty: the live branch)")
    return chosen, workspace.get("name")


def _next_steps(token: str | None, root: Path) -> list[str]:
    steps = []
    if not token:
        steps.append(f"export XANO_TOKEN=... (or put `token: ...` in {credentials_path(os.environ)})")
    if not _in_git(root):
        steps.append("`git init`")
    steps.append("`xanoctl doctor` to check everything" if not token else "`xanoctl pull --commit`")
    if not token:
        steps.append("`xanoctl pull --commit`")
    return steps


def _in_git(folder: Path) -> bool:
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))
