"""The violation use cases: the rules of ``strategy.tas`` decide, the store only stores.

A sweep checks every open opportunity; a write that may break the process checks its own
deal afterwards. Either way the findings are upserted by key in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import process_store as ps
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.store import GraphStore
from resolvers.process_records import load_deal_states, violation_fields
from strategy.tas import ProcessDefinition, ViolationFinding, ViolationRule, detect_violations


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one sweep saw: deals checked, findings now, and the keys that were new."""

    checked: int
    findings: tuple[ViolationFinding, ...]
    new_keys: tuple[str, ...]


def sweep(
    store: GraphStore,
    definition: ProcessDefinition,
    *,
    actor: Actor = SYSTEM,
    scope: Scope = EVERYTHING,
) -> SweepResult:
    """Run every violation rule over the open opportunities and upsert what is found.

    Idempotent: a finding already stored (same key) only gets ``last_seen_at`` refreshed.
    One write statement, with one audit entry for the whole sweep.
    """
    ids = ps.opportunity_ids(store, open_only=True, scope=scope)
    states = load_deal_states(store, ids, scope=scope)
    now = store.clock()
    findings: list[ViolationFinding] = []
    for deal in states.values():
        findings += detect_violations(definition, deal.violation_facts(now), now)
    new = ps.upsert_violations(
        store,
        [violation_fields(f) for f in findings],
        operation="violations_sweep",
        target_id="sweep",
        checked=len(states),
    )
    return SweepResult(len(states), tuple(findings), new)


def detect_on_write(
    store: GraphStore,
    definition: ProcessDefinition,
    opportunity_id: str,
    *,
    rules: frozenset[ViolationRule] | None = None,
    actor: Actor = SYSTEM,
) -> tuple[str, ...]:
    """After a write that may break the process, record its new violations (if any).

    Writes nothing (and no audit entry) when there is nothing new; otherwise one statement
    with one audit entry of operation ``violations_detect``.
    """
    found = load_deal_states(store, [opportunity_id])
    if opportunity_id not in found:
        return ()
    now = store.clock()
    findings = [
        f
        for f in detect_violations(definition, found[opportunity_id].violation_facts(now), now)
        if rules is None or f.rule in rules
    ]
    if not findings or not {f.key for f in findings} - ps.existing_violation_keys(
        store, [f.key for f in findings]
    ):
        return ()
    return ps.upsert_violations(
        store,
        [violation_fields(f) for f in findings],
        operation="violations_detect",
        target_id=opportunity_id,
        checked=1,
        actor=actor,
    )
