"""Every command speaks the same way (issue 21), through the CLI: one error line for every
error (click's usage errors and typos included), colour from NO_COLOR, FORCE_COLOR, TERM=dumb
and --color, -h/-V/-q/-v, config keys checked at every level, one YAML message, a progress line
on a terminal only (real processes on a pseudo-terminal), lasting connection failures not
retried, the paths other commands print, init's checks, doctor, completion and --help examples."""

from __future__ import annotations

import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, edited, fn_path, shop  # noqa: E402,F401

from xanoctl.cli import COMMANDS, main
from xanoctl.emulator.server import run_in_thread
from xanoctl.emulator.testing import cli_env

REPO = Path(__file__).resolve().parent.parent
ESC = "\x1b["


def xanoctl() -> list[str]:
    script = Path(sys.executable).with_name("xanoctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "xanoctl"]


def run(args: list[str], cwd: Path, env: dict[str, str], *, tty_out: bool = False,
        tty_err: bool = False) -> tuple[int, str, str]:
    """``xanoctl ARGS`` as a real process, its stdout and/or stderr on a pseudo-terminal:
    (exit status, stdout, stderr)."""
    full = {**os.environ, **env}
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        if name not in env:
            full.pop(name, None)
    full.setdefault("TERM", "xterm")
    masters, chunks, readers = {}, {}, []
    streams = {}
    for name, wanted in (("out", tty_out), ("err", tty_err)):
        if wanted:
            master, slave = pty.openpty()
            masters[name], streams[name] = master, slave
        else:
            streams[name] = subprocess.PIPE
    process = subprocess.Popen(xanoctl() + args, cwd=cwd, env=full, stdin=subprocess.DEVNULL,
                               stdout=streams["out"], stderr=streams["err"])
    for name, master in masters.items():
        os.close(streams[name])
        chunks[name] = []

        def read(master=master, sink=chunks[name]):
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                sink.append(data)
        reader = threading.Thread(target=read)
        reader.start()
        readers.append(reader)
    out, err = process.communicate(timeout=120)
    for reader in readers:
        reader.join(timeout=30)
    for master in masters.values():
        os.close(master)
    text = {"out": out, "err": err}
    for name in masters:
        text[name] = b"".join(chunks[name]).replace(b"\r\n", b"\n")
    return process.returncode, text["out"].decode("utf-8", "replace"), text["err"].decode("utf-8", "replace")


def cli(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# ---------------------------------------------------------------------------- one error style


@pytest.mark.parametrize("args, line", [
    (["pul"], "xanoctl: error: no such command 'pul': did you mean `xanoctl pull`?"),
    (["push", "--dry"], "xanoctl: error: no such option --dry: did you mean --dir or --dry-run? "
                        "(see `xanoctl push --help`)"),
    (["compare", "workspace"], "xanoctl: error: missing argument 'B' (see `xanoctl compare --help`)"),
    (["lint", "--format", "xml"], "xanoctl: error: invalid value for '--format': 'xml' is not one of 'auto', 'text', "
                                  "'json', 'sarif', 'github' (see `xanoctl lint --help`)"),
    (["--colour"], "xanoctl: error: no such option --colour: did you mean --color? (see `xanoctl --help`)"),
    (["rules", "FP03"], "xanoctl: error: no rule 'FP03'; did you mean FP003?"),
    (["status", "--format", "jsn"], "xanoctl: error: invalid value for '--format': 'jsn' is not a choice: did you "
                                    "mean 'json'? (see `xanoctl status --help`)"),
    (["compare", "a", "b", "--kind", "mesage"], "xanoctl: error: invalid value for '--kind': 'mesage' is not a "
                                                "choice: did you mean 'message'? (see `xanoctl compare --help`)"),
    (["pull", "realtime-servers", "mesage", "--instance", "http://x.test", "--workspace", "1"],
     "xanoctl: error: unknown kind 'mesage': did you mean 'message'?"),  # (an alias before it: taken)
])
def test_every_usage_error_is_one_line_that_says_what_to_do_and_exits_2(args, line):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr == line + "\n"


def test_h_v_and_capital_v():
    assert cli("-V").output == f"xanoctl, version {__import__('xanoctl').__version__}\n"
    assert cli("-h").output.startswith("Usage: main [OPTIONS] COMMAND [ARGS]...")
    assert cli("push", "-h").output.startswith("Usage: main push [OPTIONS] [PATHS]...")
    options = cli("status", "-h").output
    assert "-q, --quiet" in options and "-v, --verbose" in options and "--color [auto|always|never]" in options


def help_examples(name: str) -> list[list[str]]:
    """The arguments of each example in ``xanoctl NAME --help`` (after NAME): the command of an
    ``eval "$(xanoctl ...)"``, before a ``| pipe`` or a ``> file``."""
    help_text = cli(name, "--help").output
    assert "Examples:" in help_text, name
    block = help_text.split("Examples:")[1].split("Options:")[0]
    examples = [re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines() if "xanoctl " in line]
    found = []
    for example in examples:
        text = example.split("$(")[-1].rstrip(')"') if "$(" in example else example  # eval "$(xanoctl ...)"
        text = re.split(r"\s[|>]\s", text)[0]  # | dot -Tsvg, > manual.md
        words = shlex.split(text)
        found.append(words[words.index(name) + 1:])
    return found


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_examples_in_its_help_that_parse(name):
    examples = help_examples(name)
    assert examples, name
    command = main.get_command(click.Context(main), name)
    for args in examples:
        example = shlex.join(["xanoctl", name, *args])
        with click.Context(main) as parent:  # the options exist and take such values
            try:
                command.make_context(name, args, parent=parent)
            except click.exceptions.Exit:
                pass
            except click.BadParameter as exc:  # a path that is not here: the syntax is right
                assert "does not exist" in exc.format_message(), (example, exc.format_message())
            except click.UsageError as exc:
                pytest.fail(f"{example}: {exc.format_message()}")


# The first example of each command, run for real in a repository holding the demo workspace
# pulled from the emulator (its tests, endpoints and smoke.yaml too): exit 0, or 1 for findings
# (lint) and failures on purpose (test, smoke), never 2. What each needs first, a person would
# have done first; an example that cannot run here says why.
FIRST_EXAMPLE_NEEDS = {
    "compare": lambda world: world.repo.create_tag("v1.0"),  # a release to compare against
    "push": lambda world: world.write(DEMO_EDIT, edited(world.read(DEMO_EDIT), "example")),  # something to push
    "rollback": lambda world: (world.write(DEMO_EDIT, edited(world.read(DEMO_EDIT), "undo")),
                               world.cli("push")),  # a push to undo
}
FIRST_EXAMPLE_CANNOT_RUN = {
    "emulator": "it serves until interrupted (Ctrl-C), on the fixed port 8787 that another process of this "
                "machine may hold; tests/test_emulator*.py start it on a free port",
}
DEMO_EDIT = fn_path("Utils/Text - Normalize Phone")


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory):
    from shiphelpers import build_demo_shop

    world = build_demo_shop(tmp_path_factory.mktemp("examples"))
    yield world
    world.emu.stop()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_first_example_of_every_command_runs_against_the_emulator(demo_world, name, tmp_path, monkeypatch):
    if name in FIRST_EXAMPLE_CANNOT_RUN:
        pytest.skip(FIRST_EXAMPLE_CANNOT_RUN[name])
    args = help_examples(name)[0]
    FIRST_EXAMPLE_NEEDS.get(name, lambda world: None)(demo_world)
    if name == "init":  # it writes xanoctl.yaml: in a folder that has none; without a token, it asks nobody
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(main, [name, *args], env={**demo_world.env, "XANO_TOKEN": ""})
        assert (tmp_path / "xanoctl.yaml").is_file()
    else:
        result = demo_world.cli(name, *args, code=None)
    assert result.exit_code in (0, 1), f"xanoctl {name} {shlex.join(args)}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output
    if result.exit_code == 1:  # findings or failures on purpose, not a failed operation
        assert name in ("lint", "test", "smoke"), result.output


# ---------------------------------------------------------------------------- colour


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("colours")
    shutil.copytree(REPO / "workspace", folder / "workspace")
    return folder


@pytest.mark.parametrize("env, flag, coloured", [
    ({}, [], False),  # a pipe: no colour
    ({"FORCE_COLOR": "1"}, [], True),
    ({"FORCE_COLOR": "0"}, [], False),
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, [], False),
    ({"NO_COLOR": "1"}, ["--color", "always"], True),  # the flag wins over the environment
    ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
    ({"FORCE_COLOR": "1"}, ["--no-color"], False),
    ({}, ["--color"], True),  # bare --color is always
])
def test_colour_in_a_pipe_follows_the_variables_and_the_flag(demo_copy, env, flag, coloured):
    code, out, err = run(["lint", "workspace", "--no-cache", *flag], demo_copy, env)
    assert code == 1 and "RT001" in out
    assert (ESC in out) is coloured, out[:300]


