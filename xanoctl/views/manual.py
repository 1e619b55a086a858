"""The operations manual: Markdown pages with mermaid diagrams, generated from the workspace
graph, the task schedules and the lint findings.

Nothing in it depends on the moment, the machine or the order files were read: the same
workspace (and the same ``now``, when one is given for the next runs) gives the same bytes, so
CI can regenerate it and fail on a difference. Paths are relative to the workspace folder.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable
from urllib.parse import quote

from xanoctl.lint.finding import Finding
from xanoctl.views import render
from xanoctl.views.chains import Chain, chain
from xanoctl.views.graph import CALL_EDGES, Graph, Node
from xanoctl.views.load import Workspace
from xanoctl.views.schedules import describe, run_times

PAGES = (("README.md", "Operations manual"), ("tasks.md", "Background tasks"), ("api.md", "API groups"),
         ("pipelines.md", "Data pipelines"), ("states.md", "State machines"), ("functions.md", "Functions"),
         ("ai.md", "AI and triggers"), ("health.md", "Health"))
ARCHIVE = "Archive/"
MAX_DIAGRAM_EDGES = 300  # past this a mermaid diagram is unreadable (and GitHub refuses it)


@dataclass
class Findings:
    """Lint findings with the absolute path of each file (``LintResult.sources``)."""

    items: list[Finding]
    sources: dict[str, str]


def is_test_endpoint(node: Node) -> bool:
    """An endpoint of an API group whose name contains "test" (``Tests``, ``Worker Tests``)."""
    return node.kind == "query" and "test" in (node.group or "").lower()


class Manual:
    def __init__(self, workspace: Workspace, findings: Findings, fp_folders: Iterable[str],
                 now: datetime | None = None, single: bool = False, title: str = PAGES[0][1], anchors: str = ""):
        """``single``: one page holding every section; ``title``: the title of the manual
        (its README); ``anchors``: a prefix for its anchors (manuals sharing one page)."""
        self.ws = workspace
        self.title_text = title
        self.graph: Graph = workspace.graph
        self.findings = findings
        self.fp_folders = tuple(fp_folders)
        self.now = now
        self.single = single
        self.functions = [n for n in self.graph.of_kind("function") if not n.missing]
        self.endpoints = [n for n in self.graph.of_kind("query") if not n.missing]
        self.tasks = sorted(workspace.index.tasks, key=lambda t: (t.name.lower(), t.name, t.path))
        self._anchors: dict[str, tuple[str, str]] = {}
        taken: set[str] = set()
        from xanoctl.views.ai import ANCHORED

        for page, kinds in (("tasks.md", ("task",)), ("api.md", ("api_group", "query")),
                            ("functions.md", ("function",)), ("ai.md", ANCHORED)):
            for node in self.graph.nodes.values():
                if node.kind in kinds and not (node.missing and node.kind != "api_group"):
                    self._anchors[node.id] = (page, _unique(anchors + _slug(f"{node.kind}-{node.group or ''}-{node.label}"
                                                                  if node.kind == "query" else f"{node.kind}-{node.name}"),
                                                            taken))
        self._chains: dict[str, Chain] = {}
        self._by_path: dict[str, list[tuple[int, Node]]] | None = None
        paths = {n.path: n.path for n in self.graph.nodes.values()}
        self._task_nodes: dict[int, Node] = {}
        self._task_of: dict[str, object] = {}
        for task in self.tasks:
            node = self.graph.nodes.get(f"task:{task.name}")
            if node is not None and node.path == paths.get(workspace.shown(task.path)):
                self._task_nodes[id(task)] = node
                self._task_of[node.id] = task
        self._inputs = {}  # node id -> the inputs its document declares (the first document of an id)
        self._about = {}  # node id -> what its document says of itself (a model, instructions, events)
        for doc in reversed(workspace.index.documents):
            self._inputs[self.graph.id_of(doc)] = doc.inputs or ()
            self._about[self.graph.id_of(doc)] = doc.about

    # ------------------------------------------------------------------ output

    def pages(self) -> dict[str, str]:
        """File name -> Markdown; one ``README.md`` holding everything when ``single``."""
        bodies = {"README.md": self._readme(), "tasks.md": self._tasks(), "api.md": self._api(),
                  "pipelines.md": self._pipelines(), "states.md": self._states(), "functions.md": self._functions(),
                  "ai.md": self._ai(), "health.md": self._health()}
        if self.single:
            lines = [f"# {self.title_text}", ""]
            for name, title in PAGES:
                body = bodies[name]
                lines += body + [""] if name == "README.md" else [f"## {title}", "", *_shift(body, 1), ""]
            return {"README.md": _join(lines)}
        out = {}
        for name, title in PAGES:
            out[name] = _join([f"# {self.title_text if name == 'README.md' else title}", "", *bodies[name]])
        return out

    def _h(self, level: int, text: str) -> str:
        """A heading ``level`` below the page title (it sits one level deeper in one file)."""
        return "#" * (level + 1) + " " + text

    def link(self, node: Node, text: str | None = None) -> str:
        shown = _md(text if text is not None else self.title(node))
        if node.missing:
            return f"{shown} (missing)"
        if node.id not in self._anchors:
            return shown
        page, anchor = self._anchors[node.id]
        return f"[{shown}]({'' if self.single else page}#{anchor})"

    def anchor(self, node: Node) -> str:
        return f'<a id="{self._anchors[node.id][1]}"></a>'

    @staticmethod
    def title(node: Node) -> str:
        if node.kind == "query":
            return f"{node.label} ({node.group})" if node.group else node.label
        return node.name

    def chain_of(self, node: Node) -> Chain:
        if node.id not in self._chains:
            self._chains[node.id] = chain(self.graph, node)
        return self._chains[node.id]

    def callers(self, node: Node) -> list[Node]:
        return _nodes(self.graph, {e.source for e in self.graph.in_edges(node.id) if e.kind in CALL_EDGES})

    def callees(self, node: Node) -> list[Node]:
        return _nodes(self.graph, {e.target for e in self.graph.out_edges(node.id) if e.kind in CALL_EDGES})

    def tables(self, node: Node, kind: str) -> list[str]:
        return sorted({self.graph.nodes[e.target].name for e in self.graph.out_edges(node.id) if e.kind == kind})

    def task_node(self, task) -> Node | None:
        """The task's node (None for a second task of the same name: the graph holds the first)."""
        return self._task_nodes.get(id(task))

    # ------------------------------------------------------------------ README: overview

    def _readme(self) -> list[str]:
        lines = [f"The workspace `{self.ws.name}`. Generated by `xanoctl docs` from the workspace: do not edit it by hand. Regenerate it "
                 "with `xanoctl docs --out DIR`; the same workspace always gives the same files, so a CI "
                 "job can regenerate it and fail when it differs.", ""]
        if not self.single:
            lines += [f"- [{title}]({name})" for name, title in PAGES[1:]] + [""]
        kinds = Counter(node.kind for node in self.graph.nodes.values() if not node.missing)
        if not kinds:
            return lines + [self._h(1, "Overview"), "", "No objects: no `.xs` file defines any here."]
        lines += [self._h(1, "Overview"), "", self._h(2, "Objects by kind"), "", "| Kind | Objects |", "|---|--:|"]
        lines += [f"| {kind} | {count} |" for kind, count in sorted(kinds.items())]
        lines += ["", self._h(2, "Functions by folder"), "",
                  "| Folder | Functions | Called by nothing | Answer an envelope |", "|---|--:|--:|--:|"]
        for folder, nodes in _by_folder(self.functions):
            idle = sum(1 for node in nodes if not self.callers(node))
            envelope = sum(1 for node in nodes if self.ws.index.returns_envelope(node.name) is True)
            lines.append(f"| {_md(folder)} | {len(nodes)} | {idle} | {envelope} |")
        lines += ["", self._h(2, "API groups"), "", "| API group | Endpoints |", "|---|--:|"]
        for group in self.graph.of_kind("api_group"):
            count = len(self.graph.members(group))
            lines.append(f"| {self.link(group, group.name)} | {count} |")
        lines += ["", self._h(2, "How the folders call each other"), "",
                  "Each box is a folder (or the background tasks, an API group, the tables); an arrow "
                  "counts the references from one to the other.", "", "```mermaid", *_folder_diagram(self.graph),
                  "```"]
        return lines

    # ------------------------------------------------------------------ background tasks

    def _tasks(self) -> list[str]:
        if not self.tasks:
            return ["No background tasks."]
        active = sum(1 for task in self.tasks if task.active is not False)
        lines = [f"{_count(len(self.tasks), 'background task')}, {active} active. Times are UTC. "
                 + ("Next runs are computed from " + self.now.strftime("%Y-%m-%d %H:%M:%S") + " UTC."
                    if self.now else "The times they run do not depend on the day; `xanoctl tasks` "
                    "shows the next runs (or regenerate this with `--now`)."), ""]
        head = ["Task", "Active", "Schedule", "Runs at (UTC)"] + (["Next run (UTC)"] if self.now else []) \
            + ["Runs", "Writes"]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for task in self.tasks:
            row = describe(task, task.path, self.now)
            node = self.task_node(task)
            found = self.chain_of(node) if node else None
            runs = ", ".join(self.link(self.graph.nodes["function:" + s.name]) for s in found.steps) if found else ""
            cells = [self.link(node, task.name) if node else _md(task.name), "yes" if row["active"] else "no",
                     row["frequency"], run_times(task.events)] + ([row["next_run_text"]] if self.now else []) \
                + [runs or "—", (_codes(found.writes) if found else "") or "—"]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        for task in self.tasks:
            node = self.task_node(task)
            if node is None:
                continue
            found = self.chain_of(node)
            lines += ["", self.anchor(node), self._h(1, _md(task.name)), "",
                      f"`{node.path}`" + (f": {_md(task.description)}" if task.description else ""), ""]
            frequency = describe(task, "", None)["frequency"]
            times = run_times(task.events)
            lines += [f"- Active: {'yes' if task.active is not False else 'no'}",
                      f"- Schedule: {_md(frequency)}, at {_md(times)} (UTC)" if any(e.valid for e in task.events or ())
                      else f"- Schedule: {_md(frequency)}: it never runs",
                      f"- Writes: {_codes(found.writes) or 'no table'}; reads: {_codes(found.reads) or 'no table'}"]
            lines += [""] + _diagram(self.graph.subgraph(self.graph.reach([node.id], upstream=False)))
        return lines

    # ------------------------------------------------------------------ API groups and the test map

    def _api(self) -> list[str]:
        lines: list[str] = []
        groups = self.graph.of_kind("api_group")
        if not groups:
            lines += ["No API groups.", ""]
        for group in groups:
            members = [self.graph.nodes[i] for i in self.graph.members(group)]
            lines += [self.anchor(group), self._h(1, f"{_md(group.name)} ({_count(len(members), 'endpoint')})"), ""]
            if group.missing:
                lines += ["(no `api_group` document for this group)", ""]
            lines += self._endpoints(members)
        ungrouped = [node for node in self.endpoints if not node.group]
        if ungrouped:
            lines += [self._h(1, f"Endpoints without an API group ({len(ungrouped)})"), "",
                      *self._endpoints(ungrouped)]
        lines += [self._h(1, "Test map"), "",
                  f"The test endpoints (endpoints of an API group whose name contains \"test\") of the "
                  f"functions in {', '.join(f'`{f}`' for f in self.fp_folders)}.", "",
                  "| Function | Test endpoints |", "|---|---|"]
        for node in self._fp_functions():
            tests = [n for n in self.callers(node) if is_test_endpoint(n)]
            lines.append(f"| {self.link(node)} | {', '.join(self.link(n) for n in tests) or '**none**'} |")
        return lines

    def _endpoints(self, members: list[Node]) -> list[str]:
        """A table: each endpoint with its inputs, the function it serves and its tables."""
        if not members:
            return ["No endpoints.", ""]
        lines = ["| Endpoint | Inputs | Serves | Tables |", "|---|---|---|---|"]
        for node in sorted(members, key=lambda n: (n.name, n.verb or "")):
            served = ", ".join(self.link(n) for n in self.callees(node)) or "—"
            tables = _tables_cell(self.tables(node, "reads"), self.tables(node, "writes"))
            cells = [f"{self.anchor(node)}`{node.label}`", _inputs(self._inputs.get(node.id)), served, tables]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        return lines + [""]

    def _fp_functions(self) -> list[Node]:
        return [node for node in self.functions if node.name.startswith(self.fp_folders)]

    # ------------------------------------------------------------------ data pipelines

    def _pipelines(self) -> list[str]:
        """Tables one chain writes and another reads, with the tasks (and endpoints) that move
        the data and how often."""
        roots = [self.graph.nodes[f"task:{t.name}"] for t in self.tasks if self.task_node(t)]
        roots += [n for n in self.endpoints if not is_test_endpoint(n)]
        writers: dict[str, list[Node]] = {}
        readers: dict[str, list[Node]] = {}
        for root in roots:
            found = self.chain_of(root)
            for table in found.writes:
                writers.setdefault(table, []).append(root)
            for table in found.reads:
                readers.setdefault(table, []).append(root)
        moved = sorted(table for table in writers
                       if any(r.id != w.id for r in readers.get(table, []) for w in writers[table]))
        lines = ["A table is part of a pipeline when one chain (a background task or an endpoint, with "
                 "every function it runs) writes it and another reads it. Test endpoints are left out.", ""]
        if not moved:
            return lines + ["No table is written by one chain and read by another."]
        lines += ["| Table | Written by | Read by |", "|---|---|---|"]
        for table in moved:
            lines.append(f"| `{table}` | {self._movers(writers[table])} | {self._movers(readers[table])} |")
        # chains and tables: an arrow from a chain to the tables it writes, from a table to
        # the chains that read it
        touching = [root for root in roots
                    if set(self.chain_of(root).writes + self.chain_of(root).reads) & set(moved)]
        arrows = [(f"c{number}", f"t{moved.index(t)}", "writes") for number, root in enumerate(touching)
                  for t in self.chain_of(root).writes if t in moved]
        arrows += [(f"t{moved.index(t)}", f"c{number}", "reads") for number, root in enumerate(touching)
                   for t in self.chain_of(root).reads if t in moved]
        if len(arrows) > MAX_DIAGRAM_EDGES:
            return lines + ["", f"({len(arrows)} arrows: too many to draw.)"]
        out = ["flowchart LR"] + [f'  t{number}[("{render.mermaid_text(t)}")]' for number, t in enumerate(moved)]
        out += [f'  c{number}(["{render.mermaid_text(f"{self.title(root)} ({self._how_often(root)})")}"])'
                for number, root in enumerate(touching)]
        out += [f"  {a} {render.MERMAID_ARROWS[kind]}|{kind}| {b}" for a, b, kind in sorted(arrows)]
        return lines + ["", "How data moves: each chain, the tables it writes and the tables it reads.", "",
                        "```mermaid", *out, "```"]

    def _movers(self, roots: list[Node]) -> str:
        return "<br>".join(f"{self.link(root)} ({self._how_often(root)})" for root in roots)

    def _how_often(self, root: Node) -> str:
        if root.kind == "query":
            return "on request"
        task = self._task_of.get(root.id)
        if task is None:
            return "?"
        row = describe(task, "", None)
        return row["frequency"] if row["active"] else f"inactive, {row['frequency']}"

    # ------------------------------------------------------------------ state machines

    def _states(self) -> list[str]:
        from xanoctl.views.states import page

        return page(self)

    # ------------------------------------------------------------------ AI and triggers

    def _ai(self) -> list[str]:
        from xanoctl.views.ai import page

        return page(self)

    # ------------------------------------------------------------------ functions

    def _functions(self) -> list[str]:
        lines: list[str] = []
        for folder, nodes in _by_folder(self.functions):
            lines += [self._h(1, f"{_md(folder)} ({len(nodes)})"), ""]
            for node in nodes:
                lines += self._function(node)
        return lines or ["No functions."]

    def _function(self, node: Node) -> list[str]:
        envelope = {True: "yes", False: "no", None: "unknown"}[self.ws.index.returns_envelope(node.name)]
        if node.name in self.ws.index.duplicates:
            envelope = "unknown (defined more than once)"
        callers = self.callers(node)
        callees = self.callees(node)
        return [self.anchor(node), self._h(2, _md(node.name)), "", f"`{node.path}`", "",
                f"- Inputs: {_inputs(self._inputs.get(node.id))}",
                f"- Answers an envelope: {envelope}",
                f"- Called by: {', '.join(self.link(n) for n in callers) or 'nothing'}",
                f"- Calls: {', '.join(self.link(n) for n in callees) or 'nothing'}",
                f"- Tables: {_tables_cell(self.tables(node, 'reads'), self.tables(node, 'writes'), 'none')}", ""]

    # ------------------------------------------------------------------ health

    def _health(self) -> list[str]:
        lines = [self._h(1, "Lint findings"), ""]
        by_rule: dict[tuple[str, str], Counter] = {}
        for finding in self.findings.items:
            folder = self._folder_of(finding)
            by_rule.setdefault((finding.code, finding.severity), Counter())[folder] += 1
        if by_rule:
            lines += [f"{_count(len(self.findings.items), 'finding')}, as `xanoctl lint` reports them.", "",
                      "| Rule | Severity | Findings | By folder |", "|---|---|--:|---|"]
            for (code, severity), folders in sorted(by_rule.items()):
                spread = ", ".join(f"{_md(f)} {n}" for f, n in sorted(folders.items(), key=lambda i: (-i[1], i[0])))
                lines.append(f"| {code} | {severity} | {sum(folders.values())} | {spread} |")
        else:
            lines.append("No lint findings.")
        lines += ["", self._h(1, "FP conformance by folder"), "",
                  f"Functions that answer an envelope (`success`, `data`, `error`), by folder; FP folders "
                  f"({', '.join(f'`{f}`' for f in self.fp_folders)}) must.", "",
                  "| Folder | Functions | Envelope | Not an envelope | Cannot tell | FP findings |",
                  "|---|--:|--:|--:|--:|--:|"]
        fp_counts = Counter(self._folder_of(f) for f in self.findings.items if f.code.startswith("FP"))
        for folder, nodes in _by_folder(self.functions):
            verdicts = Counter(self.ws.index.returns_envelope(node.name) for node in nodes)
            mark = " (FP)" if folder in self.fp_folders else ""
            lines.append(f"| {_md(folder)}{mark} | {len(nodes)} | {verdicts[True]} | {verdicts[False]} | "
                         f"{verdicts[None]} | {fp_counts[folder]} |")
        idle = [n for n in self.functions if not n.name.startswith(ARCHIVE) and not self.callers(n)]
        lines += ["", self._h(1, f"Functions nothing calls ({len(idle)})"), "",
                  "Outside `Archive/`: no task, endpoint or function runs them.", ""]
        lines += _bullets(self.link(n) for n in idle)
        untested = [n for n in self._fp_functions() if not any(is_test_endpoint(c) for c in self.callers(n))]
        lines += ["", self._h(1, f"{' and '.join(f'`{f}`' for f in self.fp_folders)} functions without a test "
                                 f"endpoint ({len(untested)})"), ""]
        lines += _bullets(self.link(n) for n in untested)
        archived = [(n, [c for c in self.callers(n) if not (c.kind == "function" and c.name.startswith(ARCHIVE))])
                    for n in self.functions if n.name.startswith(ARCHIVE)]
        archived = [(n, callers) for n, callers in archived if callers]
        lines += ["", self._h(1, f"`Archive/` functions still called ({len(archived)})"), ""]
        lines += _bullets(f"{self.link(n)}: called by {', '.join(self.link(c) for c in callers)}"
                          for n, callers in archived)
        missing = [n for n in self.graph.nodes.values() if n.missing and n.kind != "api_group"]
        lines += ["", self._h(1, f"Missing objects ({len(missing)})"), "",
                  "Named by a call or a query but defined nowhere in the workspace.", ""]
        lines += _bullets(f"{n.kind} `{n.label}`: named by "
                          + ", ".join(self.link(c) for c in _nodes(self.graph, {e.source for e in self.graph.in_edges(n.id)}))
                          for n in missing)
        return lines

    def _folder_of(self, finding: Finding) -> str:
        """The folder of the document a finding is in (a function's top folder, the API
        group of an endpoint, "Background tasks"...)."""
        path = self.findings.sources.get(finding.path, finding.path)
        docs = self._docs_by_path().get(path, [])
        doc = None
        for candidate in docs:
            if candidate[0] <= finding.line:
                doc = candidate[1]
        doc = doc or (docs[0][1] if docs else None)
        return doc.folder if doc is not None else "(unparsed files)"

    def _docs_by_path(self) -> dict[str, list[tuple[int, Node]]]:
        if self._by_path is None:
            by_path: dict[str, list[tuple[int, Node]]] = {}
            for doc in self.ws.index.documents:
                node = self.graph.nodes.get(self.graph.id_of(doc))
                if node is not None:
                    by_path.setdefault(doc.path, []).append((doc.pos[0], node))
            self._by_path = {path: sorted(items, key=lambda i: (i[0], i[1].id)) for path, items in by_path.items()}
        return self._by_path


