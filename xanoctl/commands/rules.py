"""`xanoctl rules [CODE]`: the rule catalogue, or one rule with its examples."""

from __future__ import annotations

import textwrap

import click

from xanoctl.ui.output import format_option, print_json, width as terminal_width


@click.command()
@click.argument("code", required=False)
@format_option("text", "json", "markdown", aliases=("json", "markdown"),
               help="text: a table (or one rule explained); json: the same for machines; markdown: the whole "
                    "catalogue (docs/rules.md).")
def rules(code, fmt):
    """List the lint rules, sorted by code, or explain one (with a bad and a good example).

    \b
    Examples:
      xanoctl rules                 the catalogue
      xanoctl rules FP003           one rule, with a bad and a good example
      xanoctl rules --format json   the catalogue for machines
    """
    from xanoctl.errors import UsageError
    from xanoctl.lint.rules import RULES, examples, explanation, fix_of, fix_text, suggest_code, summary

    def fix_json(rule) -> dict | None:
        found = fix_of(rule)
        return {"applicability": found[0], "description": found[1]} if found else None

    if fmt == "markdown":
        from xanoctl.lint.ruledocs import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    ordered = sorted(RULES.values(), key=lambda rule: rule.CODE)
    if code is None:
        if fmt == "json":
            print_json([
                {"code": rule.CODE, "name": rule.NAME, "severity": rule.SEVERITY, "summary": summary(rule),
                 "options": rule.OPTIONS, "fix": fix_json(rule), "examples": examples(rule)}
                for rule in ordered
            ])
            return
        codes = max(len(rule.CODE) for rule in ordered)
        names = max(len(rule.NAME) for rule in ordered)
        indent = codes + names + 13  # the summaries' column
        columns = terminal_width()
        room = None if columns is None or columns - indent < 20 else columns - indent
        for rule in ordered:
            lines = textwrap.wrap(summary(rule), room) if room else [summary(rule)]
            click.echo(f"{rule.CODE:<{codes}}  {rule.NAME:<{names}}  {rule.SEVERITY:<7}  "
                       + ("\n" + " " * indent).join(lines))
        click.echo("\n`xanoctl rules CODE` explains one rule, with a bad and a good example.")
        return
    rule = RULES.get(code.upper())
    if rule is None:
        hint = suggest_code(code)
        raise UsageError(f"no rule {code!r}" + (f"; did you mean {hint}?" if hint else
                         "; `xanoctl rules` lists them"))
    if fmt == "json":
        print_json({"code": rule.CODE, "name": rule.NAME, "severity": rule.SEVERITY, "summary": summary(rule),
                    "explanation": explanation(rule), "options": rule.OPTIONS, "fix": fix_json(rule),
                    "examples": examples(rule)})
        return
    click.echo(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY})")
    click.echo(f"{summary(rule)}\n")
    click.echo(f"{fix_text(rule).replace('`', '')}\n")
    click.echo(explanation(rule).replace("Bad::", "Bad:").replace("Good::", "Good:"))
    if rule.OPTIONS:
        click.echo("\nConfigure in xanoctl.yaml:\n\n  lint:\n    rules:")
        import json

        click.echo(f"      {rule.CODE}: {json.dumps(rule.OPTIONS)}")
