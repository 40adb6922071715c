"""Builders of realistic TAS+ cases shared by the tests of strategy.tas."""

from __future__ import annotations

from dataclasses import replace

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    MemberFacts,
    OpportunityFacts,
    TeamAssignment,
)
from domain.vocabulary import (
    ActivityType,
    ApprovalState,
    Attitude,
    DecisionRole,
    Grade,
    InfluenceLevel,
    LifecyclePhase,
    Outcome,
    QuoteStatus,
    Stage,
    TeamRole,
)
from strategy.tas import ApprovalRecord, DeliveryReview, Transition

DAY = 86_400_000
T0 = 1_735_689_600_000  # 2025-01-01T00:00:00Z

AM, SM, DM, DIRECTOR = "tm-am", "tm-sm", "tm-dm", "tm-director"
ROLES = {
    AM: (TeamRole.ACCOUNT_MANAGER,),
    SM: (TeamRole.SOLUTION_MANAGER,),
    DM: (TeamRole.DELIVERY_MANAGER,),
    DIRECTOR: (TeamRole.SALES_DIRECTOR,),
}

ALL_GATE_APPROVALS = ("1-1", "1-2", "2-1", "3-1", "3-2", "6-1", "6-2", "6-3", "7-1")
NOW = T0 + 10 * DAY
"""A moment after every activity of ``complete_snapshot``."""
REVIEW = DeliveryReview(DM, T0, True, 120.0, 780_000_000)
"""The delivery review of ``complete_snapshot``'s quote."""


def team() -> tuple[TeamAssignment, ...]:
    """A full deal triangle plus a sales director."""
    deal = LifecyclePhase.DEAL
    return (
        TeamAssignment(AM, "Li Wei", TeamRole.ACCOUNT_MANAGER, deal),
        TeamAssignment(SM, "Wang Fang", TeamRole.SOLUTION_MANAGER, deal),
        TeamAssignment(DM, "Zhang Min", TeamRole.DELIVERY_MANAGER, deal),
        TeamAssignment(DIRECTOR, "Chen Jie", TeamRole.SALES_DIRECTOR, deal),
    )


def member(person: str, role: DecisionRole) -> MemberFacts:
    return MemberFacts(
        person, role, InfluenceLevel.HIGH, Attitude.SUPPORTER, needs="stable billing"
    )


def activity(i: int, kind: ActivityType, *persons: str, at: int = T0) -> ActivityFacts:
    return ActivityFacts(
        f"act-{i}",
        kind,
        at,
        Outcome.POSITIVE,
        person_ids=persons,
        member_ids=(AM,),
        opportunity_id="opp-1",
    )


def complete_snapshot(stage: Stage = Stage.NEGOTIATION) -> ChainSnapshot:
    """An opportunity that has filled, done and had approved everything up to signing."""
    opp = OpportunityFacts(
        id="opp-1",
        name="Billing platform",
        customer_id="cus-1",
        customer_name="Acme Power",
        stage=stage,
        grade=Grade.A,
        amount=800_000_000,
        currency="CNY",
        budget=900_000_000,
        quote_amount=780_000_000,
        quote_status=QuoteStatus.SUBMITTED,
        expected_close_date="2025-09-30",
        compelling_event="regulator deadline",
        decision_process_known=True,
        delivery_reviewed=True,
    )
    return ChainSnapshot(
        opportunity=opp,
        members=(
            member("p-cio", DecisionRole.DECISION_MAKER),
            member("p-arch", DecisionRole.TECHNICAL_EVALUATOR),
            member("p-fin", DecisionRole.BUSINESS_EVALUATOR),
            member("p-coach", DecisionRole.COACH),
        ),
        team=team(),
        competitors=(CompetitorFacts("cmp-1", "Rival Soft"),),
        activities=(
            activity(1, ActivityType.VISIT, "p-cio", at=T0),
            activity(2, ActivityType.TECHNICAL_EXCHANGE, "p-arch", at=T0 + DAY),
            activity(3, ActivityType.DEMO, "p-arch", "p-fin", at=T0 + 2 * DAY),
            activity(4, ActivityType.PRICING_DISCUSSION, "p-fin", at=T0 + 3 * DAY),
        ),
    )


def empty_snapshot(stage: Stage = Stage.VALIDATE) -> ChainSnapshot:
    """A freshly created opportunity: nothing filled, nothing done."""
    opp = OpportunityFacts(
        id="opp-1",
        name="Billing platform",
        customer_id="cus-1",
        customer_name="Acme Power",
        stage=stage,
        grade=Grade.C,
        amount=0,
        currency="CNY",
    )
    return ChainSnapshot(opportunity=opp)


def approval(
    code: str,
    state: ApprovalState = ApprovalState.APPROVED,
    *,
    requester: str = AM,
    decider: str | None = None,
    decider_roles: tuple[TeamRole, ...] | None = None,
    approval_id: str | None = None,
) -> ApprovalRecord:
    """An approval record with a plausible history ending in ``state``.

    The default decider holds an approver role of the default process file (6-1 is decided by
    the delivery manager, everything else by the sales director).
    """
    decider = decider or (DM if code == "6-1" else DIRECTOR)
    history = [Transition(None, ApprovalState.PENDING, requester, ROLES.get(requester, ()), T0)]
    if state != ApprovalState.PENDING:
        actor = requester if state == ApprovalState.WITHDRAWN else decider
        roles = decider_roles if decider_roles is not None else ROLES.get(actor, ())
        history.append(Transition(ApprovalState.PENDING, state, actor, roles, T0 + DAY))
    return ApprovalRecord(
        id=approval_id or f"apr-{code}",
        process_code=code,
        opportunity_id="opp-1",
        requester_id=requester,
        state=state,
        fields={},
        history=tuple(history),
    )


def approved(*codes: str) -> tuple[ApprovalRecord, ...]:
    return tuple(approval(c) for c in codes)


def with_opportunity(snapshot: ChainSnapshot, **changes: object) -> ChainSnapshot:
    return replace(snapshot, opportunity=replace(snapshot.opportunity, **changes))  # type: ignore[arg-type]
