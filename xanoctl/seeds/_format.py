"""Layout details of XanoScript as Xano exports it, shared by the seeds.

Exports indent by two spaces and separate statements with a blank line that is not empty:
it carries the indentation of the enclosing block (two spaces less than the statement that
follows). Blank lines between top-level clauses are empty, and so are blank lines inside
triple-quoted text, which is copied as written.
"""

from __future__ import annotations


def export_blank_lines(text: str) -> str:
    """Rewrite every blank line the way exports write it (see the module docstring)."""
    lines = text.split("\n")
    out: list[str] = []
    in_text = False
    for index, line in enumerate(lines):
        if in_text or line.strip():
            out.append(line)
        else:
            out.append(" " * max(_next_indent(lines, index) - 2, 0))
        if line.count('"""') % 2:
            in_text = not in_text
    return "\n".join(out)


def _next_indent(lines: list[str], index: int) -> int:
    for line in lines[index + 1:]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0
