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

from dataclasses import dataclass, field

from xanoctl.language.model import Document, InputField, Pos


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
    """``complete`` is False when what the document takes cannot be told in full: no ``input``
    clause, or a ``dblink`` (the fields of a table)."""

    fields: dict[str, Field] = field(default_factory=dict)
    complete: bool = False


def declared_inputs(doc: Document) -> Inputs:
    if doc.inputs is None:
        return Inputs()
    fields, complete = _fields(doc.inputs)
    return Inputs(fields, complete)


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
