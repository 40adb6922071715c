from __future__ import annotations

import dataclasses
import random
import re

import networkx as nx
import pytest
from builders import (
    DAY,
    NOW,
    RIVAL,
    act,
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

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    DroppedPlay,
    MemberFacts,
    PersonFacts,
)
from domain.vocabulary import (
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    DropReason,
    ExternalKind,
    InfluenceLevel,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TieStrength,
)
from strategy.analysis import ChainAnalysis, RedFlag, allies_on_every_path
from strategy.casebook import NOW_MS, load_cases
from strategy.engine import analyse
from strategy.playbook import default_playbook
from strategy.scoring import SUPPORTIVE, build_contexts
from strategy.whatif import WeakenCompetitorTies, what_if

STRONG = TieStrength.STRONG


def analysis(chain: ChainSnapshot) -> ChainAnalysis:
    return analyse(chain, NOW, include_plan=False).analysis


def codes(chain: ChainSnapshot) -> set[str]:
    return {f.code for f in analysis(chain).red_flags}


def ally_chain() -> ChainSnapshot:
    """We know the decision maker a little; a rival's ally advises them and is skeptical of us."""
    return snap(
        dm(),
        member("ally", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("user", DecisionRole.USER, InfluenceLevel.LOW, Attitude.NEUTRAL),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.CHAMPION),
        influences=[tie("ally", "dm", TieStrength.VERY_STRONG)],
        reports_to=[tie("user", "ally")],
        team_knows=[knows("dm", level=TieStrength.WEAK), knows("coach", level=STRONG)],
        activities=[act("v1", "dm", 10), act("v2", "coach", 3)],
        competitors=[RIVAL],
        competitor_ties=[close_to("ally", level=TieStrength.VERY_STRONG)],
    )


def test_decision_maker_with_lowest_closeness_is_the_top_gap() -> None:
    chain = snap(
        dm("dm_cold"),
        dm("dm_warm"),
        member("te", DecisionRole.TECHNICAL_EVALUATOR),
        team_knows=[knows("dm_warm", level=TieStrength.VERY_STRONG), knows("te", level=STRONG)],
        activities=[act("a1", "dm_warm", 2), act("a2", "te", 2), act("a3", "dm_cold", 20)],
    )
    result = analysis(chain)
    assert result.gaps[0].person_id == "dm_cold"
    assert "LOW_CLOSENESS" in result.gaps[0].kinds
    severities = [g.severity for g in result.gaps]
    assert severities == sorted(severities, reverse=True)


def test_low_influence_members_are_not_gaps() -> None:
    chain = snap(
        dm(),
        member("intern", influence=InfluenceLevel.LOW),
        team_knows=[knows("dm", level=TieStrength.VERY_STRONG)],
        activities=[
            act("a1", "dm", 1, type=ActivityType.DEMO, solution_reaction=Outcome.VERY_POSITIVE)
        ],
    )
    assert "intern" not in {g.person_id for g in analysis(chain).gaps}


def test_chain_without_a_coach_raises_the_flag() -> None:
    without = snap(dm(), member("u"))
    with_coach = snap(dm(), member("c", DecisionRole.COACH))
    assert "NO_COACH" in codes(without)
    assert "NO_COACH" not in codes(with_coach)


def test_missing_or_unmet_decision_maker() -> None:
    assert "NO_DECISION_MAKER" in codes(snap(member("u")))
    unmet = snap(dm(), team_knows=[knows("dm")])
    assert "DECISION_MAKER_NEVER_MET" in codes(unmet)
    met = snap(dm(), activities=[act("a1", "dm")])
    assert "DECISION_MAKER_NEVER_MET" not in codes(met)


def test_a_decision_maker_one_of_ours_knows_is_not_said_to_be_never_met() -> None:
    """Beside "Known by Li Lei (strong)" a flag saying "never met" reads as the page
    contradicting itself: the meetings are not on record, which the flag says, and asks to log."""
    strangers = analysis(snap(dm())).red_flags
    [alone] = [f for f in strangers if f.code == "DECISION_MAKER_NEVER_MET"]
    assert alone.text_en == "Decision maker DM has never been met"
    known = snap(
        dm(),
        team_knows=[knows("dm", level=TieStrength.WEAK), knows("dm", "sm", TieStrength.STRONG)],
    )
    [flag] = [f for f in analysis(known).red_flags if f.code == "DECISION_MAKER_NEVER_MET"]
    assert flag.severity == "HIGH"
    assert (
        flag.text_en
        == "Decision maker DM: no meeting on record, though Han Mei knows them (strong)"
    )
    assert flag.text_zh == "决策者DM：Han Mei与其相识（强），但没有会面记录"
    assert flag.coaching_en.startswith(
        "Log the meetings held with them; if there were none, Han Mei"
    )


def test_in_a_tender_any_quote_over_the_budget_is_serious() -> None:
    """A sales leader: in a tender the budget is usually the ceiling price, and a bid above it
    may be rejected outright however slightly it is over: serious at once, saying why. Outside
    a tender a slight excess stays a matter of reworking the offer (medium)."""

    def flag(stage: Stage, *people: MemberFacts) -> RedFlag:
        deal = opp(stage=stage, budget=4_000_000, quote_amount=4_280_000)
        chain = snap(
            dm(), *people, opportunity=dataclasses.replace(deal, quote_status=QuoteStatus.DRAFT)
        )
        return next(f for f in analysis(chain).red_flags if f.code == "QUOTE_OVER_BUDGET")

    procurement = member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM)
    for tender in (flag(Stage.BIDDING), flag(Stage.PROPOSAL, procurement)):
        assert tender.severity == "HIGH"
        assert tender.text_en.endswith("; in a tender a bid above the budget may be rejected")
        assert tender.text_zh.endswith("；招标中超出预算的投标可能被否决")
    private = flag(Stage.PROPOSAL)
    assert private.severity == "MEDIUM"
    assert "tender" not in private.text_en


def test_a_coach_in_a_competitor_s_camp_is_no_coach_we_can_trust() -> None:
    """A sales leader: our only coach is close to the rival; what he tells us may be the
    rival's story, and our plans may reach them. That is worse than no coach: a serious flag
    naming him and the rival, beside the note to cross-check him. A second coach in no camp
    is one we can trust."""

    def chain(*coaches: str) -> ChainSnapshot:
        return snap(
            dm(),
            *(
                member(c, DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER)
                for c in coaches
            ),
            activities=[act("v", "dm")],
            competitors=[RIVAL],
            competitor_ties=[close_to("c1", level=STRONG)],
        )

    found = analysis(chain("c1")).red_flags
    (flag,) = [f for f in found if f.code == "NO_TRUSTED_COACH"]
    assert (flag.severity, flag.person_ids, flag.competitor_ids) == ("HIGH", ("c1",), ("rival",))
    assert flag.text_en == "No coach we can trust: C1 is close to Rival Corp"
    assert flag.text_zh == "没有可信赖的教练：C1与Rival Corp关系密切"
    assert flag.coaching_zh.endswith("。")
    assert {"NO_COACH", "COACH_CLOSE_TO_COMPETITOR"} & {f.code for f in found} == {
        "COACH_CLOSE_TO_COMPETITOR"
    }
    assert "NO_TRUSTED_COACH" not in codes(chain("c1", "c2"))


@pytest.mark.parametrize("role", [DecisionRole.DECISION_MAKER, DecisionRole.APPROVER])
def test_a_call_or_an_e_mail_is_no_meeting(role: DecisionRole) -> None:
    """A sales leader: a cold e-mail or a phone call to whoever signs is not having met them;
    the flag stays until someone of ours sits down with them (a visit, a meeting, a demo, a
    dinner...)."""
    code = f"{role.value}_NEVER_MET"

    def flagged(*kinds: ActivityType) -> bool:
        signer = member("s", role, InfluenceLevel.HIGH)
        seen = [act(f"a{i}", "s", type=kind) for i, kind in enumerate(kinds)]
        chain = snap(dm("boss"), signer, activities=[act("v", "boss"), *seen])
        found = analysis(chain).red_flags
        return any(f.code == code and f.person_ids == ("s",) for f in found)

    assert flagged()
    assert flagged(ActivityType.EMAIL, ActivityType.CALL)
    for kind in (ActivityType.VISIT, ActivityType.MEETING, ActivityType.DEMO, ActivityType.SOCIAL):
        assert not flagged(ActivityType.EMAIL, kind), kind


def test_a_social_contact_with_the_compliance_supervisor_is_a_red_flag() -> None:
    """A sales leader's rule in a state-owned tender: the officer who supervises it is met
    openly and on the record only. A dinner or any social contact with him on record is a
    compliance breach that can disqualify the bid, whatever it did for the relationship: the
    leader wants it flagged at once, high, with what to do. Formal contacts (a visit, a meeting,
    a call) are what we owe him and raise nothing; a social contact with anyone else is no
    compliance matter."""
    sup = member("sup", DecisionRole.SUPERVISOR)
    dinner = snap(dm(), sup, activities=[act("a1", "sup", type=ActivityType.SOCIAL)])
    flags = [f for f in analysis(dinner).red_flags if f.code == "SOCIAL_CONTACT_WITH_SUPERVISOR"]
    assert len(flags) == 1
    assert flags[0].severity == "HIGH"
    assert flags[0].person_ids == ("sup",)
    assert "sup" in flags[0].text_en
    assert "公开" in flags[0].coaching_zh
    formal = snap(dm(), sup, activities=[act("a1", "sup", type=ActivityType.MEETING)])
    assert "SOCIAL_CONTACT_WITH_SUPERVISOR" not in codes(formal)
    other = snap(dm(), member("u"), activities=[act("a1", "u", type=ActivityType.SOCIAL)])
    assert "SOCIAL_CONTACT_WITH_SUPERVISOR" not in codes(other)


def _wired(
    level: TieStrength | None = STRONG, *, ours: bool = False, with_dm: bool = True
) -> ChainSnapshot:
    """A state-owned tender the compliance supervisor oversees; ``level``: his tie to the
    rival (none when None); ``ours``: our account manager knows him well."""
    sup = member("sup", DecisionRole.SUPERVISOR)
    proc = member("proc", DecisionRole.PROCUREMENT)
    people = [dm(), sup, proc] if with_dm else [sup, proc]
    return snap(
        *people,
        team_knows=[knows("sup", level=TieStrength.VERY_STRONG)] if ours else [],
        competitors=[RIVAL],
        competitor_ties=[close_to("sup", level=level)] if level is not None else [],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def test_a_compliance_supervisor_close_to_a_competitor_is_a_high_red_flag() -> None:
    """A sales leader: when the officer who supervises the tender is close to a competitor,
    the fairness of the tender is in question. Raised high, naming him, his role and the
    competitor; the coaching sends the team through the proper channel, never to him. Not for a
    weak tie, nor for a supervisor close to us only (the social-contact rule covers that)."""
    flags = [f for f in analysis(_wired()).red_flags if f.code == "SUPERVISOR_CLOSE_TO_COMPETITOR"]
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.severity, flag.person_ids, flag.competitor_ids) == ("HIGH", ("sup",), ("rival",))
    assert flag.text_en == (
        "SUP (Compliance supervisor), who supervises the tender, is close to Rival Corp: the "
        "fairness of the tender is in question"
    )
    assert flag.text_zh == "监督招标的SUP（纪检监督人）与Rival Corp关系密切：招标的公平性存疑"
    assert "recusal" in flag.coaching_en
    assert "on the record" in flag.coaching_en
    assert "回避" in flag.coaching_zh
    assert "。" in flag.coaching_zh
    assert "SUPERVISOR_CLOSE_TO_COMPETITOR" not in codes(_wired(TieStrength.WEAK))
    assert "SUPERVISOR_CLOSE_TO_COMPETITOR" not in codes(_wired(None, ours=True))


