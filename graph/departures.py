"""A key person's departure from the customer, recorded once on the person, and its undo.

Recording it drops, in the same statement, the open steps of every deal's plan that meet them
("the key person left": never done, never deleted); the undo of a mistaken record opens those
steps again with their days. Each writes one audit entry naming the steps (``graph.replay``
plays them back for the history), and writes only while it finds exactly the steps it read.
Who holds their job now is named on the record too, once the team knows (``set_successor``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import stale
from domain.model import DEPARTURE_FIELDS, NodeKind
from domain.records import KeyPersonRecord
from domain.vocabulary import CLOSED_STAGES, DepartureKind, DropReason, WorkPlanStatus
from graph import statements as st
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore, Node

RECORD, UNDO, SUCCESSOR = "depart", "depart_undo", "successor"


@dataclass(frozen=True, slots=True)
class DeparturePlan:
    """A person and the steps a departure (or its undo) closes (or opens again)."""

    person: KeyPersonRecord
    item_ids: tuple[str, ...]
    opportunity_ids: tuple[str, ...]
    """The deals whose chain they are on: the audit entry names them, so each deal's history
    shows the departure."""
    asked_ids: tuple[str, ...] = ()
    """The open steps asking them for their successor: an undo drops them (they never left)."""


def _params(person_id: str, *, open_steps: bool, asked_play: str = "") -> dict[str, Any]:
    return {
        "id": person_id,
        "closed": [s.value for s in CLOSED_STAGES],
        "open_steps": open_steps,
        "open": WorkPlanStatus.OPEN.value,
        "cancelled": WorkPlanStatus.CANCELLED.value,
        "reason": DropReason.PERSON_LEFT.value,
        "successor": asked_play,
    }


def departure_plan(
    store: GraphStore, person_id: str, *, undo: bool = False, asked_play: str = ""
) -> DeparturePlan | None:
    """What recording (``undo``: undoing) the departure of ``person_id`` touches, with, for an
    undo, the open steps of play ``asked_play`` with them (asking for their successor); None
    for an unknown person."""
    params = _params(person_id, open_steps=not undo, asked_play=asked_play)
    rows = store.read(st.DEPARTURE_PLAN, params)
    if not rows:
        return None
    row = rows[0]
    return DeparturePlan(
        row["person"],
        tuple(sorted(row["item_ids"])),
        tuple(sorted(row["opportunity_ids"])),
        tuple(sorted(row["asked_ids"])) if undo else (),
    )


def _write(
    store: GraphStore,
    plan: DeparturePlan,
    left: dict[str, Any] | None,
    actor: Actor,
) -> KeyPersonRecord:
    """Set the person's departure to ``left`` (None: undo it) and the plan's steps with it, in
    one statement with its audit entry."""
    person_id = str(plan.person["id"])
    now = store.clock()
    recording = left is not None
    after = (
        {**(left or {}), "left_recorded_at": now} if recording else dict.fromkeys(DEPARTURE_FIELDS)
    )
    steps = {
        "status": (WorkPlanStatus.CANCELLED if recording else WorkPlanStatus.OPEN).value,
        "dropped_at": now if recording else None,
        "drop_reason": DropReason.PERSON_LEFT.value if recording else None,
    }
    changes = {
        "before": {k: plan.person.get(k) for k in DEPARTURE_FIELDS},
        "after": after,
        "item_ids": list(plan.item_ids),
        "item_after": steps,
        "opportunity_ids": list(plan.opportunity_ids),
        "asked_ids": list(plan.asked_ids),
        "asked_after": {
            "status": WorkPlanStatus.CANCELLED.value,
            "dropped_at": now,
            "drop_reason": DropReason.NOT_NEEDED.value,
        },
    }
    operation = RECORD if recording else UNDO
    audit = store.audit_entry(actor, operation, NodeKind.KEY_PERSON.value, person_id, changes, now)
    params = {
        **_params(person_id, open_steps=recording),
        "recorded_at": plan.person.get("left_recorded_at"),
        "left_on": after["left_on"],
        "how": after["left_how"],
        "to": after["left_to"],
        "left_at": after["left_recorded_at"],
        "item_status": steps["status"],
        "item_from": (WorkPlanStatus.OPEN if recording else WorkPlanStatus.CANCELLED).value,
        "item_reason": steps["drop_reason"],
        "item_ids": list(plan.item_ids),
        "asked_ids": list(plan.asked_ids),
        "not_needed": DropReason.NOT_NEEDED.value,
        "now": now,
        "audit": audit,
    }
    rows = store.write(st.SET_DEPARTURE, params)
    if not rows:
        raise stale(NodeKind.KEY_PERSON.value, plan.person)
    node: KeyPersonRecord = rows[0]["node"]
    return node


def record_departure(
    store: GraphStore,
    plan: DeparturePlan,
    *,
    left_on: str,
    how: DepartureKind,
    to: str | None,
    actor: Actor = SYSTEM,
) -> KeyPersonRecord:
    """Record that the person left on ``left_on``, ``how``, for ``to``, and drop the steps of
    ``plan``, in one statement; CONFLICT when someone recorded it or changed the steps since."""
    left = {"left_on": left_on, "left_how": how.value, "left_to": to}
    return _write(store, plan, left, actor)


def undo_departure(
    store: GraphStore, plan: DeparturePlan, *, actor: Actor = SYSTEM
) -> KeyPersonRecord:
    """Clear a mistaken record of the person's departure and open again the steps it dropped,
    in one statement; CONFLICT when it changed since ``plan`` was read."""
    return _write(store, plan, None, actor)


def set_successor(
    store: GraphStore,
    person: KeyPersonRecord,
    successor_id: str | None,
    *,
    actor: Actor = SYSTEM,
) -> KeyPersonRecord:
    """Name ``successor_id`` (None: nobody known) as holding the job ``person`` left, and when,
    in one statement with its audit entry; CONFLICT when the departure changed since it was read, or
    the successor is not one of the customer's people still there."""
    person_id = str(person["id"])
    now = store.clock()
    named_at = None if successor_id is None else now
    changes = {
        "before": {k: person.get(k) for k in ("left_successor_id", "left_successor_at")},
        "after": {"left_successor_id": successor_id, "left_successor_at": named_at},
    }
    audit = store.audit_entry(actor, SUCCESSOR, NodeKind.KEY_PERSON.value, person_id, changes, now)
    params = {
        "id": person_id,
        "recorded_at": person.get("left_recorded_at"),
        "before": person.get("left_successor_id"),
        "successor_id": successor_id,
        "named_at": named_at,
        "now": now,
        "audit": audit,
    }
    rows = store.write(st.SET_SUCCESSOR, params)
    if not rows:
        raise stale(NodeKind.KEY_PERSON.value, person)
    node: KeyPersonRecord = rows[0]["node"]
    return node


@dataclass(frozen=True, slots=True)
class SuccessorAsk:
    """A step asking one who left to introduce their successor, on one of their deals."""

    item: Node
    opportunity_id: str
    owner_id: str | None


def successor_asks(
    store: GraphStore, person_ids: Sequence[str], play: str
) -> dict[str, list[SuccessorAsk]]:
    """The steps of ``play`` with each of ``person_ids``, on every deal, oldest first: one
    round trip for them all."""
    found: dict[str, list[SuccessorAsk]] = {}
    rows = store.read(st.SUCCESSOR_ASKS, {"ids": list(person_ids), "play": play})
    for row in sorted(rows, key=lambda r: (int(r["item"].get("created_at") or 0), r["item"]["id"])):
        ask = SuccessorAsk(row["item"], str(row["opportunity_id"]), row["owner_id"])
        found.setdefault(str(row["person_id"]), []).append(ask)
    return found
