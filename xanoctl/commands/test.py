"""`xanoctl test [NAME|PATH...]`: run the workspace's unit and workflow tests through the
Metadata API, as the official CLI's `unit_test run_all` and `workflow_test run_all` do."""

from __future__ import annotations

import click

from xanoctl.runtime.reports import FORMATS


@click.command()
@click.argument("selectors", nargs=-1, metavar="[NAME|PATH]...")
@click.option("--unit", "only_unit", is_flag=True, help="Only the unit tests (`test` blocks).")
@click.option("--workflow", "only_workflow", is_flag=True, help="Only the workflow tests.")
@click.option("--obj-type", type=click.Choice(("function", "query", "middleware")),
              help="Only the unit tests of this kind of object.")
@click.option("--changed-since", metavar="REV", help="Only the tests whose object, or anything it reaches "
              "(callees, endpoints, tables), changed since this git revision.")
@click.option("--concurrency", type=click.IntRange(min=1), default=1, show_default=True,
              help="Tests run at once (they share the workspace's database: raise it only for tests "
                   "that do not depend on shared state).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text, json (the official CLI's roll-up), junit (JUnit XML), github (annotations).")
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="The pulled workspace folder, for files and lines (default: from xanoctl.yaml).")
@click.option("--instance", help="Metadata API base URL (overrides XANO_INSTANCE and xanoctl.yaml).")
@click.option("--workspace", help="Workspace id (overrides XANO_WORKSPACE and xanoctl.yaml).")
@click.option("--branch", help="Branch whose tests run (overrides XANO_BRANCH and xanoctl.yaml).")
def test(selectors, only_unit, only_workflow, obj_type, changed_since, concurrency, fmt, folder, instance,
         workspace, branch):
    """Run the workspace's unit tests (the `test "..."` blocks of functions, endpoints and
    middleware) and workflow tests, each result tied to the file and line that declares it.

    NAME selects the tests, or the tests of the objects, of that name (`*` and `?` allowed);
    PATH (a file or folder of the pulled tree) the tests declared there.

    Exit status: 0 every test passed (or there is none), 1 a test failed, 2 the tests could not
    be run (token, workspace, instance unreachable) or a usage error.
    """
    from xanoctl.config import load_config
    from xanoctl.runtime import reports, suite
    from xanoctl.runtime.results import NotRun

    config = load_config(instance=instance, workspace=workspace, branch=branch, dir=folder)
    selection = suite.Selection(unit=only_unit or not only_workflow, workflow=only_workflow or not only_unit,
                                obj_type=obj_type, selectors=list(selectors), changed_since=changed_since)
    if only_workflow and obj_type:
        raise NotRun("--obj-type selects unit tests: it does not go with --workflow")
    stream = reports.streamer(fmt, click.echo)
    report = suite.run(config, lambda: _local_tree(config), selection, concurrency, on_result=stream)
    click.echo(reports.render(report, fmt, streamed=stream is not None))
    raise SystemExit(report.exit_code)


def _local_tree(config):
    """The pulled tree's tests, or None when there is no workspace folder."""
    from xanoctl.lint.config import load_config as lint_config
    from xanoctl.runtime.locate import LocalTree
    from xanoctl.views.load import open_workspaces

    if not config.dir.is_dir():
        return None
    workspaces = open_workspaces(str(config.dir), lint_config())
    return LocalTree(workspaces[0]) if len(workspaces) == 1 else None
