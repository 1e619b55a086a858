"""``xanoctl pull``: the live workspace, as files.

1. Fetch: every object of the requested kinds (all pages, concurrently, with retries), and a
   GET for each object the manifest knows but the lists did not show (a deletion is confirmed
   by a 404, not inferred from an absence). Any failure here stops the pull before a single
   file is touched. While the lists are fetched (the client mostly waits on the network), a
   thread looks at the folder: temporary files left by a killed run swept, the manifest read,
   and the files it lists hashed (a file the pull then writes, moves or removes is read again
   just before: see :func:`plan`).
2. Plan: compare each remote object with the manifest and with the file on disk.
   - new remotely -> added; content or path changed remotely -> changed; gone -> removed;
   - a file the user modified since the last pull is never overwritten nor deleted: the object
     is reported as a conflict and left as it is (``force=True`` takes the remote version);
   - a file missing locally is restored;
   - an object the manifest does not know takes the untracked file that already declares it
     (by guid, else by kind and name: an official CLI's tree is adopted where it lies, see
     :mod:`xanoctl.sync.adopt`) when its content is the remote's; one that differs is a conflict;
   - a file stays where it is while its object keeps its name; new and renamed objects go where
     the configured layout (readable or official) puts them;
   - an object Xano could not render (``xanoscript.status == "error"``) is reported and its
     file and manifest entry are left as they were.
   - pulled on a named branch, the tables are the live database's (one set, shared by every
     branch): written as any object, their manifest entries marked ``"shared": true``;
   - a kind the plan or the token cannot reach (its list refused: 402, 403, 404; or the
     workspace's document missing from the multidoc export) is reported once, with what to do,
     and left as it was: its files and manifest entries stay, so that no later push deletes it.
3. Write: every file aside first (a failure there changes nothing), then removals and moves,
   the files put in place (byte for byte), then the manifest; nothing at all when nothing
   changed. A pull killed half-way is finished by the next one, which also removes the
   temporary files it left (:func:`xanoctl.atomic.sweep`, in step 1).

A first pull (the folder does not exist yet) makes the same plan and the same files, but
object by object while the pages arrive, in a new folder aside that is renamed into place at
the end, its manifest inside (:mod:`xanoctl.sync.firstpull`): nothing shows before the end.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from xanoctl.atomic import sweep, write_atomic
from xanoctl.errors import XanoctlError
from xanoctl.xano.client import XanoClient
from xanoctl.language import spacing
from xanoctl.sync.basestore import Bases
from xanoctl.sync.firstpull import FirstPull
from xanoctl.sync.identity import of_entry, of_remote
from xanoctl.sync.manifest import MANIFEST_NAME, Entry, Manifest, instance_origin, load_manifest, sha256_bytes, shared
from xanoctl.sync.paths import READABLE, Placement, assign_paths
from xanoctl.sync.pullplan import Change, PullPlan, PullResult
from xanoctl.xano.kinds import EVERY, OTHER, known, lookup, multidoc_only
from xanoctl.xano.remote import RemoteObject, same_instant
from xanoctl.sync.workspace import Staged, WorkspaceFolder
from xanoctl.ui.words import plural

if TYPE_CHECKING:
    from xanoctl.sync import adopt


_UNSEEN = "unseen"  # no digest read beforehand: read the file


def check_manifest(manifest: Manifest | None, workspace: int, branch: str, folder: Path,
                   instance: str | None = None) -> None:
    """Refuse a workspace folder pulled from another instance (``instance``: an origin, see
    :func:`~xanoctl.sync.manifest.instance_origin`), workspace or branch. A lock that does not
    name its instance (written before it was recorded) belongs to any."""
    if manifest is None or manifest.workspace is None:
        return
    other_instance = instance is not None and manifest.instance is not None and manifest.instance != instance
    if other_instance or manifest.workspace != workspace or manifest.branch != branch:
        asked = Manifest(workspace, branch, instance=instance if other_instance else None).source()
        raise XanoctlError(
            f"{folder / MANIFEST_NAME} was pulled from {manifest.source()}, not {asked}: pull into another "
            "folder (--dir DIR), or set the instance, workspace and branch it was pulled from (xanoctl.yaml, "
            "XANO_INSTANCE, XANO_WORKSPACE, XANO_BRANCH)")


class Remote(list):
    """The remote objects fetched (a list), and ``unreachable``: the kinds the plan or the token
    could not reach (kind -> why, what to do), whose objects are not in the list."""

    unreachable: dict[str, str]


def fetch(client: XanoClient, kinds: Iterable[str], manifest: Manifest | None) -> Remote:
    """Every remote object of ``kinds`` (plus API groups when endpoints are asked for), and any
    object of the manifest the lists missed but a GET still finds; the kinds that could not be
    reached are left out (:attr:`Remote.unreachable`)."""
    kinds = list(kinds)
    listed = client.fetch_all(kinds)
    unreachable = unreached(client, kinds, listed, manifest)
    kinds = reached(kinds, unreachable, listed, manifest)
    found = Remote(complete(client, kinds, [obj for obj in listed if obj.kind in kinds], manifest))
    found.unreachable = unreachable
    return found


def reached(kinds: list[str], unreachable: Mapping[str, str], remote: list[RemoteObject],
            manifest: Manifest | None) -> list[str]:
    """``kinds`` without those not reached, :data:`~xanoctl.xano.kinds.OTHER` made the document
    types xanoctl does not know that the remote or the manifest holds (one gone remotely is
    removed as any object is)."""
    out = [kind for kind in kinds if kind not in unreachable and kind != OTHER]
    if OTHER in kinds and OTHER not in unreachable:
        held = {obj.kind for obj in remote} | ({entry.kind for entry in manifest.entries.values()} if manifest else set())
        out += sorted(kind for kind in held if not known(kind))
    return out


def complete(client: XanoClient, kinds: list[str], remote: list[RemoteObject],
             manifest: Manifest | None) -> list[RemoteObject]:
    """``remote`` (the lists of ``kinds``) with the objects of the manifest the lists missed but
    a GET still finds. The endpoints of an API group found gone are gone with it: no GET for
    each; nor for a document without routes of its own: the export it came from holds them all."""
    seen = {obj.key for obj in remote}
    missing = [e for e in (manifest.of_kinds(kinds) if manifest else []) if e.key not in seen
               and not multidoc_only(e.kind)]
    groups = [e for e in missing if e.kind == "api_group"]
    gone = {e.id for e, obj in zip(groups, _find(client, groups, remote)) if obj is None}
    _find(client, [e for e in missing if e.kind != "api_group" and e.group_id not in gone], remote)
    return remote


@dataclass
class Local:
    """What the folder held before the pull: the temporary files swept, the manifest, and the
    digest of each file it lists (None: missing) as read while the lists were fetched."""

    swept: list[Path]
    manifest: Manifest | None
    digests: dict[str, str | None]


def _look(folder: WorkspaceFolder, kinds: list[str]) -> Local:
    swept = folder.sweep_asides() + (sweep(folder.root).removed if folder.root.is_dir() else [])
    manifest = load_manifest(folder.root)
    digests: dict[str, str | None] = {}
    for entry in manifest.of_kinds(reached(kinds, {}, [], manifest)) if manifest else []:
        try:
            digests[entry.path] = folder.sha256(entry.path)
        except (OSError, XanoctlError):
            pass  # read (and reported) again by the plan, as any file not read here
    return Local(swept, manifest, digests)


def fetch_and_look(client: XanoClient, kinds: list[str], folder: WorkspaceFolder,
                   early: FirstPull | None = None, origin: str | None = None) -> tuple[list[RemoteObject], Local]:
    """The lists of ``kinds``, and the folder looked at meanwhile in a thread (the client mostly
    waits on the network). The folder's own problems (a manifest that cannot be read, or of
    another instance (``origin``) or workspace) are reported first, as if it had been looked at
    before any request. ``early`` is given every page's objects as they arrive."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        looking = worker.submit(_look, folder, kinds)
        try:
            remote = client.fetch_all(kinds, on_objects=early.take if early is not None else None)
        except BaseException:
            check_manifest(looking.result().manifest, client.aio.workspace, client.aio.branch, folder.root, origin)
            raise
        local = looking.result()
    check_manifest(local.manifest, client.aio.workspace, client.aio.branch, folder.root, origin)
    return remote, local


