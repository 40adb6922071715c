"""A deal's status as a sales leader reads it: the expectations a leader wrote down before
the engine was run (E1-E9), each checked here."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from builders import DAY, NOW, RIVAL, act, close_to, dm, knows, member, opp, snap, tie

from domain.chain import ActivityFacts, ChainSnapshot, CloseDateMove
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    DecisionRole,
    InfluenceLevel,
    QuoteStatus,
    Stage,
    TieStrength,
)
from strategy.analysis import RedFlag
from strategy.config import default_config
from strategy.engine import analyse
from strategy.health import DealHealth, HealthStatus, deal_health, likelihood_once_dated
from strategy.tas import load_process

ON_TRACK, ATTENTION, AT_RISK = (
    HealthStatus.ON_TRACK,
    HealthStatus.NEEDS_ATTENTION,
    HealthStatus.AT_RISK,
)
IDLE_DAYS = load_process().violations.idle_days
EARLY = (Stage.VALIDATE, Stage.INITIATE)
OPEN = [s for s in Stage if s not in CLOSED_STAGES]
FROM_PROPOSAL = (Stage.PROPOSAL, Stage.BIDDING, Stage.NEGOTIATION)
BEFORE_PROPOSAL = (Stage.VALIDATE, Stage.INITIATE, Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION)
MONTHS_AWAY = "2026-06-30"  # NOW is 2026-01-01


def healthy(
    stage: Stage = Stage.VALIDATE,
    *,
    last_contact_days: float = 5,
    close: str | None = MONTHS_AWAY,
    oid: str = "o1",
    dm_attitude: Attitude = Attitude.NEUTRAL,
) -> ChainSnapshot:
    """Three people mapped (a neutral decision maker, an evaluator, a coach with us), all met
    lately, the budget and a compelling event known, the close date months away: nothing
    wrong."""
    days = last_contact_days
    return snap(
        dm("dm", attitude=dm_attitude),
        member("it", DecisionRole.TECHNICAL_EVALUATOR),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        opportunity=opp(
            id=oid,
            stage=stage,
            expected_close_date=close,
            budget=1_100_000,
            compelling_event="the new ward opens",
        ),
        reports_to=[tie("it", "dm"), tie("coach", "it")],
        team_knows=[knows("dm"), knows("coach")],
        activities=[act("a1", "dm", days), act("a2", "coach", days + 2), act("a3", "it", days + 1)],
    )


def with_rival_dm(chain: ChainSnapshot) -> ChainSnapshot:
    """The decision maker supports a competitor (a strong tie to it)."""
    return dataclasses.replace(chain, competitors=(RIVAL,), competitor_ties=(close_to("dm"),))


def without_dm_and_coach(chain: ChainSnapshot) -> ChainSnapshot:
    """Nobody who decides is known and nobody inside guides us: two serious red flags."""
    return dataclasses.replace(
        chain,
        members=tuple(m for m in chain.members if m.person_id == "it"),
        persons=tuple(p for p in chain.persons if p.id == "it"),
        activities=tuple(a for a in chain.activities if a.person_ids == ("it",)),
    )


def judged(chain: ChainSnapshot, stage_entered_days: float = 10) -> DealHealth:
    """The engine's status of a deal, as the API computes it."""
    chain = entered(chain, stage_entered_days)
    full = analyse(chain, NOW, include_plan=False)
    found = deal_health(
        chain,
        full.analysis.red_flags,
        likelihood_once_dated(full.assessment, default_config()),
        NOW,
        idle_days=IDLE_DAYS,
        config=default_config(),
    )
    assert found is not None
    return found


def given(chain: ChainSnapshot, likelihood: float, flags: tuple[RedFlag, ...] = ()) -> DealHealth:
    """The status of a deal with the given win likelihood and red flags."""
    found = deal_health(
        entered(chain, 10), flags, likelihood, NOW, idle_days=IDLE_DAYS, config=default_config()
    )
    assert found is not None
    return found


def entered(chain: ChainSnapshot, days: float) -> ChainSnapshot:
    """The deal as having entered its stage ``days`` ago."""
    moved = dataclasses.replace(chain.opportunity, stage_entered_at=NOW - int(days * DAY))
    return dataclasses.replace(chain, opportunity=moved)


def flag(code: str, severity: str = "HIGH") -> RedFlag:
    return RedFlag(code, severity, (), (), f"{code} text", f"{code} 文本", "", "")


def texts(found: DealHealth) -> list[str]:
    return [r.text_en for r in found.reasons]


@pytest.mark.parametrize("stage", EARLY)
def test_e1_an_early_deal_with_nothing_wrong_is_on_track(stage: Stage) -> None:
    chain = healthy(stage)
    full = analyse(chain, NOW, include_plan=False)
    assert not [f for f in full.analysis.red_flags if f.severity == "HIGH"]
    assert full.win_likelihood < 0.3  # the old absolute rule called it red
    found = judged(chain)
    assert found.status == ON_TRACK
    assert found.reasons
    assert all(r.status == ON_TRACK for r in found.reasons)


@pytest.mark.parametrize("stage", EARLY)
def test_e2_an_early_deal_whose_decision_maker_supports_a_competitor_needs_attention(
    stage: Stage,
) -> None:
    chain = with_rival_dm(healthy(stage))
    flags = analyse(chain, NOW, include_plan=False).analysis.red_flags
    assert [f.code for f in flags if f.severity == "HIGH"] == ["DECISION_MAKER_WITH_COMPETITOR"]
    found = judged(chain)
    assert found.status == ATTENTION
    reason = next(r for r in found.reasons if r.status == ATTENTION)
    assert reason.text_en == "DM (decision maker) supports Rival Corp"
    assert reason.text_zh == "DM（决策者）支持Rival Corp"
    assert reason.person_ids == ("dm",)
    assert reason.competitor_ids == ("rival",)


@pytest.mark.parametrize("stage", OPEN)
def test_e3_two_serious_red_flags_put_any_deal_at_risk(stage: Stage) -> None:
    two = (flag("DECISION_MAKER_WITH_COMPETITOR"), flag("EVALUATOR_LOCKED"))
    found = given(healthy(stage), 0.9, two)
    assert found.status == AT_RISK
    assert {"DECISION_MAKER_WITH_COMPETITOR text", "EVALUATOR_LOCKED text"} <= set(texts(found))


@pytest.mark.parametrize("stage", [s for s in OPEN if s != Stage.VALIDATE])
def test_e3_an_unmapped_chain_is_at_risk_once_the_deal_is_initiated(stage: Stage) -> None:
    """Two flags, one danger to a leader: they read as one line and still count as two."""
    found = given(healthy(stage), 0.9, (flag("NO_COACH"), flag("NO_DECISION_MAKER")))
    assert found.status == AT_RISK
    assert texts(found) == ["Chain not mapped: no decision maker known, no coach"]
    assert found.reasons[0].text_zh == "决策链尚未梳理：未识别决策者，没有教练"
    assert found.reasons[0].code == "NO_DECISION_MAKER"


