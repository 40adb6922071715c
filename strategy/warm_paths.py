"""Warm introduction paths from anyone on our team to a target key person.

Ties count in both directions for an introduction (KNOWS team->person and person->person,
REPORTS_TO, INFLUENCES), and a hop costs less the stronger the tie. People in a competitor's
camp core (CLOSE_TO at least ``analysis.camp_min_level``, the camps' own definition) or opposed
to us are never used as intermediaries, even when the path through them is shorter: asked for
an introduction they learn our plan, and would warn the competitor or block us. Nobody
introduces us over the head of their own line manager (``over_the_head``): the boss bypassed
becomes an opponent.

Scale: the graph is built once (``build_warm_graph``) from plain edge lists, as a plain
adjacency of dicts (a networkx graph cost most of the build and none of the search); each
query is a hop-bounded Dijkstra from the target outwards over its adjacency (never through
avoided people; our team members may start a path but never relay one) that stops once
``limit`` paths are found. networkx's ``shortest_simple_paths`` (Yen) can neither bound hops
nor stop early, and copying the depth-4 ball of a 100k-person graph into a fresh graph per
query took about a second; this search settles only the nodes cheaper than the answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from domain.chain import ChainSnapshot, PersonTie, TeamKnows
from domain.text import Text
from domain.vocabulary import Attitude, TieStrength
from strategy.assessment import SIGNERS as _SIGNERS
from strategy.config import StrategyConfig, default_config
from strategy.influence import line_managers, over_the_head
from strategy.rationale import introduction

TEAM = "t:"
PERSON = "p:"
_TIE_RANK = {s: i for i, s in enumerate(TieStrength)}


@dataclass(frozen=True, slots=True)
class WarmGraphInput:
    """Plain edge lists: enough to find introduction paths without a full snapshot."""

    team_knows: Sequence[TeamKnows]
    person_knows: Sequence[PersonTie] = ()
    reports_to: Sequence[PersonTie] = ()
    influences: Sequence[PersonTie] = ()
    avoid: frozenset[str] = frozenset()
    person_names: Mapping[str, str] = field(default_factory=dict)
    team_names: Mapping[str, str] = field(default_factory=dict)
    guarded: frozenset[str] = frozenset()
    """People asked for an introduction only by one of ours who knows them at least STRONG:
    the deal's signers. One meeting gives us no standing to ask the general manager a favour,
    and a vendor sent down by the boss makes his people feel bypassed."""
    team_told: Mapping[str, Text] = field(default_factory=dict)
    """Those of ours whom another of ours shares a name with, told apart in each language: the
    introduction's text says which 王伟 should ask."""


class _Edge(NamedTuple):
    """The cheapest tie between two nodes."""

    kind: str
    strength: TieStrength | None
    cost: float


@dataclass(frozen=True, slots=True)
class WarmGraph:
    """A prebuilt undirected introduction graph; reuse it across queries.

    ``graph`` maps each node to its neighbours and the cheapest tie to each (``_Edge``)."""

    graph: Mapping[str, Mapping[str, _Edge]]
    avoid: frozenset[str]
    person_names: Mapping[str, str]
    team_names: Mapping[str, str]
    guarded: frozenset[str] = frozenset()
    managers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Whom each person reports to (``line_managers``): nobody introduces us over the head of
    their own manager (``over_the_head``)."""
    team_told: Mapping[str, Text] = field(default_factory=dict)
    """Our namesakes told apart (``WarmGraphInput.team_told``)."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One introduction step: ``from_id`` (team member or person) reaches ``to_id``."""

    from_id: str
    to_id: str
    from_is_team: bool
    kind: str
    strength: TieStrength | None
    cost: float


@dataclass(frozen=True, slots=True)
class WarmPath:
    """A path from one of our team members to the target, with who should ask whom."""

    team_member_id: str
    target_person_id: str
    via_person_ids: tuple[str, ...]
    hops: tuple[Hop, ...]
    cost: float
    text_en: str
    text_zh: str
    names: tuple[str | Text, ...] = ()
    """The asker's name (told apart from a namesake of ours in each language), those of the
    people between and the target's, as the texts say them."""


@dataclass(frozen=True, slots=True)
class Credit:
    """How much of a warm introduction's modelled gain a path earns, and why it is less."""

    share: float
    weakest: Hop | None
    """The weakest tie on the path when it costs credit (a reporting line counts as MODERATE)."""
    relays: int
    """The people between beyond the introducer."""


