"""`xanoctl demo`: emulator + demo workspace -> pull -> lint, then the workspace's own tests and
a smoke run of its test endpoints, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from xanoctl.errors import UsageError

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
    the pipeline ran, whatever the findings."""
    from xanoctl.commands.pull import Progress, render, run
    from xanoctl.config import Config
    from xanoctl.emulator.server import run_in_thread
    from xanoctl.xano.remote import KINDS

    target = Path(folder)
    _check_folder(target)
    with run_in_thread(seed="demo") as emulator:
        click.echo(f"emulator: demo workspace at {emulator.base_url}", err=True)
        config = Config(instance=emulator.base_url, workspace=emulator.workspace_id, branch="", dir=target,
                        token=emulator.token)
        result = run(config, list(KINDS), commit=False, force=False, progress=Progress(enabled=False))
        runtime = [] if no_lint else _run_the_workspace(config, target)
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
    for line in runtime:
        click.echo(line)


def _run_the_workspace(config, target: Path) -> list[str]:
    """What `xanoctl test` and `xanoctl smoke --inputs <the demo's smoke.yaml>` print against the
    demo (the emulator scripts the outcomes: it cannot run XanoScript)."""
    from importlib import resources

    from xanoctl.lint.config import LintConfig
    from xanoctl.runtime import fixtures, reports, smoke, suite
    from xanoctl.runtime.endpoints import discover
    from xanoctl.runtime.locate import LocalTree
    from xanoctl.views.load import open_workspaces
    from xanoctl.xano.public import instance_origin

    workspace = open_workspaces(str(target), LintConfig())[0]
    tests = suite.run(config, lambda: LocalTree(workspace), suite.Selection())
    lines = ["", f"$ xanoctl test   (the workspace's unit and workflow tests, run by Xano)", reports.render(tests, "text")]
    with resources.as_file(resources.files("xanoctl.seeds").joinpath("demo", "smoke.yaml")) as path:
        found = fixtures.load(path, "smoke.yaml")
    endpoints = discover(workspace, ["Tasks/", "Workers/"])
    calls = smoke.check(endpoints, smoke.select(endpoints, found, [], []), found, {})
    report = smoke.run(calls, instance_origin(config.instance), config.branch, config.http)
    lines += ["", "$ xanoctl smoke   (the Tests group's endpoints, called on the public API)",
              reports.render(report, "text"), "",
              f"demo: {tests.failed} test{'s' if tests.failed != 1 else ''} and {report.failed} "
              f"endpoint{'s' if report.failed != 1 else ''} failed on purpose; in CI, `xanoctl test` and `xanoctl "
              "smoke` exit 1 and `--format github` puts each failure on the line that declares it."]
    return lines
