"""A what-if saved as what is so: every change it tried, written in one statement or none.

Each change is written as its ordinary write would write it (a quote amount as the deal's
update, an attitude as the change of a place in the chain, a person taken off the chain, a tie,
a price heard as the pricing discussion it was) with that write's audit entry and webhook
events, in the order tried; but all of them in ``SAVE_WHAT_IF``, guarded by what the client
read, so a refusal or a colleague's change meanwhile leaves nothing half saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.model import EDGE_SPECS, EdgeKind, NodeKind, defaults
from domain.records import OpportunityRecord
from domain.webhook_events import events_for
from graph import statements as st
from graph.moves import opportunity_moves
from graph.process_store import QUOTE_RESET, quote_reset_audits
from graph.scope import Actor
from graph.store import GraphStore


@dataclass(frozen=True, slots=True)
class Talk:
    """A price heard, as the pricing discussion it was: its fields, the person, our member,
    and whether it answers a quote the what-if set before it (then it is written just after
    the quote's change, else just before: the scores read which quote it answered)."""

    props: Mapping[str, Any]
    person_id: str
    member_id: str | None
    after_quote: bool


@dataclass(slots=True)
class SavedWhatIf:
    """What a saved what-if writes, in the order tried (``steps``: the writes' audit entries
    are made in this order)."""

    opportunity: OpportunityRecord
    version: int | None = None
    """The deal's version the client read; guards the write when the quote changes."""
    quote: int | None = None
    """The new quote amount, if one was tried."""
    quote_reset: bool = False
    """Whether the new quote voids a review or a submission (``QUOTE_RESET``)."""
    quote_fields: dict[str, Any] = field(default_factory=dict)
    """Other fields the new quote sets (a first quote makes a draft)."""
    places: dict[str, int | None] = field(default_factory=dict)
    """The chain places the changes need, by person, with the version read (None: any)."""
    place_fields: dict[str, str] = field(default_factory=dict)
    """The input field that named each place's version (or its person), for a refusal."""
    attitudes: dict[str, str] = field(default_factory=dict)
    leaving: list[str] = field(default_factory=list)
    ties: dict[tuple[str, str], str] = field(default_factory=dict)
    """The level of each KNOWS tie, by (our member, key person)."""
    allies: dict[tuple[str, str], str] = field(default_factory=dict)
    """The level of each CLOSE_TO tie, by (competitor, key person)."""
    talks: list[Talk] = field(default_factory=list)
    steps: list[tuple[str, Any]] = field(default_factory=list)
    """Each change as it was tried: ("quote" | "attitude" | "leave" | "tie" | "ally" |
    "talk", its key), for its audit entry."""


def save_what_if(store: GraphStore, saved: SavedWhatIf, actor: Actor) -> OpportunityRecord | None:
    """Write the what-if in one statement; the deal as written, or None when something it
    names is no longer as read (nothing is written then)."""
    now = store.clock()
    deal = saved.opportunity
    opportunity_id = str(deal["id"])
    deal_changes: dict[str, Any] = {}
    talks: list[dict[str, Any]] = []
    made: list[tuple[Talk, dict[str, Any]]] = []
    for talk in saved.talks:
        at = now + 1 if talk.after_quote else now - 1
        props = store.new_props(NodeKind.ACTIVITY, {**talk.props, "occurred_at": at}, None)
        made.append((talk, props))
        talks.append(
            {
                "props": props,
                "person_id": talk.person_id,
                "member_ids": [talk.member_id] if talk.member_id else [],
            }
        )
    audits: list[dict[str, Any]] = []
    for step, key in saved.steps:
        audits.extend(_audits(store, saved, step, key, made, actor, now, deal_changes))
    ties = _tie_rows(saved.ties, "member_id", EdgeKind.KNOWS, now)
    allies = _tie_rows(saved.allies, "competitor_id", EdgeKind.CLOSE_TO, now)
    members = {m for m, _ in saved.ties} | {t.member_id for t in saved.talks if t.member_id}
    people = {p for _, p in saved.ties} | {p for _, p in saved.allies}
    people |= {t.person_id for t in saved.talks}
    rows = store.write(
        st.SAVE_WHAT_IF,
        {
            "opportunity_id": opportunity_id,
            "version": saved.version,
            "deal_changes": deal_changes,
            "now": now,
            "places": [{"person_id": p, "version": v} for p, v in saved.places.items()],
            "attitudes": [{"person_id": p, "attitude": a} for p, a in saved.attitudes.items()],
            "leaving": list(saved.leaving),
            "member_ids": sorted(members),
            "person_ids": sorted(people),
            "competitor_ids": sorted({c for c, _ in saved.allies}),
            "ties": ties,
            "allies": allies,
            "talks": talks,
            "audits": audits,
            "events": [e for a in audits for e in events_for(a, {})],
        },
    )
    if not rows:
        return None
    node: OpportunityRecord = rows[0]["node"]
    return node


def _tie_rows(
    ties: Mapping[tuple[str, str], str], source_key: str, edge: EdgeKind, now: int
) -> list[dict[str, Any]]:
    """The statement's rows of ties of one kind: source, person, level, and the fields a new
    tie starts with."""
    made = {**defaults(EDGE_SPECS[edge].fields), "created_at": now}
    return [
        {source_key: source, "person_id": person, "props": {"level": level}, "defaults": made}
        for (source, person), level in ties.items()
    ]


def _audits(
    store: GraphStore,
    saved: SavedWhatIf,
    step: str,
    key: Any,
    made: Sequence[tuple[Talk, dict[str, Any]]],
    actor: Actor,
    now: int,
    deal_changes: dict[str, Any],
) -> list[dict[str, Any]]:
    """The audit entries of one change, as its own write makes them (the deal's fields it
    writes are added to ``deal_changes``)."""
    deal = saved.opportunity
    opportunity_id = str(deal["id"])
    if step == "quote":
        changes = {"quote_amount": saved.quote, **saved.quote_fields}
        changed = {k: v for k, v in changes.items() if deal.get(k) != v}
        deal_changes.update(changed)
        deal_changes.update(opportunity_moves(deal, changed, now))
        if saved.quote_reset:
            deal_changes.update(QUOTE_RESET)
            return list(quote_reset_audits(store, deal, {"quote_amount": saved.quote}, actor, now))
        if not changed:
            return []
        before = {k: deal.get(k) for k in changed}
        return [
            store.audit_entry(
                actor,
                "update",
                NodeKind.OPPORTUNITY.value,
                opportunity_id,
                {"before": before, "after": changed},
                now,
            )
        ]
    if step in ("attitude", "leave"):
        link = {"from_id": key, "to_id": opportunity_id}
        if step == "attitude":
            link["after"] = {"attitude": saved.attitudes[key]}
        operation = "set_edge" if step == "attitude" else "remove_edge"
        return [
            store.audit_entry(
                actor,
                operation,
                EdgeKind.IN_DECISION_CHAIN.value,
                f"{key}->{opportunity_id}",
                link,
                now,
            )
        ]
    if step in ("tie", "ally"):
        source, person = key
        level = (saved.ties if step == "tie" else saved.allies)[key]
        kind = EdgeKind.KNOWS if step == "tie" else EdgeKind.CLOSE_TO
        return [
            store.audit_entry(
                actor,
                "set_edge",
                kind.value,
                f"{source}->{person}",
                {"from_id": source, "to_id": person, "after": {"level": level}},
                now,
            )
        ]
    talk, props = made[key]
    return [
        store.audit_entry(
            actor,
            "create",
            NodeKind.ACTIVITY.value,
            props["id"],
            {
                "after": props,
                "person_ids": [talk.person_id],
                "member_ids": [talk.member_id] if talk.member_id else [],
                "opportunity_id": opportunity_id,
            },
            props["created_at"],
        )
    ]
