"""`xanoctl init`: write xanoctl.yaml (instance, workspace, branch, folder). Never a token."""

from __future__ import annotations

import os
from pathlib import Path

import click

from xanoctl.config import (CONFIG_NAME, DEFAULT_DIR, LAYOUTS, credentials_path, normalize_instance, parse_workspace,
                            write_config)
from xanoctl.errors import UsageError


@click.command()
@click.option("--instance", envvar="XANO_INSTANCE", required=True,
              help="Metadata API base URL (e.g. https://x123.xano.io/api:meta; a bare origin gets /api:meta).")
@click.option("--workspace", envvar="XANO_WORKSPACE", required=True, help="Workspace id.")
@click.option("--branch", envvar="XANO_BRANCH", default="", help="Branch label (empty: the live branch).")
@click.option("--dir", "folder", default=DEFAULT_DIR, show_default=True,
              help="Workspace folder, relative to xanoctl.yaml.")
@click.option("--layout", type=click.Choice(LAYOUTS), default=LAYOUTS[0], show_default=True,
              help="File names: readable (names as they are) or official (the official Xano CLI's snake_case "
                   "paths, to share a tree with it).")
@click.option("--force", is_flag=True, help="Overwrite an existing xanoctl.yaml.")
def init(instance: str, workspace: str, branch: str, folder: str, layout: str, force: bool) -> None:
    """Write xanoctl.yaml in the current folder. The token is never written: keep it in
    XANO_TOKEN or in ~/.config/xanoctl/credentials."""
    path = Path.cwd() / CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(f"{path} already exists: edit it, or pass --force to overwrite it")
    if Path(folder).is_absolute() or ".." in Path(folder).parts:
        raise UsageError("--dir must be a folder inside the repository (relative, without ..)")
    base = normalize_instance(instance)
    write_config(path, instance=base, workspace=parse_workspace(workspace, "--workspace"), branch=branch.strip(),
                 dir=Path(folder).as_posix(), layout=layout)
    click.echo(f"wrote {path.name}: instance {base}, workspace {workspace}, branch {branch or '(live)'}, "
               f"folder {folder}/" + (f", {layout} layout" if layout != LAYOUTS[0] else ""))
    if not os.environ.get("XANO_TOKEN") and not credentials_path(os.environ).is_file():
        click.echo(f"next: export XANO_TOKEN=... (or put `token: ...` in {credentials_path(os.environ)}), "
                   "then run `xanoctl pull`")
