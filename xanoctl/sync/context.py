"""What every workspace command starts from: the settings, the workspace folder, its
manifest, xanoctl's private folder and the store of pulled content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xanoctl import atomic
from xanoctl.sync import statedir
from xanoctl.sync.basestore import BaseStore, find_base, git_location
from xanoctl.config import Config
from xanoctl.errors import XanoctlError
from xanoctl.sync.manifest import MANIFEST_NAME, Entry, Manifest, load_manifest
from xanoctl.sync.workspace import WorkspaceFolder


@dataclass
class Context:
    config: Config
    folder: WorkspaceFolder
    manifest: Manifest
    state: Path  # .xanoctl/ (created, git-ignored)
    store: BaseStore

    def base(self, entry: Entry) -> bytes | None:
        """The content ``entry`` describes (as last pulled or pushed), from the store, the
        working tree or git history; None when none has it."""
        return find_base(entry.sha256, self.store, self.folder.read(entry.path),
                         *git_location(self.folder.root, entry.path))

    def sweep(self) -> atomic.Sweep:
        """Remove the temporary files that killed xanoctl runs left in the workspace folder and
        in ``.xanoctl/`` (those of a run still going are kept)."""
        found = atomic.sweep(self.folder.root)
        if not self.state.is_relative_to(self.folder.root):
            found += atomic.sweep(self.state)
        return found


def open_context(config: Config) -> Context:
    """The workspace of ``config``; an error that says to pull when it has no manifest."""
    root = Path(config.dir)
    if not root.is_dir():
        raise XanoctlError(f"no workspace folder at {root}: run `xanoctl pull` first (or pass --dir)")
    folder = WorkspaceFolder(root)
    manifest = load_manifest(folder.root)
    if manifest is None:
        raise XanoctlError(f"no {MANIFEST_NAME} in {folder.root}: run `xanoctl pull` first")
    state = statedir.ensure(statedir.state_dir(config))
    return Context(config, folder, manifest, state, BaseStore(state))
