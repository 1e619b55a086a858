#!/usr/bin/env python3
"""Mutation testing of the modules where a silent bug loses data or hides a defect (issue 27):
push with its plan, apply, journal, restore and lock update; resume; rollback; the first pull,
the workspace writer and atomic writes; suppressions and the baseline; the lint rules.

    python bench/mutation.py                    # every group, module by module
    python bench/mutation.py push               # one group (push, pull, suppress, rules)
    python bench/mutation.py push --module xanoctl/sync/restore.py
    python bench/mutation.py --list             # the groups, their modules and their tests

It runs mutmut 3 (``pip install '.[mutation]'``) in a copy of the repository
(``bench/out/mutation/<group>/``, kept between runs: mutmut re-tests only what changed), with
one worker under ``nice -n 10`` unless ``--workers`` says otherwise. Each group lists the test
modules that exercise its modules; mutmut narrows them further, per function, to the tests
that call it (its "stats" run), so a mutant runs a few tests, not the suite. The slow crash
test (tests/test_crash.py) is left out: the focused tests of push, restore and pull kill what
it would. Test processes the tests spawn (``xanoctl`` killed mid-push) import the mutated
package too (``PYTHONPATH``).

A surviving mutant is either killed by a new test of the behaviour it changes, or written into
``bench/mutation-equivalent.txt`` with the reason it changes no behaviour. That file names a
mutant by its function and its changed line, not by mutmut's number (which moves when the code
does): a listed mutant that no longer exists is reported as stale.

Per module it prints the mutants, killed (a timeout counts: the tests noticed), survived (with
"no tests": no test reaches the line), equivalent, and the score, killed / (mutants -
equivalent); with ``--fail-under N`` (default 90) it exits 1 when a module scores less, and
``--show`` prints each surviving mutant's diff. Results go to
``bench/out/mutation/report.md`` too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "mutation"
EQUIVALENT = ROOT / "bench" / "mutation-equivalent.txt"

PUSH_TESTS = ["test_push_cli.py", "test_push_failures.py", "test_push_recovery.py", "test_push_journal.py",
              "test_rollback_cli.py", "test_push_transaction.py", "test_status_cli.py", "test_shared_schema.py",
              "test_shared_schema_policy.py", "test_push_gate.py", "test_pinned_push.py"]
PULL_TESTS = ["test_first_pull.py", "test_pull.py", "test_pull_merge.py", "test_pull_commit.py", "test_paths.py", "test_stray_files.py",
              "test_official_layout.py", "test_repo_workspace.py", "test_pinned_pull.py"]
LINT_TESTS = ["test_lint_engine.py", "test_lint_cli.py", "test_lint_secrets.py", "test_pinned_lint.py"]
# not test_lint_seeds.py (whole generated workspaces, seconds per run): the rules' own tests pin them
RULE_TESTS = ["test_lint_rules.py", "test_lint_rules_flow.py", "test_lint_semantic_rules.py",
              "test_lint_workspace_rules.py", "test_lint_secrets.py", "test_lint_tasks.py", "test_rule_examples.py",
              "test_pinned_lint.py"]

# group -> (modules to mutate, test modules that exercise them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "push": (["xanoctl/sync/push.py", "xanoctl/sync/plan.py", "xanoctl/sync/apply.py", "xanoctl/sync/journal.py",
              "xanoctl/sync/restore.py", "xanoctl/sync/lockupdate.py", "xanoctl/sync/rollback.py",
              "xanoctl/sync/sharedschema.py", "xanoctl/sync/gate.py"], PUSH_TESTS),
    "pull": (["xanoctl/sync/firstpull.py", "xanoctl/sync/merge.py", "xanoctl/sync/workspace.py", "xanoctl/atomic.py"],
             PULL_TESTS),
    "suppress": (["xanoctl/lint/suppress.py", "xanoctl/lint/baseline.py"], LINT_TESTS),
    "rules": (sorted(str(p.relative_to(ROOT)) for p in (ROOT / "xanoctl" / "lint" / "rules").glob("[a-z]*[0-9].py")),
              RULE_TESTS),
}
# test modules that --quick leaves out (a run on a shared or small machine): each takes seconds per
# test (processes killed mid-push, Ctrl-C, whole multidoc imports) or tests another concern
QUICK_SKIPS: dict[str, list[str]] = {
    "push": ["test_push_recovery.py", "test_status_cli.py", "test_push_transaction.py", "test_shared_schema.py",
             "test_shared_schema_policy.py"],
    "pull": ["test_official_layout.py", "test_repo_workspace.py", "test_pull_commit.py"],
}
COPIED = ["xanoctl", "grammar", "tests", "workspace", "docs", "README.md", "xanoctl-baseline.json", ".github",
          ".pre-commit-hooks.yaml", ".ci"]
KILLED = {"killed", "timeout", "caught by type check"}


# ---------------------------------------------------------------------------- equivalent mutants


@dataclass(frozen=True)
class Change:
    """A mutant named by what it changes: the function, the line before and after."""

    function: str  # module.function, as mutmut names it without the number
    before: str
    after: str


def read_equivalent(path: Path = EQUIVALENT) -> dict[Change, str]:
    """``bench/mutation-equivalent.txt``: blocks of four lines (function, ``-`` line, ``+`` line,
    ``why:`` reason), separated by blank lines; ``#`` lines are comments."""
    known: dict[Change, str] = {}
    block: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines + [""]:
        if line.startswith("#"):
            continue
        if line.strip():
            block.append(line)
            continue
        if not block:
            continue
        if len(block) != 4 or not (block[1].startswith("-") and block[2].startswith("+") and block[3].startswith("why:")):
            raise SystemExit(f"{path}: expected function, -line, +line, why: ...; got {block}")
        known[Change(block[0].strip(), block[1][1:].strip(), block[2][1:].strip())] = block[3][4:].strip()
        block = []
    return known


