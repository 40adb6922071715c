"""An audit entry as a caller with a narrower scope reads it. A director may read the trail of
any team member, and a hand-over's entry lists everything the member held: the deals, accounts,
plan items and people outside the director's scope are left out of what he reads. So are, in a
key person's departure, the steps and deals of other teams it touched."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.model import NodeKind
from graph import departures as gd
from graph import hand_over as ho
from graph.store import Node
from resolvers.context import RequestContext


def as_seen(ctx: RequestContext, entries: Sequence[Node]) -> list[Node]:
    """``entries`` with each hand-over's and departure's lists cut to what ``ctx`` may see
    (three round trips at most, for a page holding them)."""
    if ctx.scope.everything:
        return list(entries)
    told = {
        i: json.loads(e.get("changes") or "{}")
        for i, e in enumerate(entries)
        if e.get("operation") in _LISTING
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


_LISTING = frozenset({ho.OPERATION, gd.RECORD, gd.UNDO})
"""The operations whose entries list what they touched beyond their target."""
_IDS = ("target_ids", "item_ids", "person_ids", "activity_ids", "opportunity_ids", "asked_ids")


def _cut(changes: dict[str, Any], seen: set[str]) -> dict[str, Any]:
    """A hand-over's (``graph.hand_over``) or departure's (``graph.departures``) changes naming
    only ids in ``seen``."""
    cut = {key: [i for i in changes[key] if i in seen] for key in _IDS if key in changes}
    if "teams" in changes:
        cut["teams"] = [t for t in changes["teams"] if t.get("target_id") in seen]
    if "ties" in changes:
        cut["ties"] = [t for t in changes["ties"] if t.get("person_id") in seen]
    return {**changes, **cut}
