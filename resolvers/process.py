"""TAS+ process glue: who acts, what the rules of ``strategy.tas`` say, then one store write.

Every refusal lists *every* problem at once, each with a zh-CN and an English message
(``ProcessRefused``); the message in ``userErrors`` follows the request locale.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Final, TypedDict, Unpack, cast

from strawberry.dataloader import DataLoader

from domain import records as rec
from domain.chain import OpportunityFacts, TeamAssignment
from domain.errors import (
    DomainError,
    ErrorCode,
    FieldProblem,
    bad_input,
    not_found,
    stale,
)
from domain.model import NODE_SPECS, EdgeKind, NodeKind
from domain.roles import (
    ACKNOWLEDGE_OWN_REFUSED,
    ACKNOWLEDGE_REFUSED,
    ADMINS,
    AUDIT_LOG_REFUSED,
    AUDIT_READERS,
    AUDIT_TARGET_NEEDED,
    CLOSE_REFUSED,
    CREATE_DECIDED,
    CREATE_PAST_FIRST_STAGE,
    LEADS,
    QUOTE_SUBMIT_REFUSED,
    RESPOND_REFUSED,
    SEND_BACK_REFUSED,
    WRITERS,
    Role,
    account_managers_named,
    in_brackets,
)
from domain.text import Text
from domain.validation import validate_props
from domain.vocabulary import (
    CLOSED_STAGES,
    ENDED_STAGES,
    ApprovalState,
    LifecyclePhase,
    QuoteStatus,
    Stage,
    TeamRole,
)
from graph import process_store as ps
from graph.store import Node
from resolvers import calibration, rules, violations
from resolvers import process_records as pr
from resolvers.audit_view import as_seen
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.kept import load_chains
from resolvers.loaders import chain_loader, node_loader, request_loader
from resolvers.pagination import PageResult, list_tag, page_request, paginate
from resolvers.writes import (
    NewCustomer,
    create_opportunity,
    not_linked,
    require_close_within,
    require_writer,
    update_node,
)
from strategy.playbook import default_playbook
from strategy.tas import (
    ActionDue,
    ApprovalProcess,
    ApprovalRecord,
    ApprovalRefused,
    Decision,
    DeliveryReview,
    PipelineItem,
    PipelineSummary,
    Problem,
    ProcessDefinition,
    RequestField,
    Transition,
    TriangleStatus,
    ViolationRule,
    actions_due,
    already_submitted,
    can_decide,
    can_submit_quote,
    check_gate,
    cleared_required,
    deal_decided,
    decide,
    decided_kept,
    gate_facts_from_snapshot,
    is_gate_compliant,
    pipeline_summary,
    quote_drafted,
    quote_facts_from_snapshot,
    request,
    stage_approvals,
    triangle_status,
    violation_facts_from_snapshot,
)
from strategy.tas.approvals import REAL_VALIDATION, order_problems
from strategy.tas.problem_texts import problem_texts, process_name
from strategy.tas.promises import Promise
from strategy.tas.rule_texts import rule_texts
from strategy.tas.timeline import RESULT_FIELDS, future_result_problems, moved_ahead_problems
from strategy.tas.triangle import WORKLOAD_MAX_DAYS

log = logging.getLogger("dealgraph.violations")

_FORBIDDEN_CODES = frozenset(
    {
        "NOT_ON_TEAM",
        "ROLE_NOT_ALLOWED",
        "SELF_APPROVAL",
        "NOT_REQUESTER",
        "NOT_DELIVERY_MANAGER",
        "NOT_LINKED",
    }
)
_CONFLICT_CODES = frozenset(
    {
        "NOT_PENDING",
        "STAGE_CLOSED",
        "DEAL_WON",
        "ALREADY_PENDING",
        "ALREADY_APPROVED",
        "QUOTE_SUBMITTED",
    }
)


def definition() -> ProcessDefinition:
    """The process definition in force (see ``resolvers.rules``)."""
    return rules.active().process


def recheck_days(rule: ViolationRule) -> int | None:
    """After how many days an acknowledged violation of ``rule`` comes back while its cause
    holds and no date was promised; None for a past event, judged once."""
    return definition().violations.recheck_days.get(rule)


class ProcessRefused(DomainError):  # noqa: N818 - reads as the domain event
    """A process rule refused the operation; carries every bilingual problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.process_problems = tuple(problems)
        super().__init__([FieldProblem(p.path, p.en, _error_code(p), p.zh) for p in problems])


def _error_code(problem: Problem) -> ErrorCode:
    if problem.code in _FORBIDDEN_CODES:
        return ErrorCode.FORBIDDEN
    if problem.code in _CONFLICT_CODES:
        return ErrorCode.CONFLICT
    return ErrorCode.BAD_USER_INPUT


def _refuse(ctx: RequestContext, problems: Sequence[Problem]) -> None:
    if problems:
        raise ProcessRefused(problems)


# --- time ------------------------------------------------------------------------------------


def refuse_future_result(
    ctx: RequestContext, occurred_at: object, given: Mapping[str, object]
) -> None:
    """Refuse a result (outcome, reactions) for an activity whose time is still to come.

    ``given`` maps the activity's result fields to what the caller sent; each one given is a
    problem of its own, on that field.
    """
    if not isinstance(occurred_at, int) or isinstance(occurred_at, bool):
        return
    named = [name for name in RESULT_FIELDS if given.get(name) is not None]
    _refuse(ctx, future_result_problems(occurred_at, ctx.store.clock(), named))


def refuse_moving_a_result_ahead(
    ctx: RequestContext,
    occurred_at: object,
    current: Mapping[str, object],
    changes: Mapping[str, object],
) -> None:
    """Refuse moving a contact whose result stays recorded (stored and not cleared by
    ``changes``) to a time still to come: it took place; a time ahead is a new plan."""
    if not isinstance(occurred_at, int) or isinstance(occurred_at, bool):
        return
    kept = [
        name
        for name in RESULT_FIELDS
        if (changes[name] if name in changes else current.get(name)) is not None
    ]
    _refuse(ctx, moved_ahead_problems(occurred_at, ctx.store.clock(), kept))


def refuse_future_work_plan_result(ctx: RequestContext, occurred_at: object) -> None:
    """A work plan item's result is how the activity went, so it must have happened: a time
    still to come is refused on ``occurredAt``."""
    if not isinstance(occurred_at, int) or isinstance(occurred_at, bool):
        return
    if occurred_at > ctx.store.clock():
        key = "acting.result_before_done"
        _refuse(ctx, [problem_texts().problem("RESULT_OF_FUTURE_ACTIVITY", "occurred_at", key)])


def refuse_review_as_contact(ctx: RequestContext, action: object) -> None:
    """A step of a delivery-review play is done by recording the review: closing it as a
    contact would read done while the quote stays unreviewed (or, for the rework of a quote
    the review refused, still refused)."""
    playbook = default_playbook()
    if action in playbook.review_plays:
        key = "review.not_a_contact" if action in playbook.reviewer_plays else "review.rework_done"
        _refuse(ctx, [problem_texts().problem("REVIEW_NOT_A_CONTACT", "id", key)])


# --- who acts ----------------------------------------------------------------------------------