def test_high_influence_opponent_is_flagged() -> None:
    chain = snap(dm(), member("cfo", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.OPPONENT))
    flag = next(f for f in analysis(chain).red_flags if f.code == "HIGH_INFLUENCE_OPPONENT")
    assert flag.person_ids == ("cfo",)
    assert flag.coaching_en == (
        "Find out why; address their concern or limit their say through allies."
    )
    assert flag.coaching_zh


def test_a_decision_maker_who_opposes_us_is_answered_not_sidelined() -> None:
    """A sales leader: nobody limits the say of the person who signs. Learn through the coach
    what he holds against us, have our executive answer it in person, and win over the people
    he listens to; the same for an approver."""
    for role in (DecisionRole.DECISION_MAKER, DecisionRole.APPROVER):
        boss = member("boss", role, InfluenceLevel.DECISIVE, Attitude.OPPONENT)
        chain = snap(boss) if role == DecisionRole.DECISION_MAKER else snap(dm(), boss)
        flag = next(f for f in analysis(chain).red_flags if f.code == "HIGH_INFLUENCE_OPPONENT")
        assert "limit" not in flag.coaching_en
        assert flag.coaching_en == (
            "Learn through the coach what they hold against us; have our executive answer it "
            "in person, and win over the people they listen to."
        )
        assert (
            flag.coaching_zh == "通过教练了解其反对的原因；由我方高层当面回应，并争取其信任的人。"
        )


def test_competitor_ally_between_us_and_the_decision_maker() -> None:
    # our only friend reports to the ally, who has the decision maker's ear: every route passes them
    blocked = snap(
        dm(),
        member("ally", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("fan", DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER),
        influences=[tie("ally", "dm", TieStrength.VERY_STRONG)],
        reports_to=[tie("fan", "ally")],
        team_knows=[knows("fan", level=STRONG)],
        competitors=[RIVAL],
        competitor_ties=[close_to("ally", level=TieStrength.VERY_STRONG)],
    )
    flag = next(f for f in analysis(blocked).red_flags if f.code == "COMPETITOR_ALLY_ON_PATH_TO_DM")
    assert flag.person_ids == ("ally", "dm")
    assert flag.competitor_ids == ("rival",)
    assert "Rival Corp" in flag.text_en
    assert "our solution and references" in flag.coaching_en
    # a finance ally on that route is answered on cost, not with our solution
    members = tuple(
        dataclasses.replace(m, role=DecisionRole.FINANCE) if m.person_id == "ally" else m
        for m in blocked.members
    )
    finance = dataclasses.replace(blocked, members=members)
    flag = next(f for f in analysis(finance).red_flags if f.code == "COMPETITOR_ALLY_ON_PATH_TO_DM")
    assert "total cost over the contract's life, payment terms and financing" in flag.coaching_en
    assert "总成本、付款方式和融资方案" in flag.coaching_zh
    assert "solution" not in flag.coaching_en
    # we know the decision maker ourselves: the ally advises them but stands between us and nobody
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" not in codes(ally_chain())
    # the same ally off the path to the decision maker is not flagged
    off_path = snap(
        dm(),
        member("ally", influence=InfluenceLevel.HIGH),
        influences=[tie("dm", "ally")],
        competitor_ties=[close_to("ally")],
    )
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" not in codes(off_path)
    # a route around the ally (our fan also reports straight to the decision maker): no flag
    around = dataclasses.replace(blocked, reports_to=(tie("fan", "ally"), tie("fan", "dm")))
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" not in codes(around)
    # a sales leader: our coach's boss favours the rival, but our sponsor is the boss's boss and
    # has the decision maker's ear; the ally holds back the coach's voice, not our case
    sponsored = snap(
        dm(),
        member("sponsor", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("ally", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("coach", "ally"), tie("ally", "sponsor")],
        influences=[tie("sponsor", "dm", TieStrength.STRONG)],
        team_knows=[knows("sponsor", level=STRONG), knows("coach", level=STRONG)],
        competitors=[RIVAL],
        competitor_ties=[close_to("ally", level=TieStrength.VERY_STRONG)],
    )
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" not in codes(sponsored)
    # the same coach and ally straight under the decision maker: the ally does stand between
    direct = dataclasses.replace(sponsored, reports_to=(tie("coach", "ally"), tie("ally", "dm")))
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" in codes(direct)


def test_competitor_ally_between_us_and_the_decision_maker_is_a_bridge() -> None:
    result = analysis(ally_chain())
    ranked = [b.person_id for b in result.bridges]
    assert "ally" in ranked
    assert ranked.index("ally") < ranked.index("user")
    ally = next(b for b in result.bridges if b.person_id == "ally")
    assert ally.delta_win_likelihood > 0
    assert ally.delta_support > 0
    assert "coach" not in ranked  # already a champion with no rival ties


def test_competitor_camp_takes_in_who_the_ally_can_sway() -> None:
    chain = snap(
        member("ally"),
        member("report", attitude=Attitude.SKEPTIC),
        member("bystander"),
        member("fan", attitude=Attitude.SUPPORTER),
        member("far"),
        reports_to=[tie("report", "ally"), tie("bystander", "ally"), tie("fan", "ally")],
        competitors=[RIVAL],
        competitor_ties=[close_to("ally", level=TieStrength.MODERATE)],
    )
    (camp,) = analysis(chain).camps
    assert camp.core_ids == ("ally",)
    # own position first: the skeptic follows their manager, the neutral bystander and our fan don't
    assert camp.member_ids == ("ally", "report")
    assert 0 < camp.influence_share < 1


def test_nobody_is_in_two_camps_and_moderate_advice_sways_nobody() -> None:
    other = CompetitorFacts("other", "Other Ltd")
    chain = snap(
        dm(attitude=Attitude.SKEPTIC),
        member("a"),
        member("b"),
        member("both", attitude=Attitude.SKEPTIC),
        influences=[tie("a", "dm"), tie("b", "dm"), tie("a", "both", STRONG)],
        competitors=[RIVAL, other],
        competitor_ties=[
            close_to("a"),
            close_to("b", "other"),
            close_to("both", level=TieStrength.MODERATE),
            close_to("both", "other", level=STRONG),
        ],
    )
    camps = {c.competitor_id: c.member_ids for c in analysis(chain).camps}
    assert camps == {"rival": ("a",), "other": ("b", "both")}


def test_support_balance_against_each_competitor() -> None:
    support = analysis(ally_chain()).support
    (rival,) = support.competitors
    assert rival.competitor_id == "rival"
    assert rival.support > 0
    assert rival.balance == support.for_us - rival.support


def test_a_quote_judged_not_deliverable_is_flagged_as_such_not_as_unreviewed() -> None:
    """The delivery manager's "no" is a verdict: the flag says he judged it not deliverable
    and asks for the rework, high whether the quote is out or not; it does not say the
    review is missing, which sends the team back to him."""
    for status, en, zh in (
        (
            QuoteStatus.DRAFT,
            "The delivery manager judged the quote not deliverable as it stands",
            "交付经理评审认为按当前报价不可落地",
        ),
        (
            QuoteStatus.SUBMITTED,
            "The quote with the customer is one the delivery manager judged not deliverable",
            "已提交给客户的报价，交付经理评审认为不可落地",
        ),
    ):
        refused = opp(quote_status=status, delivery_infeasible=True)
        flags = {f.code: f for f in analysis(snap(dm(), opportunity=refused)).red_flags}
        assert "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE" not in flags
        flag = flags["DELIVERY_NOT_FEASIBLE"]
        assert (flag.severity, flag.text_en, flag.text_zh) == ("HIGH", en, zh)
        assert flag.coaching_en.startswith("Rework scope or price")


def test_delivery_manager_must_review_before_the_quote() -> None:
    draft = opp(quote_status=QuoteStatus.DRAFT)
    assert "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE" in codes(snap(dm(), opportunity=draft))
    reviewed = opp(quote_status=QuoteStatus.SUBMITTED, delivery_reviewed=True)
    assert "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE" not in codes(snap(dm(), opportunity=reviewed))
    no_dm_team = snap(dm(), opportunity=reviewed, team=())
    assert "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE" in codes(no_dm_team)
    assert "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE" not in codes(snap(dm()))


def test_a_quote_over_the_customers_budget_is_a_red_flag() -> None:
    """A sales leader: a quote above the budget is a deal we lose on price unless the offer is
    reworked (phasing, scope, payment terms) before it goes in; the further over, and the more
    so when a competitor is cheaper, the more urgent. It says what the four questions say."""

    def flags(budget: int, quote: int, *rivals: CompetitorFacts) -> list[RedFlag]:
        deal = opp(budget=budget, quote_amount=quote, quote_status=QuoteStatus.DRAFT)
        chain = snap(dm(), opportunity=deal, competitors=rivals)
        return [f for f in analysis(chain).red_flags if f.code == "QUOTE_OVER_BUDGET"]

    cheaper = CompetitorFacts("cloud", "Cloud Co", CompetitivePosition.EVEN, PricePosition.LOWER)
    assert flags(1_000_000, 1_000_000) == []
    assert flags(1_000_000, 900_000) == []
    (slight,) = flags(4_000_000, 4_280_000)
    assert slight.severity == "MEDIUM"
    assert "7% over the customer's budget (the budget covers 93% of it)" in slight.text_en
    assert "超出客户预算7%（预算仅覆盖报价的93%）" in slight.text_zh
    for words in ("phase", "payment terms", "delivery manager"):
        assert words in slight.coaching_en
    for words in ("分期", "付款方式", "交付经理"):
        assert words in slight.coaching_zh
    quoted = snap(dm(), opportunity=opp(budget=4_000_000, quote_amount=4_280_000))
    real = analyse(quoted, NOW, include_plan=False).assessment.is_real.reasons
    assert any("93%" in r.text_en for r in real if r.factor == "budget")  # the same share
    (undercut,) = flags(4_000_000, 4_280_000, RIVAL, cheaper)
    assert (undercut.severity, undercut.competitor_ids) == ("HIGH", ("cloud",))
    assert "and Cloud Co is cheaper" in undercut.text_en
    assert "且Cloud Co报价更低" in undercut.text_zh
    assert undercut.coaching_zh.endswith("；并用整个合同期的总成本与Cloud Co的方案对比。")
    (far,) = flags(3_000_000, 4_000_000)
    assert far.severity == "HIGH"
    (hair,) = flags(3_990_000, 4_000_000)
    assert "covers 99% of it" in hair.text_en  # a short budget never reads 100 %
    unquoted = snap(dm(), opportunity=opp(budget=1_000_000, amount=2_000_000))
    assert "QUOTE_OVER_BUDGET" not in codes(unquoted)  # no quote on the table yet


def test_amounts_that_cannot_both_be_right_are_a_red_flag() -> None:
    """A sales leader: a quote of 428,000 against a 40 million budget is a unit typed wrong
    (yuan for fen), not a bargain; ask before believing it, and say which two figures."""

    def flags(**amounts: int | None) -> list[RedFlag]:
        chain = snap(dm(), opportunity=opp(**amounts))
        return [f for f in analysis(chain).red_flags if f.code == "AMOUNTS_APART"]

    wan = 1_000_000  # 万元 in fen
    assert flags(amount=4280 * wan, budget=4000 * wan, quote_amount=4280 * wan) == []
    assert flags(amount=400 * wan, budget=4000 * wan) == [], "our part of a programme, 10x"
    (slip,) = flags(amount=4280 * wan, budget=4000 * wan, quote_amount=4280 * wan // 100)
    assert slip.severity == "HIGH"
    assert slip.text_en.startswith(
        "Our quote (CNY 428,000) and the deal's amount (CNY 42,800,000) are 100 times apart"
    )
    assert slip.text_zh.startswith("我方报价（42.8万元）与商机金额（4280万元）相差100倍")
    assert "fen" in slip.coaching_en
    assert "以分为单位" in slip.coaching_zh
    (budget,) = flags(amount=4280 * wan, budget=4000 * wan // 10_000)
    assert "the customer's budget (CNY 4,000)" in budget.text_en
    assert flags(amount=4280 * wan, budget=None) == []


def test_tender_led_deal_expects_procurement_to_be_covered() -> None:
    def chain(stage: Stage) -> ChainSnapshot:
        return snap(
            dm(),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.LOW),
            *(member(f"u{i}", attitude=Attitude.SUPPORTER) for i in range(6)),
            team_knows=[knows("dm", level=STRONG)],
            activities=[act("v", "dm", 3)],
            opportunity=opp(stage=stage),
        )

    tender = [g.person_id for g in analysis(chain(Stage.BIDDING)).gaps]
    assert "buyer" in tender[:2]
    # the same low-influence buyer outside a tender is no coverage gap
    assert "buyer" not in [g.person_id for g in analysis(chain(Stage.REQUIREMENTS)).gaps]


def test_the_least_favourable_decision_maker_binds() -> None:
    both = snap(dm("a", attitude=Attitude.CHAMPION), dm("b", attitude=Attitude.NEUTRAL))
    full = analyse(both, NOW, include_plan=False)
    (bridge, *_) = full.analysis.bridges
    assert bridge.person_id == "b"
    mood = next(r for r in full.assessment.can_win.reasons if r.factor == "decision_maker_attitude")
    assert mood.points == 0  # b is neutral: the champion does not average it away


def test_an_approver_nobody_has_met_is_flagged_and_one_against_us_costs_the_deal() -> None:
    def chain(attitude: Attitude, met: bool, stage: Stage = Stage.PROPOSAL) -> ChainSnapshot:
        cfo = member("cfo", DecisionRole.APPROVER, InfluenceLevel.HIGH, attitude)
        seen = [act("v", "dm"), *([act("c", "cfo")] if met else [])]
        return snap(
            dm(attitude=Attitude.SUPPORTER), cfo, activities=seen, opportunity=opp(stage=stage)
        )

    unmet = next(
        f
        for f in analysis(chain(Attitude.NEUTRAL, False)).red_flags
        if f.code == "APPROVER_NEVER_MET"
    )
    assert (unmet.person_ids, unmet.severity) == (("cfo",), "HIGH")
    early = analysis(chain(Attitude.NEUTRAL, False, Stage.REQUIREMENTS)).red_flags
    assert [f.severity for f in early if f.code == "APPROVER_NEVER_MET"] == ["MEDIUM"]
    assert "APPROVER_NEVER_MET" not in codes(chain(Attitude.NEUTRAL, True))

    def likelihood(attitude: Attitude) -> float:
        return analyse(chain(attitude, True), NOW, include_plan=False).win_likelihood

    veto = likelihood(Attitude.SKEPTIC) - likelihood(Attitude.OPPONENT)
    doubt = likelihood(Attitude.NEUTRAL) - likelihood(Attitude.SKEPTIC)
    assert veto > 0.08  # an approver's no stops the deal
    assert veto > 2 * doubt  # a skeptical approver is the usual case, not a veto


def test_procurement_and_finance_are_covered_where_the_price_is_settled() -> None:
    """A sales leader: at negotiation procurement squeezes the price and finance signs it off,
    whatever influence the org chart gives them; the buyer who pushed back twice is a top gap."""

    def chain(stage: Stage) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.CHAMPION),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.LOW, Attitude.SKEPTIC),
            member("fin", DecisionRole.FINANCE, InfluenceLevel.LOW),
            *(member(f"u{i}", attitude=Attitude.SUPPORTER) for i in range(6)),
            team_knows=[knows("dm", level=STRONG), knows("buyer", level=TieStrength.WEAK)]
            + [knows(f"u{i}", level=STRONG) for i in range(6)],
            activities=[
                act("v", "dm", 3),
                act(
                    "p", "buyer", 5, type=ActivityType.PRICING_DISCUSSION, outcome=Outcome.NEGATIVE
                ),
                *(act(f"a{i}", f"u{i}", 3) for i in range(6)),
            ],
            opportunity=opp(stage=stage, budget=900_000, quote_amount=1_000_000),
        )

    for stage in (Stage.BIDDING, Stage.NEGOTIATION):
        settling = [g.person_id for g in analysis(chain(stage)).gaps]
        assert set(settling[:2]) == {"buyer", "fin"}, (stage, settling)
    # before the price is settled the same low-influence buyer and clerk are no gaps
    early = [g.person_id for g in analysis(chain(Stage.PROPOSAL)).gaps]
    assert "buyer" not in early
    assert "fin" not in early