def test_e3_the_engine_s_two_serious_flags_put_an_initiated_deal_at_risk() -> None:
    found = judged(without_dm_and_coach(healthy(Stage.INITIATE)))
    assert found.status == AT_RISK


def test_e10_a_new_deal_being_validated_with_nobody_mapped_is_on_track_with_its_next_step() -> None:
    """Nobody expects the chain of a deal still being validated to be mapped: finding who decides
    and a coach is the account manager's next step, not a leader's review. A new deal is not a
    problem for being new (every deal made from the pipeline starts with an empty chain)."""
    found = judged(without_dm_and_coach(healthy(Stage.VALIDATE)))
    assert found.status == ON_TRACK
    assert found.reasons[0].text_en.endswith("next: find out who decides and develop a coach")
    assert found.reasons[0].text_zh.endswith("下一步：弄清谁拍板、发展教练")
    # the same deal's red flags list the two as serious: the status must not deny them
    assert found.reasons[0].text_en.startswith("Being validated, the chain not mapped yet")
    assert found.reasons[0].text_zh.startswith("验证阶段，决策链尚未梳理")
    assert "No serious red flag" not in found.reasons[0].text_en
    assert judged(healthy(Stage.VALIDATE)).reasons[0].text_en.startswith("No serious red flag")


def test_a_deal_with_nobody_in_its_chain_is_not_assessed_yet() -> None:
    """A sales leader, before looking at the engine: a deal just created, with nobody in its
    chain, is neither on track nor in trouble; nothing about it is known yet. Calling it "On
    track / 正常推进" tells a director something nobody has checked; it is "not assessed yet",
    its likelihood only the starting point of its stage, and its next step is mapping the
    chain. Before, it read "On track" with "早期商机（赢单概率5%）尚无需得到验证". Once the
    deal is initiated, an empty chain is a real problem (at risk, above), and so is one left
    empty in validation for long (needs attention)."""
    stage = Stage.VALIDATE
    empty = snap(opportunity=opp(stage=stage, expected_close_date=MONTHS_AWAY))
    found = judged(empty, stage_entered_days=1)
    assert found.status == HealthStatus.NOT_ASSESSED
    (reason,) = found.reasons
    assert reason.code == "NOT_ASSESSED"
    assert reason.text_en.startswith(
        "A new deal with no decision chain mapped yet: its win likelihood ("
    )
    assert reason.text_zh.startswith("新建商机，尚未梳理决策链：赢单概率（")
    assert "只是起点" in reason.text_zh
    # mapped and sound, the same early deal is judged: on track, worded naturally in Chinese
    on_track = judged(healthy(stage))
    assert on_track.status == ON_TRACK
    assert "商机尚处早期" in on_track.reasons[0].text_zh
    assert "尚无需得到验证" not in on_track.reasons[0].text_zh
    # a real problem on a deal with nobody mapped is still one
    assert judged(empty, stage_entered_days=45).status == ATTENTION
    initiated = snap(opportunity=opp(stage=Stage.INITIATE, expected_close_date=MONTHS_AWAY))
    assert judged(initiated, stage_entered_days=1).status == AT_RISK


def test_e10_a_deal_left_unmapped_in_validation_for_long_needs_attention() -> None:
    found = judged(without_dm_and_coach(healthy(Stage.VALIDATE)), stage_entered_days=45)
    assert found.status == ATTENTION
    assert {"NO_DECISION_MAKER", "NO_COACH"} <= {r.code for r in found.reasons}


def test_e10_a_real_problem_beside_the_unmapped_chain_still_counts() -> None:
    found = given(
        healthy(Stage.VALIDATE),
        0.9,
        (flag("NO_COACH"), flag("DECISION_MAKER_WITH_COMPETITOR"), flag("EVALUATOR_LOCKED")),
    )
    assert found.status == AT_RISK
    assert next(r for r in found.reasons if r.code == "NO_COACH").status == ATTENTION


def test_e4_negotiation_at_35_percent_is_at_risk() -> None:
    found = given(healthy(Stage.NEGOTIATION), 0.35)
    assert found.status == AT_RISK
    assert texts(found) == [
        "Win likelihood 35% is under 40%: below it a deal at Negotiation and signing is at risk"
    ]
    assert found.reasons[0].text_zh == "赢单概率35%，低于谈判签约阶段的风险线40%"


def test_e5_proposal_at_50_percent_needs_attention() -> None:
    found = given(healthy(Stage.PROPOSAL), 0.5, (flag("APPROVER_NEVER_MET", "MEDIUM"),))
    assert found.status == ATTENTION
    assert [r.code for r in found.reasons] == ["LOW_LIKELIHOOD"]


def test_e6_negotiation_at_75_percent_with_no_flags_and_recent_activity_is_on_track() -> None:
    found = given(healthy(Stage.NEGOTIATION), 0.75)
    assert found.status == ON_TRACK
    assert [r.code for r in found.reasons] == ["ON_TRACK"]


def test_e7_a_passed_close_date_needs_attention() -> None:
    found = given(healthy(Stage.NEGOTIATION, close="2025-12-01"), 0.75)
    assert found.status == ATTENTION
    assert texts(found) == ["Expected close 2025-12-01 has passed: update the date or the deal"]
    assert found.reasons[0].text_zh == "预计签约日期2025-12-01已过：请更新日期或商机"


@pytest.mark.parametrize("stage", [Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION, *FROM_PROPOSAL])
def test_e7_the_engine_s_slipped_deal_otherwise_fine_needs_attention(stage: Stage) -> None:
    """A passed close date docks "is it real", and the likelihood with it: the slip is one
    thing to fix (update the date or the deal), not also a low likelihood."""
    champion = Attitude.CHAMPION
    chain = healthy(stage, close="2025-12-01", dm_attitude=champion)
    assert judged(healthy(stage, dm_attitude=champion)).status == ON_TRACK
    found = judged(chain)
    assert [r.code for r in found.reasons] == ["SLIPPED"]
    assert found.status == ATTENTION


def test_e7_a_slipped_deal_otherwise_at_risk_stays_at_risk() -> None:
    found = given(healthy(Stage.NEGOTIATION, close="2025-12-01"), 0.75, (flag("A"), flag("B")))
    assert found.status == AT_RISK
    assert "SLIPPED" in [r.code for r in found.reasons]
    assert found.reasons[0].status == AT_RISK  # the worst first


@pytest.mark.parametrize("stage", FROM_PROPOSAL)
def test_e8_a_stalled_deal_from_the_proposal_on_is_at_risk(stage: Stage) -> None:
    found = given(healthy(stage, last_contact_days=45), 0.75)
    assert found.status == AT_RISK
    assert texts(found) == ["No contact with the customer for 45 days"]
    assert found.reasons[0].text_zh == "已45天未与客户接触"


