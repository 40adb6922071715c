"""Relationship fields of the node types, each declared once: edge kind, direction, target,
one / many / page, and how an edge becomes the field's shape. Every such field resolves
through the request's neighbour loader, so a nesting level costs one store round trip.

Types are named by their names (``"Customer"``, ``"list[TeamTie]"``): strawberry resolves a
field's type in the module of the class the field sits on (``schema.nodes``), after every
node type exists, so a field may name a type declared further down."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar, Self

import strawberry
from strawberry.types import Info

from domain.model import EDGE_SPECS, EdgeKind, NodeKind
from resolvers import reads
from resolvers.context import RequestContext
from resolvers.loaders import neighbour_loader, node_loader
from resolvers.records import Neighbour
from schema.common import Connection, page_connection
from schema.convert import edge_attributes, node_attributes

Ctx = Info[RequestContext, None]
EdgeAs = Callable[[Mapping[str, Any]], dict[str, Any]]
"""How an edge's stored properties become keyword arguments of a shape type."""

NODE_TYPES: dict[NodeKind, type[NodeMixin]] = {}
"""The API type of every node kind, in the order they are declared (``schema/nodes.py``)."""


def context(info: Ctx) -> RequestContext:
    """The request context of a resolver."""
    return info.context


class NodeMixin:
    """Shared construction and relay lookup for the domain's node types."""

    KIND: ClassVar[NodeKind]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register the node type of a kind: relationship fields build their targets with it."""
        super().__init_subclass__(**kwargs)
        if "KIND" in cls.__dict__:
            NODE_TYPES[cls.KIND] = cls

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Self:
        """Build the API object from a store record."""
        return cls(**node_attributes(cls.KIND, node))

    @classmethod
    def from_nodes(cls, nodes: Iterable[Mapping[str, Any]]) -> list[Self]:
        """Build API objects from store records."""
        return [cls.from_node(node) for node in nodes]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Ctx, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        """Relay lookup by id, batched; unknown and invisible ids give null."""
        found = await node_loader(context(info), cls.KIND).load_many(list(node_ids))
        return [cls.from_node(node) if node is not None else None for node in found]

    id: str


def neighbours(
    info: Ctx, edge: EdgeKind, this: NodeKind, other: NodeKind, node_id: str, incoming: bool
) -> Awaitable[list[Neighbour]]:
    """The rows across one edge kind from a node (an awaitable, batched per nesting level)."""
    source, target = (other, this) if incoming else (this, other)
    loader = neighbour_loader(context(info), edge, source, target, incoming=incoming)
    return loader.load(node_id)


def one(
    target: NodeKind, edge: EdgeKind, *, description: str, incoming: bool = False
) -> NodeMixin | None:
    """The single node across an edge kind a node has at most once (e.g. its customer)."""

    async def resolve(self: NodeMixin, info: Ctx) -> NodeMixin | None:
        rows = await neighbours(info, edge, self.KIND, target, self.id, incoming)
        return NODE_TYPES[target].from_node(rows[0].node) if rows else None

    return strawberry.field(
        resolver=resolve, description=description, graphql_type=f"{target.value} | None"
    )


def many(
    target: NodeKind,
    edge: EdgeKind,
    *,
    description: str,
    incoming: bool = False,
    order: Callable[[Any], Any] | None = None,
) -> list[NodeMixin]:
    """The nodes across an edge kind, in the store's order or sorted by ``order``."""

    async def resolve(self: NodeMixin, info: Ctx) -> list[NodeMixin]:
        rows = await neighbours(info, edge, self.KIND, target, self.id, incoming)
        found = NODE_TYPES[target].from_nodes(r.node for r in rows)
        return found if order is None else sorted(found, key=order)

    return strawberry.field(
        resolver=resolve, description=description, graphql_type=f"list[{target.value}]"
    )


def page(
    target: NodeKind,
    edge: EdgeKind,
    *,
    description: str,
    list_name: str,
    sort: str,
    incoming: bool = False,
    descending: bool = False,
) -> Connection[NodeMixin]:
    """A Relay connection over the nodes across an edge kind, paged in memory after the
    batched load (nested connections stay one round trip per level)."""

    async def resolve(
        self: NodeMixin,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[NodeMixin]:
        rows = await neighbours(info, edge, self.KIND, target, self.id, incoming)
        nodes = [r.node for r in rows]
        found = reads.nested_page(list_name, nodes, sort, first, after, last, before, descending)
        return page_connection(NODE_TYPES[target].from_nodes(found.items), found)

    return strawberry.field(
        resolver=resolve, description=description, graphql_type=f"Connection[{target.value}]"
    )


def ties(
    shape: Callable[..., object],
    target: NodeKind,
    edge: EdgeKind,
    *,
    description: str,
    node_as: str,
    self_as: str | None = None,
    edge_as: EdgeAs | None = None,
    incoming: bool = False,
) -> list[object]:
    """The edges of a kind as ``shape`` objects: the node across the edge as ``node_as``, this
    node as ``self_as`` (if the shape shows it) and the edge's properties as ``edge_as`` makes
    them (default: every property of the edge kind, converted)."""
    fields = EDGE_SPECS[edge].fields
    convert: EdgeAs = edge_as or (lambda props: edge_attributes(fields, props))

    async def resolve(self: NodeMixin, info: Ctx) -> list[object]:
        rows = await neighbours(info, edge, self.KIND, target, self.id, incoming)
        node_type = NODE_TYPES[target]
        mine = {self_as: self} if self_as else {}
        return [
            shape(**{node_as: node_type.from_node(r.node)}, **mine, **convert(r.edge)) for r in rows
        ]

    name = getattr(shape, "__name__", "")
    return strawberry.field(resolver=resolve, description=description, graphql_type=f"list[{name}]")
