"""Where xanoctl finds its settings: flags, then environment, then ``xanoctl.yaml``.

``xanoctl.yaml`` sits at the root of the repository (found by walking up from the current
directory) and holds the instance URL, the workspace id, the branch and the workspace folder.
It never holds a token: the token comes from ``XANO_TOKEN`` or from a credentials file outside
the repository (``$XANOCTL_CREDENTIALS``, else ``$XDG_CONFIG_HOME/xanoctl/credentials``, else
``~/.config/xanoctl/credentials``), a YAML mapping::

    token: <default token>
    tokens:                                   # optional, per instance
      https://x123.xano.io/api:meta: <token>

``layout`` says how object files are named: ``readable`` (the default: names as they are) or
``official`` (the official Xano CLI's snake_case paths).

Optional ``http`` settings (``xanoctl.yaml`` section ``http``, or ``XANOCTL_HTTP_<NAME>``):
``per_page``, ``concurrency``, ``lookahead``, ``timeout``, ``attempts``, ``backoff``,
``max_backoff``, ``rate_limit_wait`` (e.g. ``XANOCTL_HTTP_RATE_LIMIT_WAIT=600``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Mapping

from xanoctl.atomic import write_atomic
from xanoctl.errors import UsageError

CONFIG_NAME = "xanoctl.yaml"
DEFAULT_DIR = "workspace"
LAYOUTS = ("readable", "official")  # xanoctl.sync.paths.LAYOUTS, the first is the default

# Every key xanoctl.yaml may hold at its top level: a new setting or section is one line here
# (a key not listed is an error that names the closest one).
SETTINGS = ("instance", "workspace", "branch", "dir", "layout", "http", "lint")
# The keys of the `lint` section (xanoctl.lint.config reads them; rule options are checked there).
LINT_KEYS = ("select", "ignore", "fail_on", "severity", "rules", "per_path_ignores", "baseline")


@dataclass(frozen=True)
class HttpSettings:
    """How the client talks to the Metadata API."""

    per_page: int = 100  # objects per list page
    concurrency: int = 8  # requests in flight at once, all lists together
    lookahead: int = 4  # pages of one list requested ahead of the last confirmed one
    timeout: float = 30.0  # seconds per request
    attempts: int = 6  # tries per request before giving up (retryable failures only)
    backoff: float = 0.5  # first retry delay, doubled each attempt, with full jitter
    max_backoff: float = 30.0  # cap of one delay (a Retry-After on a 5xx above it is capped too)
    rate_limit_wait: float = 300.0  # seconds of 429s with no request getting through before giving up

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str) -> "HttpSettings":
        values: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in data:
                continue
            kind = int if item.type in ("int", int) else float
            try:
                values[item.name] = kind(data[item.name])
            except (TypeError, ValueError):
                raise UsageError(f"{origin}: http.{item.name} must be a number") from None
            if values[item.name] <= 0 and item.name not in ("backoff",):
                raise UsageError(f"{origin}: http.{item.name} must be positive")
        return cls(**values)


HTTP_KEYS = tuple(item.name for item in fields(HttpSettings))


@dataclass(frozen=True)
class Config:
    """Resolved settings. ``token`` is never printed: its repr is masked."""

    instance: str | None
    workspace: int | None
    branch: str
    dir: Path
    token: str | None = field(default=None, repr=False)
    config_file: Path | None = None
    http: HttpSettings = HttpSettings()
    layout: str = LAYOUTS[0]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the whole xanoctl.yaml
    token_from: str = ""  # where the token came from: XANO_TOKEN or the credentials file's path

    def require_remote(self) -> tuple[str, int, str]:
        """(instance, workspace, token), or a UsageError that says how to set the missing one."""
        if not self.instance:
            raise UsageError("no Xano instance: pass --instance, set XANO_INSTANCE or run `xanoctl init`")
        if self.workspace is None:
            raise UsageError("no workspace id: pass --workspace, set XANO_WORKSPACE or run `xanoctl init`")
        if not self.token:
            raise UsageError(
                "no Xano token: set XANO_TOKEN or write `token: ...` to "
                f"{credentials_path(os.environ)} (never to {CONFIG_NAME})"
            )
        return self.instance, self.workspace, self.token


def normalize_instance(url: str) -> str:
    """The Metadata API base URL: a bare origin (``https://x1.xano.io``) gets ``/api:meta``;
    a host name without a scheme means https (Xano's instances speak https). A host with a
    port but no scheme (``localhost:8787``: an emulator, a proxy) is refused with both
    choices: guessing https there turns a plain http server into a TLS error. Trailing
    slashes are dropped."""
    url = url.strip()
    if not url:
        raise UsageError("the instance URL is empty")
    if "://" not in url:
        if missing_scheme(url):
            raise UsageError(f"the instance URL {url!r} has no scheme: write http://{url} or https://{url}")
        url = "https://" + url
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        raise UsageError(f"not a valid URL: {url!r} ({exc}); expected e.g. https://x123.xano.io/api:meta") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in parts.netloc):
        raise UsageError(f"not an http(s) URL: {url!r}; expected e.g. https://x123.xano.io/api:meta")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError("the instance URL must not carry credentials, a query or a fragment")
    path = parts.path.rstrip("/")
    if not path:
        path = "/api:meta"
    return f"{parts.scheme}://{parts.netloc}{path}"


def missing_scheme(url: str) -> bool:
    """Whether ``url`` is ``host:port[/path]`` without a scheme, where http and https are both
    likely."""
    host, _, rest = url.partition("/")
    name, colon, port = host.rpartition(":")
    return bool(colon and name and port.isdigit())


def parse_layout(value: Any, origin: str) -> str:
    """``readable`` or ``official``, or a UsageError naming where the value came from."""
    layout = str(value).strip().lower()
    if layout not in LAYOUTS:
        raise UsageError(f"{origin}: layout must be one of {', '.join(LAYOUTS)}, got {value!r}")
    return layout


def parse_workspace(value: Any, origin: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise UsageError(f"{origin}: the workspace id must be an integer, got {value!r}") from None
    if number <= 0:
        raise UsageError(f"{origin}: the workspace id must be positive, got {number}")
    return number


def find_config_file(start: Path) -> Path | None:
    """``xanoctl.yaml`` in ``start`` or the nearest parent folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping a YAML file holds; a :class:`UsageError` naming the file, the line and the
    column of what is wrong (never the text there: it could be a token)."""
    import yaml  # only when there is a file to read: a command configured by flags starts faster

    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise UsageError(yaml_problem(shown, exc)) from None
    if not isinstance(data, dict):
        raise UsageError(f"{shown}: expected a mapping of settings (key: value lines)")
    return data


def yaml_problem(shown: str, exc: Exception) -> str:
    """The one message for a YAML file that does not parse, whichever reads it: its line and
    column, what is wrong (never the text there: it could be a token)."""
    mark = getattr(exc, "problem_mark", None)
    where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or "cannot be parsed"
    return f"{shown}{where}: not valid YAML ({problem}): fix the file"


def read_settings(path: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``xanoctl.yaml``: its mapping, every key known (:data:`SETTINGS`, the ``http`` and
    ``lint`` sections' keys), or a :class:`UsageError` with the line and the closest key. A
    token in it is refused (the file is committed)."""
    data = read_yaml(path)
    if "token" in data or "tokens" in data:
        raise UsageError(
            f"{display_path(path)} contains a token: remove it and use XANO_TOKEN or "
            f"{credentials_path(os.environ if env is None else env)} instead (the file is committed)"
        )
    check_keys(path, data, (), SETTINGS)
    for section, known in (("http", HTTP_KEYS), ("lint", LINT_KEYS)):
        if isinstance(data.get(section), dict):
            check_keys(path, data[section], (section,), known)
    return data


def check_keys(path: Path, mapping: Mapping[Any, Any], where: tuple[str, ...], known: Iterable[str]) -> None:
    """A :class:`UsageError` for the first key of ``mapping`` (at ``where`` in the file) that is
    not ``known``: ``xanoctl.yaml:4: unknown key 'workpsace'; did you mean 'workspace'?``."""
    known = list(known)
    for key in mapping:
        if key in known:
            continue
        inside = f" in {'.'.join(where)}" if where else ""
        hint = closest(str(key), known)
        advice = f"did you mean {hint!r}?" if hint else f"the keys{inside} are {', '.join(known)}"
        line = key_line(path, *where, key)
        raise UsageError(f"{display_path(path)}{f':{line}' if line else ''}: unknown key {key!r}{inside}; {advice}")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (a typo, another case, ``-`` for ``_``), or None."""
    import difflib

    choices = list(choices)
    text = word.strip().replace("-", "_")
    for choice in choices:
        if choice.lower() == text.lower():
            return choice
    found = difflib.get_close_matches(text.lower(), choices, n=1, cutoff=0.6)
    if not found and len(text) >= 3:
        found = [choice for choice in choices if choice.startswith(text.lower())][:1]
    return found[0] if found else None


def key_line(path: Path, *keys: Any) -> int | None:
    """The line of the key at ``keys`` in the YAML file (1-based), for messages; None when it
    cannot be told."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            return line
    return line


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it, else as it is."""
    try:
        return Path(os.path.relpath(path)).as_posix() if Path(path).resolve().is_relative_to(Path.cwd().resolve()) \
            else str(path)
    except (OSError, ValueError):
        return str(path)


def clean_token(token: str | None, origin: str) -> str | None:
    """The token without surrounding whitespace (a pasted line break), or None when empty. A
    token no HTTP header can carry (inner spaces, control or non-ASCII characters) is a
    UsageError that names where it came from and never shows it."""
    token = (token or "").strip()
    if any(not "!" <= char <= "~" for char in token):
        raise UsageError(f"{origin} holds characters a token cannot have (spaces, line breaks or non-ASCII "
                         "letters): copy the Metadata API token again from Xano")
    return token or None


WHOLE_FROM = 8  # a token shorter than this is masked only where it stands alone


def mask_token(text: str, token: str | None) -> str:
    """``text`` with ``token`` shown as ``***``. A token of :data:`WHOLE_FROM` characters or
    more is masked wherever it appears (inside a URL, a JSON string, a longer word); a shorter
    one (a test server's, a proxy's) only where it stands alone, not inside a longer run of
    letters and digits: masking every ``t`` of a message would make it unreadable and hide
    nothing."""
    if not token or token not in text:
        return text
    if len(token) >= WHOLE_FROM:
        return text.replace(token, "***")
    import re

    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])", "***", text)


def credentials_path(env: Mapping[str, str]) -> Path:
    if env.get("XANOCTL_CREDENTIALS"):
        return Path(env["XANOCTL_CREDENTIALS"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "xanoctl" / "credentials"


def read_credentials(path: Path, instance: str | None, repo_root: Path | None) -> str | None:
    """The token for ``instance`` from the credentials file, if any. A credentials file inside
    the repository is refused: it would end up committed."""
    if not path.is_file():
        return None
    if repo_root is not None and path.resolve().is_relative_to(repo_root.resolve()):
        raise UsageError(
            f"the credentials file {path} is inside the repository; move it outside "
            "(e.g. ~/.config/xanoctl/credentials) so the token is never committed"
        )
    data = read_yaml(path)
    per_instance = data.get("tokens") or {}
    if instance and isinstance(per_instance, dict):
        for key, token in per_instance.items():
            try:
                if normalize_instance(str(key)) == instance and token:
                    return str(token).strip()
            except UsageError:
                continue
    token = data.get("token")
    return str(token).strip() if token else None


def _fail(message: str) -> None:
    raise UsageError(message)


def _env_http(env: Mapping[str, str]) -> dict[str, str]:
    names = {item.name for item in fields(HttpSettings)}
    prefix = "XANOCTL_HTTP_"
    return {
        key[len(prefix):].lower(): value
        for key, value in env.items()
        if key.startswith(prefix) and key[len(prefix):].lower() in names
    }


def load_config(
    *,
    instance: str | None = None,
    workspace: int | str | None = None,
    branch: str | None = None,
    dir: str | Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Resolve settings: the arguments (flags) win over the environment, which wins over
    ``xanoctl.yaml``. A relative ``dir`` from a flag is relative to ``cwd``; from the file,
    relative to the file's folder."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    config_file = find_config_file(cwd)
    data = read_settings(config_file, env) if config_file else {}
    origin = display_path(config_file) if config_file else CONFIG_NAME
    root = config_file.parent if config_file else None

    def pick(flag: Any, env_name: str, key: str) -> tuple[Any, str]:
        if flag not in (None, ""):
            return flag, "the command line"
        if env.get(env_name):
            return env[env_name], env_name
        return data.get(key), origin

    def located(key: str, source: str, parse: Any, *args: Any) -> Any:
        """``parse(*args)``; its error, when the value came from the file, names the key's line."""
        try:
            return parse(*args)
        except UsageError as exc:
            line = key_line(config_file, key) if config_file and source == origin else None
            if not line:
                raise
            text = str(exc).removeprefix(f"{origin}: ")
            raise UsageError(f"{origin}:{line}: {text}") from None

    raw_instance, instance_origin = pick(instance, "XANO_INSTANCE", "instance")
    resolved_instance = (located("instance", instance_origin, normalize_instance, str(raw_instance))
                         if raw_instance else None)
    raw_workspace, ws_origin = pick(workspace, "XANO_WORKSPACE", "workspace")
    resolved_workspace = (located("workspace", ws_origin, parse_workspace, raw_workspace, ws_origin)
                          if raw_workspace not in (None, "") else None)
    if branch is not None:
        resolved_branch = branch
    elif "XANO_BRANCH" in env:
        resolved_branch = env["XANO_BRANCH"]
    else:
        resolved_branch = str(data.get("branch") or "")

    if dir is not None:
        folder = Path(dir)
        folder = folder if folder.is_absolute() else cwd / folder
    else:
        folder = (root or cwd) / str(data.get("dir") or DEFAULT_DIR)

    http_data = data.get("http") or {}
    if not isinstance(http_data, dict):
        located("http", origin, _fail, f"{origin}: http must be a mapping of settings ({', '.join(HTTP_KEYS)})")
    env_http = _env_http(env)
    http = located("http", origin if not env_http else "", HttpSettings.from_mapping, {**http_data, **env_http}, origin)
    layout = (located("layout", origin, parse_layout, data["layout"], origin)
              if data.get("layout") not in (None, "") else LAYOUTS[0])

    token, token_from = find_token(resolved_instance, env, root)
    return Config(
        instance=resolved_instance,
        workspace=resolved_workspace,
        branch=resolved_branch.strip(),
        dir=folder,
        token=token,
        config_file=config_file,
        http=http,
        layout=layout,
        raw=data,
        token_from=token_from,
    )


def find_token(instance: str | None, env: Mapping[str, str], repo_root: Path | None) -> tuple[str | None, str]:
    """The token for ``instance`` and where it came from (``XANO_TOKEN`` or the credentials
    file's path; "" when there is none)."""
    if env.get("XANO_TOKEN"):
        return clean_token(env["XANO_TOKEN"], "XANO_TOKEN"), "XANO_TOKEN"
    path = credentials_path(env)
    token = clean_token(read_credentials(path, instance, repo_root), f"the token in {path}")
    return token, (str(path) if token else "")


def write_config(path: Path, *, instance: str, workspace: int, branch: str, dir: str,
                 layout: str = LAYOUTS[0]) -> None:
    """Write a fresh ``xanoctl.yaml`` (no token, ever). ``layout`` is written only when it is
    not the default."""
    settings: dict[str, Any] = {"instance": instance, "workspace": workspace, "branch": branch, "dir": dir}
    if layout != LAYOUTS[0]:
        settings["layout"] = layout
    import yaml

    text = (
        "# xanoctl settings (committed). The token is NOT stored here: use XANO_TOKEN or\n"
        "# ~/.config/xanoctl/credentials.\n"
        + yaml.safe_dump(
            settings,
            sort_keys=False,
            allow_unicode=True,
        )
    )
    write_atomic(path, text.encode("utf-8"))