def introduction_credit(path: WarmPath, config: StrategyConfig | None = None) -> Credit:
    """The share of a warm introduction's gain the path earns: the weakest tie on it sets it (a
    weak acquaintance passes on a name, not a recommendation) and each person between beyond
    the introducer keeps ``warm_paths.relay_credit`` of it (every link spends a favour)."""
    wc = (config or default_config()).warm_paths
    weakest = min(path.hops, key=lambda h: _TIE_RANK[_strength(h)], default=None)
    share = wc.introduction_credit[_strength(weakest)] if weakest is not None else 1.0
    relays = max(0, len(path.via_person_ids) - 1)
    return Credit(share * wc.relay_credit**relays, weakest if share < 1.0 else None, relays)


def _strength(hop: Hop | None) -> TieStrength:
    return TieStrength.MODERATE if hop is None or hop.strength is None else hop.strength


def avoid_set(
    snapshot: ChainSnapshot, min_level: TieStrength = TieStrength.MODERATE
) -> frozenset[str]:
    """People no path goes through: CLOSE_TO a competitor at least ``min_level`` (the camp
    core) or attitude OPPONENT."""
    floor = _TIE_RANK[min_level]
    aligned = {t.person_id for t in snapshot.competitor_ties if _TIE_RANK[t.level] >= floor}
    aligned |= {m.person_id for m in snapshot.members if m.attitude == Attitude.OPPONENT}
    return frozenset(aligned)


def input_from_snapshot(
    snapshot: ChainSnapshot, config: StrategyConfig | None = None
) -> WarmGraphInput:
    """The warm-path input of one opportunity's snapshot."""
    cfg = config or default_config()
    return WarmGraphInput(
        snapshot.team_knows,
        snapshot.person_knows,
        snapshot.reports_to,
        snapshot.influences,
        avoid_set(snapshot, cfg.analysis.camp_min_level),
        {p.id: p.name for p in snapshot.persons},
        # Whoever of ours knows someone in the chain may start a path, on the team or not.
        snapshot.display_names(),
        frozenset(m.person_id for m in snapshot.members if m.role in _SIGNERS),
        snapshot.ours_told_apart(),
    )


def _closer(strength: TieStrength | None) -> bool:
    """Whether a tie is at least moderate, as a reporting line counts (``introduction_credit``)."""
    return strength is not None and _TIE_RANK[strength] >= _TIE_RANK[TieStrength.MODERATE]


def build_warm_graph(data: WarmGraphInput, config: StrategyConfig | None = None) -> WarmGraph:
    """Build the undirected introduction graph once; edges keep their cheapest tie (the first
    of equally cheap ones), and a reporting line the strength of a moderate or closer tie the
    two also have."""
    wc = (config or default_config()).warm_paths
    costs = wc.tie_costs
    rows: list[tuple[str, str, str, TieStrength | None, float]] = [
        (TEAM + k.member_id, PERSON + k.person_id, "KNOWS", k.level, costs[k.level])
        for k in data.team_knows
    ]
    rows += [
        (PERSON + t.from_id, PERSON + t.to_id, "KNOWS", t.strength, costs[t.strength])
        for t in data.person_knows
    ]
    rows += [
        (PERSON + t.from_id, PERSON + t.to_id, "INFLUENCES", t.strength, costs[t.strength])
        for t in data.influences
    ]
    rows += [
        (PERSON + t.from_id, PERSON + t.to_id, "REPORTS_TO", None, wc.reports_to_cost)
        for t in data.reports_to
    ]
    graph: dict[str, dict[str, _Edge]] = {}
    new = tuple.__new__
    # One flat loop: it runs once per tie of the chain on every analysis that plans work.
    for u, v, kind, strength, cost in rows:
        if u == v:
            continue
        nu = graph.get(u)
        if nu is None:
            nu = graph[u] = {}
        nv = graph.get(v)
        if nv is None:
            nv = graph[v] = {}
        current = nu.get(v)
        if current is None or cost < current.cost:
            if strength is None and current is not None and _closer(current.strength):
                # a reporting line (last in ``rows``) is cheaper than a moderate tie and counts
                # as one: the hop is the line's, and what thins it is the tie they have, not
                # "only the reporting line"
                strength = current.strength
            nu[v] = nv[u] = new(_Edge, (kind, strength, cost))
    return WarmGraph(
        graph,
        data.avoid,
        data.person_names,
        data.team_names,
        data.guarded,
        line_managers(data.reports_to),
        data.team_told,
    )


