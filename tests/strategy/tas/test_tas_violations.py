"""Violation rules: each fires on a crafted case and stays silent on a clean deal."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tas_case import (
    ALL_GATE_APPROVALS,
    AM,
    DAY,
    DIRECTOR,
    DM,
    SM,
    T0,
    activity,
    approval,
    approved,
    complete_snapshot,
    member,
    with_opportunity,
)

from domain.chain import ActivityFacts, ChainSnapshot, Departure, MemberFacts, PersonFacts
from domain.text import Text
from domain.vocabulary import (
    ActivityType,
    ApprovalState,
    Attitude,
    DecisionRole,
    DepartureKind,
    ExternalKind,
    InfluenceLevel,
    QuoteStatus,
    Stage,
    TeamRole,
)
from strategy.tas import (
    Acknowledged,
    Again,
    ApprovalRecord,
    DeliveryReview,
    ViolationConfig,
    ViolationFacts,
    ViolationFinding,
    ViolationRule,
    actions_due,
    detect_violations,
    load_process,
    repeats,
    violation_facts_from_snapshot,
)

DEFINITION = load_process()
REVIEW = DeliveryReview(DM, T0, True, 120.0, 780_000_000)
NOW = T0 + 10 * DAY  # last activity is T0 + 3 days, stage entered at T0
ZHOU, LI = Text("周志强", "周志强"), Text("李明轩", "李明轩")
"""Who acknowledged and who promised, each a unique name (bare in both languages)."""


def _facts(
    snapshot: ChainSnapshot | None = None,
    approvals: tuple[ApprovalRecord, ...] | None = None,
    entered: int = T0,
    review: DeliveryReview | None = REVIEW,
) -> ViolationFacts:
    snap = snapshot or complete_snapshot(Stage.NEGOTIATION)
    records = approved(*ALL_GATE_APPROVALS) if approvals is None else approvals
    return violation_facts_from_snapshot(snap, records, entered, review, now_ms=NOW)


def _rules(facts: ViolationFacts, now: int = NOW) -> list[tuple[ViolationRule, str]]:
    return [(v.rule, v.subject) for v in detect_violations(DEFINITION, facts, now)]


def test_clean_deal_has_no_violations() -> None:
    assert _rules(_facts()) == []


def test_stage_without_approval_fires_per_missing_approval() -> None:
    without = tuple(a for a in approved(*ALL_GATE_APPROVALS) if a.process_code not in {"2-1"})
    findings = detect_violations(DEFINITION, _facts(approvals=without), NOW)
    assert [(v.rule, v.subject) for v in findings] == [
        (ViolationRule.STAGE_WITHOUT_APPROVAL, "2-1")
    ]
    finding = findings[0]
    assert finding.responsible_member_id == AM
    assert finding.key == "STAGE_WITHOUT_APPROVAL:opp-1:2-1"
    assert finding.evidence["approval_state"] is None
    assert "2-1" in finding.zh
    assert "2-1" in finding.en


def test_action_overdue_fires_only_after_the_configured_days() -> None:
    snap = with_opportunity(
        complete_snapshot(Stage.PROPOSAL), quote_status=QuoteStatus.DRAFT, delivery_reviewed=False
    )
    approvals = approved("1-1", "1-2", "2-1", "3-1", "3-2")
    early = _facts(snap, approvals, entered=NOW - 13 * DAY)
    assert _rules(early) == []
    late = _facts(snap, approvals, entered=NOW - 15 * DAY)
    assert _rules(late) == [
        (ViolationRule.ACTION_OVERDUE, "delivery_review_recorded"),
        (ViolationRule.ACTION_OVERDUE, "quote_submitted"),
    ]
    relaxed = ViolationConfig(action_overdue_days=20)
    assert detect_violations(DEFINITION, late, NOW, relaxed) == []


def test_an_overdue_action_says_how_long_the_deal_has_been_in_its_stage() -> None:
    """A director reads the days the deal has spent, beside the limit it broke: "32 days in
    Proposal (limit 14)", not "more than 14 days"."""
    snap = with_opportunity(
        complete_snapshot(Stage.PROPOSAL), quote_status=QuoteStatus.DRAFT, delivery_reviewed=False
    )
    late = _facts(snap, approved("1-1", "1-2", "2-1", "3-1", "3-2"), entered=NOW - 32 * DAY)
    found = detect_violations(DEFINITION, late, NOW)
    quote = next(v for v in found if v.subject == "quote_submitted")
    assert quote.en.startswith("32 days in ")
    assert "(limit 14) and still not done: " in quote.en
    assert "阶段已 32 天（上限 14 天），必做事项仍未完成：" in quote.zh
    assert (quote.evidence["days_in_stage"], quote.evidence["limit_days"]) == (32, 14)


