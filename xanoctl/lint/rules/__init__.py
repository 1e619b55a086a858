"""The rule catalogue: one module per rule.

Each module defines ``CODE``, ``NAME`` (short, kebab-case), ``SEVERITY`` (default),
``OPTIONS`` (name -> default), ``SCOPE`` and a docstring whose first line is the summary and
which holds a ``Bad::`` and a ``Good::`` XanoScript example (tested: the bad one produces the
code, the good one does not). ``SCOPE`` says where the rule runs:

- ``document``: ``check(doc, ctx: DocContext)`` yields :class:`~xanoctl.lint.finding.Problem`;
- ``workspace``: ``check(index, ctx: IndexContext)`` yields problems with their path;
- ``syntax`` / ``engine``: reported by the engine itself (parse failures, suppressions).

A rule that offers fixes says so in ``FIX``: (applicability: ``safe``, ``unsafe`` or
``safe/unsafe``, what the fix does); see :mod:`xanoctl.lint.fixes`.
"""

from __future__ import annotations

import difflib
import importlib
import textwrap
from types import ModuleType

_MODULES = (
    "xs001", "xs002", "fp001", "fp002", "fp003", "ep001", "sc001", "sc002",
    "id001", "id002", "xr001", "fp004", "cf002", "fl001", "fl002", "xs003", "vr001", "vr002", "in001", "ty001",
    "xr002", "xr003", "ev001", "db001", "db002", "db003", "rt001", "du001", "sec001", "sec002", "st001", "pf001",
    "ts001", "ts002", "ts003", "xs900",
)

RULES: dict[str, ModuleType] = {}
for _name in _MODULES:
    _module = importlib.import_module(f"{__name__}.{_name}")
    RULES[_module.CODE] = _module

DOCUMENT_RULES = tuple(rule for rule in RULES.values() if rule.SCOPE == "document")
WORKSPACE_RULES = tuple(rule for rule in RULES.values() if rule.SCOPE == "workspace")
# what runs over a workspace's index: the workspace rules, and the part of a document rule that
# needs the workspace for some documents (``check_workspace``: IN001's linked inputs)
WORKSPACE_CHECKS = tuple((rule, rule.check if rule.SCOPE == "workspace" else rule.check_workspace)
                         for rule in RULES.values()
                         if rule.SCOPE == "workspace" or hasattr(rule, "check_workspace"))


def get_rule(code: str) -> ModuleType:
    return RULES[code]


def fix_of(rule: ModuleType) -> tuple[str, str] | None:
    """How the rule fixes what it finds: (applicability, what the fix does), or None."""
    return getattr(rule, "FIX", None)


def fix_text(rule: ModuleType) -> str:
    """One sentence on the rule's fix, for ``xanoctl rules CODE`` and the catalogue."""
    found = fix_of(rule)
    if found is None:
        return "No automatic fix."
    how, what = found
    when = {"safe": "safe, applied by `--fix`", "unsafe": "unsafe, applied by `--unsafe-fixes`"}.get(
        how, "safe or unsafe: `--fix` applies the safe ones, `--unsafe-fixes` all")
    return f"Fix ({when}): {what}."


def suggest_code(code: str) -> str | None:
    """The known code closest to ``code`` (``FP03`` -> ``FP003``), if any."""
    found = difflib.get_close_matches(code.upper(), list(RULES), n=1, cutoff=0.6)
    return found[0] if found else None


def summary(rule: ModuleType) -> str:
    return (rule.__doc__ or "").strip().splitlines()[0].strip()


def explanation(rule: ModuleType) -> str:
    """The docstring, dedented, without its first line."""
    doc = rule.__doc__ or ""
    first, _, rest = doc.strip("\n").partition("\n")
    return textwrap.dedent(rest).strip("\n")


def examples(rule: ModuleType) -> dict[str, str]:
    """The ``Bad::`` and ``Good::`` examples of a rule's docstring, dedented."""
    found: dict[str, str] = {}
    lines = explanation(rule).splitlines()
    index = 0
    while index < len(lines):
        label = lines[index].strip()
        if label in ("Bad::", "Good::"):
            block: list[str] = []
            index += 1
            while index < len(lines) and (not lines[index].strip() or lines[index].startswith("    ")):
                block.append(lines[index])
                index += 1
            found[label[:-2].lower()] = textwrap.dedent("\n".join(block)).strip("\n") + "\n"
            continue
        index += 1
    return found
