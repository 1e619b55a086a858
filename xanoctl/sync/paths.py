"""Where each object's file goes in the workspace tree, in one of two layouts: ``readable``
(the default, below) or ``official`` (the official Xano CLI's snake_case names:
:mod:`xanoctl.sync.officialpaths`).

The readable layout (design.md, "The workspace tree")::

    function/<folders>/<name>.xs          each "/" of the name is a folder level
    task/<name>.xs    table/<name>.xs    middleware/<name>.xs    (every kind in its folder:
    ai/agent/, ai/tool/, table/trigger/... :mod:`xanoctl.xano.kinds`)
    api/<group>/api_group.xs
    api/<group>/<path...>/<leaf>_<VERB>.xs

Names stay as readable as the file system allows: case, spaces and punctuation are kept. A
segment is made safe by replacing characters invalid on common file systems (``<>:"\\|?*``,
control characters, NUL) with ``_``, refusing ``.``/``..``/empty segments and leading dots,
trailing dots and spaces, Windows device names (``CON``, ``NUL``, ``COM1``...), folders that
end in ``.xs``, and by bounding each segment's length (UTF-8 bytes) and the folder depth.

Collisions get a stable suffix ``~<id>`` before ``.xs``: an object whose name had to be
altered always carries it (its path depends on nothing else), and among objects whose exact
names map to the same path (compared case- and normalization-insensitively, for macOS and
Windows) the one that
held the path in the previous manifest keeps it, else the lowest id does. The manifest, not
the path, identifies the object, so this mapping only has to be safe, readable and stable.

In either layout a file stays where it is while its object keeps its name (even when it sits
where the other layout, or the official CLI, put it); a new or renamed object goes where the
configured layout puts it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from xanoctl.config import LAYOUTS
from xanoctl.xano.kinds import FOLDERS, lookup

if TYPE_CHECKING:
    from xanoctl.xano.remote import RemoteObject

READABLE, OFFICIAL = LAYOUTS
KIND_FOLDERS = FOLDERS  # the top folder of each kind (:mod:`xanoctl.xano.kinds`; see :func:`kind_folder`)
# the realtime v2 kinds, whose files nest under their server's folder (and their channel's)
NESTED = frozenset({"realtime_server", "channel", "message", "channel_trigger", "realtime_server_trigger"})
GROUP_FILE = "api_group.xs"
EXT = ".xs"
MAX_SEGMENT_BYTES = 80
MAX_DEPTH = 8  # folder levels taken from one name
_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in "0123456789¹²³"), *(f"LPT{i}" for i in "0123456789¹²³")}


@dataclass(frozen=True)
class Placement:
    """What decides an object's path: its kind, id, exact name, and for endpoints the verb
    and the API group (id and name)."""

    kind: str
    id: int
    name: str
    verb: str | None = None
    group_id: int | None = None
    group_name: str | None = None
    parents: tuple[str, ...] = ()  # the realtime server and channel it belongs to (a message's)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    @classmethod
    def of(cls, obj: "RemoteObject") -> "Placement":
        return cls(obj.kind, obj.id, obj.name, obj.verb, obj.group_id, obj.group_name, obj.parents)


def kind_folder(kind: str) -> str:
    """The folder of a kind's files; a document type xanoctl does not know: its keyword."""
    return lookup(kind).folder


def fold(path: str) -> str:
    """A path as macOS and Windows compare them: case and Unicode normalization ignored."""
    if path.isascii():  # ASCII is its own normal form, and its case folds as lower() does
        return path.lower()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", path).casefold())


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def safe_segment(raw: str, *, folder: bool = False, limit: int = MAX_SEGMENT_BYTES) -> str:
    """One path segment, safe on Linux, macOS and Windows. Returns ``raw`` itself when it
    already was safe (so callers can tell a lossless mapping)."""
    if _already_safe(raw, folder, limit):
        return raw
    text = _INVALID.sub("_", raw)
    text = text.rstrip(" .") if text.strip(" .") else text
    if text in ("", ".", "..") or not text.strip(" ."):
        text = "_" * max(len(text), 1)
    if text.startswith("."):
        text = "_" + text[1:]
    if text.split(".")[0].rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    if folder and text.lower().endswith(EXT):
        text = text + "_"
    return _truncate(text, limit)


