"""`xanoctl doctor`: the settings, the token, the instance, the workspace, the branch, git and
the workspace folder, checked one line each."""

from __future__ import annotations

import click

from xanoctl.ui.output import colour_on, echo, format_option, print_json


@click.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="Workspace folder (default: from xanoctl.yaml, else ./workspace).")
@click.option("--instance", help="Metadata API base URL (overrides XANO_INSTANCE and xanoctl.yaml).")
@click.option("--workspace", help="Workspace id (overrides XANO_WORKSPACE and xanoctl.yaml).")
@click.option("--branch", help="Branch label (overrides XANO_BRANCH and xanoctl.yaml).")
@format_option("text", "json", help="text: one line per check; json: the checks (docs/json.md).")
def doctor(folder, instance, workspace, branch, fmt) -> None:
    """Check that everything xanoctl needs is in place, one line each: config (xanoctl.yaml,
    its lint section included), token (where it comes from; never shown), instance (it
    answers and takes the token), workspace (the token sees it), branch (it exists), git (a
    repository, xanoctl.yaml committed) and layout (the workspace folder, its xanoctl.lock, an
    unfinished push). Exit 1 when a check fails; warnings do not fail.

    \b
    Examples:
      xanoctl doctor
      xanoctl doctor --branch dev          check another branch
      xanoctl doctor --format json         for a CI step
    """
    from xanoctl.config import load_config
    from xanoctl.sync.checks import FAIL, OK, WARN, doctor as run

    checks = run(lambda: load_config(instance=instance, workspace=workspace, branch=branch, dir=folder))
    failed = any(check.status == FAIL for check in checks)
    if fmt == "json":
        print_json({"ok": not failed, "checks": [check.as_json() for check in checks]})
    else:
        color = colour_on()
        styles = {OK: "green", WARN: "yellow", FAIL: "red"}
        width = max(len(check.name) for check in checks)
        for check in checks:
            word = f"{check.status:<7}"
            if color and check.status in styles:
                word = click.style(word, fg=styles[check.status], bold=check.status == FAIL)
            echo(f"{word}  {check.name:<{width}}  {check.detail}", color=color)
    raise SystemExit(1 if failed else 0)
