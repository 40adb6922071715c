"""Decision chains and org charts as they stood at any instant, from the audit trail.

Loading finds the entries of one chain in a few rounds, each one statement: those touching the
opportunity (memberships, team, competitors, activities about it), then those touching the
people found (their nodes, ties, our team's and competitors' ties to them, their activities),
then the nodes those ties lead to. ``graph.replay`` plays them forward; the state at an
instant is turned into the very rows ``DECISION_CHAINS`` returns, so an as-of chain goes
through the same code as today's (docs/history.md says why this representation).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from domain.chain import SUCCESSOR_PLAY
from domain.model import NodeKind
from graph import statements as st
from graph.chains import (
    DAY_MS,
    DEFAULT_ACTIVITY_WINDOW_DAYS,
    LoadedChain,
    OrgChart,
    _tie,
    chains_from_rows,
)
from graph.departures import SUCCESSOR
from graph.replay import Entry, GraphState, ordered
from graph.scope import EVERYTHING, Scope
from graph.store import GraphStore

MAX_ROUNDS = 5
_PERSON_TIES = ("REPORTS_TO", "INFLUENCES", "KNOWS")
_PLANNED_FIELDS = (
    "action",
    "dropped_at",
    "drop_reason",
    "resume_on",
    "status",
    "updated_at",
    "due_date",
)
"""A plan item's fields as ``DECISION_CHAINS`` gives them after its id (``planned``)."""


@dataclass(frozen=True, slots=True)
class ChainHistory:
    """Every audit entry of one opportunity's decision chain, oldest first."""

    opportunity_id: str
    customer_id: str
    entries: tuple[Entry, ...]
    erased: frozenset[str]
    with_connectors: bool = False

    def states(self, instants: Sequence[int]) -> Iterator[tuple[int, GraphState]]:
        """The graph at each of ``instants`` (ascending), from one pass over the entries.

        The same state object is advanced and yielded each time: read it before the next."""
        state = GraphState()
        state.erased.update(self.erased)
        pending = iter(self.entries)
        entry = next(pending, None)
        for instant in instants:
            while entry is not None and entry.at <= instant:
                state.apply(entry)
                entry = next(pending, None)
            yield instant, state

    def chains(self, instants: Sequence[int]) -> Iterator[tuple[int, LoadedChain | None, bool]]:
        """The chain at each of ``instants`` (ascending) with whether it was rebuilt, from one
        pass over the entries.

        A chain is rebuilt only when an entry since the previous instant changed a node it
        shows or an edge at the deal, a member or an activity it counts, or when an activity
        left the window; otherwise the previous chain is given again (``False``), unchanged
        by construction. With connectors every instant is rebuilt."""
        chain: LoadedChain | None = None
        reads: _Reads | None = None
        for instant, state in self.states(instants):
            if reads is not None and not self.with_connectors and not reads.touched(state, instant):
                state.changed_nodes.clear()
                state.changed_edges.clear()
                yield instant, chain, False
                continue
            state.changed_nodes.clear()
            state.changed_edges.clear()
            rows = _chain_rows(
                state,
                self.opportunity_id,
                instant,
                self.with_connectors,
                EVERYTHING,
                DEFAULT_ACTIVITY_WINDOW_DAYS,
            )
            chain = chains_from_rows(rows).get(self.opportunity_id)
            reads = _Reads.of(state, self.opportunity_id, rows) if rows else None
            yield instant, chain, True

    def chain_at(self, instant: int, *, scope: Scope = EVERYTHING) -> LoadedChain | None:
        """The decision chain as it stood at ``instant`` (None before the opportunity)."""
        for _, state in self.states([instant]):
            return chain_in(state, self.opportunity_id, instant, self.with_connectors, scope)
        return None


# The edges a chain follows from its members (without connectors): their own ties, job and
# membership out, our team's and rivals' ties, activities and steps (other deals' too) in.
_MEMBER_OUT = frozenset({"REPORTS_TO", "INFLUENCES", "KNOWS", "WORKS_AT", "IN_DECISION_CHAIN"})
_MEMBER_IN = frozenset({"KNOWS", "CLOSE_TO", "WITH", "TARGETS"})


