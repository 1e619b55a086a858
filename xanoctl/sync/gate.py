"""The push gate: the workspace as production will run it once the push is done, linted.

A push changes some objects and leaves the others as the remote has them. So the gate judges
(:mod:`xanoctl.lint.changed`) the change from the workspace *before* the push (every object as
the remote has it: the objects pushed as just read, the others as last pulled) to the
workspace *after* it (the objects pushed as their files hold them, deleted ones gone; every
other object still as last pulled, whatever its file holds now; files not pushed that the
remote does not have, absent). It stops the push on the errors of the files pushed and on every
finding the push causes in the files it does not touch: a caller of a function deleted,
renamed or given other inputs, a query of a column removed... (``--no-lint`` skips it).
"""

from __future__ import annotations

import os
from typing import Any

from xanoctl.lint.changed import Changes
from xanoctl.sync.context import Context
from xanoctl.sync.localscan import untracked_files
from xanoctl.sync.manifest import sha256_bytes
from xanoctl.sync.plan import Plan

WRITES = ("update", "create")


def push_change(ctx: Context, plan: Plan) -> tuple[Changes, set[str]]:
    """The change a plan makes, and the paths (relative) of the files judged as the remote has
    them rather than as they are on disk (edited, or deleted, but not pushed)."""
    root = ctx.folder.root
    out = Changes(set())
    remote_side: set[str] = set()

    def real(rel: str) -> str:
        return os.path.realpath(root / rel)

    planned = {step.path for step in plan.steps}
    for step in plan.steps:
        path = real(step.path)
        snapshot = (step.before or {}).get("xanoscript")
        out.before[path] = snapshot.encode("utf-8") if snapshot is not None else None
        if step.action in WRITES and step.content is not None:
            out.paths.add(path)
            content = step.content.encode("utf-8")
            if ctx.folder.read(step.path) != content:
                out.after[path] = content
        else:
            out.after[path] = None
    for entry in ctx.manifest.entries.values():
        if entry.path in planned:
            continue
        data = ctx.folder.read(entry.path)
        if data is not None and sha256_bytes(data) == entry.sha256:
            continue  # as pulled
        base = ctx.base(entry)
        if base is None:
            out.notes.append(f"{entry.path}: not pushed, and its pulled content is not at hand (not in "
                             ".xanoctl/objects/ nor in git): judged as the file is")
            continue
        out.after[real(entry.path)] = base
        remote_side.add(entry.path)
    for rel in untracked_files(ctx.folder, ctx.manifest.by_path()):
        if rel in planned:
            continue
        out.after[real(rel)] = None  # a new file not pushed: the remote does not have it
    return out, remote_side


def lint_gate(ctx: Context) -> Any:
    """The gate of :func:`xanoctl.sync.push.execute`: lint the workspace after the plan, with
    the workspace's lint settings. Returns the :class:`~xanoctl.lint.engine.LintResult`."""
    def gate(plan: Plan) -> Any:
        from xanoctl.lint.api import lint_paths
        from xanoctl.lint.config import load_config
        from xanoctl.lint.files import display_path

        config = load_config(ctx.config.config_file) if ctx.config.config_file else load_config(start=ctx.folder.root)
        change, remote_side = push_change(ctx, plan)
        result = lint_paths([str(ctx.folder.root)], config, change=change)
        flagged = {finding.path for finding in result.findings}
        for rel in sorted(remote_side):
            if display_path(str(ctx.folder.root / rel)) in flagged:
                result.notes.append(f"{rel}: judged as the remote has it (as last pulled), not as your edited copy, "
                                    "which this push leaves out: push it too if your edit fixes it")
        return result
    return gate
