"""``dealgraph calibrate``: fit on the closed deals a store holds, show, roll back; on both back
ends. Deals move through the store's own stage-change use case, with what the model saw at
each gate drawn from a known model (``strategy.synthetic``)."""

from __future__ import annotations

import pytest

from dealgraph.calibrate import calibrate
from dealgraph.cli import build_parser
from domain.model import NodeKind
from domain.vocabulary import Stage
from graph import outcomes
from graph import process_store as ps
from graph.store import GraphStore
from strategy import synthetic
from strategy.config import default_config

CONFIG = default_config()


def _close_deals(store: GraphStore, count: int) -> None:
    store.create(NodeKind.CUSTOMER, {"name": "City Bank"}, node_id="c1")
    for snap in synthetic.closed_deals(count, seed=23):
        store.create_opportunity(
            "c1", {"name": f"Deal {snap.deal_id}", "stage": snap.stage.value}, node_id=snap.deal_id
        )
        gate = {
            "gate_is_real": snap.is_real,
            "gate_can_compete": snap.can_compete,
            "gate_can_win": snap.can_win,
            "gate_worth_it": snap.worth_it,
            "gate_win_likelihood": 0.5,
        }
        ps.advance_stage(
            store,
            opportunity=store.get(NodeKind.OPPORTUNITY, snap.deal_id),
            to_stage=Stage.WON if snap.won else Stage.LOST,
            reason=None if snap.won else "lost on price",
            lost_to_competitor_id=None,
            member_id=None,
            gate=gate,
        )


def test_calibrate_fits_shows_and_rolls_back(
    store: GraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    _close_deals(store, 60)
    assert calibrate(store, CONFIG, show=False, roll_back=False) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("win model ")
    assert first.endswith(
        f"fitted (60 closed deals, {sum(s.won for s in synthetic.closed_deals(60, seed=23))} won)"
    )
    assert "held out: Brier" in out
    assert "reliability" in out
    model = outcomes.active_win_model(store)
    assert model is not None
    assert model["deals"] == 60

    assert calibrate(store, CONFIG, show=True, roll_back=False) == 0
    assert capsys.readouterr().out.splitlines()[0] == first

    assert calibrate(store, CONFIG, show=False, roll_back=True) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"rolled back win model {model['id']}",
        "win model: not calibrated yet; the hand-set weights are in force",
    ]
    assert calibrate(store, CONFIG, show=False, roll_back=True) == 1
    assert "no calibrated win model" in capsys.readouterr().out


def test_too_few_deals_keep_the_hand_set_weights(
    store: GraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    _close_deals(store, 4)
    calibrate(store, CONFIG, show=False, roll_back=False)
    out = capsys.readouterr().out
    assert "hand-set weights (4 closed deals" in out
    assert "4 closed deals, fewer than the 30 needed" in out
    assert "held out" not in out


def test_runs_chain_and_roll_back_walks_back_one_at_a_time(store: GraphStore) -> None:
    _close_deals(store, 3)
    ids = []
    for _ in range(3):
        calibrate(store, CONFIG, show=False, roll_back=False)
        found = outcomes.active_win_model(store)
        assert found is not None
        ids.append(found["id"])
    assert outcomes.roll_back_win_model(store, ids[2]) == ids[1]
    assert outcomes.roll_back_win_model(store, ids[1]) == ids[0]
    assert outcomes.roll_back_win_model(store, ids[0]) is None
    assert outcomes.active_win_model(store) is None


def test_the_command_line_takes_show_or_roll_back() -> None:
    parser = build_parser(None)
    assert parser.parse_args(["calibrate"]).show is False
    assert parser.parse_args(["calibrate", "--roll-back"]).roll_back is True
    with pytest.raises(SystemExit):
        parser.parse_args(["calibrate", "--show", "--roll-back"])


def test_a_gate_snapshot_keeps_how_much_of_its_stage_prior_the_model_applied(
    store: GraphStore,
) -> None:
    """A deal in proposal whose decision makers nobody knew got a part of the proposal's prior;
    the calibration must fit the prior the model applied. Records without it count in full."""
    store.create(NodeKind.CUSTOMER, {"name": "City Bank"}, node_id="c1")
    for deal, gate in (("unknown", {"gate_prior_share": 0.25}), ("older", {})):
        store.create_opportunity("c1", {"name": deal, "stage": Stage.PROPOSAL.value}, node_id=deal)
        ps.advance_stage(
            store,
            opportunity=store.get(NodeKind.OPPORTUNITY, deal),
            to_stage=Stage.WON,
            reason=None,
            lost_to_competitor_id=None,
            member_id=None,
            gate={"gate_can_win": 60, **gate},
        )
    rows = {
        r["deal_id"]: (r["stage"], r["prior_share"]) for r in outcomes.gate_snapshot_rows(store)
    }
    assert rows == {"unknown": ("PROPOSAL", 0.25), "older": ("PROPOSAL", 1.0)}
