"""One file, start to finish: decode, parse, run the document rules, collect the facts.

This is what the worker processes run; its result (:class:`FileResult`) is what the cache
keeps, so it must not depend on anything but the file's bytes and the rule options.
"""

from __future__ import annotations

import re

from xanoctl.errors import XanoSyntaxError
from xanoctl.lint import conflicts, facts, suppress
from xanoctl.lint.cache import digest, pack
from xanoctl.lint.context import DocContext
from xanoctl.lint.facts import FileResult, FunctionFact
from xanoctl.lint.finding import Problem, make_finding
from xanoctl.gcpause import few_collections
from xanoctl.lint.rules import DOCUMENT_RULES, RULES
from xanoctl.lint.rules import sec001, xs001
from xanoctl.semantics.masking import masked

_HEADER = re.compile(r'^\ufeff?[ \t]*function[ \t]+("(?:[^"\\\r\n]|\\.)*"|[^\s{]+)', re.MULTILINE)


class Options:
    """Rule options, resolved once: ``options(code)`` -> {option: value}."""

    def __init__(self, overrides: dict[str, dict]):
        self._resolved: dict[str, dict] = {}
        for code, rule in RULES.items():
            merged = dict(rule.OPTIONS)
            merged.update(overrides.get(code, {}))
            self._resolved[code] = merged

    def __call__(self, code: str) -> dict:
        return self._resolved[code]


def split_lines(text: str) -> list[str]:
    """Lines as the parser counts them (``\\n``; a trailing ``\\r`` is dropped; a byte-order
    mark is no column of the first)."""
    lines = text.split("\n")
    if text.startswith("\ufeff"):
        lines[0] = lines[0][1:]
    if "\r" not in text:  # most files: no line to look at again
        return lines
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def analyze(path: str, data: bytes, options: Options, file_digest: str | None = None, *,
            rules: bool = True) -> FileResult:
    """``rules=False``: the facts only (no findings but a syntax error), for the views and
    comparisons that do not report findings; such a result is never cached."""
    from xanoctl.language.parser import decode_source, parse_documents

    result = FileResult(path=path, digest=file_digest or digest(data), lines=data.count(b"\n") + 1)
    try:
        text = decode_source(data, path)
        marker = conflicts.conflict_marker(text)
        if marker is not None:
            raise XanoSyntaxError("an unresolved merge conflict: keep the lines you want from between the "
                                  f"`{conflicts.CONFLICT_START}`, `{conflicts.CONFLICT_MIDDLE}` and `{conflicts.CONFLICT_END}` "
                                  "lines, and delete those lines", path=path, line=marker, column=1,
                                  end_line=marker, end_column=len(conflicts.CONFLICT_START) + 1)
        docs = parse_documents(text, path)
    except XanoSyntaxError as error:
        result.parsed = False
        result.findings.append(syntax_finding(path, error))
        _guess_functions(path, data, result)
        return result
    lines = split_lines(text)
    for doc in docs:
        ctx = DocContext(doc, path, lines, options)
        obj = facts.object_label(doc)
        for rule in DOCUMENT_RULES if rules else ():
            for problem in rule.check(doc, ctx):
                result.findings.append(make_finding(path, rule.CODE, rule.SEVERITY, problem, obj))
        facts.collect(doc, path, lines, result, ctx)
    if not rules:
        return result
    _hide_secrets(result, lines)
    found, problems = suppress.scan(text, lines, docs, RULES)
    result.suppressions = found
    for problem in problems:
        result.findings.append(make_finding(path, suppress.CODE, RULES[suppress.CODE].SEVERITY, problem))
    return result


def _hide_secrets(result: FileResult, lines: list[str]) -> None:
    """Remember where SEC001 found credentials (every report masks them), and mask them in the
    messages of the file's other findings (a rule quoting the source); a fix that would write
    one is dropped (a masked credential must never reach the file, nor its title a report)."""
    result.secrets = [(f.line, f.column, f.end_line, f.end_column) for f in result.findings if f.code == sec001.CODE]
    texts = {lines[line - 1][column - 1:end - 1] for line, column, last, end in result.secrets
             if line == last and 0 < line <= len(lines)}
    texts.discard("")
    if not texts:
        return
    for number, finding in enumerate(result.findings):
        if finding.code == sec001.CODE:
            continue
        message, fix = finding.message, finding.fix
        for text in texts:
            message = message.replace(text, masked(text))
            if fix is not None and (text in fix.title or any(text in edit.text for edit in fix.edits)):
                fix = None
        if (message, fix) != (finding.message, finding.fix):
            result.findings[number] = finding.with_(message=message, fix=fix)


def syntax_finding(path: str, error: XanoSyntaxError):
    line = max(error.line or 1, 1)
    column = max(error.column or 1, 1)
    end_line = max(error.end_line or line, line)
    end_column = error.end_column or column + 1
    if end_line == line and end_column <= column:
        end_column = column + 1
    problem = Problem((line, column, end_line, end_column), error.message)
    return make_finding(path, xs001.CODE, xs001.SEVERITY, problem)


def _guess_functions(path: str, data: bytes, result: FileResult) -> None:
    """A file that does not parse may still define a function others call: remember its name
    (with nothing known about it) so that XR001 does not call it missing."""
    text = data.decode("utf-8", errors="replace")
    for match in _HEADER.finditer(text):
        raw = match.group(1)
        name = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\") if raw.startswith('"') else raw
        line = text.count("\n", 0, match.start(1)) + 1
        result.functions.append(FunctionFact(name=name, path=path, obj=f"function {name}",
                                             pos=(line, 1, line, 2), inputs=None, status="unknown"))


def analyze_batch(batch: list[tuple[str, bytes, str]], overrides: dict[str, dict],
                  rules: bool = True) -> list[tuple[str, bytes]]:
    """Worker entry point: analyze several files (fewer round trips between processes); each
    result packed once, as the cache keeps it (the parent stores those bytes as they are)."""
    options = Options(overrides)
    with few_collections():
        return [(path, pack(analyze(path, data, options, file_digest, rules=rules)))
                for path, data, file_digest in batch]