def warm_paths(
    graph: WarmGraph | WarmGraphInput,
    target_person_id: str,
    limit: int = 3,
    max_depth: int = 4,
    *,
    avoid: frozenset[str] = frozenset(),
    config: StrategyConfig | None = None,
) -> tuple[WarmPath, ...]:
    """Up to ``limit`` cheapest introduction paths of at most ``max_depth`` hops to the target,
    one per distinct introducer (the person, or team member, who finally introduces us).

    ``avoid`` adds people to the graph's own avoid set. Paths are ordered by cost, then by the
    team member id; a target nobody can reach gives an empty tuple.
    """
    cfg = config or default_config()
    wg = graph if isinstance(graph, WarmGraph) else build_warm_graph(graph, cfg)
    target = PERSON + target_person_id
    if target not in wg.graph or limit <= 0 or max_depth <= 0:
        return ()
    blocked = {PERSON + p for p in (wg.avoid | avoid)} - {target}
    return tuple(_search(wg, target, limit, max_depth, blocked))


def _search(
    wg: WarmGraph, target: str, limit: int, max_depth: int, blocked: set[str]
) -> list[WarmPath]:
    """Hop-bounded Dijkstra from the target outwards over the adjacency.

    States are (node, introducer) pairs so each introducer keeps its own best route; a state is
    skipped when the same pair was already settled with no more hops (pops come in cost order,
    so that earlier state cost no more). Team members end a path and never relay one. The
    search stops as soon as ``limit`` introducers have a path.
    """
    adj = wg.graph
    guarded = {PERSON + p for p in wg.guarded} - {target}
    asks = _TIE_RANK[TieStrength.STRONG]
    # state: (node, parent state index, hops, introducer)
    states: list[tuple[str, int, int, str]] = [(target, -1, 0, "")]
    heap: list[tuple[float, int, str]] = [(0.0, 0, target)]
    best_hops: dict[tuple[str, str], int] = {}
    used: set[str] = set()
    found: list[WarmPath] = []
    while heap and len(found) < limit:
        cost, index, node = heapq.heappop(heap)
        _, _, hops, introducer = states[index]
        key = (node, introducer)
        if best_hops.get(key, max_depth + 1) <= hops:
            continue
        best_hops[key] = hops
        if node.startswith(TEAM):
            if introducer not in used:
                used.add(introducer)
                found.append(_describe(wg, states, index))
            continue
        if hops >= max_depth:
            continue
        signer = node in guarded  # asked a favour only by one of ours who knows them well
        for other, edge in adj[node].items():
            if other in blocked:
                continue
            if (
                node == target
                and other.startswith(PERSON)
                and over_the_head(wg.managers, other[2:], target[2:])
            ):
                continue  # the introducer would go over their own manager's head
            if (
                signer
                and other.startswith(TEAM)
                and (edge.strength is None or _TIE_RANK[edge.strength] < asks)
            ):
                continue
            via = other if node == target else introducer
            if best_hops.get((other, via), max_depth + 1) <= hops + 1:
                continue
            states.append((other, index, hops + 1, via))
            heapq.heappush(heap, (cost + edge.cost, len(states) - 1, other))
    found.sort(key=lambda p: (p.cost, p.team_member_id, p.via_person_ids))
    return found


def _describe(wg: WarmGraph, states: Sequence[tuple[str, int, int, str]], index: int) -> WarmPath:
    nodes: list[str] = []
    while index >= 0:
        node, index, _, _ = states[index]
        nodes.append(node)
    hops: list[Hop] = []
    for u, v in pairwise(nodes):
        d = wg.graph[u][v]
        hops.append(Hop(u[2:], v[2:], u.startswith(TEAM), d.kind, d.strength, float(d.cost)))
    member = nodes[0][2:]
    target = nodes[-1][2:]
    via = tuple(n[2:] for n in nodes[1:-1])
    asker = wg.team_told.get(member) or wg.team_names.get(member, member)
    tname = wg.person_names.get(target, target)
    vnames = [wg.person_names.get(p, p) for p in via]
    en, zh = introduction(asker, vnames, tname)
    cost = sum(h.cost for h in hops)
    return WarmPath(member, target, via, tuple(hops), cost, en, zh, (asker, *vnames, tname))