def test_an_evaluator_a_competitor_holds_is_flagged_only_in_a_tender() -> None:
    def chain(stage: Stage, attitude: Attitude, level: TieStrength) -> ChainSnapshot:
        arch = member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, attitude)
        return snap(
            dm(),
            arch,
            competitors=[RIVAL],
            competitor_ties=[close_to("arch", level=level)],
            opportunity=opp(stage=stage),
        )

    locked = chain(Stage.BIDDING, Attitude.NEUTRAL, TieStrength.VERY_STRONG)
    flag = next(f for f in analysis(locked).red_flags if f.code == "EVALUATOR_LOCKED")
    assert (flag.person_ids, flag.competitor_ids) == (("arch",), ("rival",))
    assert "Rival Corp" in flag.text_en
    assert "Rival Corp" in flag.text_zh
    assert "EVALUATOR_LOCKED" not in codes(chain(Stage.NEGOTIATION, Attitude.NEUTRAL, STRONG))
    assert "EVALUATOR_LOCKED" not in codes(chain(Stage.BIDDING, Attitude.SUPPORTER, STRONG))
    assert "EVALUATOR_LOCKED" not in codes(
        chain(Stage.BIDDING, Attitude.NEUTRAL, TieStrength.MODERATE)
    )


def test_a_coach_close_to_a_competitor_is_flagged_and_not_relied_on() -> None:
    def chain(level: TieStrength) -> ChainSnapshot:
        coach = member("coach", DecisionRole.COACH, attitude=Attitude.SUPPORTER)
        return snap(
            dm(),
            coach,
            team_knows=[knows("coach")],  # one of ours knows them: a coach who can guide us
            competitors=[RIVAL],
            competitor_ties=[close_to("coach", level=level)],
        )

    def coach_reason(chain: ChainSnapshot) -> tuple[str, int]:
        full = analyse(chain, NOW, include_plan=False)
        reason = next(r for r in full.assessment.can_win.reasons if r.factor == "coach")
        return reason.text_en, reason.points

    double = chain(TieStrength.MODERATE)
    assert "COACH_CLOSE_TO_COMPETITOR" in codes(double)
    assert coach_reason(double)[0].startswith("A coach we cannot rely on yet")
    loose = chain(TieStrength.WEAK)
    assert "COACH_CLOSE_TO_COMPETITOR" not in codes(loose)
    assert coach_reason(loose)[0] == "A supportive coach guides us"
    assert coach_reason(loose)[1] > coach_reason(double)[1]


def _on_every_route(graph: nx.DiGraph, start: str, end: str, via: str) -> bool:
    """Whether every route from ``start`` to ``end`` passes ``via``."""
    cut = graph.copy()
    cut.remove_node(via)
    return not nx.has_path(cut, start, end)


def _blocking_by_removal(chain: ChainSnapshot, allies: set[str]) -> set[tuple[str, str]]:
    """The definition, checked the slow way: an ally blocks a decision maker when removing them
    cuts every route from all our supporters, or from one of our champions or coaches with no
    supporter of ours on every route from the ally on (the case goes on from there)."""
    up = nx.DiGraph()
    up.add_nodes_from(m.person_id for m in chain.members)
    up.add_edges_from((t.from_id, t.to_id) for t in (*chain.reports_to, *chain.influences))
    ours = {m.person_id for m in chain.members if m.attitude in SUPPORTIVE} - allies
    carriers = [
        m.person_id
        for m in chain.members
        if m.person_id in ours and (m.attitude == Attitude.CHAMPION or m.role == DecisionRole.COACH)
    ]
    dms = [m.person_id for m in chain.members if m.role == DecisionRole.DECISION_MAKER]
    found: set[tuple[str, str]] = set()
    for d in (d for d in dms if d not in ours):
        for ally in allies - {d}:
            cut = up.copy()
            cut.remove_node(ally)
            together = any(nx.has_path(up, s, d) for s in ours) and not any(
                nx.has_path(cut, s, d) for s in ours
            )
            alone = any(
                nx.has_path(up, c, d)
                and not nx.has_path(cut, c, d)
                and not any(_on_every_route(up, ally, d, s) for s in ours - {c})
                for c in carriers
            )
            if together or alone:
                found.add((d, ally))
    return found


def test_allies_on_every_path_matches_the_definition_on_random_charts() -> None:
    rng = random.Random(11)
    attitudes = list(Attitude)
    for _ in range(300):
        n = rng.randint(3, 12)
        people = [f"p{i}" for i in range(n)]
        members = [dm(people[0], attitude=Attitude.NEUTRAL)] + [
            member(
                p,
                rng.choice([DecisionRole.USER, DecisionRole.COACH, DecisionRole.APPROVER]),
                attitude=rng.choice(attitudes),
            )
            for p in people[1:]
        ]
        reports = [tie(p, people[rng.randrange(i)]) for i, p in enumerate(people) if i]
        influences = [tie(rng.choice(people), rng.choice(people)) for _ in range(rng.randint(0, n))]
        chain = snap(
            *members, reports_to=reports, influences=[t for t in influences if t.from_id != t.to_id]
        )
        allies = {p for p in people[1:] if rng.random() < 0.3}
        contexts = build_contexts(chain, NOW)
        got = set(allies_on_every_path(chain, contexts, allies, [people[0]]))
        assert got == _blocking_by_removal(chain, allies), (chain, allies)


