"""`xanoctl pull`: fetch the live workspace into the workspace folder."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path

import click

from xanoctl.xano.client import XanoClient
from xanoctl.config import Config, load_config
from xanoctl.sync.pull import PullResult, pull as run_pull
from xanoctl.ui.errors import warning
from xanoctl.ui.colour import paint
from xanoctl.ui.output import colour_on, emit, emit_json, format_option
from xanoctl.ui.words import plural, sharing, some
from xanoctl.xano.kinds import EVERY, OTHER
from xanoctl.xano.remote import normalize_kind

MAX_LINES = 50


def parse_kinds(values: tuple[str, ...]) -> list[str]:
    kinds = [normalize_kind(k) for value in values for k in value.split(",") if k.strip()]
    return kinds or list(EVERY)


def run(config: Config, kinds: list[str], *, commit: bool, force: bool, origin: str | None = None) -> PullResult:
    """Pull (and commit), the library-level steps of the command; used by `demo` too (whose
    ``origin``, the instance its lock records, is ``demo``)."""
    from xanoctl.sync.manifest import load_manifest

    from xanoctl.sync import statedir
    from xanoctl.sync.basestore import Bases

    repo = check = None
    if commit:  # git is imported only for --commit
        from xanoctl.sync import gitops

        repo = gitops.find_repo(config.dir)
        check = partial(gitops.check_committable, config.dir)  # once the plan is known
    bases = Bases(statedir.state_dir(config), Path(config.dir), statedir.ensure_private)
    with XanoClient.from_config(config) as client:  # its progress line: "pull: 120 objects in 3 pages"
        result = run_pull(client, config.dir, kinds=kinds, force=force, before_write=check, layout=config.layout,
                          origin=origin, bases=bases)
    if repo is not None:  # also commits what an earlier pull left uncommitted
        from xanoctl.sync import gitops

        pulled = load_manifest(config.dir)
        if pulled is not None:
            committed = gitops.committed_manifest(repo, config.dir)
            message = gitops.commit_message(committed, pulled, result.errors, config.workspace or 0, config.branch,
                                            _label(config.dir))
            # the first pull brings the settings it was made with, when git does not have them yet
            settings = [config.config_file] if (committed is None and config.config_file is not None
                                                and gitops.untracked(repo, config.config_file)) else []
            result.commit = gitops.commit_folder(repo, config.dir, message, settings)
    return result


def unreachable_warnings(result: PullResult) -> list[str]:
    """One warning per reason the pull could not reach kinds (for :func:`xanoctl.ui.errors.warning`):
    a refused multidoc export is one, for every kind it carries."""
    return [f"{kinds}: not pulled: {reason}; {'their' if ', ' in kinds else 'its'} files and xanoctl.lock entries "
            "were left as they were" for kinds, reason in sharing(result.unreachable)]


def _label(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(folder)


def render(result: PullResult, folder_label: str, color: bool = False) -> list[str]:
    """The pull's report, in the colours every command uses when ``color``: green what was
    written, yellow what was left as it was or merged with markers, red a conflict."""
    lines = ([f"removed {plural(len(result.swept), 'temporary file')} left by an interrupted xanoctl run"]
             if result.swept else [])
    are = "is" if result.shared == 1 else "are"
    shared = [paint("note:", "info", color) + f" {plural(result.shared, 'table')} {are} shared by every branch: the "
              "live database's, not this branch's (marked \"shared\" in xanoctl.lock)"] if result.shared else []
    return lines + _changes(result, folder_label, color) + shared + _kept(result, color)


def _kept(result: PullResult, color: bool = False) -> list[str]:
    """The local modifications the pull left alone (their objects did not change remotely)."""
    if not result.kept:
        return []
    left = f"left {plural(len(result.kept), 'file')} modified locally"
    return [f"{paint(left, 'warning', color)} as {'it is' if len(result.kept) == 1 else 'they are'} "
            f"(unchanged remotely): {some(result.kept)}; `xanoctl push` sends local changes"]


def _changes(result: PullResult, folder_label: str, color: bool = False) -> list[str]:
    if result.wrote_nothing and not result.conflicts and not result.merged:
        total = result.unchanged + len(result.changed)
        unreadable = f", {len(result.errors)} unreadable (see the warnings)" if result.errors else ""
        lines = [f"nothing changed: {plural(total, 'object')} up to date in {folder_label}/{unreadable} "
                 f"({plural(result.requests, 'request')}, {plural(result.pages, 'page')})"]
        return lines + ([f"committed {result.commit[:12]}"] if result.commit else [])
    lines = []
    for title, changes in (("added", result.added), ("changed", result.changed), ("deleted", result.removed)):
        for change in changes[:MAX_LINES]:
            note = f" (from {change.old_path})" if change.old_path else ""
            note += " (metadata only)" if change.reason == "metadata" else ""
            word = "adopted" if change.reason == "adopted" else title  # already on disk: recorded, not written
            lines.append(f"  {paint(word, 'ok', color, 8)} {change.path}{note}")
        if len(changes) > MAX_LINES:
            lines.append(f"  ... and {len(changes) - MAX_LINES} more {title}")
    for change in result.merged:
        note = f" (from {change.old_path})" if change.old_path else ""
        if change.reason:
            lines.append(f"  {paint('merged', 'warning', color, 8)} {change.path}{note}: {change.reason} between "
                         "<<<<<<< and >>>>>>> markers to resolve")
        else:
            lines.append(f"  {paint('merged', 'ok', color, 8)} {change.path}{note}: your edits and the remote's")
    for change in result.conflicts:
        lines.append(f"  {paint('conflict', 'failed', color)} {change.path}: {change.reason}")
    lines.append(f"pulled into {folder_label}/: {result.summary()}")
    if result.commit:
        lines.append(f"committed {result.commit[:12]}")
    return lines


OTHER_HELP = "every document of a type xanoctl does not know"


def complete_kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """The kinds a KIND takes, for shell completion; after the commas already typed
    (``function,ta`` -> ``function,task``)."""
    from click.shell_completion import CompletionItem

    done, comma, part = incomplete.rpartition(",")
    return [CompletionItem(done + comma + kind, help=OTHER_HELP if kind == OTHER else None)
            for kind in EVERY if kind.startswith(part.strip().lower())]


@click.command()
@click.argument("kind_args", nargs=-1, metavar="[KIND]...", shell_complete=complete_kinds)
@click.option("--kind", "kinds", multiple=True, metavar="KIND", shell_complete=complete_kinds,
              help=f"Only these kinds ({', '.join(EVERY)}; {OTHER}: {OTHER_HELP}); repeatable, or KIND,KIND.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="Workspace folder (default: from xanoctl.yaml, else ./workspace).")
@click.option("--commit", is_flag=True, help="Commit the pulled changes to git with a summary message.")
@format_option("text", "json", help="text: what changed, file by file; json: the same facts (docs/json.md).")
@click.option("--force", is_flag=True, help="Take the remote version even over files modified locally.")
@click.option("--instance", help="Metadata API base URL (overrides XANO_INSTANCE and xanoctl.yaml).")
@click.option("--workspace", help="Workspace id (overrides XANO_WORKSPACE and xanoctl.yaml).")
@click.option("--branch", help="Branch label (overrides XANO_BRANCH and xanoctl.yaml).")
def pull(kind_args, kinds, folder, commit, fmt, force, instance, workspace, branch) -> None:
    """Pull every document of the workspace (functions, tasks, API groups and endpoints, tables,
    middleware, add-ons, agents, tools, MCP servers, triggers of every kind, realtime channels,
    realtime servers with their channels and messages, workflow tests, the workspace's and the
    branch's settings, and any document of a type xanoctl does not know) into the workspace
    folder: changed files are written, files of deleted objects deleted, and xanoctl.lock
    updated. A pull with nothing new writes nothing; a kind the plan or the token cannot reach is
    reported and left as it was.

    \b
    Examples:
      xanoctl pull                       everything, into the workspace folder
      xanoctl pull --commit              and commit it (xanoctl.yaml too, the first time)
      xanoctl pull function task         only these kinds
      xanoctl pull --format json         a summary for machines
    """
    config = load_config(instance=instance, workspace=workspace, branch=branch, dir=folder)
    collecting = gc.isenabled()
    # No cycle collection at all while the pull runs (the CLI's few collections still cost it 40 ms):
    # its objects live until it ends, and it serves nothing meanwhile.
    gc.disable()
    try:
        result = run(config, parse_kinds(kind_args + kinds), commit=commit, force=force)
    finally:
        if collecting:
            gc.enable()
    for change in result.errors:
        warning(f"{change.label()}: Xano could not render its XanoScript ({change.reason}); its file was left "
                "as it was")
    for message in unreachable_warnings(result):
        warning(message)
    marked = [change.path for change in result.merged if change.reason]
    if result.conflicts:
        failure = (f"{plural(len(result.conflicts), 'conflict')}: files modified locally were kept; review them, "
                   "then `xanoctl pull --force` takes the remote versions")
    elif marked:
        failure = (f"{plural(len(marked), 'merge')} left conflict markers (both sides changed the same lines): keep "
                   f"the lines you want between <<<<<<< and >>>>>>> in {some(marked)}, then push (`xanoctl lint` "
                   "shows where; the markers cannot be pushed)")
    else:
        failure = None
    if fmt == "json":
        emit_json(result.as_json(), failure, 1 if failure else 0)
    color = colour_on()
    emit(render(result, _label(config.dir), color), failure, 1 if failure else 0, color=color)
