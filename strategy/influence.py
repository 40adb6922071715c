"""Effective influence of decision-chain members: declared influence propagated over the graph.

Model: personalised PageRank. The random walk starts (and restarts, with probability
``1 - alpha``) at members in proportion to their *declared* influence weights, and otherwise
steps from a person to someone who commands or sways them: along REPORTS_TO as stored
(subordinate -> manager) and along INFLUENCES *reversed* (influenced -> influencer), weighted by
the tie strength. These are the reversed edges of the "commands/influences" graph, so score mass
flows to the people who command or influence others: a manager of an important evaluator, or an
informal adviser of the decision maker, gains weight even if declared LOW.

Why PageRank rather than, say, degree: it accounts for indirect chains (A sways B who sways the
decision maker) and is well defined on cycles. Why a low alpha (0.5 by default): the account
team's declared judgement should stay the main signal; the graph refines it. The result is
restricted to chain members and normalised to sum to 1. Persons outside the chain that appear
on edges relay influence but get none themselves.

The power iteration is ours (networkx's ``pagerank`` needs NumPy/SciPy, which we do not ship);
nodes are visited in sorted order so results are bit-for-bit reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from domain.chain import ChainSnapshot
from strategy.config import StrategyConfig


@dataclass(frozen=True, slots=True)
class InfluenceResult:
    """Declared and effective influence shares of each member; each sums to 1 over members."""

    declared: Mapping[str, float]
    effective: Mapping[str, float]

    def relative(self, person_id: str) -> float:
        """Effective share times the member count: 1.0 means an average member."""
        return self.effective.get(person_id, 0.0) * len(self.effective)


def influence_graph(snapshot: ChainSnapshot, config: StrategyConfig) -> nx.DiGraph:
    """Walk graph: edge u -> v when v commands (REPORTS_TO) or influences u, with a weight."""
    ic = config.influence
    graph = nx.DiGraph()
    graph.add_nodes_from(m.person_id for m in snapshot.members)
    for tie in snapshot.reports_to:
        if tie.from_id != tie.to_id:
            _add(graph, tie.from_id, tie.to_id, ic.reports_to_weight)
    for tie in snapshot.influences:
        if tie.from_id != tie.to_id:
            _add(graph, tie.to_id, tie.from_id, ic.influences_weights[tie.strength])
    return graph


def _add(graph: nx.DiGraph, u: str, v: str, weight: float) -> None:
    if graph.has_edge(u, v):
        graph[u][v]["weight"] += weight
    else:
        graph.add_edge(u, v, weight=weight)


def effective_influence(snapshot: ChainSnapshot, config: StrategyConfig) -> InfluenceResult:
    """Personalised PageRank over :func:`influence_graph`, restricted to members, normalised."""
    ic = config.influence
    members = sorted({m.person_id: m for m in snapshot.members}.items())
    if not members:
        return InfluenceResult({}, {})
    declared_raw = {pid: ic.declared_weights[m.influence] for pid, m in members}
    total = sum(declared_raw.values())
    if total <= 0:
        declared = {pid: 1.0 / len(members) for pid, _ in members}
    else:
        declared = {pid: w / total for pid, w in declared_raw.items()}

    graph = influence_graph(snapshot, config)
    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    personal = [declared.get(n, 0.0) for n in nodes]
    out: list[list[tuple[int, float]]] = []
    for n in nodes:
        succ = graph.succ[n]
        weight_sum = sum(d["weight"] for d in succ.values())
        if weight_sum > 0:
            out.append(
                [
                    (index[v], d["weight"] / weight_sum)
                    for v, d in sorted(succ.items())
                    if d["weight"]
                ]
            )
        else:
            out.append([])
    alpha = ic.alpha
    rank = list(personal)
    for _ in range(ic.max_iterations):
        nxt = [(1.0 - alpha) * p for p in personal]
        dangling = 0.0
        for i, edges in enumerate(out):
            mass = rank[i]
            if not edges:
                dangling += mass
                continue
            for j, share in edges:
                nxt[j] += alpha * mass * share
        if dangling:
            for i, p in enumerate(personal):
                if p:
                    nxt[i] += alpha * dangling * p
        delta = sum(abs(a - b) for a, b in zip(nxt, rank, strict=True))
        rank = nxt
        if delta < ic.tolerance:
            break
    member_mass = sum(rank[index[pid]] for pid, _ in members)
    effective = {pid: rank[index[pid]] / member_mass for pid, _ in members}
    return InfluenceResult(declared, effective)
