"""`xanoctl smoke`: call the workspace's endpoints on its public API, with fixtures checked
against their declared inputs before anything is sent, and judge the envelope strictly."""

from __future__ import annotations

import click

from xanoctl.runtime.reports import FORMATS


@click.command()
@click.option("--group", "groups", multiple=True, metavar="NAME",
              help="An API group to call (repeatable; default: the groups named in the fixtures).")
@click.option("--endpoint", "only", multiple=True, metavar='"VERB path"',
              help='Only this endpoint (repeatable), e.g. --endpoint "POST tasks/sync-people".')
@click.option("--inputs", "inputs_file", type=click.Path(dir_okay=False, exists=True),
              help="The fixtures file (default: smoke.yaml here, else beside xanoctl.yaml).")
@click.option("--concurrency", type=click.IntRange(min=1), default=1, show_default=True,
              help="Calls at once (default one: these calls have side effects).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Per request (default: http.timeout, 30 s).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text, json, junit (JUnit XML) or github (annotations on the endpoint's line).")
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="The pulled workspace folder (default: from xanoctl.yaml).")
@click.option("--instance", help="Metadata API base URL; the public API is on the same origin.")
@click.option("--branch", help="Call this branch's endpoints (/api:<canonical>:<branch>).")
def smoke(groups, only, inputs_file, concurrency, timeout, fmt, folder, instance, branch):
    """Call each endpoint of the selected API groups (its verb and path, `{param}` filled in;
    GET and HEAD send the inputs as the query string, other verbs as a JSON body) and judge the
    answer: an endpoint that answers the FP envelope passes only on 2xx with `success: true`
    (`null`, `success: false`, a body without `success`, an ERROR_CODE_* body fail); others on 2xx
    or the status their fixture expects.

    Exit status: 0 every endpoint passed (skips included), 1 one failed, 2 the run could not
    happen (fixtures that do not fit the endpoints, no workspace folder, unreachable instance
    before the first call).
    """
    import os

    from xanoctl.config import load_config
    from xanoctl.errors import UsageError
    from xanoctl.lint.config import load_config as lint_config
    from xanoctl.runtime import fixtures as fixture_files
    from xanoctl.runtime import reports, smoke as runner
    from xanoctl.runtime.endpoints import discover
    from xanoctl.runtime.results import NotRun
    from xanoctl.views.load import open_workspaces
    from xanoctl.xano.public import instance_origin

    config = load_config(instance=instance, branch=branch, dir=folder)
    if not config.instance:
        raise UsageError("no Xano instance: pass --instance, set XANO_INSTANCE or run `xanoctl init`")
    if not config.dir.is_dir():
        raise NotRun(f"no workspace folder {config.dir}: run `xanoctl pull` first (smoke reads the endpoints "
                     "from the pulled tree)")
    path = inputs_file or runner.default_fixtures(config.config_file, os.getcwd())
    fixtures = fixture_files.load(path, os.path.relpath(path)) if path else None
    lint = lint_config()
    workspaces = open_workspaces(str(config.dir), lint)
    if len(workspaces) != 1:
        raise NotRun(f"{config.dir} holds several workspaces: pass --dir to name one")
    endpoints = discover(workspaces[0], list(lint.rule_options("FP001")["folders"]))
    chosen = runner.select(endpoints, fixtures, list(groups), list(only))
    calls = runner.check(endpoints, chosen, fixtures, os.environ)
    stream = _Held(reports.streamer(fmt, click.echo))
    report = runner.run(calls, instance_origin(config.instance), config.branch, config.http,
                        concurrency=concurrency, timeout=timeout, on_result=stream)
    if report.results and not stream.answered:
        raise NotRun(f"no endpoint answered ({report.results[0].message}): check the instance URL and the network")
    stream.flush()
    click.echo(reports.render(report, fmt, streamed=stream.streaming))
    raise SystemExit(report.exit_code)


class _Held:
    """Streams the results, but holds them back until one endpoint has answered: when none
    does (the instance is unreachable) the run ends with one line and exit 2 instead."""

    def __init__(self, stream):
        self.stream = stream
        self.answered = False
        self.held = []

    @property
    def streaming(self) -> bool:
        return self.stream is not None

    def __call__(self, result) -> None:
        self.answered = self.answered or result.details.get("http_status") is not None
        self.held.append(result)
        if self.answered:
            self.flush()

    def flush(self) -> None:
        if self.stream is not None:
            for result in self.held:
                self.stream(result)
        self.held = []
