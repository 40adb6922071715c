"""Immediate dominators of a directed graph given as plain adjacency (successor lists).

Why not networkx: the red-flag check needs two or three dominator trees per analysis on the
chain's org chart and influence ties; building a networkx graph for them cost more than the
rest of the red flags together. The dominator tree is unique, so this returns exactly what
``networkx.immediate_dominators`` returns (a test compares them on random graphs).

Algorithm: Cooper, Harvey and Kennedy, "A simple, fast dominance algorithm" (2006): iterate
``idom(u) = intersect of the processed predecessors' idoms`` in reverse postorder until stable.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def immediate_dominators[N: Hashable](successors: Mapping[N, Iterable[N]], start: N) -> dict[N, N]:
    """The immediate dominator of every node reachable from ``start``, except ``start``.

    A node without an entry in ``successors`` has no outgoing edges."""
    # Iterative depth-first search for the postorder of the reachable nodes.
    postorder: list[N] = []
    seen = {start}
    stack = [(start, iter(successors.get(start, ())))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(successors.get(child, ()))))
                break
        else:
            stack.pop()
            postorder.append(node)
    number = {u: i for i, u in enumerate(postorder)}
    preds: dict[N, list[N]] = {u: [] for u in postorder}
    for u in postorder:
        for v in successors.get(u, ()):
            if v != u:
                preds[v].append(u)
    order = postorder[-2::-1]  # reverse postorder without the start (last in postorder)
    idom: dict[N, N] = {start: start}

    def intersect(u: N, v: N) -> N:
        while u != v:
            while number[u] < number[v]:
                u = idom[u]
            while number[u] > number[v]:
                v = idom[v]
        return u

    changed = True
    while changed:
        changed = False
        for u in order:
            new: N | None = None
            for p in preds[u]:
                if p in idom:
                    new = p if new is None else intersect(new, p)
            if new is not None and idom.get(u) != new:
                idom[u] = new
                changed = True
    del idom[start]
    return idom