@dataclass(frozen=True, slots=True)
class _Reads:
    """What a chain built from a state is made of: the nodes it shows, its members, the nodes
    whose every edge it follows (the deal, the activities about it or with its members, in the
    window or not) and the oldest activity it counts (the window's edge moves with time)."""

    nodes: frozenset[str]
    members: frozenset[str]
    ends: frozenset[str]
    oldest: int | None

    def _follows(self, edge: tuple[str, str, str]) -> bool:
        rel, source, target = edge
        return (
            source in self.ends
            or target in self.ends
            or (source in self.members and rel in _MEMBER_OUT)
            or (target in self.members and rel in _MEMBER_IN)
        )

    @classmethod
    def of(cls, state: GraphState, opportunity_id: str, rows: list[dict[str, Any]]) -> _Reads:
        """``rows``: the chain's row and the row of its activities (``_chain_rows``)."""
        row, shared = rows[0], rows[1]["shared"]
        members = {str(m[0]["id"]) for m in row["members"]}
        linked = {a for a, _ in state.sources("ABOUT", opportunity_id)}
        for p in members:
            linked.update(a for a, _ in state.sources("WITH", p))
        shown = [node for node, _ in shared]
        nodes = {str(row["opportunity"]["id"]), str(row["customer"]["id"])} | members | linked
        nodes.update(str(t[2]) for t in row["ties"])
        for found in (row["knowers"], row["allies"]):
            nodes.update(str(n["id"]) for n in found)
        for entries in (row["team"], row["competitors"]):
            nodes.update(str(r[0]["id"]) for r in entries)
        for _, links in shared:
            nodes.update(str(link[1]) for link in links)
        nodes.update(str(n["id"]) for n in rows[1]["line"] or ())
        nodes.update(str(a[1]) for asks in rows[1]["asked"] or () for a in asks)
        oldest = min((int(a.get("occurred_at") or 0) for a in shown), default=None)
        ends = frozenset({opportunity_id} | linked)
        return cls(frozenset(nodes), frozenset(members), ends, oldest)

    def touched(self, state: GraphState, instant: int) -> bool:
        """Whether the entries applied since the chain was built may have changed it."""
        since = instant - DEFAULT_ACTIVITY_WINDOW_DAYS * DAY_MS
        return (
            not self.nodes.isdisjoint(state.changed_nodes)
            or any(self._follows(edge) for edge in state.changed_edges)
            or (self.oldest is not None and self.oldest < since)
        )


def _entries(
    store: GraphStore, ids: Sequence[str], targets: Sequence[str], known: Sequence[str] = ()
) -> list[Entry]:
    params = {"ids": list(ids), "targets": list(targets), "known": list(known)}
    rows = store.read(st.HISTORY_ENTRIES, params)
    return [Entry.from_row(row["entry"]) for row in rows]


def _chain_discoveries(
    entries: Sequence[Entry], opportunity_id: str, members: set[str], connectors: bool
) -> tuple[set[str], set[str]]:
    """From entries just read: the people whose entries to read next (``expand``) and the
    nodes whose own entries are needed (``fetch``: team members, competitors, activities)."""
    expand: set[str] = set()
    fetch: set[str] = set()
    for e in entries:
        c = e.changes
        source, target = c.get("from_id"), c.get("to_id")
        if e.operation == "set_edge" and e.kind == "IN_DECISION_CHAIN" and target == opportunity_id:
            expand.add(str(source))
        elif e.operation == "set_edge" and e.kind in (
            "ON_TEAM",
            "COMPETES_FOR",
            "KNOWS",
            "CLOSE_TO",
        ):
            if target == opportunity_id or target in members:
                fetch.add(str(source))
        elif e.operation == "set_edge" and e.kind in ("REPORTS_TO", "INFLUENCES") and connectors:
            expand.update(str(x) for x in (source, target) if x not in members)
        elif e.operation == "create" and e.kind in (
            NodeKind.ACTIVITY.value,
            NodeKind.WORK_PLAN_ITEM.value,
        ):
            fetch.add(e.target)
            # a step of another deal: that deal's own entries close it (a stage move)
            if e.kind == NodeKind.WORK_PLAN_ITEM.value and c.get("opportunity_id"):
                fetch.add(str(c["opportunity_id"]))
            # whom an activity was with, in the chain or not: its change names them all
            people = c.get("person_ids")
            if isinstance(people, list):
                fetch.update(str(p) for p in people if p not in members)
        elif e.operation == SUCCESSOR and isinstance(c.get("after"), dict):
            named = c["after"].get("left_successor_id")
            if named:  # who holds the job now: followed down the line, on the chain or not
                fetch.add(str(named))
        elif e.operation == "hand_over" and opportunity_id in (c.get("target_ids") or ()):
            fetch.add(str(c.get("successor_id")))  # who took the leaver's place on its team
        elif e.operation == "create" and e.target == opportunity_id:
            team = c.get("team")  # its creator, put on its team by the same write
            if isinstance(team, dict) and team.get("member_id"):
                fetch.add(str(team["member_id"]))
    return expand, fetch