def change_of(name: str, diff: str) -> Change:
    removed = [line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return Change(re.sub(r"__mutmut_\d+$", "", name), " / ".join(removed), " / ".join(added))


# ---------------------------------------------------------------------------- running mutmut


# On PYTHONPATH for every process a test spawns (``xanoctl`` killed mid-push): such a process
# runs the mutant in force like the test does, but cannot record mutmut's stats (mutmut reads its
# settings from the folder it runs in, and a spawned xanoctl runs in the test's repository), and
# it hears Ctrl-C (the tests that send SIGINT) though mutmut's workers ignore it.
SITE = '''"""Written by bench/mutation.py for the processes tests spawn under mutmut."""
import os
import signal

if os.environ.get("MUTANT_UNDER_TEST") == "stats":
    os.environ["MUTANT_UNDER_TEST"] = ""
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # mutmut's workers ignore Ctrl-C; a test's xanoctl must not
    signal.signal(signal.SIGINT, signal.default_int_handler)
'''


def prepare(group: str, modules: list[str], tests: list[str]) -> Path:
    """The group's copy of the repository, with the mutmut settings for it."""
    work = OUT / group
    work.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source, target = ROOT / name, work / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".xanoctl"))
        elif source.exists():
            shutil.copy2(source, target)
    if (work / "mutants" / "xanoctl").is_dir():  # mutmut copies the package's data files only once
        shutil.copytree(ROOT / "xanoctl", work / "mutants" / "xanoctl", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.pyc"))
    (work / "site").mkdir(exist_ok=True)
    (work / "site" / "sitecustomize.py").write_text(SITE, encoding="utf-8")
    for hook in (work / "tests").rglob("sitecustomize.py"):  # a test's own (the crash hook) shadows ours
        hook.write_text(SITE + hook.read_text(encoding="utf-8").split('"""', 2)[-1], encoding="utf-8")
    present = [f"tests/{t}" for t in tests if (ROOT / "tests" / t).exists()]
    settings = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings += (
        "\n[tool.mutmut]\n"
        'source_paths = ["xanoctl"]\n'
        f"only_mutate = {modules!r}\n"
        f"also_copy = {[n for n in COPIED if n not in ('xanoctl', 'tests')]!r}\n"
        f"pytest_add_cli_args_test_selection = {present!r}\n"
        'pytest_add_cli_args = ["-p", "no:randomly", "-q"]\n')
    (work / "pyproject.toml").write_text(settings, encoding="utf-8")
    return work


def run_mutmut(work: Path, module: str | None, workers: int, survivors: bool = False) -> int:
    """mutmut on ``module``'s mutants (all of them, or only those that survived last time); with
    no module, on every mutant of the group not tested yet (or whose function changed)."""
    names: list[str] = []
    if module is not None:
        prefix = module.removesuffix(".py").replace("/", ".") + "."
        names = [prefix + "*"]
        if survivors:
            names = [n for n, (status, _) in results(work).items() if n.startswith(prefix) and status not in KILLED]
            if not names:
                return 0
            # map the tests added since the last run too: mutmut's stats are collected again
            (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    (work / "mutants").mkdir(exist_ok=True)  # on PYTHONPATH before Python starts, or imports never look there
    paths = [str(work / "mutants"), str(work / "site"), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    command = ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run", "--max-children", str(workers), *names]
    with open(work / "mutmut.log", "ab") as log:
        return subprocess.run(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT).returncode


# mutmut's own reading of its results (what `mutmut results` and `mutmut show` print), in one process
_RESULTS = """
import json, sys
from mutmut.__main__ import SourceFileMutationData, get_diff_for_mutant, status_by_exit_code, walk_mutatable_files
found = {}
for path in walk_mutatable_files():
    data = SourceFileMutationData(path=path)
    data.load()
    for name, code in data.exit_code_by_key.items():
        status = status_by_exit_code[code]
        found[name] = [status, "" if status in sys.argv[1:] else get_diff_for_mutant(name, path=path)]
json.dump(found, sys.stdout)
"""


def results(work: Path) -> dict[str, tuple[str, str]]:
    """Each mutant's status, and its diff unless it was killed."""
    if not (work / "mutants").is_dir():
        return {}
    out = subprocess.run([sys.executable, "-c", _RESULTS, *KILLED], cwd=work, capture_output=True, text=True,
                         check=True).stdout
    return {name: (status, diff) for name, (status, diff) in json.loads(out).items()}


# ---------------------------------------------------------------------------- the figures


@dataclass
class Score:
    module: str
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[tuple[str, str, str]] = field(default_factory=list)  # name, status, diff

    @property
    def score(self) -> float:
        counted = self.mutants - self.equivalent
        return 100.0 * self.killed / counted if counted else 100.0

    def line(self) -> str:
        return (f"| {self.module} | {self.mutants} | {self.killed} | {len(self.survivors)} | {self.equivalent} "
                f"| {self.score:.1f}% |")


def score_module(module: str, found: dict[str, tuple[str, str]], known: dict[Change, str], used: set[Change]) -> Score:
    prefix = module.removesuffix(".py").replace("/", ".") + "."
    score = Score(module)
    for name, (status, diff) in sorted(found.items()):
        if not name.startswith(prefix):
            continue
        score.mutants += 1
        if status in KILLED:
            score.killed += 1
            continue
        change = change_of(name, diff)
        if change in known:
            used.add(change)
            score.equivalent += 1
        else:
            score.survivors.append((name, status, diff))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=", ".join(GROUPS))
    parser.add_argument("--module", action="append", default=[], help="only this module (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="mutmut's --max-children (default 1)")
    parser.add_argument("--fail-under", type=float, default=90.0, help="the lowest score per module (default 90)")
    parser.add_argument("--show", action="store_true", help="print the diff of every surviving mutant")
    parser.add_argument("--survivors", action="store_true",
                        help="run again only the mutants that survived the last run (after adding tests)")
    parser.add_argument("--together", action="store_true",
                        help="one mutmut run for the group's mutants not tested yet, instead of one run per "
                             "module (saves mutmut's clean run of each module's tests: the 26 rules)")
    parser.add_argument("--quick", action="store_true",
                        help="leave out the slowest test modules of the group (QUICK_SKIPS), in a work folder "
                             "of its own: figures for a local run; the weekly job runs the whole map")
    parser.add_argument("--no-run", action="store_true", help="report the last results without running")
    parser.add_argument("--list", action="store_true", help="print the groups, modules and tests, and stop")
    args = parser.parse_args(argv)
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]!r}: expected one of {', '.join(GROUPS)}")
    known = read_equivalent()
    groups = args.groups or list(GROUPS)
    if args.list:
        for group in groups:
            modules, tests = GROUPS[group]
            print(f"{group}:\n  modules: {' '.join(modules)}\n  tests: {' '.join(tests)}")
        return 0
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutmut is not installed: pip install '.[mutation]'", file=sys.stderr)
        return 2
    scores: list[Score] = []
    used: set[Change] = set()
    for group in groups:
        modules, tests = GROUPS[group]
        chosen = [m for m in modules if not args.module or m in args.module]
        if not chosen:
            continue
        if args.quick:
            tests = [t for t in tests if t not in QUICK_SKIPS.get(group, [])]
        work = prepare(group + ("-quick" if args.quick else ""), modules, tests)
        if args.together and not args.no_run:
            print(f"{group}: mutating {len(chosen)} modules in one run", flush=True)
            run_mutmut(work, None, args.workers)
        for module in chosen:
            if not args.no_run and not args.together:
                print(f"{group}: mutating {module}", flush=True)
                run_mutmut(work, module, args.workers, args.survivors)
            score = score_module(module, results(work), known, used)
            scores.append(score)
            print(score.line(), flush=True)
    report = ["| module | mutants | killed | survived | equivalent | score |", "|---|---|---|---|---|---|"]
    report += [s.line() for s in scores]
    for s in scores:
        for name, status, diff in s.survivors:
            report.append(f"\n{name} ({status})\n{diff.strip()}" if args.show else f"- {name} ({status})")
    stale = [c for c in known if c not in used and any(c.function.startswith(s.module.removesuffix('.py')
                                                                             .replace('/', '.')) for s in scores)]
    report += [f"stale equivalent (no such surviving mutant now): {c.function}: {c.before} -> {c.after}" for c in stale]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    low = [s for s in scores if s.score < args.fail_under]
    if low:
        print(f"under {args.fail_under:g}%: {', '.join(s.module for s in low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
