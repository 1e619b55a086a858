"""The rule catalogue as Markdown (``docs/rules.md``), generated from the rule docstrings.

    xanoctl rules --markdown > docs/rules.md

A test fails when the committed file differs from what this module generates.
"""

from __future__ import annotations

import json

from xanoctl.lint.rules import RULES, examples, explanation, fix_of, fix_text, summary


def rules_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "<!-- Generated from the rule docstrings by `xanoctl rules --markdown`; do not edit. -->",
        "",
        "`xanoctl lint --fix` applies the safe fixes, `--unsafe-fixes` the unsafe ones too (a rule's best "
        "guess), `--diff` shows them without writing.",
        "",
        "| code | name | default severity | fix | finds |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        fix = (fix_of(rule) or ("",))[0]
        lines.append(f"| [{rule.CODE}](#{rule.CODE.lower()}) | `{rule.NAME}` | {rule.SEVERITY} | {fix} | {summary(rule)} |")
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
    lines += [fix_text(rule), ""]
    found = examples(rule)
    for label in ("bad", "good"):
        if label in found:
            lines += [f"{label.capitalize()}:", "", f"```{fence}", found[label].rstrip("\n"), "```", ""]
    if rule.OPTIONS:
        lines += ["Options (`xanoctl.yaml`, defaults shown):", "", "```yaml", "lint:", "  rules:",
                  f"    {rule.CODE}: {json.dumps(rule.OPTIONS)}", "```", ""]
    return "\n".join(lines)
