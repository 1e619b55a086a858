"""The rule catalogue as Markdown (``docs/rules.md``), generated from the rule docstrings.

    xanoctl rules --markdown > docs/rules.md

A test fails when the committed file differs from what this module generates.
"""

from __future__ import annotations

import json

from xanoctl.lint.rules import RULES, examples, explanation, summary


def rules_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "<!-- Generated from the rule docstrings by `xanoctl rules --markdown`; do not edit. -->",
        "",
        "| code | name | default severity | finds |",
        "|---|---|---|---|",
    ]
    for rule in RULES.values():
        lines.append(f"| [{rule.CODE}](#{rule.CODE.lower()}) | `{rule.NAME}` | {rule.SEVERITY} | {summary(rule)} |")
    for rule in RULES.values():
        lines += ["", *rule_markdown(rule).split("\n")]
    return "\n".join(lines).rstrip("\n") + "\n"


def rule_markdown(rule, level: int = 2, fence: str = "") -> str:
    """One rule's section: its heading, explanation, examples and options (``fence``: the
    language named on its examples' code fences)."""
    lines = [f"{'#' * level} {rule.CODE}", "", f"**{rule.NAME}** ({rule.SEVERITY}): {summary(rule)}", ""]
    prose = explanation(rule).split("Bad::")[0].strip()
    if prose:
        lines += [prose, ""]
    found = examples(rule)
    for label in ("bad", "good"):
        if label in found:
            lines += [f"{label.capitalize()}:", "", f"```{fence}", found[label].rstrip("\n"), "```", ""]
    if rule.OPTIONS:
        lines += ["Options (`xanoctl.yaml`, defaults shown):", "", "```yaml", "lint:", "  rules:",
                  f"    {rule.CODE}: {json.dumps(rule.OPTIONS)}", "```", ""]
    return "\n".join(lines)
