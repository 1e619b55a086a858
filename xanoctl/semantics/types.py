"""The value types of a document's expressions, where they can be known.

A type is one of ``int``, ``decimal``, ``text``, ``bool``, ``timestamp``, ``list``,
``object`` and ``null``; ``None`` means unknown, and a rule never reports an unknown type.
Known are: literals and casts; the type-changing filters (``to_int``, ``to_text``, ``count``,
``json_encode``...); comparisons, tests and arithmetic; the declared ``$input`` fields; the
results of ``db.query`` (by its ``return`` type: list, single row, count, exists, paged),
``db.get``, ``db.add``, ``db.edit``... and of a few other statements; and a variable, when every
value it is given has the same known type (``null`` aside: a variable that starts as ``null``
takes the type it is given later). ``function.run`` results are left to the workspace index.

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  input {\\n    text user_id\\n  }\\n  stack {\\n'
...     '    var $id { value = $input.user_id|to_int }\\n    db.query t {\\n      return = {type: "count"}\\n'
...     '    } as $n\\n  }\\n  response = null\\n}\\n')
>>> types = Types(doc)
>>> types.variable("$id"), types.variable("$n"), types.origin("$n")
('int', 'int', 'a db.query count')
"""

from __future__ import annotations

from xanoctl.language.model import (
    ArrayLit, Binary, Cast, Document, Expr, Filtered, Literal, Member, ObjectLit, Statement, Ternary, Unary,
    Variable,
)
from xanoctl.semantics.inputs import Field, Inputs, declared_inputs
from xanoctl.semantics.variables import Variables, variables

NUMBERS = frozenset({"int", "decimal"})

# the type a declared field (an input or a column) holds
_DECLARED = {
    "int": "int", "decimal": "decimal", "bool": "bool", "timestamp": "timestamp",
    "text": "text", "email": "text", "password": "text", "uuid": "text", "enum": "text", "date": "text",
    "object": "object", "file": "object", "image": "object", "video": "object", "audio": "object",
    "attachment": "object", "vector": "list",
}

# the type a filter gives, whatever it is given
_FILTERS = {
    "to_int": "int", "count": "int", "strlen": "int",
    "to_decimal": "decimal",
    "to_text": "text", "json_encode": "text", "to_lower": "text", "to_upper": "text", "trim": "text",
    "ltrim": "text", "rtrim": "text", "capitalize": "text", "join": "text", "concat": "text",
    "sprintf": "text", "replace": "text", "substr": "text", "format_timestamp": "text", "url_encode": "text",
    "url_decode": "text", "base64_encode": "text", "md5": "text", "sha1": "text", "sha256": "text",
    "sha384": "text", "sha512": "text",
    "to_bool": "bool", "is_empty": "bool", "is_null": "bool", "is_array": "bool", "is_object": "bool",
    "is_text": "bool", "is_int": "bool", "is_decimal": "bool", "is_bool": "bool", "not": "bool",
    "equals": "bool", "contains": "bool", "starts_with": "bool", "ends_with": "bool", "has": "bool",
    "in": "bool",
    "to_timestamp": "timestamp",
    "keys": "list", "values": "list", "split": "list", "map": "list", "filter": "list", "sort": "list",
    "unique": "list", "reverse": "list", "slice": "list", "push": "list",
    "safe_array": "list",
}

_CASTS = {"int": "int", "decimal": "decimal", "text": "text", "bool": "bool", "timestamp": "timestamp",
          "array": "list", "object": "object"}
_TESTS = frozenset({"==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||"})
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})

# what other statements give their `as` variable
_RESULTS = {
    "db.get": "object", "db.add": "object", "db.edit": "object", "db.patch": "object",
    "db.add_or_edit": "object", "db.has": "bool", "db.count": "int",
    "array.filter": "list", "array.map": "list", "array.merge": "list", "array.union": "list",
    "array.intersection": "list", "array.difference": "list", "array.find_index": "int",
    "array.filter_count": "int", "array.every": "bool", "array.has": "bool",
    "text.contains": "bool", "text.starts_with": "bool", "text.ends_with": "bool",
    "object.keys": "list", "object.values": "list", "object.entries": "list",
    "security.create_uuid": "text", "api.request": "object",
}
_ROWS = {"db.get": "a db.get row", "db.add": "a db.add row", "db.edit": "a db.edit row",
         "db.patch": "a db.patch row", "db.add_or_edit": "a db.add_or_edit row", "db.has": "a db.has test"}


def declared_type(type_: str, array: str | None = None) -> str | None:
    """The value type a declared field holds (``text`` for ``email``, ``list`` for an array)."""
    if array:
        return "list"
    return _DECLARED.get(type_)


def combine(types: list[str | None]) -> str | None:
    """One type for values that may be any of ``types``: ``null`` aside, all the same (or
    numbers, as ``decimal``); else unknown."""
    found = {t for t in types if t != "null"}
    if None in found:
        return None
    if not found:
        return "null" if types else None
    if len(found) == 1:
        return found.pop()
    if found <= NUMBERS:
        return "decimal"
    return None


def query_result(stmt: Statement) -> tuple[str | None, str]:
    """What ``db.query ... as $x`` holds, by its ``return``: (type, description)."""
    value = stmt.value("return")
    kind = "list"
    paged = False
    if isinstance(value, ObjectLit):
        type_ = value.get("type")
        if isinstance(type_, Literal) and isinstance(type_.value, str):
            kind = type_.value
        elif type_ is not None:
            return None, "a db.query result"
        paged = value.get("paging") is not None
    if kind == "list" and paged:
        return "object", "a paged db.query result"
    return {"list": ("list", "a db.query list"), "single": ("object", "a db.query row"),
            "count": ("int", "a db.query count"), "exists": ("bool", "a db.query test"),
            }.get(kind, (None, "a db.query result"))