@pytest.mark.parametrize("env, flag, coloured", [
    ({}, [], True),  # a terminal: colour
    ({"TERM": "dumb"}, [], False),
    ({"NO_COLOR": "1"}, [], False),
    ({"TERM": "dumb", "FORCE_COLOR": "1"}, [], True),
    ({}, ["--color", "never"], False),
])
def test_colour_on_a_terminal_follows_the_variables_and_the_flag(demo_copy, env, flag, coloured):
    code, out, err = run(["lint", "workspace", "--no-cache", *flag], demo_copy, env, tty_out=True)
    assert code == 1 and "RT001" in out
    assert (ESC in out) is coloured, out[:300]


def test_status_and_diff_colour_as_lint_does(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "c"))
    old = os.getcwd()
    os.chdir(shop.root)
    try:
        for command in (["status"], ["diff"]):
            coloured = CliRunner().invoke(main, command, env={**shop.env, "FORCE_COLOR": "1"})
            plain = CliRunner().invoke(main, command, env={**shop.env, "FORCE_COLOR": "1", "NO_COLOR": "1"})
            assert ESC in coloured.output and ESC not in plain.output, command
            assert plain.output == re.sub(r"\x1b\[[0-9;]*m", "", coloured.output)
    finally:
        os.chdir(old)


