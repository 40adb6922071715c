"""The TAS+ process in GraphQL: stage gates, approvals, the delivery review and quote rule,
violations, the audit log and the pipeline view.

Refusals come back twice: as ``userErrors`` (message in the request locale, codes from the
fixed set) and as ``problems`` with the stable rule code and both zh-CN and English messages.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.errors import DomainError
from domain.model import NodeKind
from domain.text import Text
from domain.vocabulary import LABELS
from resolvers import process as rp
from resolvers import process_records as pr
from schema import enums
from schema.common import Connection, ProcessProblem, Refusal, page_connection, payload
from schema.ids import GivenID, optional_raw_id, raw_id, to_global
from schema.inputs import condition, conditions_of
from schema.nodes import Approval, Competitor, Ctx, KeyPerson, Opportunity, TeamMember, context
from schema.relations import NodeMixin
from schema.scalars import Long, instant, to_datetime, to_epoch_ms
from strategy.tas import Decision, PersonDue, RequestField, Transition, ViolationRule
from strategy.tas import DeliveryReview as TasReview
from strategy.tas import TriangleStatus as TasTriangle

strawberry.enum(ViolationRule, description="A rule of the TAS+ process that was broken")
strawberry.enum(Decision, name="ApprovalDecision", description="What to do with a pending approval")

# --- shapes ------------------------------------------------------------------------------------


async def _node[N: NodeMixin](node_type: type[N], info: Ctx, node_id: str | None) -> N | None:
    """The node a store id names, as the API presents it (batched); None for no id."""
    if node_id is None:
        return None
    return (await node_type.resolve_nodes(info=info, node_ids=[node_id]))[0]


def _at(root: strawberry.Parent[pr.StageMove | Transition]) -> datetime:
    return instant(root.at)


def _comment(root: strawberry.Parent[Transition | TasReview]) -> str | None:
    return root.comment or None


@strawberry.type(description="A stage move of an opportunity: who, when, from, to and why")
class StageTransition:
    """Presents a ``resolvers.process_records.StageMove``."""

    id: strawberry.ID
    from_stage: enums.Stage
    to_stage: enums.Stage
    reason: str | None
    at: datetime = strawberry.field(resolver=_at)
    actor_id: str = strawberry.field(description="The authenticated caller who moved it")
    actor_name: str | None = strawberry.field(
        description="Who moved it: the name of the team member it was moved on behalf of, as"
        " the move keeps them (the login's own name when it acted as nobody, such as an"
        " administrator)"
    )

    @strawberry.field(description="The team member on whose behalf the stage was moved")
    async def member(self, root: strawberry.Parent[pr.StageMove], info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, root.member_id)

    @strawberry.field(description="The competitor the deal was lost to, if any")
    async def lost_to_competitor(
        self, root: strawberry.Parent[pr.StageMove], info: Ctx
    ) -> Competitor | None:
        return await _node(Competitor, info, root.lost_to_competitor_id)


def _triangle_warnings(root: strawberry.Parent[TasTriangle], info: Ctx) -> list[ProcessProblem]:
    return [ProcessProblem.of(w, context(info).locale) for w in root.warnings]


@strawberry.type(description="Who covers the iron triangle of one lifecycle phase")
class TriangleStatus:
    """Presents ``strategy.tas.TriangleStatus``; the warnings speak the request's language."""

    phase: enums.LifecyclePhase
    complete: bool
    required: list[enums.TeamRole]
    present: list[enums.TeamRole]
    missing: list[enums.TeamRole]
    extra: list[enums.TeamRole]
    warnings: list[ProcessProblem] = strawberry.field(resolver=_triangle_warnings)


@strawberry.type(description="One state change of an approval, with the actor's roles then")
class ApprovalTransition:
    """Presents ``strategy.tas.Transition``."""

    from_state: enums.ApprovalState | None
    to_state: enums.ApprovalState
    actor_id: str = strawberry.field(description="The store id of the team member who acted")
    actor_roles: list[enums.TeamRole]
    at: datetime = strawberry.field(resolver=_at)
    comment: str | None = strawberry.field(resolver=_comment)

    @strawberry.field(description="The team member who made the change, by name")
    async def actor(self, root: strawberry.Parent[Transition], info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, root.actor_id)


