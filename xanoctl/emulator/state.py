"""Everything one running emulator holds: the store, the tokens, the options, the faults,
the request counters and the optional state file; and loading a seed into a store."""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xanoctl.atomic import write_atomic
from xanoctl.emulator.faults import FaultInjector, Faults
from xanoctl.emulator.store import Store, stable_guid
from xanoctl.xano.kinds import NAMES

READ = "read"
UPDATE = "update"
ALL_RIGHTS = frozenset({READ, UPDATE})
SEED_EPOCH_MS = 1_736_154_000_000  # 2025-01-06 09:00:00 UTC: seeded objects get fixed timestamps
SEED_ORDER = NAMES


@dataclass
class EmulatorOptions:
    timestamps: str = "string"  # "string" ("2025-01-06 09:00:00+0000") or "ms" (epoch milliseconds)
    xanoscript_as_string: bool = False  # answer `xanoscript: "<source>"` instead of {status, value}
    direct_push: bool = True  # False: the multidoc import (push, dry-run) is refused, as with push disabled
    # kinds the workspace's plan does not include: their routes answer 403, the multidoc leaves them out
    absent_kinds: frozenset[str] = frozenset()
    export: bool = True  # False: the multidoc export (GET) answers 403, as to a token without that scope


@dataclass
class RequestStats:
    """API requests seen (faulted ones included), by method and by answer status."""

    methods: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    log: deque = field(default_factory=lambda: deque(maxlen=10_000))  # "METHOD /path" of each request

    @property
    def requests(self) -> int:
        return sum(self.methods.values())

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "methods": dict(self.methods),
                "statuses": {str(k): v for k, v in self.statuses.items()}, "log": list(self.log)}


@dataclass
class EmulatorState:
    store: Store
    tokens: dict[str, frozenset[str]]
    options: EmulatorOptions = field(default_factory=EmulatorOptions)
    faults: FaultInjector = field(default_factory=FaultInjector)
    stats: RequestStats = field(default_factory=RequestStats)
    state_file: Path | None = None
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def token(self) -> str:
        """A token with every right (the first one)."""
        for token, rights in self.tokens.items():
            if rights == ALL_RIGHTS:
                return token
        return next(iter(self.tokens))

    @classmethod
    def create(cls, *, seed: Any = None, token: str | None = None, read_only_token: str | None = None,
               faults: Faults | str | None = None, state_file: Path | str | None = None,
               options: EmulatorOptions | None = None) -> "EmulatorState":
        """A fresh state. ``seed`` is a seed name (``"demo"``), a :class:`xanoctl.seeds.Seed`
        or None (one empty workspace). A ``state_file`` that exists is loaded instead of the
        seed (a session survives restarts)."""
        tokens = {token or "xano-emulator-" + secrets.token_hex(12): ALL_RIGHTS}
        if read_only_token:
            tokens[read_only_token] = frozenset({READ})
        path = Path(state_file) if state_file else None
        if path is not None and path.exists():
            try:
                store = Store.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: not an emulator state file ({exc})") from None
        else:
            store = Store()
            if seed is None:
                store.add_workspace("workspace", created_at=SEED_EPOCH_MS)
            else:
                load_seed_into(store, _resolve_seed(seed))
        injector = FaultInjector()
        injector.set(faults)
        state = cls(store=store, tokens=tokens, options=options or EmulatorOptions(), faults=injector,
                    state_file=path)
        state.save()
        return state

    def save(self) -> None:
        """Write the state file (atomically), when there is one."""
        if self.state_file is not None:
            with self.lock:
                text = self.store.dumps()
            write_atomic(self.state_file, text.encode("utf-8"))


def _resolve_seed(seed: Any) -> Any:
    if isinstance(seed, str):
        from xanoctl.seeds import load_seed

        return load_seed(seed)
    return seed


def load_seed_into(store: Store, seed: Any, workspace_name: str | None = None) -> int:
    """Create a workspace holding the seed's objects with deterministic ids, guids and
    timestamps (the same seed always gives the same API answers). Returns the workspace id."""
    name = workspace_name or getattr(seed, "name", "") or "demo"
    workspace = store.add_workspace(name, created_at=SEED_EPOCH_MS)
    branch = workspace.live
    group_ids: dict[str, int] = {}
    objects = sorted(seed.objects, key=lambda obj: SEED_ORDER.index(obj.kind))
    for index, obj in enumerate(objects):
        # scripted test runs and endpoint answers (emulator/runs.py, public.py) are not API fields
        fields = {k: v for k, v in dict(obj.extra or {}).items() if k not in ("xanoscript_error", "outcomes")}
        if obj.kind == "task":
            fields["active"] = True if obj.active is None else bool(obj.active)
        if obj.kind == "api_group":
            fields.setdefault("canonical", stable_guid("canonical", name, obj.name)[:8])
            fields.setdefault("swagger", True)
        group_id = None
        if obj.kind == "query":
            if obj.group not in group_ids:
                raise ValueError(f"seed endpoint {obj.verb} {obj.name!r}: unknown api group {obj.group!r}")
            group_id = group_ids[obj.group]
        stored = store.add(branch, obj.kind, obj.name, obj.xanoscript, verb=obj.verb, group_id=group_id,
                           description=obj.description or "", tags=obj.tags or [], fields=fields,
                           guid=stable_guid(name, obj.kind, obj.group or "", obj.verb or "", obj.name),
                           created_at=SEED_EPOCH_MS + index * 60_000)
        stored.outcomes = dict((obj.extra or {}).get("outcomes") or {})
        if (obj.extra or {}).get("xanoscript_error"):
            stored.xanoscript_error = str(obj.extra["xanoscript_error"])
        if obj.kind == "api_group":
            group_ids[obj.name] = stored.id
    return workspace.id
