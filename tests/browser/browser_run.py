"""Running a browser script (``*.mjs`` over ``harness.mjs``) and reading its check lines, against
the real server on one back end, with the artifacts of each back end in a folder of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from servers import ServedBackend, serve

from graph.security_store import SecurityStore
from graph.store import GraphStore

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "browser"
ARTIFACTS_ROOT = Path(__file__).resolve().parent / "artifacts"
DAY_MS = 86_400_000


class DayClock:
    """The store's clock while a suite writes its data: from the start of the day (UTC), one ms
    a reading, so two runs of a day write the same instants and their screenshots show the same
    dates ("last contact", the days of a change). The server keeps the real clock."""

    def __init__(self, days_ago: int = 0) -> None:
        self.day = int(time.time() * 1000) // DAY_MS * DAY_MS
        self.now = self.day
        self.days_ago(days_ago)

    def __call__(self) -> int:
        self.now += 1
        return self.now

    def days_ago(self, days: int) -> None:
        """Go on writing ``days`` days before the day's start."""
        self.now = self.day - days * DAY_MS


def logins(store: GraphStore, users: Mapping[str, tuple[str, str | None]]) -> dict[str, str]:
    """Each login made the way an administrator makes it (``dealgraph user add NAME --role ROLE
    --member ID``: its role, the team member it acts as) and given its own token; the tokens by
    login."""
    security = SecurityStore(store)
    tokens = {}
    for login, (role, member) in users.items():
        security.add_user(login, role, member)
        tokens[login] = security.issue_token(login, "browser test").token
    return tokens


def artifacts(backend: ServedBackend) -> Path:
    """The folder of one back end's screenshots and logs: the runs never overwrite each other."""
    folder = ARTIFACTS_ROOT / backend.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def serve_browser(backend: ServedBackend, extra: Mapping[str, str] | None = None) -> Iterator[str]:
    """The real server (uvicorn, authentication on) over ``backend``, with ``extra`` settings
    (another process file, say); its output goes to ``server.log`` among the back end's
    artifacts."""
    settings = {"DEALGRAPH_FSYNC": "everysec", "DEALGRAPH_AUTH_REQUIRED": "true", **(extra or {})}
    log_path = artifacts(backend) / "server.log"
    with log_path.open("wb") as log, serve(backend, settings, log) as base:
        yield base


def run_checks(script: Path, env: Mapping[str, str], log: Path, checks: int) -> str:
    """Run ``script`` with Node, keep its output in ``log``, and require ``checks`` passed
    checks and no failed one; returns its standard output."""
    node = shutil.which("node")
    assert node, "Node.js is needed for the browser tests"
    run = subprocess.run(
        [node, os.fspath(script)],
        env={**os.environ, "TOOLS_DIR": os.fspath(TOOLS), **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    failures = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert not failures, run.stdout + run.stderr
    assert run.returncode == 0, run.stdout + run.stderr
    passed = [line for line in run.stdout.splitlines() if line.startswith("ok - ")]
    assert len(passed) == checks, run.stdout
    return run.stdout
