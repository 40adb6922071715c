"""Synthetic histories drawn from a known model, to check that learning recovers it.

Used by the tests and ``benchmarks/bench_calibration.py``: closed deals whose outcomes are drawn
from known win-model weights, and action logs whose closeness and attitude changes are drawn
from known per-role play effects. A fixed seed makes every history reproducible.
"""

from __future__ import annotations

import numpy as np

from domain.vocabulary import OPEN_STAGES, DecisionRole
from strategy.calibration import GateSnapshot, WinWeights, predict
from strategy.effects import EffectObservation

# A company that wins less often than the hand-set model assumes, where every question weighs
# more and late stages convert better.
TRUE_WEIGHTS = WinWeights(
    intercept=-1.2,
    stage_prior={
        "VALIDATE": -1.3,
        "INITIATE": -1.0,
        "REQUIREMENTS": -0.6,
        "VALUE_PRESENTATION": -0.2,
        "PROPOSAL": 0.2,
        "BIDDING": 0.4,
        "NEGOTIATION": 0.7,
    },
    real_weight=2.4,
    compete_weight=1.6,
    win_weight=2.0,
    worth_weight=1.0,
)


def closed_deals(
    count: int, true: WinWeights = TRUE_WEIGHTS, *, seed: int = 17, prefix: str = "deal"
) -> list[GateSnapshot]:
    """``count`` closed deals, one gate snapshot each (stage and the four scores uniform), the
    outcome drawn from ``true``."""
    rng = np.random.default_rng(seed)
    stages = rng.integers(0, len(OPEN_STAGES), count)
    scores = rng.integers(0, 101, (count, 4))
    drafts = [
        GateSnapshot(
            f"{prefix}-{i}",
            OPEN_STAGES[int(stages[i])],
            int(scores[i, 0]),
            int(scores[i, 1]),
            int(scores[i, 2]),
            int(scores[i, 3]),
            False,
        )
        for i in range(count)
    ]
    won = rng.random(count) < predict(true, drafts)
    return [
        GateSnapshot(d.deal_id, d.stage, d.is_real, d.can_compete, d.can_win, d.worth_it, bool(w))
        for d, w in zip(drafts, won, strict=True)
    ]


# Known effects per play and role (closeness points, attitude steps) for the synthetic logs.
TRUE_EFFECTS: dict[tuple[str, DecisionRole], tuple[float, float]] = {
    ("executive_visit", DecisionRole.DECISION_MAKER): (4.0, 0.0),
    ("executive_visit", DecisionRole.APPROVER): (15.0, 1.0),
    ("relationship_visit", DecisionRole.TECHNICAL_EVALUATOR): (3.0, 0.0),
    ("demo", DecisionRole.DECISION_MAKER): (2.0, 1.0),
}


def action_log(
    count: int,
    true: dict[tuple[str, DecisionRole], tuple[float, float]] | None = None,
    *,
    seed: int = 17,
    closeness_sd: float = 12.0,
    attitude_sd: float = 1.0,
) -> list[EffectObservation]:
    """``count`` recorded results per play and role, scattered around the true effects."""
    rng = np.random.default_rng(seed)
    out: list[EffectObservation] = []
    for (key, role), (closeness, attitude) in sorted((true or TRUE_EFFECTS).items()):
        c = rng.normal(closeness, closeness_sd, count)
        a = rng.normal(attitude, attitude_sd, count)
        out.extend(
            EffectObservation(key, role, float(x), float(y)) for x, y in zip(c, a, strict=True)
        )
    return out
