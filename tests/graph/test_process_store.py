"""TAS+ process records on the real embedded store: stage transitions, approvals with history,
delivery reviews, and every violation rule firing on a crafted deal (and not on a clean one)
through the idempotent sweep. The default process file is checked against DOMAIN.md in
``tests/strategy/tas/test_tas_process_file.py``."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import ApprovalState, Stage, TeamRole
from graph import process_store as ps
from graph import statements as st
from graph.chains import load_decision_chain
from graph.scope import Scope
from graph.store import GraphStore
from resolvers import process_records as pr
from resolvers.violations import SweepResult, detect_on_write, detect_on_writes, sweep
from strategy.tas import (
    ApprovalRecord,
    DeliveryReview,
    Transition,
    ViolationRule,
    load_process,
)

DAY = 86_400_000
DEFINITION = load_process()
AM, SM, DM, DIRECTOR = "m-am", "m-sm", "m-dm", "m-director"


def _team(store: GraphStore) -> None:
    for member_id, role in ((AM, None), (SM, None), (DM, None), (DIRECTOR, "SALES_DIRECTOR")):
        props: dict[str, Any] = {"name": member_id}
        if role:
            props["role"] = role
        store.create(NodeKind.TEAM_MEMBER, props, node_id=member_id)


def _deal(store: GraphStore, deal_id: str, *, days_in_stage: int = 0, **props: Any) -> str:
    """A deal with a full deal triangle, a decision maker in its chain and a fresh activity."""
    customer = f"{deal_id}-c"
    store.create(NodeKind.CUSTOMER, {"name": "Hospital"}, node_id=customer)
    now = store.clock()
    store.create_opportunity(
        customer,
        {"name": "Deal", "stage_entered_at": now - days_in_stage * DAY, **props},
        node_id=deal_id,
    )
    for member_id, role in (
        (AM, "ACCOUNT_MANAGER"),
        (SM, "SOLUTION_MANAGER"),
        (DM, "DELIVERY_MANAGER"),
    ):
        store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, member_id),
            (NodeKind.OPPORTUNITY, deal_id),
            {"role": role},
        )
    person = f"{deal_id}-dm"
    store.create_key_person(customer, {"name": "CIO"}, node_id=person)
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, person),
        (NodeKind.OPPORTUNITY, deal_id),
        {"role": "DECISION_MAKER"},
    )
    store.log_activity(
        {"type": "VISIT", "occurred_at": store.clock(), "summary": "met the CIO"},
        person_ids=[person],
        member_ids=[AM],
        opportunity_id=deal_id,
    )
    return deal_id


def _rules(result: SweepResult, deal_id: str) -> set[ViolationRule]:
    return {f.rule for f in result.findings if f.opportunity_id == deal_id}


def _stored_approval(
    store: GraphStore,
    deal_id: str,
    code: str,
    requester: tuple[str, TeamRole],
    decider: tuple[str, TeamRole],
) -> None:
    """An approval decided outside the rules (as an import or a direct edit could)."""
    pending = Transition(None, ApprovalState.PENDING, requester[0], (requester[1],), 1)
    record = ApprovalRecord(
        f"{deal_id}-{code}", code, deal_id, requester[0], ApprovalState.PENDING, {}, (pending,)
    )
    node = ps.request_approval(store, pr.approval_fields(record))
    assert node is not None
    decided = Transition(
        ApprovalState.PENDING, ApprovalState.APPROVED, decider[0], (decider[1],), 2
    )
    after = ApprovalRecord(
        record.id,
        code,
        deal_id,
        requester[0],
        ApprovalState.APPROVED,
        {},
        (pending, decided),
    )
    ps.decide_approval(
        store,
        node,
        state=after.state,
        history=pr.history_json(after.history),
        comment=decided.comment,
        decider_id=decider[0],
        decider_roles=[decider[1].value],
    )


@pytest.fixture
def team(store: GraphStore) -> GraphStore:
    _team(store)
    return store


def test_a_clean_deal_has_no_violation(team: GraphStore) -> None:
    deal = _deal(team, "clean")
    assert _rules(sweep(team, DEFINITION), deal) == set()


def test_stage_entered_without_its_approvals_fires_for_each_missing_one(team: GraphStore) -> None:
    deal = _deal(team, "skipped", stage=Stage.INITIATE.value)
    result = sweep(team, DEFINITION)
    keys = {f.key for f in result.findings if f.rule is ViolationRule.STAGE_WITHOUT_APPROVAL}
    assert keys == {f"STAGE_WITHOUT_APPROVAL:{deal}:1-1", f"STAGE_WITHOUT_APPROVAL:{deal}:1-2"}
    for code in ("1-1", "1-2"):
        _stored_approval(
            team, deal, code, (AM, TeamRole.ACCOUNT_MANAGER), (DIRECTOR, TeamRole.SALES_DIRECTOR)
        )
    assert ViolationRule.STAGE_WITHOUT_APPROVAL not in _rules(sweep(team, DEFINITION), deal)


def test_required_action_overdue_fires_only_after_the_limit(team: GraphStore) -> None:
    fresh = _deal(team, "fresh", days_in_stage=10)
    store_id = "overdue"
    _deal(team, store_id, days_in_stage=20)
    # Take the decision maker out of the chain: the VALIDATE action is not done.
    for deal in (fresh, store_id):
        team.remove_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, f"{deal}-dm"),
            (NodeKind.OPPORTUNITY, deal),
        )
    result = sweep(team, DEFINITION)
    assert _rules(result, store_id) == {ViolationRule.ACTION_OVERDUE}
    assert _rules(result, fresh) == set()
    finding = next(f for f in result.findings if f.opportunity_id == store_id)
    assert finding.subject == "decision_maker_identified"
    assert finding.responsible_member_id == AM


def test_quote_submitted_without_delivery_review_fires_and_a_valid_review_clears_it(
    team: GraphStore,
) -> None:
    deal = _deal(team, "quoted", quote_amount=1_000_00)
    team.update(NodeKind.OPPORTUNITY, deal, {"quote_status": "SUBMITTED"})  # e.g. an import
    assert ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW in _rules(sweep(team, DEFINITION), deal)
    opportunity = pr.load_deal_state(team, deal).facts.opportunity
    ps.record_delivery_review(
        team,
        opportunity,
        pr.review_fields(DeliveryReview(DM, team.clock(), True, 12.5, 1_000_00)),
        reviewed=True,
    )
    state = pr.load_deal_state(team, deal)
    assert state.facts.opportunity["delivery_reviewed"] is True
    assert state.facts.review is not None
    assert state.facts.review.workload_person_days == 12.5
    assert ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW not in _rules(sweep(team, DEFINITION), deal)


def test_self_approval_and_unauthorised_decider_fire_separately(team: GraphStore) -> None:
    clean = _deal(team, "ok-approval")
    _stored_approval(
        team, clean, "1-1", (AM, TeamRole.ACCOUNT_MANAGER), (DIRECTOR, TeamRole.SALES_DIRECTOR)
    )
    own = _deal(team, "self")
    _stored_approval(
        team, own, "1-1", (DIRECTOR, TeamRole.SALES_DIRECTOR), (DIRECTOR, TeamRole.SALES_DIRECTOR)
    )
    wrong = _deal(team, "wrong-role")
    _stored_approval(
        team, wrong, "1-1", (AM, TeamRole.ACCOUNT_MANAGER), (SM, TeamRole.SOLUTION_MANAGER)
    )
    result = sweep(team, DEFINITION)
    assert _rules(result, clean) == set()
    assert _rules(result, own) == {ViolationRule.SELF_APPROVAL}
    assert _rules(result, wrong) == {ViolationRule.APPROVAL_BY_UNAUTHORISED}
    unauthorised = next(f for f in result.findings if f.opportunity_id == wrong)
    assert unauthorised.responsible_member_id == SM


def test_idle_opportunity_fires_after_the_limit(team: GraphStore) -> None:
    deal = _deal(team, "idle", days_in_stage=40)
    # Its only activity is today's; move it back 40 days to make the deal idle.
    team.executor.write(
        "MATCH (a:Activity)-[:ABOUT]->(:Opportunity {id: $id}) SET a.occurred_at = $at",
        {"id": deal, "at": team.clock() - 40 * DAY},
    )
    result = sweep(team, DEFINITION)
    assert ViolationRule.OPPORTUNITY_IDLE in _rules(result, deal)
    assert ViolationRule.OPPORTUNITY_IDLE not in _rules(result, _deal(team, "busy"))


def test_sweep_is_idempotent_and_writes_one_audit_entry_per_run(team: GraphStore) -> None:
    deal = _deal(team, "repeat", stage=Stage.INITIATE.value)
    first = sweep(team, DEFINITION)
    audits = team.audit_log(None, limit=1000).total
    second = sweep(team, DEFINITION)
    assert len(first.new_keys) == 2
    assert second.new_keys == ()
    assert {f.key for f in second.findings} == {f.key for f in first.findings}
    assert ps.list_violations(team, opportunity_id=deal).total == 2
    assert team.audit_log(None, limit=1000).total == audits + 1
    entry = team.audit_log("sweep", limit=1).items[0]
    assert entry["operation"] == "violations_sweep"
    assert json.loads(entry["changes"])["new"] == []


def test_detect_on_write_records_only_new_findings(team: GraphStore) -> None:
    deal = _deal(team, "imported", stage=Stage.REQUIREMENTS.value)
    assert len(detect_on_write(team, DEFINITION, deal)) == 3  # 1-1, 1-2 and 2-1
    audits = team.audit_log(None, limit=1000).total
    assert detect_on_write(team, DEFINITION, deal) == ()
    assert team.audit_log(None, limit=1000).total == audits  # nothing new, nothing written


def test_the_deals_one_write_touched_are_read_together(team: GraphStore) -> None:
    """A person deleted may sit in every deal of a customer: their deals and open violations
    are read once for all of them, and each deal's findings are recorded on it alone."""
    one = _deal(team, "one", stage=Stage.REQUIREMENTS.value)
    deals = [one, *(_deal(team, f"more{n}", stage=Stage.REQUIREMENTS.value) for n in range(4))]
    assert len(detect_on_writes(team, DEFINITION, deals)) == 15  # 1-1, 1-2 and 2-1 of each
    for deal in deals:
        assert ps.list_violations(team, opportunity_id=deal).total == 3
        assert team.audit_log(deal, limit=1).items[0]["operation"] == "violations_detect"
    team.round_trips = 0
    assert detect_on_write(team, DEFINITION, one) == ()
    alone = team.round_trips
    team.round_trips = 0
    assert detect_on_writes(team, DEFINITION, deals) == ()
    assert team.round_trips == alone  # five deals cost what one does when nothing changed


