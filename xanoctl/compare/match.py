"""Pairing the objects of two sides and telling, aspect by aspect, what changed.

Files at the same path with the same bytes are the same object and are not even parsed (a
compare of two large workspaces with a few hundred changes parses only those). The others are
paired by guid when both sides know one, else by kind and name (an endpoint by API group, verb
and path). A guid found under two names is a rename.

Aspects: ``inputs`` (added, removed, retyped, required or not), ``envelope`` (answers the FP
envelope or not any more), ``schedule`` (events, active), ``calls`` (callees added or removed),
``tables`` (tables read or written), ``code`` (anything else).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from xanoctl.xano.kinds import lookup
from xanoctl.compare.objects import Obj, objects_of
from xanoctl.compare.sides import Side
from xanoctl.language import spacing
from xanoctl.lint.analyze import digest
from xanoctl.lint.engine import analyse_files
from xanoctl.lint.schedule import frequency_words

ASPECTS = ("inputs", "envelope", "schedule", "calls", "tables", "code")


@dataclass
class Change:
    a: Obj
    b: Obj
    aspects: list[str]
    details: list[str]
    added_lines: int
    removed_lines: int
    diff: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    a: str
    b: str
    only_a: list[Obj] = field(default_factory=list)
    only_b: list[Obj] = field(default_factory=list)
    renamed: list[tuple[Obj, Obj]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    same: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.only_a or self.only_b or self.renamed or self.changed)


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    prefix: str = ""
    ignore_whitespace: bool = False
    diff: bool = False

    def keeps(self, *objs: Obj) -> bool:
        if self.kinds and not any(obj.kind in self.kinds for obj in objs):
            return False
        return not self.prefix or any(obj.path.startswith(self.prefix) for obj in objs)


def compare(a: Side, b: Side, filters: Filters = Filters()) -> Comparison:
    out = Comparison(a.label, b.label, notes=[*a.notes, *b.notes])
    todo: dict[str, bytes] = {}  # "a/<path>" or "b/<path>" -> content, for what differs
    for path in sorted(a.files.keys() | b.files.keys()):
        data_a, data_b = a.files.get(path), b.files.get(path)
        if data_a is not None and data_b is not None and _equal(data_a, data_b, filters.ignore_whitespace):
            if _kept_path(path, filters):
                out.same += 1
            continue
        if data_a is not None:
            todo[f"a/{path}"] = data_a
        if data_b is not None:
            todo[f"b/{path}"] = data_b
    facts = analyse_files(list(todo), todo, {key: digest(data) for key, data in todo.items()}, {}, rules=False)
    rest_a, rest_b = [], []
    for key, data in todo.items():
        side, path = (a, rest_a) if key.startswith("a/") else (b, rest_b), key[2:]
        found = objects_of(path, data, facts[key], side[0].guids.get(path), side[0].groups.get(path))
        for obj in found:
            obj.shared = path in side[0].shared
        side[1].extend(found)
    for obj_a, obj_b in _pairs(rest_a, rest_b, out):
        if not filters.keeps(obj_a, obj_b):
            continue
        if obj_a.key != obj_b.key:
            out.renamed.append((obj_a, obj_b))
        change = describe(obj_a, obj_b, filters)
        if change is not None:
            out.changed.append(change)
        elif obj_a.key == obj_b.key:
            out.same += 1  # moved, or the same text written differently
    out.only_a = [obj for obj in out.only_a if filters.keeps(obj)]
    out.only_b = [obj for obj in out.only_b if filters.keeps(obj)]
    for group in (out.only_a, out.only_b):
        group.sort(key=lambda obj: (obj.kind, obj.label))
    out.renamed.sort(key=lambda pair: (pair[1].kind, pair[1].label))
    out.changed.sort(key=lambda change: (change.b.kind, change.b.label))
    return out


def _kept_path(path: str, filters: Filters) -> bool:
    if filters.prefix and not path.startswith(filters.prefix):
        return False
    if filters.kinds:  # a file of one of the kinds' folders (an unchanged file is not parsed)
        return any(path.startswith(lookup(kind).folder + "/") for kind in filters.kinds)
    return True


def _pairs(objs_a: list[Obj], objs_b: list[Obj], out: Comparison) -> list[tuple[Obj, Obj]]:
    pairs: list[tuple[Obj, Obj]] = []
    left_a, left_b = list(objs_a), list(objs_b)
    # 1. by guid, when both sides know one
    by_guid: dict[str, list[Obj]] = {}
    for obj in left_b:
        if obj.guid:
            by_guid.setdefault(obj.guid, []).append(obj)
    for obj in list(left_a):
        found = by_guid.get(obj.guid or "")
        if found:
            match = next((o for o in found if o.kind == obj.kind), found[0])
            found.remove(match)
            pairs.append((obj, match))
            left_a.remove(obj)
            left_b.remove(match)
    # 2. by kind and name (an endpoint by group, verb and path); several of one key by path
    by_key: dict[tuple, list[Obj]] = {}
    for obj in left_b:
        by_key.setdefault(obj.key, []).append(obj)
    for obj in left_a:
        found = by_key.get(obj.key)
        if not found:
            out.only_a.append(obj)
            continue
        match = next((o for o in found if o.path == obj.path), found[0])
        found.remove(match)
        pairs.append((obj, match))
    out.only_b.extend(obj for group in by_key.values() for obj in group)
    return pairs


# ---------------------------------------------------------------------------- aspects


def describe(a: Obj, b: Obj, filters: Filters) -> Change | None:
    """What changed from ``a`` to ``b``, or None when nothing did (a rename alone is reported
    apart)."""
    text_a = _renamed(a, b) if a.key != b.key or a.name != b.name else a.text
    lines_a, lines_b = _lines(text_a, filters.ignore_whitespace), _lines(b.text, filters.ignore_whitespace)
    if lines_a == lines_b:
        return None
    aspects: list[str] = []
    details: list[str] = []
    for name, words in (("inputs", _inputs(a, b)), ("envelope", _envelope(a, b)), ("schedule", _schedule(a, b)),
                        ("calls", _set_change(a.calls, b.calls, "calls", _call)),
                        ("tables", _set_change(a.tables, b.tables, "tables", _table))):
        if words:
            aspects.append(name)
            details.extend(f"{name}: {text}" for text in words)
    if not a.parsed or not b.parsed:
        aspects.append("code")
        details.append("code: " + ("does not parse on the " + ("A" if not a.parsed else "B") + " side"))
    elif _code_lines(text_a) != _code_lines(b.text):
        aspects.append("code")
        details.extend(f"code: {words}" for words in _code_words(text_a, b.text))
    elif not aspects:
        aspects.append("code")
        details.append("code: spacing or blank lines only (--ignore-whitespace leaves such changes out)")
    diff = list(difflib.unified_diff(lines_a, lines_b, f"a/{a.path}", f"b/{b.path}", lineterm=""))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    return Change(a, b, aspects, details, added, removed, diff if filters.diff else [])


def _inputs(a: Obj, b: Obj) -> list[str]:
    if a.inputs == b.inputs:
        return []
    before = {name: (type_, required) for name, type_, required in a.inputs or ()}
    after = {name: (type_, required) for name, type_, required in b.inputs or ()}
    words = []
    for name in before.keys() - after.keys():
        words.append(f"`{name}` removed")
    for name in after.keys() - before.keys():
        type_, required = after[name]
        words.append(f"`{name}` added ({type_}, {'required' if required else 'optional'})")
    for name in before.keys() & after.keys():
        (type_a, req_a), (type_b, req_b) = before[name], after[name]
        if type_a != type_b:
            words.append(f"`{name}` retyped {type_a} -> {type_b}")
        if req_a != req_b:
            words.append(f"`{name}` now {'required' if req_b else 'optional'}")
    return sorted(words)


def _envelope(a: Obj, b: Obj) -> list[str]:
    was, now = a.envelope == "envelope", b.envelope == "envelope"
    if a.kind != "function" or was == now or "unknown" in (a.envelope, b.envelope):
        return []
    return ["now answers the envelope"] if now else [f"no longer answers the envelope ({_answer(b.envelope)})"]


def _answer(status: str | None) -> str:
    return {"none": "no response at all", "other": "a value that is not an envelope"}.get(status or "", "?")


def _schedule(a: Obj, b: Obj) -> list[str]:
    if a.kind != "task" or a.schedule == b.schedule:
        return []
    (active_a, events_a), (active_b, events_b) = a.schedule or (None, None), b.schedule or (None, None)
    words = []
    if active_a != active_b:
        words.append(f"active {_flag(active_a)} -> {_flag(active_b)}")
    if events_a != events_b:
        words.append(f"{_events(events_a)} -> {_events(events_b)}")
    return words


def _flag(value) -> str:
    return "unset" if value is None else str(value).lower()


def _events(events) -> str:
    if events is None:
        return "no schedule"
    if not events:
        return "no events"
    parts = []
    for starts, freq, ends, valid in events:
        text = f"{frequency_words(freq)} from {_when(starts)}" + (f" until {_when(ends)}" if ends else "")
        parts.append(text if valid else text + " (invalid)")
    return "; ".join(parts)


def _when(stamp: str | None) -> str:
    return "?" if stamp is None else stamp.replace("T", " ").replace("+00:00", " UTC")


def _set_change(before, after, what: str, show) -> list[str]:
    words = [f"+ {show(item)}" for item in sorted(after - before)]
    words += [f"- {show(item)}" for item in sorted(before - after)]
    return words


def _call(item: tuple[str, str]) -> str:
    kind, name = item
    return f"{kind} {name}"


def _table(item: tuple[str, str]) -> str:
    name, mode = item
    return f"{name} ({mode})"


_COVERED = re.compile(r"^\s*(guid|active)\s*=")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _depth(line: str) -> int:
    """How much a line opens (braces and brackets, strings left out)."""
    code = _STRING.sub("", line)
    return code.count("{") + code.count("[") - code.count("}") - code.count("]")


def _renamed(a: Obj, b: Obj) -> str:
    """``a``'s text with its name in the header written as ``b``'s, so that a rename alone is
    no change of code."""
    for old, new in ((f'"{a.name}"', f'"{b.name}"'), (f" {a.name} ", f" {b.name} ")):
        head, sep, tail = a.text.partition(old)
        if sep and (head.rsplit("\n", 1)[-1] + sep).lstrip().startswith(f"{a.kind} "):  # in the header line
            return head + new + tail
    return a.text


def _code_lines(text: str) -> list[str]:
    """The text without what the other aspects cover (the input fields, the schedule, the
    `active` and `guid` lines), spacing ignored."""
    lines = text.split("\n")
    skip: set[int] = set()
    depth, block = 0, None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if block is None and depth == 1 and (stripped.startswith("input {") or stripped.startswith("schedule =")
                                             or stripped.startswith("schedule {")):
            block = depth
            skip.add(number)
            depth += _depth(line)
            if depth == block:
                block = None
            continue
        if block is not None:
            skip.add(number)
            depth += _depth(line)
            if depth <= block:
                block = None
            continue
        if depth == 1 and _COVERED.match(line):
            skip.add(number)
        depth += _depth(line)
    return [" ".join(line.split()) for number, line in enumerate(lines) if number not in skip and line.strip()]


def _code_words(a: str, b: str) -> list[str]:
    """What changed in the code, by name: ``statements added: `db.add sync_log```, ``removed:
    ...``, ``changed: ...`` (the stack's statements, each with what it holds), ``settings
    changed: `response``` (the document's other entries)."""
    stack_a, settings_a = _entries(a)
    stack_b, settings_b = _entries(b)
    added, removed, changed = [], [], []
    heads_a, heads_b = [head for head, _ in stack_a], [head for head, _ in stack_b]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, heads_a, heads_b, autojunk=False).get_opcodes():
        if op == "equal":
            changed += [head for (head, body_a), (_, body_b) in zip(stack_a[i1:i2], stack_b[j1:j2]) if body_a != body_b]
        elif op == "replace" and i2 - i1 == j2 - j1:  # as many on each side: the same statements, rewritten
            changed += heads_b[j1:j2]
        else:
            removed += heads_a[i1:i2]
            added += heads_b[j1:j2]
    words = []
    for what, heads in (("added", added), ("removed", removed), ("changed", changed)):
        if heads:
            words.append(f"{'statement' if len(heads) == 1 else 'statements'} {what}: {_some_heads(heads)}")
    names = sorted(name for name in settings_a.keys() | settings_b.keys() if settings_a.get(name) != settings_b.get(name))
    if names:
        words.append(f"{'setting' if len(names) == 1 else 'settings'} changed: {', '.join(f'`{n}`' for n in names)}")
    return words or ["comments or the document's header changed"]


def _some_heads(heads: list[str], shown: int = 4) -> str:
    quoted = [f"`{head if len(head) <= 60 else head[:59] + '…'}`" for head in heads[:shown]]
    return ", ".join(quoted) + (f" and {len(heads) - shown} more" if len(heads) > shown else "")


def _entries(text: str) -> tuple[list[tuple[str, tuple[str, ...]]], dict[str, tuple[str, ...]]]:
    """The statements at the top of the stack, as (first line, every line), and the document's
    other entries by name (not those other aspects cover: inputs, schedule, guid, active);
    spacing, blank lines and comments ignored."""
    statements: list[tuple[str, list[str]]] = []
    settings: dict[str, list[str]] = {}
    depth, where = 0, None  # where: the list the lines of the current entry go to
    in_stack = False
    for line in text.split("\n"):
        plain = " ".join(line.split())
        if not plain or plain.startswith("//"):
            depth += _depth(line)
            continue
        if depth == 1:
            name = re.match(r"[!]?([A-Za-z_][\w.]*)", plain)
            key = name.group(1) if name else plain
            in_stack = key == "stack" and plain.endswith("{")
            if in_stack or key in ("input", "schedule", "guid", "active"):
                where = None
            else:
                where = settings.setdefault(key, [])
        elif depth == 2 and in_stack:
            if plain.startswith("}"):  # the stack's end
                where = None
            else:
                statements.append((plain.removesuffix("{").strip(), []))
                where = statements[-1][1]
        if where is not None:
            where.append(plain)
        depth += _depth(line)
        if depth <= 1:
            in_stack = in_stack and depth == 2
            if depth < 1:
                where = None
    return ([(head, tuple(body)) for head, body in statements],
            {key: tuple(body) for key, body in settings.items()})


def _lines(text: str, ignore_whitespace: bool) -> list[str]:
    return spacing.lines(text, within=True) if ignore_whitespace else text.split("\n")


def _equal(a: bytes, b: bytes, ignore_whitespace: bool) -> bool:
    if a == b:
        return True
    if not ignore_whitespace:
        return False
    return _lines(a.decode("utf-8", "replace"), True) == _lines(b.decode("utf-8", "replace"), True)
