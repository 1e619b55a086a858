"""A hand-written recursive-descent reader for the common shapes of ``grammar/xanoscript.lark``:
the fast path of :func:`xanoctl.language.parser.parse_document`.

It builds exactly the model the LALR driver (:mod:`.lalr`) builds: for each rule that has a
:class:`~xanoctl.language.build.ModelBuilder` method it makes the children list Lark would hand
that method (named terminals as :class:`~xanoctl.language.lalr.Tok`, with the same positions;
anonymous strings and line breaks dropped; inlined rules and repetitions spliced in) and calls
the same method; for the commonest rules, whose method only reads its tokens' text and
positions, it builds the model object itself, as that method builds it, without the tokens.
It reads tokens as Lark's contextual lexer reads them in the LALR state that the text has
reached: a word is a keyword only where that state accepts the keyword, a slashed name only
where it accepts ``SLASH_NAME``, and so on. The text is lexed once, in one pass (``_lex``);
where a state reads a word with a terminal of its own (a slashed name, an input filter's
words), that word is read again with it and the pass is picked up after it (``_resync``).

It never reports a syntax error. On anything it does not know (an error, a rare construct, a
token that the contextual lexer might read otherwise) it raises :class:`GiveUp`, and the caller
parses with the LALR driver, which also words every error message. The differential test
(``tests/test_descent.py``) is the guard: a grammar change must be mirrored here, or this
module must give up on it.
"""

from __future__ import annotations

import re
from typing import Any

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.build import ModelBuilder, Part, name_member, number_value, span, unquote
from xanoctl.language.tokens import Tok
from xanoctl.language.model import (
    Alias, ArrayLit, Document, Filter, Filtered, Literal, ObjectEntry, ObjectLit, Pos, Setting, Variable,
)


class GiveUp(Exception):
    """The fast path does not read this text: parse it with the LALR driver."""


# The grammar's terminals, as Lark compiles them (``tests/test_descent.py`` compares them).
TERMINALS = {
    "NL_PIPE": "(?:\r?\n[\t ]*+(?:\\/\\/[^\r\n]*+)?)++\\|(?!\\|)",
    "_NL": "(?:\r?\n[\t ]*+(?:\\/\\/[^\r\n]*+)?)++",
    "NAME": r"[A-Za-z_][A-Za-z0-9_]*",
    "VAR": r"\$\$|\$[A-Za-z_][A-Za-z0-9_]*|\$(?=\[)",
    "TEXT_BLOCK": '"""[\t ]*\r?\n[\\s\\S]*?\n[\t ]*"""',
    "STRING": "(?:\"[^\"\\\\\r\n]*(?:\\\\.[^\"\\\\\r\n]*)*\"|'[^'\\\\\r\n]*(?:\\\\.[^'\\\\\r\n]*)*')",
    "TIMESTAMP": r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?",
    "NUMBER": r"-?\d+(\.\d+)?",
    "BACKTICK_BLOCK": r"```[\s\S]*?```",
    "BACKTICK": "`(?:[^`\\\\\r\n]|\\\\.)*`",
    "SLASH_NAME": r"[A-Za-z_][A-Za-z0-9_\-]*(\/[A-Za-z0-9_\-]+)+",
    "FILTER_NAME": r"@|[A-Za-z_][A-Za-z0-9_]*",
    "FILTER_ARG": '"[^"\\\\\r\n]*(?:\\\\.[^"\\\\\r\n]*)*"|[^\\s|:{}"][^\\s|:"]*',
    "WS": "[\t \x0c]+",
}

# Punctuation and operators, longest first (as Lark orders them within a state).
_OPS = ["===", "!==", "==?", "!=?", "<=?", ">=?", "??", "||", "&&", "==", "!=", "<=", ">=", "<?", ">?",
        "!~", "@>", "<", ">", "=", "!", "~", "?", ":", "+", "-", "*", "/", "%", ".", ",", "(", ")",
        "[", "]", "{", "}", "|"]


