"""Decision-chain map and org chart: everything a frontend needs to draw them, from one load.

All objects here are built from a single store round trip: the node fields
(``Opportunity.decisionChain``, ``Customer.orgChart``) hand over the loaded records, the two
top types present them, and everything below them is a plain attribute. The people, team
members and competitors they name are made once per request by the presenter strategy results
share, and the ties are presenting types over the snapshot's facts (``schema/presenting.py``).
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.chain import CompetitorFacts, CompetitorTie, PersonTie, TeamAssignment, TeamKnows
from resolvers.chains import ChainAt
from resolvers.records import OrgChart as OrgChartData
from schema import enums
from schema.nodes import (
    Activity,
    Competitor,
    Ctx,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
)
from schema.presenting import Presenter, Ref, present_all, presenter, presents
from schema.scalars import to_datetime
from strategy.tas.timeline import happened, planned


@presents(TeamKnows)
@strawberry.type(description="One of our people's tie to a chain member")
class ChainTeamTie:
    member: TeamMember
    level: enums.TieStrength
    since: str | None


@presents(CompetitorTie)
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


@presents(PersonTie, from_person=Ref("from_id"), to_person=Ref("to_id"))
@strawberry.type(description="A directed edge between two people on the map")
class PersonLink:
    from_person: KeyPerson
    to_person: KeyPerson
    strength: enums.TieStrength


@presents(CompetitorFacts, competitor=Ref("id"))
@strawberry.type(description="A competitor on the deal with its standing")
class ChainCompetitor:
    competitor: Competitor
    position: enums.CompetitivePosition
    price_position: enums.PricePosition


@presents(TeamAssignment)
@strawberry.type(description="One of our people on the deal")
class ChainTeamAssignment:
    member: TeamMember
    role: enums.TeamRole
    phase: enums.LifecyclePhase


def _chain_members(at: ChainAt, by: Presenter) -> list[DecisionChainMember]:
    """The members with their ties; the last contact is the last activity that has happened
    by the chain's instant (a planned one is no contact), the next one the first planned
    after it."""
    snap = at.chain.snapshot
    team_ties: dict[str, list[TeamKnows]] = {}
    for k in snap.team_knows:
        team_ties.setdefault(k.person_id, []).append(k)
    rival_ties: dict[str, list[CompetitorTie]] = {}
    for t in snap.competitor_ties:
        rival_ties.setdefault(t.person_id, []).append(t)
    last_contact: dict[str, int] = {}
    for activity in happened(snap.activities, at.at_ms):
        for pid in activity.person_ids:
            last_contact[pid] = max(last_contact.get(pid, 0), activity.occurred_at)
    next_contact: dict[str, int] = {}
    for activity in planned(snap.activities, at.at_ms):
        for pid in activity.person_ids:
            next_contact[pid] = min(
                next_contact.get(pid, activity.occurred_at), activity.occurred_at
            )
    return [
        DecisionChainMember(
            person=by.the(KeyPerson, m.person_id),
            role=m.role,
            influence=m.influence,
            attitude=m.attitude,
            needs=m.needs,
            needs_fit=m.needs_fit,
            external_kind=m.external_kind,
            external=m.external_kind is not None,
            team_ties=present_all(ChainTeamTie, team_ties.get(m.person_id, ()), by),
            competitor_ties=present_all(ChainCompetitorTie, rival_ties.get(m.person_id, ()), by),
            last_contact_at=to_datetime(last_contact.get(m.person_id)),
            next_contact_at=to_datetime(next_contact.get(m.person_id)),
            version=at.chain.member_versions.get(m.person_id, 1),
        )
        for m in snap.members
    ]


@strawberry.type(description="An opportunity's decision chain, ready to draw")
class DecisionChain:
    """Presents a ``ChainAt`` that ``Opportunity.decisionChain`` hands over from one load, so
    drawing a 100-person chain costs no further store calls; its people, team members and
    competitors are made once per request (``schema.presenting.presenter``)."""

    @strawberry.field
    def opportunity(self, root: strawberry.Parent[ChainAt]) -> Opportunity:
        return Opportunity.from_node(root.chain.opportunity)

    @strawberry.field
    def customer(self, root: strawberry.Parent[ChainAt]) -> Customer:
        return Customer.from_node(root.chain.customer)

    @strawberry.field
    def members(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[DecisionChainMember]:
        return _chain_members(root, presenter(info, root.chain))

    @strawberry.field(
        description="The customer's people outside the chain who connect members "
        "(only with withConnectors: true)"
    )
    def connectors(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[KeyPerson]:
        return presenter(info, root.chain).many(KeyPerson, root.chain.connector_ids)

    @strawberry.field
    def reports_to(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return present_all(PersonLink, root.chain.snapshot.reports_to, presenter(info, root.chain))

    @strawberry.field
    def influences(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return present_all(PersonLink, root.chain.snapshot.influences, presenter(info, root.chain))

    @strawberry.field
    def knows(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[PersonLink]:
        return present_all(
            PersonLink, root.chain.snapshot.person_knows, presenter(info, root.chain)
        )

    @strawberry.field
    def competitors(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[ChainCompetitor]:
        by = presenter(info, root.chain)
        return present_all(ChainCompetitor, root.chain.snapshot.competitors, by)

    @strawberry.field
    def team(self, root: strawberry.Parent[ChainAt], info: Ctx) -> list[ChainTeamAssignment]:
        return present_all(
            ChainTeamAssignment, root.chain.snapshot.team, presenter(info, root.chain)
        )

    @strawberry.field(description="Recent activities, oldest first")
    def activities(self, root: strawberry.Parent[ChainAt]) -> list[Activity]:
        loaded = root.chain
        return [Activity.from_node(loaded.activities[a.id]) for a in loaded.snapshot.activities]


@strawberry.type(description="A customer's people with reporting lines and informal influence")
class OrgChart:
    """Presents the org-chart record that ``Customer.orgChart`` hands over from one load."""

    @strawberry.field
    def customer(self, root: strawberry.Parent[OrgChartData]) -> Customer:
        return Customer.from_node(root.customer)

    @strawberry.field
    def people(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[KeyPerson]:
        return presenter(info, root).many(KeyPerson, [p["id"] for p in root.persons])

    @strawberry.field
    def reports_to(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[PersonLink]:
        return present_all(PersonLink, root.reports_to, presenter(info, root))

    @strawberry.field
    def influences(self, root: strawberry.Parent[OrgChartData], info: Ctx) -> list[PersonLink]:
        return present_all(PersonLink, root.influences, presenter(info, root))