@pytest.mark.parametrize("stage", BEFORE_PROPOSAL)
def test_e8_a_stalled_deal_before_the_proposal_needs_attention(stage: Stage) -> None:
    found = given(healthy(stage, last_contact_days=45), 0.75)
    assert found.status == ATTENTION
    assert [r.code for r in found.reasons] == ["STALLED"]


def test_e8_stalled_is_the_process_idle_rule() -> None:
    """The limit is the process's idle rule's; a planned contact and another deal's contact
    are no contact with this deal's customer, and a deal with none counts from its stage entry."""
    assert given(healthy(Stage.PROPOSAL, last_contact_days=IDLE_DAYS - 1), 0.75).status == ON_TRACK
    stale = healthy(Stage.PROPOSAL, last_contact_days=IDLE_DAYS + 1)
    assert given(stale, 0.75).status == AT_RISK
    planned = act("p1", "dm", -3)
    other = dataclasses.replace(act("x1", "dm", 1), opportunity_id="o2")
    assert given(_plus(stale, planned, other), 0.75).status == AT_RISK
    met_again = _plus(stale, act("y1", "dm", 2), act("y2", "coach", 2))  # the coach too: below
    assert given(met_again, 0.75).status == ON_TRACK
    none = dataclasses.replace(stale, activities=())
    found = deal_health(
        entered(none, 50), (), 0.75, NOW, idle_days=IDLE_DAYS, config=default_config()
    )
    assert found is not None
    assert found.status == AT_RISK
    assert [r.text_en for r in found.reasons] == ["No contact with the customer for 50 days"]


def _plus(chain: ChainSnapshot, *extra: ActivityFacts) -> ChainSnapshot:
    return dataclasses.replace(chain, activities=chain.activities + extra)


def test_a_closed_deal_has_no_status() -> None:
    won = deal_health(
        healthy(Stage.WON),
        (),
        1.0,
        NOW,
        idle_days=IDLE_DAYS,
        config=default_config(),
    )
    assert won is None


def test_e9_in_a_book_only_the_real_problems_are_at_risk() -> None:
    """Early deals with nothing wrong and a few real problems: only the problems are at risk,
    and the early ones are on track (the old absolute rule made every one of them red)."""
    fine = {
        "v1": healthy(Stage.VALIDATE, oid="v1"),
        "v2": healthy(Stage.VALIDATE, oid="v2", last_contact_days=1),
        "i1": healthy(Stage.INITIATE, oid="i1"),
        "i2": healthy(Stage.INITIATE, oid="i2", last_contact_days=12, close=None),
        "r1": healthy(Stage.REQUIREMENTS, oid="r1"),
        "r2": healthy(Stage.REQUIREMENTS, oid="r2", last_contact_days=20),
    }
    problems = {
        "no-dm-no-coach": without_dm_and_coach(healthy(Stage.INITIATE, oid="p1")),
        "negotiation-unknown": without_dm_and_coach(healthy(Stage.NEGOTIATION, oid="p2")),
        "proposal-stalled": healthy(Stage.PROPOSAL, oid="p3", last_contact_days=45),
    }
    watched = {"rival-dm": with_rival_dm(healthy(Stage.VALIDATE, oid="w1"))}
    book = {**fine, **problems, **watched}
    status = {name: judged(chain).status for name, chain in book.items()}
    assert {n for n, s in status.items() if s == AT_RISK} == set(problems)
    assert {n for n, s in status.items() if s == ON_TRACK} == set(fine)
    assert status["rival-dm"] == ATTENTION


def test_every_reason_is_worded_in_both_languages_without_ids() -> None:
    chain = with_rival_dm(healthy(Stage.NEGOTIATION, close="2025-12-01", last_contact_days=45))
    found = judged(chain)
    for reason in found.reasons:
        assert reason.text_en
        assert reason.text_zh
        for word in ("dm", "rival", "o1"):
            assert word not in reason.text_en.split()
            assert word not in reason.text_zh
        assert "," not in reason.text_zh
        assert ":" not in reason.text_zh


@pytest.mark.parametrize("code", ["NO_DECISION_MAKER", "DECISION_MAKER_WITH_COMPETITOR"])
@pytest.mark.parametrize("stage", FROM_PROPOSAL)
def test_from_the_proposal_on_a_signer_flag_alone_puts_a_deal_at_risk(
    code: str, stage: Stage
) -> None:
    """Bidding with nobody known who signs, or with a signer who backs a rival, is a make-weight
    bid, whatever else looks good."""
    assert given(healthy(stage), 0.9, (flag(code),)).status == AT_RISK


@pytest.mark.parametrize("stage", [Stage.INITIATE, Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION])
def test_before_the_proposal_a_signer_flag_alone_needs_attention(stage: Stage) -> None:
    assert given(healthy(stage), 0.9, (flag("NO_DECISION_MAKER"),)).status == ATTENTION


def test_a_likelihood_just_under_its_bar_never_reads_as_the_bar() -> None:
    found = given(healthy(Stage.NEGOTIATION), 0.5998)
    assert found.status == ATTENTION
    assert texts(found) == [
        "Win likelihood 59.9% is under the 60% expected at Negotiation and signing"
    ]


def test_a_likelihood_under_its_bar_reads_as_the_deal_shows_it() -> None:
    """The deal's header shows 0.228 as 23 %: the status reason says 23% too, not 22%."""
    found = given(healthy(Stage.NEGOTIATION), 0.228)
    assert texts(found) == [
        "Win likelihood 23% is under 40%: below it a deal at Negotiation and signing is at risk"
    ]


def test_a_textbook_bid_is_on_track() -> None:
    """A healthy bid reads about 60 %: the bidding stage's bar leaves it room."""
    assert given(healthy(Stage.BIDDING), 0.6).status == ON_TRACK


def _procurement_quiet(stage: Stage, days: float) -> ChainSnapshot:
    chain = healthy(stage)
    buyer = member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.NEUTRAL)
    return dataclasses.replace(
        chain,
        members=(*chain.members, buyer),
        persons=(*chain.persons, dataclasses.replace(chain.persons[0], id="buyer", name="刘洋")),
        activities=(*chain.activities, act("b1", "buyer", days)),
    )


@pytest.mark.parametrize("stage", [Stage.BIDDING, Stage.NEGOTIATION])
def test_a_signer_nobody_talked_to_for_three_weeks_at_the_settling_needs_attention(
    stage: Stage,
) -> None:
    """The decision maker met last week, but procurement silent for 21 days while the contract is
    settled: whoever kept talking to them wins the signing. A sales leader: procurement may go
    14 days at the bidding, a week in the negotiation."""
    found = given(_procurement_quiet(stage, 21), 0.8)
    assert found.status == ATTENTION
    assert [r.code for r in found.reasons] == ["SIGNERS_QUIET"]
    limit, name = (14, "Bidding") if stage is Stage.BIDDING else (7, "Negotiation and signing")
    assert texts(found) == [
        f"Not contacted for longer than {name} allows: 刘洋 (procurement, 21 days; at most {limit})"
    ]
    assert found.reasons[0].person_ids == ("buyer",)
    assert given(_procurement_quiet(stage, 6), 0.8).status == ON_TRACK
    assert given(_procurement_quiet(stage, 10), 0.8).status == (
        ON_TRACK if stage is Stage.BIDDING else ATTENTION
    )


