r"""`$env.NAME` reads an environment variable the workspace does not define.

Xano answers `null` for an environment variable the workspace's settings do not define: a
misspelt or renamed variable (an API key, a base URL) reads as missing on every run, and the
request it feeds fails far from the typo. The workspace's environment is in its `workspace`
document (`env = {NAME: ...}`); the message names the closest defined variable. The rule
judges only inside a workspace whose one `workspace` document has an `env` clause: a pull (as
the official CLI's by default) leaves the environment out of that document, since it holds
secrets, and then nothing can be told. The values Xano sets itself (`$env.$remote_ip`,
`$env.$http_headers`...) are never reported.

Bad::

    workspace "Shop" {
      env = {STRIPE_KEY: "", API_BASE: ""}
    }
    ---
    function "Payments/Charge" {
      input {
        int amount
      }
      stack {
        api.request {
          url = $env.API_BASE ~ "/charges"
          method = "POST"
          headers = ["Authorization: Bearer " ~ $env.STRIPE_API_KEY]
          params = {amount: $input.amount}
        } as $charge
      }
      response = $charge
    }

Good::

    workspace "Shop" {
      env = {STRIPE_KEY: "", API_BASE: ""}
    }
    ---
    function "Payments/Charge" {
      input {
        int amount
      }
      stack {
        api.request {
          url = $env.API_BASE ~ "/charges"
          method = "POST"
          headers = ["Authorization: Bearer " ~ $env.STRIPE_KEY]
          params = {amount: $input.amount}
        } as $charge
      }
      response = $charge
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.lint.suggest import Suggester

CODE = "EV001"
NAME = "undefined-env-variable"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"


def check(index, ctx) -> Iterator[Problem]:
    if not index.complete:
        return
    settings = [doc for doc in index.every_document if doc.kind == "workspace"]
    if len(settings) != 1 or settings[0].env_names is None:
        return  # no environment to judge by (or two workspaces' documents: which one?)
    defined = set(settings[0].env_names)
    closest = Suggester(sorted(defined), cutoff=0.6)
    for doc in index.documents:
        for name, pos in doc.env_reads:
            if name in defined:
                continue
            message = f"`$env.{name}`: the workspace defines no environment variable `{name}`"
            close = closest(name)
            if close:
                message += f"; did you mean `{close}`?"
            yield Problem(pos, message, None, doc.path, doc.obj)
