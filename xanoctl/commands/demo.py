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
from xanoctl.ui.colour import paint
from xanoctl.ui.errors import notice
from xanoctl.ui.output import colour_on, echo, width
from xanoctl.ui.words import plural

DEFAULT_DIR = "xanoctl-demo"
IGNORE = "# made by `xanoctl demo`: a demo, kept out of git (delete this file to commit the folder)\n*\n"
KIND_WORDS = {"function": "function", "query": "API endpoint", "api_group": "API group", "task": "task",
              "table": "table", "middleware": "middleware", "addon": "add-on", "tool": "tool", "agent": "agent",
              "mcp_server": "MCP server", "realtime_channel": "realtime channel", "workflow_test": "workflow test",
              "workspace": "workspace settings", "branch": "branch settings", "trigger": "trigger",
              "realtime_server": "realtime server", "channel": "channel", "message": "message"}
MANY = {"middleware": "middleware", "workspace": "workspace settings",
        "branch": "branch settings"}  # the others: ui.words.plural


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
    (an empty one excepted).

    \b
    Examples:
      xanoctl demo
      xanoctl demo --dir /tmp/demo
    """
    from xanoctl.commands.pull import run
    from xanoctl.config import Config
    from xanoctl.emulator.server import run_in_thread
    from xanoctl.sync.manifest import DEMO
    from xanoctl.xano.kinds import EVERY

    target = Path(folder)
    making = check_folder(target)
    with run_in_thread(seed="demo") as emulator:
        notice(f"emulator: demo workspace at {emulator.base_url}")
        config = Config(instance=emulator.base_url, workspace=emulator.workspace_id, branch="", dir=target,
                        token=emulator.token)
        result = run(config, list(EVERY), commit=False, force=False, origin=DEMO)
        runs = None if no_lint else _run_the_workspace(config, target)
    if making:
        try:
            (target / ".gitignore").write_text(IGNORE, encoding="utf-8")
        except OSError:
            pass  # only a convenience
    label = target.as_posix()
    color = colour_on()
    echo(pulled_line(result, label, color), color=color)
    if no_lint:
        return
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.formats.text import render as render_findings

    findings = lint_paths([target], use_cache=False)
    echo("")
    echo(render_findings(findings, color=color, width=width()), color=color)
    echo("")
    echo(f"{paint('demo:', 'heading', color)} {plural(len(findings.findings), 'finding')} in "
         f"{plural(findings.files, 'file')} of {label}/: the demo workspace carries these bugs on purpose.", color=color)
    for line in runtime_lines(*runs, color):
        echo(line, color=color)
    code = findings.findings[0].code if findings.findings else "FP003"
    for line in next_steps(code, label, color):
        echo(line, color=color)


def pulled_line(result, label: str, color: bool = False) -> str:
    """One line for the pull: how many objects of each kind, not every path (what was written
    green, local edits kept yellow, as `xanoctl pull` says them)."""
    if result.wrote_nothing and not result.conflicts:
        return f"{label}/ is up to date ({plural(result.unchanged + len(result.changed), 'object')})"
    kinds = Counter(change.kind for change in result.added + result.changed)
    kinds = Counter({kind: n for kind, n in kinds.items() if not kind.endswith("_trigger")}) + Counter(
        {"trigger": sum(n for kind, n in kinds.items() if kind.endswith("_trigger"))})  # every kind of trigger
    parts = ", ".join(plural(n, KIND_WORDS.get(kind, kind), MANY.get(kind)) for kind, n in kinds.most_common())
    head = (paint(f"pulled {plural(sum(kinds.values()), 'object')}", "ok", color) + f" into {label}/ ({parts})"
            if kinds else f"pulled into {label}/")
    extra = [f"{len(result.removed)} deleted"] if result.removed else []
    if result.conflicts:
        extra.append(paint(f"{plural(len(result.conflicts), 'local edit')} kept", "warning", color))
    return head + ("; " if kinds else ": ") + "; ".join(extra) if extra else head


def next_steps(code: str, label: str, color: bool = False) -> list[str]:
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
    wide = max(len(command) for command, words in rows if words) + 2
    return ["", paint("Next:", "heading", color)] + [f"  {command:<{wide}}{words}".rstrip() for command, words in rows]


def _run_the_workspace(config, target: Path):
    """The reports of `xanoctl test` and `xanoctl smoke --inputs <the demo's smoke.yaml>`
    against the demo (the emulator scripts the outcomes: it cannot run XanoScript)."""
    from importlib import resources

    from xanoctl.lint.config import LintConfig
    from xanoctl.runtime import fixtures, smoke, suite
    from xanoctl.runtime.endpoints import discover
    from xanoctl.runtime.locate import LocalTree
    from xanoctl.views.load import open_workspaces
    from xanoctl.xano.public import instance_origin

    workspace = open_workspaces(str(target), LintConfig())[0]
    tests = suite.run(config, lambda: LocalTree(workspace), suite.Selection())
    with resources.as_file(resources.files("xanoctl.seeds").joinpath("demo", "smoke.yaml")) as path:
        found = fixtures.load(path, "smoke.yaml")
    endpoints = discover(workspace, ["Tasks/", "Workers/"])
    calls = smoke.check(endpoints, smoke.select(endpoints, found, [], []), found, {})
    report = smoke.run(calls, instance_origin(config.instance), config.branch, config.http)
    return tests, report


def runtime_lines(tests, report, color: bool = False) -> list[str]:
    """The test and smoke reports as those commands print them, and what they show."""
    from xanoctl.runtime import reports

    return ["", paint("$ xanoctl test", "heading", color) + "   (the workspace's unit and workflow tests, run by Xano)",
            reports.render(tests, "text", color=color),
            "", paint("$ xanoctl smoke", "heading", color) + "   (the Tests group's endpoints, called on the public API)",
            reports.render(report, "text", color=color), "",
            f"{paint('demo:', 'heading', color)} {plural(tests.failed, 'test')} and {plural(report.failed, 'endpoint')} "
            "failed on purpose; in CI, `xanoctl test` and `xanoctl smoke` exit 1 and `--format github` puts each "
            "failure on the line that declares it."]
