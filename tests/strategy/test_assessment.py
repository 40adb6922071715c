from __future__ import annotations

import dataclasses
import itertools
import math
import re

import pytest
from builders import (
    DAY,
    NOW,
    RIVAL,
    act,
    chains,
    close_to,
    dm,
    failed_poc_chain,
    knows,
    member,
    opp,
    skeptical_cio_chain,
    snap,
    tie,
)
from hypothesis import given, settings
from hypothesis import strategies as hst

from domain.chain import ActivityFacts, ChainSnapshot, CompetitorFacts
from domain.vocabulary import (
    OPEN_STAGES,
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    InfluenceLevel,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TieStrength,
)
from strategy.assessment import (
    AssessMemo,
    Assessment,
    Totals,
    assess_totals,
    question_sums,
    trial_likelihood,
)
from strategy.casebook import NOW_MS, load_cases
from strategy.config import default_config
from strategy.engine import analyse, run_model
from strategy.scoring import Score
from strategy.whatif import AddActivity, SetAttitude, what_if

CFG = default_config()
LATER_STAGES = {Stage.VALUE_PRESENTATION, Stage.PROPOSAL, Stage.BIDDING, Stage.NEGOTIATION}


def assessment(chain: ChainSnapshot) -> Assessment:
    return analyse(chain, NOW, include_plan=False).assessment


def cut(score: Score) -> int:
    """The points a score's cut-off to 0..100 added, and those the likelihood leaves to
    another question (a decision maker nobody of ours has been in touch with: "can we win"
    counts it) taken back."""
    left = ("clamped", "decision_maker_unverified")
    return sum(r.points for r in score.reasons if r.factor in left)


@settings(max_examples=100, deadline=None)
@given(chains())
def test_questions_are_explained_scores_and_likelihood_follows_the_model(
    chain: ChainSnapshot,
) -> None:
    a = assessment(chain)
    questions = (a.is_real, a.can_compete, a.can_win, a.worth_it)
    for q in questions:
        assert 0 <= q.value <= 100
        assert sum(r.points for r in q.reasons) == q.value
    wl = a.win_likelihood
    lc = CFG.likelihood
    # is-it-real only holds a deal back (TAS qualifies); the stage is the prior
    stage = chain.opportunity.stage
    prior = lc.stage_prior[stage]
    if stage in LATER_STAGES:  # earned by the closest decision maker's closeness
        closeness = {s.person_id: s.closeness.value for s in analyse(chain, NOW).scores}
        dms = [m.person_id for m in chain.members if m.role == DecisionRole.DECISION_MAKER]
        best = max((closeness[p] for p in dms), default=None)
        base, full = CFG.closeness.base, lc.dm_proven_closeness
        share = 0.0 if best is None else min(1.0, max(0.0, (best - base) / (full - base)))
        # and kept only while the deal moves: none of it two months after the last contact
        contacts = [a.occurred_at for a in chain.activities if a.occurred_at <= NOW]
        quiet = (NOW - max(contacts)) // DAY if contacts else 0
        share *= min(
            1.0, max(0.0, (lc.silent_all_days - quiet) / (lc.silent_all_days - lc.silent_from_days))
        )
        low = lc.stage_prior[Stage.REQUIREMENTS]
        prior = prior if prior <= low else share * prior + (1 - share) * low
    # below the cut-off at 0 a question's raw sum counts a tenth, down to question_lowest; above
    # 100 it stays 100
    raw = [max(lc.question_lowest, min(100, q.value - cut(q))) for q in questions]
    # "can we compete" and "can we win" are read before each reason is rounded to a point, and
    # a deal moved back at the stage it left where that reads lower
    totals = run_model(chain, NOW, CFG).totals
    exact = question_sums(chain.opportunity, chain.competitors, totals, CFG)[:2]
    left = chain.opportunity.moved_back_from
    if left is not None:
        at_left = dataclasses.replace(chain.opportunity, stage=left)
        there = question_sums(at_left, chain.competitors, totals, CFG)[:2]
        exact = (min(exact[0], there[0]), min(exact[1], there[1]))
    for shown, q, e in zip(raw[1:3], questions[1:3], exact, strict=True):
        if lc.question_lowest < shown < 100:
            assert abs(e - shown) <= 0.5 * len(q.reasons)
    read = [raw[0], *(max(lc.question_lowest, min(100.0, e)) for e in exact), raw[3]]
    real, compete, win, worth = (v / 10 if v < 0 else v for v in read)
    z = lc.intercept + prior
    z += lc.real_weight * (min(real, 50) - 50) / 50 + lc.worth_weight * (worth - 50) / 50
    z += lc.compete_weight * (compete - 50) / 50 + lc.win_weight * (win - 50) / 50
    assert math.isclose(wl.logit, z, abs_tol=1e-12)
    assert math.isclose(wl.value, 1 / (1 + math.exp(-z)))
    assert [t.score for t in wl.terms] == [100, *raw]
    assert math.isclose(wl.intercept + math.fsum(t.logit for t in wl.terms), wl.logit)


REAL_DEAL = opp(
    budget=1_100_000,
    compelling_event="Regulator deadline",
    expected_close_date="2026-06-30",
    decision_process_known=True,
)


def test_a_real_opportunity_scores_higher_on_is_it_real() -> None:
    vague = snap(member("u"))
    real = snap(dm(), activities=[act("v", "dm", days_ago=20)], opportunity=REAL_DEAL)
    assert assessment(real).is_real.value == 100
    assert assessment(vague).is_real.value == CFG.assessment.real_base


def _real_reason(a: Assessment, factor: str) -> tuple[int, str] | None:
    found = [(r.points, r.text_en) for r in a.is_real.reasons if r.factor == factor]
    return found[0] if found else None


def test_a_decision_maker_nobody_of_ours_has_been_in_touch_with_is_not_yet_verified() -> None:
    """A sales VP, shown a deal scored 100/100 "is it real" whose decision maker (the hospital
    president) is known only through our champion: "5 of the 10, so 95: identified only
    through our champion, no direct contact by our team, so unverified". A meeting, a call or
    an e-mail with him verifies him; one of ours knowing him personally does not, nor does a
    meeting planned for next week, until it has taken place. It must not lower the win
    likelihood: "can we win" already counts the weak link to the president."""
    told = snap(dm(), member("cio", attitude=Attitude.CHAMPION), opportunity=REAL_DEAL)
    told = dataclasses.replace(told, person_knows=(tie("cio", "dm", TieStrength.STRONG),))
    unverified = assessment(told)
    assert unverified.is_real.value == 95
    points, text = _real_reason(unverified, "decision_maker_unverified") or (0, "")
    assert points == -5
    assert text.startswith("Nobody of ours has been in touch with decision maker DM yet: ")
    assert "unverified" in text
    for contact in (ActivityType.VISIT, ActivityType.CALL, ActivityType.EMAIL):
        met = dataclasses.replace(told, activities=(act("c", "dm", 3, type=contact),))
        assert assessment(met).is_real.value == 100, contact
        assert _real_reason(assessment(met), "decision_maker_unverified") is None
    known = dataclasses.replace(told, team_knows=(knows("dm", level=TieStrength.STRONG),))
    assert assessment(known).is_real.value == 95
    planned = dataclasses.replace(told, activities=(act("p", "dm", days_ago=-7),))
    assert assessment(planned).is_real.value == 95
    # the likelihood reads "is it real" as if verified: no gap is counted twice
    real_term = next(t for t in unverified.win_likelihood.terms if t.factor == "is_real")
    assert real_term.score == 100
    # and says so, or the page shows two figures for one question
    assert real_term.text_en.startswith(
        "Is it real? 95/100, read as 100/100 (a decision maker not yet contacted counts under"
        ' "Can we win?"): '
    )


def test_a_trial_that_contacts_a_decision_maker_swaps_the_totals_as_they_would_be_summed() -> None:
    """A work-plan trial swaps one member's state in O(1): contacting the only decision maker
    (or ending it) must leave the totals "is it real" reads as summing all states would."""
    two = snap(dm(), dm("sec"), member("u"), activities=[act("v", "dm", 10)], opportunity=REAL_DEAL)
    states = run_model(two, NOW, CFG).states
    totals = Totals.of(states, CFG)
    assert totals.unverified == ("sec",)
    sec = next(s for s in states if s.person_id == "sec")
    met = dataclasses.replace(sec, contacted=True)
    swapped = totals.replace(sec, met, CFG)
    assert swapped == Totals.of([met if s is sec else s for s in states], CFG)
    assert swapped.unverified == ()
    assert swapped.replace(met, sec, CFG) == totals
    demoted = dataclasses.replace(sec, role=DecisionRole.USER)
    assert totals.replace(sec, demoted, CFG).unverified == ()


def test_with_two_decision_makers_each_contacted_one_earns_its_part_rounded_down() -> None:
    """The VP: "5 for identifying them, each verified decision maker adds 5 divided by their
    number: one of two met gives 7.5, round down to 7, never in our favour; name the one we
    have not met"."""
    two = snap(dm(), dm("sec"), activities=[act("v", "dm", 10)], opportunity=REAL_DEAL)
    a = assessment(two)
    assert a.is_real.value == 97
    points, text = _real_reason(a, "decision_maker_unverified") or (0, "")
    assert points == -3
    assert text.startswith("Nobody of ours has been in touch with decision maker SEC yet: ")
    none = assessment(snap(dm(), dm("sec"), opportunity=REAL_DEAL))
    assert none.is_real.value == 95


def test_an_unverified_decision_maker_does_not_lower_the_likelihood_of_a_doubtful_deal() -> None:
    """Below the gate's 50 "is it real" pulls the likelihood down; the missing contact must
    not pull it down a second time (the VP: "counting it under both questions punishes the
    same gap twice")."""
    vague = opp(decision_process_known=True)
    unmet = assessment(snap(dm(), opportunity=vague))
    assert unmet.is_real.value < 50
    term = next(t for t in unmet.win_likelihood.terms if t.factor == "is_real")
    assert term.score == unmet.is_real.value + 5


