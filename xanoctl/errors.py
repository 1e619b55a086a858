"""Exceptions shared across xanoctl. Each carries a message a user can act on."""

from __future__ import annotations


class XanoctlError(Exception):
    """An error to show the user as one line (no traceback), with an exit code. ``details``:
    the problems it sums up (``smoke.yaml:4: ...``), each printed on a line of its own above the
    error line."""

    exit_code = 1
    details: tuple[str, ...] = ()


class UsageError(XanoctlError):
    exit_code = 2


class XanoSyntaxError(XanoctlError):
    """XanoScript that does not parse: where, what was found, what was expected."""

    def __init__(self, message: str, *, path: str = "", line: int = 1, column: int = 1,
                 end_line: int | None = None, end_column: int | None = None, text: str = ""):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line if end_line is not None else line
        self.end_column = end_column if end_column is not None else column + max(len(text), 1)
        self.text = text  # the offending text
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:" if self.path else ""
        return f"{where}{self.line}:{self.column}: {self.message}"
