"""The webhook event catalogue: which committed change is which event, and its payload.

Every write statement creates its audit entry; the same statement writes the outbox events
that ``events_for`` derives from that audit entry (and, for violations, from the rows the
statement upserts). So an event exists exactly when its change committed. The payload is fixed
when the change happens: every delivery attempt of one event sends the same bytes under the
same id (Standard Webhooks). Changes of users, tokens and who-manages-whom are security
records, not business events: they produce none (``SILENT``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from domain.text import Text

EVENT_ID_PREFIX: Final = "msg_"
ALL_EVENTS: Final = "*"
"""Subscribing to ``*`` means every event type, including ones added later."""

DISABLED_BY_ADMINISTRATOR: Final = Text("disabled by an administrator", "已被管理员停用")
ANSWERED_GONE: Final = Text("the endpoint answered 410 Gone", "端点答复 410 Gone（已不存在）")
_DISABLED_REASONS: Final = {t.en: t for t in (DISABLED_BY_ADMINISTRATOR, ANSWERED_GONE)}
"""Why an endpoint is off: stored in English, read in the reader's language."""

SECRET_UNREADABLE: Final = Text(
    "the endpoint's signing secret was sealed with a secret key this server does not have "
    "(DEALGRAPH_SECRET_KEY): rotate the endpoint's secret, or configure that key, "
    "then retry the delivery",
    "该端点的签名密钥是用本服务器没有的密钥加密保存的（DEALGRAPH_SECRET_KEY）：请轮换该端点的"
    "密钥，或配置那个密钥，然后重试投递",
)
_DELIVERY_ERRORS: Final = {t.en: t for t in (SECRET_UNREADABLE,)}
"""Errors a delivery stored in English alone, before it kept both languages: read in the
reader's language all the same."""
TARGET_REFUSED: Final = Text("target refused: {problems}", "目标地址被拒绝：{problems}")
"""The endpoint's address may not be sent to (not https, a private address)."""
NO_ANSWER_IN_TIME: Final = Text("{words}", "端点未及时答复：{words}")
NO_CONNECTION: Final = Text("{words}", "无法连接到端点：{words}")
NOT_SENT: Final = Text("{words}", "发送失败：{words}")
"""A request that got no answer; ``{words}`` is the network's own error, kept as it said it
(its English stored as before, so a client reading it finds what it always found)."""


def delivery_error(stored: str | None, locale: str, stored_zh: str | None = None) -> str | None:
    """A delivery's last error in ``locale``: each is stored in both languages (what the
    receiving end or the network said is in both as it said it); one stored in English alone
    is read in the reader's language when it is one of ours."""
    if not stored:
        return None
    if stored_zh:
        return Text(stored, stored_zh).in_(locale)
    known = _DELIVERY_ERRORS.get(stored)
    return stored if known is None else known.in_(locale)


def disabled_reason(stored: str | None, locale: str) -> str | None:
    """The stored reason an endpoint is off, in ``locale`` when it is one of ours."""
    if not stored:
        return None
    known = _DISABLED_REASONS.get(stored)
    return stored if known is None else known.in_(locale)


_OBJECTS: Final = {
    "Customer": "customer",
    "KeyPerson": "key_person",
    "Competitor": "competitor",
    "Opportunity": "opportunity",
    "TeamMember": "team_member",
    "Activity": "activity",
    "WorkPlanItem": "work_plan_item",
    "Approval": "approval",
}

