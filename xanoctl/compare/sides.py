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
    side = Side(spec)
    for path in sorted(root.rglob("*.xs")):
        rel = path.relative_to(root).as_posix()
        if _hidden(rel):
            continue  # xanoctl's own and other hidden files
        try:
            side.files[rel] = path.read_bytes()
        except OSError as exc:
            raise XanoctlError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    _one_workspace(spec, root, side.files)
    side.guids = _manifest_guids((root / MANIFEST).read_bytes() if (root / MANIFEST).is_file() else None)
    return side


def _one_workspace(spec: str, root: Path, files: dict[str, bytes]) -> None:
    """A side is one workspace: a folder that is no workspace but holds several (pulled side by
    side, a repository of exports) is a usage error naming them."""
    folders = [Path(spec, folder).as_posix() for folder in _workspace_folders(root, files)]
    if folders:
        raise UsageError(f"{spec} holds {len(folders)} workspaces ({', '.join(folders)}): a side is one workspace; "
                         f"name its folder, e.g. {folders[0]}")


def _workspace_folders(root: Path, files: Iterable[str], holds: Callable[[str], bool] | None = None) -> list[str]:
    """The folders (relative to ``root``, sorted) of the workspaces ``files`` (relative paths
    under ``root``) belong to when they are several, split as ``xanoctl lint`` splits such a
    tree; ``[]`` when the files form one. ``holds``: which folders are a workspace's (see
    :func:`xanoctl.lint.files.workspace_groups`); without it, the tree on disk tells, and a
    ``root`` that is a workspace holds one."""
    import os

    from xanoctl.lint.files import Scope, workspace_groups, workspace_root

    top = os.path.abspath(root)
    paths = tuple(os.path.join(top, *rel.split("/")) for rel in files)
    if len(paths) < 2 or holds is None and workspace_root(top) is not None:
        return []
    groups = workspace_groups(Scope(paths, paths, (), False), holds)
    if len(groups) < 2:
        return []
    return sorted(Path(os.path.relpath(folder, top)).as_posix() for folder in groups)


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
    blobs: dict[str, Blob] = {}  # relative path -> blob, read once the layout is known to be one workspace
    for item in tree.traverse():
        if item.type != "blob":
            continue
        path = Path(item.path).relative_to(rel).as_posix() if rel not in ("", ".") else item.path
        if not _hidden(path):  # as in a folder: xanoctl's own and other hidden files are skipped
            blobs[path] = item
    xs = [path for path in blobs if path.endswith(".xs")]
    if MANIFEST not in blobs and not any(path.startswith("function/") for path in blobs):
        _one_workspace_at(spec, rev, workspace, xs, [path for path in blobs if not path.endswith(".xs")])
    side = Side(spec, {path: blobs[path].data_stream.read() for path in xs})
    manifest = blobs[MANIFEST].data_stream.read() if MANIFEST in blobs else None
    side.guids = _manifest_guids(manifest)
    return side


def _one_workspace_at(spec: str, rev: str, workspace: Path, files: list[str], others: list[str]) -> None:
    """As :func:`_one_workspace`, for the workspace folder at a revision: its files split by the
    same rules, each folder's entries read from the revision's tree (no file is read)."""
    import os

    from xanoctl.lint.files import display_path, marks_workspace

    top = os.path.abspath(workspace)
    holding: set[str] = set()  # the folders (as if at ``top``) that a workspace's entry marks
    for rel in (*files, *others):
        parts = rel.split("/")
        for depth, name in enumerate(parts):
            if marks_workspace(name, depth < len(parts) - 1):
                holding.add(os.path.join(top, *parts[:depth]))
    folders = _workspace_folders(workspace, files, holding.__contains__)
    if folders:
        shown = display_path(str(workspace))
        named = [Path(shown, folder).as_posix() for folder in folders]
        where = "the workspace folder" if shown == "." else shown
        raise UsageError(f"{spec}: {where} held {len(named)} workspaces at {rev} ({', '.join(named)}): a side is one "
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
        objects = client.fetch_all()
    placements = [Placement(o.kind, o.id, o.name, o.verb, o.group_id, o.group_name) for o in objects]
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
        side.notes.append(f"{spec}: its {len(side.shared)} table(s) are shared by every branch: the live database's, "
                          f"not branch {branch!r}'s own")
    return side
