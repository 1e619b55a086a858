"""Every real exported file that Xano's official parser accepts parses with ours.

The corpus (``<project>/../shared/corpus``, real exports of public workspaces with the official
parser's verdict on each file) is not part of the project: the test is skipped when it is absent.
Files the official parser rejects only for syntax newer than it (``guid``, ``visibility``,
``enforce_hidden_fields``, ``lambda_*`` filters) are valid today and must parse too.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.parser import parse_documents, read_source

sys.path.insert(0, str(Path(__file__).parent))
from damage import damage  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
VERDICTS = CORPUS / "official-parser-verdicts.jsonl"
NEWER_SYNTAX = re.compile(r"\bguid\b|\bvisibility\b|\benforce_hidden_fields\b|\blambda_")


def must_parse(verdict: dict) -> bool:
    """Accepted by the official parser, or refused only for syntax newer than it."""
    errors = verdict["errors"]
    return verdict["ok"] or bool(errors) and all(NEWER_SYNTAX.search(error["message"]) for error in errors)


@pytest.fixture(scope="module")
def verdicts() -> list[dict]:
    if not VERDICTS.is_file():
        pytest.skip(f"no corpus at {CORPUS}")
    return [json.loads(line) for line in VERDICTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_newer_syntax_reasons_are_recognised():
    guid = {"ok": False, "errors": [{"line": 3, "col": 3, "message": "Expecting --> } <-- but found --> 'guid' <--"}]}
    mixed = {"ok": False, "errors": [
        {"line": 3, "col": 3, "message": "The argument 'enforce_hidden_fields' is not valid in this context"},
        {"line": 9, "col": 5, "message": "data requires a least one entry"},
    ]}
    syntax = {"ok": False, "errors": [{"line": 3, "col": 9, "message": "Expecting --> } <-- but found --> '(' <--"}]}
    assert must_parse(guid) and not must_parse(mixed) and not must_parse(syntax)
    assert must_parse({"ok": True, "errors": []})


def test_every_file_the_official_parser_accepts_parses(verdicts):
    required = [verdict["file"] for verdict in verdicts if must_parse(verdict)]
    assert len(required) > 1000, "the verdicts file lists far fewer files than the corpus holds"
    failures = []
    for name in required:
        try:
            documents = parse_documents(read_source(CORPUS / name), name)
        except XanoSyntaxError as exc:
            failures.append(f"{name}:{exc.line}:{exc.column}: {exc.message}")
            continue
        if not documents or not all(document.kind for document in documents):
            failures.append(f"{name}: no document read")
    assert not failures, f"{len(failures)} of {len(required)} real files do not parse:\n" + "\n".join(failures)


def test_damaged_real_files_give_a_syntax_error_with_a_position_never_a_crash(verdicts):
    """Real files with a few characters deleted, inserted or doubled (as a slip of the hand or
    a bad merge does): each parses or is refused with a XanoSyntaxError that names a line and
    a column inside the text; no other exception escapes the parser."""
    rng = random.Random(20261126)
    names = sorted(verdict["file"] for verdict in verdicts if must_parse(verdict))[::9]
    refused = 0
    for name in names:
        text = read_source(CORPUS / name)
        for _ in range(3):
            damaged = damage(text, rng)
            try:
                parse_documents(damaged, name)
            except XanoSyntaxError as exc:
                refused += 1
                assert exc.line and 1 <= exc.line <= damaged.count("\n") + 1, (name, damaged, str(exc))
                assert exc.column and exc.column >= 1, (name, str(exc))
    assert refused > len(names), "the damage should break most files"
