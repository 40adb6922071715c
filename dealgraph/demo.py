"""The demo deal: a provincial hospital group's smart-hospital project, loaded idempotently.

The deal lives in ``demo_data.json`` (package data): one customer with its org chart, an
opportunity in value presentation, its decision chain, two competitors and their allies, our
iron triangle with its ties, and six months of activities. The file's ``story`` names the
weaknesses a sales leader should spot, with the ids involved, so strategy tests can check that
the top suggestions address them.

Every node has a stable ``demo-…`` id. Loading reads what already exists (one read per node
kind and per edge kind) and writes only what is missing, each write through the store's public,
validated and audited operations; a second load writes nothing. Times are relative to the
store's clock, so the activities always look recent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, NotRequired, TypedDict, cast

from domain.model import EDGE_SPECS, EdgeKind, NodeKind
from domain.vocabulary import Grade, QuoteStatus, Stage, TeamRole, label_of
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore
from strategy.config import default_config
from strategy.workplan import due_date

DEMO_DATA_FILE = "demo_data.json"
DEMO_CUSTOMER_ID = "demo-cust-jzph"
DEMO_OPPORTUNITY_ID = "demo-opp-smart-hospital"

DAY_MS = 86_400_000
HOUR_MS = 3_600_000


# --- the data file ---------------------------------------------------------------------


class Weakness(TypedDict):
    """A deliberate weak spot of the demo deal, with the ids of the nodes involved."""

    key: str
    title_zh: str
    title_en: str
    zh: str
    en: str
    ids: list[str]


class Story(TypedDict):
    """The demo deal told in both languages, with its weaknesses."""

    zh: str
    en: str
    weaknesses: list[Weakness]


class ChainEntry(TypedDict):
    """A key person's place in the decision chain (IN_DECISION_CHAIN properties)."""

    role: str
    influence: str
    attitude: str
    needs: str
    needs_fit: str


class KeyPersonEntry(TypedDict):
    """A key person with WORKS_AT title and department, manager and chain place."""

    id: str
    name: str
    name_en: str
    title: str
    department: str
    notes: str
    reports_to: str | None
    chain: ChainEntry | None
    attitudes: NotRequired[list[tuple[str, str | None]]]
    """How their attitude came to be: the first one, then each taken up after an activity
    (its id); the last is the chain's."""


class Tie(TypedDict):
    """A tie from a team member or competitor to a key person."""

    person: str
    level: str
    since: NotRequired[str]


class CompetitorEntry(TypedDict):
    """A competitor with its standing on the opportunity and its allies."""

    id: str
    name: str
    website: str
    strengths: str
    weaknesses: str
    position: str
    price_position: str
    close_to: list[Tie]


class TeamEntry(TypedDict):
    """One of our people, the team assignment and the key persons they know."""

    id: str
    name: str
    title: str
    email: str
    role: str
    on: str
    phase: str
    knows: list[Tie]


class ActivityEntry(TypedDict):
    """An activity, dated relative to load time."""

    id: str
    days_ago: int
    hours_ago: int
    type: str
    members: list[str]
    persons: list[str]
    summary: str
    outcome: str
    solution_reaction: NotRequired[str]
    price_reaction: NotRequired[str]


class WorkPlanEntry(TypedDict):
    """An open work plan item, due relative to load time."""

    id: str
    title: str
    action: str
    due_in_days: int
    rationale: str
    opportunity: str
    target: str
    assigned_to: str


class DemoData(TypedDict):
    """The whole data file."""

    story: Story
    customer: dict[str, Any]
    opportunity: dict[str, Any]
    competitors: list[CompetitorEntry]
    key_persons: list[KeyPersonEntry]
    influences: list[list[str]]
    person_knows: list[list[str]]
    team: list[TeamEntry]
    activities: list[ActivityEntry]
    work_plan: list[WorkPlanEntry]


@cache
def _raw_data() -> str:
    # Anchored on this module, not on the name "dealgraph", which a test folder may shadow.
    return resources.files(__name__).joinpath(DEMO_DATA_FILE).read_text(encoding="utf-8")


