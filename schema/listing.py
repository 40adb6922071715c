"""The Query root's list fields, each declared once: node kind, filter input, default order
and how its filter's fields become the store's conditions. Every list takes the same arguments
(filter, orderBy, direction, Relay paging) and costs one store round trip.

No ``from __future__ import annotations`` here on purpose: a list field's filter and order
types differ per kind, so the resolver's annotations are set from the declaration before
strawberry reads its signature."""

from enum import Enum
from typing import Any

import strawberry

from domain.model import NodeKind
from resolvers import reads
from schema.common import Connection
from schema.inputs import Direction, conditions_of
from schema.nodes import NODE_TYPES, Ctx, connection, context


def listing[F, O: Enum](
    kind: NodeKind,
    filter_type: type[F],
    order: O,
    *,
    description: str,
    direction: Direction = Direction.ASC,
) -> Connection[Any]:
    """A filtered, sorted, paged list of one node kind; ``order`` and ``direction`` are the
    defaults a request may override. Every filter field is a condition of the store's
    (``conditions_of``)."""

    async def resolve(
        self: object,
        info: Ctx,
        filter: F | None = None,
        order_by: O = order,
        direction: Direction = direction,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Any]:
        conditions = conditions_of(filter or filter_type())
        result = await reads.list_page(
            context(info),
            kind,
            filters=conditions,
            sort=order_by.value,
            descending=direction is Direction.DESC,
            first=first,
            after=after,
            last=last,
            before=before,
        )
        return connection(NODE_TYPES[kind], result)

    resolve.__annotations__ |= {"filter": filter_type | None, "order_by": type(order)}
    field: Connection[Any] = strawberry.field(
        resolver=resolve,
        description=description,
        graphql_type=Connection[NODE_TYPES[kind]],  # type: ignore[valid-type]
    )
    return field
