"""Webhook endpoints, the outbox and deliveries in the store.

Endpoint changes and replays are administrator writes with their audit entry (and no event:
``domain.webhook_events.SILENT``). The dispatcher's bookkeeping (fan-out, claims, outcomes)
locks what it changes before reading it, so several dispatchers can share the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from domain.errors import DomainError, ErrorCode, FieldProblem, not_found
from domain.text import Text
from domain.webhook_events import ALL_EVENTS, EVENT_TYPES, delimited
from graph import statements as st
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore

ENDPOINT_KIND: Final = st.WEBHOOK_ENDPOINT_LABEL
DELIVERY_KIND: Final = st.WEBHOOK_DELIVERY_LABEL
ROTATION_OVERLAP_MS: Final = 24 * 3600 * 1000
"""How long the previous secret keeps signing beside a rotated one."""
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
STATUSES: Final = (PENDING, SUCCEEDED, FAILED)


@dataclass(frozen=True, slots=True)
class Claimed:
    """One delivery leased to a dispatcher: what to send, where, signed with what (the
    secrets as stored, sealed: the dispatcher opens them)."""

    id: str
    attempt: int
    lease_until: int
    deadline_at: int
    event_id: str
    payload: str
    endpoint_id: str
    url: str
    secrets: tuple[str, ...]


def check_events(events: Sequence[str], field: str = "events") -> list[str]:
    """The subscribed event types, each from the catalogue (or ``*``), at least one."""
    wanted = list(dict.fromkeys(e.strip() for e in events))
    if not wanted:
        raise DomainError(
            FieldProblem(
                field,
                "name at least one event type",
                ErrorCode.BAD_USER_INPUT,
                "请至少指定一个事件类型",
            )
        )
    unknown = [e for e in wanted if e != ALL_EVENTS and e not in EVENT_TYPES]
    if unknown:
        raise DomainError(
            [
                FieldProblem(
                    f"{field}.{wanted.index(e)}",
                    f"{e!r} is not an event type; see webhookEventTypes (or * for every type)",
                    ErrorCode.BAD_USER_INPUT,
                    f"“{e}”不是事件类型；请查看 webhookEventTypes（或用 * 订阅全部）",
                )
                for e in unknown
            ]
        )
    return wanted


def endpoint_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """An endpoint as shown: its events as a list, never its secrets."""
    endpoint = dict(row)
    endpoint["events"] = [e for e in str(endpoint.get("events") or "").split("|") if e]
    return endpoint


def finished(
    claimed: Claimed,
    status: str,
    now: int,
    next_at: int | None = None,
    http_status: int | None = None,
    error: Text | None = None,
) -> dict[str, Any]:
    """One attempt's outcome as ``WebhookStore.finish_many`` records it, its error in both
    languages (each cut to 500 characters: a receiver's words may be long)."""
    return {
        "id": claimed.id,
        "attempts": claimed.attempt,
        "status": status,
        "next_attempt_at": next_at if next_at is not None else now,
        "last_attempt_at": now,
        "last_status": http_status if http_status is not None else 0,
        "last_error": error.en[:500] if error else "",
        "last_error_zh": error.zh[:500] if error else "",
    }


class WebhookStore:
    """Endpoints, deliveries and the dispatcher's statements over one GraphStore."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def _audit(
        self, actor: Actor, operation: str, kind: str, target: str, changes: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        now = self.store.clock()
        return now, self.store.audit_entry(actor, operation, kind, target, changes, now)

    # --- endpoints (administrators) ----------------------------------------------------------

    def create_endpoint(
        self,
        url: str,
        events: Sequence[str],
        description: str,
        secret: str,
        *,
        actor: Actor = SYSTEM,
    ) -> dict[str, Any]:
        """Register an endpoint (the URL checked by the caller) with its signing secret."""
        wanted = check_events(events)
        endpoint_id = "ep_" + uuid.uuid4().hex[:20]
        view = {"url": url, "events": wanted, "description": description}
        now, audit = self._audit(actor, "create", ENDPOINT_KIND, endpoint_id, {"after": view})
        props = {
            "id": endpoint_id,
            "url": url,
            "events": delimited(wanted),
            "description": description,
            "enabled": True,
            "enabled_since": now,
            "secret": secret,
            "created_at": now,
            "updated_at": now,
        }
        rows = self.store.write(st.CREATE_WEBHOOK_ENDPOINT, {"props": props, "audit": audit})
        return endpoint_view(rows[0]["endpoint"])

    def endpoints(self, endpoint_id: str | None = None) -> list[dict[str, Any]]:
        """Every endpoint (or the one named), oldest first, without secrets."""
        rows = self.store.read(st.LIST_WEBHOOK_ENDPOINTS, {"id": endpoint_id})
        return [endpoint_view(row["endpoint"]) for row in rows]

    def set_enabled(
        self, endpoint_id: str, enabled: bool, *, reason: str = "", actor: Actor = SYSTEM
    ) -> dict[str, Any]:
        """Enable or disable an endpoint; a disabled one gets no new deliveries and its pending
        ones wait until it is enabled again (within their retry window)."""
        operation = "enable" if enabled else "disable"
        now, audit = self._audit(actor, operation, ENDPOINT_KIND, endpoint_id, {})
        rows = self.store.write(
            st.SET_WEBHOOK_ENDPOINT_ENABLED,
            {
                "id": endpoint_id,
                "enabled": enabled,
                "reason": "" if enabled else reason,
                "now": now,
                "audit": audit,
            },
        )
        return self._one(rows, endpoint_id)

    def rotate_secret(
        self, endpoint_id: str, secret: str, *, actor: Actor = SYSTEM
    ) -> dict[str, Any]:
        """A new signing secret; the previous one keeps signing beside it for a day."""
        now, audit = self._audit(actor, "rotate_secret", ENDPOINT_KIND, endpoint_id, {})
        rows = self.store.write(
            st.ROTATE_WEBHOOK_SECRET,
            {
                "id": endpoint_id,
                "secret": secret,
                "until": now + ROTATION_OVERLAP_MS,
                "now": now,
                "audit": audit,
            },
        )
        return self._one(rows, endpoint_id)

    def delete_endpoint(self, endpoint_id: str, *, actor: Actor = SYSTEM) -> int:
        """Delete an endpoint with its deliveries; returns how many deliveries went with it."""
        _, audit = self._audit(actor, "delete", ENDPOINT_KIND, endpoint_id, {})
        rows = self.store.write(st.DELETE_WEBHOOK_ENDPOINT, {"id": endpoint_id, "audit": audit})
        if not rows:
            raise not_found("Webhook endpoint")
        return int(rows[0]["dropped"])

    def _one(self, rows: list[dict[str, Any]], endpoint_id: str) -> dict[str, Any]:
        if not rows:
            raise not_found("Webhook endpoint")
        return endpoint_view(rows[0]["endpoint"])

    # --- sealing secrets at rest ------------------------------------------------------------

    def stored_secrets(self) -> list[dict[str, Any]]:
        """Every endpoint's id with its secrets as stored (``secret``, ``previous_secret``)."""
        return [dict(row) for row in self.store.read(st.WEBHOOK_ENDPOINT_SECRETS, {})]

    def reseal(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Store new forms of endpoints' secrets (rows: ``id``, ``secret`` and ``previous_secret``
        as read, ``sealed`` and ``sealed_previous`` to store), each only while its endpoint still
        holds what was read; returns how many were replaced."""
        if not rows:
            return 0
        return len(self.store.write(st.RESEAL_WEBHOOK_SECRETS, {"rows": list(rows)}))

    # --- deliveries ------------------------------------------------------------------------

    def deliveries(
        self,
        *,
        delivery_id: str | None = None,
        endpoint_id: str | None = None,
        status: str | None = None,
        event_id: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Deliveries, newest first, with their event's type, time and payload."""
        rows = self.store.read(
            st.LIST_WEBHOOK_DELIVERIES,
            {
                "id": delivery_id,
                "endpoint_id": endpoint_id,
                "status": status,
                "event_id": event_id,
                "limit": max(0, limit),
            },
        )
        found = [dict(row["delivery"]) for row in rows]
        events = self.events([d["event_id"] for d in found])
        for delivery in found:
            delivery["event"] = events.get(str(delivery["event_id"]))
        return found

    def events(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Outbox events by id."""
        if not ids:
            return {}
        rows = self.store.read(st.WEBHOOK_EVENTS_OF, {"ids": list(dict.fromkeys(ids))})
        return {str(row["id"]): dict(row) for row in rows}

    def retry(self, delivery_id: str, window_ms: int, *, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Replay a delivery that failed (or succeeded): due now, with a fresh retry window."""
        now, audit = self._audit(actor, "retry", DELIVERY_KIND, delivery_id, {})
        rows = self.store.write(
            st.RETRY_WEBHOOK_DELIVERY,
            {"id": delivery_id, "now": now, "deadline": now + window_ms, "audit": audit},
        )
        if rows:
            return dict(rows[0]["delivery"])
        if not self.deliveries(delivery_id=delivery_id, limit=1):
            raise not_found("Webhook delivery")
        raise DomainError(
            FieldProblem(
                "id",
                "this delivery is still pending: the dispatcher is trying it",
                ErrorCode.BAD_USER_INPUT,
                "该投递仍在等待中：分发器正在重试",
            )
        )

    # --- the dispatcher's statements -------------------------------------------------------------

    def any_enabled(self) -> bool:
        """True when some endpoint is enabled (otherwise the dispatcher has nothing to do)."""
        return int(self.store.read(st.WEBHOOK_ENDPOINTS_ENABLED, {})[0]["count"]) > 0

    def fan_out(self, now: int, window_ms: int, limit: int = 500) -> tuple[int, int]:
        """Turn up to ``limit`` new events into deliveries: (events, deliveries)."""
        fresh = self.store.read(st.NEW_WEBHOOK_EVENTS, {"limit": limit})
        if not fresh:
            return 0, 0
        rows = self.store.write(
            st.FAN_OUT_WEBHOOK_EVENTS,
            {"ids": [row["id"] for row in fresh], "now": now, "window": window_ms},
        )
        if not rows:
            return 0, 0
        return int(rows[0]["events"] or 0), int(rows[0]["deliveries"] or 0)

    def prune(self, before: int, limit: int = 1_000) -> tuple[int, int]:
        """Drop the events older than ``before`` with their deliveries, unless one of those is
        pending or was attempted since: (events, deliveries), batch by batch of ``limit``."""
        events = deliveries = 0
        while True:
            rows = self.store.write(st.PRUNE_WEBHOOK_OUTBOX, {"before": before, "limit": limit})
            done = int(rows[0]["events"] or 0) if rows else 0
            events += done
            deliveries += int(rows[0]["deliveries"] or 0) if rows else 0
            if done < limit:
                return events, deliveries

    def claim(self, owner: str, now: int, lease_ms: int, limit: int) -> list[Claimed]:
        """Lease up to ``limit`` due deliveries to ``owner`` (those another dispatcher took
        in the meantime are left out)."""
        due = self.store.read(st.DUE_WEBHOOK_DELIVERIES, {"now": now, "limit": limit})
        if not due:
            return []
        rows = self.store.write(
            st.CLAIM_WEBHOOK_DELIVERIES,
            {"ids": [row["id"] for row in due], "owner": owner, "now": now, "lease": lease_ms},
        )
        claimed: list[Claimed] = []
        for row in rows:
            keys = [str(row["secret"])]
            until = row.get("previous_secret_until")
            if row.get("previous_secret") and until is not None and int(until) > now:
                keys.append(str(row["previous_secret"]))
            claimed.append(
                Claimed(
                    id=str(row["id"]),
                    attempt=int(row["attempt"]),
                    lease_until=now + lease_ms,
                    deadline_at=int(row["deadline_at"]),
                    event_id=str(row["event_id"]),
                    payload=str(row["payload"]),
                    endpoint_id=str(row["endpoint_id"]),
                    url=str(row["url"]),
                    secrets=tuple(keys),
                )
            )
        return claimed

    def finish(
        self,
        claimed: Claimed,
        owner: str,
        *,
        status: str,
        now: int,
        next_at: int | None = None,
        http_status: int | None = None,
        error: Text | None = None,
    ) -> bool:
        """Record one attempt's outcome; False when the lease was lost meanwhile."""
        row = finished(claimed, status, now, next_at, http_status, error)
        return claimed.id in self.finish_many([row], owner)

    def finish_many(self, rows: Sequence[Mapping[str, Any]], owner: str) -> set[str]:
        """Record a round's outcomes (rows of ``finished``) in one statement; returns the ids
        recorded (the others' leases were lost meanwhile)."""
        if not rows:
            return set()
        done = self.store.write(st.FINISH_WEBHOOK_ATTEMPTS, {"rows": list(rows), "owner": owner})
        return {str(row["id"]) for row in done}

    def gone(self, claimed: Claimed, owner: str, *, now: int, reason: str) -> bool:
        """The endpoint answered 410 Gone: fail the delivery and disable the endpoint."""
        rows = self.store.write(
            st.WEBHOOK_ENDPOINT_GONE,
            {
                "id": claimed.id,
                "owner": owner,
                "attempt": claimed.attempt,
                "now": now,
                "error": "410 Gone",
                "reason": reason,
            },
        )
        return bool(rows)