def test_detect_on_write_resolves_what_the_write_mended(team: GraphStore) -> None:
    deal = _deal(team, "mended", stage=Stage.INITIATE.value)
    assert len(detect_on_write(team, DEFINITION, deal)) == 2  # 1-1 and 1-2
    team.executor.write("MATCH (o:Opportunity {id: $id}) SET o.stage = 'VALIDATE'", {"id": deal})
    assert detect_on_write(team, DEFINITION, deal) == ()
    assert ps.list_violations(team, opportunity_id=deal, open_only=True).total == 0
    kept = ps.list_violations(team, opportunity_id=deal, resolved=True).items
    assert len(kept) == 2
    assert all(v["resolved_at"] for v in kept)
    entry = team.audit_log(deal, limit=1).items[0]
    assert entry["operation"] == "violations_detect"
    assert len(json.loads(entry["changes"])["resolved"]) == 2
    audits = team.audit_log(None, limit=1000).total
    assert detect_on_write(team, DEFINITION, deal) == ()
    assert team.audit_log(None, limit=1000).total == audits  # nothing changed, nothing written


def test_a_check_of_other_rules_resolves_nothing(team: GraphStore) -> None:
    deal = _deal(team, "quiet", stage=Stage.INITIATE.value)
    sweep(team, DEFINITION)
    team.executor.write("MATCH (o:Opportunity {id: $id}) SET o.stage = 'VALIDATE'", {"id": deal})
    only_idle = frozenset({ViolationRule.OPPORTUNITY_IDLE})
    assert detect_on_write(team, DEFINITION, deal, rules=only_idle) == ()
    assert ps.list_violations(team, opportunity_id=deal, open_only=True).total == 2
    assert sweep(team, DEFINITION).resolved_ids != ()
    assert ps.list_violations(team, opportunity_id=deal, open_only=True).total == 0


