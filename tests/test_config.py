"""Settings: documented, validated with messages that name the key, secrets hidden."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from alertd.config import (
    OWASP_MIN_MEMORY_KIB,
    ConfigError,
    Settings,
    load_settings,
    setting_names,
)
from alertd.roles import Role

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "alertd.example.toml"
KEY_LINE = re.compile(r"^([a-z_][a-z0-9_]*)\s*=")
SECRET_URL = "postgresql+asyncpg://alertd:hunter2-secret@db.internal:5432/alertd"


def documented_keys() -> dict[str, int]:
    """Each key of the example file, with the line number it is set on."""
    lines = EXAMPLE.read_text().splitlines()
    return {m.group(1): n for n, line in enumerate(lines) if (m := KEY_LINE.match(line))}


def test_every_setting_is_documented_in_the_example_file() -> None:
    undocumented = sorted(set(setting_names()) - set(documented_keys()))
    assert undocumented == [], f"add these settings to {EXAMPLE.name}: {undocumented}"


def test_the_example_file_names_only_real_settings() -> None:
    unknown = sorted(set(documented_keys()) - set(setting_names()))
    assert unknown == [], f"{EXAMPLE.name} documents settings that do not exist: {unknown}"


def test_every_documented_setting_has_a_comment_above_it() -> None:
    lines = EXAMPLE.read_text().splitlines()
    bare = []
    for key, number in documented_keys().items():
        above = lines[number - 1].strip() if number else ""
        if not above.startswith("#"):
            bare.append(key)
    assert bare == [], f"settings without a comment directly above them: {bare}"


def test_the_example_file_shows_the_defaults() -> None:
    """Loading the example changes nothing: its values are the real defaults."""
    assert load_settings({}, config_file=EXAMPLE) == load_settings({})
    assert load_settings({}) == Settings()


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    config = tmp_path / "alertd.toml"
    config.write_text('port = 9000\nhost = "10.1.2.3"\n')
    settings = load_settings({"ALERTD_CONFIG": str(config), "ALERTD_PORT": "9100"})
    assert (settings.host, settings.port) == ("10.1.2.3", 9100)


def test_the_environment_overrides_every_kind_of_setting() -> None:
    settings = load_settings(
        {
            "ALERTD_DATABASE_URL": SECRET_URL,
            "ALERTD_DATA_DIR": "/srv/alertd",
            "ALERTD_PORT": "9090",
            "ALERTD_SHUTDOWN_TIMEOUT_SECONDS": "2.5",
            "ALERTD_TOTP_REQUIRED_ROLES": "admin, auditor",
        }
    )
    assert settings.database_url_value == SECRET_URL
    assert settings.data_dir == Path("/srv/alertd")
    assert settings.port == 9090
    assert settings.shutdown_timeout_seconds == 2.5
    assert settings.totp_required_roles == (Role.ADMIN, Role.AUDITOR)


def test_settings_are_frozen() -> None:
    settings = load_settings({})
    with pytest.raises(ValueError, match="frozen"):
        settings.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"ALERTD_PORT": "abc"}, "port"),
        ({"ALERTD_PORT": "70000"}, "port"),
        ({"ALERTD_PORT": "0"}, "port"),
        ({"ALERTD_ACCESS_TOKEN_TTL_SECONDS": "3600"}, "access_token_ttl_seconds"),
        ({"ALERTD_ARGON2_MEMORY_COST_KIB": "1024"}, "argon2_memory_cost_kib"),
        ({"ALERTD_TOTP_REQUIRED_ROLES": "admin,pope"}, "totp_required_roles"),
        ({"ALERTD_MAX_BODY_BYTES": "-1"}, "max_body_bytes"),
        ({"ALERTD_LOGIN_LOCKOUT_SECONDS": "soon"}, "login_lockout_seconds"),
    ],
)
def test_invalid_environment_values_name_the_key(environ: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    message = str(caught.value)
    assert f"'{key}'" in message
    assert f"ALERTD_{key.upper()}" in message


def test_argon2_below_owasp_names_both_keys() -> None:
    """Each value alone may be allowed while the pair is too weak (8 MiB x 1 pass)."""
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {
                "ALERTD_ARGON2_MEMORY_COST_KIB": str(OWASP_MIN_MEMORY_KIB + 1024),
                "ALERTD_ARGON2_TIME_COST": "1",
            }
        )
    message = str(caught.value)
    assert "argon2_memory_cost_kib" in message
    assert "argon2_time_cost" in message
    assert "OWASP" in message
    assert "'settings'" not in message, "there is no setting called 'settings'"


def test_an_unknown_toml_key_is_named(tmp_path: Path) -> None:
    config = tmp_path / "alertd.toml"
    config.write_text('host = "127.0.0.1"\nprot = 8080\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, config_file=config)
    message = str(caught.value)
    assert "'prot'" in message
    assert "unknown setting" in message
    assert str(config) in message


def test_a_toml_table_is_an_unknown_key(tmp_path: Path) -> None:
    config = tmp_path / "alertd.toml"
    config.write_text("[server]\nport = 8080\n")
    with pytest.raises(ConfigError, match="'server'"):
        load_settings({}, config_file=config)


def test_a_wrong_toml_type_is_named(tmp_path: Path) -> None:
    config = tmp_path / "alertd.toml"
    config.write_text('port = "eighty"\n')
    with pytest.raises(ConfigError, match="'port'"):
        load_settings({}, config_file=config)


def test_broken_or_missing_config_files_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("port = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings({}, config_file=broken)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings({"ALERTD_CONFIG": str(tmp_path / "missing.toml")})


def test_the_database_url_is_hidden_in_reprs() -> None:
    settings = load_settings({"ALERTD_DATABASE_URL": SECRET_URL})
    for shown in (repr(settings), str(settings), f"{settings}", repr(settings.database_url)):
        assert "hunter2" not in shown
        assert "db.internal" not in shown
    assert "hunter2" not in settings.model_dump_json()


@pytest.mark.parametrize(
    "url",
    [
        "not a url with hunter2",
        "mysql+aiomysql://alertd:hunter2@db.internal/alertd",
        "postgresql://alertd:hunter2@db.internal/alertd",
        "",
    ],
)
def test_an_unsupported_database_url_is_named_but_not_echoed(url: str) -> None:
    """The URL may hold a password: the message names the key, never the value."""
    with pytest.raises(ConfigError) as caught:
        load_settings({"ALERTD_DATABASE_URL": url})
    message = str(caught.value)
    assert "'database_url'" in message
    assert "hunter2" not in message
    assert "db.internal" not in message


def test_the_log_level_is_checked_and_case_insensitive() -> None:
    assert load_settings({"ALERTD_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    with pytest.raises(ConfigError, match="'log_level'"):
        load_settings({"ALERTD_LOG_LEVEL": "chatty"})


def test_several_problems_are_all_named() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"ALERTD_PORT": "x", "ALERTD_LOG_LEVEL": "chatty"})
    assert "'port'" in str(caught.value)
    assert "'log_level'" in str(caught.value)


def test_the_example_is_valid_toml_with_flat_keys() -> None:
    with EXAMPLE.open("rb") as handle:
        document = tomllib.load(handle)
    nested = [key for key, value in document.items() if isinstance(value, dict)]
    assert nested == []
