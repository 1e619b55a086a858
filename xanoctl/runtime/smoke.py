"""``xanoctl smoke``: call the workspace's endpoints on its public API and judge each answer.

1. The endpoints come from the pulled tree (:mod:`xanoctl.runtime.endpoints`), selected by
   group (default: the groups the fixtures name) and by ``VERB path``.
2. Before anything is sent, every fixture is checked against what it names (:func:`check`): an
   unknown group or endpoint, an input the endpoint does not declare (``user_id`` where it
   declares ``ad_user_id``: the message names the declared input), a required input without a
   value, a group without a canonical, an ``auth`` endpoint without a token. Any of these is a
   usage error (exit 2) listing them all, and no request is sent.
3. The calls go one at a time by default (they have side effects), ``concurrency`` at once
   otherwise, each with its timeout; a 429 waits at the rate-limit gate and is retried, nothing
   else is. Results come out in the endpoints' order.
"""

from __future__ import annotations

import asyncio
import difflib
import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from xanoctl.runtime import verdicts
from xanoctl.runtime.endpoints import Endpoint
from xanoctl.runtime.ordered import in_order
from xanoctl.runtime.fixtures import Fixture, Fixtures
from xanoctl.runtime.results import NotRun, Report, Result


@dataclass(frozen=True)
class Call:
    """One endpoint to call, with its checked inputs and the token it needs."""

    endpoint: Endpoint
    inputs: dict[str, Any]
    expected_status: int | None
    envelope: bool
    token: str | None

    def result(self, verdict: verdicts.Verdict, seconds: float | None, status: int | None) -> Result:
        ep = self.endpoint
        return Result("endpoint", ep.label, "query", ep.group, verdict.status, verdict.message,
                      None if seconds is None else round(seconds, 3), ep.shown,
                      ep.line, {"http_status": status, "envelope": self.envelope})


def select(endpoints: list[Endpoint], fixtures: Fixtures | None, groups: list[str], only: list[str]) -> list[Endpoint]:
    """The endpoints of ``groups`` (default: the fixtures'), narrowed to ``only`` (``VERB path``)."""
    known = sorted({e.group for e in endpoints})
    wanted = list(groups) or (list(fixtures.groups) if fixtures else [])
    if not wanted:
        raise NotRun("no endpoints selected: write a smoke.yaml naming groups, or pass --group")
    for group in wanted:
        if group not in known:
            raise NotRun(f"no API group {group!r} in the pulled workspace{_close(group, known)}")
    chosen = [e for e in endpoints if e.group in wanted]
    if only:
        labels = {_norm(label) for label in only}
        for label in only:
            if not any(_norm(e.label) == _norm(label) for e in chosen):
                raise NotRun(f"no endpoint {label!r} in {', '.join(wanted)}"
                             f"{_close(label, [e.label for e in chosen])}")
        chosen = [e for e in chosen if _norm(e.label) in labels]
    return chosen


def check(endpoints: list[Endpoint], chosen: list[Endpoint], fixtures: Fixtures | None,
          env: Mapping[str, str]) -> list[Call]:
    """The calls to make for the ``chosen`` endpoints (every fixture is checked against
    ``endpoints``, all of the tree's), or :class:`NotRun` listing every problem (nothing is sent
    then)."""
    problems: list[str] = []
    file = fixtures.file if fixtures else "smoke.yaml"
    if fixtures is not None:
        selected = {e.group for e in chosen}
        by_group: dict[str, list[Endpoint]] = {}
        for e in endpoints:
            if e.group in selected:
                by_group.setdefault(e.group, []).append(e)
        for key, fixture in fixtures.endpoints.items():
            group = fixture.group
            if group not in by_group:
                continue  # a group not selected this time
            if not any(e.verb == fixture.verb and e.path == fixture.path.strip("/") for e in by_group[group]):
                labels = [e.label for e in by_group[group]]
                problems.append(f"{file}:{fixture.line}: no endpoint {fixture.verb} {fixture.path} in group "
                                f"{group!r}{_close(f'{fixture.verb} {fixture.path}', labels)}")
    calls = []
    for e in chosen:
        fixture = fixtures.get(e.group, e.verb, e.path) if fixtures else None
        problems.extend(_check_inputs(e, fixture, file))
        if not e.canonical:
            problems.append(f"{e.shown}:{e.line}: the API group {e.group!r} has no canonical in the pulled tree: "
                            "pull again to get it")
        token = None
        if e.auth:
            name = (fixture.token_env if fixture and fixture.token_env else None) or (fixtures.token_env if fixtures else None)
            if name is None:
                problems.append(f"{e.shown}:{e.line}: {e.label} needs a token (auth): set token_env in {file} to "
                                "the environment variable that holds one")
            elif not env.get(name):
                problems.append(f"{e.label} needs a token: the environment variable {name} (token_env) is not set")
            else:
                token = env[name]
        envelope = e.envelope if fixture is None or fixture.envelope is None else fixture.envelope
        calls.append(Call(e, dict(fixture.input) if fixture else {}, fixture.status if fixture else None,
                          envelope, token))
    if problems:
        raise NotRun("the fixtures do not fit the endpoints (nothing was sent):\n  " + "\n  ".join(problems))
    return calls


