"""Settings: built once from a TOML file and ``ALERTD_*`` environment overrides.

Every setting is a field of ``Settings``; its environment variable is ``ALERTD_`` plus
the field name in upper case, and ``config/alertd.example.toml`` documents each one (a
test fails when a field is undocumented). The object is frozen and passed to
``create_app(settings)``; nothing reads the environment at import time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from alertd.roles import Role

ENV_PREFIX = "ALERTD_"
CONFIG_ENV = "ALERTD_CONFIG"
# OWASP password storage cheat sheet: argon2id with memory * iterations at least
# 7 MiB * 5 (their weakest listed pairing), and never less than 7 MiB of memory.
OWASP_MIN_MEMORY_KIB = 7168
OWASP_MIN_MEMORY_TIME_PRODUCT = 7168 * 5
MAX_ACCESS_TOKEN_TTL = 15 * 60
SUPPORTED_DATABASE_DRIVERS = frozenset({"sqlite+aiosqlite", "postgresql+asyncpg"})
SQLITE_EXAMPLE = "sqlite+aiosqlite:///var/alertd.db"


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the key."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # server
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    max_body_bytes: int = Field(1_048_576, ge=1024)
    max_import_bytes: int = Field(200 * 1_048_576, ge=1024)
    public_url: str = "http://127.0.0.1:8080"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    shutdown_timeout_seconds: float = Field(10.0, ge=0)
    workers: int = Field(1, ge=1, le=64)
    # storage
    database_url: SecretStr = SecretStr("sqlite+aiosqlite:///var/alertd.db")
    database_pool_size: int = Field(10, ge=1)
    data_dir: Path = Path("var")
    # tokens
    token_issuer: str = "alertd"  # noqa: S105 (a name, not a secret)
    token_audience: str = "alertd-api"  # noqa: S105 (a name, not a secret)
    access_token_ttl_seconds: int = Field(600, ge=30, le=MAX_ACCESS_TOKEN_TTL)
    refresh_token_ttl_seconds: int = Field(8 * 3600, ge=60)
    # passwords and second factor
    argon2_time_cost: int = Field(2, ge=1)
    argon2_memory_cost_kib: int = Field(19456, ge=OWASP_MIN_MEMORY_KIB)
    argon2_parallelism: int = Field(1, ge=1)
    totp_required_roles: tuple[Role, ...] = (Role.WATCHLIST_APPROVER, Role.AUDITOR, Role.ADMIN)
    totp_issuer: str = "alertd"
    # watchlists
    watchlist_max_expiry_days: int = Field(365, ge=1, le=3650)
    expiry_sweep_interval_seconds: float = Field(30.0, gt=0)
    # screening and alerts
    policy_file: Path = Path("config/policy.toml")
    escalate_after_seconds_high: int = Field(120, ge=1)
    escalate_after_seconds_medium: int = Field(600, ge=1)
    escalate_after_seconds_low: int = Field(1800, ge=1)
    escalation_sweep_interval_seconds: float = Field(5.0, gt=0)
    retro_screen_days: int = Field(30, ge=0)
    crossing_retention_days: int = Field(90, ge=1)
    retention_sweep_interval_seconds: float = Field(3600.0, gt=0)
    idempotency_key_ttl_hours: int = Field(24, ge=1)
    # real-time channels
    ws_ping_interval_seconds: float = Field(20.0, gt=0)
    ws_send_queue_size: int = Field(256, ge=1)
    ws_resume_wait_seconds: float = Field(1.0, ge=0)
    broker: Literal["auto", "inprocess", "postgresql"] = "auto"
    # sign-in throttling
    login_window_seconds: int = Field(900, ge=1)
    login_max_failures_per_account: int = Field(5, ge=1)
    login_max_failures_per_address: int = Field(20, ge=1)
    login_lockout_seconds: int = Field(300, ge=1)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: SecretStr) -> SecretStr:
        # The value is a secret: the messages never repeat it.
        try:
            url = make_url(value.get_secret_value())
        except ArgumentError:
            raise PydanticCustomError(
                "database_url", "not a database URL (e.g. {example})", {"example": SQLITE_EXAMPLE}
            ) from None
        driver = f"{url.get_backend_name()}+{url.get_driver_name()}"
        if driver not in SUPPORTED_DATABASE_DRIVERS:
            raise PydanticCustomError(
                "database_url",
                "{driver} is not supported; use sqlite+aiosqlite:/// or postgresql+asyncpg://",
                {"driver": driver},
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("totp_required_roles", mode="before")
    @classmethod
    def _split_roles(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @model_validator(mode="after")
    def _owasp_minimum(self) -> Settings:
        if self.argon2_memory_cost_kib * self.argon2_time_cost < OWASP_MIN_MEMORY_TIME_PRODUCT:
            raise PydanticCustomError(
                "owasp_minimum",
                "argon2_memory_cost_kib * argon2_time_cost is below OWASP's minimum ({minimum})",
                {"minimum": OWASP_MIN_MEMORY_TIME_PRODUCT},
            )
        return self

    @property
    def database_url_value(self) -> str:
        return self.database_url.get_secret_value()


def setting_names() -> list[str]:
    return list(Settings.model_fields)


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Build the settings: defaults < TOML file < environment. Raises ConfigError."""
    env = os.environ if environ is None else environ
    path = config_file or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    values: dict[str, Any] = _read_toml(path) if path else {}
    for name in Settings.model_fields:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = raw
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _describe(exc: ValidationError, path: Path | None) -> str:
    """One line per problem, naming the setting and where it can be set.

    Only pydantic's message is used, never the input: a rejected value may be a secret.
    """
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        message = "unknown setting" if error["type"] == "extra_forbidden" else error["msg"]
        if not error["loc"]:  # a rule across settings: its message names them
            lines.append(f"settings: {message}")
            continue
        key = str(error["loc"][0])
        source = f"{ENV_PREFIX}{key.upper()} or '{key}' in {path or 'the config file'}"
        lines.append(f"setting '{key}' ({source}): {message}")
    return "; ".join(lines)
