r"""TLS verification is turned off on an outgoing request.

`verify_peer = false` accepts any certificate, `verify_host = false` a certificate for any
host: whoever sits between Xano and the server can read and change the request, credentials
included. Checked on `api.request` and every other statement that takes these settings. Fix
the server's certificate (or name its CA) instead.

Bad::

    function "Partners/Fetch" {
      input {
      }
      stack {
        api.request {
          url = "https://partner.example.com/v1/items"
          method = "GET"
          verify_peer = false
        } as $items
      }
      response = $items
    }

Good::

    function "Partners/Fetch" {
      input {
      }
      stack {
        api.request {
          url = "https://partner.example.com/v1/items"
          method = "GET"
          verify_peer = true
        } as $items
      }
      response = $items
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.language.model import Literal

CODE = "SEC002"
NAME = "tls-verify-off"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "document"

_WHAT = {"verify_peer": "any certificate is accepted", "verify_host": "a certificate for any host is accepted"}


def check(doc, ctx) -> Iterator[Problem]:
    for stmt in ctx.semantics.live:
        for setting in stmt.settings:
            if setting.key in _WHAT and _false(setting.value):
                value = setting.value.pos
                pos = (setting.pos.line, setting.pos.column, value.end_line, value.end_column)
                yield Problem(pos, f"`{stmt.kind}` with `{setting.key} = false`: TLS verification is off "
                                   f"({_WHAT[setting.key]}); remove the setting or set it to true")


def _false(expr) -> bool:
    return isinstance(expr, Literal) and expr.value is False or (
        isinstance(expr, Literal) and isinstance(expr.value, str) and expr.value.lower() == "false")
