"""Loading decision chains and org charts: one statement each, turned into plain snapshots.

The whole chain of an opportunity (members, their ties, our team's ties, competitors and
their allies, recent activities) comes back in one round trip; for many opportunities too,
which is what keeps the API at one round trip per nesting level.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.chain import (
    SUCCESSOR_PLAY,
    ActivityFacts,
    AskedElsewhere,
    ChainSnapshot,
    CloseDateMove,
    CompetitorFacts,
    CompetitorTie,
    Departure,
    DonePlay,
    DroppedPlay,
    MemberFacts,
    OpportunityFacts,
    PersonFacts,
    PersonTie,
    PlannedPlay,
    QuoteMove,
    TeamAssignment,
    TeamKnows,
    quote_refused,
)
from domain.text import telling
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    DropReason,
    ExternalKind,
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
    WorkPlanStatus,
)
from graph import statements as st
from graph.executor import Row
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
    member_versions: dict[str, int] = field(default_factory=dict)
    """Each member's place's version (``decisionChainMemberSet``'s ``expectedVersion``)."""


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
        delivery_infeasible=quote_refused(
            node.get("infeasible_quote_amount"), node.get("quote_amount")
        ),
        close_date_moves=_close_date_moves(node.get("close_date_moves")),
        quote_moves=_quote_moves(node.get("quote_moves")),
        # a deal imported without its stage's date entered that stage when it was created
        stage_entered_at=_int_or_none(node.get("stage_entered_at") or node.get("created_at")),
        furthest_stage=Stage(node["furthest_stage"]) if node.get("furthest_stage") else None,
        closed_from=Stage(node["closed_from"]) if node.get("closed_from") else None,
        quote_submitted_at=_int_or_none(node.get("quote_submitted_at")),
    )


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))


def _close_date_moves(stored: object) -> tuple[CloseDateMove, ...]:
    """The stored moves of a close date (``graph.moves``), oldest first."""
    if not stored:
        return ()
    return tuple(
        CloseDateMove(before, after, Stage(stage or Stage.VALIDATE), int(at))
        for before, after, stage, at in json.loads(str(stored))
    )


def _quote_moves(stored: object) -> tuple[QuoteMove, ...]:
    """The stored changes of the quote amount (``graph.moves``), oldest first."""
    if not stored:
        return ()
    return tuple(
        QuoteMove(_int_or_none(before), _int_or_none(after), int(at))
        for before, after, at in json.loads(str(stored))
    )


def _person(node: Mapping[str, Any], works: Mapping[str, Any] | None) -> PersonFacts:
    works = works or {}
    return PersonFacts(
        node["id"], node["name"], works.get("title"), works.get("department"), Departure.of(node)
    )


_TIE_STRENGTH: dict[object, TieStrength] = {s.value: s for s in TieStrength}
_TIE_KINDS = ("REPORTS_TO", "INFLUENCES", "KNOWS")


def _strength(value: object) -> TieStrength:
    return _TIE_STRENGTH.get(value) or TieStrength.MODERATE


def _ties(rows: Iterable[Sequence[Any]], known: Container[str]) -> dict[str, tuple[PersonTie, ...]]:
    """Person ties among the people shown, by type, each once, ordered by (from, to).

    Rows are ``[type, from_id, to_id, strength, level]``: INFLUENCES carries a strength,
    KNOWS a level, REPORTS_TO neither."""
    found: dict[str, dict[tuple[str, str], TieStrength]] = {kind: {} for kind in _TIE_KINDS}
    for kind, from_id, to_id, strength, level in rows:
        if from_id in known and to_id in known:
            value = strength if kind == "INFLUENCES" else level if kind == "KNOWS" else None
            found[kind].setdefault((from_id, to_id), _strength(value))
    return {
        kind: tuple(PersonTie(a, b, strength) for (a, b), strength in sorted(ties.items()))
        for kind, ties in found.items()
    }


