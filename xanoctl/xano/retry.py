"""When to retry a Metadata API call and how long to wait: pure functions, no I/O.

Reads (GET) are retried on 429, 5xx and connection errors. Writes are retried only where a
retry cannot do harm (see :func:`retryable`): a 429 (rejected before any work), a connection
that never reached the server, and for PUT and DELETE (idempotent: the same body gives the
same state; a DELETE that finds nothing the second time has done its job) any transient
failure. A POST (create) that failed ambiguously (5xx, dropped connection after sending) is
never retried: it may have created the object, and the caller must look before trying again.

Some failures last (:func:`lasting_failure`): a TLS handshake that fails (an https URL on a
port that speaks http, an untrusted certificate), a host name that does not resolve, and a
refused connection from an instance that has not answered yet (a wrong port, a server not
started). Those are reported at once, not retried six times; a refusal after the instance has
answered (a restart) is retried as any dropped connection.
"""

from __future__ import annotations

import random
import socket
import ssl
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def retryable(method: str, *, status: int | None = None, sent: bool = True) -> bool:
    """Whether a failed attempt may be tried again.

    ``status`` is the HTTP status of the answer, None for a transport error; ``sent`` is False
    when the request provably never reached the server (connect error or timeout)."""
    if status is not None:
        if status == 429:
            return True
        return status in RETRY_STATUSES and method.upper() in IDEMPOTENT_METHODS
    return not sent or method.upper() in IDEMPOTENT_METHODS


def lasting_failure(exc: BaseException | None, *, answered_before: bool = False) -> str | None:
    """Why retrying the transport failure ``exc`` cannot help (``refused``, ``tls-version``,
    ``tls``, ``unknown-host``), or None when a retry may. ``answered_before``: the instance
    has answered this client already (a refusal is then a restart)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ConnectionRefusedError):
            return None if answered_before else "refused"
        if isinstance(exc, ssl.SSLError):
            text = str(exc).upper()
            if any(mark in text for mark in ("WRONG_VERSION_NUMBER", "HTTP_REQUEST", "RECORD_LAYER_FAILURE",
                                             "PACKET_LENGTH_TOO_LONG", "UNSUPPORTED_PROTOCOL")):
                return "tls-version"
            return "tls"
        if isinstance(exc, socket.gaierror) and exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
            return "unknown-host"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Delay before retry number ``attempt`` (1 for the first retry): exponential with full
    jitter, ``uniform(0, min(cap, base * 2**(attempt-1)))``."""
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return ceiling * rand()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max((when - now).total_seconds(), 0.0)


def retry_delay(
    attempt: int, base: float, cap: float, retry_after: float | None, rand: Callable[[], float] = random.random
) -> float:
    """The wait before the next attempt: the server's Retry-After when given (capped at
    ``cap``, never shorter than asked otherwise), else jittered exponential backoff."""
    if retry_after is not None:
        return min(retry_after, cap)
    return backoff_delay(attempt, base, cap, rand)


def rate_limit_delay(strikes: int, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """The pause after the ``strikes``-th 429 in a row without a ``Retry-After``: exponential
    with "equal" jitter, ``c/2 + uniform(0, c/2)`` for ``c = min(cap, base * 2**(strikes-1))``.
    Half the ceiling is always waited, so a client does not burn its next window's requests on
    near-zero pauses; the jitter spreads clients that were limited together."""
    ceiling = min(cap, base * (2 ** max(strikes - 1, 0)))
    return ceiling / 2 + ceiling / 2 * rand()
