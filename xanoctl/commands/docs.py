"""`xanoctl docs [PATH] [--out DIR]`: the operations manual, generated from the workspace."""

from __future__ import annotations

import click


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write the manual as pages (README.md, tasks.md, api.md, pipelines.md, states.md, "
                   "functions.md, health.md) in this folder (a tree of several workspaces: DIR/<workspace>/ for each, and "
                   "DIR/README.md listing them); default: one page on standard output. Pages an earlier run "
                   "wrote there that the manual no longer has are removed; a file xanoctl did not write (no "
                   "marker on its first line) is never removed nor overwritten.")
@click.option("--now", "now_text", metavar="TIMESTAMP",
              help="Add the next run of each task, from this moment (ISO 8601, e.g. 2025-12-01T00:00:00Z). "
                   "Without it the manual does not depend on the day.")
@click.option("--check", is_flag=True,
              help="With --out: write nothing; exit 1, with one line per file or folder, when the pages there "
                   "differ from the workspace's, are missing, or are left over from an earlier manual (for CI).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest xanoctl.yaml).")
def docs(path, out_dir, now_text, check, config_path):
    """Write the operations manual: overview, background tasks and the chains they run, API
    groups and the test map, data pipelines, state machines (each state column's states, who
    moves rows between them, which tasks pick rows up), one entry per function, and health (lint findings,
    envelope conformance, functions nothing calls, untested workers, archived functions still
    called), in Markdown with mermaid diagrams. The same workspace gives the same bytes.

    PATH: the workspace folder (default: `dir` of xanoctl.yaml, else ./workspace). A folder
    that holds several workspaces (pulled side by side, a repository of exports) gives one
    manual per workspace.
    """
    from pathlib import Path

    from xanoctl.errors import UsageError, XanoctlError
    from xanoctl.lint.config import load_config
    from xanoctl.views import manual_folder
    from xanoctl.views.load import default_path, open_workspaces
    from xanoctl.views.manual import Findings, Manual, manuals
    from xanoctl.views.schedules import parse_now

    if check and out_dir is None:
        raise UsageError("--check compares the pages of --out DIR: name the folder")
    now = parse_now(now_text)
    config = load_config(config_path)
    workspaces = open_workspaces(default_path(path, config, "docs"), config, relative_to_root=True, lint=True,
                                 empty_ok=path is None)
    folders = config.rule_options("FP001")["folders"]
    if len(workspaces) == 1:
        lint = workspaces[0].lint
        pages = Manual(workspaces[0], Findings(lint.findings, lint.sources), folders, now=now,
                       single=out_dir is None).pages()
    else:  # one manual per workspace, and a page listing them
        pages = manuals(workspaces, folders, now=now, single=out_dir is None)
    if out_dir is None:
        click.echo(pages["README.md"], nl=False)
        return
    wanted = manual_folder.files(pages)
    folder = Path(out_dir)
    survey = manual_folder.survey(folder, wanted)
    if check:
        problems = survey.problems(out_dir)
        if problems:
            click.echo("\n".join(problems), err=True)
            click.echo(f"The manual in {out_dir} is out of date ({len(problems)} of its files or folders); "
                       f"regenerate it with `xanoctl docs --out {out_dir}`", err=True)
            raise SystemExit(1)
        click.echo(f"The manual in {out_dir} is up to date", err=True)
        return
    try:
        manual_folder.write(folder, wanted, survey, out_dir)
    except OSError as exc:
        raise XanoctlError(f"cannot write the manual to {out_dir}: {exc.strerror or exc}") from None
    several = f" of {len(workspaces)} workspaces" if len(workspaces) > 1 else ""
    click.echo(f"Wrote the manual{several} ({len(pages)} pages) to {out_dir}", err=True)
    removed = survey.leftovers(out_dir)
    if removed:
        click.echo(removed, err=True)