def test_once_the_bid_is_in_procurement_keeping_silent_is_the_rule() -> None:
    """A sales leader: with our bid submitted, procurement runs the evaluation and may not talk
    to a bidder until the award; three weeks of silence is the rule, not a deal slipping away.
    A decision maker gone quiet still is."""
    chain = _procurement_quiet(Stage.BIDDING, 21)
    sealed = dataclasses.replace(
        chain,
        opportunity=dataclasses.replace(chain.opportunity, quote_status=QuoteStatus.SUBMITTED),
    )
    assert given(sealed, 0.8).status == ON_TRACK
    quiet_dm = dataclasses.replace(
        sealed,
        activities=tuple(
            dataclasses.replace(a, occurred_at=NOW - 30 * DAY) if a.person_ids == ("dm",) else a
            for a in sealed.activities
        ),
    )
    found = given(quiet_dm, 0.8)
    assert [r.code for r in found.reasons] == ["SIGNERS_QUIET"]
    assert found.reasons[0].person_ids == ("dm",)


def test_before_the_bidding_a_quiet_procurement_is_no_reason() -> None:
    assert given(_procurement_quiet(Stage.PROPOSAL, 21), 0.8).status == ON_TRACK


@pytest.mark.parametrize(
    ("stage", "days", "flagged"),
    [
        (Stage.PROPOSAL, 35, True),  # the leader's case: five weeks, the rest met weekly
        (Stage.PROPOSAL, 20, False),  # within three weeks
        (Stage.VALUE_PRESENTATION, 35, False),  # no quote before her yet
        (Stage.BIDDING, 16, True),  # two weeks at the bidding
    ],
)
def test_the_budget_holder_gone_quiet_at_the_proposal_needs_attention(
    stage: Stage, days: float, flagged: bool
) -> None:
    """A sales leader, asked before the tool's answer: the CFO who holds the budget not
    contacted for five weeks at the proposal, while the IT head and the user department are met
    weekly, is a warning: his budget and price position is unverified. 21 days at the proposal,
    14 at the bidding; the rest of the deal met lately, so it is not the deal gone idle."""
    found = judged(_with_finance(stage, InfluenceLevel.HIGH, days))
    quiet = [r for r in found.reasons if r.code == "SIGNERS_QUIET"]
    if not flagged:
        assert quiet == []
        return
    assert found.status is ATTENTION
    (reason,) = quiet
    assert reason.person_ids == ("fin",)
    if stage is Stage.PROPOSAL:
        assert reason.text_en == (
            "Not contacted for longer than Proposal and quotation allows: "
            "韩处长 (finance, 35 days; at most 21)"
        )
        assert (
            reason.text_zh == "未接触时间超过方案与报价阶段的上限：韩处长（财务，35天；上限21天）"
        )


def test_a_coach_not_met_for_four_months_needs_attention() -> None:
    """The status's reason is the coach we stopped talking to, not a generic low likelihood."""
    chain = healthy(Stage.REQUIREMENTS)
    stale = tuple(
        dataclasses.replace(a, occurred_at=NOW - 120 * DAY) if a.person_ids == ("coach",) else a
        for a in chain.activities
    )
    found = given(dataclasses.replace(chain, activities=stale), 0.8)
    assert found.status == ATTENTION
    assert texts(found) == [
        "Our coach or champion not met for over 45 days: COACH (coach, 120 days)"
    ]
    assert found.reasons[0].text_zh == "教练或拥护者超过45天未见面：COACH（教练，120天）"


def _against_us_with_rival(stage: Stage) -> DealHealth:
    """The decision maker opposes us and backs a rival: two serious flags about one person."""
    chain = with_rival_dm(healthy(stage, dm_attitude=Attitude.OPPONENT))
    flags = analyse(chain, NOW, include_plan=False).analysis.red_flags
    assert {f.code for f in flags if f.severity == "HIGH"} == {
        "DECISION_MAKER_WITH_COMPETITOR",
        "HIGH_INFLUENCE_OPPONENT",
    }
    return given(chain, 0.9, flags)


@pytest.mark.parametrize("stage", BEFORE_PROPOSAL[1:])
def test_two_flags_about_one_person_read_as_one_line_and_count_once(stage: Stage) -> None:
    """ "Opposes us" and "supports Rival" are one danger a leader reads about one person: one
    line, one serious flag, so before the proposal it needs attention, not a rescue."""
    found = _against_us_with_rival(stage)
    assert found.status == ATTENTION
    assert texts(found) == ["DM (decision maker) opposes us and backs Rival Corp"]
    reason = found.reasons[0]
    assert reason.text_zh == "DM（决策者）反对我方，且支持Rival Corp"
    assert reason.code == "DECISION_MAKER_WITH_COMPETITOR"
    assert (reason.person_ids, reason.competitor_ids) == (("dm",), ("rival",))


@pytest.mark.parametrize("stage", FROM_PROPOSAL)
def test_a_decision_maker_against_us_and_with_a_rival_is_at_risk_from_the_proposal(
    stage: Stage,
) -> None:
    found = _against_us_with_rival(stage)
    assert found.status == AT_RISK
    assert texts(found) == ["DM (decision maker) opposes us and backs Rival Corp"]


def test_flags_about_one_person_and_the_decision_maker_read_as_one_line_about_that_person() -> None:
    """A sales director on the demo: the pipeline's five status reasons were three dangers,
    two lines each for the executive vice president (close to the incumbent, a veto, standing
    between us and the president) and for the chief accountant (opposes us, close to the cloud
    vendor, sways the president). A flag about one person and the decision maker is about that
    person: one line each, the rival said once, both people named."""
    chain = snap(
        dm(),
        member("evp", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.OPPONENT),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        reports_to=[tie("evp", "dm"), tie("fin", "dm"), tie("cio", "evp")],
        influences=[tie("fin", "dm", TieStrength.STRONG)],
        team_knows=[knows("cio", level=TieStrength.STRONG), knows("evp")],
        competitors=[RIVAL],
        competitor_ties=[close_to("evp", level=TieStrength.VERY_STRONG), close_to("fin")],
        opportunity=opp(stage=Stage.REQUIREMENTS),
    )
    flags = analyse(chain, NOW, include_plan=False).analysis.red_flags
    about = {(f.code, f.person_ids) for f in flags if f.severity == "HIGH"}
    assert ("COMPETITOR_ALLY_ON_PATH_TO_DM", ("evp", "dm")) in about
    assert ("COMPETITOR_ALLY_SWAYS_DM", ("fin", "dm")) in about
    found = given(chain, 0.2, flags)
    first = [r.person_ids[0] if r.person_ids else None for r in found.reasons]
    assert first.count("evp") == 1
    assert first.count("fin") == 1
    evp, fin = (found.reasons[first.index(p)] for p in ("evp", "fin"))
    assert evp.text_zh == (
        "EVP（审批者）与Rival Corp关系密切，且握有否决权，且挡在我们与决策者DM之间"
    )
    assert evp.text_en == (
        "EVP (approver) is close to Rival Corp and can refuse the deal and stands between us and DM"
    )
    assert evp.person_ids == ("evp", "dm")
    assert fin.text_zh.startswith("FIN（财务）反对我方，且与Rival Corp关系密切，")


