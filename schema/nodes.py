"""The domain's node types. Own fields are plain attributes (cheap to resolve); relationship
fields resolve through per-request DataLoaders, one store round trip per nesting level.

Fields whose type belongs to another area (chains, history, process, strategy) get their
plain data from ``resolvers/`` and name that area's type lazily (``strawberry.lazy``): the
area modules import this one, never the other way round, and their types present the data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.model import EDGE_SPECS, EdgeKind, NodeKind
from resolvers import chains, findings, history, process, reads
from resolvers.chains import ChainAt
from resolvers.context import RequestContext
from resolvers.findings import Finding
from resolvers.loaders import neighbour_loader, node_loader
from resolvers.process_records import StageMove
from resolvers.records import Neighbour, Node
from resolvers.records import OrgChart as OrgChartData
from schema import enums
from schema.common import Connection, in_locale, page_connection
from schema.convert import edge_attributes, node_attributes
from schema.ids import raw_id
from schema.scalars import Long, to_epoch_ms
from strategy.analysis import ChainAnalysis
from strategy.assessment import Assessment as AssessmentData
from strategy.scoring import PersonScores as ScoresData
from strategy.tas import DeliveryReview as ReviewFacts
from strategy.tas import Transition
from strategy.tas import TriangleStatus as TriangleFacts
from strategy.workplan import Suggestion as SuggestionData

if TYPE_CHECKING:  # the areas' types, named lazily: their modules import this one
    from schema.chains import DecisionChain, OrgChart
    from schema.history import ChainChanges, LikelihoodPoint
    from schema.process import ApprovalTransition, DeliveryReview, StageTransition, TriangleStatus
    from schema.strategy import Assessment, ChainAnalysisType, PersonScores, Suggestion

Ctx = Info[RequestContext, None]


def context(info: Ctx) -> RequestContext:
    """The request context of a resolver."""
    return info.context


@strawberry.interface(description="Every node carries a version for optimistic concurrency")
class Versioned:
    version: int = strawberry.field(
        description="Increases on every change; send it back with an update to avoid lost updates"
    )
    created_at: datetime
    updated_at: datetime


class NodeMixin:
    """Shared construction and relay lookup for the domain's node types."""

    KIND: ClassVar[NodeKind]

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Self:
        """Build the API object from a store record."""
        return cls(**node_attributes(cls.KIND, node))

    @classmethod
    def from_nodes(cls, nodes: Iterable[Mapping[str, Any]]) -> list[Self]:
        """Build API objects from store records."""
        return [cls.from_node(node) for node in nodes]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Ctx, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        """Relay lookup by id, batched; unknown and invisible ids give null."""
        found = await node_loader(context(info), cls.KIND).load_many(list(node_ids))
        return [cls.from_node(node) if node is not None else None for node in found]


async def _neighbours(
    info: Ctx,
    edge: EdgeKind,
    source: NodeKind,
    target: NodeKind,
    node_id: str,
    *,
    incoming: bool = False,
) -> list[Neighbour]:
    loader = neighbour_loader(context(info), edge, source, target, incoming=incoming)
    return await loader.load(node_id)


async def _many[T: NodeMixin](
    node_type: type[T],
    info: Ctx,
    edge: EdgeKind,
    this: NodeKind,
    node_id: str,
    *,
    incoming: bool = False,
) -> list[T]:
    """The nodes of ``node_type`` across one edge kind from this node (batched per level)."""
    source, target = (node_type.KIND, this) if incoming else (this, node_type.KIND)
    rows = await _neighbours(info, edge, source, target, node_id, incoming=incoming)
    return node_type.from_nodes(r.node for r in rows)


async def _one[T: NodeMixin](
    node_type: type[T],
    info: Ctx,
    edge: EdgeKind,
    this: NodeKind,
    node_id: str,
    *,
    incoming: bool = False,
) -> T | None:
    """The single node across an edge kind a node has at most once (e.g. its customer)."""
    found = await _many(node_type, info, edge, this, node_id, incoming=incoming)
    return found[0] if found else None


def _epoch_ms(instant: datetime | None) -> int | None:
    return None if instant is None else to_epoch_ms(instant)


