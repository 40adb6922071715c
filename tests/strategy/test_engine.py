from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from builders import NOW, RIVAL, act, close_to, dm, knows, member, snap, tie

from domain.chain import ChainSnapshot
from domain.vocabulary import DecisionRole
from strategy.engine import analyse


def test_full_analysis_is_complete_and_deterministic() -> None:
    chain = snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR),
        member("buyer", DecisionRole.PROCUREMENT),
        reports_to=[tie("te", "dm"), tie("buyer", "dm")],
        team_knows=[knows("te")],
        activities=[act("a1", "te")],
        competitors=[RIVAL],
        competitor_ties=[close_to("buyer")],
    )
    first = analyse(chain, NOW)
    assert first == analyse(chain, NOW)
    assert first.opportunity_id == "o1"
    assert [s.person_id for s in first.scores] == ["dm", "te", "buyer"]
    assert 0 < first.win_likelihood < 1
    assert first.analysis.influence[0].person_id == "dm"
    assert first.plan


def test_empty_chain_does_not_break() -> None:
    result = analyse(snap(), NOW)
    assert result.scores == ()
    assert {f.code for f in result.analysis.red_flags} >= {"NO_DECISION_MAKER", "NO_COACH"}
    assert 0 < result.win_likelihood < 1


def _chain() -> ChainSnapshot:
    return snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR),
        reports_to=[tie("te", "dm")],
        team_knows=[knows("te")],
        activities=[act("a1", "te")],
    )


def test_the_plan_is_made_once_however_many_threads_read_it_first() -> None:
    result = analyse(_chain(), NOW)
    with ThreadPoolExecutor(8) as pool:
        plans = list(pool.map(lambda _: result.plan, range(8)))
    assert plans[0]
    assert all(plan is plans[0] for plan in plans)
    assert plans[0] == analyse(_chain(), NOW).plan


def test_no_plan_asked_for_is_an_empty_plan() -> None:
    assert analyse(_chain(), NOW, include_plan=False).plan == ()