def test_flags_about_two_people_still_count_as_two() -> None:
    about = {
        "te": RedFlag("EVALUATOR_LOCKED", "HIGH", ("te",), (), "te locked", "te 控标", "", ""),
        "cfo": RedFlag("HIGH_INFLUENCE_OPPONENT", "HIGH", ("cfo",), (), "cfo", "cfo", "", ""),
    }
    found = given(healthy(Stage.REQUIREMENTS), 0.9, tuple(about.values()))
    assert found.status == AT_RISK
    assert texts(found) == ["te locked", "cfo"]


# --- a forecast pushed out again and again (P1-P7, written before the rule was) ---------------


def _moved(
    stage: Stage,
    *moves: tuple[str | None, str | None],
    moved_at: Stage | None = None,
    close: str | None = None,
) -> ChainSnapshot:
    """A deal otherwise on track whose close date moved from one date to the next, each move
    made while the deal was at ``moved_at`` (its stage now when not given)."""
    chain = healthy(stage, close=close or moves[-1][1])
    recorded = tuple(
        CloseDateMove(before, after, moved_at or stage, NOW - (len(moves) - n) * 30 * DAY)
        for n, (before, after) in enumerate(moves)
    )
    return dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, close_date_moves=recorded)
    )


ONE_PUSH = (("2026-03-31", "2026-04-30"),)
TWO_PUSHES = (("2026-03-31", "2026-04-30"), ("2026-04-30", "2026-06-30"))
THREE_PUSHES = (*TWO_PUSHES, ("2026-06-30", "2026-09-30"))


def test_p1_a_close_date_moved_out_once_is_how_deals_go() -> None:
    assert given(_moved(Stage.NEGOTIATION, *ONE_PUSH), 0.75).status == ON_TRACK


@pytest.mark.parametrize("stage", [Stage.INITIATE, Stage.PROPOSAL, Stage.NEGOTIATION])
def test_p2_a_close_date_moved_out_twice_needs_attention(stage: Stage) -> None:
    """Twice is a pattern: the leader asks what keeps the customer from deciding."""
    found = given(_moved(stage, *TWO_PUSHES), 0.9)
    assert found.status == ATTENTION
    assert [r.code for r in found.reasons] == ["CLOSE_PUSHED_OUT"]
    assert texts(found) == [
        "Expected close moved out 2 times, from 2026-03-31 to 2026-06-30: find out what "
        "keeps the customer from deciding"
    ]
    assert found.reasons[0].text_zh == (
        "预计签约日期已推迟2次（从2026-03-31推迟到2026-06-30）：请弄清客户迟迟未做决定的原因"
    )


@pytest.mark.parametrize("stage", [Stage.INITIATE, Stage.PROPOSAL, Stage.NEGOTIATION])
def test_p3_a_close_date_moved_out_three_times_is_at_risk(stage: Stage) -> None:
    """A deal pushed three times is a hope, not a forecast."""
    found = given(_moved(stage, *THREE_PUSHES), 0.9)
    assert found.status == AT_RISK
    assert texts(found)[0].startswith(
        "Expected close moved out 3 times, from 2026-03-31 to 2026-09-30"
    )


def test_p4_a_few_days_either_way_is_tidying_not_a_push() -> None:
    tidied = (
        ("2026-03-28", "2026-03-31"),
        ("2026-03-31", "2026-04-03"),
        ("2026-04-03", "2026-04-06"),
    )
    assert given(_moved(Stage.NEGOTIATION, *tidied), 0.75).status == ON_TRACK


def test_p5_moves_while_the_deal_was_validated_were_guesses() -> None:
    """Before the company commits to a deal its close date is a guess, and refining it is no
    slip; the same moves made after the initiation are."""
    guessed = _moved(Stage.PROPOSAL, *THREE_PUSHES, moved_at=Stage.VALIDATE)
    assert given(guessed, 0.9).status == ON_TRACK


def test_p6_a_date_pulled_in_is_no_push_but_moving_it_back_out_is() -> None:
    """Moving a date pulled in back out is a commitment missed; the text says where the date
    stood before (30 June) rather than the pulled-in one, so the slip reads as long as it is."""
    back_and_forth = (
        ("2026-06-30", "2026-05-31"),
        ("2026-05-31", "2026-06-30"),
        ("2026-06-30", "2026-07-31"),
    )
    found = given(_moved(Stage.PROPOSAL, *back_and_forth), 0.9)
    assert found.status == ATTENTION
    assert texts(found)[0].startswith(
        "Expected close moved out 2 times, from 2026-06-30 to 2026-07-31"
    )
    assert given(_moved(Stage.PROPOSAL, *back_and_forth[:2]), 0.9).status == ON_TRACK


def test_p7_a_passed_date_after_two_pushes_says_both() -> None:
    found = given(_moved(Stage.NEGOTIATION, *TWO_PUSHES, close="2025-12-15"), 0.9)
    assert found.status == ATTENTION
    assert [r.code for r in found.reasons] == ["SLIPPED", "CLOSE_PUSHED_OUT"]


def test_p8_pushes_long_ago_are_history_once_the_deal_moved_on() -> None:
    """Three pushes a year ago, the deal since two stages further and healthy: the customer
    has decided since; old pushes do not mark a deal for life."""
    chain = _moved(Stage.BIDDING, *THREE_PUSHES, moved_at=Stage.INITIATE)
    old = tuple(
        dataclasses.replace(m, at=NOW - (365 - n) * DAY)
        for n, m in enumerate(chain.opportunity.close_date_moves)
    )
    chain = dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, close_date_moves=old)
    )
    assert given(chain, 0.9).status == ON_TRACK