def _find(client: XanoClient, entries: list[Entry], remote: list[RemoteObject]) -> list[RemoteObject | None]:
    """Look each entry up by id (concurrently), adding the objects found to ``remote``."""
    if not entries:
        return []
    found = client.gather(*(client.aio.find(e.kind, e.id, group_id=e.group_id,
                                            group_name=(e.group or {}).get("name")) for e in entries))
    remote.extend(obj for obj in found if obj is not None)
    return found


def _placements(remote: list[RemoteObject], old: Manifest, folder: WorkspaceFolder, kinds: set[str],
                 layout: str) -> tuple[dict[tuple[str, int], str], dict[tuple[str, int], adopt.LocalDocument]]:
    """(path of every object, the file already on disk that each adopted object takes).
    A file stays where it is while its object keeps its name (kind, name, verb, API group)."""
    previous = {key: entry.path for key, entry in old.entries.items()}
    keep = {obj.key for obj in remote if obj.key in old.entries and of_entry(old.entries[obj.key]) == of_remote(obj)}
    placements = [Placement.of(obj) for obj in remote]
    paths = assign_paths(placements, previous, layout=layout, keep=keep)
    # When every new object's file already holds its document where the layout puts it (a tree
    # pulled in the same layout), there is nothing to look for.
    newcomers = [obj for obj in remote if obj.kind in kinds and obj.key not in old.entries]
    if not newcomers or not folder.root.is_dir() or all(
            obj.xanoscript is None or folder.sha256(paths[obj.key]) == sha256_bytes(obj.xanoscript.encode("utf-8"))
            for obj in newcomers):
        return paths, {}  # (a folder not created yet holds nothing to adopt)
    from xanoctl.sync import adopt  # (imported only when there may be files to adopt)

    adopted = adopt.find(newcomers, folder, old)
    if not adopted:
        return paths, {}
    for obj in newcomers:
        if obj.key in adopted:
            previous[obj.key] = adopted[obj.key].path
            if adopted[obj.key].identity == of_remote(obj):
                keep.add(obj.key)  # else renamed remotely since: it moves, like any rename
    return assign_paths(placements, previous, layout=layout, keep=keep), adopted


