"""``xanoctl lint --watch``: the folders to watch and the batches of changes that call for
linting again. File events come from the system (watchfiles: inotify, FSEvents, ReadDirectoryChangesW),
not from polling; a burst of saves is one batch."""

from __future__ import annotations

import os
import threading
from typing import Iterator, Sequence

from xanoctl.lint.files import SUFFIX, resolve_scope

CONFIG = "xanoctl.yaml"


def folders(paths: Sequence[str], configured: str | None = None) -> list[str]:
    """What to watch for ``paths``: the named folders, the folders of named files, and the
    workspaces around them (a change to a callee elsewhere changes a caller's findings); none
    inside another."""
    scope = resolve_scope(paths, configured)
    found = {os.path.abspath(path) if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
             for path in paths}
    found.update(scope.roots)
    return sorted(folder for folder in found
                  if not any(folder != other and folder.startswith(other.rstrip(os.sep) + os.sep) for other in found))


def relevant(path: str) -> bool:
    """A change worth linting again for: a XanoScript file, or the configuration."""
    return path.endswith(SUFFIX) or os.path.basename(path) == CONFIG


def batches(watched: Sequence[str], stop: threading.Event | None = None) -> Iterator[list[str]]:
    """First an empty batch once the system watches ``watched`` (a save from then on is seen),
    then each batch of changed files (sorted), as they come, until ``stop`` is set (or forever)."""
    import watchfiles

    ready = False
    for changes in watchfiles.watch(*watched, watch_filter=lambda _change, path: relevant(path),
                                    stop_event=stop, yield_on_timeout=True, rust_timeout=500):
        if changes or not ready:
            ready = True
            yield sorted({path for _change, path in changes})
