"""`xanoctl pull`: fetch the live workspace into the workspace folder."""

from __future__ import annotations

import gc
import json
import sys
from functools import partial
from pathlib import Path

import click

from xanoctl.xano.client import XanoClient
from xanoctl.config import Config, load_config
from xanoctl.errors import XanoctlError
from xanoctl.sync.pull import PullResult, pull as run_pull
from xanoctl.xano.kinds import EVERY, OTHER
from xanoctl.xano.remote import normalize_kind

MAX_LINES = 50


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.pages = 0
        self.objects = 0

    def on_page(self, kind: str, count: int) -> None:
        self.pages += 1
        self.objects += count
        if self.enabled:
            click.echo(f"\rpulling: {self.pages} pages, {self.objects} objects (last: {kind})\x1b[K",
                       nl=False, err=True)

    def done(self) -> None:
        if self.enabled and self.pages:
            click.echo("\r\x1b[K", nl=False, err=True)


def parse_kinds(values: tuple[str, ...]) -> list[str]:
    kinds = [normalize_kind(k) for value in values for k in value.split(",") if k.strip()]
    return kinds or list(EVERY)


def run(config: Config, kinds: list[str], *, commit: bool, force: bool,
        progress: Progress | None = None, origin: str | None = None) -> PullResult:
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
    with XanoClient.from_config(config, on_page=progress.on_page if progress else None) as client:
        try:
            result = run_pull(client, config.dir, kinds=kinds, force=force, before_write=check,
                              layout=config.layout, origin=origin, bases=bases)
        finally:
            if progress:
                progress.done()
    if repo is not None:  # also commits what an earlier pull left uncommitted
        from xanoctl.sync import gitops

        pulled = load_manifest(config.dir)
        if pulled is not None:
            message = gitops.commit_message(gitops.committed_manifest(repo, config.dir), pulled, result.errors,
                                            config.workspace or 0, config.branch, _label(config.dir))
            result.commit = gitops.commit_folder(repo, config.dir, message)
    return result


def unreachable_lines(result: PullResult) -> list[str]:
    """One warning per kind the pull could not reach."""
    return [f"warning: {kind}: not pulled: {reason}; its files and xanoctl.lock entries were left as they were"
            for kind, reason in sorted(result.unreachable.items())]


def _label(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(folder)


def render(result: PullResult, folder_label: str) -> list[str]:
    lines = [f"removed {len(result.swept)} temporary file(s) left by an interrupted xanoctl run"] if result.swept else []
    shared = [f"note: {result.shared} table(s) are shared by every branch: the live database's, not this branch's "
              "(marked \"shared\" in xanoctl.lock)"] if result.shared else []
    return lines + _changes(result, folder_label) + shared


def _changes(result: PullResult, folder_label: str) -> list[str]:
    if result.wrote_nothing and not result.conflicts and not result.merged:
        total = result.unchanged + len(result.changed)
        unreadable = f", {len(result.errors)} unreadable (see the warnings)" if result.errors else ""
        lines = [f"nothing changed: {total} objects up to date in {folder_label}/{unreadable} "
                 f"({result.requests} requests, {result.pages} pages)"]
        return lines + ([f"committed {result.commit[:12]}"] if result.commit else [])
    lines = []
    for title, changes in (("added", result.added), ("changed", result.changed), ("removed", result.removed)):
        for change in changes[:MAX_LINES]:
            note = f" (from {change.old_path})" if change.old_path else ""
            note += " (metadata only)" if change.reason == "metadata" else ""
            word = "adopted" if change.reason == "adopted" else title  # already on disk: recorded, not written
            lines.append(f"  {word:<8} {change.path}{note}")
        if len(changes) > MAX_LINES:
            lines.append(f"  ... and {len(changes) - MAX_LINES} more {title}")
    for change in result.merged:
        note = f" (from {change.old_path})" if change.old_path else ""
        if change.reason:
            lines.append(f"  merged   {change.path}{note}: {change.reason} between <<<<<<< and >>>>>>> markers to resolve")
        else:
            lines.append(f"  merged   {change.path}{note}: your edits and the remote's")
    for change in result.conflicts:
        lines.append(f"  conflict {change.path}: {change.reason}")
    lines.append(f"pulled into {folder_label}/: {result.summary()}")
    if result.commit:
        lines.append(f"committed {result.commit[:12]}")
    return lines


@click.command()
@click.argument("kind_args", nargs=-1, metavar="[KIND]...")
@click.option("--kind", "kinds", multiple=True, help=f"Only these kinds ({', '.join(EVERY)}; {OTHER}: every document of a type xanoctl "
              "does not know); repeatable.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="Workspace folder (default: from xanoctl.yaml, else ./workspace).")
@click.option("--commit", is_flag=True, help="Commit the pulled changes to git with a summary message.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of text.")
@click.option("--force", is_flag=True, help="Take the remote version even over files modified locally.")
@click.option("--instance", help="Metadata API base URL (overrides XANO_INSTANCE and xanoctl.yaml).")
@click.option("--workspace", help="Workspace id (overrides XANO_WORKSPACE and xanoctl.yaml).")
@click.option("--branch", help="Branch label (overrides XANO_BRANCH and xanoctl.yaml).")
def pull(kind_args, kinds, folder, commit, as_json, force, instance, workspace, branch) -> None:
    """Pull every object (functions, tasks, API groups and endpoints, tables, middleware,
    add-ons, agents, tools, MCP servers, triggers, realtime channels, workflow tests and the
    workspace's settings) into the workspace folder: changed files are written, files of deleted
    objects removed, and xanoctl.lock updated. A pull with nothing new writes nothing; a kind the
    plan or the token cannot reach is reported and left as it was."""
    config = load_config(instance=instance, workspace=workspace, branch=branch, dir=folder)
    progress = Progress(enabled=sys.stderr.isatty() and not as_json)
    collecting = gc.isenabled()
    # No cycle collection at all while the pull runs (the CLI's few collections still cost it 40 ms):
    # its objects live until it ends, and it serves nothing meanwhile.
    gc.disable()
    try:
        result = run(config, parse_kinds(kind_args + kinds), commit=commit, force=force, progress=progress)
    finally:
        if collecting:
            gc.enable()
    for change in result.errors:
        click.echo(f"warning: {change.label()}: Xano could not render its XanoScript ({change.reason}); "
                   "its file was left as it was", err=True)
    for line in unreachable_lines(result):
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        for line in render(result, _label(config.dir)):
            click.echo(line)
    marked = [change.path for change in result.merged if change.reason]
    if marked and not result.conflicts:
        raise XanoctlError(f"{len(marked)} merge(s) left conflict markers (both sides changed the same lines): keep "
                           "the lines you want between <<<<<<< and >>>>>>> in "
                           f"{', '.join(marked[:3])}{' ...' if len(marked) > 3 else ''}, then push (`xanoctl lint` "
                           "shows where; the markers cannot be pushed)")
    if result.conflicts:
        raise XanoctlError(f"{len(result.conflicts)} conflicts: files modified locally were kept; review them, "
                           "then `xanoctl pull --force` takes the remote versions")
