"""The iron triangle per lifecycle phase, and the quote rule it exists for: no quote reaches the
customer before the delivery manager has reviewed solution, workload and price."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from domain.chain import ChainSnapshot, TeamAssignment
from domain.vocabulary import CLOSED_STAGES, LABELS, LifecyclePhase, QuoteStatus, Stage, TeamRole
from strategy.tas.problem_texts import in_sentence, problem_texts
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


WORKLOAD_MAX_DAYS: Final = 100_000
"""The largest workload estimate a review takes, in person-days (some 400 person-years): a
figure beyond it is a slip of the keyboard, not an estimate."""


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
    warnings = tuple(
        problem_texts().problem(
            "TRIANGLE_ROLE_MISSING",
            f"team.{phase.value}.{role.value}",
            "triangle.role_missing",
            phase=in_sentence(LABELS[phase]),
            role=in_sentence(LABELS[role]),
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


def quote_drafted(status: object, fields: Mapping[str, object]) -> dict[str, str]:
    """The quote status a deal's first quote amount gives it when it has none (a draft, to
    review and submit), or clearing a draft's amount takes away; nothing otherwise."""
    if "quote_amount" not in fields:
        return {}
    if fields["quote_amount"] is not None and status in (None, QuoteStatus.NONE.value):
        return {"quote_status": QuoteStatus.DRAFT.value}
    if fields["quote_amount"] is None and status == QuoteStatus.DRAFT.value:
        return {"quote_status": QuoteStatus.NONE.value}
    return {}


def already_submitted(status: object) -> list[Problem]:
    """A quote goes out once: submitting it again is refused (a changed quote is a new draft)."""
    if status != QuoteStatus.SUBMITTED.value:
        return []
    return [problem_texts().problem("QUOTE_SUBMITTED", "quote_status", "quote.already_submitted")]


def deal_decided(stage: Stage, about: str = "quote") -> list[Problem]:
    """A deal won, lost or abandoned is decided: no quote goes out on it any more, and no
    delivery review of its quote is recorded (``about``: "quote" or "review")."""
    if stage not in CLOSED_STAGES:
        return []
    words = {"stage": in_sentence(LABELS[stage])}
    return [problem_texts().problem("STAGE_CLOSED", "stage", f"{about}.deal_closed", **words)]


def can_submit_quote(facts: QuoteFacts) -> list[Problem]:
    """Refuse a quote submission until a delivery manager on the team has reviewed it.

    Account and solution managers tend to over-promise; the review must cover feasibility,
    the workload estimate and this very quote amount (a changed quote needs a new review).
    """
    texts = problem_texts()
    problems: list[Problem] = []
    delivery_managers = {a.member_id for a in facts.team if a.role == TeamRole.DELIVERY_MANAGER}
    if facts.quote_amount is None or facts.quote_amount <= 0:
        problems.append(texts.problem("MISSING_FIELD", "fields.quote_amount", "quote.no_amount"))
    if not delivery_managers:
        problems.append(
            texts.problem(
                "NO_DELIVERY_MANAGER", "team.DELIVERY_MANAGER", "quote.no_delivery_manager"
            )
        )
    review = facts.review
    if review is None:
        problems.append(
            texts.problem("DELIVERY_REVIEW_MISSING", "delivery_review", "quote.review_missing")
        )
        return problems
    if review.reviewer_id not in delivery_managers:
        problems.append(
            texts.problem(
                "DELIVERY_REVIEW_BY_NON_DELIVERY_MANAGER",
                "delivery_review.reviewer_id",
                "quote.reviewer_not_delivery_manager",
            )
        )
    if not review.feasible:
        problems.append(
            texts.problem(
                "DELIVERY_REVIEW_NOT_FEASIBLE", "delivery_review.feasible", "quote.not_feasible"
            )
        )
    if review.workload_person_days is None or review.workload_person_days <= 0:
        problems.append(
            texts.problem(
                "DELIVERY_REVIEW_NO_WORKLOAD",
                "delivery_review.workload_person_days",
                "quote.no_workload",
            )
        )
    if facts.quote_amount is not None and review.reviewed_quote_amount != facts.quote_amount:
        problems.append(
            texts.problem(
                "DELIVERY_REVIEW_STALE",
                "delivery_review.reviewed_quote_amount",
                "quote.review_stale",
            )
        )
    return problems