def _already_safe(raw: str, folder: bool, limit: int) -> bool:
    """Whether :func:`safe_segment` would return ``raw`` unchanged (the common case, decided
    without building anything)."""
    return (raw != "" and raw[0] != "." and raw[-1] not in " ." and _INVALID.search(raw) is None
            and (len(raw) <= limit // 4 or len(raw.encode("utf-8")) <= limit)
            and (len(raw) < 3 or raw.split(".", 1)[0].rstrip(" ").upper() not in _RESERVED)
            and not (folder and raw.lower().endswith(EXT)))


def _split(name: str) -> tuple[list[str], bool]:
    """A name's folder levels, made safe, and whether the mapping lost anything."""
    parts = name.split("/")
    lossy = False
    if len(parts) > MAX_DEPTH + 1:  # keep the depth bounded: fold the deepest levels into one
        parts = parts[:MAX_DEPTH] + ["_".join(parts[MAX_DEPTH:])]
        lossy = True
    segments = []
    for index, part in enumerate(parts):
        safe = safe_segment(part, folder=index < len(parts) - 1)
        lossy = lossy or safe != part
        segments.append(safe)
    return segments, lossy


def group_folder(group_id: int, group_name: str) -> tuple[str, bool]:
    """The folder of an API group under ``api/`` (one segment: ``/`` is replaced)."""
    safe = safe_segment(group_name.replace("/", "_"), folder=True)
    return safe, safe != group_name


def _with_suffix(text: str, ident: int) -> str:
    suffix = f"~{ident}"
    return _truncate(text, MAX_SEGMENT_BYTES - len(suffix)) + suffix


def suffixed(path: str, ident: int) -> str:
    """``function/a_b.xs`` -> ``function/a_b~12.xs``."""
    folder, _, leaf = path.rpartition("/")
    stem = leaf[: -len(EXT)] if leaf.endswith(EXT) else leaf
    return f"{folder}/{_with_suffix(stem, ident)}{EXT}"




def _numbered(path: str, count: int) -> str:
    """``x.xs`` -> ``x_2.xs``, ``dir`` -> ``dir_2``."""
    if path.endswith(EXT):
        return f"{path[:-len(EXT)]}_{count}{EXT}"
    return f"{path}_{count}"


@dataclass(frozen=True)
class _Choices:
    """The paths an object may take, in order of preference: ``plain`` (None when its name had
    to be altered), then, in the official layout, ``plain`` numbered ``_2``, ``_3``..., and last
    ``with_id`` (given, else ``base`` suffixed with ``ident``, made only when asked for: most
    objects never need it)."""

    plain: str | None
    given_with_id: str | None = None
    numbered: bool = False
    base: str = ""
    ident: int = 0

    @cached_property
    def with_id(self) -> str:
        return self.given_with_id if self.given_with_id is not None else suffixed(self.base, self.ident)

    def options(self, limit: int) -> Iterator[str]:
        if self.plain is not None:
            yield self.plain
            if self.numbered:
                for count in range(2, limit + 2):
                    yield _numbered(self.plain, count)
        yield self.with_id

    def fits(self, path: str) -> bool:
        if path in (self.plain, self.with_id):
            return True
        if not self.numbered or self.plain is None:
            return False
        ext = EXT if self.plain.endswith(EXT) else ""
        head = self.plain[:len(self.plain) - len(ext)] + "_"
        count = path[len(head):len(path) - len(ext)]
        return (path.startswith(head) and path.endswith(ext) and count.isdigit() and count == str(int(count))
                and int(count) >= 2)


def _lossy_choices(path: str, lossy: bool, ident: int, numbered: bool = False) -> _Choices:
    return _Choices(None if lossy else path, numbered=numbered, base=path, ident=ident)


class _Readable:
    """design.md's layout: names as they are, made safe."""

    def dir_choices(self, group: Placement) -> _Choices:
        folder, lossy = group_folder(group.id, group.name)
        with_id = _with_suffix(folder, group.id)
        return _Choices(None if lossy else folder, with_id)

    def choices(self, item: Placement, group_dirs: Mapping[int, str]) -> _Choices:
        path, lossy = self.base(item, group_dirs)
        if item.kind == "api_group":
            return _Choices(path, path)
        return _lossy_choices(path, lossy, item.id)

    def base(self, item: Placement, group_dirs: Mapping[int, str]) -> tuple[str, bool]:
        """The object's path, and whether its name had to be altered (then it carries its id)."""
        if item.kind in NESTED:
            return _realtime_readable(item)
        top = kind_folder(item.kind)
        if item.kind == "api_group":
            return f"{top}/{group_dirs[item.id]}/{GROUP_FILE}", False
        if item.kind == "query":
            gid = item.group_id if item.group_id is not None else 0
            folder = group_dirs.get(gid)
            if folder is None:
                folder, lossy_group = group_folder(gid, item.group_name or str(gid))
                folder = _with_suffix(folder, gid) if lossy_group else folder
            segments, lossy = _split(item.name)
            verb = safe_segment((item.verb or "ANY").upper())
            leaf = _truncate(segments[-1], MAX_SEGMENT_BYTES - len(verb) - 1)
            lossy = lossy or leaf != segments[-1]
            return "/".join([top, folder, *segments[:-1], f"{leaf}_{verb}"]) + EXT, lossy
        segments, lossy = _split(item.name)
        return "/".join([top, *segments]) + EXT, lossy


def _realtime_readable(item: Placement) -> tuple[str, bool]:
    """A realtime v2 document in the readable layout, nested as the official CLI nests it, names
    as they are: ``realtime/server/<server>/realtime_server.xs``, its channels'
    ``channel/<channel>/channel.xs`` (a channel's ``/`` made ``_``, as an API group's folder), their
    messages in ``message/`` and triggers in ``trigger/`` beside, the server's triggers in its
    ``trigger/``; a document that does not name its server: ``channel/<channel path>/...``, or
    ``realtime/channel_trigger/``, ``realtime/server_trigger/``, ``message/``."""
    server, channel = (item.parents + ("", ""))[:2]
    leaf = item.name.split("/")
    if item.kind == "realtime_server":
        return _joined(["realtime", "server", item.name.replace("/", "_")], ["realtime_server"])
    if item.kind == "realtime_server_trigger":
        where = ["realtime", "server", server.replace("/", "_"), "trigger"] if server else ["realtime", "server_trigger"]
        return _joined(where, leaf)
    own = item.name if item.kind == "channel" else channel
    if not own:  # a message or a channel trigger naming no channel
        return _joined(["message"] if item.kind == "message" else ["realtime", "channel_trigger"], leaf)
    where = (["realtime", "server", server.replace("/", "_"), "channel", own.replace("/", "_")] if server
             else ["channel", *own.split("/")])
    if item.kind == "channel":
        return _joined(where, ["channel"])
    return _joined(where + ["message" if item.kind == "message" else "trigger"], leaf)


def _joined(folders: list[str], leaf: list[str]) -> tuple[str, bool]:
    """``folders``, then the folders of a name and its leaf, made safe (``.xs`` added); whether
    any had to be altered."""
    lossy = len(leaf) > MAX_DEPTH + 1
    if lossy:  # keep the depth bounded: fold the deepest levels into one
        leaf = leaf[:MAX_DEPTH] + ["_".join(leaf[MAX_DEPTH:])]
    parts = folders + leaf
    safe = [safe_segment(part, folder=index < len(parts) - 1) for index, part in enumerate(parts)]
    return "/".join(safe) + EXT, lossy or safe != parts


def _official() -> ModuleType:
    """:mod:`xanoctl.sync.officialpaths`, imported on first use (only the official layout needs
    it, and its snake_case patterns take a while to build)."""
    from xanoctl.sync import officialpaths

    return officialpaths


class _Official:
    """The official Xano CLI's layout (:mod:`xanoctl.sync.officialpaths`)."""

    def _safe(self, text: str, folder: bool = False) -> tuple[str, bool]:
        safe = safe_segment(text, folder=folder, limit=_official().MAX_SEGMENT_BYTES)
        return safe, safe != text

    def dir_choices(self, group: Placement) -> _Choices:
        folder, lossy = self._safe(_official().group_folder(group.name), folder=True)
        return _Choices(None if lossy else folder, _with_suffix(folder, group.id), numbered=True)

    def choices(self, item: Placement, group_dirs: Mapping[int, str]) -> _Choices:
        path, lossy = self.base(item, group_dirs)
        return _lossy_choices(path, lossy, item.id, numbered=True)

    def base(self, item: Placement, group_dirs: Mapping[int, str]) -> tuple[str, bool]:
        """The object's path, and whether its name had to be altered (then it carries its id)."""
        official = _official()
        if item.kind in NESTED:
            folders, stem = official.realtime_place(item.kind, item.name, item.parents)
            safe = [self._safe(part, folder=True)[0] for part in folders]
            safe_leaf, lossy_leaf = self._safe(stem)
            return "/".join([*safe, safe_leaf]) + EXT, safe != folders or lossy_leaf
        top = kind_folder(item.kind)
        if item.kind == "api_group":
            leaf, lossy = self._safe(official.sanitize(item.name))
            return f"{top}/{group_dirs[item.id]}/{leaf}{EXT}", lossy
        # most kinds: a folder per `/` of the name; agents, tools, triggers...: the whole name
        folders, leaf = ([], item.name) if lookup(item.kind).flat else official.folder_parts(item.name)
        lossy = len(folders) > MAX_DEPTH
        if lossy:  # keep the depth bounded: fold the deepest levels into one
            folders = folders[:MAX_DEPTH - 1] + ["_".join(folders[MAX_DEPTH - 1:])]
        safe_folders = [self._safe(part, folder=True)[0] for part in folders]
        lossy = lossy or safe_folders != folders
        stem = official.sanitize(leaf)
        if item.kind == "query":
            gid = item.group_id if item.group_id is not None else 0
            group_dir = group_dirs.get(gid) or self._safe(official.group_folder(item.group_name or str(gid)), True)[0]
            safe_folders.insert(0, group_dir)
            stem = f"{stem}_{item.verb.upper()}" if item.verb else stem
        safe_leaf, lossy_leaf = self._safe(stem)
        return "/".join([top, *safe_folders, safe_leaf]) + EXT, lossy or lossy_leaf


_LAYOUTS: dict[str, _Readable | _Official] = {READABLE: _Readable(), OFFICIAL: _Official()}


def _group_dirs(groups: list[Placement], previous: Mapping[tuple[str, int], str], keep: set[tuple[str, int]],
                naming: _Readable | _Official, limit: int) -> dict[int, str]:
    """The folder of every API group, unique case-insensitively, sticky like files: a group
    keeps the folder of the file it had when that file stays (``keep``) or still fits its
    name."""
    dirs: dict[int, str] = {}
    taken: set[str] = set()
    for group in groups:
        old = previous.get(group.key)
        parts = old.split("/") if old else []
        if len(parts) != 3 or parts[0] != KIND_FOLDERS["api_group"] or fold(parts[1]) in taken:
            continue
        if group.key in keep or naming.dir_choices(group).fits(parts[1]):
            dirs[group.id] = parts[1]
            taken.add(fold(parts[1]))
    for group in groups:
        if group.id in dirs:
            continue
        for folder in naming.dir_choices(group).options(limit):
            if fold(folder) not in taken:
                dirs[group.id] = folder
                taken.add(fold(folder))
                break
    return dirs


def assign_paths(items: Iterable[Placement], previous: Mapping[tuple[str, int], str] | None = None, *,
                 layout: str = READABLE, keep: Iterable[tuple[str, int]] = ()) -> dict[tuple[str, int], str]:
    """A relative POSIX path for every object, unique case-insensitively, stable across pulls.
    ``previous`` maps ``(kind, id)`` to the path held at the last pull: an object keeps it when
    it is in ``keep`` (the caller knows the file stays: same name, or adopted) or when the path
    still fits the object's name in ``layout``; everyone else gets the layout's path."""
    previous = previous or {}
    keep = set(keep)
    naming = _LAYOUTS[layout]
    listed = list(items)
    ordered = _official().order(listed) if layout == OFFICIAL else sorted(listed, key=lambda item: (item.kind, item.id))
    limit = len(ordered) + 1
    group_dirs = _group_dirs([item for item in ordered if item.kind == "api_group"], previous, keep, naming, limit)
    made: dict[tuple[str, int], _Choices] = {}
    taken: dict[str, tuple[str, int]] = {}
    result: dict[tuple[str, int], str] = {}

    def choices(item: Placement) -> _Choices:  # made when needed: an object that stays needs none
        found = made.get(item.key)
        if found is None:
            found = made[item.key] = naming.choices(item, group_dirs)
        return found

    def claim(key: tuple[str, int], path: str) -> bool:
        folded = fold(path)
        if taken.get(folded, key) != key:
            return False
        taken[folded] = key
        result[key] = path
        return True

    # 1. Objects keep the path they had, when it stays or still fits them.
    for item in ordered:
        old = previous.get(item.key)
        if old is not None and (item.key in keep or choices(item).fits(old)):
            claim(item.key, old)
    # 2. Everyone else: the first free path of their choices.
    for item in ordered:
        if item.key not in result and not any(claim(item.key, path) for path in choices(item).options(limit)):
            raise ValueError(f"no free path for {item.kind} {item.id}: {choices(item).with_id}")
    return result


def group_folders(groups: Iterable[Placement], layout: str = READABLE) -> dict[int, str]:
    """The folder under ``api/`` of each API group when no file stays where it was (a first
    pull): the folders :func:`assign_paths` gives them."""
    ordered = sorted(groups, key=lambda group: group.id)
    return _group_dirs(ordered, {}, set(), _LAYOUTS[layout], len(ordered) + 1)


def preferred_path(item: Placement, group_dirs: Mapping[int, str], layout: str = READABLE) -> str:
    """The first path ``item`` may take, its API group in ``group_dirs``: where a first pull
    puts it (:func:`assign_paths` without ``previous``) unless another object's first path is
    the same, case-insensitively."""
    path, lossy = _LAYOUTS[layout].base(item, group_dirs)
    return suffixed(path, item.id) if lossy else path


def planned_path(item: Placement, layout: str = READABLE) -> str:
    """Where ``item`` would go on its own (no other object to collide with)."""
    return assign_paths([item], layout=layout)[item.key]
