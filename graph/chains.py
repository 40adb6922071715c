"""Loading decision chains and org charts: one statement each, turned into plain snapshots.

The whole chain of an opportunity (members, their ties, our team's ties, competitors and
their allies, recent activities) comes back in one round trip; for many opportunities too,
which is what keeps the API at one round trip per nesting level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    PersonFacts,
    PersonTie,
    TeamAssignment,
    TeamKnows,
)
from domain.vocabulary import (
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    Grade,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
)
from graph import statements as st
from graph.scope import EVERYTHING, Scope
from graph.store import GraphStore, Node

DAY_MS = 86_400_000
DEFAULT_ACTIVITY_WINDOW_DAYS = 730


@dataclass(frozen=True, slots=True)
class LoadedChain:
    """A decision chain as the API draws it and as the strategy engine reads it."""

    snapshot: ChainSnapshot
    opportunity: Node
    customer: Node
    persons: dict[str, Node] = field(default_factory=dict)
    works_at: dict[str, dict[str, Any]] = field(default_factory=dict)
    connector_ids: tuple[str, ...] = ()
    team_members: dict[str, Node] = field(default_factory=dict)
    competitors: dict[str, Node] = field(default_factory=dict)
    activities: dict[str, Node] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrgChart:
    """A customer's people with their reporting lines and informal influence."""

    customer: Node
    persons: list[Node]
    works_at: dict[str, dict[str, Any]]
    reports_to: tuple[PersonTie, ...]
    influences: tuple[PersonTie, ...]


