"""What every workspace command starts from: the settings, the workspace folder, its
manifest, xanoctl's private folder and the store of pulled content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xanoctl import statedir
from xanoctl.basestore import BaseStore
from xanoctl.config import Config
from xanoctl.errors import XanoctlError
from xanoctl.manifest import MANIFEST_NAME, Manifest, load_manifest
from xanoctl.workspace import WorkspaceFolder


@dataclass
class Context:
    config: Config
    folder: WorkspaceFolder
    manifest: Manifest
    state: Path  # .xanoctl/ (created, git-ignored)
    store: BaseStore

    def reload_manifest(self) -> Manifest:
        self.manifest = load_manifest(self.folder.root) or Manifest()
        return self.manifest


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
