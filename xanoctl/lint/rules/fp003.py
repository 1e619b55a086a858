r"""A caller reads a field of an envelope that is not an envelope key.

When the callee answers an envelope, `$result.people` is always `null`: the people are in
`$result.data.people`. This is the bug that kept a sync dead for weeks. The read is found
directly on the `as` variable of the `function.run`, or on a variable the result was copied to
(`var $sync { value = $result }`), also when it starts as `null` and the call sets it in a
branch; the message shows the path to write. Callees are followed
when they pass on another function's envelope (`response = $result`). Keys the callee's own
envelopes carry (and `success`, `data`, `error`, `step`) are fine.

Bad::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    function "Tasks/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        function.run "Workers/FUB - Sync People" {
          input = {ad_user_id: $input.ad_user_id}
        } as $result
        var $synced { value = $result.people|count }
      }
      response = {success: true, data: {synced: $synced}, error: null}
    }

Good::

    function "Workers/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    function "Tasks/FUB - Sync People" {
      input {
        int ad_user_id
      }
      stack {
        function.run "Workers/FUB - Sync People" {
          input = {ad_user_id: $input.ad_user_id}
        } as $result
        var $synced { value = $result.data.people|count }
      }
      response = {success: true, data: {synced: $synced}, error: null}
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.envelope import STANDARD_KEYS
from xanoctl.lint.finding import Problem
from xanoctl.lint.fixes import SAFE, replace
from xanoctl.lint.walk import chain_text

CODE = "FP003"
NAME = "envelope-field"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"
FIX = (SAFE, "reads the field inside `data` (`$r.data.x` for `$r.x`): the old read is always empty")


def check(index, ctx) -> Iterator[Problem]:
    required = frozenset(ctx.options("FP002")["required_keys"])
    for read in index.reads:
        if not all(index.returns_envelope(callee) is True for callee in read.callees):
            continue
        allowed = STANDARD_KEYS | required
        for callee in read.callees:
            allowed = allowed | index.envelope_keys(callee)
        if read.keys[0] in allowed:
            continue
        fixed = chain_text(read.var, ["data", *read.keys])
        names = " and ".join(f"`{callee}`" for callee in read.callees)
        returns = "returns an envelope" if len(read.callees) == 1 else "return envelopes"
        if read.direct:
            message = f"`{read.text}`: {names} {returns}; read `{fixed}`"
        else:
            which = "which returns an envelope" if len(read.callees) == 1 else "which return envelopes"
            message = f"`{read.text}`: `{read.var}` holds the result of {names}, {which}; read `{fixed}`"
        yield Problem(read.pos, message, replace(read.pos, fixed, f"Read `{fixed}`", SAFE), read.path, read.obj,
                      read.callees)