@strawberry.type(description="A field a requester fills in when requesting an approval")
class ApprovalRequestField:
    """Presents ``strategy.tas.RequestField``; the label speaks the request's language."""

    name: str = strawberry.field(description="Its key in ApprovalRequestInput.fields")
    type: str = strawberry.field(description="text, int, hours, date or timesheet")
    required: bool
    not_before: str | None = strawberry.field(
        description="The name of the date field this one may not precede"
    )

    @strawberry.field(description="How people call it, in the request's language")
    def label(self, root: strawberry.Parent[RequestField], info: Ctx) -> str:
        return Text(en=root.label_en, zh=root.label_zh).in_(context(info).locale)


@strawberry.type(
    description="An approval one may request on a deal: one the move to the next stage needs "
    "and lacks (never requested, rejected or withdrawn), or an optional one of a stage reached"
)
class MissingApproval:
    """Presents ``resolvers.process.MissingApproval``."""

    state: enums.ApprovalState | None = strawberry.field(
        description="Its latest outcome (rejected or withdrawn; approved too for an optional "
        "one asked for before); null when never requested"
    )
    may_request: bool = strawberry.field(
        description="Whether you may request it now (a writer on the deal's team in a "
        "requester role, once the approvals it follows are granted)"
    )

    @strawberry.field(description="Process code, e.g. 2-1")
    def process(self, root: strawberry.Parent[rp.MissingApproval]) -> str:
        return root.process.code

    @strawberry.field(description="The process as people know it, in the request's language")
    def process_name(self, root: strawberry.Parent[rp.MissingApproval], info: Ctx) -> str:
        return rp.approval_process_name(context(info), root.process.code)

    @strawberry.field(description="The roles that may request it; empty: anyone on the team")
    def requester_roles(self, root: strawberry.Parent[rp.MissingApproval]) -> list[enums.TeamRole]:
        return sorted(root.process.requester_roles)

    @strawberry.field(
        description="The team roles that decide it once requested (never its own requester): "
        "a page tells whoever would decide it himself who decides it instead"
    )
    def approver_roles(self, root: strawberry.Parent[rp.MissingApproval]) -> list[enums.TeamRole]:
        return sorted(root.process.approver_roles)

    @strawberry.field(
        description="The fields a request of it fills in", graphql_type=list[ApprovalRequestField]
    )
    def fields(self, root: strawberry.Parent[rp.MissingApproval]) -> list[RequestField]:
        return list(root.process.fields)

    @strawberry.field(
        description="What a request of it should tell whoever decides it, in the request's "
        "language (the help beside its comment); null when the process file says nothing"
    )
    def request_help(self, root: strawberry.Parent[rp.MissingApproval], info: Ctx) -> str | None:
        return rp.request_help(context(info), root.process)


def _reviewed_at(root: strawberry.Parent[TasReview]) -> datetime:
    return instant(root.reviewed_at)


@strawberry.type(description="A key person whose needs are not recorded, and when that lapses")
class PersonNeedsDue:
    """Presents ``strategy.tas.PersonDue``."""

    @strawberry.field(description="The key person")
    async def person(self, root: strawberry.Parent[PersonDue], info: Ctx) -> KeyPerson | None:
        return await _node(KeyPerson, info, root.person_id)

    @strawberry.field(
        description="When their needs become a process violation: the stage's deadline, or "
        "later for someone put on the chain after the deal entered its stage"
    )
    def due_at(self, root: strawberry.Parent[PersonDue]) -> datetime:
        return instant(root.due_at)


@strawberry.type(
    description="A required action of the deal's stage not done yet, and when it becomes a "
    "process violation (ACTION_OVERDUE)"
)
class StageActionDue:
    """Presents ``resolvers.process.DueAction``."""

    overdue: bool = strawberry.field(
        description="Its time has passed: the sweep raises it (or has) as a violation"
    )

    @strawberry.field(description="The action's key, e.g. needs_recorded")
    def action(self, root: strawberry.Parent[rp.DueAction]) -> str:
        return root.due.name

    @strawberry.field(description="The action in words, in the request's language")
    def label(self, root: strawberry.Parent[rp.DueAction], info: Ctx) -> str:
        return root.due.label.in_(context(info).locale)

    @strawberry.field(
        description="When it becomes a violation: the stage's days after the deal entered it "
        "(for the needs, the first of its people's due times)"
    )
    def due_at(self, root: strawberry.Parent[rp.DueAction]) -> datetime:
        return instant(root.due.due_at)

    @strawberry.field(
        description="For the needs of the chain: whose are not recorded, each with their own "
        "due time, in the order the process names them",
        graphql_type=list[PersonNeedsDue],
    )
    def people(self, root: strawberry.Parent[rp.DueAction]) -> list[PersonDue]:
        return list(root.due.people)