def test_push_and_pull_colour_as_the_other_commands_do(shop):
    def both(*args, code=0):
        coloured = shop.cli(*args, code=code, env={"FORCE_COLOR": "1"}).stdout
        return coloured, re.sub(r"\x1b\[[0-9;]*m", "", coloured)

    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "c"))
    shop.remote_edit("Utils/f02", shop.read(fn_path("Utils/f02")).replace('"Utils/f02"', '"remote"', 1))
    coloured, plain = both("push", fn_path("Utils/f01"), "--dry-run")
    assert ESC + "1mwould push (1 to update):" in coloured  # a heading: bold
    coloured, plain = both("push", fn_path("Utils/f01"))
    assert f"{ESC}32mupdated{ESC}0m" in coloured and f"{ESC}32mpushed 1 object{ESC}0m" in coloured  # done: green
    assert plain.splitlines()[-1] == "pushed 1 object; xanoctl.lock updated"  # the same text without colour
    shop.write(fn_path("Utils/f02"), edited(shop.read(fn_path("Utils/f02")), "c"))
    coloured, plain = both("push", code=1)
    assert f"{ESC}31m{ESC}1mconflict:{ESC}0m function/Utils/f02.xs" in coloured  # refused: red and bold
    assert plain == shop.cli("push", code=1).stdout
    shop.write(fn_path("Utils/f02"), shop.read(fn_path("Utils/f02")).replace("var $edit_c", "var $edit_d"))
    shop.write(fn_path("Utils/f03"), edited(shop.read(fn_path("Utils/f03")), "k"))
    shop.remote_edit("Utils/f04", shop.read(fn_path("Utils/f04")).replace('"Utils/f04"', '"remote"', 1))
    coloured, plain = both("pull")
    assert f"  {ESC}32mchanged{ESC}0m  function/Utils/f04.xs" in coloured  # written: green
    assert f"{ESC}33mleft 1 file modified locally{ESC}0m" in coloured  # left alone: yellow
    shop.cli("pull", "--force")
    shop.remote_edit("Utils/f05", shop.read(fn_path("Utils/f05")).replace('"Utils/f05"', '"again"', 1))
    pulled = shop.cli("pull", env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    assert ESC not in pulled and pulled.startswith("  changed  function/Utils/f05.xs")


# ---------------------------------------------------------------------------- xanoctl.yaml


BAD_SETTINGS = [
    ("instance: http://x.test\nworkpsace: 1\n",
     "xanoctl.yaml:2: unknown key 'workpsace'; did you mean 'workspace'?"),
    ("instance: http://x.test\nworkspace: 1\nhttp:\n  timout: 5\n",
     "xanoctl.yaml:4: unknown key 'timout' in http; did you mean 'timeout'?"),
    ("workspace: 1\nlint:\n  selct: [FP001]\n", "xanoctl.yaml:3: unknown key 'selct' in lint; did you mean 'select'?"),
    ("workspace: 1\nfoo: bar\n", "xanoctl.yaml:2: unknown key 'foo'; the keys are instance, workspace, branch, dir, "
                                 "layout, http, lint"),
    ("instance: http://x.test\nworkspace: [1\n",
     "xanoctl.yaml:3:1: not valid YAML (expected ',' or ']', but got '<stream end>'): fix the file"),
]
NO_SCHEME = ("instance: localhost:8787\nworkspace: 1\n",
             "xanoctl.yaml:1: the instance URL 'localhost:8787' has no scheme: write http://localhost:8787 or "
             "https://localhost:8787")
REMOTE = [["status", "--offline"], ["pull"], ["doctor"]]  # the commands that read the instance


@pytest.mark.parametrize("command, text, message",
                         [(command, text, message) for command in REMOTE + [["lint"], ["tasks"]]
                          for text, message in BAD_SETTINGS] + [(command, *NO_SCHEME) for command in REMOTE])
def test_a_bad_xanoctl_yaml_is_one_message_with_its_line_whichever_command_reads_it(tmp_path, monkeypatch, command,
                                                                                    text, message):
    (tmp_path / "xanoctl.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "f.xs").write_text('function "f" {\n  stack {\n  }\n  response = null\n}\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, command, env={"XANO_TOKEN": "t", "XANOCTL_CREDENTIALS": str(tmp_path / "no")})
    if command == ["doctor"]:
        assert result.exit_code == 1 and f"failed   config     {message}" in result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stderr == f"xanoctl: error: {message}\n"


def test_a_broken_credentials_file_names_its_line_and_never_its_text(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.write_text("token: abc-SECRET\n  oops: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status", "--instance", "http://x.test", "--workspace", "1"],
                                env={"XANO_TOKEN": "", "XANOCTL_CREDENTIALS": str(credentials)})
    assert result.exit_code == 2 and "SECRET" not in result.output
    assert re.fullmatch(r"xanoctl: error: .*credentials:2:\d+: not valid YAML \(.*\): fix the file\n", result.stderr)


# ---------------------------------------------------------------------------- -q and -v


def test_quiet_changes_print_nothing_and_verbose_tells_each_request(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "q"))
    quiet = shop.cli("push", "-q")
    assert quiet.stdout == "" and quiet.stderr == ""
    assert shop.cli("-q", "pull").output == ""  # before the command too
    loud = shop.cli("status", "-v")
    requests = [line for line in loud.stderr.splitlines() if line.startswith("xanoctl: GET /")]
    assert requests and all(re.fullmatch(r"xanoctl: GET /\S+: 200 \(\d+ ms\)", line) for line in requests)
    assert "modified locally" not in loud.stderr and "0 changed" not in loud.stdout


# ---------------------------------------------------------------------------- progress on a terminal


def test_progress_shows_on_a_terminal_only_and_never_with_json(shop):
    env = {**shop.env, "COLUMNS": "200"}
    for name in ("Utils/f01", "Utils/f02"):
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "p"))
    code, out, err = run(["status"], shop.root, env, tty_err=True)
    assert code == 0 and err.startswith("\rstatus: ") and err.endswith("\r\x1b[K")  # cleared at the end
    assert "\r" not in out
    code, out, err = run(["push"], shop.root, env, tty_err=True)
    assert code == 0 and "checking 2 objects against Xano" in err and "writing: 2/2 objects" in err
    assert "pushed 2 objects" in out
    code, out, err = run(["status"], shop.root, env)  # stderr a pipe
    assert code == 0 and err == ""
    code, out, err = run(["status", "--format", "json"], shop.root, env, tty_err=True)
    assert code == 0 and err == "" and out.startswith("{")
    code, out, err = run(["status", "-q"], shop.root, env, tty_err=True)
    assert code == 0 and err == ""
    code, out, err = run(["status"], shop.root, {**env, "TERM": "dumb"}, tty_err=True)
    assert code == 0 and err == ""


