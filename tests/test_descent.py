"""The recursive-descent fast path (xanoctl.language.descent) against the LALR driver.

The fast path must build exactly the model the LALR driver builds, or give up (the caller then
parses with the LALR driver); it must never return a model for a text the LALR driver refuses.
Checked on every generated document, every file of the demo workspace, every file of the real
corpus (when it is there), and on damaged copies of them.
"""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lark import Lark

from xanoctl.errors import XanoSyntaxError
from xanoctl.language import descent
from xanoctl.language.lalr import LexError, ParseError
from xanoctl.language.parser import _parser, grammar_text, parse_document, prepared_source, split_documents
from xanoctl.seeds.generate import generate

sys.path.insert(0, str(Path(__file__).parent))
from damage import CHARS, damage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def compare(text: str) -> Counter:
    """Parse each document of ``text`` both ways; fail on any difference. Counts the outcomes:
    "same" (equal models), "gave up" (on a text the LALR driver reads), "refused" (both: the
    LALR driver raises and the fast path gives up)."""
    outcomes: Counter = Counter()
    for offset, chunk in split_documents(text):
        source = prepared_source(chunk, offset)
        try:
            expected = pickle.dumps(_parser().parse(source))
        except (LexError, ParseError, XanoSyntaxError, RecursionError):
            expected = None
        try:
            got = descent.parse(source)
        except descent.GiveUp:
            outcomes["gave up" if expected is not None else "refused"] += 1
            continue
        assert expected is not None, f"the fast path reads a text the LALR driver refuses:\n{source}"
        assert pickle.dumps(got) == expected, f"the fast path builds another model for:\n{source}"
        outcomes["same"] += 1
    return outcomes


def generated_texts() -> list[str]:
    return [obj.xanoscript for obj in generate(functions=200, endpoints=100, tasks=10).objects]


def demo_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((ROOT / "workspace").rglob("*.xs"))]