def test_passed_close_date_is_penalised() -> None:
    stale = snap(dm(), opportunity=opp(expected_close_date="2025-06-30"))
    reasons = {r.factor: r.points for r in assessment(stale).is_real.reasons}
    assert reasons["timeline"] < 0


def test_profitable_deliverable_deal_is_worth_more() -> None:
    good = opp(presales_cost=30_000, delivery_cost=500_000, delivery_risk=DeliveryRisk.LOW)
    bad = opp(presales_cost=300_000, delivery_cost=900_000, delivery_risk=DeliveryRisk.HIGH)
    worth_good = assessment(snap(dm(), opportunity=good)).worth_it.value
    worth_bad = assessment(snap(dm(), opportunity=bad)).worth_it.value
    assert worth_good > 50 > worth_bad


def test_a_quote_judged_not_deliverable_weighs_more_than_one_not_yet_reviewed() -> None:
    """The delivery manager (in the walk of the product) recorded "not deliverable": we know
    we would over-promise, which is worse than not knowing yet; a reviewed quote is worth
    most."""

    def worth(**fields: object) -> tuple[int, dict[str, tuple[int, str]]]:
        a = assessment(snap(dm(), opportunity=opp(quote_status=QuoteStatus.DRAFT, **fields)))
        reasons = {r.factor: (r.points, r.text_zh) for r in a.worth_it.reasons}
        return a.worth_it.value, reasons

    refused, why = worth(delivery_infeasible=True)
    unreviewed, _ = worth()
    reviewed, _ = worth(delivery_reviewed=True)
    assert refused < unreviewed < reviewed
    assert why["delivery_review"] == (
        -20,
        "交付经理评审认为按当前报价不可落地：需调整范围或价格后重新评审",
    )


def test_worth_says_whether_it_reads_our_quote_or_the_deal_s_amount() -> None:
    """A director reads the ratio beside the deal's amount: one of our quote must say so."""
    costs = {"presales_cost": 100_000, "delivery_cost": 600_000}
    estimated = assessment(snap(dm(), opportunity=opp(**costs))).worth_it.reasons
    quoted = assessment(snap(dm(), opportunity=opp(quote_amount=2_000_000, **costs))).worth_it
    texts = {r.factor: (r.text_en, r.text_zh) for r in estimated}
    quote_texts = {r.factor: (r.text_en, r.text_zh) for r in quoted.reasons}
    amount = opp().amount
    assert texts["size_vs_presales"] == (
        f"Deal is {amount / 100_000:.1f}x the presales cost",
        f"商机金额为售前投入的{amount / 100_000:.1f}倍",
    )
    assert quote_texts["size_vs_presales"] == (
        "Our quote is 20.0x the presales cost",
        "我方报价为售前投入的20.0倍",
    )
    assert quote_texts["margin"] == ("Expected margin 65% at our quote", "按我方报价预计毛利率65%")
    assert not texts["margin"][0].endswith("at our quote")


def test_closeness_to_the_decision_maker_helps_us_win() -> None:
    cold = snap(dm(), member("c", DecisionRole.COACH))
    warm = snap(
        dm(),
        member("c", DecisionRole.COACH),
        team_knows=[knows("dm", level=TieStrength.VERY_STRONG)],
    )
    assert assessment(warm).can_win.value > assessment(cold).can_win.value
    assert assessment(warm).win_likelihood.value > assessment(cold).win_likelihood.value


def test_being_real_never_rescues_a_deal_and_the_stage_is_the_prior() -> None:
    facts = {
        "budget": 1_100_000,
        "compelling_event": "Regulator deadline",
        "expected_close_date": "2026-06-30",
        "decision_process_known": True,
    }
    real = assessment(snap(dm(), opportunity=opp(**facts))).win_likelihood
    vague = assessment(snap(dm())).win_likelihood
    terms = {t.factor: t.logit for t in real.terms}
    assert terms["is_real"] == 0  # real: nothing added
    assert {t.factor: t.logit for t in vague.terms}["is_real"] < 0  # not real: held back
    early = assessment(snap(dm(), opportunity=opp(stage=Stage.VALIDATE, **facts)))
    met = [act("a1", "dm", days_ago=10)]
    late = assessment(snap(dm(), opportunity=opp(stage=Stage.NEGOTIATION, **facts), activities=met))
    assert early.win_likelihood.value < real.value < late.win_likelihood.value


def test_the_likelihoods_terms_read_as_a_sales_leader_reads_them_not_as_arithmetic() -> None:
    """A sales leader reading why the likelihood is what it is wants "can we win? 17/100 pulls
    it down strongly", not "17/100 x weight 1.3 -> -0.86": the figures are the terms' numbers,
    the text says what they do."""
    real = {"budget": 1_100_000, "compelling_event": "Regulator deadline"}
    presenting = opp(stage=Stage.VALUE_PRESENTATION, **real)
    weak = assessment(snap(dm(attitude=Attitude.OPPONENT), opportunity=presenting))
    texts = {t.factor: (t.text_en, t.text_zh) for t in weak.win_likelihood.terms}
    assert all("weight" not in en and "->" not in en for en, _ in texts.values())
    assert texts["can_win"][0].startswith("Can we win? 0/100: pulls the likelihood down strongly")
    assert texts["can_win"][1].startswith("能不能赢？ 0/100：明显拉低赢率")
    assert texts["is_real"][0].endswith(
        ": real enough, so it holds nothing back (only doubt about a deal counts)"
    )
    vague = {t.factor: t.text_en for t in assessment(snap(dm())).win_likelihood.terms}
    assert vague["is_real"].endswith(": doubt about the deal holds the likelihood back strongly")
    assert (
        vague["stage"]
        == "Stage 3 Requirements analysis: the starting point of a deal this far along"
    )
    stage = texts["stage"][0]
    assert stage == (
        "Stage 4 Value presentation, but no decision maker is close to us yet: it starts where "
        "a deal at 3 Requirements analysis does"
    )


def test_past_requirements_the_stage_prior_is_earned_by_a_decision_maker_close_to_us() -> None:
    """A sales leader: "in proposal and nobody knows the decision maker? Then it is not in
    proposal": value is presented, and proposals weighed, by the people who decide. And one
    contact of any kind does not buy the stage back: a cold e-mail proves nothing."""
    lc = CFG.likelihood
    urgent = "the regulator's deadline"  # no compelling event costs more from the proposal on
    at = {s: opp(stage=s, compelling_event=urgent) for s in (Stage.REQUIREMENTS, Stage.PROPOSAL)}
    unknown = assessment(snap(dm(), opportunity=at[Stage.PROPOSAL])).win_likelihood
    gathering = assessment(snap(dm(), opportunity=at[Stage.REQUIREMENTS])).win_likelihood
    assert unknown.prior_share == 0
    assert math.isclose(unknown.value, gathering.value)
    stage_term = next(t for t in unknown.terms if t.factor == "stage")
    assert "no decision maker is close to us yet" in stage_term.text_en
    assert "尚无与我方关系紧密的决策者" in stage_term.text_zh
    cold = [act("a1", "dm", days_ago=3, outcome=Outcome.NEGATIVE, type=ActivityType.EMAIL)]
    emailed = assessment(snap(dm(), opportunity=at[Stage.PROPOSAL], activities=cold))
    assert abs(emailed.win_likelihood.value - unknown.value) < 0.01
    close = snap(
        dm(),
        opportunity=at[Stage.PROPOSAL],
        team_knows=[knows("dm", level=TieStrength.STRONG)],
        activities=[act("a1", "dm", days_ago=10, type=ActivityType.EXECUTIVE_VISIT)],
    )
    proven = assessment(close).win_likelihood
    assert proven.prior_share == 1
    assert {t.factor: t.logit for t in proven.terms}["stage"] == lc.stage_prior[Stage.PROPOSAL]


def test_a_deal_silent_for_two_months_no_longer_holds_its_stage() -> None:
    """A sales leader: "everything was done right, then nothing for two months, at the
    proposal? Either they stalled or the competitor is working while we are not: I read it as
    back at requirements." Up to a month of quiet costs nothing; the stage goes by two."""
    lc = CFG.likelihood
    team = [knows("dm", level=TieStrength.STRONG)]

    def at_proposal(days_ago: float) -> Assessment:
        visit = [act("a1", "dm", days_ago=days_ago, type=ActivityType.EXECUTIVE_VISIT)]
        chain = snap(dm(), opportunity=opp(stage=Stage.PROPOSAL), team_knows=team, activities=visit)
        return assessment(chain)

    recent, month, six_weeks, two_months = (at_proposal(d) for d in (10, 30, 45, 62))
    assert recent.win_likelihood.prior_share == month.win_likelihood.prior_share == 1
    assert math.isclose(six_weeks.win_likelihood.prior_share, 0.5)
    assert two_months.win_likelihood.prior_share == 0
    gathering = {t.factor: t.logit for t in two_months.win_likelihood.terms}["stage"]
    assert gathering == lc.stage_prior[Stage.REQUIREMENTS]
    assert recent.win_likelihood.value > six_weeks.win_likelihood.value
    assert six_weeks.win_likelihood.value > two_months.win_likelihood.value
    stage = next(t for t in two_months.win_likelihood.terms if t.factor == "stage")
    assert "but no contact with the customer for 62 days" in stage.text_en
    assert "但已62天未与客户接触" in stage.text_zh
    assert "decision maker" not in stage.text_en  # we know him: only the silence is why
    # early on nobody expects weekly meetings: the stage's prior is not at stake before it
    early = snap(dm(), team_knows=team, activities=[act("a1", "dm", days_ago=62)])
    assert assessment(early).win_likelihood.prior_share == 1


