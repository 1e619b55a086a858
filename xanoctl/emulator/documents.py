"""What the emulator reads from a written XanoScript document: validity, then the object's
name, verb and a few API fields, using the project's own parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xanoctl.language import parser
from xanoctl.emulator.store import ApiError, input_error
from xanoctl.errors import XanoSyntaxError
from xanoctl.language.model import ArrayLit, Document, Literal

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@dataclass
class Header:
    kind: str
    name: str
    verb: str | None = None
    description: str | None = None  # None: the document has no description clause (a PUT keeps the old one)
    tags: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


def syntax_error(text: str, exc: XanoSyntaxError) -> ApiError:
    """400 ERROR_CODE_SYNTAX_ERROR with the payload Xano sends: char, line, col, the line."""
    lines = text.split("\n")
    line = min(max(exc.line, 1), max(len(lines), 1))
    error_line = lines[line - 1] if lines else ""
    char = sum(len(item) + 1 for item in lines[: line - 1]) + max(exc.column - 1, 0)
    start = max(exc.column - 1 - 20, 0)
    payload = {"char": char, "line": exc.line, "col": exc.column, "error_line": error_line,
               "error_snippet": error_line[start:exc.column - 1 + 20]}
    return ApiError(400, "ERROR_CODE_SYNTAX_ERROR", f"Syntax error: {exc.message}", payload)


def read_header(text: str, expected_kind: str) -> Header:
    """Validate ``text`` and read its header; raise the API's 400 errors otherwise."""
    return _check_kind(_from_document(parse(text)), expected_kind)


def parse(text: str) -> Document:
    """The parsed document, or the API's 400 syntax error."""
    try:
        return parser.parse_document(text)
    except XanoSyntaxError as exc:
        raise syntax_error(text, exc) from None


def header_of(document: Document) -> Header:
    """The header of a parsed document, checked as its own kind."""
    return _check_kind(_from_document(document), document.kind)


def _check_kind(header: Header, expected_kind: str) -> Header:
    if header.kind != expected_kind:
        raise input_error(f"Expected a {expected_kind} document, got {header.kind!r}.", "xanoscript")
    if not header.name:
        raise input_error("Missing param: name", "name")
    if expected_kind == "query":
        if header.verb not in VERBS:
            raise input_error(f"Invalid verb {header.verb!r}: expected one of {', '.join(VERBS)}.", "verb")
    return header


def _literal(value: Any) -> Any:
    return value.value if isinstance(value, Literal) else None


def _from_document(document: Document) -> Header:
    header = Header(kind=document.kind, name=document.name or "",
                    verb=document.verb.upper() if document.verb else None)
    description = _literal(document.value("description"))
    # the description: its clause, else the `//` lines above the keyword (where Xano's exports put
    # it, and where it reads it back from, on a create as on an update)
    comments = "\n".join(line.strip() for line in document.comments).strip()
    header.description = description if isinstance(description, str) else (comments or None)
    tags = document.value("tags")
    if isinstance(tags, ArrayLit):
        header.tags = [str(item.value) for item in tags.items if isinstance(item, Literal)]
    for key in ("active", "canonical", "auth", "datasource"):
        value = _literal(document.value(key))
        if value is not None:
            header.fields[key] = value
    return header


_GUID_LINE = re.compile(r'^[ \t]*guid[ \t]*=[ \t]*"[^"\n]*"[ \t]*$')


def comparable(text: str) -> str:
    """A document as an import compares it with the stored one: blank space around it and at
    the ends of lines aside, and without its ``guid = "..."`` line (the official CLI trims every
    file it sends and writes the guids the server gives back into the files: neither is a change)."""
    return "\n".join(line.rstrip() for line in text.strip().split("\n") if not _GUID_LINE.match(line))


def with_canonical(text: str, canonical: str) -> str:
    """The document with ``canonical = "..."`` as its first clause, when it has none (Xano gives
    a new API group, agent or MCP server one, and shows it in its XanoScript)."""
    if re.search(r'^[ \t]*canonical[ \t]*=', text, re.MULTILINE):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("//"):
            if stripped.endswith("{"):
                lines.insert(number + 1, f'  canonical = "{canonical}"')
            return "\n".join(lines)
    return text
