"""Stored TAS+ process records as ``strategy.tas``'s pure records, and back.

The store keeps approvals, delivery reviews and violations as plain properties; the rules
read typed records. The mapping lives here, between the two, so that ``graph`` knows no
rule and ``strategy`` knows no storage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain import records as rec
from domain.errors import not_found
from domain.vocabulary import ApprovalState, Stage, TeamRole
from graph import process_store as ps
from graph.chains import LoadedChain, load_decision_chains
from graph.scope import EVERYTHING, Scope
from graph.store import GraphStore
from strategy.tas import (
    ApprovalRecord,
    DeliveryReview,
    Transition,
    ViolationFacts,
    ViolationFinding,
    ViolationRule,
    violation_facts_from_snapshot,
)


def history_json(history: Iterable[Transition]) -> str:
    """An approval's transitions as the JSON text stored in ``Approval.history``."""
    return json.dumps(
        [
            {
                "from": t.from_state.value if t.from_state else None,
                "to": t.to_state.value,
                "actor": t.actor_id,
                "roles": [r.value for r in t.actor_roles],
                "at": t.at,
                "comment": t.comment,
            }
            for t in history
        ],
        ensure_ascii=False,
    )


def _history(text: object) -> tuple[Transition, ...]:
    if not isinstance(text, str) or not text:
        return ()
    return tuple(
        Transition(
            ApprovalState(item["from"]) if item.get("from") else None,
            ApprovalState(item["to"]),
            str(item["actor"]),
            tuple(TeamRole(r) for r in item.get("roles", [])),
            int(item["at"]),
            str(item.get("comment") or ""),
        )
        for item in json.loads(text)
    )


def approval_record(node: Mapping[str, Any]) -> ApprovalRecord:
    """The pure approval record of a stored Approval node."""
    request = node.get("request")
    return ApprovalRecord(
        id=str(node["id"]),
        process_code=str(node["process"]),
        opportunity_id=str(node.get("opportunity_id") or ""),
        requester_id=str(node.get("requester_id") or ""),
        state=ApprovalState(node.get("state") or ApprovalState.PENDING),
        fields=json.loads(request) if isinstance(request, str) and request else {},
        history=_history(node.get("history")),
    )


def approval_fields(record: ApprovalRecord) -> dict[str, Any]:
    """The stored properties of a newly requested approval (the store adds id-free stamps)."""
    return {
        "id": record.id,
        "process": record.process_code,
        "state": record.state.value,
        "request": json.dumps(dict(record.fields), ensure_ascii=False, sort_keys=True),
        "comment": (record.history[0].comment if record.history else "") or None,
        "history": history_json(record.history),
        "requester_id": record.requester_id,
        "opportunity_id": record.opportunity_id,
    }


def delivery_review(node: rec.DeliveryReviewRecord) -> DeliveryReview:
    """The pure review record of a stored DeliveryReview node."""
    workload = node.get("workload_person_days")
    amount = node.get("reviewed_quote_amount")
    return DeliveryReview(
        reviewer_id=str(node["reviewer_id"]),
        reviewed_at=int(node["reviewed_at"]),
        feasible=bool(node.get("feasible")),
        workload_person_days=float(workload) if workload is not None else None,
        reviewed_quote_amount=int(amount) if amount is not None else None,
        comment=str(node.get("comment") or ""),
    )


def review_fields(review: DeliveryReview) -> dict[str, Any]:
    """The stored properties of a delivery review."""
    return {
        "reviewer_id": review.reviewer_id,
        "reviewed_at": review.reviewed_at,
        "feasible": review.feasible,
        "workload_person_days": review.workload_person_days,
        "reviewed_quote_amount": review.reviewed_quote_amount,
        "comment": review.comment,
    }


def violation_fields(finding: ViolationFinding) -> dict[str, Any]:
    """The stored properties of a finding (the store adds id and time stamps)."""
    row: dict[str, Any] = {
        "key": finding.key,
        "rule": finding.rule.value,
        "opportunity_id": finding.opportunity_id,
        "subject": finding.subject,
        "message_zh": finding.zh,
        "message_en": finding.en,
        "evidence": json.dumps(dict(finding.evidence), ensure_ascii=False, sort_keys=True),
    }
    if finding.responsible_member_id:
        row["responsible_member_id"] = finding.responsible_member_id
    return row


