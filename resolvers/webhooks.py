"""Webhook endpoint and delivery use cases (administrators only).

Each is awaited by the API and runs in the thread pool (``InThread``); the role check comes
first, so a refusal writes nothing. Secrets are made here, returned once and stored sealed
with the server's key (``webhooks.sealing``); ``seal_secrets`` seals those stored before that,
and again under a new key after a key rotation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import bad_input, named, not_found
from domain.webhook_events import DISABLED_BY_ADMINISTRATOR
from graph.store import GraphStore
from graph.webhook_store import STATUSES, WebhookStore
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.pagination import require_between
from webhooks import sealing, signing
from webhooks.retry import RetryPolicy
from webhooks.sealing import SecretBox, SecretUnreadableError
from webhooks.targets import resolve_target

log = logging.getLogger("dealgraph.webhooks")

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
        named(endpoint_id, "Webhook endpoint", "endpointId")
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
    sealed = ctx.secret_box.seal(secret)
    url = url.strip()
    resolve_target(url, allow_private=ctx.webhook_private_targets)
    return hooks.create_endpoint(url, events, description, sealed, actor=ctx.actor), secret


@InThread
def set_enabled(ctx: RequestContext, endpoint_id: str, enabled: bool) -> dict[str, Any]:
    """Turn an endpoint on, or off (pending deliveries wait)."""
    hooks = _hooks(ctx)
    endpoint_id = named(endpoint_id, "Webhook endpoint")
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
    sealed = ctx.secret_box.seal(secret)
    endpoint_id = named(endpoint_id, "Webhook endpoint")
    return hooks.rotate_secret(endpoint_id, sealed, actor=ctx.actor), secret


@InThread
def delete_endpoint(ctx: RequestContext, endpoint_id: str) -> int:
    """Delete an endpoint with its deliveries."""
    hooks = _hooks(ctx)
    return hooks.delete_endpoint(named(endpoint_id, "Webhook endpoint"), actor=ctx.actor)


@InThread
def retry_delivery(ctx: RequestContext, delivery_id: str) -> dict[str, Any]:
    """Send a delivery again now with a fresh retry window; returns the delivery."""
    hooks = _hooks(ctx)
    delivery_id = named(delivery_id, "Webhook delivery")
    hooks.retry(delivery_id, RetryPolicy().window_ms, actor=ctx.actor)
    return hooks.deliveries(delivery_id=delivery_id, limit=1)[0]


@dataclass(frozen=True, slots=True)
class Sealing:
    """What one sealing pass did: secrets sealed anew, endpoints left as they were (already
    sealed with the first key, or changed meanwhile), and endpoints whose secret no key opens."""

    sealed: int = 0
    kept: int = 0
    unreadable: tuple[str, ...] = ()


def seal_secrets(store: GraphStore, box: SecretBox, *, rekey: bool = False) -> Sealing:
    """Seal the endpoints' secrets stored in plain text (every start runs this); with
    ``rekey``, also those sealed with another key than the first. Idempotent and safe beside
    other processes: an endpoint is replaced only while it still holds what was read. The
    endpoints whose current secret no key opens are named by their URL. Without a key nothing
    can be sealed or opened and nothing is done."""
    if not box.configured:
        return Sealing()
    hooks = WebhookStore(store)
    rows: list[dict[str, Any]] = []
    kept, unreadable = 0, []
    for endpoint in hooks.stored_secrets():
        current, previous = endpoint["secret"], endpoint.get("previous_secret")
        try:
            sealed = _sealed(box, current, rekey)
        except SecretUnreadableError:
            unreadable.append(str(endpoint["url"]))
            continue
        if not any(_due(box, s, rekey) for s in (current, previous)):
            kept += 1
            continue
        try:
            sealed_previous = _sealed(box, previous, rekey)
        except SecretUnreadableError:
            sealed_previous = previous  # it stops signing within a day anyway
        row = {"id": endpoint["id"], "secret": current, "previous_secret": previous}
        rows.append(row | {"sealed": sealed, "sealed_previous": sealed_previous})
    done = hooks.reseal(rows)
    if done:
        log.info("webhook signing secrets: %d endpoints sealed with the first secret key", done)
    return Sealing(done, kept + len(rows) - done, tuple(unreadable))


def _due(box: SecretBox, stored: str | None, rekey: bool) -> bool:
    """Whether a stored secret is to be sealed: a plain one always, with ``rekey`` also one
    sealed with another key than the first."""
    if not stored:
        return False
    return not sealing.is_sealed(stored) or (rekey and not box.current(stored))


def _sealed[T: (str, str | None)](box: SecretBox, stored: T, rekey: bool) -> T:
    """A stored secret sealed with the first key when it is due, else as it is;
    ``SecretUnreadableError`` when no key opens it."""
    if stored is None or box.current(stored):
        return stored
    opened = box.open(stored)
    return box.seal(opened) if _due(box, stored, rekey) else stored
