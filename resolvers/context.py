"""The per-request context: the store, who is asking, what they may see, and the loaders.

Loaders are created per request so batching and caching never leak between callers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from domain.records import TeamMemberRecord
from domain.roles import Role
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.sequence import SequenceMark
from graph.store import GraphStore
from resolvers.blocking import in_thread
from webhooks.sealing import SecretBox


@dataclass
class RequestContext:
    """What every resolver of one request can reach through ``info.context``."""

    store: GraphStore
    actor: Actor = SYSTEM
    scope: Scope = EVERYTHING
    roles: frozenset[str] = frozenset({Role.ADMIN.value})
    member_id: str | None = None
    """The team member the caller's user is linked to: who acts in the sales process."""
    locale: str = "en"
    request_id: str = ""
    loaders: dict[Any, Any] = field(default_factory=dict)
    webhook_private_targets: bool = False
    """Whether webhook endpoints may target loopback and private addresses (a setting)."""
    secret_box: SecretBox = field(default_factory=SecretBox)
    """Seals webhook signing secrets with the server's keys (none: nothing can be sealed)."""
    member: TeamMemberRecord | None = None
    """The record of the caller's team member, when read with the credentials."""
    member_known: bool = False
    """Whether ``member`` came with the credentials: then the caller's member needs no store
    call (it is read afresh with every request's credentials, so never stale)."""
    sequence: SequenceMark | None = None
    """Where the audit sequence stood as the credentials were read: kept chains checked up to
    there need no round trip to be served (``resolvers.kept``)."""
    development: bool = False
    """Authentication is off (development mode): the caller may name the team member it acts
    as. Never true for a login, whatever its name or role."""

    async def run[T](self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call in the thread pool, keeping the event loop free."""
        return await in_thread(function, *args, **kwargs)

    async def once[T](self, key: tuple[object, ...], make: Callable[[], Awaitable[T]]) -> T:
        """``make()`` awaited at most once per request under ``key``: every field of the
        request that asks, concurrent ones too, awaits the same result."""
        task: asyncio.Future[T] | None = self.loaders.get(key)
        if task is None:
            task = self.loaders[key] = asyncio.ensure_future(make())
        return await task
