"""A lean driver for the LALR tables and contextual lexer that Lark builds from our grammar.

Lark compiles ``grammar/xanoscript.lark`` (parse table, per-state lexer regexes, keyword
handling, the callbacks of the inline model builder); this module only runs them. It does what
Lark's own loop does, minus the bookkeeping we do not use (interactive parsing, token
callbacks, position propagation), which makes parsing about twice as fast: a workspace of a
thousand functions is read in a few seconds on one core. Beyond that:

- a reduction runs one function compiled from Lark's wrappers (:mod:`.reductions`), and a
  unit reduction (``?rule: other``) none;
- a token is made only for the terminals some rule keeps (not for line breaks, commas...);
- the spaces between tokens are skipped by the token's own regex, not matched on their own;
- a state's lexer is compiled when the state is first met.

Tokens are :class:`Tok` objects (a small slotted class), not Lark tokens.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable

from lark import Lark
from lark.lexer import Scanner

try:  # how Lark folds keywords into the NAME terminal; without it, spaces are matched apart
    from lark.lexer import _create_unless
except ImportError:  # pragma: no cover - another Lark version
    _create_unless = None
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift

from xanoctl.language.reductions import compile_reductions, kept_terminals
from xanoctl.language.tokens import Tok


class LexError(Exception):
    def __init__(self, pos: int, line: int, column: int, allowed: set[str]):
        super().__init__(f"unexpected character at {line}:{column}")
        self.pos, self.line, self.column, self.allowed = pos, line, column, allowed


class ParseError(Exception):
    def __init__(self, token: Tok, expected: set[str]):
        super().__init__(f"unexpected {token.type} at {token.line}:{token.column}")
        self.token, self.expected = token, expected


class _SkippingScanner(Scanner):
    """Lark's scanner for a set of terminals, its regex preceded by ``skip`` (optional)."""

    def __init__(self, terminals: list, flags: int, re_: Any, use_bytes: bool, skip: str):
        self.skip = skip
        super().__init__(terminals, flags, re_, use_bytes)

    def _build_mres(self, terminals: list, max_size: int) -> list:
        body = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals)
        return [self.re_.compile(f"(?:{self.skip})?(?:{body})", self.g_regex_flags)]


