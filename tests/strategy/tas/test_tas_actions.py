"""Named action predicates read the decision chain, not a checkbox."""

from __future__ import annotations

from dataclasses import replace

from tas_case import NOW, activity, complete_snapshot, empty_snapshot

from domain.vocabulary import ActivityType, Stage
from strategy.tas import ACTIONS, satisfied_actions
from strategy.tas.actions import action_gaps


def test_complete_deal_satisfies_every_deal_action() -> None:
    # the fixture staffs only the deal triangle
    expected = frozenset(ACTIONS) - {"acquisition_triangle_complete"}
    assert satisfied_actions(complete_snapshot(), NOW) == expected


def test_empty_deal_satisfies_none() -> None:
    assert satisfied_actions(empty_snapshot(), NOW) == frozenset()


def test_decision_maker_met_needs_a_meeting_with_the_decision_maker() -> None:
    snap = complete_snapshot()
    only_mail = replace(snap, activities=(activity(9, ActivityType.EMAIL, "p-cio"),))
    assert "decision_maker_met" not in satisfied_actions(only_mail, NOW)
    other_person = replace(snap, activities=(activity(9, ActivityType.VISIT, "p-arch"),))
    assert "decision_maker_met" not in satisfied_actions(other_person, NOW)
    visit = replace(snap, activities=(activity(9, ActivityType.EXECUTIVE_VISIT, "p-cio"),))
    assert "decision_maker_met" in satisfied_actions(visit, NOW)


def test_activities_of_other_opportunities_do_not_count() -> None:
    snap = complete_snapshot()
    elsewhere = replace(
        activity(9, ActivityType.TECHNICAL_EXCHANGE, "p-arch"), opportunity_id="opp-2"
    )
    assert "technical_exchange_held" not in satisfied_actions(
        replace(snap, activities=(elsewhere,)), NOW
    )


def test_a_quote_judged_not_deliverable_lacks_its_rework_not_a_review() -> None:
    """The gate's refusal after the delivery manager's "no" names what is missing: the rework
    and the review after it, not a review he has already given."""
    snap = complete_snapshot(Stage.PROPOSAL)
    refused = replace(snap, opportunity=replace(snap.opportunity, delivery_infeasible=True))
    (gap,) = action_gaps(refused, NOW)["delivery_review_recorded"]
    assert gap.en == "the rework of the quote judged not deliverable, and its review"
    assert "delivery_review_recorded" not in action_gaps(snap, NOW)
