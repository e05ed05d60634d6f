"""Settings: config/default.toml, then a --config file, then HOPSO_* variables; a wrong value names its setting."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from session_server.settings import DEFAULT_TOML, Settings, SettingsError, ensure_secret_key, load_settings


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hopso.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_default_file_lists_every_setting_with_the_built_in_default() -> None:
    shipped = tomllib.loads(DEFAULT_TOML.read_text(encoding="utf-8"))

    assert set(shipped) == set(Settings.model_fields)
    assert Settings(**shipped) == Settings()
    assert load_settings(environ={}) == Settings()


def test_a_config_file_overrides_the_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, 'port = 9001\nlog_level = "debug"\ndata_dir = "/srv/hopso"\n')

    settings = load_settings(config, environ={})

    assert (settings.port, settings.log_level, settings.data_dir) == (9001, "debug", Path("/srv/hopso"))
    assert settings.host == Settings().host


def test_environment_variables_override_the_config_file(tmp_path: Path) -> None:
    config = _config(tmp_path, "port = 9001\nmax_upload_mb = 50\n")
    environ = {
        "HOPSO_PORT": "9002",
        "HOPSO_TRUST_FORWARDED_FOR": "true",
        "HOPSO_DATABASE_URL": "postgresql+asyncpg://hopso@db/hopso",
    }

    settings = load_settings(config, environ=environ)

    assert settings.port == 9002
    assert settings.max_upload_mb == 50
    assert settings.trust_forwarded_for is True
    assert settings.effective_database_url == "postgresql+asyncpg://hopso@db/hopso"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HOPSO_PORT", "abc"),
        ("HOPSO_PORT", "70000"),
        ("HOPSO_RTMP_MODE", "foo"),
        ("HOPSO_DATABASE_URL", "mysql://hopso@db/hopso"),
        ("HOPSO_REDIS_URL", "http://redis:6379"),
        ("HOPSO_SESSION_COOKIE_NAME", "hopso session"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings(environ={name: value})


def test_an_unknown_hopso_variable_is_named_with_the_known_ones() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={"HOPSO_PROT": "8080"})

    assert "HOPSO_PROT" in str(refused.value)
    assert "HOPSO_PORT" in str(refused.value)


def test_the_test_suites_own_variables_are_not_settings() -> None:
    environ = {"HOPSO_TEST_POSTGRES_URL": "postgresql+asyncpg://postgres@127.0.0.1/test", "HOPSO_REQUIRE_ALL": "1"}

    assert load_settings(environ=environ) == Settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("prot = 8080\n", "prot", id="unknown-key"),
        pytest.param("port = \n", "not valid TOML", id="not-toml"),
    ],
)
def test_a_bad_config_file_is_refused_with_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(_config(tmp_path, text), environ={})


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(tmp_path / "khong-co.toml", environ={})


def test_the_secret_key_is_generated_once_into_the_data_folder_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    first = ensure_secret_key(load_settings(environ={}, data_dir=data_dir))
    second = ensure_secret_key(load_settings(environ={}, data_dir=data_dir))

    key_file = data_dir / "secret_key"
    assert len(first.secret_key) >= 32
    assert second.secret_key == first.secret_key == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_secret_key_given_in_the_settings_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    settings = ensure_secret_key(load_settings(environ={"HOPSO_SECRET_KEY": "khoa-bi-mat"}, data_dir=tmp_path))

    assert settings.secret_key == "khoa-bi-mat"
    assert not (tmp_path / "secret_key").exists()


def test_without_a_database_url_the_database_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(environ={"HOPSO_DATA_DIR": str(tmp_path)})

    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'hopso.sqlite3'}"
    assert settings.effective_public_url == "http://127.0.0.1:8080"