def _trials_agree(chain: ChainSnapshot, now_ms: int) -> None:
    run = run_model(chain, now_ms, CFG)
    memo = AssessMemo()
    opp, comps = chain.opportunity, chain.competitors
    for state in run.states:
        for changed in (
            dataclasses.replace(state, attitude=Attitude.CHAMPION, closeness=100, price=0),
            dataclasses.replace(state, attitude=Attitude.OPPONENT, competitor_ties=()),
            dataclasses.replace(state, role=DecisionRole.DECISION_MAKER, closeness=0),
            dataclasses.replace(state, role=DecisionRole.COACH, attitude=Attitude.SUPPORTER),
            dataclasses.replace(state, role=DecisionRole.APPROVER, attitude=Attitude.OPPONENT),
            dataclasses.replace(state, role=DecisionRole.APPROVER, closeness=0),
            dataclasses.replace(state, role=DecisionRole.DECISION_MAKER, closeness=60),
            dataclasses.replace(state, role=DecisionRole.TECHNICAL_EVALUATOR),
            dataclasses.replace(state, role=DecisionRole.PROCUREMENT, attitude=Attitude.SUPPORTER),
        ):
            totals = run.totals.replace(state, changed, CFG)
            full = assess_totals(opp, comps, totals, now_ms, CFG)
            got = trial_likelihood(opp, comps, totals, now_ms, CFG, memo)
            assert got == (full.win_likelihood.value, full.support.net)


@settings(max_examples=100, deadline=None)
@given(chains())
def test_a_trial_reads_the_same_likelihood_as_the_full_model(chain: ChainSnapshot) -> None:
    _trials_agree(chain, NOW)


def test_trials_agree_with_the_full_model_on_every_casebook_case() -> None:
    for case in load_cases():
        _trials_agree(case.snapshot, NOW_MS)


def _win_factors(chain: ChainSnapshot) -> dict[str, int]:
    return {r.factor: r.points for r in assessment(chain).can_win.reasons}


def test_an_approver_we_hardly_know_costs_can_we_win_more_as_the_signature_nears() -> None:
    """A sales director: not having met the CFO is normal early on, but the risk is real from
    requirements analysis (a quarter of it), half of it at value presentation, and all of it
    once a proposal is on the table, where her no ends the deal. Passing the proposal gate
    makes the gap more pressing, it is no new bad news: same facts, at most 5 points lower."""
    cfo = member("cfo", DecisionRole.APPROVER)

    def at(stage: Stage) -> ChainSnapshot:
        return snap(dm(), cfo, opportunity=opp(stage=stage))

    late = at(Stage.PROPOSAL)
    assert "approver_closeness" not in _win_factors(at(Stage.INITIATE))
    cost = _win_factors(late)["approver_closeness"]
    ac = CFG.assessment
    assert -ac.approver_unknown_points <= cost <= -ac.approver_unknown_points / 2
    shares = ac.approver_unknown_early_share
    for stage in (Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION):
        early = _win_factors(at(stage))["approver_closeness"]
        assert early == pytest.approx(cost * shares[stage], abs=1)
    reason = next(
        r
        for r in assessment(at(Stage.VALUE_PRESENTATION)).can_win.reasons
        if r.factor == "approver_closeness"
    )
    assert "counted at 50% before the proposal" in reason.text_en
    assert "方案阶段前按50%计" in reason.text_zh
    before = assessment(at(Stage.VALUE_PRESENTATION)).win_likelihood.value
    assert before - assessment(late).win_likelihood.value <= 0.05
    visited = snap(
        dm(),
        cfo,
        opportunity=opp(stage=Stage.PROPOSAL),
        team_knows=[knows("cfo", level=TieStrength.VERY_STRONG)],
        activities=[act("a1", "cfo", days_ago=5, type=ActivityType.EXECUTIVE_VISIT)],
    )
    assert "approver_closeness" not in _win_factors(visited)
    assert assessment(visited).win_likelihood.value > assessment(late).win_likelihood.value


def test_at_the_bidding_stage_an_evaluator_a_competitor_holds_costs_can_we_win() -> None:
    """控标: whoever holds the scorers has most of the score before the bids are opened."""

    def tender(stage: Stage, attitude: Attitude) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("arch", DecisionRole.TECHNICAL_EVALUATOR, attitude=attitude),
            opportunity=opp(stage=stage),
            competitors=[RIVAL],
            competitor_ties=[close_to("arch", level=TieStrength.VERY_STRONG)],
        )

    ac = CFG.assessment
    bidding = _win_factors(tender(Stage.BIDDING, Attitude.NEUTRAL))
    assert bidding["evaluator_locked"] == -ac.locked_evaluator_points
    # two directors: the spec-writer does most of his harm while the tender documents are
    # drafted, for every deal that goes on to the bids; at the bidding stage it is locked in
    proposal = _win_factors(tender(Stage.PROPOSAL, Attitude.NEUTRAL))
    share = ac.locked_evaluator_early_share["PROPOSAL"]
    assert proposal["evaluator_locked"] == -round(ac.locked_evaluator_points * share)
    assert "evaluator_locked" not in _win_factors(
        tender(Stage.VALUE_PRESENTATION, Attitude.NEUTRAL)
    )
    assert "evaluator_locked" not in _win_factors(tender(Stage.BIDDING, Attitude.SUPPORTER))


def test_a_supporter_close_to_a_competitor_gives_them_less_than_a_neutral_would() -> None:
    """A sales leader: the spec-writer who comes round to us still knows the competitor well,
    but argues our case in the room; winning him over takes away much of the competitor's
    hold, not none of it."""

    def rival_support(attitude: Attitude) -> float:
        chain = snap(
            dm(),
            member("cons", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, attitude),
            competitors=[RIVAL],
            competitor_ties=[close_to("cons", level=TieStrength.STRONG)],
        )
        (rival,) = assessment(chain).support.competitors
        return rival.support

    neutral, supporter = rival_support(Attitude.NEUTRAL), rival_support(Attitude.SUPPORTER)
    assert 0 < supporter < neutral
    assert supporter == pytest.approx(neutral * CFG.support.supporter_tie_share, rel=1e-6)


def test_at_the_bidding_stage_procurement_we_hardly_know_costs_can_we_win() -> None:
    """A sales leader: procurement runs the tender (bid opening, clarifications, the award); at
    the bidding stage a procurement head nobody has met is a process we do not know."""

    def tender(stage: Stage, *, met: bool) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("proc", DecisionRole.PROCUREMENT),
            opportunity=opp(stage=stage),
            team_knows=[knows("proc", level=TieStrength.STRONG)] if met else [],
            activities=[act("a1", "proc", days_ago=5, type=ActivityType.VISIT)] if met else [],
        )

    ac = CFG.assessment
    points = ac.tender_procurement_unknown_points
    cost = _win_factors(tender(Stage.BIDDING, met=False))["procurement_closeness"]
    assert -points <= cost <= -points / 2
    # while the tender documents are drafted procurement sets the method and the price weight:
    # two directors count it at about half
    early = _win_factors(tender(Stage.PROPOSAL, met=False))["procurement_closeness"]
    assert early == pytest.approx(
        cost * ac.tender_procurement_unknown_early_share["PROPOSAL"], abs=1
    )
    proposal = next(
        r
        for r in assessment(tender(Stage.PROPOSAL, met=False)).can_win.reasons
        if r.factor == "procurement_closeness"
    )
    assert "the method and the price weight are set" in proposal.text_en
    assert "招标方式和价格权重" in proposal.text_zh
    assert "procurement_closeness" not in _win_factors(tender(Stage.VALUE_PRESENTATION, met=False))
    assert "procurement_closeness" not in _win_factors(tender(Stage.BIDDING, met=True))
    unmet = assessment(tender(Stage.BIDDING, met=False)).win_likelihood.value
    assert assessment(tender(Stage.BIDDING, met=True)).win_likelihood.value > unmet


def test_once_a_quote_is_on_the_table_budget_holders_refusing_the_price_cost_can_we_win() -> None:
    """A sales leader: at negotiation, finance and procurement pushing back on price is the
    deal's risk, whatever the users think of the price."""

    def deal(stage: Stage, reaction: Outcome, budget: int = 800_000) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("fin", DecisionRole.FINANCE),
            activities=[act("a1", "fin", 5, price_reaction=reaction)],
            opportunity=opp(stage=stage, budget=budget, quote_amount=1_000_000),
        )

    late = _win_factors(deal(Stage.NEGOTIATION, Outcome.VERY_NEGATIVE))
    assert late["budget_holder_price"] <= -CFG.assessment.budget_holder_price_points / 2
    assert "budget_holder_price" not in _win_factors(deal(Stage.REQUIREMENTS, Outcome.NEGATIVE))
    accepted = deal(Stage.NEGOTIATION, Outcome.VERY_POSITIVE, budget=1_200_000)
    assert "budget_holder_price" not in _win_factors(accepted)


def test_budget_holders_price_counts_as_far_as_it_was_voiced_and_no_gate_makes_a_cliff() -> None:
    """A sales director: an objection to our price stated by finance is a fact, not a forecast,
    and counts in full from value presentation (the quote will not make it smaller); a price
    none of them has spoken against yet counts a quarter before the quote, half with it, all of
    it in the tender. Passing a gate with the same facts moves a deal a few points only."""

    def deal(stage: Stage, reaction: Outcome | None) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("fin", DecisionRole.FINANCE),
            activities=[act("a1", "fin", 5, price_reaction=reaction)],
            opportunity=opp(stage=stage, budget=800_000, quote_amount=1_000_000),
        )

    ac = CFG.assessment
    full = _win_factors(deal(Stage.BIDDING, None))["budget_holder_price"]
    assert full < 0
    for stage in (Stage.VALUE_PRESENTATION, Stage.PROPOSAL):
        cost = _win_factors(deal(stage, None))["budget_holder_price"]
        assert cost == pytest.approx(full * ac.budget_holder_price_unvoiced_share[stage], abs=1)
    objected = _win_factors(deal(Stage.VALUE_PRESENTATION, Outcome.NEGATIVE))
    assert (
        objected["budget_holder_price"]
        == _win_factors(deal(Stage.PROPOSAL, Outcome.NEGATIVE))["budget_holder_price"]
    )
    text = next(
        r
        for r in assessment(deal(Stage.VALUE_PRESENTATION, Outcome.NEGATIVE)).can_win.reasons
        if r.factor == "budget_holder_price"
    )
    assert "one of them objected to our price" in text.text_en
    assert "已有人对我方价格提出异议" in text.text_zh
    ladder = [Stage.VALUE_PRESENTATION, Stage.PROPOSAL, Stage.BIDDING]
    for reaction in (None, Outcome.NEGATIVE):
        values = [assessment(deal(stage, reaction)).win_likelihood.value for stage in ladder]
        assert all(a - b <= 0.05 for a, b in itertools.pairwise(values)), values


