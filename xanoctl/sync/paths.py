"""Where each object's file goes in the workspace tree (design.md, "The workspace tree")::

    function/<folders>/<name>.xs          each "/" of the name is a folder level
    task/<name>.xs    table/<name>.xs    middleware/<name>.xs
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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable, Mapping

KIND_FOLDERS = {"function": "function", "task": "task", "table": "table", "middleware": "middleware",
                "api_group": "api", "query": "api"}
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

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


def fold(path: str) -> str:
    """A path as macOS and Windows compare them: case and Unicode normalization ignored."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", path).casefold())


def _truncate(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def safe_segment(raw: str, *, folder: bool = False, limit: int = MAX_SEGMENT_BYTES) -> str:
    """One path segment, safe on Linux, macOS and Windows. Returns ``raw`` itself when it
    already was safe (so callers can tell a lossless mapping)."""
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


def base_path(item: Placement, group_dirs: Mapping[int, str] | None = None) -> tuple[str, bool]:
    """(path without collision suffix, lossy) for one object."""
    top = KIND_FOLDERS[item.kind]
    if item.kind == "api_group":
        folder, lossy = group_folder(item.id, item.name)
        return f"{top}/{_with_suffix(folder, item.id) if lossy else folder}/{GROUP_FILE}", False
    if item.kind == "query":
        gid = item.group_id if item.group_id is not None else 0
        folder = (group_dirs or {}).get(gid)
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


def _with_suffix(text: str, ident: int) -> str:
    suffix = f"~{ident}"
    return _truncate(text, MAX_SEGMENT_BYTES - len(suffix)) + suffix


def suffixed(path: str, ident: int) -> str:
    """``function/a_b.xs`` -> ``function/a_b~12.xs``."""
    folder, _, leaf = path.rpartition("/")
    stem = leaf[: -len(EXT)] if leaf.endswith(EXT) else leaf
    return f"{folder}/{_with_suffix(stem, ident)}{EXT}"


def _group_dirs(groups: list[Placement], previous: Mapping[tuple[str, int], str]) -> dict[int, str]:
    """The folder of every API group, unique case-insensitively, sticky like files."""
    dirs: dict[int, str] = {}
    taken: set[str] = set()
    options: dict[int, tuple[str, str]] = {}
    for group in groups:
        folder, lossy = group_folder(group.id, group.name)
        with_id = _with_suffix(folder, group.id)
        options[group.id] = (with_id if lossy else folder, with_id)
    for group in groups:
        old = previous.get(group.key)
        old_dir = PurePosixPath(old).parent.name if old else None
        if old_dir in options[group.id] and fold(old_dir) not in taken:
            dirs[group.id] = old_dir
            taken.add(fold(old_dir))
    for group in groups:
        if group.id not in dirs:
            plain, with_id = options[group.id]
            dirs[group.id] = plain if fold(plain) not in taken else with_id
            taken.add(fold(dirs[group.id]))
    return dirs


def assign_paths(items: Iterable[Placement],
                 previous: Mapping[tuple[str, int], str] | None = None) -> dict[tuple[str, int], str]:
    """A relative POSIX path for every object, unique case-insensitively, stable across pulls
    (``previous`` maps ``(kind, id)`` to the path held at the last pull)."""
    previous = previous or {}
    ordered = sorted(items, key=lambda item: (item.kind, item.id))
    group_dirs = _group_dirs([item for item in ordered if item.kind == "api_group"], previous)
    candidates: dict[tuple[str, int], tuple[str, str]] = {}  # key -> (preferred path, suffixed path)
    for item in ordered:
        if item.kind == "api_group":
            path = f"{KIND_FOLDERS['api_group']}/{group_dirs[item.id]}/{GROUP_FILE}"
            candidates[item.key] = (path, path)
            continue
        path, lossy = base_path(item, group_dirs)
        with_id = suffixed(path, item.id)
        candidates[item.key] = (with_id if lossy else path, with_id)
    taken: dict[str, tuple[str, int]] = {}
    result: dict[tuple[str, int], str] = {}

    def claim(key: tuple[str, int], path: str) -> bool:
        folded = fold(path)
        if taken.get(folded, key) != key:
            return False
        taken[folded] = key
        result[key] = path
        return True

    # 1. Objects keep the path they had, when it is still one of their candidates.
    for item in ordered:
        old = previous.get(item.key)
        if old is not None and old in candidates[item.key]:
            claim(item.key, old)
    # 2. Everyone else: the preferred path if free, else the suffixed one.
    for item in ordered:
        if item.key not in result:
            preferred, with_id = candidates[item.key]
            if not claim(item.key, preferred) and not claim(item.key, with_id):
                raise ValueError(f"no free path for {item.kind} {item.id}: {with_id}")
    return result
