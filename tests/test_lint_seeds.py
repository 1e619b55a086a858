"""The linter on whole workspaces: the demo seed yields exactly its planted bugs, the
generated workspace (clean by construction) yields nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from xanoctl.lint.api import lint_paths
from xanoctl.seeds import load_seed
from xanoctl.seeds.generate import generate


def write_seed(seed, folder: Path) -> dict[str, object]:
    """Each object in its own file; returns file path -> object."""
    where: dict[str, object] = {}
    for number, obj in enumerate(seed.objects):
        path = folder / obj.kind / f"{number:05d}.xs"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(obj.xanoscript, encoding="utf-8")
        where[str(path)] = obj
    (folder / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return where


def test_demo_seed_gives_exactly_its_planted_findings(tmp_path):
    seed = load_seed("demo")
    where = write_seed(seed, tmp_path)
    result = lint_paths([tmp_path], use_cache=False)
    found = sorted(
        (f.code, where[str(tmp_path / f.path) if not Path(f.path).is_absolute() else f.path].kind,
         where[str(tmp_path / f.path) if not Path(f.path).is_absolute() else f.path].name, f.line, f.column)
        for f in result.findings)
    planted = sorted((bug.code, bug.kind, bug.name, bug.line, bug.column)
                     for bug in seed.planted if not bug.code.startswith("XX"))
    assert found == planted
    assert result.exit_code == 1


def test_demo_seed_messages_name_the_objects(tmp_path):
    seed = load_seed("demo")
    write_seed(seed, tmp_path)
    messages = [f.message for f in lint_paths([tmp_path], use_cache=False).findings]
    assert "`$result.people`: `Workers/FUB - Sync People` returns an envelope; read `$result.data.people`" \
        in messages
    assert "`Workers/FUB - Sync People` has no input `user_id`; did you mean `ad_user_id`?" in messages
    assert ('`function.run "Workers/Slack - Post Digest"`: no function of that name in the workspace; '
            'did you mean `Workers/Slack - Post Message`?') in messages


def test_generated_workspace_is_clean(tmp_path):
    seed = generate()  # the benchmark's workspace: ~150,000 lines, no bug planted
    write_seed(seed, tmp_path)
    result = lint_paths([tmp_path], use_cache=False)
    assert result.lines > 100_000
    assert [(f.code, f.path, f.line, f.message) for f in result.findings if f.code != "PF001"] == []
    # the generated reconciling workers query once per record, as real ones do (a performance
    # warning, PF001, true each time); the benchmark's workload is kept as it was
    repeated = {f.message.split(" runs once")[0].split("` inside ")[1] for f in result.findings if f.code == "PF001"}
    assert repeated <= {"`foreach ($input.records)`", "`foreach ($batch)`"}


@pytest.mark.parametrize("number", [0, 1, 2])
def test_generated_workspace_gives_exactly_its_planted_bugs(tmp_path, number):
    seed = generate(functions=400, endpoints=200, tasks=30, seed=number, plant_bugs=True)
    where = write_seed(seed, tmp_path)
    result = lint_paths([tmp_path], use_cache=False)
    found = sorted((f.code, where[str(tmp_path / f.path) if not Path(f.path).is_absolute() else f.path].name,
                    f.line, f.column) for f in result.findings if f.code != "PF001")  # as above
    planted = sorted((bug.code, bug.name, bug.line, bug.column)
                     for bug in seed.planted if not bug.code.startswith("XX"))
    assert planted and found == planted


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.xs")), ids=lambda p: p.name)
def test_rules_never_crash_on_the_grammar_fixtures(path):
    """Every construct of the reference, through every rule: findings only, well placed."""
    result = lint_paths([path], use_cache=False)
    lines = path.read_text(encoding="utf-8").split("\n")
    for finding in result.findings:
        assert finding.code != "XS001", finding.message
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert finding.column >= 1 and (finding.end_line > finding.line or finding.end_column > finding.column)