def test_a_transaction_push_shows_its_dry_run_its_write_and_its_read_back(shop):
    env = {**shop.env, "COLUMNS": "200"}
    for name in ("Utils/f01", "Utils/f02", "Utils/f03"):
        shop.write(fn_path(name), edited(shop.read(fn_path(name)), "t"))
    code, out, err = run(["push", "--transaction"], shop.root, env, tty_err=True)
    assert code == 0 and "pushed 3 objects in one transaction" in out, out + err
    steps = [step for step in ("checking 3 objects against Xano", "Xano's dry-run of the import (3 documents)",
                               "writing 3 objects in one transaction", "reading back: 3/3 objects") if step in err]
    assert steps == ["checking 3 objects against Xano", "Xano's dry-run of the import (3 documents)",
                     "writing 3 objects in one transaction", "reading back: 3/3 objects"], err
    assert err.index("writing 3 objects") < err.index("reading back: 3/3") and err.endswith("\r\x1b[K")


def test_reading_xanos_export_as_it_streams_is_counted_on_the_progress_line(shop):
    from xanoctl.emulator.testing import SOURCES

    shop.emu.add("realtime_server", "Chat", SOURCES["realtime_server"]("Chat"))
    shop.emu.add("channel", "lobby", SOURCES["channel"]("lobby"))
    shop.emu.add("message", "say", SOURCES["message"]("say", channel="lobby"))
    shop.cli("pull")
    env = {**shop.env, "COLUMNS": "200"}
    path = "realtime/server/Chat/channel/lobby/message/say.xs"
    shop.write(path, shop.read(path).replace('"say" {', '"say" {\n  description = "Said"', 1))
    code, out, err = run(["status"], shop.root, env, tty_err=True)  # the export read whole, as it streams
    assert code == 0 and re.search(r"status: .*\(reading Xano's export: \d+ documents?\)", err), err
    code, out, err = run(["push"], shop.root, env, tty_err=True)  # its conflict check and read-back stop at it
    assert code == 0 and "pushed 1 object" in out, out + err
    assert re.search(r"checking 1 object against Xano \(reading Xano's export: \d+ documents?\)", err), err
    assert re.search(r"writing: 0/1 objects \(reading Xano's export: \d+ documents?\)", err), err
    assert err.endswith("\r\x1b[K")  # cleared at the end
    code, out, err = run(["status", "--format", "json"], shop.root, env, tty_err=True)
    assert code == 0 and err == ""


