"""``dealgraph user add|token|revoke|list|manage`` and the development token of ``demo``."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealgraph.cli import main
from dealgraph.settings import load_settings
from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.slow
def test_user_lifecycle_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DEALGRAPH_FSYNC", "everysec")
    monkeypatch.chdir(tmp_path)

    status, out, _ = _run(capsys, "demo")
    assert status == 0
    token_line = next(line for line in out.splitlines() if "Authorization: Bearer" in line)
    dev_token = token_line.split("Bearer ", 1)[1].strip()
    assert (tmp_path / "data" / "dev-token").read_text().strip() == dev_token
    status, again, _ = _run(capsys, "demo")
    assert status == 0
    assert dev_token in again, "demo is idempotent: the same token again"

    assert _run(capsys, "user", "add", "wu", "--role", "viewer")[0] == 0
    status, _, err = _run(capsys, "user", "add", "wu", "--role", "viewer")
    assert status == 1
    assert "already exists" in err
    status, _, err = _run(capsys, "user", "add", "zed", "--role", "viewer", "--member", "nope")
    assert status == 1
    assert "not found" in err

    status, out, _ = _run(capsys, "user", "token", "wu", "--label", "laptop")
    assert status == 0
    token_id = out.split()[1]
    token = out.strip().splitlines()[-1]
    assert token.startswith(f"dg_{token_id}_")

    status, out, _ = _run(capsys, "user", "list")
    assert status == 0
    listed = {line.split("\t")[0]: line for line in out.splitlines()}
    assert set(listed) >= {"developer", "wu"}
    assert token_id in listed["wu"]
    assert token not in out

    settings = load_settings()
    store = GraphStore(EmbeddedExecutor(settings.data_dir, fsync="everysec"))
    try:
        security = SecurityStore(store)
        assert security.principal_for_token(token) is not None
        assert _run(capsys, "user", "revoke", token_id)[0] == 0
        assert security.principal_for_token(token) is None
        assert security.principal_for_token(dev_token) is not None
    finally:
        store.close()
    status, _, err = _run(capsys, "user", "revoke", token_id)
    assert status == 1
    assert "not found" in err