# ---------------------------------------------------------------------------- several workspaces


def manuals(found: list[Workspace], fp_folders: Iterable[str], now: datetime | None = None,
            single: bool = False) -> dict[str, str]:
    """The manuals of a tree that holds several workspaces (each linted, ``.lint``): the pages
    of each under ``<workspace>/`` and a ``README.md`` listing them; with ``single``, one
    ``README.md`` holding the list, then each manual (headings one level deeper, anchors
    prefixed with the workspace)."""
    rows, pages, body = [], {}, []
    taken: set[str] = set()
    for workspace in found:
        lint = workspace.lint
        mine = [f for f in lint.findings if lint.sources.get(f.path, f.path) in workspace.files]
        anchor = _unique(_slug(f"workspace-{workspace.name}"), taken)
        manual = Manual(workspace, Findings(mine, lint.sources), fp_folders, now=now, single=single,
                        title=f"{PAGES[0][1]}: {workspace.name}", anchors=anchor + "-" if single else "")
        target = f"#{anchor}" if single else quote(f"{workspace.name}/README.md", safe="/+")
        rows.append(f"| [{_cell(_md(workspace.name))}]({target}) | {len(manual.functions)} | {len(manual.tasks)} | "
                    f"{len(manual.endpoints)} | {len(mine)} |")
        if single:
            body += ["", f'<a id="{anchor}"></a>', *_shift(manual.pages()["README.md"].split("\n"), 1)]
        else:
            pages.update({f"{workspace.name}/{name}": text for name, text in manual.pages().items()})
    head = [f"# {PAGES[0][1]}s", "",
            f"This tree holds {len(found)} workspaces: one manual each. Generated by `xanoctl docs`: do not edit "
            "it by hand; the same tree always gives the same files.", "",
            "| Workspace | Functions | Background tasks | Endpoints | Lint findings |", "|---|--:|--:|--:|--:|", *rows]
    return {"README.md": _join(head + body), **pages}


