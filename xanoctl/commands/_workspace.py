"""Options shared by the commands that work on a pulled workspace (status, diff, push,
rollback): the same ``--dir``, ``--instance``, ``--workspace`` and ``--branch`` as ``pull``."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from xanoctl.config import load_config
from xanoctl.sync.context import Context, open_context
from xanoctl.ui.output import emit


def workspace_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--dir", "folder", type=click.Path(file_okay=False),
                     help="Workspace folder (default: from xanoctl.yaml, else ./workspace)."),
        click.option("--instance", help="Metadata API base URL (overrides XANO_INSTANCE and xanoctl.yaml)."),
        click.option("--workspace", help="Workspace id (overrides XANO_WORKSPACE and xanoctl.yaml)."),
        click.option("--branch", help="Branch label (overrides XANO_BRANCH and xanoctl.yaml)."),
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, folder: str | None, instance: str | None, workspace: str | None,
                branch: str | None, **kwargs: Any) -> Any:
        config = load_config(instance=instance, workspace=workspace, branch=branch, dir=folder)
        return command(*args, ctx=open_context(config), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


__all__ = ["Context", "emit", "workspace_options"]