def test_acknowledging_keeps_the_violation_and_records_the_note(team: GraphStore) -> None:
    deal = _deal(team, "ack", stage=Stage.INITIATE.value)
    sweep(team, DEFINITION)
    violation = ps.list_violations(team, opportunity_id=deal, limit=1).items[0]
    acknowledged = ps.acknowledge_violation(
        team, violation, note="approval requested late", member_id=AM
    )
    assert acknowledged["acknowledged"] is True
    assert acknowledged["acknowledgement_note"] == "approval requested late"
    assert ps.list_violations(team, opportunity_id=deal).total == 2
    assert ps.list_violations(team, opportunity_id=deal, acknowledged=False).total == 1
    with pytest.raises(Exception, match="already acknowledged"):
        ps.acknowledge_violation(team, acknowledged, note="again", member_id=AM)
    # A later sweep finds the same violation again but neither duplicates nor reopens it.
    sweep(team, DEFINITION)
    assert ps.list_violations(team, opportunity_id=deal, acknowledged=True).total == 1


def test_a_response_keeps_the_violation_open_and_waits_for_an_acknowledgement(
    team: GraphStore,
) -> None:
    """Whoever answers for it responds (again, if need be): still open, now among those
    responded to; once acknowledged it takes no more responses."""
    deal = _deal(team, "respond", stage=Stage.INITIATE.value)
    sweep(team, DEFINITION)
    violation = ps.list_violations(team, opportunity_id=deal, limit=1).items[0]
    ps.respond_to_violation(team, violation, note="requested", member_id=AM)
    answered = ps.respond_to_violation(
        team, violation, note="requested, chased today", member_id=AM
    )
    assert answered["response_note"] == "requested, chased today"
    assert answered["response_member_id"] == AM
    assert answered["acknowledged"] is False
    assert ps.list_violations(team, opportunity_id=deal, open_only=True).total == 2
    assert [
        v["id"] for v in ps.list_violations(team, opportunity_id=deal, responded=True).items
    ] == [violation["id"]]
    assert ps.list_violations(team, opportunity_id=deal, responded=False).total == 1
    entries = team.audit_log(violation["id"], limit=10).items
    assert [e["operation"] for e in entries].count("violation_respond") == 2
    ps.acknowledge_violation(team, answered, note="seen", member_id=None)
    with pytest.raises(Exception, match="already acknowledged"):  # as read before: the write checks
        ps.respond_to_violation(team, answered, note="late", member_id=AM)