@dataclass(frozen=True, slots=True)
class _Activity:
    """One activity the chains of a load share, with the deals it is about."""

    node: Node
    facts: ActivityFacts
    about: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _SharedActivities:
    """The activities of a load, each once, found by their people and by their deals."""

    ordered: tuple[_Activity, ...]
    """By ``activity_order``."""
    by_person: dict[str, list[int]]
    """Positions in ``ordered`` of the activities with each person."""
    by_deal: dict[str, list[int]]
    """Positions in ``ordered`` of the activities about each deal."""


def _shared_activities(entries: Iterable[Sequence[Any]]) -> _SharedActivities:
    """The ``shared`` entries ``[activity, links]`` of a load, links ``[type, other id]``: WITH
    a key person, DID by a team member, ABOUT a deal."""
    found: list[_Activity] = []
    for node, links in entries:
        people: set[str] = set()
        members: set[str] = set()
        about: list[str] = []
        for kind, other_id in links:
            if kind == "WITH":
                people.add(other_id)
            elif kind == "DID":
                members.add(other_id)
            elif kind == "ABOUT" and other_id not in about:
                about.append(other_id)
        facts = activity_facts(node, people, members, about[-1] if about else None)
        found.append(_Activity(node, facts, tuple(about)))
    found.sort(key=lambda a: activity_order(a.facts))
    by_person: dict[str, list[int]] = {}
    by_deal: dict[str, list[int]] = {}
    for position, activity in enumerate(found):
        for person_id in activity.facts.person_ids:
            by_person.setdefault(person_id, []).append(position)
        for deal_id in activity.about:
            by_deal.setdefault(deal_id, []).append(position)
    return _SharedActivities(tuple(found), by_person, by_deal)


def _activities(
    opportunity_id: str, member_ids: Iterable[str], shared: _SharedActivities
) -> tuple[dict[str, Node], tuple[ActivityFacts, ...]]:
    """A chain's recent activities: those about its deal, then the others with a member."""
    own = shared.by_deal.get(opportunity_id, [])
    near: set[int] = set()
    for person_id in member_ids:
        near.update(shared.by_person.get(person_id, ()))
    others = sorted(near.difference(own))
    nodes: dict[str, Node] = {}
    facts: list[ActivityFacts] = []
    for position in own:
        activity = shared.ordered[position]
        nodes[activity.facts.id] = activity.node
        fact = activity.facts
        if fact.opportunity_id != opportunity_id:
            fact = dataclasses.replace(fact, opportunity_id=opportunity_id)
        facts.append(fact)
    for position in others:
        activity = shared.ordered[position]
        nodes[activity.facts.id] = activity.node
        facts.append(activity.facts)
    if own and others:
        facts.sort(key=activity_order)
    return nodes, tuple(facts)


def activity_facts(
    node: Mapping[str, Any],
    person_ids: Iterable[str],
    member_ids: Iterable[str],
    opportunity_id: str | None,
) -> ActivityFacts:
    """An activity node with its people (WITH), our team members (DID) and its deal (ABOUT)."""
    return ActivityFacts(
        id=node["id"],
        type=ActivityType(node["type"]),
        occurred_at=int(node["occurred_at"]),
        outcome=Outcome(node.get("outcome") or Outcome.NEUTRAL),
        summary=node.get("summary") or "",
        solution_reaction=_outcome(node.get("solution_reaction")),
        price_reaction=_outcome(node.get("price_reaction")),
        member_ids=tuple(sorted(member_ids)),
        person_ids=tuple(sorted(person_ids)),
        opportunity_id=opportunity_id,
        recorded=node.get("outcome") is not None,
    )


def activity_order(activity: ActivityFacts) -> tuple[int, str]:
    """The order of a chain's activities: by time, then id."""
    return activity.occurred_at, activity.id


def _planned(row: Mapping[str, Any]) -> tuple[PlannedPlay, ...]:
    """The open work plan items' plays: rows ``[item id, action, dropped at, why, resume on,
    status, updated at, due date]`` (dropped at null: open or done) and ``[item id,
    target]``."""
    targets = dict(row["planned_targets"])
    plays = {
        PlannedPlay(action, targets.get(item_id), due)
        for item_id, action, dropped, _, _, status, _, due in row["planned"]
        if action and dropped is None and status == WorkPlanStatus.OPEN.value
    }
    return tuple(sorted(plays, key=lambda p: (p.action_key, p.person_id or "")))


