"""Time: a planned activity is allowed, but until it has happened it has no result, counts for
no score, satisfies no gate and is no contact with the customer."""

from __future__ import annotations

from dataclasses import replace

from tas_case import (
    ALL_GATE_APPROVALS,
    DAY,
    NOW,
    REVIEW,
    T0,
    activity,
    approved,
    complete_snapshot,
)

from domain.chain import ChainSnapshot
from domain.vocabulary import ActivityType, Outcome, Stage
from strategy.config import default_config
from strategy.engine import analyse
from strategy.scoring import score_chain
from strategy.tas import (
    check_gate,
    detect_violations,
    gate_facts_from_snapshot,
    load_process,
    satisfied_actions,
    violation_facts_from_snapshot,
)
from strategy.tas.timeline import future_result_problems

DEFINITION = load_process()
YEAR = 365 * DAY


def _without_visits(snapshot: ChainSnapshot) -> ChainSnapshot:
    kept = tuple(a for a in snapshot.activities if "p-cio" not in a.person_ids)
    return replace(snapshot, activities=kept)


def _planned_visit(at: int) -> ChainSnapshot:
    snap = _without_visits(complete_snapshot(Stage.REQUIREMENTS))
    visit = activity(9, ActivityType.EXECUTIVE_VISIT, "p-cio", at=at)
    return replace(snap, activities=(*snap.activities, visit))


def test_a_planned_visit_meets_the_decision_maker_only_once_it_has_happened() -> None:
    snap = _planned_visit(NOW + 10 * DAY)
    assert "decision_maker_met" not in satisfied_actions(snap, NOW)
    assert "decision_maker_met" in satisfied_actions(snap, NOW + 10 * DAY)


def test_the_gate_is_not_passed_by_a_visit_ten_days_ahead() -> None:
    snap = _planned_visit(NOW + 10 * DAY)
    approvals = approved(*ALL_GATE_APPROVALS)
    before = gate_facts_from_snapshot(snap, approvals, now_ms=NOW, review=REVIEW)
    result = check_gate(DEFINITION, before, Stage.VALUE_PRESENTATION)
    assert [p.path for p in result.problems] == ["actions.decision_maker_met"]
    after = gate_facts_from_snapshot(snap, approvals, now_ms=NOW + 11 * DAY, review=REVIEW)
    assert check_gate(DEFINITION, after, Stage.VALUE_PRESENTATION).allowed


def test_a_planned_activity_is_no_contact_for_the_idle_rule() -> None:
    snap = complete_snapshot(Stage.NEGOTIATION)
    planned = activity(9, ActivityType.VISIT, "p-cio", at=T0 + 5 * YEAR)
    snap = replace(snap, activities=(*snap.activities, planned))
    now = T0 + 60 * DAY
    facts = violation_facts_from_snapshot(
        snap, approved(*ALL_GATE_APPROVALS), T0, REVIEW, now_ms=now
    )
    assert facts.last_activity_at == T0 + 3 * DAY  # the last one that happened
    rules = {v.rule.value for v in detect_violations(DEFINITION, facts, now)}
    assert "OPPORTUNITY_IDLE" in rules


def test_a_very_positive_activity_years_ahead_moves_no_score() -> None:
    config = default_config()
    snap = complete_snapshot()
    future = replace(
        activity(9, ActivityType.EXECUTIVE_VISIT, "p-cio", at=NOW + 3 * YEAR),
        outcome=Outcome.VERY_POSITIVE,
        solution_reaction=Outcome.VERY_POSITIVE,
        price_reaction=Outcome.VERY_POSITIVE,
    )
    with_future = replace(snap, activities=(*snap.activities, future))
    assert score_chain(with_future, NOW, config) == score_chain(snap, NOW, config)


def test_last_contact_ignores_a_planned_activity() -> None:
    snap = complete_snapshot()
    now = T0 + 200 * DAY
    planned = activity(9, ActivityType.VISIT, "p-coach", at=now + YEAR)
    gaps = analyse(replace(snap, activities=(*snap.activities, planned)), now).analysis.gaps
    coach = next(g for g in gaps if g.person_id == "p-coach")
    assert coach.days_since_contact is None  # never met: the visit is still to come
    assert "NO_RECENT_CONTACT" in coach.kinds


def test_a_result_for_an_activity_to_come_is_one_problem_per_field() -> None:
    problems = future_result_problems(NOW + DAY, NOW, ["outcome", "price_reaction"])
    assert [(p.code, p.path) for p in problems] == [
        ("RESULT_OF_FUTURE_ACTIVITY", "outcome"),
        ("RESULT_OF_FUTURE_ACTIVITY", "price_reaction"),
    ]
    assert problems[1].zh.startswith("对价格的反应")
    assert problems[1].en.startswith("The reaction to the price")
    assert future_result_problems(NOW, NOW, ["outcome"]) == []
    assert future_result_problems(NOW + DAY, NOW, []) == []