def acting_member(
    ctx: RequestContext, explicit_member_id: str | None = None, *, required: bool = True
) -> rec.TeamMemberRecord | None:
    """The team member on whose behalf the caller acts.

    The one place that decides it:

    - in development mode (authentication off, ``ctx.development``) an explicit
      ``actingMemberId`` is accepted, so tools can act as any team member without logins;
    - otherwise an explicit id is refused, and the caller acts as the team member their user is
      linked to (``dealgraph user add NAME --role ROLE --member ID``), so every step of the
      process is done, and audited, by a real login.
    """
    if explicit_member_id is not None:
        if not ctx.development:
            raise DomainError(
                FieldProblem(
                    "actingMemberId",
                    "may only be given in development mode; you act as yourself",
                    ErrorCode.FORBIDDEN,
                    "只能在开发模式下指定；您以本人身份操作",
                )
            )
        member_id: str | None = explicit_member_id
    else:
        member_id = ctx.member_id
    found = ctx.store.get_many(NodeKind.TEAM_MEMBER, [member_id]) if member_id else {}
    if member_id is not None and member_id in found:
        return found[member_id]
    if not required:
        return None
    if explicit_member_id is not None:
        raise not_found("TeamMember", "actingMemberId")
    raise ProcessRefused([not_linked(ctx.actor.name)])


def _required_member(ctx: RequestContext, explicit: str | None) -> rec.TeamMemberRecord:
    member = acting_member(ctx, explicit)
    assert member is not None
    return member


def closes(ctx: RequestContext, deal: pr.DealState, member: Mapping[str, Any]) -> bool:
    """Whether ``member`` may close the deal (won, lost, abandoned): its account manager, or a
    login whose role leads (``CLOSE_REFUSED``)."""
    return bool(ctx.roles & LEADS) or TeamRole.ACCOUNT_MANAGER in member_roles(deal, member)


def _account_managers(deal: pr.DealState) -> list[Text]:
    """The names of the deal's account managers (namesakes told apart): whom a person refused
    a closing move or the quote's submission asks."""
    return _holders(deal, TeamRole.ACCOUNT_MANAGER)


def _holders(deal: pr.DealState, role: TeamRole) -> list[Text]:
    """The names of those who hold ``role`` on the deal's team (namesakes told apart)."""
    snapshot = deal.chain.snapshot
    ours = snapshot.ours_told_apart()
    named = {a.member_id: a.name for a in snapshot.team if a.role == role}
    said = [ours.get(i) or Text(n, n) for i, n in named.items()]
    return sorted(set(said), key=lambda t: t.en)


def member_roles(deal: pr.DealState, member: Mapping[str, Any]) -> frozenset[TeamRole]:
    """The roles a member holds for this deal: their ON_TEAM roles on the opportunity, plus
    SALES_DIRECTOR when that is their own role (directors need not be on every team)."""
    return _roles_on(deal.chain.snapshot.team, member)


def _roles_on(team: Sequence[TeamAssignment], member: Mapping[str, Any]) -> frozenset[TeamRole]:
    roles = {a.role for a in team if a.member_id == member["id"]}
    if member.get("role") == TeamRole.SALES_DIRECTOR.value:
        roles.add(TeamRole.SALES_DIRECTOR)
    return frozenset(roles)


_NOTE_LIMIT: Final = next(f for f in NODE_SPECS[NodeKind.APPROVAL].fields if f.name == "comment")
"""A note written on the record (a response to a violation, a reason for a stage move, a
delivery review's comment) is held to what an approval's comment may be."""


def within_note_length(field: str, text: str | None) -> None:
    """Refuse, at ``field``, a note longer than an approval's comment may be: the record is
    read by people, and an unbounded one weighs on every list that shows it."""
    if text is not None:
        validate_props((replace(_NOTE_LIMIT, name=field),), {field: text}, partial=True)


def _check_version(node: Mapping[str, Any], version: int | None, kind: str) -> None:
    if version is not None and int(node["version"]) != version:
        raise stale(kind, node, version)


def _deal_at(ctx: RequestContext, opportunity_id: str, version: int | None) -> pr.DealState:
    """The visible deal a write changes, refused as stale unless it is at the version the
    caller read (when they name one)."""
    deal = pr.load_deal_state(ctx.store, opportunity_id, scope=ctx.scope)
    _check_version(deal.facts.opportunity, version, "Opportunity")
    return deal


# --- stage gates -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advanced:
    """An opportunity after a stage move, and the move as recorded."""

    opportunity: rec.OpportunityRecord
    move: pr.StageMove | None


@InThread
def advance(
    ctx: RequestContext,
    opportunity_id: str,
    *,
    to_stage: Stage,
    reason: str | None,
    lost_to_competitor: bool,
    lost_to_competitor_id: str | None,
    version: int | None,
    acting_member_id: str | None,
) -> Advanced:
    """Move an opportunity through its gate, or refuse listing everything missing."""
    require_writer(ctx)
    within_note_length("reason", reason)
    member = _required_member(ctx, acting_member_id)
    deal = _deal_at(ctx, opportunity_id, version)
    opportunity = deal.facts.opportunity
    if to_stage in CLOSED_STAGES and not closes(ctx, deal, member):
        text = account_managers_named(CLOSE_REFUSED, _account_managers(deal))
        raise DomainError([FieldProblem("toStage", text.en, ErrorCode.FORBIDDEN, text.zh)])
    facts = gate_facts_from_snapshot(
        deal.chain.snapshot,
        deal.facts.approvals,
        now_ms=ctx.store.clock(),
        review=deal.facts.review,
        reason=reason,
        lost_to_competitor=lost_to_competitor or lost_to_competitor_id is not None,
        lost_to_competitor_id=lost_to_competitor_id,
    )
    result = check_gate(definition(), facts, to_stage)
    _refuse(ctx, result.problems)
    gate: dict[str, Any] = {}
    if opportunity.get("stage") not in {s.value for s in CLOSED_STAGES}:
        config = calibration.cached_active(ctx.store).config(rules.active().strategy)
        gate = calibration.gate_features(deal.chain.snapshot, ctx.store.clock(), config)
    node = ps.advance_stage(
        ctx.store,
        opportunity=opportunity,
        to_stage=to_stage,
        reason=reason.strip() if reason else None,
        lost_to_competitor_id=lost_to_competitor_id,
        member_id=str(member["id"]),
        actor=ctx.actor,
        gate=gate,
    )
    detect_after_write(ctx, opportunity_id, moved=True)
    moves = ps.stage_history(ctx.store, [opportunity_id])[opportunity_id]
    return Advanced(node, pr.stage_move(moves[-1]) if moves else None)


# --- approvals ---------------------------------------------------------------------------------


@InThread
def approval_request(
    ctx: RequestContext,
    opportunity_id: str,
    *,
    process: str,
    fields: object,
    comment: str | None,
    acting_member_id: str | None,
) -> rec.ApprovalRecord:
    """Start an approval of a TAS+ process; the process's own fields are validated."""
    require_writer(ctx)
    if fields is None:
        fields = {}
    if not isinstance(fields, Mapping):
        raise bad_input(
            "fields", "must be a JSON object of the process's fields", "须为该流程字段的 JSON 对象"
        )
    _check_approval_text(
        comment, json.dumps(dict(fields), ensure_ascii=False, sort_keys=True, default=str)
    )
    member = _required_member(ctx, acting_member_id)
    for _ in range(_REQUEST_ATTEMPTS):
        deal = pr.load_deal_state(ctx.store, opportunity_id, scope=ctx.scope)
        record = _checked_request(ctx, deal, member, process, dict(fields), comment or "")
        node = ps.request_approval(ctx.store, pr.approval_fields(record), actor=ctx.actor)
        if node is not None:
            return node
        # An identical request was stored between the check and the write: the next check
        # refuses naming it (the store wrote nothing).
    raise DomainError(
        FieldProblem(
            "input.process",
            "The same request changed while it was being made; please try again",
            ErrorCode.CONFLICT,
            "同样的申请在提交时发生了变化，请您重试",
        )
    )


