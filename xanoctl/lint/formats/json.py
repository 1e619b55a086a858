"""``--format json``: ``{"files": N, "findings": [{path, line, column, end_line, end_column,
code, severity, message, ...}]}``. The keys of issue 3 are a contract; keys are only added
(``object``, ``fix``), never renamed or removed."""

from __future__ import annotations

import json

from xanoctl.lint.engine import LintResult


def render(result: LintResult) -> str:
    data = {"files": result.files, "findings": [finding.as_dict() for finding in result.findings]}
    return json.dumps(data, indent=2, ensure_ascii=False)
