"""``--format sarif``: SARIF 2.1.0 with the rule catalogue as rule metadata, for GitHub code
scanning (``github/codeql-action/upload-sarif``). Paths are relative to the current folder
(the repository root in CI), under the ``SRCROOT`` base."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

import xanoctl
from xanoctl.lint.engine import LintResult
from xanoctl.lint.files import display_path
from xanoctl.lint.finding import Finding
from xanoctl.lint.fixes import Fix
from xanoctl.lint.rules import RULES, explanation, summary

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptor(rule) -> dict:
    text = explanation(rule)
    return {
        "id": rule.CODE,
        "name": "".join(part.capitalize() for part in rule.NAME.split("-")),
        "shortDescription": {"text": summary(rule)},
        "fullDescription": {"text": text.split("\n\n")[0].replace("\n", " ")},
        "help": {"text": text, "markdown": _markdown(rule.CODE, summary(rule), text)},
        "defaultConfiguration": {"level": _LEVELS[rule.SEVERITY]},
        "properties": {"tags": ["xanoscript"], "options": dict(rule.OPTIONS)},
    }


def _markdown(code: str, title: str, text: str) -> str:
    out = [f"**{code}**: {title}", ""]
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("Bad::", "Good::"):
            out.append(f"{stripped[:-2]}:")
            out.append("")
        elif line.startswith("    "):
            out.append(line)
        else:
            out.append(line)
    return "\n".join(out)


def _location(path: str) -> dict:
    """A relative path under the SRCROOT base; an absolute one (outside the current folder)
    as a file:// URI of its own."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(Path(path).as_posix(), safe="/"), "uriBaseId": "SRCROOT"}


def _region(finding: Finding) -> dict:
    return {"startLine": finding.line, "startColumn": finding.column,
            "endLine": finding.end_line, "endColumn": finding.end_column}


def _result(finding: Finding, index: dict[str, int]) -> dict:
    location = _location(finding.path)
    key = "\0".join((finding.path, finding.code, finding.obj, finding.message))
    out: dict = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(finding)}}],
        "partialFingerprints": {"xanoctlFinding/v1": hashlib.sha256(key.encode()).hexdigest()},
    }
    if finding.code in index:
        out["ruleIndex"] = index[finding.code]
    if finding.fix is not None:
        out["fixes"] = [_fix(finding.fix, finding.path)]
    return out


def _fix(fix: Fix, path: str) -> dict:
    """A SARIF fix: one artifact change per file, each edit a replacement of a region."""
    files: dict[str, list[dict]] = {}
    for edit in fix.edits:
        region = {"startLine": edit.line, "startColumn": edit.column,
                  "endLine": edit.end_line, "endColumn": edit.end_column}
        files.setdefault(display_path(edit.path) if edit.path else path, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.text}})
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": _location(where), "replacements": replacements}
                            for where, replacements in files.items()],
        "properties": {"applicability": fix.applicability},
    }


def render(result: LintResult) -> str:
    rules = list(RULES.values())
    index = {rule.CODE: position for position, rule in enumerate(rules)}
    root = Path(os.getcwd()).resolve().as_uri() + "/"
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "xanoctl",
                "version": xanoctl.__version__,
                "rules": [rule_descriptor(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"SRCROOT": {"uri": root}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(finding, index) for finding in result.findings],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