def test_quote_without_delivery_review_fires() -> None:
    findings = detect_violations(DEFINITION, _facts(review=None), NOW)
    assert [(v.rule, v.subject) for v in findings] == [
        (ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW, "quote")
    ]
    assert findings[0].evidence["problems"] == ["DELIVERY_REVIEW_MISSING"]
    draft = with_opportunity(complete_snapshot(), quote_status=QuoteStatus.DRAFT)
    assert _rules(_facts(draft, review=None)) == []


def test_approval_by_unauthorised_fires() -> None:
    bad = approval("6-1", decider=SM, decider_roles=(TeamRole.SOLUTION_MANAGER,))
    records = (*(a for a in approved(*ALL_GATE_APPROVALS) if a.process_code != "6-1"), bad)
    findings = detect_violations(DEFINITION, _facts(approvals=records), NOW)
    assert [(v.rule, v.subject, v.responsible_member_id) for v in findings] == [
        (ViolationRule.APPROVAL_BY_UNAUTHORISED, "apr-6-1", SM)
    ]


def test_self_approval_fires() -> None:
    own = approval("2-1", requester=DIRECTOR, decider=DIRECTOR)
    records = (*(a for a in approved(*ALL_GATE_APPROVALS) if a.process_code != "2-1"), own)
    findings = detect_violations(DEFINITION, _facts(approvals=records), NOW)
    assert [(v.rule, v.subject) for v in findings] == [(ViolationRule.SELF_APPROVAL, "apr-2-1")]


def test_idle_opportunity_fires_past_the_limit_and_not_when_closed() -> None:
    later = T0 + 3 * DAY + 31 * DAY
    assert _rules(_facts(), later) == [(ViolationRule.OPPORTUNITY_IDLE, "idle")]
    assert _rules(_facts(), T0 + 3 * DAY + 29 * DAY) == []
    lost = with_opportunity(complete_snapshot(), stage=Stage.LOST)
    assert _rules(_facts(lost), later) == []
    no_activity = replace(complete_snapshot(), activities=())
    assert _rules(_facts(no_activity, entered=T0), T0 + 31 * DAY) == [
        (ViolationRule.OPPORTUNITY_IDLE, "idle")
    ]


def test_a_contact_with_a_drawn_expert_on_record_is_a_violation_of_the_account_manager() -> None:
    """A sales director: bidders may not contact the evaluation panel; a contact on record
    with a drawn expert is a breach the account manager answers for, once per expert, dated
    by the first contact. One only planned, or whose time passed with nothing said of it, is
    the red flag's to call off."""
    base = complete_snapshot()
    expert = replace(
        member("sun", DecisionRole.TECHNICAL_EVALUATOR), external_kind=ExternalKind.TENDER_EXPERT
    )
    people = (*base.persons, PersonFacts("sun", "孙教授"))
    visit = activity(90, ActivityType.VISIT, "sun", at=T0 + 2 * DAY)
    again = activity(91, ActivityType.CALL, "sun", at=T0 + 4 * DAY)
    planned = activity(92, ActivityType.DEMO, "sun", at=NOW + DAY)
    unsaid = replace(activity(93, ActivityType.DEMO, "sun", at=T0 + DAY), recorded=False)

    def found(*contacts: ActivityFacts) -> list[ViolationFinding]:
        snap = replace(
            base,
            members=(*base.members, expert),
            persons=people,
            activities=(*base.activities, *contacts),
        )
        rules = detect_violations(DEFINITION, _facts(snap), NOW)
        return [v for v in rules if v.rule == ViolationRule.EXPERT_CONTACT]

    assert found() == found(planned, unsaid) == []
    (breach,) = found(again, visit, planned)
    assert (breach.subject, breach.responsible_member_id) == ("expert:sun", AM)
    day = datetime.fromtimestamp((T0 + 2 * DAY) / 1000, UTC).date().isoformat()
    assert breach.zh.startswith(f"记录中有{day}与评标专家孙教授的接触")
    assert breach.en.startswith(f"A contact with 孙教授, a tender-evaluation expert, on {day}")