def _done(row: Mapping[str, Any]) -> tuple[DonePlay, ...]:
    """The plays done, each the latest of its play for its person, as of when its result was
    recorded (a done item changes no more): the same rows as ``_planned``."""
    targets = dict(row["planned_targets"])
    latest: dict[tuple[str, str | None], int] = {}
    for item_id, action, _, _, _, status, updated, _ in row["planned"]:
        if action and status == WorkPlanStatus.DONE.value and updated is not None:
            key = (action, targets.get(item_id))
            latest[key] = max(latest.get(key, 0), int(updated))
    return tuple(DonePlay(a, p, at) for (a, p), at in sorted(latest.items(), key=str))


def _dropped(row: Mapping[str, Any]) -> tuple[DroppedPlay, ...]:
    """The plays dropped from the plan, each with when, why and the day it may come back (the
    latest drop of each play for its person), and how often it was given up and put off: the
    same rows as ``_planned``."""
    targets = dict(row["planned_targets"])
    latest: dict[tuple[str, str | None], DroppedPlay] = {}
    for item_id, action, dropped, reason, resume_on, *_ in row["planned"]:
        if action and dropped is not None:
            person = targets.get(item_id)
            seen = latest.get((action, person))
            if reason == DropReason.PERSON_LEFT:
                continue  # nobody gave up on it: its person left (undone, it is open again)
            timing = reason == DropReason.TIMING
            given_up = (0 if seen is None else seen.given_up) + (not timing)
            put_off = (() if seen is None else seen.put_off) + (
                ((int(dropped), resume_on),) if timing else ()
            )
            if seen is None or seen.at < int(dropped):
                why = DropReason(reason) if reason else None
                seen = DroppedPlay(action, person, int(dropped), why, resume_on)
            latest[action, person] = dataclasses.replace(
                seen, given_up=given_up, put_off=tuple(sorted(put_off))
            )
    return tuple(latest[k] for k in sorted(latest, key=lambda k: (k[0], k[1] or "")))


def chains_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, LoadedChain]:
    """The chains of ``DECISION_CHAINS`` rows (see the statement for their columns), by
    opportunity id: a row per chain, and one row (no opportunity) of the activities they
    share."""
    chain_rows: list[Mapping[str, Any]] = []
    entries: list[Sequence[Any]] = []
    line: dict[str, Node] = {}
    asked: dict[str, list[AskedElsewhere]] = {}
    for row in rows:
        if row["opportunity"] is None:
            entries.extend(row["shared"] or ())
            line.update((node["id"], node) for node in row.get("line") or ())
            for asks in row.get("asked") or ():
                for person_id, *ask in asks:
                    asked.setdefault(person_id, []).append(_asked(person_id, *ask))
        else:
            chain_rows.append(row)
    shared = _shared_activities(entries)
    return {
        row["opportunity"]["id"]: _chain_from_row(row, shared, line, asked) for row in chain_rows
    }


def _asked(
    person_id: str,
    item_id: str,
    opportunity_id: str,
    status: str | None,
    reason: str | None,
    asked_at: int | None,
) -> AskedElsewhere:
    return AskedElsewhere(
        person_id,
        item_id,
        opportunity_id,
        WorkPlanStatus(status or WorkPlanStatus.OPEN),
        DropReason(reason) if reason else None,
        int(asked_at or 0),
    )


def _successors(persons: Mapping[str, Node], line: Mapping[str, Node]) -> tuple[PersonFacts, ...]:
    """The people of ``line`` (those on a successor line at the load's customers, by id) a
    chain of ``persons`` reaches: whom its members who left named, and down the line."""
    found: dict[str, PersonFacts] = {}
    seen: set[str] = set()
    todo = [str(p["left_successor_id"]) for p in persons.values() if p.get("left_successor_id")]
    while todo:
        pid = todo.pop()
        node = persons.get(pid) or line.get(pid)
        if node is None or pid in seen:
            continue
        seen.add(pid)
        if pid not in persons:
            found[pid] = _person(node, None)
        if node.get("left_successor_id"):
            todo.append(str(node["left_successor_id"]))
    return tuple(found[i] for i in sorted(found))


