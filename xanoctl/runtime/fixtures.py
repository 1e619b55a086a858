"""The smoke run's fixtures: ``smoke.yaml`` (or ``--inputs FILE``), read with the line of every
key so that a mistake is reported where it is written::

    token_env: SMOKE_TOKEN            # the variable holding a bearer token for `auth` endpoints
    Tests:                            # an API group, by name
      "POST tasks/sync-people":       # an endpoint: its verb and path, as in its file
        input: {ad_user_id: 1}        # its input values
        status: 200                   # optional: the status it must answer
        envelope: false               # optional: judge the envelope (true) or not (false), whatever
                                      # the endpoint's response looks like
      "GET health": {}

The file never holds a token: ``token_env`` names an environment variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xanoctl.errors import UsageError

FILE = "smoke.yaml"
ENDPOINT_KEYS = ("input", "status", "envelope", "token_env")
VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@dataclass
class Fixture:
    group: str
    verb: str
    path: str
    line: int
    input: dict[str, Any] = field(default_factory=dict)
    input_lines: dict[str, int] = field(default_factory=dict)
    status: int | None = None
    envelope: bool | None = None
    token_env: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.group, self.verb, self.path.strip("/"))


@dataclass
class Fixtures:
    file: str  # as shown in messages
    token_env: str | None = None
    groups: dict[str, int] = field(default_factory=dict)  # group name -> its line
    endpoints: dict[tuple[str, str, str], Fixture] = field(default_factory=dict)

    def get(self, group: str, verb: str, path: str) -> Fixture | None:
        return self.endpoints.get((group, verb, path.strip("/")))


def load(path: str | Path, shown: str | None = None) -> Fixtures:
    """Read a fixtures file; a :class:`UsageError` naming the line for anything malformed."""
    import yaml

    shown = shown or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the fixtures file {shown}: {exc.strerror or exc}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise UsageError(f"{shown}{where}: not valid YAML ({getattr(exc, 'problem', '') or exc})") from None
    fixtures = Fixtures(shown)
    if root is None:
        return fixtures
    for key, value in _mapping(root, shown, "the top level"):
        if key.value == "token_env":
            fixtures.token_env = _env_name(value, shown)
            continue
        fixtures.groups[key.value] = _line(key)
        for ekey, evalue in _mapping(value, shown, f"group {key.value!r}", allow_empty=True):
            fixture = _endpoint(key.value, ekey, evalue, shown)
            if fixture.key in fixtures.endpoints:
                raise UsageError(f"{shown}:{_line(ekey)}: {ekey.value!r} appears twice in group {key.value!r}")
            fixtures.endpoints[fixture.key] = fixture
    return fixtures


def _endpoint(group: str, key: Any, value: Any, shown: str) -> Fixture:
    verb, _, route = str(key.value).strip().partition(" ")
    if verb.upper() not in VERBS or not route.strip():
        raise UsageError(f"{shown}:{_line(key)}: {key.value!r}: an endpoint is written \"VERB path\" "
                         f"(e.g. \"GET users/{{id}}\"), VERB one of {', '.join(VERBS)}")
    fixture = Fixture(group, verb.upper(), route.strip().strip("/"), _line(key))
    for item, content in _mapping(value, shown, f"{key.value!r}", allow_empty=True):
        name = item.value
        if name not in ENDPOINT_KEYS:
            raise UsageError(f"{shown}:{_line(item)}: unknown key {name!r} for {key.value!r}; "
                             f"expected {', '.join(ENDPOINT_KEYS)}")
        if name == "input":
            for field_key, field_value in _mapping(content, shown, f"the input of {key.value!r}", allow_empty=True):
                fixture.input[field_key.value] = _value(field_value)
                fixture.input_lines[field_key.value] = _line(field_key)
        elif name == "status":
            status = _value(content)
            if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
                raise UsageError(f"{shown}:{_line(item)}: status must be an HTTP status (e.g. 200)")
            fixture.status = status
        elif name == "envelope":
            envelope = _value(content)
            if not isinstance(envelope, bool):
                raise UsageError(f"{shown}:{_line(item)}: envelope must be true or false")
            fixture.envelope = envelope
        else:
            fixture.token_env = _env_name(content, shown)
    return fixture


def _mapping(node: Any, shown: str, what: str, allow_empty: bool = False):
    import yaml

    if allow_empty and isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return []
    if not isinstance(node, yaml.MappingNode):
        raise UsageError(f"{shown}:{_line(node)}: expected a mapping for {what}")
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise UsageError(f"{shown}:{_line(key)}: expected a plain key in {what}")
    return node.value


def _value(node: Any) -> Any:
    import yaml

    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def _env_name(node: Any, shown: str) -> str:
    name = _value(node)
    if not isinstance(name, str) or not name.replace("_", "").isalnum() or name[0].isdigit():
        raise UsageError(f"{shown}:{_line(node)}: token_env names an environment variable (e.g. SMOKE_TOKEN), "
                         "never the token itself")
    return name


def _line(node: Any) -> int:
    return node.start_mark.line + 1