def _plain(regex: str) -> str:
    """``regex`` with its capturing groups made non-capturing (the token's kind is its group)."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", regex)


# Every token outside input filters, read in one pass over the text (``findall``: a list of
# (spaces before, token) pairs). A token the contextual lexer would read otherwise in the state
# reached makes the parser give up (see the module's docstring). Where two terminals can start
# with the same character the order is Lark's priority order (TEXT_BLOCK before STRING,
# TIMESTAMP before NUMBER before `-`, BACKTICK_BLOCK before BACKTICK, longer operators first);
# the others come by how often they are met, first those that start with a literal or a set,
# which the regex engine skips at a glance (STRING, TIMESTAMP and NUMBER start otherwise: it
# tries them). ``_NL`` is split by its first character for that, and reads the `|` of
# ``NL_PIPE`` too. Where no terminal matches, the rest of the text is one
# token (see _lex).
_NL_LINE = TERMINALS["_NL"][len("(?:\r?\n"):-len(")++")]  # a line break's indent and comment
_NL_TOKEN = f"(?:\r?\n{_NL_LINE})*+(?:\\|(?!\\|))?"
_ONE_CHAR_OPS = "[{}()\\[\\],.:~+*/%]"  # the operators that start no longer one (nor a number)
_TOKENS = re.compile("([\t \x0c]*)(" + "|".join([
    _plain(TERMINALS["NAME"]), "\n" + _NL_LINE + _NL_TOKEN, _ONE_CHAR_OPS,
    *(re.escape(op) for op in _OPS if op != "-" and not re.fullmatch(_ONE_CHAR_OPS, op)),
    _plain(TERMINALS["VAR"]), _plain(TERMINALS["TEXT_BLOCK"]), _plain(TERMINALS["STRING"]),
    _plain(TERMINALS["TIMESTAMP"]), _plain(TERMINALS["NUMBER"]), "-", _plain(TERMINALS["BACKTICK_BLOCK"]),
    _plain(TERMINALS["BACKTICK"]), "\r\n" + _NL_LINE + _NL_TOKEN, "[^\t \x0c][\\s\\S]*"]) + ")").findall
_TOKEN = re.compile("|".join(f"(?:{_plain(TERMINALS[name])})" for name in TERMINALS if name not in (
    "SLASH_NAME", "FILTER_NAME", "FILTER_ARG", "WS")) + "|" + "|".join(re.escape(op) for op in _OPS)).fullmatch
_END = ("", " ")  # after the last token: kind "$END" (no token starts with a space)
_STUCK = "\x00"  # the token where no terminal matches (no rule reads it)
# a token's kind by its first character: an operator's kind is its text; None where the first
# character leaves it open (see _kind; a line break's kind is open when it ends with `|`)
_KINDS: dict[str, str | None] = {
    **dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", "W"),
    **dict.fromkeys("0123456789-\"`\r"), "\n": "NL", "$": "VAR", "'": "STR", " ": "$END"}


def _kind(value: str) -> str:
    """The kind of a token whose first character leaves it open."""
    first = value[0]
    if first == "\n" or first == "\r":  # a line break, or NL_PIPE: `|` after the last line's indent
        return "NLP" if value[-1] == "|" and "/" not in value[value.rfind("\n"):] else "NL"
    if first == '"':
        return "TB" if value.startswith('"""') else "STR"
    if first == "`":
        return "BB" if value.startswith("```") else "BT"
    if first == "-" and len(value) == 1:
        return "-"
    return "TS" if ":" in value else "NUM"


def _lex(text: str, pos: int) -> list[tuple[str, str]]:
    """The tokens from ``pos`` on, then ``_END``. Where no token matches, the rest of the text is
    one token, ``_STUCK``: the parser gives up if it gets there."""
    tokens = _TOKENS(text, pos)
    if tokens and not _TOKEN(tokens[-1][1]):
        tokens[-1] = (tokens[-1][0], _STUCK)
    tokens.append(_END)
    return tokens


