"""Settings from environment variables and an optional ``.env`` file.

A wrong or missing setting is reported once, naming the variable, instead of as a traceback
from deep inside a driver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.executor import Executor

STORES = ("embedded", "neo4j")
NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
FSYNC_MODES = ("always", "everysec")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and what it wants."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about one dealgraph process."""

    store: str = "embedded"
    data_dir: Path = Path("data")
    fsync: str = "always"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    mode: str = "development"
    auth_required: bool = True
    jwt_key: str | None = None
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    max_body_bytes: int = 100_000
    process_file: Path | None = None
    strategy_config: Path | None = None
    cors_origins: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 8000
    webhooks_dispatch: bool = True
    """Run the webhook dispatcher in the server process (DEALGRAPH_WEBHOOKS_DISPATCH)."""
    webhooks_allow_private: bool = False
    """Allow webhook targets on loopback and private addresses (development and tests only)."""

    @property
    def production(self) -> bool:
        """Production mode turns off GraphiQL, introspection and field suggestions."""
        return self.mode == "production"


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a ``.env`` file: KEY=VALUE lines, # comments, optional quotes."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _limit(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Read settings; process environment wins over ``.env``."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)
    store = _choice(env, "DEALGRAPH_STORE", STORES, "embedded")
    uri = env.get("DEALGRAPH_NEO4J_URI") or None
    password = env.get("DEALGRAPH_NEO4J_PASSWORD") or None
    if store == "neo4j":
        if uri is None:
            raise SettingsError(
                "DEALGRAPH_NEO4J_URI is required when DEALGRAPH_STORE=neo4j "
                "(for example neo4j+s://xxxx.databases.neo4j.io)"
            )
        if not uri.startswith(NEO4J_SCHEMES):
            raise SettingsError(
                "DEALGRAPH_NEO4J_URI must start with one of "
                f"{', '.join(NEO4J_SCHEMES)}, got {uri!r}"
            )
        if password is None:
            raise SettingsError("DEALGRAPH_NEO4J_PASSWORD is required when DEALGRAPH_STORE=neo4j")
    data_dir = Path(env.get("DEALGRAPH_DATA_DIR") or "data").expanduser()
    mode = _choice(env, "DEALGRAPH_MODE", ("development", "production"), "development")
    auth_required = _flag(env, "DEALGRAPH_AUTH_REQUIRED", True)
    if mode == "production" and not auth_required:
        raise SettingsError("DEALGRAPH_AUTH_REQUIRED cannot be false in production mode")
    allow_private = _flag(env, "DEALGRAPH_WEBHOOKS_ALLOW_PRIVATE", False)
    if mode == "production" and allow_private:
        raise SettingsError("DEALGRAPH_WEBHOOKS_ALLOW_PRIVATE cannot be true in production mode")
    if env.get("DEALGRAPH_JWT_KEY") and env.get("DEALGRAPH_JWT_JWKS_URL"):
        raise SettingsError("set DEALGRAPH_JWT_KEY or DEALGRAPH_JWT_JWKS_URL, not both")
    return Settings(
        store=store,
        data_dir=data_dir,
        fsync=_choice(env, "DEALGRAPH_FSYNC", FSYNC_MODES, "always"),
        neo4j_uri=uri,
        neo4j_user=env.get("DEALGRAPH_NEO4J_USER") or "neo4j",
        neo4j_password=password,
        neo4j_database=env.get("DEALGRAPH_NEO4J_DATABASE") or "neo4j",
        mode=mode,
        auth_required=auth_required,
        jwt_key=env.get("DEALGRAPH_JWT_KEY") or None,
        jwt_jwks_url=env.get("DEALGRAPH_JWT_JWKS_URL") or None,
        jwt_audience=env.get("DEALGRAPH_JWT_AUDIENCE") or None,
        jwt_issuer=env.get("DEALGRAPH_JWT_ISSUER") or None,
        max_depth=_limit(env, "DEALGRAPH_MAX_DEPTH", 10),
        max_aliases=_limit(env, "DEALGRAPH_MAX_ALIASES", 15),
        max_tokens=_limit(env, "DEALGRAPH_MAX_TOKENS", 2000),
        max_cost=_limit(env, "DEALGRAPH_MAX_COST", 5000),
        max_body_bytes=_limit(env, "DEALGRAPH_MAX_BODY_BYTES", 100_000),
        process_file=_path(env, "DEALGRAPH_PROCESS_FILE"),
        strategy_config=_path(env, "DEALGRAPH_STRATEGY_CONFIG"),
        cors_origins=_origins(env, "DEALGRAPH_CORS_ORIGINS"),
        host=env.get("DEALGRAPH_HOST") or "127.0.0.1",
        port=_port(env, "DEALGRAPH_PORT", 8000),
        webhooks_dispatch=_flag(env, "DEALGRAPH_WEBHOOKS_DISPATCH", True),
        webhooks_allow_private=allow_private,
    )


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Browser origins allowed to call the API: ``scheme://host[:port]``, comma-separated."""
    origins: list[str] = []
    for raw in (env.get(name) or "").split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        scheme, sep, rest = origin.partition("://")
        well_formed = scheme in ("http", "https") and bool(sep) and bool(rest) and "/" not in rest
        if origin != "*" and not well_formed:
            raise SettingsError(
                f"{name} must list origins like https://app.example.com, comma-separated "
                f"(or *), got {raw.strip()!r}"
            )
        origins.append(origin)
    return tuple(origins)


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name} must be a port number between 1 and 65535, got {raw!r}")
    return int(raw)


def _path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name)
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise SettingsError(f"{name} must name an existing file, got {raw!r}")
    return path


def open_executor(settings: Settings) -> Executor:
    """Open the configured back end."""
    if settings.store == "neo4j":
        from graph.backends.neo4j import Neo4jExecutor

        assert settings.neo4j_uri is not None
        assert settings.neo4j_password is not None
        return Neo4jExecutor(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
        )
    from graph.backends.embedded import EmbeddedExecutor

    return EmbeddedExecutor(settings.data_dir, fsync=settings.fsync)