# ---------------------------------------------------------------------------- helpers


def _folder_diagram(graph: Graph) -> list[str]:
    folder_of = {n.id: n.folder for n in graph.nodes.values()}
    folders = sorted({folder_of[n.id] for n in graph.nodes.values() if n.kind != "api_group"})
    ids = {folder: f"f{number}" for number, folder in enumerate(folders)}
    sizes = Counter(folder_of[n.id] for n in graph.nodes.values() if n.kind != "api_group" and not n.missing)
    counts = Counter((folder_of[e.source], folder_of[e.target], e.kind) for e in graph.edges
                     if graph.nodes[e.source].kind != "api_group")
    lines = ["flowchart LR"]
    lines += [f'  {ids[f]}["{render.mermaid_text(f)} ({sizes[f]})"]' for f in folders]
    for (source, target, kind), count in sorted(counts.items()):
        lines.append(f"  {ids[source]} {render.MERMAID_ARROWS.get(kind, '-->')}|{kind} {count}| {ids[target]}")
    return lines


def _diagram(graph: Graph) -> list[str]:
    if len(graph.edges) > MAX_DIAGRAM_EDGES:
        return [f"({len(graph.edges)} references: too many to draw; see `xanoctl graph --focus`.)"]
    return ["```mermaid", *render.mermaid(graph).rstrip("\n").split("\n"), "```"]


