"""The iron triangle per lifecycle phase, and the quote rule it exists for: no quote reaches the
customer before the delivery manager has reviewed solution, workload and price."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from domain.chain import ChainSnapshot, TeamAssignment
from domain.vocabulary import LABELS, LifecyclePhase, TeamRole
from strategy.tas.problems import Problem

TRIANGLES: Final[dict[LifecyclePhase, frozenset[TeamRole]]] = {
    LifecyclePhase.ACQUISITION: frozenset(
        {TeamRole.LEAD_EXPERT, TeamRole.ACCOUNT_MANAGER, TeamRole.SOLUTION_MANAGER}
    ),
    LifecyclePhase.DEAL: frozenset(
        {TeamRole.ACCOUNT_MANAGER, TeamRole.SOLUTION_MANAGER, TeamRole.DELIVERY_MANAGER}
    ),
    LifecyclePhase.DELIVERY: frozenset(
        {TeamRole.SERVICE_MANAGER, TeamRole.DELIVERY_MANAGER, TeamRole.ACCOUNT_MANAGER}
    ),
}
"""Required roles per phase (the article's three triangles); extra roles are welcome."""

_ROLE_ORDER: Final = tuple(TeamRole)


@dataclass(frozen=True, slots=True)
class TriangleStatus:
    """Who covers the triangle of one phase, and what is missing."""

    phase: LifecyclePhase
    required: tuple[TeamRole, ...]
    present: tuple[TeamRole, ...]
    missing: tuple[TeamRole, ...]
    extra: tuple[TeamRole, ...]
    warnings: tuple[Problem, ...]

    @property
    def complete(self) -> bool:
        """True when every required role has someone assigned."""
        return not self.missing


def _ordered(roles: Iterable[TeamRole]) -> tuple[TeamRole, ...]:
    wanted = set(roles)
    return tuple(r for r in _ROLE_ORDER if r in wanted)


def triangle_status(team: Iterable[TeamAssignment], phase: LifecyclePhase) -> TriangleStatus:
    """Compare the assignments of ``phase`` with its triangle; other phases' people don't count."""
    required = TRIANGLES[phase]
    present = {a.role for a in team if a.phase == phase}
    missing = _ordered(required - present)
    phase_label = LABELS[phase]
    warnings = tuple(
        Problem(
            code="TRIANGLE_ROLE_MISSING",
            path=f"team.{phase.value}.{role.value}",
            zh=f"{phase_label.zh}阶段铁三角缺少{LABELS[role].zh}",
            en=f"The {phase_label.en.lower()} triangle has no {LABELS[role].en.lower()}",
        )
        for role in missing
    )
    return TriangleStatus(
        phase=phase,
        required=_ordered(required),
        present=_ordered(present),
        missing=missing,
        extra=_ordered(present - required),
        warnings=warnings,
    )


@dataclass(frozen=True, slots=True)
class DeliveryReview:
    """The delivery manager's recorded review of solution feasibility, workload and price."""

    reviewer_id: str
    reviewed_at: int
    feasible: bool
    workload_person_days: float | None
    reviewed_quote_amount: int | None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class QuoteFacts:
    """What the quote rule reads: the quote, the team and the latest delivery review."""

    quote_amount: int | None
    team: tuple[TeamAssignment, ...]
    review: DeliveryReview | None


def quote_facts_from_snapshot(snapshot: ChainSnapshot, review: DeliveryReview | None) -> QuoteFacts:
    """Build ``QuoteFacts`` from a chain snapshot plus the stored review record."""
    return QuoteFacts(snapshot.opportunity.quote_amount, snapshot.team, review)


def can_submit_quote(facts: QuoteFacts) -> list[Problem]:
    """Refuse a quote submission until a delivery manager on the team has reviewed it.

    Account and solution managers tend to over-promise; the review must cover feasibility,
    the workload estimate and this very quote amount (a changed quote needs a new review).
    """
    problems: list[Problem] = []
    delivery_managers = {a.member_id for a in facts.team if a.role == TeamRole.DELIVERY_MANAGER}
    if facts.quote_amount is None or facts.quote_amount <= 0:
        problems.append(
            Problem("MISSING_FIELD", "fields.quote_amount", "报价金额未填写", "No quote amount")
        )
    if not delivery_managers:
        problems.append(
            Problem(
                "NO_DELIVERY_MANAGER",
                "team.DELIVERY_MANAGER",
                "团队中没有交付经理,无法进行交付评审",
                "No delivery manager on the team to review the quote",
            )
        )
    review = facts.review
    if review is None:
        problems.append(
            Problem(
                "DELIVERY_REVIEW_MISSING",
                "delivery_review",
                "提交报价前须由交付经理评审方案可落地性、工作量和报价",
                "The delivery manager must review feasibility, workload and price "
                "before the quote is submitted",
            )
        )
        return problems
    if review.reviewer_id not in delivery_managers:
        problems.append(
            Problem(
                "DELIVERY_REVIEW_BY_NON_DELIVERY_MANAGER",
                "delivery_review.reviewer_id",
                "交付评审人不是本商机团队的交付经理",
                "The review was not recorded by a delivery manager of this team",
            )
        )
    if not review.feasible:
        problems.append(
            Problem(
                "DELIVERY_REVIEW_NOT_FEASIBLE",
                "delivery_review.feasible",
                "交付经理评审认为方案不可落地",
                "The delivery manager judged the solution not deliverable",
            )
        )
    if review.workload_person_days is None or review.workload_person_days <= 0:
        problems.append(
            Problem(
                "DELIVERY_REVIEW_NO_WORKLOAD",
                "delivery_review.workload_person_days",
                "交付评审缺少工作量评估",
                "The delivery review has no workload estimate",
            )
        )
    if facts.quote_amount is not None and review.reviewed_quote_amount != facts.quote_amount:
        problems.append(
            Problem(
                "DELIVERY_REVIEW_STALE",
                "delivery_review.reviewed_quote_amount",
                "报价金额与交付经理评审时的金额不一致,需要重新评审",
                "The quote differs from the amount the delivery manager reviewed; review again",
            )
        )
    return problems
