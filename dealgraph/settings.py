"""Settings from environment variables and an optional ``.env`` file.

A wrong or missing setting is reported once, naming the variable, instead of as a traceback
from deep inside a driver; the typed reading and its wording are ``domain.config_reader``'s,
shared with the TOML files of the strategy engine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from domain.config_reader import ConfigValueError, Environment, choice, existing_file, switch, whole
from graph.executor import Executor, StoreError
from webhooks.sealing import check_key, new_key

STORES = ("embedded", "neo4j")
NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
FSYNC_MODES = ("always", "everysec")
MODES = ("development", "production")
LIMIT = whole("a positive whole number")
COUNT = whole("a whole number (0 or more)", low=0)
PORT = whole("a port number between 1 and 65535", high=65535)
WAIT = whole("a whole number of seconds between 1 and 300", high=300)


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
    neo4j_wait_seconds: int = 5
    """How long a statement waits for a Neo4j connection (new or pooled), and retries a
    transaction that failed on a passing fault, before the store counts as unavailable
    (DEALGRAPH_NEO4J_WAIT_SECONDS)."""
    request_timeout_seconds: int = 30
    """How long a request may wait on the store before it is answered that the store did not
    answer (DEALGRAPH_REQUEST_TIMEOUT_SECONDS): bounds a database that hangs, which the driver's
    own waits do not."""
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
    warm_deals: int = 1000
    """How many open deals' chains each worker loads and analyses in the background after it
    starts, most recently changed first (DEALGRAPH_WARM_DEALS; 0: none)."""
    secret_keys: tuple[str, ...] = ()
    """Keys sealing webhook signing secrets at rest (DEALGRAPH_SECRET_KEY): the first seals,
    every one opens; none configured means ``server_secret_keys`` decides."""

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


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Read settings; process environment wins over ``.env``."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)
    read = Environment(env, SettingsError)
    store = read("DEALGRAPH_STORE", choice(STORES), "embedded")
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
        try:
            _ = urlsplit(uri).port  # a port that is no number fails here, not at the first read
        except ValueError:
            raise SettingsError(
                f"DEALGRAPH_NEO4J_URI has a port that is not a number between 0 and 65535: {uri!r}"
            ) from None
    mode = read("DEALGRAPH_MODE", choice(MODES), "development")
    auth_required = read("DEALGRAPH_AUTH_REQUIRED", switch, True)
    if mode == "production" and not auth_required:
        raise SettingsError("DEALGRAPH_AUTH_REQUIRED cannot be false in production mode")
    allow_private = read("DEALGRAPH_WEBHOOKS_ALLOW_PRIVATE", switch, False)
    if mode == "production" and allow_private:
        raise SettingsError("DEALGRAPH_WEBHOOKS_ALLOW_PRIVATE cannot be true in production mode")
    if env.get("DEALGRAPH_JWT_KEY") and env.get("DEALGRAPH_JWT_JWKS_URL"):
        raise SettingsError("set DEALGRAPH_JWT_KEY or DEALGRAPH_JWT_JWKS_URL, not both")
    return Settings(
        store=store,
        data_dir=Path(read.text("DEALGRAPH_DATA_DIR", "data")).expanduser(),
        fsync=read("DEALGRAPH_FSYNC", choice(FSYNC_MODES), "always"),
        neo4j_uri=uri,
        neo4j_user=read.text("DEALGRAPH_NEO4J_USER", "neo4j"),
        neo4j_password=password,
        neo4j_database=read.text("DEALGRAPH_NEO4J_DATABASE", "neo4j"),
        neo4j_wait_seconds=read("DEALGRAPH_NEO4J_WAIT_SECONDS", WAIT, 5),
        request_timeout_seconds=read("DEALGRAPH_REQUEST_TIMEOUT_SECONDS", WAIT, 30),
        mode=mode,
        auth_required=auth_required,
        jwt_key=env.get("DEALGRAPH_JWT_KEY") or None,
        jwt_jwks_url=env.get("DEALGRAPH_JWT_JWKS_URL") or None,
        jwt_audience=env.get("DEALGRAPH_JWT_AUDIENCE") or None,
        jwt_issuer=env.get("DEALGRAPH_JWT_ISSUER") or None,
        max_depth=read("DEALGRAPH_MAX_DEPTH", LIMIT, 10),
        max_aliases=read("DEALGRAPH_MAX_ALIASES", LIMIT, 15),
        max_tokens=read("DEALGRAPH_MAX_TOKENS", LIMIT, 2000),
        max_cost=read("DEALGRAPH_MAX_COST", LIMIT, 5000),
        max_body_bytes=read("DEALGRAPH_MAX_BODY_BYTES", LIMIT, 100_000),
        process_file=read("DEALGRAPH_PROCESS_FILE", existing_file, None),
        strategy_config=read("DEALGRAPH_STRATEGY_CONFIG", existing_file, None),
        cors_origins=read("DEALGRAPH_CORS_ORIGINS", _origins, ()),
        host=read.text("DEALGRAPH_HOST", "127.0.0.1"),
        port=read("DEALGRAPH_PORT", PORT, 8000),
        webhooks_dispatch=read("DEALGRAPH_WEBHOOKS_DISPATCH", switch, True),
        webhooks_allow_private=allow_private,
        warm_deals=read("DEALGRAPH_WARM_DEALS", COUNT, 1000),
        secret_keys=read("DEALGRAPH_SECRET_KEY", _secret_keys, ()),
    )


ORIGIN_SCHEMES = ("http", "https", "capacitor", "ionic")
"""Web pages, and the web views of mobile app shells, which serve their pages from an origin
of their own (Capacitor's ``capacitor://localhost`` on iOS, Ionic's ``ionic://localhost``)."""


def _origins(raw: object) -> tuple[str, ...]:
    """Browser origins allowed to call the API: ``scheme://host[:port]``, comma-separated."""
    origins: list[str] = []
    for item in str(raw).split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        scheme, sep, rest = origin.partition("://")
        well_formed = scheme in ORIGIN_SCHEMES and bool(sep) and bool(rest) and "/" not in rest
        if origin != "*" and not well_formed:
            raise ConfigValueError(
                "origins like https://app.example.com or capacitor://localhost, "
                "comma-separated (or *)",
                item.strip(),
                verb="list",
            )
        origins.append(origin)
    return tuple(origins)


def _secret_keys(raw: object) -> tuple[str, ...]:
    """Secret keys, comma-separated, each as ``dealgraph secret-key`` prints one (never
    echoed back in an error: it is a secret)."""
    keys = tuple(k.strip() for k in str(raw).split(",") if k.strip())
    for key in keys:
        try:
            check_key(key)
        except ValueError:
            raise ConfigValueError(
                "a comma-separated list of keys, each 32 url-safe base64 bytes "
                "(`dealgraph secret-key` makes one)",
                verb="be",
            ) from None
    return keys


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """The secret keys in use and where they come from: ``configured``, ``development`` (made
    and kept in the data directory) or ``missing`` (production without a key)."""

    keys: tuple[str, ...]
    source: str


DEV_SECRET_KEY_FILE = "secret-key"


def server_secret_keys(settings: Settings) -> ServerKeys:
    """The configured keys; in development mode without them, one made once and kept in the
    data directory (every process on that directory shares it); in production, none."""
    if settings.secret_keys:
        return ServerKeys(settings.secret_keys, "configured")
    if settings.production:
        return ServerKeys((), "missing")
    try:
        key = _development_key(settings.data_dir / DEV_SECRET_KEY_FILE)
    except OSError as error:  # a file of that name, a folder this user may not write
        raise SettingsError(
            f"DEALGRAPH_DATA_DIR: the development secret key cannot be kept in "
            f"{settings.data_dir} ({error.strerror}); set DEALGRAPH_DATA_DIR to a folder this "
            "user may write, or DEALGRAPH_SECRET_KEY (`dealgraph secret-key` makes one)"
        ) from error
    return ServerKeys((key,), "development")


def _development_key(path: Path) -> str:
    """The key in ``path``, written first (readable by its owner only) if there is none; two
    processes starting at once agree on the one that was written first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _written_key(path)
    key = new_key()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key


def _written_key(path: Path) -> str:
    """The key another process wrote to ``path`` (waiting a moment for its one line)."""
    for _ in range(50):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.02)
    raise SettingsError(f"{path} holds no secret key: delete it to have a new one made")


def open_executor(settings: Settings) -> Executor:
    """Open the configured back end."""
    # Imported here: only the back end in use is loaded, each with its own driver.
    if settings.store == "neo4j":
        from graph.backends.neo4j import Neo4jExecutor

        assert settings.neo4j_uri is not None
        return Neo4jExecutor(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            wait_seconds=settings.neo4j_wait_seconds,
            login_refused=lambda said: login_problem(settings, said),
        )
    from graph.backends.embedded import EmbeddedExecutor

    return EmbeddedExecutor(settings.data_dir, fsync=settings.fsync)


def store_problem(settings: Settings, error: Exception) -> str:
    """A store that cannot be used, in one line naming the settings to check: an operator
    reads which setting is wrong, not the driver's trace."""
    said = " ".join(str(error).split()) or type(error).__name__
    if settings.store != "neo4j":
        if said.startswith("its folder"):
            said += "; set DEALGRAPH_DATA_DIR to a folder this user may write"
        return f"the embedded store in {settings.data_dir} cannot be used: {said}"
    where = f"Neo4j at {settings.neo4j_uri}"
    if "DatabaseNotFound" in said or "Graph not found" in said:
        return f"{where} has no database {settings.neo4j_database!r} (DEALGRAPH_NEO4J_DATABASE)"
    login = login_problem(settings, said)
    if login is not None:
        return f"{where} {login}"
    if "SSL" in said or "encrypted connection" in said:
        return (
            f"cannot reach {where} over TLS (DEALGRAPH_NEO4J_URI): {said} (a server without TLS "
            "takes neo4j:// or bolt://; one with a self-signed certificate, neo4j+ssc://)"
        )
    if "connect" in said.lower() or "resolve" in said.lower() or "unavailable" in said.lower():
        return f"cannot reach {where} (DEALGRAPH_NEO4J_URI): {said}"
    return f"{where} cannot be used: {said}"


def login_problem(settings: Settings, said: str) -> str | None:
    """What is wrong with the login Neo4j refused, and which setting fixes it; None when the
    error is not about the login. Neo4j answers an unknown user and a wrong password alike,
    and after a few wrong tries in a row refuses even the right one for a while."""
    user = f"user {settings.neo4j_user!r} (DEALGRAPH_NEO4J_USER)"
    if "Security.CredentialsExpired" in said:
        return (
            f"requires a new password for {user} before it may be used: change it in Neo4j "
            "(ALTER CURRENT USER SET PASSWORD FROM … TO … on the system database) and set "
            "the new one in DEALGRAPH_NEO4J_PASSWORD"
        )
    if "Security.AuthenticationRateLimit" in said:
        return (
            f"refused {user} for a while after wrong passwords in a row: check "
            "DEALGRAPH_NEO4J_USER and DEALGRAPH_NEO4J_PASSWORD, then start again"
        )
    if "Unauthorized" not in said and "authentication" not in said.lower():
        return None
    if settings.neo4j_password is None:
        return f"requires a login: set DEALGRAPH_NEO4J_PASSWORD, the password of {user}"
    return (
        f"refused the login of {user}: no such user, or DEALGRAPH_NEO4J_PASSWORD is not its "
        "password"
    )


def check_embedded_server(settings: Settings) -> None:
    """``StoreError`` at once, naming the process, when the embedded store's server that
    already runs on the data folder (another process's) answers nothing; waits while it loads
    its files; starts nothing."""
    # Imported here, as in open_executor: the embedded back end is loaded only when in use.
    from graph.backends.embedded import await_server
    from graph.backends.embedded_server import lock_file

    try:  # the folder the workers will make: a file of that name is said now, not by each
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"its folder cannot be made ({error.strerror})") from error
    lock_file(settings.data_dir).close()  # a folder this user may not write, likewise
    await_server(settings.data_dir)
