"""``dealgraph export`` while the server runs and takes writes: the file is complete for
everything acknowledged before the export began, and imports cleanly into an empty store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from test_durability_served import ROOT, serve

from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CREATE = """mutation($name: String!) { customerCreate(input: {name: $name}) {
  customer { name } userErrors { code } } }"""


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_DATA_DIR": os.fspath(data_dir),
        "DEALGRAPH_FSYNC": "everysec",
    }
    return subprocess.run(
        [sys.executable, "-m", "dealgraph.cli", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_export_while_serving_and_writing(tmp_path: Path) -> None:
    data_dir = tmp_path / "live"
    store = GraphStore(EmbeddedExecutor(data_dir, fsync="always"))
    store.ensure_schema()
    security = SecurityStore(store)
    security.add_user("ops", "admin")
    token = security.issue_token("ops").token
    store.close()

    before: list[str] = []
    during: list[str] = []
    stop = threading.Event()
    with serve(data_dir) as (_, url):
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(headers=headers, timeout=30) as http:
            for number in range(200):
                answer = http.post(url, json={"query": CREATE, "variables": {"name": f"b{number}"}})
                assert answer.json()["data"]["customerCreate"]["userErrors"] == []
                before.append(f"b{number}")

            def keep_writing() -> None:
                with httpx.Client(headers=headers, timeout=30) as writer:
                    number = 0
                    while not stop.is_set():
                        name = f"d{number}"
                        writer.post(url, json={"query": CREATE, "variables": {"name": name}})
                        during.append(name)
                        number += 1

            thread = threading.Thread(target=keep_writing)
            thread.start()
            try:
                exported = _cli(data_dir, "export", os.fspath(tmp_path / "backup.jsonl"))
            finally:
                stop.set()
                thread.join()
            assert exported.returncode == 0, exported.stderr
            # The server kept answering while the export ran.
            assert http.get(url.replace("/graphql", "/readyz")).status_code == 200

    lines = (tmp_path / "backup.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[1:]]
    names = {r["props"]["name"] for r in records if r.get("label") == "Customer"}
    assert set(before) <= names
    assert during, "writes went on during the export"

    restored = tmp_path / "restored"
    imported = _cli(restored, "import", os.fspath(tmp_path / "backup.jsonl"))
    assert imported.returncode == 0, imported.stderr
    summary = _cli(restored, "summary")
    assert f"{len(names)} Customer" in summary.stdout, summary.stdout
