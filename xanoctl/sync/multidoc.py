"""``xanoctl push --transaction``: the planned documents in one multidoc import.

The plan, the conflict check, the lint gate and the journal are those of every push
(:mod:`xanoctl.sync.push`); this module only changes how the writes are sent:

1. :func:`prepare` (before the journal): the documents to write, joined by ``\\n---\\n`` as the
   official CLI joins them, go to ``POST /multidoc/dry-run`` (``transaction=true``,
   ``partial=true``). Its operations are the plan shown to the user; a document it reports an
   ``exception:`` for stops the push, and so does an operation that disagrees with the plan (a
   renamed object, which the import would match by name and create again; an object the import
   would touch that the plan does not). Where the workspace refuses multidoc imports ("Push is
   disabled", or an instance without the endpoint), the push goes object by object instead,
   with a note. A plan with deletes is refused: the import deletes only in a full sync.
2. :func:`import_steps` (the writes, journalled like any push): every step is recorded
   ``started``, the documents are imported in one request with ``transaction=true``, then the
   objects are read back (one list per kind when there are several, else one by one; created
   objects by name) for their id, guid and ``updated_at``, and recorded ``done``. If the import fails, Xano applied none of it (or, after an ambiguous
   failure, all of it): the usual restore (:mod:`xanoctl.sync.restore`) reads every object,
   leaves alone what still matches its snapshot and puts back the rest, and ``rollback
   --last-push`` undoes a transactional push like any other.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.model import Literal
from xanoctl.language.parser import parse_document
from xanoctl.sync.apply import Failure, after_of, apply_steps, definitely_refused, group_id_of
from xanoctl.xano.client import AsyncXanoClient, NotFoundError, XanoApiError
from xanoctl.sync.journal import Journal, Step
from xanoctl.sync.plan import CREATE, UPDATE, Plan
from xanoctl.xano.remote import RemoteObject
from xanoctl.sync.restore import find_by_name

SEPARATOR = "\n---\n"
SEPARATOR_LINE = re.compile(r"^---\r?$", re.MULTILINE)  # a document holding one would be split in two
FLAGS = {"transaction": True, "partial": True, "delete": False}
BLOCKING = ("exception:", "mvp:placeholder")  # what the official CLI treats as critical in a dry-run
EXPECTED = {UPDATE: ("update", "unchanged"), CREATE: ("create",)}
FIELD_ACTIONS = ("add_field", "update_field", "drop_field", "alter_field")  # a table update, field by field
LIST_FROM = 3  # objects of one kind read back after the import by listing the kind, not one by one

Apply = Callable[[AsyncXanoClient, Journal, int], Awaitable[Failure | None]]


@dataclass
class ImportFailure(Failure):
    """The one import request failed: nothing of it applied (a refusal), or maybe all of it."""

    documents: int = 0
    named: bool = False  # the error names this step's document

    def describe(self) -> str:
        where = f" at {self.step.path} ({self.step.label()})" if self.named else ""
        maybe = "" if self.step.rejected else " (it may or may not have been applied: every object is checked)"
        reason = str(self.error).split("; the object may have been created")[0]
        return f"the import of {self.documents} document(s) in one transaction failed{where}{maybe}: {reason}"


@dataclass
class Operation:
    """One operation of the server's dry-run."""

    action: str
    type: str
    name: str
    details: str = ""
    path: str = ""  # the file, when the operation is one of the plan's documents

    @property
    def blocking(self) -> bool:
        return any(mark in self.details for mark in BLOCKING)


def op_type(kind: str) -> str:
    """The type the dry-run reports a kind under: every kind of trigger as ``trigger`` (the
    official CLI's ``filterChangedEntries``, src/utils/multidoc-push.ts)."""
    return "trigger" if kind.endswith("_trigger") else kind


def op_name(step: Step) -> str:
    """The name the dry-run gives the document of a step: the name its header declares (an
    endpoint's with its verb), which differs from the object's for a rename; the workspace's
    document is always ``workspace``."""
    if step.kind == "workspace":
        return "workspace"
    name, verb = step.name, step.verb
    try:
        document = parse_document(step.content or "", step.path)
        name, verb = document.name or name, (document.verb or verb or "").upper() or None
    except XanoSyntaxError:
        pass
    return f"{name} {verb}" if step.kind == "query" and verb else name


