"""``dealgraph demo``: the demo deal as ``make run`` serves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealgraph.cli import main
from dealgraph.demo import demo_data
from graph import process_store as ps
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore


def test_the_demo_deal_shows_its_process_violations_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``make run``'s demo: a deal in value presentation whose gates' approvals were never
    asked for is out of process, and the Process card says so before anyone writes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    assert main(["demo"]) == 0
    assert "violations open" in capsys.readouterr().out
    deal = str(demo_data()["opportunity"]["id"])
    executor = EmbeddedExecutor(tmp_path / "data", fsync="no")
    try:
        found = ps.open_violations(GraphStore(executor), [deal])
    finally:
        executor.close()
    assert "STAGE_WITHOUT_APPROVAL" in {v["rule"] for v in found}
