"""The token both parsers hand the model builder: a terminal of the grammar, with its text and
where it stands (no Lark in it: a file read by the fast path never loads Lark)."""

from __future__ import annotations


class Tok:
    __slots__ = ("type", "value", "line", "column", "end_line", "end_column", "pos")

    def __init__(self, type_: str, value: str, line: int, column: int, end_line: int, end_column: int, pos: int):
        self.type = type_
        self.value = value
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.pos = pos

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.line}:{self.column})"
