"""Webhook endpoints and deliveries (administrators only): register, list, enable, disable,
rotate the secret, delete, and replay a delivery. See docs/webhooks.md."""

from __future__ import annotations

from typing import Any

import strawberry

from domain.webhook_events import EVENT_TYPES, delivery_error, disabled_reason, iso_time
from resolvers import webhooks as hooks
from schema.common import Refusal, payload
from schema.nodes import Ctx, context


@strawberry.type(description="An event type a webhook endpoint can subscribe to")
class WebhookEventType:
    name: str = strawberry.field(description="e.g. opportunity.stage_changed")
    description: str


@strawberry.type(description="A URL that receives signed webhook events")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(description="Subscribed event types; * is every type")
    description: str
    enabled: bool
    disabled_reason: str | None = strawberry.field(
        description="Why the endpoint is off, when the dispatcher turned it off (410 Gone)"
    )
    created_at: str = strawberry.field(description="ISO-8601 UTC")

    @classmethod
    def of(cls, row: dict[str, Any], locale: str) -> WebhookEndpoint:
        """The endpoint as ``locale``'s reader sees it."""
        return cls(
            id=strawberry.ID(str(row["id"])),
            url=str(row["url"]),
            events=list(row["events"]),
            description=str(row.get("description") or ""),
            enabled=bool(row["enabled"]),
            disabled_reason=disabled_reason(row.get("disabled_reason"), locale),
            created_at=iso_time(int(row["created_at"])),
        )


@strawberry.type(description="One event sent (or to be sent) to one endpoint")
class WebhookDelivery:
    id: strawberry.ID
    endpoint_id: strawberry.ID
    event_id: str = strawberry.field(description="The webhook-id header: stable across retries")
    event_type: str
    status: str = strawberry.field(description="pending, succeeded or failed")
    attempts: int
    last_status: int | None = strawberry.field(description="HTTP status of the last attempt")
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed, in the reader's language; the HTTP status "
        "and the network's own words are kept as they were said"
    )
    next_attempt_at: str | None
    payload: str | None = strawberry.field(description="The exact JSON body sent")

    @classmethod
    def of(cls, row: dict[str, Any], locale: str) -> WebhookDelivery:
        """The delivery as ``locale``'s reader sees it."""
        event = row.get("event") or {}
        pending = row.get("status") == "pending"
        return cls(
            id=strawberry.ID(str(row["id"])),
            endpoint_id=strawberry.ID(str(row["endpoint_id"])),
            event_id=str(row["event_id"]),
            event_type=str(row.get("event_type") or event.get("type") or ""),
            status=str(row["status"]),
            attempts=int(row.get("attempts") or 0),
            last_status=int(row["last_status"]) if row.get("last_status") else None,
            last_error=delivery_error(row.get("last_error"), locale, row.get("last_error_zh")),
            next_attempt_at=iso_time(int(row["next_attempt_at"])) if pending else None,
            payload=event.get("payload"),
        )


@strawberry.input(description="A new webhook endpoint")
class WebhookEndpointCreateInput:
    url: str = strawberry.field(description="https:// URL that receives POSTed events")
    events: list[str] = strawberry.field(description="Event types to receive (* for every type)")
    description: str = ""


@payload()
class WebhookEndpointCreatePayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret (whsec_…), shown this once only"
    )


@payload()
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None


@payload()
class WebhookEndpointSecretPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The new signing secret, shown this once only; the previous one keeps "
        "signing beside it for 24 hours",
    )


@payload()
class WebhookEndpointDeletePayload:
    deleted_id: strawberry.ID | None = None


@payload()
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = None