def test_a_declared_evaluator_is_a_gap_even_below_the_average_influence() -> None:
    """A sales leader: the architect who writes the scoring sheet and rejected our integration
    is a gap, even when the influence flow puts his boss and the decision maker above him."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.MEDIUM, Attitude.SKEPTIC),
        member("u1", DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER),
        member("u2", DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("cio", "dm"), tie("arch", "cio"), tie("u1", "cio"), tie("u2", "cio")],
        team_knows=[knows("dm"), knows("cio", level=STRONG), knows("arch", "sm", TieStrength.WEAK)],
        activities=[
            act("a1", "dm", 5),
            act("a2", "cio", 5),
            act("a3", "arch", 10, solution_reaction=Outcome.NEGATIVE),
            act("a4", "u1", 5),
            act("a5", "u2", 5),
        ],
    )
    gaps = {g.person_id: g for g in analysis(chain).gaps}
    assert "arch" in gaps
    assert "LOW_SOLUTION" in gaps["arch"].kinds


def test_a_low_price_makes_a_gap_of_a_budget_holder_not_of_a_supporter_who_never_objected() -> None:
    chain = snap(
        dm(attitude=Attitude.CHAMPION),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        team_knows=[knows("dm", level=STRONG), knows("fin", level=STRONG)],
        activities=[act("a1", "dm", 5), act("a2", "fin", 5)],
        opportunity=opp(stage=Stage.NEGOTIATION, budget=600_000, quote_amount=1_000_000),
    )
    gaps = {g.person_id: g.kinds for g in analysis(chain).gaps}
    assert "LOW_PRICE" in gaps.get("fin", ())
    assert "LOW_PRICE" not in gaps.get("dm", ())


def test_the_decision_maker_is_a_bigger_bridge_than_the_rivals_man_who_reports_to_him() -> None:
    """A sales leader: a CTO who has been the rival's man for years does not stop taking their
    calls when he starts to speak well of us; his tie counts as any supporter's does (half).
    Winning the CEO who decides, whom the CTO reports to, moves the deal more."""
    engineers = ("eng1", "eng2")
    chain = snap(
        dm(),
        member("cto", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        *(
            member(e, DecisionRole.TECHNICAL_EVALUATOR, attitude=Attitude.SUPPORTER)
            for e in engineers
        ),
        reports_to=[tie("cto", "dm"), *(tie(e, "cto") for e in engineers)],
        team_knows=[knows(e, level=TieStrength.STRONG) for e in engineers],
        activities=[act(f"v-{e}", e, 10) for e in engineers],
        competitors=[RIVAL],
        competitor_ties=[close_to("cto", level=TieStrength.VERY_STRONG)],
    )
    ranked = [b.person_id for b in analysis(chain).bridges]
    assert ranked[:2] == ["dm", "cto"]


def test_in_a_tender_procurement_we_never_met_is_covered_before_finance() -> None:
    """A sales leader: when procurement runs the tender, its head sets the rules, the committee
    and the timetable; never having met them is a bigger gap than a finance director of higher
    declared influence whom a competitor holds, from the first stage on."""
    users = [f"u{i}" for i in range(6)]
    chain = snap(
        dm(),
        member("cfo", DecisionRole.FINANCE, InfluenceLevel.HIGH),
        member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM),
        *(member(u, DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER) for u in users),
        reports_to=[tie("cfo", "dm"), tie("buyer", "cfo"), *(tie(u, "dm") for u in users)],
        team_knows=[knows(u) for u in users],
        activities=[act(f"v-{u}", u, 5) for u in users],
        competitors=[RIVAL],
        competitor_ties=[close_to("cfo")],
        opportunity=opp(stage=Stage.VALIDATE),
    )
    gaps = [g.person_id for g in analysis(chain).gaps]
    assert gaps[:3] == ["dm", "buyer", "cfo"]


def test_in_a_tender_an_evaluator_a_competitor_holds_is_covered_before_procurement() -> None:
    """Two sales directors: procurement runs the process and rarely chooses the vendor; the
    rival's man who writes the specification and scores the bids does most of the harm. Held
    by a competitor, the head of IT is a larger gap than the procurement head we met once; not
    held, he ranks as an evaluator does."""

    def gaps(held: bool) -> list[str]:
        users = [f"u{i}" for i in range(6)]
        chain = snap(
            dm(),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.MEDIUM),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM),
            *(member(u, DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER) for u in users),
            reports_to=[tie("it", "dm"), tie("buyer", "dm"), *(tie(u, "dm") for u in users)],
            team_knows=[knows(u) for u in users] + [knows("it"), knows("buyer")],
            activities=[act(f"v-{u}", u, 5) for u in users]
            + [act("m-it", "it", 10, Outcome.NEUTRAL), act("m-b", "buyer", 10, Outcome.NEUTRAL)],
            competitors=[RIVAL],
            competitor_ties=[close_to("it", level=TieStrength.STRONG)] if held else [],
            opportunity=opp(stage=Stage.PROPOSAL),
        )
        return [g.person_id for g in analysis(chain).gaps]

    held = gaps(held=True)
    assert held.index("it") < held.index("buyer")
    free = gaps(held=False)
    assert "it" not in free or free.index("buyer") < free.index("it")


def test_a_bridge_that_frees_a_champion_counts_who_the_champion_tells() -> None:
    """A champion close to the rival keeps quiet in the meetings that count; won over (the tie
    cut), she speaks for us, and her manager, who backs us and reports to the decision maker,
    carries her case on. The bridge's gain is what the full what-if of the same change says."""
    chain = snap(
        dm(),
        member("head", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.MEDIUM, Attitude.SUPPORTER),
        member("user", DecisionRole.USER, InfluenceLevel.HIGH, Attitude.CHAMPION),
        reports_to=[tie("head", "dm"), tie("user", "head")],
        team_knows=[knows("dm"), knows("head"), knows("user", level=TieStrength.STRONG)],
        activities=[act("a1", "dm", 5), act("a2", "head", 5), act("a3", "user", 3)],
        competitors=[RIVAL],
        competitor_ties=[close_to("user")],
        opportunity=opp(stage=Stage.VALUE_PRESENTATION),
    )
    bridge = next(b for b in analyse(chain, NOW).analysis.bridges if b.person_id == "user")
    cut = what_if(chain, [WeakenCompetitorTies("user", len(TieStrength))], NOW)
    assert cut.delta_win_likelihood == pytest.approx(bridge.delta_win_likelihood, abs=1e-12)


def _dm_tied(attitude: Attitude, level: TieStrength, rival: str = "rival") -> ChainSnapshot:
    """A decision maker and our coach, both met lately; the decision maker is close to
    ``rival`` at ``level``, where Rival Corp bids."""
    return snap(
        dm(attitude=attitude),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        team_knows=[knows("dm"), knows("coach")],
        activities=[act("v1", "dm", 3), act("v2", "coach", 3)],
        competitors=[RIVAL],
        competitor_ties=[close_to("dm", rival, level)],
        names=[("other", "Other Soft")],
    )


def test_a_decision_maker_a_competitor_holds_is_a_serious_flag_unless_with_us() -> None:
    flags = analysis(_dm_tied(Attitude.NEUTRAL, STRONG)).red_flags
    found = [f for f in flags if f.code == "DECISION_MAKER_WITH_COMPETITOR"]
    assert [(f.severity, f.person_ids, f.competitor_ids) for f in found] == [
        ("HIGH", ("dm",), ("rival",))
    ]
    assert found[0].text_en == "DM (decision maker) supports Rival Corp"
    assert "DECISION_MAKER_WITH_COMPETITOR" not in codes(_dm_tied(Attitude.SUPPORTER, STRONG))
    assert "DECISION_MAKER_WITH_COMPETITOR" not in codes(
        _dm_tied(Attitude.NEUTRAL, TieStrength.WEAK)
    )


def test_a_decision_maker_said_to_back_us_but_close_to_a_rival_is_to_be_confirmed() -> None:
    """A sales leader: the account manager marks the decision maker as backing us, yet he is
    close to the rival; saying kind things to both sides is common. Until the coach confirms it
    and his deeds show it, his support is a claim: a serious flag, naming him and the rival,
    that asks for it to be confirmed. A working tie (moderate) raises nothing, nor does a tie to
    a competitor not bidding here (the watch item speaks of that)."""

    def chain(
        level: TieStrength, attitude: Attitude = Attitude.SUPPORTER, rival: str = "rival"
    ) -> ChainSnapshot:
        return _dm_tied(attitude, level, rival)

    found = [
        f for f in analysis(chain(STRONG)).red_flags if f.code == "DECISION_MAKER_ON_BOTH_SIDES"
    ]
    assert [(f.severity, f.person_ids, f.competitor_ids) for f in found] == [
        ("HIGH", ("dm",), ("rival",))
    ]
    assert found[0].text_en == "DM (decision maker) is said to back us but is close to Rival Corp"
    assert found[0].text_zh == "DM（决策者）被认为支持我方，但与Rival Corp关系密切"
    assert "coach" in found[0].coaching_en
    assert found[0].coaching_zh.endswith("。")
    assert "DECISION_MAKER_ON_BOTH_SIDES" in codes(
        chain(TieStrength.VERY_STRONG, Attitude.CHAMPION)
    )
    assert "DECISION_MAKER_ON_BOTH_SIDES" not in codes(chain(TieStrength.MODERATE))
    assert "DECISION_MAKER_ON_BOTH_SIDES" not in codes(chain(STRONG, rival="other"))
    assert "DECISION_MAKER_ON_BOTH_SIDES" not in codes(chain(STRONG, Attitude.NEUTRAL))


def test_a_high_influence_opponent_is_named_with_their_role_without_a_ratio() -> None:
    """ "High influence (0.9x average)" contradicted itself and a ratio means nothing to a sales
    director: the flag names the person's role and says the influence is high."""
    chain = snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.OPPONENT),
        persons=[PersonFacts("dm", "Zhang Wei"), PersonFacts("te", "Wang Li")],
    )
    flag = next(f for f in analysis(chain).red_flags if f.code == "HIGH_INFLUENCE_OPPONENT")
    assert flag.text_en == "Wang Li (technical evaluator, high influence) opposes us"
    assert flag.text_zh == "Wang Li（技术评估者，影响力高）反对我方"


def test_the_delivery_review_flag_says_whether_the_quote_went_out() -> None:
    """A quote already submitted without the delivery manager's review is no longer one being
    prepared: the flag says which it is."""

    def text(status: QuoteStatus) -> tuple[str, str]:
        chain = snap(dm(), opportunity=opp(quote_status=status))
        found = next(
            f for f in analysis(chain).red_flags if f.code == "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE"
        )
        return found.text_en, found.text_zh

    assert text(QuoteStatus.SUBMITTED) == (
        "Quote submitted without the delivery manager's review",
        "报价已提交，未经交付经理评审",
    )
    assert text(QuoteStatus.DRAFT) == (
        "Quote prepared without the delivery manager's review",
        "报价未经交付经理评审",
    )


def test_a_draft_about_to_go_out_is_a_serious_flag() -> None:
    """A sales leader (casebook 77): at the negotiation a draft quote is days from being the
    price we are held to: serious, whatever the deal's other news. Earlier a draft's review is a
    watch point, high delivery risk or not (the demo deal: the president comes first)."""

    def flag(**fields: object) -> tuple[str, str, str]:
        chain = snap(dm(), opportunity=opp(quote_status=QuoteStatus.DRAFT, **fields))
        found = next(
            f for f in analysis(chain).red_flags if f.code == "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE"
        )
        return found.severity, found.text_en, found.text_zh

    assert flag(stage=Stage.NEGOTIATION) == (
        "HIGH",
        "Quote prepared without the delivery manager's review at the negotiation: it is days "
        "from being the price we are held to",
        "报价未经交付经理评审，而商机已到谈判签约阶段：几天内这就是我们要兑现的价格",
    )
    assert flag(stage=Stage.BIDDING)[0] == "HIGH"
    assert flag(stage=Stage.PROPOSAL, delivery_risk=DeliveryRisk.HIGH)[0] == "MEDIUM"


