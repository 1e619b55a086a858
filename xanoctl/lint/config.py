"""The ``lint:`` section of ``xanoctl.yaml``.

```yaml
lint:
  select: [FP, ID001]          # codes or code prefixes; default: every rule
  ignore: [XS002]
  fail_on: error               # error | warning | info: the lowest severity that fails (exit 1)
  severity: {XS002: error}     # per-rule severity
  rules:                       # per-rule options (see `xanoctl rules CODE`)
    FP001: {folders: ["Tasks/", "Workers/", "Jobs/"]}
    FP002: {required_keys: [success, data, error, step]}
  per_path_ignores:            # patterns relative to the folder of xanoctl.yaml
    "workspace/function/Archive/": [FP001, FP002]     # a trailing / means "everything below"
    "workspace/api/test_*/*": [EP001]                 # fnmatch: * also crosses /
  baseline: lint-baseline.json
```

A configuration that cannot be understood is a usage error (exit 2) that names the key.
"""

from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from xanoctl.errors import UsageError
from xanoctl.lint.finding import SEVERITIES

CONFIG_NAME = "xanoctl.yaml"
# the section's keys: xanoctl.config.LINT_KEYS (imported when a file is read, not by a warm lint)


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict] = field(default_factory=dict)  # code -> {option: value}, validated
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    baseline: str | None = None  # resolved path
    base_dir: str = ""  # folder of xanoctl.yaml (per-path patterns are relative to it)
    source: str = ""  # the file this came from, for messages
    workspace: str | None = None  # the workspace folder (`dir` in xanoctl.yaml), resolved

    # ------------------------------------------------------------------ questions rules ask

    def rule_options(self, code: str) -> dict:
        from xanoctl.lint.rules import get_rule

        merged = dict(get_rule(code).OPTIONS)
        merged.update(self.options.get(code, {}))
        return merged

    def severity_of(self, code: str, default: str) -> str:
        return self.severity.get(code, default)

    def selected(self, code: str) -> bool:
        if self.select and not any(_matches(code, item) for item in self.select):
            return False
        return not any(_matches(code, item) for item in self.ignore)

    def ignored_at(self, code: str, path: str) -> bool:
        """Whether a per-path ignore turns ``code`` off for the file ``path`` (absolute)."""
        if not self.per_path_ignores:
            return False
        rel = _relative(path, self.base_dir)
        for pattern, codes in self.per_path_ignores:
            if any(_matches(code, item) for item in codes) and _path_matches(rel, pattern):
                return True
        return False

    def enabled(self, code: str, path: str) -> bool:
        return self.selected(code) and not self.ignored_at(code, path)

    def fingerprint(self) -> str:
        """What the cached per-file results depend on: the rule options (not select/ignore,
        which are applied after the cache)."""
        return json.dumps(self.options, sort_keys=True, default=str)

    def overridden(self, *, select=None, ignore=None, fail_on=None, baseline=None) -> "LintConfig":
        """This configuration with command-line flags applied (they win over the file)."""
        changes: dict = {}
        if select:
            changes["select"] = tuple(_codes(select, "--select"))
        if ignore:
            changes["ignore"] = self.ignore + tuple(_codes(ignore, "--ignore"))
        if fail_on:
            changes["fail_on"] = _severity(fail_on, "--fail-on")
        if baseline:
            changes["baseline"] = str(Path(baseline).resolve())
        return replace(self, **changes)


def _matches(code: str, item: str) -> bool:
    return code == item or (item.isalpha() and code.startswith(item)) or item == "ALL"


def _relative(path: str, base: str) -> str:
    try:
        return Path(os.path.relpath(path, base or os.getcwd())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def _path_matches(rel: str, pattern: str) -> bool:
    pattern = pattern.replace("\\", "/").removeprefix("./")
    if pattern.endswith("/"):
        return rel.startswith(pattern) or rel == pattern.rstrip("/")
    return fnmatch.fnmatchcase(rel, pattern)


# ---------------------------------------------------------------------------- loading


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``xanoctl.yaml`` in ``start`` (default: the current folder) or above."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | Path | None = None, start: Path | None = None) -> LintConfig:
    """Read the ``lint`` section of ``path`` (or of the nearest ``xanoctl.yaml``); defaults
    when there is no file. Raises :class:`UsageError` for anything it cannot understand."""
    if path is None:
        found = find_config(start)
        if found is None:
            return LintConfig(base_dir=str((start or Path.cwd()).resolve()))
        path = found
    from xanoctl.config import display_path, read_settings

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"cannot read {path}: no such file")
    data = read_settings(path)  # the same checks, and the same messages, as every command's
    section = data.get("lint") or {}
    base = path.resolve().parent
    folder = data.get("dir") or "workspace"  # the workspace folder, as `xanoctl init` writes it
    return parse_section(
        section,
        base_dir=base,
        source=display_path(path),
        workspace=str((base / folder).resolve()) if isinstance(folder, str) else None,
    )


