"""The emulator's public API: the workspace's endpoints at ``/api:{canonical}[:{branch}]/{path}``
(no HTTP here; :mod:`xanoctl.emulator.app` routes to :func:`answer`).

The emulator cannot run XanoScript: it matches a stored ``query`` document by its group's
canonical, its verb and its path template (``users/{id}`` takes any one segment), checks what
Xano checks before the stack runs (a required input missing: 400 ``ERROR_CODE_INPUT_ERROR``
"Missing param: x"; an ``auth`` endpoint without a bearer token: 401), and answers the
endpoint's scripted response (``StoredObject.outcomes["response"]``: a status and a JSON body),
by default the ``response`` clause when it is a literal, else ``null`` (which is what an
endpoint whose stack was never wired to its function answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from xanoctl.emulator.store import ApiError, Branch, Store, StoredObject, input_error

RESPONSE = "response"  # the key of an endpoint's scripted answer in its outcomes
_UNSET = object()


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # JSON; None answers `null`
    delay: float = 0.0  # seconds to wait before answering (scripted)


def split_base(segment: str) -> tuple[str, str | None] | None:
    """``api:abc123`` -> (``abc123``, None); ``api:abc123:dev`` -> (``abc123``, ``dev``);
    anything else None."""
    if not segment.startswith("api:"):
        return None
    canonical, _, branch = segment[4:].partition(":")
    return (canonical, branch or None) if canonical else None


def find_group(store: Store, canonical: str, branch_label: str | None) -> tuple[Branch, StoredObject]:
    for workspace in store.workspaces.values():
        if branch_label is None:
            branch = workspace.live
        elif branch_label in workspace.branches:
            branch = workspace.branches[branch_label]
        else:
            continue
        for group in branch.objects["api_group"].values():
            if str(group.fields.get("canonical", "")) == canonical:
                return branch, group
    raise _not_found()


def match(template: str, path: str) -> dict[str, str] | None:
    """The path parameters when ``path`` fits the endpoint's ``template``, else None."""
    want = [part for part in template.strip("/").split("/")]
    have = [part for part in path.strip("/").split("/")]
    if len(want) != len(have):
        return None
    params: dict[str, str] = {}
    for pattern, value in zip(want, have):
        if pattern.startswith("{") and pattern.endswith("}") and value:
            params[pattern[1:-1]] = value
        elif pattern != value:
            return None
    return params


def answer(store: Store, canonical: str, branch_label: str | None, verb: str, path: str,
           query: Mapping[str, str], body: Any, authorization: str) -> Answer:
    """Xano's answer to ``VERB /api:{canonical}[:{branch}]/{path}``."""
    from xanoctl.emulator.documents import parse

    branch, group = find_group(store, canonical, branch_label)
    endpoint, params = None, None
    for candidate in sorted(branch.objects["query"].values(), key=lambda o: o.id):
        if candidate.group_id == group.id and candidate.verb == verb:
            params = match(candidate.name, path)
            if params is not None:
                endpoint = candidate
                break
    if endpoint is None or params is None:
        raise _not_found()
    document = parse(endpoint.xanoscript)
    auth = document.value("auth")
    if getattr(auth, "value", None):
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "ERROR_CODE_UNAUTHORIZED", "Invalid token.")
    given = {**query, **(body if isinstance(body, dict) else {}), **params}
    for field in document.inputs or []:
        if field.name and field.required and given.get(field.name) in (None, ""):
            raise input_error(f"Missing param: {field.name}", field.name)
    scripted = endpoint.outcomes.get(RESPONSE)
    if scripted is not None:
        return Answer(int(scripted.get("status", 200)), scripted.get("body"), float(scripted.get("delay", 0.0)))
    value = constant(document.response)
    return Answer(200, None if value is _UNSET else value)


def constant(expr: Any) -> Any:
    """The JSON value of a literal expression (text, number, bool, null, objects and lists of
    them), else ``_UNSET``."""
    from xanoctl.language.model import ArrayLit, Literal, ObjectLit

    if isinstance(expr, Literal):
        return expr.value if expr.kind in ("string", "text", "number", "bool", "null") else _UNSET
    if isinstance(expr, ArrayLit):
        items = [constant(item) for item in expr.items]
        return _UNSET if any(item is _UNSET for item in items) else items
    if isinstance(expr, ObjectLit):
        entries = {entry.key: constant(entry.value) for entry in expr.entries if not entry.disabled}
        return _UNSET if any(value is _UNSET for value in entries.values()) else entries
    return _UNSET


def check_response(outcome: dict[str, Any]) -> dict[str, Any]:
    """A scripted answer as given to the admin route: ``status`` (default 200), ``body`` and
    ``delay`` (seconds before it answers)."""
    status = int(outcome.get("status", 200))
    if not 100 <= status <= 599:
        raise input_error("Invalid status: expected an HTTP status.", "status")
    return {"status": status, "body": outcome.get("body"), "delay": float(outcome.get("delay") or 0.0)}


def _not_found() -> ApiError:
    return ApiError(404, "ERROR_CODE_NOT_FOUND", "Unable to locate request.")