def plan(remote: list[RemoteObject], manifest: Manifest | None, folder: WorkspaceFolder, kinds: Iterable[str],
         workspace: int, branch: str, force: bool = False, layout: str = READABLE,
         seen: Mapping[str, str | None] | None = None, instance: str | None = None,
         bases: Bases | None = None) -> tuple[PullPlan, PullResult]:
    """Decide every file operation, without performing any. ``seen``: digests of the manifest's
    files read a moment ago (while the lists were fetched); one is trusted only where it shows a
    file untouched that stays untouched (nothing to write): every file the pull writes, moves
    or removes is read again here, just before. ``bases``: the contents last pulled, for the
    three-way merge of an object changed on both sides (without, or without its base, such an
    object is a conflict left as it is)."""
    seen = seen or {}
    kinds = set(kinds)
    old = manifest or Manifest()
    result = PullResult(folder=folder.root)
    out = PullPlan(manifest=Manifest(workspace=workspace, branch=branch, instance=instance))
    # entries of kinds not pulled this time stay as they were
    out.manifest.entries = {k: e for k, e in old.entries.items() if e.kind not in kinds}
    paths, adopted = _placements(remote, old, folder, kinds, layout)
    owners = {entry.path: entry for entry in old.entries.values()}
    remote_keys = set()
    for obj in remote:
        if obj.kind not in kinds:
            continue
        remote_keys.add(obj.key)
        entry = old.entries.get(obj.key)
        path = paths[obj.key]
        if obj.xanoscript is None:
            result.errors.append(Change.of("error", obj, entry.path if entry else path,
                                        reason=obj.xanoscript_error or "no XanoScript"))
            if entry is not None:
                out.manifest.entries[obj.key] = entry
            continue
        data = obj.xanoscript.encode("utf-8")
        digest = sha256_bytes(data)
        # the same instant in another form (epoch ms, a string) is no change
        same_time = entry is not None and same_instant(entry.updated_at, obj.updated_at)
        updated_at = entry.updated_at if same_time else obj.updated_at
        new_entry = Entry.of_object(obj, path, digest, updated_at)
        if entry is None:
            found = adopted.get(obj.key)  # the file that already declares the object, if any
            on_disk = found.path if found else path
            local = folder.sha256(on_disk)
            owner = owners.get(path)
            owner_clean = on_disk == path and owner is not None and owner.key != obj.key and local == owner.sha256
            adopting = found is not None and found.same_document(data)
            if local is None or local == digest or owner_clean or adopting or force:
                if on_disk != path:
                    out.deletes.append(on_disk)  # adopted by guid, renamed remotely since: moved
                if local != digest or on_disk != path:
                    out.writes[path] = data
                out.manifest.entries[obj.key] = new_entry
                result.added.append(Change.of("added", obj, path,
                                           old_path=on_disk if on_disk != path else None,
                                           reason="adopted" if adopting or local == digest else ""))
            else:
                why = ("this file declares the object but differs from the remote" if found is not None
                       else "an untracked local file is in the way")
                result.conflicts.append(Change.of("conflict", obj, on_disk, reason=why))
            continue
        moved = path != entry.path
        local = seen.get(entry.path, _UNSEEN)
        if moved or local != entry.sha256 or local != digest:
            local = folder.sha256(entry.path)
        if not moved and (local == digest or (local is not None and entry.sha256 == digest)):
            # the file already holds the remote content, or only the local copy changed (kept)
            out.manifest.entries[obj.key] = new_entry
            if local != digest:
                result.kept.append(entry.path)
            if new_entry == entry:
                result.unchanged += 1
            else:
                result.changed.append(Change.of("changed", obj, path,
                                             reason="metadata" if entry.sha256 == digest else "content"))
            continue
        clean = local is None or local == entry.sha256
        if not clean and not force:
            mine = folder.read(entry.path)
            pulled = bases.get(entry.sha256, entry.path) if bases is not None and mine is not None else None
            if pulled is not None and mine is not None and spacing.same(pulled, mine):
                clean = True  # only spacing Xano does not keep: no change of the user's to keep
            else:
                merged = _merged(mine, pulled, data, entry.sha256 == digest)
                if merged is None:
                    why = "changed remotely" if entry.sha256 != digest else "renamed remotely"
                    base_note = "" if bases is None or pulled is not None or entry.sha256 == digest else \
                        " (its pulled content is not at hand to merge: not in .xanoctl/objects/ nor in git)"
                    result.conflicts.append(Change.of("conflict", obj, entry.path,
                                                   reason=f"modified locally and {why}{base_note}"))
                    out.manifest.entries[obj.key] = entry
                    continue
                if moved:
                    out.deletes.append(entry.path)
                out.writes[path] = merged.data
                out.bases.append(data)  # the new base: what the file's changes are now measured against
                out.manifest.entries[obj.key] = new_entry
                result.merged.append(Change.of("merged", obj, path,
                                            old_path=entry.path if moved else None,
                                            reason=plural(merged.conflicts, "conflict") if merged.conflicts else ""))
                continue
        if moved and local is not None:
            out.deletes.append(entry.path)
        out.writes[path] = data
        out.bases.append(data)
        out.manifest.entries[obj.key] = new_entry
        reason = "restored" if local is None else ("moved" if moved and entry.sha256 == digest else "content")
        result.changed.append(Change.of("changed", obj, path,
                                     old_path=entry.path if moved else None, reason=reason))
    for entry in old.entries.values():
        if entry.kind not in kinds or entry.key in remote_keys:
            continue
        local = folder.sha256(entry.path)
        if local is None or local == entry.sha256 or force:
            if local is not None and entry.path not in out.writes:
                out.deletes.append(entry.path)
            result.removed.append(Change.of("removed", entry, entry.path))
        else:
            result.conflicts.append(Change.of("conflict", entry, entry.path,
                                           reason="modified locally and deleted remotely"))
            out.manifest.entries[entry.key] = entry
    for bucket in (result.added, result.changed, result.removed, result.conflicts, result.errors, result.merged):
        bucket.sort(key=lambda change: (change.path, change.kind, change.id))
    return out, result


