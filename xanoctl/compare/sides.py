"""One side of a comparison: the ``.xs`` files of a workspace and the guids its manifest knows,
read from a folder, a git revision or a live workspace, without writing anything.

``A`` and ``B`` of ``xanoctl compare`` are written as:

- a folder: ``workspace``, ``../v1/workspace``;
- ``rev:REV``: the workspace folder at a git revision (``rev:HEAD~3``, ``rev:origin/main``);
- ``live``, ``live:BRANCH``, ``live:WORKSPACE_ID`` or ``live:WORKSPACE_ID@BRANCH``: the objects of
  a workspace on the configured instance (a label of digits only is a workspace id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from xanoctl.config import Config
from xanoctl.errors import UsageError, XanoctlError

MANIFEST = "xanoctl.lock"


@dataclass
class Side:
    label: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative POSIX path -> content
    guids: dict[str, str] = field(default_factory=dict)  # relative path -> guid (manifest or API)
    groups: dict[str, str] = field(default_factory=dict)  # endpoint path -> API group name (live)
    notes: list[str] = field(default_factory=list)  # what could not be read


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
        if any(part.startswith(".") for part in rel.split("/")):
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
    side, a repository of exports) is a usage error naming them, split as ``xanoctl lint``
    splits such a tree."""
    import os

    from xanoctl.lint.files import Scope, workspace_groups, workspace_root

    top = os.path.abspath(root)
    if len(files) < 2 or workspace_root(top) is not None:
        return
    paths = tuple(os.path.join(top, *rel.split("/")) for rel in files)
    scope = Scope(paths, paths, (), False)
    groups = workspace_groups(scope)
    if len(groups) < 2:
        return
    folders = sorted(Path(spec, os.path.relpath(folder, top)).as_posix() for folder in groups)
    raise UsageError(f"{spec} holds {len(folders)} workspaces ({', '.join(folders)}): a side is one workspace; "
                     f"name its folder, e.g. {folders[0]}")


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
    if not workspace.is_dir():
        raise UsageError(f"{workspace}: no workspace folder to read {spec} of (see `dir` in xanoctl.yaml)")
    repo = history.repository(workspace)
    commit = history.resolve(repo, rev)
    rel = history.repo_path(repo, workspace)
    try:
        tree = commit.tree / rel if rel not in ("", ".") else commit.tree
    except KeyError:
        raise UsageError(f"{rel}/ does not exist at {rev} ({history.short(repo, commit)})") from None
    side = Side(spec)
    manifest = None
    for item in tree.traverse():
        if item.type != "blob":
            continue
        path = Path(item.path).relative_to(rel).as_posix() if rel not in ("", ".") else item.path
        if path == MANIFEST:
            manifest = item.data_stream.read()
        elif path.endswith(".xs"):
            side.files[path] = item.data_stream.read()
    side.guids = _manifest_guids(manifest)
    return side


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
    from xanoctl.sync.client import XanoClient
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
    return side
