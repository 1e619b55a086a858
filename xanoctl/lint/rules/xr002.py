r"""Live code calls a function kept in the archive folder.

Functions moved to `Archive/` are on their way out: nobody maintains them, and the next clean-up
deletes them. A function, task, endpoint (or any other object) outside the archive that still
calls one keeps it alive without anyone knowing. Calls from inside the archive are left alone.
The option `folders` names the archive folders (default `["Archive"]`); a function is in one
when a folder of its name is (`Archive/X`, `Stripe/Archive/X`), compared without regard to
case.

Bad::

    function "Archive/FUB - Sync People (old)" {
      input {
      }
      stack {
        var $people { value = [] }
      }
      response = $people
    }
    ---
    task "FUB - Sync People" {
      active = true
      stack {
        function.run "Archive/FUB - Sync People (old)" as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }

Good::

    function "Workers/FUB - Sync People" {
      input {
      }
      stack {
        var $people { value = [] }
      }
      response = {success: true, data: {people: $people}, error: null}
    }
    ---
    task "FUB - Sync People" {
      active = true
      stack {
        function.run "Workers/FUB - Sync People" as $result
      }
      schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.files import KIND_FOLDERS
from xanoctl.lint.finding import Problem

CODE = "XR002"
NAME = "calls-archive"
SEVERITY = "warning"
OPTIONS: dict = {"folders": ["Archive"]}
SCOPE = "workspace"


def check(index, ctx) -> Iterator[Problem]:
    folders = {str(folder).strip("/").casefold() for folder in ctx.options(CODE)["folders"] or ()}
    folders.discard("")
    if not folders:
        return

    def archived(name: str) -> bool:
        return any(part.casefold() in folders for part in name.split("/")[:-1])

    for doc in index.documents:
        calls = [ref for ref in doc.refs if ref.kind == "function" and ref.mode == "call" and archived(ref.name)]
        if not calls or archived(doc.name):
            continue
        if _in_folder(doc.path, folders):
            continue  # a task or endpoint kept in an archive folder of its own
        for ref in calls:
            folder = next(part for part in ref.name.split("/")[:-1] if part.casefold() in folders)
            message = (f"`{ref.via} \"{ref.name}\"`: calls a function in `{folder}/`, outside the "
                       f"live code; move the function out of the archive or stop calling it")
            yield Problem(ref.pos, message, None, doc.path, doc.obj, (ref.name,))


def _in_folder(path: str, folders: set[str]) -> bool:
    """Whether the file sits in one of ``folders`` below its kind's folder (``task/Archive/x.xs``)."""
    parts = path.replace("\\", "/").split("/")[:-1]
    kinds = [number for number, part in enumerate(parts) if part in KIND_FOLDERS]
    return bool(kinds) and any(part.casefold() in folders for part in parts[kinds[-1] + 1:])