def test_the_budget_holders_price_is_held_to_the_high_influence_one_who_objected() -> None:
    """A sales leader (case 93): the finance head who holds the budget, of high influence,
    objected to our price; procurement never did. Her objection counts in full, procurement's
    uncertain price about half, the two weighted by influence, and the result is never read
    above hers: warming procurement up on price does not answer her. A finance clerk of low
    influence who objected weighs less."""

    def deal(proc: Outcome | None, fin: InfluenceLevel = InfluenceLevel.HIGH) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("fin", DecisionRole.FINANCE, fin),
            member("proc", DecisionRole.PROCUREMENT),
            activities=[
                act("a1", "fin", 9, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
                act("a2", "proc", 9, Outcome.POSITIVE, price_reaction=proc),
            ],
            opportunity=opp(stage=Stage.PROPOSAL, budget=930_000, quote_amount=1_000_000),
            competitors=[CompetitorFacts("cheap", "Cheap Co", price_position=PricePosition.LOWER)],
        )

    held = next(
        r for r in assessment(deal(None)).can_win.reasons if r.factor == "budget_holder_price"
    )
    assert held.evidence[0].ids == ("fin",)
    # named, so a leader reading "can we win" knows whose price to answer
    assert "(held to FIN, the high-influence one of them who accepts it least)" in held.text_en
    assert "（以其中影响力高、接受度最低的FIN为准）" in held.text_zh
    warmed = _win_factors(deal(Outcome.VERY_POSITIVE))["budget_holder_price"]
    assert warmed == held.points
    clerk = _win_factors(deal(None, InfluenceLevel.LOW))["budget_holder_price"]
    assert held.points < clerk < 0


def _objected_deal(stage: Stage, furthest: Stage | None = None) -> ChainSnapshot:
    """The decision maker supports us and is close, finance objected to our price, a rival bids
    below us, the CFO who approves is unmet."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("fin", DecisionRole.FINANCE),
        member("cfo", DecisionRole.APPROVER),
        activities=[
            act("a1", "fin", 5, price_reaction=Outcome.NEGATIVE),
            act("a2", "dm", 10, Outcome.POSITIVE),
        ],
        team_knows=[knows("dm", "am", TieStrength.STRONG)],
        opportunity=opp(
            stage=stage, furthest_stage=furthest, budget=800_000, quote_amount=1_000_000
        ),
        competitors=[CompetitorFacts("cheap", "Cheap Co", price_position=PricePosition.LOWER)],
    )


def test_a_deal_moved_back_keeps_the_risks_it_showed_and_never_looks_likelier_to_win() -> None:
    """A sales director: moving a deal back from value presentation to requirements analysis
    because the customer changed the scope is bad news. Finance's objection to our price, the
    cheaper rival and the CFO nobody has met are all still there; only the stage's own
    standing is lost. So the deal reads lower than before the step back, never higher (else
    moving deals back would pad the weighted pipeline), and the reasons say why the risks of
    the stage it left still count. Brought forward again, it reads as it did."""
    before = assessment(_objected_deal(Stage.VALUE_PRESENTATION))
    back = assessment(_objected_deal(Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION))
    fresh = assessment(_objected_deal(Stage.REQUIREMENTS))
    assert back.win_likelihood.value < before.win_likelihood.value
    assert back.win_likelihood.value < fresh.win_likelihood.value
    assert back.can_win.value == before.can_win.value
    factors = {r.factor: r for r in back.can_win.reasons}
    assert (
        factors["budget_holder_price"].points
        == _win_factors(_objected_deal(Stage.VALUE_PRESENTATION))["budget_holder_price"]
    )
    assert {"cheaper_bid", "approver_closeness"} <= factors.keys()
    note = factors["moved_back"]
    assert note.points == 0
    assert "Moved back from 4 Value presentation to 3 Requirements analysis" in note.text_en
    assert "已从4 价值呈现退回3 需求分析" in note.text_zh
    again = assessment(_objected_deal(Stage.VALUE_PRESENTATION, Stage.VALUE_PRESENTATION))
    assert again == before


@pytest.mark.parametrize(
    ("stage", "outcome"), [(Stage.WON, 1.0), (Stage.LOST, 0.0), (Stage.ABANDONED, 0.0)]
)
def test_a_decided_deal_reads_as_its_outcome_whatever_its_chain(
    stage: Stage, outcome: float
) -> None:
    """A sales director: a deal lost has no chance left and a deal won needs none. A lost deal
    read at 15 % would still count in the weighted pipeline, and read at its closed stage the
    stage's costs go, so the model would even rise at the loss. Whatever the chain (a champion
    who decides, or finance's objection after negotiation), the likelihood is the outcome, and
    the one reason says so; a trial of the work plan reads the same."""
    champion = snap(dm(attitude=Attitude.CHAMPION), opportunity=opp(stage=stage))
    for deal in (_objected_deal(stage, Stage.NEGOTIATION), champion):
        likelihood = assessment(deal).win_likelihood
        assert likelihood.value == outcome
        (term,) = likelihood.terms
        assert term.factor == "outcome"
        assert term.text_en.endswith(": the deal is decided, so its likelihood is its outcome")
        assert 1.0 / (1.0 + math.exp(-likelihood.logit)) == pytest.approx(outcome, abs=1e-9)
        _trials_agree(deal, NOW)
        assert analyse(deal, NOW).plan == ()  # nothing left to win: no play suggested


@pytest.mark.parametrize("closed", [Stage.LOST, Stage.WON, Stage.ABANDONED])
@pytest.mark.parametrize(
    ("last", "furthest"),
    [(Stage.NEGOTIATION, None), (Stage.PROPOSAL, Stage.NEGOTIATION), (Stage.BIDDING, None)],
)
def test_a_closed_deal_reads_its_questions_as_they_stood_before_the_close(
    closed: Stage, last: Stage, furthest: Stage | None
) -> None:
    """A sales director reviewing a loss: "can we win" was 17 the day before we lost, so it is
    17 in the review, not 39 because a closed stage no longer weighs an approver nobody met or
    a price finance refused. What changed at the close is the outcome, not the questions. A
    deal moved back and then closed keeps the risks of the stage it left, as it did while
    open; one closed before the store recorded where from reads at the furthest it reached."""
    before = assessment(_objected_deal(last, furthest))
    for recorded in (True, False):
        deal = _objected_deal(closed, furthest or last)
        if recorded:
            was = dataclasses.replace(deal.opportunity, closed_from=last)
            deal = dataclasses.replace(deal, opportunity=was)
        if not recorded and furthest is not None:
            continue  # the furthest stage is not where it was closed from: only on record
        after = assessment(deal)
        for question in ("is_real", "can_compete", "can_win", "worth_it"):
            assert getattr(after, question) == getattr(before, question), question
        assert after.win_likelihood.value == (1.0 if closed is Stage.WON else 0.0)


@settings(max_examples=100, deadline=None)
@given(chains(), hst.lists(hst.sampled_from(OPEN_STAGES), min_size=2, max_size=2, unique=True))
def test_moving_a_deal_back_never_makes_it_likelier_to_win(
    chain: ChainSnapshot, stages: list[Stage]
) -> None:
    now, left = sorted(stages, key=OPEN_STAGES.index)
    deal = chain.opportunity
    there = dataclasses.replace(
        chain, opportunity=dataclasses.replace(deal, stage=left, furthest_stage=None)
    )
    back = dataclasses.replace(
        chain, opportunity=dataclasses.replace(deal, stage=now, furthest_stage=left)
    )
    before = assessment(there).win_likelihood.value
    assert assessment(back).win_likelihood.value <= before


def test_a_tender_run_again_after_negotiation_counts_its_scorers_again() -> None:
    """A sales director: back from negotiation to bidding means the tender is run again, and
    the evaluator the rival holds scores the new bids too. Reading the deal at negotiation,
    where the bids were decided, would forget him; and the reasons still say it was moved
    back."""

    def tender(stage: Stage, furthest: Stage | None = None) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("arch", DecisionRole.TECHNICAL_EVALUATOR),
            opportunity=opp(stage=stage, furthest_stage=furthest),
            competitors=[RIVAL],
            competitor_ties=[close_to("arch", level=TieStrength.VERY_STRONG)],
        )

    rerun = tender(Stage.BIDDING, Stage.NEGOTIATION)
    assert _win_factors(rerun)["evaluator_locked"] == -CFG.assessment.locked_evaluator_points
    (note,) = (r for r in assessment(rerun).can_win.reasons if r.factor == "moved_back")
    assert note.text_en == (
        "Moved back from 7 Negotiation and signing to 6 Bidding: read at 6 Bidding, where its "
        "risks weigh at least as much"
    )
    assert assessment(rerun).can_win.value == assessment(tender(Stage.BIDDING)).can_win.value
    negotiation = assessment(tender(Stage.NEGOTIATION)).win_likelihood.value
    assert assessment(rerun).win_likelihood.value < negotiation


def test_a_budget_holder_who_objects_again_is_further_from_accepting_our_price() -> None:
    """A sales leader: a third objection from finance is worse news than the second, even when
    the price acceptance already reads 0/100."""

    def deal(objections: int) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("fin", DecisionRole.FINANCE),
            activities=[
                act(f"a{i}", "fin", 5 + i, price_reaction=Outcome.VERY_NEGATIVE)
                for i in range(objections)
            ],
            opportunity=opp(stage=Stage.NEGOTIATION, budget=800_000, quote_amount=1_000_000),
        )

    once, thrice = assessment(deal(1)), assessment(deal(3))
    assert once.win_likelihood.value > thrice.win_likelihood.value
    reason = next(r for r in thrice.can_win.reasons if r.factor == "budget_holder_price")
    # said in words: no score reads below 0/100 to a sales leader
    assert reason.text_en.startswith(
        "The people who hold the budget reject our price: 0/100, and their objections weigh more"
        " than a refusal"
    ), reason.text_en
    assert reason.text_zh.startswith("掌握预算的人拒绝我方价格：接受度为0/100"), reason.text_zh
    assert not re.search(r"-\d", reason.text_en), reason.text_en


def test_in_a_tender_a_held_evaluator_costs_more_as_the_specification_is_written() -> None:
    """A sales leader works the spec-writer before the specification is out: the lock counts
    from requirements analysis where procurement runs the deal, at the proposal for every deal,
    in full once the bids are scored."""

    def lock(stage: Stage, *, tendered: bool) -> int:
        procurement = [member("proc", DecisionRole.PROCUREMENT)] if tendered else []
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("cons", DecisionRole.TECHNICAL_EVALUATOR, attitude=Attitude.NEUTRAL),
            *procurement,
            opportunity=opp(stage=stage),
            competitors=[RIVAL],
            competitor_ties=[close_to("cons", level=TieStrength.STRONG)],
        )
        return -_win_factors(chain).get("evaluator_locked", 0)

    full = CFG.assessment.locked_evaluator_points
    shares = CFG.assessment.locked_evaluator_early_share
    assert lock(Stage.VALIDATE, tendered=True) == 0
    assert lock(Stage.REQUIREMENTS, tendered=True) == round(full * shares["REQUIREMENTS"])
    assert lock(Stage.PROPOSAL, tendered=True) == round(full * shares["PROPOSAL"])
    assert lock(Stage.REQUIREMENTS, tendered=True) < lock(Stage.PROPOSAL, tendered=True) < full
    assert lock(Stage.REQUIREMENTS, tendered=False) == 0
    assert lock(Stage.PROPOSAL, tendered=False) == round(full * shares["PROPOSAL"])
    assert lock(Stage.BIDDING, tendered=False) == full
    assert lock(Stage.NEGOTIATION, tendered=True) == 0


def test_an_evaluator_with_us_takes_back_part_of_what_a_held_evaluator_costs() -> None:
    """A sales director: the director of nursing as our champion writes the nursing
    requirements into the specification and has a score sheet of her own; she offsets about a
    third of the spec-writer's harm, a mere supporter a third of that, one of high influence
    half or more. One voice never cancels him, and against two held it is spread thinner."""
    other = CompetitorFacts("other", "Other Corp", CompetitivePosition.EVEN, PricePosition.SIMILAR)

    def lock(*backers: tuple[Attitude, InfluenceLevel], held: int = 1, camp: bool = False) -> int:
        evaluators = [
            member(f"b{i}", DecisionRole.BUSINESS_EVALUATOR, influence, attitude)
            for i, (attitude, influence) in enumerate(backers)
        ]
        ties = [close_to("it", level=TieStrength.STRONG)]
        if held == 2:
            evaluators.append(member("med", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH))
            ties.append(close_to("med", level=TieStrength.STRONG, competitor="other"))
        if camp:
            ties.append(close_to("b0", level=TieStrength.STRONG, competitor="other"))
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
            *evaluators,
            opportunity=opp(stage=Stage.PROPOSAL),
            competitors=[RIVAL, other],
            competitor_ties=ties,
        )
        return -_win_factors(chain).get("evaluator_locked", 0)

    ac = CFG.assessment
    one = ac.locked_evaluator_points * ac.locked_evaluator_early_share["PROPOSAL"]
    medium, high = InfluenceLevel.MEDIUM, InfluenceLevel.HIGH
    offset = ac.locked_evaluator_offset
    assert lock((Attitude.NEUTRAL, medium)) == round(one)
    champion = lock((Attitude.CHAMPION, medium))
    supporter = lock((Attitude.SUPPORTER, medium))
    assert champion == round(one * (1 - offset["CHAMPION"]))
    assert supporter == round(one * (1 - offset["SUPPORTER"]))
    assert champion < supporter < round(one)
    assert lock((Attitude.CHAMPION, high)) < champion
    assert lock((Attitude.CHAMPION, InfluenceLevel.LOW)) == round(one)
    # in a competitor's camp, their word is no counterweight
    assert lock((Attitude.CHAMPION, medium), camp=True) == round(one)
    # never all of it back
    most = ac.locked_evaluator_offset_most
    assert lock((Attitude.CHAMPION, high), (Attitude.CHAMPION, high)) == round(one * (1 - most))
    # against two held, the same counterweight is a smaller part of the whole
    two = one * (1 + ac.locked_evaluator_more_share)
    assert lock((Attitude.CHAMPION, medium), held=2) == round(two - one * offset["CHAMPION"])
    reason = next(
        r
        for r in assessment(
            snap(
                dm(attitude=Attitude.SUPPORTER),
                member("it", DecisionRole.TECHNICAL_EVALUATOR, high),
                member("nd", DecisionRole.BUSINESS_EVALUATOR, medium, Attitude.CHAMPION),
                opportunity=opp(stage=Stage.PROPOSAL),
                competitors=[RIVAL],
                competitor_ties=[close_to("it", level=TieStrength.STRONG)],
            )
        ).can_win.reasons
        if r.factor == "evaluator_locked"
    )
    assert reason.text_en.endswith("; evaluators with us take part of it back")
    assert reason.text_zh.endswith("；站在我方的评估人抵消了其中一部分")


def test_a_tender_deal_passing_the_bidding_gate_with_the_same_facts_moves_a_few_points() -> None:
    """Two sales directors: publishing the tender is not bad news in itself (every bidder gets
    there); with the facts unchanged the likelihood moves by at most about five points. The
    evaluators' hold and procurement were already counted while the documents were drafted."""
    other = CompetitorFacts("other", "Other Corp", CompetitivePosition.EVEN, PricePosition.LOWER)

    def at(stage: Stage) -> float:
        chain = snap(
            dm(),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
            member("med", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH),
            member("proc", DecisionRole.PROCUREMENT),
            member("nurse", DecisionRole.USER, attitude=Attitude.SUPPORTER),
            opportunity=opp(stage=stage),
            competitors=[RIVAL, other],
            competitor_ties=[
                close_to("it", level=TieStrength.STRONG),
                close_to("med", level=TieStrength.STRONG, competitor="other"),
            ],
        )
        return assessment(chain).win_likelihood.value

    assert abs(at(Stage.PROPOSAL) - at(Stage.BIDDING)) <= 0.05