EVENT_TYPES: Final[dict[str, str]] = {
    "customer.created": "A customer was created (under its group company, if any)",
    "customer.updated": "A customer's fields or group company changed",
    "customer.deleted": "A customer was deleted (with its deals and people when cascaded)",
    "key_person.created": "A key person was added at a customer",
    "key_person.updated": "A key person's fields changed",
    "key_person.deleted": "A key person was deleted",
    "key_person.erased": "A key person's personal data was erased (data-subject request)",
    "competitor.created": "A competitor was created",
    "competitor.updated": "A competitor's fields changed",
    "competitor.deleted": "A competitor was deleted",
    "team_member.created": "One of our people was added",
    "team_member.updated": "One of our people changed",
    "team_member.deleted": "One of our people was removed",
    "team_member.handed_over": "One of our people left: a successor took their open deals, "
    "accounts and work plan items; their ties to key persons ended",
    "opportunity.created": "An opportunity (deal) was created",
    "opportunity.updated": "An opportunity's fields changed (a quote reset is part of it)",
    "opportunity.deleted": "An opportunity was deleted",
    "opportunity.stage_changed": "An opportunity moved to another stage (won, lost, …)",
    "opportunity.delivery_reviewed": "The delivery manager reviewed solution, workload, quote",
    "opportunity.quote_submitted": "The quote was submitted to the customer",
    "activity.created": "An activity (visit, call, demo…) was logged or planned",
    "activity.updated": "An activity changed (its outcome recorded, …)",
    "activity.deleted": "An activity was deleted",
    "work_plan_item.created": "A work plan item was added",
    "work_plan_item.updated": "A work plan item changed",
    "work_plan_item.deleted": "A work plan item was deleted",
    "work_plan_item.completed": "A work plan item's result was recorded",
    "approval.requested": "A TAS+ approval was requested",
    "approval.decided": "An approval was approved, rejected or withdrawn",
    "approval.updated": "An approval changed",
    "approval.deleted": "An approval was deleted",
    "decision_chain.member_changed": "A key person joined, changed role/attitude in, or left "
    "a deal's decision chain",
    "team.assignment_changed": "One of our people joined or left a deal's or account's team",
    "relationship.changed": "A tie between people, customers or competitors was set or "
    "removed (reports to, influences, knows, close to, competes for…)",
    "violation.raised": "A TAS+ process violation was detected (once per violation)",
    "violation.responded": "Whoever answers for a violation said what was done about it",
    "violation.sent_back": "A sales director sent a violation's response back with what it "
    "still lacks",
    "violation.acknowledged": "A violation was acknowledged with a note",
    "violation.resolved": "A check found a violation's cause gone (it stays on record)",
}
"""Every event type with what it means; docs/webhooks.md lists the same catalogue."""

SILENT: Final = frozenset({"User", "ApiToken", "MANAGES", "WebhookEndpoint", "WebhookDelivery"})
"""Target kinds whose changes are security records and produce no event."""

_OPERATIONS: Final[dict[str, str]] = {
    "advance_stage": "opportunity.stage_changed",
    "delivery_review": "opportunity.delivery_reviewed",
    "quote_submit": "opportunity.quote_submitted",
    "approval_request": "approval.requested",
    "approval_decide": "approval.decided",
    "record_result": "work_plan_item.completed",
    "hand_over": "team_member.handed_over",
    "depart": "key_person.updated",
    "depart_undo": "key_person.updated",
    "successor": "key_person.updated",
    "erase": "key_person.erased",
    "violation_respond": "violation.responded",
    "violation_send_back": "violation.sent_back",
    "violation_acknowledge": "violation.acknowledged",
}
_VERBS: Final = {"create": "created", "update": "updated", "delete": "deleted"}
_EDGE_EVENTS: Final = {
    "IN_DECISION_CHAIN": "decision_chain.member_changed",
    "ON_TEAM": "team.assignment_changed",
}
_VIOLATION_OPERATIONS: Final = frozenset({"violations_sweep", "violations_detect"})

# What an erased person's events keep: ids, kinds and the change's shape, no names or text.
_KEPT_ON_ERASURE: Final = frozenset(
    {"object", "id", "from_id", "to_id", "relationship", "change", "customer_id"}
    | {"opportunity_id", "person_ids", "member_ids"}
)


def event_type(operation: str, target_kind: str) -> str | None:
    """The event type of an audited change, or None for a change that makes no event."""
    if target_kind in SILENT:
        return None
    if operation in _OPERATIONS:
        return _OPERATIONS[operation]
    if operation in ("set_edge", "remove_edge"):
        return _EDGE_EVENTS.get(target_kind, "relationship.changed")
    if operation in _VIOLATION_OPERATIONS:
        return "violation.raised"
    obj = _OBJECTS.get(target_kind)
    verb = _VERBS.get(operation)
    if obj is None or verb is None:
        return None
    name = f"{obj}.{verb}"
    if name == "approval.created":  # an approval exists only as requested
        return "approval.requested"
    return name if name in EVENT_TYPES else None