def test_a_response_sent_back_waits_on_who_answers_for_it_again(team: GraphStore) -> None:
    """Sent back, the response no longer waits (its note stays to read beside the director's);
    a second send-back finds nothing waiting, as the write itself checks."""
    deal = _deal(team, "send-back", stage=Stage.INITIATE.value)
    sweep(team, DEFINITION)
    violation = ps.list_violations(team, opportunity_id=deal, limit=1).items[0]
    answered = ps.respond_to_violation(team, violation, note="requested", member_id=AM)
    back = ps.send_back_violation(team, answered, note="not approved yet", member_id=None)
    assert back.get("responded_at") is None
    assert (back["response_note"], back["sent_back_note"]) == ("requested", "not approved yet")
    assert back["sent_back_at"] >= answered["responded_at"]
    assert ps.list_violations(team, opportunity_id=deal, responded=True).total == 0
    assert ps.list_violations(team, opportunity_id=deal, open_only=True).total == 2
    with pytest.raises(Exception, match="no response waiting"):
        ps.send_back_violation(team, back, note="again", member_id=None)
    with pytest.raises(Exception, match="no response waiting"):  # as read before: the write checks
        ps.send_back_violation(team, answered, note="again", member_id=None)
    entries = team.audit_log(violation["id"], limit=10).items
    assert [e["operation"] for e in entries].count("violation_send_back") == 1
    # a director sends back only the response they read: a newer one waits to be read first
    read = ps.respond_to_violation(team, back, note="requested again", member_id=AM)
    ps.respond_to_violation(team, read, note="approved by the VP", member_id=AM)
    with pytest.raises(Exception, match="a newer response came in meanwhile"):
        ps.send_back_violation(team, read, note="not yet", member_id=None)
    team.executor.write(
        "MATCH (v:Violation {id: $id}) SET v.resolved_at = $now",
        {"id": violation["id"], "now": team.clock()},
    )
    with pytest.raises(Exception, match="this violation is resolved: its cause is gone: The deal"):
        ps.send_back_violation(
            team, ps.get_violation(team, violation["id"]), note="x", member_id=None
        )


