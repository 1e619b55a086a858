"""A finding as the protocol's diagnostic: its range, severity, rule code with a link to the
rule's documentation, ``source`` "xanoctl", the places it relates to (the callee's input list,
the other endpoint of a route) and the tags editors draw (unused and unreachable code faded,
older syntax struck through)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from lsprotocol import types

from xanoctl.lint.finding import Finding, Span
from xanoctl.lsp.positions import span_range

SOURCE = "xanoctl"

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

# code that does nothing: editors fade it
UNNECESSARY = frozenset({"VR002", "CF002", "XS900"})
# older syntax with a current form: editors strike it through
DEPRECATED = frozenset({"XS002"})


class Related(NamedTuple):
    """A place a finding is about, in another file or the same one."""

    path: str
    span: Span
    message: str


def diagnostic(finding: Finding, lines: Sequence[str], *, href: str | None = None,
               related: Sequence[types.DiagnosticRelatedInformation] = ()) -> types.Diagnostic:
    """The diagnostic of ``finding`` in the text of ``lines`` (its file's)."""
    tags = []
    if finding.code in UNNECESSARY:
        tags.append(types.DiagnosticTag.Unnecessary)
    if finding.code in DEPRECATED:
        tags.append(types.DiagnosticTag.Deprecated)
    return types.Diagnostic(
        range=span_range(lines, (finding.line, finding.column, finding.end_line, finding.end_column)),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=list(related) or None,
        tags=tags or None,
    )


def related_places(finding: Finding, index) -> list[Related]:
    """The places ``finding`` relates to, from the workspace index: the declaration of each
    function it is about (with what it takes or answers), the other endpoints of a route, the
    other declarations of a name declared twice."""
    out: list[Related] = []
    if finding.code == "DU001":
        here = next((doc for doc in index.every_document if doc.path == finding.path and doc.pos[0] == finding.line),
                    None)
        if here is not None:
            out.extend(Related(doc.path, doc.pos, f"`{doc.name}` is declared here too")
                       for doc in index.every_document
                       if doc is not here and doc.kind == here.kind and doc.name == here.name)
        return out
    if finding.code == "RT001":
        from xanoctl.lint.rules.rt001 import routes_of

        for docs in routes_of(index).values():
            if len(docs) > 1 and any(doc.path == finding.path and doc.pos[0] == finding.line for doc in docs):
                out.extend(Related(doc.path, doc.pos, f"`{doc.verb} {doc.name}` answers the same route")
                           for doc in docs if not (doc.path == finding.path and doc.pos[0] == finding.line))
        return out
    for name in finding.related:
        fact = index.function(name)
        if fact is None:
            continue
        if finding.code in ("ID001", "ID002", "TY001") and fact.inputs is not None:
            takes = ", ".join(f"`{item.name}` ({item.type}{'' if item.required else ', optional'})"
                              for item in fact.inputs) or "no inputs"
            out.append(Related(fact.path, fact.pos, f"`{name}` takes {takes}"))
        elif finding.code in ("FP003", "FP004"):
            keys = ", ".join(f"`{key}`" for key in sorted(index.envelope_keys(name))) or "`success`, `data`, `error`"
            out.append(Related(fact.path, fact.pos, f"`{name}` answers an envelope with {keys}"))
        else:
            out.append(Related(fact.path, fact.pos, f"`{name}` is declared here"))
    return out


def related_information(places: Sequence[Related], lines_of: Callable[[str], Sequence[str] | None],
                        uri_of: Callable[[str], str]) -> list[types.DiagnosticRelatedInformation]:
    """``places`` as the protocol's related information (``lines_of(path)``: that file's
    lines, None when it cannot be read: the place is left out)."""
    out = []
    for place in places:
        lines = lines_of(place.path)
        if lines is None:
            continue
        out.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(place.path), range=span_range(lines, place.span)),
            message=place.message))
    return out


def rule_pages(folder: Path | None = None) -> Callable[[str], str | None]:
    """The link to each rule's documentation: a page per rule written once (from the rule's
    docstring, as ``xanoctl rules CODE`` shows it) under the user's cache folder; None for a
    rule whose page cannot be written."""
    from xanoctl import __version__

    root = folder or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xanoctl" / f"rules-{__version__}"
    written: dict[str, str | None] = {}

    def href(code: str) -> str | None:
        if code not in written:
            written[code] = _write_page(root, code)
        return written[code]

    return href


def _write_page(root: Path, code: str) -> str | None:
    from xanoctl.lint.ruledocs import rule_markdown
    from xanoctl.lint.rules import RULES

    rule = RULES.get(code)
    if rule is None:
        return None
    page = root / f"{code}.md"
    text = rule_markdown(rule, level=1) + "\n"
    try:
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            root.mkdir(parents=True, exist_ok=True)
            page.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return page.resolve().as_uri()
