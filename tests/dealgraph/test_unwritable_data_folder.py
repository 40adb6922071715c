"""A data folder the service's user may not write (a restored backup owned by another user, a
folder made by root for a service that runs as itself) is said in one line naming the setting,
before any worker starts, and not as a trace per worker.

The tests run the command as a user the folder's permissions apply to: as root, without the
capabilities that let root write anywhere (``setpriv``), else as the user running the tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from api_helpers import SECRET_KEYS

ROOT = Path(__file__).resolve().parents[2]
AS_AN_ORDINARY_USER = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)

pytestmark = pytest.mark.skipif(
    bool(AS_AN_ORDINARY_USER) and shutil.which("setpriv") is None,
    reason="running as root, and no setpriv to drop root's right to write anywhere",
)


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def dealgraph(data_dir: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_STORE": "embedded",
        "DEALGRAPH_DATA_DIR": os.fspath(data_dir),
        "DEALGRAPH_SECRET_KEY": ",".join(SECRET_KEYS),
    }
    return subprocess.run(
        [*AS_AN_ORDINARY_USER, sys.executable, "-m", "dealgraph.cli", *command],
        cwd=data_dir.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command", [["serve", "--workers", "2", "--port", free_port()], ["summary"]]
)
def test_a_folder_this_user_may_not_write_is_one_line_before_any_worker(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o555)
    done = dealgraph(folder, *command)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"dealgraph: the embedded store in {folder} cannot be used: its folder cannot be used "
        "(Permission denied); set DEALGRAPH_DATA_DIR to a folder this user may write\n"
    )
    assert "serving on" not in done.stdout  # said before it listened


def test_store_files_this_user_may_not_write_are_said_in_the_servers_words(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    made = dealgraph(folder, "summary")
    assert made.returncode == 0, made.stderr
    for path in folder.rglob("*"):
        if path.name != ".dealgraph-server.lock":
            path.chmod(path.stat().st_mode & ~0o222)
    done = dealgraph(folder, "summary")
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        f"dealgraph: the embedded store in {folder} cannot be used: its server did not start; "
        "its log says: "
    ), line
    assert "Permission denied" in line
