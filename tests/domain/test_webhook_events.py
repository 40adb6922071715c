"""The event catalogue: every audited write is an event of the catalogue or deliberately
silent, and an event's erased form keeps ids only."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from domain.model import EdgeKind, NodeKind
from domain.webhook_events import (
    EVENT_TYPES,
    SECRET_UNREADABLE,
    SILENT,
    delivery_error,
    event_type,
    events_for,
    iso_time,
)

WRITES = [
    *[(op, kind.value) for op in ("create", "update", "delete") for kind in NodeKind],
    *[(op, kind.value) for op in ("set_edge", "remove_edge") for kind in EdgeKind],
    ("advance_stage", "Opportunity"),
    ("delivery_review", "Opportunity"),
    ("quote_submit", "Opportunity"),
    ("approval_request", "Approval"),
    ("approval_decide", "Approval"),
    ("record_result", "WorkPlanItem"),
    ("erase", "KeyPerson"),
    ("violations_sweep", "Violation"),
    ("violations_detect", "Violation"),
    ("violation_respond", "Violation"),
    ("violation_send_back", "Violation"),
    ("violation_acknowledge", "Violation"),
]
"""(operation, target kind) of the audit entries the write use cases make (graph.*)."""


@pytest.mark.parametrize(("operation", "kind"), WRITES)
def test_every_business_write_has_an_event_of_the_catalogue(operation: str, kind: str) -> None:
    found = event_type(operation, kind)
    assert found in EVENT_TYPES, (operation, kind)


@pytest.mark.parametrize("kind", sorted(SILENT))
def test_security_records_make_no_event(kind: str) -> None:
    assert event_type("create", kind) is None
    assert event_type("set_edge", kind) is None


def audit(
    operation: str, kind: str, target: str, changes: Mapping[str, object]
) -> dict[str, object]:
    return {
        "id": "a1",
        "at": 1_796_000_000_123,
        "actor_id": "admin",
        "actor_name": "Admin",
        "operation": operation,
        "target_kind": kind,
        "target_id": target,
        "changes": json.dumps(changes),
    }


def test_the_payload_is_the_standard_envelope_and_its_erased_form_keeps_ids() -> None:
    changes = {"after": {"name": "Wang Li", "email": "w@example.com"}, "customer_id": "c1"}
    (event,) = events_for(audit("create", "KeyPerson", "p1", changes), {})
    body = json.loads(event["payload"])
    assert body == {
        "type": "key_person.created",
        "timestamp": "2026-11-30T00:53:20.123Z",
        "data": {
            "object": "key_person",
            "id": "p1",
            "actor": {"id": "admin", "name": "Admin"},
            **changes,
        },
    }
    assert json.loads(event["erased_payload"])["data"] == {
        "object": "key_person",
        "id": "p1",
        "customer_id": "c1",
        "erased": True,
    }
    assert event["person_ids"] == "|p1|"
    assert iso_time(0) == "1970-01-01T00:00:00.000Z"


def test_a_sweep_raises_one_event_per_new_violation_only() -> None:
    rows = [
        {"id": "v1", "key": "k1", "rule": "R", "opportunity_id": "o1", "detected_at": 5},
        {"id": "v2", "key": "k2", "rule": "R", "opportunity_id": "o1", "detected_at": 5},
    ]
    found = events_for(
        audit("violations_sweep", "Violation", "sweep", {"new": ["k2"]}), {"rows": rows}
    )
    assert [json.loads(e["payload"])["data"]["id"] for e in found] == ["v2"]


def test_a_sweep_says_which_violations_it_resolved() -> None:
    gone = [{"id": "v3", "key": "k3", "rule": "R", "opportunity_id": "o1", "detected_at": 5}]
    changes = {"new": [], "resolved": ["k3"]}
    (event,) = events_for(
        audit("violations_sweep", "Violation", "sweep", changes), {"rows": [], "resolved": gone}
    )
    body = json.loads(event["payload"])
    assert (body["type"], event["target_id"]) == ("violation.resolved", "v3")
    assert body["data"]["resolved_at"] == body["timestamp"]
    assert body["data"]["rule"] == "R"


def test_a_creator_put_on_the_team_is_an_assignment_too() -> None:
    audit = {
        "operation": "create",
        "target_kind": "Opportunity",
        "target_id": "o1",
        "at": 1_700_000_000_000,
        "actor_id": "li.na",
        "actor_name": "li.na",
        "changes": json.dumps(
            {
                "after": {"id": "o1", "name": "Cards"},
                "customer_id": "c1",
                "team": {"member_id": "m1", "role": "ACCOUNT_MANAGER", "phase": "DEAL"},
            }
        ),
    }
    created, assigned = events_for(audit, {})
    assert created["type"] == "opportunity.created"
    assert assigned["type"] == "team.assignment_changed"
    data = json.loads(assigned["payload"])["data"]
    assert (data["relationship"], data["change"], data["from_id"], data["to_id"]) == (
        "ON_TEAM",
        "set",
        "m1",
        "o1",
    )
    assert data["after"] == {"role": "ACCOUNT_MANAGER", "phase": "DEAL"}


def test_a_deliverys_error_of_ours_reads_in_the_readers_language() -> None:
    """What dealgraph says about a failed delivery follows the reader's language, as an
    endpoint's disabled reason does; what the receiving end or the network said stays as said."""
    stored = SECRET_UNREADABLE.en
    assert delivery_error(stored, "en") == stored
    assert delivery_error(stored, "zh-CN") == SECRET_UNREADABLE.zh
    assert "DEALGRAPH_SECRET_KEY" in SECRET_UNREADABLE.zh
    said = "ConnectError: [Errno 111] Connection refused"
    assert delivery_error(said, "zh-CN") == said
    assert delivery_error(None, "zh-CN") is None