def test_p9_one_push_of_nine_months_asks_whether_the_budget_still_stands() -> None:
    """A hospital or a bank moving a deal by most of a year has usually missed this year's
    budget approval: a new budget round, maybe a new tender."""
    found = given(_moved(Stage.PROPOSAL, ("2026-03-31", "2026-12-31")), 0.9)
    assert found.status == ATTENTION
    assert texts(found) == [
        "Expected close moved out by 9 months, from 2026-03-31 to 2026-12-31: is the budget "
        "still approved?"
    ]
    assert found.reasons[0].text_zh == (
        "预计签约日期一次推迟了9个月（从2026-03-31推迟到2026-12-31）：请确认预算是否仍然有效"
    )
    assert given(_moved(Stage.PROPOSAL, ("2026-03-31", "2026-05-31")), 0.9).status == ON_TRACK


def test_p10_small_moves_add_up_to_a_push() -> None:
    """Six days at a time is never a week, but five such moves are a month gone."""
    day = [f"2026-03-{d:02}" for d in (1, 7, 13, 19, 25, 31)]
    creeping = tuple(itertools.pairwise(day))
    found = given(_moved(Stage.NEGOTIATION, *creeping), 0.9)
    assert found.status == ATTENTION
    assert texts(found)[0].startswith(
        "Expected close moved out 2 times, from 2026-03-01 to 2026-03-31"
    )


def test_p11_a_date_cleared_and_set_again_later_is_a_push_from_the_one_cleared() -> None:
    """Clearing the date does not wipe the slate: set again two months later, it moved out."""
    cleared = (("2026-03-31", "2026-04-30"), ("2026-04-30", None), (None, "2026-06-30"))
    found = given(_moved(Stage.PROPOSAL, *cleared), 0.9)
    assert found.status == ATTENTION
    assert texts(found)[0].startswith(
        "Expected close moved out 2 times, from 2026-03-31 to 2026-06-30"
    )


def test_p12_a_date_typed_wrong_and_put_right_at_once_moved_nothing() -> None:
    """2027 typed as 2026 and fixed a minute later is no push, and never "moved out by 4
    months, from 2027-03-23 to 2027-03-23"."""
    chain = healthy(Stage.PROPOSAL, close="2027-03-23")
    typo = (
        CloseDateMove("2027-03-23", "2026-11-15", Stage.PROPOSAL, NOW - 2 * DAY),
        CloseDateMove("2026-11-15", "2027-03-23", Stage.PROPOSAL, NOW - 2 * DAY + 60_000),
    )
    chain = dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, close_date_moves=typo)
    )
    assert given(chain, 0.9).status == ON_TRACK


def test_p13_a_date_pulled_in_and_set_back_where_it_stood_has_not_gone_months_out() -> None:
    """Pulled in by four months, then set back where it stood a month later: a commitment
    missed (one push), but the deal's date is no further out than it was."""
    back = (("2027-03-23", "2026-11-15"), ("2026-11-15", "2027-03-23"))
    found = given(_moved(Stage.PROPOSAL, *back), 0.9)
    assert found.status == ON_TRACK
    further = (*back, ("2027-03-23", "2027-09-30"))
    (reason,) = given(_moved(Stage.PROPOSAL, *further), 0.9).reasons
    assert reason.text_en.startswith("Expected close moved out 2 times, from 2027-03-23")
    far = given(_moved(Stage.PROPOSAL, *back[:1], ("2026-11-15", "2027-09-30")), 0.9)
    assert [r.text_en for r in far.reasons] == [
        "Expected close moved out by 6 months, from 2027-03-23 to 2027-09-30: is the budget "
        "still approved?"
    ]


def test_a_deal_whose_only_coach_works_for_the_rival_needs_attention() -> None:
    """Otherwise a sound early deal; but the one coach is close to the competitor, so what
    guides us may be the competitor's story: needs attention, saying so by name."""
    chain = dataclasses.replace(
        healthy(Stage.REQUIREMENTS),
        competitors=(RIVAL,),
        competitor_ties=(close_to("coach"),),
    )
    found = judged(chain)
    assert found.status == HealthStatus.NEEDS_ATTENTION
    assert [r.text_en for r in found.reasons] == [
        "No coach we can trust: COACH is close to Rival Corp"
    ]


@pytest.mark.parametrize("stage", [Stage.REQUIREMENTS, Stage.NEGOTIATION])
def test_a_decision_maker_said_to_back_us_but_close_to_the_rival_needs_attention(
    stage: Stage,
) -> None:
    """His support is a claim to confirm, not a lost deal: needs attention at any stage, and
    the reason says why by name."""
    chain = with_rival_dm(healthy(stage, dm_attitude=Attitude.SUPPORTER))
    found = judged(chain)
    assert found.status == HealthStatus.NEEDS_ATTENTION
    assert "DM (decision maker) is said to back us but is close to Rival Corp" in [
        r.text_en for r in found.reasons
    ]


def test_a_supervisor_dinner_held_puts_the_deal_at_risk_a_planned_one_needs_attention() -> None:
    """A sales leader: a meal with the officer who supervises a state-owned tender, once held,
    can disqualify the bid whatever else stands well, so the deal is at risk; one still planned
    needs attention: call it off."""
    base = healthy(Stage.REQUIREMENTS)
    sup = member("sup", DecisionRole.SUPERVISOR, InfluenceLevel.MEDIUM)

    def with_dinner(days_ago: float) -> ChainSnapshot:
        dinner = act("d1", "sup", days_ago, type=ActivityType.SOCIAL)
        return dataclasses.replace(
            base,
            members=(*base.members, sup),
            persons=(*base.persons, *snap(sup).persons),
            activities=(*base.activities, act("m1", "sup", 6, type=ActivityType.MEETING), dinner),
        )

    assert judged(base).status == ON_TRACK
    held = judged(with_dinner(2))
    assert held.status == AT_RISK, held
    assert held.reasons[0].code == "SOCIAL_CONTACT_WITH_SUPERVISOR"
    planned = judged(with_dinner(-3))
    assert planned.status == ATTENTION, planned
    assert planned.reasons[0].code == "PLANNED_SOCIAL_CONTACT_WITH_SUPERVISOR"


def test_a_dinner_with_the_evaluators_during_the_tender_puts_the_deal_at_risk() -> None:
    """A sales leader: a meal with those who evaluate the bids, once held during the tender,
    can void the bid if anyone raises it: at risk on its own. One still planned needs
    attention: it can be called off."""
    chain = healthy(Stage.BIDDING)
    held = given(chain, 0.6, (flag("SOCIAL_CONTACT_WITH_EVALUATOR"),))
    assert held.status == AT_RISK, held
    planned = given(chain, 0.6, (flag("PLANNED_SOCIAL_CONTACT_WITH_EVALUATOR"),))
    assert planned.status == ATTENTION, planned