def test_sweep_is_idempotent_and_rules_can_be_disabled() -> None:
    facts = _facts(review=None, approvals=(approval("1-1", ApprovalState.PENDING),))
    first = detect_violations(DEFINITION, facts, NOW)
    again = detect_violations(DEFINITION, facts, NOW)
    assert [v.key for v in first] == [v.key for v in again]
    assert len({v.key for v in first}) == len(first)
    only_quote = ViolationConfig(enabled=frozenset({ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW}))
    assert {v.rule for v in detect_violations(DEFINITION, facts, NOW, only_quote)} == {
        ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW
    }


def test_an_acknowledged_violation_whose_cause_holds_comes_back_after_its_recheck() -> None:
    """A sales director's recheck: a deal acknowledged as idle and idle still 30 days later is
    raised again, saying so and by whom and when it was acknowledged; not a day earlier, not
    when its cause is gone, and never for a past event such as a self-approval."""
    idle_at = T0 + 3 * DAY + 35 * DAY
    findings = detect_violations(DEFINITION, _facts(), idle_at)
    (idle,) = findings
    seen = Acknowledged("v-1", idle.key, idle.rule, idle_at, ZHOU)
    config = DEFINITION.violations
    assert repeats(findings, [seen], idle_at + 29 * DAY, config) == []
    later = idle_at + 30 * DAY
    (back,) = repeats(detect_violations(DEFINITION, _facts(), later), [seen], later, config)
    assert back.of == seen
    assert back.finding.key == idle.key
    date = "2025-02-08"  # T0 + 38 days
    assert back.finding.en == (
        f"No customer activity for 65 days (limit 30) — raised again (1): acknowledged by 周志强 "
        f"on {date} UTC, still not put right"
    ), back.finding.en
    assert back.finding.zh.endswith(f"——再次提出（第1次）：周志强已于{date}（UTC）确认，至今未改正")
    assert (back.finding.evidence["repeat"], back.finding.evidence["repeat_of"]) == (1, "v-1")
    again = replace(seen, acknowledged_by=None, repeat=1)
    (twice,) = repeats(findings, [again], later, config)
    assert twice.finding.en.endswith(
        f"— raised again (2): acknowledged on {date} UTC, still not put right"
    )
    assert repeats([], [seen], later, config) == []  # its cause is gone: resolved, not raised
    self_approved = ViolationFinding(ViolationRule.SELF_APPROVAL, "o", "a9", AM, "审批", "decided")
    judged = Acknowledged("v-2", self_approved.key, self_approved.rule, T0, ZHOU)
    assert repeats([self_approved], [judged], T0 + 400 * DAY, config) == []  # judged once


def test_a_promise_acknowledged_comes_back_the_day_after_its_date_sooner_or_later() -> None:
    """The date the response promised, not the usual recheck, decides: missed the day after
    (even before the 30 days of the idle recheck), not yet on the day (even 40 days after the
    acknowledgement); and the message says the commitment was missed, whose and for when."""
    idle_at = T0 + 3 * DAY + 35 * DAY
    (idle,) = detect_violations(DEFINITION, _facts(), idle_at)
    day = datetime.fromtimestamp(idle_at / 1000, tz=UTC).date()
    soon = (day + timedelta(days=5)).isoformat()
    seen = Acknowledged("v-1", idle.key, idle.rule, idle_at, ZHOU, 0, soon, LI)
    config = DEFINITION.violations
    on_the_day = idle_at + 5 * DAY
    assert (
        repeats(detect_violations(DEFINITION, _facts(), on_the_day), [seen], on_the_day, config)
        == []
    )
    after = idle_at + 6 * DAY
    (back,) = repeats(detect_violations(DEFINITION, _facts(), after), [seen], after, config)
    assert back.finding.en.endswith(
        f" — raised again (1), commitment missed: promised by 李明轩 for {soon}, acknowledged by "
        f"周志强 on {day.isoformat()} UTC, still not put right"
    )
    assert back.finding.zh.endswith(
        f"——再次提出（第1次），承诺落空：李明轩承诺最迟于{soon}改正，周志强已于{day.isoformat()}（UTC）"
        "确认，至今未改正"
    )
    assert back.finding.evidence["put_right_by"] == soon
    far = replace(seen, put_right_by=(day + timedelta(days=45)).isoformat())
    forty = idle_at + 40 * DAY
    assert repeats(detect_violations(DEFINITION, _facts(), forty), [far], forty, config) == []
    kept = Again.kept(back.again.text, {**back.finding.evidence, "idle_days": 1})
    assert kept.on(idle).evidence["put_right_by"] == soon  # reworded while open, still a promise


