"""The domain's node types. Own fields are plain attributes (cheap to resolve); relationship
fields resolve through per-request DataLoaders, one store round trip per nesting level.

Fields whose type belongs to another area (chains, history, process, strategy) get their
plain data from ``resolvers/`` and name that area's type lazily (``strawberry.lazy``): the
area modules import this one, never the other way round, and their types present the data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, cast

import strawberry
from strawberry import relay

from domain.chain import Departure, quote_refused
from domain.model import EdgeKind, NodeKind
from resolvers import chains, departures, findings, history, process, reads, security
from resolvers.chains import ChainAt
from resolvers.findings import Finding
from resolvers.loaders import node_loader
from resolvers.process_records import StageMove, text_or_none
from resolvers.records import Neighbour, Node
from resolvers.records import OrgChart as OrgChartData
from schema import enums
from schema.common import Connection, ProcessProblem, page_connection
from schema.convert import node_attributes
from schema.ids import GivenID, raw_id
from schema.relations import (
    NODE_TYPES,
    Ctx,
    EdgeAs,
    NodeMixin,
    context,
    many,
    neighbours,
    one,
    page,
    ties,
)
from schema.scalars import Long, to_datetime, to_epoch_ms
from strategy.analysis import ChainAnalysis
from strategy.assessment import Assessment as AssessmentData
from strategy.health import DealHealth as HealthData
from strategy.scoring import PersonScores as ScoresData
from strategy.tas import DeliveryReview as ReviewFacts
from strategy.tas import RequestField, Transition
from strategy.tas import TriangleStatus as TriangleFacts
from strategy.workplan import Suggestion as SuggestionData

if TYPE_CHECKING:  # the areas' types, named lazily: their modules import this one
    from schema.chains import DecisionChain, OrgChart
    from schema.history import ChainChanges, LikelihoodPoint
    from schema.process import (
        ApprovalRequestField,
        ApprovalTransition,
        DeliveryReview,
        MissingApproval,
        StageActionDue,
        StageTransition,
        TriangleStatus,
    )
    from schema.strategy import (
        Assessment,
        ChainAnalysisType,
        DealHealth,
        PersonScores,
        Suggestion,
    )


@strawberry.interface(description="Every node carries a version for optimistic concurrency")
class Versioned:
    version: int = strawberry.field(
        description="Increases on every change; send it back with an update to avoid lost updates"
    )
    created_at: datetime
    updated_at: datetime


def _epoch_ms(instant: datetime | None) -> int | None:
    return None if instant is None else to_epoch_ms(instant)


def _strength(key: str) -> EdgeAs:
    """A tie between key persons shows its strength (stored as ``key``), MODERATE if unset."""

    def convert(props: Mapping[str, Any]) -> dict[str, Any]:
        return {"strength": enums.TieStrength(props.get(key) or "MODERATE")}

    return convert


def _by_due_date(item: WorkPlanItem) -> tuple[bool, str, str]:
    """Soonest due first and an item without a due date last, as ``workPlanItems`` lists them:
    the deal's plan and everyone's next steps read in the same order."""
    return (item.due_date is None, item.due_date or "", item.id)


# --- relationship shapes ---------------------------------------------------------------------


@strawberry.type(description="One of our people on an opportunity or account team")
class TeamAssignment:
    member: TeamMember
    role: enums.TeamRole
    phase: enums.LifecyclePhase


@strawberry.type(description="A team member's assignment to an opportunity")
class OpportunityAssignment:
    opportunity: Opportunity
    role: enums.TeamRole
    phase: enums.LifecyclePhase


@strawberry.type(description="A team member's assignment to a customer account")
class AccountAssignment:
    customer: Customer
    role: enums.TeamRole
    phase: enums.LifecyclePhase


@strawberry.type(description="How well one of our people knows a key person")
class TeamTie:
    member: TeamMember
    person: KeyPerson
    level: enums.TieStrength
    since: str | None


@strawberry.type(description="A directed tie between two key persons")
class PersonTie:
    person: KeyPerson = strawberry.field(description="The other person of the tie")
    strength: enums.TieStrength


@strawberry.type(description="A competitor's closeness to a key person")
class CompetitorTie:
    competitor: Competitor
    person: KeyPerson
    level: enums.TieStrength


@strawberry.type(description="A competitor on an opportunity with its standing")
class CompetitorOnOpportunity:
    competitor: Competitor
    opportunity: Opportunity
    position: enums.CompetitivePosition
    price_position: enums.PricePosition


@strawberry.type(description="A key person's place in one opportunity's decision chain")
class ChainRole:
    opportunity: Opportunity
    role: enums.DecisionRole
    influence: enums.InfluenceLevel
    attitude: enums.Attitude
    needs: str | None
    needs_fit: enums.NeedsFit
    external_kind: enums.ExternalKind | None = strawberry.field(
        description="Why a person of another organisation sits in the chain; null for the "
        "customer's own people"
    )

    @strawberry.field(description="True for a person of another organisation than the deal's")
    def external(self) -> bool:
        return self.external_kind is not None


# --- nodes -------------------------------------------------------------------------------


@strawberry.type(description="A key account: an enterprise customer")
class Customer(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.CUSTOMER
    id: relay.NodeID[str]
    name: str
    industry: str | None
    region: str | None
    employees: int | None
    annual_revenue: Long | None
    currency: str | None
    website: str | None
    notes: str | None

    parent = one(
        NodeKind.CUSTOMER,
        EdgeKind.PART_OF,
        description="The parent company (group) this customer belongs to",
    )
    subsidiaries = many(
        NodeKind.CUSTOMER,
        EdgeKind.PART_OF,
        incoming=True,
        description="The companies directly under this one, sorted by name",
    )
    key_persons = page(
        NodeKind.KEY_PERSON,
        EdgeKind.WORKS_AT,
        incoming=True,
        list_name="Customer.keyPersons",
        sort="name",
        description="The customer's people, sorted by name",
    )
    opportunities = page(
        NodeKind.OPPORTUNITY,
        EdgeKind.FOR,
        incoming=True,
        list_name="Customer.opportunities",
        sort="created_at",
        descending=True,
        description="Opportunities with this customer, newest first",
    )
    team = ties(
        TeamAssignment,
        NodeKind.TEAM_MEMBER,
        EdgeKind.ON_TEAM,
        incoming=True,
        node_as="member",
        description="Our account team for this customer",
    )

    @strawberry.field(
        description="The customer's people with reporting lines and influence",
        graphql_type=Annotated["OrgChart", strawberry.lazy("schema.chains")],
    )
    async def org_chart(
        self,
        info: Ctx,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(description="The chart as it stood at this instant (null: now)"),
        ] = None,
    ) -> OrgChartData:
        return await chains.org_chart(context(info), self.id, _epoch_ms(as_of))


@strawberry.type(description="A key person's departure from the customer")
class KeyPersonDeparture:
    left_on: str = strawberry.field(description="The day they left (YYYY-MM-DD)")
    how: enums.DepartureKind
    to: str | None = strawberry.field(description="Where they went, when known")
    recorded_at: datetime | None = strawberry.field(description="When it was recorded")
    successor_id: strawberry.Private[str | None] = None
    person_id: strawberry.Private[str] = ""
    recorded_ms: strawberry.Private[int] = 0

    @strawberry.field(
        description="Who of the customer holds their job now, once the team names them "
        "(keyPersonSuccessorSet); null while not known. Until that person is on a deal's "
        "decision chain, the likelihood counts the job there as held by someone nobody of ours "
        "knows"
    )
    async def successor(self, info: Ctx) -> KeyPerson | None:
        if self.successor_id is None:
            return None
        node = await node_loader(context(info), NodeKind.KEY_PERSON).load(self.successor_id)
        return None if node is None else KeyPerson.from_node(node)

    @strawberry.field(
        description="The steps asking them to introduce their successor planned since their "
        "leaving was recorded, on every deal they sat on, oldest first: they are asked once for "
        "all their deals, so a deal's plan does not suggest it while one is open or done "
        "elsewhere, or once they refused"
    )
    async def successor_asks(self, info: Ctx) -> list[SuccessorAsk]:
        asks = await departures.successor_asks(context(info), self.person_id, self.recorded_ms)
        return [
            SuccessorAsk(
                status=enums.WorkPlanStatus(a.item.get("status") or "OPEN"),
                due_date=a.item.get("due_date"),
                drop_reason=enums.DropReason(a.item["drop_reason"])
                if a.item.get("drop_reason")
                else None,
                closed_at=None
                if (a.item.get("status") or "OPEN") == "OPEN"
                else to_datetime(a.item.get("dropped_at") or a.item.get("updated_at")),
                owner_id=a.owner_id,
                opportunity_id=a.opportunity_id,
            )
            for a in asks
        ]


@strawberry.type(
    description="A step asking one who left the customer to introduce their successor, on one "
    "of the deals they sat on"
)
class SuccessorAsk:
    status: enums.WorkPlanStatus
    due_date: str | None = strawberry.field(description="The day it is due (YYYY-MM-DD)")
    drop_reason: enums.DropReason | None = strawberry.field(
        description="Why it was dropped; null unless it was"
    )
    closed_at: datetime | None = strawberry.field(
        description="When it was done or dropped; null while it is open"
    )
    owner_id: strawberry.Private[str | None]
    opportunity_id: strawberry.Private[str]

    @strawberry.field(description="Who of ours asks them")
    async def owner(self, info: Ctx) -> TeamMember | None:
        if self.owner_id is None:
            return None
        node = await node_loader(context(info), NodeKind.TEAM_MEMBER).load(self.owner_id)
        return None if node is None else TeamMember.from_node(node)

    @strawberry.field(
        description="The deal it is planned on; null for a deal the caller may not see (its "
        "owner, day, state and reason for a drop are still said, so the caller knows whom to "
        "ask; nothing of what it says)"
    )
    async def opportunity(self, info: Ctx) -> Opportunity | None:
        node = await node_loader(context(info), NodeKind.OPPORTUNITY).load(self.opportunity_id)
        return None if node is None else Opportunity.from_node(node)


@strawberry.type(description="A person at a customer who matters to a deal")
class KeyPerson(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.KEY_PERSON
    id: relay.NodeID[str]
    name: str
    name_en: str | None
    email: str | None
    phone: str | None
    notes: str | None
    employment: strawberry.Private[dict[str, Any] | None] = None
    left: strawberry.Private[Departure | None] = None

    @strawberry.field(
        description="When and how they left the customer (keyPersonDepartureRecord); null "
        "while they are there. One who left stays on the decision chains as history: their "
        "scores are frozen as they stood the day they left and counted no more"
    )
    def departure(self) -> KeyPersonDeparture | None:
        left = self.left
        if left is None:
            return None
        return KeyPersonDeparture(
            left_on=left.left_on,
            how=left.how,
            to=left.to,
            recorded_at=to_datetime(left.recorded_at or None),
            successor_id=left.successor_id,
            person_id=self.id,
            recorded_ms=left.recorded_at,
        )

    async def _employment(self, info: Ctx) -> Neighbour | None:
        rows = await neighbours(
            info, EdgeKind.WORKS_AT, self.KIND, NodeKind.CUSTOMER, self.id, False
        )
        return rows[0] if rows else None

    async def _job(self, info: Ctx, field: str) -> str | None:
        job = await self._employment(info)
        value = job.edge.get(field) if job else None
        return None if value is None else str(value)

    # Sync resolvers on purpose: when the job came with the person (decision chains, org
    # charts) they return a plain value and cost no coroutine per person
    # (dealgraph.engine.fastpath then answers without calling them at all); otherwise they
    # return an awaitable that graphql-core awaits, batched by the WORKS_AT loader.

    @strawberry.field(description="Job title at the customer")
    def title(self, info: Ctx) -> str | None:
        if self.employment is not None:
            return self.employment.get("title")
        return cast("str | None", self._job(info, "title"))

    @strawberry.field(description="Department at the customer")
    def department(self, info: Ctx) -> str | None:
        if self.employment is not None:
            return self.employment.get("department")
        return cast("str | None", self._job(info, "department"))

    customer = one(
        NodeKind.CUSTOMER, EdgeKind.WORKS_AT, description="The customer this person works at"
    )
    reports_to = one(
        NodeKind.KEY_PERSON, EdgeKind.REPORTS_TO, description="This person's manager (REPORTS_TO)"
    )
    direct_reports = many(
        NodeKind.KEY_PERSON,
        EdgeKind.REPORTS_TO,
        incoming=True,
        description="People who report to this person",
    )
    influences = ties(
        PersonTie,
        NodeKind.KEY_PERSON,
        EdgeKind.INFLUENCES,
        node_as="person",
        edge_as=_strength("strength"),
        description="People this person influences informally",
    )
    influenced_by = ties(
        PersonTie,
        NodeKind.KEY_PERSON,
        EdgeKind.INFLUENCES,
        incoming=True,
        node_as="person",
        edge_as=_strength("strength"),
        description="People who influence this person informally",
    )
    knows = ties(
        PersonTie,
        NodeKind.KEY_PERSON,
        EdgeKind.KNOWS,
        node_as="person",
        edge_as=_strength("level"),
        description="Other key persons this person knows (warm paths)",
    )
    known_by = ties(
        TeamTie,
        NodeKind.TEAM_MEMBER,
        EdgeKind.KNOWS,
        incoming=True,
        node_as="member",
        self_as="person",
        description="Our people who know this person, and how well",
    )
    competitor_ties = ties(
        CompetitorTie,
        NodeKind.COMPETITOR,
        EdgeKind.CLOSE_TO,
        incoming=True,
        node_as="competitor",
        self_as="person",
        description="Competitors close to this person",
    )

    @strawberry.field(
        description="Relationship closeness, solution and price acceptance on an opportunity, "
        "each 0-100 with reasons; null when the person is not in its chain",
        graphql_type=Annotated["PersonScores", strawberry.lazy("schema.strategy")] | None,
    )
    async def scores(self, info: Ctx, opportunity_id: GivenID) -> Finding[ScoresData] | None:
        opportunity = raw_id(opportunity_id, NodeKind.OPPORTUNITY, "opportunityId")
        return await findings.person_scores(context(info), self.id, opportunity)

    decision_chains = ties(
        ChainRole,
        NodeKind.OPPORTUNITY,
        EdgeKind.IN_DECISION_CHAIN,
        node_as="opportunity",
        description="The decision chains this person is part of",
    )


@strawberry.type(description="A competitor in our market")
class Competitor(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.COMPETITOR
    id: relay.NodeID[str]
    name: str
    website: str | None
    strengths: str | None
    weaknesses: str | None

    opportunities = ties(
        CompetitorOnOpportunity,
        NodeKind.OPPORTUNITY,
        EdgeKind.COMPETES_FOR,
        node_as="opportunity",
        self_as="competitor",
        description="Opportunities this competitor is on, with its standing",
    )
    allies = ties(
        CompetitorTie,
        NodeKind.KEY_PERSON,
        EdgeKind.CLOSE_TO,
        node_as="person",
        self_as="competitor",
        description="Key persons this competitor is close to",
    )


@strawberry.type(description="A deal we pursue with a customer")
class Opportunity(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.OPPORTUNITY
    id: relay.NodeID[str]
    name: str
    stage: enums.Stage
    grade: enums.Grade
    amount: Long | None = strawberry.field(description="Deal size in minor units of currency")
    currency: str | None
    budget: Long | None = strawberry.field(description="Customer budget in minor units")
    quote_amount: Long | None = strawberry.field(description="Our quote in minor units")
    quote_status: enums.QuoteStatus
    expected_close_date: str | None
    compelling_event: str | None
    decision_process_known: bool | None
    presales_cost: Long | None
    delivery_cost: Long | None
    delivery_risk: enums.DeliveryRisk | None
    delivery_reviewed: bool | None
    description: str | None
    stage_entered_at: datetime | None
    quote_submitted_at: datetime | None = strawberry.field(
        description="When our quote was submitted to the customer (null while it is not)"
    )
    refused_quote: strawberry.Private[int | None] = None

    @strawberry.field(
        description="The delivery manager's newest review judged the quote as it stands not "
        "deliverable: the account manager reworks scope or price, then it is reviewed again "
        "(false when found deliverable, not reviewed yet, or changed since: a new quote)"
    )
    def delivery_infeasible(self) -> bool:
        return quote_refused(self.refused_quote, self.quote_amount)

    customer = one(NodeKind.CUSTOMER, EdgeKind.FOR, description="The customer of this opportunity")
    team = ties(
        TeamAssignment,
        NodeKind.TEAM_MEMBER,
        EdgeKind.ON_TEAM,
        incoming=True,
        node_as="member",
        description="Our team on this opportunity (the iron triangle and more)",
    )
    competitors = ties(
        CompetitorOnOpportunity,
        NodeKind.COMPETITOR,
        EdgeKind.COMPETES_FOR,
        incoming=True,
        node_as="competitor",
        self_as="opportunity",
        description="Competitors on this opportunity with their standing",
    )

    @strawberry.field(
        description="Everything needed to draw the decision-chain map, in one store round trip",
        graphql_type=Annotated["DecisionChain", strawberry.lazy("schema.chains")] | None,
    )
    async def decision_chain(
        self,
        info: Ctx,
        with_connectors: Annotated[
            bool,
            strawberry.argument(
                description="Also include the customer's people outside the chain who connect them"
            ),
        ] = False,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(
                description="The chain as it stood at this instant (null: now); docs/history.md"
            ),
        ] = None,
    ) -> ChainAt | None:
        return await chains.decision_chain(
            context(info), self.id, with_connectors=with_connectors, as_of_ms=_epoch_ms(as_of)
        )

    @strawberry.field(
        description="The stage a move forward enters: the next open stage of the sales process, "
        "Won after the last one; null once the deal is closed"
    )
    def next_stage(self) -> enums.Stage | None:
        return process.next_stage(self.stage)

    @strawberry.field(
        description="Stage moves of this opportunity, oldest first",
        graphql_type=list[Annotated["StageTransition", strawberry.lazy("schema.process")]],
    )
    async def stage_history(self, info: Ctx) -> list[StageMove]:
        return await process.stage_moves(context(info), self.id)

    @strawberry.field(
        description="The iron triangle of a lifecycle phase: who is there, who not",
        graphql_type=Annotated["TriangleStatus", strawberry.lazy("schema.process")],
    )
    async def triangle(
        self, info: Ctx, phase: enums.LifecyclePhase = enums.LifecyclePhase.DEAL
    ) -> TriangleFacts:
        return await process.triangle(context(info), self.id, phase)

    @strawberry.field(description="Approvals of TAS+ processes requested for this opportunity")
    async def approvals(self, info: Ctx) -> list[Approval]:
        return Approval.from_nodes(await process.approvals(context(info), self.id))

    @strawberry.field(
        description="Whether a sales director validated the deal as real: the latest approval "
        'requested of TAS+ 1-1 Create opportunity, null when none was. "Is it real?" shows it '
        "beside its score and is not lowered by its absence"
    )
    async def validation(self, info: Ctx) -> Approval | None:
        node = await process.validation(context(info), self.id)
        return None if node is None else Approval.from_node(node)

    @strawberry.field(
        description="What the move to the next stage still lacks: its gate's required "
        "fields, actions and approvals, each in words (empty when the gate is met), the list "
        "a move made now would be refused with",
        graphql_type=list[ProcessProblem],
    )
    async def next_stage_problems(self, info: Ctx) -> list[process.ShownProblem]:
        return await process.next_stage_problems(context(info), self.id)

    @strawberry.field(
        description="The required actions of the deal's stage not done yet, soonest due "
        "first, each with when it becomes a process violation: the team sees them coming "
        "(empty for a closed deal, or when the process file switches ACTION_OVERDUE off)",
        graphql_type=list[Annotated["StageActionDue", strawberry.lazy("schema.process")]],
    )
    async def stage_actions_due(self, info: Ctx) -> list[process.DueAction]:
        return await process.stage_actions_due(context(info), self.id)

    @strawberry.field(
        description="The approvals the move to the next stage needs and lacks (never "
        "requested, rejected or withdrawn), each with what a request of it takes",
        graphql_type=list[Annotated["MissingApproval", strawberry.lazy("schema.process")]],
    )
    async def missing_approvals(self, info: Ctx) -> list[process.MissingApproval]:
        return await process.missing_approvals(context(info), self.id)

    @strawberry.field(
        description="The TAS+ processes one may also request on this deal (a POC, presales "
        "resources, bid documents; once it is won, only those after the award, such as the SOW "
        "review): those of the stages it has reached whose prerequisites are granted, none of "
        "them pending and none approved that asking again would only repeat, each with its "
        "latest outcome",
        graphql_type=list[Annotated["MissingApproval", strawberry.lazy("schema.process")]],
    )
    async def optional_approvals(self, info: Ctx) -> list[process.MissingApproval]:
        return await process.optional_approvals(context(info), self.id)

    @strawberry.field(
        description="The delivery manager's newest review of solution and quote",
        graphql_type=Annotated["DeliveryReview", strawberry.lazy("schema.process")] | None,
    )
    async def delivery_review(self, info: Ctx) -> ReviewFacts | None:
        return await process.delivery_review(context(info), self.id)

    @strawberry.field(
        description="The four questions and the win likelihood",
        graphql_type=Annotated["Assessment", strawberry.lazy("schema.strategy")] | None,
    )
    async def assessment(
        self,
        info: Ctx,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(
                description="Computed from the chain as it stood at this instant (null: now)"
            ),
        ] = None,
    ) -> Finding[AssessmentData] | None:
        return await findings.assessment(context(info), self.id, _epoch_ms(as_of))

    @strawberry.field(
        description="What changed in the decision chain between two instants (to: now)",
        graphql_type=Annotated["ChainChanges", strawberry.lazy("schema.history")] | None,
    )
    async def changes(
        self,
        info: Ctx,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime | None = None,
        closeness_threshold: Annotated[
            int,
            strawberry.argument(
                description="Report closeness scores that moved by at least this many points"
            ),
        ] = 10,
    ) -> history.Changes | None:
        return await history.changes(
            context(info), self.id, to_epoch_ms(from_), _epoch_ms(to), closeness_threshold
        )

    @strawberry.field(
        description="What changed between entering one stage and entering another (stage gates)",
        graphql_type=Annotated["ChainChanges", strawberry.lazy("schema.history")] | None,
    )
    async def changes_between_stages(
        self,
        info: Ctx,
        from_: Annotated[enums.Stage, strawberry.argument(name="from")],
        to: enums.Stage,
        closeness_threshold: int = 10,
    ) -> history.Changes | None:
        return await history.changes_between_stages(
            context(info), self.id, from_, to, closeness_threshold
        )

    @strawberry.field(
        description="The win likelihood after every change of the chain and every stage move",
        graphql_type=list[Annotated["LikelihoodPoint", strawberry.lazy("schema.history")]],
    )
    async def likelihood_history(
        self,
        info: Ctx,
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from", description="Start here (the chain then is the first point)"
            ),
        ] = None,
        to: Annotated[datetime | None, strawberry.argument(description="null: now")] = None,
    ) -> list[history.PointPeople]:
        return await history.likelihood_points(
            context(info), self.id, _epoch_ms(from_), _epoch_ms(to)
        )

    @strawberry.field(
        description="Its status for a leader's review (not assessed yet, on track, needs "
        "attention, at risk) with the reasons; null once the deal is closed",
        graphql_type=Annotated["DealHealth", strawberry.lazy("schema.strategy")] | None,
    )
    async def health(self, info: Ctx) -> Finding[HealthData] | None:
        return await findings.health(context(info), self.id)

    @strawberry.field(
        description="Influence, support balance, coverage gaps, red flags, camps and bridges",
        graphql_type=Annotated["ChainAnalysisType", strawberry.lazy("schema.strategy")] | None,
    )
    async def analysis(self, info: Ctx) -> Finding[ChainAnalysis] | None:
        return await findings.analysis(context(info), self.id)

    @strawberry.field(
        description="The three scores of every member of the decision chain still at the customer",
        graphql_type=list[Annotated["PersonScores", strawberry.lazy("schema.strategy")]],
    )
    async def member_scores(self, info: Ctx) -> list[Finding[ScoresData]]:
        return await findings.member_scores(context(info), self.id)

    @strawberry.field(
        description="The three scores of the members who left the customer, frozen as they "
        "stood the day they left: history, counted no more (memberScores holds those still "
        "there)",
        graphql_type=list[Annotated["PersonScores", strawberry.lazy("schema.strategy")]],
    )
    async def departed_scores(self, info: Ctx) -> list[Finding[ScoresData]]:
        return await findings.departed_scores(context(info), self.id)

    @strawberry.field(
        description="Suggested work plan, ranked by expected gain in win likelihood; a step "
        "that follows another (our executive's visit after the introduction it needs) comes "
        "right after it",
        graphql_type=list[Annotated["Suggestion", strawberry.lazy("schema.strategy")]],
    )
    async def suggested_work_plan(
        self, info: Ctx, limit: int = 10
    ) -> list[Finding[SuggestionData]]:
        return await findings.work_plan(context(info), self.id, limit)

    work_plan = many(
        NodeKind.WORK_PLAN_ITEM,
        EdgeKind.PLANNED_FOR,
        incoming=True,
        order=_by_due_date,
        description="Accepted work plan items, by due date",
    )


@strawberry.type(description="One of our own people")
class TeamMember(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.TEAM_MEMBER
    id: relay.NodeID[str]
    name: str
    email: str | None
    title: str | None
    role: enums.TeamRole | None
    left_at: datetime | None = strawberry.field(
        description="When they left and their open deals, accounts and work were handed over "
        "(teamMemberHandOver); null while with us"
    )

    opportunities = ties(
        OpportunityAssignment,
        NodeKind.OPPORTUNITY,
        EdgeKind.ON_TEAM,
        node_as="opportunity",
        description="Opportunities this person works on",
    )
    accounts = ties(
        AccountAssignment,
        NodeKind.CUSTOMER,
        EdgeKind.ON_TEAM,
        node_as="customer",
        description="Customer accounts this person works on",
    )
    knows = ties(
        TeamTie,
        NodeKind.KEY_PERSON,
        EdgeKind.KNOWS,
        node_as="person",
        self_as="member",
        description="Key persons this person knows, and how well",
    )

    @strawberry.field(
        description="The sales directors who see this person's deals as their team's: those "
        "above them (teamMemberManagerAdd), directly or through someone they manage, whose "
        "login is a sales director's"
    )
    async def directors(self, info: Ctx) -> list[TeamMember]:
        return TeamMember.from_nodes(await security.directors_loader(context(info)).load(self.id))

    @strawberry.field(
        description="Whom this person reports to: the team members who manage them directly "
        "(teamMemberManagerAdd), by name"
    )
    async def managers(self, info: Ctx) -> list[TeamMember]:
        found, _ = await security.manages_loader(context(info)).load(self.id)
        return TeamMember.from_nodes(found)

    @strawberry.field(
        description="Whom this person manages directly (teamMemberManagerAdd), by name"
    )
    async def reports(self, info: Ctx) -> list[TeamMember]:
        _, found = await security.manages_loader(context(info)).load(self.id)
        return TeamMember.from_nodes(found)


@strawberry.type(description="A contact with key persons: visit, demo, POC… and how it went")
class Activity(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.ACTIVITY
    id: relay.NodeID[str]
    type: enums.ActivityType
    occurred_at: datetime
    summary: str
    outcome: enums.Outcome | None = strawberry.field(
        description="How it went; null for a planned activity until its result is recorded"
    )
    solution_reaction: enums.Outcome | None
    price_reaction: enums.Outcome | None

    persons = many(NodeKind.KEY_PERSON, EdgeKind.WITH, description="Key persons met")
    done_by = many(
        NodeKind.TEAM_MEMBER, EdgeKind.DID, incoming=True, description="Our people who took part"
    )
    opportunity = one(
        NodeKind.OPPORTUNITY, EdgeKind.ABOUT, description="The opportunity it was about, if any"
    )


def _item_title(root: Any, info: Ctx) -> str:
    return reads.item_title(context(info), root.action, root.stored_title)


def _item_activity_type(root: Any) -> enums.ActivityType | None:
    return reads.item_activity_type(root.action)


def _item_owed(root: Any) -> bool:
    return reads.item_owed(root.action)


def _item_rationale(root: Any, info: Ctx) -> str | None:
    return reads.item_rationale(context(info), root.stored_rationale, root.rationale_clauses)


@strawberry.type(description="One step of a work plan: who does what with whom, by when")
class WorkPlanItem(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.WORK_PLAN_ITEM
    id: relay.NodeID[str]
    title: str = strawberry.field(resolver=_item_title)
    action: str | None
    due_date: str | None
    status: enums.WorkPlanStatus
    rationale: str | None = strawberry.field(resolver=_item_rationale)
    expected_gain: float | None
    result: str | None
    activity_type: enums.ActivityType | None = strawberry.field(
        resolver=_item_activity_type,
        description="The kind of contact its play is (a visit, a workshop…): what its result "
        "is recorded as unless said otherwise; null for a step typed by hand",
    )
    owed: bool = strawberry.field(
        resolver=_item_owed,
        description="Required by the process (a duty or the delivery review of a quote): "
        "dropped, it is suggested again at once; to do it later, move its due date",
    )
    dropped_at: datetime | None = strawberry.field(
        default=None, description="When it was dropped from the plan; null unless it was"
    )
    drop_reason: enums.DropReason | None = strawberry.field(
        default=None, description="Why it was dropped; null unless a reason was given"
    )
    resume_on: str | None = strawberry.field(
        default=None,
        description="Dropped for its timing: the day (YYYY-MM-DD) its play may be suggested again",
    )
    stored_title: strawberry.Private[str] = ""
    stored_rationale: strawberry.Private[str | None] = None
    rationale_clauses: strawberry.Private[str | None] = None

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Self:
        """The item with its stored title and rationale kept aside: ``title`` and
        ``rationale`` render them per reader."""
        attributes = node_attributes(cls.KIND, node)
        stored_title = attributes.pop("title") or ""
        stored_rationale = attributes.pop("rationale")
        why = node.get("drop_reason")
        return cls(
            **attributes,
            dropped_at=to_datetime(node.get("dropped_at")),
            drop_reason=enums.DropReason(why) if why else None,
            resume_on=node.get("resume_on"),
            stored_title=stored_title,
            stored_rationale=stored_rationale,
            rationale_clauses=node.get("rationale_clauses"),
        )

    opportunity = one(
        NodeKind.OPPORTUNITY, EdgeKind.PLANNED_FOR, description="The opportunity this item serves"
    )
    target = one(
        NodeKind.KEY_PERSON, EdgeKind.TARGETS, description="The key person this item targets"
    )
    owner = one(NodeKind.TEAM_MEMBER, EdgeKind.ASSIGNED_TO, description="Who on our team owns it")
    result_activity = one(
        NodeKind.ACTIVITY, EdgeKind.RESULTED_IN, description="The activity that recorded its result"
    )


@strawberry.type(description="An approval of a TAS+ process on an opportunity")
class Approval(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.APPROVAL
    id: relay.NodeID[str]
    process: str
    state: enums.ApprovalState
    request: str | None = strawberry.field(description="The process-specific request, as JSON")
    comment: str | None = strawberry.field(
        description="The comment of its latest step: the request's while pending, then the "
        "decision's (null when that step has none); see requestComment and decisionComment"
    )
    decided_at: datetime | None

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Self:
        """The approval as stored, an empty comment shown as none (approvals stored before
        empty comments were left out kept ``''``)."""
        return cls(
            **{**node_attributes(cls.KIND, node), "comment": text_or_none(node.get("comment"))}
        )

    opportunity = one(
        NodeKind.OPPORTUNITY, EdgeKind.REQUESTED_FOR, description="The opportunity it concerns"
    )
    requested_by = one(NodeKind.TEAM_MEMBER, EdgeKind.REQUESTED_BY, description="Who asked for it")
    decided_by = one(NodeKind.TEAM_MEMBER, EdgeKind.DECIDED_BY, description="Who decided it")

    @strawberry.field(
        description="The process as people know it (TAS+code name), in the request's language"
    )
    def process_name(self, info: Ctx) -> str:
        return process.approval_process_name(context(info), self.process)

    @strawberry.field(description="The team roles that may approve or reject it")
    def approver_roles(self) -> list[enums.TeamRole]:
        return process.approver_roles(self.process)

    @strawberry.field(
        description="The fields its process asks a request for, labelled; their values are "
        "in request",
        graphql_type=list[Annotated["ApprovalRequestField", strawberry.lazy("schema.process")]],
    )
    def process_fields(self) -> list[RequestField]:
        return process.process_fields(self.process)

    @strawberry.field(
        description="Whether you may approve or reject it now (pending, you hold one of its "
        "approver roles on the deal, and it is not your own request)"
    )
    async def may_decide(self, info: Ctx) -> bool:
        return await process.may_decide(context(info), self.id)

    @strawberry.field(
        description="Every state change: requested, approved, rejected, withdrawn",
        graphql_type=list[Annotated["ApprovalTransition", strawberry.lazy("schema.process")]],
    )
    async def history(self, info: Ctx) -> tuple[Transition, ...]:
        return await process.approval_history(context(info), self.id)

    @strawberry.field(description="What the requester wrote when asking; null when nothing")
    async def request_comment(self, info: Ctx) -> str | None:
        history = await process.approval_history(context(info), self.id)
        return (history[0].comment or None) if history else None

    @strawberry.field(
        description="What was written when it was approved, rejected or withdrawn; null while "
        "pending or when nothing"
    )
    async def decision_comment(self, info: Ctx) -> str | None:
        history = await process.approval_history(context(info), self.id)
        return (history[-1].comment or None) if len(history) > 1 else None


def connection(node_type: type[Any], page: reads.PageResult) -> Connection[Any]:
    """A Connection of API objects from a page of store records."""
    return page_connection([node_type.from_node(item) for item in page.items], page)


__all__ = ["NODE_TYPES", "Ctx", "Node", "connection", "context"]