def _group_officer(
    strength: TieStrength = STRONG,
    *,
    attitude: Attitude = Attitude.OPPONENT,
    rival: TieStrength = STRONG,
    line_manager: bool = False,
) -> ChainSnapshot:
    """A supportive decision maker we know, our evaluator and coach reporting to him, and a
    group officer close to a rival who influences him (or, ``line_manager``, whom he reports
    to)."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        member("parent", DecisionRole.APPROVER, InfluenceLevel.HIGH, attitude),
        persons=[
            PersonFacts("dm", "Zhang Wei"),
            PersonFacts("te", "Wang Li"),
            PersonFacts("coach", "Chen Jing"),
            PersonFacts("parent", "Qian Gang"),
        ],
        opportunity=opp(stage=Stage.BIDDING),
        reports_to=[tie("te", "dm"), tie("coach", "te")]
        + ([tie("dm", "parent")] if line_manager else []),
        influences=[] if line_manager else [tie("parent", "dm", strength)],
        team_knows=[knows("dm"), knows("te"), knows("coach")],
        activities=[act("a1", "dm", 6), act("a2", "te", 4), act("a3", "parent", 20)],
        competitors=[RIVAL],
        competitor_ties=[close_to("parent", level=rival)],
    )


def test_a_competitor_s_ally_who_strongly_influences_the_decision_maker_is_flagged() -> None:
    """A group officer close to a rival and against us sways our decision maker by a strong
    influence tie, not a reporting line: nobody stands between us and the decision maker, but
    the one who sways him works for the rival. A leader wants a serious flag naming both."""
    found = [
        f for f in analysis(_group_officer()).red_flags if f.code == "COMPETITOR_ALLY_SWAYS_DM"
    ]
    assert len(found) == 1
    flag = found[0]
    assert (flag.severity, flag.person_ids, flag.competitor_ids) == (
        "HIGH",
        ("parent", "dm"),
        ("rival",),
    )
    assert flag.text_en == (
        "Qian Gang (approver), close to Rival Corp, strongly influences Zhang Wei (decision maker)"
    )
    assert flag.text_zh == "Qian Gang（审批者）与Rival Corp关系密切，对Zhang Wei（决策者）影响很大"
    assert flag.coaching_en
    assert flag.coaching_zh.endswith("。")
    assert "COMPETITOR_ALLY_ON_PATH_TO_DM" not in codes(_group_officer())


def test_the_decision_maker_s_manager_close_to_a_rival_sways_him_too() -> None:
    flag = next(
        f
        for f in analysis(_group_officer(line_manager=True)).red_flags
        if f.code == "COMPETITOR_ALLY_SWAYS_DM"
    )
    assert flag.text_en == (
        "Qian Gang (approver), close to Rival Corp, is the manager of Zhang Wei (decision maker)"
    )
    assert flag.text_zh == "Qian Gang（审批者）与Rival Corp关系密切，是Zhang Wei（决策者）的上级"


@pytest.mark.parametrize(
    "chain",
    [
        _group_officer(TieStrength.MODERATE),  # an ordinary working tie sways nobody
        _group_officer(attitude=Attitude.SUPPORTER),  # with us, whatever else they talk about
        _group_officer(rival=TieStrength.MODERATE),  # not the competitor's ally
    ],
    ids=["moderate-influence", "supporter", "moderate-rival-tie"],
)
def test_no_sway_flag_without_a_strong_tie_of_an_ally_not_with_us(chain: ChainSnapshot) -> None:
    assert "COMPETITOR_ALLY_SWAYS_DM" not in codes(chain)


# --- a competitor that is not bidding on this deal -------------------------------------------

OTHER = CompetitorFacts("other", "Other Soft", CompetitivePosition.UNKNOWN, PricePosition.UNKNOWN)


def _field(
    bidding: tuple[CompetitorFacts, ...] = (RIVAL,),
    level: TieStrength | None = TieStrength.VERY_STRONG,
    who: str = "dm",
) -> ChainSnapshot:
    """A neutral decision maker we know moderately and met ten days ago, an evaluator, our
    coach; ``who`` is close to Other Soft at ``level`` (no tie when None), and ``bidding`` are
    the competitors recorded on the deal."""
    return snap(
        dm(),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("it", "dm"), tie("coach", "it")],
        team_knows=[knows("dm"), knows("coach", level=STRONG)],
        activities=[act("v1", "dm", 10), act("v2", "coach", 3)],
        competitors=bidding,
        competitor_ties=[close_to(who, "other", level)] if level is not None else [],
        names=[("other", "Other Soft")],  # as the store names every competitor a member is close to
    )


def test_a_tie_to_a_competitor_not_bidding_on_the_deal_does_not_count_against_us() -> None:
    """A sales leader: the decision maker is very close to Other Soft, which bids on another of
    the customer's deals but not on this one, where we face Rival Corp only. In this fight he is
    nobody's ally: our standing with him, the competitors' support and the odds are what they
    would be without that tie, and no ally flag is raised against him."""
    tied, free = analyse(_field(), NOW), analyse(_field(level=None), NOW)
    assert tied.scores == free.scores
    assert tied.assessment.win_likelihood.value == free.assessment.win_likelihood.value
    assert [c.competitor_id for c in tied.assessment.support.competitors] == ["rival"]
    assert tied.analysis.camps == free.analysis.camps == ()
    ally_flags = {"DECISION_MAKER_WITH_COMPETITOR", "COMPETITOR_ALLY_SWAYS_DM"}
    assert not ally_flags & {f.code for f in tied.analysis.red_flags}


def test_a_close_tie_to_a_competitor_not_bidding_is_a_watch_item() -> None:
    """Still, what we tell him may reach Other Soft, which may team up with a bidder or enter
    late: the leader asks the team to find out and to mind what they share. Medium for whoever
    signs, low for anyone else, nothing for a tie that is only a working one; never one of the
    serious flags that change the deal's status."""
    flag = next(f for f in analysis(_field()).red_flags if f.code == "CLOSE_TO_NON_BIDDER")
    assert (flag.severity, flag.person_ids, flag.competitor_ids) == ("MEDIUM", ("dm",), ("other",))
    assert flag.text_en == "DM is close to Other Soft, which is not bidding on this deal"
    assert flag.text_zh == "DM与Other Soft关系密切（Other Soft未参与本商机的竞争）"
    assert "share nothing with DM that Other Soft should not hear" in flag.coaching_en
    assert flag.coaching_zh.endswith("不要向DM透露不希望Other Soft知道的信息。")
    evaluator = analysis(_field(who="it")).red_flags
    assert [f.severity for f in evaluator if f.code == "CLOSE_TO_NON_BIDDER"] == ["LOW"]
    assert "CLOSE_TO_NON_BIDDER" not in codes(_field(level=TieStrength.MODERATE))


def test_once_the_competitor_bids_the_tie_counts_in_full() -> None:
    """Other Soft recorded on the deal: the decision maker supports a bidder; the watch item
    gives way to the ally flag."""
    found = codes(_field(bidding=(RIVAL, OTHER)))
    assert "DECISION_MAKER_WITH_COMPETITOR" in found
    assert "CLOSE_TO_NON_BIDDER" not in found


def test_while_no_competitor_is_recorded_every_tie_counts() -> None:
    """Nobody recorded as bidding yet: the field is unknown, not empty. The tie is the best
    evidence of who is in, so it counts as a bidder's would."""
    found = codes(_field(bidding=()))
    assert "DECISION_MAKER_WITH_COMPETITOR" in found
    assert "CLOSE_TO_NON_BIDDER" not in found


# --- a tender-evaluation expert ---------------------------------------------------------------


def _panel(
    *, expert: bool = True, contact: ActivityType | None = None, courted: bool = False
) -> ChainSnapshot:
    """A public tender at the proposal stage: our decision maker and evaluator support us, our
    coach guides us; a high-influence evaluator sits on the panel, an evaluation expert drawn
    from outside (a customer's own engineer when not ``expert``), never met unless ``contact``
    (and known well when ``courted``)."""
    panelist = dataclasses.replace(
        member("ex", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        external_kind=ExternalKind.TENDER_EXPERT if expert else None,
    )
    acts = [act("v1", "dm", 10), act("v2", "coach", 3), act("v3", "it", 5)]
    if contact is not None:
        acts.append(act("v4", "ex", 6, type=contact))
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.CHAMPION),
        panelist,
        reports_to=[tie("it", "dm"), tie("coach", "it")],
        team_knows=[knows("dm", level=STRONG), knows("coach", level=STRONG), knows("it")]
        + ([knows("ex", level=TieStrength.VERY_STRONG)] if courted else []),
        activities=acts,
        competitors=[RIVAL],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def test_an_evaluation_expert_we_never_met_is_no_gap_and_costs_us_nothing() -> None:
    """A sales leader: bidders may not contact the drawn evaluation experts, so never having
    met one is the rule, not a gap in our coverage; their verdict is won through the bid. The
    same engineer of the customer's own, never met, is a gap, and "can we compete" is lower for
    it. Courting the expert would gain nothing."""
    expert, local = analysis(_panel()), analysis(_panel(expert=False))
    assert "ex" not in [g.person_id for g in expert.gaps]
    assert "ex" in [g.person_id for g in local.gaps]
    can_compete = {
        name: analyse(chain, NOW).assessment.can_compete.value
        for name, chain in (
            ("expert", _panel()),
            ("local", _panel(expert=False)),
            ("courted", _panel(courted=True, contact=ActivityType.SOCIAL)),
        )
    }
    assert can_compete["expert"] > can_compete["local"]
    assert can_compete["courted"] == can_compete["expert"]


@pytest.mark.parametrize("kind", [ActivityType.VISIT, ActivityType.SOCIAL, ActivityType.DEMO])
def test_a_contact_with_an_evaluation_expert_on_record_is_a_high_red_flag(
    kind: ActivityType,
) -> None:
    """Any contact with an evaluation expert on record (a visit, a dinner, even a demo: we
    cannot tell a private one from the session the tender agency holds for the whole panel) can
    void the bid. Raised high, naming the expert; the coaching says to stop and tell the sales
    director. None for the customer's own engineer, nor for an expert never contacted."""
    flags = [f for f in analysis(_panel(contact=kind)).red_flags if f.code == "CONTACT_WITH_EXPERT"]
    assert [(f.severity, f.person_ids) for f in flags] == [("HIGH", ("ex",))]
    (flag,) = flags
    assert flag.text_en == "A contact with EX (Tender-evaluation expert) is on record"
    assert flag.text_zh == "记录中有与EX（评标专家）的接触"
    assert "sales director" in flag.coaching_en
    assert flag.coaching_zh.endswith("。")
    assert "CONTACT_WITH_EXPERT" not in codes(_panel(contact=kind, expert=False))
    assert "CONTACT_WITH_EXPERT" not in codes(_panel())