def test_two_held_evaluators_cost_more_than_one_and_winning_one_over_counts() -> None:
    """A sales director on a hospital tender where one rival holds the head of IT and another
    the head of medical affairs: with the technical and the business scoring both held, fewer
    scorers are left to win; and turning one of them is worth something though the other is
    still held."""
    other = CompetitorFacts("other", "Other Corp", CompetitivePosition.EVEN, PricePosition.SIMILAR)

    def tender(med: Attitude = Attitude.NEUTRAL, *, rivals: int = 2) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
            member("med", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, med),
            member("proc", DecisionRole.PROCUREMENT),
            opportunity=opp(stage=Stage.BIDDING),
            competitors=[RIVAL, other][:rivals],
            competitor_ties=[
                close_to("it", level=TieStrength.STRONG),
                close_to(
                    "med", level=TieStrength.STRONG, competitor=["rival", "other"][rivals - 1]
                ),
            ],
        )

    ac = CFG.assessment
    both = next(r for r in assessment(tender()).can_win.reasons if r.factor == "evaluator_locked")
    assert both.points == -round(ac.locked_evaluator_points * (1 + ac.locked_evaluator_more_share))
    assert both.text_en.startswith("Competitors hold 2 evaluators who score the bids")
    assert both.text_zh.startswith("有2位评估人被竞争对手掌握，而评分由他们打")
    one_rival = assessment(tender(rivals=1)).can_win.reasons
    held = next(r for r in one_rival if r.factor == "evaluator_locked")
    assert held.text_en.startswith("A competitor holds 2 evaluators")
    turned = _win_factors(tender(Attitude.SUPPORTER))
    assert turned["evaluator_locked"] == -ac.locked_evaluator_points
    assert assessment(tender(Attitude.SUPPORTER)).win_likelihood.value > (
        assessment(tender()).win_likelihood.value
    )


def test_an_evaluator_who_leans_against_us_costs_can_we_win_beyond_their_share() -> None:
    """A sales leader: a hostile evaluator writes the 'integration risk' paragraph of the
    evaluation report that the decision maker reads; it kills deals his share does not show."""

    def cost(attitude: Attitude, influence: InfluenceLevel = InfluenceLevel.MEDIUM) -> int:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("arch", DecisionRole.TECHNICAL_EVALUATOR, influence, attitude),
        )
        return -_win_factors(chain).get("evaluator_attitude", 0)

    assert cost(Attitude.NEUTRAL) == 0
    assert cost(Attitude.SUPPORTER) == 0
    assert 0 < cost(Attitude.SKEPTIC) < cost(Attitude.OPPONENT)
    assert cost(Attitude.OPPONENT) == CFG.assessment.evaluator_attitude_points
    assert cost(Attitude.OPPONENT, InfluenceLevel.LOW) == 0
    # said as a sales leader says it, not as a number on the model's scale
    skeptic = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.MEDIUM, Attitude.SKEPTIC),
    )
    reason = next(
        r for r in assessment(skeptic).can_win.reasons if r.factor == "evaluator_attitude"
    )
    assert reason.text_en.startswith("An evaluator does not back us (skeptic): they write")
    assert reason.text_zh.startswith("有评估人不支持我方（怀疑者）：")