# A write refused for an identical request is checked again: the check refuses naming the one
# that got in first, unless it was withdrawn or rejected meanwhile (then the write is retried).
_REQUEST_ATTEMPTS = 3


def _checked_request(
    ctx: RequestContext,
    deal: pr.DealState,
    member: Mapping[str, Any],
    process: str,
    fields: dict[str, object],
    comment: str,
) -> ApprovalRecord:
    """The new approval record of ``process``, or every reason the process refuses it."""
    try:
        return request(
            definition(),
            approval_id=str(uuid.uuid4()),
            process_code=process,
            opportunity_id=deal.chain.snapshot.opportunity.id,
            requester_id=str(member["id"]),
            requester_roles=member_roles(deal, member),
            request_fields=fields,
            stage=deal.chain.snapshot.opportunity.stage,
            approvals=deal.facts.approvals,
            at=ctx.store.clock(),
            comment=comment,
            names=_decider_names(ctx, deal, process),
            team=[t.name for t in deal.chain.snapshot.team],
        )
    except ApprovalRefused as refused:
        raise ProcessRefused(refused.problems) from None


def _decider_names(ctx: RequestContext, deal: pr.DealState, process: str) -> dict[str, Text]:
    """The names of those who approved ``process`` on the deal, so a repeated request is
    refused naming them; read from the store only for deciders the deal does not name (a
    director off the team), who is then told apart from a namesake of the team as they are
    from each other (``ours_told_apart``)."""
    snapshot = deal.chain.snapshot
    known = snapshot.display_names()
    deciders = {
        a.decision.actor_id
        for a in deal.facts.approvals
        if a.process_code == process and a.state == ApprovalState.APPROVED and a.decision
    }
    missing = sorted(deciders - known.keys())
    if missing:
        found = ctx.store.get_many(NodeKind.TEAM_MEMBER, missing)
        known.update((i, str(m["name"])) for i, m in found.items() if m.get("name"))
        snapshot = snapshot.naming(found)
    ours = snapshot.ours_told_apart()
    return {i: ours.get(i) or Text(known[i], known[i]) for i in deciders if i in known}


@InThread
def approval_decide(
    ctx: RequestContext,
    approval_id: str,
    *,
    decision: Decision,
    comment: str | None,
    version: int | None,
    acting_member_id: str | None,
) -> rec.ApprovalRecord:
    """Approve, reject (approver roles only, never one's own request) or withdraw (requester)."""
    require_writer(ctx)
    _check_approval_text(comment)
    member = _required_member(ctx, acting_member_id)
    node = ctx.store.get(NodeKind.APPROVAL, approval_id, scope=ctx.scope)
    _check_version(node, version, "Approval")
    record = pr.approval_record(node)
    deal = pr.load_deal_state(ctx.store, record.opportunity_id, scope=ctx.scope)
    roles = member_roles(deal, member)
    try:
        after = decide(
            definition(),
            record,
            str(member["id"]),
            roles,
            decision,
            ctx.store.clock(),
            comment or "",
            stage=deal.chain.snapshot.opportunity.stage,
        )
    except ApprovalRefused as refused:
        raise ProcessRefused(refused.problems) from None
    step = after.history[-1]
    decided = ps.decide_approval(
        ctx.store,
        node,
        state=after.state,
        history=pr.history_json(after.history),
        comment=step.comment or None,
        decider_id=str(member["id"]),
        decider_roles=[r.value for r in step.actor_roles],
        actor=ctx.actor,
    )
    detect_after_write(ctx, record.opportunity_id)
    return decided


def _check_approval_text(comment: str | None, request_json: str | None = None) -> None:
    """Hold an approval's comment and request to the model's limits, so that what is accepted
    here is also accepted when a backup is imported."""
    given: dict[str, object] = {}
    if comment:
        given["comment"] = comment
    if request_json is not None:
        given["request"] = request_json
    validate_props(NODE_SPECS[NodeKind.APPROVAL].fields, given, partial=True)


# --- iron triangle and the quote rule ------------------------------------------------------------


@InThread
def delivery_review_record(
    ctx: RequestContext,
    opportunity_id: str,
    *,
    feasible: bool,
    workload_person_days: float | None,
    reviewed_quote_amount: int | None,
    comment: str | None,
    version: int | None,
    acting_member_id: str | None,
) -> rec.OpportunityRecord:
    """Record the delivery manager's review of feasibility, workload and price.

    Only a DELIVERY_MANAGER on the opportunity's team may record it. The reviewed amount
    defaults to the current quote; ``delivery_reviewed`` becomes the verdict: feasible, and
    for the quote as it stands (a review of another amount does not cover it).
    """
    require_writer(ctx)
    within_note_length("comment", comment)
    member = _required_member(ctx, acting_member_id)
    deal = _deal_at(ctx, opportunity_id, version)
    opportunity = deal.facts.opportunity
    _refuse(ctx, deal_decided(deal.chain.snapshot.opportunity.stage, "review"))
    texts = problem_texts()
    problems: list[Problem] = []
    if TeamRole.DELIVERY_MANAGER not in member_roles(deal, member):
        who = "actingMemberId" if acting_member_id is not None else ""
        named = in_brackets(_holders(deal, TeamRole.DELIVERY_MANAGER))
        problems.append(
            texts.problem("NOT_DELIVERY_MANAGER", who, "review.not_delivery_manager", name=named)
        )
    if workload_person_days is not None and workload_person_days <= 0:
        problems.append(
            texts.problem("INVALID_FIELD", "workloadPersonDays", "review.workload_not_positive")
        )
    elif workload_person_days is not None and workload_person_days > WORKLOAD_MAX_DAYS:
        problems.append(
            texts.problem(
                "INVALID_FIELD",
                "workloadPersonDays",
                "review.workload_too_large",
                days=Text(en=f"{WORKLOAD_MAX_DAYS:,}", zh=f"{WORKLOAD_MAX_DAYS // 10_000}万"),
            )
        )
    if reviewed_quote_amount is not None and reviewed_quote_amount < 0:
        problems.append(
            texts.problem("INVALID_FIELD", "reviewedQuoteAmount", "review.negative_quote")
        )
    _refuse(ctx, problems)
    amount = reviewed_quote_amount
    if amount is None and opportunity.get("quote_amount") is not None:
        amount = int(opportunity["quote_amount"])
    review = DeliveryReview(
        reviewer_id=str(member["id"]),
        reviewed_at=ctx.store.clock(),
        feasible=feasible,
        workload_person_days=workload_person_days,
        reviewed_quote_amount=amount,
        comment=comment or "",
    )
    quote = opportunity.get("quote_amount")
    covers = quote is None or amount == int(quote)
    node = ps.record_delivery_review(
        ctx.store,
        opportunity,
        pr.review_fields(review),
        reviewed=feasible and covers,
        review_plays=default_playbook().review_plays,
        step_result=review_step_result(review).in_(ctx.locale),
        actor=ctx.actor,
    )
    detect_after_write(ctx, opportunity_id)
    return node


_RESULT_MAX = next(
    f.max_length or 0 for f in NODE_SPECS[NodeKind.WORK_PLAN_ITEM].fields if f.name == "result"
)


