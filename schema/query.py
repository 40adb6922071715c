"""The query root: Relay node lookup, filtered and sorted lists, vocabulary, audit log."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from domain.errors import bad_input
from domain.model import NodeKind
from resolvers import reads
from schema import enums
from schema import inputs as i
from schema.common import Connection
from schema.ids import optional_raw_id
from schema.nodes import (
    Activity,
    Competitor,
    Ctx,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
    connection,
    context,
)
from schema.scalars import to_epoch_ms


def _enum_values(values: list[Any] | None) -> list[str] | None:
    return None if values is None else [v.value for v in values]


async def _list(
    info: Ctx,
    kind: NodeKind,
    node_type: type[Any],
    filters: dict[str, Any],
    order: tuple[str, bool],
    page: tuple[int | None, str | None, int | None, str | None],
) -> Connection[Any]:
    first, after, last, before = page
    result = await reads.list_page(
        context(info),
        kind,
        filters=filters,
        sort=order[0],
        descending=order[1],
        first=first,
        after=after,
        last=last,
        before=before,
    )
    return connection(node_type, result)


def _not_an_id(locale: str) -> str:
    if locale.lower().startswith("zh"):
        return "不是本 API 中对象的 ID"
    return "is not the ID of an object of this API"


async def _nodes(info: Ctx, ids: list[strawberry.ID]) -> list[Any]:
    """Look up every usable ID, batched per type; an unusable one cannot blank the others."""
    results: list[Any] = [None] * len(ids)
    wanted: defaultdict[type[Any], list[tuple[int, str]]] = defaultdict(list)
    for index, raw in enumerate(ids):
        try:
            global_id = relay.GlobalID.from_id(raw)
            node_type = global_id.resolve_type(info)
        except GlobalIDValueError:
            # an exception as a list item: this entry is null with its error at nodes.<index>
            results[index] = bad_input(f"ids.{index}", _not_an_id(context(info).locale))
            continue
        wanted[node_type].append((index, global_id.node_id))

    async def lookup(node_type: type[Any], entries: list[tuple[int, str]]) -> None:
        found = await node_type.resolve_nodes(
            info=info, node_ids=[node_id for _, node_id in entries], required=False
        )
        for (index, _), node in zip(entries, found, strict=True):
            results[index] = node

    await asyncio.gather(*(lookup(t, entries) for t, entries in wanted.items()))
    return results


def _desc(direction: i.Direction) -> bool:
    return direction is i.Direction.DESC


@strawberry.type
class Query:
    node: relay.Node | None = relay.node(description="Any object by its global ID")

    @strawberry.field(
        description="Objects by global IDs, in order; null for an ID that names nothing you "
        "may see, null with an error beside it for an ID that is not one of this API"
    )
    async def nodes(
        self,
        info: Ctx,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="The IDs of the objects.")
        ],
    ) -> list[relay.Node | None]:
        return await _nodes(info, ids)

    @strawberry.field(description="Customers, filtered and sorted; at most 100 per page")
    async def customers(
        self,
        info: Ctx,
        filter: i.CustomerFilter | None = None,
        order_by: i.CustomerOrderField = i.CustomerOrderField.NAME,
        direction: i.Direction = i.Direction.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Customer]:
        f = filter or i.CustomerFilter()
        filters = {"name": f.name, "industry": f.industry, "region": f.region}
        return await _list(
            info,
            NodeKind.CUSTOMER,
            Customer,
            filters,
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(description="Key persons, filtered and sorted")
    async def key_persons(
        self,
        info: Ctx,
        filter: i.KeyPersonFilter | None = None,
        order_by: i.KeyPersonOrderField = i.KeyPersonOrderField.NAME,
        direction: i.Direction = i.Direction.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[KeyPerson]:
        f = filter or i.KeyPersonFilter()
        filters = {
            "name": f.name,
            "customer_id": optional_raw_id(f.customer_id, NodeKind.CUSTOMER, "filter.customerId"),
            "department": f.department,
            "opportunity_id": optional_raw_id(
                f.opportunity_id, NodeKind.OPPORTUNITY, "filter.opportunityId"
            ),
            "role": f.role.value if f.role else None,
            "attitude": f.attitude.value if f.attitude else None,
        }
        return await _list(
            info,
            NodeKind.KEY_PERSON,
            KeyPerson,
            filters,
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(description="Competitors, filtered and sorted")
    async def competitors(
        self,
        info: Ctx,
        filter: i.CompetitorFilter | None = None,
        order_by: i.CompetitorOrderField = i.CompetitorOrderField.NAME,
        direction: i.Direction = i.Direction.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Competitor]:
        f = filter or i.CompetitorFilter()
        return await _list(
            info,
            NodeKind.COMPETITOR,
            Competitor,
            {"name": f.name},
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(description="Opportunities, filtered and sorted")
    async def opportunities(
        self,
        info: Ctx,
        filter: i.OpportunityFilter | None = None,
        order_by: i.OpportunityOrderField = i.OpportunityOrderField.NAME,
        direction: i.Direction = i.Direction.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Opportunity]:
        f = filter or i.OpportunityFilter()
        filters = {
            "name": f.name,
            "stages": _enum_values(f.stages),
            "grades": _enum_values(f.grades),
            "customer_id": optional_raw_id(f.customer_id, NodeKind.CUSTOMER, "filter.customerId"),
            "member_id": optional_raw_id(
                f.team_member_id, NodeKind.TEAM_MEMBER, "filter.teamMemberId"
            ),
            "amount_min": f.amount_min,
            "amount_max": f.amount_max,
        }
        return await _list(
            info,
            NodeKind.OPPORTUNITY,
            Opportunity,
            filters,
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(description="Our people, filtered and sorted")
    async def team_members(
        self,
        info: Ctx,
        filter: i.TeamMemberFilter | None = None,
        order_by: i.TeamMemberOrderField = i.TeamMemberOrderField.NAME,
        direction: i.Direction = i.Direction.ASC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[TeamMember]:
        f = filter or i.TeamMemberFilter()
        filters = {"name": f.name, "role": f.role.value if f.role else None}
        return await _list(
            info,
            NodeKind.TEAM_MEMBER,
            TeamMember,
            filters,
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(description="Activities, newest first unless asked otherwise")
    async def activities(
        self,
        info: Ctx,
        filter: i.ActivityFilter | None = None,
        order_by: i.ActivityOrderField = i.ActivityOrderField.OCCURRED_AT,
        direction: i.Direction = i.Direction.DESC,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Activity]:
        f = filter or i.ActivityFilter()
        filters = {
            "person_id": optional_raw_id(f.person_id, NodeKind.KEY_PERSON, "filter.personId"),
            "opportunity_id": optional_raw_id(
                f.opportunity_id, NodeKind.OPPORTUNITY, "filter.opportunityId"
            ),
            "member_id": optional_raw_id(
                f.team_member_id, NodeKind.TEAM_MEMBER, "filter.teamMemberId"
            ),
            "types": _enum_values(f.types),
            "occurred_from": to_epoch_ms(f.occurred_from) if f.occurred_from else None,
            "occurred_to": to_epoch_ms(f.occurred_to) if f.occurred_to else None,
        }
        return await _list(
            info,
            NodeKind.ACTIVITY,
            Activity,
            filters,
            (order_by.value, _desc(direction)),
            (first, after, last, before),
        )

    @strawberry.field(
        description="Every enum of the model with its labels; locale defaults to Accept-Language"
    )
    def vocabulary(self, info: Ctx, locale: str | None = None) -> list[enums.Vocabulary]:
        return enums.vocabulary(locale or context(info).locale)

    @strawberry.field(
        description='The label of one enum value, e.g. label(enum: "Stage", value: '
        '"REQUIREMENTS", locale: "zh-CN"); locale defaults to Accept-Language'
    )
    def label(self, info: Ctx, enum: str, value: str, locale: str | None = None) -> str:
        return enums.label(enum, value, locale or context(info).locale)
