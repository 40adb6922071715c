"""Running a browser script (``*.mjs`` over ``harness.mjs``) and reading its check lines."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "browser"


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
