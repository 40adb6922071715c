"""The calibration use case reads closed deals' stored gate rows as the strategy's snapshots."""

from __future__ import annotations

from domain.vocabulary import Stage
from resolvers.calibration import closed_snapshots
from strategy.calibration import GateSnapshot


def test_stored_gate_rows_become_snapshots_labelled_by_the_final_stage() -> None:
    row = {"deal_id": "d", "stage": "PROPOSAL", "is_real": 60, "can_compete": 40}
    rows = [
        {**row, "can_win": 55, "worth_it": 70, "outcome": outcome, "prior_share": 0.5}
        for outcome in ("WON", "LOST", "ABANDONED")
    ]
    assert [s.won for s in closed_snapshots(rows)] == [True, False, False]
    snapshot = GateSnapshot("d", Stage.PROPOSAL, 60, 40, 55, 70, True, 0.5)
    assert closed_snapshots(rows)[0] == snapshot