def test_the_most_serious_red_flags_come_first() -> None:
    """A sales leader reads a deal's flags top down and may stop after a few (the printed deal
    sheet shows five): an approver not yet met early on is worth a word, a decision maker nobody
    has met and an opponent who sways them are what the meeting is about, so they come first."""
    chain = snap(
        dm(attitude=Attitude.NEUTRAL),
        member("cfo", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        member("coach", DecisionRole.COACH, attitude=Attitude.SUPPORTER),
        member("guide", DecisionRole.COACH, attitude=Attitude.CHAMPION),
        member("foe", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.OPPONENT),
        competitors=[RIVAL],
        competitor_ties=[close_to("coach", level=TieStrength.MODERATE)],
        activities=[act("v", "coach"), act("w", "guide")],
        opportunity=opp(stage=Stage.REQUIREMENTS),
    )
    flags = analysis(chain).red_flags
    by_code = {f.code: f.severity for f in flags}
    assert by_code["APPROVER_NEVER_MET"] == "MEDIUM"
    assert by_code["COACH_CLOSE_TO_COMPETITOR"] == "MEDIUM"
    assert by_code["DECISION_MAKER_NEVER_MET"] == "HIGH"
    rank = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
    assert [rank[f.severity] for f in flags] == sorted(rank[f.severity] for f in flags)
    assert flags[0].code == "DECISION_MAKER_NEVER_MET"  # same severity: the method's order


@pytest.mark.parametrize(
    "panelist",
    [
        dataclasses.replace(
            member("ex", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            external_kind=ExternalKind.TENDER_EXPERT,
        ),
        member("ex", DecisionRole.SUPERVISOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
    ],
    ids=["expert", "supervisor"],
)
def test_whom_to_win_over_never_names_someone_kept_at_arms_length(panelist: MemberFacts) -> None:
    """A sales leader: "win over" means courting someone, and a drawn evaluation expert may not
    be contacted while the supervisor of the purchase is there to see that nobody is courted.
    Neither is a person to win over, however much their doubt weighs; the customer's own
    skeptical engineer in the same seat is."""
    chain = _panel()
    own = member("ex", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC)
    kept = dataclasses.replace(chain, members=(*chain.members[:-1], panelist))
    local = dataclasses.replace(chain, members=(*chain.members[:-1], own))
    assert "ex" in [b.person_id for b in analysis(local).bridges]
    assert "ex" not in [b.person_id for b in analysis(kept).bridges]


def test_a_dinner_planned_with_the_supervisor_or_a_contact_planned_with_an_expert_is_flagged() -> (
    None
):
    """A sales leader wants to hear of a dinner with the officer who supervises the purchase
    before it happens, so that it is called off; the same for any contact planned with a drawn
    evaluation expert. Flagged high as planned, naming the person, saying to cancel it; a formal
    meeting planned with the supervisor raises nothing."""
    sup = member("sup", DecisionRole.SUPERVISOR)
    planned = act("a1", "sup", -4, type=ActivityType.SOCIAL)
    flags = analysis(snap(dm(), sup, activities=[planned])).red_flags
    (flag,) = [f for f in flags if "SUPERVISOR" in f.code]
    assert (flag.code, flag.severity, flag.person_ids) == (
        "PLANNED_SOCIAL_CONTACT_WITH_SUPERVISOR",
        "HIGH",
        ("sup",),
    )
    assert flag.text_en == "A social contact with SUP, who supervises the purchase, is planned"
    assert flag.text_zh == "计划中有与监督采购的SUP的社交往来"
    assert flag.coaching_en.startswith("Call it off")
    assert flag.coaching_zh.startswith("立即取消")
    meeting = act("a1", "sup", -4, type=ActivityType.MEETING)
    assert not {c for c in codes(snap(dm(), sup, activities=[meeting])) if "SUPERVISOR" in c}
    held = [act("a0", "sup", 3, type=ActivityType.SOCIAL), planned]
    assert {c for c in codes(snap(dm(), sup, activities=held)) if "SUPERVISOR" in c} == {
        "SOCIAL_CONTACT_WITH_SUPERVISOR"
    }  # one on record says it all

    chain = _panel()
    demo = act("v9", "ex", -2, type=ActivityType.DEMO)
    ahead = dataclasses.replace(chain, activities=(*chain.activities, demo))
    (expert,) = [f for f in analysis(ahead).red_flags if "EXPERT" in f.code]
    assert (expert.code, expert.severity) == ("PLANNED_CONTACT_WITH_EXPERT", "HIGH")
    assert expert.text_en == "A contact with EX (Tender-evaluation expert) is planned"
    assert expert.text_zh == "计划中有与EX（评标专家）的接触"


def _tender_dinner(days_ago: float, stage: Stage = Stage.BIDDING) -> ChainSnapshot:
    """The bids went in 10 days ago (the stage entered then); a dinner with the buyer's business
    evaluator and its procurement head ``days_ago`` (ahead when negative)."""
    return snap(
        dm(),
        member("biz", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH),
        member("proc", DecisionRole.PROCUREMENT),
        member("user"),
        activities=[
            act("v", "dm", 20),
            dataclasses.replace(
                act("d1", "biz", days_ago, type=ActivityType.SOCIAL), person_ids=("biz", "proc")
            ),
        ],
        opportunity=opp(
            stage=stage,
            quote_status=QuoteStatus.SUBMITTED,
            quote_amount=1_000_000,
            stage_entered_at=NOW - 10 * DAY,
        ),
    )


def test_a_dinner_with_the_buyers_evaluators_during_the_tender_is_a_high_red_flag() -> None:
    """A sales leader: private contact with those who evaluate the bids, once the tender is on,
    is a clear tender violation that can void the bid; flagged high, naming them. The same
    dinner before the tender (at requirements) is relationship work, and a dinner with a user
    raises nothing."""
    (flag,) = [f for f in analysis(_tender_dinner(6)).red_flags if "EVALUATOR" in f.code]
    assert (flag.code, flag.severity, flag.person_ids) == (
        "SOCIAL_CONTACT_WITH_EVALUATOR",
        "HIGH",
        ("biz", "proc"),
    )
    assert flag.text_en == (
        "A social contact during the tender with BIZ (Business evaluator) and PROC "
        "(Procurement), who evaluate the bids, is on record"
    )
    assert flag.text_zh == "招标期间记录中有与参与评标的BIZ（业务评估者）、PROC（采购）的社交往来"
    assert flag.coaching_en.startswith("Stop it")
    (planned,) = [f for f in analysis(_tender_dinner(-4)).red_flags if "EVALUATOR" in f.code]
    assert planned.code == "PLANNED_SOCIAL_CONTACT_WITH_EVALUATOR"
    assert planned.coaching_zh.startswith("立即取消")
    before = [f for f in analysis(_tender_dinner(15)).red_flags if "EVALUATOR" in f.code]
    assert not before  # 15 days ago: before the tender
    early = _tender_dinner(6, Stage.REQUIREMENTS)
    assert not [f for f in analysis(early).red_flags if "EVALUATOR" in f.code]


def test_a_breach_adds_no_closeness_and_nothing_to_the_likelihood() -> None:
    """A sales leader: the dinner with the evaluators during the tender, or with the supervisor
    of the purchase, is flagged; it must not also count as a relationship gained."""
    dinner = _tender_dinner(6)
    without = dataclasses.replace(dinner, activities=dinner.activities[:1])
    full, bare = analyse(dinner, NOW, include_plan=False), analyse(without, NOW, include_plan=False)
    assert full.scores_of("proc") == bare.scores_of("proc")
    assert full.win_likelihood == bare.win_likelihood
    before = _tender_dinner(15)  # before the tender: relationship work, and it counts
    assert analyse(before, NOW, include_plan=False).win_likelihood > bare.win_likelihood
    sup = member("sup", DecisionRole.SUPERVISOR)
    met = snap(dm(), sup, activities=[act("m", "sup", 3, type=ActivityType.MEETING)])
    dined = dataclasses.replace(
        met, activities=(*met.activities, act("d", "sup", 2, type=ActivityType.SOCIAL))
    )
    closeness = [analyse(c, NOW).scores_of("sup").closeness.value for c in (met, dined)]  # type: ignore[union-attr]
    assert closeness[0] == closeness[1]


def _unknown_coach_deal(
    attitude: Attitude, stage: Stage = Stage.REQUIREMENTS, *extra: object
) -> ChainSnapshot:
    """A chain whose coach 孙伟 is marked ``attitude``; ``extra``: a tie or contact with him."""
    ties = [knows("dm"), knows("te"), *[e for e in extra if not isinstance(e, ActivityFacts)]]
    contacts = [e for e in extra if isinstance(e, ActivityFacts)]
    return snap(
        dm(),
        member("sun", DecisionRole.COACH, InfluenceLevel.MEDIUM, attitude),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        persons=[PersonFacts("dm", "DM"), PersonFacts("sun", "孙伟"), PersonFacts("te", "TE")],
        team_knows=ties,
        activities=[act("a1", "dm", 5), act("a2", "te", 5), *contacts],
        opportunity=opp(stage=stage),
    )


def test_a_coach_nobody_of_ours_knows_is_flagged_and_guides_nobody() -> None:
    """A sales leader, before looking at the engine: a coach marked a champion whom nobody of
    ours knows and nobody has been in touch with is a name, not a coach. Whatever attitude is
    entered for them is only what someone told us: nobody of ours can have observed it, so it
    cannot count in full, and their guidance counts for nothing until one of ours meets them;
    the status must say so, more loudly than for a coach we know but have not logged a call
    with. Before, no flag at all was raised (only a coach known by a tie was flagged) and the
    coach's guidance counted in full: the deal stood above the same deal with a known coach
    who is merely neutral."""
    flags = analysis(_unknown_coach_deal(Attitude.CHAMPION)).red_flags
    (flag,) = [f for f in flags if "COACH" in f.code]
    assert (flag.code, flag.severity, flag.person_ids) == (
        "COACH_UNKNOWN_TO_US",
        "MEDIUM",
        ("sun",),
    )
    assert flag.text_en == (
        "Nobody of ours knows 孙伟 (Coach) or has been in touch with them: their attitude"
        " (Champion) is only what someone told us, and they guide nobody of ours yet"
    )
    assert flag.text_zh == (
        "我方无人认识孙伟（教练），也没有与其接触的记录：其态度（拥护者）只是他人转述，"
        "目前还无法为我方指路"
    )
    assert "no coach" in flag.coaching_en
    late = analysis(_unknown_coach_deal(Attitude.CHAMPION, Stage.BIDDING)).red_flags
    assert [f.severity for f in late if f.code == "COACH_UNKNOWN_TO_US"] == ["HIGH"]
    known = analysis(_unknown_coach_deal(Attitude.CHAMPION, Stage.REQUIREMENTS, knows("sun")))
    assert [f.code for f in known.red_flags if "COACH" in f.code] == ["COACH_NO_CONTACT_ON_RECORD"]

    def likelihood(attitude: Attitude, *extra: object) -> float:
        return analyse(
            _unknown_coach_deal(attitude, Stage.REQUIREMENTS, *extra), NOW
        ).win_likelihood

    unknown_champion = likelihood(Attitude.CHAMPION)
    # the attitude counts as hearsay, not nothing: above the same coach marked neutral, and
    # well below the champion one of ours knows or met
    assert likelihood(Attitude.NEUTRAL) < unknown_champion
    assert unknown_champion < likelihood(Attitude.CHAMPION, knows("sun")) - 0.02
    assert unknown_champion < likelihood(Attitude.CHAMPION, act("m", "sun", 5)) - 0.02


def _hearsay_deal(
    role: DecisionRole, influence: InfluenceLevel, stage: Stage = Stage.VALUE_PRESENTATION
) -> ChainSnapshot:
    """A hospital deal where 王院长 is marked a champion of ours in ``role`` on the word of the
    head of IT, whom our account manager knows and met; nobody of ours knows 王院长 or has
    been in touch with him. Another decision maker, met, when 王院长 is not the one."""
    wang = member("wang", role, influence, Attitude.CHAMPION)
    others = [] if role == DecisionRole.DECISION_MAKER else [dm()]
    return snap(
        wang,
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        *others,
        persons=[PersonFacts("wang", "王院长"), PersonFacts("it", "IT"), PersonFacts("dm", "DM")],
        team_knows=[knows("it", level=TieStrength.STRONG), knows("dm")],
        activities=[act("a1", "it", 5), act("a2", "dm", 5)],
        opportunity=opp(stage=stage),
    )


def test_support_we_only_heard_about_is_flagged_by_what_the_person_can_do() -> None:
    """A sales leader, before looking at the engine: support nobody of ours can have seen (no
    tie, no contact on record) is what someone told us. A decision maker's is the commonest
    way to lose a big deal: the never-met flag says it is hearsay. An approver's can stall
    the deal in its reviews: medium, high once the bids are in or the contract negotiated. A
    user's keeps the map honest and sinks nothing: low at every stage, not to bury the rest.
    Before, none of them was flagged (only a coach was)."""

    def flags(role: DecisionRole, influence: InfluenceLevel, stage: Stage) -> list[RedFlag]:
        found = analysis(_hearsay_deal(role, influence, stage)).red_flags
        return [f for f in found if "wang" in f.person_ids]

    (decider,) = flags(
        DecisionRole.DECISION_MAKER, InfluenceLevel.DECISIVE, Stage.VALUE_PRESENTATION
    )
    assert (decider.code, decider.severity) == ("DECISION_MAKER_NEVER_MET", "HIGH")
    assert decider.text_en == (
        "Decision maker 王院长 has never been met: their support (Champion) is only what"
        " someone told us"
    )
    assert decider.text_zh == "从未与决策者王院长接触：其支持（拥护者）只是他人转述"
    assert "in their own words" in decider.coaching_en
    (approver,) = flags(DecisionRole.APPROVER, InfluenceLevel.MEDIUM, Stage.VALUE_PRESENTATION)
    assert (approver.code, approver.severity) == ("APPROVER_NEVER_MET", "MEDIUM")
    assert approver.text_en == (
        "Approver 王院长 has never been met: their support (Champion) is only what someone told us"
    )
    assert approver.text_zh == "从未与审批人王院长接触：其支持（拥护者）只是他人转述"
    late = flags(DecisionRole.APPROVER, InfluenceLevel.MEDIUM, Stage.BIDDING)
    assert [(f.code, f.severity) for f in late] == [("APPROVER_NEVER_MET", "HIGH")]
    # a high-influence evaluator can stall the deal as an approver can
    evaluator = flags(DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Stage.REQUIREMENTS)
    assert [(f.code, f.severity) for f in evaluator] == [("SUPPORT_UNVERIFIED", "MEDIUM")]
    assert evaluator[0].text_en == (
        "Nobody of ours has heard 王院长 (Business evaluator) say it: their support (Champion)"
        " is only what someone told us"
    )
    assert evaluator[0].text_zh == (
        "我方没有人听王院长（业务评估者）亲口表态：其支持（拥护者）只是他人转述"
    )
    late = flags(DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Stage.NEGOTIATION)
    assert [(f.code, f.severity) for f in late] == [("SUPPORT_UNVERIFIED", "HIGH")]
    for stage in (Stage.REQUIREMENTS, Stage.NEGOTIATION):
        user = flags(DecisionRole.USER, InfluenceLevel.LOW, stage)
        assert [(f.code, f.severity) for f in user] == [("SUPPORT_UNVERIFIED", "LOW")]


def test_support_of_someone_we_know_or_met_is_no_hearsay() -> None:
    """One of ours who knows them, or any contact on record, is where the attitude comes from:
    no hearsay flag (a tie without contact is the coach's own, lower flag)."""
    deal = _hearsay_deal(DecisionRole.USER, InfluenceLevel.MEDIUM)
    known = dataclasses.replace(deal, team_knows=(*deal.team_knows, knows("wang")))
    met = dataclasses.replace(deal, activities=(*deal.activities, act("a3", "wang", 20)))
    for chain in (known, met):
        assert "SUPPORT_UNVERIFIED" not in [f.code for f in analysis(chain).red_flags]
    # a meeting in the calendar is an intention, not evidence, and a cold e-mail or someone who
    # knows them slightly heard nothing from them: the support is hearsay still, as the scores
    # count it (``scoring.hearsay``)
    planned = dataclasses.replace(deal, activities=(*deal.activities, act("a4", "wang", -3)))
    mailed = dataclasses.replace(
        deal, activities=(*deal.activities, act("a5", "wang", 3, type=ActivityType.EMAIL))
    )
    slightly = dataclasses.replace(
        deal, team_knows=(*deal.team_knows, knows("wang", level=TieStrength.WEAK))
    )
    for chain in (planned, mailed, slightly):
        assert "SUPPORT_UNVERIFIED" in [f.code for f in analysis(chain).red_flags]


def test_support_of_someone_we_keep_at_arm_s_length_is_not_to_be_heard_privately() -> None:
    """The supervisor of the purchase or a drawn tender expert marked a supporter: no flag
    telling us to go and hear it from them, which would be the breach their own flags warn
    of."""
    deal = _hearsay_deal(DecisionRole.SUPERVISOR, InfluenceLevel.HIGH)
    assert "SUPPORT_UNVERIFIED" not in [f.code for f in analysis(deal).red_flags]


def test_a_coach_we_have_no_contact_with_on_record_is_to_be_confirmed() -> None:
    """A sales leader: a coach known only by a tie, with no meeting or call on record, is
    unverified: a low flag (medium once the bids are in or the contract is negotiated) says to
    meet them and log it. A coach we spoke to is no such flag."""
    coach = member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER)

    def chain(stage: Stage, *contacts: ActivityFacts) -> ChainSnapshot:
        return snap(
            dm(),
            coach,
            team_knows=[knows("dm"), knows("coach", level=STRONG)],
            activities=[act("v", "dm", 5), *contacts],
            opportunity=opp(stage=stage),
        )

    (flag,) = [f for f in analysis(chain(Stage.REQUIREMENTS)).red_flags if "COACH" in f.code]
    assert (flag.code, flag.severity, flag.person_ids) == (
        "COACH_NO_CONTACT_ON_RECORD",
        "LOW",
        ("coach",),
    )
    assert (
        flag.text_en
        == "No contact with COACH (Coach) is on record: what they tell us is unverified"
    )
    assert flag.text_zh == "没有与COACH（教练）接触的记录：其提供的信息尚未核实"
    assert "log it" in flag.coaching_en
    (late,) = [f for f in analysis(chain(Stage.NEGOTIATION)).red_flags if "COACH" in f.code]
    assert late.severity == "MEDIUM"
    met = chain(Stage.REQUIREMENTS, act("c", "coach", 20, type=ActivityType.CALL))
    assert not [f for f in analysis(met).red_flags if "COACH" in f.code]


def test_a_weak_tie_from_one_bad_meeting_is_no_way_around_the_rivals_man() -> None:
    """A sales leader (cases 63, 64): our director met the bureau director once, to no result.
    That weak tie is no route around the technology head, the rival's man through whom our
    champion reaches the director: the flag that he stands on our path holds."""
    for prefix in ("63_", "64_"):
        case = next(c for c in load_cases() if c.key.startswith(prefix))
        flags = analyse(case.snapshot, NOW_MS).analysis.red_flags
        on_path = [f for f in flags if f.code == "COMPETITOR_ALLY_ON_PATH_TO_DM"]
        assert on_path, prefix
        assert "kp-tech" in on_path[0].person_ids, prefix


def test_once_the_bid_is_in_the_committee_is_neither_a_gap_nor_a_bridge() -> None:
    """A sales leader (case 57): with our bid in, procurement, finance and the evaluators sit on
    the committee and may not be worked on until the award; a gap or a bridge naming them
    points the team at people it must not approach."""
    case = next(c for c in load_cases() if c.key.startswith("57_"))
    found = analyse(case.snapshot, NOW_MS).analysis
    sealed = {"kp-proc", "kp-fin", "kp-it"}
    assert not sealed & {g.person_id for g in found.gaps}
    assert not sealed & {b.person_id for b in found.bridges}


def test_a_judge_who_turned_our_solution_down_is_a_serious_flag_and_the_solution_managers_job() -> (
    None
):
    """The dispatch director, whose needs our solution fits poorly, failed our POC: from the
    proposal on that is a serious flag naming him, a watch point while the solution is still
    being presented, nothing before. The plan's first play is the solution manager's on him, and
    nobody's champion is sent to push him."""

    def flags(fit: NeedsFit, stage: Stage) -> list[tuple[str, str, tuple[str, ...]]]:
        found = analyse(failed_poc_chain(fit, stage), NOW).analysis.red_flags
        return [(f.code, f.severity, f.person_ids) for f in found if f.code == "SOLUTION_REJECTED"]

    assert flags(NeedsFit.POOR, Stage.PROPOSAL) == [("SOLUTION_REJECTED", "HIGH", ("disp",))]
    assert flags(NeedsFit.POOR, Stage.VALUE_PRESENTATION) == [
        ("SOLUTION_REJECTED", "MEDIUM", ("disp",))
    ]
    assert flags(NeedsFit.POOR, Stage.REQUIREMENTS) == []
    assert flags(NeedsFit.PARTIAL, Stage.PROPOSAL) == []
    plan = analyse(failed_poc_chain(NeedsFit.POOR, Stage.PROPOSAL), NOW).plan
    first = plan[0]
    assert (first.target_person_id, first.owner_member_id) == ("disp", "sm"), plan[:3]
    assert not [
        s for s in plan if s.action_key == "mobilise_champion" and s.target_person_id == "disp"
    ]


def test_an_approver_a_rival_holds_is_a_serious_flag() -> None:
    """The provincial regulator who must approve the project is close to the rival (casebook 79):
    he cannot pick the winner but can refuse the filing, which is serious in itself. An approver
    who backs us, or one with no rival behind him, is no such flag."""

    def flags(attitude: Attitude, tied: bool) -> list[tuple[str, str, tuple[str, ...]]]:
        chain = snap(
            dm(),
            member("reg", DecisionRole.APPROVER, InfluenceLevel.HIGH, attitude),
            competitors=[RIVAL],
            competitor_ties=[close_to("reg")] if tied else [],
        )
        found = analysis(chain).red_flags
        return [
            (f.severity, f.text_en, f.competitor_ids)
            for f in found
            if f.code == "APPROVER_WITH_COMPETITOR"
        ]

    assert flags(Attitude.NEUTRAL, tied=True) == [
        ("HIGH", "REG (approver) is close to Rival Corp and can refuse the deal", ("rival",))
    ]
    assert flags(Attitude.SUPPORTER, tied=True) == []
    assert flags(Attitude.NEUTRAL, tied=False) == []


def test_no_solution_manager_while_an_evaluator_doubts_us_is_serious_from_the_proposal() -> None:
    """A sales leader (casebook 83): at the proposal nobody answers the CIO's doubts about our
    architecture: serious, naming him. While the solution is presented it is a watch point, and
    a team with its solution manager raises nothing."""

    def flag(stage: Stage, staffed: bool = False) -> RedFlag | None:
        found = analysis(skeptical_cio_chain(stage, staffed=staffed)).red_flags
        return next((f for f in found if f.code == "NO_SOLUTION_MANAGER"), None)

    serious = flag(Stage.PROPOSAL)
    assert serious is not None
    assert serious.severity == "HIGH"
    assert serious.person_ids == ("cio",)
    assert serious.text_en == (
        "No solution manager on the team: nobody answers the doubts of CIO about our solution"
    )
    assert serious.text_zh == "团队中没有方案经理：CIO对方案的疑虑无人解答"
    watch = flag(Stage.VALUE_PRESENTATION)
    assert watch is not None
    assert watch.severity == "MEDIUM"
    assert flag(Stage.PROPOSAL, staffed=True) is None
    assert flag(Stage.REQUIREMENTS) is None


def test_a_deal_moved_back_keeps_its_flags_at_the_graver_of_their_two_readings() -> None:
    """A sales director: the rival priced below us is serious from the bids on; moving the deal
    back to the proposal (the customer asked for a new quote) does not make it a to-do again,
    and every flag the bidding raised is still raised."""

    def deal(stage: Stage, furthest: Stage | None = None) -> ChainSnapshot:
        cheaper = CompetitorFacts("cheap", "Cheap Co", price_position=PricePosition.LOWER)
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            opportunity=opp(stage=stage, furthest_stage=furthest, quote_amount=900_000),
            competitors=[cheaper],
        )

    def severity(chain: ChainSnapshot) -> str:
        (flag,) = (f for f in analysis(chain).red_flags if f.code == "CHEAPER_BID")
        return flag.severity

    assert severity(deal(Stage.PROPOSAL)) == "MEDIUM"
    assert severity(deal(Stage.BIDDING)) == "HIGH"
    assert severity(deal(Stage.PROPOSAL, Stage.BIDDING)) == "HIGH"
    assert codes(deal(Stage.BIDDING)) <= codes(deal(Stage.PROPOSAL, Stage.BIDDING))


def _quote(days: int, **fields: object) -> ChainSnapshot:
    """A proposal (budget 105 % of the quote) whose quote went in ``days`` ago, with a finance
    head of high influence and procurement of medium influence."""
    deal = opp(
        stage=Stage.PROPOSAL,
        budget=1_050_000,
        quote_amount=1_000_000,
        quote_status=QuoteStatus.SUBMITTED,
        delivery_reviewed=True,
        stage_entered_at=NOW - 90 * DAY,
        quote_submitted_at=NOW - days * DAY,
    )
    fin = member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH)
    proc = member("proc", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM)
    return snap(dm(), fin, proc, opportunity=deal, **fields)