def test_the_progress_line_counts_exports_beside_the_step_and_drops_them_when_all_ended():
    import io

    from xanoctl.ui.progress import Progress

    progress = Progress(io.StringIO(), live=True)
    progress.begin("checking 2 objects against Xano")
    progress.export_started()
    progress.export_started()  # two at once (a push's reads run concurrently)
    for _ in range(3):
        progress.export_document()
    assert progress.line() == "checking 2 objects against Xano (reading Xano's export: 3 documents)"
    progress.export_ended()
    assert progress.line().endswith("(reading Xano's export: 3 documents)")
    progress.export_ended()
    assert progress.line() == "checking 2 objects against Xano"
    progress.export_started()
    assert progress.line() == "checking 2 objects against Xano (reading Xano's export: 0 documents)"


def test_retries_and_rate_limit_waits_are_told_on_the_terminal(shop):
    env = {**shop.env, "COLUMNS": "200", "XANOCTL_HTTP_ATTEMPTS": "6"}
    shop.emu.set_faults("drop-every=2")
    code, out, err = run(["status"], shop.root, env, tty_err=True)
    assert code == 0 and re.search(r"connection lost, retrying 2/6", err), err
    shop.emu.set_faults("429-burst=1,retry-after=1")
    code, out, err = run(["status"], shop.root, env, tty_err=True)
    assert code == 0
    assert re.search(r"rate limited by Xano: next try in 1 s \(giving up in \d+ min( \d+ s)? without progress\)", err)


