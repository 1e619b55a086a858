"""``xanoctl test``: list the workspace's unit and workflow tests through the Metadata API, select
them, run them, judge each run.

As the official CLI (``xano-inc/cli``, ``src/commands/unit_test/run_all`` and
``workflow_test/run_all``): ``GET /workspace/{id}/unit_test`` (every page; ``obj_type`` and
``branch`` as filters) and ``GET .../workflow_test?include_xanoscript=false``, then ``POST
.../unit_test/{id}/run`` with ``{branch}`` and ``POST .../workflow_test/{id}/run``. A listing that
fails stops the run (:class:`NotRun`, exit 2); a run that fails is that test's failure. Tests
run ``concurrency`` at a time (default 1: they share the workspace's database); results come
out in the listed order (unit tests, then workflow tests) whatever the order they finish in.
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from xanoctl.runtime import verdicts
from xanoctl.runtime.ordered import in_order
from xanoctl.runtime.locate import LocalTree, Place, matches_word, no_match, split_selectors, under
from xanoctl.runtime.results import NotRun, Report, Result

UNIT, WORKFLOW = "unit", "workflow"
OBJ_TYPES = ("function", "query", "middleware")


@dataclass
class Selection:
    unit: bool = True
    workflow: bool = True
    obj_type: str | None = None
    selectors: list[str] = field(default_factory=list)  # names or paths
    changed_since: str | None = None


@dataclass
class Planned:
    """A test to run: what Xano listed, and where it lives locally."""

    kind: str
    id: Any
    name: str
    obj_type: str
    obj_name: str
    place: Place | None = None

    def locate(self, local: LocalTree | None) -> "Planned":
        if local is not None:
            self.place = local.unit(self.obj_type, self.obj_name, self.name) if self.kind == UNIT \
                else local.workflow(self.name)
        return self

    def result(self, verdict: verdicts.Verdict, timing: float | None) -> Result:
        return Result(self.kind, self.name, self.obj_type, self.obj_name, verdict.status, verdict.message,
                      timing, self.place.path if self.place else None, self.place.line if self.place else None)


def listed(listed_units: list[dict[str, Any]], listed_workflows: list[dict[str, Any]]) -> list[Planned]:
    """The tests as listed: the unit tests, then the workflow tests."""
    tests = [Planned(UNIT, item["id"], str(item.get("name") or ""), str(item.get("obj_type") or ""),
                     str(item.get("obj_name") or "")) for item in listed_units]
    tests += [Planned(WORKFLOW, item["id"], str(item.get("name") or ""), "workflow_test", str(item.get("name") or ""))
              for item in listed_workflows]
    return tests


def select(tests: list[Planned], local: LocalTree | None, selection: Selection) -> list[Planned]:
    """The tests ``selection`` keeps, each with its local place."""
    tests = [test.locate(local) for test in tests]
    if selection.selectors:
        paths, words = split_selectors(selection.selectors)
        for word in words:
            if not any(matches_word(word, test.name, test.obj_name) for test in tests):
                raise no_match(word, [name for test in tests for name in (test.name, test.obj_name)])
        tests = [test for test in tests
                 if under(test.place, paths) or any(matches_word(word, test.name, test.obj_name) for word in words)]
    if selection.changed_since:
        if local is None:
            raise NotRun("--changed-since needs the pulled workspace folder (run `xanoctl pull` first)")
        changed = local.changed_nodes(selection.changed_since)
        tests = [test for test in tests if test.place is not None and local.reaches(test.place.node, changed)]
    return tests


def run(config, local: Callable[[], LocalTree | None], selection: Selection, concurrency: int = 1,
        on_result: Callable[[Result], None] | None = None) -> Report:
    """List, select and run the tests; ``on_result`` gets each result in order as soon as it and
    every result before it are known. ``local`` reads the pulled tree: in a thread, while the
    tests are listed and run, unless the selection needs it first."""
    from xanoctl.xano.client import XanoApiError, XanoClient

    http = config.http
    if concurrency > http.concurrency:
        http = dataclasses.replace(http, concurrency=concurrency)
    try:
        client = XanoClient.from_config(dataclasses.replace(config, http=http))
    except XanoApiError as exc:
        raise NotRun(str(exc)) from None
    with client:
        try:
            units, workflows = client.gather(
                client.aio.list_unit_tests(selection.obj_type) if selection.unit else _nothing(),
                client.aio.list_workflow_tests() if selection.workflow and not selection.obj_type else _nothing())
        except XanoApiError as exc:
            raise NotRun(f"cannot list the tests: {exc}") from None
        with ThreadPoolExecutor(1) as pool:
            tree = pool.submit(local)
            tests = listed(units, workflows)
            if selection.selectors or selection.changed_since:
                tests = select(tests, tree.result(), selection)
            results = client.gather(_run_all(client.aio, tests, concurrency, on_result, tree))[0]
    return Report(results)


async def _nothing() -> list:
    return []


async def _run_all(client, tests: list[Planned], concurrency: int,
                   on_result: Callable[[Result], None] | None, tree: Future) -> list[Result]:
    async def work(test: Planned) -> Result:
        verdict, timing = await _run_one(client, test)
        local = await asyncio.wrap_future(tree)  # the places: read meanwhile
        return test.locate(local).result(verdict, timing)

    return await in_order(tests, concurrency, work, on_result)


async def _run_one(client, test: Planned) -> tuple[verdicts.Verdict, float | None]:
    from xanoctl.xano.client import XanoApiError

    try:
        if test.kind == UNIT:
            response = await client.run_unit_test(test.id)
        else:
            response = await client.run_workflow_test(test.id)
    except XanoApiError as exc:
        return verdicts.Verdict(verdicts.FAIL, str(exc)), None
    try:
        body = response.json()
    except ValueError:
        body = verdicts.NO_JSON
    return verdicts.run(response.status_code, body, response.text, unit=test.kind == UNIT), verdicts.timing(body)
