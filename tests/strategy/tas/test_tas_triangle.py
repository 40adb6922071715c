"""Iron triangle per phase and the delivery-review rule for quotes."""

from __future__ import annotations

from tas_case import AM, DM, SM, T0, team

from domain.chain import TeamAssignment
from domain.vocabulary import LifecyclePhase, TeamRole
from strategy.tas import (
    DeliveryReview,
    QuoteFacts,
    already_submitted,
    can_submit_quote,
    quote_drafted,
    triangle_status,
)


def test_deal_triangle_complete_with_extra_roles() -> None:
    status = triangle_status(team(), LifecyclePhase.DEAL)
    assert status.complete
    assert status.missing == ()
    assert status.extra == (TeamRole.SALES_DIRECTOR,)  # an iron four corners is fine
    assert status.warnings == ()


def test_missing_roles_per_phase_with_bilingual_warnings() -> None:
    status = triangle_status(team(), LifecyclePhase.DELIVERY)  # everyone is on the DEAL phase
    assert set(status.missing) == {
        TeamRole.SERVICE_MANAGER,
        TeamRole.DELIVERY_MANAGER,
        TeamRole.ACCOUNT_MANAGER,
    }
    acq = (TeamAssignment(AM, "Li", TeamRole.ACCOUNT_MANAGER, LifecyclePhase.ACQUISITION),)
    status = triangle_status(acq, LifecyclePhase.ACQUISITION)
    assert set(status.missing) == {TeamRole.LEAD_EXPERT, TeamRole.SOLUTION_MANAGER}
    assert {w.path for w in status.warnings} == {
        "team.ACQUISITION.LEAD_EXPERT",
        "team.ACQUISITION.SOLUTION_MANAGER",
    }
    assert any("引领专家" in w.zh for w in status.warnings)


def _review(**changes: object) -> DeliveryReview:
    base: dict[str, object] = {
        "reviewer_id": DM,
        "reviewed_at": T0,
        "feasible": True,
        "workload_person_days": 120.0,
        "reviewed_quote_amount": 100,
    }
    base.update(changes)
    return DeliveryReview(**base)  # type: ignore[arg-type]


def test_quote_refused_without_delivery_review() -> None:
    problems = can_submit_quote(QuoteFacts(100, team(), None))
    assert [p.code for p in problems] == ["DELIVERY_REVIEW_MISSING"]
    assert "交付经理" in problems[0].zh


def test_quote_allowed_after_a_matching_review() -> None:
    assert can_submit_quote(QuoteFacts(100, team(), _review())) == []


def test_quote_refused_when_review_is_stale_infeasible_or_not_by_delivery_manager() -> None:
    stale = can_submit_quote(QuoteFacts(120, team(), _review()))
    assert [p.code for p in stale] == ["DELIVERY_REVIEW_STALE"]
    wrong = can_submit_quote(
        QuoteFacts(100, team(), _review(reviewer_id=SM, feasible=False, workload_person_days=None))
    )
    assert {p.code for p in wrong} == {
        "DELIVERY_REVIEW_BY_NON_DELIVERY_MANAGER",
        "DELIVERY_REVIEW_NOT_FEASIBLE",
        "DELIVERY_REVIEW_NO_WORKLOAD",
    }
    no_dm = tuple(a for a in team() if a.role != TeamRole.DELIVERY_MANAGER)
    codes = {p.code for p in can_submit_quote(QuoteFacts(100, no_dm, _review()))}
    assert {"NO_DELIVERY_MANAGER", "DELIVERY_REVIEW_BY_NON_DELIVERY_MANAGER"} <= codes


def test_a_first_quote_amount_makes_a_draft_and_a_quote_goes_out_once() -> None:
    assert quote_drafted("NONE", {"quote_amount": 100}) == {"quote_status": "DRAFT"}
    assert quote_drafted(None, {"quote_amount": 100}) == {"quote_status": "DRAFT"}
    assert quote_drafted("DRAFT", {"quote_amount": None}) == {"quote_status": "NONE"}
    assert quote_drafted("SUBMITTED", {"quote_amount": 120}) == {}  # reset by its own write
    assert quote_drafted("NONE", {"name": "x"}) == {}
    assert [p.code for p in already_submitted("SUBMITTED")] == ["QUOTE_SUBMITTED"]
    assert already_submitted("DRAFT") == []
