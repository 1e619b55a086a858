"""Serving the emulator with uvicorn on 127.0.0.1: in a background thread for tests and
in-process use (:func:`run_in_thread`), or in the foreground for ``xanoctl emulator``
(:func:`serve`)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any, Callable

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from xanoctl.emulator.app import BASE, TRANSPORT_KEY, build_app
from xanoctl.emulator.faults import Faults
from xanoctl.emulator.state import EmulatorState
from xanoctl.emulator.store import StoredObject

HOST = "127.0.0.1"


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol, exposing the connection's transport to the app (in the scope
    state) so that fault injection can drop a connection for real."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, TRANSPORT_KEY: transport}


def bind(port: int = 0, host: str = HOST) -> socket.socket:
    """A listening socket on the loopback interface (port 0: a free port). Created with an
    explicit IPPROTO_TCP so that asyncio sets TCP_NODELAY on accepted connections (without it
    every keep-alive answer waits ~40 ms for a delayed ACK)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server, whose main loop can be woken from another thread so that stopping
    takes milliseconds instead of a 0.1 s tick."""

    _loop: asyncio.AbstractEventLoop | None = None
    _wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            try:
                await asyncio.wait_for(self._wake.wait(), 0.1)
            except TimeoutError:
                pass

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's graceful shutdown, polling every 5 ms instead of sleeping 0.1 s first."""
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.config.timeout_graceful_shutdown or 2)
        while (self.server_state.connections or self.server_state.tasks) and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for task in list(self.server_state.tasks):
            task.cancel()
        for server in self.servers:
            await server.wait_closed()

    def wake(self) -> None:
        if self._loop is not None and self._wake is not None:
            try:
                self._loop.call_soon_threadsafe(self._wake.set)
            except RuntimeError:  # the loop has already closed
                pass


def _server(app: Any) -> _Server:
    config = uvicorn.Config(app, http=_Protocol, lifespan="off", access_log=False, log_config=None,
                            log_level="warning", timeout_graceful_shutdown=2, timeout_keep_alive=30)
    return _Server(config)


class RunningEmulator:
    """An emulator serving in a background thread. ``base_url`` is the Metadata API base
    (``http://127.0.0.1:PORT/api:meta``), ``token`` a token with every right, ``workspace_id``
    the first workspace. Use as a context manager, or call :meth:`stop`."""

    def __init__(self, state: EmulatorState | None, app: Any, sock: socket.socket):
        self.state = state
        self.port = sock.getsockname()[1]
        self.origin = f"http://{HOST}:{self.port}"
        self.base_url = self.origin + BASE
        self._sock = sock
        self._server = _server(app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"xanoctl-emulator-{self.port}", daemon=True)

    def start(self, timeout: float = 10.0) -> "RunningEmulator":
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._sock.close()
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.wake()
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> "RunningEmulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ conveniences for tests

    def _need_state(self) -> EmulatorState:
        if self.state is None:
            raise RuntimeError("this emulator was started from a bare ASGI app: no state to reach")
        return self.state

    @property
    def token(self) -> str:
        return self._need_state().token

    @property
    def workspace_id(self) -> int:
        return min(self._need_state().store.workspaces)

    def set_faults(self, faults: Faults | str | None) -> Faults:
        """Replace the faults in force (and restart their counters)."""
        return self._need_state().faults.set(faults)

    def reset_faults(self) -> None:
        self._need_state().faults.reset()

    def request_count(self) -> int:
        return self._need_state().stats.requests

    def request_log(self) -> list[str]:
        """``"METHOD /path"`` of every request seen (the last 10,000), in order."""
        with self._need_state().lock:
            return list(self._need_state().stats.log)

    def script(self, **outcome: Any) -> dict[str, Any]:
        """Script a test's run or an endpoint's answer (what ``PUT /_emulator/outcomes`` does)."""
        from xanoctl.emulator.app import script_outcome

        return self.mutate(lambda state: script_outcome(state.store, outcome))

    def mutate(self, change: Callable[[EmulatorState], Any]) -> Any:
        """Run ``change(state)`` under the state's lock (the server runs in another thread),
        then save the state file if there is one."""
        state = self._need_state()
        with state.lock:
            result = change(state)
        state.save()
        return result

    def add(self, kind: str, name: str, xanoscript: str, *, group: str | int | None = None,
            verb: str | None = None, branch: str | None = None, **options: Any) -> StoredObject:
        """Plant an object directly (no validation: hostile names welcome). ``group`` is an API
        group's name or id, for endpoints."""
        def change(state: EmulatorState) -> StoredObject:
            store = state.store
            target = store.branch(self.workspace_id, branch)
            group_id = group
            if isinstance(group, str):
                group_id = next(g.id for g in target.objects["api_group"].values() if g.name == group)
            return store.add(target, kind, name, xanoscript, verb=verb, group_id=group_id, **options)
        return self.mutate(change)


def run_in_thread(app_or_state: EmulatorState | Any = None, port: int = 0, **create: Any) -> RunningEmulator:
    """Start an emulator in a background thread and return it once it accepts connections.

    ``app_or_state`` is an :class:`EmulatorState`, an ASGI app, or None for a fresh state
    made with ``EmulatorState.create(**create)`` (``seed=``, ``token=``, ``faults=``...)."""
    if app_or_state is None:
        app_or_state = EmulatorState.create(**create)
    if isinstance(app_or_state, EmulatorState):
        state, app = app_or_state, build_app(app_or_state)
    else:
        state, app = None, app_or_state
    return RunningEmulator(state, app, bind(port)).start()


def serve(state: EmulatorState, port: int, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve in the foreground until interrupted (Ctrl-C), then save the state file."""
    sock = bind(port)
    base_url = f"http://{HOST}:{sock.getsockname()[1]}{BASE}"
    server = _server(build_app(state))
    if on_ready is not None:
        on_ready(base_url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        state.save()
