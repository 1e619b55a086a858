"""Every fix the rules offer over the real exports of the shared corpus (``../shared/corpus``,
read in place, never copied; skipped when absent): the fixed file parses and the finding the
fix was for is gone. And ``--unsafe-fixes`` over the whole corpus applies every fix and leaves
no file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from xanoctl.errors import XanoSyntaxError
from xanoctl.language.parser import parse_documents
from xanoctl.lint.api import lint_paths
from xanoctl.lint.apply_fixes import changes, apply_changes, choose, line_starts, map_back, offset, position
from xanoctl.lint.fixing import fix

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_every_fix_parses_and_removes_its_finding(cache):
    before = lint_paths([CORPUS], cache_dir=cache)
    todo = [finding for finding in before.findings if finding.fix is not None]
    assert len(todo) > 150, "the corpus has far fewer fixable findings than it did"
    failures: list[str] = []
    while todo:  # rounds of fixes that can go together; the others in the next round
        taken, _ = choose((number, finding.fix, before.sources[finding.path]) for number, finding in enumerate(todo))
        applied = [todo[number] for number in taken]
        todo = [finding for number, finding in enumerate(todo) if number not in set(taken)]
        by_file: dict[str, list] = {}
        for finding in applied:
            by_file.setdefault(before.sources[finding.path], []).append(finding)
        texts, made = {}, {}
        for path, found in by_file.items():
            original = Path(path).read_text(encoding="utf-8")
            made[path] = changes(original, [edit for finding in found for edit in finding.fix.edits])
            texts[path] = apply_changes(original, made[path])
            try:
                parse_documents(texts[path], path)
            except XanoSyntaxError as error:
                failures.append(f"{path}: does not parse once fixed: {error}")
        after = lint_paths([CORPUS], cache_dir=cache, texts={path: text.encode() for path, text in texts.items()})
        for finding in applied:
            path = before.sources[finding.path]
            for later in after.findings:
                if later.code != finding.code or after.sources[later.path] != path:
                    continue
                start, end = _original(texts[path], made[path], Path(path).read_text(encoding="utf-8"), later)
                if start <= (finding.end_line, finding.end_column) and (finding.line, finding.column) <= end:
                    failures.append(f"{finding.path}:{finding.line}: {finding.code} still there after "
                                    f"`{finding.fix.title}`")
    assert failures == []


def _original(fixed: str, made, original: str, finding) -> tuple[tuple[int, int], tuple[int, int]]:
    """A finding's range on the fixed text, in the original's lines and columns."""
    starts = line_starts(fixed)
    start = map_back(made, offset(fixed, starts, finding.line, finding.column))
    end = map_back(made, offset(fixed, starts, finding.end_line, finding.end_column), end=True)
    first = line_starts(original)
    return position(first, start), position(first, end)


def test_unsafe_fixes_over_the_corpus_fix_everything_and_refuse_nothing(cache):
    run = fix(lambda texts: lint_paths([CORPUS], cache_dir=cache, texts=texts), unsafe=True, write=False)
    assert run.left == []
    assert [f for f in run.result.findings if f.fix is not None] == []
    fixable = sum(1 for f in run.before.findings if f.fix is not None)
    assert run.fixed == fixable and len(run.result.findings) == len(run.before.findings) - fixable
    for path, (old, new) in run.changed.items():  # nothing written
        assert Path(path).read_bytes() == old != new
