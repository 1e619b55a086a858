"""A lean driver for the LALR tables and contextual lexer that Lark builds from our grammar.

Lark compiles ``grammar/xanoscript.lark`` (parse table, per-state lexer regexes, keyword
handling, the callbacks of the inline model builder); this module only runs them. It does what
Lark's own loop does, minus the bookkeeping we do not use (interactive parsing, token
callbacks, position propagation), which makes parsing about twice as fast: a workspace of a
thousand functions is read in a few seconds on one core.

Tokens are :class:`Tok` objects (a small slotted class), not Lark tokens.
"""

from __future__ import annotations

from typing import Any, Callable

from lark import Lark
from lark.lexer import Scanner
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift


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


class LexError(Exception):
    def __init__(self, pos: int, line: int, column: int, allowed: set[str]):
        super().__init__(f"unexpected character at {line}:{column}")
        self.pos, self.line, self.column, self.allowed = pos, line, column, allowed


class ParseError(Exception):
    def __init__(self, token: Tok, expected: set[str]):
        super().__init__(f"unexpected {token.type} at {token.line}:{token.column}")
        self.token, self.expected = token, expected


class _StateLexer:
    __slots__ = ("regexes", "keywords", "ignore", "newlines", "allowed")

    def __init__(self, basic_lexer: Any, leave_out: frozenset[str] = frozenset()):
        scanner = basic_lexer.scanner  # builds the regexes and the keyword callbacks
        if leave_out:
            terminals = [t for t in basic_lexer.terminals if t.name not in leave_out]
            scanner = Scanner(terminals, basic_lexer.g_regex_flags, basic_lexer.re, basic_lexer.use_bytes)
        self.regexes = list(scanner._mres)
        self.keywords: dict[str, Callable[[str], str | None]] = {}
        for type_, callback in basic_lexer.callback.items():
            keyword_scanner = getattr(callback, "scanner", None)
            if keyword_scanner is not None:
                self.keywords[type_] = keyword_scanner.fullmatch
        self.ignore = basic_lexer.ignore_types
        self.newlines = basic_lexer.newline_types
        self.allowed = scanner.allowed_types - basic_lexer.ignore_types


class Driver:
    """Runs Lark's LALR table for the ``start`` rule over a text."""

    def __init__(self, lark: Lark):
        frontend = lark.parser
        inner = frontend.parser.parser
        table = inner.parse_table
        self.start_state = table.start_states["start"]
        self.end_state = table.end_states["start"]
        callbacks = inner.callbacks
        self.actions: dict[int, dict[str, tuple]] = {}
        for state, entries in table.states.items():
            compiled = {}
            for term, (action, arg) in entries.items():
                # Lark's names are Token subclasses of str: plain str keys hash and compare faster.
                if action is Shift:
                    compiled[str(term)] = (True, arg, None, None)
                else:
                    callback = callbacks[arg]
                    size = len(arg.expansion)
                    # `?rule: other` with one symbol: its value is its child's, nothing to call
                    # (about a third of all reductions: expr -> binexpr -> unary -> postfix)
                    unit = size == 1 and type(callback) is ExpandSingleChild
                    compiled[str(term)] = (False, size, str(arg.origin.name), None if unit else callback)
            self.actions[state] = compiled
        shared: dict[int, _StateLexer] = {}
        self.lexers: dict[int, _StateLexer] = {}
        for state, basic in frontend.lexer.lexers.items():
            key = id(basic)
            if key not in shared:
                shared[key] = _StateLexer(basic)
            self.lexers[state] = shared[key]
        # For naming what stands where nothing fits: every terminal but the catch-all words of
        # input filters, which would swallow anything.
        self.root_lexer = _StateLexer(frontend.lexer.root_lexer, frozenset({"FILTER_ARG", "FILTER_NAME"}))

    def _unexpected(self, text: str, pos: int, line: int, column: int, state: int) -> None:
        """No terminal of this state matches: name what is there (any terminal), if anything."""
        for regex in self.root_lexer.regexes:
            match = regex.match(text, pos)
            if match and match.lastgroup not in self.root_lexer.ignore:
                value = match.group(0)
                keyword = self.root_lexer.keywords.get(match.lastgroup)
                type_ = (keyword(value) if keyword else None) or match.lastgroup
                end_line = line + value.count("\n")
                end_column = len(value) - value.rfind("\n") if "\n" in value else column + len(value)
                token = Tok(type_, value, line, column, end_line, end_column, pos)
                raise ParseError(token, {name for name in self.actions[state] if name.isupper()})
        raise LexError(pos, line, column, self.lexers[state].allowed)

    def parse(self, text: str) -> Any:
        actions = self.actions
        lexers = self.lexers
        state_stack = [self.start_state]
        value_stack: list[Any] = []
        pos, line, column, length = 0, 1, 1, len(text)
        end_state = self.end_state
        while True:
            state = state_stack[-1]
            if pos < length:
                lexer = lexers[state]
                match = None
                for regex in lexer.regexes:
                    match = regex.match(text, pos)
                    if match:
                        break
                if match is None:
                    self._unexpected(text, pos, line, column, state_stack[-1])
                value = match.group(0)
                type_ = match.lastgroup
                size = len(value)
                if type_ in lexer.newlines and "\n" in value:
                    end_line = line + value.count("\n")
                    end_column = size - value.rfind("\n")
                else:
                    end_line, end_column = line, column + size
                if type_ in lexer.ignore:
                    pos += size
                    line, column = end_line, end_column
                    continue
                keyword = lexer.keywords.get(type_)
                if keyword is not None:
                    type_ = keyword(value) or type_
                token = Tok(type_, value, line, column, end_line, end_column, pos)
                pos += size
                line, column = end_line, end_column
            else:
                token = Tok("$END", "", line, column, line, column, pos)
            while True:
                entry = actions[state_stack[-1]].get(token.type)
                if entry is None:
                    expected = {name for name in actions[state_stack[-1]] if name.isupper()}
                    raise ParseError(token, expected)
                is_shift, arg, origin, callback = entry
                if is_shift:
                    state_stack.append(arg)
                    value_stack.append(token)
                    break
                if callback is None:  # a unit rule: the value stays, the state changes
                    state_stack.pop()
                    state_stack.append(actions[state_stack[-1]][origin][1])
                    if token.type == "$END" and state_stack[-1] == end_state:
                        return value_stack[-1]
                    continue
                if arg:
                    children = value_stack[-arg:]
                    del state_stack[-arg:]
                    del value_stack[-arg:]
                else:
                    children = []
                value_stack.append(callback(children))
                state_stack.append(actions[state_stack[-1]][origin][1])
                if token.type == "$END" and state_stack[-1] == end_state:
                    return value_stack[-1]
