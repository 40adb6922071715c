"""Every text of the process a person reads names people, stages, fields, roles and processes
by their names and labels; ids, field keys and enum codes stay in the structured fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields, replace

from tas_case import AM, DIRECTOR, DM, NOW, REVIEW, SM, T0, approval, empty_snapshot, team

from domain.chain import OpportunityFacts
from domain.vocabulary import (
    ALL_ENUMS,
    ApprovalState,
    Grade,
    LifecyclePhase,
    QuoteStatus,
    Stage,
    TeamRole,
)
from strategy.tas import (
    ApprovalStatus,
    Decision,
    DeliveryReview,
    GateFacts,
    QuoteFacts,
    ViolationFacts,
    ViolationRule,
    can_decide,
    can_request,
    can_submit_quote,
    check_gate,
    check_grade,
    detect_violations,
    gate_facts_from_snapshot,
    load_process,
    triangle_status,
)
from strategy.tas.timeline import RESULT_FIELDS, future_result_problems
from strategy.tas.violations import ExpertContact

DEFINITION = load_process()

IDS = ("opp-1", "cus-1", AM, SM, DM, DIRECTOR, "p-cio", "apr-", "act-")
FIELD_KEYS = {f.name for f in fields(OpportunityFacts) if "_" in f.name} | {
    f.name for p in DEFINITION.processes for f in p.fields if "_" in f.name
}
CODES = {
    value.value
    for enum in ALL_ENUMS
    for value in enum
    if len(value.value) > 1 and value.value != "POC"  # POC is what people call a test
}
ENTRY_KEYS = ("member", "week", "hours")
"""Keys of a timesheet entry: English words, so only a Chinese text must not show them."""


def _texts() -> Iterator[tuple[str, str]]:
    """(where, text) of every message the rules can produce, in both languages."""
    empty = gate_facts_from_snapshot(empty_snapshot(Stage.VALIDATE), now_ms=NOW, review=None)
    for to in (Stage.WON, Stage.LOST, Stage.ABANDONED, Stage.VALIDATE):
        for p in check_gate(DEFINITION, empty, to).problems:
            yield from ((f"gate {p.code}", p.zh), (f"gate {p.code}", p.en))
    won = replace(empty, stage=Stage.WON)
    for p in check_gate(DEFINITION, won, Stage.INITIATE).problems:
        yield from ((f"gate {p.code}", p.zh), (f"gate {p.code}", p.en))
    for grade in Grade:
        for p in check_grade(DEFINITION, empty, grade):
            yield from ((f"grade {p.code}", p.zh), (f"grade {p.code}", p.en))
    bad_fields = {
        "entries": [{"member": "", "week": "7", "hours": 0}, "x"],
        "period_start": "2025-03-10",
        "period_end": "2025-03-01",
        "hours": -1,
        "start_date": "soon",
        "end_date": "2025-01-01",
    }
    for process in DEFINITION.processes:
        for roles in ((), (TeamRole.DELIVERY_MANAGER,)):
            for p in can_request(
                DEFINITION, process.code, roles, bad_fields, stage=Stage.BIDDING, approvals=()
            ):
                if p.code != "UNKNOWN_FIELD":  # names the key the caller sent
                    yield from ((f"request {p.code}", p.zh), (f"request {p.code}", p.en))
    stranger = {"entries": [{"member": "Zhao Lei", "week": "2025-W07", "hours": 8}]}
    for names in ((), ("Li Wei", "Wang Fang")):
        for p in can_request(
            DEFINITION, "2-6", (), stranger, stage=Stage.BIDDING, approvals=(), team=names
        ):
            yield from ((f"request {p.code}", p.zh), (f"request {p.code}", p.en))
    for p in can_request(
        DEFINITION,
        "1-1",
        (TeamRole.ACCOUNT_MANAGER,),
        {},
        stage=Stage.VALIDATE,
        approvals=(approval("1-1"),),
        names={DIRECTOR: "Chen Jie"},
    ):
        yield from ((f"request {p.code}", p.zh), (f"request {p.code}", p.en))
    for state in ApprovalState:
        record = approval("6-3", state, requester=AM)
        for decision in Decision:
            for p in can_decide(DEFINITION, record, AM, (), decision):
                yield from ((f"decide {p.code}", p.zh), (f"decide {p.code}", p.en))
    for phase in LifecyclePhase:
        for p in triangle_status((), phase).warnings:
            yield from ((f"triangle {p.code}", p.zh), (f"triangle {p.code}", p.en))
    stale = DeliveryReview(SM, T0, False, None, 1)
    for p in can_submit_quote(QuoteFacts(5, team(), stale)) + can_submit_quote(
        QuoteFacts(None, (), None)
    ):
        yield from ((f"quote {p.code}", p.zh), (f"quote {p.code}", p.en))
    for p in future_result_problems(NOW + 1, NOW, list(RESULT_FIELDS)):
        yield from ((f"time {p.code}", p.zh), (f"time {p.code}", p.en))
    for v in detect_violations(DEFINITION, _violating_deal(), NOW + 400 * 86_400_000):
        yield from ((f"violation {v.rule}", v.zh), (f"violation {v.rule}", v.en))


def _violating_deal() -> ViolationFacts:
    self_decided = approval("6-3", requester=AM, decider=AM, decider_roles=())
    gate = GateFacts(
        opportunity_id="opp-1",
        stage=Stage.PROPOSAL,
        fields={},
        approvals=(ApprovalStatus("6-3", ApprovalState.APPROVED),),
    )
    return ViolationFacts(
        gate=gate,
        stage_entered_at=T0,
        team=team(),
        approvals=(self_decided,),
        last_activity_at=T0,
        quote_status=QuoteStatus.SUBMITTED,
        quote=QuoteFacts(780_000_000, team(), replace(REVIEW, reviewed_quote_amount=1)),
        expert_contacts=(ExpertContact("p-expert", "Prof. Sun", T0),),
    )


def test_every_rule_produces_texts_for_the_check() -> None:
    kinds = {where.split()[0] for where, _ in _texts()}
    assert kinds == {
        "gate",
        "grade",
        "request",
        "decide",
        "triangle",
        "quote",
        "time",
        "violation",
    }
    rules = {where.split()[1] for where, _ in _texts() if where.startswith("violation")}
    assert rules == {rule.value for rule in ViolationRule}


def test_no_text_shows_an_id_a_field_key_or_a_code() -> None:
    offending: list[str] = []
    for where, text in _texts():
        for token in (*IDS, *FIELD_KEYS):
            if token in text:
                offending.append(f"{where}: {token!r} in {text!r}")
        if not text.isascii():
            offending += [f"{where}: {key!r} in {text!r}" for key in ENTRY_KEYS if key in text]
        for code in CODES:
            if re.search(rf"(?<![A-Za-z_]){re.escape(code)}(?![A-Za-z_])", text):
                offending.append(f"{where}: {code!r} in {text!r}")
    assert offending == []


def test_gate_and_violation_texts_read_as_people_speak() -> None:
    empty = gate_facts_from_snapshot(empty_snapshot(Stage.VALIDATE), now_ms=NOW, review=None)
    by_path = {p.path: p for p in check_gate(DEFINITION, empty, Stage.REQUIREMENTS).problems}
    event = by_path["fields.compelling_event"]
    assert event.zh == "商机立项：必填字段“紧迫事件”未填写"
    assert event.en == 'Initiate opportunity: required field "Compelling event" is not filled'
    findings = detect_violations(DEFINITION, _violating_deal(), NOW)
    stage = next(v for v in findings if v.rule.value == "STAGE_WITHOUT_APPROVAL")
    assert stage.zh == "商机处于“方案与报价”阶段，但 TAS+1-1 创建商机流程未获批准"
    assert (
        stage.en
        == "The deal is in Proposal and quotation without TAS+1-1 Create opportunity approved"
    )
    assert stage.evidence["stage"] == "PROPOSAL"  # the code stays beside the text
    selfish = next(v for v in findings if v.rule.value == "SELF_APPROVAL")
    assert selfish.en == "TAS+6-3 Bid approval was decided by its own requester (Li Wei)"


def test_chinese_texts_set_a_process_apart_from_the_words_before_it() -> None:
    """A process is named "TAS+3-1 技术引导方案评审流程": a space between it and Chinese before."""
    glued = re.compile(r"[\u3400-\u9fff]TAS\+")
    assert [(where, zh) for where, zh in _texts() if glued.search(zh)] == []


def test_chinese_texts_use_full_width_punctuation_once_filled_in() -> None:
    mixed = re.compile(r"[\u3400-\u9fff][,;:!?()]|[,;:!?()][\u3400-\u9fff]")
    assert [(where, zh) for where, zh in _texts() if mixed.search(zh)] == []
