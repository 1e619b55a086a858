"""Helpers for the tests of the views (graph, docs): write a hand-made workspace."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_workspace(root: Path, files: dict[str, str]) -> Path:
    """Each file (dedented) under ``root``, with a ``xanoctl.lock`` so that it is a workspace."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
    return root