def corpus_texts() -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    texts = []
    for path in sorted(CORPUS.rglob("*.xs")):
        data = path.read_bytes()
        if b"\x00" not in data:
            try:
                texts.append(data.decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return texts


def total(texts: list[str]) -> Counter:
    outcomes: Counter = Counter()
    for text in texts:
        outcomes += compare(text)
    return outcomes


def test_generated_documents_read_by_the_fast_path_as_by_the_lalr_driver():
    outcomes = total(generated_texts())
    print("generated:", dict(outcomes))
    assert outcomes["same"] > 300 and not outcomes["gave up"] and not outcomes["refused"]


def test_demo_workspace_read_by_the_fast_path_as_by_the_lalr_driver():
    outcomes = total(demo_texts())
    print("demo:", dict(outcomes))
    assert outcomes["same"] > 70 and not outcomes["gave up"]


def test_real_corpus_read_by_the_fast_path_as_by_the_lalr_driver():
    outcomes = total(corpus_texts())
    print("corpus:", dict(outcomes))
    assert outcomes["same"] > 1000
    assert outcomes["gave up"] <= outcomes["same"] // 100, "the fast path gives up on too many real files"


def test_damaged_files_are_never_read_where_the_lalr_driver_refuses_them():
    rng = random.Random(20261126)
    texts = generated_texts()[::3] + demo_texts()
    if CORPUS.is_dir():
        texts += corpus_texts()[::4]
    outcomes: Counter = Counter()
    for text in texts:
        for _ in range(3):
            outcomes += compare(damage(text, rng, CHARS + "?;"))
    print("damaged:", dict(outcomes))
    assert outcomes["refused"] > 200 and outcomes["same"] > 100


@pytest.mark.parametrize("text", [
    # keywords where the LALR state reads them as names
    'function f {\n  stack {\n    input = 1\n    schema = 2\n  }\n}',
    'function f {\n  x = {if: 1, true: 2, input: 3, as: $a.as, verb: $a.if}\n}',
    'function f {\n  db.get true {\n  }\n  db.get input as $x\n  db.get filters verb=GET\n}',
    'function f {\n  input {\n    text filters filters=trim\n    text input?=now\n    int x?=agent\n  }\n}',
    'query "a/b" verb=GET {\n  as = 1\n}',
    # slashed names, with dashes, only where the state accepts them
    'function f {\n  function.run Utils/log-run as $r\n  x = $a/$b\n}',
    # input filters are words of their own
    'function f {\n  input {\n    text x filters=min:10}|!trim|pattern:^[a-z]+$|@:dbo=36\n  }\n}',
    'function f {\n  input {\n    text x filters=max:"a b"|min:1:2 {\n      table = "t"\n    }\n  }\n}',
    # ... ending inside what the one-pass lexer read as one token, or past a character it could not read
    'function f {\n  input {\n    text x filters=min:2024-01-01T10:00:00|trim\n    text y filters=max:1.5x\n  }\n}',
    'function f {\n  input {\n    text x filters=pattern:^a#|trim\n  }\n  x = 1\n}',
    # operators and their keywords
    'function f {\n  x = $a not in ? $b || $c not contains $d && $e in $f\n  y = $a ?? $b ? 1 : $c ? 2 : 3\n}',
    'function f {\n  x = 1 - -1 * 2 % 3 / 4 + $a.0.1 - 2024-01-01 10:00:00+0000\n}',
    'function f {\n  x = !$a|f:!b "x":c:$d.e[0]\n    |g\n  y = !text """\n  t\n  """\n  z = !!true\n}',
    'function f {\n  x = $["a"]\n  y = $var.b.["c"][1]\n  db.get $x[0].y {\n  } as $z.w|first break\n}',
    'function f {\n  x = [\n    1,\n    2\n  ]\n  y = {\n    a.b: 1\n    "c": [`js`, ```x```],\n    !d: 2,\n  }\n}',

    # a filter's argument takes the operators to its right, their right side its filters
    'function f {\n  x = $p|starts_with:"+" == false || $q\n  y = $a|f:1 + $b|g|h:2 ~ !$c:3\n}',
    'function f {\n  x = $a|concat:"- " ~ ($b|to_text):""|f:$c ==\n    $d\n      |g\n  y = $a|get:k == 1\n}',
    'function f {\n  x = $a ? ($b|f:1 < 2) : $c|g:!int "1" in $d\n}',
])
def test_contextual_words_and_rare_shapes_are_read_as_the_lalr_driver_reads_them(text):
    assert compare(text) == Counter(same=1)
    assert compare(text.replace("\n", "\r\n")) == Counter(same=1)


@pytest.mark.parametrize("text, outcome", [
    # words the contextual lexer splits (`not` `contains`, `in` `true`): read by the LALR driver
    ('function f {\n  x = $a notcontains $b\n}', "gave up"),
    ('function f {\n  x = $a intrue\n}', "gave up"),
    # errors: the fast path gives up, the LALR driver refuses
    ('function f {\n  x = $a -1\n}', "refused"),
    ('function f {\n  else if ($x) {\n  }\n}', "refused"),
    ('function f {\n  x = 1 // a comment after code\n}', "refused"),
    ('function f {\n  x = \n}', "refused"),
    ('function f {\n  db.get verb verb=GET\n}', "refused"),
    ('function f {\n  x = $a|f:b.c\n}', "refused"),
])
def test_the_fast_path_gives_up_on_splits_and_errors(text, outcome):
    assert compare(text) == Counter({outcome: 1})


def test_common_shapes_are_read_by_the_fast_path():
    text = ('// header\nfunction "a/b" {\n  input {\n    int[1:] ids? filters=min:1\n  }\n  stack {\n'
            '    db.query user {\n      where = $db.user.id in $input.ids\n    } as $users\n'
            '    conditional {\n      if ($users|count > 0) {\n        return {\n          value = $users\n'
            '        }\n      }\n    }\n  }\n  response = $users\n}\n')
    assert compare(text) == Counter(same=1)
    assert parse_document(text).name == "a/b"


def test_the_fast_path_lexes_with_the_grammar_s_own_terminals():
    lark = Lark(grammar_text(), parser="lalr", lexer="contextual")
    patterns = {terminal.name: terminal.pattern.to_regexp() for terminal in lark.terminals}
    for name, regex in descent.TERMINALS.items():
        assert patterns[name] == regex, name


def test_parse_document_reads_common_documents_without_loading_the_lalr_grammar():
    """The fast path is the one parse_document takes; the LALR grammar is loaded only for a
    text the fast path gives up on (here a syntax error, worded by the LALR driver)."""
    script = (
        "import sys\n"
        "from xanoctl.errors import XanoSyntaxError\n"
        "from xanoctl.language.parser import _parser, parse_document\n"
        "parse_document('function f {\\n  x = $a|trim\\n}\\n')\n"
        "print(_parser.cache_info().currsize, 'lark' in sys.modules)\n"
        "try:\n"
        "    parse_document('function f {\\n  x = $a -1\\n}\\n')\n"
        "except XanoSyntaxError as exc:\n"
        "    print(_parser.cache_info().currsize, 'lark' in sys.modules, exc.line, exc.column)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # not even Lark is imported for a text the fast path reads (about 75 ms of a command's start)
    assert done.stdout.split("\n")[:2] == ["0 False", "1 True 2 10"]
