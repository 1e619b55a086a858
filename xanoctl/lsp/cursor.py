"""What stands at a position of a text, for navigation, hover and completion.

Names of other objects (callees, tables, the columns of ``db.*`` statements) are found in the
file's facts, which carry their exact places; what the facts do not place is read from the
line around the cursor: ``$input.x``, ``$var``, ``$db.<table>.<column>``, a filter name after
``|`` and a rule code in an ``ignore[...]`` comment. Completion reads the text before the
cursor, which is often not valid XanoScript yet (``$r.data.``): a few patterns and a scan back
to the ``input = {`` the cursor stands in say what is being typed.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from xanoctl.lint.finding import Span
from xanoctl.semantics.references import CALLS

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_RULE = re.compile(r"//[ \t]*xanoctl[ \t]*:[ \t]*ignore\[([^\]]*)\]")
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
_DB = re.compile(rf"\$db\.({_NAME})(?:\.({_NAME}))?")
_INPUT = re.compile(rf"\$input\.({_NAME})")
_VAR = re.compile(rf"\$(?:var\.)?{_NAME}")
_FILTER = re.compile(rf"\|!?({_NAME})")


class Spot(NamedTuple):
    """``kind``: rule, table, column, input, variable or filter; ``name`` (for a column: the
    column, ``table`` its table); ``span`` where it stands."""

    kind: str
    name: str
    span: Span
    table: str = ""


def spot(lines: Sequence[str], line: int, column: int) -> Spot | None:
    """What the line read around ``line:column`` (1-based) says stands there."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    at = column - 1

    def over(match: re.Match, group: int = 0) -> bool:
        return match.start(group) <= at <= match.end(group)

    for match in _RULE.finditer(text):
        if over(match, 1):
            for code in _CODE.finditer(match.group(1)):
                start = match.start(1) + code.start()
                if start <= at <= start + len(code.group(0)):
                    return Spot("rule", code.group(0).upper(), (line, start + 1, line, start + len(code.group(0)) + 1))
    for match in _DB.finditer(text):
        if over(match):
            if match.group(2) and at >= match.start(2):
                return Spot("column", match.group(2), (line, match.start() + 1, line, match.end() + 1), match.group(1))
            return Spot("table", match.group(1), (line, match.start(1) + 1, line, match.end(1) + 1))
    for match in _INPUT.finditer(text):
        if over(match):
            return Spot("input", match.group(1), (line, match.start() + 1, line, match.end() + 1))
    for match in _FILTER.finditer(text):
        if over(match, 1):
            return Spot("filter", match.group(1), (line, match.start(1) + 1, line, match.end(1) + 1))
    for match in _VAR.finditer(text):
        if over(match):
            name = match.group(0).replace("$var.", "$")
            return Spot("variable", name, (line, match.start() + 1, line, match.end() + 1))
    return None


# ---------------------------------------------------------------------------- completion

class Typing(NamedTuple):
    """What is being typed before the cursor: ``kind`` (an object kind of ``CALLS``: the
    callee's name; ``table``; ``column`` of ``table``; ``filter``; ``input`` (``$input.``);
    ``envelope`` (``$r.``) or ``data`` (``$r.data.``) of variable ``var``; ``argument``: an input
    name of the callee ``callee`` inside its ``input = {``), the part of the name typed
    already (``prefix``) and whether the name is inside quotes."""

    kind: str
    prefix: str
    table: str = ""
    var: str = ""
    callee: str = ""
    quoted: bool = False
    passed: tuple[str, ...] = ()  # argument: the keys the object holds before the cursor


_CALL = re.compile(r"(?<![\w.])(" + "|".join(re.escape(kind) for kind in sorted(CALLS, key=len, reverse=True))
                   + r')[ \t]+(")?([^"\s{]*)$')
