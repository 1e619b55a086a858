"""``xanoctl diff``: unified diffs of XanoScript, and metadata differences.

Three sides to compare the working tree with:

- the manifest state (default): the content as last pulled or pushed, found by its hash in
  ``.xanoctl/objects/``, the working tree or git history (:mod:`xanoctl.sync.basestore`), else in
  the live remote when that still has exactly this content;
- the live remote (``remote=True``), plus the metadata differences (DeepDiff) between what the
  manifest recorded and what the API shows now (name, guid, verb, group, ``updated_at`` compared
  as instants);
- a git revision (``rev``).

Diffs look like git's (``--- a/path``, ``+++ b/path``, ``/dev/null`` for a missing side,
``\\ No newline at end of file``); colours only when asked (on a terminal). On a named branch, a
table's label says it is shared by every branch (its remote side is the live database's).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import click
from deepdiff import DeepDiff

from xanoctl.language import spacing
from xanoctl.sync.context import Context
from xanoctl.sync.localscan import LocalFile, as_pushed, scan, selected, selection
from xanoctl.sync.manifest import Entry, instance_origin, sha256_bytes, shared
from xanoctl.sync.paths import EXT, Placement, planned_path
from xanoctl.xano.remote import RemoteObject, parse_timestamp


@dataclass
class FileDiff:
    path: str
    label: str  # the object, or "new file"
    old: bytes | None  # None: the side has no such file
    new: bytes | None
    old_side: str  # "pulled", "remote", "<rev>"
    new_side: str = "working tree"
    note: str = ""  # why a side is unknown
    metadata: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.old != self.new or bool(self.metadata) or bool(self.note)


@dataclass
class DiffReport:
    diffs: list[FileDiff] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return any(d.differs for d in self.diffs)


SHARED = ", shared by every branch (the live database's)"


def _label(entry: Entry | None, branch: str = "") -> str:
    if entry is None:
        return "new file"
    if entry.kind == "query":
        return f"query {entry.verb} {entry.name!r} in {(entry.group or {}).get('name')!r} (id {entry.id})"
    return f"{entry.kind} {entry.name!r} (id {entry.id})" + (SHARED if shared(entry.kind, branch) else "")


# ---------------------------------------------------------------------------- the three sides


def against_manifest(ctx: Context, paths: Sequence[str] = ()) -> DiffReport:
    prefixes = selection(ctx.folder, list(paths))
    files = [f for f in scan(ctx.folder, ctx.manifest, prefixes, ctx.store, ctx.base)
             if f.entry is None or f.missing or f.modified]  # (spacing Xano does not keep is no change)
    report = DiffReport()
    unknown: list[tuple[FileDiff, Entry]] = []
    for item in files:
        local = ctx.folder.read(item.path)
        if item.entry is None:
            report.diffs.append(FileDiff(item.path, _label(None), None, local, "pulled"))
            continue
        base = ctx.base(item.entry)
        diff = FileDiff(item.path, _label(item.entry, ctx.manifest.branch), base, local, "pulled")
        if base is None:
            unknown.append((diff, item.entry))
        report.diffs.append(diff)
    if unknown:
        _bases_from_remote(ctx, unknown)
    return report


def _bases_from_remote(ctx: Context, unknown: list[tuple[FileDiff, Entry]]) -> None:
    """Last resort for the pulled content: the remote object, if it still has that content."""
    from xanoctl.xano.client import XanoClient
    from xanoctl.errors import XanoctlError

    try:
        with XanoClient.from_config(ctx.config) as client:
            found = client.gather(*(client.aio.find(e.kind, e.id, group_id=e.group_id,
                                                    group_name=(e.group or {}).get("name")) for _, e in unknown))
    except XanoctlError:
        found = [None] * len(unknown)
    for (diff, entry), obj in zip(unknown, found):
        data = obj.xanoscript.encode("utf-8") if obj is not None and obj.xanoscript is not None else None
        if data is not None and sha256_bytes(data) == entry.sha256:
            diff.old = data
            ctx.store.put(data)
        else:
            diff.note = ("the pulled version is not available (not in .xanoctl/objects/, not in git, changed "
                         "remotely): commit after pulling, or compare with --remote")


def against_remote(ctx: Context, paths: Sequence[str] = ()) -> DiffReport:
    from xanoctl.xano.client import XanoClient
    from xanoctl.sync.pull import check_manifest, fetch
    from xanoctl.xano.kinds import EVERY

    prefixes = selection(ctx.folder, list(paths))
    files = scan(ctx.folder, ctx.manifest, prefixes, ctx.store)
    with XanoClient.from_config(ctx.config) as client:
        check_manifest(ctx.manifest, client.aio.workspace, client.aio.branch, ctx.folder.root,
                       instance_origin(client.aio.base_url))
        fetched = fetch(client, EVERY, ctx.manifest)
        remote = {obj.key: obj for obj in fetched}
    report = DiffReport()
    for item in files:
        local = ctx.folder.read(item.path)
        if item.entry is None:
            report.diffs.append(FileDiff(item.path, _label(None), None, local, "remote"))
            continue
        if item.entry.kind in fetched.unreachable:
            continue  # its remote could not be read (the plan or the token): nothing to compare with
        obj = remote.get(item.entry.key)
        old = obj.xanoscript.encode("utf-8") if obj is not None and obj.xanoscript is not None else None
        diff = FileDiff(item.path, _label(item.entry, ctx.manifest.branch), old, local, "remote",
                        metadata=metadata_changes(item.entry, obj))
        if obj is not None and obj.xanoscript is None:
            diff.note = f"Xano cannot render its XanoScript: {obj.xanoscript_error}"
        if diff.differs and not _spacing_only(diff, item.entry.kind):
            report.diffs.append(diff)
    if prefixes is None:
        known = set(ctx.manifest.entries)
        for obj in remote.values():
            if obj.key not in known and obj.xanoscript is not None:
                where = planned_path(Placement.of(obj), ctx.config.layout)
                label = obj.label() + (SHARED if shared(obj.kind, ctx.manifest.branch) else "")
                report.diffs.append(FileDiff(where, label, obj.xanoscript.encode("utf-8"), None, "remote",
                                             note="new remotely: not in xanoctl.lock (pull to get it)"))
    return report


def _spacing_only(diff: FileDiff, kind: str) -> bool:
    """The two sides hold the same object: they differ only in spacing Xano does not keep (or in
    the workspace document's env clause, which is never pushed: :mod:`xanoctl.sync.localscan`)."""
    if diff.old is None or diff.new is None or diff.metadata or diff.note:
        return False
    return spacing.same(diff.old, as_pushed(kind, diff.new.decode("utf-8", errors="replace")).encode("utf-8"))


def against_revision(ctx: Context, rev: str, paths: Sequence[str] = ()) -> DiffReport:
    from xanoctl.sync import history

    repo = history.repository(ctx.folder.root, "or diff without --rev (against the last pull, or --remote): --rev reads git history")
    commit = history.resolve(repo, rev)
    prefixes = selection(ctx.folder, list(paths))
    rels = {f.path for f in scan(ctx.folder, ctx.manifest, prefixes) if not f.missing}
    folder_rel = history.repo_path(repo, ctx.folder.root)
    try:
        tree = commit.tree / folder_rel if folder_rel not in ("", ".") else commit.tree
        for blob in tree.traverse():
            if blob.type == "blob" and blob.path.endswith(EXT):
                rel = blob.path[len(folder_rel) + 1:] if folder_rel not in ("", ".") else blob.path
                if selected(rel, prefixes):
                    rels.add(rel)
    except KeyError:
        pass  # no workspace folder at that revision
    by_path = ctx.manifest.by_path()
    report = DiffReport()
    for rel in sorted(rels):
        old = history.read_at(commit, history.repo_path(repo, ctx.folder.root / rel))
        new = ctx.folder.read(rel)
        if old != new:
            report.diffs.append(FileDiff(rel, _label(by_path.get(rel), ctx.manifest.branch), old, new, rev))
    return report


# ---------------------------------------------------------------------------- metadata


def _instant(value: Any) -> Any:
    parsed = parse_timestamp(value)
    return parsed.isoformat() if parsed is not None else value


def metadata_view(entry: Entry) -> dict[str, Any]:
    return {"name": entry.name, "guid": entry.guid, "verb": entry.verb,
            "group": (entry.group or {}).get("name"), "updated_at": _instant(entry.updated_at)}


def remote_view(obj: RemoteObject) -> dict[str, Any]:
    return {"name": obj.name, "guid": obj.guid, "verb": obj.verb, "group": obj.group_name,
            "updated_at": _instant(obj.updated_at)}


def metadata_changes(entry: Entry, obj: RemoteObject | None) -> list[str]:
    """Lines ``field: pulled -> remote`` (DeepDiff of the manifest's record and the API's)."""
    if obj is None:
        return ["deleted remotely since the last pull"]
    delta = DeepDiff(metadata_view(entry), remote_view(obj), verbose_level=2)
    lines = []
    for change in ("values_changed", "type_changes"):
        for where, values in sorted(delta.get(change, {}).items()):
            name = where.removeprefix("root['").removesuffix("']")
            lines.append(f"{name}: {values.get('old_value')!r} (pulled) -> {values.get('new_value')!r} (remote)")
    return lines


# ---------------------------------------------------------------------------- rendering


def unified(old: bytes | None, new: bytes | None, path: str, old_side: str, new_side: str) -> Iterator[str]:
    """Unified diff lines (each ending with a newline), git style."""
    a = _text(old).splitlines(keepends=True)
    b = _text(new).splitlines(keepends=True)
    fromfile = f"a/{path}\t({old_side})" if old is not None else "/dev/null"
    tofile = f"b/{path}\t({new_side})" if new is not None else "/dev/null"
    for line in difflib.unified_diff(a, b, fromfile, tofile, n=3):
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n\\ No newline at end of file\n"


def _text(data: bytes | None) -> str:
    return "" if data is None else data.decode("utf-8", errors="replace")


def render(report: DiffReport, color: bool = False) -> str:
    out: list[str] = []
    for diff in report.diffs:
        out.append(_style(f"diff {diff.path}  {diff.label}\n", color, bold=True))
        for line in diff.metadata:
            out.append(_style(f"# metadata: {line}\n", color, fg="yellow"))
        if diff.note:
            out.append(_style(f"# {diff.note}\n", color, fg="yellow"))
        if diff.note and diff.old is None and diff.new is not None and diff.old_side == "pulled":
            continue  # no base to diff against
        for line in unified(diff.old, diff.new, diff.path, diff.old_side, diff.new_side):
            out.append(_colour_line(line, color))
    return "".join(out)


def as_json(report: DiffReport) -> dict[str, Any]:
    """The report for machines (docs/json.md, "diff"): each file's sides, notes, metadata
    differences and unified diff."""
    return {
        "differs": report.differs,
        "files": [{"path": d.path, "object": d.label, "old_side": d.old_side, "new_side": d.new_side,
                   "old_exists": d.old is not None, "new_exists": d.new is not None, "note": d.note or None,
                   "metadata": list(d.metadata),
                   "diff": "".join(unified(d.old, d.new, d.path, d.old_side, d.new_side))}
                  for d in report.diffs],
    }


def _colour_line(line: str, color: bool) -> str:
    if not color:
        return line
    if line.startswith(("--- ", "+++ ")):
        return _style(line, color, bold=True)
    if line.startswith("@@"):
        return _style(line, color, fg="cyan")
    if line.startswith("+"):
        return _style(line, color, fg="green")
    if line.startswith("-"):
        return _style(line, color, fg="red")
    return line


def _style(text: str, color: bool, **style: Any) -> str:
    if not color:
        return text
    body = text.rstrip("\n")
    return click.style(body, **style) + text[len(body):]


__all__ = ["DiffReport", "FileDiff", "LocalFile", "against_manifest", "against_remote", "against_revision",
           "as_json", "metadata_changes", "render", "unified"]
