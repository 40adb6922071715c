"""Decision-chain map and org chart: everything a frontend needs to draw them, from one load.

All objects here are built from a single store round trip: the node fields
(``Opportunity.decisionChain``, ``Customer.orgChart``) hand over the loaded records, the two
top types present them, and everything below them is a plain attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import strawberry

from domain.chain import PersonTie as PersonTieFacts
from domain.model import NodeKind
from resolvers.chains import ChainAt
from resolvers.records import Node
from resolvers.records import OrgChart as OrgChartData
from schema import enums
from schema.convert import node_attributes
from schema.nodes import (
    Activity,
    Competitor,
    Ctx,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
    context,
)
from schema.scalars import to_datetime
from strategy.tas.timeline import happened, planned


@strawberry.type(description="One of our people's tie to a chain member")
class ChainTeamTie:
    member: TeamMember
    level: enums.TieStrength
    since: str | None


@strawberry.type(description="A competitor's tie to a chain member")
class ChainCompetitorTie:
    competitor: Competitor
    level: enums.TieStrength


@strawberry.type(description="A key person in the decision chain, with everything around them")
class DecisionChainMember:
    person: KeyPerson
    role: enums.DecisionRole
    influence: enums.InfluenceLevel
    attitude: enums.Attitude
    needs: str | None
    needs_fit: enums.NeedsFit
    external_kind: enums.ExternalKind | None = strawberry.field(
        description="Why a person of another organisation sits in the chain (an expert, a "
        "consultant, a group officer); null for the customer's own people"
    )
    external: bool = strawberry.field(
        description="True for a person of another organisation than the deal's customer"
    )
    team_ties: list[ChainTeamTie] = strawberry.field(description="Our people who know them")
    competitor_ties: list[ChainCompetitorTie]
    last_contact_at: datetime | None = strawberry.field(
        description="When one of our activities last included them"
    )
    next_contact_at: datetime | None = strawberry.field(
        default=None,
        description="When the next of our planned activities (dated after now) includes them",
    )
    version: int = strawberry.field(
        default=1,
        description="Counts the changes of this place: send it as expectedVersion to change "
        "or remove it only as read",
    )


@strawberry.type(description="A directed edge between two people on the map")
class PersonLink:
    from_person: KeyPerson
    to_person: KeyPerson
    strength: enums.TieStrength


@strawberry.type(description="A competitor on the deal with its standing")
class ChainCompetitor:
    competitor: Competitor
    position: enums.CompetitivePosition
    price_position: enums.PricePosition


@strawberry.type(description="One of our people on the deal")
class ChainTeamAssignment:
    member: TeamMember
    role: enums.TeamRole
    phase: enums.LifecyclePhase


def _people(
    nodes: Mapping[str, Node], works_at: Mapping[str, dict[str, Any]]
) -> dict[str, KeyPerson]:
    """Key persons by id, each with their job at the customer (no further load for it)."""
    return {
        pid: KeyPerson(
            **node_attributes(NodeKind.KEY_PERSON, node), employment=works_at.get(pid) or {}
        )
        for pid, node in nodes.items()
    }


def _links(ties: tuple[PersonTieFacts, ...], people: dict[str, KeyPerson]) -> list[PersonLink]:
    return [
        PersonLink(from_person=people[t.from_id], to_person=people[t.to_id], strength=t.strength)
        for t in ties
        if t.from_id in people and t.to_id in people
    ]


class _Drawing:
    """Every person, team member and competitor of one chain as one object, shared by every
    tie that mentions it; built on the first field of the chain a query reads."""

    def __init__(self, at: ChainAt) -> None:
        loaded = at.chain
        self.at = at
        self.people = _people(loaded.persons, loaded.works_at)
        self.members = {mid: TeamMember.from_node(n) for mid, n in loaded.team_members.items()}
        self.rivals = {cid: Competitor.from_node(n) for cid, n in loaded.competitors.items()}

    def chain_members(self) -> list[DecisionChainMember]:
        """The members with their ties; the last contact is the last activity that has
        happened by the chain's instant (a planned one is no contact), the next one the first
        planned after it."""
        snap = self.at.chain.snapshot
        team_ties: dict[str, list[ChainTeamTie]] = {}
        for k in snap.team_knows:
            if k.member_id in self.members:
                team_ties.setdefault(k.person_id, []).append(
                    ChainTeamTie(member=self.members[k.member_id], level=k.level, since=k.since)
                )
        rival_ties: dict[str, list[ChainCompetitorTie]] = {}
        for t in snap.competitor_ties:
            if t.competitor_id in self.rivals:
                rival_ties.setdefault(t.person_id, []).append(
                    ChainCompetitorTie(competitor=self.rivals[t.competitor_id], level=t.level)
                )
        last_contact: dict[str, int] = {}
        for activity in happened(snap.activities, self.at.at_ms):
            for pid in activity.person_ids:
                last_contact[pid] = max(last_contact.get(pid, 0), activity.occurred_at)
        next_contact: dict[str, int] = {}
        for activity in planned(snap.activities, self.at.at_ms):
            for pid in activity.person_ids:
                next_contact[pid] = min(
                    next_contact.get(pid, activity.occurred_at), activity.occurred_at
                )
        return [
            DecisionChainMember(
                person=self.people[m.person_id],
                role=m.role,
                influence=m.influence,
                attitude=m.attitude,
                needs=m.needs,
                needs_fit=m.needs_fit,
                external_kind=m.external_kind,
                external=m.external_kind is not None,
                team_ties=team_ties.get(m.person_id, []),
                competitor_ties=rival_ties.get(m.person_id, []),
                last_contact_at=to_datetime(last_contact.get(m.person_id)),
                next_contact_at=to_datetime(next_contact.get(m.person_id)),
                version=self.at.chain.member_versions.get(m.person_id, 1),
            )
            for m in snap.members
        ]


def _once[T, S](info: Ctx, source: S, build: Callable[[S], T]) -> T:
    """``build(source)`` at most once per request and source: the fields of one chain or
    chart share the objects drawn from it."""
    key = ("drawn", id(source))
    cached = context(info).loaders.get(key)
    if cached is None or cached[0] is not source:  # holding the source keeps its id unique
        cached = (source, build(source))
        context(info).loaders[key] = cached
    drawn: T = cached[1]
    return drawn


@strawberry.type(description="An opportunity's decision chain, ready to draw")
class DecisionChain:
    """Presents a ``ChainAt`` that ``Opportunity.decisionChain`` hands over from one load, so
    drawing a 100-person chain costs no further store calls."""

    @strawberry.field
    def opportunity(self, root: strawberry.Parent[ChainAt]) -> Opportunity:
        return Opportunity.from_node(root.chain.opportunity)

    @strawberry.field
    def customer(self, root: strawberry.Parent[ChainAt]) -> Customer:
        return Customer.from_node(root.chain.customer)

    @strawberry.field
    def members(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[DecisionChainMember]:
        return _once(info, root, _Drawing).chain_members()

    @strawberry.field(
        description="The customer's people outside the chain who connect members "
        "(only with withConnectors: true)"
    )
    def connectors(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[KeyPerson]:
        people = _once(info, root, _Drawing).people
        return [people[c] for c in root.chain.connector_ids]

    @strawberry.field
    def reports_to(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return _links(root.chain.snapshot.reports_to, _once(info, root, _Drawing).people)

    @strawberry.field
    def influences(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return _links(root.chain.snapshot.influences, _once(info, root, _Drawing).people)

    @strawberry.field
    def knows(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return _links(root.chain.snapshot.person_knows, _once(info, root, _Drawing).people)

    @strawberry.field
    def competitors(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[ChainCompetitor]:
        rivals = _once(info, root, _Drawing).rivals
        return [
            ChainCompetitor(
                competitor=rivals[c.id], position=c.position, price_position=c.price_position
            )
            for c in root.chain.snapshot.competitors
        ]

    @strawberry.field
    def team(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[ChainTeamAssignment]:
        members = _once(info, root, _Drawing).members
        return [
            ChainTeamAssignment(member=members[t.member_id], role=t.role, phase=t.phase)
            for t in root.chain.snapshot.team
        ]

    @strawberry.field(description="Recent activities, oldest first")
    def activities(self, root: strawberry.Parent[ChainAt]) -> list[Activity]:
        loaded = root.chain
        return [Activity.from_node(loaded.activities[a.id]) for a in loaded.snapshot.activities]


def _chart_people(chart: OrgChartData) -> dict[str, KeyPerson]:
    return _people({p["id"]: p for p in chart.persons}, chart.works_at)


@strawberry.type(description="A customer's people with reporting lines and informal influence")
class OrgChart:
    """Presents the org-chart record that ``Customer.orgChart`` hands over from one load."""

    @strawberry.field
    def customer(self, root: strawberry.Parent[OrgChartData]) -> Customer:
        return Customer.from_node(root.customer)

    @strawberry.field
    def people(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[KeyPerson]:
        return list(_once(info, root, _chart_people).values())

    @strawberry.field
    def reports_to(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[PersonLink]:
        return _links(root.reports_to, _once(info, root, _chart_people))

    @strawberry.field
    def influences(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[PersonLink]:
        return _links(root.influences, _once(info, root, _chart_people))
