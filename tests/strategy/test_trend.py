"""The likelihood's history ends where the assessment stands: each point is computed as
``engine.run_model`` computes the likelihood, the deal's own facts included (the days nobody of
ours was in touch, a team without a solution manager), so the last point of a deal's trend is
the likelihood its page shows."""

from __future__ import annotations

import dataclasses

from builders import DAY, NOW, act, knows, member, opp, snap

from domain.chain import ChainSnapshot, TeamAssignment
from domain.vocabulary import DecisionRole, LifecyclePhase, Stage, TeamRole
from strategy.config import default_config
from strategy.engine import analyse
from strategy.trend import TrendModel


def _deal(*team: TeamRole) -> ChainSnapshot:
    return snap(
        member("dm", DecisionRole.DECISION_MAKER),
        member("te", DecisionRole.TECHNICAL_EVALUATOR),
        opportunity=opp(stage=Stage.PROPOSAL),
        team=tuple(TeamAssignment(r.value.lower(), r.value, r, LifecyclePhase.DEAL) for r in team),
        team_knows=(knows("dm"), knows("te")),
    )


def _same(s: ChainSnapshot, now_ms: int) -> None:
    trend = TrendModel(default_config()).run(s, now_ms).likelihood
    assert trend == analyse(s, now_ms, include_plan=False).win_likelihood


def test_a_deal_without_a_solution_manager_trends_to_its_likelihood() -> None:
    staffed = _deal(TeamRole.ACCOUNT_MANAGER, TeamRole.SOLUTION_MANAGER)
    alone = dataclasses.replace(staffed, team=staffed.team[:1])
    assert analyse(alone, NOW).win_likelihood < analyse(staffed, NOW).win_likelihood
    _same(alone, NOW)


def test_a_deal_nobody_touched_for_two_months_trends_to_its_likelihood() -> None:
    met = dataclasses.replace(
        _deal(TeamRole.ACCOUNT_MANAGER, TeamRole.SOLUTION_MANAGER),
        activities=(act("a1", "dm", days_ago=10),),
    )
    later = NOW + 60 * DAY
    assert (
        analyse(met, later).win_likelihood < TrendModel(default_config()).run(met, NOW).likelihood
    )
    _same(met, later)
