"""A first pull into a folder that does not exist yet, planned and written while the pages arrive.

Such a pull has nothing to compare: every object is added, its file where the layout puts it.
So each object is planned (its path, manifest entry and line, change) as soon as its page is
consumed, and its file written into the new folder built aside (:meth:`~xanoctl.sync.
workspace.WorkspaceFolder.open_aside`), while the client mostly waits on the network for the
later pages. The planning runs in the client's event loop, a few objects at a time between two
looks at the network (:meth:`FirstPull.take`), so that no answer waits long for it; the files
are created by a thread (:class:`_Writer`: system calls, which let the event loop run meanwhile).
At the end (:meth:`FirstPull.finish`) only what needs every object is left: the paths.

A path is known for certain only once every object is listed: two names can map to the same
path (case-insensitively), and then the lowest id keeps it (:func:`~xanoctl.sync.paths.
assign_paths`). So an object's file is written early at its preferred path (the first one
:func:`~xanoctl.sync.paths.preferred_path` gives), unless an object seen earlier already
prefers the same path. When no two objects prefer the same path, the preferred paths are the
assigned ones (each object takes its first choice, which no other one wants); otherwise the
paths are assigned again over every object, and each file written at another path is taken
back and written at its own. Either way the folder then holds exactly what :func:`xanoctl.sync.
pull.plan` and :meth:`~xanoctl.sync.workspace.WorkspaceFolder.stage` would have made: the same
files, paths and bytes (also where two folder names differ only in case: those files are
written again in sorted order, as the stage does, so that a case-insensitive file system keeps
the same spelling). Any file the thread could not write is written (or its error reported) at
the end, as the stage would.

Nothing is visible before the end: the folder is renamed into place with its manifest written
last, inside it (see :func:`xanoctl.sync.pull.apply`); a failed or interrupted pull removes the
folder aside (and a killed one leaves it to the next pull's sweep). When the plan cannot be
made this way after all (the folder appeared meanwhile, or the lists hold an object twice),
:meth:`FirstPull.finish` gives nothing and the pull plans as usual.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from dataclasses import dataclass, replace
from operator import attrgetter
from queue import SimpleQueue
from typing import Iterable

from xanoctl import atomic
from xanoctl.errors import XanoctlError
from xanoctl.sync.manifest import Entry, Manifest, document, entry_line, sha256_bytes, shared
from xanoctl.sync.paths import Placement, assign_paths, fold, group_folders, preferred_path
from xanoctl.sync.pullplan import Change, PullPlan, PullResult
from xanoctl.xano.kinds import selects
from xanoctl.xano.remote import RemoteObject
from xanoctl.sync.workspace import Staged, UnsafePathError, WorkspaceFolder, plain_parts

Key = tuple[str, int]
CHUNK = 20  # objects planned at a time in the event loop (about a millisecond)


@dataclass(slots=True)
class _Object:
    """One listed object as planned so far."""

    obj: RemoteObject
    key: Key
    placement: Placement
    path: str = ""  # the preferred path (the assigned one once :meth:`FirstPull.finish` has run)
    data: bytes | None = None  # the file's bytes (None: no file, another kind or unreadable)
    entry: Entry | None = None
    line: str = ""  # the entry's line in the manifest
    change: Change | None = None
    written: bool = False  # its file is written aside at ``path`` (set by the writer thread)


Job = tuple[_Object, str | None, str, bytes]  # (object, folder to create first or None, file, bytes)


class _Writer:
    """A thread creating files in the folder built aside, in the order given, a batch at a time
    (one wake-up for a batch, not one for each file). It stops writing at its first failure
    (what it did not write is written, or reported, at the end)."""

    def __init__(self) -> None:
        self._jobs: SimpleQueue[list[Job] | None] = SimpleQueue()
        self._cancelled = False
        self.failed = False
        self._thread = threading.Thread(target=self._run, name="xanoctl-pull-writer", daemon=True)
        self._thread.start()

    def put(self, jobs: list[Job]) -> None:
        """For each job, create the file (after its folder when given) and mark the object written."""
        self._jobs.put(jobs)

    def close(self, cancel: bool = False) -> None:
        """Wait until every file given is written (or, with ``cancel``, until the current one is)."""
        self._cancelled = self._cancelled or cancel
        self._jobs.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (jobs := self._jobs.get()) is not None:
            for item, folder, path, data in jobs:
                if self.failed or self._cancelled:
                    break
                try:
                    if folder is not None:
                        os.makedirs(folder, exist_ok=True)
                    atomic.create(path, data)
                except OSError:
                    self.failed = True
                    break
                item.written = True


class FirstPull:
    """Plans and writes a first pull page by page (:meth:`take`, in the client's event loop),
    then finishes the plan (:meth:`finish`). Use as a context manager: leaving it by an
    exception removes everything written aside."""

    def __init__(self, folder: WorkspaceFolder, kinds: Iterable[str], layout: str, workspace: int, branch: str,
                 instance: str | None = None):
        self.folder = folder
        self.kinds = set(kinds)
        self.layout = layout
        self.workspace = workspace
        self.branch = branch
        self.instance = instance
        self.staged = Staged()
        self._queue: deque[RemoteObject] = deque()  # objects taken, not planned yet
        self._step: asyncio.Handle | None = None  # the planning of the next few, scheduled in the event loop
        self._failure: BaseException | None = None  # an unexpected error while planning in the event loop
        self._writer: _Writer | None = None
        self._batch: list[Job] = []  # files for the writer, given at the end of each step
        self._writing = True  # False once a file could not be given to the writer: the rest at the end
        self._made: set[str] = set()  # folders given to the writer to create
        self._objects: dict[Key, _Object] = {}
        self._entries: dict[Key, Entry] = {}  # the new manifest's entries
        self._preferred: dict[str, Key] = {}  # folded preferred path -> the first object preferring it
        self._shared = False  # two objects prefer the same path: assigned again at the end
        self._twice = False  # an object listed twice: planned the usual way
        self._groups: dict[int, Placement] = {}
        self._dirs: dict[int, str] | None = None  # the folders of the groups listed (None: one more since)
        self._unplaced: list[_Object] = []  # API groups listed since
        self._stale = False  # a group listed after the group folders were chosen: paths assigned again
        self._unreadable: list[_Object] = []  # objects of the kinds pulled without XanoScript
        self._folders: set[str] = set()  # folders of the files planned (and their parents)
        self._spellings: dict[str, set[str]] = {}  # folded folder -> its spellings among them

    @classmethod
    def start(cls, folder: WorkspaceFolder, kinds: Iterable[str], layout: str, workspace: int,
              branch: str, instance: str | None = None) -> "FirstPull | None":
        """A first pull when the workspace folder does not exist yet, else None."""
        if os.path.lexists(folder.root):
            return None
        return cls(folder, kinds, layout, workspace, branch, instance)

    def __enter__(self) -> "FirstPull":
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is not None:
            self.discard()

    def discard(self) -> None:
        """Stop planning and writing, then remove everything written aside."""
        self._stop_planning()
        self._queue.clear()
        self._batch = []
        if self._writer is not None:
            self._writer.close(cancel=True)
        self.folder.discard(self.staged)
        self.staged = Staged()

    def _stop_planning(self) -> None:
        if self._step is not None:
            self._step.cancel()  # (the event loop is not running: the client's call returned)
            self._step = None

    # ------------------------------------------------------------------ while the pages arrive

    def take(self, objects: list[RemoteObject]) -> None:
        """One page's objects (called in the client's event loop): planned a few at a time
        between two looks at the network."""
        self._queue.extend(objects)
        if self._step is None and self._failure is None:
            self._step = asyncio.get_running_loop().call_soon(self._plan_some)

    def _plan_some(self) -> None:
        self._step = None
        try:
            for _ in range(min(CHUNK, len(self._queue))):
                self._plan(self._queue.popleft())
            self._flush()
        except BaseException as exc:  # raised by finish(), outside the event loop
            self._failure = exc
            self._queue.clear()
            return
        if self._queue:
            self._step = asyncio.get_running_loop().call_soon(self._plan_some)

    def _plan(self, obj: RemoteObject) -> None:
        key = obj.key
        if key in self._objects:
            self._twice = True
            return
        item = _Object(obj, key, Placement.of(obj))
        self._objects[key] = item
        if obj.kind == "api_group":  # placed with the first endpoint, once every group is listed
            self._groups[obj.id] = item.placement
            self._stale = self._stale or self._dirs is not None
            self._dirs = None
            self._unplaced.append(item)
            return
        if obj.kind == "query" and self._dirs is None:
            self._place_groups()
        self._place(item)

    def _place_groups(self) -> None:
        """The folders of the API groups listed so far; the groups not placed yet placed."""
        self._dirs = group_folders(self._groups.values(), self.layout)
        unplaced, self._unplaced = self._unplaced, []
        for item in unplaced:
            self._place(item)

    def _place(self, item: _Object) -> None:
        """Choose the object's preferred path, plan it, and have its file written (unless an
        object seen earlier prefers the same path)."""
        obj = item.obj
        dirs = self._dirs or {}
        item.path = path = preferred_path(item.placement, dirs, self.layout)
        first = self._preferred.setdefault(fold(path), item.key) == item.key
        self._shared = self._shared or not first
        if not selects(self.kinds, obj.kind):
            return
        if obj.xanoscript is None:
            self._unreadable.append(item)
            return
        item.data = obj.xanoscript.encode("utf-8")
        item.entry = self._entries[item.key] = Entry.of_object(obj, path, sha256_bytes(item.data), obj.updated_at)
        item.line = entry_line(item.entry, shared(obj.kind, self.branch))
        item.change = Change.of("added", obj, path)
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            self._note_folder(folder)
        if first and self._writing:
            self._write(item, path, item.data)

    def _note_folder(self, folder: str) -> None:
        while folder and folder not in self._folders:
            self._folders.add(folder)
            self._spellings.setdefault(fold(folder), set()).add(folder)
            folder = folder.rpartition("/")[0]

    def _write(self, item: _Object, rel: str, data: bytes) -> None:
        """Have the writer create the file (its folder first, the first time)."""
        try:
            if self.staged.aside is None:
                self.folder.open_aside(self.staged)
            plain_parts(rel)  # a plain relative path, checked: it cannot leave the folder aside
        except (OSError, UnsafePathError):
            self._writing = False  # written (or reported) at the end, as the stage would
            return
        assert self.staged.aside is not None
        base = self.staged.aside + os.sep  # ("/" separates too, on every system)
        folder = base + rel.rpartition("/")[0]
        new = folder not in self._made
        if new:
            self._made.add(folder)
        self._batch.append((item, folder if new else None, base + rel, data))

    def _flush(self) -> None:
        """Give the writer the files planned since the last time."""
        if self._batch:
            if self._writer is None:
                self._writer = _Writer()
            self._writer.put(self._batch)
            self._batch = []

    # ------------------------------------------------------------------ once every page is in

    def finish(self, remote: list[RemoteObject]) -> tuple[PullPlan, PullResult] | None:
        """The plan of the pull of ``remote`` (what :func:`xanoctl.sync.pull.plan` would make of
        it), its files all written aside in :attr:`staged`; None (everything aside removed)
        when the folder appeared meanwhile or ``remote`` is not what the pages brought."""
        self._stop_planning()
        if self._failure is not None:
            raise self._failure
        while self._queue:
            for _ in range(min(CHUNK * 5, len(self._queue))):
                self._plan(self._queue.popleft())
            self._flush()
        if self._dirs is None:
            self._place_groups()  # (no endpoint came, or a group came after them)
            self._flush()
        if self._writer is not None:
            self._writer.close()
        objects = self._objects.values()
        # (the client hands over every object it returns, once: ``remote`` has no other one)
        if self._twice or len(remote) != len(self._objects) or os.path.lexists(self.folder.root):
            self.discard()
            return None
        wanted = [item for item in objects if item.data is not None]
        if not wanted:  # nothing to write: the usual plan creates the folder with its manifest
            self.discard()
            return None
        if self._settle_paths(list(objects)):
            self._folders, self._spellings = set(), {}
            for item in wanted:
                self._note_folder(item.path.rpartition("/")[0])
        self._write_the_rest(wanted)
        return self._plan_and_result(wanted)

    def _settle_paths(self, planned: list[_Object]) -> bool:
        """The assigned path of every object, the files written elsewhere taken back; whether
        any path changed."""
        if not self._shared and not self._stale:
            return False  # every object takes its preferred path: no other one prefers it
        paths = assign_paths([item.placement for item in planned], layout=self.layout)
        changed = False
        for item in planned:
            path = paths[item.key]
            if path == item.path:
                continue
            changed = True
            if item.written:
                self._take_back(item)
            item.path = path
            if item.entry is not None and item.change is not None:
                item.entry = self._entries[item.key] = replace(item.entry, path=path)
                item.line = entry_line(item.entry, shared(item.entry.kind, self.branch))
                item.change = replace(item.change, path=path)
        return changed

    def _write_the_rest(self, wanted: list[_Object]) -> None:
        """Write what is not written yet (or again, see the module doc) in sorted order, as
        :meth:`~xanoctl.sync.workspace.WorkspaceFolder.stage` would; a failure removes
        everything aside and names the file."""
        mixed = {folded for folded, names in self._spellings.items() if len(names) > 1}
        if mixed:
            for item in wanted:
                if item.written and _under(fold(item.path), mixed):
                    self._take_back(item)
        rest = sorted((item for item in wanted if not item.written), key=attrgetter("path"))
        rel = ""
        made: set[str] = set()
        try:
            if rest and self.staged.aside is None:
                self.folder.open_aside(self.staged)
            for item in rest:
                rel = item.path
                assert item.data is not None
                self.folder.put_aside(self.staged, rel, item.data, made)
                item.written = True
        except OSError as exc:
            self.discard()
            raise XanoctlError(f"cannot write {rel or self.folder.root} in {self.folder.root}: "
                               f"{exc.strerror or exc}; nothing was changed: fix that, then pull again") from None
        except BaseException:
            self.discard()
            raise

    def _take_back(self, item: _Object) -> None:
        try:
            self.folder.take_back(self.staged, item.path)
        except OSError as exc:
            self.discard()
            raise XanoctlError(f"cannot remove {item.path} from {self.staged.aside}: {exc.strerror or exc}; "
                               "nothing was changed: fix that, then pull again") from None
        item.written = False

    def _plan_and_result(self, wanted: list[_Object]) -> tuple[PullPlan, PullResult]:
        result = PullResult(folder=self.folder.root)
        out = PullPlan(manifest=Manifest(workspace=self.workspace, branch=self.branch, instance=self.instance))
        ordered = sorted(wanted, key=attrgetter("path"))  # paths are unique: as by (path, kind, id)
        out.manifest.entries = self._entries
        out.writes = {item.path: item.data for item in ordered if item.data is not None}
        out.lock = document(self.workspace, self.branch, [item.line for item in ordered],
                            self.instance).encode("utf-8")
        result.added = [item.change for item in ordered if item.change is not None]
        result.errors = sorted((Change.of("error", item.obj, item.path,
                                       reason=item.obj.xanoscript_error or "no XanoScript")
                                for item in self._unreadable), key=lambda change: (change.path, change.kind, change.id))
        return out, result


def _under(folded_path: str, folders: set[str]) -> bool:
    """Whether a (folded) path lies in one of ``folders`` (folded)."""
    folder = folded_path.rpartition("/")[0]
    while folder:
        if folder in folders:
            return True
        folder = folder.rpartition("/")[0]
    return False