def test_a_violation_is_raised_again_once_however_many_sweeps_read_it_due(
    team: GraphStore,
) -> None:
    """Two sweeps that both read an acknowledged violation as due (one running while the other
    writes) raise it again once: the second finds it marked, refreshes the new one and marks
    nothing."""
    deal = _deal(team, "again", stage=Stage.INITIATE.value)
    sweep(team, DEFINITION)
    first = ps.list_violations(team, opportunity_id=deal, limit=10).items[0]
    ps.acknowledge_violation(team, first, note="fine for now", member_id=None)
    row = {
        k: first[k]
        for k in ("key", "rule", "opportunity_id", "subject", "message_en", "message_zh")
    }
    again = {**row, "repeat_of": first["id"], "repeat": 1}
    open_now = ps.open_violations(team, [deal])
    for _ in range(2):  # both read it as it was before either wrote
        ps.upsert_violations(
            team,
            [again],
            operation="violations_sweep",
            target_id="sweep",
            checked=1,
            open_now=open_now,
            repeated=[first["id"]],
        )
    same = [v for v in ps.open_violations(team, [deal]) if v["key"] == first["key"]]
    assert sorted((v["id"] == first["id"], bool(v.get("repeated_at"))) for v in same) == [
        (False, False),
        (True, True),
    ]
    (raised,) = [v for v in same if v["id"] != first["id"]]
    assert (raised["repeat_of"], raised["repeat"], raised["acknowledged"]) == (
        first["id"],
        1,
        False,
    )


def test_an_open_violation_is_worded_as_things_stand_until_a_director_acknowledges_it(
    team: GraphStore,
) -> None:
    """A sales director reading the list on day 45 of an idle deal expects "45 days", not the
    31 it said when first raised; what they acknowledged keeps the words they read; raised
    again, it counts on and still says it is a repeat, whether a sweep or a write's check
    words it anew."""
    deal = _deal(team, "idle", stage=Stage.INITIATE.value)

    def idle_for(days: int) -> None:
        team.executor.write(
            "MATCH (a:Activity) SET a.occurred_at = $at", {"at": team.clock() - days * DAY}
        )

    def idle() -> list[dict[str, Any]]:
        open_now = ps.open_violations(team, [deal])
        return [dict(v) for v in open_now if v["rule"] == "OPPORTUNITY_IDLE"]

    idle_for(31)
    sweep(team, DEFINITION)
    (first,) = idle()
    assert first["message_en"] == "No customer activity for 31 days (limit 30)"
    idle_for(45)
    sweep(team, DEFINITION)
    assert [(v["id"], v["message_en"]) for v in idle()] == [
        (first["id"], "No customer activity for 45 days (limit 30)")
    ]
    assert json.loads(idle()[0]["evidence"])["idle_days"] == 45
    assert "45 天" in idle()[0]["message_zh"]

    ps.acknowledge_violation(team, idle()[0], note="the CIO is on leave", member_id=DIRECTOR)
    idle_for(52)
    sweep(team, DEFINITION)
    assert idle()[0]["message_en"] == "No customer activity for 45 days (limit 30)"  # as read

    team.executor.write(
        "MATCH (v:Violation {id: $id}) SET v.acknowledged_at = $at",
        {"id": first["id"], "at": team.clock() - 31 * DAY},
    )
    sweep(team, DEFINITION)
    (again,) = [v for v in idle() if v["id"] != first["id"]]
    suffix = again["message_en"].removeprefix("No customer activity for 52 days (limit 30)")
    assert suffix.startswith(" — raised again (1): acknowledged by m-director on ")
    idle_for(60)
    sweep(team, DEFINITION)
    (counted,) = [v for v in idle() if v["id"] == again["id"]]
    assert counted["message_en"] == "No customer activity for 60 days (limit 30)" + suffix
    evidence = json.loads(counted["evidence"])
    assert (evidence["idle_days"], evidence["repeat"], evidence["repeat_of"]) == (
        60,
        1,
        first["id"],
    )

    idle_for(66)  # and a write's check that records something else (the gates now mended)
    team.executor.write("MATCH (o:Opportunity {id: $id}) SET o.stage = 'VALIDATE'", {"id": deal})
    detect_on_write(team, DEFINITION, deal)
    (checked,) = [v for v in idle() if v["id"] == again["id"]]
    assert checked["message_en"] == "No customer activity for 66 days (limit 30)" + suffix
    assert checked["message_zh"].endswith(again["message_zh"].split("——", 1)[1])


