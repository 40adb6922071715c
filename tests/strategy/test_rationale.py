"""A work-plan item's reason says what we know of the person, never a doubt nobody voiced."""

from __future__ import annotations

import dataclasses

from builders import act, member

from domain.vocabulary import ActivityType, Attitude, DecisionRole, Outcome
from strategy.casebook import NOW_MS, kp, load_cases
from strategy.engine import analyse
from strategy.rationale import Clause, rationale_text
from strategy.scoring import PersonContext
from strategy.workplan import voiced


def test_an_approver_nobody_showed_our_solution_is_met_on_the_business_case() -> None:
    """A sales leader: the finance director who must sign, met once, our solution never put
    before her, is met on the budget and the business case by our sales director first; a
    reference site answers a doubt she never voiced."""
    case = next(c for c in load_cases() if c.key.startswith("52_"))
    plan = analyse(case.snapshot, NOW_MS).plan
    on_finance = [s for s in plan if s.target_person_id == kp("fin")]
    assert [s.action_key for s in on_finance][:1] == ["executive_visit"], on_finance
    assert on_finance[0].owner_member_id == "tm-sd"
    assert not any(s.effect.solution_reaction for s in on_finance)


def test_a_solution_nobody_showed_reads_as_not_known_yet() -> None:
    """The decision maker, neutral, met at an executive visit, never shown our solution: a
    reference visit is asked "because he has not seen it proven", not "because he is not
    convinced"."""
    case = next(c for c in load_cases() if c.key.startswith("52_"))
    members = tuple(
        dataclasses.replace(m, attitude=Attitude.NEUTRAL) if m.person_id == kp("dm") else m
        for m in case.snapshot.members
    )
    plan = analyse(dataclasses.replace(case.snapshot, members=members), NOW_MS).plan
    (reference,) = [
        s for s in plan if s.target_person_id == kp("dm") and s.action_key == "reference_visit"
    ]
    assert "has not seen our solution proven yet" in reference.rationale_en
    assert "尚未见到我方方案的实际验证" in reference.rationale_zh
    assert not any("not yet convinced" in s.rationale_en for s in plan)


def test_a_price_or_solution_is_voiced_by_a_reaction_or_a_contact_that_showed_it() -> None:
    cfo = member("cfo", DecisionRole.FINANCE)
    met = PersonContext(cfo, (), (), (act("a1", "cfo", type=ActivityType.MEETING),))
    assert not voiced(met, "price")
    assert not voiced(met, "solution")
    priced = PersonContext(cfo, (), (), (act("a2", "cfo", type=ActivityType.PRICING_DISCUSSION),))
    assert voiced(priced, "price")
    assert not voiced(priced, "solution")
    reacted = act("a3", "cfo", solution_reaction=Outcome.NEGATIVE)
    assert voiced(PersonContext(cfo, (), (), (reacted,)), "solution")


def test_the_price_reason_without_a_word_on_price_does_not_invent_a_concern() -> None:
    text = rationale_text(
        [Clause("price_unweighed", {"name": "高志远", "role": "DECISION_MAKER", "score": 58})]
    )
    assert text.en == (
        "高志远 (Decision maker) has not weighed our price against its value yet: "
        "price acceptance 58/100"
    )
    assert "顾虑" not in text.zh


def test_a_clause_opening_with_its_full_stop_after_a_finished_sentence_stops_once() -> None:
    """An introduction counted at a share ends its sentence; the next clause's glue does not
    stop it again ("…reporting line.. Worth")."""
    text = rationale_text(
        [
            Clause(
                "path_credit",
                {"tie": "REPORTS_TO", "from": "A", "to": "B", "relays": 0, "percent": 50},
            ),
            Clause("after_plays", {"target": "C", "plays": [["Visit", "拜访"]]}),
        ]
    )
    assert ".." not in text.en
    assert "。。" not in text.zh
    assert "reporting line. Worth what it adds" in text.en
