"""The push gate judges the workspace as it will be after the push (issue 21, safety 1): a push
that breaks files it does not touch (a caller of a renamed input or a deleted function, a query
of a removed column) is stopped, naming the caller's file and line, in `push`, `push --dry-run`,
`push --delete`, `push --transaction` and a partial `push PATH`; and the pre-commit hook
(`lint --staged`) judges the commit being made the same way. End to end through the CLI against
the emulator over HTTP."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from shiphelpers import TOKEN, Clock, Shop, open_shop  # noqa: E402

from xanoctl.emulator.server import run_in_thread  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

WORKER = """function "Utils/Count People" {
  input {
    json people
  }
  stack {
    var $count {
      value = $input.people|count
    }
  }
  response = $count
}"""


def caller(name: str) -> str:
    return f"""function "Utils/{name}" {{
  input {{
  }}
  stack {{
    function.run "Utils/Count People" {{
      input = {{people: []}}
    }} as $n
  }}
  response = $n
}}"""


TABLE = """table contact {
  auth = false
  schema {
    int id
    text email
  }
}"""

READER = """function "Utils/Find Contact" {
  input {
    text email
  }
  stack {
    db.query contact {
      where = $db.contact.email == $input.email
    } as $rows
  }
  response = $rows
}"""

WORKER_PATH = "function/Utils/Count People.xs"
CALLERS = ["function/Utils/Import A.xs", "function/Utils/Import B.xs"]


@pytest.fixture
def shop(tmp_path):
    emu = run_in_thread(token=TOKEN)
    emu.state.store.clock = Clock()
    emu.add("function", "Utils/Count People", WORKER)
    for name in ("Import A", "Import B"):
        emu.add("function", f"Utils/{name}", caller(name))
    emu.add("table", "contact", TABLE)
    emu.add("function", "Utils/Find Contact", READER)
    built = open_shop(emu, tmp_path)
    built.cli("pull")
    built.commit_all("pull")
    assert built.cli("lint", "workspace").output.startswith("No problems")
    yield built
    emu.stop()


def rename_input(shop: Shop) -> None:
    shop.write(WORKER_PATH, shop.read(WORKER_PATH).replace("json people", "json contacts")
               .replace("$input.people", "$input.contacts"))


def test_renaming_an_input_is_stopped_naming_the_untouched_callers(shop):
    rename_input(shop)
    assert shop.cli("lint", f"workspace/{WORKER_PATH}").output.startswith("No problems")  # the file alone is fine
    before = shop.remote()
    for args in (["push", "--dry-run"], ["push"], ["push", "--transaction"], ["push", f"workspace/{WORKER_PATH}"]):
        result = shop.cli(*args, code=1)
        for path in CALLERS:
            assert f"workspace/{path}:5:" in result.output, args
        assert "ID002" in result.output and "ID001" in result.output
        assert "would break files it does not touch (workspace/function/Utils/Import A.xs:5" in result.stderr, result.stderr
        assert "--no-lint" in result.stderr and "would push" not in result.output
    assert shop.remote() == before and shop.journals() == []
    shop.cli("push", "--no-lint")  # the user's call
    assert shop.remote()[("function", "Utils/Count People")] == shop.read(WORKER_PATH)


def test_a_push_that_fixes_its_callers_too_goes_through(shop):
    rename_input(shop)
    for path in CALLERS:
        shop.write(path, shop.read(path).replace("{people: []}", "{contacts: []}"))
    assert "would push (3 to update)" in shop.cli("push", "--dry-run").output
    shop.cli("push")
    assert shop.remote()[("function", "Utils/Import A")] == shop.read(CALLERS[0])


def test_a_partial_push_is_judged_with_the_files_left_out_as_the_remote_has_them(shop):
    """The callers' fix is on disk but not in the push: production would run the old callers."""
    rename_input(shop)
    for path in CALLERS:
        shop.write(path, shop.read(path).replace("{people: []}", "{contacts: []}"))
    result = shop.cli("push", f"workspace/{WORKER_PATH}", code=1)
    assert "workspace/function/Utils/Import A.xs:5:" in result.output
    assert "judged as the remote has it (as last pulled), not as your edited copy" in result.output
    shop.cli("push", f"workspace/{WORKER_PATH}", *(f"workspace/{p}" for p in CALLERS))


def test_deleting_a_function_others_call_is_stopped(shop):
    (shop.ws / WORKER_PATH).unlink()
    before = shop.remote()
    result = shop.cli("push", "--delete", code=1)
    assert "XR001" in result.output
    for path in CALLERS:
        assert f"workspace/{path}:5:" in result.output
    assert shop.remote() == before
    assert shop.cli("push", "--delete", "--dry-run", code=1).stderr.count("would break") == 1
    shop.cli("push", "--delete", "--no-lint")
    assert shop.stored("function", "Utils/Count People") is None


def test_removing_a_column_is_stopped_at_the_query_that_reads_it(shop):
    shop.write("table/contact.xs", TABLE.replace("    text email\n", ""))
    result = shop.cli("push", "--allow-data-loss", code=1)  # (the loss accepted: the gate still stops it)
    assert "workspace/function/Utils/Find Contact.xs:7:" in result.output and "DB002" in result.output


def test_a_new_caller_not_pushed_does_not_count_and_old_problems_do_not_block(shop):
    """Only what the push causes: a local file the remote does not have is not judged, and a
    caller that was already wrong before the push is not the push's doing."""
    shop.write("function/Utils/Draft.xs", caller("Draft").replace("{people: []}", "{nobody: 1}"))
    shop.write(WORKER_PATH, shop.read(WORKER_PATH).replace("$input.people|count", "($input.people|count) + 0"))
    result = shop.cli("push", f"workspace/{WORKER_PATH}")
    assert "pushed 1 object(s)" in result.output


# ---------------------------------------------------------------------------- the pre-commit hook


def hook_command() -> list[str]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "xanoctl-lint")
    assert hook["always_run"] is True and hook["pass_filenames"] is False  # a deletion alone runs it too
    return shlex.split(hook["entry"])[1:]


def test_the_hook_judges_the_commit_being_made(shop):
    command = hook_command()
    assert shop.cli(*command).exit_code == 0  # nothing staged
    rename_input(shop)
    shop.repo.git.add("--", f"workspace/{WORKER_PATH}")
    result = shop.cli(*command, code=1)
    assert "workspace/function/Utils/Import A.xs:5:" in result.output and "ID002" in result.output
    # the callers fixed but not staged: the commit would still break them
    for path in CALLERS:
        shop.write(path, shop.read(path).replace("{people: []}", "{contacts: []}"))
    assert "Import B.xs:5:" in shop.cli(*command, code=1).output
    shop.repo.git.add("--", *(f"workspace/{p}" for p in CALLERS))
    assert shop.cli(*command).exit_code == 0


def test_the_hook_stops_a_commit_that_only_deletes_a_function_others_call(shop):
    shop.repo.git.rm("-q", "--", f"workspace/{WORKER_PATH}")
    result = shop.cli(*hook_command(), code=1)
    assert "XR001" in result.output and "workspace/function/Utils/Import B.xs:5:" in result.output
