r"""A credential is written into the code.

Anyone who can read the workspace (its git history, an export, a shared branch) can use it,
and changing it means editing every copy. Found: tokens of a known format (`sk_live_`, `xoxb-`,
`ghp_`, `AKIA`, `AIza`, signed JWTs...), bearer and basic tokens in header strings, private
key blocks, and credential-shaped values (long, letters and digits, high entropy) of keys,
settings, inputs and variables named like `api_key`, `token`, `secret`, `password`,
`authorization`, `private_key` or `certificate_pass`. Placeholders (`xxx`, `your-key-here`,
`test`), `$env.X` and text joined with other values (`"Bearer " ~ $env.TOKEN`) are not
credentials. Keep the value in an environment variable and read `$env.NAME`.

No report shows more than the first four characters of a credential: not the message, nor
the source line and caret of the text report, nor JSON, SARIF, GitHub annotations or a
baseline; in a file that does not parse, tokens of a known format and bearer and basic tokens
are masked all the same.

Bad::

    function "Stripe/Charge" {
      input {
      }
      stack {
        api.request {
          url = "https://api.stripe.com/v1/charges"
          method = "POST"
          headers = ["Authorization: Bearer 7c1f0e9ad24b4b6f93e1c05d8a6e2f4b"]
        } as $charge
      }
      response = $charge
    }

Good::

    function "Stripe/Charge" {
      input {
      }
      stack {
        api.request {
          url = "https://api.stripe.com/v1/charges"
          method = "POST"
          headers = []|push:("Authorization: Bearer " ~ $env.STRIPE_SECRET_KEY)
        } as $charge
      }
      response = $charge
    }
"""

from __future__ import annotations

import re
from typing import Iterator

from xanoctl.lint.finding import Problem
from xanoctl.semantics.secrets import may_hold_secrets, secrets

CODE = "SEC001"
NAME = "hardcoded-secret"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "document"

_KINDS = {
    "prefixed": "a token", "bearer": "a bearer token", "basic": "basic credentials",
    "private_key": "a private key",
    "value": "a credential",
}


def check(doc, ctx) -> Iterator[Problem]:
    if not may_hold_secrets(doc, ctx.semantics.vars.strings):
        return
    for secret in secrets(doc):
        what = _KINDS[secret.kind]
        where = f"`{secret.key}`: " if secret.key else ""
        if secret.kind in ("bearer", "basic"):
            scheme = secret.kind.capitalize()
            read = f'build the header from it: `"Authorization: {scheme} " ~ $env.API_TOKEN`'
        else:
            read = f"read `$env.{_env_name(secret.key)}`"
        message = f"{where}{what} written into the code (`{secret.shown}…`); keep it in an environment variable and {read}"
        yield Problem(secret.pos, message)


def _env_name(key: str | None) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "_", key or "").strip("_").upper()
    return name or "SECRET"
