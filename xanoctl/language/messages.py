"""Human wording for the parser's terminals, used in syntax error messages."""

from __future__ import annotations

from typing import Iterable

_NAMES = {
    "_NL": "a new line",
    "NL_PIPE": "a new line",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "EQUAL": "`=`",
    "QMARK": "`?`",
    "BANG": "`!`",
    "PIPE": "`|`",
    "IF": "`if`",
    "AS": "`as`",
    "VERB": "`verb=`",
    "INPUT": "`input`",
    "SCHEMA": "`schema`",
    "FILTERS": "`filters=`",
    "NAME": "a name",
    "SLASH_NAME": "a name",
    "STRING": "a string",
    "VAR": "a variable",
    "$END": "the end of the file",
}

_VALUE_TERMINALS = {
    "STRING", "TEXT_BLOCK", "NUMBER", "TIMESTAMP", "TRUE", "FALSE", "NULL", "NOW", "VAR",
    "BACKTICK", "BACKTICK_BLOCK", "LPAR", "LSQB", "LBRACE", "BANG",
}
_OPERATOR_TERMINALS = {
    "CMP_SYM", "ADD_OP", "MUL_OP", "AND_OP", "OR_OP", "COALESCE_OP", "TILDE", "IN", "NOT",
    "WORD_OP", "QMARK", "PIPE", "NL_PIPE", "DOT", "LSQB",
}


def describe_expected(expected: Iterable[str]) -> str:
    """``{"RBRACE", "NAME", "_NL"}`` -> "`}`, a new line or a name"; summarises large sets."""
    names = set(expected)
    parts: list[str] = []
    if "RBRACE" in names:
        parts.append("`}`")
    if "NAME" in names and ("_NL" in names or "RBRACE" in names) and "BANG" in names:
        parts.append("a new statement")
        names -= {"NAME", "BANG", "IF"}
    if len(names & _OPERATOR_TERMINALS) >= 4:
        parts.append("an operator")
        names -= _OPERATOR_TERMINALS
    if len(names & _VALUE_TERMINALS) >= 4:
        parts.append("a value")
        names -= _VALUE_TERMINALS
    for name in sorted(names, key=_order):
        if name == "RBRACE":
            continue
        described = _NAMES.get(name) or _anonymous(name)
        if described and described not in parts:
            parts.append(described)
    if not parts:
        return ""
    if "an operator" in parts and len(parts) > 3:
        return "an operator or the end of the value"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def describe_token(kind: str | None, text: str) -> str:
    if kind in ("_NL", "NL_PIPE") or text.startswith(("\n", "\r")):
        return "the end of the line"
    if kind == "$END" or text == "":
        return "the end of the file"
    shown = text if len(text) <= 40 else text[:37] + "..."
    return f"`{shown}`"


def _order(name: str) -> tuple[int, str]:
    return (0 if name in ("RBRACE", "_NL") else 1, name)


def _anonymous(name: str) -> str:
    if name.startswith("__") or name in _VALUE_TERMINALS or name in _OPERATOR_TERMINALS:
        return {"TEXT_BLOCK": "a text block", "NUMBER": "a number", "TIMESTAMP": "a timestamp",
                "TRUE": "`true`", "FALSE": "`false`", "NULL": "`null`", "NOW": "`now`",
                "BACKTICK": "an expression", "BACKTICK_BLOCK": "an expression",
                "CMP_SYM": "an operator", "ADD_OP": "an operator", "MUL_OP": "an operator",
                "AND_OP": "`&&`", "OR_OP": "`||`", "COALESCE_OP": "`??`", "TILDE": "`~`",
                "IN": "`in`", "NOT": "`not`", "WORD_OP": "an operator"}.get(name, "")
    return f"`{name.lower()}`"
