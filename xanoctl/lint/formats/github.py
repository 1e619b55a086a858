"""``--format github``: workflow commands that GitHub shows as annotations on the lines::

    ::error file=workspace/task/x.xs,line=3,col=5,endLine=3,endColumn=9,title=SC002 bad-schedule::message
"""

from __future__ import annotations

from xanoctl.lint.engine import LintResult
from xanoctl.lint.formats.text import summary
from xanoctl.lint.rules import RULES

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    lines = []
    for finding in result.findings:
        rule = RULES.get(finding.code)
        title = f"{finding.code} {rule.NAME}" if rule else finding.code
        props = [f"file={_property(finding.path)}", f"line={finding.line}", f"col={finding.column}",
                 f"endLine={finding.end_line}", f"endColumn={finding.end_column}", f"title={_property(title)}"]
        lines.append(f"::{_LEVELS[finding.severity]} {','.join(props)}::{_data(finding.message)}")
    lines.append(summary(result))
    return "\n".join(lines)
