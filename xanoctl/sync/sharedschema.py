"""What xanoctl may write to the objects every branch shares, and to the data they hold.

In Xano a branch holds logic only: tables (:data:`~xanoctl.xano.remote.WORKSPACE_KINDS`) are
the workspace's, one set that every branch reads and writes, so a table written "to a branch"
is written to the live database, whose rows it holds. Two checks guard the writes of a push
(object by object or ``--transaction``), of ``rollback PATH --to REV``, of ``rollback
--last-push`` and of ``push --resume`` (:func:`check`):

1. shared: on a branch other than the live one, any write to a workspace-scoped object (a
   create, an update, a delete) is refused unless :attr:`Permission.shared`
   (``--allow-shared-schema-changes``), one line per object saying that it reaches the live
   database;
2. data loss: on any branch, the live one included, a table deleted, or a column removed or
   retyped (its type, its array form, or an enum value dropped), destroys data: each is named,
   and needs :attr:`Permission.loss` (``--allow-data-loss``) or, on a terminal, the user's yes
   (:attr:`Permission.confirm`). The columns are compared on the parsed table documents, the
   remote's (the snapshot taken just before) against the one to write
   (:mod:`xanoctl.semantics.tables`); a column renamed is one removed and one added, as it is
   for Xano (its values go).

A dry run refuses neither: it shows such writes apart (:meth:`Verdict.lines`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.model import InputField
from xanoctl.language.parser import parse_document
from xanoctl.semantics.tables import IMPLICIT, Column, table_of
from xanoctl.xano.remote import WORKSPACE_KINDS

if TYPE_CHECKING:
    from xanoctl.sync.journal import Step
    from xanoctl.xano.client import AsyncXanoClient

SHARED_FLAG = "--allow-shared-schema-changes"
LOSS_FLAG = "--allow-data-loss"


@dataclass(frozen=True)
class Permission:
    """What the user allowed: ``shared`` writes to workspace-scoped objects from a branch other
    than the live one, data ``loss``; ``confirm`` asks on a terminal (given the lines naming
    the losses, it answers yes or no), None where no one can answer."""

    shared: bool = False
    loss: bool = False
    confirm: Callable[[list[str]], bool] | None = field(default=None, compare=False)

    def journal(self) -> dict[str, bool]:
        """What a journal header records of it, for ``push --resume``."""
        return {"allow_shared_schema_changes": self.shared, "allow_data_loss": self.loss}

    def with_journal(self, header: dict) -> "Permission":
        """This permission, plus what the interrupted operation was allowed."""
        return Permission(self.shared or bool(header.get("allow_shared_schema_changes")),
                          self.loss or bool(header.get("allow_data_loss")), self.confirm)


@dataclass(frozen=True)
class Write:
    """One write to one object: its XanoScript ``before`` (remote now; None for a create) and
    ``after`` (None for a delete)."""

    path: str
    label: str
    kind: str
    action: str  # create, update, delete
    before: str | None
    after: str | None

    @property
    def shared(self) -> bool:
        return self.kind in WORKSPACE_KINDS


@dataclass(frozen=True)
class Loss:
    """The data a write destroys: ``what`` names each column (or the whole table)."""

    write: Write
    what: tuple[str, ...]

    def line(self) -> str:
        return f"{self.write.path}: {self.write.label}: {'; '.join(self.what)}"


@dataclass
class Verdict:
    """The writes to workspace-scoped objects (``shared``) of one operation on ``branch`` (""
    for the live one; ``live``: whether it is the live branch), and the data they destroy."""

    branch: str
    live: bool
    shared: list[Write]
    losses: list[Loss]

    @property
    def reaches_live(self) -> bool:
        """Whether writing from this branch changes the live database without being on it."""
        return bool(self.shared) and not self.live

    def refusals(self, permission: Permission, *, asking: bool = False) -> list[str]:
        """A line per write the permission does not cover; the losses are left to the question
        when ``asking`` (a terminal will be asked)."""
        problems = []
        if self.reaches_live and not permission.shared:
            problems += [f"{w.path}: {w.label} is shared by every branch: {_doing(w)} from branch {self.branch!r} "
                         f"changes the live {_what(w)}; pass {SHARED_FLAG} to do it" for w in self.shared]
        if self.losses and not permission.loss and not asking:
            problems += [f"{loss.line()}: that data is lost; pass {LOSS_FLAG} to do it (or run it on a terminal "
                         "to confirm)" for loss in self.losses]
        return problems

    def confirmed(self, permission: Permission) -> bool:
        """Whether the losses are allowed: by the flag, or by the user's answer."""
        if not self.losses or permission.loss:
            return True
        return permission.confirm is not None and permission.confirm(self.loss_lines())

    def unconfirmed(self) -> list[str]:
        return [f"{loss.line()}: not confirmed" for loss in self.losses]

    def settle(self, permission: Permission) -> list[str]:
        """The refusals, the question asked first where a terminal can answer it: [] when every
        write is allowed."""
        problems = self.refusals(permission, asking=permission.confirm is not None)
        if not problems and not self.confirmed(permission):
            problems = self.unconfirmed()
        return problems

    def loss_lines(self) -> list[str]:
        return [f"data loss: {loss.line()}" for loss in self.losses]

    def lines(self) -> list[str]:
        """The dry run's account of these writes, apart from the others."""
        out = []
        if self.reaches_live:
            out.append(f"shared by every branch: on branch {self.branch!r} these write to the live database "
                       f"(refused without {SHARED_FLAG}):")
            width = max(len(w.path) for w in self.shared)
            out += [f"  {w.action:<7} {w.path:<{width}}  {w.label}" for w in self.shared]
        if self.losses:
            out.append(f"data loss (refused without {LOSS_FLAG}, or a yes on a terminal):")
            out += [f"  {loss.line()}" for loss in self.losses]
        return out


