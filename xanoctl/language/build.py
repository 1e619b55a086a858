"""Build the model of :mod:`xanoctl.language.model` from the grammar's rules, while parsing.

:class:`ModelBuilder` is an inline Lark transformer: each method is called when its rule is
reduced and receives the already-built children (tokens or model objects). It keeps no state.
:func:`check_document` then applies the few rules that the grammar's general shapes leave out
(``else if``, branch placement) and collects the older-beta forms for XS002.
"""

from __future__ import annotations

import re
from typing import Any

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.tokens import Tok as Token
from xanoctl.language.model import (
    Alias, ArrayLit, Backtick, Binary, Cast, Document, Expr, Filter, Filtered, InputField, Literal,
    Member, ObjectEntry, ObjectLit, Pos, Setting, Statement, Ternary, Unary, Variable,
)


_tuple = tuple.__new__  # makes a Pos without the Python-level __new__ of a NamedTuple


def tok_pos(token: Token) -> Pos:
    return _tuple(Pos, (token.line, token.column, token.end_line, token.end_column))


def span(first: Pos, last: Pos) -> Pos:
    return _tuple(Pos, (first.line, first.column, last.end_line, last.end_column))


def pos_of(item: Any) -> Pos:
    """Where a rule's child stands: a token, or a model object or Part (``.pos``)."""
    return tok_pos(item) if isinstance(item, Token) else item.pos


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"', "'": "'"}