def documents(steps: list[Step]) -> str:
    return SEPARATOR.join(step.content or "" for step in sorted(steps, key=lambda s: s.seq))


def local_problems(plan: Plan) -> list[str]:
    """What a multidoc import cannot carry, found without asking the server."""
    problems = []
    for step in plan.steps:
        if step.action not in (UPDATE, CREATE):
            problems.append(f"{step.path}: --transaction does not delete ({step.label()}): the multidoc import "
                            "deletes only in a full sync; push the deletes without --transaction")
            continue
        content = step.content or ""
        if SEPARATOR_LINE.search(content):
            problems.append(f"{step.path}: holds a line `---`, which separates documents in a multidoc import; "
                            "push without --transaction")
        if step.kind == "query" and not _declares_group(content, step.path):
            problems.append(f"{step.path}: the multidoc import places an endpoint by its `api_group = \"...\"`, "
                            "which this file lacks: add it, or push without --transaction")
    return problems


def _declares_group(content: str, path: str) -> bool:
    try:
        document = parse_document(content, path)
    except XanoSyntaxError:
        return True  # the server's dry-run says what is wrong with it
    value = document.value("api_group")
    return isinstance(value, Literal) and isinstance(value.value, str) and bool(value.value)


def unavailable(exc: XanoApiError) -> bool:
    """Whether the workspace refuses multidoc imports altogether (rather than this import)."""
    return "Push is disabled" in str(exc) or isinstance(exc, NotFoundError)


async def prepare(client: AsyncXanoClient, plan: Plan, result: Any) -> Apply | None:
    """The server's dry-run of ``plan``, recorded in ``result.preview``. Returns how to write:
    :func:`import_steps`, or :func:`apply_steps` where multidoc imports are refused (with a
    note), or None when the push must be refused (``result.problems`` says why)."""
    problems = local_problems(plan)
    if problems:
        result.problems += problems
        return None
    try:
        answer = await client.multidoc_dry_run(documents(plan.steps), **FLAGS)
    except XanoApiError as exc:
        if unavailable(exc):
            result.notes.append(f"the workspace does not take multidoc imports ({_reason(exc)}): pushing "
                                "object by object instead")
            return apply_steps
        result.problems.append(f"the server's dry-run failed: {exc}")
        return None
    operations, problems = read_preview(answer, plan.steps)
    result.preview = operations
    if problems:
        result.problems += problems
        return None
    return import_steps


def _reason(exc: XanoApiError) -> str:
    text = str(exc)
    start = text.find("Push is disabled")
    if start >= 0:
        return text[start:].split(";")[0].split(".")[0]
    return "no multidoc endpoint"


def read_preview(answer: dict[str, Any], steps: list[Step]) -> tuple[list[Operation], list[str]]:
    """The dry-run's operations, and the problems that stop the push: blocking details, and
    operations that disagree with the plan."""
    raw = answer.get("operations")
    if not isinstance(raw, list) or not isinstance(answer.get("summary"), dict):
        return [], ["the server's dry-run answer has no operations and summary: cannot check the import"]
    by_key = {(op_type(step.kind), op_name(step)): step for step in steps}
    operations: list[Operation] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for item in raw:
        if not isinstance(item, dict):
            continue
        op = Operation(str(item.get("action") or ""), str(item.get("type") or ""), str(item.get("name") or ""),
                       str(item.get("details") or ""))
        step = by_key.get((op.type, op.name))
        op.path = step.path if step is not None else ""
        operations.append(op)
        where = f"{op.path}: " if op.path else ""
        if op.blocking:
            problems.append(f"{where}{op.type} {op.name!r}: {op.details}")
            continue
        if op.action in ("delete", "cascade_delete"):
            continue  # reported only because the dry-run shows remote-only objects; the import keeps them
        if step is None:
            problems.append(f"the import would {op.action} {op.type} {op.name!r}, which is not in the plan "
                            "(a renamed or moved object is matched by name): push without --transaction")
            continue
        seen.add((op.type, op.name))
        expected = EXPECTED.get(step.action, ()) + (FIELD_ACTIONS if step.kind == "table" and step.action == UPDATE
                                                    else ())
        if op.action not in expected:
            problems.append(f"{where}the plan is to {step.action} {step.label()} but the import would "
                            f"{op.action} it (it matches objects by name: a renamed object would be created "
                            "again); push without --transaction")
    for key, step in by_key.items():
        if key not in seen and not any(p.startswith(f"{step.path}: ") for p in problems):
            problems.append(f"{step.path}: the server's dry-run does not mention {step.label()}")
    return operations, problems


