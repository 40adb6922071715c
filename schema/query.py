"""The query root: Relay node lookup, filtered and sorted lists, vocabulary, audit log."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from domain.errors import DomainError, bad_input
from domain.model import NodeKind
from domain.text import Text
from schema import enums
from schema import inputs as i
from schema.listing import listing
from schema.nodes import Ctx, context

NOT_AN_ID = Text("is not the ID of an object of this API", "不是本 API 中对象的 ID")


async def _nodes(info: Ctx, ids: list[strawberry.ID], field: str = "ids.{index}") -> list[Any]:
    """Look up every usable ID, batched per type; an unusable one cannot blank the others
    (it is an error on ``field``, which may name its index)."""
    results: list[Any] = [None] * len(ids)
    wanted: defaultdict[type[Any], list[tuple[int, str]]] = defaultdict(list)
    for index, raw in enumerate(ids):
        try:
            global_id = relay.GlobalID.from_id(raw)
            node_type = global_id.resolve_type(info)
        except GlobalIDValueError:
            # an exception as a list item: this entry is null with its error at nodes.<index>
            results[index] = bad_input(field.format(index=index), NOT_AN_ID.en, NOT_AN_ID.zh)
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


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global ID")
    async def node(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")],
    ) -> relay.Node | None:
        """Like ``nodes``: an ID that is none of this API's is refused on the argument ``id``."""
        (found,) = await _nodes(info, [id], field="id")
        if isinstance(found, DomainError):
            raise found
        return cast("relay.Node | None", found)

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

    customers = listing(
        NodeKind.CUSTOMER,
        i.CustomerFilter,
        i.CustomerOrderField.NAME,
        description="Customers, filtered and sorted; at most 100 per page",
    )
    key_persons = listing(
        NodeKind.KEY_PERSON,
        i.KeyPersonFilter,
        i.KeyPersonOrderField.NAME,
        description="Key persons, filtered and sorted",
    )
    competitors = listing(
        NodeKind.COMPETITOR,
        i.CompetitorFilter,
        i.CompetitorOrderField.NAME,
        description="Competitors, filtered and sorted",
    )
    opportunities = listing(
        NodeKind.OPPORTUNITY,
        i.OpportunityFilter,
        i.OpportunityOrderField.NAME,
        description="Opportunities, filtered and sorted",
    )
    team_members = listing(
        NodeKind.TEAM_MEMBER,
        i.TeamMemberFilter,
        i.TeamMemberOrderField.NAME,
        description="Our people, filtered and sorted",
    )
    activities = listing(
        NodeKind.ACTIVITY,
        i.ActivityFilter,
        i.ActivityOrderField.OCCURRED_AT,
        direction=i.Direction.DESC,
        description="Activities, newest first unless asked otherwise",
    )
    work_plan_items = listing(
        NodeKind.WORK_PLAN_ITEM,
        i.WorkPlanItemFilter,
        i.WorkPlanItemOrderField.DUE_DATE,
        description="Accepted work plan items of the deals you may see, soonest due first: "
        "who does what with whom, across deals",
    )

    @strawberry.field(
        description="The labels of every enum a client shows, under its name in this schema (the "
        "model's, DealHealthStatus, ViolationRule, ApprovalDecision; not the order fields, "
        "Direction, and kinds whose items carry their own text); locale defaults to "
        "Accept-Language"
    )
    def vocabulary(self, info: Ctx, locale: str | None = None) -> list[enums.Vocabulary]:
        return enums.vocabulary(locale or context(info).locale)

    @strawberry.field(
        description='The label of one enum value, e.g. label(enum: "Stage", value: '
        '"REQUIREMENTS", locale: "zh-CN"); locale defaults to Accept-Language'
    )
    def label(self, info: Ctx, enum: str, value: str, locale: str | None = None) -> str:
        return enums.label(enum, value, locale or context(info).locale)
