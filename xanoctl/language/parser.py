"""Parse XanoScript text into the typed model of :mod:`xanoctl.language.model`.

The grammar (``grammar/xanoscript.lark``, shipped inside the package) is compiled once per
process into an LALR parser with a contextual lexer; the model is built while parsing (an
inline transformer), so no intermediate tree is kept and nesting depth costs no recursion.
Every failure is a :class:`xanoctl.errors.XanoSyntaxError` with a position and a message.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from xanoctl.language import descent
from xanoctl.language.build import ModelBuilder, check_document
from xanoctl.errors import XanoSyntaxError
from xanoctl.language.messages import describe_expected, describe_token
from xanoctl.language.model import Document

if TYPE_CHECKING:  # Lark is loaded only when the LALR driver runs (see _parser)
    from xanoctl.language.lalr import Driver, LexError, ParseError

MAX_NESTING = 256
_SEPARATOR = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_CONTENT_LINE = re.compile(r"^[ \t\ufeff]*(?!//)\S", re.MULTILINE)  # stops at the first one
_FIRST_LINE_COMMENT = re.compile(r"\A\ufeff?[ \t]*//[^\r\n]*")


def grammar_text() -> str:
    """The grammar as shipped with the installed package (or the source tree, in development)."""
    packaged = resources.files("xanoctl").joinpath("grammar/xanoscript.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "grammar" / "xanoscript.lark"
    if source.is_file() and (source.parent.parent / "pyproject.toml").is_file():
        return source.read_text(encoding="utf-8")
    raise RuntimeError("xanoctl is installed without its grammar (xanoctl/grammar/xanoscript.lark)")


@lru_cache(maxsize=1)
def _parser() -> Driver:
    """The grammar, compiled once per process (the first time the fast path gives up)."""
    from lark import Lark

    from xanoctl.language.lalr import Driver

    lark = Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        transformer=ModelBuilder(),
        maybe_placeholders=False,
        cache=True,  # Lark keeps the compiled tables in the temp folder, keyed by grammar and version
    )
    return Driver(lark)


def read_source(path: str | Path) -> str:
    """Read a XanoScript file, refusing binary content and invalid UTF-8 with a position."""
    data = Path(path).read_bytes()
    return decode_source(data, str(path))


def decode_source(data: bytes, path: str = "") -> str:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise XanoSyntaxError("binary file (contains NUL bytes): not XanoScript", path=path, line=line, column=1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise XanoSyntaxError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): XanoScript files are UTF-8 text",
            path=path, line=line, column=column,
        ) from None


def split_documents(text: str) -> list[tuple[int, str]]:
    """Split a multidoc text on ``---`` lines: ``[(lines before the document, its text)]``."""
    parts: list[tuple[int, str]] = []
    start, line = 0, 0
    for match in _SEPARATOR.finditer(text):
        chunk = text[start:match.start()]
        parts.append((line, chunk))
        line += chunk.count("\n") + 1
        start = match.end() + 1 if match.end() < len(text) else match.end()
    parts.append((line, text[start:]))
    return [(offset, chunk) for offset, chunk in parts if chunk.strip()] or [(0, text)]


def parse_documents(text: str, path: str = "") -> list[Document]:
    """Parse a multidoc text (documents separated by ``---`` lines)."""
    return [parse_document(chunk, path, line_offset=offset) for offset, chunk in split_documents(text)]


def parse_document(text: str, path: str = "", *, line_offset: int = 0) -> Document:
    """Parse one document. ``line_offset`` is the number of lines before it in its file."""
    if "\x00" in text:
        raise XanoSyntaxError("binary content (NUL character): not XanoScript", path=path,
                              line=line_offset + text.count("\n", 0, text.index("\x00")) + 1, column=1)
    content = _CONTENT_LINE.search(text)
    if not content:
        raise XanoSyntaxError("no XanoScript document (the text is empty or only comments); expected a "
                              "document such as `function \"name\" {`", path=path, line=line_offset + 1, column=1)
    _check_nesting(text, path, line_offset)
    source = prepared_source(text, line_offset)
    try:
        document = descent.parse(source)
    except descent.GiveUp:  # a rare shape or an error: the LALR driver reads it (and words the error)
        document = _lalr_parse(source, path, line_offset)
    document.path = path
    document.line_offset = line_offset
    document.comments = _header_comments(text, content.end())
    check_document(document, path)
    return document


def prepared_source(text: str, line_offset: int = 0) -> str:
    """The text the parsers read: no byte-order mark, a comment on the first line blanked (so
    that the leading comment lines are swallowed with the first line break), and as many line
    breaks in front as there are lines before the document in its file."""
    if text.startswith("\ufeff"):  # a byte-order mark (Windows editors) is not a column
        text = text[1:]
    source = _FIRST_LINE_COMMENT.sub(lambda m: " " * len(m.group(0)), text, count=1)
    return "\n" * line_offset + source if line_offset else source


def _lalr_parse(source: str, path: str, line_offset: int) -> Document:
    from xanoctl.language.lalr import LexError, ParseError

    try:
        return _parser().parse(source)
    except (LexError, ParseError) as exc:
        raise _syntax_error(exc, source, path) from None
    except XanoSyntaxError as exc:
        exc.path = path
        raise
    except RecursionError:
        raise XanoSyntaxError("nesting too deep", path=path, line=line_offset + 1, column=1) from None


def _header_comments(text: str, content: int) -> list[str]:
    """The comments above the first line of content (``content`` stands on it): the lines below
    it are not read."""
    end = text.find("\n", content)
    comments = []
    for line in text[:end if end >= 0 else len(text)].lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped[2:].strip())
        elif stripped:
            break
    return comments


_DATE_ONLY = re.compile(r"[^\n]*?\b\d{4}-\d{2}-\d{2}(?![\d \tT]*\d{2}:)")


def _line_start(source: str, pos: int) -> int:
    return source.rfind("\n", 0, pos) + 1


_LINE_STARTS = {"NAME", "BANG", "IF", "INPUT", "SCHEMA"}


def _on_new_line(source: str, pos: int) -> bool:
    return not source[_line_start(source, pos):pos].strip()


_OPENERS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|[{(\[]|[})\]]|\n')


def _check_nesting(text: str, path: str, line_offset: int) -> None:
    """Refuse absurd nesting before parsing, so that no later stage recurses too deep."""
    if text.count("{") + text.count("(") + text.count("[") < MAX_NESTING:
        return
    depth, line, line_start = 0, line_offset + 1, 0
    for match in _OPENERS.finditer(text):
        token = match.group(0)
        if token == "\n":
            line += 1
            line_start = match.end()
        elif token in "{([":
            depth += 1
            if depth > MAX_NESTING:
                raise XanoSyntaxError(
                    f"nesting deeper than {MAX_NESTING} levels: not a XanoScript document xanoctl will read",
                    path=path, line=line, column=match.start() - line_start + 1,
                )
        elif token in "})]":
            depth -= 1


def _syntax_error(exc: LexError | ParseError, source: str, path: str) -> XanoSyntaxError:
    from xanoctl.language.lalr import LexError

    if isinstance(exc, LexError):
        at = exc.pos
        char = source[at] if at < len(source) else ""
        comment = _misplaced_comment(source, at)
        if comment:
            return _comment_error(comment, at, exc.line, exc.column, path)
        if source[at - 2:at + 1] == '"""':
            return XanoSyntaxError('unterminated text block: the closing """ must stand alone on a later line',
                                   path=path, line=exc.line, column=exc.column - 2, text='"""')
        elif char in "\"'":
            message = "unterminated string (a quoted string cannot span lines; use \"\"\" for multi-line text)"
        elif char == "-" and source[at + 1:at + 2].isdigit():
            message = "a minus sign directly before a number makes a negative number here; write `a - 1` with spaces"
        else:
            expected = describe_expected(exc.allowed)
            message = f"unexpected {describe_token(None, char)}" + (f"; expected {expected}" if expected else "")
        return XanoSyntaxError(message, path=path, line=exc.line, column=exc.column, text=char)
    token = exc.token
    expected = describe_expected(exc.expected)
    if token.type == "$END":
        return XanoSyntaxError(
            f"unexpected end of file; expected {expected or 'more'} (is a `}}` missing?)",
            path=path, line=token.line, column=token.column,
        )
    found = describe_token(token.type, token.value)
    message = f"expected {expected}, found {found}" if expected else f"unexpected {found}"
    comment = _misplaced_comment(source, token.pos) if token.value == "/" else None
    if comment:
        return _comment_error(comment, token.pos, token.line, token.column, path)
    before = source[token.pos - 1:token.pos] if token.pos else ""
    if "_NL" in exc.expected and token.type in _LINE_STARTS and not _on_new_line(source, token.pos):
        message = f"expected a new line, found {found}: each clause and statement starts on its own line"
    elif token.type == "NUMBER" and token.value.startswith("-") and _DATE_ONLY.match(source, _line_start(source, token.pos)):
        message = ("a timestamp needs a time and an offset: write it like `2025-11-28 00:00:00+0000` "
                   "(unquoted), or quote a date as text")
    elif token.type == "NUMBER" and token.value.startswith("-") and before.strip():
        message = (f"`{before}{token.value}` reads as a value followed by the number `{token.value}`; "
                   f"write `- {token.value[1:]}` with a space after the minus")
    elif token.type == "NAME" and "VAR" in exc.expected and "NAME" not in exc.expected:
        message = (f"expected {expected}, found {found}: a bare name is not a value; "
                   f"write a string (\"{token.value}\") or a variable (${token.value})")
    if token.type in ("_NL", "NL_PIPE"):
        return XanoSyntaxError(message, path=path, line=token.line, column=token.column,
                               end_line=token.line, end_column=token.column + 1, text="")
    return XanoSyntaxError(message, path=path, line=token.line, column=token.column,
                           end_line=token.end_line, end_column=token.end_column, text=token.value)


def _misplaced_comment(source: str, at: int) -> tuple[int, str] | None:
    """A comment where XanoScript has none: a `//` after code (the error may stand on either
    slash), `/*` or `#`. Returns where it starts and what it is."""
    if source[at:at + 2] in ("//", "/*"):
        return at, source[at:at + 2]
    if at and source[at - 1:at + 1] == "//":
        return at - 1, "//"
    if source[at:at + 1] == "#":
        return at, "#"
    return None


def _comment_error(comment: tuple[int, str], at: int, line: int, column: int, path: str) -> XanoSyntaxError:
    start, kind = comment
    if kind == "//":
        message = "a `//` comment must stand on its own line, not after code"
    else:
        message = f"`{kind}` comments are not XanoScript; use `//` on a line of its own"
    return XanoSyntaxError(message, path=path, line=line, column=column - (at - start), text=kind)
