"""TAS+ process records in the graph: stage transitions, approvals with their history,
delivery reviews, quote submission and violations.

The rules live in ``strategy.tas`` (pure) and are run by ``resolvers`` (which also maps these
rows to the rules' records, ``resolvers.process_records``); this module only loads the rows
they read and writes their outcome. Every write is one statement that also creates its audit
entry (see ``graph.statements``, section "TAS+ process").

Storage choices:

- ``(:StageTransition)-[:TRANSITION_OF]->(:Opportunity)``: who (actor and team member), when,
  from, to, reason and the competitor a deal was lost to; created in the statement that moves
  the stage.
- ``Approval.history``: the approval's transitions as a JSON list (``from``, ``to``, ``actor``,
  ``roles`` held at that moment, ``at``, ``comment``); ``requester_id`` and ``opportunity_id``
  are kept as properties next to the REQUESTED_BY / REQUESTED_FOR edges.
- ``(:DeliveryReview)-[:REVIEW_OF]->(:Opportunity)``, ``-[:REVIEWED_BY]->(:TeamMember)``; the
  newest review counts.
- ``(:Violation)-[:VIOLATION_OF]->(:Opportunity)`` keyed by the finding's stable ``key``, so a
  sweep upserts instead of duplicating. Violations are acknowledged, resolved (``resolved_at``)
  when a check finds their cause gone, never deleted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from domain.errors import DomainError, ErrorCode, FieldProblem, not_found, stale
from domain.model import NodeKind
from domain.records import (
    ApprovalRecord,
    DeliveryReviewRecord,
    OpportunityRecord,
    StageTransitionRecord,
    ViolationRecord,
)
from domain.vocabulary import (
    CLOSED_STAGES,
    ApprovalState,
    QuoteStatus,
    Stage,
    WorkPlanStatus,
    furthest_of,
)
from graph import statements as st
from graph.moves import opportunity_moves
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.store import GraphStore, Page

# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProcessRows:
    """One opportunity's stored process records: its approvals (oldest first) and its newest
    delivery review."""

    opportunity: OpportunityRecord
    approvals: tuple[ApprovalRecord, ...]
    review: DeliveryReviewRecord | None


_CLOSED: Final = sorted(s.value for s in CLOSED_STAGES)
"""The closed stages, as the statements that leave closed deals out take them."""

QUOTE_SUBMIT_OPERATION: Final = "quote_submit"
"""The audit operation of a quote submitted (read back by ``process_steps``)."""
QUOTE_RESET_OPERATION: Final = "quote_reset"
"""The audit operation of a quote reset by a new amount (read back by ``process_steps``)."""


def load_process_rows(
    store: GraphStore, opportunity_ids: Sequence[str], *, scope: Scope = EVERYTHING
) -> dict[str, ProcessRows]:
    """Approvals and the newest delivery review of visible opportunities, in one statement.

    An opportunity is visible when the scope names it, so the ids are cut to those here rather
    than in the statement (where the check costs as much as the scope is long, for each id)."""
    ids = scope.visible_opportunities(opportunity_ids)
    if not ids:
        return {}
    rows = store.read(st.PROCESS_FACTS, {"ids": ids})
    found: dict[str, ProcessRows] = {}
    for row in rows:
        approvals = sorted(row["approvals"], key=lambda a: (a.get("created_at") or 0, a["id"]))
        reviews = sorted(row["reviews"], key=lambda r: (r.get("reviewed_at") or 0, r["id"]))
        found[row["opportunity_id"]] = ProcessRows(
            opportunity=row["opportunity"],
            approvals=tuple(approvals),
            review=reviews[-1] if reviews else None,
        )
    return found


def opportunity_ids(
    store: GraphStore, *, open_only: bool = False, scope: Scope = EVERYTHING
) -> list[str]:
    """Ids of the visible opportunities (only those not closed, with ``open_only``)."""
    rows = store.read(
        st.OPPORTUNITY_IDS,
        {
            "open_only": open_only,
            "closed": _CLOSED,
            **scope.params(),
        },
    )
    return [str(row["id"]) for row in rows]


def stage_history(
    store: GraphStore, opportunity_ids: Sequence[str]
) -> dict[str, list[StageTransitionRecord]]:
    """Stage transitions per opportunity, oldest first, each with ``actor_member_name``: the
    name of the team member it was moved on behalf of (for a move that keeps none, of the one
    its login acts as now; absent when nobody is linked)."""
    result: dict[str, list[StageTransitionRecord]] = {i: [] for i in opportunity_ids}
    if not opportunity_ids:
        return result
    rows = store.read(st.STAGE_HISTORY, {"ids": list(dict.fromkeys(opportunity_ids))})
    for row in rows:
        transition = row["transition"]
        if row.get("actor_member_name"):
            transition = {**transition, "actor_member_name": row["actor_member_name"]}
        result[row["opportunity_id"]].append(transition)
    for items in result.values():
        items.sort(key=lambda t: (int(t["at"]), str(t["id"])))
    return result


@dataclass(frozen=True, slots=True)
class QuoteSubmission:
    """A quote submitted, as its audit entry tells it: when, the amount, and who (the name of
    the team member the login acted as then, else the login's, for one linked to nobody)."""

    at: int
    amount: int | None
    submitter: str
    member_id: str = ""
    """The team member the login acted as then (empty: none), whom a namesake is told from."""


@dataclass(frozen=True, slots=True)
class QuoteReset:
    """A quote reset, as its audit entry tells it: when, who (named as a submitter is), the
    amount before and after, and whether the quote stood submitted (it went back to draft) and
    the delivery review covered it (it no longer does)."""

    at: int
    who: str
    before: int | None
    after: int | None
    submitted: bool
    reviewed: bool
    member_id: str = ""
    """The team member the login acted as then (empty: none), as a submission's."""


@dataclass(frozen=True, slots=True)
class ProcessSteps:
    """A deal's process on record, each step with the name of who took it (empty: unknown)."""

    currency: str
    approvals: tuple[tuple[ApprovalRecord, str, str], ...]
    """Each approval with its requester's and its decider's names (the decider's empty while
    pending or once withdrawn)."""
    reviews: tuple[tuple[DeliveryReviewRecord, str], ...]
    moves: tuple[tuple[StageTransitionRecord, str], ...]
    """Each stage move with the name of the team member it was moved on behalf of."""
    quotes: tuple[QuoteSubmission, ...]
    resets: tuple[QuoteReset, ...] = ()


def _amount(value: object) -> int | None:
    """An amount as an audit entry's JSON keeps it (a number, or absent), in minor units."""
    return int(str(value)) if value is not None else None


def process_steps(store: GraphStore, opportunity_id: str) -> ProcessSteps | None:
    """The approvals, delivery reviews, stage moves and quote submissions and resets of a deal,
    with the names of the people who took them, in one statement (None: no such deal)."""
    rows = store.read(
        st.PROCESS_STEPS,
        {"id": opportunity_id, "quote_ops": [QUOTE_SUBMIT_OPERATION, QUOTE_RESET_OPERATION]},
    )
    if not rows:
        return None
    row = rows[0]
    names = {str(login): str(name) for login, name in row["submitter_names"] if name}
    members = {str(m): str(name) for m, name in row["member_names"] if m and name}
    quotes, resets = [], []
    for at, changes, login, login_name, member, operation in row["quotes"]:
        told = json.loads(changes or "{}")
        then = members.get(str(member)) if member else names.get(str(login))
        who = then or str(login_name or login or "")
        if operation == QUOTE_RESET_OPERATION:
            was, now = told.get("before") or {}, told.get("after") or {}
            submitted = was.get("quote_status") == QuoteStatus.SUBMITTED.value
            resets.append(
                QuoteReset(
                    int(at),
                    who,
                    _amount(was.get("quote_amount")),
                    _amount(now.get("quote_amount")),
                    submitted=submitted,
                    reviewed=bool(was.get("delivery_reviewed")),
                    member_id=str(member or ""),
                )
            )
        else:
            amount = _amount(told.get("quote_amount"))
            quotes.append(QuoteSubmission(int(at), amount, who, str(member or "")))
    moves = []
    for transition, login_member in row["moves"]:
        then = members.get(str(transition.get("member_id") or ""))
        moves.append((transition, then or login_member or ""))
    return ProcessSteps(
        currency=str(row.get("currency") or ""),
        approvals=tuple((a, r or "", d or "") for a, r, d in row["approvals"]),
        reviews=tuple((r, name or "") for r, name in row["reviews"]),
        moves=tuple(moves),
        quotes=tuple(sorted(quotes, key=lambda q: q.at)),
        resets=tuple(sorted(resets, key=lambda r: r.at)),
    )


# --- writes --------------------------------------------------------------------------------


def _one[R: Mapping[str, Any]](rows: list[dict[str, Any]], kind: NodeKind, before: R) -> R:
    """The written node (of the kind of ``before``), or the CONFLICT of a version someone else
    moved meanwhile."""
    if not rows:
        raise stale(kind.value, before)
    node: R = rows[0]["node"]
    return node


def open_plan_items(store: GraphStore, opportunity_id: str) -> list[str]:
    """The ids of a deal's open work plan items."""
    rows = store.read(st.OPEN_PLAN_ITEMS, {"id": opportunity_id, "open": WorkPlanStatus.OPEN.value})
    return sorted(str(row["id"]) for row in rows)


def advance_stage(
    store: GraphStore,
    *,
    opportunity: OpportunityRecord,
    to_stage: Stage,
    reason: str | None,
    lost_to_competitor_id: str | None,
    member_id: str | None,
    actor: Actor = SYSTEM,
    gate: Mapping[str, Any] | None = None,
) -> OpportunityRecord:
    """Move the stage, stamp ``stage_entered_at``, keep the furthest open stage reached and
    record the StageTransition, atomically; a move to a closed stage also keeps the stage it
    left (``closed_from``) and cancels the deal's open work plan items.

    Guarded by the version and stage the gate was checked against. ``gate``: what the win
    model saw at this gate (StageTransition gate_* fields), kept for calibration.
    """
    now = store.clock()
    from_stage = str(opportunity["stage"])
    transition = {
        "id": str(uuid.uuid4()),
        "opportunity_id": opportunity["id"],
        "from_stage": from_stage,
        "to_stage": to_stage.value,
        "reason": reason or "",
        "lost_to_competitor_id": lost_to_competitor_id or "",
        "actor_id": actor.id,
        "actor_name": actor.name,
        "member_id": member_id or "",
        "at": now,
        **(gate or {}),
    }
    kept = opportunity.get("furthest_stage")
    furthest = furthest_of(Stage(from_stage), to_stage, Stage(str(kept)) if kept else None)
    # a deal closed keeps the stage it was closed from (its questions read as they stood
    # there); one moved on from a closed stage (reopened) has none
    closing = to_stage in CLOSED_STAGES
    closed_from = from_stage if closing else None
    cancel = [] if not closing else open_plan_items(store, str(opportunity["id"]))
    changes = {
        "before": {
            "stage": from_stage,
            "stage_entered_at": opportunity.get("stage_entered_at"),
            "furthest_stage": kept,
            "closed_from": opportunity.get("closed_from"),
        },
        "after": {
            "stage": to_stage.value,
            "stage_entered_at": now,
            "furthest_stage": furthest.value if furthest else None,
            "closed_from": closed_from,
        },
        "transition": transition,
        "cancelled_item_ids": cancel,
    }
    audit = store.audit_entry(
        actor, "advance_stage", "Opportunity", opportunity["id"], changes, now
    )
    rows = store.write(
        st.ADVANCE_STAGE,
        {
            "id": opportunity["id"],
            "version": int(opportunity["version"]),
            "from_stage": from_stage,
            "to_stage": to_stage.value,
            "furthest_stage": furthest.value if furthest else None,
            "closed_from": closed_from,
            "closing": closing,
            "cancel": cancel,
            "open": WorkPlanStatus.OPEN.value,
            "cancelled": WorkPlanStatus.CANCELLED.value,
            "transition": transition,
            "now": now,
            "audit": audit,
        },
    )
    return _one(rows, NodeKind.OPPORTUNITY, opportunity)


# An approval in these states stands in the way of an identical request (see REQUEST_APPROVAL).
_TWIN_STATES: Final = (ApprovalState.PENDING.value, ApprovalState.APPROVED.value)


def request_approval(
    store: GraphStore, fields: Mapping[str, Any], *, actor: Actor = SYSTEM
) -> ApprovalRecord | None:
    """Store a new PENDING approval requested by a team member for an opportunity; None, with
    nothing written, when an identical request (same process, same ``request``) is pending or
    approved on the deal, however close together the two were asked.

    ``fields``: the approval's properties (id, process, state, request, comment, history,
    requester_id, opportunity_id); version and time stamps are added here.
    """
    now = store.clock()
    props = {
        "id": fields["id"],
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **{k: v for k, v in fields.items() if k != "id"},
    }
    audit = store.audit_entry(
        actor, "approval_request", "Approval", str(fields["id"]), {"after": props}, now
    )
    rows = store.write(
        st.REQUEST_APPROVAL,
        {
            "opportunity_id": fields["opportunity_id"],
            "requester_id": fields["requester_id"],
            "props": props,
            "twin_states": list(_TWIN_STATES),
            "audit": audit,
        },
    )
    if not rows:
        if store.get_many(NodeKind.OPPORTUNITY, [fields["opportunity_id"]]) and (
            store.get_many(NodeKind.TEAM_MEMBER, [fields["requester_id"]])
        ):
            return None
        raise not_found("Opportunity or TeamMember", "opportunityId")
    node: ApprovalRecord = rows[0]["node"]
    return node


def decide_approval(
    store: GraphStore,
    node: ApprovalRecord,
    *,
    state: ApprovalState,
    history: str,
    comment: str | None,
    decider_id: str,
    decider_roles: Sequence[str],
    actor: Actor = SYSTEM,
) -> ApprovalRecord:
    """Store a decision (or withdrawal) with its history entry, guarded by the version.

    ``history``: the approval's whole history as stored (JSON text), this step last;
    ``comment``: this step's, None for none (it replaces the request's in ``comment``).
    """
    now = store.clock()
    record_decider = state in (ApprovalState.APPROVED, ApprovalState.REJECTED)
    changes = {
        "before": {"state": node.get("state")},
        "after": {"state": state.value, "comment": comment},
        "decider_id": decider_id,
        "decider_roles": list(decider_roles),
        "process": node.get("process"),
        "opportunity_id": node.get("opportunity_id"),
    }
    audit = store.audit_entry(actor, "approval_decide", "Approval", str(node["id"]), changes, now)
    rows = store.write(
        st.DECIDE_APPROVAL,
        {
            "id": node["id"],
            "version": int(node["version"]),
            "from_state": ApprovalState.PENDING.value,
            "decider_id": decider_id,
            "state": state.value,
            "history": history,
            "comment": comment,
            "record_decider": record_decider,
            "now": now,
            "audit": audit,
        },
    )
    return _one(rows, NodeKind.APPROVAL, node)


def record_delivery_review(
    store: GraphStore,
    opportunity: OpportunityRecord,
    review: Mapping[str, Any],
    *,
    reviewed: bool,
    review_plays: Collection[str] = (),
    step_result: str = "",
    actor: Actor = SYSTEM,
) -> OpportunityRecord:
    """Store the delivery manager's review and set ``delivery_reviewed`` to ``reviewed`` (the
    use case's verdict: the quote as it stands is covered), and ``infeasible_quote_amount`` to
    the amount a review that is not feasible refused (cleared by a feasible one); the deal's
    open work plan steps of ``review_plays`` are done with it, their result ``step_result``.

    ``review``: reviewer_id, reviewed_at, feasible, workload_person_days,
    reviewed_quote_amount, comment.
    """
    now = int(review["reviewed_at"])
    feasible = bool(review["feasible"])
    props = {
        "id": str(uuid.uuid4()),
        "opportunity_id": opportunity["id"],
        "reviewer_id": review["reviewer_id"],
        "reviewed_at": now,
        "feasible": feasible,
        "workload_person_days": review.get("workload_person_days"),
        "reviewed_quote_amount": review.get("reviewed_quote_amount"),
        "comment": review.get("comment", ""),
    }
    # not deliverable: the amount refused, for the quote as long as it stays that amount
    refused = None if feasible else review.get("reviewed_quote_amount")
    changes = {
        "before": {
            "delivery_reviewed": bool(opportunity.get("delivery_reviewed")),
            "infeasible_quote_amount": opportunity.get("infeasible_quote_amount"),
        },
        "after": {"delivery_reviewed": reviewed, "infeasible_quote_amount": refused},
        "review": props,
        "steps": {"plays": sorted(review_plays), "status": "DONE", "result": step_result},
    }
    audit = store.audit_entry(
        actor, "delivery_review", "Opportunity", str(opportunity["id"]), changes, now
    )
    rows = store.write(
        st.RECORD_DELIVERY_REVIEW,
        {
            "id": opportunity["id"],
            "version": int(opportunity["version"]),
            "reviewer_id": review["reviewer_id"],
            "reviewed": reviewed,
            "refused": refused,
            "review": {k: v for k, v in props.items() if v is not None},
            "review_plays": sorted(review_plays),
            "step_result": step_result,
            "now": now,
            "audit": audit,
        },
    )
    return _one(rows, NodeKind.OPPORTUNITY, opportunity)


QUOTE_RESET: Final[Mapping[str, Any]] = {
    "quote_status": QuoteStatus.DRAFT.value,
    "delivery_reviewed": False,
    "infeasible_quote_amount": None,
    "quote_submitted_at": None,
}
"""What a new quote amount after the delivery review or the submission sets on the deal: back
to draft, the review void, a verdict of not deliverable cleared (the new quote awaits its
review)."""


def quote_reset_audits(
    store: GraphStore,
    opportunity: OpportunityRecord,
    changes: Mapping[str, Any],
    actor: Actor,
    now: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The audit entries of a quote amount changed after its review or submission: the
    update (with the reset) and the ``quote_reset`` entry saying why."""
    opportunity_id = str(opportunity["id"])
    changed = {k: v for k, v in changes.items() if opportunity.get(k) != v}
    after = {**changed, **QUOTE_RESET}
    before = {k: opportunity.get(k) for k in after}
    audit = store.audit_entry(
        actor, "update", "Opportunity", opportunity_id, {"before": before, "after": after}, now
    )
    reset_changes = {
        "before": {
            "quote_amount": opportunity.get("quote_amount"),
            "quote_status": opportunity.get("quote_status"),
            "delivery_reviewed": bool(opportunity.get("delivery_reviewed")),
            "infeasible_quote_amount": opportunity.get("infeasible_quote_amount"),
            "quote_submitted_at": opportunity.get("quote_submitted_at"),
        },
        "after": {"quote_amount": changes.get("quote_amount"), **QUOTE_RESET},
        "reason": "quote amount changed after the delivery review or the submission",
    }
    reset_audit = store.audit_entry(
        actor, "quote_reset", "Opportunity", opportunity_id, reset_changes, now
    )
    return audit, reset_audit


def update_resetting_quote(
    store: GraphStore,
    opportunity: OpportunityRecord,
    changes: Mapping[str, Any],
    *,
    actor: Actor = SYSTEM,
) -> OpportunityRecord:
    """Change a deal whose quote amount changes after a delivery review or a submission.

    The quote goes back to DRAFT and the review is void (``QUOTE_RESET``) in the same
    statement as the change, which also writes the update's audit entry and a ``quote_reset``
    entry saying why. Guarded by the version read, and by the quote still being reviewed or
    submitted.
    """
    now = store.clock()
    changed = {k: v for k, v in changes.items() if opportunity.get(k) != v}
    audit, reset_audit = quote_reset_audits(store, opportunity, changes, actor, now)
    rows = store.write(
        st.UPDATE_OPPORTUNITY_RESETTING_QUOTE,
        {
            "id": str(opportunity["id"]),
            "version": int(opportunity["version"]),
            "changes": {**changed, **opportunity_moves(opportunity, changed, now)},
            "submitted": QuoteStatus.SUBMITTED.value,
            "draft": QuoteStatus.DRAFT.value,
            "now": now,
            "audit": audit,
            "reset_audit": reset_audit,
        },
    )
    return _one(rows, NodeKind.OPPORTUNITY, opportunity)


def submit_quote(
    store: GraphStore, opportunity: OpportunityRecord, *, actor: Actor = SYSTEM
) -> OpportunityRecord:
    """Mark the quote submitted (the caller has checked the delivery review)."""
    now = store.clock()
    changes = {
        "before": {
            "quote_status": opportunity.get("quote_status"),
            "quote_submitted_at": opportunity.get("quote_submitted_at"),
        },
        "after": {"quote_status": QuoteStatus.SUBMITTED.value, "quote_submitted_at": now},
        "quote_amount": opportunity.get("quote_amount"),
    }
    audit = store.audit_entry(
        actor, QUOTE_SUBMIT_OPERATION, "Opportunity", str(opportunity["id"]), changes, now
    )
    rows = store.write(
        st.SUBMIT_QUOTE,
        {
            "id": opportunity["id"],
            "version": int(opportunity["version"]),
            "submitted": QuoteStatus.SUBMITTED.value,
            "now": now,
            "audit": audit,
        },
    )
    return _one(rows, NodeKind.OPPORTUNITY, opportunity)


# --- violations ----------------------------------------------------------------------------


def open_violations(store: GraphStore, opportunity_ids: Sequence[str]) -> list[ViolationRecord]:
    """The open (unresolved) violations of these opportunities, acknowledged or not."""
    if not opportunity_ids:
        return []
    rows = store.read(st.OPEN_VIOLATIONS, {"ids": list(dict.fromkeys(opportunity_ids))})
    return [row["node"] for row in rows]


def _resolved_row(violation: Mapping[str, Any]) -> dict[str, Any]:
    """What a resolution's webhook event tells of the violation."""
    fields = ("id", "key", "rule", "opportunity_id", "responsible_member_id", "repeat_of")
    kept = (*fields, "repeat", "message_en", "message_zh", "detected_at")
    return {k: violation.get(k) for k in kept}


def _violation_row(finding: Mapping[str, Any], now: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        **finding,
        "detected_at": now,
        "last_seen_at": now,
        "acknowledged": False,
    }


def upsert_violations(
    store: GraphStore,
    findings: Sequence[Mapping[str, Any]],
    *,
    operation: str,
    target_id: str,
    checked: int,
    open_now: Sequence[Mapping[str, Any]],
    resolved: Sequence[Mapping[str, Any]] = (),
    repeated: Sequence[str] = (),
    actor: Actor = SYSTEM,
) -> tuple[str, ...]:
    """Upsert findings by key and resolve the ``resolved`` open violations (their cause is
    gone), in one statement with one audit entry; returns the new keys. A violation still open
    is answered for by whom the finding names now (the deal's account manager may have changed).

    ``findings``: each violation's properties (key, rule, opportunity_id, subject, messages,
    evidence, responsible_member_id); id and time stamps are added here. ``open_now``: the
    open violations of the checked deals, as the caller read them (``open_violations``); a key
    names its deal, so a finding whose key none of them has is new (its cause came back when
    only a resolved violation has it). ``repeated``: the ids of acknowledged violations whose
    recheck came due, each raised again by its finding (which names it as ``repeat_of``).
    """
    now = store.clock()
    unique = {str(f["key"]): f for f in findings}
    known = {
        str(v["key"]) for v in open_now if not v.get("repeated_at") and v["id"] not in repeated
    }
    new = tuple(k for k in unique if k not in known)
    gone = [_resolved_row(v) for v in resolved if str(v["key"]) not in unique]
    changes = {
        "checked": checked,
        "found": len(unique),
        "new": list(new),
        "resolved": [str(v["key"]) for v in gone],
    }
    if repeated:
        changes["repeated"] = list(repeated)
    audit = store.audit_entry(actor, operation, "Violation", target_id, changes, now)
    store.write(
        st.UPSERT_VIOLATIONS,
        {
            "rows": [_violation_row(f, now) for f in unique.values()],
            "resolved": gone,
            "resolved_ids": [row["id"] for row in gone],
            "repeated": list(repeated),
            "now": now,
            "audit": audit,
        },
    )
    return new


def get_violation(
    store: GraphStore, violation_id: str, *, scope: Scope = EVERYTHING
) -> ViolationRecord:
    """One visible violation, or NOT_FOUND."""
    rows = store.read(st.GET_VIOLATION, {"id": violation_id, **scope.params()})
    if not rows:
        raise not_found("Violation")
    node: ViolationRecord = rows[0]["node"]
    return node


def _conflict(violation: Mapping[str, Any], en: str, zh: str) -> DomainError:
    """A step the violation's state no longer allows, naming the violation by its message."""
    text = str(violation.get("message_en") or "")
    zh_text = violation.get("message_zh") or text
    return DomainError(FieldProblem("id", f"{en}: {text}", ErrorCode.CONFLICT, f"{zh}：{zh_text}"))


def _already_acknowledged(violation: Mapping[str, Any]) -> DomainError:
    return _conflict(violation, "this violation is already acknowledged", "该违规已确认过")


def _no_response_waiting(violation: Mapping[str, Any]) -> DomainError:
    return _conflict(
        violation,
        "this violation has no response waiting for a sales director to send back",
        "该违规没有等待销售总监确认的答复，无可退回",
    )


def acknowledge_violation(
    store: GraphStore,
    violation: Mapping[str, Any],
    *,
    note: str,
    member_id: str | None,
    actor: Actor = SYSTEM,
) -> ViolationRecord:
    """Record an acknowledgement with a note; a violation is acknowledged once, and with the
    response the director read (its date decides when it comes back; the statement checks, as
    it writes, that no newer response came in)."""

    def missed(read: Mapping[str, Any]) -> DomainError:
        now = get_violation(store, str(read["id"]))
        if now.get("acknowledged"):
            return _already_acknowledged(now)
        if now.get("responded_at") is None and read.get("responded_at") is not None:
            return _conflict(
                now,
                "its response was sent back meanwhile: nothing waits to be acknowledged until "
                "whoever answers for it responds again",
                "其答复已被退回：责任人重新答复前，没有需要确认的内容",
            )
        return _conflict(
            now,
            "a newer response came in meanwhile, read it before acknowledging it",
            "其间有了新的答复，请先阅读再确认",
        )

    read = {"responded_at": violation.get("responded_at")}
    step = _Step(
        st.ACKNOWLEDGE_VIOLATION, "violation_acknowledge", {"acknowledged": False}, missed, read
    )
    agreed = {"acknowledged": True, "put_right_by": violation.get("put_right_by")}
    return step.take(store, violation, note, member_id, actor, agreed)


def respond_to_violation(
    store: GraphStore,
    violation: Mapping[str, Any],
    *,
    note: str,
    put_right_by: str | None = None,
    member_id: str | None,
    actor: Actor = SYSTEM,
) -> ViolationRecord:
    """Record what whoever answers for a violation did about it, and by when it will be put
    right; a later response replaces it (the audit keeps each) until the violation is
    acknowledged."""
    before = {"note": violation.get("response_note"), "put_right_by": violation.get("put_right_by")}
    promised = {"put_right_by": put_right_by}
    step = _Step(st.RESPOND_VIOLATION, "violation_respond", before, params=promised)
    return step.take(store, violation, note, member_id, actor, promised)


def send_back_violation(
    store: GraphStore,
    violation: Mapping[str, Any],
    *,
    note: str,
    member_id: str | None,
    actor: Actor = SYSTEM,
) -> ViolationRecord:
    """Send a response back with what it still lacks: the violation waits on whoever answers
    for it again (the statement checks, as it writes, that a response was waiting)."""
    if violation.get("acknowledged"):
        raise _already_acknowledged(violation)
    if violation.get("resolved_at") is not None:
        raise _resolved(violation)
    if violation.get("responded_at") is None:
        raise _no_response_waiting(violation)

    def missed(read: Mapping[str, Any]) -> DomainError:
        """Why the write found the violation changed since it was read: read it again."""
        now = get_violation(store, str(read["id"]))
        if now.get("responded_at") in (None, read["responded_at"]):
            return _missed_step(now)
        return _conflict(
            now,
            "a newer response came in meanwhile, read it before sending it back",
            "其间有了新的答复，请先阅读再退回",
        )

    before = {
        "response_note": violation.get("response_note"),
        "put_right_by": violation.get("put_right_by"),
    }
    read = {"responded_at": violation["responded_at"]}
    step = _Step(st.SEND_BACK_VIOLATION, "violation_send_back", before, missed, params=read)
    return step.take(store, violation, note, member_id, actor, {"put_right_by": None})


def _resolved(violation: Mapping[str, Any]) -> DomainError:
    return _conflict(
        violation, "this violation is resolved: its cause is gone", "该违规已解除：其原因已消除"
    )


def _missed_step(violation: Mapping[str, Any]) -> DomainError:
    """Why a send-back found nothing to send back, as the violation now stands."""
    if violation.get("acknowledged"):
        return _already_acknowledged(violation)
    if violation.get("resolved_at") is not None:
        return _resolved(violation)
    return _no_response_waiting(violation)


@dataclass(frozen=True, slots=True)
class _Step:
    """One step on a violation not yet acknowledged (its statement checks that as it writes,
    and ``missed`` says why when it found the violation no longer as it was read)."""

    statement: str
    operation: str
    before: Mapping[str, Any]
    missed: Callable[[Mapping[str, Any]], DomainError] = _already_acknowledged
    params: Mapping[str, Any] = field(default_factory=dict)
    """The statement's further parameters: what it checks is still as read, what it sets."""

    def take(
        self,
        store: GraphStore,
        violation: Mapping[str, Any],
        note: str,
        member_id: str | None,
        actor: Actor,
        after: Mapping[str, Any] | None = None,
    ) -> ViolationRecord:
        """The step with its note and member, and its audit entry, in one statement."""
        if violation.get("acknowledged"):
            raise _already_acknowledged(violation)
        now = store.clock()
        changes = {
            "before": dict(self.before),
            "after": {**(after or {}), "note": note, "member_id": member_id},
        }
        target = str(violation["id"])
        audit = store.audit_entry(actor, self.operation, "Violation", target, changes, now)
        params = {"id": target, "now": now, "actor_id": actor.id, "audit": audit, **self.params}
        rows = store.write(self.statement, {**params, "member_id": member_id or "", "note": note})
        if not rows:
            raise self.missed(violation)
        node: ViolationRecord = rows[0]["node"]
        return node


def list_violations(
    store: GraphStore,
    *,
    rule: str | None = None,
    opportunity_id: str | None = None,
    acknowledged: bool | None = None,
    resolved: bool | None = None,
    open_only: bool | None = None,
    responsible_id: str | None = None,
    responded: bool | None = None,
    promised: bool | None = None,
    after: tuple[int, str] | None = None,
    limit: int = 20,
    scope: Scope = EVERYTHING,
) -> Page:
    """Violations, newest first, filtered; keyset-paginated on (detected_at, id).

    ``open_only``: True for those still awaiting someone (neither acknowledged nor resolved),
    False for the others. ``responsible_id``: only those the team member answers for.
    ``responded``: True for those whoever answers for them has responded to. ``promised``: True
    for the commitments still running: acknowledged on a response that promised a date, their
    cause neither found gone nor raised again, their deal still open."""
    if opportunity_id is not None:
        statement = st.LIST_DEAL_VIOLATIONS
    else:  # a scope's found deal by deal, rather than every violation checked against it
        statement = st.LIST_VIOLATIONS if scope.everything else st.LIST_SCOPED_VIOLATIONS
    row = store.read(
        statement,
        {
            "rule": rule,
            "opportunity_id": opportunity_id,
            "acknowledged": acknowledged,
            "resolved": resolved,
            "open": open_only,
            "responsible_id": responsible_id,
            "responded": responded,
            "promised": promised,
            "closed": _CLOSED,
            "after_at": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": max(0, limit),
            **scope.params(),
        },
    )[0]
    return Page(items=list(row["items"]), total=int(row["total"]))