def _merged(mine: bytes | None, pulled: bytes | None, remote: bytes, renamed_only: bool):
    """The local edit merged with the remote change (:mod:`xanoctl.sync.merge`), or None when it
    cannot be: no file, no base. An object only renamed remotely keeps the local file as it is."""
    from xanoctl.sync.merge import Merged, merge

    if mine is None:
        return None
    if renamed_only:
        return Merged(mine, 0)
    if pulled is None:
        return None
    return merge(pulled, mine, remote)


def apply(out: PullPlan, folder: WorkspaceFolder, result: PullResult, staged: Staged | None = None) -> None:
    """Perform a plan: every file written aside first (a failure there changes nothing; or
    already written: ``staged``), then the removals, the files put in place, and the manifest
    (only if its text changed). A new folder built aside takes its manifest in too, and is then
    renamed into place whole."""
    staged = folder.stage(out.writes) if staged is None else staged
    rel = ""
    try:
        for rel in sorted(set(out.deletes) - set(out.writes)):
            if folder.remove(rel):
                result.deleted.append(rel)
    except OSError as exc:
        folder.discard(staged)
        raise XanoctlError(f"cannot remove {rel} in {folder.root}: {exc.strerror or exc}; fix that, then pull "
                           "again") from None
    text = out.lock if out.lock is not None else out.manifest.dumps().encode("utf-8")
    if staged.aside is not None:
        folder.stage_manifest(staged, text)
        folder.install(staged)
        result.written.extend(sorted(out.writes))
        result.written.append(MANIFEST_NAME)
        return
    folder.install(staged)
    result.written.extend(sorted(out.writes))
    if folder.read(MANIFEST_NAME) != text:
        try:
            folder.root.mkdir(parents=True, exist_ok=True)
            write_atomic(folder.root / MANIFEST_NAME, text)
        except OSError as exc:
            raise XanoctlError(f"cannot write {folder.root / MANIFEST_NAME}: {exc.strerror or exc}; the files "
                               "are pulled: fix that, then pull again") from None
        result.written.append(MANIFEST_NAME)