@strawberry.type(description="The delivery manager's review of feasibility, workload and price")
class DeliveryReview:
    """Presents ``strategy.tas.DeliveryReview``."""

    reviewer_id: str
    reviewed_at: datetime = strawberry.field(resolver=_reviewed_at)
    feasible: bool
    workload_person_days: float | None
    reviewed_quote_amount: Long | None
    comment: str | None = strawberry.field(resolver=_comment)

    @strawberry.field(description="The reviewing delivery manager")
    async def reviewer(self, root: strawberry.Parent[TasReview], info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, root.reviewer_id)


@strawberry.type(
    description="A broken process rule; acknowledged with a note, resolved when a check finds "
    "its cause gone, never deleted"
)
class Violation(relay.Node):
    id: relay.NodeID[str]
    key: str = strawberry.field(
        description="rule:opportunity:subject — stable across sweeps; a cause that comes back "
        "after its violation was resolved is a new violation with the same key"
    )
    rule: ViolationRule
    subject: str
    message: str
    message_zh: str
    message_en: str
    evidence: JSON
    detected_at: datetime
    last_seen_at: datetime
    acknowledged: bool
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledgement_note: str | None
    responded_at: datetime | None = strawberry.field(
        description="When whoever answers for it last said what was done, while that response "
        "waits for a sales director; null before any and once it is sent back"
    )
    response_note: str | None = strawberry.field(
        description="What whoever answers for it last said was done about it, kept when a "
        "director sends it back"
    )
    put_right_by: str | None = strawberry.field(
        description="The date (YYYY-MM-DD) by which the response waiting or acknowledged "
        "promised to put it right; acknowledged, it comes back the day after if its cause still "
        "holds. Null for a past event, and once a response is sent back"
    )
    recheck_days: int | None = strawberry.field(
        description="After how many days an acknowledged violation whose cause still holds comes "
        "back when its response promised no date; null for a past event, judged once (its "
        "response promises no date)"
    )
    sent_back_at: datetime | None = strawberry.field(
        description="When a sales director last sent a response back; null if none was"
    )
    sent_back_note: str | None = strawberry.field(
        description="What the response sent back still lacked, in the director's words"
    )
    resolved_at: datetime | None = strawberry.field(
        description="When a sweep (or the check after a write) found its cause gone; null "
        "while it still holds"
    )
    repeat: int = strawberry.field(
        description="How many times its cause came back at the recheck of an acknowledged "
        "violation (0: raised the first time); its message says who acknowledged it and when"
    )
    repeat_of_id: strawberry.ID | None = strawberry.field(
        description="The acknowledged violation it raises again (its global ID); null the "
        "first time"
    )
    repeated_at: datetime | None = strawberry.field(
        description="When the recheck of this acknowledged violation found its cause still there "
        "and raised it again as a new violation; null if not"
    )
    opportunity_id: strawberry.Private[str]
    responsible_member_id: strawberry.Private[str | None]
    response_member_id: strawberry.Private[str | None]
    sent_back_member_id: strawberry.Private[str | None]
    acknowledged_member_id: strawberry.Private[str | None]

    @classmethod
    def from_node(cls, node: Mapping[str, Any], locale: str) -> Self:
        detected = to_datetime(int(node["detected_at"]))
        seen = to_datetime(int(node.get("last_seen_at") or node["detected_at"]))
        assert detected is not None
        assert seen is not None
        finding = pr.finding_of(node)
        text = Text(en=finding.en, zh=finding.zh)
        return cls(
            id=str(node["id"]),
            key=str(node["key"]),
            rule=finding.rule,
            subject=finding.subject,
            message=text.in_(locale),
            message_zh=text.zh,
            message_en=text.en,
            evidence=JSON(finding.evidence),
            detected_at=detected,
            last_seen_at=seen,
            acknowledged=bool(node.get("acknowledged")),
            acknowledged_at=to_datetime(node.get("acknowledged_at")),
            acknowledged_by=pr.text_or_none(node.get("acknowledged_by")),
            acknowledgement_note=pr.text_or_none(node.get("acknowledgement_note")),
            responded_at=to_datetime(node.get("responded_at")),
            response_note=pr.text_or_none(node.get("response_note")),
            put_right_by=pr.text_or_none(node.get("put_right_by")),
            recheck_days=rp.recheck_days(finding.rule),
            sent_back_at=to_datetime(node.get("sent_back_at")),
            sent_back_note=pr.text_or_none(node.get("sent_back_note")),
            resolved_at=to_datetime(node.get("resolved_at")),
            repeat=int(node.get("repeat") or 0),
            repeat_of_id=_violation_gid(node.get("repeat_of")),
            repeated_at=to_datetime(node.get("repeated_at")),
            opportunity_id=finding.opportunity_id,
            responsible_member_id=pr.text_or_none(finding.responsible_member_id),
            response_member_id=pr.text_or_none(node.get("response_member_id")),
            sent_back_member_id=pr.text_or_none(node.get("sent_back_member_id")),
            acknowledged_member_id=pr.text_or_none(node.get("acknowledged_member_id")),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Ctx, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ctx = context(info)
        result: list[Self | None] = []
        for node_id in node_ids:
            try:
                node = await rp.violation(ctx, node_id)
            except DomainError:
                result.append(None)
                continue
            result.append(cls.from_node(node, ctx.locale))
        return result

    @strawberry.field(description="The opportunity that broke the rule")
    async def opportunity(self, info: Ctx) -> Opportunity | None:
        return await _node(Opportunity, info, self.opportunity_id)

    @strawberry.field(description="Who answers for it (the deal's account manager, the decider…)")
    async def responsible(self, info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, self.responsible_member_id)

    @strawberry.field(description="Who of ours responded to it, last")
    async def responded_by(self, info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, self.response_member_id)

    @strawberry.field(description="Who of ours sent a response back, last")
    async def sent_back_by(self, info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, self.sent_back_member_id)

    @strawberry.field(
        description="Who of ours acknowledged it, and so agreed to the date its response "
        "promised (acknowledgedBy is the id of their login)"
    )
    async def acknowledged_by_member(self, info: Ctx) -> TeamMember | None:
        return await _node(TeamMember, info, self.acknowledged_member_id)

    @strawberry.field(
        description="Whether the reader may respond to it: whoever answers for it (anyone on "
        "the team when nobody does)"
    )
    async def may_respond(self, info: Ctx) -> bool:
        return await rp.violation_may_respond(
            context(info), self.responsible_member_id, self.acknowledged
        )

    @strawberry.field(
        description="Whether the reader may acknowledge it: a sales director who does not "
        "answer for it, or an administrator"
    )
    def may_acknowledge(self, info: Ctx) -> bool:
        return rp.violation_may_acknowledge(
            context(info), self.responsible_member_id, self.acknowledged
        )

    @strawberry.field(
        description="Whether the reader may send its response back: whoever may acknowledge "
        "it, while a response waits"
    )
    def may_send_back(self, info: Ctx) -> bool:
        return rp.violation_may_send_back(
            context(info),
            self.responsible_member_id,
            self.acknowledged,
            self.responded_at is not None and self.resolved_at is None,
        )


def _violation_gid(stored_id: object) -> strawberry.ID | None:
    """The global ID of a stored violation's id, as ``node`` takes it."""
    return None if not stored_id else strawberry.ID(str(relay.to_base64("Violation", stored_id)))


@strawberry.type(description="One audited change: who, when, what, and the values before/after")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    actor_id: str
    actor_name: str | None = strawberry.field(
        description="Who made it: the name of the team member the login acted as then, as the"
        " entry keeps them (for an entry that keeps none, the one the login acts as now; the"
        " login's own name when it acts as nobody, such as an administrator)"
    )
    operation: str
    target_kind: str
    target_id: str = strawberry.field(description="The store id of the target (not a global ID)")
    before: JSON | None
    after: JSON | None
    changes: JSON = strawberry.field(description="The whole recorded change")

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Self:
        changes = json.loads(node.get("changes") or "{}")
        at = to_datetime(int(node["at"]))
        assert at is not None
        return cls(
            id=strawberry.ID(str(node["id"])),
            at=at,
            actor_id=str(node.get("actor_id") or ""),
            actor_name=pr.text_or_none(node.get("actor_member_name"))
            or pr.text_or_none(node.get("actor_name")),
            operation=str(node.get("operation") or ""),
            target_kind=str(node.get("target_kind") or ""),
            target_id=str(node.get("target_id") or ""),
            before=changes.get("before") if isinstance(changes, dict) else None,
            after=changes.get("after") if isinstance(changes, dict) else None,
            changes=changes,
        )


@strawberry.type(description="An amount in minor units of one currency")
class CurrencyAmount:
    currency: str
    amount: Long


@strawberry.type(description="Deals in one stage")
class StageBucket:
    stage: enums.Stage
    label: str
    count: int
    amounts: list[CurrencyAmount]


@strawberry.type(description="Deals of one grade")
class GradeBucket:
    grade: enums.Grade
    count: int
    amounts: list[CurrencyAmount]


@strawberry.type(description="Pending approvals one approver role may decide")
class RoleCount:
    role: enums.TeamRole
    count: int


@strawberry.type(description="Open violations (neither acknowledged nor resolved) of one rule")
class RuleCount:
    rule: ViolationRule
    count: int
    label: str = strawberry.field(
        default="", description="What the rule is called, in the request's language"
    )
    responded: int = strawberry.field(
        default=0,
        description="Of them, those with a response waiting for a sales director; the others "
        "still wait for one (never responded to, or the response sent back)",
    )
    opportunity_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The deals concerned (global IDs), each once"
    )