def unquote(raw: str) -> str:
    body = raw[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and i + 6 <= len(body):
                try:
                    out.append(chr(int(body[i + 2:i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def text_block_value(raw: str) -> str:
    """The content of a ``\"\"\"`` block: the lines between the opening and closing quotes."""
    inner = raw[3:-3]
    first_newline = inner.find("\n")
    inner = inner[first_newline + 1:]
    last_newline = inner.rfind("\n")
    return inner[:last_newline].replace("\r\n", "\n") if last_newline >= 0 else ""


def number_value(raw: str) -> int | float:
    return float(raw) if "." in raw else int(raw)


class Part:
    """A tagged piece of a larger rule (kind, target, args...), unwrapped by its parent."""

    __slots__ = ("tag", "value", "pos", "extra")

    def __init__(self, tag: str, value: Any, pos: Pos, extra: Any = None):
        self.tag, self.value, self.pos, self.extra = tag, value, pos, extra


class ModelBuilder:
    # ------------------------------------------------------------------ documents

    def start(self, children):
        return children[0]

    def document(self, children):
        kind_token = children[0]
        document = Document(kind=kind_token.value, name=None, pos=tok_pos(kind_token))
        last = tok_pos(kind_token)
        for child in children[1:]:
            last = pos_of(child)
            if isinstance(child, Token):
                continue
            if isinstance(child, Part):
                if child.tag == "doc_name":
                    document.name, document.name_quoted = child.value, child.extra
                    document.name_pos = child.pos
                elif child.tag == "doc_verb":
                    document.verb = child.value
                elif child.tag == "input":
                    if document.inputs is None:
                        document.inputs = []
                    document.inputs.extend(child.value)
                elif child.tag == "schema":
                    if document.schema is None:
                        document.schema = []
                    document.schema.extend(child.value)
            elif isinstance(child, Setting):
                document.settings.append(child)
            elif isinstance(child, Statement):
                if child.kind == "stack" and child.target is None and not child.args:
                    document.stack = (document.stack or []) + child.body
                    document.stack_pos = child.pos
                else:
                    document.blocks.append(child)
        document.pos = span(document.pos, last)
        return document

    def doc_name(self, children):
        token = children[0]
        if token.type == "STRING":
            return Part("doc_name", unquote(token.value), tok_pos(token), True)
        return Part("doc_name", token.value, tok_pos(token), False)

    def doc_verb(self, children):
        token = children[0]
        return Part("doc_verb", token.value, tok_pos(token))

    def input_clause(self, children):
        if len(children) == 1:  # `input` alone: no inputs
            return Part("input", [], tok_pos(children[0]))
        fields = children[1]
        return Part("input", fields.value, span(tok_pos(children[0]), fields.pos))

    def schema_clause(self, children):
        fields = children[1]
        return Part("schema", fields.value, span(tok_pos(children[0]), fields.pos))

    def empty_schema(self, children):
        return Part("schema", [], tok_pos(children[0]))

    # ------------------------------------------------------------------ fields

    def fields(self, children):
        fields = [child for child in children if isinstance(child, InputField)]
        return Part("fields", fields, span(tok_pos(children[0]), tok_pos(children[-1])))

    def field(self, children):
        type_token = children[0]
        field = InputField(type=type_token.value, name=None, pos=tok_pos(type_token))
        last = field.pos
        for child in children[1:]:
            last = pos_of(child)
            if isinstance(child, Part):
                tag = child.tag
                if tag == "array":
                    field.array = child.value
                elif tag == "nullable":
                    field.nullable = True
                elif tag == "optional":
                    field.optional = True
                elif tag == "field_name":
                    field.name = child.value
                elif tag == "default":
                    field.default = child.value
                elif tag == "filters":
                    field.filters = child.value
                elif tag == "field_block":
                    field.settings, field.fields = child.value
        field.pos = span(field.pos, last)
        return field

    def array_marker(self, children):
        bound = children[0].value if children else ""
        pos = children[0].pos if children else Pos(0, 0, 0, 0)
        return Part("array", f"[{bound}]", pos)

    def array_bound(self, children):
        text = ""
        for child in children:
            text += child.value
        pos = tok_pos(children[0]) if children else Pos(0, 0, 0, 0)
        return Part("bound", text, pos)

    def nullable_mark(self, children):
        return Part("nullable", True, tok_pos(children[0]))

    def optional_mark(self, children):
        return Part("optional", True, tok_pos(children[0]))

    def field_name(self, children):
        token = children[0]
        value = unquote(token.value) if token.type == "STRING" else token.value
        return Part("field_name", value, tok_pos(token))

    def field_default(self, children):
        value = children[0]
        if isinstance(value, Token):
            value = Literal("ident", value.value, tok_pos(value), value.value)
        return Part("default", value, value.pos)

    def field_filters(self, children):
        filters = [child for child in children if isinstance(child, Filter)]
        return Part("filters", filters, span(filters[0].pos, filters[-1].pos))

    def input_filter(self, children):
        return self.filter(children)

    def field_block(self, children):
        settings = [child for child in children if isinstance(child, Setting)]
        nested: list[InputField] = []
        for child in children:
            if isinstance(child, Part) and child.tag == "schema":
                nested.extend(child.value)
        pos = span(tok_pos(children[0]), tok_pos(children[-1]))
        return Part("field_block", (settings, nested), pos)

    # ------------------------------------------------------------------ statements

    def statement(self, children):
        disabled = isinstance(children[0], Token) and children[0].type == "BANG"
        parts = children[1:] if disabled else children
        kind = parts[0]
        statement = Statement(kind=kind.value, pos=tok_pos(children[0]) if disabled else kind.pos, disabled=disabled)
        last = kind.pos
        for part in parts[1:]:
            last = part.pos
            tag = part.tag
            if tag == "target":
                statement.target, statement.target_quoted = part.value, part.extra
                statement.target_pos = part.pos
            elif tag == "verb":
                statement.verb = part.value
            elif tag == "args":
                statement.args = part.value
            elif tag == "guard":
                statement.guard = part.value
                statement_guard_pos = part.extra
                if statement.kind == "else":
                    raise XanoSyntaxError(
                        "`else if` is not XanoScript: write `elseif (...) {` on its own line",
                        line=statement.pos.line, column=statement.pos.column,
                        end_line=statement_guard_pos.end_line, end_column=statement_guard_pos.end_column,
                        text="else if",
                    )
            elif tag == "block":
                statement.has_block = True
                statement.alias_before_block = statement.alias is not None
                for item in part.value:
                    if isinstance(item, Setting):
                        statement.settings.append(item)
                    else:
                        statement.body.append(item)
            elif tag == "alias":
                statement.alias = part.value
            elif tag == "break":
                statement.then_break = True
        statement.pos = span(statement.pos, last)
        return statement

    def stmt_kind(self, children):
        name = ".".join([token.value for token in children])
        return Part("kind", name, span(tok_pos(children[0]), tok_pos(children[-1])))

    def stmt_target(self, children):
        token = children[0]
        if not isinstance(token, Token):  # a variable, with its member and index steps
            return Part("target", token, token.pos, False)
        if token.type == "STRING":
            return Part("target", unquote(token.value), tok_pos(token), True)
        if token.type == "NUMBER":
            return Part("target", Literal("number", number_value(token.value), tok_pos(token), token.value),
                         tok_pos(token), False)
        return Part("target", token.value, tok_pos(token), False)

    def stmt_break(self, children):
        return Part("break", True, tok_pos(children[0]))

    def stmt_verb(self, children):
        return Part("verb", children[0].value, tok_pos(children[0]))

    def stmt_args(self, children):
        args = [child for child in children if not isinstance(child, Token)]
        return Part("args", args, span(args[0].pos, args[-1].pos))

    def stmt_guard(self, children):
        if_token, expr = children[0], children[-1]
        return Part("guard", expr, span(tok_pos(if_token), expr.pos), tok_pos(if_token))

    def stmt_block(self, children):
        pos = span(tok_pos(children[0]), tok_pos(children[-1]))
        return Part("block", [child for child in children[1:-1] if not isinstance(child, Token)], pos)

    def alias(self, children):
        head = children[0]
        path: list[str] = []
        filters: list[Filter] = []
        for child in children[1:]:
            if isinstance(child, Filter):
                filters.append(child)
            elif isinstance(child, Token) and child.type == "NAME":
                path.append(child.value)
        legacy = head.type == "NAME"
        name = head.value if not legacy else "$" + head.value
        last = pos_of(children[-1]) if not (isinstance(children[-1], Token) and children[-1].type in ("PIPE", "NL_PIPE")) else tok_pos(head)
        alias = Alias(name=name, path=path, filters=filters, legacy=legacy, pos=span(tok_pos(head), last))
        return Part("alias", alias, alias.pos)

    def setting(self, children):
        key, value = children
        return Setting(key.value, value, tok_pos(key))

    # ------------------------------------------------------------------ expressions

    def ternary(self, children):
        cond, then, otherwise = children
        return Ternary(cond, then, otherwise, span(cond.pos, otherwise.pos))

    def binexpr(self, children):
        """``a op b op c ...`` as one flat list: apply precedence (all operators left-assoc)."""
        operands: list[Expr] = []
        operators: list[tuple[str, int]] = []
        pending: list[str] = []
        for child in children:
            if isinstance(child, Token):
                pending.append(child.value.lower())
                continue
            if pending:
                op = " ".join(pending).replace(" ?", "?")
                pending = []
                precedence = _PRECEDENCE.get(op, _COMPARISON)
                while operators and operators[-1][1] >= precedence:
                    _reduce(operands, operators.pop()[0])
                operators.append((op, precedence))
            operands.append(child)
        while operators:
            _reduce(operands, operators.pop()[0])
        return operands[0]

    def not_(self, children):
        bang, operand = children
        return Unary("!", operand, span(tok_pos(bang), operand.pos))

    def cast(self, children):
        bang, type_token, value_token = children
        value = self._string_like(value_token)
        return Cast(type_token.value, value, span(tok_pos(bang), value.pos))

    def filtered(self, children):
        value = children[0]
        filters = [child for child in children[1:] if isinstance(child, Filter)]
        return Filtered(value, filters, span(value.pos, filters[-1].pos))

    def filter(self, children):
        disabled = isinstance(children[0], Token) and children[0].type == "BANG"
        rest = children[1:] if disabled else children
        name = rest[0]
        args = [_as_literal(arg) for arg in rest[1:]]
        last = args[-1].pos if args else tok_pos(name)
        return Filter(name.value, args, disabled, span(pos_of(children[0]), last))

    def ident(self, children):
        token = children[0]
        return Literal("ident", token.value, tok_pos(token), token.value)

    def member(self, children):
        obj, token = children
        text = token.value
        pos = span(obj.pos, tok_pos(token))
        if token.type == "NAME":
            return name_member(obj, text, pos)
        if token.type == "STRING":
            keys = [unquote(text)]
        elif token.type == "NUMBER":
            keys = text.split(".")
        else:
            keys = [text]
        expr = obj
        for key in keys:
            expr = Member(expr, key, pos)
        return expr

    def index(self, children):
        """``obj[key]`` and ``obj.[key]``; a static key is kept as a str (``$a["x"]`` is ``$a.x``)."""
        obj, key, close = children
        pos = span(obj.pos, tok_pos(close))
        static = isinstance(key, Literal) and key.kind in ("string", "number") and not isinstance(key.value, float)
        if isinstance(obj, Variable) and obj.name == "$":  # `$["name"]`: the variable `$name`
            if static and _IDENTIFIER.fullmatch(str(key.value)):
                return Variable("$" + str(key.value), pos)
            obj = Variable("$var", obj.pos)
        return Member(obj, str(key.value) if static else key, pos)

    def string(self, children):
        token = children[0]
        return Literal("string", unquote(token.value), tok_pos(token), token.value)

    def text_block(self, children):
        token = children[0]
        return Literal("text", text_block_value(token.value), tok_pos(token), token.value)

    def number(self, children):
        token = children[0]
        return Literal("number", number_value(token.value), tok_pos(token), token.value)

    def timestamp(self, children):
        token = children[0]
        return Literal("timestamp", token.value, tok_pos(token), token.value)

    def true(self, children):
        return Literal("bool", True, tok_pos(children[0]), "true")

    def false(self, children):
        return Literal("bool", False, tok_pos(children[0]), "false")

    def null(self, children):
        return Literal("null", None, tok_pos(children[0]), "null")

    def now(self, children):
        return Literal("now", "now", tok_pos(children[0]), "now")

    def var(self, children):
        return _variable(children[0])

    def backtick(self, children):
        token = children[0]
        text = token.value
        code = text[3:-3] if text.startswith("```") else text[1:-1].replace("\\`", "`")
        return Backtick(code, tok_pos(token))

    def object_lit(self, children):
        entries = [child for child in children if isinstance(child, ObjectEntry)]
        return ObjectLit(entries, span(tok_pos(children[0]), tok_pos(children[-1])))

    def obj_entry(self, children):
        if len(children) == 3:  # `!key: value`
            bang, key, value = children
            return ObjectEntry(key.value, value, span(tok_pos(bang), key.pos), disabled=True)
        key, value = children
        return ObjectEntry(key.value, value, key.pos)

    def obj_key(self, children):
        token = children[0]
        if token.type == "STRING":
            return Part("key", unquote(token.value), tok_pos(token))
        text = ".".join([child.value for child in children])
        return Part("key", text, span(tok_pos(children[0]), tok_pos(children[-1])))

    def array_lit(self, children):
        items = [child for child in children if not isinstance(child, Token)]
        return ArrayLit(items, span(tok_pos(children[0]), tok_pos(children[-1])))

    @staticmethod
    def _string_like(token: Token) -> Literal:
        if token.type == "TEXT_BLOCK":
            return Literal("text", text_block_value(token.value), tok_pos(token), token.value)
        return Literal("string", unquote(token.value), tok_pos(token), token.value)


_COMPARISON = 4
_PRECEDENCE = {"??": 1, "||": 2, "&&": 3, "~": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7}


def _reduce(operands: list[Expr], op: str) -> None:
    right = operands.pop()
    left = operands.pop()
    operands.append(Binary(op, left, right, span(left.pos, right.pos)))


def name_member(obj: Expr, name: str, pos: Pos) -> Expr:
    """``obj.name``; the long form ``$var.x`` is the variable ``$x``."""
    if isinstance(obj, Variable) and obj.name == "$var":
        return Variable("$" + name, pos)
    return Member(obj, name, pos)


def _variable(token: Token) -> Variable:
    return Variable(token.value, tok_pos(token))


def _as_literal(arg: Any) -> Expr:
    """A filter argument given as a bare token (an identifier, or an input filter's word)."""
    if not isinstance(arg, Token):
        return arg
    raw = arg.value
    pos = tok_pos(arg)
    if arg.type == "STRING" or (arg.type == "FILTER_ARG" and raw[:1] == '"'):
        return Literal("string", unquote(raw), pos, raw)
    if arg.type == "NUMBER" or (arg.type == "FILTER_ARG" and _NUMBER.fullmatch(raw)):
        return Literal("number", number_value(raw), pos, raw)
    return Literal("ident", raw, pos, raw)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# ---------------------------------------------------------------------- checks after parsing

_BRANCHES = {"if", "elseif", "else"}


def check_document(document: Document, path: str) -> None:
    """Structural rules of XanoScript beyond the general shapes, and legacy-form collection."""
    legacy = document.legacy
    if document.name and not document.name_quoted and "/" in document.name:
        legacy.append((f'unquoted name `{document.name}`: write `{document.kind} "{document.name}"`',
                       document.name_pos or document.pos))
    for block in document.blocks:
        if block.kind == "response" and block.has_block:
            legacy.append(("`response { value = ... }` is the older form: write `response = ...`", block.pos))
        elif block.kind == "schedule" and block.has_block:
            legacy.append(("`schedule { events = [...] }` is the older form: write `schedule = [...]`", block.pos))
    security = document.setting("security")
    if document.kind == "table" and security is not None:
        legacy.append(('table `security = { guid: ... }` is the older form: write `guid = "..."` as a clause', security.pos))
    top_level = list(document.stack or []) + list(document.blocks)
    _check_statements(top_level, path, legacy)
    legacy.sort(key=lambda item: (item[1].line, item[1].column))


def _check_statements(statements: list[Statement], path: str, legacy: list) -> None:
    """Each statement under ``statements`` in order, checked for its place (``elseif`` and
    ``else`` only inside ``conditional``, nothing else there) and its older forms collected."""
    stack: list[tuple[Statement, str | None]] = [(item, None) for item in reversed(statements)]
    while stack:
        statement, parent = stack.pop()
        kind = statement.kind
        if kind in ("elseif", "else") and parent != "conditional":
            raise XanoSyntaxError(
                f"`{kind}` must follow an `if` inside `conditional {{ ... }}`",
                path=path, line=statement.pos.line, column=statement.pos.column,
                end_line=statement.pos.line, end_column=statement.pos.column + len(kind), text=kind,
            )
        if parent == "conditional" and kind not in _BRANCHES:
            raise XanoSyntaxError(
                f"expected `if`, `elseif`, `else` or `}}` inside `conditional`, found `{kind}`",
                path=path, line=statement.pos.line, column=statement.pos.column,
                end_line=statement.pos.line, end_column=statement.pos.column + len(kind), text=kind,
            )
        _collect_legacy(statement, legacy)
        if statement.body:  # most statements have none
            stack.extend((child, kind) for child in reversed(statement.body))


def _collect_legacy(statement: Statement, legacy: list) -> None:
    kind = statement.kind
    alias = statement.alias
    if alias is not None and alias.legacy:
        legacy.append((f"`as {alias.name[1:]}` is the older form: write `as {alias.name}`", alias.pos))
    if kind not in _LEGACY_KINDS and not kind.startswith("db."):  # most statements
        return
    if kind in ("var", "var.update") and isinstance(statement.target, str) and not statement.target_quoted:
        legacy.append((f"`{kind} {statement.target}` is the older form: write `{kind} ${statement.target}`",
                       _head(statement)))
    if kind == "precondition" and statement.guard is not None and not statement.args:
        legacy.append(("`precondition if (...)` is the older form: write `precondition (...) {`", _head(statement)))
    if kind.startswith("db.") and isinstance(statement.target, Literal) and statement.target.kind == "number":
        legacy.append((f"`{kind} {statement.target.raw}` uses a numeric table id: write the table's name",
                       _head(statement)))
    if kind == "db.query" and statement.setting("search") is not None:
        legacy.append(("`search = ...` in `db.query` is the older form: write `where = ...`", statement.setting("search").pos))
    if kind in ("function.run", "function.call") and isinstance(statement.target, str) \
            and not statement.target_quoted and "/" in statement.target:
        legacy.append((f'unquoted name `{statement.target}`: write `{kind} "{statement.target}"`', _head(statement)))


_LEGACY_KINDS = frozenset({"var", "var.update", "precondition", "function.run", "function.call"})  # and db.*


def _head(statement: Statement) -> Pos:
    """Where a statement's kind stands (its `!` included)."""
    start = statement.pos
    return Pos(start.line, start.column, start.line,
               start.column + len(statement.kind) + (1 if statement.disabled else 0))