def plan_pull(remote: list[RemoteObject], local: Local, folder: WorkspaceFolder, kinds: list[str], workspace: int,
              branch: str, force: bool, layout: str, early: FirstPull | None,
              instance: str | None = None, bases: Bases | None = None) -> tuple[PullPlan, PullResult, Staged | None]:
    """:func:`plan`, or for a first pull the plan ``early`` made while the pages arrived, its
    files already written aside (the :class:`Staged` to install)."""
    if early is not None:
        planned = early.finish(remote) if local.manifest is None else None
        if planned is not None:
            return *planned, early.staged
        early.discard()
    out, result = plan(remote, local.manifest, folder, kinds, workspace, branch, force, layout, seen=local.digests,
                       instance=instance, bases=bases)
    return out, result, None


Check = Callable[[Manifest | None, Manifest], None]


def unreached(client: XanoClient, kinds: list[str], remote: list[RemoteObject],
              manifest: Manifest | None) -> dict[str, str]:
    """The kinds of ``kinds`` this pull could not reach, with why and what to do: the lists (and
    the multidoc export) the client found refused, and a kind without routes of its own that Xano
    keeps one of (the workspace's settings, the branch's) that the export did not hold while the
    manifest knows it."""
    found = {kind: reason for kind, reason in client.aio.unreachable.items() if kind in kinds}
    listed = {obj.kind for obj in remote}
    for kind in kinds:
        if multidoc_only(kind) and lookup(kind).kept and kind not in found and kind not in listed \
                and manifest and manifest.of_kinds([kind]):
            found[kind] = (f"the multidoc export (GET /workspace/{client.aio.workspace}/multidoc) holds no {kind} "
                           "document, which Xano keeps one of")
    return found


def pull(client: XanoClient, folder: Path, *, kinds: Iterable[str] = EVERY, force: bool = False,
         before_write: Check | None = None, layout: str = READABLE, origin: str | None = None,
         bases: Bases | None = None) -> PullResult:
    """Pull the client's workspace into ``folder`` (created if needed), new files named in
    ``layout``. Fetches everything before changing anything (a first pull writes its files
    meanwhile, aside, unseen); ``before_write(old manifest, new manifest)`` may refuse (raise)
    once the plan is known. ``origin``: what the lock records as its instance (default: the
    client's origin); a folder pulled from another is refused. ``bases``: the contents last
    pulled, for three-way merges; it keeps what this pull writes (before writing it)."""
    kinds = list(kinds)
    target = WorkspaceFolder(folder)
    origin = origin or instance_origin(client.aio.base_url)
    early = FirstPull.start(target, kinds, layout, client.aio.workspace, client.aio.branch, origin)
    with early or nullcontext():
        remote, local = fetch_and_look(client, kinds, target, early, origin)
        unreachable = unreached(client, kinds, remote, local.manifest)
        kinds = reached(kinds, unreachable, remote, local.manifest)
        remote = complete(client, kinds, [obj for obj in remote if obj.kind in kinds], local.manifest)
        out, result, staged = plan_pull(remote, local, target, kinds, client.aio.workspace, client.aio.branch,
                                        force, layout, early, origin, bases)
        result.unreachable = unreachable
        result.swept = sorted(os.path.relpath(path, target.root).replace(os.sep, "/") for path in local.swept)
        result.shared = sum(shared(entry.kind, client.aio.branch) for entry in out.manifest.entries.values())
        if before_write is not None:
            before_write(local.manifest, out.manifest)
        if bases is not None:  # (content-addressed: kept first, so the new lock's hashes always find theirs)
            bases.keep(out.bases)
        apply(out, target, result, staged)
    result.requests, result.pages = client.stats.requests, client.stats.pages
    return result
