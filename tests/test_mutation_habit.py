"""Mutation testing as a habit (issue 27): bench/mutation.py's map of modules to tests stays
true, its list of equivalent mutants reads, and a weekly workflow runs every group while the
everyday one does not."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def mutation_script():
    if "bench_mutation" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_mutation", REPO / "bench" / "mutation.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_mutation"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["bench_mutation"]


def test_every_group_maps_existing_modules_to_existing_tests():
    groups = mutation_script().GROUPS
    assert set(groups) == {"push", "pull", "suppress", "rules"}
    for name, (modules, tests) in groups.items():
        assert modules and tests, name
        assert [m for m in modules if not (REPO / m).is_file()] == [], name
        assert [t for t in tests if not (REPO / "tests" / t).is_file()] == [], name
    for name, skipped in mutation_script().QUICK_SKIPS.items():
        assert set(skipped) < set(groups[name][1]), name  # --quick leaves some of the group's tests out, not all
    watched = {m for modules, _ in groups.values() for m in modules}
    for module in ("xanoctl/sync/push.py", "xanoctl/sync/plan.py", "xanoctl/sync/apply.py", "xanoctl/sync/journal.py",
                   "xanoctl/sync/restore.py", "xanoctl/sync/lockupdate.py", "xanoctl/sync/rollback.py",
                   "xanoctl/sync/firstpull.py", "xanoctl/sync/merge.py", "xanoctl/sync/workspace.py",
                   "xanoctl/atomic.py", "xanoctl/sync/gate.py",
                   "xanoctl/lint/suppress.py", "xanoctl/lint/baseline.py", "xanoctl/lint/rules/rt001.py"):
        assert module in watched, module
    rules = {p.relative_to(REPO).as_posix() for p in (REPO / "xanoctl" / "lint" / "rules").glob("[a-z]*[0-9].py")}
    assert rules <= watched  # a new rule is mutated too


def test_the_equivalent_mutants_read_and_name_watched_modules():
    script = mutation_script()
    known = script.read_equivalent()
    assert known, "bench/mutation-equivalent.txt lists none"
    watched = {m.removesuffix(".py").replace("/", ".") for modules, _ in script.GROUPS.values() for m in modules}
    for change, why in known.items():
        assert change.function.rsplit(".", 1)[0] in watched and why and change.before != change.after, change


def test_a_change_is_named_by_its_function_and_lines_not_by_mutmut_s_number():
    script = mutation_script()
    diff = ("--- xanoctl/a.py\n+++ xanoctl/a.py\n@@ -1,2 +1,2 @@\n def f(x):\n"
            "-    return x > 0\n+    return x >= 0\n")
    assert script.change_of("xanoctl.a.x_f__mutmut_7", diff) == script.Change("xanoctl.a.x_f", "return x > 0",
                                                                           "return x >= 0")


def test_a_weekly_job_runs_every_group_and_the_everyday_suite_does_not():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "mutation.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # PyYAML reads `on` as True
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    job = workflow["jobs"]["mutation"]
    assert set(job["strategy"]["matrix"]["group"]) == set(mutation_script().GROUPS)
    assert any("bench/mutation.py" in step.get("run", "") for step in job["steps"])
    everyday = (REPO / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    assert "mutation" not in everyday and "mutation" not in (REPO / ".ci" / "run").read_text(encoding="utf-8")
