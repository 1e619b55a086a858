"""One side of a comparison: the ``.xs`` files of a workspace and the guids its manifest knows,
read from a folder, a git revision or a live workspace, without writing anything.

``A`` and ``B`` of ``xanoctl compare`` are written as:

- a folder: ``workspace``, ``../v1/workspace``;
- ``rev:REV``: the workspace folder at a git revision (``rev:HEAD~3``, ``rev:origin/main``);
- ``live``, ``live:BRANCH``, ``live:WORKSPACE_ID`` or ``live:WORKSPACE_ID@BRANCH``: the objects of
  a workspace on the configured instance (a label of digits only is a workspace id). Seen from
  a named branch, the tables are marked shared: their one set is every branch's, the live
  database's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from xanoctl.config import Config
from xanoctl.errors import UsageError, XanoctlError
from xanoctl.ui.words import plural

if TYPE_CHECKING:
    from git.objects import Blob

MANIFEST = "xanoctl.lock"


@dataclass
class Side:
    label: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative POSIX path -> content
    guids: dict[str, str] = field(default_factory=dict)  # relative path -> guid (manifest or API)
    groups: dict[str, str] = field(default_factory=dict)  # endpoint path -> API group name (live)
    notes: list[str] = field(default_factory=list)  # what could not be read, and what is shared
    shared: set[str] = field(default_factory=set)  # paths of objects every branch shares (live:BRANCH)


def load(spec: str, config: Config) -> Side:
    if spec == "live" or spec.startswith("live:"):
        return live(spec, config)
    if spec.startswith("rev:"):
        return revision(spec, config.dir)
    return folder(spec)


# ---------------------------------------------------------------------------- folders


def folder(spec: str) -> Side:
    root = Path(spec)
    if not root.is_dir():
        hint = " (a git revision is written rev:REV, a live workspace live or live:BRANCH)" \
            if ":" not in spec else ""
        raise UsageError(f"{spec}: no such folder{hint}")
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*.xs")):
        rel = path.relative_to(root).as_posix()
        if _hidden(rel):
            continue  # xanoctl's own and other hidden files
        try:
            files[rel] = path.read_bytes()
        except OSError as exc:
            raise XanoctlError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    marked = [rel[:-len(MANIFEST)].rstrip("/") for rel in (p.relative_to(root).as_posix() for p in root.rglob(MANIFEST))
              if not _hidden(rel)]
    where = _one_workspace(files, marked, lambda folders: UsageError(
        f"{spec} holds {len(folders)} workspaces ({', '.join(Path(spec, f).as_posix() for f in folders)}): a side is "
        f"one workspace; name its folder, e.g. {Path(spec, folders[0]).as_posix()}"))
    side = Side(spec, _below(files, where))
    manifest = root / where / MANIFEST
    side.guids = _manifest_guids(manifest.read_bytes() if manifest.is_file() else None)
    return side


def _one_workspace(files: dict[str, bytes], marked: Iterable[str], refused: Callable[[list[str]], UsageError]) -> str:
    """The folder (relative, ``""`` for the top) of the one workspace ``files`` (relative
    paths, with their bytes) form, split as ``xanoctl lint`` splits a tree
    (:func:`xanoctl.lint.layout.split`; ``marked``: the folders holding xanoctl.lock); a tree
    holding several (pulled side by side, a repository of exports) is refused: ``refused``
    makes the error from their folders."""
    import os

    from xanoctl.lint import layout

    top = os.path.abspath(os.sep + "side")  # any absolute folder: only relative paths come out
    paths = {os.path.join(top, *rel.split("/")): rel for rel in files}
    groups = layout.split(paths, lambda path: files[paths[path]],
                          [os.path.join(top, *folder.split("/")) if folder else top for folder in marked])
    folders = [Path(os.path.relpath(group.root, top)).as_posix() for group in groups]
    if len(groups) > 1:
        raise refused(sorted(folders))
    if not groups or groups[0].multidoc or not groups[0].complete or folders[0] == ".":
        return ""
    return folders[0]


def _below(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """The files under ``folder`` with paths relative to it (all of them when it is the top)."""
    if not folder:
        return files
    return {rel[len(folder) + 1:]: data for rel, data in files.items() if rel.startswith(folder + "/")}


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _manifest_guids(data: bytes | None) -> dict[str, str]:
    if not data:
        return {}
    try:
        entries = json.loads(data).get("objects", [])
    except (ValueError, AttributeError):
        return {}
    return {e["path"]: e["guid"] for e in entries
            if isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("guid"), str) and e["guid"]}


# ---------------------------------------------------------------------------- git revisions


def revision(spec: str, workspace: Path) -> Side:
    from xanoctl.sync import history

    rev = spec[len("rev:"):]
    if not rev:
        raise UsageError("rev: needs a revision, e.g. rev:HEAD~3 or rev:origin/main")
    # the folder may be gone from the working tree (a workspace since moved or removed): its
    # repository is then the one of the nearest folder above it
    from xanoctl.lint.files import display_path

    missing = UsageError(f"{display_path(str(workspace))}: no workspace folder to read {spec} of "
                         "(see `dir` in xanoctl.yaml, or --dir)")
    try:
        repo = history.repository(workspace, f"or compare the folder itself instead of {spec}: a rev: side "
                                             "reads git history")
    except XanoctlError:
        if workspace.is_dir():
            raise
        raise missing from None
    commit = history.resolve(repo, rev)
    rel = history.repo_path(repo, workspace)
    try:
        tree = commit.tree / rel if rel not in ("", ".") else commit.tree
    except KeyError:
        if not workspace.is_dir():
            raise missing from None
        raise UsageError(f"{rel}/ does not exist at {rev} ({history.short(repo, commit)})") from None
    if tree.type != "tree":
        raise UsageError(f"{rel} is a file, not the workspace folder, at {rev} ({history.short(repo, commit)})")
    blobs: dict[str, Blob] = {}  # relative path -> blob
    for item in tree.traverse():
        if item.type != "blob":
            continue
        path = Path(item.path).relative_to(rel).as_posix() if rel not in ("", ".") else item.path
        if not _hidden(path):  # as in a folder: xanoctl's own and other hidden files are skipped
            blobs[path] = item
    files = {path: blobs[path].data_stream.read() for path in blobs if path.endswith(".xs")}
    marked = [path[:-len(MANIFEST)].rstrip("/") for path in blobs if path == MANIFEST or path.endswith("/" + MANIFEST)]
    where = _one_workspace(files, marked, lambda folders: _held_several(spec, rev, workspace, folders))
    side = Side(spec, _below(files, where))
    manifest = f"{where}/{MANIFEST}" if where else MANIFEST
    side.guids = _manifest_guids(blobs[manifest].data_stream.read() if manifest in blobs else None)
    return side


def _held_several(spec: str, rev: str, workspace: Path, folders: list[str]) -> UsageError:
    from xanoctl.lint.files import display_path

    shown = display_path(str(workspace))
    named = [Path(shown, folder).as_posix() for folder in folders]
    where = "the workspace folder" if shown == "." else shown
    return UsageError(f"{spec}: {where} held {len(named)} workspaces at {rev} ({', '.join(named)}): a side is one "
                      f"workspace; name its folder with --dir, e.g. --dir {named[0]}")


# ---------------------------------------------------------------------------- live workspaces


def parse_live(spec: str, config: Config) -> tuple[int, str]:
    """(workspace id, branch) named by ``live[:...]``."""
    if not config.instance:
        raise UsageError("no Xano instance: pass --instance, set XANO_INSTANCE or run `xanoctl init`")
    rest = spec[len("live:"):] if spec.startswith("live:") else ""
    workspace, branch = config.workspace, config.branch
    if rest:
        head, at, tail = rest.partition("@")
        if at:
            if not head.isdigit():
                raise UsageError(f"{spec}: write live:WORKSPACE_ID@BRANCH with a numeric workspace id")
            workspace, branch = int(head), tail
        elif head.isdigit():
            workspace, branch = int(head), ""
        else:
            branch = head
    if workspace is None:
        raise UsageError(f"{spec}: no workspace id: write live:WORKSPACE_ID, pass --workspace or run `xanoctl init`")
    return workspace, branch


def live(spec: str, config: Config) -> Side:
    from xanoctl.xano.client import XanoClient
    from xanoctl.xano.kinds import EVERY
    from xanoctl.xano.remote import WORKSPACE_KINDS
    from xanoctl.sync.paths import Placement, assign_paths

    workspace, branch = parse_live(spec, config)
    instance, _, token = config.require_remote()
    with XanoClient(instance, token, workspace, branch, http=config.http) as client:
        if branch:
            labels = [str(item.get("label")) for item in client.branches() if isinstance(item, dict)]
            if branch not in labels:
                raise UsageError(f"{spec}: workspace {workspace} has no branch {branch!r} "
                                 f"(its branches: {', '.join(labels) or 'none'})")
        objects = client.fetch_all(EVERY)
    placements = [Placement.of(obj) for obj in objects]
    paths = assign_paths(placements)
    side = Side(spec)
    for obj in objects:
        path = paths[obj.key]
        if obj.xanoscript is None:
            side.notes.append(f"{spec}: Xano could not render {obj.label()} ({obj.xanoscript_error}): left out")
            continue
        side.files[path] = obj.xanoscript.encode("utf-8")
        if obj.guid:
            side.guids[path] = str(obj.guid)
        if obj.kind == "query" and obj.group_name:
            side.groups[path] = obj.group_name
        if branch and obj.kind in WORKSPACE_KINDS:
            side.shared.add(path)
    if side.shared:
        settings = sum(1 for o in objects if o.kind == "workspace") if branch else 0
        tables = len(side.shared) - settings
        what = " and ".join(([plural(tables, "table")] if tables else []) +
                            (["the workspace's settings"] if settings else []))
        are = "is" if tables == 1 and not settings else "are"
        whose = "workspace's" if settings else "database's"
        side.notes.append(f"{spec}: its {what} {are} shared by every branch: the live {whose}, "
                          f"not branch {branch!r}'s own")
    for kind, reason in sorted(client.aio.unreachable.items()):
        side.notes.append(f"{spec}: its {kind} objects could not be read ({reason}): left out")
    return side
