"""A team member's hand-over when they leave: what they hand over, and the one statement that
hands it to their successor.

The statement moves their places on open deals' and accounts' teams, their open work plan items and
the contacts they planned to the successor, removes the key persons they knew (the relationships
leave with them), disables their logins and revokes their tokens, and marks them left, with one
audit entry that names all of it (``graph.replay`` plays it back for the history). It writes only
while it finds exactly what was read first, so the audit entry is true."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import stale
from domain.model import NodeKind
from domain.records import TeamMemberRecord
from domain.vocabulary import CLOSED_STAGES, WorkPlanStatus
from graph import statements as st
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore

OPERATION = "hand_over"


@dataclass(frozen=True, slots=True)
class TeamPlace:
    """A place on an open deal's or an account's team (a successor who has one there already
    keeps their own)."""

    target_id: str
    kind: NodeKind
    name: str
    role: str
    phase: str


@dataclass(frozen=True, slots=True)
class HandOverPlan:
    """What a member hands over to a successor."""

    member: TeamMemberRecord
    successor: TeamMemberRecord
    teams: tuple[TeamPlace, ...]
    item_ids: tuple[str, ...]
    ties: tuple[tuple[str, str | None], ...]
    """The key persons they know, with how well (person id, level)."""
    users: tuple[str, ...]
    """The names of their users who still sign in."""
    planned_ids: tuple[str, ...] = ()
    """The contacts they planned (still to come, no result yet): the successor goes instead."""


def _params(member_id: str, successor_id: str, now: int) -> dict[str, Any]:
    return {
        "id": member_id,
        "successor_id": successor_id,
        "closed": [s.value for s in CLOSED_STAGES],
        "open": WorkPlanStatus.OPEN.value,
        "now": now,
    }


def hand_over_plan(store: GraphStore, member_id: str, successor_id: str) -> HandOverPlan | None:
    """What ``member_id`` would hand over to ``successor_id``; None when either is unknown."""
    rows = store.read(st.HAND_OVER_PLAN, _params(member_id, successor_id, store.clock()))
    if not rows:
        return None
    row = rows[0]
    return HandOverPlan(
        member=row["member"],
        successor=row["successor"],
        teams=tuple(
            TeamPlace(
                str(t["target_id"]),
                NodeKind(t["kind"]),
                str(t["name"]),
                str(t["role"] or ""),
                str(t["phase"] or ""),
            )
            for t in sorted(row["teams"], key=lambda t: str(t["name"]))
        ),
        item_ids=tuple(sorted(row["item_ids"])),
        ties=tuple(sorted((str(t["id"]), t["level"]) for t in row["ties"])),
        users=tuple(sorted(row["users"])),
        planned_ids=tuple(sorted(row["planned_ids"])),
    )


def _changes(plan: HandOverPlan, now: int) -> dict[str, Any]:
    """The audit entry's changes: all the hand-over did, in ids (``audit_subjects`` reads the
    lists)."""
    return {
        "before": {"left_at": None},
        "after": {"left_at": now},
        "successor_id": plan.successor["id"],
        "teams": [{"target_id": t.target_id, "role": t.role, "phase": t.phase} for t in plan.teams],
        "target_ids": [t.target_id for t in plan.teams],
        "item_ids": list(plan.item_ids),
        "ties": [{"person_id": p, "level": level} for p, level in plan.ties],
        "person_ids": [p for p, _ in plan.ties],
        "users": list(plan.users),
        "activity_ids": list(plan.planned_ids),
    }


def hand_over(
    store: GraphStore, plan: HandOverPlan, *, version: int, actor: Actor = SYSTEM
) -> TeamMemberRecord:
    """Hand over what ``plan`` found, in one statement; CONFLICT when the member's version
    moved or what they hold changed since the plan was read."""
    now = store.clock()
    member_id = str(plan.member["id"])
    changes = _changes(plan, now)
    audit = store.audit_entry(actor, OPERATION, NodeKind.TEAM_MEMBER.value, member_id, changes, now)
    params: Mapping[str, Any] = {
        **_params(member_id, str(plan.successor["id"]), now),
        "version": version,
        "target_ids": changes["target_ids"],
        "places": [f"{t.target_id}|{t.role}|{t.phase}" for t in plan.teams],
        "item_ids": changes["item_ids"],
        "known": [f"{p}|{level or ''}" for p, level in plan.ties],
        "users": changes["users"],
        "planned_ids": changes["activity_ids"],
        "audit": audit,
    }
    rows = store.write(st.HAND_OVER, params)
    if not rows:
        raise stale(NodeKind.TEAM_MEMBER.value, plan.member)
    node: TeamMemberRecord = rows[0]["node"]
    return node
