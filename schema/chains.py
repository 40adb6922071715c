"""Decision-chain map and org chart: everything a frontend needs to draw them, from one load.

All objects here are built from a single store round trip, so every field is a plain
attribute; drawing a 100-person chain costs no further store calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import strawberry

from domain.chain import PersonTie as PersonTieFacts
from domain.model import NodeKind
from resolvers.records import LoadedChain, Node
from resolvers.records import OrgChart as OrgChartData
from schema import enums
from schema.convert import node_attributes
from schema.nodes import (
    Activity,
    Competitor,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
)
from schema.scalars import to_datetime
from strategy.tas.timeline import happened


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


@strawberry.type(description="An opportunity's decision chain, ready to draw")
class DecisionChain:
    opportunity: Opportunity
    customer: Customer
    members: list[DecisionChainMember]
    connectors: list[KeyPerson] = strawberry.field(
        description="The customer's people outside the chain who connect members "
        "(only with withConnectors: true)"
    )
    reports_to: list[PersonLink]
    influences: list[PersonLink]
    knows: list[PersonLink]
    competitors: list[ChainCompetitor]
    team: list[ChainTeamAssignment]
    activities: list[Activity] = strawberry.field(description="Recent activities, oldest first")

    @classmethod
    def from_loaded(cls, loaded: LoadedChain, now_ms: int) -> DecisionChain:
        """Build the whole map from one decision-chain load: every person, team member and
        competitor becomes one object, shared by every tie that mentions it. The last contact
        is the last activity that has happened by ``now_ms`` (a planned one is no contact)."""
        snap = loaded.snapshot
        people = _people(loaded.persons, loaded.works_at)
        members_by_id = {mid: TeamMember.from_node(n) for mid, n in loaded.team_members.items()}
        rivals = {cid: Competitor.from_node(n) for cid, n in loaded.competitors.items()}
        team_ties: dict[str, list[ChainTeamTie]] = {}
        for k in snap.team_knows:
            if k.member_id in members_by_id:
                team_ties.setdefault(k.person_id, []).append(
                    ChainTeamTie(member=members_by_id[k.member_id], level=k.level, since=k.since)
                )
        rival_ties: dict[str, list[ChainCompetitorTie]] = {}
        for t in snap.competitor_ties:
            if t.competitor_id in rivals:
                rival_ties.setdefault(t.person_id, []).append(
                    ChainCompetitorTie(competitor=rivals[t.competitor_id], level=t.level)
                )
        last_contact: dict[str, int] = {}
        for activity in happened(snap.activities, now_ms):
            for pid in activity.person_ids:
                last_contact[pid] = max(last_contact.get(pid, 0), activity.occurred_at)
        members = [
            DecisionChainMember(
                person=people[m.person_id],
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
            )
            for m in snap.members
        ]
        return cls(
            opportunity=Opportunity.from_node(loaded.opportunity),
            customer=Customer.from_node(loaded.customer),
            members=members,
            connectors=[people[c] for c in loaded.connector_ids],
            reports_to=_links(snap.reports_to, people),
            influences=_links(snap.influences, people),
            knows=_links(snap.person_knows, people),
            competitors=[
                ChainCompetitor(
                    competitor=rivals[c.id], position=c.position, price_position=c.price_position
                )
                for c in snap.competitors
            ],
            team=[
                ChainTeamAssignment(member=members_by_id[t.member_id], role=t.role, phase=t.phase)
                for t in snap.team
            ],
            activities=[Activity.from_node(loaded.activities[a.id]) for a in snap.activities],
        )


@strawberry.type(description="A customer's people with reporting lines and informal influence")
class OrgChart:
    customer: Customer
    people: list[KeyPerson]
    reports_to: list[PersonLink]
    influences: list[PersonLink]

    @classmethod
    def from_chart(cls, chart: OrgChartData) -> OrgChart:
        """Build the chart from one org-chart load."""
        people = _people({p["id"]: p for p in chart.persons}, chart.works_at)
        return cls(
            customer=Customer.from_node(chart.customer),
            people=list(people.values()),
            reports_to=_links(chart.reports_to, people),
            influences=_links(chart.influences, people),
        )
