"""Read glue: page requests to store lists, nested lists, org charts and decision chains."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import not_found
from domain.model import NodeKind
from domain.vocabulary import ActivityType
from graph.chains import OrgChart, load_org_chart
from graph.store import sort_default, sort_key
from resolvers.context import RequestContext
from resolvers.pagination import (
    PageResult,
    list_tag,
    page_request,
    paginate,
    paginate_in_memory,
)
from strategy.playbook import default_playbook, play_activity_type, play_title
from strategy.rationale import stored_rationale

__all__ = [
    "PageResult",
    "item_activity_type",
    "item_rationale",
    "item_title",
    "list_page",
    "nested_page",
    "org_chart",
]


def item_title(ctx: RequestContext, action: str | None, stored: str) -> str:
    """A work plan item's title for this reader: its play's title in their language while it
    is the play's (whoever accepted the suggestion may speak another), a typed one as typed."""
    return play_title(action, stored).in_(ctx.locale)


def item_activity_type(action: str | None) -> ActivityType | None:
    """The kind of contact a work plan item's play is (None for a step typed by hand)."""
    return play_activity_type(action)


def item_owed(action: str | None) -> bool:
    """Whether a work plan item's play is owed by the process (a duty or the delivery review):
    dropped, it is suggested again at once, so it cannot be put off to a day."""
    return action is not None and action in default_playbook().owed_plays


def item_rationale(ctx: RequestContext, stored: str | None, clauses: str | None) -> str | None:
    """A work plan item's rationale for this reader: in their language while it is the one
    its play gave (whoever accepted the suggestion may speak another), a typed one as typed."""
    text = stored_rationale(stored, clauses)
    return None if text is None else text.in_(ctx.locale)


async def list_page(
    ctx: RequestContext,
    kind: NodeKind,
    *,
    filters: Mapping[str, Any],
    sort: str,
    descending: bool,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageResult:
    """One page of a top-level list, keyset-paginated in the store (one round trip)."""
    tag = list_tag(kind.value, sort, descending)
    request = page_request(first, after, last, before, tag, sort_default(kind, sort))

    def fetch(
        backwards: bool, cursor: tuple[Any, str] | None, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        page = ctx.store.list_page(
            kind,
            filters=filters,
            sort=sort,
            descending=descending != backwards,
            after=cursor,
            limit=limit,
            scope=ctx.scope,
        )
        return page.items, page.total

    return await ctx.run(paginate, request, fetch, lambda node: sort_key(kind, sort, node))


def nested_page(
    list_name: str,
    items: list[dict[str, Any]],
    sort: str,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    descending: bool = False,
) -> PageResult:
    """A page of a list a loader already fetched (nested connections stay batched); instants
    (``*_at``, epoch ms) sort as numbers, everything else as text."""
    tag = list_tag(list_name, sort, descending)
    instants = sort.endswith("_at")
    request = page_request(first, after, last, before, tag, 0 if instants else "")
    if instants:
        return paginate_in_memory(request, items, lambda node: int(node.get(sort) or 0), descending)
    return paginate_in_memory(request, items, lambda node: str(node.get(sort) or ""), descending)


async def org_chart(ctx: RequestContext, customer_id: str) -> OrgChart:
    """A visible customer's org chart, or NOT_FOUND."""
    chart = await ctx.run(load_org_chart, ctx.store, customer_id, scope=ctx.scope)
    if chart is None:
        raise not_found("Customer")
    return chart