def out_of_reach(user: Attitude) -> ChainSnapshot:
    """The incumbent holds the decision maker and the evaluator; we know one user."""
    return snap(
        dm(attitude=Attitude.SKEPTIC),
        member("itd", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("user", DecisionRole.USER, InfluenceLevel.LOW, user),
        reports_to=[tie("itd", "dm"), tie("user", "itd")],
        team_knows=[knows("user")],
        activities=[act("v", "user", 14)],
        competitors=[dataclasses.replace(RIVAL, position=CompetitivePosition.LEADING)],
        competitor_ties=[
            close_to("dm", level=TieStrength.VERY_STRONG),
            close_to("itd", level=TieStrength.STRONG),
        ],
    )


def test_a_deal_out_of_reach_still_moves_when_someone_comes_over() -> None:
    """A sales leader: a deal where nothing speaks for us is not a flat zero; each supporter we
    win there is worth something, even if the "can we win" shown still reads 0/100."""
    neutral, supporter = (
        assessment(out_of_reach(Attitude.NEUTRAL)),
        assessment(out_of_reach(Attitude.SUPPORTER)),
    )
    assert neutral.can_win.value == supporter.can_win.value == 0
    assert supporter.win_likelihood.value > neutral.win_likelihood.value
    # the term shows the sum it read
    term = next(t for t in neutral.win_likelihood.terms if t.factor == "can_win")
    assert term.score < 0
    assert "below 0" in term.text_en
    assert "低于0" in term.text_zh


def champion_knowing_the_dm(level: TieStrength) -> ChainSnapshot:
    """A champion among the users who knows the decision maker at ``level``."""
    return snap(
        dm(),
        member("champ", DecisionRole.USER, InfluenceLevel.LOW, Attitude.CHAMPION),
        person_knows=[tie("champ", "dm", level)],
        team_knows=[knows("champ", level=TieStrength.STRONG), knows("dm")],
        activities=[act("v", "champ", 5), act("w", "dm", 20)],
    )


def test_a_champion_who_reaches_the_decision_maker_is_worth_more() -> None:
    """A sales leader: a champion sells for us only as far as their word reaches the one who
    decides; a head nurse who can talk to the dean is worth more than one who cannot."""
    near = assessment(champion_knowing_the_dm(TieStrength.STRONG))
    far = assessment(champion_knowing_the_dm(TieStrength.WEAK))
    assert near.win_likelihood.value > far.win_likelihood.value
    reach = next(r for r in near.can_win.reasons if r.factor == "champion_reach")
    assert reach.points == CFG.assessment.champion_reach_points
    assert "reaches the decision maker" in reach.text_en
    assert all(r.factor != "champion_reach" for r in far.can_win.reasons)


def test_closeness_to_a_decision_maker_who_knows_us_well_adds_less_and_less() -> None:
    """A sales leader: getting the decision maker to know us and hear our case is worth a lot;
    once they do, each further visit adds less (diminishing returns of closeness)."""

    def point(level: TieStrength, visits: int) -> tuple[int, int]:
        """(closeness to the decision maker, what it adds to can we win)."""
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            team_knows=[knows("dm", level=level)],
            activities=[act(f"v{i}", "dm", 10 + i) for i in range(visits)],
            opportunity=opp(stage=Stage.NEGOTIATION),
        )
        a = analyse(chain, NOW, include_plan=False)
        reason = next(
            r for r in a.assessment.can_win.reasons if r.factor == "decision_maker_closeness"
        )
        return a.scores[0].closeness.value, reason.points

    (c0, w0), (c1, w1), (c2, w2) = (
        point(TieStrength.WEAK, 0),
        point(TieStrength.MODERATE, 1),
        point(TieStrength.VERY_STRONG, 4),
    )
    assert c0 < c1 < c2
    assert (w1 - w0) / (c1 - c0) > (w2 - w1) / (c2 - c1)


def nursing_director(attitude: Attitude) -> ChainSnapshot:
    """A champion head nurse who reports to the director of nursing, who reports to the dean."""
    return snap(
        dm(),
        member("nd", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.MEDIUM, attitude),
        member("hn", DecisionRole.USER, InfluenceLevel.LOW, Attitude.CHAMPION),
        reports_to=[tie("nd", "dm"), tie("hn", "nd")],
        team_knows=[knows("hn", level=TieStrength.STRONG), knows("dm")],
        activities=[act("v", "hn", 5), act("w", "dm", 20)],
    )


def test_a_supporter_a_champion_tells_carries_the_case_to_the_decision_maker() -> None:
    """A sales leader: the head nurse's word reaches the dean a quarter as well through a
    director of nursing who is not with us; once the director supports us she carries the
    users' case to the dean as her own, as if the head nurse reported to the dean."""

    def reach_points(attitude: Attitude) -> int:
        reasons = assessment(nursing_director(attitude)).can_win.reasons
        return sum(r.points for r in reasons if r.factor == "champion_reach")

    full = CFG.assessment.champion_reach_points
    assert reach_points(Attitude.NEUTRAL) == round(full / 4)
    assert reach_points(Attitude.SUPPORTER) == round(full)


def test_a_champion_does_not_carry_our_case_over_her_own_bosss_head() -> None:
    """A sales leader (case 68): the head nurse knows the vice dean from the nursing committee,
    but does not take a vendor's case to him past the director of nursing she reports to; her
    word reaches him through her boss, a quarter as well while the director is not with us,
    in full once she is. Not reporting to the director, the same friendship carries it."""

    def reach_points(chain: ChainSnapshot) -> int:
        reasons = assessment(chain).can_win.reasons
        return sum(r.points for r in reasons if r.factor == "champion_reach")

    def knowing_the_dean(attitude: Attitude, *, reports: bool = True) -> ChainSnapshot:
        chain = nursing_director(attitude)
        ties = chain.reports_to if reports else (tie("nd", "dm"),)
        friends = (tie("hn", "dm", TieStrength.MODERATE),)
        return dataclasses.replace(chain, reports_to=ties, person_knows=friends)

    full = CFG.assessment.champion_reach_points
    assert reach_points(knowing_the_dean(Attitude.NEUTRAL)) == round(full / 4)
    assert reach_points(knowing_the_dean(Attitude.SUPPORTER)) == round(full)
    assert reach_points(knowing_the_dean(Attitude.NEUTRAL, reports=False)) == round(full)


def test_a_budget_short_of_our_quote_says_how_far_it_covers_it() -> None:
    """A sales leader: "budget covers the deal" while the price reasons say it covers 93 % of our
    quote makes both look careless. Under 100 % the reason says the share: close enough to be
    real from 90 %, short below."""

    def budget_reason(budget: int) -> tuple[int, str, str]:
        chain = snap(dm("dm"), opportunity=opp(budget=budget, quote_amount=1_000_000))
        r = next(r for r in assessment(chain).is_real.reasons if r.factor == "budget")
        return r.points, r.text_en, r.text_zh

    full = CFG.assessment.budget_sufficient_points
    assert budget_reason(1_100_000) == (full, "Budget covers the deal", "预算充足")
    assert budget_reason(930_000) == (
        full,
        "Budget covers 93% of our quote: close enough to be real",
        "预算覆盖我方报价的93%：差距不大，商机真实",
    )
    assert budget_reason(700_000) == (
        CFG.assessment.budget_known_points,
        "Budget known but short: it covers 70% of our quote",
        "预算已知但不足：仅覆盖我方报价的70%",
    )