@pytest.mark.parametrize("stage", [s for s in OPEN if s not in EARLY])
def test_past_initiation_a_deal_with_no_budget_on_record_needs_attention(stage: Stage) -> None:
    """A sales director: "I do not call a deal on track when nobody has confirmed a budget
    after initiation", whatever else reads well: the reason says whom to confirm it with."""
    fine = healthy(stage, close="2026-03-30")
    assert "NO_BUDGET" not in {r.code for r in judged(fine).reasons}
    unfunded = dataclasses.replace(
        fine, opportunity=dataclasses.replace(fine.opportunity, budget=None)
    )
    found = judged(unfunded)
    assert found.status != ON_TRACK
    if judged(fine).status == ON_TRACK:
        assert found.status == ATTENTION
    reason = next(r for r in found.reasons if r.code == "NO_BUDGET")
    assert reason.status == ATTENTION
    assert reason.text_en.endswith("confirm it with DM")
    assert reason.text_zh.endswith("请与DM确认")


@pytest.mark.parametrize("stage", EARLY)
def test_before_the_requirements_an_unknown_budget_is_still_being_found_out(stage: Stage) -> None:
    chain = healthy(stage)
    unfunded = dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, budget=None)
    )
    assert judged(unfunded).status == ON_TRACK


def test_the_budget_is_confirmed_with_finance_before_whoever_decides() -> None:
    chain = healthy(Stage.REQUIREMENTS)
    chain = dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, budget=None)
    )
    with_cfo = snap(
        *chain.members,
        member("cfo", DecisionRole.FINANCE),
        opportunity=chain.opportunity,
        activities=list(chain.activities),
    )
    reason = next(r for r in judged(with_cfo).reasons if r.code == "NO_BUDGET")
    assert reason.text_en.endswith("confirm it with CFO")


def moved_back(chain: ChainSnapshot, furthest: Stage) -> ChainSnapshot:
    """``chain`` moved back from ``furthest`` to its stage."""
    return dataclasses.replace(
        chain, opportunity=dataclasses.replace(chain.opportunity, furthest_stage=furthest)
    )


def test_a_deal_moved_back_is_news_for_a_month_and_at_risk_out_of_the_commit() -> None:
    """A sales director: a deal moved back needs a look (what changed, what it takes to get
    back); one that fell out of the negotiation (a tender annulled and run again) has left the
    commit and is at risk, whatever it reads. A month on it is a deal at its stage again."""
    rerun = moved_back(healthy(Stage.BIDDING), Stage.NEGOTIATION)
    news = judged(rerun, stage_entered_days=8)
    assert news.status is AT_RISK
    (reason,) = (r for r in news.reasons if r.code == "MOVED_BACK")
    assert reason.status is AT_RISK
    assert reason.text_en == (
        "Moved back to Bidding 8 days ago (it had reached Negotiation and signing): out of the "
        "forecast's commit; find out what changed and what it takes to get back to Negotiation "
        "and signing"
    )
    assert reason.text_zh.startswith("8天前退回组织投标（此前已进入谈判签约），已不在承诺预测之内")
    assert "MOVED_BACK" not in {r.code for r in judged(rerun, stage_entered_days=40).reasons}
    scoped = judged(moved_back(healthy(Stage.REQUIREMENTS), Stage.VALUE_PRESENTATION), 8)
    (reason,) = (r for r in scoped.reasons if r.code == "MOVED_BACK")
    assert reason.status is ATTENTION
    assert scoped.status is ATTENTION


def test_a_move_back_last_evening_was_yesterday_by_the_calendar() -> None:
    """Moved back at six last evening, read at midnight: six hours, but the page shows
    yesterday's date beside it, so the reason says "1 day ago", not "today"."""
    rerun = moved_back(healthy(Stage.BIDDING), Stage.NEGOTIATION)
    (reason,) = (r for r in judged(rerun, 0.25).reasons if r.code == "MOVED_BACK")
    assert reason.text_en.startswith("Moved back to Bidding 1 day ago ")
    assert reason.text_zh.startswith("1天前退回组织投标")


def test_a_deal_moved_back_reads_no_better_in_a_review() -> None:
    """A sales director: a decision maker who backs a rival puts a deal at risk from the
    proposal on; moving it back to value presentation does not take that away, long after
    the move. The same deal that never reached the proposal only needs attention. Signers
    nobody talks to are watched by the limits of the stage the deal reached, and still are
    once it was moved back."""
    backs_rival = with_rival_dm(healthy(Stage.VALUE_PRESENTATION))
    assert judged(backs_rival, stage_entered_days=40).status is ATTENTION
    assert judged(moved_back(backs_rival, Stage.PROPOSAL), stage_entered_days=40).status is AT_RISK
    # nor are the signers watched any less once the bids were in
    quiet = healthy(Stage.VALUE_PRESENTATION, last_contact_days=25)
    assert "SIGNERS_QUIET" not in {r.code for r in judged(quiet, 40).reasons}
    back = judged(moved_back(quiet, Stage.BIDDING), 40)
    assert "SIGNERS_QUIET" in {r.code for r in back.reasons}


def _days_at_stage_reason(found: DealHealth) -> list[tuple[str, HealthStatus]]:
    return [(r.text_en, r.status) for r in found.reasons if r.code == "STALLED_IN_STAGE"]


def test_a_proposal_sitting_past_sixty_days_needs_attention_past_120_is_at_risk() -> None:
    """A second sales director (casebook case 104): "more than 60 days at the proposal needs
    attention, more than 120 days is at risk", however lively the contacts (here everyone was
    met five days ago): a coach's weekly call hides a proposal nobody decides on."""
    chain = healthy(Stage.PROPOSAL)
    assert _days_at_stage_reason(judged(chain, stage_entered_days=59)) == []
    reason = judged(chain, stage_entered_days=61).reasons
    found = next(r for r in reason if r.code == "STALLED_IN_STAGE")
    assert found.status == ATTENTION
    assert found.text_en == (
        "61 days at Proposal and quotation, over the 60 a deal should take there: the deal is "
        "not moving, whatever the contacts say"
    )
    assert found.text_zh == (
        "已在方案与报价阶段停留61天，超过该阶段应有的60天：无论接触多频繁，商机都没有推进"
    )
    late = judged(chain, stage_entered_days=125)
    assert late.status == AT_RISK
    [(text, status)] = _days_at_stage_reason(late)
    assert status == AT_RISK
    assert text.startswith("125 days at Proposal and quotation, over the 120 after which")


def test_time_in_stage_is_a_red_flag_naming_who_decides() -> None:
    flags = analyse(entered(healthy(Stage.PROPOSAL), 90), NOW, include_plan=False)
    flag = next(f for f in flags.analysis.red_flags if f.code == "STALLED_IN_STAGE")
    assert flag.severity == "HIGH"
    assert "Ask DM what stands between Proposal and quotation and a decision" in flag.coaching_en
    assert "向DM了解从方案与报价到做出决定还差什么" in flag.coaching_zh