def _chain_from_row(
    row: Mapping[str, Any],
    shared: _SharedActivities,
    line: Mapping[str, Node],
    asked: Mapping[str, Sequence[AskedElsewhere]],
) -> LoadedChain:
    """One chain row of ``DECISION_CHAINS``, with the activities of its load, the people on
    its successor lines and the steps of other deals with its members who left."""
    opportunity: Node = row["opportunity"]
    customer: Node = row["customer"]
    persons: dict[str, Node] = {}
    works: dict[str, dict[str, Any]] = {
        pid: {"title": title, "department": department} for pid, title, department in row["jobs"]
    }
    members: list[MemberFacts] = []
    versions: dict[str, int] = {}
    for person, role, influence, attitude, needs, needs_fit, external_kind, *place in sorted(
        row["members"], key=lambda e: e[0]["id"]
    ):
        version, joined_at = (*place, None, None)[:2]
        persons[person["id"]] = person
        versions[person["id"]] = int(version) if version else 1
        members.append(
            MemberFacts(
                person_id=person["id"],
                role=DecisionRole(role),
                influence=InfluenceLevel(influence or InfluenceLevel.MEDIUM),
                attitude=Attitude(attitude or Attitude.NEUTRAL),
                needs=needs,
                needs_fit=NeedsFit(needs_fit or NeedsFit.UNKNOWN),
                external_kind=ExternalKind(external_kind) if external_kind else None,
                joined_at=int(joined_at) if joined_at is not None else None,
            )
        )
    outside: dict[str, tuple[Node, dict[str, Any]]] = {}
    for person, title, department in row["neighbours"]:
        # one who left the customer introduces nobody there any more
        if person["id"] not in persons and not person.get("left_on"):
            outside.setdefault(person["id"], (person, {"title": title, "department": department}))
    connector_ids = sorted(outside)
    for pid in connector_ids:
        persons[pid], works[pid] = outside[pid]
    ties = _ties(row["ties"], persons)

    # Our people's ties: rows [member_id, person_id, level, since] (those to connectors also
    # carry the team member's properties).
    team_members: dict[str, Node] = {m["id"]: m for m in row["knowers"]}
    known_by: dict[tuple[str, str], TeamKnows] = {}
    for entry in (*row["member_knows"], *row["connector_knows"]):
        member_id, person_id, level, since = entry[:4]
        if person_id not in persons:
            continue
        if len(entry) > 4:
            team_members.setdefault(member_id, entry[4])
        known_by.setdefault(
            (person_id, member_id), TeamKnows(member_id, person_id, _strength(level), since)
        )
    team_rows = sorted(row["team"], key=lambda t: (t[1], t[0]["id"]))
    team_members.update((t[0]["id"], t[0]) for t in team_rows)

    rivals: dict[str, Node] = {x["id"]: x for x in row["allies"]}
    competitor_ties: dict[tuple[str, str], CompetitorTie] = {}
    for competitor_id, person_id, level in row["rival_ties"]:
        competitor_ties.setdefault(
            (person_id, competitor_id), CompetitorTie(competitor_id, person_id, _strength(level))
        )
    deal_rivals = sorted(row["competitors"], key=lambda c: c[0]["id"])
    rivals.update((c[0]["id"], c[0]) for c in deal_rivals)

    activity_nodes, activities = _activities(
        opportunity["id"], (m.person_id for m in members), shared
    )
    snapshot = ChainSnapshot(
        opportunity=opportunity_facts(opportunity, customer),
        persons=tuple(_person(persons[i], works.get(i)) for i in persons),
        members=tuple(members),
        reports_to=ties["REPORTS_TO"],
        influences=ties["INFLUENCES"],
        person_knows=ties["KNOWS"],
        team=tuple(
            TeamAssignment(
                member["id"],
                member["name"],
                TeamRole(role),
                LifecyclePhase(phase or LifecyclePhase.DEAL),
            )
            for member, role, phase in team_rows
        ),
        team_knows=tuple(known_by[key] for key in sorted(known_by)),
        competitors=tuple(
            CompetitorFacts(
                competitor["id"],
                competitor["name"],
                CompetitivePosition(position or CompetitivePosition.UNKNOWN),
                PricePosition(price_position or PricePosition.UNKNOWN),
            )
            for competitor, position, price_position in deal_rivals
        ),
        competitor_ties=tuple(competitor_ties[key] for key in sorted(competitor_ties)),
        activities=activities,
        planned=_planned(row),
        dropped=_dropped(row),
        done=_done(row),
        names=tuple(
            sorted(
                (node_id, str(node.get("name") or node_id))
                for nodes in (team_members, rivals)
                for node_id, node in nodes.items()
            )
        ),
        apart=tuple(sorted((i, telling(m)) for i, m in team_members.items())),
        successors=_successors(persons, line),
        asked_elsewhere=tuple(
            sorted(
                {
                    a
                    for m in members
                    for a in asked.get(m.person_id, ())
                    if a.opportunity_id != opportunity["id"]
                },
                key=lambda a: (a.person_id, a.item_id),
            )
        ),
    )
    return LoadedChain(
        snapshot=snapshot,
        opportunity=opportunity,
        customer=customer,
        persons=persons,
        works_at=works,
        connector_ids=tuple(connector_ids),
        team_members=team_members,
        competitors=rivals,
        activities=activity_nodes,
        member_versions=versions,
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
    inside the same statement through the activities' WITH/DID/ABOUT edges; each activity
    comes once, however many of the chains hold it.
    """
    if not opportunity_ids:
        return {}
    rows = _chain_rows(
        store, st.DECISION_CHAINS, opportunity_ids, scope, with_connectors, activity_window_days
    )
    return chains_from_rows(rows)


def _chain_rows(
    store: GraphStore,
    statement: str,
    opportunity_ids: Sequence[str],
    scope: Scope,
    with_connectors: bool,
    activity_window_days: int,
) -> list[Row]:
    """The statement's rows for the visible ones of the ids: a deal is visible when the scope
    names it, so the ids are cut to those here (the statement carries no such check, which would
    cost per deal as much as the scope is long). None visible: no round trip, no rows."""
    ids = scope.visible_opportunities(opportunity_ids)
    if not ids:
        return []
    since = store.clock() - activity_window_days * DAY_MS
    return store.read(
        statement,
        {
            "ids": ids,
            "with_connectors": with_connectors,
            "activities_since": since,
            "successor_play": SUCCESSOR_PLAY,
            **scope.params(),
        },
    )


@dataclass(frozen=True, slots=True)
class SequencedChains:
    """Chains with the audit sequence as it stood before they were read (``graph.sequence``):
    which sequence (empty: none yet), its number and the number of its last bulk change."""

    epoch: str
    number: int
    bulk: int
    chains: dict[str, LoadedChain]


def load_sequenced_chains(
    store: GraphStore,
    opportunity_ids: Sequence[str],
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
    activity_window_days: int = DEFAULT_ACTIVITY_WINDOW_DAYS,
) -> SequencedChains:
    """Like ``load_decision_chains``, with the audit sequence read first in the same statement:
    every write numbered up to it is in the chains."""
    rows = _chain_rows(
        store,
        st.DECISION_CHAINS_SEQUENCED,
        opportunity_ids,
        scope,
        with_connectors,
        activity_window_days,
    )
    sequence = next((row["sequence"] for row in rows if row["opportunity"] is not None), None)
    epoch, number, bulk = sequence or (None, None, None)
    return SequencedChains(
        str(epoch or ""), int(number or 0), int(bulk or 0), chains_from_rows(rows)
    )


def open_deal_ids(store: GraphStore, limit: int) -> list[str]:
    """Up to ``limit`` open deals, most recently changed first, in one round trip."""
    closed = sorted(stage.value for stage in CLOSED_STAGES)
    rows = store.read(st.OPEN_DEALS_RECENT, {"closed": closed, "limit": limit})
    return [str(row["id"]) for row in rows]


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
