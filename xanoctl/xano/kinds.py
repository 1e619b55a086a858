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

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the XanoScript keyword of its documents
    # the Metadata API's path under /workspace/{wid} ({group_id} for endpoints); None for a kind
    # that has no route of its own and travels in the multidoc (the workspace document)
    collection: str | None
    folder: str  # the folder of its files, in both layouts (nested for some: `ai/agent`)
    aliases: tuple[str, ...] = ()  # other names a user may type (`--kind functions`)
    grouped: bool = False  # listed per API group (an endpoint: `query`)
    flat: bool = False  # the official CLI names its file after the whole name (no folder per `/`)
    optional: bool = False  # a plan or a token may not reach it: reported and left alone, never fatal
    # one set serves every branch, and a write through any branch changes the live database:
    # Xano's documentation ("Branches do not apply to the database"; a branch copies "business
    # logic (APIs, Functions, Addons, and Tasks)") and its TypeScript SDK ("Tables and
    # microservices carry no branch dimension") agree; the workspace's own document (its settings)
    # too: the SDK's list of what a branch holds (API groups, functions, tasks, triggers,
    # middleware, tools, toolsets, channels, realtime servers, knowledge, add-ons, messages) has
    # neither
    workspace: bool = False
    # the clauses naming the objects a document belongs to, outermost first: a realtime v2
    # channel's ``realtime_server = "..."``, a message's server and ``channel = "..."``; they nest
    # its file under theirs and are part of its identity (message names are unique within a
    # channel only)
    parents: tuple[str, ...] = ()
    # at most one per workspace (or per branch: its settings): without routes of its own, it
    # takes the workspace's id, and a second file of it is refused
    single: bool = False
    # Xano keeps one and only one: it cannot be deleted, and a multidoc export without it means
    # the plan or the token cannot reach it
    kept: bool = False


# In pull order, which is the order of a multidoc and of a push's creates (what is referred to
# before what refers to it): the workspace's and the branch's settings, tables, add-ons (queries
# on tables), functions, middleware, API groups with their endpoints, tasks, tools (which run
# functions), agents and MCP servers (which use tools), realtime channels (v1), realtime servers
# with their channels and messages (v2), the triggers (on tables, the workspace and its errors,
# agents, MCP servers, channels and realtime servers); workflow tests, which call all of them,
# last; a document type this table does not hold after all of them.
# Routes and folders: the official CLI (xano-inc/cli: src/lib/api-client.ts,
# src/utils/document-parser.ts), kobylinski/xano-cli (src/lib/api/*.ts) and Xano's Metadata API
# notes (xano-inc/xano-developer-mcp: api_docs/*.md); docs/kinds.md says which gave what.
TABLE: tuple[Kind, ...] = (
    Kind("workspace", None, "workspace", ("workspaces", "settings", "workspace_settings"), flat=True, optional=True,
         workspace=True, single=True, kept=True),
    Kind("branch", None, "branch", ("branches", "branch_settings"), optional=True, single=True, kept=True),
    Kind("table", "table", "table", ("tables",), workspace=True),
    Kind("addon", "addon", "addon", ("addons", "add_on", "add_ons"), optional=True),
    Kind("function", "function", "function", ("functions",)),
    Kind("middleware", "middleware", "middleware", ("middlewares",)),
    Kind("api_group", "apigroup", "api", ("api_groups", "apigroup", "apigroups", "group", "groups")),
    Kind("query", "apigroup/{group_id}/api", "api", ("queries", "endpoint", "endpoints", "api"), grouped=True),
    Kind("task", "task", "task", ("tasks", "background_task")),
    Kind("tool", "tool", "ai/tool", ("tools",), flat=True, optional=True),
    Kind("agent", "agent", "ai/agent", ("agents",), flat=True, optional=True),
    Kind("mcp_server", "mcp_server", "ai/mcp_server", ("mcp_servers", "mcp"), flat=True, optional=True),
    Kind("realtime_channel", "realtime/channel", "realtime/channel", ("realtime_channels",), flat=True,
         optional=True),
    Kind("realtime_server", None, "realtime/server", ("realtime_servers",), flat=True, optional=True),
    Kind("channel", None, "realtime/server", ("channels",), flat=True, optional=True, parents=("realtime_server",)),
    Kind("message", None, "realtime/server", ("messages",), flat=True, optional=True,
         parents=("realtime_server", "channel")),
    Kind("table_trigger", "table/trigger", "table/trigger", ("table_triggers",), flat=True, optional=True),
    Kind("workspace_trigger", "trigger", "workspace/trigger", ("workspace_triggers",), flat=True, optional=True),
    Kind("error_trigger", None, "workspace/trigger", ("error_triggers",), flat=True, optional=True, single=True),
    Kind("agent_trigger", "agent/trigger", "ai/agent/trigger", ("agent_triggers",), flat=True, optional=True),
    Kind("mcp_server_trigger", "mcp_server/trigger", "ai/mcp_server/trigger", ("mcp_server_triggers",), flat=True,
         optional=True),
    Kind("realtime_trigger", "realtime/channel/trigger", "realtime/trigger", ("realtime_triggers",), flat=True,
         optional=True),
    Kind("realtime_server_trigger", None, "realtime/server", ("realtime_server_triggers",), flat=True, optional=True,
         parents=("realtime_server",)),
    Kind("channel_trigger", None, "realtime/server", ("channel_triggers",), flat=True, optional=True,
         parents=("realtime_server", "channel")),
    Kind("workflow_test", "workflow_test", "workflow_test", ("workflow_tests", "workflow-test", "workflow-tests"),
         optional=True),
)