def _flat(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop repeated entries (a tie seen from both of its ends), keeping the first."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for item in items:
        key = repr(sorted((k, v) for k, v in item.items() if not isinstance(v, dict)))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _tie(item: Mapping[str, Any]) -> PersonTie:
    strength = item.get("strength")
    return PersonTie(
        item["from_id"],
        item["to_id"],
        TieStrength(strength) if strength else TieStrength.MODERATE,
    )


def _outcome(value: object) -> Outcome | None:
    return Outcome(str(value)) if value else None


def opportunity_facts(node: Mapping[str, Any], customer: Mapping[str, Any]) -> OpportunityFacts:
    """The analysed fields of an opportunity node."""
    return OpportunityFacts(
        id=node["id"],
        name=node["name"],
        customer_id=customer["id"],
        customer_name=customer["name"],
        stage=Stage(node.get("stage") or Stage.VALIDATE),
        grade=Grade(node.get("grade") or Grade.C),
        amount=int(node.get("amount") or 0),
        currency=str(node.get("currency") or "CNY"),
        budget=node.get("budget"),
        quote_amount=node.get("quote_amount"),
        quote_status=QuoteStatus(node.get("quote_status") or QuoteStatus.NONE),
        expected_close_date=node.get("expected_close_date"),
        compelling_event=node.get("compelling_event"),
        decision_process_known=bool(node.get("decision_process_known")),
        presales_cost=node.get("presales_cost"),
        delivery_cost=node.get("delivery_cost"),
        delivery_risk=DeliveryRisk(node.get("delivery_risk") or DeliveryRisk.MEDIUM),
        delivery_reviewed=bool(node.get("delivery_reviewed")),
    )


def _person(node: Mapping[str, Any], works: Mapping[str, Any] | None) -> PersonFacts:
    works = works or {}
    return PersonFacts(node["id"], node["name"], works.get("title"), works.get("department"))


def _chain_from_row(row: Mapping[str, Any]) -> LoadedChain:
    opportunity: Node = row["opportunity"]
    customer: Node = row["customer"]
    persons: dict[str, Node] = {}
    works: dict[str, dict[str, Any]] = {job["person_id"]: job["works"] for job in row["jobs"]}
    members: list[MemberFacts] = []
    for entry in sorted(row["members"], key=lambda e: e["person"]["id"]):
        person = entry["person"]
        persons[person["id"]] = person
        chain = entry["chain"]
        members.append(
            MemberFacts(
                person_id=person["id"],
                role=DecisionRole(chain["role"]),
                influence=InfluenceLevel(chain.get("influence") or InfluenceLevel.MEDIUM),
                attitude=Attitude(chain.get("attitude") or Attitude.NEUTRAL),
                needs=chain.get("needs"),
                needs_fit=NeedsFit(chain.get("needs_fit") or NeedsFit.UNKNOWN),
            )
        )
    connector_ids: list[str] = []
    for entry in row["neighbours"]:
        person = entry["person"]
        if person["id"] not in persons:
            persons[person["id"]] = person
            works[person["id"]] = entry.get("works") or {}
            connector_ids.append(person["id"])
    known = set(persons)

    def among_known(ties: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [t for t in _flat(ties) if t["from_id"] in known and t["to_id"] in known]

    activity_nodes: dict[str, Node] = {a["id"]: a for a in row["activities"]}
    people_of: dict[str, set[str]] = {}
    for link in row["activity_people"]:
        people_of.setdefault(link["activity_id"], set()).add(link["person_id"])
    members_of: dict[str, set[str]] = {}
    for link in row["activity_members"]:
        members_of.setdefault(link["activity_id"], set()).add(link["member_id"])
    about = {link["activity_id"]: link["opportunity_id"] for link in row["activity_opportunities"]}
    activities = {
        aid: ActivityFacts(
            id=aid,
            type=ActivityType(node["type"]),
            occurred_at=int(node["occurred_at"]),
            outcome=Outcome(node.get("outcome") or Outcome.NEUTRAL),
            summary=node.get("summary") or "",
            solution_reaction=_outcome(node.get("solution_reaction")),
            price_reaction=_outcome(node.get("price_reaction")),
            member_ids=tuple(sorted(members_of.get(aid, ()))),
            person_ids=tuple(sorted(people_of.get(aid, ()))),
            opportunity_id=about.get(aid),
        )
        for aid, node in activity_nodes.items()
    }
    team_knows = [k for k in _flat(row["team_knows"]) if k["person_id"] in known]
    snapshot = ChainSnapshot(
        opportunity=opportunity_facts(opportunity, customer),
        persons=tuple(_person(persons[i], works.get(i)) for i in persons),
        members=tuple(members),
        reports_to=tuple(_tie(t) for t in among_known(row["reports_to"])),
        influences=tuple(_tie(t) for t in among_known(row["influences"])),
        person_knows=tuple(_tie(t) for t in among_known(row["person_knows"])),
        team=tuple(
            TeamAssignment(
                t["member_id"],
                t["name"],
                TeamRole(t["role"]),
                LifecyclePhase(t.get("phase") or LifecyclePhase.DEAL),
            )
            for t in sorted(row["team"], key=lambda t: (t["role"], t["member_id"]))
        ),
        team_knows=tuple(
            TeamKnows(
                k["member_id"],
                k["person_id"],
                TieStrength(k.get("level") or TieStrength.MODERATE),
                k.get("since"),
            )
            for k in team_knows
        ),
        competitors=tuple(
            CompetitorFacts(
                c["id"],
                c["name"],
                CompetitivePosition(c.get("position") or CompetitivePosition.UNKNOWN),
                PricePosition(c.get("price_position") or PricePosition.UNKNOWN),
            )
            for c in sorted(row["competitors"], key=lambda c: c["id"])
        ),
        competitor_ties=tuple(
            CompetitorTie(
                t["competitor_id"],
                t["person_id"],
                TieStrength(t.get("level") or TieStrength.MODERATE),
            )
            for t in _flat(row["competitor_ties"])
        ),
        activities=tuple(sorted(activities.values(), key=lambda a: (a.occurred_at, a.id))),
    )
    members_by_id = {k["member_id"]: k["member"] for k in team_knows}
    members_by_id.update({t["member_id"]: t["member"] for t in row["team"]})
    rivals = {t["competitor_id"]: t["competitor"] for t in _flat(row["competitor_ties"])}
    rivals.update({c["id"]: c["competitor"] for c in row["competitors"]})
    return LoadedChain(
        snapshot=snapshot,
        opportunity=opportunity,
        customer=customer,
        persons=persons,
        works_at=works,
        connector_ids=tuple(connector_ids),
        team_members=members_by_id,
        competitors=rivals,
        activities=activity_nodes,
    )


def load_decision_chains(
    store: GraphStore,
    opportunity_ids: Sequence[str],
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
    activity_window_days: int = DEFAULT_ACTIVITY_WINDOW_DAYS,
) -> dict[str, LoadedChain]:
    """The decision chains of visible opportunities, by id; invisible or unknown ids are absent.

    One round trip whatever the number of opportunities. Activity participants are resolved
    inside the same statement through the activities' WITH/DID/ABOUT edges.
    """
    if not opportunity_ids:
        return {}
    since = store.clock() - activity_window_days * DAY_MS
    rows = store.read(
        st.DECISION_CHAINS,
        {
            "ids": list(dict.fromkeys(opportunity_ids)),
            "with_connectors": with_connectors,
            "activities_since": since,
            **scope.params(),
        },
    )
    return {row["opportunity"]["id"]: _chain_from_row(row) for row in rows}


def load_decision_chain(
    store: GraphStore,
    opportunity_id: str,
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
) -> LoadedChain | None:
    """One opportunity's decision chain, or None when it is unknown or not visible."""
    return load_decision_chains(
        store, [opportunity_id], scope=scope, with_connectors=with_connectors
    ).get(opportunity_id)


def load_org_chart(
    store: GraphStore, customer_id: str, *, scope: Scope = EVERYTHING
) -> OrgChart | None:
    """A customer's org chart in one round trip, or None when unknown or not visible."""
    rows = store.read(st.ORG_CHART, {"id": customer_id, **scope.params()})
    if not rows:
        return None
    row = rows[0]
    people = sorted((entry["person"] for entry in row["people"]), key=lambda p: p["name"])
    return OrgChart(
        customer=row["customer"],
        persons=people,
        works_at={entry["person"]["id"]: entry["works"] for entry in row["people"]},
        reports_to=tuple(_tie(t) for t in _flat(row["reports_to"])),
        influences=tuple(_tie(t) for t in _flat(row["influences"])),
    )
