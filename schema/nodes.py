"""The domain's node types. Own fields are plain attributes (cheap to resolve); relationship
fields resolve through per-request DataLoaders, one store round trip per nesting level.

Fields that belong to another area (chains, process, strategy, history) call that area's
resolver through an import inside the field: see the note at the end of the module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar, Self, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.model import EDGE_SPECS, EdgeKind, NodeKind
from resolvers import reads
from resolvers.context import RequestContext
from resolvers.history import chain_as_of, org_chart_as_of
from resolvers.loaders import chain_loader, neighbour_loader, node_loader
from resolvers.records import Neighbour, Node
from schema import enums
from schema.common import Connection, Edge, PageInfo
from schema.convert import edge_attributes, node_attributes
from schema.ids import raw_id
from schema.scalars import Long, to_epoch_ms

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

    @strawberry.field(description="The customer's people with reporting lines and influence")
    async def org_chart(
        self,
        info: Ctx,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(description="The chart as it stood at this instant (null: now)"),
        ] = None,
    ) -> OrgChart:
        from schema.chains import OrgChart as OrgChartType

        if as_of is not None:
            then = await org_chart_as_of(context(info), self.id, to_epoch_ms(as_of))
            return OrgChartType.from_chart(then)
        chart = await reads.org_chart(context(info), self.id)
        return OrgChartType.from_chart(chart)


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
        "each 0-100 with reasons; null when the person is not in its chain"
    )
    async def scores(self, info: Ctx, opportunity_id: relay.GlobalID) -> PersonScores | None:
        from schema.strategy import person_scores

        opportunity = raw_id(opportunity_id, NodeKind.OPPORTUNITY, "opportunityId")
        return await person_scores(info, self.id, opportunity)

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
        description="Everything needed to draw the decision-chain map, in one store round trip"
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
    ) -> DecisionChain | None:
        from schema.chains import DecisionChain as DecisionChainType

        ctx = context(info)
        if as_of is not None:
            instant = to_epoch_ms(as_of)
            then = await chain_as_of(ctx, self.id, instant, with_connectors=with_connectors)
            return DecisionChainType.from_loaded(then, instant) if then else None
        loaded = await chain_loader(ctx, with_connectors=with_connectors).load(self.id)
        return DecisionChainType.from_loaded(loaded, ctx.store.clock()) if loaded else None

    @strawberry.field(description="Stage moves of this opportunity, oldest first")
    async def stage_history(self, info: Ctx) -> list[StageTransition]:
        from schema.process import opportunity_stage_history

        return await opportunity_stage_history(info, self.id)

    @strawberry.field(description="The iron triangle of a lifecycle phase: who is there, who not")
    async def triangle(
        self, info: Ctx, phase: enums.LifecyclePhase = enums.LifecyclePhase.DEAL
    ) -> TriangleStatus:
        from schema.process import opportunity_triangle

        return await opportunity_triangle(info, self.id, phase)

    @strawberry.field(description="Approvals of TAS+ processes requested for this opportunity")
    async def approvals(self, info: Ctx) -> list[Approval]:
        from schema.process import opportunity_approvals

        return await opportunity_approvals(info, self.id)

    @strawberry.field(description="The delivery manager's newest review of solution and quote")
    async def delivery_review(self, info: Ctx) -> DeliveryReview | None:
        from schema.process import opportunity_delivery_review

        return await opportunity_delivery_review(info, self.id)

    @strawberry.field(description="The four questions and the win likelihood")
    async def assessment(
        self,
        info: Ctx,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(
                description="Computed from the chain as it stood at this instant (null: now)"
            ),
        ] = None,
    ) -> Assessment | None:
        from schema.strategy import opportunity_assessment

        if as_of is not None:
            from schema.strategy import opportunity_assessment_as_of

            return await opportunity_assessment_as_of(info, self.id, as_of)
        return await opportunity_assessment(info, self.id)

    @strawberry.field(
        description="What changed in the decision chain between two instants (to: now)"
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
    ) -> ChainChanges | None:
        from schema.history import opportunity_changes

        return await opportunity_changes(info, self.id, from_, to, closeness_threshold)

    @strawberry.field(
        description="What changed between entering one stage and entering another (stage gates)"
    )
    async def changes_between_stages(
        self,
        info: Ctx,
        from_: Annotated[enums.Stage, strawberry.argument(name="from")],
        to: enums.Stage,
        closeness_threshold: int = 10,
    ) -> ChainChanges | None:
        from schema.history import opportunity_changes_between_stages

        return await opportunity_changes_between_stages(
            info, self.id, from_, to, closeness_threshold
        )

    @strawberry.field(
        description="The win likelihood after every change of the chain and every stage move"
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
    ) -> list[LikelihoodPoint]:
        from schema.history import opportunity_likelihood_history

        return await opportunity_likelihood_history(info, self.id, from_, to)

    @strawberry.field(
        description="Influence, support balance, coverage gaps, red flags, camps and bridges"
    )
    async def analysis(self, info: Ctx) -> ChainAnalysisType | None:
        from schema.strategy import opportunity_analysis

        return await opportunity_analysis(info, self.id)

    @strawberry.field(description="The three scores of every member of the decision chain")
    async def member_scores(self, info: Ctx) -> list[PersonScores]:
        from schema.strategy import opportunity_scores

        return await opportunity_scores(info, self.id)

    @strawberry.field(description="Suggested work plan, ranked by expected gain in win likelihood")
    async def suggested_work_plan(self, info: Ctx, limit: int = 10) -> list[Suggestion]:
        from schema.strategy import suggested_work_plan

        return await suggested_work_plan(info, self.id, limit)

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

    @strawberry.field(description="Every state change: requested, approved, rejected, withdrawn")
    async def history(self, info: Ctx) -> list[ApprovalTransition]:
        from schema.process import approval_history_of

        return await approval_history_of(info, self.id)


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
    objects = [node_type.from_node(item) for item in page.items]
    return Connection(
        edges=[Edge(cursor=c, node=o) for c, o in zip(page.cursors, objects, strict=True)],
        nodes=objects,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        total_count=page.total,
    )


__all__ = ["NODE_TYPES", "Node", "connection"]

# The one import cycle left in schema/: the node types and the areas' types point at each
# other at run time (an Opportunity has a DecisionChain, a DecisionChain has an Opportunity;
# the areas build node objects, the node types call the areas' field resolvers). So the
# area modules import this one at their top, and this one imports them last, for the
# annotations here, and inside the field resolvers that call into them. Splitting each area
# into types that name nodes lazily (strawberry.lazy) and builders above both removes it.
from schema.chains import DecisionChain, OrgChart  # noqa: E402
from schema.history import ChainChanges, LikelihoodPoint  # noqa: E402
from schema.process import (  # noqa: E402
    ApprovalTransition,
    DeliveryReview,
    StageTransition,
    TriangleStatus,
)
from schema.strategy import (  # noqa: E402
    Assessment,
    ChainAnalysisType,
    PersonScores,
    Suggestion,
)
