"""Credentials written into a document, and how to show them without giving them away.

A string literal is a secret when it holds a token with a known prefix (``sk_live_``,
``xoxb-``, ``ghp_``, ``AKIA``...), a bearer or basic token in a header string
(``"Authorization: Bearer ..."``), a private key block, or when it is the value of a key,
setting, input or variable named like a credential (``api_key``, ``token``, ``secret``,
``password``, ``authorization``, ``private_key``, ``certificate_pass``...) and has the shape of
one (long, mixed letters and digits, high entropy). Placeholders (``xxx``, ``your-key-here``,
``test``), ``$env.X`` and text joined with other values (``"Bearer " ~ $env.TOKEN``) are not.

Every report shows at most the first four characters of a secret (:func:`masked`).

>>> from xanoctl.language.parser import parse_document
>>> doc = parse_document('function "a" {\\n  stack {\\n    api.request {\\n      url = "https://x"\\n'
...                      '      headers = ["Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"]\\n'
...                      '    } as $r\\n  }\\n}\\n')
>>> [(s.key, s.kind, s.shown, s.pos.column) for s in secrets(doc)]
[('Authorization', 'bearer', '9f8e', 41)]
>>> from xanoctl.semantics.masking import masked
>>> masked("9f8e7d6c5b4a39281706f5e4d3c2b1a0")
'9f8e****************************'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain
from dataclasses import dataclass
from xanoctl.semantics.masking import PREFIXED, SCHEME, SHOWN
from xanoctl.language.model import (
    ArrayLit, Binary, Cast, Document, Expr, Filtered, Literal, Member, ObjectLit, Pos, Ternary, Unary,
    Variable, walk_expr,
)


# key, setting, input and variable names that hold credentials
_KEY = re.compile(
    r"api[_-]?key|apikey|access[_-]?key|secret|token|passw(or)?d|passphrase|authorization|"
    r"private[_-]?key|certificate[_-]?pass|client[_-]?secret|credential|signing[_-]?key|webhook[_-]?key",
    re.IGNORECASE)
# names that contain one of those words but do not hold a credential
_NOT_KEY = re.compile(r"(token|secret|key)[_-]?(type|url|uri|endpoint|name|id|count|length|expir\w*|ttl|"
                      r"header|field|param|path|prefix|used|limit)s?$|^(is|has|use)[_-]", re.IGNORECASE)
_HEADER = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$")
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")
_PLACEHOLDER = re.compile(
    r"x{3,}|\*{3,}|\.\.\.|your|here|example|placeholder|change[_-]?me|dummy|sample|fake|redacted|insert|"
    r"replace|todo|<|>|\{\{|\$\{|^test$|^(test|demo|secret|password|token)[_-]?\d*$",
    re.IGNORECASE)
# object settings whose tokens Xano generates and exports itself (the API group's `swagger`
# token guarding its documentation page): not written into code, nothing to move to $env
_GENERATED = frozenset({"swagger"})
_SHORTEST = 15  # no secret found here is shorter (`xoxb-` and ten characters)
_ANY_SECRET_NAME = "api_key"  # a name that makes a credential-shaped value a secret
_SHAPE = re.compile(r"[A-Za-z0-9+/=_.~-]+")
_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[A-Za-z]")
_HINT = re.compile(r":|PRIVATE KEY|Bearer|Basic|Token")  # see _may_be_secret


@dataclass(frozen=True, slots=True)
class Secret:
    """One credential. ``pos`` covers the secret itself (inside its string literal, when the
    literal stands on one line); ``key`` is the name it is the value of, if any; ``kind``:
    ``prefixed`` (known format), ``bearer``, ``basic``, ``private_key`` or ``value`` (a credential-shaped
    value of a credential-named key); ``shown`` is what a report may show of it."""

    pos: Pos
    key: str | None
    kind: str
    shown: str


def is_secret_name(name: str) -> bool:
    name = name.lstrip("$")
    return bool(_KEY.search(name)) and not _NOT_KEY.search(name)


def secrets(doc: Document) -> list[Secret]:
    """Every secret of the document (disabled statements included: the text is in the file
    all the same), in source order."""
    roots: list[tuple[Expr, str | None]] = []  # each value with the name it is given to
    for item in doc.inputs or []:
        if item.default is not None and item.name:
            roots.append((item.default, item.name))
    roots.extend((setting.value, setting.key) for setting in doc.settings if setting.key not in _GENERATED)
    for stmt in doc.statements():
        name = stmt.target.name if stmt.kind in ("var", "var.update") and isinstance(stmt.target, Variable) \
            else None
        roots.extend((arg, None) for arg in stmt.args)
        roots.extend((setting.value, name if name and setting.key == "value" else setting.key)
                     for setting in stmt.settings)
    found = _walk(roots)
    found.sort(key=lambda secret: (secret.pos.line, secret.pos.column))
    return found


def may_hold_secrets(doc: Document, strings: list[Literal]) -> bool:
    """False when no string of the document can be a secret, whatever name it is given to:
    a cheap test that spares most documents the walk of :func:`secrets`. ``strings``: the
    string literals of its expressions (:attr:`~xanoctl.semantics.variables.Variables.strings`);
    the defaults of its inputs are looked at here."""
    defaults = (node for item in doc.inputs or [] if item.default is not None
                for node in walk_expr(item.default) if type(node) is Literal)
    return any(_long_text(node) and _may_be_secret(node.value) and _literal(node, _ANY_SECRET_NAME) is not None
               for node in chain(strings, defaults))


def _may_be_secret(text: str) -> bool:
    """What :func:`_literal` needs to find a secret under any name, cheaply told: a header's
    colon, a private key, a scheme word, a known prefix, or nothing but one token."""
    return bool(_HINT.search(text) or PREFIXED.search(text) or _SHAPE.fullmatch(text.strip()))


def _long_text(node: Literal) -> bool:
    return isinstance(node.value, str) and len(node.value) >= _SHORTEST and node.kind in ("string", "text")


def _walk(stack: list[tuple[Expr, str | None]]) -> list[Secret]:
    """The secrets under the expressions of ``stack``, each with the name its value is given
    to (one loop for the whole document: this runs on every file)."""
    found: list[Secret] = []
    while stack:
        node, name = stack.pop()
        kind = type(node)
        if kind is Literal:
            if _long_text(node):
                secret = _literal(node, name)
                if secret is not None:
                    found.append(secret)
        elif kind is ObjectLit:
            stack.extend((entry.value, entry.key) for entry in node.entries)
        elif kind is ArrayLit:
            stack.extend((item, name) for item in node.items)
        elif kind is Filtered:
            stack.append((node.value, name))
            stack.extend((arg, None) for flt in node.filters for arg in flt.args)
        elif kind is Binary:  # text joined with other values: only what the text shows
            stack.extend(((node.right, None), (node.left, None)))
        elif kind is Ternary:
            stack.extend(((node.otherwise, name), (node.then, name), (node.cond, None)))
        elif kind is Cast:
            stack.append((node.value, name))
        elif kind is Unary:
            stack.append((node.operand, name))
        elif kind is Member and not isinstance(node.key, str):
            stack.append((node.key, None))
    return found


def _literal(node: Literal, key: str | None) -> Secret | None:
    """The secret ``node`` holds as the value of ``key``; with a credential name for ``key``
    (:data:`_ANY_SECRET_NAME`), None means that it holds none whatever its name."""
    text = node.value
    assert isinstance(text, str)
    if len(text) < _SHORTEST:
        return None
    if _PRIVATE_KEY.search(text):
        match = _PRIVATE_KEY.search(text)
        return _secret(node, text[match.start():], key, "private_key")
    prefixed = PREFIXED.search(text)
    if prefixed and not _PLACEHOLDER.search(prefixed.group(0)):
        return _secret(node, prefixed.group(0), key, "prefixed")
    header = _HEADER.match(text)
    if header and is_secret_name(header.group(1)):  # "Authorization: Bearer ...", "X-Api-Key: ..."
        key, text = header.group(1), header.group(2)
    scheme = SCHEME.search(text)
    if scheme and _credential(scheme.group(2), 12, 2.5):
        return _secret(node, scheme.group(2), key, "basic" if scheme.group(1) == "Basic" else "bearer")
    if key is not None and _credential(text.strip(), 16, 3.0) and is_secret_name(key):
        return _secret(node, text.strip(), key, "value")
    return None


def _credential(value: str, length: int, entropy: float) -> bool:
    """Whether ``value`` has the shape of a credential: one token of at least ``length``
    characters, letters and digits mixed, no placeholder, bits per character >= ``entropy``."""
    if len(value) < length or not _SHAPE.fullmatch(value):
        return False
    # of the shape's characters, only 0-9 are digits and only A-Z and a-z letters
    if not (_DIGIT.search(value) and _LETTER.search(value)) or _PLACEHOLDER.search(value):
        return False
    if value.startswith(("http", "/", ".")) or value.isupper() and "_" in value:  # a URL, a path, a NAME
        return False
    counts = Counter(value)
    bits = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return bits >= entropy


def _secret(node: Literal, secret: str, key: str | None, kind: str) -> Secret:
    pos = node.pos
    start = node.raw.find(secret) if node.raw else -1
    if pos.line == pos.end_line and start >= 0:
        pos = Pos(pos.line, pos.column + start, pos.line, pos.column + start + len(secret))
    return Secret(pos, key, kind, secret[:SHOWN])