def _talk(pid: str, days_ago: int, outcome: Outcome = Outcome.NEUTRAL) -> ActivityFacts:
    return act(f"talk-{pid}", pid, days_ago, outcome, ActivityType.PRICING_DISCUSSION)


def _flag(chain: ChainSnapshot, code: str) -> RedFlag | None:
    return next((f for f in analysis(chain).red_flags if f.code == code), None)


def test_a_quote_no_budget_holder_has_reacted_to_is_an_untested_price() -> None:
    """Two sales directors: a quote out a month with no word on it from anyone who holds the
    budget is an untested price, not acceptance: a serious flag naming them, the most
    influential first, counted from the day the quote went in (not the stage)."""
    flag = _flag(_quote(30), "PRICE_UNTESTED")
    assert flag is not None
    assert (flag.severity, flag.person_ids) == ("HIGH", ("fin", "proc"))
    assert (
        flag.text_en
        == "Quote in for 30 days: nobody who holds the budget (FIN, PROC) has reacted to our price"
    )
    assert flag.text_zh == "报价已递交30天，掌握预算的人（FIN、PROC）没有一个对我方价格表态"
    assert "ROI / pricing workshop with FIN" in flag.coaching_en
    assert "与FIN做投资回报/价格研讨" in flag.coaching_zh
    assert not re.search(r"\bfin\b", flag.text_en + flag.coaching_en)  # names, never ids
    # too soon to read the silence: the quote went in a week ago, the stage 90 days ago
    assert _flag(_quote(7), "PRICE_UNTESTED") is None
    # a pricing talk before the quote went in is no reaction to it; one after it is, whatever
    # it said ("we follow the procedure")
    before = [_talk("fin", 40), _talk("proc", 40)]
    assert _flag(_quote(30, activities=before), "PRICE_UNTESTED") is not None
    after = [_talk("fin", 10), _talk("proc", 10)]
    assert _flag(_quote(30, activities=after), "PRICE_UNTESTED") is None
    # no quote on the table, or a closed deal: nothing to test, nothing to warn of
    draft = _quote(30)
    draft = dataclasses.replace(
        draft, opportunity=dataclasses.replace(draft.opportunity, quote_status=QuoteStatus.DRAFT)
    )
    assert _flag(draft, "PRICE_UNTESTED") is None
    lost = _quote(30)
    lost = dataclasses.replace(
        lost, opportunity=dataclasses.replace(lost.opportunity, stage=Stage.LOST)
    )
    assert analysis(lost).red_flags == ()