def test_a_repeat_names_a_namesake_who_acknowledged_or_promised_told_apart_in_each_language() -> (
    None
):
    """Two 王伟: the one who promised and the director who acknowledged are named as the
    sweep tells them apart, each language with its own brackets."""
    idle_at = T0 + 3 * DAY + 35 * DAY
    (idle,) = detect_violations(DEFINITION, _facts(), idle_at)
    day = datetime.fromtimestamp(idle_at / 1000, tz=UTC).date()
    soon = (day + timedelta(days=5)).isoformat()
    director = Text("王伟 (Sales Director)", "王伟（Sales Director）")
    promiser = Text("王伟 (wang.wei@example.com)", "王伟（wang.wei@example.com）")
    seen = Acknowledged("v-1", idle.key, idle.rule, idle_at, director, 0, soon, promiser)
    after = idle_at + 6 * DAY
    config = DEFINITION.violations
    (back,) = repeats(detect_violations(DEFINITION, _facts(), after), [seen], after, config)
    assert back.finding.en.endswith(
        f"promised by 王伟 (wang.wei@example.com) for {soon}, acknowledged by "
        f"王伟 (Sales Director) on {day.isoformat()} UTC, still not put right"
    ), back.finding.en
    assert back.finding.zh.endswith(
        f"王伟（wang.wei@example.com）承诺最迟于{soon}改正，王伟（Sales Director）已于"
        f"{day.isoformat()}（UTC）确认，至今未改正"
    ), back.finding.zh


def test_a_promise_already_lapsed_when_acknowledged_comes_back_a_day_later() -> None:
    """A director who acknowledges a response whose date has passed is not answered at once by
    the sweep: it comes back a day after the acknowledgement, as a commitment missed."""
    idle_at = T0 + 3 * DAY + 35 * DAY
    (idle,) = detect_violations(DEFINITION, _facts(), idle_at)
    day = datetime.fromtimestamp(idle_at / 1000, tz=UTC).date()
    lapsed = (day - timedelta(days=3)).isoformat()
    seen = Acknowledged("v-1", idle.key, idle.rule, idle_at, ZHOU, 0, lapsed, LI)
    config = DEFINITION.violations
    assert seen.due_at(config) == idle_at + DAY
    soon = idle_at + DAY - 1
    assert repeats(detect_violations(DEFINITION, _facts(), soon), [seen], soon, config) == []
    (back,) = repeats(
        detect_violations(DEFINITION, _facts(), idle_at + DAY), [seen], idle_at + DAY, config
    )
    assert "commitment missed" in back.finding.en


def test_a_repeat_kept_on_record_words_a_newer_finding_as_the_same_repeat() -> None:
    """Ten more idle days after it came back: the finding counts them, and still says it is
    the first repeat, acknowledged by whom and when (its words and evidence as stored)."""
    idle_at = T0 + 3 * DAY + 35 * DAY
    (idle,) = detect_violations(DEFINITION, _facts(), idle_at)
    seen = Acknowledged("v-1", idle.key, idle.rule, idle_at, ZHOU)
    later = idle_at + 30 * DAY
    config = DEFINITION.violations
    (back,) = repeats(detect_violations(DEFINITION, _facts(), later), [seen], later, config)
    stored = json.loads(json.dumps(dict(back.finding.evidence)))
    kept = Again.kept(back.again.text, {**stored, "idle_days": 1})
    assert kept == back.again
    (newer,) = detect_violations(DEFINITION, _facts(), later + 10 * DAY)
    worded = kept.on(newer)
    assert worded.en == "No customer activity for 75 days (limit 30)" + back.again.text.en
    assert worded.zh.startswith("商机已 75 天")
    assert worded.zh.endswith(back.again.text.zh)
    assert (worded.evidence["idle_days"], worded.evidence["repeat"]) == (75, 1)