@strawberry.type(
    description="The pipeline for a sales leader: open deals (won, lost and abandoned ones are "
    "left out), their pending approvals and open violations"
)
class Pipeline:
    by_stage: list[StageBucket]
    by_grade: list[GradeBucket]
    total: int = strawberry.field(description="Open deals")
    gate_compliant: int
    gate_compliance_rate: float | None = strawberry.field(
        description="Share of deals meeting every requirement of their stage; null when none"
    )
    pending_approvals_by_role: list[RoleCount]
    violations_by_rule: list[RuleCount]
    pending_approvals: list[Approval]


def _amounts(amounts: Iterable[tuple[str, int]]) -> list[CurrencyAmount]:
    return [CurrencyAmount(currency=c, amount=Long(a)) for c, a in amounts]


# --- payloads and inputs -------------------------------------------------------------------------


@payload(problems=True)
class OpportunityAdvancePayload:
    opportunity: Opportunity | None = None
    transition: pr.StageMove | None = strawberry.field(
        default=None, graphql_type=StageTransition | None
    )


@payload(problems=True)
class ProcessOpportunityPayload:
    opportunity: Opportunity | None = None


@payload(problems=True)
class ApprovalPayload:
    approval: Approval | None = None


@payload()
class ViolationPayload:
    violation: Violation | None = None