def test_no_statement_deletes_violations_or_stage_transitions() -> None:
    """No statement deletes a node bound to these labels (bulk import may re-point their
    once-only edge, which deletes that relationship, never the record)."""
    for name, text in st.all_statements().items():
        deleted = set(re.findall(r"DELETE\s+(\w+)", text))
        for label in (st.VIOLATION_LABEL, st.TRANSITION_LABEL):
            bound = set(re.findall(rf"\(\s*(\w+)\s*:\s*{label}\b", text))
            assert not deleted & bound, f"{name} may delete {label} records"
            assert "DELETE" not in text or f"(:{label}" not in text, name


def test_stage_move_and_approval_history_are_recorded(team: GraphStore) -> None:
    deal = _deal(team, "moved")
    opportunity = pr.load_deal_state(team, deal).facts.opportunity
    moved = ps.advance_stage(
        team,
        opportunity=opportunity,
        to_stage=Stage.INITIATE,
        reason=None,
        lost_to_competitor_id=None,
        member_id=AM,
    )
    assert moved["stage"] == "INITIATE"
    assert moved["version"] == opportunity["version"] + 1
    (transition,) = ps.stage_history(team, [deal])[deal]
    assert (transition["from_stage"], transition["to_stage"]) == ("VALIDATE", "INITIATE")
    assert transition["member_id"] == AM
    assert moved["stage_entered_at"] == transition["at"]
    with pytest.raises(Exception, match="changed by someone else"):
        ps.advance_stage(
            team,
            opportunity=opportunity,  # stale version
            to_stage=Stage.REQUIREMENTS,
            reason=None,
            lost_to_competitor_id=None,
            member_id=AM,
        )
    _stored_approval(
        team, deal, "2-1", (AM, TeamRole.ACCOUNT_MANAGER), (DIRECTOR, TeamRole.SALES_DIRECTOR)
    )
    (record,) = pr.load_deal_state(team, deal).facts.approvals
    assert record.state is ApprovalState.APPROVED
    assert [t.to_state for t in record.history] == [ApprovalState.PENDING, ApprovalState.APPROVED]
    assert record.decision is not None
    assert record.decision.actor_roles == (TeamRole.SALES_DIRECTOR,)


def test_the_process_facts_of_a_scope_are_read_for_the_deals_it_names_only(
    team: GraphStore,
) -> None:
    """A caller who sees some deals: their approvals are read, the others' not even asked for.
    The ids are cut to the scope before the statement, which carries no scope list (on
    FalkorDB such a check after an UNWIND costs per deal as much as the list is long: 2.1 s
    for a director's 1,000 deals)."""
    seen, hidden = _deal(team, "seen"), _deal(team, "hidden")
    for deal in (seen, hidden):
        _stored_approval(
            team, deal, "1-1", (AM, TeamRole.ACCOUNT_MANAGER), (DIRECTOR, TeamRole.SALES_DIRECTOR)
        )
    sent: list[dict[str, Any]] = []
    read = team.read

    def spied(statement: str, params: Any) -> Any:
        sent.append(dict(params))
        return read(statement, params)

    team.read = spied  # type: ignore[method-assign]
    scope = Scope(everything=False, opportunity_ids=frozenset({seen, "elsewhere"}))
    found = ps.load_process_rows(team, [hidden, seen, seen], scope=scope)
    assert list(found) == [seen]
    assert [a["process"] for a in found[seen].approvals] == ["1-1"]
    assert sent == [{"ids": [seen]}]
    assert ps.load_process_rows(team, [hidden], scope=scope) == {}
    assert len(sent) == 1  # nothing visible asked: no round trip
    everything = ps.load_process_rows(team, [hidden, seen])
    assert sorted(everything) == [hidden, seen]


