"""Named required actions ("do what must be done"), each a predicate over a ``ChainSnapshot``.

The process file refers to these names; the loader refuses names not registered here, so a
typo cannot silently switch a check off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from domain.chain import ActivityFacts, ChainSnapshot, MemberFacts
from domain.text import Text
from domain.vocabulary import (
    LABELS,
    ActivityType,
    DecisionRole,
    InfluenceLevel,
    LifecyclePhase,
    QuoteStatus,
)
from strategy.tas.action_texts import ACTION_NAMES, action_texts
from strategy.tas.problem_texts import in_sentence
from strategy.tas.timeline import as_of
from strategy.tas.triangle import triangle_status

_MEETING_TYPES: Final = frozenset(ActivityType) - {ActivityType.CALL, ActivityType.EMAIL}
_PRESENTATION_TYPES: Final = frozenset(
    {ActivityType.DEMO, ActivityType.POC, ActivityType.WORKSHOP, ActivityType.REFERENCE_VISIT}
)


@dataclass(frozen=True, slots=True)
class Action:
    """A required action: its name and how to tell it is done; its label in both languages
    is read from ``action_texts.toml``."""

    name: str
    check: Callable[[ChainSnapshot], bool]

    @property
    def label(self) -> Text:
        """The action as people read it, in both languages."""
        return action_texts().action(self.name)

    @property
    def zh(self) -> str:
        """The label in Chinese."""
        return self.label.zh

    @property
    def en(self) -> str:
        """The label in English."""
        return self.label.en


def _activities(s: ChainSnapshot) -> tuple[ActivityFacts, ...]:
    opp = s.opportunity.id
    return tuple(a for a in s.activities if a.opportunity_id in (None, opp))


def _persons_with(s: ChainSnapshot, role: DecisionRole) -> frozenset[str]:
    return frozenset(m.person_id for m in s.members if m.role == role)


def decision_maker_identified(s: ChainSnapshot) -> bool:
    """Someone in the chain is marked decision maker."""
    return bool(_persons_with(s, DecisionRole.DECISION_MAKER))


def decision_maker_met(s: ChainSnapshot) -> bool:
    """A face-to-face activity (not a call or email) included a decision maker."""
    dms = _persons_with(s, DecisionRole.DECISION_MAKER)
    return any(a.type in _MEETING_TYPES and dms & set(a.person_ids) for a in _activities(s))


def coach_identified(s: ChainSnapshot) -> bool:
    """Someone in the chain coaches us."""
    return bool(_persons_with(s, DecisionRole.COACH))


NAMED_AT_MOST: Final = 5
"""How many people a missing part names before it counts the rest."""

CHAIN_ROLES: Final = (
    DecisionRole.DECISION_MAKER,
    DecisionRole.TECHNICAL_EVALUATOR,
    DecisionRole.BUSINESS_EVALUATOR,
)
"""The roles a mapped decision chain names, in the order its label lists them."""


def chain_roles_missing(s: ChainSnapshot) -> tuple[Text, ...]:
    """The roles of ``CHAIN_ROLES`` no one in the chain holds yet, as people name them."""
    roles = {m.role for m in s.members}
    return tuple(in_sentence(LABELS[r]) for r in CHAIN_ROLES if r not in roles)


def decision_chain_mapped(s: ChainSnapshot) -> bool:
    """Decision maker, technical evaluator and business evaluator are all identified."""
    return not chain_roles_missing(s)


def unrecorded_members(s: ChainSnapshot) -> tuple[MemberFacts, ...]:
    """The members whose needs nobody recorded yet, by role as the chain lists them, then
    weight, then name: the order in which they are named."""
    names = {p.id: p.name for p in s.persons}
    roles, weights = list(DecisionRole), list(InfluenceLevel)
    return tuple(
        sorted(
            (m for m in s.members if not m.needs_stated),
            key=lambda m: (
                roles.index(m.role),
                -weights.index(m.influence),
                names.get(m.person_id, ""),
            ),
        )
    )


def named(names: Sequence[str]) -> tuple[Text, ...]:
    """People by name, the first ``NAMED_AT_MOST`` and how many more (one without a name is
    counted among them)."""
    shown = [n for n in names if n][:NAMED_AT_MOST]
    more = len(names) - len(shown)
    return tuple(Text(en=n, zh=n) for n in shown) + (
        (Text(en=f"{more} more", zh=f"另{more}人"),) if more else ()
    )


def needs_unrecorded(s: ChainSnapshot) -> tuple[Text, ...]:
    """The members whose needs nobody recorded yet, ``named``: the team is
    told whose are missing, not sent to look through the chain."""
    names = {p.id: p.name for p in s.persons}
    return named([names.get(m.person_id, "") for m in unrecorded_members(s)])


def needs_recorded(s: ChainSnapshot) -> bool:
    """Every member of the chain has stated needs recorded."""
    return bool(s.members) and all(m.needs_stated for m in s.members)


def acquisition_triangle_complete(s: ChainSnapshot) -> bool:
    """Lead expert, account manager and solution manager are assigned for acquisition."""
    return triangle_status(s.team, LifecyclePhase.ACQUISITION).complete


def deal_triangle_complete(s: ChainSnapshot) -> bool:
    """Account, solution and delivery manager are assigned for the deal phase."""
    return triangle_status(s.team, LifecyclePhase.DEAL).complete


def competitors_identified(s: ChainSnapshot) -> bool:
    """At least one competitor is recorded on the opportunity."""
    return bool(s.competitors)


def technical_exchange_held(s: ChainSnapshot) -> bool:
    """A technical exchange took place."""
    return any(a.type == ActivityType.TECHNICAL_EXCHANGE for a in _activities(s))


def solution_presented(s: ChainSnapshot) -> bool:
    """The solution was shown: demo, POC, workshop or reference visit."""
    return any(a.type in _PRESENTATION_TYPES for a in _activities(s))


def pricing_discussed(s: ChainSnapshot) -> bool:
    """Price was discussed with the customer."""
    return any(a.type == ActivityType.PRICING_DISCUSSION for a in _activities(s))


def delivery_review_recorded(s: ChainSnapshot) -> bool:
    """The delivery manager's review of solution, workload and quote is recorded."""
    return s.opportunity.delivery_reviewed


