"""How the API awaits a blocking use case: one hop to the thread pool for the whole call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate

from resolvers.context import RequestContext


class InThread[**P, T]:
    """A blocking use case as the API awaits it: run in the thread pool, so the event loop
    stays free; the one hop between the API and the store for the whole use case."""

    def __init__(self, use_case: Callable[Concatenate[RequestContext, P], T]) -> None:
        self.use_case = use_case
        self.__doc__ = use_case.__doc__

    async def __call__(self, ctx: RequestContext, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await ctx.run(self.use_case, ctx, *args, **kwargs)