_DB_STATEMENT = re.compile(r'(?<![\w.$])db\.[a-z_.]+[ \t]+(")?([^"\s{]*)$')
_DB_TABLE = re.compile(rf"\$db\.({_NAME})?$")
_DB_COLUMN = re.compile(rf"\$db\.({_NAME})\.({_NAME})?$")
_INPUT_KEY = re.compile(rf"\$input\.({_NAME})?$")
_FILTER_NAME = re.compile(rf"\|!?({_NAME})?$")
_DATA = re.compile(rf"(\$(?:var\.)?{_NAME})\.data\.({_NAME})?$")
_ENVELOPE = re.compile(rf"(\$(?:var\.)?{_NAME})\.({_NAME})?$")
_KEY_START = re.compile(rf"(^|[{{,])[ \t]*({_NAME})?$")
_CALLEE = re.compile(r'(?<![\w.])function\.run[ \t]+("(?:[^"\\]|\\.)*"|[^\s{]+)')


def typing(lines: Sequence[str], line: int, column: int) -> Typing | None:
    """What the text before ``line:column`` (1-based) is in the middle of typing."""
    if not 0 < line <= len(lines):
        return None
    before = lines[line - 1][:column - 1]
    if _in_comment(before):
        return None
    found = _CALL.search(before)
    if found:
        return Typing(CALLS[found.group(1)], found.group(3), quoted=bool(found.group(2)))
    found = _DB_STATEMENT.search(before)
    if found:
        return Typing("table", found.group(2), quoted=bool(found.group(1)))
    found = _DB_COLUMN.search(before)
    if found:
        return Typing("column", found.group(2) or "", table=found.group(1))
    found = _DB_TABLE.search(before)
    if found:
        return Typing("table", found.group(1) or "")
    found = _INPUT_KEY.search(before)
    if found:
        return Typing("input", found.group(1) or "")
    found = _FILTER_NAME.search(before)
    if found and not before.rstrip().endswith("||") and before.count('"') % 2 == 0:
        return Typing("filter", found.group(1) or "")
    found = _DATA.search(before)
    if found:
        return Typing("data", found.group(2) or "", var=found.group(1).replace("$var.", "$"))
    found = _ENVELOPE.search(before)
    if found and found.group(1) not in ("$input", "$db", "$env", "$auth"):
        return Typing("envelope", found.group(2) or "", var=found.group(1).replace("$var.", "$"))
    found = _KEY_START.search(before)
    if found:
        found_call = _input_object_callee(lines, line, column)
        if found_call is not None:
            callee, passed = found_call
            return Typing("argument", found.group(2) or "", callee=callee, passed=passed)
    return None


def _in_comment(before: str) -> bool:
    return before.lstrip().startswith("//")


def _input_object_callee(lines: Sequence[str], line: int, column: int) -> tuple[str, tuple[str, ...]] | None:
    """The callee of the ``function.run`` whose ``input = {`` object the cursor stands in
    (directly: not in a nested object), and the keys written in it before the cursor."""
    depth = 0
    number, text = line, _code(lines[line - 1][:column - 1])
    scanned = 0
    inside: list[str] = []  # the object's text before the cursor, last line first
    while number >= 1 and scanned < 200:
        if not text.lstrip().startswith("//"):
            for index in range(len(text) - 1, -1, -1):
                ch = text[index]
                if ch in "}])":
                    depth += 1
                elif ch in "[(":
                    if depth == 0:
                        return None
                    depth -= 1
                elif ch == "{":
                    if depth > 0:
                        depth -= 1
                        continue
                    if not re.search(r"\binput[ \t]*=[ \t]*$", text[:index]):
                        return None
                    callee = _callee_above(lines, number)
                    if callee is None:
                        return None
                    written = "\n".join([text[index + 1:], *reversed(inside)])
                    return callee, tuple(_KEYS.findall(_flat(written)))
        inside.append(text)
        number -= 1
        scanned += 1
        if number >= 1:
            text = _code(lines[number - 1])
    return None


_KEYS = re.compile(rf"(?:^|,)[ \t\n]*({_NAME})[ \t]*:")


def _flat(text: str) -> str:
    """The object's text with its nested brackets' content left out (their keys are not its)."""
    out, depth = [], 0
    for ch in text:
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _code(line: str) -> str:
    """A line without its strings' content and its comment (their braces do not count)."""
    out = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    at = out.find("//")
    return out[:at] if at >= 0 else out


def _callee_above(lines: Sequence[str], line: int) -> str | None:
    for number in range(line, max(line - 20, 0), -1):
        found = _CALLEE.search(lines[number - 1])
        if found:
            raw = found.group(1)
            return raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw
    return None
