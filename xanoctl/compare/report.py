"""A comparison as text (a terminal), Markdown (a pull request comment, the manual) or JSON
(the contract: ``a``, ``b``, ``only_a``, ``only_b``, ``renamed``, ``changed``, ``same``)."""

from __future__ import annotations

import json

from xanoctl.compare.match import Comparison
from xanoctl.compare.objects import Obj


def as_json(result: Comparison, with_diff: bool = False) -> str:
    def obj(o: Obj) -> dict:
        return {"kind": o.kind, "name": o.label, "path": o.path, **({"shared": True} if o.shared else {})}

    changed = []
    for change in result.changed:
        item = {"kind": change.b.kind, "name": change.b.label, "a_path": change.a.path, "b_path": change.b.path,
                "aspects": change.aspects, "details": change.details, "added_lines": change.added_lines,
                "removed_lines": change.removed_lines}
        if change.a.shared or change.b.shared:
            item["shared"] = True
        if with_diff:
            item["diff"] = "\n".join(change.diff)
        changed.append(item)
    data = {
        "a": result.a, "b": result.b,
        "only_a": [obj(o) for o in result.only_a], "only_b": [obj(o) for o in result.only_b],
        "renamed": [{"kind": b.kind, "a_name": a.label, "b_name": b.label, "a_path": a.path, "b_path": b.path}
                    for a, b in result.renamed],
        "changed": changed, "same": result.same,
    }
    if result.notes:
        data["notes"] = result.notes
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(result: Comparison) -> str:
    return (f"{len(result.only_a)} only in {result.a}, {len(result.only_b)} only in {result.b}, "
            f"{len(result.renamed)} renamed, {len(result.changed)} changed, {result.same} the same")


def as_text(result: Comparison, with_diff: bool = False) -> str:
    out = [f"{result.a} -> {result.b}: {summary(result)}"]
    for title, objs in ((f"Only in {result.a}", result.only_a), (f"Only in {result.b}", result.only_b)):
        if objs:
            out += ["", f"{title}:"]
            out += [f"  {o.kind:<10} {o.label}  ({o.path}){_shared(o)}" for o in objs]
    if result.renamed:
        out += ["", "Renamed:"]
        out += [f"  {b.kind:<10} {a.label} -> {b.label}" for a, b in result.renamed]
    if result.changed:
        out += ["", "Changed:"]
        for change in result.changed:
            out.append(f"  {change.b.kind:<10} {change.b.label}  [{', '.join(change.aspects)}]  "
                       f"+{change.added_lines} -{change.removed_lines}{_shared(change.a, change.b)}")
            out += [f"      {line}" for line in change.details]
            if with_diff:
                out += [f"      {line}" for line in change.diff]
    out += [f"note: {note}" for note in result.notes]
    return "\n".join(out) + "\n"


def as_markdown(result: Comparison, with_diff: bool = False) -> str:
    out = [f"## `{result.a}` compared with `{result.b}`", "", summary(result).replace(result.a, f"`{result.a}`", 1)
           .replace(f"only in {result.b}", f"only in `{result.b}`"), ""]
    for title, objs in ((f"Only in `{result.a}`", result.only_a), (f"Only in `{result.b}`", result.only_b)):
        if objs:
            out += [f"### {title}", "", "| kind | name | path |", "|---|---|---|"]
            out += [f"| {o.kind} | {_cell(o.label)}{_shared(o)} | `{_cell(o.path)}` |" for o in objs]
            out.append("")
    if result.renamed:
        out += ["### Renamed", "", "| kind | was | now |", "|---|---|---|"]
        out += [f"| {b.kind} | {_cell(a.label)} | {_cell(b.label)} |" for a, b in result.renamed]
        out.append("")
    if result.changed:
        out += ["### Changed", "", "| kind | name | aspects | lines |", "|---|---|---|---|"]
        out += [f"| {c.b.kind} | {_cell(c.b.label)}{_shared(c.a, c.b)} | {', '.join(c.aspects)} | "
                f"+{c.added_lines} -{c.removed_lines} |" for c in result.changed]
        out.append("")
        for change in result.changed:
            out += [f"#### {change.b.kind} {_cell(change.b.label)}", ""]
            out += [f"- {_cell(line)}" for line in change.details]
            if with_diff and change.diff:
                out += ["", "```diff", *change.diff, "```"]
            out.append("")
    out += [f"> note: {note}" for note in result.notes]
    return "\n".join(out).rstrip("\n") + "\n"


def _shared(*objs: Obj) -> str:
    """The mark of an object that every branch shares (a table seen from a live branch)."""
    return "  (shared by every branch)" if any(o.shared for o in objs) else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