def test_procurement_s_word_does_not_test_the_price_for_the_finance_head() -> None:
    """The finance head of high influence still silent while procurement has spoken: the flag
    stands and names her alone; once she has reacted, procurement's silence is no flag. Her
    objection is a reaction: it is read as the objection it is, not as silence."""
    flag = _flag(_quote(30, activities=[_talk("proc", 10)]), "PRICE_UNTESTED")
    assert flag is not None
    assert flag.person_ids == ("fin",)
    assert (
        flag.text_en
        == "Quote in for 30 days: FIN (finance, high influence) has not reacted to our price"
    )
    assert flag.text_zh == "报价已递交30天，掌握预算的FIN（财务，影响力高）仍未对我方价格表态"
    assert _flag(_quote(30, activities=[_talk("fin", 10)]), "PRICE_UNTESTED") is None
    objected = [_talk("fin", 10, Outcome.NEGATIVE)]
    assert _flag(_quote(30, activities=objected), "PRICE_UNTESTED") is None


def test_a_high_influence_budget_holder_s_old_objection_nobody_followed_up_is_flagged() -> None:
    """A sales director (case 102): the finance head objected to our price 200 days ago and
    nobody of ours has seen her since; the deal moved on, the objection did not. A serious flag
    names her; a contact in the last 60 days, a pricing talk that answered it, or a budget
    holder of medium influence is none."""
    objection = _talk("fin", 200, Outcome.NEGATIVE)
    flag = _flag(_quote(20, activities=[objection]), "STALE_PRICE_OBJECTION")
    assert flag is not None
    assert (flag.severity, flag.person_ids) == ("HIGH", ("fin",))
    assert flag.text_en == (
        "FIN (finance, high influence, holds the budget) objected to our price 200 days ago, "
        "unanswered, and nobody of ours has contacted them for 200 days"
    )
    assert flag.text_zh == (
        "FIN（财务，影响力高，掌握预算）200天前对我方价格提出异议，至今未获回应，我方已200天无人与其联系"
    )
    assert "account manager re-opens" in flag.coaching_en
    assert "客户经理重新拜访" in flag.coaching_zh
    assert not re.search(r"\bfin\b", flag.text_en + flag.coaching_en)
    assert flag.clause_en
    assert flag.clause_zh
    visited = [objection, act("v", "fin", 30, Outcome.NEUTRAL)]
    assert _flag(_quote(20, activities=visited), "STALE_PRICE_OBJECTION") is None
    answered = [objection, _talk("fin", 100, Outcome.POSITIVE)]
    assert _flag(_quote(20, activities=answered), "STALE_PRICE_OBJECTION") is None
    recent = [_talk("fin", 50, Outcome.NEGATIVE)]
    assert _flag(_quote(20, activities=recent), "STALE_PRICE_OBJECTION") is None
    medium = [dataclasses.replace(objection, person_ids=("proc",))]
    assert _flag(_quote(20, activities=medium), "STALE_PRICE_OBJECTION") is None


def test_steps_with_the_decision_maker_given_up_twice_are_watched_until_someone_reaches_him() -> (
    None
):
    """The sales VP: "flag it when a key play for the decision maker is dropped twice": the
    team keeps giving up on the way to the one who decides, and the sales director should hear
    why. Once is a decision of the team, not yet a pattern; a step put off to a day is a plan,
    not giving up; two different plays given up count together; for anyone else it is no flag;
    and once one of ours has been in touch with him since, the way is open again."""
    chain = snap(dm(), member("u"))

    def flags(*dropped: DroppedPlay, activities: tuple[ActivityFacts, ...] = ()) -> list[RedFlag]:
        found = analyse(dataclasses.replace(chain, dropped=dropped, activities=activities), NOW)
        return [f for f in found.analysis.red_flags if f.code == "DECISION_MAKER_PLAY_DROPPED"]

    refused = DroppedPlay("executive_visit", "dm", NOW - 10 * DAY, DropReason.REFUSED, None, 1)
    nobody = DroppedPlay("warm_introduction", "dm", NOW - 3 * DAY, DropReason.NOBODY, None, 1)
    (flag,) = flags(refused, nobody)
    assert (flag.severity, flag.person_ids) == ("MEDIUM", ("dm",))
    assert flag.text_en == (
        "Steps with decision maker DM were dropped from the plan 2 times, the last “Introduction"
        " through a warm path” on 2025-12-29 (nobody of ours to do it)"
    )
    assert flag.text_zh == (
        "与决策者DM相关的步骤已2次移出计划，最近一次为“通过熟人引荐”，于2025-12-29（我方无人可做）"
    )
    assert flag.coaching_en.startswith("Take it to the sales director")
    assert flags(refused) == []
    put_off = dataclasses.replace(nobody, reason=DropReason.TIMING, given_up=0)
    assert flags(refused, put_off) == []
    assert len(flags(dataclasses.replace(refused, given_up=2))) == 1  # the same play twice
    assert flags(refused, dataclasses.replace(nobody, person_id="u")) == []
    call = act("call", "dm", 1, type=ActivityType.CALL)
    assert flags(refused, nobody, activities=(call,)) == []
    assert len(flags(refused, nobody, activities=(act("before", "dm", 5),))) == 1
    # a meeting planned for next week is no contact yet
    assert len(flags(refused, nobody, activities=(act("planned", "dm", -7),))) == 1


def test_steps_put_off_three_times_with_one_person_are_watched_until_a_meeting_is_held() -> None:
    """The sales VP, asked before the engine: "'Solution workshop with technical evaluator
    Prof. Li' dropped as 'not now' three times: treat repeated postponement as a signal about
    the deal, not diary keeping. After the third 'not now' on the same person the sales director
    gets a watch point; the step is a test of commitment (the budget approval, the tender
    timeline or a date), then the director decides the grade; waiting for the budget is a reason
    to write down, not a fault". Twice is no pattern yet; plays count together; a call since is
    no commitment, a meeting held is; anyone in the chain, not only the decision maker."""
    chain = snap(dm(), member("te", role=DecisionRole.TECHNICAL_EVALUATOR))

    def flags(*dropped: DroppedPlay, activities: tuple[ActivityFacts, ...] = ()) -> list[RedFlag]:
        found = analyse(dataclasses.replace(chain, dropped=dropped, activities=activities), NOW)
        return [f for f in found.analysis.red_flags if f.code == "PLAY_PUT_OFF"]

    def put_off(days_ago: float, until: str = "2026-02-01") -> tuple[int, str | None]:
        return NOW - int(days_ago * DAY), until

    thrice = (put_off(40, "2025-12-01"), put_off(20, "2025-12-20"), put_off(2))
    workshop = DroppedPlay(
        "technical_exchange", "te", NOW - 2 * DAY, DropReason.TIMING, "2026-02-01", put_off=thrice
    )
    (flag,) = flags(workshop)
    assert (flag.severity, flag.person_ids) == ("MEDIUM", ("te",))
    title = default_playbook().title("technical_exchange")
    assert title is not None
    assert flag.text_en == (
        f"Steps with TE (technical evaluator) were put off 3 times, the last “{title.en}” on"
        " 2025-12-30 until 2026-02-01"
    )
    assert flag.text_zh == (
        f"与TE（技术评估者）相关的步骤已3次推迟，最近一次为“{title.zh}”，于2025-12-30推迟至2026-02-01"
    )
    assert flag.coaching_en.startswith("Test their commitment: ask TE, or whoever they report to")
    assert "sales director decides whether the deal keeps its grade" in flag.coaching_en
    twice = dataclasses.replace(workshop, put_off=thrice[:2])
    assert flags(twice) == []
    demo = DroppedPlay(
        "demo", "te", NOW - 9 * DAY, DropReason.TIMING, "2026-01-05", put_off=(put_off(9),)
    )
    assert len(flags(twice, demo)) == 1  # plays count together
    call = act("call", "te", 1, type=ActivityType.CALL)
    assert len(flags(workshop, activities=(call,))) == 1
    assert flags(workshop, activities=(act("visit", "te", 1),)) == []
    assert len(flags(workshop, activities=(act("planned", "te", -3),))) == 1
    unrecorded = dataclasses.replace(act("passed", "te", 1), recorded=False)
    assert len(flags(workshop, activities=(unrecorded,))) == 1  # it may not have taken place
    # the count starts again after a meeting held: a visit 10 days ago leaves one put-off
    assert flags(workshop, activities=(act("visit", "te", 10),)) == []
    # put off three times, then refused: "the last" is the last put-off, with its day
    refused = dataclasses.replace(workshop, at=NOW - DAY, reason=DropReason.REFUSED, given_up=1)
    (after,) = flags(refused)
    assert after.text_en.endswith("on 2025-12-30 until 2026-02-01")
    # the decision maker too, and each person once
    boss = dataclasses.replace(workshop, person_id="dm")
    assert {f.person_ids for f in flags(workshop, boss)} == {("te",), ("dm",)}