def load_chain_history(
    store: GraphStore,
    opportunity_id: str,
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
) -> ChainHistory | None:
    """The audit history of a decision chain the caller may see today, or None."""
    rows = store.read(st.HISTORY_OPPORTUNITY, {"id": opportunity_id, **scope.params()})
    if not rows:
        return None
    customer_id = str(rows[0]["customer_id"])
    found = _entries(store, [opportunity_id], [opportunity_id, customer_id])
    people: set[str] = set()
    fetched: set[str] = {opportunity_id, customer_id}
    latest = found
    for _ in range(MAX_ROUNDS):
        expand, fetch = _chain_discoveries(latest, opportunity_id, people, with_connectors)
        expand -= people
        fetch -= fetched | people | expand
        if not expand and not fetch:
            break
        known = sorted(people | {opportunity_id})
        people |= expand
        fetched |= fetch
        latest = _entries(store, sorted(expand), sorted(expand | fetch), known)
        found += latest
    entries = ordered(found)
    erased = frozenset(e.target for e in entries if e.operation == "erase")
    return ChainHistory(opportunity_id, customer_id, tuple(entries), erased, with_connectors)


def load_chain_as_of(
    store: GraphStore,
    opportunity_id: str,
    instant: int,
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
) -> LoadedChain | None:
    """A decision chain as it stood at ``instant``, or None (unknown, invisible today, or not
    yet created then)."""
    history = load_chain_history(
        store, opportunity_id, scope=scope, with_connectors=with_connectors
    )
    return history.chain_at(instant, scope=scope) if history else None


# --- the state at an instant as DECISION_CHAINS rows -----------------------------------------


def chain_in(
    state: GraphState,
    opportunity_id: str,
    now: int,
    with_connectors: bool = False,
    scope: Scope = EVERYTHING,
    activity_window_days: int = DEFAULT_ACTIVITY_WINDOW_DAYS,
) -> LoadedChain | None:
    """The decision chain in ``state``, built as ``load_decision_chains`` builds today's."""
    rows = _chain_rows(state, opportunity_id, now, with_connectors, scope, activity_window_days)
    return chains_from_rows(rows).get(opportunity_id)


def _job(state: GraphState, person_id: str) -> tuple[dict[str, Any], str | None]:
    for customer_id, props in state.targets("WORKS_AT", person_id):
        return props, customer_id
    return {}, None


