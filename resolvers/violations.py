"""The violation use cases: the rules of ``strategy.tas`` decide, the store only stores.

A sweep checks every open opportunity; a write that may break or mend the process checks its
own deals afterwards (the process writes, and the team's everyday writes the rules read: a
contact logged, corrected or deleted, a work plan result, a tie to the deal, a person, customer
or competitor deleted, a person erased; docs/process.md lists which check which rules). Either
way the findings are upserted by key, and the open violations of the checked deals whose rule
no longer finds them are resolved, in one statement.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from domain.model import EdgeKind, NodeKind
from domain.records import ViolationRecord
from domain.text import Text
from domain.vocabulary import CLOSED_STAGES
from graph import process_store as ps
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.store import GraphStore
from resolvers.process_records import DealState, load_deal_states, violation_fields
from strategy.tas import (
    Acknowledged,
    Again,
    ProcessDefinition,
    ViolationFinding,
    ViolationRule,
    detect_violations,
    repeats,
)

CONTACT_RULES: Final = frozenset(
    {ViolationRule.OPPORTUNITY_IDLE, ViolationRule.ACTION_OVERDUE, ViolationRule.EXPERT_CONTACT}
)
"""What a contact logged, corrected or deleted can change: the deal's last contact, the
required actions that count contacts (the decision maker met, a technical exchange held …),
and a contact with a tender-evaluation expert."""
TIE_RULES: Final = frozenset({ViolationRule.ACTION_OVERDUE, ViolationRule.EXPERT_CONTACT})
"""What a deal's decision chain or competitors can change: the required actions read them, and
a person put in the chain as a tender-evaluation expert may have been met already."""
TEAM_RULES: Final = frozenset(
    {ViolationRule.ACTION_OVERDUE, ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW}
)
"""What a deal's team can change: the triangles are required actions, and a submitted quote
needs a delivery manager on the team."""
DELETE_TIES: Final = {
    NodeKind.KEY_PERSON: (EdgeKind.IN_DECISION_CHAIN, CONTACT_RULES | TIE_RULES),
    NodeKind.CUSTOMER: (EdgeKind.IN_DECISION_CHAIN, CONTACT_RULES | TIE_RULES),
    NodeKind.COMPETITOR: (EdgeKind.COMPETES_FOR, TIE_RULES),
}
"""What deleting a node can change of the deals it was tied to, and by which tie: a person
leaves the chains they sat in (the roles and needs the required actions read) and takes the
contacts with them out of those deals' counts (a contact about no deal counts for the deals of
its people); a customer takes its people with it, so the deals of other customers whose chains
hold them as external members change as for a person deleted (its own deals go with it); a
competitor leaves the deals it competed for. None changes a stage, an approval, a team or a
quote."""
ERASE_RULES: Final = TIE_RULES
"""What erasing a person can change of the deals whose chains hold them: their stated needs
are cleared (every member's needs recorded is a required action). Their roles, ties and
contacts stay, so the idle rule and the contact counts are as they were."""


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one sweep saw: deals checked, findings now, the keys that were new and the ids of
    the violations it resolved."""

    checked: int
    findings: tuple[ViolationFinding, ...]
    new_keys: tuple[str, ...]
    resolved_ids: tuple[str, ...] = ()


def _rule(code: object) -> ViolationRule | None:
    try:
        return ViolationRule(str(code))
    except ValueError:
        return None


def gone(
    stored: Iterable[ViolationRecord],
    findings: Sequence[ViolationFinding],
    checks: Callable[[ViolationRule], bool],
) -> list[ViolationRecord]:
    """The open violations whose rule was checked and found them no more: their cause is gone.

    A violation of a rule that did not run (switched off, or not this check's) stays open."""
    found = {f.key for f in findings}
    return [
        v
        for v in stored
        if v["key"] not in found and (rule := _rule(v["rule"])) is not None and checks(rule)
    ]


def _rows(
    findings: Iterable[ViolationFinding], open_now: Iterable[ViolationRecord]
) -> dict[str, dict[str, Any]]:
    """Each finding's stored properties, by key. A violation raised again and still open is
    worded as its finding is now, still saying it is a repeat (its ``again_*`` words and
    evidence), so the store can reword it without losing that."""
    again = {
        v["key"]: Again.kept(
            Text(en=v["again_en"], zh=v.get("again_zh") or ""),
            json.loads(v.get("evidence") or "{}"),
        )
        for v in open_now
        if v.get("again_en") and not v.get("repeated_at")
    }
    return {f.key: violation_fields(a.on(f) if (a := again.get(f.key)) else f) for f in findings}


def acknowledged(
    store: GraphStore, open_now: Iterable[ViolationRecord], deals: Mapping[str, DealState]
) -> list[Acknowledged]:
    """The acknowledged violations among those still open that no later one repeats, each with
    the names of who acknowledged it and who promised to put it right by a date (a recheck
    that comes due says so), a namesake among the people its deal names (``deals``, by id)
    told apart in each language."""
    judged = [v for v in open_now if v.get("acknowledged") and not v.get("repeated_at")]
    ids = {
        str(m)
        for v in judged
        for m in (v.get("acknowledged_member_id"), v.get("response_member_id"))
        if m
    }
    members = store.get_many(NodeKind.TEAM_MEMBER, sorted(ids)) if ids else {}

    found = []
    for v in judged:
        if (rule := _rule(v["rule"])) is None:
            continue
        who = {
            str(m): members[str(m)]
            for m in (v.get("acknowledged_member_id"), v.get("response_member_id"))
            if m and str(m) in members
        }
        deal = deals.get(str(v["opportunity_id"]))
        ours = deal.chain.snapshot.naming(who).ours_told_apart() if deal else {}
        named = {i: ours.get(i) or Text(str(m["name"]), str(m["name"])) for i, m in who.items()}
        at = int(v.get("acknowledged_at") or v["detected_at"])
        found.append(
            Acknowledged(
                v["id"],
                v["key"],
                rule,
                at,
                named.get(str(v.get("acknowledged_member_id"))),
                int(v.get("repeat") or 0),
                v.get("put_right_by"),
                named.get(str(v.get("response_member_id"))),
            )
        )
    return found


def sweep(
    store: GraphStore,
    definition: ProcessDefinition,
    *,
    actor: Actor = SYSTEM,
    scope: Scope = EVERYTHING,
) -> SweepResult:
    """Run every violation rule over the open opportunities, upsert what is found and resolve
    what is no longer found on them.

    Idempotent: a finding already open (same key) is not raised again, only refreshed (seen
    now, who answers for it, and its wording while unacknowledged). One write statement,
    with one audit entry for the whole sweep. Violations of closed deals are left as they
    are: a closed deal is not checked.
    """
    ids = ps.opportunity_ids(store, open_only=True, scope=scope)
    states = load_deal_states(store, ids, scope=scope)
    now = store.clock()
    findings: list[ViolationFinding] = []
    for deal in states.values():
        findings += detect_violations(definition, deal.violation_facts(now), now)
    open_now = ps.open_violations(store, list(states))
    resolved = gone(open_now, findings, definition.violations.runs)
    again = repeats(findings, acknowledged(store, open_now, states), now, definition.violations)
    rows = _rows(findings, open_now)
    for repeat in again:
        rows[repeat.finding.key] = violation_fields(repeat.finding) | {
            "repeat_of": repeat.of.id,
            "repeat": repeat.of.repeat + 1,
            "again_zh": repeat.again.text.zh,
            "again_en": repeat.again.text.en,
        }
    new = ps.upsert_violations(
        store,
        list(rows.values()),
        operation="violations_sweep",
        target_id="sweep",
        checked=len(states),
        open_now=open_now,
        resolved=resolved,
        repeated=[repeat.of.id for repeat in again],
        actor=actor,
    )
    return SweepResult(len(states), tuple(findings), new, tuple(v["id"] for v in resolved))


def detect_on_write(
    store: GraphStore,
    definition: ProcessDefinition,
    opportunity_id: str,
    *,
    rules: frozenset[ViolationRule] | None = None,
    actor: Actor = SYSTEM,
) -> tuple[str, ...]:
    """After a write that may break (or mend) the process, record its deal's new violations and
    resolve those it no longer has (``detect_on_writes`` of the one deal)."""
    return detect_on_writes(store, definition, [opportunity_id], rules=rules, actor=actor)


def detect_on_writes(
    store: GraphStore,
    definition: ProcessDefinition,
    opportunity_ids: Sequence[str],
    *,
    rules: frozenset[ViolationRule] | None = None,
    actor: Actor = SYSTEM,
    decided: bool = False,
) -> tuple[str, ...]:
    """After a write that may break (or mend) the process, record its deals' new violations
    and resolve those they no longer have.

    The deals and their open violations are read once for all of them (a person deleted may
    sit in every deal of a customer); a deal where nothing changed writes nothing, the others
    one statement each with one audit entry of operation ``violations_detect``. A deal won,
    lost or abandoned is left as it is, as ``sweep`` leaves it, unless ``decided``: the write
    was the move that decided it.
    """
    found = {
        i: deal
        for i, deal in load_deal_states(store, opportunity_ids).items()
        if decided or deal.chain.snapshot.opportunity.stage not in CLOSED_STAGES
    }
    if not found:
        return ()
    now = store.clock()

    def checks(rule: ViolationRule) -> bool:
        return definition.violations.runs(rule) and (rules is None or rule in rules)

    stored = ps.open_violations(store, list(found))
    new: tuple[str, ...] = ()
    for opportunity_id, deal in found.items():
        facts = deal.violation_facts(now)
        findings = [f for f in detect_violations(definition, facts, now) if checks(f.rule)]
        open_now = [v for v in stored if v["opportunity_id"] == opportunity_id]
        resolved = gone(open_now, findings, checks)
        fresh = {f.key for f in findings} - {str(v["key"]) for v in open_now}
        if not fresh and not resolved:
            continue
        new += ps.upsert_violations(
            store,
            list(_rows(findings, open_now).values()),
            operation="violations_detect",
            target_id=opportunity_id,
            checked=1,
            open_now=open_now,
            resolved=resolved,
            actor=actor,
        )
    return new