def _insiders(days_ago: float) -> ChainSnapshot:
    """A supportive coach and a champion who reports to the decision maker, both last spoken
    to ``days_ago``; the decision maker met last week."""
    return snap(
        dm(),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        reports_to=[tie("cio", "dm"), tie("coach", "cio")],
        team_knows=[knows("dm"), knows("coach"), knows("cio")],
        activities=[
            act("a1", "dm", 7),
            act("a2", "coach", days_ago),
            act("a3", "cio", days_ago),
        ],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def _win_reason(chain: ChainSnapshot, factor: str) -> tuple[str, float]:
    full = analyse(chain, NOW, include_plan=False)
    reason = next(r for r in full.assessment.can_win.reasons if r.factor == factor)
    return reason.text_en, reason.points


def test_a_coach_and_a_champion_gone_quiet_count_for_less() -> None:
    """A sales leader: a coach is worth what they know now. Spoken to in the last two weeks,
    in full; a month of silence, about half; two months, next to nothing while the rivals kept
    talking. A champion's belief may remain, but with nothing new to sell with his word counts
    for less too."""
    fresh = analyse(_insiders(5), NOW, include_plan=False)
    month = analyse(_insiders(30), NOW, include_plan=False)
    quiet = analyse(_insiders(62), NOW, include_plan=False)
    assert _win_reason(_insiders(5), "coach") == ("A supportive coach guides us", 10)
    assert _win_reason(_insiders(30), "coach")[1] == 5
    text, points = _win_reason(_insiders(62), "coach")
    assert points in (2, 3)
    assert (
        text == "A supportive coach guides us, counted at 25%: we have not spoken with them lately"
    )
    champion = [_win_reason(_insiders(d), "champion_reach")[1] for d in (5, 30, 62)]
    assert champion[0] > champion[1] > champion[2] > 0
    assert fresh.win_likelihood > month.win_likelihood > quiet.win_likelihood


def test_a_call_with_a_quiet_coach_is_worth_something_in_the_plan() -> None:
    """Back in touch, their word counts again: the what-if of a call this week gains."""
    call = AddActivity(act("c", "coach", 0, type=ActivityType.CALL))
    assert what_if(_insiders(62), [call], NOW).delta_win_likelihood > 0.005
    assert what_if(_insiders(5), [call], NOW).delta_win_likelihood < 0.005


def test_a_quiet_coachs_credit_holds_all_day() -> None:
    """The analyses kept for a day promise the same likelihood in the morning and at night:
    a coach's silence counts by the day, as the scores' decay does."""
    morning = analyse(_insiders(40), NOW + 3_600_000, include_plan=False)
    night = analyse(_insiders(40), NOW + 22 * 3_600_000, include_plan=False)
    assert morning.win_likelihood == night.win_likelihood


def _dm_said(a: Assessment) -> str:
    """What "can we win" says of the decision maker's attitude."""
    return next(r.text_en for r in a.can_win.reasons if r.factor == "decision_maker_attitude")


def _dm_points(a: Assessment) -> int:
    """The points "can we win" gives the decision maker's attitude."""
    return next(r.points for r in a.can_win.reasons if r.factor == "decision_maker_attitude")


def test_a_decision_makers_support_nobody_of_ours_heard_counts_at_about_a_third() -> None:
    """Our champion says the decision maker likes us, but nobody of ours has heard it from him
    (one brochure e-mail): a sales leader counts such support at about a third until one of
    ours hears it. A call, a meeting or one of ours who knows him makes it first-hand; what
    is said against us counts in full, whoever reported it."""
    coach = member("c", DecisionRole.COACH, attitude=Attitude.SUPPORTER)
    mail = act("e", "dm", 10, Outcome.NEUTRAL, ActivityType.EMAIL)
    told = snap(dm(attitude=Attitude.SUPPORTER), coach, activities=[mail])
    neutral = snap(dm(), coach, activities=[mail])
    called = snap(
        dm(attitude=Attitude.SUPPORTER),
        coach,
        activities=[mail, act("t", "dm", 10, Outcome.NEUTRAL, ActivityType.CALL)],
    )
    known = snap(
        dm(attitude=Attitude.SUPPORTER), coach, activities=[mail], team_knows=[knows("dm")]
    )
    said = _dm_said(assessment(told))
    assert said.startswith("The decision maker is leaning our way: they decide")
    assert "only what others told us, counted at 35% until one of ours hears it" in said
    assert "others told us" not in _dm_said(assessment(called))
    heard = _dm_points(assessment(told))
    for first_hand in (called, known):
        full = _dm_points(assessment(first_hand))
        assert abs(heard - 0.35 * full) <= 1, (heard, full)
    likelihood = {
        k: assessment(c).win_likelihood.value for k, c in {"neutral": neutral, "told": told}.items()
    }
    assert likelihood["neutral"] < likelihood["told"]
    against = snap(dm(attitude=Attitude.OPPONENT), coach, activities=[mail])
    assert _dm_said(assessment(against)).startswith("The decision maker is against us: ")
    # a sales director reading "against us" of a sceptic takes the deal for lost
    doubts = snap(dm(attitude=Attitude.SKEPTIC), coach, activities=[mail])
    assert _dm_said(assessment(doubts)).startswith("The decision maker is leaning against us: ")


def test_a_what_if_that_he_champions_us_means_we_know_it() -> None:
    """ "What if the decision maker champions us" asks about his support, not a rumour of it:
    the what-if counts it in full though nobody of ours has met him yet."""
    chain = snap(dm(), member("c", DecisionRole.COACH, attitude=Attitude.SUPPORTER))
    after = what_if(chain, [SetAttitude("dm", Attitude.CHAMPION)], NOW).after.assessment
    assert _dm_said(after) == "The decision maker is for us: they decide"
    assert _dm_points(after) == 25  # dm_attitude_points in full


def test_a_judge_who_turned_the_solution_down_costs_the_deal_whoever_our_friends_are() -> None:
    """A leader's reading (casebook 69): friends everywhere, but the evaluator our solution fits
    poorly failed our POC. From the proposal on the evaluation says no and no decision maker's
    friendship makes up for it: both questions pay for it, in part before the proposal, while
    the solution is still shaped. Recorded as a partial fit (a skeptic still to win over), the
    same failed test costs nothing of this."""

    def cost(fit: NeedsFit, stage: Stage) -> tuple[int, int]:
        a = assessment(failed_poc_chain(fit, stage))
        return tuple(  # type: ignore[return-value]
            sum(r.points for r in q.reasons if r.factor == "solution_rejected")
            for q in (a.can_compete, a.can_win)
        )

    compete, win = cost(NeedsFit.POOR, Stage.PROPOSAL)
    assert compete <= -20, compete
    assert win <= -40, win
    early = cost(NeedsFit.POOR, Stage.VALUE_PRESENTATION)
    assert win < early[1] < 0
    assert compete < early[0] < 0
    assert cost(NeedsFit.POOR, Stage.INITIATE) == (0, 0)
    assert cost(NeedsFit.PARTIAL, Stage.PROPOSAL) == (0, 0)
    a = assessment(failed_poc_chain(NeedsFit.POOR, Stage.PROPOSAL))
    partial = assessment(failed_poc_chain(NeedsFit.PARTIAL, Stage.PROPOSAL))
    assert a.win_likelihood.value < partial.win_likelihood.value - 0.2


def test_a_submitted_quote_the_budget_cannot_pay_costs_by_how_far_it_falls_short() -> None:
    """A leader (casebook 71): at the negotiation, with our price on the table, a budget that
    covers three quarters of it means rescoping, half of it a new deal: the two do not read the
    same, and a draft (whose price can still move) costs nothing of this."""

    def read(budget: int, status: QuoteStatus) -> tuple[int, float]:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            opportunity=opp(
                stage=Stage.NEGOTIATION, quote_amount=8_000_000, budget=budget, quote_status=status
            ),
        )
        a = assessment(chain)
        cost = sum(r.points for r in a.can_win.reasons if r.factor == "budget_shortfall")
        return cost, a.win_likelihood.value

    quarter, half = read(6_000_000, QuoteStatus.SUBMITTED), read(4_000_000, QuoteStatus.SUBMITTED)
    assert quarter[0] == -18
    assert half[0] == -48
    assert half[1] < quarter[1]
    assert read(6_000_000, QuoteStatus.DRAFT)[0] == 0
    assert read(7_600_000, QuoteStatus.SUBMITTED)[0] == 0  # 95 %: a discount closes it


def test_a_team_without_a_solution_manager_competes_worse_while_the_solution_is_judged() -> None:
    """A sales leader (casebook 83/84): at the proposal, with the CIO doubting our architecture
    and nobody of ours owning the solution, the technical bid will be weak: at least five points
    of likelihood below the same deal with its solution manager. Before the solution is
    presented, and once the bids are weighed at the negotiation, it costs nothing."""

    def likelihood(stage: Stage, staffed: bool) -> float:
        return assessment(skeptical_cio_chain(stage, staffed=staffed)).win_likelihood.value

    assert likelihood(Stage.PROPOSAL, True) - likelihood(Stage.PROPOSAL, False) >= 0.05
    unowned = assessment(skeptical_cio_chain(Stage.PROPOSAL, staffed=False)).can_compete
    reason = next(r for r in unowned.reasons if r.factor == "no_solution_manager")
    assert reason.text_en == "Nobody on our team owns the solution: no solution manager on the deal"
    for stage in (Stage.REQUIREMENTS, Stage.NEGOTIATION):
        assert likelihood(stage, True) == likelihood(stage, False)


def test_with_nobody_to_answer_it_a_skeptical_evaluators_doubt_counts_as_a_firm_no() -> None:
    """A sales leader (casebook 83): the relationships are fine, but the CIO who writes the
    technical part doubts our architecture and nobody of ours can answer him: his doubt costs
    "can we win" what an opponent's does, and the reason says why. With a solution manager on
    the team, or before the solution is presented, a skeptic costs half of it."""

    def doubt(stage: Stage, staffed: bool) -> tuple[int, str, str]:
        chain = skeptical_cio_chain(stage, staffed=staffed)
        r = next(r for r in assessment(chain).can_win.reasons if r.factor == "evaluator_attitude")
        return r.points, r.text_en, r.text_zh

    full = round(CFG.assessment.evaluator_attitude_points)
    points, en, zh = doubt(Stage.PROPOSAL, staffed=False)
    assert points == -full
    assert en.endswith(
        "; with no solution manager on our team nobody can answer their doubts, so they count"
        " as a firm no"
    )
    assert zh.endswith("；我方团队没有方案经理，无人能回应其质疑，按明确反对计")
    assert doubt(Stage.PROPOSAL, staffed=True)[0] == -round(full / 2)
    assert doubt(Stage.REQUIREMENTS, staffed=False)[0] == -round(full / 2)
    assert "no solution manager" not in doubt(Stage.PROPOSAL, staffed=True)[1]


def test_a_fresh_objection_from_the_finance_head_costs_can_we_win_and_asks_for_her_roi() -> None:
    """A sales director's price scenarios (cases 97 and 100): a fresh objection to our price
    from a high-influence finance head, the only price issue, costs "can we win" 8-12 points,
    and the ROI workshop with her leads the plan; silent budget holders a month after the quote
    are untested, less bad than her objection, and the ROI workshop is offered to her."""
    cases = {c.key[:3]: c for c in load_cases()}
    objected = analyse(cases["97_"].snapshot, NOW_MS)
    silent = analyse(cases["100"].snapshot, NOW_MS)
    holdout = next(
        r for r in objected.assessment.can_win.reasons if r.factor == "budget_holder_price"
    )
    assert -12 <= holdout.points <= -8
    gap = silent.assessment.can_win.value - objected.assessment.can_win.value
    assert 3 <= gap <= 8
    first = objected.plan[0]
    assert (first.action_key, first.target_person_id, first.owner_member_id) == (
        "roi_workshop",
        "kp-fin",
        "tm-am",
    )
    assert any(
        s.action_key == "roi_workshop" and s.target_person_id == "kp-fin" for s in silent.plan
    )
    fin = silent.scores_of("kp-fin")
    assert fin is not None
    assert fin.price.value == 50


def test_with_two_decision_makers_the_closeness_reason_names_the_one_we_are_least_close_to() -> (
    None
):
    """A sales leader with two signers: "closeness to the decision makers 20/100 (the least
    close)" leaves him asking which of them; the reason names that one. With one decision
    maker there is nobody to pick out."""
    two = snap(
        dm("dean"),
        dm("party"),
        team_knows=[knows("dean", level=TieStrength.VERY_STRONG)],
    )
    reason = next(
        r for r in assessment(two).can_win.reasons if r.factor == "decision_maker_closeness"
    )
    assert reason.text_en.endswith("(PARTY, the least close)"), reason.text_en
    assert reason.text_zh.endswith("（取最疏远的PARTY）"), reason.text_zh
    one = snap(dm(), team_knows=[knows("dm")])
    alone = next(
        r for r in assessment(one).can_win.reasons if r.factor == "decision_maker_closeness"
    )
    assert "least close" not in alone.text_en
    assert "最疏远" not in alone.text_zh


def test_a_rival_close_to_a_member_while_nobody_is_recorded_bidding_is_named() -> None:
    """While no competitor is recorded on the deal, a rival close to the decision maker still
    counts (the field is unknown); "can we win" and "can we compete" name it as people know it,
    never by its id."""
    deal = snap(
        dm(attitude=Attitude.NEUTRAL),
        competitor_ties=[close_to("dm", "rival")],
        names=(("rival", "云岫科技"),),
    )
    result = assessment(deal)
    texts = [r.text_en for r in (*result.can_win.reasons, *result.can_compete.reasons)]
    texts += [r.text_zh for r in (*result.can_win.reasons, *result.can_compete.reasons)]
    named = [t for t in texts if "云岫科技" in t]
    assert named, texts
    assert not any("rival" in t for t in texts), texts