WORKSPACE_KINDS: frozenset[str] = frozenset(kind.name for kind in TABLE if kind.workspace)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in TABLE}
NAMES: tuple[str, ...] = tuple(kind.name for kind in TABLE)
ALIASES: dict[str, str] = {alias.replace("-", "_"): kind.name for kind in TABLE for alias in kind.aliases}
FOLDERS: dict[str, str] = {kind.name: kind.folder for kind in TABLE}
# the Metadata API collection of each kind that has routes of its own
COLLECTIONS: dict[str, str] = {kind.name: kind.collection for kind in TABLE if kind.collection is not None}
# collection -> kind, for the collections addressed without a group (the emulator's router)
BY_COLLECTION: dict[str, str] = {kind.collection: kind.name for kind in TABLE
                                 if kind.collection is not None and not kind.grouped}
# the kinds without routes of their own: read from and written through the multidoc
MULTIDOC_ONLY: frozenset[str] = frozenset(kind.name for kind in TABLE if kind.collection is None)
FLAT: frozenset[str] = frozenset(kind.name for kind in TABLE if kind.flat)
OPTIONAL: frozenset[str] = frozenset(kind.name for kind in TABLE if kind.optional)

# the pseudo kind that asks for every document of a type this table does not hold (Xano's
# toolsets, policies, whatever comes next): each such type is a kind of its own, named by its
# keyword, under the general rule of :func:`lookup`
OTHER = "other"
# every kind a whole pull asks for
EVERY: tuple[str, ...] = NAMES + (OTHER,)


def lookup(name: str) -> Kind:
    """The kind of a document keyword: its line of :data:`TABLE`, else the general rule for a
    document type xanoctl does not know: no route of its own (it travels in the multidoc), the
    folder the official CLI's pull gives it (its keyword, a folder per ``/`` of its name), one set
    per branch, and a plan or a token may not reach it."""
    return BY_NAME.get(name) or _unknown(name)


@functools.lru_cache(maxsize=256)
def _unknown(name: str) -> Kind:
    return Kind(name, None, name, optional=True)


def known(name: str) -> bool:
    return name in BY_NAME


def selects(kinds: "frozenset[str] | set[str] | tuple[str, ...] | list[str]", name: str) -> bool:
    """Whether a selection of kinds takes documents of keyword ``name``: named there, or a type
    xanoctl does not know under :data:`OTHER`."""
    return name in kinds or (OTHER in kinds and not known(name))


def multidoc_only(name: str) -> bool:
    """Whether documents of that keyword travel in the multidoc only (no route of their own)."""
    return name not in COLLECTIONS


def rank(name: str) -> int:
    """The place of a kind in the pull order; a type this table does not hold comes after all."""
    return _RANKS.get(name, len(_RANKS))


_RANKS: dict[str, int] = {kind.name: number for number, kind in enumerate(TABLE)}
