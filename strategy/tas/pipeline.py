"""Pipeline summary for management ("decide and act"): where the deals are, how compliant the
process is, who has approvals waiting and which rules are broken. Amounts are never summed
across currencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from domain.vocabulary import ApprovalState, Grade, Stage, TeamRole
from strategy.tas.approvals import ApprovalRecord
from strategy.tas.definition import ProcessDefinition, ViolationRule
from strategy.tas.violations import ViolationFinding


@dataclass(frozen=True, slots=True)
class PipelineItem:
    """One opportunity as the summary needs it; ``gate_compliant`` from ``is_gate_compliant``."""

    opportunity_id: str
    stage: Stage
    grade: Grade
    amount: int
    currency: str
    gate_compliant: bool


@dataclass(frozen=True, slots=True)
class Bucket:
    """Count of deals and amount per currency (minor units) in one stage or grade."""

    count: int
    amounts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RuleTally:
    """The open violations of one rule: how many, how many of them were answered (a response
    waits for a sales director; the others still wait for one) and the deals concerned, each
    once, in the order the violations came."""

    rule: ViolationRule
    count: int
    responded: int
    opportunity_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PipelineSummary:
    """Aggregates in stable order (stage order, grade order, sorted keys)."""

    by_stage: tuple[tuple[Stage, Bucket], ...]
    by_grade: tuple[tuple[Grade, Bucket], ...]
    total: int
    compliant: int
    compliance_rate: float | None
    """Share of deals meeting their stage's gate requirements; None when there are none."""
    pending_by_role: tuple[tuple[TeamRole, int], ...]
    violations_by_rule: tuple[tuple[ViolationRule, int], ...]
    rule_tallies: tuple[RuleTally, ...] = ()
    """The open violations by rule (the order of ``violations_by_rule``), answered or not."""


def _bucket(items: list[PipelineItem]) -> Bucket:
    amounts: Counter[str] = Counter()
    for item in items:
        amounts[item.currency] += item.amount
    return Bucket(len(items), tuple(sorted(amounts.items())))


def pipeline_summary(
    definition: ProcessDefinition,
    opportunities: Iterable[PipelineItem],
    pending_approvals: Iterable[ApprovalRecord] = (),
    violations: Iterable[ViolationFinding] = (),
    responded: Collection[str] = frozenset(),
) -> PipelineSummary:
    """Summarise deals, pending approvals (counted once per role that may decide) and findings
    (open violations; ``responded``: the keys of those whose response waits for a director)."""
    items = list(opportunities)
    by_stage = tuple(
        (stage, _bucket([i for i in items if i.stage == stage]))
        for stage in Stage
        if any(i.stage == stage for i in items)
    )
    by_grade = tuple(
        (grade, _bucket([i for i in items if i.grade == grade]))
        for grade in Grade
        if any(i.grade == grade for i in items)
    )
    compliant = sum(1 for i in items if i.gate_compliant)
    roles: Counter[TeamRole] = Counter()
    for approval in pending_approvals:
        process = definition.process(approval.process_code)
        if approval.state == ApprovalState.PENDING and process is not None:
            roles.update(process.approver_roles)
    findings = list(violations)
    rules = Counter(v.rule for v in findings)
    return PipelineSummary(
        by_stage=by_stage,
        by_grade=by_grade,
        total=len(items),
        compliant=compliant,
        compliance_rate=compliant / len(items) if items else None,
        pending_by_role=tuple((r, roles[r]) for r in TeamRole if roles[r]),
        violations_by_rule=tuple((r, rules[r]) for r in ViolationRule if rules[r]),
        rule_tallies=tuple(
            _tally(r, [v for v in findings if v.rule == r], responded)
            for r in ViolationRule
            if rules[r]
        ),
    )


def _tally(
    rule: ViolationRule, findings: list[ViolationFinding], responded: Collection[str]
) -> RuleTally:
    return RuleTally(
        rule,
        len(findings),
        sum(1 for v in findings if v.key in responded),
        tuple(dict.fromkeys(v.opportunity_id for v in findings)),
    )