def of_steps(steps: Iterable[Step]) -> list[Write]:
    """The writes of a plan's steps (a step already gone remotely writes nothing)."""
    return [Write(s.path, s.label(), s.kind, s.action, (s.before or {}).get("xanoscript"), s.content)
            for s in steps if s.action in ("create", "update", "delete")]


def of_undo(steps: Iterable[Step]) -> list[Write]:
    """The writes that put back what ``steps`` changed: an update's snapshot goes back over the
    pushed text, a created object is deleted, a deleted one created again. A step Xano refused
    (it applied nothing) needs no undoing."""
    undo = {"update": "update", "create": "delete", "delete": "create"}
    out = []
    for s in steps:
        if s.action not in undo or s.rejected:
            continue
        before = (s.before or {}).get("xanoscript")
        pushed, restored = (s.content, before) if s.action == "update" else (
            (s.content, None) if s.action == "create" else (None, before))
        out.append(Write(s.path, s.label(), s.kind, undo[s.action], pushed, restored))
    return out


async def check(client: AsyncXanoClient, writes: list[Write], branch: str) -> Verdict | None:
    """The verdict on ``writes`` to ``branch`` (None when none is to a workspace-scoped
    object). Whether a named branch is the live one is asked of Xano, only then."""
    shared = [w for w in writes if w.shared]
    if not shared:
        return None
    live = not branch or bool((await client.branch_info(branch)).get("live"))
    losses = [Loss(w, what) for w in shared if (what := lost(w))]
    return Verdict(branch, live, shared, losses)


def _what(write: Write) -> str:
    """What a write to a workspace-scoped object changes for every branch."""
    return "workspace's settings" if write.kind == "workspace" else "database"


def lost(write: Write) -> tuple[str, ...]:
    """What ``write`` destroys: the whole table for a delete, else each column removed or
    retyped (nothing for a create, nor for a document to write that does not parse: Xano
    refuses it)."""
    if write.before is None or write.kind != "table":  # (the workspace's settings hold no records)
        return ()
    if write.after is None:
        return ("the table is deleted, with every record in it",)
    before, after = _columns(write.before), _columns(write.after)
    if after is None:
        return ()
    if before is None:
        return ("its columns as they are now cannot be read, so what the change removes cannot be told",)
    return tuple(_column_losses(*before, *after))


def _columns(text: str) -> tuple[dict[str, Column], tuple[str, ...]] | None:
    """The columns of a table document by name, and its parts whose columns cannot be told
    (``dblink``), as text; None when it does not parse as a table."""
    try:
        document = parse_document(text)
    except XanoSyntaxError:
        return None
    table = table_of(document)
    if table is None:
        return None
    opaque = tuple(_part(f) for f in document.schema or [] if f.name is None)
    return {column.name: column for column in table.columns}, opaque


def _part(field: InputField) -> str:
    """A ``dblink { ... }`` part of a schema as text, to tell whether it changed."""
    return f"{field.type} " + ", ".join(f"{s.key}={getattr(s.value, 'value', '?')}" for s in field.settings)


def _column_losses(old: dict[str, Column], old_opaque: tuple[str, ...], new: dict[str, Column],
                   new_opaque: tuple[str, ...]) -> list[str]:
    implicit = {name for name, _ in IMPLICIT}
    words = []
    for name, column in old.items():
        now = new.get(name)
        if now is None:
            if name not in implicit:  # id and created_at are there whether listed or not
                words.append(f"column {name!r} removed")
            continue
        if (column.type, column.array) != (now.type, now.array):
            words.append(f"column {name!r} retyped {_type(column)} -> {_type(now)}")
        elif column.values is not None and now.values is not None:
            dropped = [value for value in column.values if value not in now.values]
            if dropped:
                words.append(f"column {name!r} loses the enum value(s) {', '.join(map(repr, dropped))}")
    if old_opaque != new_opaque:
        words.append("a dblink part of its schema changed: the columns it brings cannot be compared")
    return words


def _type(column: Column) -> str:
    return column.type + (column.array or "")


def _doing(write: Write) -> str:
    return {"create": "creating it", "update": "changing it", "delete": "deleting it"}[write.action]
