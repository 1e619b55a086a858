"""`xanoctl docs [PATH] [--out DIR]`: the operations manual, generated from the workspace."""

from __future__ import annotations

import click


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write the manual as pages (README.md, tasks.md, api.md, pipelines.md, functions.md, "
                   "health.md) in this folder (a tree of several workspaces: DIR/<workspace>/ for each, and "
                   "DIR/README.md listing them); default: one page on standard output.")
@click.option("--now", "now_text", metavar="TIMESTAMP",
              help="Add the next run of each task, from this moment (ISO 8601, e.g. 2025-12-01T00:00:00Z). "
                   "Without it the manual does not depend on the day.")
@click.option("--check", is_flag=True,
              help="With --out: write nothing; exit 1 when the pages there differ from the workspace's (for CI).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest xanoctl.yaml).")
def docs(path, out_dir, now_text, check, config_path):
    """Write the operations manual: overview, background tasks and the chains they run, API
    groups and the test map, data pipelines, one entry per function, and health (lint findings,
    envelope conformance, functions nothing calls, untested workers, archived functions still
    called), in Markdown with mermaid diagrams. The same workspace gives the same bytes.

    PATH: the workspace folder (default: `dir` of xanoctl.yaml, else ./workspace). A folder
    that holds several workspaces (pulled side by side, a repository of exports) gives one
    manual per workspace.
    """
    from pathlib import Path

    from xanoctl.atomic import write_atomic
    from xanoctl.errors import UsageError, XanoctlError
    from xanoctl.lint.config import load_config
    from xanoctl.views.load import default_path, open_workspaces
    from xanoctl.views.manual import Findings, Manual, manuals
    from xanoctl.views.schedules import parse_now

    if check and out_dir is None:
        raise UsageError("--check compares the pages of --out DIR: name the folder")
    now = parse_now(now_text)
    config = load_config(config_path)
    path = default_path(path, config)
    found = open_workspaces(path, config, relative_to_root=True, lint=True)
    folders = config.rule_options("FP001")["folders"]
    if len(found) == 1:
        lint = found[0].lint
        pages = Manual(found[0], Findings(lint.findings, lint.sources), folders, now=now, single=out_dir is None).pages()
    else:  # one manual per workspace, and a page listing them
        pages = manuals(found, folders, now=now, single=out_dir is None)
    if out_dir is None:
        click.echo(pages["README.md"], nl=False)
        return
    folder = Path(out_dir)
    if check:
        stale = [name for name, text in pages.items() if _read(folder / name) != text]
        if stale:
            click.echo(f"The manual in {out_dir} is out of date ({', '.join(stale)}); regenerate it with "
                       f"`xanoctl docs --out {out_dir}`", err=True)
            raise SystemExit(1)
        click.echo(f"The manual in {out_dir} is up to date", err=True)
        return
    try:
        for name, text in pages.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / name, text.encode("utf-8"))
    except OSError as exc:
        raise XanoctlError(f"cannot write the manual to {out_dir}: {exc.strerror or exc}") from None
    several = f" of {len(found)} workspaces" if len(found) > 1 else ""
    click.echo(f"Wrote the manual{several} ({len(pages)} pages) to {out_dir}", err=True)


def _read(path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