@payload()
class ViolationsSweepPayload:
    checked: int = strawberry.field(default=0, description="Open opportunities checked")
    found: int = strawberry.field(default=0, description="Violations present now")
    created: list[Violation] = strawberry.field(
        default_factory=list, description="Violations new in this sweep"
    )
    resolved: list[Violation] = strawberry.field(
        default_factory=list, description="Violations whose cause this sweep found gone"
    )


_ACTING = strawberry.field(
    default=None,
    description="Development mode only: act as this team member (otherwise you act as yourself)",
)


@strawberry.input(description="Move an opportunity to another stage through its gate")
class OpportunityAdvanceInput:
    to_stage: enums.Stage
    reason: str | None = strawberry.field(
        default=None, description="Required to move back, lose, abandon or reopen"
    )
    lost_to_competitor: bool = strawberry.field(
        default=False, description="LOST: the deal went to a competitor (then name it)"
    )
    lost_to_competitor_id: GivenID | None = None
    version: int | None = strawberry.field(
        default=None, description="The version you read; stale versions conflict"
    )
    acting_member_id: GivenID | None = _ACTING


@strawberry.input(description="Start an approval of a TAS+ process")
class ApprovalRequestInput:
    opportunity_id: GivenID
    process: str = strawberry.field(description="Process code, e.g. 2-1 or 2-3")
    fields: JSON | None = strawberry.field(
        default=None, description="The process's own fields, e.g. {resource_type, hours, …}"
    )
    comment: str | None = None
    acting_member_id: GivenID | None = _ACTING


