"""A Neo4j that refuses dealgraph's login, as an operator meets it on the first `dealgraph serve`
against a real server with authentication on: one line naming the store's address, the user
and the setting to fix, at once and without a trace; a worker started on its own (uvicorn on
``dealgraph.asgi``) says the same line. Neo4j answers an unknown user and a wrong password
alike, so the line names both possibilities.

Each test tries its logins on a user of its own: wrong passwords in a row make Neo4j refuse the
user they were tried on for a while, which must never be the session's."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import neo4j
import pytest
from api_helpers import SECRET_KEYS, serve
from neo4j.exceptions import ClientError
from people import add_person
from servers import ROOT, free_port, neo4j_login
from tcp_relay import Relay
from uvicorn.config import STARTUP_FAILURE

from dealgraph.settings import Settings, open_executor
from graph.store import GraphStore

pytestmark = pytest.mark.neo4j


@contextlib.contextmanager
def _admin(uri: str) -> Iterator[neo4j.Driver]:
    """A driver logged in as the session's user, who may manage users."""
    user, password, _ = neo4j_login()
    with neo4j.GraphDatabase.driver(uri, auth=(user, password or "")) as driver:
        yield driver


@contextlib.contextmanager
def _user(uri: str, *, change_required: bool = False) -> Iterator[tuple[str, str]]:
    """A new user on the session's Neo4j, its name and password; dropped after."""
    name, password = f"dealgraph_{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    change = "REQUIRED" if change_required else "NOT REQUIRED"
    with _admin(uri) as admin:
        admin.execute_query(
            f"CREATE USER $name SET PASSWORD $password CHANGE {change}",
            name=name,
            password=password,
            database_="system",
        )
        try:
            yield name, password
        finally:
            admin.execute_query("DROP USER $name", name=name, database_="system")


def _env(uri: str, user: str, password: str | None) -> dict[str, str]:
    """An operator's settings for a Neo4j store with this login (no password: none set)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_STORE": "neo4j",
        "DEALGRAPH_NEO4J_URI": uri,
        "DEALGRAPH_NEO4J_USER": user,
        "DEALGRAPH_SECRET_KEY": ",".join(SECRET_KEYS),
        "DEALGRAPH_AUTH_REQUIRED": "true",
        "DEALGRAPH_WARM_DEALS": "0",
    }
    env.pop("DEALGRAPH_NEO4J_PASSWORD", None)
    if password is not None:
        env["DEALGRAPH_NEO4J_PASSWORD"] = password
    return env


def _serve(uri: str, user: str, password: str | None) -> str:
    """What `dealgraph serve` printed, having refused to start with exit code 2."""
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(free_port())]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=_env(uri, user, password),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert password is None or password not in done.stderr
    return done.stderr


def _refused(uri: str, user: str) -> str:
    """The line for a user Neo4j does not know, or a password that is not the user's."""
    return (
        f"Neo4j at {uri} refused the login of user {user!r} (DEALGRAPH_NEO4J_USER): "
        "no such user, or DEALGRAPH_NEO4J_PASSWORD is not its password"
    )


def test_a_wrong_password_is_one_line_naming_the_user_and_the_settings(neo4j_uri: str) -> None:
    with _user(neo4j_uri) as (name, password):
        assert (
            _serve(neo4j_uri, name, password[::-1]) == f"dealgraph: {_refused(neo4j_uri, name)}\n"
        )


def test_an_unknown_user_is_the_same_line(neo4j_uri: str) -> None:
    _, password, _ = neo4j_login()
    nobody = f"nobody_{secrets.token_hex(4)}"
    assert _serve(neo4j_uri, nobody, password) == f"dealgraph: {_refused(neo4j_uri, nobody)}\n"


def test_no_password_set_asks_for_one(neo4j_uri: str) -> None:
    with _user(neo4j_uri) as (name, _):
        assert _serve(neo4j_uri, name, None) == (
            f"dealgraph: Neo4j at {neo4j_uri} requires a login: set DEALGRAPH_NEO4J_PASSWORD, "
            f"the password of user {name!r} (DEALGRAPH_NEO4J_USER)\n"
        )


def test_a_password_neo4j_wants_changed_says_how(neo4j_uri: str) -> None:
    """A new Neo4j's ``neo4j``/``neo4j``, or a user an administrator made with a first
    password: Neo4j accepts the login but no statement until the password is changed."""
    with _user(neo4j_uri, change_required=True) as (name, password):
        assert _serve(neo4j_uri, name, password) == (
            f"dealgraph: Neo4j at {neo4j_uri} requires a new password for user {name!r} "
            "(DEALGRAPH_NEO4J_USER) before it may be used: change it in Neo4j (ALTER CURRENT "
            "USER SET PASSWORD FROM … TO … on the system database) and set the new one in "
            "DEALGRAPH_NEO4J_PASSWORD\n"
        )


