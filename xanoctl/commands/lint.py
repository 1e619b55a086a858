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
              help="Report only files changed since this git revision, and the findings the change causes in "
                   "other files (a deleted or renamed function, other inputs, another answer, a removed column...).")
@click.option("--staged", is_flag=True,
              help="Judge the commit being made (the pre-commit hook): the staged files, and the findings the "
                   "commit causes in other files; the workspace as the index holds it.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Do not report findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the current findings in this file and exit 0.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: the nearest xanoctl.yaml).")
@click.option("--no-cache", is_flag=True, help="Parse everything again; do not read or write .xanoctl/cache/.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes (marked [*]), then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply the unsafe fixes too (the rules' best guesses).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the diff of what --fix (or --unsafe-fixes) would change, and write nothing.")
@click.option("--statistics", is_flag=True,
              help="Count the findings of each rule instead of listing them (text or json).")
@click.option("--watch", is_flag=True,
              help="Lint again each time a .xs file (or xanoctl.yaml) is saved, until Ctrl-C.")
def lint(paths, fmt, select, ignore, fail_on, changed_since, staged, baseline, write_baseline, config_path,
         no_cache, jobs, output, fix, unsafe_fixes, show_diff, statistics, watch):
    """Lint XanoScript files and folders (folders: every *.xs below them; none named: the
    workspace folder, `dir` in xanoctl.yaml or ./workspace).

    Exit status: 0 when nothing reaches the failure severity, 1 when something does,
    2 for a usage or configuration error. With --fix, the findings left decide; with --diff,
    1 when the fixes would change something.
    """
    from xanoctl.lint.config import load_config

    config = load_config(config_path)
    explicit = bool(paths)
    if staged and changed_since:
        raise click.UsageError("--staged and --changed-since name two different changes: give one")
    if not paths:
        default = config.workspace or "workspace"
        if not Path(default).is_dir():
            raise click.UsageError("name the files or folders to lint, e.g. `xanoctl lint workspace/`")
        paths = (default,)
    fixing = fix or unsafe_fixes or show_diff
    if fixing and write_baseline:
        raise click.UsageError("--write-baseline records findings; it cannot be combined with --fix or --diff")
    if watch and (write_baseline or fixing):
        raise click.UsageError("--watch lints again and again: write a baseline or fix without it")
    if statistics and fmt == "auto":
        fmt = "text"
    if statistics and fmt not in ("text", "json"):
        raise click.UsageError("--statistics gives a text or json report: use --format text or json")
    options = dict(select=select, ignore=ignore, fail_on=fail_on, changed_since=changed_since, staged=staged,
                   baseline=baseline, use_cache=not no_cache, jobs=jobs or None, empty_ok=not explicit)
    if fixing:
        _fix(paths, config, options, unsafe=unsafe_fixes, show_diff=show_diff, fmt=fmt, output=output)
    code = _lint(paths, config, options, fmt=fmt, output=output, statistics=statistics, write_baseline=write_baseline)
    if not watch:
        sys.exit(code)
    from xanoctl.lint.watch import folders

    watched = folders(paths, config.workspace)
    try:
        _watch(paths, config_path, watched, options, fmt=fmt, output=output, statistics=statistics)
    except KeyboardInterrupt:  # the way out of a watch: not a failure
        pass
    sys.exit(0)


def _lint(paths, config, options: dict, *, fmt: str, output: str | None, statistics: bool = False,
          write_baseline: str | None = None) -> int:
    """Lint once and report (the counts per rule with ``statistics``); the exit code it calls for."""
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.formats import statistics as counted

    result = lint_paths(paths, config, write_baseline=write_baseline, **options)
    if write_baseline:
        click.echo(f"Wrote {result.baseline_written} finding(s) from {result.files} file(s) to "
                   f"{write_baseline}; lint with --baseline {write_baseline} to report only new ones.")
        return 0
    _report(result, fmt, output, counted(result, fmt) if statistics else None)
    return result.exit_code


def _watch(paths, config_path, watched, options: dict, **report) -> None:
    """Lint again after each batch of saves under ``watched``."""
    from xanoctl.errors import XanoctlError
    from xanoctl.lint.config import load_config
    from xanoctl.lint.files import display_path
    from xanoctl.lint.watch import batches

    for changed in batches(watched):
        if not changed:  # the watch has begun
            click.echo(f"Watching {', '.join(display_path(folder) for folder in watched)} for changes "
                       "(Ctrl-C to stop)", err=True)
            continue
        click.echo(f"\n{len(changed)} file{'' if len(changed) == 1 else 's'} changed "
                   f"({', '.join(display_path(path) for path in changed[:3])}{', ...' if len(changed) > 3 else ''}): "
                   "linting again", err=True)
        try:  # a broken configuration or a folder gone is said, and the watch goes on
            _lint(paths, load_config(config_path), options, **report)
        except (XanoctlError, click.UsageError) as exc:
            click.echo(f"xanoctl: error: {exc.message if isinstance(exc, click.UsageError) else exc}", err=True)


def _report(result, fmt: str, output: str | None, text: str | None = None) -> None:
    """The report (or ``text``) on stdout, or in the file ``output``."""
    from xanoctl.lint.formats import render

    color = output is None and fmt in ("auto", "text") and sys.stdout.isatty()
    report = text if text is not None else render(result, fmt, color=color)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report + "\n")
        except OSError as exc:
            raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(report)


def _fix(paths, config, options: dict, *, unsafe: bool, show_diff: bool, fmt: str, output: str | None) -> None:
    """--fix, --unsafe-fixes, --diff: the report of what is left (or the diff), what was fixed
    and the files left as they were on stderr; exits."""
    from xanoctl.lint.api import lint_paths
    from xanoctl.lint.fixing import fix

    run = fix(lambda texts: lint_paths(paths, config, texts=texts, **options), unsafe=unsafe, write=not show_diff)
    if show_diff:
        from xanoctl.sync.diffing import unified

        diff = "".join(line for path, (old, new) in run.changed.items()
                       for line in unified(old, new, path, "original", "fixed"))
        if diff or output:
            _report(run.result, fmt, output, diff.removesuffix("\n"))
    else:
        _report(run.result, fmt, output)
    for left in run.left:
        click.echo(f"{left.path}: left as it was: {left.reason}", err=True)
    click.echo(run.summary(written=not show_diff), err=True)
    sys.exit((1 if run.changed else 0) if show_diff else run.result.exit_code)