def finding_of(node: Mapping[str, Any]) -> ViolationFinding:
    """A stored violation as a finding (for summaries)."""
    evidence = node.get("evidence")
    return ViolationFinding(
        ViolationRule(str(node["rule"])),
        str(node["opportunity_id"]),
        str(node.get("subject") or ""),
        node.get("responsible_member_id"),
        str(node.get("message_zh") or ""),
        str(node.get("message_en") or ""),
        json.loads(evidence) if isinstance(evidence, str) and evidence else {},
    )


def stage_entered_at(opportunity: Mapping[str, Any]) -> int:
    """When a stored opportunity entered its stage (its creation when never moved): where its
    idle count starts when it never had a contact."""
    value = opportunity.get("stage_entered_at") or opportunity.get("created_at")
    return int(value or 0)


@dataclass(frozen=True, slots=True)
class ProcessFacts:
    """What the process rules need beyond the decision chain, for one opportunity."""

    opportunity: rec.OpportunityRecord
    approvals: tuple[ApprovalRecord, ...]
    approval_nodes: tuple[rec.ApprovalRecord, ...]
    review: DeliveryReview | None
    review_node: rec.DeliveryReviewRecord | None

    @property
    def stage_entered_at(self) -> int:
        """When the deal entered its stage (its creation when never moved)."""
        return stage_entered_at(self.opportunity)


def load_process_facts(
    store: GraphStore, opportunity_ids: Sequence[str], *, scope: Scope = EVERYTHING
) -> dict[str, ProcessFacts]:
    """Approvals and the newest delivery review of visible opportunities, in one statement."""
    return {
        i: ProcessFacts(
            opportunity=row.opportunity,
            approvals=tuple(approval_record(a) for a in row.approvals),
            approval_nodes=row.approvals,
            review=delivery_review(row.review) if row.review else None,
            review_node=row.review,
        )
        for i, row in ps.load_process_rows(store, opportunity_ids, scope=scope).items()
    }


@dataclass(frozen=True, slots=True)
class DealState:
    """One opportunity as the process sees it: its chain and its process facts."""

    chain: LoadedChain
    facts: ProcessFacts

    def violation_facts(self, now_ms: int) -> ViolationFacts:
        """The input of ``detect_violations`` for this deal as of ``now_ms``."""
        return violation_facts_from_snapshot(
            self.chain.snapshot,
            self.facts.approvals,
            self.facts.stage_entered_at,
            self.facts.review,
            now_ms=now_ms,
        )


def load_deal_states(
    store: GraphStore, opportunity_ids: Sequence[str], *, scope: Scope = EVERYTHING
) -> dict[str, DealState]:
    """Chains (one statement) and process facts (one statement) of many opportunities."""
    chains = load_decision_chains(store, opportunity_ids, scope=scope)
    facts = load_process_facts(store, list(chains), scope=scope)
    return {i: DealState(chains[i], facts[i]) for i in chains if i in facts}


def load_deal_state(
    store: GraphStore, opportunity_id: str, *, scope: Scope = EVERYTHING
) -> DealState:
    """One visible opportunity's state, or NOT_FOUND."""
    found = load_deal_states(store, [opportunity_id], scope=scope)
    if opportunity_id not in found:
        raise not_found("Opportunity")
    return found[opportunity_id]


def text_or_none(value: object) -> str | None:
    """A stored optional text as the API shows it: blank is None."""
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True, slots=True)
class StageMove:
    """One stored stage transition of an opportunity, typed for the API to present."""

    id: str
    from_stage: Stage
    to_stage: Stage
    reason: str | None
    at: int
    actor_id: str
    actor_name: str | None
    member_id: str | None
    lost_to_competitor_id: str | None


def stage_move(node: rec.StageTransitionRecord) -> StageMove:
    """A stored ``StageTransition`` node as a typed record (blank texts as None)."""
    return StageMove(
        id=str(node["id"]),
        from_stage=Stage(node["from_stage"]),
        to_stage=Stage(node["to_stage"]),
        reason=text_or_none(node.get("reason")),
        at=int(node["at"]),
        actor_id=str(node.get("actor_id") or ""),
        actor_name=text_or_none(node.get("actor_member_name"))
        or text_or_none(node.get("actor_name")),
        member_id=text_or_none(node.get("member_id")),
        lost_to_competitor_id=text_or_none(node.get("lost_to_competitor_id")),
    )