def iso_time(epoch_ms: int) -> str:
    """Epoch milliseconds as the ISO-8601 UTC text the payload carries."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def _body(kind: str, at: int, data: Mapping[str, Any]) -> str:
    envelope = {"type": kind, "timestamp": iso_time(at), "data": data}
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _people(target_kind: str, target_id: str, changes: Mapping[str, Any]) -> list[str]:
    """The key persons an event names (their erasure rewrites it)."""
    found: list[str] = []
    if target_kind == "KeyPerson":
        found.append(target_id)
    for key in ("person_ids",):
        found += [str(p) for p in changes.get(key) or []]
    return list(dict.fromkeys(found))


def _record(
    kind: str, at: int, target_id: str, data: Mapping[str, Any], people: Sequence[str]
) -> dict[str, Any]:
    erased = {k: v for k, v in data.items() if k in _KEPT_ON_ERASURE} | {"erased": True}
    record: dict[str, Any] = {
        "id": EVENT_ID_PREFIX + uuid.uuid4().hex,
        "type": kind,
        "at": at,
        "target_id": target_id,
        "payload": _body(kind, at, data),
        "erased_payload": _body(kind, at, erased),
        "fanned_out": False,
    }
    if people:
        record["person_ids"] = delimited(people)
    return record


def delimited(values: Sequence[str]) -> str:
    """``|a|b|``: a list stored as text, matched with ``CONTAINS '|a|'`` on both back ends."""
    return "|" + "|".join(values) + "|"


def events_for(audit: Mapping[str, Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The outbox records of one audited write (none for a silent change)."""
    operation = str(audit.get("operation", ""))
    target_kind = str(audit.get("target_kind", ""))
    kind = event_type(operation, target_kind)
    if kind is None:
        return []
    at = int(audit["at"])
    target_id = str(audit.get("target_id", ""))
    raw = audit.get("changes")
    changes: dict[str, Any] = json.loads(raw) if isinstance(raw, str) and raw else {}
    if kind == "violation.raised":
        return _violations(at, target_id, changes, params)
    data: dict[str, Any] = {
        "object": _OBJECTS.get(target_kind, "relationship"),
        "id": target_id,
        "actor": {"id": audit.get("actor_id"), "name": audit.get("actor_name")},
    }
    if operation in ("set_edge", "remove_edge"):
        data["object"] = "relationship"
        data["relationship"] = target_kind
        data["change"] = "set" if operation == "set_edge" else "removed"
    data.update(changes)
    events = [_record(kind, at, target_id, data, _people(target_kind, target_id, changes))]
    team = changes.get("team")
    if operation == "create" and isinstance(team, dict):
        events.append(_creator_on_team(audit, at, target_id, team))
    return events


def _creator_on_team(
    audit: Mapping[str, Any], at: int, target_id: str, team: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``team.assignment_changed`` of a creator put on the team of what they created, as
    if the assignment had been its own write."""
    member_id = str(team.get("member_id"))
    link = f"{member_id}->{target_id}"
    data = {
        "object": "relationship",
        "id": link,
        "actor": {"id": audit.get("actor_id"), "name": audit.get("actor_name")},
        "relationship": "ON_TEAM",
        "change": "set",
        "from_id": member_id,
        "to_id": target_id,
        "after": {k: v for k, v in team.items() if k != "member_id"},
    }
    return _record("team.assignment_changed", at, link, data, ())


def _violations(
    at: int, target_id: str, changes: Mapping[str, Any], params: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One ``violation.raised`` per violation the check found for the first time, and one
    ``violation.resolved`` per open violation whose cause it found gone."""
    new = set(changes.get("new") or [])
    events: list[dict[str, Any]] = []
    for row in params.get("rows") or []:
        if row.get("key") not in new:
            continue
        data = _violation_data(row, at)
        events.append(_record("violation.raised", at, str(row.get("id")), data, ()))
    for row in params.get("resolved") or []:
        data = _violation_data(row, at) | {"resolved_at": iso_time(at)}
        events.append(_record("violation.resolved", at, str(row.get("id")), data, ()))
    return events


def _violation_data(row: Mapping[str, Any], at: int) -> dict[str, Any]:
    return {
        "object": "violation",
        "id": row.get("id"),
        "rule": row.get("rule"),
        "opportunity_id": row.get("opportunity_id"),
        "responsible_member_id": row.get("responsible_member_id"),
        "message_en": row.get("message_en"),
        "message_zh": row.get("message_zh"),
        "detected_at": iso_time(int(row.get("detected_at") or at)),
    } | (
        {"repeat_of": row["repeat_of"], "repeat": row.get("repeat")} if row.get("repeat_of") else {}
    )
