"""Store operations for learning from outcomes: closed deals' gate snapshots, recorded play
effects, and the fitted win models (one active, each remembering the one it replaced).

Reads return plain rows; ``resolvers.calibration`` turns them into the strategy's types. Each
write is one statement with its audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from domain.errors import DomainError, ErrorCode, FieldProblem
from domain.model import RecordKind
from domain.records import WinModelRecord
from domain.vocabulary import CLOSED_STAGES, Stage
from graph import statements as st
from graph.executor import Row
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore

OPEN_STAGES = tuple(s.value for s in Stage if s not in CLOSED_STAGES)


def gate_snapshot_rows(store: GraphStore) -> list[Row]:
    """Every gate snapshot of every closed deal, with the deal's outcome (current stage)."""
    return store.read(
        st.CLOSED_GATE_SNAPSHOTS,
        {"closed": sorted(s.value for s in CLOSED_STAGES), "open": list(OPEN_STAGES)},
    )


def work_plan_item_target(store: GraphStore, item_id: str) -> Row | None:
    """The opportunity, target person, owner and play of a work plan item (None if unknown)."""
    rows = store.read(st.WORK_PLAN_ITEM_TARGET, {"id": item_id})
    return rows[0] if rows else None


def due_effect_rows(store: GraphStore, now: int) -> list[Row]:
    """Recorded plays whose observation window has ended and that are not yet observed."""
    return store.read(st.DUE_EFFECT_OBSERVATIONS, {"now": now})


def effect_rows(store: GraphStore) -> list[Row]:
    """Every observed play effect: play, buying role, closeness and attitude change."""
    return store.read(st.EFFECT_OBSERVATIONS, {})


def active_win_model(store: GraphStore) -> WinModelRecord | None:
    """The win model in force, or None while the hand-set weights are."""
    rows = store.read(st.ACTIVE_WIN_MODEL, {})
    return rows[0]["model"] if rows else None


def save_win_model(
    store: GraphStore,
    model: Mapping[str, Any],
    observations: Sequence[Mapping[str, Any]],
    *,
    actor: Actor = SYSTEM,
) -> WinModelRecord:
    """Store the observed effects and make ``model`` the active win model, in one statement."""
    now = store.clock()
    props = {**model, "id": str(uuid.uuid4()), "fitted_at": now, "active": True}
    props["actor_name"] = actor.name
    audit = store.audit_entry(
        actor,
        "calibrate",
        RecordKind.WIN_MODEL.value,
        props["id"],
        {"after": {k: v for k, v in props.items() if k not in ("reliability", "effects")}},
        now,
    )
    rows = store.write(
        st.CALIBRATE_WIN_MODEL,
        {"observations": list(observations), "model": props, "now": now, "audit": audit},
    )
    node: WinModelRecord = rows[0]["node"]
    return node


def roll_back_win_model(store: GraphStore, model_id: str, *, actor: Actor = SYSTEM) -> str | None:
    """Retire the active model ``model_id``; the one it replaced (or the hand-set weights, None)
    is in force again. CONFLICT when ``model_id`` is not the active model any more."""
    now = store.clock()
    audit = store.audit_entry(
        actor, "roll_back", RecordKind.WIN_MODEL.value, model_id, {"rolled_back_at": now}, now
    )
    rows = store.write(st.ROLL_BACK_WIN_MODEL, {"id": model_id, "now": now, "audit": audit})
    if not rows:
        raise DomainError(
            FieldProblem(
                "id",
                "this win model is not the one in force any more; reload it",
                ErrorCode.CONFLICT,
                "该胜率模型已不是当前使用的模型，请重新加载",
            )
        )
    previous = rows[0]["previous_id"]
    return str(previous) if previous else None
