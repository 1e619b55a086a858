"""Reports of a test or smoke run: text (one line a result, failures with their messages, a
summary), JSON (the official CLI's roll-up ``{passed, failed, results}`` with ``kind``, ``path``
and ``line`` on each result), JUnit XML (the Jenkins xUnit plugin's ``junit-10.xsd``, which CI
systems read) and GitHub annotations on the declaring line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Callable

from xanoctl.runtime.results import FAIL, PASS, SKIP, Report, Result

FORMATS = ("text", "json", "junit", "github")
_WORDS = {PASS: "PASS", FAIL: "FAIL", SKIP: "SKIP"}
_SUITES = {"unit": "unit tests", "workflow": "workflow tests", "endpoint": "endpoints"}


# ---------------------------------------------------------------------------- text


def text_lines(result: Result) -> list[str]:
    """The lines of one result: ``PASS  name [obj_type: obj_name] (0.012s)  path:line``, and for
    a failure or a skip its message below."""
    if result.kind == "endpoint":
        label = f"{result.name} [{result.obj_name}]"
    else:
        label = f"{result.name} [{result.obj_type}: {result.obj_name}]"
    timing = f" ({result.timing:.3f}s)" if result.timing is not None else ""
    where = f"  {result.path}:{result.line}" if result.path else ""
    lines = [f"{_WORDS[result.status]}  {label}{timing}{where}"]
    if result.status != PASS and result.message:
        lines.append(f"      {'Error' if result.status == FAIL else 'Skipped'}: {result.message}")
    return lines


def summary(report: Report) -> str:
    if not report.results:
        return "No tests found" if report.what == "test" else "No endpoints to call"
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    return f"Results: {report.passed} passed, {report.failed} failed{skipped}"


def streamer(fmt: str, echo: Callable[[str], None]) -> Callable[[Result], None] | None:
    """For the text format, a callback that prints each result as it comes (in order)."""
    if fmt != "text":
        return None
    return lambda result: [echo(line) for line in text_lines(result)]


def render(report: Report, fmt: str, streamed: bool = False) -> str:
    """The whole report in ``fmt`` (text: only the summary when the lines were streamed)."""
    if fmt == "json":
        return json_text(report)
    if fmt == "junit":
        return junit(report)
    if fmt == "github":
        return github(report)
    lines = [] if streamed else [line for result in report.results for line in text_lines(result)]
    if report.results:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- json


def json_text(report: Report) -> str:
    data: dict = {"passed": report.passed, "failed": report.failed}
    if report.what != "test":
        data["skipped"] = report.skipped
    data["results"] = [result.as_json() for result in report.results]
    return json.dumps(data, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------- junit


def junit(report: Report) -> str:
    """JUnit XML valid against ``junit-10.xsd``: one ``testsuite`` per kind (unit tests,
    workflow tests; endpoints per API group), a ``testcase`` per result whose ``classname`` is
    its object; a failure's text starts with ``path:line:``."""
    root = ET.Element("testsuites", {"name": f"xanoctl {report.what}", "tests": str(len(report.results)),
                                     "failures": str(report.failed), "errors": "0",
                                     "time": _seconds(sum(r.timing or 0.0 for r in report.results))})
    suites: dict[str, list[Result]] = {}
    for result in report.results:
        key = f"{_SUITES['endpoint']}: {result.obj_name}" if result.kind == "endpoint" else _SUITES[result.kind]
        suites.setdefault(key, []).append(result)
    for name, results in suites.items():
        suite = ET.SubElement(root, "testsuite", {
            "name": name, "tests": str(len(results)), "failures": str(sum(r.status == FAIL for r in results)),
            "errors": "0", "skipped": str(sum(r.status == SKIP for r in results)),
            "time": _seconds(sum(r.timing or 0.0 for r in results))})
        for result in results:
            attrs = {"name": result.name, "classname": _classname(result)}
            if result.timing is not None:
                attrs["time"] = _seconds(result.timing)
            case = ET.SubElement(suite, "testcase", attrs)
            if result.status == FAIL:
                failure = ET.SubElement(case, "failure", {"message": result.message, "type": "failure"})
                failure.text = f"{_where(result)}{result.message}"
            elif result.status == SKIP:
                ET.SubElement(case, "skipped", {"message": result.message})
            if result.path:
                ET.SubElement(case, "system-out").text = f"{result.path}:{result.line}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _classname(result: Result) -> str:
    if result.kind == "endpoint":
        return f"api.{result.obj_name}"
    return f"{result.obj_type}.{result.obj_name}"


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _where(result: Result) -> str:
    return f"{result.path}:{result.line}: " if result.path else ""


# ---------------------------------------------------------------------------- github


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """``::error file=...,line=...,title=...::message`` for each failure (a notice for a skip),
    on the line that declares the test or the endpoint; then the summary."""
    lines = []
    for result in report.results:
        if result.status == PASS:
            continue
        level = "error" if result.status == FAIL else "notice"
        props = [f"file={_property(result.path)}", f"line={result.line}"] if result.path else []
        title = f"xanoctl {report.what}: {result.name}"
        props.append(f"title={_property(title)}")
        lines.append(f"::{level} {','.join(props)}::{_data(result.message or result.status)}")
    lines.append(summary(report))
    return "\n".join(lines)