async def import_steps(client: AsyncXanoClient, journal: Journal, concurrency: int) -> Failure | None:
    """Write every step not yet done in one multidoc import, then read each object back."""
    todo = sorted((s for s in journal.steps if s.status != "done"), key=lambda s: s.seq)
    if not todo:
        return None
    for step in todo:
        journal.record("started", seq=step.seq)
    try:
        answer = await client.multidoc_push(documents(todo), **FLAGS)
    except XanoApiError as exc:
        rejected = definitely_refused(exc)
        failed, named = _named_step(exc, todo)
        for step in todo:
            journal.record("failed", seq=step.seq, error=str(exc) if named and step is failed else "the import failed",
                           rejected=rejected)
        return ImportFailure(failed, exc, documents=len(todo), named=named)
    guids = _guid_map(answer)
    first = [s for s in todo if s.group_seq is None]
    for batch in (first, [s for s in todo if s.group_seq is not None]):  # new groups before their endpoints
        found = await _read_back(client, journal, batch, concurrency)
        for step in batch:
            obj = found.get(step.seq)
            if obj is None:
                error = XanoApiError(f"{step.label()} is not there when read back after the import")
                journal.record("failed", seq=step.seq, error=str(error))
                return Failure(step, error)
            after = after_of(obj)
            after["guid"] = obj.guid or guids.get((step.kind, op_name(step))) or guids.get((step.kind, step.name))
            journal.record("done", seq=step.seq, after=after)
    return None


async def _read_back(client: AsyncXanoClient, journal: Journal, steps: list[Step],
                     concurrency: int) -> dict[int, RemoteObject]:
    """The objects of ``steps`` as they are now, by step: one list of their kind (or API
    group) when there are :data:`LIST_FROM` or more of them, else one request each (a created
    object by name)."""
    batches: dict[tuple[str, int | None, str | None], list[Step]] = {}
    for step in steps:
        gid = group_id_of(journal, step) if step.kind == "query" else None
        batches.setdefault((step.kind, gid, (step.group or {}).get("name")), []).append(step)
    slots = asyncio.Semaphore(max(1, concurrency))
    found: dict[int, RemoteObject] = {}

    async def one(step: Step, gid: int | None, gname: str | None) -> None:
        async with slots:
            if step.action == CREATE:
                obj = await find_by_name(client, step, gid, gname)
            else:
                assert step.id is not None
                obj = await client.find(step.kind, step.id, group_id=gid, group_name=gname)
        if obj is not None:
            found[step.seq] = obj

    async def listed(kind: str, gid: int | None, gname: str | None, batch: list[Step]) -> None:
        objects = await client.list_objects(kind, group_id=gid, group_name=gname)
        by_id = {obj.id: obj for obj in objects}
        by_name = {(obj.name, obj.verb if kind == "query" else None): obj for obj in objects}
        for step in batch:
            obj = by_name.get((step.name, step.verb if kind == "query" else None)) if step.action == CREATE \
                else by_id.get(step.id or -1)
            if obj is not None:
                found[step.seq] = obj

    tasks = []
    for (kind, gid, gname), batch in batches.items():
        if kind == "query" and gid is None:
            continue  # its group is not there: reported as not found
        if len(batch) >= LIST_FROM:
            tasks.append(listed(kind, gid, gname, batch))
        else:
            tasks += [one(step, gid, gname) for step in batch]
    await asyncio.gather(*tasks)
    return found


def _guid_map(answer: dict[str, Any]) -> dict[tuple[str, str], str]:
    out = {}
    for entry in answer.get("guid_map") or []:
        if isinstance(entry, dict) and entry.get("guid"):
            name = str(entry.get("name") or "")
            if entry.get("type") == "query" and entry.get("verb"):
                name = f"{name} {entry['verb']}"
            out[(str(entry.get("type")), name)] = str(entry["guid"])
    return out


def _named_step(exc: XanoApiError, steps: list[Step]) -> tuple[Step, bool]:
    """The step of the document an import error names (``payload.document``, 1-based), else
    the first; and whether one was named."""
    index = exc.payload.get("document") if isinstance(exc.payload, dict) else None
    if isinstance(index, int) and 1 <= index <= len(steps):
        return steps[index - 1], True
    return steps[0], False