# ---------------------------------------------------------------------------- lasting failures


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_refused_connection_is_reported_at_once_not_retried(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/api:meta"
    result = CliRunner().invoke(main, ["doctor", "--instance", url, "--workspace", "1", "-v"],
                                env={"XANO_TOKEN": "t", "XANOCTL_CREDENTIALS": str(tmp_path / "none")})
    attempts = [line for line in result.stderr.splitlines() if line.startswith("xanoctl: GET /auth/me")]
    assert attempts == ["xanoctl: GET /auth/me: no answer (" + attempts[0].rsplit("(", 1)[1]]  # one try
    assert "retrying" not in result.stderr
    assert f"failed   instance   cannot reach {url}: connection refused (nothing listens there)" in result.stdout


def test_https_to_an_http_port_is_a_tls_error_said_once_with_what_to_do(tmp_path):
    with run_in_thread(token=TOKEN) as emu:
        url = emu.base_url.replace("http://", "https://")
        env = {"XANO_TOKEN": TOKEN, "XANOCTL_CREDENTIALS": str(tmp_path / "none")}
        result = CliRunner().invoke(main, ["doctor", "--instance", url, "--workspace", "1", "-v"], env=env)
    assert len([line for line in result.stderr.splitlines() if line.startswith("xanoctl: GET")]) == 1
    assert "the TLS handshake failed" in result.stdout and "try http:// in the instance URL" in result.stdout


def test_a_refusal_after_the_instance_answered_is_a_restart_and_is_retried():
    from xanoctl.xano.retry import lasting_failure

    refused = ConnectionRefusedError(111, "Connection refused")
    assert lasting_failure(refused) == "refused"
    assert lasting_failure(refused, answered_before=True) is None
    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = refused
    assert lasting_failure(wrapped) == "refused"
    assert lasting_failure(TimeoutError()) is None


# ---------------------------------------------------------------------------- paths


def test_every_command_takes_the_paths_the_others_print(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "x"))
    status = shop.cli("status").output
    printed = fn_path("Utils/f01")
    assert f"  {printed}  function 'Utils/f01'" in status  # status prints it inside the workspace folder
    assert shop.cli("diff", printed).output.startswith(f"diff {printed}")
    assert "would push (1 to update)" in shop.cli("push", printed, "--dry-run").output  # from the repository root
    assert "in 1 file." in shop.cli("lint", printed).output
    shop.cli("push", printed, "--commit")
    rolled = shop.cli("rollback", printed, "--to", "HEAD~1")
    assert "rolled back 1 object" in rolled.output
    inside = CliRunner()  # and from inside the workspace folder, both forms
    old = os.getcwd()
    os.chdir(shop.ws / "function")
    try:
        for path in (printed, "Utils/f01.xs"):
            result = inside.invoke(main, ["status", path], env=shop.env)
            assert result.exit_code == 0 and "1 object" in result.output, (path, result.output)
            result = inside.invoke(main, ["lint", path], env=shop.env)
            assert result.exit_code == 0 and "in 1 file." in result.output, (path, result.output)
    finally:
        os.chdir(old)


# ---------------------------------------------------------------------------- init and doctor


@pytest.fixture
def emu():
    with run_in_thread(token=TOKEN) as running:
        yield running


def test_init_checks_the_workspace_and_lists_those_the_token_sees(emu, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {**cli_env(emu, tmp=tmp_path), "XANO_INSTANCE": "", "XANO_WORKSPACE": ""}
    wrong = CliRunner().invoke(main, ["init", "--instance", emu.base_url, "--workspace", "9"], env=env)
    assert wrong.exit_code == 2 and not (tmp_path / "xanoctl.yaml").exists()
    assert wrong.stderr == (f"xanoctl: error: workspace 9 is not one the token can see: {emu.workspace_id} "
                            f"({emu.state.store.workspaces[emu.workspace_id].name}); pass --workspace with one of them\n")
    scheme = CliRunner().invoke(main, ["init", "--instance", emu.base_url.removeprefix("http://")], env=env)
    assert scheme.exit_code == 2 and "has no scheme: write http://127.0.0.1:" in scheme.stderr
    branch = CliRunner().invoke(main, ["init", "--instance", emu.base_url, "--branch", "nope"], env=env)
    assert branch.exit_code == 2 and "no branch 'nope' in workspace" in branch.stderr
    done = CliRunner().invoke(main, ["init", "--instance", emu.base_url], env=env)  # the one workspace it sees
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-1] == "next: `git init`; then `xanoctl pull --commit`"
    assert "checked: the instance answers" in done.stderr
    unchecked = CliRunner().invoke(main, ["init", "--instance", emu.base_url, "--workspace", "3", "--force"],
                                   env={**env, "XANO_TOKEN": ""})
    assert unchecked.exit_code == 0 and unchecked.stdout.splitlines()[-1].startswith("next: export XANO_TOKEN=...")
    assert TOKEN not in (tmp_path / "xanoctl.yaml").read_text()


