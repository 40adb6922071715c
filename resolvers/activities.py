"""Activity use cases: recording, correcting and deleting a contact, with the check that a
result (outcome, reactions) belongs only to an activity that has happened.

A contact about a deal is what its idle rule and several required actions read, and a contact
about no deal is read so by every deal whose decision chain holds one of its people: each write
checks those deals' violations right after it (``process.detect_after_write``), so a visit
logged resolves the idle violation at once, not at the next sweep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from domain.errors import at_positions, bad_input
from domain.model import EdgeKind, NodeKind
from domain.records import ActivityRecord
from graph.store import Node
from resolvers import process, writes
from resolvers.context import RequestContext
from resolvers.violations import CONTACT_RULES


def record(
    ctx: RequestContext,
    props: Mapping[str, Any],
    person_ids: Sequence[str],
    member_ids: Sequence[str],
    opportunity_id: str | None,
) -> ActivityRecord:
    """Log an activity with visible people; a result for a time still to come is refused."""
    writes.require_writer(ctx)
    refuse_far_ahead(ctx, props.get("occurred_at"))
    process.refuse_future_result(ctx, props.get("occurred_at"), props)
    _refuse_leavers(ctx, member_ids, props.get("occurred_at"))
    refs = [(NodeKind.KEY_PERSON, p, at) for p, at in at_positions("personIds", person_ids)]
    refs += [(NodeKind.TEAM_MEMBER, m, at) for m, at in at_positions("memberIds", member_ids)]
    if opportunity_id is not None:
        refs.append((NodeKind.OPPORTUNITY, opportunity_id, "opportunityId"))
    writes.require_visible(ctx, refs)
    logged = ctx.store.log_activity(
        props,
        person_ids=person_ids,
        member_ids=member_ids,
        opportunity_id=opportunity_id,
        actor=ctx.actor,
    )
    process.detect_after_writes(ctx, _deals(ctx, opportunity_id, person_ids), CONTACT_RULES)
    return logged


def correct(
    ctx: RequestContext, activity_id: str, changes: Mapping[str, Any], version: int
) -> Node:
    """Correct a recorded activity, or move a planned one (its kind and time too); a result
    for a time still to come is refused, and so is moving one whose result is recorded there."""
    writes.require_writer(ctx)
    current = writes.get_node(ctx, NodeKind.ACTIVITY, activity_id)
    when = changes.get("occurred_at", current.get("occurred_at"))
    if "occurred_at" in changes:
        refuse_far_ahead(ctx, when)
    process.refuse_future_result(ctx, when, changes)
    if "occurred_at" in changes:
        process.refuse_moving_a_result_ahead(ctx, when, current, changes)
        done_by = _neighbours(ctx, EdgeKind.DID, NodeKind.TEAM_MEMBER, activity_id, incoming=True)
        _refuse_leavers(ctx, done_by, when)
    corrected = writes.update_node(ctx, NodeKind.ACTIVITY, activity_id, changes, version)
    process.detect_after_writes(ctx, _deals_of(ctx, activity_id), CONTACT_RULES)
    return corrected


PLAN_HORIZON_DAYS: Final = 366
"""How far ahead a contact may be planned: one planned years out is a year mistyped (2062 for
2026), and as the person's next planned contact it would hide the real one."""


def refuse_far_ahead(ctx: RequestContext, occurred_at: object) -> None:
    """A contact planned more than ``PLAN_HORIZON_DAYS`` ahead is refused at its time."""
    if not isinstance(occurred_at, int) or isinstance(occurred_at, bool):
        return
    now = datetime.fromtimestamp(ctx.store.clock() / 1000, UTC)
    last = now + timedelta(days=PLAN_HORIZON_DAYS)
    if occurred_at > int(last.timestamp() * 1000):
        day = last.date().isoformat()
        raise bad_input(
            "occurred_at",
            f"at most a year ahead (by {day}): is the year right?",
            f"最晚为{day}（一年内）：年份是否有误？",
        )


def _refuse_leavers(ctx: RequestContext, member_ids: Sequence[str], occurred_at: object) -> None:
    """Nobody takes part in a contact after they left (a planned one included); one they made
    before leaving may still be logged late."""
    if not member_ids or not isinstance(occurred_at, int):
        return
    found = ctx.store.get_many(NodeKind.TEAM_MEMBER, list(member_ids))
    for member_id, at in at_positions("memberIds", member_ids):
        member = found.get(member_id)
        left = member.get("left_at") if member is not None else None
        if member is not None and left is not None and occurred_at >= int(left):
            writes.refuse_if_left(member, at)


def delete(ctx: RequestContext, activity_id: str, version: int | None) -> None:
    """Delete a recorded activity (the deals it counted for are read first: its ties are gone
    after)."""
    writes.require_writer(ctx)
    deals = _deals_of(ctx, activity_id)
    writes.delete_node(ctx, NodeKind.ACTIVITY, activity_id, version, cascade=False)
    process.detect_after_writes(ctx, deals, CONTACT_RULES)


def _deals_of(ctx: RequestContext, activity_id: str) -> list[str]:
    """The deals a recorded activity counts for (``_deals``)."""
    about = _neighbours(ctx, EdgeKind.ABOUT, NodeKind.OPPORTUNITY, activity_id)
    if about:
        return about
    return _deals(ctx, None, _neighbours(ctx, EdgeKind.WITH, NodeKind.KEY_PERSON, activity_id))


def _neighbours(
    ctx: RequestContext, edge: EdgeKind, kind: NodeKind, activity_id: str, *, incoming: bool = False
) -> list[str]:
    """The ids across ``edge`` from the activity (``incoming``: the edges that end at it)."""
    if incoming:
        found = ctx.store.neighbours(edge, kind, NodeKind.ACTIVITY, [activity_id], incoming=True)
    else:
        found = ctx.store.neighbours(edge, NodeKind.ACTIVITY, kind, [activity_id])
    return [str(n.node["id"]) for n in found.get(activity_id) or []]


def _deals(ctx: RequestContext, opportunity_id: str | None, person_ids: Sequence[str]) -> list[str]:
    """The deals a contact counts for: the one it is about, or when about none, every open deal
    whose decision chain holds one of its people (their chains read it as a contact)."""
    if opportunity_id is not None:
        return [opportunity_id]
    if not person_ids:
        return []
    return process.open_deals_tied(ctx, EdgeKind.IN_DECISION_CHAIN, NodeKind.KEY_PERSON, person_ids)