def _chain_rows(
    state: GraphState,
    opportunity_id: str,
    now: int,
    with_connectors: bool,
    scope: Scope,
    window_days: int,
) -> list[dict[str, Any]]:
    """The chain's row and the row of its activities (none: no such chain)."""
    if not state.present(opportunity_id):
        return []
    customer_id = next((c for c, _ in state.targets("FOR", opportunity_id)), None)
    if customer_id is None or customer_id not in state.nodes:
        return []
    nodes, live = state.nodes, state.present
    since = now - window_days * DAY_MS
    members = sorted(p for p, _ in state.sources("IN_DECISION_CHAIN", opportunity_id) if live(p))
    row: dict[str, Any] = {"opportunity": nodes[opportunity_id], "customer": nodes[customer_id]}
    chain = dict(state.sources("IN_DECISION_CHAIN", opportunity_id))
    row["members"] = [
        [nodes[p]]
        + [chain[p].get(k) for k in ("role", "influence", "attitude", "needs", "needs_fit")]
        + [chain[p].get(k) for k in ("external_kind", "version", "created_at")]
        for p in members
    ]
    jobs = [(p, _job(state, p)[0]) for p in members]
    row["jobs"] = [[p, job.get("title"), job.get("department")] for p, job in jobs]
    neighbours: list[list[Any]] = []
    ties: list[list[Any]] = []
    for p in members:
        for rel in _PERSON_TIES:
            for q, props in state.targets(rel, p):
                if live(q) and state.labels.get(q) == NodeKind.KEY_PERSON.value:
                    ties.append([rel, p, q, props.get("strength"), props.get("level")])
    connector_ids: set[str] = set()
    if with_connectors:
        for p in members:
            for rel in ("REPORTS_TO", "INFLUENCES"):
                around = [*state.targets(rel, p), *state.sources(rel, p)]
                connector_ids.update(q for q, _ in around if live(q))
            for rel in _PERSON_TIES:
                for q, props in state.sources(rel, p):
                    if live(q) and state.labels.get(q) == NodeKind.KEY_PERSON.value:
                        ties.append([rel, q, p, props.get("strength"), props.get("level")])
        for q in sorted(connector_ids):
            job, works_for = _job(state, q)
            if scope.everything or works_for in scope.customer_ids:
                neighbours.append([nodes[q], job.get("title"), job.get("department")])
    row["neighbours"], row["ties"] = neighbours, ties
    knows = [(m, p, props) for p in members for m, props in state.sources("KNOWS", p)]
    knows = [k for k in knows if state.labels.get(k[0]) == NodeKind.TEAM_MEMBER.value]
    row["knowers"] = [nodes[m] for m in dict.fromkeys(m for m, _, _ in knows) if m in nodes]
    row["member_knows"] = [[m, p, k.get("level"), k.get("since")] for m, p, k in knows]
    row["connector_knows"] = [
        [m, q, k.get("level"), k.get("since"), nodes[m]]
        for q in sorted(connector_ids)
        for m, k in state.sources("KNOWS", q)
        if state.labels.get(m) == NodeKind.TEAM_MEMBER.value
    ]
    rivals = [(x, p, props) for p in members for x, props in state.sources("CLOSE_TO", p)]
    row["allies"] = [nodes[x] for x in dict.fromkeys(x for x, _, _ in rivals) if x in nodes]
    row["rival_ties"] = [[x, p, k.get("level")] for x, p, k in rivals]
    recent = [
        a
        for a in dict.fromkeys(
            [a for a, _ in state.sources("ABOUT", opportunity_id)]
            + [a for p in members for a, _ in state.sources("WITH", p)]
        )
        if a in nodes and int(nodes[a].get("occurred_at") or 0) >= since
    ]
    row["team"] = [
        [nodes[m], props.get("role"), props.get("phase")]
        for m, props in state.sources("ON_TEAM", opportunity_id)
        if m in nodes
    ]
    row["competitors"] = [
        [nodes[x], props.get("position"), props.get("price_position")]
        for x, props in state.sources("COMPETES_FOR", opportunity_id)
        if x in nodes
    ]
    items = [
        w
        for w, _ in state.sources("PLANNED_FOR", opportunity_id)
        if w in nodes
        and (nodes[w].get("status") in ("OPEN", "DONE") or nodes[w].get("dropped_at") is not None)
    ]
    row["planned"] = [[w, *(nodes[w].get(k) for k in _PLANNED_FIELDS)] for w in items]
    row["planned_targets"] = [[w, p] for w in items for p, _ in state.targets("TARGETS", w)]
    row["shared"] = row["line"] = row["asked"] = None
    shared = [[nodes[a], _activity_links(state, a)] for a in recent]
    line = _line(state, members, customer_id)
    asked = [_asked(state, p, opportunity_id) for p in members if nodes[p].get("left_on")]
    return [row, {**dict.fromkeys(row), "shared": shared, "line": line, "asked": asked}]


