"""The inputs a document declares: each field with its type, array and nullable marks, whether
a caller must pass it, and the fields of a nested object.

>>> from xanoctl.language.parser import parse_document
>>> found = declared_inputs(parse_document('function "a" {\\n  input {\\n    int id\\n    text? name?\\n'
...     '    object where {\\n      schema {\\n        int[] ids\\n      }\\n    }\\n  }\\n  stack {\\n  }\\n}\\n'))
>>> found.complete, [(f.name, f.type, f.array, f.nullable, f.required) for f in found.fields.values()]
(True, [('id', 'int', None, False, True), ('name', 'text', None, True, False), ('where', 'object', None, False, True)])
>>> found.fields["where"].fields["ids"].array
'[]'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, NamedTuple

from xanoctl.language.model import Document, InputField, Literal, Pos, Statement


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str  # as declared: int, text, object, enum...
    array: str | None  # "[]", "[1:40]"... or None
    nullable: bool
    optional: bool
    required: bool
    pos: Pos
    fields: dict[str, "Field"] | None = None  # an object's schema; None when it has none


@dataclass(frozen=True, slots=True)
class Inputs:
    """``complete`` is False when what the document takes cannot be told in full from the
    document alone: no ``input`` clause, or a ``dblink`` (the columns of a table). ``links``:
    the tables its ``dblink { table = "X" }`` lines name, when that is all that is missing (the
    workspace's tables then tell the rest)."""

    fields: dict[str, Field] = field(default_factory=dict)
    complete: bool = False
    links: tuple[str, ...] = ()


def declared_inputs(doc: Document) -> Inputs:
    if doc.inputs is None:
        return Inputs()
    fields, complete = _fields(doc.inputs)
    links = tuple(_linked_table(item) for item in doc.inputs if item.type == "dblink")
    return Inputs(fields, complete, links if links and all(links) else ())


def _linked_table(item: InputField) -> str:
    """The table a ``dblink { table = "X" }`` line names ("" when it names none plainly)."""
    for setting in item.settings:
        if setting.key == "table" and isinstance(setting.value, Literal) \
                and isinstance(setting.value.value, str):
            return setting.value.value
    return ""


def _fields(items: list[InputField]) -> tuple[dict[str, Field], bool]:
    out: dict[str, Field] = {}
    complete = True
    for item in items:
        if item.name is None or item.type == "dblink":
            complete = False
            continue
        nested = None
        if item.fields:
            nested, inner = _fields(item.fields)
            if not inner:
                nested = None
        out.setdefault(item.name, Field(item.name, item.type, item.array, item.nullable, item.optional,
                                        item.required, item.pos, nested))
    return out, complete


class LambdaRead(NamedTuple):
    """``$input.key`` read by the JavaScript of an ``api.lambda`` (``pos``: ``$input.key`` in the file)."""

    key: str
    pos: Pos


_JS_NAME = re.compile(r"\$input\.([A-Za-z_$][A-Za-z0-9_$]*)")
_JS_TOKEN = re.compile(r"""\$input\.|//|/\*|["'`{}]|\$\{""")


def lambda_reads(statements: Iterable[Statement]) -> list[LambdaRead]:
    """The inputs the code of the ``api.lambda`` statements among ``statements`` reads as
    ``$input.key``: in the code itself, not in its comments nor in its strings (a template's
    ``${...}`` is code); none where the code's place in the file cannot be told exactly."""
    found: list[LambdaRead] = []
    for stmt in statements:
        if stmt.kind != "api.lambda":
            continue
        for setting in stmt.settings:
            value = setting.value
            if setting.key != "code" or not isinstance(value, Literal) or not isinstance(value.value, str):
                continue
            start = value.raw.find(value.value) if value.value else -1
            if start < 0 or "$input." not in value.value:
                continue
            for offset, key in _code_reads(value.value):
                at = start + offset
                line = value.pos.line + value.raw.count("\n", 0, at)
                newline = value.raw.rfind("\n", 0, at)
                column = at - newline if newline >= 0 else value.pos.column + at
                found.append(LambdaRead(key, Pos(line, column, line, column + len("$input.") + len(key))))
    return found


def _code_reads(code: str) -> Iterator[tuple[int, str]]:
    """(offset, key) of each ``$input.key`` in JavaScript ``code`` outside comments and strings."""
    states = ["code"]  # code, a quote character, or "${" (the code of a template's placeholder)
    depth = [0]  # open braces of each code level
    at = 0
    while True:
        if states[-1] in ("code", "${"):
            match = _JS_TOKEN.search(code, at)
            if match is None:
                return
            token, at = match.group(), match.end()
            if token == "$input.":
                name = _JS_NAME.match(code, match.start())
                before = code[match.start() - 1] if match.start() else ""
                if name and not (before.isalnum() or before in "_$."):
                    yield match.start(), name.group(1)
            elif token == "//":
                end = code.find("\n", at)
                at = len(code) if end < 0 else end
            elif token == "/*":
                end = code.find("*/", at)
                at = len(code) if end < 0 else end + 2
            elif token == "{":
                depth[-1] += 1
            elif token == "}":
                if depth[-1] == 0 and states[-1] == "${":
                    states.pop()
                    depth.pop()
                else:
                    depth[-1] = max(depth[-1] - 1, 0)
            elif token in "\"'`":
                states.append(token)
                depth.append(0)
            # `${` outside a template: as `$` then `{`
            elif token == "${":
                depth[-1] += 1
        else:  # in a string or a template
            quote = states[-1]
            while at < len(code) and code[at] != quote and not (quote == "`" and code.startswith("${", at)):
                if code[at] == "\\":
                    at += 1
                elif code[at] == "\n" and quote != "`":
                    break  # an unterminated string ends with its line
                at += 1
            if at >= len(code):
                return
            if code[at] == quote or code[at] == "\n":
                states.pop()
                depth.pop()
                at += 1
            else:  # `${` in a template: its code
                states.append("${")
                depth.append(0)
                at += 2
