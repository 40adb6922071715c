"""Webhook endpoint and delivery use cases (administrators only).

Each is awaited by the API and runs in the thread pool (``InThread``); the role check comes
first, so a refusal writes nothing. Secrets are made here and returned once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.errors import bad_input, not_found
from domain.webhook_events import DISABLED_BY_ADMINISTRATOR
from graph.webhook_store import STATUSES, WebhookStore
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.pagination import require_between
from webhooks import signing
from webhooks.retry import RetryPolicy
from webhooks.targets import resolve_target

WEBHOOKS = "webhooks"
MAX_DELIVERIES = 500
"""The most deliveries one answer lists."""


def _hooks(ctx: RequestContext) -> WebhookStore:
    require_role(ctx.roles, "manage", WEBHOOKS)
    return WebhookStore(ctx.store)


@InThread
def endpoints(ctx: RequestContext) -> list[dict[str, Any]]:
    """The endpoints, oldest first."""
    return _hooks(ctx).endpoints()


@InThread
def deliveries(
    ctx: RequestContext, *, endpoint_id: str | None, status: str | None, first: int
) -> list[dict[str, Any]]:
    """Deliveries, newest first, at most 500. A status, count or endpoint that cannot be
    meant is refused: an empty answer would read as "nothing failed"."""
    hooks = _hooks(ctx)
    if status is not None and status not in STATUSES:
        raise bad_input(
            "status",
            f"must be one of {', '.join(STATUSES)}",
            f"须为 {'、'.join(STATUSES)} 之一",
        )
    require_between("first", first, 0, MAX_DELIVERIES)
    if endpoint_id is not None and not hooks.endpoints(
        _named(endpoint_id, "Webhook endpoint", "endpointId")
    ):
        raise not_found("Webhook endpoint", "endpointId")
    return hooks.deliveries(endpoint_id=endpoint_id, status=status, limit=first)


@InThread
def create_endpoint(
    ctx: RequestContext, url: str, events: Sequence[str], description: str
) -> tuple[dict[str, Any], str]:
    """Register an endpoint whose address passes the target checks; returns it and its
    secret (shown once)."""
    hooks = _hooks(ctx)
    secret = signing.new_secret()
    url = url.strip()
    resolve_target(url, allow_private=ctx.webhook_private_targets)
    return hooks.create_endpoint(url, events, description, secret, actor=ctx.actor), secret


def _named(given: str, what: str, field: str = "id") -> str:
    """An id as sent; one with a NUL character names nothing stored (and the embedded store
    cannot take it as a parameter), so it is unknown rather than an internal error."""
    if "\x00" in given:
        raise not_found(what, field)
    return given


@InThread
def set_enabled(ctx: RequestContext, endpoint_id: str, enabled: bool) -> dict[str, Any]:
    """Turn an endpoint on, or off (pending deliveries wait)."""
    hooks = _hooks(ctx)
    endpoint_id = _named(endpoint_id, "Webhook endpoint")
    if enabled:
        return hooks.set_enabled(endpoint_id, True, actor=ctx.actor)
    return hooks.set_enabled(
        endpoint_id, False, reason=DISABLED_BY_ADMINISTRATOR.en, actor=ctx.actor
    )


@InThread
def rotate_secret(ctx: RequestContext, endpoint_id: str) -> tuple[dict[str, Any], str]:
    """A new signing secret (returned once); the previous one signs beside it for a while."""
    hooks = _hooks(ctx)
    secret = signing.new_secret()
    endpoint_id = _named(endpoint_id, "Webhook endpoint")
    return hooks.rotate_secret(endpoint_id, secret, actor=ctx.actor), secret


@InThread
def delete_endpoint(ctx: RequestContext, endpoint_id: str) -> int:
    """Delete an endpoint with its deliveries."""
    hooks = _hooks(ctx)
    return hooks.delete_endpoint(_named(endpoint_id, "Webhook endpoint"), actor=ctx.actor)


@InThread
def retry_delivery(ctx: RequestContext, delivery_id: str) -> dict[str, Any]:
    """Send a delivery again now with a fresh retry window; returns the delivery."""
    hooks = _hooks(ctx)
    delivery_id = _named(delivery_id, "Webhook delivery")
    hooks.retry(delivery_id, RetryPolicy().window_ms, actor=ctx.actor)
    return hooks.deliveries(delivery_id=delivery_id, limit=1)[0]
