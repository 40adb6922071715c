"""``dealgraph user manage``: an administrator sets who manages whom and reads it back by the
people's names, as the people page names them, not by their store ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealgraph.cli import main
from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore


def test_who_manages_whom_is_said_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    store = GraphStore(EmbeddedExecutor(tmp_path / "data", fsync="everysec"))
    store.ensure_schema()
    store.create(NodeKind.TEAM_MEMBER, {"name": "赵磊", "role": "SALES_DIRECTOR"}, node_id="d-1")
    store.create(NodeKind.TEAM_MEMBER, {"name": "李明", "role": "ACCOUNT_MANAGER"}, node_id="a-1")
    store.executor.close()
    assert main(["user", "manage", "d-1", "a-1"]) == 0
    assert capsys.readouterr().out.strip() == "赵磊 manages 李明"
    assert main(["user", "manage", "d-1", "a-1", "--remove"]) == 0
    assert capsys.readouterr().out.strip() == "赵磊 no longer manages 李明"
