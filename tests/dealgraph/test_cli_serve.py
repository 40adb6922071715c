"""First run: the port and host come from settings, options or ``make run PORT=…``; a taken port
is one clear line before anything else, on both back ends; every option of every subcommand
says what it does and its default."""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest
from servers import ServedBackend, stop_server

from dealgraph.cli import build_parser, main
from dealgraph.serve import listen, listen_for_workers, port_problem
from dealgraph.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def subparsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every (sub)command parser, nested ones included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                yield from ((f"{name} {n}", p) for n, p in subparsers(sub))


def test_every_argument_of_every_subcommand_is_described_with_its_default() -> None:
    parser = build_parser()
    seen = 0
    for name, sub in subparsers(parser):
        assert sub.description, f"`dealgraph {name} --help` has no description"
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            seen += 1
            label = "/".join(action.option_strings) or action.dest
            assert action.help, f"dealgraph {name}: {label} has no description"
            assert "default" in action.help, f"dealgraph {name}: {label} does not say its default"
    assert seen >= 14


def test_serve_help_shows_the_port_and_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "DEALGRAPH_PORT" in out
    assert "DEALGRAPH_HOST" in out


def test_the_port_and_host_come_from_settings_and_options_win() -> None:
    settings = load_settings({"DEALGRAPH_PORT": "8123", "DEALGRAPH_HOST": "0.0.0.0"}, dotenv=None)
    args = build_parser(settings).parse_args(["serve"])
    assert (args.host, args.port) == ("0.0.0.0", 8123)
    args = build_parser(settings).parse_args(["serve", "--port", "9001"])
    assert args.port == 9001
    default = build_parser(load_settings({}, dotenv=None)).parse_args(["serve"])
    assert (default.host, default.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_a_bad_port_setting_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="DEALGRAPH_PORT"):
        load_settings({"DEALGRAPH_PORT": value}, dotenv=None)


def test_cors_origins_are_read_as_a_list() -> None:
    settings = load_settings(
        {"DEALGRAPH_CORS_ORIGINS": "https://app.example.com, http://localhost:5173/"}, dotenv=None
    )
    assert settings.cors_origins == ("https://app.example.com", "http://localhost:5173")
    assert load_settings({}, dotenv=None).cors_origins == ()


@pytest.mark.parametrize("value", ["app.example.com", "ftp://files.example", "https://a.example/x"])
def test_a_malformed_cors_origin_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="DEALGRAPH_CORS_ORIGINS"):
        load_settings({"DEALGRAPH_CORS_ORIGINS": value}, dotenv=None)


@pytest.fixture(params=[False, True], ids=["plain", "reuseaddr"])
def busy_port(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port another server listens on (uvicorn sets SO_REUSEADDR, which hides it from a
    bare bind)."""
    with socket.socket() as taken:
        if request.param:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_serve_on_a_busy_port_fails_in_one_line_before_printing_anything(
    busy_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", str(busy_port)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert f"port {busy_port}" in lines[0]
    assert "already in use" in lines[0]
    assert "--port" in lines[0]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--port", "99999", "a port must be 1 to 65535, not 99999"),
        ("--port", "abc", "a port must be a whole number: 'abc'"),
        ("--workers", "-3", "a number of workers must be 1 to 256, not -3"),
        ("--workers", "0", "a number of workers must be 1 to 256, not 0"),
    ],
)
def test_a_port_or_worker_count_out_of_range_is_one_line_before_anything_starts(
    option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that binds nothing or a socket's trace helps nobody: argparse says which."""
    with pytest.raises(SystemExit) as stopped:
        main(["serve", option, value])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == f"dealgraph serve: error: argument {option}: {said}"


def test_a_free_port_has_no_problem(busy_port: int) -> None:
    assert port_problem("127.0.0.1", busy_port) is not None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    assert port_problem("127.0.0.1", free) is None


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_the_port_and_host_on() -> None:
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "dealgraph serve --port 8123 --host 0.0.0.0" in planned
    default = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "dealgraph serve" in default
    assert "--port" not in default


def test_the_checked_socket_is_kept_so_the_port_cannot_be_lost() -> None:
    held = listen("127.0.0.1", 0)
    try:
        port = held.getsockname()[1]
        assert port_problem("127.0.0.1", port) is not None
    finally:
        held.close()


def test_a_second_serve_fails_while_the_first_is_still_opening_its_store(
    served_backend: ServedBackend,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **served_backend.env()}
    command = [sys.executable, "-m", "dealgraph.cli", "serve", "--port", str(port)]
    first = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while port_problem("127.0.0.1", port) is None:
            assert time.monotonic() < deadline, "the first server never listened"
            assert first.poll() is None, "the first server stopped"
            time.sleep(0.05)
        second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert second.returncode == 1
        assert second.stdout == ""
        assert len(second.stderr.splitlines()) == 1, second.stderr
        assert "already in use" in second.stderr
    finally:
        stop_server(first, served_backend.data_dir)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreads on Linux")
def test_a_port_held_for_workers_keeps_other_servers_off_and_arrives_listening_in_one() -> None:
    with listen_for_workers("127.0.0.1", 0) as holder:
        port = holder.getsockname()[1]
        assert port_problem("127.0.0.1", port) == (
            f"port {port} on 127.0.0.1 is already in use; choose another with --port, "
            "DEALGRAPH_PORT or make run PORT=..."
        )
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        # uvicorn hands its workers their sockets through multiprocessing's pickler
        with pickle.loads(ForkingPickler.dumps(holder)) as own:
            assert own.getsockname() == ("127.0.0.1", port)
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                accepted, _ = own.accept()
                accepted.close()
        assert port_problem("127.0.0.1", port) is not None, "the holder let the port go"


def test_the_server_log_shows_the_app_s_own_lines_with_their_level() -> None:
    """As ``dealgraph serve`` configures logging: the app's INFO lines (the store is back) and
    warnings reach the log, level first; the Neo4j driver's per-retry warnings do not."""
    script = (
        "import logging, logging.config\n"
        "from dealgraph.serve import log_config\n"
        "logging.config.dictConfig(log_config())\n"
        "logging.getLogger('dealgraph.store').info("
        "'neo4j at bolt://db:7687: store back after 3.0 s')\n"
        "logging.getLogger('dealgraph.api').warning('request r1: the store is unreachable')\n"
        "logging.getLogger('neo4j').warning('Transaction failed and will be retried in 1.0s')\n"
        "logging.getLogger('resolvers.warming').warning('warming failed')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=60,
    )
    assert done.stderr.splitlines() == [
        "INFO:     neo4j at bolt://db:7687: store back after 3.0 s",
        "WARNING:  request r1: the store is unreachable",
        "WARNING:  warming failed",
    ]
