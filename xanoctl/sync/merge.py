"""The three-way merge of an object changed both locally and remotely since the last pull.

The base is the content last pulled (:mod:`xanoctl.sync.basestore` finds it), one side the
local file, the other the remote's XanoScript; the merge itself is the ``merge3`` package's
(line by line, as bzr and Breezy merge). Where both sides changed the same lines the result
holds both, between conflict markers::

    <<<<<<< local (your edit)
    ...
    =======
    ...
    >>>>>>> remote (Xano)

which the linter reports as a syntax error (XS001), so that they cannot be pushed. The final
newline is merged like a line: the side that changed it wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from xanoctl.lint.conflicts import CONFLICT_END, CONFLICT_MIDDLE, CONFLICT_START

LOCAL, REMOTE = "local (your edit)", "remote (Xano)"


@dataclass(frozen=True)
class Merged:
    data: bytes
    conflicts: int  # regions both sides changed, left between markers


def merge(base: bytes, local: bytes, remote: bytes) -> Merged | None:
    """The merge of ``local`` and ``remote``, both changed from ``base``; None when one of them
    is not UTF-8 text."""
    from merge3 import Merge3

    try:
        texts = [data.decode("utf-8") for data in (base, local, remote)]
    except UnicodeDecodeError:
        return None
    ends = [text.endswith("\n") for text in texts]
    merger = Merge3(*(_lines(text) for text in texts))
    conflicts = sum(1 for region in merger.merge_regions() if region[0] == "conflict")
    text = "".join(merger.merge_lines(name_a=LOCAL, name_b=REMOTE, start_marker=CONFLICT_START,
                                      mid_marker=CONFLICT_MIDDLE, end_marker=CONFLICT_END))
    final = ends[1] if ends[1] != ends[0] else ends[2]
    if not final and text.endswith("\n"):
        text = text[:-1]
    return Merged(text.encode("utf-8"), conflicts)


def _lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (only ``\\n`` ends a line, as for the parser), the last one
    too."""
    parts = (text if text.endswith("\n") else text + "\n").split("\n")
    return [part + "\n" for part in parts[:-1]]