def review_step_result(review: DeliveryReview) -> Text:
    """What the review's work plan step reads as done with: the verdict, the workload and the
    reviewer's comment, as the step's other results are written, in a sentence."""
    texts = problem_texts()
    verdict = "review.step_feasible" if review.feasible else "review.step_not_feasible"
    parts = [texts.text(verdict)]
    if review.workload_person_days is not None:
        days = f"{review.workload_person_days:g}"
        parts.append(texts.text("review.step_workload", days=days))
    if review.comment:
        parts.append(Text(review.comment, review.comment))
    joined = Text("; ".join(p.en for p in parts), "；".join(p.zh for p in parts))
    return Text(joined.en[:_RESULT_MAX], joined.zh[:_RESULT_MAX])


def opportunity_update(
    ctx: RequestContext, opportunity_id: str, changes: Mapping[str, Any], version: int
) -> rec.OpportunityRecord | Node:
    """Change an opportunity's fields.

    A deal's first quote amount makes its quote a draft (``quote_drafted``). A new quote
    amount after the delivery review (whatever its verdict) or the submission is a new quote:
    it goes back to draft and the review no longer counts, nor a verdict of not deliverable
    (the new quote awaits its review), in the same statement as the change (so no gate can pass
    on a review of another amount). The deal's violations are checked right
    after: a voided review is a required action undone, a quote back in draft is no quote
    submitted without a review.
    """
    require_writer(ctx)
    require_role(ctx.roles, "update", NodeKind.OPPORTUNITY.value)
    clean = validate_props(NODE_SPECS[NodeKind.OPPORTUNITY].fields, changes, partial=True)
    require_close_within(ctx, clean)
    current = ctx.store.get(NodeKind.OPPORTUNITY, opportunity_id, scope=ctx.scope)
    _refuse(ctx, cleared_required(definition(), Stage(current["stage"]), current, clean))
    if not ctx.roles & ADMINS:
        _refuse(ctx, decided_kept(Stage(current["stage"]), current, clean))
    quote_changes = "quote_amount" in clean and clean["quote_amount"] != current.get("quote_amount")
    if quote_changes and quote_reviewed(current):
        _check_version(current, version, "Opportunity")
        node: rec.OpportunityRecord | Node = ps.update_resetting_quote(
            ctx.store, current, clean, actor=ctx.actor
        )
    else:
        drafted = {**changes, **quote_drafted(current.get("quote_status"), clean)}
        node = update_node(ctx, NodeKind.OPPORTUNITY, opportunity_id, drafted, version)
    detect_after_write(ctx, opportunity_id)
    return node


def quote_reviewed(deal: Mapping[str, Any]) -> bool:
    """Whether the deal's quote was reviewed or submitted (or found not deliverable): a new
    amount is then a new quote (``ps.QUOTE_RESET``)."""
    return (
        deal.get("quote_status") == QuoteStatus.SUBMITTED.value
        or bool(deal.get("delivery_reviewed"))
        or deal.get("infeasible_quote_amount") is not None
    )


def quote_change(
    ctx: RequestContext, deal: Mapping[str, Any], amount: int, field: str
) -> tuple[dict[str, Any], bool]:
    """A new quote amount for ``deal``, refused as ``opportunity_update`` refuses it (on
    ``field``): the other fields it sets (a first quote makes a draft) and whether it sends a
    reviewed or submitted quote back to draft."""
    require_role(ctx.roles, "update", NodeKind.OPPORTUNITY.value)
    clean = validate_props(
        NODE_SPECS[NodeKind.OPPORTUNITY].fields, {"quote_amount": amount}, partial=True
    )
    stage = Stage(deal["stage"])
    try:
        _refuse(ctx, cleared_required(definition(), stage, deal, clean))
        if not ctx.roles & ADMINS:
            _refuse(ctx, decided_kept(stage, deal, clean))
    except ProcessRefused as refused:
        raise ProcessRefused([replace(p, path=field) for p in refused.process_problems]) from None
    changes = amount != deal.get("quote_amount")
    if changes and quote_reviewed(deal):
        return {}, True
    return dict(quote_drafted(deal.get("quote_status"), clean)), False


@InThread
def quote_submit(
    ctx: RequestContext, opportunity_id: str, *, version: int | None
) -> rec.OpportunityRecord:
    """Mark the quote submitted — by the deal's account manager or a sales director, once:
    refused until a valid delivery review is recorded, and again after a quote change voided
    it (even if the amount is back to the reviewed one)."""
    require_writer(ctx)
    deal = _deal_at(ctx, opportunity_id, version)
    if not ctx.roles & LEADS and not closes(ctx, deal, _required_member(ctx, None)):
        text = account_managers_named(QUOTE_SUBMIT_REFUSED, _account_managers(deal))
        raise DomainError([FieldProblem("", text.en, ErrorCode.FORBIDDEN, text.zh)])
    opportunity = deal.facts.opportunity
    _refuse(ctx, deal_decided(deal.chain.snapshot.opportunity.stage))
    _refuse(ctx, already_submitted(opportunity.get("quote_status")))
    review = deal.facts.review
    problems = can_submit_quote(quote_facts_from_snapshot(deal.chain.snapshot, review))
    voided = (
        review is not None
        and review.feasible
        and review.reviewed_quote_amount == opportunity.get("quote_amount")
        and not opportunity.get("delivery_reviewed")
    )
    if voided:  # a review of another amount is already reported as stale
        problems.append(
            problem_texts().problem("DELIVERY_REVIEW_VOID", "delivery_review", "quote.review_void")
        )
    _refuse(ctx, problems)
    submitted = ps.submit_quote(ctx.store, opportunity, actor=ctx.actor)
    detect_after_write(ctx, str(opportunity["id"]))
    return submitted


# --- violations ----------------------------------------------------------------------------------


def detect_after_write(
    ctx: RequestContext,
    opportunity_id: str,
    rules: frozenset[ViolationRule] | None = None,
    *,
    moved: bool = False,
) -> tuple[str, ...]:
    """Record violations a write created (a deal created in a later stage, a stage entered
    without its approvals, a contact deleted) and resolve those it mended (the approval given,
    the stage left, the quote reviewed, a visit logged): the deal's open violations say so at
    once, not at the next sweep. ``rules``: only those the write can change (all when None).
    Nothing is written when nothing changed.

    A follow-up of a write that already stands, never part of it: when the check fails, the
    write is kept and answered, the failure logged, and the next sweep catches up.

    A decided deal is not checked, as the sweep does not check it: its violations stay as they
    were, and a note written on a deal won long ago raises nothing it could still put right.
    Only the stage move that decided it (``moved``) is checked, for what the move mended."""
    return detect_after_writes(ctx, [opportunity_id], rules, moved=moved)


def detect_after_writes(
    ctx: RequestContext,
    opportunity_ids: Sequence[str],
    rules: frozenset[ViolationRule] | None = None,
    *,
    moved: bool = False,
) -> tuple[str, ...]:
    """``detect_after_write`` for every deal one write touched, read together (a person
    deleted may sit in every deal of a customer)."""
    if not opportunity_ids:
        return ()
    try:
        return violations.detect_on_writes(
            ctx.store, definition(), opportunity_ids, rules=rules, actor=ctx.actor, decided=moved
        )
    except Exception:  # the write stands whatever the check meets
        log.exception("violation check after a write to opportunities %s failed", opportunity_ids)
        return ()


