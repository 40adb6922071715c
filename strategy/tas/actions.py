"""Named required actions ("do what must be done"), each a predicate over a ``ChainSnapshot``.

The process file refers to these names; the loader refuses names not registered here, so a
typo cannot silently switch a check off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from domain.chain import ActivityFacts, ChainSnapshot
from domain.vocabulary import ActivityType, DecisionRole, LifecyclePhase, QuoteStatus
from strategy.tas.timeline import as_of
from strategy.tas.triangle import triangle_status

_MEETING_TYPES: Final = frozenset(ActivityType) - {ActivityType.CALL, ActivityType.EMAIL}
_PRESENTATION_TYPES: Final = frozenset(
    {ActivityType.DEMO, ActivityType.POC, ActivityType.WORKSHOP, ActivityType.REFERENCE_VISIT}
)


@dataclass(frozen=True, slots=True)
class Action:
    """A required action: its name, bilingual description and how to tell it is done."""

    name: str
    zh: str
    en: str
    check: Callable[[ChainSnapshot], bool]


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


def decision_chain_mapped(s: ChainSnapshot) -> bool:
    """Decision maker, technical evaluator and business evaluator are all identified."""
    roles = {m.role for m in s.members}
    needed = {
        DecisionRole.DECISION_MAKER,
        DecisionRole.TECHNICAL_EVALUATOR,
        DecisionRole.BUSINESS_EVALUATOR,
    }
    return needed <= roles


def needs_recorded(s: ChainSnapshot) -> bool:
    """Every member of the chain has stated needs recorded."""
    return bool(s.members) and all(m.needs and m.needs.strip() for m in s.members)


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


def quote_submitted(s: ChainSnapshot) -> bool:
    """Our quote has been submitted to the customer."""
    return s.opportunity.quote_status == QuoteStatus.SUBMITTED


ACTIONS: Final[dict[str, Action]] = {
    a.name: a
    for a in (
        Action(
            "decision_maker_identified",
            "识别决策者",
            "Identify the decision maker",
            decision_maker_identified,
        ),
        Action("decision_maker_met", "拜访决策者", "Meet the decision maker", decision_maker_met),
        Action("coach_identified", "发展教练", "Identify a coach", coach_identified),
        Action(
            "decision_chain_mapped",
            "梳理决策链(决策者、技术和商务评估者)",
            "Map the decision chain (decision maker, technical and business evaluators)",
            decision_chain_mapped,
        ),
        Action(
            "needs_recorded",
            "记录决策链中每个关键人的需求",
            "Record the needs of every key person in the chain",
            needs_recorded,
        ),
        Action(
            "acquisition_triangle_complete",
            "组建获客铁三角",
            "Staff the acquisition triangle",
            acquisition_triangle_complete,
        ),
        Action(
            "deal_triangle_complete",
            "组建打单铁三角(客户经理、方案经理、交付经理)",
            "Staff the deal triangle (account, solution and delivery manager)",
            deal_triangle_complete,
        ),
        Action(
            "competitors_identified",
            "识别竞争对手",
            "Identify the competitors",
            competitors_identified,
        ),
        Action(
            "technical_exchange_held",
            "开展技术交流",
            "Hold a technical exchange",
            technical_exchange_held,
        ),
        Action(
            "solution_presented",
            "呈现方案价值(演示、测试、研讨或样板参观)",
            "Present the solution (demo, POC, workshop or reference visit)",
            solution_presented,
        ),
        Action(
            "pricing_discussed",
            "与客户沟通价格",
            "Discuss price with the customer",
            pricing_discussed,
        ),
        Action(
            "delivery_review_recorded",
            "交付经理评审方案、工作量和报价",
            "Delivery manager reviews solution, workload and quote",
            delivery_review_recorded,
        ),
        Action(
            "quote_submitted", "向客户提交报价", "Submit the quote to the customer", quote_submitted
        ),
    )
}
"""Every action name the process file may use."""


def satisfied_actions(snapshot: ChainSnapshot, now_ms: int) -> frozenset[str]:
    """The names of all registered actions the snapshot shows as done by ``now_ms``; a planned
    activity (dated after ``now_ms``) satisfies nothing until it has happened."""
    past = as_of(snapshot, now_ms)
    return frozenset(name for name, action in ACTIONS.items() if action.check(past))
