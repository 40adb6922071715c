"""DataLoaders: however many objects a list holds, one store round trip per nesting level.

Each loader batches the keys requested while one level of the query resolves and answers
them with a single statement (``get_many``, ``neighbours`` or the decision-chain load).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from domain.model import EdgeKind, NodeKind
from graph.chains import LoadedChain
from graph.store import Neighbour, Node
from resolvers.context import RequestContext
from resolvers.kept import load_chains


def request_loader[V](
    ctx: RequestContext,
    key: tuple[object, ...],
    load: Callable[[list[str]], Awaitable[Sequence[V]]],
) -> DataLoader[str, V]:
    """The request's loader under ``key``, made from ``load`` when first asked for: every
    field of the request that asks it batches into the same round trip."""
    loader: DataLoader[str, V] | None = ctx.loaders.get(key)
    if loader is None:
        loader = ctx.loaders[key] = DataLoader(load_fn=load)
    return loader


def node_loader(ctx: RequestContext, kind: NodeKind) -> DataLoader[str, Node | None]:
    """Nodes of one kind by id (None for unknown or invisible ones)."""

    async def load(ids: list[str]) -> Sequence[Node | None]:
        found = await ctx.run(lambda: ctx.store.get_many(kind, ids, scope=ctx.scope))
        return [found.get(i) for i in ids]

    return request_loader(ctx, ("node", kind), load)


def neighbour_loader(
    ctx: RequestContext,
    edge: EdgeKind,
    source: NodeKind,
    target: NodeKind,
    *,
    incoming: bool = False,
) -> DataLoader[str, list[Neighbour]]:
    """Nodes across one edge kind, for many ids at once (see ``GraphStore.neighbours``)."""

    async def load(ids: list[str]) -> Sequence[list[Neighbour]]:
        found = await ctx.run(
            ctx.store.neighbours,
            edge,
            source,
            target,
            ids,
            incoming=incoming,
            scope=ctx.scope,
        )
        return [found.get(i, []) for i in ids]

    return request_loader(ctx, ("neighbours", edge, source, target, incoming), load)


def chain_loader(
    ctx: RequestContext, *, with_connectors: bool = False
) -> DataLoader[str, LoadedChain | None]:
    """Whole decision chains by opportunity id: one statement for all of them, or only a check
    of what was written since when the chains kept by this process hold them
    (``resolvers.kept``)."""
    tokens = chain_tokens(ctx, with_connectors=with_connectors)

    async def load(ids: list[str]) -> Sequence[LoadedChain | None]:
        found = await ctx.run(
            load_chains,
            ctx.store,
            ids,
            scope=ctx.scope,
            with_connectors=with_connectors,
            seen=ctx.sequence,
        )
        tokens.update((i, kept.token) for i, kept in found.items())
        return [found[i].chain if i in found else None for i in ids]

    return request_loader(ctx, ("chain", with_connectors), load)


def chain_tokens(ctx: RequestContext, *, with_connectors: bool = False) -> dict[str, str]:
    """The token of each chain ``chain_loader`` answered in this request, by opportunity id:
    what stands for the chain's content in the key of its kept analyses."""
    key = ("chain-tokens", with_connectors)
    found: dict[str, str] = ctx.loaders.setdefault(key, {})
    return found