def parse_section(section, *, base_dir: Path | str = "", source: str = CONFIG_NAME,
                  workspace: str | None = None) -> LintConfig:
    """Validate a ``lint:`` mapping (already loaded from YAML) into a :class:`LintConfig`."""
    from xanoctl.config import LINT_KEYS as _KEYS
    from xanoctl.lint.rules import RULES

    where = f"{source}: lint"
    if not isinstance(section, dict):
        raise UsageError(f"{where}: expected a mapping with keys {', '.join(_KEYS)}")
    unknown = sorted(set(section) - set(_KEYS), key=str)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; {_did_you_mean(unknown[0], _KEYS)}"
                         f"known keys: {', '.join(_KEYS)}")
    base = Path(base_dir or Path.cwd()).resolve()
    config = LintConfig(base_dir=str(base), source=source, workspace=workspace)
    changes: dict = {}
    if "select" in section:
        changes["select"] = tuple(_codes(section["select"], f"{where}.select"))
    if "ignore" in section:
        changes["ignore"] = tuple(_codes(section["ignore"], f"{where}.ignore"))
    if "fail_on" in section:
        changes["fail_on"] = _severity(section["fail_on"], f"{where}.fail_on")
    if "severity" in section:
        raw = section["severity"]
        if not isinstance(raw, dict):
            raise UsageError(f"{where}.severity: expected a mapping CODE: error|warning|info")
        changes["severity"] = {
            _code(code, f"{where}.severity"): _severity(value, f"{where}.severity.{code}")
            for code, value in raw.items()
        }
    if "rules" in section:
        raw = section["rules"]
        if not isinstance(raw, dict):
            raise UsageError(f"{where}.rules: expected a mapping CODE: {{option: value}}")
        options: dict[str, dict] = {}
        severity = dict(changes.get("severity", {}))
        for code, values in raw.items():
            code = _code(code, f"{where}.rules")
            options[code], level = _rule_options(RULES[code], values, f"{where}.rules.{code}")
            if level:
                severity[code] = level
        changes["options"] = {code: values for code, values in options.items() if values}
        changes["severity"] = severity
    if "per_path_ignores" in section:
        raw = section["per_path_ignores"]
        if not isinstance(raw, dict):
            raise UsageError(f"{where}.per_path_ignores: expected a mapping PATTERN: [CODE, ...]")
        changes["per_path_ignores"] = tuple(
            (str(pattern), tuple(_codes(codes, f"{where}.per_path_ignores.{pattern}")))
            for pattern, codes in raw.items()
        )
    if section.get("baseline") is not None:
        if not isinstance(section["baseline"], str):
            raise UsageError(f"{where}.baseline: expected a file name")
        changes["baseline"] = str((base / section["baseline"]).resolve())
    return replace(config, **changes)


def _code(value, where: str) -> str:
    from xanoctl.lint.rules import RULES, suggest_code

    code = str(value).strip().upper()
    if code not in RULES:
        hint = suggest_code(code)
        raise UsageError(f"{where}: unknown rule {value!r}" + (f"; did you mean {hint}?" if hint else
                         "; `xanoctl rules` lists them"))
    return code


def _codes(value, where: str) -> list[str]:
    from xanoctl.lint.rules import RULES, suggest_code

    if isinstance(value, str):
        value = [part for part in value.replace(" ", ",").split(",") if part]
    if not isinstance(value, (list, tuple)):
        raise UsageError(f"{where}: expected a list of rule codes, e.g. [FP003, ID001]")
    codes = []
    for item in value:
        code = str(item).strip().upper()
        if code != "ALL" and not any(_matches(known, code) for known in RULES):
            hint = suggest_code(code)
            raise UsageError(f"{where}: unknown rule {item!r}" + (f"; did you mean {hint}?" if hint else
                             "; `xanoctl rules` lists them"))
        codes.append(code)
    return codes


def _did_you_mean(value, choices, quote: bool = True) -> str:
    """``did you mean 'select'? `` when one of ``choices`` is close to ``value``, else ''."""
    from xanoctl.config import closest

    found = closest(str(value), list(choices))
    if found is None:
        return ""
    return f"did you mean {found!r}? " if quote else f"did you mean {found}? "


def _severity(value, where: str) -> str:
    level = str(value).strip().lower()
    if level not in SEVERITIES:
        hint = _did_you_mean(level, SEVERITIES, quote=False)
        raise UsageError(f"{where}: {value!r} is not a severity; {hint or 'use one of '}"
                         f"{'' if hint else ', '.join(reversed(SEVERITIES))}".rstrip())
    return level


def _rule_options(rule: ModuleType, values, where: str) -> tuple[dict, str | None]:
    if values is None:
        return {}, None
    if not isinstance(values, dict):
        raise UsageError(f"{where}: expected a mapping of options ({_describe_options(rule)})")
    options: dict = {}
    level = None
    for key, value in values.items():
        if key == "severity":
            level = _severity(value, f"{where}.severity")
            continue
        if key not in rule.OPTIONS:
            raise UsageError(f"{where}: unknown option {key!r}; {_did_you_mean(key, [*rule.OPTIONS, 'severity'])}"
                             f"{rule.CODE} takes {_describe_options(rule)}")
        options[key] = _coerce(value, rule.OPTIONS[key], f"{where}.{key}")
    return options, level


def _describe_options(rule: ModuleType) -> str:
    names = [*rule.OPTIONS, "severity"]
    return ", ".join(names)


def _coerce(value, default, where: str):
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise UsageError(f"{where}: expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{where}: expected an integer")
        return value
    if isinstance(default, (list, tuple)):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise UsageError(f"{where}: expected a list of strings")
        return list(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise UsageError(f"{where}: expected a string")
        return value
    return value
