"""The one settings object: config/default.toml, then a --config file, then HOPSO_* variables."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_TOML = Path(__file__).resolve().parent.parent / "config" / "default.toml"
ENV_PREFIX = "HOPSO_"


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str = ""
    extra_origins: str = Field("", pattern=r"^(https?://[^\s,/]+(,\s*https?://[^\s,/]+)*)?$")
    data_dir: Path = Path("./data")
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = ""
    session_cookie_name: str = Field("hopso_session", pattern=r"^[A-Za-z0-9_]+$")
    session_max_age_hours: int = Field(12, ge=1)
    device_token_max_age_days: int = Field(180, ge=1)
    login_max_failures: int = Field(5, ge=1)
    login_account_max_failures: int = Field(20, ge=1)
    login_address_max_failures: int = Field(100, ge=1)
    login_window_seconds: int = Field(300, ge=1)
    trust_forwarded_for: bool = False
    metrics_token: str = ""
    max_upload_mb: int = Field(100, ge=1)
    max_json_kb: int = Field(256, ge=1)
    header_timeout_seconds: int = Field(30, ge=1)
    body_idle_seconds: int = Field(60, ge=1)
    rtmp_port: int = Field(1935, ge=1, le=65535)
    rtmp_host: str = Field("", pattern=r"^[A-Za-z0-9.:\[\]-]*$")
    rtmp_mode: Literal["embedded", "external", "off"] = "embedded"
    rtmp_pull_host: str = Field("127.0.0.1", pattern=r"^[A-Za-z0-9.:\[\]-]+$")
    rtmp_hook_token: str = ""
    media_mode: Literal["embedded", "external"] = "embedded"
    media_worker_url: str = Field("", pattern=r"^(https?://\S+)?$")
    media_hopso_url: str = Field("", pattern=r"^(https?://[^\s,]+(,https?://[^\s,]+)*)?$")
    signing_certificate: str = ""
    signing_certificate_password: str = ""
    signing_pkcs11_module: str = ""
    signing_tsa_url: str = Field("", pattern=r"^(https?://\S+)?$")
    signing_tsa_timeout: float = Field(10.0, gt=0, le=120)
    signing_trust_roots: str = ""
    signing_fetch_revocation: bool = True
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    asr_model: str = ""
    asr_language: str = Field("vi", pattern=r"^[a-z]{2,3}$")
    asr_threads: int = Field(0, ge=0, le=64)
    asr_compute_type: Literal["int8", "int8_float32", "float32"] = "int8"
    asr_nice: int = Field(19, ge=0, le=19)
    smtp_host: str = ""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    mail_retry_seconds: int = Field(300, ge=1)
    petition_reminder_days: int = Field(7, ge=0)
    petition_import_max_rows: int = Field(50000, ge=1)
    petition_form_work_bits: int = Field(16, ge=0, le=28)
    petition_form_min_seconds: int = Field(5, ge=0)
    petition_form_per_hour: int = Field(5, ge=1)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'hopso.sqlite3').resolve()}"

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def effective_rtmp_host(self) -> str:
        """Where embedded nginx-rtmp listens: `rtmp_host`, else the HTTP host (loopback stays loopback)."""
        return self.rtmp_host or self.host

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from exc


def _from_environment(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    values = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(f"{ENV_PREFIX}TEST_") or name == "HOPSO_REQUIRE_ALL":
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key not in Settings.model_fields:
            raise SettingsError(f"unknown setting {name}; known: {', '.join(_env_names())}")
        values[key] = value
    return values


def _env_names() -> list[str]:
    return [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]


def load_settings(
    config_file: Path | None = None,
    environ: dict[str, str] | os._Environ[str] | None = None,
    **overrides: Any,
) -> Settings:
    """Read the defaults, then `config_file`, then HOPSO_* variables, then `overrides`.

    An installed package has no config/ folder beside it; the model's defaults, which a test keeps equal to
    config/default.toml, stand in for the file there.
    """
    values = _read_toml(DEFAULT_TOML) if DEFAULT_TOML.exists() else {}
    if config_file is not None:
        values.update(_read_toml(config_file))
    values.update(_from_environment(os.environ if environ is None else environ))
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            problems.append(f"{key} (HOPSO_{key.upper()}): {error['msg']}")
        raise SettingsError("bad setting: " + "; ".join(problems)) from exc


def ensure_secret_key(settings: Settings) -> Settings:
    """Return settings with a secret key, generating one into the data folder on first start."""
    if settings.secret_key:
        return settings
    key_file = settings.data_dir / "secret_key"
    if not key_file.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return settings.model_copy(update={"secret_key": key_file.read_text().strip()})
