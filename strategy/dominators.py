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
    # Work on postorder numbers: the start is the last, a dominator has a higher number.
    number = {n: i for i, n in enumerate(postorder)}
    preds: list[list[int]] = [[] for _ in postorder]
    for i, node in enumerate(postorder):
        for child in successors.get(node, ()):
            if child != node:
                preds[number[child]].append(i)
    root = len(postorder) - 1
    idom = [-1] * len(postorder)
    idom[root] = root
    changed = True
    while changed:
        changed = False
        for x in range(root - 1, -1, -1):  # reverse postorder without the start
            new = -1
            for p in preds[x]:
                if idom[p] < 0:
                    continue
                if new < 0:
                    new = p
                    continue
                while p != new:  # intersect: climb from the lower number
                    while p < new:
                        p = idom[p]
                    while new < p:
                        new = idom[new]
            if new >= 0 and idom[x] != new:
                idom[x] = new
                changed = True
    return {postorder[x]: postorder[idom[x]] for x in range(root)}
