"""Plain facts the gate and violation rules read, and builders from a ``ChainSnapshot``.

Keeping the input plain (dicts, strings, enums) lets the resolver call the rules with whatever
the store returned, and lets tests state cases directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from domain.chain import ChainSnapshot, OpportunityFacts
from domain.text import Text
from domain.vocabulary import ApprovalState, Grade, Stage
from strategy.tas.actions import action_gaps, satisfied_actions
from strategy.tas.approvals import ApprovalRecord
from strategy.tas.triangle import DeliveryReview, QuoteFacts, can_submit_quote


@dataclass(frozen=True, slots=True)
class ApprovalStatus:
    """The state of one approval of a process on the opportunity (several may exist per code)."""

    process_code: str
    state: ApprovalState


@dataclass(frozen=True, slots=True)
class GateFacts:
    """Everything a stage move is judged on.

    ``fields`` holds the opportunity's field values by name (see ``opportunity_fields``);
    ``actions`` the names of required actions already done; ``gaps`` the missing parts of
    an action made of parts (the roles a decision chain still lacks); ``reason`` and the
    ``lost_to_*`` items describe the requested move itself.
    """

    opportunity_id: str
    stage: Stage
    fields: Mapping[str, object]
    actions: frozenset[str] = frozenset()
    approvals: tuple[ApprovalStatus, ...] = ()
    grade: Grade | None = None
    competitor_ids: frozenset[str] = frozenset()
    reason: str | None = None
    lost_to_competitor: bool = False
    lost_to_competitor_id: str | None = None
    gaps: Mapping[str, tuple[Text, ...]] = field(default_factory=dict)

    def approval_state(self, code: str) -> ApprovalState | None:
        """Best state reached by approvals of ``code``: APPROVED beats PENDING beats the rest."""
        states = {a.state for a in self.approvals if a.process_code == code}
        for best in (
            ApprovalState.APPROVED,
            ApprovalState.PENDING,
            ApprovalState.REJECTED,
            ApprovalState.WITHDRAWN,
        ):
            if best in states:
                return best
        return None


def opportunity_fields(opportunity: OpportunityFacts) -> dict[str, object]:
    """The opportunity's fields as a name → value dict (the names the process file uses)."""
    return {f.name: getattr(opportunity, f.name) for f in fields(opportunity)}


def statuses_of(records: Iterable[ApprovalRecord]) -> tuple[ApprovalStatus, ...]:
    """Reduce approval records to what gates need."""
    return tuple(ApprovalStatus(r.process_code, r.state) for r in records)


def quote_checked_actions(
    snapshot: ChainSnapshot, review: DeliveryReview | None, actions: frozenset[str]
) -> frozenset[str]:
    """``actions`` without the delivery review and the quote submission when they no longer
    hold for the quote as it is now.

    The stored flags may lag behind the quote (a record written before the quote rule, or
    changed outside it); a gate therefore re-checks the review against the current amount
    instead of trusting ``delivery_reviewed`` and ``quote_status``.
    """
    opp = snapshot.opportunity
    quote = QuoteFacts(opp.quote_amount, snapshot.team, review)
    drop: set[str] = set()
    review_holds = (
        review is not None
        and review.feasible
        and (opp.quote_amount is None or review.reviewed_quote_amount == opp.quote_amount)
    )
    if not review_holds:
        drop.add("delivery_review_recorded")
    if can_submit_quote(quote):
        drop.add("quote_submitted")
    return actions - drop


def gate_facts_from_snapshot(
    snapshot: ChainSnapshot,
    approvals: Iterable[ApprovalRecord | ApprovalStatus] = (),
    *,
    now_ms: int,
    review: DeliveryReview | None,
    reason: str | None = None,
    lost_to_competitor: bool = False,
    lost_to_competitor_id: str | None = None,
) -> GateFacts:
    """Build ``GateFacts`` from a snapshot as of ``now_ms``: the done actions come from
    ``actions.py`` (planned activities count for nothing) and the quote actions hold only
    while ``review`` (the newest delivery review) still covers the current quote. Those who
    left the customer count no more: a decision maker met who has left is no decision maker
    met."""
    snapshot = snapshot.present()
    opp = snapshot.opportunity
    return GateFacts(
        opportunity_id=opp.id,
        stage=opp.stage,
        fields=opportunity_fields(opp),
        actions=quote_checked_actions(snapshot, review, satisfied_actions(snapshot, now_ms)),
        approvals=tuple(
            a if isinstance(a, ApprovalStatus) else ApprovalStatus(a.process_code, a.state)
            for a in approvals
        ),
        grade=opp.grade,
        competitor_ids=frozenset(c.id for c in snapshot.competitors),
        reason=reason,
        lost_to_competitor=lost_to_competitor,
        lost_to_competitor_id=lost_to_competitor_id,
        gaps=action_gaps(snapshot, now_ms),
    )
