"""What the embedded store's server wrote in its log, reduced to the one line an operator
reads: why it did not start, or why it died. The samples are the server's own lines."""

from __future__ import annotations

from pathlib import Path

from graph.backends.embedded_server import last_words, why_not_started

STARTED = """\
7002:C 06 Dec 2026 06:16:46.440 # WARNING Memory overcommit must be enabled!
7002:C 06 Dec 2026 06:16:46.441 * Redis is starting oO0OoO0OoO0Oo
7002:M 06 Dec 2026 06:16:46.452 * Server initialized
7002:M 06 Dec 2026 06:16:46.457 * Ready to accept connections unix
7002:M 06 Dec 2026 06:16:46.457 # WARNING: Redis does not require authentication. Redis will \
accept connections from any local client.
7002:M 06 Dec 2026 06:16:50.001 * Background saving started by pid 7100
"""

TERMINATED = (
    STARTED
    + """\
7002:signal-handler (1796537807) Received SIGTERM scheduling shutdown...
7002:M 06 Dec 2026 06:16:47.823 * User requested shutdown...
7002:M 06 Dec 2026 06:16:47.825 * Removing the unix socket file.
7002:M 06 Dec 2026 06:16:47.825 # Redis is now ready to exit, bye bye...
"""
)

CRASHED = (
    STARTED
    + """\


=== REDIS BUG REPORT START: Cut & paste starting from here ===
7627:M 06 Dec 2026 06:17:06.172 # Redis 8.10.2 crashed by signal: 11, si_code: 0
7627:M 06 Dec 2026 06:17:06.172 # Killed by PID: 7607, UID: 0
7627:M 06 Dec 2026 06:17:06.172 # Crashed running the instruction at: 0x7f08a9421f36
------ STACK TRACE ------
7627:M 06 Dec 2026 06:17:06.462 # Bio worker thread #0 terminated
=== REDIS BUG REPORT END. Make sure to include from START to END. ===
"""
)


def logged(tmp_path: Path, text: str) -> str:
    path = tmp_path / "redis.log"
    path.write_text(text)
    return str(path)


def test_a_server_killed_outright_said_nothing_of_why(tmp_path: Path) -> None:
    # its start's own warning (no password on a private socket) is no cause of death
    assert last_words(logged(tmp_path, STARTED)) == ""


def test_a_server_asked_to_stop_says_so_without_its_housekeeping(tmp_path: Path) -> None:
    assert last_words(logged(tmp_path, TERMINATED)) == (
        "Received SIGTERM scheduling shutdown...; Redis is now ready to exit, bye bye..."
    )


def test_a_crash_is_told_by_its_signal_and_sender_not_its_bug_report(tmp_path: Path) -> None:
    assert last_words(logged(tmp_path, CRASHED)) == (
        "Redis 8.10.2 crashed by signal: 11, si_code: 0; Killed by PID: 7607, UID: 0"
    )


def test_only_the_last_run_of_a_log_counts(tmp_path: Path) -> None:
    restarted = TERMINATED + STARTED.replace("7002", "7200")
    assert last_words(logged(tmp_path, restarted)) == ""


def test_a_missing_log_says_nothing(tmp_path: Path) -> None:
    assert last_words(str(tmp_path / "gone.log")) == ""
    assert last_words(None) == ""
    assert why_not_started(None) == ""


def test_a_start_that_failed_is_told_by_its_warnings(tmp_path: Path) -> None:
    failed = STARTED.split("7002:M")[0] + (
        "7002:M 06 Dec 2026 06:16:46.452 # Bad file format reading the append only file\n"
        "7002:M 06 Dec 2026 06:16:46.452 # FATAL AOF MANIFEST FILE ERROR\n"
    )
    assert why_not_started(logged(tmp_path, failed)) == (
        "Bad file format reading the append only file; FATAL AOF MANIFEST FILE ERROR"
    )