def demo_data() -> DemoData:
    """The demo deal as written in the data file (a fresh copy on each call)."""
    return cast(DemoData, json.loads(_raw_data()))


def demo_story() -> Story:
    """The story of the demo deal and its deliberate weaknesses (zh + en, with ids)."""
    return demo_data()["story"]


# --- what loading did ------------------------------------------------------------------


def _money(fen: int | None, currency: str) -> str:
    if fen is None:
        return "-"
    return f"{currency} {fen // 100:,}.{fen % 100:02d}"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo holds and what this load wrote."""

    customer_id: str
    customer_name: str
    opportunity_id: str
    opportunity_name: str
    stage: Stage
    grade: Grade
    currency: str
    amount: int
    budget: int | None
    quote_amount: int | None
    quote_status: QuoteStatus
    expected_close_date: str | None
    key_persons: int
    chain_members: int
    competitors: tuple[str, ...]
    team: tuple[tuple[str, TeamRole, str], ...]
    activities: int
    activity_days: int
    nodes_created: Mapping[str, int] = field(default_factory=dict)
    nodes_kept: int = 0
    edges_created: int = 0
    edges_kept: int = 0
    weaknesses: tuple[Weakness, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    """The demo's names by id: a weakness names whom it is about."""

    @property
    def created(self) -> int:
        """Nodes and edges written by this load."""
        return sum(self.nodes_created.values()) + self.edges_created

    @property
    def already_loaded(self) -> bool:
        """True when everything was in place and this load wrote nothing."""
        return self.created == 0

    def __str__(self) -> str:
        if self.already_loaded:
            status = (
                f"demo already loaded: nothing written "
                f"({self.nodes_kept} nodes and {self.edges_kept} edges in place)"
            )
        else:
            made = ", ".join(f"{n} {kind}" for kind, n in self.nodes_created.items() if n)
            status = (
                f"demo loaded: created {made or 'no nodes'} and {self.edges_created} edges"
                f" (kept {self.nodes_kept} nodes and {self.edges_kept} edges already there)"
            )
        team = ", ".join(
            f"{name} {label_of(role)}/{label_of(role, 'zh')} ({phase.lower()})"
            for name, role, phase in self.team
        )
        lines = [
            status,
            f"演示商机 demo deal: {self.opportunity_name} [{self.opportunity_id}]",
            f"  customer 客户: {self.customer_name} [{self.customer_id}]",
            f"  stage 阶段: {label_of(self.stage)} / {label_of(self.stage, 'zh')}, "
            f"grade {self.grade.value}, expected close {self.expected_close_date or '-'}",
            f"  amount {_money(self.amount, self.currency)}, "
            f"budget {_money(self.budget, self.currency)}, "
            f"quote {_money(self.quote_amount, self.currency)} "
            f"({label_of(self.quote_status)})",
            f"  key persons 关键人: {self.key_persons}, "
            f"decision chain 决策链: {self.chain_members} members",
            f"  competitors 竞争对手: {'; '.join(self.competitors)}",
            f"  our team 我方团队: {team}",
            f"  activities 活动: {self.activities} over the past {self.activity_days} days",
            "  weaknesses to work on 待改进的短板:",
        ]
        lines += [
            f"    {i}. {w['title_en']} / {w['title_zh']}"
            f" ({', '.join(self.names.get(x, x) for x in w['ids'])})"
            for i, w in enumerate(self.weaknesses, 1)
        ]
        return "\n".join(lines)


# --- the plan of the graph -------------------------------------------------------------

Ref = tuple[NodeKind, str]


@dataclass(frozen=True, slots=True)
class _Edge:
    kind: EdgeKind
    source: Ref
    target: Ref
    props: Mapping[str, Any]


def _person(person_id: str) -> Ref:
    return (NodeKind.KEY_PERSON, person_id)