def test_a_user_locked_after_wrong_passwords_is_said_as_such(neo4j_uri: str) -> None:
    """Even the right password is refused for a while (5 s by default) once wrong ones came
    in a row: the line says so, or the operator would doubt the password they just fixed."""
    with _user(neo4j_uri) as (name, password):
        for _ in range(10):
            with neo4j.GraphDatabase.driver(neo4j_uri, auth=(name, "not-the-password")) as wrong:
                try:
                    wrong.verify_connectivity()
                except ClientError as error:
                    if error.code == "Neo.ClientError.Security.AuthenticationRateLimit":
                        break
        else:
            pytest.fail("Neo4j never refused the user for wrong passwords in a row")
        assert _serve(neo4j_uri, name, password) == (
            f"dealgraph: Neo4j at {neo4j_uri} refused user {name!r} (DEALGRAPH_NEO4J_USER) for "
            "a while after wrong passwords in a row: check DEALGRAPH_NEO4J_USER and "
            "DEALGRAPH_NEO4J_PASSWORD, then start again\n"
        )


def test_a_worker_started_on_its_own_says_the_same_line(neo4j_uri: str) -> None:
    """uvicorn on ``dealgraph.asgi``, as a process manager may run it without `dealgraph
    serve`'s check first: the line, and uvicorn's start-failure code, no trace."""
    with _user(neo4j_uri) as (name, password):
        command = [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app"]
        done = subprocess.run(
            [*command, "--port", str(free_port())],
            cwd=ROOT,
            env=_env(neo4j_uri, name, password[::-1]),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == STARTUP_FAILURE, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "cannot start" in line]
    assert line.endswith(f"cannot start: {_refused(neo4j_uri, name)}"), line


def _set_password(uri: str, user: str, password: str) -> None:
    with _admin(uri) as admin:
        admin.execute_query(
            "ALTER USER $name SET PASSWORD $password CHANGE NOT REQUIRED",
            name=user,
            password=password,
            database_="system",
        )


LIST = "{ customers(first: 1) { nodes { id } } }"


def test_a_password_changed_under_a_running_server_is_an_outage_said_once_and_then_over(
    neo4j_uri: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Someone changes the password in Neo4j and not in dealgraph's settings: connections
    already open go on working, each new one is refused. People are told the store is
    unavailable, not an internal error; the log says per request that the login was refused and
    which setting to fix, its trace once; and once the password matches again, that the store
    is back. (The relay drops the open connections, as a restart or an idle timeout would.)"""
    parts = urlsplit(neo4j_uri)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 7687))
    with _user(neo4j_uri) as (user, password):
        uri = f"bolt://127.0.0.1:{relay.port}"
        settings = Settings(store="neo4j", neo4j_uri=uri, neo4j_user=user, neo4j_password=password)
        executor = open_executor(settings)
        try:
            executor.ensure_schema()
            store = GraphStore(executor)
            with serve(store) as admin:
                li = admin.as_(add_person(store, "li", "account_manager"))
                assert li.data(LIST)["customers"]["nodes"] is not None
                _set_password(neo4j_uri, user, secrets.token_urlsafe(12))
                relay.cut()
                relay.mend()
                caplog.clear()
                with caplog.at_level(logging.INFO, logger="dealgraph"):
                    for request_id in ("rotated-1", "rotated-2"):
                        answer = li.post(LIST, headers={"X-Request-Id": request_id})
                        (error,) = answer.json()["errors"]
                        assert error["extensions"]["code"] == "UNAVAILABLE", error
                    ours = [r for r in caplog.records if r.name.startswith("dealgraph")]
                    assert [r.levelno for r in ours] == [logging.WARNING] * 2, caplog.text
                    for record, request_id in zip(ours, ("rotated-1", "rotated-2"), strict=True):
                        line = record.getMessage()
                        assert f"request {request_id}" in line, line
                        assert line.endswith(
                            f"refused the login of user {user!r} (DEALGRAPH_NEO4J_USER): no "
                            "such user, or DEALGRAPH_NEO4J_PASSWORD is not its password"
                        ), line
                    assert [r for r in ours if r.exc_info] == ours[:1]
                    assert password not in caplog.text

                    caplog.clear()
                    _set_password(neo4j_uri, user, password)
                    assert li.data(LIST)["customers"]["nodes"] is not None
                    (back,) = [r for r in caplog.records if r.name.startswith("dealgraph")]
                    assert re.fullmatch(
                        rf"neo4j at {re.escape(uri)}: store back after \d+\.\d s",
                        back.getMessage(),
                    ), back.getMessage()
        finally:
            executor.close()
            relay.cut()