def test_doctor_passes_when_all_is_well(shop):
    lines = shop.cli("doctor").stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["config", "token", "instance", "workspace", "branch", "git", "layout"]
    assert [line.split()[0] for line in lines] == ["ok"] * 7
    assert TOKEN not in "".join(lines)


def test_doctor_tells_a_refused_token_and_skips_what_depends_on_it(shop):
    env = {**shop.env, "XANO_TOKEN": "not-the-token"}
    old = os.getcwd()
    os.chdir(shop.root)
    try:
        result = CliRunner().invoke(main, ["doctor"], env=env)
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    states = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()}
    assert states == {"config": "ok", "token": "ok", "instance": "failed", "workspace": "skipped",
                      "branch": "skipped", "git": "ok", "layout": "ok"}
    assert "not-the-token" not in result.output and "Xano refused the token" in result.stdout


def test_a_one_character_token_does_not_mask_that_character_in_messages(tmp_path):
    from shiphelpers import broken, open_shop

    from xanoctl.emulator.testing import function_source

    with run_in_thread(token="e") as emu:  # a test server's token: one character
        emu.add("function", "Utils/one", function_source("Utils/one"))
        world = open_shop(emu, tmp_path)
        world.env["XANO_TOKEN"] = "e"
        world.cli("pull")
        world.write(fn_path("Utils/one"), broken(world.read(fn_path("Utils/one"))))
        result = world.cli("push", "--no-lint", code=1)  # Xano's message comes back in the report
    assert "(400 ERROR_CODE_SYNTAX_ERROR): Syntax error: expected `{`" in result.stdout, result.stdout
    assert "***" not in result.output  # was "Syntax ***rror: ***xp***ct***d"


# ---------------------------------------------------------------------------- git


def test_the_first_pull_commit_holds_xanoctl_yaml_and_no_root_gitignore_appears(emu, tmp_path):
    from shiphelpers import open_shop

    world = open_shop(emu, tmp_path)
    emu.add("function", "Utils/one", 'function "Utils/one" {\n  stack {\n  }\n  response = null\n}')
    result = world.cli("pull", "--commit")
    commit = world.repo.head.commit
    assert sorted(commit.stats.files) == ["workspace/function/Utils/one.xs", "workspace/xanoctl.lock", "xanoctl.yaml"]
    assert commit.message.startswith("xanoctl pull: function 'Utils/one' added\n")
    assert result.stdout.splitlines()[-1] == f"committed {commit.hexsha[:12]}"
    world.cli("status")
    assert not (world.root / ".gitignore").exists()
    assert world.repo.untracked_files == [] and not world.repo.is_dirty()


# ---------------------------------------------------------------------------- completion and wording