@pytest.mark.parametrize(
    "stage", [Stage.INITIATE, Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION, Stage.BIDDING]
)
def test_stages_that_run_on_the_customers_or_the_tenders_calendar_are_not_judged_by_time(
    stage: Stage,
) -> None:
    """Early stages run on the customer's budget cycle (case 75: 130 days at requirements,
    revived, is not at risk for its age); the bidding runs on the tender's own calendar."""
    found = judged(healthy(stage), stage_entered_days=200)
    assert _days_at_stage_reason(found) == []


def test_a_deal_moved_back_counts_its_days_from_when_it_re_entered_at_the_stage_it_stands_at() -> (
    None
):
    """Moved back from the proposal to value presentation 100 days ago: its days are value
    presentation's (not judged by time), not read at the proposal it reached; moved back from
    the bidding to the proposal 20 days ago, its clock at the proposal starts again."""
    back = dataclasses.replace(
        healthy(Stage.VALUE_PRESENTATION),
        opportunity=opp(
            stage=Stage.VALUE_PRESENTATION,
            furthest_stage=Stage.PROPOSAL,
            expected_close_date=MONTHS_AWAY,
            budget=1_100_000,
            compelling_event="the new ward opens",
        ),
    )
    assert _days_at_stage_reason(judged(back, stage_entered_days=100)) == []
    rebid = dataclasses.replace(
        back,
        opportunity=dataclasses.replace(
            back.opportunity, stage=Stage.PROPOSAL, furthest_stage=Stage.BIDDING
        ),
    )
    assert _days_at_stage_reason(judged(rebid, stage_entered_days=20)) == []
    assert _days_at_stage_reason(judged(rebid, stage_entered_days=70)) != []


def test_sitting_at_the_proposal_costs_a_little_likelihood() -> None:
    """The stage prior is held, not owned: 90 days at the proposal keep three quarters of its
    proof (a few points), 120 and more half of it; the bidding keeps it all."""
    chain = healthy(Stage.PROPOSAL)

    def likelihood(days: float, c: ChainSnapshot = chain) -> float:
        return analyse(entered(c, days), NOW, include_plan=False).win_likelihood

    fresh, ninety, late, later = likelihood(30), likelihood(90), likelihood(125), likelihood(400)
    assert fresh - 0.06 < ninety < fresh - 0.01
    assert late < ninety
    assert late == pytest.approx(later)
    stage = next(
        t
        for t in analyse(
            entered(chain, 90), NOW, include_plan=False
        ).assessment.win_likelihood.terms
        if t.factor == "stage"
    )
    assert "it has sat 90 days at it" in stage.text_en
    assert "已在本阶段停留90天" in stage.text_zh
    bid = healthy(Stage.BIDDING)
    assert likelihood(30, bid) == pytest.approx(likelihood(200, bid))


def _with_finance(
    stage: Stage,
    influence: InfluenceLevel,
    met_days: float,
    quote_status: QuoteStatus = QuoteStatus.NONE,
) -> ChainSnapshot:
    chain = healthy(stage)
    deal = dataclasses.replace(chain.opportunity, quote_status=quote_status)
    return dataclasses.replace(
        chain,
        opportunity=deal,
        members=(*chain.members, member("fin", DecisionRole.FINANCE, influence)),
        persons=(*chain.persons, dataclasses.replace(chain.persons[0], id="fin", name="韩处长")),
        activities=(*chain.activities, act("a9", "fin", met_days)),
    )


def test_a_high_influence_finance_head_not_talked_to_in_the_commercial_stage_is_named() -> None:
    """A second sales director (case 102): the finance head who holds the budget co-signs the
    amount and the payment terms, so she joins the approvers and the decision maker in the
    "not contacted for too long" check; a finance officer of medium
    influence checks the numbers (case 92: met 20 days before, on track), and with our bid in
    finance sits on the evaluation and keeps silent by rule. Before the proposal, with no quote
    before her, she is not watched."""
    found = judged(_with_finance(Stage.NEGOTIATION, InfluenceLevel.HIGH, 30))
    quiet = next(r for r in found.reasons if r.code == "SIGNERS_QUIET")
    assert "韩处长 (finance, 30 days; at most 14)" in quiet.text_en
    assert "韩处长（财务，30天；上限14天）" in quiet.text_zh
    medium = judged(_with_finance(Stage.NEGOTIATION, InfluenceLevel.MEDIUM, 30))
    assert "SIGNERS_QUIET" not in {r.code for r in medium.reasons}
    early = judged(_with_finance(Stage.VALUE_PRESENTATION, InfluenceLevel.HIGH, 30))
    assert "SIGNERS_QUIET" not in {r.code for r in early.reasons}
    sealed = _with_finance(
        Stage.BIDDING, InfluenceLevel.HIGH, 30, quote_status=QuoteStatus.SUBMITTED
    )
    assert "SIGNERS_QUIET" not in {r.code for r in judged(sealed).reasons}


def _head_nurse_we_visit(days_since_visit: float) -> ChainSnapshot:
    """Requirements analysis: our only champion is a head nurse of low influence, whom our
    account manager knows well and visited ``days_since_visit`` ago; the vice dean who decides
    reports nowhere we reach and nobody of ours has met him; nobody is recorded as coach."""
    return snap(
        dm("vd"),
        member("hn", DecisionRole.USER, InfluenceLevel.LOW, Attitude.CHAMPION),
        member("nd", DecisionRole.BUSINESS_EVALUATOR),
        opportunity=opp(
            stage=Stage.REQUIREMENTS,
            expected_close_date=MONTHS_AWAY,
            budget=1_100_000,
            compelling_event="the nursing quality review",
        ),
        reports_to=[tie("hn", "nd"), tie("nd", "vd")],
        team_knows=[knows("hn", level=TieStrength.STRONG)],
        activities=[act("a1", "hn", days_since_visit), act("a2", "hn", days_since_visit + 12)],
    )


def test_a_champion_we_visit_every_week_makes_no_coach_a_to_do_whatever_her_rank() -> None:
    """Sales leaders (cases 67, 68): a head nurse of low influence whom our account manager
    visits often tells us what goes on inside; with the vice dean not yet met at requirements
    analysis the deal needs attention, not more: "no coach" is the account manager's to-do,
    naming her, and the plan still develops a coach. Not visited for two months, she guides
    us no more, and the two serious flags put the deal at risk."""
    chain = _head_nurse_we_visit(4)
    full = analyse(chain, NOW)
    (no_coach,) = [f for f in full.analysis.red_flags if f.code == "NO_COACH"]
    assert (no_coach.severity, no_coach.person_ids) == ("MEDIUM", ("hn",))
    assert no_coach.text_en.startswith("No coach recorded: HN, a champion we know well")
    assert no_coach.text_zh.startswith("尚未记录教练：HN是我方熟识且近期沟通过的铁杆支持者")
    assert judged(chain).status == ATTENTION
    assert "develop_coach" in {s.action_key for s in full.plan}
    assert judged(_head_nurse_we_visit(60)).status == AT_RISK