class Types:
    """The value types of one document (computed on demand, each variable once)."""

    def __init__(self, doc: Document, found: Variables | None = None, inputs: Inputs | None = None):
        self.doc = doc
        self.vars = found if found is not None else variables(doc)
        self.inputs = inputs if inputs is not None else declared_inputs(doc)
        self._vars: dict[str, str | None] = {}

    # ------------------------------------------------------------------ variables

    def variable(self, name: str) -> str | None:
        if name in self._vars:
            return self._vars[name]
        self._vars[name] = None  # guards against cycles: `var $a { value = $a + 1 }`
        bindings = [b for b in self.vars.bindings.get(name, ()) if b.live]
        found: list[str | None] = []
        for binding in bindings:
            found.append(self._bound(binding.stmt, binding.kind))
        for stmt in self.vars.updates.get(name, ()):
            found.append(self._updated(stmt, name))
        result = combine(found) if bindings else None
        self._vars[name] = result
        return result

    def origin(self, name: str) -> str | None:
        """What a variable holds when all its values come from one kind of statement that is
        not a literal (``a db.query list``), for messages; else None."""
        bindings = [b for b in self.vars.bindings.get(name, ()) if b.live]
        if not bindings or self.vars.updates.get(name):
            return None
        texts = set()
        for binding in bindings:
            stmt = binding.stmt
            if binding.kind != "as" or stmt.alias is None or stmt.alias.filters or stmt.alias.path:
                return None
            if stmt.kind == "db.query":
                texts.add(query_result(stmt)[1])
            elif stmt.kind in _ROWS:
                texts.add(_ROWS[stmt.kind])
            else:
                return None
        return texts.pop() if len(texts) == 1 else None

    def _bound(self, stmt: Statement, kind: str) -> str | None:
        if kind == "var":
            value = stmt.value("value")
            return self.of(value) if value is not None else None
        if kind == "each":
            return None
        alias = stmt.alias
        if alias is None or alias.path:
            return None
        if stmt.kind == "db.query":
            base = query_result(stmt)[0]
        else:
            base = _RESULTS.get(stmt.kind)
        if alias.filters:
            return self._filtered(base, alias.filters)
        return base

    def _updated(self, stmt: Statement, name: str) -> str | None:
        kind = stmt.kind
        value = stmt.value("value")
        if kind == "var.update":
            return self.of(value) if value is not None else None
        if kind.startswith("math."):
            given = self.of(value) if value is not None else None
            return given if given in NUMBERS else None
        if kind.startswith("text."):
            return "text"
        if kind in ("array.push", "array.unshift", "array.pop", "array.shift", "array.merge"):
            return "list"
        return None

    # ------------------------------------------------------------------ expressions

    def of(self, expr: Expr) -> str | None:
        if isinstance(expr, Literal):
            return _literal(expr)
        if isinstance(expr, Variable):
            if expr.name == "$input":
                return "object"
            if expr.name.startswith("$") and expr.name[1:] in ("auth", "env", "db", "this", "index", "output",
                                                               "error", "response", "$"):
                return None
            return self.variable(expr.name)
        if isinstance(expr, Member):
            found = self.input_field(expr)
            return declared_type(found.type, found.array) if found is not None else None
        if isinstance(expr, Filtered):
            return self._filtered(self.of(expr.value), expr.filters)
        if isinstance(expr, ObjectLit):
            return "object"
        if isinstance(expr, ArrayLit):
            return "list"
        if isinstance(expr, Cast):
            return _CASTS.get(expr.type)
        if isinstance(expr, Binary):
            return self._binary(expr)
        if isinstance(expr, Unary):
            if expr.op == "!":
                return "bool"
            operand = self.of(expr.operand)
            return operand if operand in NUMBERS else None
        if isinstance(expr, Ternary):
            return combine([self.of(expr.then), self.of(expr.otherwise)])
        return None

    def input_field(self, expr: Expr) -> Field | None:
        """The declared field ``$input.a`` (or ``$input.a.b`` in an object's schema) reads."""
        keys: list[str] = []
        node = expr
        while isinstance(node, Member):
            if isinstance(node.key, str):
                keys.append(node.key)
            elif isinstance(node.key, Literal) and isinstance(node.key.value, str):
                keys.append(node.key.value)
            else:
                return None
            node = node.obj
        if not (isinstance(node, Variable) and node.name == "$input") or not keys:
            return None
        fields: dict[str, Field] | None = self.inputs.fields
        found = None
        for key in reversed(keys):
            if fields is None or (found is not None and found.array):
                return None
            found = fields.get(key)
            if found is None:
                return None
            fields = found.fields
        return found

    def _filtered(self, base: str | None, filters) -> str | None:
        result = base
        for flt in filters:
            if flt.disabled:
                continue
            result = _FILTERS.get(flt.name)
        return result

    def _binary(self, expr: Binary) -> str | None:
        op = expr.op
        if op in _TESTS:
            return "bool"
        if op == "~":
            return "text"
        if op == "??":
            return combine([self.of(expr.left), self.of(expr.right)])
        if op in _ARITHMETIC:
            left, right = self.of(expr.left), self.of(expr.right)
            if left in NUMBERS and right in NUMBERS:
                return "int" if left == right == "int" and op != "/" else "decimal"
        return None


def _literal(expr: Literal) -> str | None:
    kind = expr.kind
    if kind in ("string", "text"):
        return "text"
    if kind == "number":
        return "int" if isinstance(expr.value, int) else "decimal"
    if kind == "bool":
        return "bool"
    if kind == "null":
        return "null"
    if kind in ("now", "timestamp"):
        return "timestamp"
    return None