_SLASH_NAME = re.compile(TERMINALS["SLASH_NAME"]).match
_FILTER_NAME = re.compile("[\t \x0c]*(" + TERMINALS["FILTER_NAME"] + ")").match
_FILTER_ARG = re.compile("[\t \x0c]*(" + TERMINALS["FILTER_ARG"] + ")").match

_TYPES = {"W": "NAME", "VAR": "VAR", "TB": "TEXT_BLOCK", "STR": "STRING", "TS": "TIMESTAMP", "NUM": "NUMBER",
          "BB": "BACKTICK_BLOCK", "BT": "BACKTICK", "NLP": "NL_PIPE"}
_BINOPS = {"??": "COALESCE_OP", "||": "OR_OP", "&&": "AND_OP", "~": "TILDE", "+": "ADD_OP", "-": "ADD_OP",
           "*": "MUL_OP", "/": "MUL_OP", "%": "MUL_OP"}
_BINOPS.update((op, "CMP_SYM") for op in ("===", "!==", "==?", "!=?", "<=?", ">=?", "==", "!=", "<=", ">=",
                                          "<?", ">?", "!~", "@>", "<", ">", "="))
_WORD_OPS = frozenset({"contains", "includes", "like", "ilike", "overlaps", "between", "search"})
# the words that are values, as ModelBuilder.true, .false, .null and .now build them
_WORD_LITERALS = {"true": ("bool", True, "true"), "false": ("bool", False, "false"), "null": ("null", None, "null"),
                  "now": ("now", "now", "now")}
# after a statement's kind, the words the LALR state reads as keywords (any other is a target)
_STMT_KEYWORDS = frozenset({"as", "break", "if", "verb"})

_tuple = tuple.__new__  # makes a Pos without the Python-level __new__ of a NamedTuple
_B = ModelBuilder()  # stateless: its methods build the model from a rule's children
_ATOMS = {"STR": _B.string, "TB": _B.text_block, "NUM": _B.number, "TS": _B.timestamp, "BT": _B.backtick,
          "BB": _B.backtick, "VAR": _B.var}


def parse(text: str) -> Document:
    """The model of ``text`` (as the LALR driver would build it), or :class:`GiveUp`."""
    try:
        return _Reader(text).start()
    except (XanoSyntaxError, RecursionError):  # the LALR driver says where and why
        raise GiveUp from None


