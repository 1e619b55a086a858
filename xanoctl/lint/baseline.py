"""Baselines: adopt the linter on a legacy workspace without fixing everything first.

``xanoctl lint --write-baseline FILE`` records the current findings; later runs with
``--baseline FILE`` (or ``lint.baseline`` in xanoctl.yaml) report only findings that are not in
it. A finding is identified by its file (relative to the baseline's folder), code and object,
and by its message or the source text it points at (``source``), never by its line: edits
elsewhere in the file do not bring it back, nor does a newer xanoctl that words the message
better. A finding that occurs more times than the baseline recorded is reported.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from xanoctl.errors import UsageError
from xanoctl.lint.finding import Finding
from xanoctl.lint.locate import snippet
from xanoctl.semantics.masking import mask_line

VERSION = 1
_SOURCE_LIMIT = 200


class _Sources:
    """The source text a finding points at, whitespace collapsed (files read once), with the
    credentials of ``secrets`` (absolute path -> SEC001 spans) and known-format tokens masked."""

    def __init__(self, secrets: dict[str, list] | None = None, texts: dict[str, str] | None = None) -> None:
        self._lines: dict[str, list[str] | None] = {}
        self._secrets = secrets or {}
        self._texts = texts or {}

    def __call__(self, finding: Finding, abspath: str) -> str:
        if abspath not in self._lines:
            try:
                text = self._texts[abspath] if abspath in self._texts else \
                    Path(abspath).read_bytes().decode("utf-8")
                spans = self._secrets.get(abspath, ())
                self._lines[abspath] = [mask_line(line.rstrip("\r"), number, spans)
                                        for number, line in enumerate(text.split("\n"), 1)]
            except (OSError, UnicodeDecodeError):
                self._lines[abspath] = None
        lines = self._lines[abspath]
        if not lines:
            return ""
        pos = (finding.line, finding.column, finding.end_line, finding.end_column)
        return snippet(lines, pos, _SOURCE_LIMIT)


def _key(finding: Finding, base: str, abspath: str) -> tuple[str, str, str]:
    rel = Path(os.path.relpath(abspath, base)).as_posix()
    return (rel, finding.code, finding.obj)


def write(path: str | Path, findings: list[tuple[Finding, str]], secrets: dict[str, list] | None = None) -> int:
    """Write ``findings`` (with each one's absolute path) to ``path``; returns how many.
    ``secrets``: where each file's credentials stand, never written in full."""
    path = Path(path).resolve()
    base = str(path.parent)
    source = _Sources(secrets)
    counts = Counter((*_key(finding, base, abspath), finding.message, source(finding, abspath))
                     for finding, abspath in findings)
    entries = [
        {"path": rel, "code": code, "object": obj, "message": message, "source": text, "count": count}
        for (rel, code, obj, message, text), count in sorted(counts.items())
    ]
    data = {"version": VERSION, "tool": "xanoctl lint", "findings": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return sum(counts.values())


def load(path: str | Path) -> dict[tuple[str, str, str], list[list]]:
    """(path, code, object) -> [[message, source or None, count], ...]."""
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
    known: dict[tuple[str, str, str], list[list]] = {}
    for entry in data["findings"]:
        try:
            key = (entry["path"], entry["code"], entry.get("object", ""))
            known.setdefault(key, []).append([entry["message"], entry.get("source") or None,
                                              int(entry.get("count", 1))])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise UsageError(f"baseline {path}: malformed entry {entry!r}") from None
    return known


def filter_known(path: str | Path, findings: list[tuple[Finding, str]],
                 secrets: dict[str, list] | None = None, *, known: dict | None = None,
                 texts: dict[str, str] | None = None) -> tuple[list[tuple[Finding, str]], int]:
    """The findings not in the baseline at ``path``, and how many were in it. An entry with
    the same message is used first, then one that points at the same source text. ``known``:
    the baseline as :func:`load` read it (left as it is); ``texts``: the content of files
    (absolute paths) in place of what they hold on disk, for the source texts."""
    shared = load(path) if known is None else known
    known = {}  # the entries of the keys met, copied: their counts are used up below

    def entries_of(key):
        if key not in known:
            known[key] = [list(entry) for entry in shared.get(key, ())]
        return known[key]

    base = str(Path(path).resolve().parent)
    source = _Sources(secrets, texts)
    kept = []
    count = 0
    for finding, abspath in sorted(findings, key=lambda item: (item[1], item[0].line, item[0].column)):
        entries = entries_of(_key(finding, base, abspath))
        entry = next((e for e in entries if e[2] > 0 and e[0] == finding.message), None)
        if entry is None and entries:
            text = source(finding, abspath)
            entry = next((e for e in entries if e[2] > 0 and e[1] is not None and e[1] == text), None)
        if entry is not None:
            entry[2] -= 1
            count += 1
        else:
            kept.append((finding, abspath))
    return kept, count