class _StateLexer:
    """The terminals one parser state accepts. With ``skip_ignored``, its regex first skips the
    ignored terminals (spaces between tokens), so that a token costs one match, not two; the
    token is then the named group that matched, at the end of the match."""

    __slots__ = ("regexes", "keywords", "ignore", "newlines", "allowed", "skip")

    def __init__(self, basic_lexer: Any, leave_out: frozenset[str] = frozenset(), skip_ignored: bool = False):
        self.ignore = basic_lexer.ignore_types
        self.newlines = basic_lexer.newline_types
        ignored = [t.pattern.to_regexp() for t in basic_lexer.terminals if t.name in self.ignore]
        self.skip = None
        if skip_ignored and ignored and _create_unless is not None and not self.ignore & self.newlines \
                and not getattr(basic_lexer, "user_callbacks", True):
            # what Lark's lexer does to build its scanner (keywords folded into NAME), with the
            # skip in front of its regex
            skip = "(?:" + "|".join(ignored) + ")+"
            terminals, callbacks = _create_unless(basic_lexer.terminals, basic_lexer.g_regex_flags,
                                                  basic_lexer.re, basic_lexer.use_bytes)
            scanner: Scanner = _SkippingScanner(terminals, basic_lexer.g_regex_flags, basic_lexer.re,
                                                basic_lexer.use_bytes, skip)
            self.skip = basic_lexer.re.compile(skip)
        else:
            scanner = basic_lexer.scanner  # builds the regexes and the keyword callbacks
            callbacks = basic_lexer.callback
            if leave_out:
                terminals = [t for t in basic_lexer.terminals if t.name not in leave_out]
                scanner = Scanner(terminals, basic_lexer.g_regex_flags, basic_lexer.re, basic_lexer.use_bytes)
        self.regexes = list(scanner._mres)
        self.keywords: dict[str, Callable[[str], str | None]] = {}
        for type_, callback in callbacks.items():
            keyword_scanner = getattr(callback, "scanner", None)
            if keyword_scanner is not None:
                self.keywords[type_] = keyword_scanner.fullmatch
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
        compiled = compile_reductions(callbacks, lark.options.transformer) or callbacks
        self.kept = kept_terminals(callbacks)
        self.actions: dict[int, dict[str, tuple]] = {}
        for state, entries in table.states.items():
            entry = {}
            for term, (action, arg) in entries.items():
                # Lark's names are Token subclasses of str: plain str keys hash and compare faster.
                if action is Shift:
                    entry[str(term)] = (True, arg, None, None)
                else:
                    callback = callbacks[arg]
                    size = len(arg.expansion)
                    # `?rule: other` with one symbol: its value is its child's, nothing to call
                    # (about a third of all reductions: expr -> binexpr -> unary -> postfix)
                    unit = size == 1 and type(callback) is ExpandSingleChild
                    entry[str(term)] = (False, size, str(arg.origin.name), None if unit else compiled[arg])
            self.actions[state] = entry
        # after a reduction, the state to go to from the state below, by the rule's name
        self.gotos = {state: {name: arg for name, (is_shift, arg, _, _) in entry.items() if is_shift and not name.isupper()}
                      for state, entry in self.actions.items()}
        # Each state's lexer is built the first time the state is met (compiling its regex is
        # most of the cost of loading the grammar, and a small file meets few states).
        self._basic_lexers = frontend.lexer.lexers
        self._shared: dict[int, _StateLexer] = {}
        self._root_basic = frontend.lexer.root_lexer
        self.scanners: dict[int, tuple] = {}
        basics = {id(basic): basic for basic in self._basic_lexers.values()}.values()
        self.newlines = frozenset().union(*(basic.newline_types for basic in basics))
        self.ignore = frozenset().union(*(basic.ignore_types for basic in basics))

    def lexer(self, state: int) -> _StateLexer:
        basic = self._basic_lexers[state]
        lexer = self._shared.get(id(basic))
        if lexer is None:
            lexer = self._shared[id(basic)] = _StateLexer(basic, skip_ignored=True)
        return lexer

    def _scanner(self, state: int) -> tuple:
        """What the loop needs of a state's lexer, at one lookup: its regex's match (one regex
        for our grammar, else None: the loop tries them in turn) and its keywords (or None)."""
        lexer = self.lexer(state)
        scanner = (lexer.regexes[0].match if len(lexer.regexes) == 1 else None, lexer.keywords or None)
        self.scanners[state] = scanner
        return scanner

    @cached_property
    def root_lexer(self) -> _StateLexer:
        """For naming what stands where nothing fits: every terminal but the catch-all words of
        input filters, which would swallow anything."""
        return _StateLexer(self._root_basic, frozenset({"FILTER_ARG", "FILTER_NAME"}))

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
        raise LexError(pos, line, column, self.lexer(state).allowed)

    def parse(self, text: str) -> Any:
        actions = self.actions
        kept, gotos = self.kept, self.gotos
        scanners, newlines, ignore = self.scanners, self.newlines, self.ignore
        state_stack = [self.start_state]
        value_stack: list[Any] = []
        pos, line, column, length = 0, 1, 1, len(text)
        end_state = self.end_state
        while True:
            state = state_stack[-1]
            if pos < length:
                try:
                    scan, keywords = scanners[state]
                except KeyError:
                    scan, keywords = self._scanner(state)
                if scan is not None:
                    match = scan(text, pos)
                else:
                    match = None
                    for regex in self.lexer(state).regexes:
                        match = regex.match(text, pos)
                        if match:
                            break
                if match is None:
                    skip = self.lexer(state).skip
                    skipped = skip.match(text, pos) if skip else None
                    if skipped:
                        column += skipped.end() - pos
                        pos = skipped.end()
                    self._unexpected(text, pos, line, column, state)
                type_ = match.lastgroup
                end = match.end()
                value = match.group(type_)
                start = end - len(value)
                if start != pos:  # spaces before the token (never a line break)
                    column += start - pos
                if type_ in newlines and "\n" in value:
                    end_line = line + value.count("\n")
                    end_column = len(value) - value.rfind("\n")
                else:
                    end_line, end_column = line, column + len(value)
                pos = end
                if type_ in ignore:
                    line, column = end_line, end_column
                    continue
                if keywords is not None:
                    keyword = keywords.get(type_)
                    if keyword is not None:
                        type_ = keyword(value) or type_
            else:
                type_, value, start, end_line, end_column = "$END", "", pos, line, column
            while True:
                entry = actions[state_stack[-1]].get(type_)
                if entry is None:
                    expected = {name for name in actions[state_stack[-1]] if name.isupper()}
                    raise ParseError(Tok(type_, value, line, column, end_line, end_column, start), expected)
                is_shift, arg, origin, callback = entry
                if is_shift:
                    state_stack.append(arg)
                    # a token no rule keeps (line breaks, most punctuation) is never made
                    value_stack.append(Tok(type_, value, line, column, end_line, end_column, start)
                                       if type_ in kept else None)
                    break
                if callback is None:  # a unit rule: the value stays, the state changes
                    state_stack[-1] = gotos[state_stack[-2]][origin]
                    if type_ == "$END" and state_stack[-1] == end_state:
                        return value_stack[-1]
                    continue
                if arg:
                    children = value_stack[-arg:]
                    del state_stack[-arg:]
                    del value_stack[-arg:]
                else:
                    children = []
                value_stack.append(callback(children))
                state_stack.append(gotos[state_stack[-1]][origin])
                if type_ == "$END" and state_stack[-1] == end_state:
                    return value_stack[-1]
            line, column = end_line, end_column
