"""`xanoctl rules [CODE]`: the rule catalogue, or one rule with its examples."""

from __future__ import annotations

import click


@click.command()
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="The catalogue as JSON.")
@click.option("--markdown", is_flag=True, help="The whole catalogue as Markdown (docs/rules.md).")
def rules(code, as_json, markdown):
    """List the lint rules, or explain one (with a bad and a good example)."""
    import json

    from xanoctl.errors import UsageError
    from xanoctl.lint.rules import RULES, examples, explanation, fix_of, fix_text, suggest_code, summary

    def fix_json(rule) -> dict | None:
        found = fix_of(rule)
        return {"applicability": found[0], "description": found[1]} if found else None

    if markdown:
        from xanoctl.lint.ruledocs import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    if code is None:
        if as_json:
            click.echo(json.dumps([
                {"code": rule.CODE, "name": rule.NAME, "severity": rule.SEVERITY, "summary": summary(rule),
                 "options": rule.OPTIONS, "fix": fix_json(rule), "examples": examples(rule)}
                for rule in RULES.values()
            ], indent=2))
            return
        width = max(len(rule.NAME) for rule in RULES.values())
        for rule in RULES.values():
            click.echo(f"{rule.CODE}  {rule.NAME:<{width}}  {rule.SEVERITY:<7}  {summary(rule)}")
        click.echo("\n`xanoctl rules CODE` explains one rule, with a bad and a good example.")
        return
    rule = RULES.get(code.upper())
    if rule is None:
        hint = suggest_code(code)
        raise UsageError(f"no rule {code!r}" + (f"; did you mean {hint}?" if hint else
                         "; `xanoctl rules` lists them"))
    if as_json:
        click.echo(json.dumps({"code": rule.CODE, "name": rule.NAME, "severity": rule.SEVERITY,
                               "summary": summary(rule), "explanation": explanation(rule),
                               "options": rule.OPTIONS, "fix": fix_json(rule), "examples": examples(rule)},
                              indent=2))
        return
    click.echo(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY})")
    click.echo(f"{summary(rule)}\n")
    click.echo(f"{fix_text(rule).replace('`', '')}\n")
    click.echo(explanation(rule).replace("Bad::", "Bad:").replace("Good::", "Good:"))
    if rule.OPTIONS:
        click.echo("\nConfigure in xanoctl.yaml:\n\n  lint:\n    rules:")
        click.echo(f"      {rule.CODE}: {json.dumps(rule.OPTIONS)}")
