"""Baselines: adopt the linter on a legacy workspace without fixing everything first.

``xanoctl lint --write-baseline FILE`` records the current findings; later runs with
``--baseline FILE`` (or ``lint.baseline`` in xanoctl.yaml) report only findings that are not in
it. A finding is identified by its file (relative to the baseline's folder), code, object and
message, never by its line, so edits elsewhere in the file do not bring it back; a finding that
occurs more times than the baseline recorded is reported.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from xanoctl.errors import UsageError
from xanoctl.lint.finding import Finding

VERSION = 1


def _key(finding: Finding, base: str, abspath: str) -> tuple[str, str, str, str]:
    rel = Path(os.path.relpath(abspath, base)).as_posix()
    return (rel, finding.code, finding.obj, finding.message)


def write(path: str | Path, findings: list[tuple[Finding, str]]) -> int:
    """Write ``findings`` (with each one's absolute path) to ``path``; returns how many."""
    path = Path(path).resolve()
    base = str(path.parent)
    counts = Counter(_key(finding, base, abspath) for finding, abspath in findings)
    entries = [
        {"path": rel, "code": code, "object": obj, "message": message, "count": count}
        for (rel, code, obj, message), count in sorted(counts.items())
    ]
    data = {"version": VERSION, "tool": "xanoctl lint", "findings": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return sum(counts.values())


def load(path: str | Path) -> Counter:
    path = Path(path).resolve()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"baseline {path} not found; create it with "
                         f"`xanoctl lint --write-baseline {path.name} ...`") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"baseline {path} cannot be read ({exc}); write it again with --write-baseline") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise UsageError(f"baseline {path} is not a xanoctl baseline; write it again with --write-baseline")
    counts: Counter = Counter()
    for entry in data["findings"]:
        try:
            key = (entry["path"], entry["code"], entry.get("object", ""), entry["message"])
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"baseline {path}: malformed entry {entry!r}") from None
    return counts


def filter_known(path: str | Path, findings: list[tuple[Finding, str]]) -> tuple[list[tuple[Finding, str]], int]:
    """The findings not in the baseline at ``path``, and how many were in it."""
    counts = load(path)
    base = str(Path(path).resolve().parent)
    kept = []
    known = 0
    for finding, abspath in sorted(findings, key=lambda item: (item[1], item[0].line, item[0].column)):
        key = _key(finding, base, abspath)
        if counts[key] > 0:
            counts[key] -= 1
            known += 1
        else:
            kept.append((finding, abspath))
    return kept, known
