"""Reports: ``text`` (source line and caret), ``json`` (the contract of issue 3), ``sarif``
(2.1.0, for code scanning), ``github`` (workflow annotations). ``auto`` is ``github`` inside
GitHub Actions and ``text`` elsewhere."""

from __future__ import annotations

import os

from xanoctl.lint.engine import LintResult

FORMATS = ("auto", "text", "json", "sarif", "github")


def resolve(name: str, environ=None) -> str:
    environ = os.environ if environ is None else environ
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return name


def render(result: LintResult, name: str, *, color: bool = False, environ=None) -> str:
    name = resolve(name, environ)
    if name == "json":
        from xanoctl.lint.formats.json import render as out
    elif name == "sarif":
        from xanoctl.lint.formats.sarif import render as out
    elif name == "github":
        from xanoctl.lint.formats.github import render as out
    else:
        from xanoctl.lint.formats.text import render as text

        return text(result, color=color)
    return out(result)


def statistics(result: LintResult, name: str, environ=None) -> str:
    """``--statistics``: how many findings each rule has, most first (``json``: a list of
    ``{code, name, severity, count}``; otherwise a table, then the summary line)."""
    from collections import Counter

    from xanoctl.lint.rules import RULES

    counts = Counter(finding.code for finding in result.findings)
    severity = {finding.code: finding.severity for finding in result.findings}
    rows = [(code, RULES[code].NAME if code in RULES else "", severity[code], count)
            for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if resolve(name, environ) == "json":
        import json

        return json.dumps([{"code": code, "name": rule, "severity": level, "count": count}
                           for code, rule, level, count in rows], indent=2)
    from xanoctl.lint.formats.text import summary

    width = max((len(str(count)) for *_, count in rows), default=1)
    codes = max((len(code) for code, *_ in rows), default=0)
    names = max((len(rule) for _, rule, *_ in rows), default=0)
    lines = [f"{count:>{width}}  {code:<{codes}}  {rule:<{names}}  {level}".rstrip()
             for code, rule, level, count in rows]
    return "\n".join([*lines, summary(result)])