@strawberry.input(description="Approve, reject or withdraw a pending approval")
class ApprovalDecideInput:
    decision: Decision
    comment: str | None = strawberry.field(
        default=None,
        description="Why: required to reject (the requester is to put it right), optional else",
    )
    version: int | None = None
    acting_member_id: GivenID | None = _ACTING


@strawberry.input(description="The delivery manager's review of solution, workload and quote")
class DeliveryReviewInput:
    feasible: bool
    workload_person_days: float | None = None
    reviewed_quote_amount: Long | None = strawberry.field(
        default=None, description="The quote reviewed (minor units); defaults to the current quote"
    )
    comment: str | None = None
    version: int | None = None
    acting_member_id: GivenID | None = _ACTING


@strawberry.input(description="Which violations to list")
class ViolationFilter:
    rule: ViolationRule | None = None
    opportunity_id: GivenID | None = condition(NodeKind.OPPORTUNITY)
    acknowledged: bool | None = None
    resolved: bool | None = strawberry.field(
        default=None, description="true: only those whose cause is gone; false: only the others"
    )
    open: bool | None = condition(
        stored_as="open_only",
        description="true: only those still awaiting someone (neither acknowledged nor "
        "resolved); false: only the others",
    )
    responsible_id: GivenID | None = condition(
        NodeKind.TEAM_MEMBER, description="Only those this team member answers for"
    )
    responded: bool | None = strawberry.field(
        default=None,
        description="true: only those with a response waiting for a sales director; false: "
        "only those still without one (never responded to, or the response sent back)",
    )
    promised: bool | None = strawberry.field(
        default=None,
        description="true: only the commitments still running (acknowledged on a response that "
        "promised a date, putRightBy, their cause neither found gone nor raised again); false: "
        "only the others",
    )


def _member_id(global_id: relay.GlobalID | str | None) -> str | None:
    return optional_raw_id(global_id, NodeKind.TEAM_MEMBER, "actingMemberId")


Step = Callable[..., Awaitable[Mapping[str, Any]]]
"""A use case taking one step on a violation with a note."""


async def _take_step(
    info: Ctx, step: Step, id: GivenID, note: str, acting_member_id: GivenID | None, **more: Any
) -> ViolationPayload:
    """One step on a violation with a note (a response, a send-back, an acknowledgement):
    the violation as it then stands, or why not."""
    ctx = context(info)
    with Refusal(info) as refused:
        node = await step(
            ctx,
            raw_id(id, "Violation", "id"),
            note=note,
            acting_member_id=_member_id(acting_member_id),
            **more,
        )
        return ViolationPayload(violation=Violation.from_node(node, ctx.locale))
    return refused.payload(ViolationPayload)


def _violation_step(step: Step, description: str) -> Any:
    """A mutation judging a violation's response with a note (a send-back, an
    acknowledgement)."""

    async def take(
        info: Ctx,
        id: GivenID,
        note: str,
        acting_member_id: GivenID | None = None,
        responded_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="The respondedAt of the response as the reader read it: if a newer "
                "response came in since, the step is refused with CONFLICT (nobody judges a "
                "response, or a promised date, they have not read)"
            ),
        ] = None,
    ) -> ViolationPayload:
        read = to_epoch_ms(responded_at) if responded_at is not None else None
        return await _take_step(info, step, id, note, acting_member_id, responded_at=read)

    return strawberry.mutation(resolver=take, description=description)


# --- roots ------------------------------------------------------------------------------------