def open_deals_tied(
    ctx: RequestContext, edge: EdgeKind, kind: NodeKind, ids: Sequence[str]
) -> list[str]:
    """The open opportunities that ``ids`` (nodes of ``kind``) are tied to by ``edge``: those
    whose violations a write to them can change. Read for a follow-up check
    (``detect_after_write``), so a failure is logged and none are found."""
    try:
        found = ctx.store.neighbours(edge, kind, NodeKind.OPPORTUNITY, ids)
    except Exception:  # the write stands whatever the check meets
        log.exception("finding the deals of a written %s failed", kind.value)
        return []
    closed = {s.value for s in CLOSED_STAGES}
    return sorted(
        {
            str(n.node["id"])
            for tied in found.values()
            for n in tied
            if n.node.get("stage") not in closed
        }
    )


def open_deals_of_people_at(ctx: RequestContext, customer_id: str, edge: EdgeKind) -> list[str]:
    """The open opportunities of other customers that the people of ``customer_id`` are tied to
    by ``edge`` (a chain holds them as external members): those its delete, which takes its
    people and its own deals with it, can change. Read for a follow-up check, so a failure is
    logged and none are found."""
    try:
        found = ctx.store.neighbours(
            EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, [customer_id], incoming=True
        )
        own = ctx.store.neighbours(
            EdgeKind.FOR, NodeKind.OPPORTUNITY, NodeKind.CUSTOMER, [customer_id], incoming=True
        )
    except Exception:  # the write stands whatever the check meets
        log.exception("finding the deals of a written customer's people failed")
        return []
    people = [str(n.node["id"]) for n in found[customer_id]]
    gone = {str(n.node["id"]) for n in own[customer_id]}
    tied = open_deals_tied(ctx, edge, NodeKind.KEY_PERSON, people)
    return [deal for deal in tied if deal not in gone]


def opportunity_create(
    ctx: RequestContext,
    customer_id: str | None,
    props: Mapping[str, Any],
    key: str | None,
    new_customer: NewCustomer | None = None,
) -> rec.OpportunityRecord:
    """Create an opportunity (with a new customer, in the same write), then record the gates
    it skipped when created in a later stage: only a director or an administrator creates one
    there (a deal moved from another system), a team member's new deal starts at the first,
    and only an administrator enters one already decided (history from another system)."""
    require_writer(ctx)  # a viewer is told his role writes nothing, not where deals start
    stage, first = props.get("stage"), definition().stages[0].stage
    if stage is not None and Stage(stage) in CLOSED_STAGES and not ctx.roles & ADMINS:
        problem = FieldProblem("stage", CREATE_DECIDED.en, ErrorCode.FORBIDDEN, CREATE_DECIDED.zh)
        raise DomainError([problem])
    if stage is not None and Stage(stage) != first and not ctx.roles & LEADS:
        zh, en = definition().stage_name(first)
        text = CREATE_PAST_FIRST_STAGE
        problem = FieldProblem(
            "stage", text.en.format(stage=en), ErrorCode.FORBIDDEN, text.zh.format(stage=zh)
        )
        raise DomainError([problem])
    node = create_opportunity(ctx, customer_id, props, key, new_customer)
    detect_after_write(ctx, str(node["id"]))
    return node


@dataclass(frozen=True, slots=True)
class Swept:
    """What one sweep saw: deals checked, violations present now, the new ones and the ones
    whose cause it found gone."""

    checked: int
    found: int
    created: tuple[Node, ...]
    resolved: tuple[Node, ...] = ()


@InThread
def violations_sweep(ctx: RequestContext) -> Swept:
    """Run the violation rules over every open opportunity the caller may see."""
    require_writer(ctx)
    result = violations.sweep(ctx.store, definition(), actor=ctx.actor, scope=ctx.scope)
    new = set(result.new_keys)
    gone = set(result.resolved_ids)
    created: list[Node] = []
    resolved: list[Node] = []
    if new or gone:
        rows = _violation_rows(ctx, {}, False, None, 1_000_000)[0]
        created = [
            n
            for n in rows
            if n["key"] in new and not n.get("resolved_at") and not n.get("repeated_at")
        ]
        resolved = [n for n in rows if n["id"] in gone]
    found = len({f.key for f in result.findings})
    return Swept(result.checked, found, tuple(created), tuple(resolved))


@InThread
def violation(ctx: RequestContext, violation_id: str) -> rec.ViolationRecord:
    """One visible violation, or NOT_FOUND."""
    return ps.get_violation(ctx.store, violation_id, scope=ctx.scope)


def may_acknowledge(ctx: RequestContext, answering_id: object, acting_id: object) -> bool:
    """Whether the caller may acknowledge a violation: an administrator, or a sales director
    who does not answer for it. The team responds; its director judges the response, so nobody
    clears their own record."""
    if Role.ADMIN.value in ctx.roles:
        return True
    return Role.SALES_DIRECTOR.value in ctx.roles and (
        answering_id is None or answering_id != acting_id
    )


def _may_respond(ctx: RequestContext, answering_id: object, acting_id: object) -> bool | None:
    """Whether the caller may respond to a violation: whoever answers for it, anyone who may
    write the deal for one nobody answers for; None when that depends on whether the one
    answering for it is still one of ours (then anyone may)."""
    if not ctx.roles & WRITERS:
        return False
    if answering_id is None or answering_id == acting_id:
        return True
    return None


async def violation_may_respond(
    ctx: RequestContext, answering_id: str | None, acknowledged: bool
) -> bool:
    """``Violation.mayRespond`` for the reader: never once acknowledged; whether the one
    answering for it is gone is read batched per request."""
    if acknowledged:
        return False
    respond = _may_respond(ctx, answering_id, ctx.member_id)
    if respond is None:
        found = await node_loader(ctx, NodeKind.TEAM_MEMBER).load(str(answering_id))
        respond = _gone(found)
    return respond


def violation_may_acknowledge(
    ctx: RequestContext, answering_id: str | None, acknowledged: bool
) -> bool:
    """``Violation.mayAcknowledge`` for the reader: never once acknowledged."""
    return not acknowledged and may_acknowledge(ctx, answering_id, ctx.member_id)


def violation_may_send_back(
    ctx: RequestContext, answering_id: str | None, acknowledged: bool, waiting: bool
) -> bool:
    """``Violation.maySendBack`` for the reader: whoever may acknowledge it, while a response
    waits for them (``waiting``: responded to, and its cause not gone)."""
    return waiting and violation_may_acknowledge(ctx, answering_id, acknowledged)


def _gone(member: Mapping[str, Any] | None) -> bool:
    """Whether one who answers for a violation is no longer one of ours to answer (deleted, or
    left): their violations are then the team's to respond to."""
    return member is None or member.get("left_at") is not None


_WHAT_WAS_DONE: Final = Text("say what was done about the violation", "请说明针对该违规采取的措施")
_WHAT_IT_LACKS: Final = Text("say what the response still lacks", "请说明该答复还缺少什么")


def _acting_on_violation(
    ctx: RequestContext,
    violation_id: str,
    note: str,
    acting_member_id: str | None,
    asked: Text = _WHAT_WAS_DONE,
) -> tuple[rec.ViolationRecord, str | None]:
    """The visible violation and the member acting on it, once the note says ``asked``."""
    require_writer(ctx)
    if not note.strip():
        raise bad_input("note", asked.en, asked.zh)
    within_note_length("note", note)
    member = acting_member(ctx, acting_member_id, required=False)
    violation = ps.get_violation(ctx.store, violation_id, scope=ctx.scope)
    return violation, str(member["id"]) if member else None


