"""An audit entry as a caller with a narrower scope reads it. A director may read the trail of
any team member, and a hand-over's entry lists everything the member held: the deals, accounts,
plan items and people outside the director's scope are left out of what he reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.model import NodeKind
from graph import hand_over as ho
from graph.store import Node
from resolvers.context import RequestContext


def as_seen(ctx: RequestContext, entries: Sequence[Node]) -> list[Node]:
    """``entries`` with each hand-over's lists cut to what ``ctx`` may see (three round trips
    at most, for a page holding hand-overs)."""
    if ctx.scope.everything:
        return list(entries)
    told = {
        i: json.loads(e.get("changes") or "{}")
        for i, e in enumerate(entries)
        if e.get("operation") == ho.OPERATION
    }
    if not told:
        return list(entries)
    items = sorted({i for c in told.values() for i in c.get("item_ids", ())})
    people = sorted({p for c in told.values() for p in c.get("person_ids", ())})
    contacts = sorted({a for c in told.values() for a in c.get("activity_ids", ())})
    seen = {
        *ctx.scope.opportunity_ids,
        *ctx.scope.customer_ids,
        *ctx.store.get_many(NodeKind.WORK_PLAN_ITEM, items, scope=ctx.scope),
        *ctx.store.get_many(NodeKind.KEY_PERSON, people, scope=ctx.scope),
        *ctx.store.get_many(NodeKind.ACTIVITY, contacts, scope=ctx.scope),
    }
    return [
        {**e, "changes": json.dumps(_cut(told[i], seen), ensure_ascii=False)} if i in told else e
        for i, e in enumerate(entries)
    ]


def _cut(changes: dict[str, Any], seen: set[str]) -> dict[str, Any]:
    """A hand-over's changes (``graph.hand_over``) naming only ids in ``seen``."""
    return {
        **changes,
        "teams": [t for t in changes.get("teams", ()) if t.get("target_id") in seen],
        "target_ids": [i for i in changes.get("target_ids", ()) if i in seen],
        "item_ids": [i for i in changes.get("item_ids", ()) if i in seen],
        "ties": [t for t in changes.get("ties", ()) if t.get("person_id") in seen],
        "person_ids": [p for p in changes.get("person_ids", ()) if p in seen],
        "activity_ids": [a for a in changes.get("activity_ids", ()) if a in seen],
    }
