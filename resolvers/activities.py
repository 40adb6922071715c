"""Activity use cases: recording and correcting a contact, with the check that a result
(outcome, reactions) belongs only to an activity that has happened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.model import NodeKind
from domain.records import ActivityRecord
from graph.store import Node
from resolvers import process, writes
from resolvers.context import RequestContext


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
    return writes.log_activity(ctx, props, person_ids, member_ids, opportunity_id)


def correct(
    ctx: RequestContext, activity_id: str, changes: Mapping[str, Any], version: int
) -> Node:
    """Correct a recorded activity; a result given for one still to come is refused."""
    writes.require_writer(ctx)
    current = writes.get_node(ctx, NodeKind.ACTIVITY, activity_id)
    process.refuse_future_result(ctx, current.get("occurred_at"), changes)
    return writes.update_node(ctx, NodeKind.ACTIVITY, activity_id, changes, version)
