"""PF001 (N+1 queries): a read, a GET request or a call of a function that queries, once per item
of a loop of each kind; and where it stays silent (a small literal bound, a statement that does
not depend on the item, writes, a function that does work per item)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from xanoctl.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from viewsamples import write_workspace  # noqa: E402

TABLES = {"table/deal.xs": "table deal {\n  schema {\n    int id\n    text owner\n  }\n}\n"}


def function(name: str, stack: str, inputs: str = "int[] ids") -> str:
    body = textwrap.indent(textwrap.dedent(stack).strip("\n"), "    ")
    return f'function "{name}" {{\n  input {{\n    {inputs}\n  }}\n  stack {{\n{body}\n  }}\n  response = null\n}}\n'


def pf001(tmp_path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    write_workspace(tmp_path / "ws", {**TABLES, **files})
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "ws"), "--no-cache", "--format", "json",
                                       "--select", "PF001"])
    assert result.exit_code in (0, 1), result.output
    return [(Path(f["path"]).stem, f["line"], f["message"]) for f in json.loads(result.output)["findings"]]


GET = 'db.get deal {\n  field_name = "id"\n  field_value = ITEM\n} as $deal\n'


def test_foreach(tmp_path):
    found = pf001(tmp_path, {"function/f.xs": function("f", "foreach ($input.ids) {\n  each as $id {\n"
                                                              + textwrap.indent(GET.replace("ITEM", "$id"), "    ")
                                                              + "  }\n}\n")})
    assert found == [("f", 8, "`db.get deal` inside `foreach ($input.ids)` runs once per item (`$id`): one round "
                              "trip per item; fetch the rows once, before the loop (`db.query deal` with a `where` "
                              "on the list, `in`)")]


def test_for_and_while_walking_a_list_by_their_counter(tmp_path):
    for_loop = ("for ($input.ids|count) {\n  each as $i {\n    var $id {\n      value = $input.ids[$i]\n    }\n"
                + textwrap.indent(GET.replace("ITEM", "$id"), "    ") + "  }\n}\n")
    while_loop = ("var $i {\n  value = 0\n}\nwhile ($i < ($input.ids|count)) {\n  each {\n"
                  + textwrap.indent(GET.replace("ITEM", "$input.ids|get:$i"), "    ")
                  + "    math.add $i {\n      value = 1\n    }\n  }\n}\n")
    found = pf001(tmp_path, {"function/f.xs": function("f", for_loop), "function/w.xs": function("w", while_loop)})
    assert [(name, line, message.split(" runs once")[0]) for name, line, message in found] == [
        ("f", 11, "`db.get deal` inside `for ($input.ids|...)`"),
        ("w", 11, "`db.get deal` inside `while (...)`")]
    assert "(`$id`)" in found[0][2] and "(`$input.ids|...`)" in found[1][2]


def test_silent_for_small_literal_bounds_and_statements_that_do_not_depend_on_the_item(tmp_path):
    literal = "foreach ([1, 2, 3]) {\n  each as $id {\n" + textwrap.indent(GET.replace("ITEM", "$id"), "    ") + "  }\n}\n"
    count = "for (5) {\n  each as $i {\n" + textwrap.indent(GET.replace("ITEM", "$input.ids[$i]"), "    ") + "  }\n}\n"
    same = ("foreach ($input.ids) {\n  each as $id {\n" + textwrap.indent(GET.replace("ITEM", "$input.ids|first"), "    ")
            + "  }\n}\n")
    paging = ('var $next {\n  value = "https://x.test/a"\n}\nwhile ($next != null) {\n  each {\n    api.request {\n'
              '      url = $next\n      method = "GET"\n    } as $page\n    var.update $next {\n'
              '      value = $page.response.result.next\n    }\n  }\n}\n')
    write = ('foreach ($input.ids) {\n  each as $id {\n    db.edit deal {\n      field_name = "id"\n'
             '      field_value = $id\n      data = {owner: "x"}\n    }\n  }\n}\n')
    disabled = "foreach ($input.ids) {\n  each as $id {\n" + textwrap.indent("!" + GET.replace("ITEM", "$id"), "    ") + "  }\n}\n"
    predicate = 'var $owners {\n  value = $input.ids|filter:$$ > 1|map:$$ * 2\n}\n'
    files = {f"function/{name}.xs": function(name, stack) for name, stack in
             (("literal", literal), ("count", count), ("same", same), ("paging", paging), ("write", write),
              ("disabled", disabled), ("predicate", predicate))}
    assert pf001(tmp_path, files) == []


def test_requests_get_only(tmp_path):
    request = 'api.request {{\n  url = "https://x.test/deals/" ~ $id\n  method = "{method}"\n}} as $r\n'
    loop = lambda method: ("foreach ($input.ids) {\n  each as $id {\n"  # noqa: E731
                           + textwrap.indent(request.format(method=method), "    ") + "  }\n}\n")
    found = pf001(tmp_path, {"function/get.xs": function("get", loop("GET")), "function/post.xs": function("post", loop("POST"))})
    assert [(name, line) for name, line, _ in found] == [("get", 8)]
    assert found[0][2].startswith("`api.request` (GET ...) inside `foreach ($input.ids)` runs once per item (`$id`)")


def test_calls_are_followed_to_the_function_that_queries(tmp_path):
    lookup = function("Utils/Deal", GET.replace("ITEM", "$input.id"), "int id")
    wrapper = function("Utils/Wrap", 'function.run "Utils/Deal" {\n  input = {id: $input.id}\n} as $d\n', "int id")
    sender = function("Utils/Notify", 'function.run "Utils/Deal" {\n  input = {id: $input.id}\n} as $d\n'
                      'util.send_email {\n  to = "a@b.test"\n}\n', "int id")
    caller = function("f", 'foreach ($input.ids) {\n  each as $id {\n'
                      '    function.run "Utils/Wrap" {\n      input = {id: $id}\n    } as $w\n'
                      '    function.run "Utils/Notify" {\n      input = {id: $id}\n    } as $n\n  }\n}\n')
    found = pf001(tmp_path, {"function/deal.xs": lookup, "function/wrap.xs": wrapper, "function/notify.xs": sender,
                             "function/f.xs": caller})
    assert found == [("f", 8, '`function.run "Utils/Wrap"` inside `foreach ($input.ids)` runs once per item (`$id`), '
                              "which calls `Utils/Deal`, and `Utils/Deal` queries `deal` (`db.get`, line 6): one query "
                              "per item; fetch what the loop needs once, before it (a `db.query` with a `where` on the list)")]


@pytest.mark.parametrize("rule", ["PF001"])
def test_the_demo_n_plus_one_queries(rule):
    root = Path(__file__).resolve().parent.parent / "workspace"
    if not root.is_dir():
        pytest.skip("no source tree")
    result = CliRunner().invoke(main, ["lint", str(root), "--no-cache", "--format", "json", "--select", rule])
    found = sorted((Path(f["path"]).name, f["line"]) for f in json.loads(result.output)["findings"])
    assert found == [("FUB - Update Transactions.xs", 44), ("Stripe - Reconcile Payments.xs", 20)]
