"""docs/rules.md is generated from the rule docstrings and must not go stale."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xanoctl.cli import main
from xanoctl.lint.rules import RULES
from xanoctl.lint.ruledocs import rules_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: regenerate it with `xanoctl rules --markdown > docs/rules.md`"
    )


def test_every_rule_has_a_section_with_both_examples():
    text = rules_markdown()
    for code in RULES:
        section = text.split(f"## {code}\n", 1)[1].split("\n## ", 1)[0]
        assert "Bad:" in section and "Good:" in section, code


def test_cli_prints_the_same_markdown():
    result = CliRunner().invoke(main, ["rules", "--markdown"])
    assert result.exit_code == 0 and result.output == rules_markdown()
