"""XanoScript shared by the linter's tests: an envelope-returning worker and a caller that
passes `user_id` to it (ID001) and reads `$result.people` (FP003), and a maker of functions."""

WORKER = '''function "Workers/Sync People" {
  input {
    int ad_user_id
  }
  stack {
    var $people { value = [] }
  }
  response = {success: true, data: {people: $people}, error: null}
}
'''

CALLER = '''function "Tasks/Sync People" {
  input {
    int ad_user_id
  }
  stack {
    function.run "Workers/Sync People" {
      input = {user_id: $input.ad_user_id}
    } as $result
    var $count { value = $result.people|count }
  }
  response = {success: true, data: {count: $count}, error: null}
}
'''


def function(name: str, inputs: str = "", stack: str = "", response: str = "null") -> str:
    """A function document: one input line and one statement line per line of the arguments."""
    body_in = "".join(f"    {line}\n" for line in inputs.splitlines() if line.strip())
    body = "".join(f"    {line}\n" for line in stack.splitlines() if line.strip())
    return f'function "{name}" {{\n  input {{\n{body_in}  }}\n  stack {{\n{body}  }}\n  response = {response}\n}}\n'


def write_workspace(root, files: dict[str, str]) -> None:
    """A pulled workspace at ``root`` (a ``pathlib.Path``): ``files`` by path under it, and its
    ``xanoctl.lock``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "xanoctl.lock").write_text("{}", encoding="utf-8")