def _edges(data: DemoData) -> list[_Edge]:
    """Every edge of the demo besides those its nodes are created with (WORKS_AT, FOR, …)."""
    opp: Ref = (NodeKind.OPPORTUNITY, data["opportunity"]["id"])
    customer: Ref = (NodeKind.CUSTOMER, data["customer"]["id"])
    edges: list[_Edge] = []
    for kp in data["key_persons"]:
        if kp["reports_to"]:
            edges.append(
                _Edge(EdgeKind.REPORTS_TO, _person(kp["id"]), _person(kp["reports_to"]), {})
            )
    for kp in data["key_persons"]:
        if kp["chain"]:
            chain = {
                **kp["chain"],
                "attitude": kp.get("attitudes", [(kp["chain"]["attitude"],)])[0][0],
            }
            edges.append(_Edge(EdgeKind.IN_DECISION_CHAIN, _person(kp["id"]), opp, chain))
    for src, dst, strength in data["influences"]:
        edges.append(_Edge(EdgeKind.INFLUENCES, _person(src), _person(dst), {"strength": strength}))
    for src, dst, level in data["person_knows"]:
        edges.append(_Edge(EdgeKind.KNOWS, _person(src), _person(dst), {"level": level}))
    for comp in data["competitors"]:
        ref: Ref = (NodeKind.COMPETITOR, comp["id"])
        standing = {"position": comp["position"], "price_position": comp["price_position"]}
        edges.append(_Edge(EdgeKind.COMPETES_FOR, ref, opp, standing))
        for tie in comp["close_to"]:
            edges.append(
                _Edge(EdgeKind.CLOSE_TO, ref, _person(tie["person"]), {"level": tie["level"]})
            )
    for member in data["team"]:
        ref = (NodeKind.TEAM_MEMBER, member["id"])
        target = opp if member["on"] == "opportunity" else customer
        assignment = {"role": member["role"], "phase": member["phase"]}
        edges.append(_Edge(EdgeKind.ON_TEAM, ref, target, assignment))
        for tie in member["knows"]:
            props = {"level": tie["level"], **({"since": tie["since"]} if "since" in tie else {})}
            edges.append(_Edge(EdgeKind.KNOWS, ref, _person(tie["person"]), props))
    for item in data["work_plan"]:
        ref = (NodeKind.WORK_PLAN_ITEM, item["id"])
        edges.append(
            _Edge(EdgeKind.PLANNED_FOR, ref, (NodeKind.OPPORTUNITY, item["opportunity"]), {})
        )
        edges.append(_Edge(EdgeKind.TARGETS, ref, _person(item["target"]), {}))
        edges.append(
            _Edge(EdgeKind.ASSIGNED_TO, ref, (NodeKind.TEAM_MEMBER, item["assigned_to"]), {})
        )
    return edges


def _existing_edges(store: GraphStore, edges: Sequence[_Edge]) -> set[tuple[EdgeKind, str, str]]:
    """The planned edges already in the store, one read per (edge, source, target) kind.

    For an edge kind a source has only one of (REPORTS_TO, ASSIGNED_TO, …), any edge of that
    kind from the source counts as present, so a reload never re-points a user's change.
    """
    groups: dict[tuple[EdgeKind, NodeKind, NodeKind], list[str]] = defaultdict(list)
    for edge in edges:
        groups[(edge.kind, edge.source[0], edge.target[0])].append(edge.source[1])
    present: set[tuple[EdgeKind, str, str]] = set()
    for (kind, source_kind, target_kind), ids in groups.items():
        found = store.neighbours(kind, source_kind, target_kind, list(dict.fromkeys(ids)))
        single = EDGE_SPECS[kind].single_per_source
        for source_id, neighbours in found.items():
            for neighbour in neighbours:
                present.add((kind, source_id, "*" if single else str(neighbour.node["id"])))
    return present


def _day(moment: datetime, days: int) -> str:
    return (moment + timedelta(days=days)).date().isoformat()


def _due(moment: datetime, days: int) -> str:
    """A work plan item's due day, as the plan sets one: on the next working day."""
    return due_date(int(moment.timestamp() * 1000), days, default_config().plan.days_off)


