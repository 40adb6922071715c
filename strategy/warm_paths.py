"""Warm introduction paths from anyone on our team to a target key person.

Ties count in both directions for an introduction (KNOWS team->person and person->person,
REPORTS_TO, INFLUENCES), and a hop costs less the stronger the tie. People aligned with a
competitor (CLOSE_TO at least STRONG, or attitude OPPONENT) are never used as intermediaries,
even when the path through them is shorter: they would warn the competitor or block us.

Scale: the graph is built once (``build_warm_graph``) from plain edge lists, then each query
explores only the ball of ``max_depth`` hops around the target (never through avoided people),
copies that ball into a small directed graph with a virtual source feeding our team members
(who may start a path but never relay one), and runs networkx's Dijkstra-based
``shortest_simple_paths`` there. A query on a 100k-person graph touches a few thousand nodes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise

import networkx as nx

from domain.chain import ChainSnapshot, PersonTie, TeamKnows
from domain.vocabulary import Attitude, TieStrength
from strategy.config import StrategyConfig, default_config

TEAM = "t:"
PERSON = "p:"
_SOURCE = "source"
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


@dataclass(frozen=True, slots=True)
class WarmGraph:
    """A prebuilt undirected introduction graph; reuse it across queries."""

    graph: nx.Graph
    avoid: frozenset[str]
    person_names: Mapping[str, str]
    team_names: Mapping[str, str]


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


def avoid_set(
    snapshot: ChainSnapshot, min_level: TieStrength = TieStrength.STRONG
) -> frozenset[str]:
    """People aligned with a competitor: CLOSE_TO at least ``min_level`` or attitude OPPONENT."""
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
        avoid_set(snapshot, cfg.analysis.ally_min_level),
        {p.id: p.name for p in snapshot.persons},
        {t.member_id: t.name for t in snapshot.team},
    )


def _link(
    graph: nx.Graph, u: str, v: str, kind: str, strength: TieStrength | None, cost: float
) -> None:
    if u == v:
        return
    data = graph.get_edge_data(u, v)
    if data is None or cost < data["cost"]:
        graph.add_edge(u, v, kind=kind, strength=strength, cost=cost)


def build_warm_graph(data: WarmGraphInput, config: StrategyConfig | None = None) -> WarmGraph:
    """Build the undirected introduction graph once; edges keep their cheapest tie."""
    wc = (config or default_config()).warm_paths
    graph = nx.Graph()
    for k in data.team_knows:
        _link(
            graph, TEAM + k.member_id, PERSON + k.person_id, "KNOWS", k.level, wc.tie_costs[k.level]
        )
    for t in data.person_knows:
        _link(
            graph,
            PERSON + t.from_id,
            PERSON + t.to_id,
            "KNOWS",
            t.strength,
            wc.tie_costs[t.strength],
        )
    for t in data.influences:
        cost = wc.tie_costs[t.strength]
        _link(graph, PERSON + t.from_id, PERSON + t.to_id, "INFLUENCES", t.strength, cost)
    for t in data.reports_to:
        _link(graph, PERSON + t.from_id, PERSON + t.to_id, "REPORTS_TO", None, wc.reports_to_cost)
    return WarmGraph(graph, data.avoid, data.person_names, data.team_names)


def _ball(graph: nx.Graph, target: str, max_depth: int, avoid: frozenset[str]) -> set[str]:
    """Nodes within ``max_depth`` hops of the target, not expanding through avoided people."""
    seen = {target}
    frontier = [target]
    for _ in range(max_depth):
        nxt: list[str] = []
        for node in frontier:
            if node != target and (node.startswith(TEAM) or node[len(PERSON) :] in avoid):
                continue
            for other in graph.adj[node]:
                if other not in seen and not (
                    other.startswith(PERSON) and other[len(PERSON) :] in avoid
                ):
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen


def warm_paths(
    graph: WarmGraph | WarmGraphInput,
    target_person_id: str,
    limit: int = 3,
    max_depth: int = 4,
    *,
    avoid: frozenset[str] = frozenset(),
    config: StrategyConfig | None = None,
) -> tuple[WarmPath, ...]:
    """Up to ``limit`` cheapest introduction paths of at most ``max_depth`` hops to the target.

    ``avoid`` adds people to the graph's own avoid set. Paths are ordered by cost, then by the
    team member id; a target nobody can reach gives an empty tuple.
    """
    cfg = config or default_config()
    wg = graph if isinstance(graph, WarmGraph) else build_warm_graph(graph, cfg)
    target = PERSON + target_person_id
    if target not in wg.graph or limit <= 0 or max_depth <= 0:
        return ()
    blocked = (wg.avoid | avoid) - {target_person_id}
    ball = _ball(wg.graph, target, max_depth, blocked)
    team = sorted(n for n in ball if n.startswith(TEAM))
    if not team:
        return ()
    small = nx.DiGraph()
    small.add_edges_from((_SOURCE, t, {"cost": 0.0}) for t in team)
    for u in ball:
        if u.startswith(TEAM):
            continue
        for v, d in wg.graph.adj[u].items():
            if v in ball:
                if v.startswith(TEAM):
                    small.add_edge(v, u, **d)
                else:
                    small.add_edge(u, v, **d)
    found: list[WarmPath] = []
    candidates = nx.shortest_simple_paths(small, _SOURCE, target, weight="cost")
    for nodes in islice(candidates, cfg.warm_paths.max_candidate_paths):
        if len(nodes) - 2 > max_depth:
            continue
        found.append(_describe(wg, small, nodes[1:]))
        if len(found) >= limit:
            break
    found.sort(key=lambda p: (p.cost, p.team_member_id, p.via_person_ids))
    return tuple(found)


def _describe(wg: WarmGraph, small: nx.DiGraph, nodes: Sequence[str]) -> WarmPath:
    hops: list[Hop] = []
    for u, v in pairwise(nodes):
        d = small[u][v]
        hops.append(
            Hop(u[2:], v[2:], u.startswith(TEAM), d["kind"], d["strength"], float(d["cost"]))
        )
    member = nodes[0][2:]
    target = nodes[-1][2:]
    via = tuple(n[2:] for n in nodes[1:-1])
    asker = wg.team_names.get(member, member)
    tname = wg.person_names.get(target, target)
    vnames = [wg.person_names.get(p, p) for p in via]
    if not via:
        en = f"{asker} already knows {tname}: {asker} should set up the meeting."
        zh = f"{asker}已认识{tname}:由{asker}直接约见。"
    else:
        chain_en = ", who introduces us to ".join([*vnames[1:], tname])
        chain_zh = ",再由其引荐给".join([*vnames[1:], tname])
        en = f"{asker} should ask {vnames[0]} to introduce us to {chain_en}."
        zh = f"由{asker}请{vnames[0]}引荐给{chain_zh}。"
    return WarmPath(member, target, via, tuple(hops), sum(h.cost for h in hops), en, zh)