def _by_folder(nodes: list[Node]) -> list[tuple[str, list[Node]]]:
    folders: dict[str, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: (n.folder, n.name)):
        folders.setdefault(node.folder, []).append(node)
    return list(folders.items())


def _nodes(graph: Graph, ids: set[str]) -> list[Node]:
    return [graph.nodes[i] for i in sorted(ids)]


def _inputs(inputs) -> str:
    """`int page` (optional), ...; "none"; "unknown" (None: a file that does not parse)."""
    if inputs is None:
        return "unknown"
    if not inputs:
        return "none"
    return ", ".join(f"`{i.type} {i.name}`" + ("" if i.required else " (optional)") for i in inputs)


def _tables_cell(reads: list[str], writes: list[str], empty: str = "—") -> str:
    parts = ([f"reads {_codes(reads)}"] if reads else []) + ([f"writes {_codes(writes)}"] if writes else [])
    return "; ".join(parts) or empty


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _codes(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _bullets(items: Iterable[str]) -> list[str]:
    out = [f"- {item}" for item in items]
    return out or ["None."]


_MD_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|"})
_BARE_BAR = re.compile(r"(?<!\\)\|")


def _md(text: str) -> str:
    """Plain text in Markdown: the characters that would start markup are escaped."""
    return text.translate(_MD_SPECIAL)


def _cell(text: str) -> str:
    """Text in a table cell: a ``|`` inside a code span still ends the cell."""
    if "|" in text:
        text = _BARE_BAR.sub(r"\\|", text)
    return text.replace("\n", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _shift(lines: list[str], levels: int) -> list[str]:
    """Headings one level deeper (outside fenced code)."""
    out, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" * levels + line if line.startswith("#") and not fenced else line)
    return out


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).rstrip("\n") + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)
