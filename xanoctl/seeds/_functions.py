"""Render planned functions (:mod:`xanoctl.seeds._plan`) to XanoScript documents."""

from __future__ import annotations

import random

from xanoctl.seeds import _tasks, _utils, _workers
from xanoctl.seeds._body import Ctx, input_block
from xanoctl.seeds._format import export_blank_lines
from xanoctl.seeds._plan import Fn
from xanoctl.seeds._xs import block, indent, setting, stmt


def render_function(fn: Fn, seed: int) -> str:
    ctx = Ctx(fn, random.Random(f"{seed}:{fn.name}"))
    statements, response = {"Workers": _workers.worker_body, "Tasks": _tasks.task_body,
                            "Utils": _utils.util_body, "Archive": _workers.archive_body}[fn.folder](ctx)
    lines = [f"// {fn.description}"] if fn.description else []
    lines.append(f'function "{fn.name}" {{')
    lines += indent(input_block(fn.inputs))
    lines += ["", *indent(block("stack", statements)), ""]
    if fn.bugs.get("legacy_response"):
        lines += indent(stmt("response", [("value", response)]))
    else:
        lines += indent(setting("response", response))
    if fn.folder == "Archive":
        lines += ["", '  tags = ["archive"]']
    lines.append("}")
    return export_blank_lines("\n".join(lines))