def _names(data: DemoData) -> dict[str, str]:
    """Every named thing of the demo by id."""
    named: list[Mapping[str, Any]] = [data["customer"], data["opportunity"]]
    named += [*data["key_persons"], *data["team"], *data["competitors"]]
    return {str(x["id"]): str(x["name"]) for x in named}


def _as_of(store: GraphStore, instant: int) -> GraphStore:
    """The store writing as of ``instant``: its nodes, edges and audit entries bear that time."""
    return GraphStore(store.executor, clock=lambda: instant)


def _link(
    store: GraphStore, edges: Sequence[_Edge], present: set[tuple[EdgeKind, str, str]], actor: Actor
) -> int:
    """Write the edges not yet present; returns how many were written."""
    written = 0
    for edge in edges:
        single = EDGE_SPECS[edge.kind].single_per_source
        if (edge.kind, edge.source[1], "*" if single else edge.target[1]) in present:
            continue
        store.set_edge(edge.kind, edge.source, edge.target, edge.props, actor=actor)
        written += 1
    return written


def load_demo(store: GraphStore, *, actor: Actor = SYSTEM) -> DemoSummary:
    """Load the demo deal into the store, writing only what is not there yet."""
    data = demo_data()
    now = store.clock()
    today = datetime.fromtimestamp(now / 1000, UTC)
    customer = dict(data["customer"])
    customer_id = str(customer.pop("id"))
    opportunity = dict(data["opportunity"])
    opportunity_id = str(opportunity.pop("id"))
    opportunity["expected_close_date"] = _day(today, int(opportunity.pop("close_in_days")))
    opportunity["stage_entered_at"] = now - int(opportunity.pop("stage_entered_days_ago")) * DAY_MS

    planned: dict[NodeKind, list[str]] = {
        NodeKind.CUSTOMER: [customer_id],
        NodeKind.COMPETITOR: [c["id"] for c in data["competitors"]],
        NodeKind.TEAM_MEMBER: [m["id"] for m in data["team"]],
        NodeKind.KEY_PERSON: [p["id"] for p in data["key_persons"]],
        NodeKind.OPPORTUNITY: [opportunity_id],
        NodeKind.WORK_PLAN_ITEM: [w["id"] for w in data["work_plan"]],
        NodeKind.ACTIVITY: [a["id"] for a in data["activities"]],
    }
    existing = {kind: set(store.get_many(kind, ids)) for kind, ids in planned.items()}
    created: dict[str, int] = defaultdict(int)

    def missing(kind: NodeKind, node_id: str) -> bool:
        if node_id in existing[kind]:
            return False
        created[kind.value] += 1
        return True

    # The deal's story unfolds over months, and so does its history: what the chain holds is
    # written the day before the first contact, each contact at its own time, the open work
    # plan today. The likelihood's trend and "what changed" then read as the story went.
    times = {
        a["id"]: now - a["days_ago"] * DAY_MS - a["hours_ago"] * HOUR_MS for a in data["activities"]
    }
    story = _as_of(store, min(times.values(), default=now) - DAY_MS)
    if missing(NodeKind.CUSTOMER, customer_id):
        story.create(NodeKind.CUSTOMER, customer, actor=actor, node_id=customer_id)
    for comp in data["competitors"]:
        if missing(NodeKind.COMPETITOR, comp["id"]):
            props = {
                "name": comp["name"],
                "website": comp["website"],
                "strengths": comp["strengths"],
                "weaknesses": comp["weaknesses"],
            }
            story.create(NodeKind.COMPETITOR, props, actor=actor, node_id=comp["id"])
    for member in data["team"]:
        if missing(NodeKind.TEAM_MEMBER, member["id"]):
            props = {
                "name": member["name"],
                "title": member["title"],
                "email": member["email"],
                "role": member["role"],
            }
            story.create(NodeKind.TEAM_MEMBER, props, actor=actor, node_id=member["id"])
    for kp in data["key_persons"]:
        if missing(NodeKind.KEY_PERSON, kp["id"]):
            story.create_key_person(
                customer_id,
                {"name": kp["name"], "name_en": kp["name_en"], "notes": kp["notes"]},
                {"title": kp["title"], "department": kp["department"]},
                actor=actor,
                node_id=kp["id"],
            )
    if missing(NodeKind.OPPORTUNITY, opportunity_id):
        story.create_opportunity(customer_id, opportunity, actor=actor, node_id=opportunity_id)
    edges = _edges(data)
    present = _existing_edges(store, edges)
    planning = [e for e in edges if e.source[0] == NodeKind.WORK_PLAN_ITEM]
    turns: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for kp in data["key_persons"]:
        if kp["chain"]:
            for attitude, after in kp.get("attitudes", [])[1:]:
                turns[str(after)].append((kp["id"], {**kp["chain"], "attitude": attitude}))
    edges_created = _link(
        story, [e for e in edges if e.source[0] != NodeKind.WORK_PLAN_ITEM], present, actor
    )

    for act in sorted(data["activities"], key=lambda a: times[a["id"]]):
        if missing(NodeKind.ACTIVITY, act["id"]):
            facts: dict[str, Any] = {
                "type": act["type"],
                "occurred_at": times[act["id"]],
                "summary": act["summary"],
                "outcome": act["outcome"],
            }
            if "solution_reaction" in act:
                facts["solution_reaction"] = act["solution_reaction"]
            if "price_reaction" in act:
                facts["price_reaction"] = act["price_reaction"]
            _as_of(store, times[act["id"]]).log_activity(
                facts,
                person_ids=act["persons"],
                member_ids=act["members"],
                opportunity_id=opportunity_id,
                actor=actor,
                node_id=act["id"],
            )
        # what people made of it, a little after: their attitude as the story has it
        judged = _as_of(store, times[act["id"]] + HOUR_MS)
        for person_id, chain in turns.get(act["id"], ()):
            if (EdgeKind.IN_DECISION_CHAIN, person_id, opportunity_id) not in present:
                judged.set_edge(
                    EdgeKind.IN_DECISION_CHAIN,
                    _person(person_id),
                    (NodeKind.OPPORTUNITY, opportunity_id),
                    chain,
                    actor=actor,
                )

    for item in data["work_plan"]:
        if missing(NodeKind.WORK_PLAN_ITEM, item["id"]):
            props = {
                "title": item["title"],
                "action": item["action"],
                "due_date": _due(today, item["due_in_days"]),
                "rationale": item["rationale"],
            }
            store.create(NodeKind.WORK_PLAN_ITEM, props, actor=actor, node_id=item["id"])
    edges_created += _link(store, planning, present, actor)

    node_total = sum(len(ids) for ids in planned.values())
    stored = store.get(NodeKind.OPPORTUNITY, opportunity_id)
    return DemoSummary(
        customer_id=customer_id,
        customer_name=str(customer["name"]),
        opportunity_id=opportunity_id,
        opportunity_name=str(stored["name"]),
        stage=Stage(stored.get("stage") or Stage.VALIDATE),
        grade=Grade(stored.get("grade") or Grade.C),
        currency=str(stored.get("currency") or "CNY"),
        amount=int(stored.get("amount") or 0),
        budget=stored.get("budget"),
        quote_amount=stored.get("quote_amount"),
        quote_status=QuoteStatus(stored.get("quote_status") or QuoteStatus.NONE),
        expected_close_date=stored.get("expected_close_date"),
        key_persons=len(data["key_persons"]),
        chain_members=sum(1 for kp in data["key_persons"] if kp["chain"]),
        competitors=tuple(c["name"] for c in data["competitors"]),
        team=tuple((m["name"], TeamRole(m["role"]), m["phase"]) for m in data["team"]),
        activities=len(data["activities"]),
        activity_days=max(a["days_ago"] for a in data["activities"]),
        nodes_created=dict(created),
        nodes_kept=node_total - sum(created.values()),
        edges_created=edges_created,
        edges_kept=len(edges) - edges_created,
        weaknesses=tuple(data["story"]["weaknesses"]),
        names=_names(data),
    )
