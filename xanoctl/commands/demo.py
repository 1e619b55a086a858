"""`xanoctl demo`: emulator + demo workspace -> pull -> lint, then the workspace's own tests and
a smoke run of its test endpoints, in one command.

The demo writes only into a folder it makes itself (or an empty one, or one it made before:
its ``xanoctl.lock`` names the instance ``demo``); any other folder is refused before anything
starts. A folder it makes keeps itself out of git (a ``.gitignore`` of ``*``), so that the demo
leaves nothing untracked in the repository it runs in.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from xanoctl.errors import UsageError, XanoctlError

DEFAULT_DIR = "xanoctl-demo"
IGNORE = "# made by `xanoctl demo`: a demo, kept out of git (delete this file to commit the folder)\n*\n"
KIND_WORDS = {"function": "functions", "query": "API endpoints", "api_group": "API groups", "task": "tasks",
              "table": "tables", "middleware": "middleware", "addon": "add-ons", "tool": "tools", "agent": "agents",
              "mcp_server": "MCP servers", "realtime_channel": "realtime channels", "workflow_test": "workflow tests",
              "workspace": "workspace settings", "branch": "branch settings", "trigger": "triggers",
              "realtime_server": "realtime servers", "channel": "channels", "message": "messages"}
ONE = {"functions": "function", "API endpoints": "API endpoint", "API groups": "API group", "tasks": "task",
       "tables": "table", "add-ons": "add-on", "tools": "tool", "agents": "agent", "MCP servers": "MCP server",
       "realtime channels": "realtime channel", "workflow tests": "workflow test", "triggers": "trigger",
       "realtime servers": "realtime server", "channels": "channel", "messages": "message"}


def check_folder(folder: Path) -> bool:
    """Whether the demo may pull into ``folder``; True when it must make it. A usage error
    that says why for any other folder."""
    from xanoctl.sync.manifest import DEMO, MANIFEST_NAME, load_manifest

    if not folder.exists() and not folder.is_symlink():
        return True
    if not folder.is_dir():
        raise UsageError(f"{folder} is a file: choose another --dir")
    if not (folder / MANIFEST_NAME).is_file():
        if any(folder.iterdir()):
            raise UsageError(f"{folder} is not empty: the demo writes only into a folder it makes (or an empty "
                             "one); choose another --dir")
        return False
    try:
        manifest = load_manifest(folder)
    except XanoctlError as exc:
        raise UsageError(f"{exc}; the demo writes only into a folder it makes: choose another --dir") from None
    if manifest is None or manifest.instance != DEMO:
        where = manifest.source() if manifest is not None else "somewhere"
        raise UsageError(f"{folder} holds a workspace pulled from {where}: the demo writes only into a folder it "
                         "makes (or an empty one); choose another --dir")
    return False


@click.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=DEFAULT_DIR, show_default=True,
              help="Folder to pull the demo workspace into: one that does not exist yet, an empty one, or one "
                   "an earlier demo made.")
@click.option("--no-lint", is_flag=True, help="Only pull; do not lint.")
def demo(folder: str, no_lint: bool) -> None:
    """Start a local emulator serving a demo workspace, pull it into a folder and lint it.

    The demo workspace carries real bugs on purpose: the findings are the point. Exits 0 when
    the pipeline ran, whatever the findings. It never writes into a folder it did not make
    (an empty one excepted)."""
    from xanoctl.commands.pull import Progress, run
    from xanoctl.config import Config
    from xanoctl.emulator.server import run_in_thread
    from xanoctl.sync.manifest import DEMO
    from xanoctl.xano.kinds import EVERY

    target = Path(folder)
    making = check_folder(target)
    with run_in_thread(seed="demo") as emulator:
        click.echo(f"emulator: demo workspace at {emulator.base_url}", err=True)
        config = Config(instance=emulator.base_url, workspace=emulator.workspace_id, branch="", dir=target,
                        token=emulator.token)
        result = run(config, list(EVERY), commit=False, force=False, progress=Progress(enabled=False), origin=DEMO)
        runtime = [] if no_lint else _run_the_workspace(config, target)
    if making:
        try:
            (target / ".gitignore").write_text(IGNORE, encoding="utf-8")
        except OSError:
            pass  # only a convenience
    label = target.as_posix()
    click.echo(pulled_line(result, label))
    if no_lint:
        return
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.formats import render as render_findings

    findings = lint_paths([target], use_cache=False)
    click.echo("")
    click.echo(render_findings(findings, "text", color=False))
    count = len(findings.findings)
    click.echo("")
    click.echo(f"demo: {count} finding{'s' if count != 1 else ''} in {findings.files} files of {label}/: the demo "
               "workspace carries these bugs on purpose.")
    for line in runtime:
        click.echo(line)
    code = findings.findings[0].code if findings.findings else "FP003"
    for line in next_steps(code, label):
        click.echo(line)


def pulled_line(result, label: str) -> str:
    """One line for the pull: how many objects of each kind, not every path."""
    if result.wrote_nothing and not result.conflicts:
        return f"{label}/ is up to date ({result.unchanged + len(result.changed)} objects)"
    kinds = Counter(change.kind for change in result.added + result.changed)
    kinds = Counter({kind: n for kind, n in kinds.items() if not kind.endswith("_trigger")}) + Counter(
        {"trigger": sum(n for kind, n in kinds.items() if kind.endswith("_trigger"))})  # every kind of trigger
    words = {kind: KIND_WORDS.get(kind, kind) for kind in kinds}
    parts = ", ".join(f"{n} {ONE.get(words[kind], words[kind]) if n == 1 else words[kind]}"
                      for kind, n in kinds.most_common())
    total = sum(kinds.values())
    extra = f"; {len(result.removed)} removed" if result.removed else ""
    extra += f"; {len(result.conflicts)} local edits kept" if result.conflicts else ""
    return f"pulled {total} objects into {label}/ ({parts}){extra}"


def next_steps(code: str, label: str) -> list[str]:
    live = "demo-live"
    rows = [
        (f"xanoctl rules {code}", "what a finding means, with a bad and a good example"),
        (f"xanoctl lint {label}", "lint it again once you have edited a file"),
        ("push and rollback against the emulator:", ""),
        ("  xanoctl emulator --seed demo", "in another terminal; paste its `export` lines here"),
        (f"  xanoctl pull --dir {live}", "the same workspace, pulled from that emulator"),
        (f"  xanoctl push --dir {live} --dry-run", "after editing a file: the plan and the lint gate"),
        (f"  xanoctl push --dir {live}", "then push it"),
        (f"  xanoctl rollback --last-push --dir {live}", "and undo it: the remote and your files"),
        (f"  xanoctl test --dir {live}", "the workspace's unit and workflow tests, on their lines"),
    ]
    width = max(len(command) for command, words in rows if words) + 2
    return ["", "Next:"] + [f"  {command:<{width}}{words}".rstrip() for command, words in rows]


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
