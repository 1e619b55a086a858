"""The workspace an editor opened, its open documents, and what to publish after a change.

The workspace is found as ``xanoctl lint`` finds it: the configuration is the nearest
``xanoctl.yaml`` at or above the folder the editor opened; when its workspace folder (``dir``)
is that folder or inside it, that workspace is what is linted, else the folder itself (the
workspace around it: the folder holding ``xanoctl.lock`` above it, or laid out as one). A file
opened outside it is checked on its own, as ``xanoctl lint FILE`` outside a workspace is (its
cross-file rules silent).

Open documents count as they are in the editor, unsaved text included; every other file as it
is on disk, kept current by the changes the editor reports (or that :meth:`Session.poll`
finds). After a change, the changed documents and every open document whose findings it can
alter are checked again (:meth:`Session.check`), and only the diagnostics that changed are
returned for publishing. Nothing here speaks the protocol's transport: the server
(:mod:`xanoctl.lsp.server`) does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from lsprotocol import types

from xanoctl.errors import XanoctlError
from xanoctl.lint.config import LintConfig, load_config
from xanoctl.lint.files import SUFFIX, Scope, find_xs
from xanoctl.lint.finding import Finding
from xanoctl.lint.live import Change, LiveWorkspace
from xanoctl.lsp import diagnostics as diag
from xanoctl.lsp.documents import Text

# texts larger than this are not checked as they are typed (``xanoctl lint`` still checks them)
MAX_TEXT = 4_000_000


@dataclass
class Publish:
    """Diagnostics to send for one document."""

    uri: str
    version: int | None
    diagnostics: list[types.Diagnostic]


def path_of(uri: str) -> str | None:
    """The absolute path of a ``file:`` URI; None for any other scheme."""
    from urllib.parse import unquote

    from pygls.uris import to_fs_path

    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return os.path.abspath(unquote(path)) if path else None


def uri_of(path: str) -> str:
    return Path(path).as_uri()


def discover(folder: str) -> tuple[LintConfig, list[str]]:
    """The configuration and the paths to lint for the folder an editor opened."""
    config = load_config(start=Path(folder))
    here = os.path.abspath(folder)
    workspace = config.workspace
    if workspace and os.path.isdir(workspace) and (workspace == here or workspace.startswith(here + os.sep)):
        return config, [workspace]
    return config, [here]


class Session:
    """One editor's workspace. ``folder``: the folder it opened (None: files only)."""

    def __init__(self, folder: str | None, *, use_cache: bool = True, cache_dir: str | None = None,
                 jobs: int | None = None, rules_url: str | None = None):
        self.folder = os.path.abspath(folder) if folder else None
        self.use_cache, self.cache_dir, self.jobs = use_cache, cache_dir, jobs
        self.problem: str | None = None  # why the configuration could not be read
        try:
            self.config, self.paths = discover(self.folder) if self.folder else (LintConfig(), [])
        except XanoctlError as exc:
            self.problem = str(exc)
            self.config, self.paths = LintConfig(), [self.folder] if self.folder else []
        self.live: LiveWorkspace | None = None
        self.loose: dict[str, LiveWorkspace] = {}  # files outside the workspace, each alone
        self.open: dict[str, Text] = {}  # by path
        self.uris: dict[str, str] = {}  # path -> the URI the editor named it by
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.pending: dict[str, bool] = {}  # paths to analyse anew -> whether from the editor's text
        self.findings: dict[str, list[Finding]] = {}  # of the open documents, as last checked
        self.too_large: set[str] = set()
        self.good: dict = {}  # path -> its facts when it last parsed (for completion while typing)
        self._stamps: dict[str, tuple[int, int]] = {}  # path -> (mtime_ns, size) seen by poll
        self._settings = self.settings()
        if rules_url:
            self.href: Callable[[str], str | None] = lambda code: rules_url.replace("{code}", code)
        else:
            self.href = diag.rule_pages()

    # ------------------------------------------------------------------ start

    def start(self) -> list[Publish]:
        """Read the workspace's files (not yet their facts) and return the diagnostics the
        last whole lint run left for the open documents, when nothing changed since."""
        if self.paths:
            try:
                self._stamps = self._stat_all()  # before reading: a change made meanwhile is seen
                self.live = LiveWorkspace.open(self.paths, self.config, use_cache=self.use_cache,
                                               cache_dir=self.cache_dir, jobs=self.jobs)
            except XanoctlError as exc:
                self.problem = str(exc)
                self.live = None
        if self.live is None:
            return []
        ready = [path for path, text in self.open.items() if path in self.live.scope.index and _same_as_disk(text)]
        quick = self.live.cached_findings(ready) if ready else None
        if not quick:
            return []
        return self._publish(quick)

    def load(self) -> list[Publish]:
        """Every file's facts (from the lint cache, or analysed now); then the open documents
        are checked as they are in the editor."""
        if self.live is not None:
            self.live.load()
        for path, text in self.open.items():
            if not _same_as_disk(text) or self.owner(path) is not self.live:
                self.pending[path] = True
        return self.check(every=True)

    def save_run(self) -> None:
        """Leave the whole run over the files on disk in the lint cache (the next start answers
        from it), once the first diagnostics are out."""
        if self.live is not None and self.live.loaded:
            self.live.save_run()

    @property
    def ready(self) -> bool:
        return self.live is None or self.live.loaded

    # ------------------------------------------------------------------ what the editor says

    def opened(self, uri: str, text: str, version: int | None) -> None:
        path = path_of(uri)
        if path is None:
            return
        self.uris[path] = uri
        self.open[path] = Text(path, text, version)
        self.pending[path] = True

    def changed(self, uri: str, text: str, version: int | None) -> None:
        path = path_of(uri)
        if path is None or path not in self.open:
            return
        self.open[path] = Text(path, text, version)
        self.pending[path] = True

    def closed(self, uri: str) -> list[Publish]:
        """The document's diagnostics are cleared; the file counts as it is on disk again."""
        path = path_of(uri)
        if path is None or path not in self.open:
            return []
        del self.open[path]
        self.findings.pop(path, None)
        self.good.pop(path, None)
        self.too_large.discard(path)
        if path in self.loose:
            del self.loose[path]
        else:
            self.pending[path] = False
        out = [Publish(self.uris.get(path, uri), None, [])] if self.published.pop(path, None) else []
        return out

    def disk_changed(self, paths: Iterable[str]) -> None:
        """Files changed, created or deleted on disk (an open document's buffer still wins)."""
        for path in paths:
            if path.endswith(SUFFIX) and path not in self.open and self._inside(path):
                self.pending[path] = False

    def poll(self) -> bool:
        """Find the files changed on disk since the last look (for editors that do not report
        them): a pull or a ``git checkout`` under the workspace. True when the configuration
        changed (the session is to be made again: see :meth:`settings`)."""
        if self.live is None or not self.live.loaded:
            return False
        seen = self._stamps
        now = self._stat_all()
        for path in now.keys() | seen.keys():
            if now.get(path) != seen.get(path) and path not in self.open:
                self.pending[path] = False
        self._stamps = now
        return self.settings() != self._settings

    def settings(self) -> tuple:
        """What the configuration is read from, as it is on disk now (the nearest
        ``xanoctl.yaml``, the baseline)."""
        from xanoctl.lint.config import find_config

        found = find_config(Path(self.folder)) if self.folder else None
        files = [str(found)] if found else []
        if self.config.baseline:
            files.append(self.config.baseline)
        stamps = []
        for name in files:
            try:
                stat = os.stat(name)
                stamps.append((name, stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append((name, 0, 0))
        return tuple(stamps)

    def configures(self, paths: Iterable[str]) -> bool:
        """Whether one of ``paths`` is a file the configuration is read from (or may be)."""
        return any(os.path.basename(path) == "xanoctl.yaml" or path == self.config.baseline for path in paths)

    # ------------------------------------------------------------------ checking

    def owner(self, path: str) -> LiveWorkspace | None:
        """The workspace a file is checked in (None: not loaded yet)."""
        if self.live is not None and (path in self.live or self._inside(path)):
            return self.live if self.live.loaded else None
        return self.loose.get(path)

    def _inside(self, path: str) -> bool:
        if self.live is None:
            return False
        bounds = self.live.scope.roots or tuple(p for p in self.paths if os.path.isdir(p))
        return any(path == root or path.startswith(root + os.sep) for root in bounds)

    def check(self, *, every: bool = False) -> list[Publish]:
        """Analyse what changed and check again the open documents it can affect (``every``:
        all of them); the diagnostics that changed."""
        if not self.ready:
            return []
        pending, self.pending = self.pending, {}
        texts: dict[str, bytes | None] = {}
        alone: dict[str, bytes] = {}
        for path, from_editor in pending.items():
            if from_editor and path in self.open:
                text = self.open[path]
                if len(text.text) > MAX_TEXT:
                    self.too_large.add(path)
                    continue
                self.too_large.discard(path)
                if self.live is not None and (path in self.live or self._inside(path)):
                    texts[path] = text.data
                else:
                    alone[path] = text.data
            elif self.live is not None and self._inside(path):
                texts[path] = _read(path)
        change = Change()
        if texts and self.live is not None:
            change = self.live.update_many(texts)
            self._stamp(texts)
            for path in texts:
                result = self.live.results.get(path)
                if result is not None and result.parsed and path in self.open:
                    self.good[path] = result
        for path, data in alone.items():
            if path not in self.loose:
                self.loose[path] = LiveWorkspace(Scope((path,), (path,), (), False), self.config, use_cache=False)
                self.loose[path].load()
            self.loose[path].update(path, data)
            if self.loose[path].results[path].parsed:
                self.good[path] = self.loose[path].results[path]
        targets = set(alone) | {path for path, from_editor in pending.items() if from_editor}
        in_live = [path for path in self.open if self.owner(path) is self.live and self.live is not None]
        if every:
            targets.update(self.open)
        elif self.live is not None:
            targets.update(self.live.dependents(change, in_live))
        targets = {path for path in targets if path in self.open}
        found: dict[str, list[Finding]] = {}
        if self.live is not None:
            found.update(self.live.findings([path for path in targets if path in in_live]))
        for path in targets:
            if path in self.loose:
                found.update(self.loose[path].findings([path]))
        for path in targets & self.too_large:
            found[path] = []
        return self._publish(found)

    def _publish(self, found: dict[str, list[Finding]]) -> list[Publish]:
        out = []
        for path, findings in found.items():
            if path not in self.open:
                continue
            self.findings[path] = findings
            text = self.open[path]
            diagnostics = [self._diagnostic(finding, text) for finding in findings]
            if path in self.too_large:
                diagnostics = [types.Diagnostic(
                    range=types.Range(start=types.Position(line=0, character=0),
                                      end=types.Position(line=0, character=0)),
                    message=f"this text is too large to check as you type ({len(text.text):,} characters); "
                            f"`xanoctl lint` checks it", severity=types.DiagnosticSeverity.Information,
                    source=diag.SOURCE)]
            if self.published.get(path) != diagnostics:
                self.published[path] = diagnostics
                out.append(Publish(self.uris.get(path, uri_of(path)), text.version, diagnostics))
        return out

    def _diagnostic(self, finding: Finding, text: Text) -> types.Diagnostic:
        related: list = []
        owner = self.owner(text.path)
        if owner is not None and (finding.related or finding.code in ("RT001", "DU001")):
            places = diag.related_places(finding, owner.index_of(text.path))
            related = diag.related_information(places, self.lines_of, self.uri_for)
        return diag.diagnostic(finding, text.lines, href=self.href(finding.code), related=related)

    # ------------------------------------------------------------------ texts

    def text_of(self, path: str) -> Text | None:
        """A file's text: the editor's buffer when it is open, else as on disk."""
        return self.open.get(path) or Text.read(path)

    def lines_of(self, path: str) -> Sequence[str] | None:
        text = self.text_of(path)
        return text.lines if text is not None else None

    def uri_for(self, path: str) -> str:
        return self.uris.get(path) or uri_of(path)

    # ------------------------------------------------------------------ disk stamps

    def _stat_all(self) -> dict[str, tuple[int, int]]:
        out = {}
        roots = self.live.scope.roots if self.live is not None and self.live.scope.roots else \
            [p for p in self.paths if os.path.isdir(p)]
        roots = [root for root in roots if not any(root.startswith(other + os.sep) for other in roots)]
        for root in roots:
            for path in find_xs(root):
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                out[path] = (stat.st_mtime_ns, stat.st_size)
        return out

    def _stamp(self, paths: Iterable[str]) -> None:
        for path in paths:
            try:
                stat = os.stat(path)
                self._stamps[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                self._stamps.pop(path, None)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _same_as_disk(text: Text) -> bool:
    data = _read(text.path)
    return data is not None and data == text.data