def _found_late(snap: ChainSnapshot, entered: int, now: int) -> list[ViolationFinding]:
    """The deal in value presentation (its exit asks every member's needs) at ``now``."""
    facts = violation_facts_from_snapshot(
        snap, approved(*ALL_GATE_APPROVALS), entered, REVIEW, now_ms=now
    )
    return [v for v in detect_violations(DEFINITION, facts, now) if v.subject == "needs_recorded"]


def _with_newcomer(
    joined: int | None,
    role: DecisionRole = DecisionRole.TECHNICAL_EVALUATOR,
    *,
    met: int | None = None,
) -> ChainSnapshot:
    """The complete deal in value presentation, with Dr. Li put on its chain at ``joined``
    and her needs not recorded (met by one of ours at ``met``, if given)."""
    snap = complete_snapshot(Stage.VALUE_PRESENTATION)
    li = MemberFacts("p-li", role, InfluenceLevel.HIGH, Attitude.NEUTRAL, joined_at=joined)
    contacts = (activity(9, ActivityType.VISIT, "p-li", at=met),) if met is not None else ()
    return replace(
        snap,
        persons=(PersonFacts("p-li", "Dr. Li"), PersonFacts("p-cio", "CIO Qian")),
        members=(*snap.members, li),
        activities=(*snap.activities, *contacts),
    )


def test_someone_found_late_in_a_stage_has_days_of_their_own_for_their_needs() -> None:
    """A sales VP's rule, stated before the engine was asked: finding a key person on day 16
    of a 14-day stage is mapping done, not a lapse. Her needs are due seven days after she was
    put on the chain (five for one who decides); anyone else's lapse as before."""
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    snap = _with_newcomer(joined=day16)
    assert _found_late(snap, entered, day16) == []
    assert _found_late(snap, entered, day16 + 7 * DAY) == []
    late = _found_late(snap, entered, day16 + 7 * DAY + 60_000)
    assert [v.en for v in late] == [
        "23 days in Value presentation (limit 14) and still not done: Record the needs of every"
        " key person in the chain (still missing: Dr. Li)"
    ]
    assert late[0].zh.endswith("（尚缺Dr. Li）")
    boss = _with_newcomer(joined=day16, role=DecisionRole.DECISION_MAKER)
    assert _found_late(boss, entered, day16 + 5 * DAY) == []
    assert len(_found_late(boss, entered, day16 + 5 * DAY + 60_000)) == 1


def test_someone_put_on_the_chain_early_owes_their_needs_by_the_stage_limit() -> None:
    entered = T0 - 20 * DAY
    snap = _with_newcomer(joined=entered + 3 * DAY)
    assert _found_late(snap, entered, entered + 14 * DAY) == []
    assert len(_found_late(snap, entered, entered + 14 * DAY + 60_000)) == 1


def test_someone_met_long_before_they_were_put_on_the_chain_is_no_newcomer() -> None:
    """Her days count from the first contact with her when that came first: a person known for
    weeks and left off the chain does not start a clock of her own on the day she is put on it."""
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    known = _with_newcomer(joined=day16, met=entered + 2 * DAY)
    assert len(_found_late(known, entered, day16)) == 1
    met_yesterday = _with_newcomer(joined=day16, met=day16 - DAY)
    assert _found_late(met_yesterday, entered, day16 + 5 * DAY) == []
    assert len(_found_late(met_yesterday, entered, day16 + 6 * DAY + 60_000)) == 1


def test_a_newcomer_inside_her_days_leaves_the_others_lapse_named_alone() -> None:
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    snap = _with_newcomer(joined=day16)
    cio = replace(snap.members[0], needs=None)
    unknown_since = replace(snap, members=(cio, *snap.members[1:]))
    late = _found_late(unknown_since, entered, day16)
    assert [v.en.rsplit("(", 1)[1] for v in late] == ["still missing: CIO Qian)"]
    not_known_when = _with_newcomer(joined=None)
    assert len(_found_late(not_known_when, entered, entered + 14 * DAY + 60_000)) == 1


