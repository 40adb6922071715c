from __future__ import annotations

from pathlib import Path

import pytest

from dealgraph.settings import (
    ServerKeys,
    Settings,
    SettingsError,
    load_settings,
    server_secret_keys,
)
from webhooks.sealing import new_key


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DEALGRAPH_STORE": "mysql"},
            "DEALGRAPH_STORE must be one of embedded, neo4j, got 'mysql'",
        ),
        (
            {"DEALGRAPH_MODE": "prod"},
            "DEALGRAPH_MODE must be one of development, production, got 'prod'",
        ),
        (
            {"DEALGRAPH_FSYNC": "never"},
            "DEALGRAPH_FSYNC must be one of always, everysec, got 'never'",
        ),
        (
            {"DEALGRAPH_AUTH_REQUIRED": "maybe"},
            "DEALGRAPH_AUTH_REQUIRED must be true or false, got 'maybe'",
        ),
        (
            {"DEALGRAPH_MAX_DEPTH": "0"},
            "DEALGRAPH_MAX_DEPTH must be a positive whole number, got '0'",
        ),
        (
            {"DEALGRAPH_MAX_COST": "1e3"},
            "DEALGRAPH_MAX_COST must be a positive whole number, got '1e3'",
        ),
        (
            {"DEALGRAPH_WARM_DEALS": "-1"},
            "DEALGRAPH_WARM_DEALS must be a whole number (0 or more), got '-1'",
        ),
        (
            {"DEALGRAPH_PORT": "70000"},
            "DEALGRAPH_PORT must be a port number between 1 and 65535, got '70000'",
        ),
        (
            {"DEALGRAPH_NEO4J_WAIT_SECONDS": "0"},
            "DEALGRAPH_NEO4J_WAIT_SECONDS must be a whole number of seconds between 1 and 300, "
            "got '0'",
        ),
        (
            {"DEALGRAPH_REQUEST_TIMEOUT_SECONDS": "301"},
            "DEALGRAPH_REQUEST_TIMEOUT_SECONDS must be a whole number of seconds between 1 and "
            "300, got '301'",
        ),
        (
            {"DEALGRAPH_PROCESS_FILE": "/no/such/file"},
            "DEALGRAPH_PROCESS_FILE must name an existing file, got '/no/such/file'",
        ),
        (
            {"DEALGRAPH_CORS_ORIGINS": "https://a.example, ftp://b.example"},
            "DEALGRAPH_CORS_ORIGINS must list origins like https://app.example.com or "
            "capacitor://localhost, comma-separated (or *), got 'ftp://b.example'",
        ),
        (
            {"DEALGRAPH_MODE": "production", "DEALGRAPH_AUTH_REQUIRED": "off"},
            "DEALGRAPH_AUTH_REQUIRED cannot be false in production mode",
        ),
    ],
)
def test_a_bad_setting_is_refused_once_naming_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(env, dotenv=None)
    assert str(refused.value) == message


def test_unset_and_empty_variables_take_the_defaults() -> None:
    empty = {"DEALGRAPH_PORT": "", "DEALGRAPH_MAX_DEPTH": "", "DEALGRAPH_AUTH_REQUIRED": ""}
    assert load_settings({}, dotenv=None) == Settings()
    assert load_settings(empty, dotenv=None) == Settings()


def test_values_are_read_typed(tmp_path: Path) -> None:
    process = tmp_path / "process.toml"
    process.write_text("", encoding="utf-8")
    settings = load_settings(
        {
            "DEALGRAPH_AUTH_REQUIRED": "OFF",
            "DEALGRAPH_PORT": "0080",
            "DEALGRAPH_MAX_DEPTH": "12",
            "DEALGRAPH_CORS_ORIGINS": "https://a.example/, *",
            "DEALGRAPH_PROCESS_FILE": str(process),
            "DEALGRAPH_STORE": "neo4j",
            "DEALGRAPH_NEO4J_URI": "neo4j+s://db.example",
            "DEALGRAPH_NEO4J_PASSWORD": "secret",
            "DEALGRAPH_WARM_DEALS": "0",
            "DEALGRAPH_NEO4J_WAIT_SECONDS": "12",
            "DEALGRAPH_REQUEST_TIMEOUT_SECONDS": "45",
        },
        dotenv=None,
    )
    assert settings.warm_deals == 0
    assert settings.neo4j_wait_seconds == 12
    assert load_settings({}, dotenv=None).neo4j_wait_seconds == 5
    assert settings.request_timeout_seconds == 45
    assert load_settings({}, dotenv=None).request_timeout_seconds == 30
    assert load_settings({}, dotenv=None).warm_deals == 1000
    assert settings.auth_required is False
    assert settings.port == 80
    assert settings.max_depth == 12
    assert settings.cors_origins == ("https://a.example", "*")
    assert settings.process_file == process
    assert settings.store == "neo4j"


def test_a_neo4j_without_authentication_needs_no_password() -> None:
    settings = load_settings(
        {"DEALGRAPH_STORE": "neo4j", "DEALGRAPH_NEO4J_URI": "bolt://127.0.0.1:7687"}, dotenv=None
    )
    assert settings.store == "neo4j"
    assert settings.neo4j_password is None


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DEALGRAPH_PORT=9000\nDEALGRAPH_HOST='0.0.0.0'\n", encoding="utf-8")
    settings = load_settings({"DEALGRAPH_PORT": "9001"}, dotenv=dotenv)
    assert (settings.host, settings.port) == ("0.0.0.0", 9001)


def test_secret_keys_are_a_list_and_a_bad_one_is_refused_without_showing_it(
    tmp_path: Path,
) -> None:
    first, second = new_key(), new_key()
    read = load_settings({"DEALGRAPH_SECRET_KEY": f" {first} , {second} "}, dotenv=None)
    assert read.secret_keys == (first, second)
    assert server_secret_keys(read) == ServerKeys((first, second), "configured")
    with pytest.raises(SettingsError, match=r"^DEALGRAPH_SECRET_KEY must be") as refused:
        load_settings({"DEALGRAPH_SECRET_KEY": f"{first},not-a-key-at-all"}, dotenv=None)
    assert "not-a-key-at-all" not in str(refused.value)
    assert first not in str(refused.value)


def test_without_a_key_development_keeps_one_in_the_data_directory_and_production_has_none(
    tmp_path: Path,
) -> None:
    made = server_secret_keys(Settings(data_dir=tmp_path / "data"))
    assert made.source == "development"
    assert (tmp_path / "data" / "secret-key").read_text().strip() == made.keys[0]
    assert server_secret_keys(Settings(data_dir=tmp_path / "data")) == made  # kept
    production = Settings(data_dir=tmp_path / "data", mode="production")
    assert server_secret_keys(production) == ServerKeys((), "missing")