@InThread
def violation_respond(
    ctx: RequestContext,
    violation_id: str,
    *,
    note: str,
    put_right_by: str | None = None,
    acting_member_id: str | None,
) -> rec.ViolationRecord:
    """Say what was done about a violation one answers for, and by when it will be put right
    (one that goes on, still open): it leaves their list and waits for a sales director's
    acknowledgement, still open."""
    violation, acting = _acting_on_violation(ctx, violation_id, note, acting_member_id)
    answering = violation.get("responsible_member_id")
    if not _may_respond(ctx, answering, acting):
        found = ctx.store.get_many(NodeKind.TEAM_MEMBER, [str(answering)]).get(str(answering))
        if not _gone(found):
            assert found is not None
            text = RESPOND_REFUSED.format(name=str(found["name"]))
            raise DomainError(FieldProblem("id", text.en, ErrorCode.FORBIDDEN, text.zh))
    if not violation.get("acknowledged"):  # else the store says it takes no response
        _check_promise(ctx, violation, put_right_by)
    return ps.respond_to_violation(
        ctx.store,
        violation,
        note=note.strip(),
        put_right_by=put_right_by,
        member_id=acting,
        actor=ctx.actor,
    )


def _check_promise(
    ctx: RequestContext, violation: rec.ViolationRecord, put_right_by: str | None
) -> None:
    """Refuse, at ``putRightBy``, a date the response cannot promise (or its lack). The deal
    is read only for a date that may be checked against its expected close."""
    rule = ViolationRule(violation["rule"])
    close = None
    if put_right_by and recheck_days(rule):
        deals = ctx.store.get_many(NodeKind.OPPORTUNITY, [violation["opportunity_id"]])
        deal = deals.get(violation["opportunity_id"])
        close = deal.get("expected_close_date") if deal else None
    promise = Promise(rule, violation.get("resolved_at") is None, close)
    problem = promise.problem(put_right_by, ctx.store.clock(), definition().violations)
    if problem is not None:
        raise bad_input("putRightBy", problem.en, problem.zh)


def _judge(
    ctx: RequestContext,
    violation_id: str,
    note: str,
    acting_member_id: str | None,
    responded_at: int | None,
    sending_back: bool,
) -> rec.ViolationRecord:
    """Acknowledge a violation, or send its response back, as whoever may acknowledge it;
    the step takes the response its reader read (``responded_at``, when they say which), and
    the store refuses it if a newer one came in."""
    asked = _WHAT_IT_LACKS if sending_back else _WHAT_WAS_DONE
    violation, acting = _acting_on_violation(ctx, violation_id, note, acting_member_id, asked)
    if responded_at is not None:
        violation = cast("rec.ViolationRecord", {**violation, "responded_at": responded_at})
    answering = violation.get("responsible_member_id")
    if not may_acknowledge(ctx, answering, acting):
        own = ctx.roles & LEADS and answering == acting
        acknowledging = ACKNOWLEDGE_OWN_REFUSED if own else ACKNOWLEDGE_REFUSED
        text = SEND_BACK_REFUSED if sending_back else acknowledging
        raise DomainError(FieldProblem("id", text.en, ErrorCode.FORBIDDEN, text.zh))
    step = ps.send_back_violation if sending_back else ps.acknowledge_violation
    return step(ctx.store, violation, note=note.strip(), member_id=acting, actor=ctx.actor)


@InThread
def violation_acknowledge(
    ctx: RequestContext,
    violation_id: str,
    *,
    note: str,
    acting_member_id: str | None,
    responded_at: int | None = None,
) -> rec.ViolationRecord:
    """Acknowledge a violation with a note (it stays on record; nothing deletes it), with the
    response its reader read."""
    return _judge(ctx, violation_id, note, acting_member_id, responded_at, sending_back=False)


@InThread
def violation_send_back(
    ctx: RequestContext,
    violation_id: str,
    *,
    note: str,
    acting_member_id: str | None,
    responded_at: int | None = None,
) -> rec.ViolationRecord:
    """Send the response its reader read back with what it still lacks (whoever may
    acknowledge the violation): it waits on whoever answers for it again, still open."""
    return _judge(ctx, violation_id, note, acting_member_id, responded_at, sending_back=True)


class ViolationConditions(TypedDict, total=False):
    """Which violations a list holds (``graph.process_store.list_violations``)."""

    rule: str | None
    opportunity_id: str | None
    acknowledged: bool | None
    resolved: bool | None
    open_only: bool | None
    responsible_id: str | None
    responded: bool | None
    promised: bool | None


def _violation_rows(
    ctx: RequestContext,
    conditions: ViolationConditions,
    backwards: bool,
    cursor: tuple[Any, str] | None,
    limit: int,
) -> tuple[list[Node], int]:
    """Visible violations, newest first, after ``cursor``; and how many there are."""
    after = (int(cursor[0]), cursor[1]) if cursor else None
    page = ps.list_violations(ctx.store, **conditions, after=after, limit=limit, scope=ctx.scope)
    return page.items, page.total


Rows = Callable[[bool, tuple[Any, str] | None, int], tuple[list[Node], int]]
"""Reads one page of a newest-first list: (backwards, after, limit) → (items, total)."""


def _newest_first(
    ctx: RequestContext, list_name: str, key: str, first: int | None, after: str | None, rows: Rows
) -> PageResult:
    """A forward page of a list sorted by the time ``key``, newest first."""
    request = page_request(first, after, None, None, list_tag(list_name, key, True))
    return paginate(request, rows, lambda item: int(item[key]))


@InThread
def violations_page(
    ctx: RequestContext,
    *,
    first: int | None,
    after: str | None,
    **conditions: Unpack[ViolationConditions],
) -> PageResult:
    """A page of visible violations, newest first."""
    rows = partial(_violation_rows, ctx, conditions)
    return _newest_first(ctx, "violations", "detected_at", first, after, rows)


# --- audit and pipeline --------------------------------------------------------------------------


@InThread
def audit_page(
    ctx: RequestContext,
    target_id: str | None,
    first: int | None,
    after: str | None,
    *,
    kind: NodeKind | None = None,
) -> PageResult:
    """Audit entries, newest first, optionally of one target (``kind``: the kind of node it
    is, when the caller knows it)."""
    rows = partial(_audit_rows, ctx, target_id, kind)
    return _newest_first(ctx, "auditLog", "at", first, after, rows)