def test_bash_completion_completes_commands_and_options(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    script = subprocess.run(xanoctl() + ["completion", "bash"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "complete.sh").write_text(script, encoding="utf-8")
    probe = ('source complete.sh; COMP_WORDS=(xanoctl pu); COMP_CWORD=1; _xanoctl_completion xanoctl; '
             'echo "${COMPREPLY[*]}"; COMPREPLY=(); COMP_WORDS=(xanoctl push --dr); COMP_CWORD=2; '
             '_xanoctl_completion xanoctl; echo "${COMPREPLY[*]}"')
    bin_dir = str(Path(xanoctl()[0]).parent)
    done = subprocess.run(["bash", "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
    assert done.stdout.splitlines() == ["pull push", "--dry-run"], done.stderr
    assert cli("completion", "tcsh").exit_code == 2


def test_bash_completion_completes_every_kind_of_pull_and_compare(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    script = subprocess.run(xanoctl() + ["completion", "bash"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "complete.sh").write_text(script, encoding="utf-8")

    def probe(*words: str) -> str:
        return (f"COMPREPLY=(); COMP_WORDS=({' '.join(shlex.quote(word) for word in words)}); "
                f"COMP_CWORD={len(words) - 1}; _xanoctl_completion xanoctl; echo \"${{COMPREPLY[*]}}\"; ")

    lines = ("source complete.sh; " + probe("xanoctl", "pull", "mes") + probe("xanoctl", "pull", "--kind", "realtime_s")
             + probe("xanoctl", "pull", "function,tas") + probe("xanoctl", "pull", "oth")
             + probe("xanoctl", "compare", "--kind", "error"))
    bin_dir = str(Path(xanoctl()[0]).parent)
    done = subprocess.run(["bash", "-c", lines], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
    assert done.stdout.splitlines() == ["message", "realtime_server realtime_server_trigger", "function,task", "other",
                                        "error_trigger"], done.stderr


def shell_env(home: Path) -> dict[str, str]:
    bin_dir = str(Path(xanoctl()[0]).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "HOME": str(home),
            "TERM": "xterm", "COLUMNS": "200"}


@pytest.mark.skipif(shutil.which("zsh") is None, reason="no zsh here (.ci/run installs it from Debian)")
def test_zsh_completion_completes_in_an_interactive_zsh(tmp_path):
    """A real zsh on a pseudo-terminal, its completion system on, the script eval'd as the
    README says; TAB pressed after what a person types."""
    import select
    import time

    master, slave = pty.openpty()
    process = subprocess.Popen(["zsh", "-f", "-i"], stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path,
                               env=shell_env(tmp_path), close_fds=True)
    os.close(slave)
    screen = b""

    def until(text: str) -> str:
        nonlocal screen
        deadline = time.monotonic() + 60  # a bound on a hung shell, not a measure
        while text.encode() not in screen:
            assert time.monotonic() < deadline and process.poll() is None, screen.decode("utf-8", "replace")
            if select.select([master], [], [], 0.5)[0]:
                screen += os.read(master, 65536)
        shown, screen = screen.decode("utf-8", "replace"), b""
        return shown

    try:
        # the prompt is spelled apart so that the echo of this line does not look like it
        os.write(master, b"PROMPT='RE''ADY> '; autoload -Uz compinit && compinit -u -D; "
                         b'eval "$(xanoctl completion zsh)"\n')
        until("READY> ")
        os.write(master, b"xanoctl push --dr\t")
        assert "xanoctl push --dry-run" in until("--dry-run")  # completed in place
        os.write(master, b"\x15xanoctl pu\t")  # ^U: a new line; two commands match: listed with their help
        listed = until("journal to undo them.")
        assert "pull  -- Pull every object of the workspace into the folder." in listed
        assert "push  -- Push local changes to Xano, with a journal to undo them." in listed
        os.write(master, b"\x15xanoctl lint --format sa\t")  # an option's choices
        assert "xanoctl lint --format sarif" in until("sarif")
    finally:
        os.write(master, b"\x15exit\n")
        process.wait(timeout=30)
        os.close(master)


@pytest.mark.skipif(shutil.which("fish") is None, reason="no fish here (.ci/run installs it from Debian)")
def test_fish_completion_completes_commands_options_choices_and_folders(tmp_path):
    script = subprocess.run(xanoctl() + ["completion", "fish"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "xanoctl.fish").write_text(script, encoding="utf-8")
    (tmp_path / "workspace").mkdir()

    def complete(line: str) -> list[str]:
        done = subprocess.run(["fish", "--no-config", "-c", f"source xanoctl.fish; complete -C '{line}'"], cwd=tmp_path,
                              capture_output=True, text=True, env=shell_env(tmp_path), timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert complete("xanoctl pu") == ["pull\tPull every object of the workspace into the folder.",
                                      "push\tPush local changes to Xano, with a journal to undo them."]  # help whole
    assert complete("xanoctl push --dr") == [
        "--dry-run\tPrint the plan (after the conflict check and lint gate); write nothing."]
    assert complete("xanoctl lint --format sa") == ["sarif"]
    assert complete("xanoctl pull --kind oth") == ["other\tevery document of a type xanoctl does not know"]
    assert complete("xanoctl compare --kind channel") == ["channel", "channel_trigger"]
    assert complete("xanoctl status --dir work") == ["workspace/\tDirectory"]  # a folder option: folders


def test_pull_says_which_local_modifications_it_left_alone(shop):
    shop.write(fn_path("Utils/f01"), edited(shop.read(fn_path("Utils/f01")), "k"))
    shop.write(fn_path("Utils/f02"), edited(shop.read(fn_path("Utils/f02")), "k"))
    lines = shop.cli("pull").stdout.splitlines()
    assert lines[-1] == (f"left 2 files modified locally as they are (unchanged remotely): {fn_path('Utils/f01')}, "
                         f"{fn_path('Utils/f02')}; `xanoctl push` sends local changes")
    assert lines[0].startswith("nothing changed: 10 objects up to date in workspace/ (")
