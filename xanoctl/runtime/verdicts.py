"""What passes, and what a failure says. Pure functions over what came back; no I/O.

Tests (the official CLI's rule, ``xano-inc/cli`` ``unit_test run_all`` and ``workflow_test
run_all``): a run passes only when its answer's ``status`` is ``ok``; every other status, an
answer without one, an error answer (the test's own API error) and no answer at all fail. The
failing statuses are never enumerated: Xano has several.

Endpoints (``xanoctl smoke``): one that answers the FP envelope passes only on HTTP 2xx with a
JSON object whose ``success`` is ``true``; ``success: false`` fails with its ``error`` and
``step``; ``null``, a body without ``success``, an ``ERROR_CODE_*`` body and a non-2xx status
fail. A 403 saying that test endpoints are disabled is skipped, with the setting to change.
Other endpoints pass on 2xx, or on the status their fixture expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from xanoctl.runtime.results import FAIL, PASS, SKIP

NO_JSON = object()  # the body was not JSON
# a 403 whose message says that test endpoints are turned off (a workspace setting, an env var)
_DISABLED = re.compile(r"\btests?\b.*\b(disabled|not enabled|turned off)\b|\b(disabled|not enabled)\b.*\btests?\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    status: str  # pass, fail or skip
    message: str = ""


def run(status: int | None, body: Any, text: str, error: str = "", unit: bool = True) -> Verdict:
    """A unit (``unit``) or workflow test's run: the HTTP status (None: no answer, ``error`` says
    why) and the answer (``body`` parsed, or :data:`NO_JSON`; ``text`` as it came)."""
    if status is None:
        return Verdict(FAIL, error or "no answer")
    if not 200 <= status < 300:
        return Verdict(FAIL, f"API error {status}: {_short(text)}")
    if not isinstance(body, dict):
        return Verdict(FAIL, f"unexpected answer (not a JSON object): {_short(text)}")
    if body.get("status") == "ok":
        return Verdict(PASS)
    messages = []
    if unit:
        results = body.get("results")
        for expect in results if isinstance(results, list) else []:
            if isinstance(expect, dict) and expect.get("status") == "fail" and expect.get("message"):
                messages.append(str(expect["message"]))
    if not messages and body.get("message"):
        messages.append(str(body["message"]))
    if not messages:
        messages.append(f"status {body['status']!r}" if "status" in body else "the answer has no status")
    return Verdict(FAIL, "; ".join(messages))


def timing(body: Any) -> float | None:
    """The run's ``timing`` (seconds) when the answer has a number there."""
    value = body.get("timing") if isinstance(body, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def endpoint(status: int | None, body: Any, text: str, *, envelope: bool, expected_status: int | None = None,
             error: str = "") -> Verdict:
    """An endpoint's answer (``body`` parsed, or :data:`NO_JSON`), judged strictly when it
    answers the ``envelope``; ``expected_status`` from its fixture."""
    if status is None:
        return Verdict(FAIL, error or "no answer")
    message = _error_message(body)
    if status == 403 and _DISABLED.search(message or text):
        return Verdict(SKIP, f"test endpoints are disabled ({message or _short(text)}): turn on the setting "
                             "it names to smoke-test them")
    if expected_status is not None and status != expected_status:
        return Verdict(FAIL, f"HTTP {status}, expected {expected_status}{_detail(body, text)}")
    if expected_status is None and not 200 <= status < 300:
        return Verdict(FAIL, f"HTTP {status}{_detail(body, text)}")
    if not envelope or not 200 <= status < 300:
        return Verdict(PASS)
    if body is NO_JSON:
        return Verdict(FAIL, f"the body is not JSON: {_short(text)}")
    if body is None:
        return Verdict(FAIL, "answered null, not the envelope: an empty stack, a response never wired, or a "
                             "function that returns nothing")
    if not isinstance(body, dict):
        what = {"list": "a list", "str": "a text", "bool": "a bool"}.get(type(body).__name__, "a number")
        return Verdict(FAIL, f"answered {what}, not the envelope {{success, data, error, step}}")
    if _is_error_body(body):
        return Verdict(FAIL, f"answered an error: {body.get('code')}: {body.get('message') or ''}".rstrip(": "))
    if "success" not in body:
        return Verdict(FAIL, f"no `success` key: not the envelope (keys: {', '.join(sorted(body)[:8]) or 'none'})")
    if body["success"] is True:
        return Verdict(PASS)
    if body["success"] is False:
        return Verdict(FAIL, f"success: false, error: {_value(body.get('error'))}, step: {_value(body.get('step'))}")
    return Verdict(FAIL, f"success is {_value(body['success'])}, not true")


def _is_error_body(body: dict) -> bool:
    return isinstance(body.get("code"), str) and body["code"].startswith("ERROR_CODE_")


def _error_message(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return ""


def _detail(body: Any, text: str) -> str:
    if isinstance(body, dict) and (body.get("code") or body.get("message")):
        return f": {body.get('code') or ''} {body.get('message') or ''}".rstrip()
    return f": {_short(text)}" if text.strip() else ""


def _value(value: Any) -> str:
    import json

    return _short(json.dumps(value, ensure_ascii=False, default=str))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