def _audit_rows(
    ctx: RequestContext,
    target_id: str | None,
    kind: NodeKind | None,
    backwards: bool,
    cursor: tuple[Any, str] | None,
    limit: int,
) -> tuple[list[Node], int]:
    """Audit entries, newest first; only administrators and sales directors may read them.

    The whole log is for administrators; a director reads the history of one node they may
    see (an invisible or unknown target reads as NOT_FOUND, so existence is not leaked), and of
    it only what names things they may see (``as_seen``). Whether they may see it costs one
    round trip when ``kind`` says what it is, one per kind tried otherwise (a bare store id).
    """
    if not ctx.roles & AUDIT_READERS:
        raise DomainError(
            FieldProblem("", AUDIT_LOG_REFUSED.en, ErrorCode.FORBIDDEN, AUDIT_LOG_REFUSED.zh)
        )
    if not ctx.scope.everything:
        if target_id is None:
            raise DomainError(
                FieldProblem(
                    "targetId",
                    AUDIT_TARGET_NEEDED.en,
                    ErrorCode.FORBIDDEN,
                    AUDIT_TARGET_NEEDED.zh,
                )
            )
        kinds = (kind,) if kind else tuple(NodeKind)
        if not any(ctx.store.get_many(k, [target_id], scope=ctx.scope) for k in kinds):
            raise not_found("node", "targetId")
    page = ctx.store.audit_log(
        target_id, after=(int(cursor[0]), cursor[1]) if cursor else None, limit=limit
    )
    return as_seen(ctx, page.items), page.total


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The pipeline summary and the approvals it counted as pending."""

    summary: PipelineSummary
    pending: tuple[ApprovalRecord, ...]


@InThread
def pipeline(ctx: RequestContext) -> Pipeline:
    """Open deals by stage and grade, their gate compliance, pending approvals and open
    violations. Won, lost and abandoned deals are history, not pipeline: they have no gate to
    meet and would dilute the compliance rate."""
    ids = ps.opportunity_ids(ctx.store, scope=ctx.scope)
    chains = load_chains(ctx.store, ids, scope=ctx.scope, seen=ctx.sequence)
    known = pr.load_process_facts(ctx.store, list(chains), scope=ctx.scope)
    states = {i: pr.DealState(chains[i].chain, known[i]) for i in chains if i in known}
    d = definition()
    now = ctx.store.clock()
    items: list[PipelineItem] = []
    pending: list[ApprovalRecord] = []
    for deal in states.values():
        opp = deal.chain.snapshot.opportunity
        if opp.stage not in ENDED_STAGES:  # what waits on a deal that ended is nobody's work
            pending += [a for a in deal.facts.approvals if a.state == ApprovalState.PENDING]
        if opp.stage in CLOSED_STAGES:
            continue
        facts = gate_facts_from_snapshot(
            deal.chain.snapshot, deal.facts.approvals, now_ms=now, review=deal.facts.review
        )
        items.append(
            PipelineItem(
                opp.id, opp.stage, opp.grade, opp.amount, opp.currency, is_gate_compliant(d, facts)
            )
        )
    open_violations = ps.list_violations(
        ctx.store, open_only=True, limit=1_000_000, scope=ctx.scope
    )
    findings = [pr.finding_of(v) for v in open_violations.items]
    # a response waiting for a director: answered, not yet judged
    responded = {
        f.key
        for f, v in zip(findings, open_violations.items, strict=True)
        if v.get("responded_at") is not None
    }
    return Pipeline(pipeline_summary(d, items, pending, findings, responded), tuple(pending))


# --- loaders ---------------------------------------------------------------------------------


def stage_history_loader(ctx: RequestContext) -> DataLoader[str, list[rec.StageTransitionRecord]]:
    """Stage transitions by opportunity id, batched per request."""

    async def load(ids: list[str]) -> Sequence[list[rec.StageTransitionRecord]]:
        found = await ctx.run(ps.stage_history, ctx.store, ids)
        return [found.get(i, []) for i in ids]

    return request_loader(ctx, ("stage_history",), load)


def process_facts_loader(ctx: RequestContext) -> DataLoader[str, pr.ProcessFacts | None]:
    """Approvals and delivery reviews by opportunity id, batched per request."""

    async def load(ids: list[str]) -> Sequence[pr.ProcessFacts | None]:
        found = await ctx.run(pr.load_process_facts, ctx.store, ids, scope=ctx.scope)
        return [found.get(i) for i in ids]

    return request_loader(ctx, ("process_facts",), load)


# --- process fields of the node types ---------------------------------------------------------


async def stage_moves(ctx: RequestContext, opportunity_id: str) -> list[pr.StageMove]:
    """``Opportunity.stageHistory``: transitions oldest first, batched per request."""
    nodes = await stage_history_loader(ctx).load(opportunity_id)
    return [pr.stage_move(n) for n in nodes]


async def triangle(
    ctx: RequestContext, opportunity_id: str, phase: LifecyclePhase
) -> TriangleStatus:
    """``Opportunity.triangle(phase)`` from the batched decision-chain load."""
    loaded = await chain_loader(ctx).load(opportunity_id)
    return triangle_status(loaded.snapshot.team if loaded else (), phase)


def approval_process_name(ctx: RequestContext, code: str) -> str:
    """``Approval.processName``: the process as people know it, in the request's language."""
    return process_name(definition(), code).in_(ctx.locale)


def request_help(ctx: RequestContext, process: ApprovalProcess) -> str | None:
    """``MissingApproval.requestHelp``: what a request should tell whoever decides it, in the
    request's language; None when the process file says nothing."""
    return Text(en=process.request_help_en, zh=process.request_help_zh).in_(ctx.locale) or None


def rule_name(ctx: RequestContext, rule: ViolationRule) -> str:
    """``RuleCount.label``: what a violation rule is called, in the request's language."""
    return rule_texts().names[rule].in_(ctx.locale)


def approver_roles(code: str) -> list[TeamRole]:
    """``Approval.approverRoles``: who decides the process, as the process file says."""
    process = definition().process(code)
    return sorted(process.approver_roles) if process else []


def process_fields(code: str) -> list[RequestField]:
    """``Approval.processFields``: what the process file asks a request of ``code`` for."""
    process = definition().process(code)
    return list(process.fields) if process else []


async def may_decide(ctx: RequestContext, approval_id: str) -> bool:
    """``Approval.mayDecide``: the caller may approve or reject it now, by the rules
    ``approvalDecide`` applies (pending, an approver role on the deal, not their own request),
    so a page offers the decision only to whoever may make it."""
    member = await _writing_member(ctx)
    node = await node_loader(ctx, NodeKind.APPROVAL).load(approval_id)
    if member is None or node is None:
        return False
    record = pr.approval_record(node)
    loaded = await chain_loader(ctx).load(record.opportunity_id)
    if loaded is None:
        return False
    roles = _roles_on(loaded.snapshot.team, member)
    stage = loaded.snapshot.opportunity.stage
    return not can_decide(
        definition(), record, str(member["id"]), roles, Decision.APPROVE, stage=stage
    )


@dataclass(frozen=True, slots=True)
class MissingApproval:
    """An approval the deal's next stage needs that is neither granted nor asked for, with
    what a request of it takes and whether the caller may make one."""

    process: ApprovalProcess
    state: ApprovalState | None
    may_request: bool


@dataclass(frozen=True, slots=True)
class ShownProblem:
    """A problem as its reader sees it: in their language, and in both."""

    code: str
    path: str
    message: str
    message_zh: str
    message_en: str


async def next_stage_problems(ctx: RequestContext, opportunity_id: str) -> list[ShownProblem]:
    """``Opportunity.nextStageProblems``: what the move to the next stage lacks (the gate's
    fields, actions and approvals), the list a move made now would be refused with, so the
    team sees what is left before anyone tries; none for a closed deal."""
    loaded = await chain_loader(ctx).load(opportunity_id)
    facts = await process_facts_loader(ctx).load(opportunity_id)
    if loaded is None or facts is None:
        return []
    to = next_stage(loaded.snapshot.opportunity.stage)
    if to is None:
        return []
    gate = gate_facts_from_snapshot(
        loaded.snapshot, facts.approvals, now_ms=ctx.store.clock(), review=facts.review
    )
    problems = check_gate(definition(), gate, to).problems
    return [ShownProblem(p.code, p.path, p.message(ctx.locale), p.zh, p.en) for p in problems]


@dataclass(frozen=True, slots=True)
class DueAction:
    """A required action of the deal's stage not done yet, as of ``now``."""

    due: ActionDue
    now: int

    @property
    def overdue(self) -> bool:
        """Its time has passed: the sweep raises it (or has) as a process violation."""
        return self.now > self.due.due_at