async def _enabled(info: Ctx, id: strawberry.ID, enabled: bool) -> WebhookEndpointPayload:
    """An endpoint turned on or off, or why not."""
    with Refusal(info) as refused:
        row = await hooks.set_enabled(context(info), str(id), enabled)
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.of(row, context(info).locale))
    return refused.payload(WebhookEndpointPayload)


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="Every event type a webhook endpoint can subscribe to")
    def webhook_event_types(self) -> list[WebhookEventType]:
        return [WebhookEventType(name=k, description=v) for k, v in EVENT_TYPES.items()]

    @strawberry.field(description="The webhook endpoints, oldest first (administrators only)")
    async def webhook_endpoints(self, info: Ctx) -> list[WebhookEndpoint]:
        ctx = context(info)
        return [WebhookEndpoint.of(row, ctx.locale) for row in await hooks.endpoints(ctx)]

    @strawberry.field(
        description="Deliveries, newest first: filter by endpoint and status (pending, "
        "succeeded, failed) to find what to replay (administrators only)"
    )
    async def webhook_deliveries(
        self,
        info: Ctx,
        endpoint_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int = 50,
    ) -> list[WebhookDelivery]:
        rows = await hooks.deliveries(
            context(info), endpoint_id=endpoint_id, status=status, first=first
        )
        return [WebhookDelivery.of(row, context(info).locale) for row in rows]


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(
        description="Register a webhook endpoint; the payload carries its signing secret, "
        "shown this once (administrators only)"
    )
    async def webhook_endpoint_create(
        self, info: Ctx, input: WebhookEndpointCreateInput
    ) -> WebhookEndpointCreatePayload:
        with Refusal(info) as refused:
            row, secret = await hooks.create_endpoint(
                context(info), input.url, input.events, input.description
            )
            return WebhookEndpointCreatePayload(
                endpoint=WebhookEndpoint.of(row, context(info).locale), secret=secret
            )
        return refused.payload(WebhookEndpointCreatePayload)

    @strawberry.mutation(description="Turn a webhook endpoint on again (administrators only)")
    async def webhook_endpoint_enable(self, info: Ctx, id: strawberry.ID) -> WebhookEndpointPayload:
        return await _enabled(info, id, True)

    @strawberry.mutation(
        description="Turn a webhook endpoint off: no new deliveries, pending ones wait "
        "(administrators only)"
    )
    async def webhook_endpoint_disable(
        self, info: Ctx, id: strawberry.ID
    ) -> WebhookEndpointPayload:
        return await _enabled(info, id, False)

    @strawberry.mutation(
        description="Give a webhook endpoint a new signing secret, shown this once "
        "(administrators only)"
    )
    async def webhook_endpoint_rotate_secret(
        self, info: Ctx, id: strawberry.ID
    ) -> WebhookEndpointSecretPayload:
        with Refusal(info) as refused:
            row, secret = await hooks.rotate_secret(context(info), str(id))
            return WebhookEndpointSecretPayload(
                endpoint=WebhookEndpoint.of(row, context(info).locale), secret=secret
            )
        return refused.payload(WebhookEndpointSecretPayload)

    @strawberry.mutation(
        description="Delete a webhook endpoint with its deliveries (administrators only)"
    )
    async def webhook_endpoint_delete(
        self, info: Ctx, id: strawberry.ID
    ) -> WebhookEndpointDeletePayload:
        with Refusal(info) as refused:
            await hooks.delete_endpoint(context(info), str(id))
            return WebhookEndpointDeletePayload(deleted_id=id)
        return refused.payload(WebhookEndpointDeletePayload)

    @strawberry.mutation(
        description="Send a failed (or delivered) delivery again now, with the same webhook-id "
        "and a fresh 3-day retry window (administrators only)"
    )
    async def webhook_delivery_retry(self, info: Ctx, id: strawberry.ID) -> WebhookDeliveryPayload:
        with Refusal(info) as refused:
            row = await hooks.retry_delivery(context(info), str(id))
            return WebhookDeliveryPayload(delivery=WebhookDelivery.of(row, context(info).locale))
        return refused.payload(WebhookDeliveryPayload)
