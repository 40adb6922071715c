"""The API's door for editing the graph: node CRUD, ties between nodes, opportunities and
activities as the mutations await them. Each use case runs in the thread pool (the one hop
between the event loop and the store); the mutation only reads its input and presents the
node the use case hands back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.model import EdgeKind, NodeKind
from graph.store import Node
from resolvers import activities, process, writes
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.violations import DELETE_TIES, TEAM_RULES, TIE_RULES

Ref = tuple[NodeKind, str, str]
"""A node the client named: its kind, its store id and the input field that named it."""


create = InThread(writes.create_node)


@InThread
def update(
    ctx: RequestContext,
    kind: NodeKind,
    node_id: str,
    props: Mapping[str, Any],
    version: int,
    parent: tuple[str | None] | None,
) -> Mapping[str, Any]:
    """A node changed under the version the client read; an opportunity and an activity
    through their own use cases, which check what the change means for the deal's process."""
    if kind is NodeKind.OPPORTUNITY:
        return process.opportunity_update(ctx, node_id, props, version)
    if kind is NodeKind.ACTIVITY:
        return activities.correct(ctx, node_id, props, version)
    return writes.update_node(ctx, kind, node_id, props, version, parent)


@InThread
def delete(
    ctx: RequestContext, kind: NodeKind, node_id: str, version: int | None, cascade: bool
) -> None:
    """A node deleted (with what hangs on it when ``cascade``); an activity through its own
    use case, which checks the deals it counted for. A person's, a competitor's or a customer's
    people's deals are read first (their ties are gone after) and checked right after
    (``DELETE_TIES``)."""
    if kind is NodeKind.ACTIVITY:
        activities.delete(ctx, node_id, version)
        return
    tie = DELETE_TIES.get(kind)
    if tie is None:
        writes.delete_node(ctx, kind, node_id, version, cascade)
        return
    edge, rules = tie
    writes.require_delete(ctx, kind)
    if kind is NodeKind.CUSTOMER:
        deals = process.open_deals_of_people_at(ctx, node_id, edge)
    else:
        deals = process.open_deals_tied(ctx, edge, kind, [node_id])
    writes.delete_node(ctx, kind, node_id, version, cascade)
    process.detect_after_writes(ctx, deals, rules)


def _tie(
    ctx: RequestContext,
    edge: EdgeKind,
    source: Ref,
    target: Ref,
    props: Mapping[str, Any] | None,
    shown: Sequence[Ref],
    role: str | None = None,
    expected_version: int | None = None,
) -> list[Node]:
    """The edge between two nodes set with ``props`` (removed when None, a place in a
    decision chain only while it has ``role`` when given; changed or removed only while it has
    ``expected_version`` when given); then the nodes the payload ``shown`` shows, as they are
    now. A tie to an opportunity (its decision chain, competitors, team) is what its required
    actions read: its violations are checked right after."""
    if props is None:
        writes.remove_edge(ctx, edge, source, target, role, expected_version)
    else:
        writes.set_edge(ctx, edge, source, target, props, expected_version)
    for kind, node_id, _ in (source, target):
        if kind is NodeKind.OPPORTUNITY:
            rules = TEAM_RULES if edge is EdgeKind.ON_TEAM else TIE_RULES
            process.detect_after_write(ctx, node_id, rules)
    return [writes.get_node(ctx, kind, node_id) for kind, node_id, _ in shown]


tie = InThread(_tie)


@InThread
def knows(
    ctx: RequestContext,
    knowers: Mapping[str, Ref | None],
    target: Ref,
    props: Mapping[str, Any] | None,
) -> Node:
    """How well exactly one of ``knowers`` (one of our people, or another key person; by their
    input field) knows the key person ``target`` (forgotten when ``props`` is None); the role
    is checked before the input, like every write's."""
    writes.require_writer(ctx)
    named = writes.exactly_one(
        {f"input.{field}": ref for field, ref in knowers.items()},
        "give exactly one of memberId (our person) or personId (a key person)",
        "memberId（我方人员）和 personId（关键人）须且只须给出一个",
    )
    source = knowers[named.removeprefix("input.")]
    assert source is not None
    return _tie(ctx, EdgeKind.KNOWS, source, target, props, [target])[0]


key_person_create = InThread(writes.create_key_person)


@InThread
def employment_set(ctx: RequestContext, person_id: str, props: Mapping[str, Any]) -> Node:
    """A key person's title or department at the customer they work at."""
    writes.require_writer(ctx)
    employer = writes.employer_of(ctx, person_id)
    writes.set_edge(
        ctx,
        EdgeKind.WORKS_AT,
        (NodeKind.KEY_PERSON, person_id, "id"),
        (NodeKind.CUSTOMER, employer, "id"),
        props,
    )
    return writes.get_node(ctx, NodeKind.KEY_PERSON, person_id)


opportunity_create = InThread(process.opportunity_create)
activity_record = InThread(activities.record)