class _Reader:
    """The text, its tokens (see _lex) and the index of the current one (``i``); the current
    token's kind ``k``, value ``v`` and start ``s``; the line it starts on (``line``) and where
    that line starts (``ls``). The next token starts ``len(spaces)`` after the current one."""

    __slots__ = ("text", "tokens", "i", "k", "v", "s", "line", "ls")

    def __init__(self, text: str):
        self.text = text
        self.tokens = _lex(text, 0)
        self.i = -1
        self.k, self.v, self.s = "", "", 0
        self.line, self.ls = 1, 0

    # ------------------------------------------------------------------ tokens
    # Only line breaks (_NL, read by advance()) and blocks and NL_PIPE (read by take()) hold a
    # "\n": the line count moves on when one of them is passed.

    def advance(self) -> None:
        """Make the token after the current one current (kind "$END" after the last)."""
        if self.k == "NL":
            value = self.v
            self.line += value.count("\n")
            self.ls = self.s + value.rfind("\n") + 1
        self.i = i = self.i + 1
        spaces, value = self.tokens[i]
        self.s += len(self.v) + len(spaces)
        self.v = value
        kind = _KINDS.get(value[0], value)
        if kind is None or kind == "NL" and value[-1] == "|":
            kind = _kind(value)
        self.k = kind

    def _resync(self, end: int) -> None:
        """The text up to ``end`` is read with another regex (a slashed name, an input filter's
        word; the caller then makes that token current): the next token is the one ``end`` falls
        before (the spaces before it shortened), or, where ``end`` falls inside a token, the text
        is lexed again from there."""
        tokens, i, pos = self.tokens, self.i + 1, self.s + len(self.v)
        while True:
            spaces, value = tokens[i]
            start = pos + len(spaces)
            if end <= start:
                tokens[i] = (self.text[end:start], value)
                self.i = i - 1
                break
            pos = start + len(value)
            if end < pos or value == _END[1] or value == _STUCK:
                self.tokens, self.i = _lex(self.text, end), -1
                break
            i += 1

    def _skip_ws(self, pos: int) -> int:
        """The first position from ``pos`` that is not a space or tab."""
        text = self.text
        while pos < len(text) and text[pos] in "\t \x0c":
            pos += 1
        return pos

    def tok(self, type_: str) -> Tok:
        """The current token as the LALR driver makes it, typed ``type_`` (never one that holds
        a line break: see take())."""
        value, start, line = self.v, self.s, self.line
        column = start - self.ls + 1
        return Tok(type_, value, line, column, line, column + len(value), start)

    def take(self, type_: str) -> Tok:
        """The current token (see :meth:`tok`), then move to the next."""
        value, start, line = self.v, self.s, self.line
        column = start - self.ls + 1
        if "\n" in value:  # a text or backtick block, or NL_PIPE
            count = value.count("\n")
            token = Tok(type_, value, line, column, line + count, len(value) - value.rfind("\n"), start)
            self.line += count
            self.ls = start + value.rfind("\n") + 1
        else:
            token = Tok(type_, value, line, column, line, column + len(value), start)
        self.advance()
        return token

    def step(self) -> Pos:
        """The position of the current token (one on a single line, such as a name, a string or
        a number), then move to the next: for the rules whose method only reads the token's
        text and position, the model is built here without the token."""
        line = self.line
        column = self.s - self.ls + 1
        pos = _tuple(Pos, (line, column, line, column + len(self.v)))
        self.advance()
        return pos

    def step_to(self, first: Pos) -> Pos:
        """As :meth:`step`, but the span from ``first`` to the current token."""
        pos = _tuple(Pos, (first[0], first[1], self.line, self.s - self.ls + 1 + len(self.v)))
        self.advance()
        return pos

    def expect(self, kind: str) -> None:
        if self.k != kind:
            raise GiveUp
        self.advance()

    def skip_nl(self) -> None:
        if self.k == "NL":
            self.advance()

    def relex(self, matcher: Any, kind: str) -> None:
        """Read the token after the current one with ``matcher`` (input filters' own words)."""
        match = matcher(self.text, self.s + len(self.v))  # the current token never spans lines here
        if match is None:
            raise GiveUp
        self._resync(match.end(1))
        self.k, self.v, self.s = kind, match.group(1), match.start(1)

    def word_or_slash_name(self) -> Tok:
        """A name where the state also accepts ``SLASH_NAME`` (priority 2 over ``NAME``)."""
        match = _SLASH_NAME(self.text, self.s)
        if match:
            self._resync(match.end())
            self.v = match.group(0)
            return self.take("SLASH_NAME")
        return self.take("NAME")

    def dotted(self, name: str, pos: Pos) -> tuple[str, Pos]:
        """``NAME ("." NAME)*``, the first name (``name`` at ``pos``) read: the names joined by
        dots, and their span (as ModelBuilder.stmt_kind and .obj_key make them)."""
        names = pos
        while self.k == ".":
            self.advance()
            if self.k != "W":
                raise GiveUp
            name += "." + self.v
            names = self.step_to(pos)
        return name, names

    # ------------------------------------------------------------------ documents

    def start(self) -> Document:
        self.advance()
        self.skip_nl()
        if self.k != "W":
            raise GiveUp
        document = self.document()
        self.skip_nl()
        if self.k != "$END":
            raise GiveUp
        return document

    def document(self) -> Document:
        children: list[Any] = [self.take("NAME")]
        if self.k == "W" and self.v != "verb":
            children.append(_B.doc_name([self.word_or_slash_name()]))
        elif self.k == "STR":
            children.append(_B.doc_name([self.take("STRING")]))
        if self.k == "W" and self.v == "verb":
            children.append(_B.doc_verb([self.verb_name()]))
        if self.k != "{":
            raise GiveUp
        return _B.document(self.braced(children, self.doc_item))

    def verb_name(self) -> Tok:
        """``verb = NAME`` (the current token is ``verb``)."""
        self.advance()
        self.expect("=")
        if self.k != "W":
            raise GiveUp
        return self.take("NAME")

    def braced(self, children: list, item: Any) -> list:
        """``{`` items ``}``, the braces as tokens, appended to ``children`` (returned)."""
        children.append(self.take("LBRACE"))
        self.items(children, item)
        children.append(self.take("RBRACE"))
        return children

    def items(self, children: list, item: Any) -> None:
        """``_NL? (item (_NL item)* _NL?)?`` after a ``{``, up to the ``}``."""
        self.skip_nl()
        while self.k != "}":
            children.append(item())
            if self.k == "NL":
                self.advance()
            elif self.k != "}":
                raise GiveUp

    def doc_item(self) -> Any:
        if self.k == "W":
            word = self.v
            if word == "input":
                keyword = self.take("INPUT")
                if self.k == "{":
                    return _B.input_clause([keyword, self.fields()])
                return _B.input_clause([keyword])
            if word == "schema":
                keyword = self.take("SCHEMA")
                if self.k != "{":
                    raise GiveUp
                return _B.schema_clause([keyword, self.fields()])
        return self.stmt_item()

    def stmt_item(self) -> Any:
        """A setting or a statement (``if`` is a keyword here, ``input`` and ``schema`` are not)."""
        if self.k == "!":
            return self.statement()
        if self.k != "W":
            raise GiveUp
        if self.v == "if":
            return self.statement()
        key = self.v
        pos = self.step()
        if self.k == "=":
            self.advance()
            return Setting(key, self.expr(), pos)  # as ModelBuilder.setting builds it
        return self.statement(key, pos)

    # ------------------------------------------------------------------ input and schema fields

    def fields(self) -> Any:
        return _B.fields(self.braced([], self.field))

    def field(self) -> Any:
        if self.k != "W":
            raise GiveUp
        children: list[Any] = [self.take("NAME")]
        if self.k == "{":
            children.append(self.field_block())
            return _B.field(children)
        if self.k == "[":
            children.append(self.array_marker())
        if self.k == "?":
            children.append(_B.nullable_mark([self.take("QMARK")]))
        if self.k == "W":
            children.append(_B.field_name([self.take("NAME")]))
        elif self.k == "STR":
            children.append(_B.field_name([self.take("STRING")]))
        else:
            raise GiveUp
        if self.k == "?":
            children.append(_B.optional_mark([self.take("QMARK")]))
        if self.k == "=":
            self.advance()
            if self.k == "W" and self.v not in _WORD_LITERALS:
                children.append(_B.field_default([self.take("NAME")]))
            else:
                children.append(_B.field_default([self.expr()]))
        if self.k == "W" and self.v == "filters":
            children.append(self.field_filters())
        if self.k == "{":
            children.append(self.field_block())
        return _B.field(children)

    def array_marker(self) -> Any:
        self.advance()
        bound: list[Tok] = []
        if self.k == "NUM":
            bound.append(self.take("NUMBER"))
        if self.k == ":":
            bound.append(self.take("COLON"))
            if self.k == "NUM":
                bound.append(self.take("NUMBER"))
        self.expect("]")
        return _B.array_marker([_B.array_bound(bound)] if bound else [])

    def field_filters(self) -> Any:
        """``filters = input_filter (PIPE input_filter)*``: filter words are read as they come."""
        self.advance()
        if self.k != "=":
            raise GiveUp
        children: list[Any] = []
        while True:
            parts: list[Tok] = []
            if self.text.startswith("!", self._skip_ws(self.s + len(self.v))):
                self.relex(_BANG, "!")
                parts.append(self.tok("BANG"))
            self.relex(_FILTER_NAME, "FN")
            parts.append(self.tok("FILTER_NAME"))
            self.advance()
            while self.k == ":":
                self.relex(_FILTER_ARG, "FA")
                parts.append(self.tok("FILTER_ARG"))
                self.advance()
            children.append(_B.input_filter(parts))
            if self.k != "|":
                return _B.field_filters(children)
            children.append(self.tok("PIPE"))

    def field_block(self) -> Any:
        return _B.field_block(self.braced([], self.field_item))

    def field_item(self) -> Any:
        if self.k != "W":
            raise GiveUp
        if self.v == "schema":
            keyword = self.take("SCHEMA")
            if self.k == "{":
                return _B.schema_clause([keyword, self.fields()])
            return _B.empty_schema([keyword])
        name = self.take("NAME")
        self.expect("=")
        return _B.setting([name, self.expr()])

    # ------------------------------------------------------------------ statements

    def statement(self, name: str | None = None, pos: Pos | None = None) -> Any:
        """A statement; ``name`` (at ``pos``) is its kind's first name where it is read."""
        children: list[Any] = []
        if name is None:
            if self.k == "!":
                children.append(self.take("BANG"))
            if self.k != "W":
                raise GiveUp
            if self.v == "if":
                children.append(_B.stmt_kind([self.take("IF")]))
            else:
                name = self.v
                pos = self.step()
        if name is not None:
            children.append(Part("kind", *self.dotted(name, pos)))
        k = self.k
        if k == "W":
            if self.v not in _STMT_KEYWORDS:
                children.append(_B.stmt_target([self.word_or_slash_name()]))
        elif k == "STR":
            children.append(_B.stmt_target([self.take("STRING")]))
        elif k == "NUM":
            children.append(_B.stmt_target([self.take("NUMBER")]))
        elif k == "VAR":
            children.append(_B.stmt_target([self.target_access()]))
        if self.k == "W" and self.v == "verb":
            children.append(_B.stmt_verb([self.verb_name()]))
        if self.k == "(":
            children.append(self.stmt_args())
        if self.k == "W" and self.v == "if":
            keyword = self.take("IF")
            self.expect("(")
            self.skip_nl()
            expr = self.expr()
            self.skip_nl()
            self.expect(")")
            children.append(_B.stmt_guard([keyword, expr]))
        if self.k == "{":
            children.append(self.stmt_block())
            if self.k == "W" and self.v == "as":
                children.append(self.alias())
        elif self.k == "W" and self.v == "as":
            children.append(self.alias())
            if self.k == "{":
                children.append(self.stmt_block())
        if self.k == "W" and self.v == "break":
            children.append(_B.stmt_break([self.take("BREAK")]))
        return _B.statement(children)

    def target_access(self) -> Any:
        """``$var`` with member (``.name``) and index steps, as a statement's target."""
        value = Variable(self.v, self.step())  # as ModelBuilder.var builds it
        while True:
            if self.k == ".":
                self.advance()
                if self.k == "W":
                    value = self.name_member(value)
                    continue
                if self.k != "[":
                    raise GiveUp
            elif self.k != "[":
                return value
            value = self.index(value)

    def stmt_args(self) -> Any:
        self.advance()
        self.skip_nl()
        args = [self.expr()]
        while self.k == ",":
            self.advance()
            self.skip_nl()
            args.append(self.expr())
        self.skip_nl()
        self.expect(")")
        return _B.stmt_args(args)

    def stmt_block(self) -> Part:
        """As ModelBuilder.stmt_block builds it."""
        first = self.step()
        body: list[Any] = []
        self.items(body, self.stmt_item)
        return Part("block", body, self.step_to(first))

    def alias(self) -> Part:
        """``as`` and a variable (or the older bare name), as ModelBuilder.alias builds it."""
        self.advance()
        if self.k == "VAR":
            name, legacy = self.v, False
        elif self.k == "W":
            name, legacy = "$" + self.v, True
        else:
            raise GiveUp
        head = self.step()
        dotted, pos = self.dotted(name, head)
        filters = self.filters()
        if filters:
            pos = span(head, filters[-1].pos)
        alias = Alias(name=name, path=dotted.split(".")[1:], filters=filters, legacy=legacy, pos=pos)
        return Part("alias", alias, pos)

    def filters(self) -> list[Filter]:
        """``((PIPE | NL_PIPE) filter)*``: the filters (no rule keeps the pipes)."""
        filters = []
        while self.k == "|" or self.k == "NLP":
            if self.k == "NLP":
                self.take("NL_PIPE")  # moves the line count on
            else:
                self.advance()
            filters.append(self.filter())
        return filters

    def filter(self) -> Any:
        children: list[Any] = []
        if self.k == "!":
            children.append(self.take("BANG"))
        if self.k != "W":
            raise GiveUp
        children.append(self.take("NAME"))
        while self.k == ":":
            self.advance()
            if self.k == "W" and self.v not in _WORD_LITERALS:
                children.append(_B.ident([self.take("NAME")]))
            else:  # the operators to its right are the argument's (see the grammar's filter_arg)
                children.append(self.binary(self.filter_operand(), self.unary))
        return _B.filter(children)

    def filter_operand(self) -> Any:
        """The first operand of a filter's argument: ``postfix`` (a cast, a literal, a variable,
        a parenthesised expression... with its member and index steps), no filter."""
        if self.k == "!":
            return self.postfix(self.cast(self.take("BANG")))
        return self.postfix(self.atom())

    # ------------------------------------------------------------------ expressions

    def expr(self) -> Any:
        """``binexpr ("?" expr ":" expr)?``, where ``binexpr`` is ``unary (_binop unary)*``."""
        value = self.unary()
        k = self.k
        if k in _BINOPS or k == "W":  # most values end here, at a line break, a comma or a bracket
            value = self.binary(value, self.unary)
        if self.k != "?":
            return value
        self.advance()
        self.skip_nl()
        then = self.expr()
        self.skip_nl()
        self.expect(":")
        self.skip_nl()
        return _B.ternary([value, then, self.expr()])

    def binary(self, value: Any, operand: Any) -> Any:
        """``value (_binop _NL? operand)*``, the first operand (``value``) read: the operands and
        operators read as one flat list (ModelBuilder.binexpr applies the precedence)."""
        children: list[Any] | None = None
        while True:
            k = self.k
            op = _BINOPS.get(k)
            if op is not None:
                if children is None:
                    children = [value]
                children.append(self.take(op))
            elif k == "W" and (self.v == "in" or self.v == "not" or self.v in _WORD_OPS):
                if children is None:
                    children = [value]
                if self.v == "not":
                    children.append(self.take("NOT"))
                    if self.k != "W" or not (self.v == "in" or self.v in _WORD_OPS):
                        raise GiveUp
                children.append(self.take("IN" if self.v == "in" else "WORD_OP"))
                if self.k == "?":
                    children.append(self.take("QMARK"))
            else:
                break
            if self.k == "NL":
                self.advance()
            children.append(operand())
        return value if children is None else _B.binexpr(children)

    def unary(self) -> Any:
        if self.k == "!":
            bang = self.take("BANG")
            if self.k == "W" and self.v not in _WORD_LITERALS:  # `!type "text"`: a cast, an atom
                value = self.postfix(self.cast(bang))
            else:
                return _B.not_([bang, self.unary()])
        else:
            k, raw = self.k, self.v
            # the most common atoms, built here as ModelBuilder.string, .number, .var build them
            if k == "STR":
                value = Literal("string", unquote(raw), self.step(), raw)
            elif k == "VAR":
                value = Variable(raw, self.step())
            elif k == "NUM":
                value = Literal("number", number_value(raw), self.step(), raw)
            else:
                value = self.atom()
            if self.k == "." or self.k == "[":
                value = self.postfix(value)
        if self.k == "|" or self.k == "NLP":  # as ModelBuilder.filtered builds it
            filters = self.filters()
            return Filtered(value, filters, span(value.pos, filters[-1].pos))
        return value

    def cast(self, bang: Tok) -> Any:
        """``BANG NAME (STRING | TEXT_BLOCK)``, the ``!`` taken."""
        if self.k != "W":
            raise GiveUp
        name = self.take("NAME")
        if self.k == "STR":
            return _B.cast([bang, name, self.take("STRING")])
        if self.k == "TB":
            return _B.cast([bang, name, self.take("TEXT_BLOCK")])
        raise GiveUp

    def postfix(self, value: Any) -> Any:
        while True:
            k = self.k
            if k == ".":
                self.advance()
                k = self.k
                if k == "W":
                    value = self.name_member(value)
                    continue
                if k in _MEMBER_KEYS:
                    value = _B.member([value, self.take(_TYPES[k])])
                    continue
                if k != "[":
                    raise GiveUp
            elif k != "[":
                return value
            value = self.index(value)

    def name_member(self, value: Any) -> Any:
        """``value.name`` (the current token is the name), as ModelBuilder.member builds it."""
        name = self.v
        return name_member(value, name, self.step_to(value.pos))

    def index(self, value: Any) -> Any:
        """``[expr]`` after ``value`` (the current token is the ``[``)."""
        self.advance()
        self.skip_nl()
        key = self.expr()
        self.skip_nl()
        if self.k != "]":
            raise GiveUp
        return _B.index([value, key, self.take("RSQB")])

    def atom(self) -> Any:
        k = self.k
        method = _ATOMS.get(k)
        if method is not None:
            return method([self.take(_TYPES[k])])
        if k == "W":
            literal = _WORD_LITERALS.get(self.v)
            if literal is None:
                raise GiveUp
            kind, value, raw = literal
            return Literal(kind, value, self.step(), raw)
        if k == "(":
            self.advance()
            self.skip_nl()
            value = self.expr()
            self.skip_nl()
            self.expect(")")
            return value
        if k == "{":
            return self.object_lit()
        if k == "[":
            return self.array_lit()
        raise GiveUp

    def object_lit(self) -> ObjectLit:
        """As ModelBuilder.object_lit builds it."""
        first = self.step()
        entries = self.sequence("}", self.obj_entry)
        return ObjectLit(entries, self.step_to(first))

    def sequence(self, close: str, item: Any) -> list:
        """``_NL? (item (("," _NL? | _NL) item)* ("," _NL? | _NL)?)?`` up to ``close``: the items."""
        children: list[Any] = []
        self.skip_nl()
        while self.k != close:
            children.append(item())
            if self.k == ",":
                self.advance()
                self.skip_nl()
            elif self.k == "NL":
                self.advance()
            elif self.k != close:
                raise GiveUp
        return children

    def obj_entry(self) -> Any:
        children: list[Any] = []
        if self.k == "!":
            children.append(self.take("BANG"))
        k = self.k
        if k == "W":
            name = self.v
            pos = self.step()
            if self.k == ":" and not children:  # `name: value`, as ModelBuilder.obj_entry builds it
                self.advance()
                self.skip_nl()
                return ObjectEntry(name, self.expr(), pos)
            children.append(Part("key", *self.dotted(name, pos)))
        elif k == "STR" or k == "NUM":
            children.append(_B.obj_key([self.take(_TYPES[k])]))
        else:
            raise GiveUp
        self.expect(":")
        self.skip_nl()
        children.append(self.expr())
        return _B.obj_entry(children)

    def array_lit(self) -> ArrayLit:
        """As ModelBuilder.array_lit builds it."""
        first = self.step()
        items = self.sequence("]", self.expr)
        return ArrayLit(items, self.step_to(first))


_MEMBER_KEYS = frozenset({"VAR", "NUM", "STR"})
_BANG = re.compile("[\t \x0c]*(!)").match