def _asked(state: GraphState, person_id: str, opportunity_id: str) -> list[list[Any]]:
    """The steps of other deals' plans asking ``person_id`` (one who left) for their
    successor, as ``DECISION_CHAINS`` gives them (``asked``)."""
    found = []
    for item, _ in state.sources("TARGETS", person_id):
        node = state.nodes.get(item)
        if node is None or node.get("action") != SUCCESSOR_PLAY:
            continue
        for deal, _ in state.targets("PLANNED_FOR", item):
            if deal != opportunity_id and state.present(deal):
                status, reason = node.get("status"), node.get("drop_reason")
                found.append([person_id, item, deal, status, reason, node.get("created_at")])
    return found


def _line(state: GraphState, members: Sequence[str], customer_id: str) -> list[dict[str, Any]]:
    """The people on the successor lines of the members who left, as ``DECISION_CHAINS``
    gives them (``line``): whom they named among the deal's customer's people, and whom those
    named in turn, ``LINE_DEPTH`` deep."""
    found: dict[str, dict[str, Any]] = {}
    named = [state.nodes[p].get("left_successor_id") for p in members]
    for _ in range(st.LINE_DEPTH):
        here = [
            str(p)
            for p in dict.fromkeys(named)
            if p
            and state.present(str(p))
            and any(c == customer_id for c, _ in state.targets("WORKS_AT", str(p)))
        ]
        found.update((p, state.nodes[p]) for p in here)
        named = [state.nodes[p].get("left_successor_id") for p in here]
    return list(found.values())


def _activity_links(state: GraphState, activity_id: str) -> list[list[str]]:
    """``[type, other id]`` rows of an activity as ``DECISION_CHAINS`` gives them."""
    return (
        [["WITH", p] for p, _ in state.targets("WITH", activity_id) if state.present(p)]
        + [["DID", m] for m, _ in state.sources("DID", activity_id) if m in state.nodes]
        + [["ABOUT", o] for o, _ in state.targets("ABOUT", activity_id) if o in state.nodes]
    )


# --- org charts ------------------------------------------------------------------------------


def load_org_chart_as_of(
    store: GraphStore, customer_id: str, instant: int, *, scope: Scope = EVERYTHING
) -> OrgChart | None:
    """A customer's org chart as it stood at ``instant`` (nobody in it before the customer
    was created), or None when the customer is unknown or invisible today."""
    today = store.read(st.HISTORY_CUSTOMER, {"id": customer_id, **scope.params()})
    if not today:
        return None
    found = _entries(store, [customer_id], [customer_id])
    people = {
        e.target for e in found if e.operation == "create" and e.kind == NodeKind.KEY_PERSON.value
    } | {
        str(e.changes.get("from_id"))
        for e in found
        if e.operation == "set_edge" and e.kind == "WORKS_AT"
    }
    if people:
        found += _entries(store, sorted(people), sorted(people), [customer_id])
    entries = ordered(found)
    state = GraphState()
    state.erased.update(e.target for e in entries if e.operation == "erase")
    for entry in entries:
        if entry.at > instant:
            break
        state.apply(entry)
    chart = org_chart_in(state, customer_id)
    return chart or OrgChart(today[0]["node"], [], {}, (), ())


def org_chart_in(state: GraphState, customer_id: str) -> OrgChart | None:
    """The org chart of a customer in ``state``, as ``load_org_chart`` builds today's."""
    if customer_id not in state.nodes:
        return None
    staff = {p: props for p, props in state.sources("WORKS_AT", customer_id) if state.present(p)}
    people = sorted((state.nodes[p] for p in staff), key=lambda p: p["name"])
    links: dict[str, list[dict[str, Any]]] = {"REPORTS_TO": [], "INFLUENCES": []}
    for rel, found in links.items():
        for p in staff:
            for q, props in state.targets(rel, p):
                if q in staff:
                    found.append({"from_id": p, "to_id": q, "strength": props.get("strength")})
    return OrgChart(
        customer=state.nodes[customer_id],
        persons=people,
        works_at=dict(staff),
        reports_to=tuple(_tie(t) for t in links["REPORTS_TO"]),
        influences=tuple(_tie(t) for t in links["INFLUENCES"]),
    )