def test_one_who_left_the_customer_is_not_named_beside_a_newcomer() -> None:
    """Those who left count no more, as at the gate: a newcomer inside her days, beside a
    member who left with no needs recorded, makes no violation naming the leaver."""
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    snap = _with_newcomer(joined=day16)
    gone = MemberFacts("p-zhao", DecisionRole.USER, InfluenceLevel.LOW, Attitude.NEUTRAL)
    left = Departure("2025-01-01", DepartureKind.RETIRED, recorded_at=entered)
    with_leaver = replace(
        snap,
        persons=(*snap.persons, PersonFacts("p-zhao", "Old Zhao", left=left)),
        members=(*snap.members, gone),
    )
    assert _found_late(with_leaver, entered, day16) == []


def test_a_contact_whose_time_passed_with_nothing_recorded_is_no_first_meeting() -> None:
    """A contact planned and never recorded may not have taken place: it does not make her
    someone known long before she was put on the chain."""
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    snap = _with_newcomer(joined=day16)
    unrecorded = replace(activity(9, ActivityType.VISIT, "p-li", at=entered), recorded=False)
    planned_only = replace(snap, activities=(*snap.activities, unrecorded))
    assert _found_late(planned_only, entered, day16) == []


def test_days_of_her_own_are_for_one_put_on_the_chain_in_the_stage_only() -> None:
    """A company giving newcomers longer than the stage's limit gives nobody already on the
    chain when the stage began more time through it; the violation lists whose needs are late
    and when each was due."""
    entered = T0 - 20 * DAY
    generous = ViolationConfig(newcomer_days=30)
    before = _with_newcomer(joined=entered - DAY)
    facts = violation_facts_from_snapshot(
        before, approved(*ALL_GATE_APPROVALS), entered, REVIEW, now_ms=entered + 15 * DAY
    )
    (late,) = [
        v
        for v in detect_violations(DEFINITION, facts, entered + 15 * DAY, generous)
        if v.subject == "needs_recorded"
    ]
    assert late.evidence["missing"] == [{"person_id": "p-li", "due_at": entered + 14 * DAY}]
    inside = _with_newcomer(joined=entered + 10 * DAY)
    facts = violation_facts_from_snapshot(
        inside, approved(*ALL_GATE_APPROVALS), entered, REVIEW, now_ms=entered + 15 * DAY
    )
    found = detect_violations(DEFINITION, facts, entered + 15 * DAY, generous)
    assert [v for v in found if v.subject == "needs_recorded"] == []


def test_what_the_stage_still_requires_is_due_by_the_day_it_would_be_a_violation() -> None:
    """The account manager sees each undone action's day before the sweep raises it: the
    stage's limit after it was entered, and for the needs, each person's own day (a newcomer
    counts from when she was put on the chain). Done actions are not listed."""
    entered = T0 - 20 * DAY
    day16 = entered + 16 * DAY
    snap = _with_newcomer(joined=day16)
    cio = replace(snap.members[0], needs=None)
    both = replace(snap, members=(cio, *snap.members[1:]))
    facts = violation_facts_from_snapshot(
        both, approved(*ALL_GATE_APPROVALS), entered, REVIEW, now_ms=day16
    )
    needs = next(a for a in actions_due(DEFINITION, facts) if a.name == "needs_recorded")
    assert needs.name == "needs_recorded"
    assert needs.label.en == "Record the needs of every key person in the chain"
    assert needs.due_at == entered + 14 * DAY  # the CIO's: the stage's limit
    assert [(p.name, p.due_at) for p in needs.people] == [
        ("CIO Qian", entered + 14 * DAY),
        ("Dr. Li", day16 + 7 * DAY),
    ]
    done = violation_facts_from_snapshot(
        complete_snapshot(Stage.VALUE_PRESENTATION),
        approved(*ALL_GATE_APPROVALS),
        entered,
        REVIEW,
        now_ms=NOW,
    )
    assert actions_due(DEFINITION, done) == []
