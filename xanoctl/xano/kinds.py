"""The kinds of object xanoctl pulls and pushes: one table, read by every layer.

A kind is named by its XanoScript keyword (``function``, ``query``...). :data:`TABLE` says, for
each, where the Metadata API keeps it (its collection under ``/workspace/{wid}``), which folder
holds its files (the same in the readable layout and the official CLI's), the other names a
user may type for it, and its place in the order of a pull and of the official CLI's multidoc.
The client, the workspace tree, pull, status, diff, push, rollback and the emulator derive
their lists from it; adding a kind starts here (``docs/kinds.md`` lists the rest of the steps).

No I/O, no imports of the project: every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the XanoScript keyword of its documents
    collection: str  # the Metadata API's path under /workspace/{wid}; {group_id} for endpoints
    folder: str  # the top folder of its files, in both layouts
    aliases: tuple[str, ...] = ()  # other names a user may type (`--kind functions`)
    grouped: bool = False  # listed per API group (an endpoint: `query`)
    # one set serves every branch, and a write through any branch changes the live database:
    # Xano's documentation ("Branches do not apply to the database"; a branch copies "business
    # logic (APIs, Functions, Addons, and Tasks)") and its TypeScript SDK ("Tables and
    # microservices carry no branch dimension") agree
    workspace: bool = False


# In pull order, which is the official CLI's multidoc order (tables, functions, middleware, API
# groups with their endpoints, tasks); workflow tests, which call all of them, come last.
TABLE: tuple[Kind, ...] = (
    Kind("table", "table", "table", ("tables",), workspace=True),
    Kind("function", "function", "function", ("functions",)),
    Kind("middleware", "middleware", "middleware", ("middlewares",)),
    Kind("api_group", "apigroup", "api", ("api_groups", "apigroup", "apigroups", "group", "groups")),
    Kind("query", "apigroup/{group_id}/api", "api", ("queries", "endpoint", "endpoints", "api"), grouped=True),
    Kind("task", "task", "task", ("tasks", "background_task")),
    Kind("workflow_test", "workflow_test", "workflow_test", ("workflow_tests", "workflow-test", "workflow-tests")),
)

WORKSPACE_KINDS: frozenset[str] = frozenset(kind.name for kind in TABLE if kind.workspace)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in TABLE}
NAMES: tuple[str, ...] = tuple(kind.name for kind in TABLE)
ALIASES: dict[str, str] = {alias.replace("-", "_"): kind.name for kind in TABLE for alias in kind.aliases}
FOLDERS: dict[str, str] = {kind.name: kind.folder for kind in TABLE}
COLLECTIONS: dict[str, str] = {kind.name: kind.collection for kind in TABLE}
# collection -> kind, for the collections addressed without a group (the emulator's router)
BY_COLLECTION: dict[str, str] = {kind.collection: kind.name for kind in TABLE if not kind.grouped}