def _edge(kind: EdgeKind, props: Mapping[str, Any]) -> dict[str, Any]:
    return edge_attributes(EDGE_SPECS[kind].fields, props)


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

    @strawberry.field(description="The parent company (group) this customer belongs to")
    async def parent(self, info: Ctx) -> Customer | None:
        found = await _many(Customer, info, EdgeKind.PART_OF, NodeKind.CUSTOMER, self.id)
        return found[0] if found else None

    @strawberry.field(description="The companies directly under this one, sorted by name")
    async def subsidiaries(self, info: Ctx) -> list[Customer]:
        return await _many(
            Customer, info, EdgeKind.PART_OF, NodeKind.CUSTOMER, self.id, incoming=True
        )

    @strawberry.field(description="The customer's people, sorted by name")
    async def key_persons(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[KeyPerson]:
        people = await _neighbours(
            info,
            EdgeKind.WORKS_AT,
            NodeKind.KEY_PERSON,
            NodeKind.CUSTOMER,
            self.id,
            incoming=True,
        )
        page = reads.nested_page(
            "Customer.keyPersons",
            [n.node for n in people],
            "name",
            *(first, after, last, before),
            locale=context(info).locale,
        )
        return connection(KeyPerson, page)

    @strawberry.field(description="Opportunities with this customer, newest first")
    async def opportunities(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Opportunity]:
        deals = await _neighbours(
            info, EdgeKind.FOR, NodeKind.OPPORTUNITY, NodeKind.CUSTOMER, self.id, incoming=True
        )
        page = reads.nested_page(
            "Customer.opportunities",
            [n.node for n in deals],
            "name",
            *(first, after, last, before),
            locale=context(info).locale,
        )
        return connection(Opportunity, page)

    @strawberry.field(description="Our account team for this customer")
    async def team(self, info: Ctx) -> list[TeamAssignment]:
        rows = await _neighbours(
            info, EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.CUSTOMER, self.id, incoming=True
        )
        return [
            TeamAssignment(member=TeamMember.from_node(r.node), **_edge(EdgeKind.ON_TEAM, r.edge))
            for r in rows
        ]

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

    async def _employment(self, info: Ctx) -> Neighbour | None:
        rows = await _neighbours(
            info, EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, self.id
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

    @strawberry.field(description="The customer this person works at")
    async def customer(self, info: Ctx) -> Customer | None:
        job = await self._employment(info)
        return Customer.from_node(job.node) if job else None

    @strawberry.field(description="This person's manager (REPORTS_TO)")
    async def reports_to(self, info: Ctx) -> KeyPerson | None:
        return await _one(KeyPerson, info, EdgeKind.REPORTS_TO, NodeKind.KEY_PERSON, self.id)

    @strawberry.field(description="People who report to this person")
    async def direct_reports(self, info: Ctx) -> list[KeyPerson]:
        rows = await _neighbours(
            info,
            EdgeKind.REPORTS_TO,
            NodeKind.KEY_PERSON,
            NodeKind.KEY_PERSON,
            self.id,
            incoming=True,
        )
        return KeyPerson.from_nodes(r.node for r in rows)

    @strawberry.field(description="People this person influences informally")
    async def influences(self, info: Ctx) -> list[PersonTie]:
        rows = await _neighbours(
            info, EdgeKind.INFLUENCES, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON, self.id
        )
        return [
            PersonTie(
                person=KeyPerson.from_node(r.node),
                strength=enums.TieStrength(r.edge.get("strength") or "MODERATE"),
            )
            for r in rows
        ]

    @strawberry.field(description="People who influence this person informally")
    async def influenced_by(self, info: Ctx) -> list[PersonTie]:
        rows = await _neighbours(
            info,
            EdgeKind.INFLUENCES,
            NodeKind.KEY_PERSON,
            NodeKind.KEY_PERSON,
            self.id,
            incoming=True,
        )
        return [
            PersonTie(
                person=KeyPerson.from_node(r.node),
                strength=enums.TieStrength(r.edge.get("strength") or "MODERATE"),
            )
            for r in rows
        ]

    @strawberry.field(description="Other key persons this person knows (warm paths)")
    async def knows(self, info: Ctx) -> list[PersonTie]:
        rows = await _neighbours(
            info, EdgeKind.KNOWS, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON, self.id
        )
        return [
            PersonTie(
                person=KeyPerson.from_node(r.node),
                strength=enums.TieStrength(r.edge.get("level") or "MODERATE"),
            )
            for r in rows
        ]

    @strawberry.field(description="Our people who know this person, and how well")
    async def known_by(self, info: Ctx) -> list[TeamTie]:
        rows = await _neighbours(
            info,
            EdgeKind.KNOWS,
            NodeKind.TEAM_MEMBER,
            NodeKind.KEY_PERSON,
            self.id,
            incoming=True,
        )
        return [
            TeamTie(
                member=TeamMember.from_node(r.node), person=self, **_edge(EdgeKind.KNOWS, r.edge)
            )
            for r in rows
        ]

    @strawberry.field(description="Competitors close to this person")
    async def competitor_ties(self, info: Ctx) -> list[CompetitorTie]:
        rows = await _neighbours(
            info,
            EdgeKind.CLOSE_TO,
            NodeKind.COMPETITOR,
            NodeKind.KEY_PERSON,
            self.id,
            incoming=True,
        )
        return [
            CompetitorTie(
                competitor=Competitor.from_node(r.node),
                person=self,
                **_edge(EdgeKind.CLOSE_TO, r.edge),
            )
            for r in rows
        ]

    @strawberry.field(
        description="Relationship closeness, solution and price acceptance on an opportunity, "
        "each 0-100 with reasons; null when the person is not in its chain",
        graphql_type=Annotated["PersonScores", strawberry.lazy("schema.strategy")] | None,
    )
    async def scores(self, info: Ctx, opportunity_id: relay.GlobalID) -> Finding[ScoresData] | None:
        opportunity = raw_id(opportunity_id, NodeKind.OPPORTUNITY, "opportunityId")
        return await findings.person_scores(context(info), self.id, opportunity)

    @strawberry.field(description="The decision chains this person is part of")
    async def decision_chains(self, info: Ctx) -> list[ChainRole]:
        rows = await _neighbours(
            info, EdgeKind.IN_DECISION_CHAIN, NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, self.id
        )
        return [
            ChainRole(
                opportunity=Opportunity.from_node(r.node),
                **_edge(EdgeKind.IN_DECISION_CHAIN, r.edge),
            )
            for r in rows
        ]


@strawberry.type(description="A competitor in our market")
class Competitor(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.COMPETITOR
    id: relay.NodeID[str]
    name: str
    website: str | None
    strengths: str | None
    weaknesses: str | None

    @strawberry.field(description="Opportunities this competitor is on, with its standing")
    async def opportunities(self, info: Ctx) -> list[CompetitorOnOpportunity]:
        rows = await _neighbours(
            info, EdgeKind.COMPETES_FOR, NodeKind.COMPETITOR, NodeKind.OPPORTUNITY, self.id
        )
        return [
            CompetitorOnOpportunity(
                competitor=self,
                opportunity=Opportunity.from_node(r.node),
                **_edge(EdgeKind.COMPETES_FOR, r.edge),
            )
            for r in rows
        ]

    @strawberry.field(description="Key persons this competitor is close to")
    async def allies(self, info: Ctx) -> list[CompetitorTie]:
        rows = await _neighbours(
            info, EdgeKind.CLOSE_TO, NodeKind.COMPETITOR, NodeKind.KEY_PERSON, self.id
        )
        return [
            CompetitorTie(
                competitor=self,
                person=KeyPerson.from_node(r.node),
                **_edge(EdgeKind.CLOSE_TO, r.edge),
            )
            for r in rows
        ]


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

    @strawberry.field(description="The customer of this opportunity")
    async def customer(self, info: Ctx) -> Customer | None:
        return await _one(Customer, info, EdgeKind.FOR, NodeKind.OPPORTUNITY, self.id)

    @strawberry.field(description="Our team on this opportunity (the iron triangle and more)")
    async def team(self, info: Ctx) -> list[TeamAssignment]:
        rows = await _neighbours(
            info,
            EdgeKind.ON_TEAM,
            NodeKind.TEAM_MEMBER,
            NodeKind.OPPORTUNITY,
            self.id,
            incoming=True,
        )
        return [
            TeamAssignment(member=TeamMember.from_node(r.node), **_edge(EdgeKind.ON_TEAM, r.edge))
            for r in rows
        ]

    @strawberry.field(description="Competitors on this opportunity with their standing")
    async def competitors(self, info: Ctx) -> list[CompetitorOnOpportunity]:
        rows = await _neighbours(
            info,
            EdgeKind.COMPETES_FOR,
            NodeKind.COMPETITOR,
            NodeKind.OPPORTUNITY,
            self.id,
            incoming=True,
        )
        return [
            CompetitorOnOpportunity(
                competitor=Competitor.from_node(r.node),
                opportunity=self,
                **_edge(EdgeKind.COMPETES_FOR, r.edge),
            )
            for r in rows
        ]

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
        ctx = context(info)
        found = history.changes(
            ctx, self.id, to_epoch_ms(from_), _epoch_ms(to), closeness_threshold
        )
        return await in_locale(ctx.locale, found)

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
        ctx = context(info)
        found = history.changes_between_stages(ctx, self.id, from_, to, closeness_threshold)
        return await in_locale(ctx.locale, found)

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
        ctx = context(info)
        points = history.likelihood_points(ctx, self.id, _epoch_ms(from_), _epoch_ms(to))
        return await in_locale(ctx.locale, points)

    @strawberry.field(
        description="Influence, support balance, coverage gaps, red flags, camps and bridges",
        graphql_type=Annotated["ChainAnalysisType", strawberry.lazy("schema.strategy")] | None,
    )
    async def analysis(self, info: Ctx) -> Finding[ChainAnalysis] | None:
        return await findings.analysis(context(info), self.id)

    @strawberry.field(
        description="The three scores of every member of the decision chain",
        graphql_type=list[Annotated["PersonScores", strawberry.lazy("schema.strategy")]],
    )
    async def member_scores(self, info: Ctx) -> list[Finding[ScoresData]]:
        return await findings.member_scores(context(info), self.id)

    @strawberry.field(
        description="Suggested work plan, ranked by expected gain in win likelihood",
        graphql_type=list[Annotated["Suggestion", strawberry.lazy("schema.strategy")]],
    )
    async def suggested_work_plan(
        self, info: Ctx, limit: int = 10
    ) -> list[Finding[SuggestionData]]:
        return await findings.work_plan(context(info), self.id, limit)

    @strawberry.field(description="Accepted work plan items, by due date")
    async def work_plan(self, info: Ctx) -> list[WorkPlanItem]:
        rows = await _neighbours(
            info,
            EdgeKind.PLANNED_FOR,
            NodeKind.WORK_PLAN_ITEM,
            NodeKind.OPPORTUNITY,
            self.id,
            incoming=True,
        )
        items = WorkPlanItem.from_nodes(r.node for r in rows)
        return sorted(items, key=lambda item: (item.due_date or "", item.id))


@strawberry.type(description="One of our own people")
class TeamMember(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.TEAM_MEMBER
    id: relay.NodeID[str]
    name: str
    email: str | None
    title: str | None
    role: enums.TeamRole | None

    @strawberry.field(description="Opportunities this person works on")
    async def opportunities(self, info: Ctx) -> list[OpportunityAssignment]:
        rows = await _neighbours(
            info, EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.OPPORTUNITY, self.id
        )
        return [
            OpportunityAssignment(
                opportunity=Opportunity.from_node(r.node), **_edge(EdgeKind.ON_TEAM, r.edge)
            )
            for r in rows
        ]

    @strawberry.field(description="Customer accounts this person works on")
    async def accounts(self, info: Ctx) -> list[AccountAssignment]:
        rows = await _neighbours(
            info, EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.CUSTOMER, self.id
        )
        return [
            AccountAssignment(
                customer=Customer.from_node(r.node), **_edge(EdgeKind.ON_TEAM, r.edge)
            )
            for r in rows
        ]

    @strawberry.field(description="Key persons this person knows, and how well")
    async def knows(self, info: Ctx) -> list[TeamTie]:
        rows = await _neighbours(
            info, EdgeKind.KNOWS, NodeKind.TEAM_MEMBER, NodeKind.KEY_PERSON, self.id
        )
        return [
            TeamTie(
                member=self, person=KeyPerson.from_node(r.node), **_edge(EdgeKind.KNOWS, r.edge)
            )
            for r in rows
        ]


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

    @strawberry.field(description="Key persons met")
    async def persons(self, info: Ctx) -> list[KeyPerson]:
        return await _many(KeyPerson, info, EdgeKind.WITH, NodeKind.ACTIVITY, self.id)

    @strawberry.field(description="Our people who took part")
    async def done_by(self, info: Ctx) -> list[TeamMember]:
        return await _many(
            TeamMember, info, EdgeKind.DID, NodeKind.ACTIVITY, self.id, incoming=True
        )

    @strawberry.field(description="The opportunity it was about, if any")
    async def opportunity(self, info: Ctx) -> Opportunity | None:
        return await _one(Opportunity, info, EdgeKind.ABOUT, NodeKind.ACTIVITY, self.id)


@strawberry.type(description="One step of a work plan: who does what with whom, by when")
class WorkPlanItem(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.WORK_PLAN_ITEM
    id: relay.NodeID[str]
    title: str
    action: str | None
    due_date: str | None
    status: enums.WorkPlanStatus
    rationale: str | None
    expected_gain: float | None
    result: str | None

    @strawberry.field(description="The opportunity this item serves")
    async def opportunity(self, info: Ctx) -> Opportunity | None:
        return await _one(Opportunity, info, EdgeKind.PLANNED_FOR, NodeKind.WORK_PLAN_ITEM, self.id)

    @strawberry.field(description="The key person this item targets")
    async def target(self, info: Ctx) -> KeyPerson | None:
        return await _one(KeyPerson, info, EdgeKind.TARGETS, NodeKind.WORK_PLAN_ITEM, self.id)

    @strawberry.field(description="Who on our team owns it")
    async def owner(self, info: Ctx) -> TeamMember | None:
        return await _one(TeamMember, info, EdgeKind.ASSIGNED_TO, NodeKind.WORK_PLAN_ITEM, self.id)

    @strawberry.field(description="The activity that recorded its result")
    async def result_activity(self, info: Ctx) -> Activity | None:
        return await _one(Activity, info, EdgeKind.RESULTED_IN, NodeKind.WORK_PLAN_ITEM, self.id)


@strawberry.type(description="An approval of a TAS+ process on an opportunity")
class Approval(NodeMixin, relay.Node, Versioned):  # type: ignore[misc]
    KIND: ClassVar[NodeKind] = NodeKind.APPROVAL
    id: relay.NodeID[str]
    process: str
    state: enums.ApprovalState
    request: str | None = strawberry.field(description="The process-specific request, as JSON")
    comment: str | None
    decided_at: datetime | None

    @strawberry.field(description="The opportunity it concerns")
    async def opportunity(self, info: Ctx) -> Opportunity | None:
        return await _one(Opportunity, info, EdgeKind.REQUESTED_FOR, NodeKind.APPROVAL, self.id)

    @strawberry.field(description="Who asked for it")
    async def requested_by(self, info: Ctx) -> TeamMember | None:
        return await _one(TeamMember, info, EdgeKind.REQUESTED_BY, NodeKind.APPROVAL, self.id)

    @strawberry.field(description="Who decided it")
    async def decided_by(self, info: Ctx) -> TeamMember | None:
        return await _one(TeamMember, info, EdgeKind.DECIDED_BY, NodeKind.APPROVAL, self.id)

    @strawberry.field(
        description="Every state change: requested, approved, rejected, withdrawn",
        graphql_type=list[Annotated["ApprovalTransition", strawberry.lazy("schema.process")]],
    )
    async def history(self, info: Ctx) -> tuple[Transition, ...]:
        return await process.approval_history(context(info), self.id)


NODE_TYPES: dict[NodeKind, type[NodeMixin]] = {
    NodeKind.CUSTOMER: Customer,
    NodeKind.KEY_PERSON: KeyPerson,
    NodeKind.COMPETITOR: Competitor,
    NodeKind.OPPORTUNITY: Opportunity,
    NodeKind.TEAM_MEMBER: TeamMember,
    NodeKind.ACTIVITY: Activity,
    NodeKind.WORK_PLAN_ITEM: WorkPlanItem,
    NodeKind.APPROVAL: Approval,
}


def connection(node_type: type[Any], page: reads.PageResult) -> Connection[Any]:
    """A Connection of API objects from a page of store records."""
    return page_connection([node_type.from_node(item) for item in page.items], page)


__all__ = ["NODE_TYPES", "Node", "connection"]