def test_budget_holders_silent_after_the_quote_cost_the_likelihood_and_ask_for_her_roi() -> None:
    """Two sales directors (cases 100 and 104): a quote out a month and no budget holder has said
    a word about it is an untested price, not acceptance: it costs 4-6 points of likelihood
    (their price acceptance read at the neutral 50 cost nothing), and the first play is the ROI
    workshop with the most influential of them, the finance head, by the account manager."""
    cases = {c.key[:3]: c for c in load_cases()}
    free = dataclasses.replace(
        CFG, assessment=dataclasses.replace(CFG.assessment, price_untested_points=0.0)
    )
    for key in ("100", "104"):
        snapshot = cases[key].snapshot
        silent = analyse(snapshot, NOW_MS)
        drop = analyse(snapshot, NOW_MS, free).win_likelihood - silent.win_likelihood
        assert 0.04 <= drop <= 0.06, (key, drop)
        reason = next(r for r in silent.assessment.can_win.reasons if r.factor == "price_untested")
        assert reason.points == -CFG.assessment.price_untested_points
        assert reason.evidence[0].ids[0] == "kp-fin"  # the most influential first
        assert "韩处长" in reason.text_en
        assert "kp-fin" not in reason.text_en
        assert "韩处长" in reason.text_zh
        assert "沉默不等于接受" in reason.text_zh
        first = silent.plan[0]
        assert (first.action_key, first.target_person_id, first.owner_member_id) == (
            "roi_workshop",
            "kp-fin",
            "tm-am",
        )


def test_the_silence_is_held_to_the_high_influence_budget_holder() -> None:
    """Procurement's word does not answer for a finance head of high influence still silent
    about our quote: the cost stands in full; once she has reacted, the others' silence counts
    in their share of the budget holders' weight."""
    quoted = opp(
        stage=Stage.PROPOSAL,
        budget=1_050_000,
        quote_amount=1_000_000,
        quote_status=QuoteStatus.SUBMITTED,
        stage_entered_at=NOW - 30 * DAY,
    )
    fin = member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH)
    proc = member("proc", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM)

    def cost(*talked: str) -> float:
        talks = [
            act(f"t-{p}", p, 5, Outcome.NEUTRAL, ActivityType.PRICING_DISCUSSION) for p in talked
        ]
        chain = snap(dm(), fin, proc, opportunity=quoted, activities=talks)
        reasons = assessment(chain).can_win.reasons
        return -sum(r.points for r in reasons if r.factor == "price_untested")

    points = CFG.assessment.price_untested_points
    assert cost() == points
    assert cost("proc") == points  # the finance head is still silent
    assert 0 < cost("fin") < points  # procurement's share: 2 of 5
    assert cost("fin", "proc") == 0


def test_an_objection_left_to_age_costs_more_for_each_90_days_of_silence() -> None:
    """A second sales director (cases 98 and 102): a high-influence budget holder's price
    objection left unanswered with nobody of ours in touch fades to "unknown with a negative
    prior", never to neutral: each 90 days of that silence costs a further 3-5 points of
    likelihood, 10 at most. 200 days are two such periods."""
    cases = {c.key[:3]: c for c in load_cases()}
    free = dataclasses.replace(
        CFG, assessment=dataclasses.replace(CFG.assessment, stale_objection_points=0.0)
    )
    for key in ("98_", "102"):
        snapshot = cases[key].snapshot
        aged = analyse(snapshot, NOW_MS)
        drop = analyse(snapshot, NOW_MS, free).win_likelihood - aged.win_likelihood
        assert 0.06 <= drop <= 0.10, (key, drop)
        reason = next(
            r for r in aged.assessment.can_win.reasons if r.factor == "stale_price_objection"
        )
        assert reason.evidence[0].ids == ("kp-fin",)
        assert "(韩处长, 200 days)" in reason.text_en
        assert "（韩处长，200天）" in reason.text_zh
        assert "kp-fin" not in reason.text_en


def test_the_aged_objection_counts_whole_periods_up_to_its_cap_until_someone_talks_to_her() -> None:
    quoted = opp(
        stage=Stage.NEGOTIATION,
        budget=1_050_000,
        quote_amount=1_000_000,
        quote_status=QuoteStatus.SUBMITTED,
        stage_entered_at=NOW - 20 * DAY,
    )
    objection = act("obj", "fin", 0, Outcome.NEGATIVE, ActivityType.PRICING_DISCUSSION)
    ac = CFG.assessment

    def cost(
        days: float,
        *later: ActivityFacts,
        influence: InfluenceLevel = InfluenceLevel.HIGH,
        other: float | None = None,
    ) -> float:
        fin = member("fin", DecisionRole.FINANCE, influence)
        objected = dataclasses.replace(objection, occurred_at=NOW - int(days * DAY))
        members, activities = [dm(), fin], [objected, *later]
        if other is not None:
            members.append(member("cfo", DecisionRole.APPROVER, InfluenceLevel.HIGH))
            activities.append(
                act("obj2", "cfo", other, Outcome.NEGATIVE, ActivityType.PRICING_DISCUSSION)
            )
        chain = snap(*members, opportunity=quoted, activities=activities)
        reasons = assessment(chain).can_win.reasons
        return -sum(r.points for r in reasons if r.factor == "stale_price_objection")

    assert cost(80) == 0  # flagged after 60 days, costed per whole 90
    assert cost(100) == ac.stale_objection_points
    assert cost(200) == 2 * ac.stale_objection_points
    assert cost(800) == ac.stale_objection_cap
    assert cost(400, other=400) == ac.stale_objection_cap  # all of them together
    assert cost(200, act("v", "fin", 10, Outcome.NEUTRAL, ActivityType.MEETING)) == 0
    answered = act("w", "fin", 5, Outcome.POSITIVE, ActivityType.WORKSHOP)
    assert cost(200, dataclasses.replace(answered, price_reaction=Outcome.POSITIVE)) == 0
    assert cost(200, influence=InfluenceLevel.MEDIUM) == 0


def test_price_acceptance_in_can_we_win_says_what_its_points_are_a_part_of() -> None:
    """A sales leader reading "+5 · price acceptance 31/100" asks why a price most reject earns
    points: the reason says they are a part of what a price everyone accepts would bring."""
    reason = next(
        r for r in assessment(snap(dm())).can_win.reasons if r.factor == "price_acceptance"
    )
    assert reason.text_en.endswith("(a price everyone accepts would bring 15 points)")
    assert reason.text_zh.endswith("（各方都接受我方价格时可得 15 分）")


@pytest.mark.parametrize(
    ("stage", "compete_share", "win_share"),
    [
        (Stage.VALUE_PRESENTATION, 0.15, 0.15),
        (Stage.PROPOSAL, 0.25, 0.45),
        (Stage.BIDDING, 0.0, 1.0),
    ],
)
def test_a_cheaper_rival_is_a_price_disadvantage_under_can_we_compete_until_the_bids(
    stage: Stage, compete_share: float, win_share: float
) -> None:
    """A sales leader, asked before the tool's answer: a rival the customer's people say is
    cheaper is a competitiveness problem while the tender is drafted (the customer anchors on
    it; answer it with value and the scoring rules), so "Can we compete?" says so; from the
    bids on it is a result, all "Can we win?". One budget split between the two, half each at
    value presentation and about a third under "Can we compete?" at the proposal, so the
    likelihood does not take it twice."""
    chain = _objected_deal(stage)
    found = assessment(chain)
    compete = {r.factor: r for r in found.can_compete.reasons}
    win = {r.factor: r for r in found.can_win.reasons}
    points = CFG.assessment.cheaper_bid_points
    if compete_share:
        line = compete["cheaper_rival"]
        heavier = CFG.likelihood.win_weight / CFG.likelihood.compete_weight
        assert line.points == round(-compete_share * points * heavier)
        assert line.text_en.startswith("Price disadvantage: Cheap Co is priced below us")
        assert line.text_zh.startswith("价格劣势：Cheap Co报价低于我方")
        assert line.evidence[0].ids == ("cheap", chain.opportunity.id)
        assert '(here and under "Can we compete?")' in win["cheaper_bid"].text_en
    else:
        assert "cheaper_rival" not in compete
    assert win["cheaper_bid"].points == round(-win_share * points)
    # the split moves where it is said, not what it costs: all of it under "can we win" reads
    # the same likelihood
    whole = dataclasses.replace(
        CFG, assessment=dataclasses.replace(CFG.assessment, cheaper_bid_compete_share={})
    )
    alone = analyse(chain, NOW, whole, include_plan=False).assessment
    assert found.win_likelihood.value == pytest.approx(alone.win_likelihood.value, abs=1e-9)
    assert "cheaper_rival" not in {r.factor for r in alone.can_compete.reasons}


def test_the_signers_reasons_say_who() -> None:
    """A sales director: "an approver we are not close to" never said who (赵立新); a reason
    names the people it is about, in both languages."""
    chain = snap(
        dm(),
        member("evp", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.OPPONENT),
        member("ap2", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        reports_to=[tie("evp", "dm"), tie("ap2", "dm")],
        team_knows=[knows("dm", level=TieStrength.STRONG)],
        opportunity=opp(stage=Stage.PROPOSAL),
    )
    reasons = {
        r.factor: r for r in analyse(chain, NOW, include_plan=False).assessment.can_win.reasons
    }
    opposed, distant = reasons["approver_attitude"], reasons["approver_closeness"]
    assert opposed.text_en.startswith("Approver EVP opposes us")
    assert opposed.text_zh.startswith("审批人EVP反对我方")
    assert distant.text_en.startswith("Approvers AP2 and EVP, whom we are not close to (10/100)")
    assert distant.text_zh.startswith("审批人AP2、EVP与我方关系疏远（10/100）")
