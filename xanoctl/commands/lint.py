"""`xanoctl lint PATH...`: check XanoScript files and the calls between them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xanoctl.lint.formats import FORMATS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="Report format; auto is github inside GitHub Actions, text elsewhere.")
@click.option("--select", help="Only these rules (codes or prefixes, comma-separated: FP,ID001).")
@click.option("--ignore", help="Skip these rules (codes or prefixes, comma-separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that makes the exit code 1 (default: error, or lint.fail_on).")
@click.option("--changed-since", metavar="REV",
              help="Report only files changed since this git revision, and the callers a changed function "
                   "breaks (cross-file rules still see everything).")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Do not report findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the current findings in this file and exit 0.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest xanoctl.yaml).")
@click.option("--no-cache", is_flag=True, help="Parse everything again; do not read or write .xanoctl/cache/.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--statistics", is_flag=True,
              help="Count the findings of each rule instead of listing them (text or json).")
@click.option("--watch", is_flag=True,
              help="Lint again each time a .xs file (or xanoctl.yaml) is saved, until Ctrl-C.")
def lint(paths, fmt, select, ignore, fail_on, changed_since, baseline, write_baseline, config_path,
         no_cache, jobs, output, statistics, watch):
    """Lint XanoScript files and folders (folders: every *.xs below them; none named: the
    workspace folder, `dir` in xanoctl.yaml or ./workspace).

    Exit status: 0 when nothing reaches the failure severity, 1 when something does,
    2 for a usage or configuration error.
    """
    from xanoctl.lint.config import load_config

    if watch and write_baseline:
        raise click.UsageError("--watch lints again and again: write a baseline without it")
    config = load_config(config_path)
    explicit = bool(paths)
    if not paths:
        default = config.workspace or "workspace"
        if not Path(default).is_dir():
            raise click.UsageError("name the files or folders to lint, e.g. `xanoctl lint workspace/`")
        paths = (default,)
    options = dict(fmt=fmt, select=select, ignore=ignore, fail_on=fail_on, changed_since=changed_since,
                   baseline=baseline, write_baseline=write_baseline, use_cache=not no_cache, jobs=jobs or None,
                   empty_ok=not explicit, output=output, statistics=statistics)
    code = _report(paths, config, **options)
    if not watch:
        sys.exit(code)
    from xanoctl.lint.watch import folders

    watched = folders(paths, config.workspace)
    try:
        _watch(paths, config_path, watched, options)
    except KeyboardInterrupt:  # the way out of a watch: not a failure
        pass
    sys.exit(0)


def _watch(paths, config_path, watched, options) -> None:
    from xanoctl.errors import XanoctlError
    from xanoctl.lint.config import load_config
    from xanoctl.lint.watch import batches

    for changed in batches(watched):
        if not changed:  # the watch has begun
            click.echo(f"Watching {', '.join(_shown(folder) for folder in watched)} for changes (Ctrl-C to stop)",
                       err=True)
            continue
        click.echo(f"\n{len(changed)} file{'' if len(changed) == 1 else 's'} changed "
                   f"({', '.join(_shown(path) for path in changed[:3])}{', ...' if len(changed) > 3 else ''}): "
                   "linting again", err=True)
        try:  # a broken configuration or a folder gone is said, and the watch goes on
            _report(paths, load_config(config_path), **options)
        except (XanoctlError, click.UsageError) as exc:
            click.echo(f"xanoctl: error: {exc.message if isinstance(exc, click.UsageError) else exc}", err=True)


def _shown(path: str) -> str:
    from xanoctl.lint.files import display_path

    return display_path(path)


def _report(paths, config, *, fmt, output, statistics, write_baseline, **options) -> int:
    """Lint once and print (or write) the report; the exit code it calls for."""
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.formats import render, resolve
    from xanoctl.lint.formats import statistics as counted

    result = lint_paths(paths, config, write_baseline=write_baseline, **options)
    if write_baseline:
        click.echo(f"Wrote {result.baseline_written} finding(s) from {result.files} file(s) to "
                   f"{write_baseline}; lint with --baseline {write_baseline} to report only new ones.")
        return 0
    if statistics and fmt == "auto":
        fmt = "text"
    if statistics and resolve(fmt) not in ("text", "json"):
        raise click.UsageError("--statistics gives a text or json report: use --format text or json")
    color = output is None and fmt in ("auto", "text") and sys.stdout.isatty()
    report = counted(result, fmt) if statistics else render(result, fmt, color=color)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report + "\n")
        except OSError as exc:
            raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(report)
    return result.exit_code
