"""`xanoctl demo`: emulator + demo workspace -> pull -> lint, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from xanoctl.errors import UsageError
from xanoctl.ui.errors import notice

DEFAULT_DIR = "xanoctl-demo"


def _check_folder(folder: Path) -> None:
    from xanoctl.sync.manifest import MANIFEST_NAME

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file: choose another --dir")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MANIFEST_NAME).is_file():
        raise UsageError(f"{folder} is not empty and holds no pulled workspace: choose another --dir")


@click.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=DEFAULT_DIR, show_default=True,
              help="Folder to pull the demo workspace into (fresh, or a previous demo pull).")
@click.option("--no-lint", is_flag=True, help="Only pull; do not lint.")
def demo(folder: str, no_lint: bool) -> None:
    """Start a local emulator serving a demo workspace, pull it into a folder and lint it.

    The demo workspace carries real bugs on purpose: the findings are the point. Exits 0 when
    the pipeline ran, whatever the findings.

    \b
    Examples:
      xanoctl demo
      xanoctl demo --dir /tmp/demo
    """
    from xanoctl.commands.pull import render, run
    from xanoctl.config import Config
    from xanoctl.emulator.server import run_in_thread
    from xanoctl.xano.remote import KINDS

    target = Path(folder)
    _check_folder(target)
    with run_in_thread(seed="demo") as emulator:
        notice(f"emulator: demo workspace at {emulator.base_url}")
        config = Config(instance=emulator.base_url, workspace=emulator.workspace_id, branch="", dir=target,
                        token=emulator.token)
        result = run(config, list(KINDS), commit=False, force=False)
    for line in render(result, target.as_posix()):
        click.echo(line)
    if no_lint:
        return
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.formats import render as render_findings

    findings = lint_paths([target], use_cache=False)
    click.echo("")
    click.echo(render_findings(findings, "text", color=False))
    count = len(findings.findings)
    click.echo("")
    click.echo(f"demo: {count} finding{'s' if count != 1 else ''} in {findings.files} files of {target.as_posix()}/ "
               "(the demo workspace carries these bugs on purpose). Next: open the files, or run "
               f"`xanoctl lint {target.as_posix()}` yourself.")
