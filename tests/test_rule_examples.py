"""Every rule's docstring examples, run through the linter: the bad one produces the rule's
code, the good one produces nothing at all. Also checks every rule module's metadata."""

from __future__ import annotations

import re

import pytest

from xanoctl.lint.api import lint_paths
from xanoctl.lint.finding import SEVERITIES
from xanoctl.lint.rules import RULES, examples, summary

CODES = sorted(RULES)


def run(tmp_path, text: str):
    (tmp_path / "example.xs").write_text(text, encoding="utf-8")
    (tmp_path / "xanoctl.lock").write_text("{}", encoding="utf-8")  # the example is the whole workspace
    return lint_paths([tmp_path], use_cache=False)


@pytest.mark.parametrize("code", CODES)
def test_bad_example_produces_the_code(tmp_path, code):
    result = run(tmp_path, examples(RULES[code])["bad"])
    assert code in [finding.code for finding in result.findings]


@pytest.mark.parametrize("code", CODES)
def test_good_example_is_clean(tmp_path, code):
    result = run(tmp_path, examples(RULES[code])["good"])
    assert [(f.code, f.line, f.message) for f in result.findings] == []


@pytest.mark.parametrize("code", CODES)
def test_rule_metadata(code):
    rule = RULES[code]
    assert rule.CODE == code and re.fullmatch(r"[A-Z]{2,3}\d{3}", code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.NAME)
    assert rule.SEVERITY in SEVERITIES
    assert isinstance(rule.OPTIONS, dict)
    assert rule.SCOPE in ("syntax", "document", "workspace", "engine")
    assert summary(rule).endswith(".")
    if rule.SCOPE in ("document", "workspace"):
        assert callable(rule.check)
    names = [rule.NAME for rule in RULES.values()]
    assert len(set(names)) == len(names)