def _check_inputs(e: Endpoint, fixture: Fixture | None, file: str) -> list[str]:
    declared = {item.name: item for item in e.inputs}
    given = fixture.input if fixture else {}
    problems = []
    for name in given:
        if name not in declared:
            line = fixture.input_lines.get(name, fixture.line) if fixture else 0
            close = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            listing = ", ".join(declared) or "none"
            problems.append(f"{file}:{line}: {e.label} in {e.group!r} does not declare the input {name!r}{hint} "
                            f"(declared: {listing})")
    for name, item in declared.items():
        if item.required and given.get(name) in (None, ""):
            where = f"{file}:{fixture.line}" if fixture else f"{e.shown}:{e.line}"
            problems.append(f"{where}: {e.label} in {e.group!r} requires the input {name!r} ({item.type}): "
                            f"give it a value under \"{e.label}\" / input in {file}")
    return problems


def run(calls: list[Call], origin: str, branch: str, http, *, concurrency: int = 1, timeout: float | None = None,
        on_result: Callable[[Result], None] | None = None) -> Report:
    """Make the calls; one result per call, in their order."""
    return Report(asyncio.run(_run_all(calls, origin, branch, http, concurrency, timeout, on_result)), what="endpoint")


async def _run_all(calls: list[Call], origin: str, branch: str, http, concurrency: int, timeout: float | None,
                   on_result: Callable[[Result], None] | None) -> list[Result]:
    from xanoctl.xano.public import PublicApi, api_base, fill_path

    async with PublicApi(origin, http, timeout=timeout) as api:
        async def work(call: Call) -> Result:
            ep = call.endpoint
            params = {name: call.inputs[name] for name in ep.path_params() if name in call.inputs}
            inputs = {k: v for k, v in call.inputs.items() if k not in params}
            url = f"{api_base(origin, ep.canonical or '', branch)}/{fill_path(ep.path, params)}"
            answer = await api.call(ep.verb, url, inputs, call.token)
            body = answer.body if answer.json_ok else verdicts.NO_JSON
            verdict = verdicts.endpoint(answer.status, body, answer.text, envelope=call.envelope,
                                        expected_status=call.expected_status, error=answer.error)
            if call.token and call.token in verdict.message:  # an answer that echoes the token
                verdict = verdicts.Verdict(verdict.status, verdict.message.replace(call.token, "***"))
            return call.result(verdict, answer.seconds, answer.status)

        return await in_order(calls, concurrency, work, on_result)


def _norm(label: str) -> str:
    verb, _, path = label.strip().partition(" ")
    return f"{verb.upper()} {path.strip().strip('/')}"


def _close(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=2)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def default_fixtures(config_file, cwd: str) -> str | None:
    """``smoke.yaml`` in the current folder, else beside xanoctl.yaml."""
    for folder in (cwd, os.path.dirname(str(config_file)) if config_file else None):
        if folder and os.path.isfile(os.path.join(folder, "smoke.yaml")):
            return os.path.join(folder, "smoke.yaml")
    return None
