"""The push journal: what a push is about to do, and what it has done, on disk at every step,
so that a push whose process died can be finished (``push --resume``) or undone
(``rollback --last-push``).

One file per push, ``.xanoctl/pushes/<id>.jsonl`` (git-ignored), JSON lines:

- line 1, the header, written atomically (temporary file, fsync, rename) before the first
  write to Xano: the workspace (instance URL, workspace id, branch, folder; never a token) and
  every step of the plan with the XanoScript to push and the **snapshot** of the remote
  object as it was just before the push (its XanoScript, ``updated_at``, guid, name);
- then one event per line (with its wall-clock time ``at``), appended and fsynced as it
  happens: ``started`` (before a request is sent), ``done`` (with the object's new id and
  ``updated_at``), ``failed``, ``snapshot`` (a resume forced over a remote change takes a new
  snapshot), ``restore`` (restoring begins), ``restored`` / ``restore_failed`` per step,
  ``lock`` (``xanoctl.lock`` is about to be replaced: ``purpose`` push, restore or undo, and the
  ``sha256`` of the new lock's text), ``manifest`` (the pushed lock is saved), ``files`` (an undo
  of a finished push put the working tree back: the files ``written``, ``removed`` and ``kept``
  because they changed since the push) and ``end`` (the outcome: pushed, restored,
  restore-incomplete, undone), written only once the lock and any commit are done.

A step ``started`` but neither ``done`` nor ``failed`` may or may not have reached Xano: a
restore treats it as possibly applied. A torn last line (a kill during an append) is ignored.
A process killed between ``lock`` and ``manifest`` is told apart by the lock's hash
(:meth:`Journal.lock_saved`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from xanoctl.atomic import process_alive, write_atomic
from xanoctl.xano.remote import parents_in, parents_label
from xanoctl.errors import XanoctlError
from xanoctl.ui.words import plural

FOLDER = "pushes"
LOCK = "push.lock"
VERSION = 1
KEEP = 20  # finished journals kept

# outcomes
PUSHED = "pushed"
RESTORED = "restored"
RESTORE_INCOMPLETE = "restore-incomplete"
UNDONE = "undone"


class JournalError(XanoctlError):
    pass


@dataclass
class Step:
    """One object to write. Header fields come first; the progress fields after ``status``
    are rebuilt from the events when a journal is read back."""

    seq: int
    action: str  # update, create, delete
    kind: str
    name: str
    path: str
    phase: int
    id: int | None = None
    verb: str | None = None
    group: dict[str, Any] | None = None  # {"id": int | None, "name": str} for endpoints
    group_seq: int | None = None  # the step creating the (new) API group of this endpoint
    content: str | None = None  # the XanoScript to push (update, create)
    sha256: str | None = None  # of ``content``, UTF-8
    before: dict[str, Any] | None = None  # snapshot: xanoscript, updated_at, guid, name (update, delete)
    entry: dict[str, Any] | None = None  # the manifest entry before the push
    # progress
    status: str = "pending"  # pending, started, done, failed
    error: str | None = None
    rejected: bool = False  # failed with a definite refusal (4xx): Xano applied nothing
    after: dict[str, Any] | None = None  # id, guid, updated_at, name once done
    restore: str | None = None  # restored, unchanged, deleted, recreated, absent, kept, failed
    restore_error: str | None = None
    restored_as: dict[str, Any] | None = None  # id, guid, updated_at after a restore write

    def header(self) -> dict[str, Any]:
        data = asdict(self)
        for name in _PROGRESS:
            data.pop(name)
        return data

    @property
    def object_id(self) -> int | None:
        """The remote id: known from the plan (update, delete) or once created."""
        if self.id is not None:
            return self.id
        return (self.after or {}).get("id")

    @property
    def group_id(self) -> int | None:
        return (self.group or {}).get("id")

    @property
    def parents(self) -> tuple[str, ...]:
        """A realtime v2 document's server (and channel): as pulled (its manifest entry), else as
        its XanoScript names them; ``()`` for the other kinds."""
        recorded = (self.entry or {}).get("parents")
        return tuple(recorded) if recorded else parents_in(self.kind, self.content or "")

    def label(self) -> str:
        ident = self.object_id
        suffix = f" (id {ident})" if ident is not None else ""
        if self.kind == "query":
            group = (self.group or {}).get("name")
            return f"query {self.verb} {self.name!r} in {group!r}{suffix}"
        return f"{self.kind} {self.name!r}{parents_label(self.kind, self.parents)}{suffix}"


_PROGRESS = ("status", "error", "rejected", "after", "restore", "restore_error", "restored_as")
_HEADER = tuple(f.name for f in fields(Step) if f.name not in _PROGRESS)


def new_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


@dataclass
class Journal:
    path: Path
    header: dict[str, Any]
    steps: list[Step]
    outcome: str | None = None
    restoring: bool = False
    manifest_saved: bool = False
    lock_to: str | None = None  # sha256 of the lock text the push was saving ("lock" record)
    events: int = 0
    completed: list[int] = field(default_factory=list)  # seqs in the order they were done
    kept: list[str] = field(default_factory=list)  # files an undo left as they were ("files" record)

    # ------------------------------------------------------------------ writing

    @classmethod
    def create(cls, state: Path, header: dict[str, Any], steps: list[Step]) -> "Journal":
        """Write the header (plan and snapshots) atomically and return the open journal."""
        ident = header.get("id") or new_id()
        header = {"type": "push", "version": VERSION, "id": ident,
                  "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **header}
        header["steps"] = [step.header() for step in steps]
        path = state / FOLDER / f"{ident}.jsonl"
        line = json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            write_atomic(path, line.encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise JournalError(f"cannot write the push journal {path} ({exc.strerror or exc}): nothing was "
                               "written to Xano; make room or fix .xanoctl/, then run it again") from None
        return cls(path, header, steps)

    def record(self, kind: str, **data: Any) -> None:
        """Apply one event to the in-memory state and append it (fsynced). In that order: a
        Ctrl-C landing in between leaves the report no less cautious than the journal."""
        event = {"type": kind, "at": round(time.time(), 3), **data}
        line = (json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        self._apply(event)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise JournalError(f"cannot write the push journal {self.path}: {exc.strerror or exc}") from None

    def try_record(self, kind: str, **data: Any) -> None:
        """:meth:`record`, but a journal that cannot be written does not stop a restore (the
        in-memory state is updated all the same, and the report says what happened)."""
        try:
            self.record(kind, **data)
        except JournalError:
            pass

    # ------------------------------------------------------------------ reading

    @classmethod
    def load(cls, path: Path) -> "Journal":
        try:
            lines = path.read_bytes().split(b"\n")
        except OSError as exc:
            raise JournalError(f"cannot read the push journal {path}: {exc.strerror or exc}") from None
        records = []
        for number, raw in enumerate(lines):
            if not raw.strip():
                continue
            try:
                records.append(json.loads(raw))
            except ValueError:
                if number >= len(lines) - 2:  # a torn last line: the process died while appending
                    break
                raise JournalError(f"{path}: line {number + 1} is damaged; the journal cannot be used: {_SET_ASIDE}") from None
        if not records or records[0].get("type") != "push" or records[0].get("version") != VERSION:
            raise JournalError(f"{path}: not a push journal of this xanoctl version: {_SET_ASIDE}")
        header = records[0]
        try:
            steps = [Step(**{k: v for k, v in item.items() if k in _HEADER}) for item in header["steps"]]
        except (KeyError, TypeError) as exc:
            raise JournalError(f"{path}: damaged header ({exc}): {_SET_ASIDE}") from None
        journal = cls(path, header, steps)
        for event in records[1:]:
            journal._apply(event)
        return journal

    def _apply(self, event: dict[str, Any]) -> None:
        self.events += 1
        kind = event.get("type")
        step = self.step(event["seq"]) if "seq" in event else None
        if kind == "started" and step:
            if step.status == "pending":
                step.status = "started"
        elif kind == "done" and step:
            step.status, step.after, step.error = "done", event.get("after"), None
            if step.seq not in self.completed:
                self.completed.append(step.seq)
        elif kind == "failed" and step:
            step.status, step.error, step.rejected = "failed", event.get("error"), bool(event.get("rejected"))
        elif kind == "restore":
            self.restoring = True
        elif kind == "restored" and step:
            step.restore, step.restored_as, step.restore_error = event.get("how"), event.get("as"), None
        elif kind == "restore_failed" and step:
            step.restore, step.restore_error = "failed", event.get("error")
        elif kind == "snapshot" and step:  # a resume forced over a remote change: new snapshot
            step.before = event.get("before")
        elif kind == "lock" and event.get("purpose") == "push":
            self.lock_to = event.get("sha256")
        elif kind == "manifest":
            self.manifest_saved = True
        elif kind == "files":
            self.kept = list(event.get("kept") or [])
        elif kind == "end":
            self.outcome = event.get("outcome")
            self.restoring = False

    # ------------------------------------------------------------------ views

    @property
    def id(self) -> str:
        return str(self.header["id"])

    def step(self, seq: int) -> Step:
        for step in self.steps:
            if step.seq == seq:
                return step
        raise JournalError(f"{self.path}: an event names step {seq}, which the plan does not have")

    @property
    def finished(self) -> bool:
        """Ended, and no undo begun since (an undo of a finished push killed half-way is not)."""
        return self.outcome in (PUSHED, RESTORED, UNDONE) and not self.restoring

    def lock_saved(self, lock: bytes | None) -> bool:
        """Whether ``xanoctl.lock`` (its bytes now) is the one this push saved: recorded
        (``manifest``), or announced (``lock``) and on disk, the process killed in between."""
        if self.manifest_saved:
            return True
        return self.lock_to is not None and lock is not None and hashlib.sha256(lock).hexdigest() == self.lock_to

    def progress(self) -> str:
        done = sum(1 for s in self.steps if s.status == "done")
        return f"{done} of {plural(len(self.steps), 'object')} written"


_SET_ASIDE = ("check the remote (`xanoctl status`), then move it out of .xanoctl/pushes/ to push again (keep "
              "it: it holds that push's snapshots)")


def journal_folder(state: Path) -> Path:
    return state / FOLDER


def last_journal(state: Path) -> Journal | None:
    folder = journal_folder(state)
    if not folder.is_dir():
        return None
    names = sorted(p.name for p in folder.glob("*.jsonl"))
    if not names:
        return None
    return Journal.load(folder / names[-1])


def prune(state: Path, keep: int = KEEP) -> None:
    """Delete the oldest finished journals beyond ``keep``."""
    folder = journal_folder(state)
    paths = sorted(folder.glob("*.jsonl"))
    for path in paths[:-keep] if len(paths) > keep else []:
        try:
            if Journal.load(path).finished:
                path.unlink()
        except (JournalError, OSError):
            continue


@contextmanager
def exclusive(state: Path) -> Iterator[None]:
    """Hold ``.xanoctl/push.lock`` (one push or rollback at a time). A lock left by a dead
    process is taken over."""
    path = state / LOCK
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            holder = _holder(path)
            if holder is not None and process_alive(holder):
                raise XanoctlError(f"another xanoctl push or rollback is running (pid {holder}); wait for it "
                                   f"to finish, or delete {path} if it is not") from None
            path.unlink(missing_ok=True)
            continue
        except OSError as exc:
            raise XanoctlError(f"cannot take the push lock {path} ({exc.strerror or exc}): nothing was written; "
                               "make .xanoctl/ writable, then run it again") from None
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        break
    else:
        raise XanoctlError(f"cannot take the push lock {path}")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def clear_stale_lock(state: Path) -> None:
    """Remove ``.xanoctl/push.lock`` when the process that holds it is gone (a killed push),
    by taking it over and releasing it; a push or rollback still running keeps it."""
    holder = _holder(state / LOCK)
    if holder is not None and not process_alive(holder):
        try:
            with exclusive(state):
                pass
        except XanoctlError:
            pass  # taken by a new push meanwhile


def _holder(path: Path) -> int | None:
    try:
        return int(path.read_text().strip() or "0") or None
    except (OSError, ValueError):
        return None

