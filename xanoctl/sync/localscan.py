"""The working tree against the manifest: which files match what was pulled, which differ,
which are missing, which are new. No network, no git.

Two local differences are no change, as no push could ever make the remote hold them: spacing
Xano does not keep (:mod:`xanoctl.language.spacing`), and the ``env`` clause of the workspace's
document (:mod:`xanoctl.language.environment`): Xano's environment is pulled and pushed only when
asked for, xanoctl never asks (it holds secrets), so a clause written by hand stays local, and a
push sends the document without it (:func:`as_pushed`).

PATH arguments select files and folders, relative to the current folder or to the workspace
folder (:mod:`xanoctl.ui.paths`: the paths any command prints); they must lie inside the
workspace folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from xanoctl.language import spacing
from xanoctl.language.environment import without_env
from xanoctl.sync.basestore import BaseStore
from xanoctl.errors import UsageError
from xanoctl.sync.manifest import MANIFEST_NAME, Entry, Manifest, sha256_bytes
from xanoctl.sync.paths import EXT
from xanoctl.sync.workspace import WorkspaceFolder
from xanoctl.ui.paths import resolve


@dataclass(frozen=True)
class LocalFile:
    """One file or manifest entry. ``sha256`` is None when the file is missing; ``entry`` is
    None for a file the manifest does not know. ``spacing_only``: the file differs from what
    the manifest describes only in spacing Xano does not keep (:mod:`xanoctl.language.spacing`):
    not modified."""

    path: str
    sha256: str | None
    entry: Entry | None
    spacing_only: bool = False
    env_only: bool = False  # a workspace document that differs only by its env clause (and spacing)

    @property
    def missing(self) -> bool:
        return self.sha256 is None

    @property
    def modified(self) -> bool:
        return (self.entry is not None and self.sha256 is not None and self.sha256 != self.entry.sha256
                and not self.spacing_only and not self.env_only)


def selection(folder: WorkspaceFolder, args: Sequence[str | Path], cwd: Path | None = None) -> list[str] | None:
    """Workspace-relative prefixes for PATH arguments (None: everything). ``""`` is the whole
    workspace. A path outside the workspace folder is a usage error."""
    if not args:
        return None
    cwd = Path.cwd() if cwd is None else cwd
    prefixes = []
    for arg in args:
        real = resolve(arg, folder.root, cwd)
        if not real.is_relative_to(folder.root):
            raise UsageError(f"{arg} is not inside the workspace folder {folder.root}")
        rel = real.relative_to(folder.root).as_posix()
        prefixes.append("" if rel == "." else rel)
    return prefixes


def selected(rel: str, prefixes: list[str] | None) -> bool:
    if prefixes is None:
        return True
    return any(p == "" or rel == p or rel.startswith(p + "/") for p in prefixes)


def untracked_files(folder: WorkspaceFolder, known: Iterable[str]) -> list[str]:
    """Every ``*.xs`` file under the folder that the manifest does not list (hidden folders,
    such as ``.xanoctl`` and ``.git``, are skipped)."""
    known = set(known)
    found = []
    for top, dirs, files in os.walk(folder.root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.endswith(EXT) or name.startswith("."):
                continue
            rel = Path(top, name).relative_to(folder.root).as_posix()
            if rel not in known and rel != MANIFEST_NAME:
                found.append(rel)
    return sorted(found)


Base = Callable[[Entry], "bytes | None"]
ENV_KIND = "workspace"  # the document whose env clause is never pushed


def as_pushed(kind: str, text: str) -> str:
    """What a push sends of a file: the workspace's document without its ``env`` clause (see the
    module doc), any other as it is."""
    return without_env(text) if kind == ENV_KIND else text


def scan(folder: WorkspaceFolder, manifest: Manifest, prefixes: list[str] | None = None,
         store: BaseStore | None = None, base: Base | None = None) -> list[LocalFile]:
    """Every manifest entry and every untracked ``*.xs`` file selected by ``prefixes``. Files
    still matching their manifest hash are saved into ``store`` (the pulled content). With
    ``base`` (an entry's pulled content, see :meth:`xanoctl.sync.context.Context.base`), a file
    that differs from it only in spacing is marked ``spacing_only``."""
    out = []
    by_path = manifest.by_path()
    for rel, entry in sorted(by_path.items()):
        if not selected(rel, prefixes):
            continue
        data = folder.read(rel)
        digest = None if data is None else sha256_bytes(data)
        if store is not None and data is not None and digest == entry.sha256:
            store.put(data)
        spaced = env_only = False
        if data is not None and digest != entry.sha256:
            pulled = base(entry) if base is not None else None
            spaced = pulled is not None and spacing.same(pulled, data)
            if not spaced and entry.kind == ENV_KIND:
                pushed = as_pushed(entry.kind, data.decode("utf-8", errors="replace")).encode("utf-8")
                env_only = pushed != data and (sha256_bytes(pushed) == entry.sha256 or
                                               (pulled is not None and spacing.same(pulled, pushed)))
        out.append(LocalFile(rel, digest, entry, spaced, env_only))
    for rel in untracked_files(folder, by_path):
        if selected(rel, prefixes):
            data = folder.read(rel)
            out.append(LocalFile(rel, None if data is None else sha256_bytes(data), None))
    return out
