"""Activity use cases: recording, correcting and deleting a contact, with the check that a
result (outcome, reactions) belongs only to an activity that has happened.

A contact about a deal is what its idle rule and several required actions read: each write
checks that deal's violations right after it (``process.detect_after_write``), so a visit
logged resolves the deal's idle violation at once, not at the next sweep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
    process.refuse_future_result(ctx, props.get("occurred_at"), props)
    logged = writes.log_activity(ctx, props, person_ids, member_ids, opportunity_id)
    _check_deal(ctx, opportunity_id)
    return logged


def correct(
    ctx: RequestContext, activity_id: str, changes: Mapping[str, Any], version: int
) -> Node:
    """Correct a recorded activity; a result given for one still to come is refused."""
    writes.require_writer(ctx)
    current = writes.get_node(ctx, NodeKind.ACTIVITY, activity_id)
    process.refuse_future_result(ctx, current.get("occurred_at"), changes)
    corrected = writes.update_node(ctx, NodeKind.ACTIVITY, activity_id, changes, version)
    _check_deal(ctx, _deal_of(ctx, activity_id))
    return corrected


def delete(ctx: RequestContext, activity_id: str, version: int | None) -> None:
    """Delete a recorded activity (the deal it was about is read first: it is gone after)."""
    writes.require_writer(ctx)
    deal = _deal_of(ctx, activity_id)
    writes.delete_node(ctx, NodeKind.ACTIVITY, activity_id, version, cascade=False)
    _check_deal(ctx, deal)


def _deal_of(ctx: RequestContext, activity_id: str) -> str | None:
    """The id of the opportunity an activity is about, if any."""
    found = ctx.store.neighbours(
        EdgeKind.ABOUT, NodeKind.ACTIVITY, NodeKind.OPPORTUNITY, [activity_id]
    )
    about = found.get(activity_id) or []
    return str(about[0].node["id"]) if about else None


def _check_deal(ctx: RequestContext, opportunity_id: str | None) -> None:
    """The violations a contact can change, of the deal it is (or was) about."""
    if opportunity_id is not None:
        process.detect_after_write(ctx, opportunity_id, CONTACT_RULES)
