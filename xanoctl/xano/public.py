"""The workspace's public API: its endpoints at ``<instance origin>/api:<canonical>[:<branch>]/<path>``.

:class:`PublicApi` sends one request per call and hands back what came back
(:class:`PublicAnswer`), never raising for an error answer: judging it is the caller's job
(:mod:`xanoctl.runtime.smoke`). These calls have side effects, so only a 429 is retried, through
the same rate-limit gate as the Metadata API client (:mod:`xanoctl.xano.ratelimit`): one 429
pauses every request of the run. Each request has its own timeout. An endpoint's bearer token
(``auth`` endpoints) is sent as given and never appears in what this module reports.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import quote

import httpx

from xanoctl import __version__
from xanoctl.config import HttpSettings
from xanoctl.xano.ratelimit import RateLimitExhausted, RateLimitGate, WaitNotice
from xanoctl.xano.retry import parse_retry_after

BODYLESS = frozenset({"GET", "HEAD"})  # their inputs go in the query string


@dataclass(frozen=True)
class PublicAnswer:
    """What one call got: ``status`` None when no answer came (``error`` says why); ``body`` the
    parsed JSON (``json_ok`` False when the body was not JSON: then ``text`` holds it)."""

    status: int | None
    body: Any = None
    json_ok: bool = False
    text: str = ""
    seconds: float = 0.0
    error: str = ""


def instance_origin(meta_base: str) -> str:
    """``https://x1.xano.io/api:meta`` -> ``https://x1.xano.io``: where the public API lives."""
    base = meta_base.rstrip("/")
    marker = base.rfind("/api:meta")
    return base[:marker] if marker >= 0 else base


def api_base(origin: str, canonical: str, branch: str = "") -> str:
    """``<origin>/api:<canonical>``, with ``:<branch>`` for a branch other than the live one."""
    suffix = f":{branch}" if branch else ""
    return f"{origin.rstrip('/')}/api:{quote(canonical, safe='')}{suffix}"


def fill_path(template: str, params: dict[str, Any]) -> str:
    """``users/{id}`` with ``{"id": 7}`` -> ``users/7`` (each value URL-encoded)."""
    parts = []
    for part in template.strip("/").split("/"):
        if part.startswith("{") and part.endswith("}"):
            part = quote(str(params[part[1:-1]]), safe="")
        parts.append(part)
    return "/".join(parts)


class PublicApi:
    """Async caller of one instance's public API; use as ``async with PublicApi(origin, ...)``."""

    def __init__(self, origin: str, http: HttpSettings = HttpSettings(), *, timeout: float | None = None,
                 on_wait: Callable[[float], None] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.origin = origin.rstrip("/")
        self.http = http
        self.timeout = timeout if timeout is not None else http.timeout
        self.requests = 0
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        notice = on_wait if on_wait is not None else WaitNotice(http.rate_limit_wait)
        self.gate = RateLimitGate(http.rate_limit_wait, http.backoff, http.max_backoff, on_wait=notice, sleep=sleep)

    async def __aenter__(self) -> "PublicApi":
        self._client = httpx.AsyncClient(
            headers={"Accept": "application/json", "User-Agent": f"xanoctl/{__version__}"},
            timeout=httpx.Timeout(self.timeout), verify=self.origin.startswith("https://"),
            transport=self._transport, follow_redirects=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def call(self, verb: str, url: str, inputs: dict[str, Any], token: str | None = None) -> PublicAnswer:
        """``verb url`` with ``inputs`` as the query string (GET, HEAD) or a JSON body."""
        assert self._client is not None, "use `async with PublicApi(...)`"
        verb = verb.upper()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        params = {k: _query_value(v) for k, v in inputs.items()} if verb in BODYLESS else None
        content = None if verb in BODYLESS else json.dumps(inputs).encode("utf-8")
        if content is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        while True:
            try:
                ticket = await self.gate.wait()
            except RateLimitExhausted as exc:
                return PublicAnswer(None, seconds=time.perf_counter() - started,
                                    error=f"Xano kept rate-limiting (429) for {exc.waited:.0f} s")
            self.requests += 1
            try:
                response = await self._client.request(verb, url, params=params, content=content, headers=headers)
            except httpx.TimeoutException:
                self.gate.abandoned(ticket)
                return PublicAnswer(None, seconds=time.perf_counter() - started,
                                    error=f"no answer within {self.timeout:g} s")
            except httpx.TransportError as exc:
                self.gate.abandoned(ticket)
                reason = " ".join(str(exc).split()) or type(exc).__name__
                return PublicAnswer(None, seconds=time.perf_counter() - started, error=f"no answer ({reason})")
            except BaseException:
                self.gate.abandoned(ticket)
                raise
            if response.status_code == 429:
                try:
                    self.gate.limited(ticket, parse_retry_after(response.headers.get("retry-after")))
                except RateLimitExhausted as exc:
                    return PublicAnswer(429, seconds=time.perf_counter() - started,
                                        error=f"Xano kept rate-limiting (429) for {exc.waited:.0f} s")
                continue
            self.gate.passed(ticket)
            return _answer(response, time.perf_counter() - started)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


def _answer(response: httpx.Response, seconds: float) -> PublicAnswer:
    text = response.text
    try:
        return PublicAnswer(response.status_code, response.json(), True, text[:2000], seconds)
    except ValueError:
        return PublicAnswer(response.status_code, None, False, text[:2000], seconds)