def review_refused(s: ChainSnapshot) -> tuple[Text, ...]:
    """What the delivery review lacks when the newest one judged the quote not deliverable: not
    a review, but the quote's rework and the review after it (the refusal says so, rather than
    sending the team back to the delivery manager as if he had not reviewed it)."""
    if not s.opportunity.delivery_infeasible:
        return ()
    return (
        Text(
            en="the rework of the quote judged not deliverable, and its review",
            zh="对被评审为不可落地的报价的调整及重新评审",
        ),
    )


def quote_submitted(s: ChainSnapshot) -> bool:
    """Our quote has been submitted to the customer."""
    return s.opportunity.quote_status == QuoteStatus.SUBMITTED


_CHECKS: Final[dict[str, Callable[[ChainSnapshot], bool]]] = {
    "decision_maker_identified": decision_maker_identified,
    "decision_maker_met": decision_maker_met,
    "coach_identified": coach_identified,
    "decision_chain_mapped": decision_chain_mapped,
    "needs_recorded": needs_recorded,
    "acquisition_triangle_complete": acquisition_triangle_complete,
    "deal_triangle_complete": deal_triangle_complete,
    "competitors_identified": competitors_identified,
    "technical_exchange_held": technical_exchange_held,
    "solution_presented": solution_presented,
    "pricing_discussed": pricing_discussed,
    "delivery_review_recorded": delivery_review_recorded,
    "quote_submitted": quote_submitted,
}

_GAPS: Final[dict[str, Callable[[ChainSnapshot], tuple[Text, ...]]]] = {
    "decision_chain_mapped": chain_roles_missing,
    "needs_recorded": needs_unrecorded,
    "delivery_review_recorded": review_refused,
}
"""Actions made of parts, and the parts still missing: a refusal names them, so nobody has
to guess which of the label's parts is not done."""

ACTIONS: Final[dict[str, Action]] = {name: Action(name, _CHECKS[name]) for name in ACTION_NAMES}
"""Every action name the process file may use."""


def satisfied_actions(snapshot: ChainSnapshot, now_ms: int) -> frozenset[str]:
    """The names of all registered actions the snapshot shows as done by ``now_ms``; a planned
    activity (dated after ``now_ms``) satisfies nothing until it has happened."""
    past = as_of(snapshot, now_ms)
    return frozenset(name for name, action in ACTIONS.items() if action.check(past))


def action_gaps(snapshot: ChainSnapshot, now_ms: int) -> dict[str, tuple[Text, ...]]:
    """For each action made of parts that is not done by ``now_ms``, its missing parts."""
    past = as_of(snapshot, now_ms)
    gaps = {name: missing(past) for name, missing in _GAPS.items()}
    return {name: parts for name, parts in gaps.items() if parts}