def test_the_open_violations_of_a_scope_are_those_of_the_deals_it_names_only(
    team: GraphStore,
) -> None:
    """A caller who sees some deals lists the violations of those, filtered and paged as
    anyone's, found deal by deal (``LIST_SCOPED_VIOLATIONS``); an administrator lists all."""
    seen, other, hidden = (_deal(team, d, stage=Stage.INITIATE.value) for d in ("s", "o", "h"))
    sweep(team, DEFINITION)  # each deal: 1-1 and 1-2 missing
    scope = Scope(everything=False, opportunity_ids=frozenset({seen, other, "elsewhere"}))
    sent: list[str] = []
    read = team.read

    def spied(statement: str, params: Any) -> Any:
        sent.append(statement)
        return read(statement, params)

    team.read = spied  # type: ignore[method-assign]
    page = ps.list_violations(team, open_only=True, scope=scope)
    assert sent == [st.LIST_SCOPED_VIOLATIONS]
    assert page.total == 4
    assert {v["opportunity_id"] for v in page.items} == {seen, other}
    first = ps.list_violations(team, open_only=True, limit=3, scope=scope)
    last = first.items[-1]
    rest = ps.list_violations(
        team, open_only=True, after=(last["detected_at"], last["id"]), scope=scope
    )
    assert [v["id"] for v in first.items + rest.items] == [v["id"] for v in page.items]
    assert (
        ps.list_violations(team, rule=ViolationRule.OPPORTUNITY_IDLE.value, scope=scope).total == 0
    )
    nobody = Scope(everything=False)
    assert ps.list_violations(team, scope=nobody).total == 0
    everything = ps.list_violations(team, open_only=True)
    assert {v["opportunity_id"] for v in everything.items} == {seen, other, hidden}


def test_a_deal_keeps_the_furthest_open_stage_it_reached(team: GraphStore) -> None:
    deal = _deal(team, "back-and-forth")

    def move(to: Stage) -> str | None:
        moved = ps.advance_stage(
            team,
            opportunity=team.get(NodeKind.OPPORTUNITY, deal),
            to_stage=to,
            reason="moved",
            lost_to_competitor_id=None,
            member_id=AM,
        )
        chain = load_decision_chain(team, deal)
        assert chain is not None
        assert chain.snapshot.opportunity.furthest_stage == (
            Stage(moved["furthest_stage"]) if moved.get("furthest_stage") else None
        )
        return moved.get("furthest_stage")

    assert move(Stage.INITIATE) == "INITIATE"
    assert move(Stage.REQUIREMENTS) == "REQUIREMENTS"
    assert move(Stage.INITIATE) == "REQUIREMENTS"  # moved back
    assert move(Stage.REQUIREMENTS) == "REQUIREMENTS"
    assert move(Stage.LOST) == "REQUIREMENTS"  # a closing state is no stage reached


def _request(store: GraphStore, deal_id: str, code: str, fields: dict[str, object]) -> object:
    pending = Transition(None, ApprovalState.PENDING, AM, (TeamRole.ACCOUNT_MANAGER,), 1)
    record = ApprovalRecord(
        str(uuid.uuid4()),
        code,
        deal_id,
        AM,
        ApprovalState.PENDING,
        fields,
        (pending,),
    )
    return ps.request_approval(store, pr.approval_fields(record))


def _count(store: GraphStore, label: str) -> int:
    rows = store.executor.read(f"MATCH (n:{label}) RETURN count(n) AS count", {})
    return int(rows[0]["count"])


def test_the_store_writes_no_request_identical_to_a_pending_or_approved_one(
    team: GraphStore,
) -> None:
    deal = _deal(team, "twins")
    assert _request(team, deal, "1-1", {"budget": 5}) is not None
    audits = _count(team, st.AUDIT_LABEL)
    assert _request(team, deal, "1-1", {"budget": 5}) is None, "pending twin"
    assert _count(team, "Approval") == 1
    assert _count(team, st.AUDIT_LABEL) == audits, "nothing written"
    assert _request(team, deal, "1-1", {"budget": 6}) is not None, "other fields"
    assert _request(team, deal, "1-2", {"budget": 5}) is not None, "other process"
    _stored_approval(
        team, deal, "2-1", (AM, TeamRole.ACCOUNT_MANAGER), (DIRECTOR, TeamRole.SALES_DIRECTOR)
    )
    assert _request(team, deal, "2-1", {}) is None, "approved twin"
    assert _count(team, "Approval") == 4
