"""Shared by ID001 and ID002: what a ``function.run`` passes against what its callee takes."""

from __future__ import annotations

import difflib

from xanoctl.lint.facts import CallFact, FunctionFact


def unknown_inputs(call: CallFact, callee: FunctionFact) -> list[tuple[str, tuple, str | None]]:
    """(key, position, closest undeclared-and-unpassed input name or None) for every key the
    call passes that the callee does not declare."""
    declared = [item.name for item in callee.inputs or ()]
    passed = {key for key, _ in call.inputs or ()}
    free = [name for name in declared if name not in passed]
    out = []
    for key, pos in call.inputs or ():
        if key in declared:
            continue
        out.append((key, pos, closest(key, free)))
    return out


def closest(name: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if found:
        return found[0]
    # `id` given where `ad_user_id` is declared: one name inside the other
    inside = [c for c in candidates if len(name) >= 2 and (name in c or c in name)]
    return inside[0] if len(inside) == 1 else None
