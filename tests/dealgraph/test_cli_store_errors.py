"""A store the command cannot use is said in one line naming the setting to check, at once:
an operator who mistyped the Neo4j address reads which setting is wrong, not a driver's
trace after half a minute of retries (`dealgraph summary`, `export`, `serve` alike)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from api_helpers import SECRET_KEYS
from servers import neo4j_login
from uvicorn.config import STARTUP_FAILURE

from dealgraph.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def on_neo4j(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for a Neo4j store, no .env file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "neo4j")
    monkeypatch.delenv("DEALGRAPH_NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("DEALGRAPH_NEO4J_DATABASE", raising=False)


def _logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The login of the session's Neo4j, as an operator sets it."""
    user, password, _ = neo4j_login()
    monkeypatch.setenv("DEALGRAPH_NEO4J_USER", user)
    monkeypatch.setenv("DEALGRAPH_NEO4J_PASSWORD", password or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("command", [["summary"], ["export", "out.jsonl"], ["serve"]])
def test_a_neo4j_nobody_answers_at_is_one_line_at_once(
    on_neo4j: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    scheme: str,
) -> None:
    """Over ``neo4j://`` (clusters, Aura) the driver says only that it found no routing
    table, and printed that bare too: the line says why (nothing listens there)."""
    uri = f"{scheme}://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("DEALGRAPH_NEO4J_URI", uri)
    started = time.monotonic()
    assert main(command) == 2
    assert time.monotonic() - started < 10  # not the driver's 30 s of retries
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1, said
    assert said[0].startswith(f"dealgraph: cannot reach Neo4j at {uri} (DEALGRAPH_NEO4J_URI): ")
    assert "Connection refused" in said[0]
    assert not Path("out.jsonl").exists()


def test_a_port_that_is_no_number_is_a_configuration_error(
    on_neo4j: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALGRAPH_NEO4J_URI", "bolt://127.0.0.1:notaport")
    assert main(["summary"]) == 2
    assert capsys.readouterr().err.strip() == (
        "dealgraph: configuration error: DEALGRAPH_NEO4J_URI has a port that is not a number "
        "between 0 and 65535: 'bolt://127.0.0.1:notaport'"
    )


@pytest.mark.neo4j
def test_a_database_the_server_does_not_have_names_its_setting(
    on_neo4j: None,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _logged_in(monkeypatch)
    monkeypatch.setenv("DEALGRAPH_NEO4J_URI", neo4j_uri)
    monkeypatch.setenv("DEALGRAPH_NEO4J_DATABASE", "nosuch")
    assert main(["summary"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"dealgraph: Neo4j at {neo4j_uri} has no database 'nosuch' (DEALGRAPH_NEO4J_DATABASE)"
    )


@pytest.mark.neo4j
@pytest.mark.parametrize("scheme", ["neo4j+s", "bolt+s"])
def test_tls_to_a_neo4j_without_it_is_one_line_naming_the_schemes_to_use(
    on_neo4j: None,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    scheme: str,
) -> None:
    _logged_in(monkeypatch)
    uri = f"{scheme}://{neo4j_uri.partition('://')[2]}"
    monkeypatch.setenv("DEALGRAPH_NEO4J_URI", uri)
    assert main(["summary"]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1, said
    assert said[0].startswith(
        f"dealgraph: cannot reach Neo4j at {uri} over TLS (DEALGRAPH_NEO4J_URI): "
    ), said
    assert "encrypted connection" in said[0]
    assert said[0].endswith(
        "(a server without TLS takes neo4j:// or bolt://; one with a self-signed certificate, "
        "neo4j+ssc://)"
    ), said


@pytest.mark.neo4j
def test_a_worker_on_a_database_the_server_does_not_have_stops_in_one_line(
    neo4j_uri: str, tmp_path: Path
) -> None:
    """The worker itself (``dealgraph.asgi`` under uvicorn, as a process manager may run it
    without ``dealgraph serve``'s check first) says it in the same line and stops as a start
    that failed, without the trace Starlette makes of an error at start."""
    user, password, _ = neo4j_login()
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_STORE": "neo4j",
        "DEALGRAPH_NEO4J_URI": neo4j_uri,
        "DEALGRAPH_NEO4J_USER": user,
        "DEALGRAPH_NEO4J_PASSWORD": password or "",
        "DEALGRAPH_NEO4J_DATABASE": "nosuch",
        "DEALGRAPH_DATA_DIR": os.fspath(tmp_path),
    }
    command = [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--port", str(_free_port())]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == STARTUP_FAILURE, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "cannot start" in line]
    assert line.endswith(
        f"cannot start: Neo4j at {neo4j_uri} has no database 'nosuch' (DEALGRAPH_NEO4J_DATABASE)"
    ), line


@pytest.mark.parametrize("command", [["summary"], ["export", "out.jsonl"], ["serve"]])
def test_a_data_folder_that_is_a_file_is_one_line_naming_the_setting(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """A mistyped DEALGRAPH_DATA_DIR naming a file was a Python trace (FileExistsError), and
    under `serve` one per worker."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_SECRET_KEY", ",".join(SECRET_KEYS))
    (tmp_path / "notes.txt").write_text("not a folder\n")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", "notes.txt")
    assert main(command) == 2
    assert capsys.readouterr().err == (
        "dealgraph: the embedded store in notes.txt cannot be used: its folder cannot be made "
        "(File exists); set DEALGRAPH_DATA_DIR to a folder this user may write\n"
    )
    assert not Path("out.jsonl").exists()


def test_development_mode_without_a_place_for_its_secret_key_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Development mode keeps a secret key in the data folder when none is set: a folder it
    cannot make is said before serving (each worker printed a trace), naming both settings
    that fix it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEALGRAPH_SECRET_KEY", raising=False)
    monkeypatch.setenv("DEALGRAPH_MODE", "development")
    (tmp_path / "notes.txt").write_text("not a folder\n")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", "notes.txt")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == (
        "dealgraph: configuration error: DEALGRAPH_DATA_DIR: the development secret key cannot "
        "be kept in notes.txt (File exists); set DEALGRAPH_DATA_DIR to a folder this user may "
        "write, or DEALGRAPH_SECRET_KEY (`dealgraph secret-key` makes one)\n"
    )


def test_a_worker_in_development_mode_without_a_place_for_its_secret_key_is_one_line(
    tmp_path: Path,
) -> None:
    """The same, from a worker started on its own (uvicorn on ``dealgraph.asgi``): the line the
    command says, and uvicorn's start-failure code, not the trace of the app's load."""
    (tmp_path / "notes.txt").write_text("not a folder\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_MODE": "development",
        "DEALGRAPH_STORE": "embedded",
        "DEALGRAPH_DATA_DIR": os.fspath(tmp_path / "notes.txt"),
    }
    env.pop("DEALGRAPH_SECRET_KEY", None)
    command = [sys.executable, "-m", "uvicorn", "dealgraph.asgi:app", "--port", str(_free_port())]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == STARTUP_FAILURE, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.endswith(
        "cannot start: configuration error: DEALGRAPH_DATA_DIR: the development secret key "
        f"cannot be kept in {tmp_path / 'notes.txt'} (File exists); set DEALGRAPH_DATA_DIR to a "
        "folder this user may write, or DEALGRAPH_SECRET_KEY (`dealgraph secret-key` makes one)"
    ), line