@strawberry.type
class ProcessQuery:
    @strawberry.field(description="Violations of the process, newest first")
    async def violations(
        self,
        info: Ctx,
        filter: ViolationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Violation]:
        ctx = context(info)
        f = filter or ViolationFilter()
        conditions = conditions_of(f)
        page = await rp.violations_page(ctx, **conditions, first=first, after=after)
        return page_connection([Violation.from_node(n, ctx.locale) for n in page.items], page)

    @strawberry.field(description="Audit entries, newest first, optionally for one target")
    async def audit_log(
        self,
        info: Ctx,
        target_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A global ID, or a store id as recorded in targetId"),
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        target, kind = _audit_target(target_id)
        page = await rp.audit_page(context(info), target, first, after, kind=kind)
        return page_connection([AuditEntry.from_node(n) for n in page.items], page)

    @strawberry.field(
        description="Deals by stage and grade, gate compliance, pending approvals, violations"
    )
    async def pipeline(self, info: Ctx) -> Pipeline:
        ctx = context(info)
        result = await rp.pipeline(ctx)
        s = result.summary
        return Pipeline(
            by_stage=[
                StageBucket(
                    stage=stage,
                    label=LABELS[stage].for_locale(ctx.locale),
                    count=b.count,
                    amounts=_amounts(b.amounts),
                )
                for stage, b in s.by_stage
            ],
            by_grade=[
                GradeBucket(grade=g, count=b.count, amounts=_amounts(b.amounts))
                for g, b in s.by_grade
            ],
            total=s.total,
            gate_compliant=s.compliant,
            gate_compliance_rate=s.compliance_rate,
            pending_approvals_by_role=[RoleCount(role=r, count=n) for r, n in s.pending_by_role],
            violations_by_rule=[
                RuleCount(
                    rule=r.rule,
                    count=r.count,
                    label=rp.rule_name(ctx, r.rule),
                    responded=r.responded,
                    opportunity_ids=[
                        strawberry.ID(str(to_global(NodeKind.OPPORTUNITY, i)))
                        for i in r.opportunity_ids
                    ],
                )
                for r in s.rule_tallies
            ],
            pending_approvals=[
                a
                for a in await Approval.resolve_nodes(
                    info=info, node_ids=[a.id for a in result.pending]
                )
                if a is not None
            ],
        )


def _audit_target(target_id: str | None) -> tuple[str | None, NodeKind | None]:
    """The store id of the target, and the kind of node its global ID names (None for a store
    id, or a global ID of something else, such as a violation)."""
    if target_id is None:
        return None, None
    try:
        found = relay.GlobalID.from_id(target_id)
    except Exception:
        return str(target_id), None
    kinds = {kind.value: kind for kind in NodeKind}
    return found.node_id, kinds.get(found.type_name)


@strawberry.type
class ProcessMutation:
    @strawberry.mutation(
        description="Move an opportunity to a stage; refused with every missing field, action "
        "and approval when its gate is not met"
    )
    async def opportunity_advance(
        self, info: Ctx, id: GivenID, input: OpportunityAdvanceInput
    ) -> OpportunityAdvancePayload:
        # a gate's missing field, action or approval is why this stage cannot be entered
        with Refusal(info, unplaced="input.toStage") as refused:
            done = await rp.advance(
                context(info),
                raw_id(id, NodeKind.OPPORTUNITY, "id"),
                to_stage=input.to_stage,
                reason=input.reason,
                lost_to_competitor=input.lost_to_competitor,
                lost_to_competitor_id=optional_raw_id(
                    input.lost_to_competitor_id, NodeKind.COMPETITOR, "input.lostToCompetitorId"
                ),
                version=input.version,
                acting_member_id=_member_id(input.acting_member_id),
            )
            return OpportunityAdvancePayload(
                opportunity=Opportunity.from_node(done.opportunity),
                transition=done.move,
            )
        return refused.payload(OpportunityAdvancePayload)

    @strawberry.mutation(description="Request an approval of a TAS+ process on an opportunity")
    async def approval_request(self, info: Ctx, input: ApprovalRequestInput) -> ApprovalPayload:
        with Refusal(info) as refused:
            node = await rp.approval_request(
                context(info),
                raw_id(input.opportunity_id, NodeKind.OPPORTUNITY, "input.opportunityId"),
                process=input.process,
                fields=input.fields,
                comment=input.comment,
                acting_member_id=_member_id(input.acting_member_id),
            )
            return ApprovalPayload(approval=Approval.from_node(node))
        return refused.payload(ApprovalPayload)

    @strawberry.mutation(
        description="Approve or reject (an approver role of the process, never on one's own "
        "request) or withdraw (the requester) a pending approval"
    )
    async def approval_decide(
        self, info: Ctx, id: GivenID, input: ApprovalDecideInput
    ) -> ApprovalPayload:
        with Refusal(info) as refused:
            node = await rp.approval_decide(
                context(info),
                raw_id(id, NodeKind.APPROVAL, "id"),
                decision=input.decision,
                comment=input.comment,
                version=input.version,
                acting_member_id=_member_id(input.acting_member_id),
            )
            return ApprovalPayload(approval=Approval.from_node(node))
        return refused.payload(ApprovalPayload)

    @strawberry.mutation(
        description="Record the delivery manager's review of feasibility, workload and quote"
    )
    async def opportunity_delivery_review_record(
        self, info: Ctx, id: GivenID, input: DeliveryReviewInput
    ) -> ProcessOpportunityPayload:
        with Refusal(info) as refused:
            node = await rp.delivery_review_record(
                context(info),
                raw_id(id, NodeKind.OPPORTUNITY, "id"),
                feasible=input.feasible,
                workload_person_days=input.workload_person_days,
                reviewed_quote_amount=input.reviewed_quote_amount,
                comment=input.comment,
                version=input.version,
                acting_member_id=_member_id(input.acting_member_id),
            )
            return ProcessOpportunityPayload(opportunity=Opportunity.from_node(node))
        return refused.payload(ProcessOpportunityPayload)

    @strawberry.mutation(
        description="Mark the quote submitted to the customer; refused until the delivery "
        "manager has reviewed this very quote"
    )
    async def opportunity_quote_submit(
        self, info: Ctx, id: GivenID, version: int | None = None
    ) -> ProcessOpportunityPayload:
        with Refusal(info) as refused:
            node = await rp.quote_submit(
                context(info), raw_id(id, NodeKind.OPPORTUNITY, "id"), version=version
            )
            return ProcessOpportunityPayload(opportunity=Opportunity.from_node(node))
        return refused.payload(ProcessOpportunityPayload)

    @strawberry.mutation(
        description="Run every violation rule over the open opportunities (idempotent: a "
        "violation already on record is not raised twice; one whose cause is gone is resolved)"
    )
    async def violations_sweep(self, info: Ctx) -> ViolationsSweepPayload:
        ctx = context(info)
        with Refusal(info) as refused:
            swept = await rp.violations_sweep(ctx)
            return ViolationsSweepPayload(
                checked=swept.checked,
                found=swept.found,
                created=[Violation.from_node(n, ctx.locale) for n in swept.created],
                resolved=[Violation.from_node(n, ctx.locale) for n in swept.resolved],
            )
        return refused.payload(ViolationsSweepPayload)

    @strawberry.mutation(
        description="Say what was done about a violation one answers for, and by when it will "
        "be put right: it leaves one's list and waits, still open, for a sales director's "
        "acknowledgement"
    )
    async def violation_respond(
        self,
        info: Ctx,
        id: GivenID,
        note: str,
        put_right_by: Annotated[
            str | None,
            strawberry.argument(
                description="The date (YYYY-MM-DD) by which it will be put right: required for "
                "a violation that goes on (recheckDays set) while its cause holds, from tomorrow "
                "on, at most the process's promise days ahead and not after the deal's expected "
                "close; refused for a past event. Acknowledged, it comes back the day after if "
                "its cause still holds"
            ),
        ] = None,
        acting_member_id: GivenID | None = None,
    ) -> ViolationPayload:
        return await _take_step(
            info, rp.violation_respond, id, note, acting_member_id, put_right_by=put_right_by
        )

    violation_acknowledge = _violation_step(
        rp.violation_acknowledge,
        "Acknowledge a violation with a note (a sales director who does not answer for it, or "
        "an administrator); violations are never deleted",
    )
    violation_send_back = _violation_step(
        rp.violation_send_back,
        "Send a response back with what it still lacks (whoever may acknowledge the violation): "
        "it waits on whoever answers for it again, still open",
    )


__all__ = ["ProcessMutation", "ProcessQuery"]