async def stage_actions_due(ctx: RequestContext, opportunity_id: str) -> list[DueAction]:
    """``Opportunity.stageActionsDue``: the required actions of the deal's stage still undone,
    each with when it becomes a process violation, soonest first (someone put on the chain late
    has days of their own for their needs), so the team sees them coming; none for a closed
    deal, whose stage requires nothing."""
    process_def = definition()
    if not process_def.violations.runs(ViolationRule.ACTION_OVERDUE):
        return []  # switched off in the process file: nothing falls due
    loaded = await chain_loader(ctx).load(opportunity_id)
    facts = await process_facts_loader(ctx).load(opportunity_id)
    if loaded is None or facts is None:
        return []
    now = ctx.store.clock()
    seen = violation_facts_from_snapshot(
        loaded.snapshot, facts.approvals, facts.stage_entered_at, facts.review, now_ms=now
    )
    due = sorted(actions_due(process_def, seen), key=lambda a: a.due_at)
    return [DueAction(a, now) for a in due]


async def missing_approvals(ctx: RequestContext, opportunity_id: str) -> list[MissingApproval]:
    """``Opportunity.missingApprovals``: what the move to the next stage still lacks in
    approvals (never requested, rejected or withdrawn), so a page offers to request each."""
    loaded = await chain_loader(ctx).load(opportunity_id)
    facts = await process_facts_loader(ctx).load(opportunity_id)
    if loaded is None or facts is None:
        return []
    deal = loaded.snapshot.opportunity
    process_def = definition()
    roles = await _requesting_roles(ctx, loaded.snapshot.team)
    missing: list[MissingApproval] = []
    for code in _needed(process_def, deal):
        states = {a.state for a in facts.approvals if a.process_code == code}
        process = process_def.process(code)
        if process is None or states & {ApprovalState.APPROVED, ApprovalState.PENDING}:
            continue
        state = (
            ApprovalState.REJECTED if ApprovalState.REJECTED in states else next(iter(states), None)
        )
        may = _may_request(process_def, process, roles, deal.stage, facts.approvals)
        missing.append(MissingApproval(process, state, may))
    return missing


async def optional_approvals(ctx: RequestContext, opportunity_id: str) -> list[MissingApproval]:
    """``Opportunity.optionalApprovals``: the processes one may ask for on an open deal besides
    what its next gate needs (a POC, presales resources, bid documents): those of the stages it
    has reached whose prerequisites are granted, none of them pending, each with its latest
    outcome; one the gate needs once it was granted and asked for again (a second POC, turned
    down). A grade's own approval and the upgrade are left to the gate, which asks for them
    where the grade needs them. On a won deal, those that come after the award (the SOW
    review); on a lost or abandoned one, none."""
    loaded = await chain_loader(ctx).load(opportunity_id)
    facts = await process_facts_loader(ctx).load(opportunity_id)
    if loaded is None or facts is None:
        return []
    deal = loaded.snapshot.opportunity
    if deal.stage in ENDED_STAGES:
        return []
    process_def = definition()
    grades = process_def.grades
    granted = {a.process_code for a in facts.approvals if a.state == ApprovalState.APPROVED}
    needed = set(_needed(process_def, deal))
    left = needed - granted  # the gate lists those
    left |= {grades.upgrade_process} | {c.approval for c in grades.criteria if c.approval}
    roles = await _requesting_roles(ctx, loaded.snapshot.team)
    found: list[MissingApproval] = []
    for process in process_def.processes:
        if process.code in left or not process_def.reached(deal.stage, process.stage):
            continue
        if deal.stage == Stage.WON and not process.after_win:
            continue  # a won deal asks for what comes after the award only
        if order_problems(process_def, process, deal.stage, facts.approvals):
            continue
        asked = [a for a in facts.approvals if a.process_code == process.code]
        if any(a.state == ApprovalState.PENDING for a in asked):
            continue
        latest = max(asked, key=lambda a: a.history[0].at if a.history else 0, default=None)
        if process.code in needed and latest is not None and latest.state == ApprovalState.APPROVED:
            continue  # the gate's approval stands: nothing to ask again
        if not process.fields and any(a.state == ApprovalState.APPROVED for a in asked):
            continue  # a request without fields is the same request, and it stands approved
        may = _may_request(process_def, process, roles, deal.stage, facts.approvals)
        found.append(MissingApproval(process, latest.state if latest else None, may))
    return found


def _needed(process_def: ProcessDefinition, deal: OpportunityFacts) -> list[str]:
    """The approvals the move to the deal's next stage needs, in the process's order (none for
    a closed deal)."""
    upcoming = next_stage(deal.stage)
    if upcoming is None:
        return []
    codes = [
        code
        for sd in process_def.stages_before(upcoming)
        for code in stage_approvals(process_def, sd, deal.grade, deal.amount, deal.currency)
    ]
    return list(dict.fromkeys(codes))


def _may_request(
    process_def: ProcessDefinition,
    process: ApprovalProcess,
    roles: frozenset[TeamRole],
    stage: Stage,
    approvals: Sequence[ApprovalRecord],
) -> bool:
    """Whether someone with ``roles`` on the deal may request ``process`` now: a requester
    role (anyone on the team when it names none) and its prerequisites granted."""
    allowed = bool(roles) and (not process.requester_roles or bool(roles & process.requester_roles))
    return allowed and not order_problems(process_def, process, stage, approvals)


async def _writing_member(ctx: RequestContext) -> rec.TeamMemberRecord | None:
    """The caller's team member when they may write (None for a reader or a login linked to
    nobody): only they are offered a process step."""
    if not ctx.roles & WRITERS or ctx.member_id is None:
        return None
    return ctx.member if ctx.member_known else await ctx.run(acting_member, ctx, required=False)


async def _requesting_roles(
    ctx: RequestContext, team: Sequence[TeamAssignment]
) -> frozenset[TeamRole]:
    """The caller's roles on a deal when they may write, else none."""
    member = await _writing_member(ctx)
    return _roles_on(team, member) if member is not None else frozenset()


def next_stage(stage: Stage) -> Stage | None:
    """``Opportunity.nextStage``: the open stage after ``stage`` in the process, WON after the
    last one, None for a closed deal."""
    order = [s.stage for s in definition().stages]
    if stage not in order:
        return None
    at = order.index(stage) + 1
    return order[at] if at < len(order) else Stage.WON


async def approvals(ctx: RequestContext, opportunity_id: str) -> list[rec.ApprovalRecord]:
    """``Opportunity.approvals``: every approval requested for the deal, oldest first."""
    facts = await process_facts_loader(ctx).load(opportunity_id)
    return list(facts.approval_nodes) if facts else []


async def validation(ctx: RequestContext, opportunity_id: str) -> rec.ApprovalRecord | None:
    """``Opportunity.validation``: the latest approval requested of the process that validates
    the deal as real (``REAL_VALIDATION``), None when none was."""
    asked = [a for a in await approvals(ctx, opportunity_id) if a["process"] == REAL_VALIDATION]
    return max(asked, key=lambda a: (a["created_at"], a["id"]), default=None)


async def delivery_review(ctx: RequestContext, opportunity_id: str) -> DeliveryReview | None:
    """``Opportunity.deliveryReview``: the newest recorded review."""
    facts = await process_facts_loader(ctx).load(opportunity_id)
    if facts is None or facts.review_node is None:
        return None
    return pr.delivery_review(facts.review_node)


async def approval_history(ctx: RequestContext, approval_id: str) -> tuple[Transition, ...]:
    """``Approval.history``: every state change of a visible approval."""
    node = await node_loader(ctx, NodeKind.APPROVAL).load(approval_id)
    return pr.approval_record(node).history if node else ()
