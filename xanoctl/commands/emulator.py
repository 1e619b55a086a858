"""`xanoctl emulator`: a local Xano Metadata API on 127.0.0.1."""

from __future__ import annotations

import click

from xanoctl.errors import UsageError


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--seed", default=None, help="Workspace to serve: demo, generated (big), or none (empty).")
@click.option("--token", default=None, help="Token with every right (default: a random one, printed).")
@click.option("--read-only-token", default=None, help="Also accept this token for reads only (writes: 403).")
@click.option("--faults", default="", help="Faults to inject, e.g. 429-every=5,5xx-on-write=3,latency-ms=50,"
              "drop-every=7,429-burst=10@20,retry-after=1; rate-window=10/20 is about Xano's Free plan, "
              "page-cap=100 a server that keeps its own page size (see xanoctl.emulator.faults).")
@click.option("--state", "state_file", type=click.Path(dir_okay=False),
              help="Keep the workspace in this JSON file (loaded at start if it exists, saved on every change).")
@click.option("--timestamps", type=click.Choice(["string", "ms"]), default="string", show_default=True,
              help="Timestamp form in answers: \"2025-01-06 09:00:00+0000\" or epoch milliseconds.")
@click.option("--xanoscript-as-string", is_flag=True, help="Answer `xanoscript` as a plain string.")
@click.option("--no-direct-push", is_flag=True, help="Refuse the multidoc import (POST .../multidoc and its dry-run) "
              "as Xano does when direct push is disabled: clients must push object by object.")
def emulator(port, seed, token, read_only_token, faults, state_file, timestamps, xanoscript_as_string,
             no_direct_push) -> None:
    """Serve a local Metadata API (in memory, optional state file) until Ctrl-C. Prints the
    environment to point xanoctl at it.

    \b
    Examples:
      xanoctl emulator --seed demo --port 8787
      xanoctl emulator --seed demo --faults 429-every=5,latency-ms=50
      xanoctl emulator --state emulator.json     keep the workspace between runs
    """
    from xanoctl.emulator.faults import FaultSpecError
    from xanoctl.emulator.server import serve
    from xanoctl.emulator.state import EmulatorOptions, EmulatorState

    try:
        state = EmulatorState.create(seed=None if seed in (None, "", "none") else seed, token=token,
                                     read_only_token=read_only_token, faults=faults or None, state_file=state_file,
                                     options=EmulatorOptions(timestamps, xanoscript_as_string,
                                                             direct_push=not no_direct_push))
    except FaultSpecError as exc:
        raise UsageError(f"--faults: {exc}") from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    workspace = min(state.store.workspaces)

    def ready(base_url: str) -> None:
        click.echo(f"export XANO_INSTANCE={base_url}")
        click.echo(f"export XANO_WORKSPACE={workspace}")
        click.echo(f"export XANO_TOKEN={state.token}")
        spec = state.faults.faults.spec()
        click.echo(f"# xanoctl emulator: workspace {workspace} ({state.store.workspaces[workspace].name})"
                   + (f", faults {spec}" if spec else "") + "; Ctrl-C to stop", err=True)

    try:
        serve(state, port, on_ready=ready)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose another --port") from None
