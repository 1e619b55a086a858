"""The tables of a workspace and their columns, from its ``table`` documents.

>>> from xanoctl.language.parser import parse_document
>>> table = table_of(parse_document('table user {\\n  schema {\\n    int id\\n    text? email\\n'
...                                 '    int[] tags?\\n  }\\n}\\n'))
>>> [(c.name, c.type, c.nullable, c.array) for c in table.columns]
[('id', 'int', False, None), ('email', 'text', True, None), ('tags', 'int', False, '[]')]
>>> table.column("created_at").type
'timestamp'
>>> table_of(parse_document('table t {\\n  schema {\\n    enum? state {\\n      values = ["a", "b"]\\n'
...                         '    }\\n  }\\n}\\n')).column("state").values
('a', 'b')
>>> job = table_of(parse_document('table job {\\n  schema {\\n    enum status?=New {\\n'
...                               '      values = ["New", "Started"]\\n    }\\n  }\\n}\\n'))
>>> job.column("status").values, job.column("status").default
(('New', 'Started'), 'New')
"""

from __future__ import annotations

from dataclasses import dataclass

from xanoctl.language.model import ArrayLit, Document, Literal, Pos
from xanoctl.pickling import by_fields

# columns every Xano table has, whether or not its schema lists them
IMPLICIT = (("id", "int"), ("created_at", "timestamp"))


@by_fields
@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # as declared: int, text, timestamp, enum, object, ...
    nullable: bool
    array: str | None  # "[]", "[1:5]"... or None
    pos: Pos | None  # None for the implicit columns
    references: str | None = None  # the table a foreign key points to (``table = "x"``)
    values: tuple[str, ...] | None = None  # an enum's ``values = [...]`` (None: not given as literals)
    default: str | None = None  # the default, when it is a plain string or name (`enum status?=New`)


@by_fields
@dataclass(frozen=True, slots=True)
class Table:
    name: str
    path: str
    pos: Pos
    columns: tuple[Column, ...]
    complete: bool  # False when the schema has parts whose columns cannot be told (dblink)

    def column(self, name: str) -> Column | None:
        for column in self.columns:
            if column.name == name:
                return column
        for implicit, type_ in IMPLICIT:
            if implicit == name:
                return Column(implicit, type_, False, None, None)
        return None

    def names(self) -> list[str]:
        """Every column name, the implicit ones included."""
        names = [column.name for column in self.columns]
        return names + [name for name, _ in IMPLICIT if name not in names]


def table_of(doc: Document, path: str = "") -> Table | None:
    """The table a ``table`` document defines, or None for another kind of document."""
    if doc.kind != "table" or doc.name is None:
        return None
    columns: list[Column] = []
    complete = doc.schema is not None
    for field in doc.schema or []:
        if field.name is None:  # `dblink { ... }`: columns of another table
            complete = False
            continue
        ref = values = None
        for setting in field.settings:
            if setting.key == "table":
                ref = getattr(setting.value, "value", None)
            elif setting.key == "values" and field.type == "enum":
                values = _texts(setting.value)
        default = field.default
        default = default.value if isinstance(default, Literal) and default.kind in ("string", "ident") else None
        columns.append(Column(field.name, field.type, field.nullable, field.array, field.pos,
                              ref if isinstance(ref, str) else None, values, default))
    return Table(doc.name, path, doc.name_pos or doc.pos, tuple(columns), complete)


def _texts(value: object) -> tuple[str, ...] | None:
    """The strings of a list of string literals (an enum's values), else None."""
    if not isinstance(value, ArrayLit):
        return None
    texts = [item.value for item in value.items if isinstance(item, Literal) and isinstance(item.value, str)]
    return tuple(texts) if len(texts) == len(value.items) else None
