"""Settings: flags over environment over xanoctl.yaml; the token never from the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from xanoctl.config import load_config, normalize_instance
from xanoctl.errors import UsageError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path):
    write(tmp_path / "xanoctl.yaml", "instance: https://file.xano.io\nworkspace: 3\nbranch: v1\ndir: ws\n"
                                     "http:\n  per_page: 7\n")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    return tmp_path


def no_creds(tmp_path):
    return {"XANOCTL_CREDENTIALS": str(tmp_path / "none")}


def test_the_file_is_found_by_walking_up(repo):
    config = load_config(cwd=repo / "sub" / "deeper", env=no_creds(repo))
    assert config.instance == "https://file.xano.io/api:meta"
    assert (config.workspace, config.branch, config.dir) == (3, "v1", repo / "ws")
    assert config.http.per_page == 7 and config.token is None


def test_environment_overrides_the_file_and_flags_override_both(repo):
    env = {**no_creds(repo), "XANO_INSTANCE": "https://env.xano.io/api:meta/", "XANO_WORKSPACE": "4",
           "XANO_BRANCH": "dev", "XANO_TOKEN": "t", "XANOCTL_HTTP_PER_PAGE": "9"}
    config = load_config(cwd=repo, env=env)
    assert (config.instance, config.workspace, config.branch, config.http.per_page) == (
        "https://env.xano.io/api:meta", 4, "dev", 9)
    config = load_config(instance="flag.xano.io", workspace="5", branch="", dir="elsewhere", cwd=repo, env=env)
    assert (config.instance, config.workspace, config.branch) == ("https://flag.xano.io/api:meta", 5, "")
    assert config.dir == repo / "elsewhere"


@pytest.mark.parametrize("url,base", [
    ("https://x1.xano.io", "https://x1.xano.io/api:meta"), ("x1.xano.io/", "https://x1.xano.io/api:meta"),
    ("http://127.0.0.1:8787/api:meta", "http://127.0.0.1:8787/api:meta"),
    ("https://x1.xano.io/api:meta/", "https://x1.xano.io/api:meta")])
def test_a_bare_origin_gets_the_metadata_api_path(url, base):
    assert normalize_instance(url) == base


@pytest.mark.parametrize("url, fix", [
    ("ftp://x", "expected e.g. https://"), ("https://user:pass@x.io", "must not carry credentials"),
    ("https://x.io?token=1", "must not carry credentials, a query"), ("", "the instance URL is empty"),
    ("http://[::1", "expected e.g. https://"), ("http://127.0.0.1:99999", "Port out of range"),
    ("https://x1.xano.io:port", "expected e.g. https://"), ("http://exa mple.com", "expected e.g. https://")])
def test_bad_instance_urls_are_refused_saying_what_is_expected(url, fix):
    with pytest.raises(UsageError) as caught:
        normalize_instance(url)
    assert fix in str(caught.value)


def test_a_token_in_xanoctl_yaml_is_refused(tmp_path):
    write(tmp_path / "xanoctl.yaml", "instance: x.xano.io\nworkspace: 1\ntoken: secret\n")
    with pytest.raises(UsageError) as caught:
        load_config(cwd=tmp_path, env=no_creds(tmp_path))
    assert "secret" not in str(caught.value) and "XANO_TOKEN" in str(caught.value)


def test_the_token_comes_from_the_credentials_file_per_instance_or_default(repo, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    creds = write(home / "xanoctl" / "credentials",
                  "token: default-token\ntokens:\n  https://file.xano.io: file-token\n")
    config = load_config(cwd=repo, env={"XDG_CONFIG_HOME": str(home)})
    assert config.token == "file-token"
    config = load_config(cwd=repo, env={"XANOCTL_CREDENTIALS": str(creds), "XANO_INSTANCE": "other.xano.io"})
    assert config.token == "default-token"
    config = load_config(cwd=repo, env={"XANOCTL_CREDENTIALS": str(creds), "XANO_TOKEN": "env-token"})
    assert config.token == "env-token"


def test_a_token_is_trimmed_and_one_no_header_can_carry_is_refused_without_echoing_it(repo, tmp_path_factory):
    env = {**no_creds(repo), "XANO_TOKEN": "  pasted-token\n"}
    assert load_config(cwd=repo, env=env).token == "pasted-token"
    for bad in ("tök-secret", "two\nlines-secret", "with space-secret"):
        with pytest.raises(UsageError) as caught:
            load_config(cwd=repo, env={**no_creds(repo), "XANO_TOKEN": bad})
        assert "secret" not in str(caught.value) and "XANO_TOKEN" in str(caught.value)
    creds = write(tmp_path_factory.mktemp("home") / "credentials", "token: tök-secret\n")
    with pytest.raises(UsageError) as caught:
        load_config(cwd=repo, env={"XANOCTL_CREDENTIALS": str(creds)})
    assert "secret" not in str(caught.value) and str(creds) in str(caught.value)


def test_a_credentials_file_inside_the_repository_is_refused(repo):
    creds = write(repo / "credentials", "token: t\n")
    with pytest.raises(UsageError, match="inside the repository"):
        load_config(cwd=repo, env={"XANOCTL_CREDENTIALS": str(creds)})


def test_a_missing_remote_setting_says_how_to_set_it(tmp_path):
    config = load_config(cwd=tmp_path, env=no_creds(tmp_path))
    with pytest.raises(UsageError, match="XANO_INSTANCE"):
        config.require_remote()
    config = load_config(cwd=tmp_path, env={**no_creds(tmp_path), "XANO_INSTANCE": "x.io", "XANO_WORKSPACE": "1"})
    with pytest.raises(UsageError, match="XANO_TOKEN"):
        config.require_remote()


@pytest.mark.parametrize("text, fix", [
    ("workspace: abc\n", "workspace id must be an integer"), ("workspace: -1\n", "workspace id must be positive"),
    ("http:\n  concurrency: 0\n", "http.concurrency must be positive"), ("- a list\n", "expected a mapping"),
    ("http:\n  timeout: soon\n", "http.timeout must be a number"),
    ("layout: snake\n", "layout must be one of readable, official"),
    ("layout: [official]\n", "layout must be one of readable, official")])
def test_bad_settings_are_usage_errors_naming_the_file_and_the_setting(tmp_path, text, fix):
    write(tmp_path / "xanoctl.yaml", text)
    with pytest.raises(UsageError) as caught:
        load_config(cwd=tmp_path, env=no_creds(tmp_path))
    assert str(tmp_path / "xanoctl.yaml") in str(caught.value) and fix in str(caught.value)


def test_the_layout_is_readable_unless_the_file_says_official(repo):
    assert load_config(cwd=repo, env=no_creds(repo)).layout == "readable"
    write(repo / "xanoctl.yaml", "workspace: 3\nlayout: Official\n")
    assert load_config(cwd=repo, env=no_creds(repo)).layout == "official"
