"""The diff of two chains (strategy/changes.py): every change named once, by name, in both
languages; nothing reported between equal chains; movers ranked by the size of their step."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from builders import NOW, act, close_to, dm, knows, member, opp, snap, tie

from domain.chain import Departure, PersonFacts, TeamAssignment
from domain.money import money
from domain.text import Text, told_apart
from domain.vocabulary import (
    ActivityType,
    ApprovalState,
    Attitude,
    DecisionRole,
    DepartureKind,
    LifecyclePhase,
    Outcome,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
)
from strategy.analysis import RedFlag
from strategy.changes import (
    ApprovalStep,
    ChangeKind,
    MoveStep,
    ProcessStep,
    QuoteStep,
    ResetStep,
    ReviewStep,
    Side,
    TrendPoint,
    chain_changes,
    movers,
    process_changes,
    steps_between,
    told_by,
    with_process,
)

NAMES = {"dm": "Zhang", "cio": "Li", "user": "Chen", "am": "Liu", "rival": "MedSoft"}


def side(*members, **fields) -> Side:  # type: ignore[no-untyped-def]
    closeness = fields.pop("closeness", {})
    return Side(snap(*members, **fields), NAMES, closeness)


def test_equal_chains_have_no_changes() -> None:
    one = side(dm(), member("cio"), team_knows=(knows("cio"),))
    assert chain_changes(one, one) == []


def test_every_kind_of_change_is_named_by_name_in_both_languages() -> None:
    before = side(
        dm(),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, attitude=Attitude.SKEPTIC),
        member("user"),
        team_knows=(knows("cio", level=TieStrength.WEAK),),
        reports_to=(tie("cio", "dm"),),
        closeness={"dm": 10, "cio": 20, "user": 30},
    )
    after = side(
        dm(),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, attitude=Attitude.SUPPORTER),
        member("new", DecisionRole.PROCUREMENT),
        team_knows=(knows("cio", level=TieStrength.STRONG),),
        competitor_ties=(close_to("dm"),),
        reports_to=(tie("cio", "dm"),),
        influences=(tie("cio", "dm", TieStrength.STRONG),),
        activities=(act("a1", "cio"),),
        opportunity=opp(stage=Stage.BIDDING, amount=2_000_000),
        closeness={"dm": 12, "cio": 45},
    )
    found = chain_changes(before, after)
    kinds = [(c.kind, c.person_id) for c in found]
    assert kinds == [
        (ChangeKind.STAGE_CHANGED, None),
        (ChangeKind.MEMBER_ADDED, "new"),
        (ChangeKind.MEMBER_REMOVED, "user"),
        (ChangeKind.ATTITUDE_CHANGED, "cio"),
        (ChangeKind.LINK_ADDED, "cio"),
        (ChangeKind.TIE_CHANGED, "cio"),
        (ChangeKind.RIVAL_TIE_ADDED, "dm"),
        (ChangeKind.CLOSENESS_CHANGED, "cio"),
        (ChangeKind.DEAL_CHANGED, None),
        (ChangeKind.ACTIVITY_LOGGED, "cio"),
    ]
    texts = {c.kind: (c.text_en, c.text_zh) for c in found}
    assert texts[ChangeKind.MEMBER_REMOVED] == ("Chen left the decision chain", "Chen离开了决策链")
    assert texts[ChangeKind.ATTITUDE_CHANGED][0] == "Li's attitude: skeptic → supporter"
    assert texts[ChangeKind.TIE_CHANGED][0] == "Liu's tie with Li: weak → strong"
    assert texts[ChangeKind.RIVAL_TIE_ADDED][0] == "MedSoft is now close to Zhang (strong)"
    assert texts[ChangeKind.CLOSENESS_CHANGED] == (
        "Relationship closeness with Li: 20 → 45",
        "与Li的关系紧密度：20 → 45",
    )
    assert texts[ChangeKind.LINK_ADDED][0] == "Li now influences Zhang"
    # an amount says from how much to how much: how much was given away, not that something was
    assert texts[ChangeKind.DEAL_CHANGED] == (
        "Deal: amount CNY 10,000 → CNY 20,000",
        "商机：金额1万元→2万元",
    )
    # The new member's name is unknown to NAMES: a placeholder, never an id.
    assert texts[ChangeKind.MEMBER_ADDED][0].startswith("? joined")


def test_closeness_moves_below_the_threshold_are_left_out() -> None:
    before = side(dm(), closeness={"dm": 40})
    after = side(dm(), closeness={"dm": 49})
    assert chain_changes(before, after) == []
    assert [c.kind for c in chain_changes(before, after, closeness_threshold=5)] == [
        ChangeKind.CLOSENESS_CHANGED
    ]


def test_movers_are_the_largest_steps_with_changes() -> None:
    change = chain_changes(side(dm()), side(dm(), activities=(act("a1", "dm"),)))[0]
    points = [
        TrendPoint(1, 0.2, "BIDDING", False, (change,), 0.05),
        TrendPoint(2, 0.1, "BIDDING", False, (change,), -0.1),
        TrendPoint(3, 0.1, "BIDDING", True, (), 0.3),
        TrendPoint(4, 0.1, "BIDDING", False, (change,), 0.0),
        TrendPoint(5, 0.1, "BIDDING", False, (change,), -0.0004),  # "-0.0 points"
        TrendPoint(6, 0.1, "BIDDING", False, (change,), 0.0006),
    ]
    assert [p.at for p in movers(points)] == [2, 1, 6]


def test_a_contact_still_to_come_is_said_as_planned_with_its_day_and_no_outcome() -> None:
    """Logged a week ahead, a pricing discussion has not gone "neutral": it is planned."""
    from_ = side(dm())
    ahead = act(
        "a1", "dm", days_ago=-7, outcome=Outcome.NEUTRAL, type=ActivityType.PRICING_DISCUSSION
    )
    to = Side(snap(dm(), activities=(ahead,)), NAMES, at=NOW)
    (change,) = chain_changes(from_, to)
    assert change.kind == ChangeKind.ACTIVITY_LOGGED
    day = datetime.fromtimestamp(ahead.occurred_at / 1000, UTC).date().isoformat()
    assert change.text_en == f"planned: Pricing discussion with Zhang, {day}"
    assert change.text_zh == f"计划：{day}与Zhang的价格沟通"
    held = Side(snap(dm(), activities=(ahead,)), NAMES, at=ahead.occurred_at)
    assert chain_changes(from_, held)[0].text_en == "Pricing discussion with Zhang (neutral)"


def test_a_deal_lost_resolves_none_of_its_red_flags() -> None:
    """A sales director reading the week of a loss: the finance head who opposed us did not
    stop opposing us because we lost. A closed deal has no flags, so the flags it had are not
    news of anything resolved; the loss itself is the news. While the deal is open, a flag
    that goes is said to be resolved."""
    flag = RedFlag("OPPONENT", "HIGH", ("dm",), (), "Zhang opposes us", "Zhang反对我方", "", "")
    before = Side(snap(dm()), NAMES, red_flags=(flag,))
    for stage in (Stage.LOST, Stage.WON, Stage.ABANDONED):
        after = Side(snap(dm(), opportunity=opp(stage=stage)), NAMES)
        kinds = [c.kind for c in chain_changes(before, after)]
        assert kinds == [ChangeKind.STAGE_CHANGED], stage
    still_open = Side(snap(dm()), NAMES)
    assert [c.kind for c in chain_changes(before, still_open)] == [ChangeKind.RED_FLAG_RESOLVED]


INITIATION = Text("TAS+2-1 Opportunity initiation", "TAS+2-1 商机立项流程")


def test_the_process_is_told_in_time_order_within_the_period_by_names() -> None:
    """A director reading the month: who asked for the initiation, who turned it down and why,
    who asked again and who approved it, the review, the quote and the move, as they came;
    what came before the period or after it is left out."""
    steps: list[ProcessStep] = [
        MoveStep(70, "李明", Stage.PROPOSAL, Stage.BIDDING),
        QuoteStep(60, "李明", 190_000_000, "CNY"),
        ApprovalStep(10, INITIATION, "李明", ApprovalState.PENDING, "李明"),
        ApprovalStep(20, INITIATION, "周杰", ApprovalState.REJECTED, "李明", "预算未确认"),
        ApprovalStep(30, INITIATION, "李明", ApprovalState.PENDING, "李明", "budget confirmed"),
        ApprovalStep(40, INITIATION, "周杰", ApprovalState.APPROVED, "李明"),
        ReviewStep(50, "杜强", True, 120.0, 190_000_000, "CNY"),
        ApprovalStep(5, INITIATION, "李明", ApprovalState.PENDING, "李明"),  # before the period
        QuoteStep(90, "李明", 1, "CNY"),  # after it
    ]
    found = process_changes(steps, 5, 80)
    assert [c.at for c in found] == [10, 20, 30, 40, 50, 60, 70]
    assert [(c.kind, c.before, c.after) for c in found] == [
        (ChangeKind.APPROVAL_REQUESTED, None, "PENDING"),
        (ChangeKind.APPROVAL_DECIDED, "PENDING", "REJECTED"),
        (ChangeKind.APPROVAL_REQUESTED, None, "PENDING"),
        (ChangeKind.APPROVAL_DECIDED, "PENDING", "APPROVED"),
        (ChangeKind.DELIVERY_REVIEWED, None, "FEASIBLE"),
        (ChangeKind.QUOTE_SUBMITTED, None, "190000000"),
        (ChangeKind.STAGE_MOVED, "PROPOSAL", "BIDDING"),
    ]
    assert [c.text_en for c in found] == [
        "李明 requested TAS+2-1 Opportunity initiation",
        "周杰 rejected TAS+2-1 Opportunity initiation (requested by 李明): 预算未确认",
        "李明 requested TAS+2-1 Opportunity initiation (budget confirmed)",
        "周杰 approved TAS+2-1 Opportunity initiation (requested by 李明)",
        "杜强 recorded the delivery review: feasible, 120 person-days,"
        " for a quote of CNY 1,900,000",
        "李明 submitted the quote: CNY 1,900,000",
        "李明 moved the deal from 5 Proposal and quotation to 6 Bidding",
    ]
    assert [c.text_zh for c in found] == [
        "李明申请TAS+2-1 商机立项流程",
        "周杰驳回了TAS+2-1 商机立项流程（李明申请），原因：预算未确认",
        "李明申请TAS+2-1 商机立项流程（budget confirmed）",
        "周杰批准了TAS+2-1 商机立项流程（李明申请）",
        "杜强记录了交付评审：可落地，工作量120人天，评审报价190万元",
        "李明提交了报价：190万元",
        "李明将商机从5 方案与报价移至6 组织投标",
    ]


def test_a_review_that_finds_the_deal_not_feasible_says_so_and_why() -> None:
    (found,) = process_changes(
        [ReviewStep(2, "Du Qiang", False, 800.5, None, "", "the SOW is twice our capacity")], 0, 9
    )
    assert found.after == "NOT_FEASIBLE"
    assert found.text_en == (
        "Du Qiang recorded the delivery review: not feasible, 800.5 person-days"
        " (the SOW is twice our capacity)"
    )
    assert (
        found.text_zh
        == "Du Qiang记录了交付评审：不可落地，工作量800.5人天（the SOW is twice our capacity）"
    )


def test_a_withdrawal_names_the_requester_who_withdrew() -> None:
    (found,) = process_changes(
        [ApprovalStep(3, INITIATION, "Li Ming", ApprovalState.WITHDRAWN, "Li Ming")], 0, 9
    )
    assert found.text_en == "Li Ming withdrew the request for TAS+2-1 Opportunity initiation"
    assert found.text_zh == "Li Ming撤回了TAS+2-1 商机立项流程的申请"


def test_amounts_read_as_people_write_them() -> None:
    assert money(190_000_000, "CNY") == Text("CNY 1,900,000", "190万元")
    assert money(123_450_000, "CNY") == Text("CNY 1,234,500", "123.45万元")
    assert money(880_050, "CNY") == Text("CNY 8,800.50", "8,800.50元")
    assert money(250_000_00, "EUR") == Text("EUR 250,000", "250,000 EUR")


def test_the_process_follows_the_stage_change() -> None:
    stage = chain_changes(side(dm()), side(dm(), opportunity=opp(stage=Stage.BIDDING)))
    steps = process_changes([QuoteStep(1, "Li Ming")], 0, 9)
    assert [c.kind for c in with_process(stage, steps)] == [
        ChangeKind.STAGE_CHANGED,
        ChangeKind.QUOTE_SUBMITTED,
    ]
    assert with_process([], steps) == steps
    assert steps[0].text_en == "Li Ming submitted the quote"


def test_a_quote_reset_says_who_changed_the_amount_from_what_to_what_and_what_it_undid() -> None:
    (both,) = process_changes(
        [ResetStep(4, "Li Ming", 190_000_000, 210_000_000, "CNY", True, True)], 0, 9
    )
    assert both.kind is ChangeKind.QUOTE_RESET
    assert (both.before, both.after, both.at) == ("190000000", "210000000", 4)
    assert both.text_en == (
        "Li Ming changed the quote amount from CNY 1,900,000 to CNY 2,100,000:"
        " the quote went back to draft and the delivery review no longer covers it"
    )
    assert both.text_zh == "Li Ming将报价金额从190万元改为210万元：报价退回草稿，原交付评审已作废"
    (reviewed,) = process_changes([ResetStep(4, "Li Ming", 100, 200, "CNY", False, True)], 0, 9)
    assert reviewed.text_en == (
        "Li Ming changed the quote amount from CNY 1 to CNY 2:"
        " the delivery review no longer covers it"
    )
    assert reviewed.text_zh == "Li Ming将报价金额从1元改为2元：原交付评审已作废"


def test_the_summary_leaves_to_the_steps_what_they_tell() -> None:
    before = opp(stage=Stage.PROPOSAL, quote_amount=100, quote_status=QuoteStatus.DRAFT)
    after = opp(
        stage=Stage.BIDDING,
        quote_amount=100,
        quote_status=QuoteStatus.SUBMITTED,
        delivery_reviewed=True,
        budget=5,
    )
    steps = steps_between(
        [
            MoveStep(3, "Li Ming", Stage.PROPOSAL, Stage.BIDDING),
            QuoteStep(2, "Li Ming", 100, "CNY"),
            ReviewStep(1, "Du Qiang", True, 10, 100, "CNY"),
        ],
        0,
        9,
    )
    told = told_by(steps, before, after)
    assert told == {"stage", "quote_status", "delivery_reviewed"}
    found = chain_changes(side(dm(), opportunity=before), side(dm(), opportunity=after), told=told)
    assert [(c.kind, c.text_en) for c in found] == [
        (ChangeKind.DEAL_CHANGED, "Deal: budget set to CNY 0.05")
    ]
    assert found[0].text_zh == "商机：预算设为0.05元"
    assert chain_changes(side(dm(), opportunity=before), side(dm(), opportunity=after))[0].kind is (
        ChangeKind.STAGE_CHANGED
    )


def test_what_a_later_change_undid_or_several_moves_made_is_still_summed_up() -> None:
    before = opp(stage=Stage.VALIDATE, quote_amount=100, quote_status=QuoteStatus.SUBMITTED)
    after = opp(stage=Stage.REQUIREMENTS, quote_amount=300, quote_status=QuoteStatus.DRAFT)
    steps: list[ProcessStep] = [
        MoveStep(1, "Li Ming", Stage.VALIDATE, Stage.INITIATE),
        ResetStep(2, "Li Ming", 100, 200, "CNY", True, False),
        MoveStep(3, "Li Ming", Stage.INITIATE, Stage.REQUIREMENTS),
    ]
    # the reset left 200, a plain change then made it 300: the amount is still said to change
    assert told_by(steps, before, after) == {"quote_status"}
    assert told_by(steps[:2], before, opp(stage=Stage.INITIATE, quote_amount=200)) == {
        "stage",
        "quote_amount",
    }


# two of ours named 王伟 (told apart by title, else e-mail), 钱卫东 of the customer (unique)
NAMESAKES = {"cio": "钱卫东", "arch": "王伟", "svc": "王伟", "dm": "周建国", "rival": "MedSoft"}
APART = {"arch": "Solution Architect", "svc": "wang.wei@example.com", "cio": "CIO"}


def test_namesakes_are_told_apart_by_title_else_e_mail_and_a_unique_name_stays_bare() -> None:
    said = told_apart({**NAMESAKES, "dm2": " 周建国 ", "x": ""}, {**APART, "x": "nobody"})
    assert said == {
        "arch": Text("王伟 (Solution Architect)", "王伟（Solution Architect）"),
        "svc": Text("王伟 (wang.wei@example.com)", "王伟（wang.wei@example.com）"),
    }  # 周建国 has a namesake but nothing to tell them apart by; 钱卫东 is unique


def test_what_changed_tells_namesakes_apart_in_both_languages() -> None:
    """Both 王伟 join the team and come to know 钱卫东: every sentence says which."""
    team = tuple(
        TeamAssignment(mid, "王伟", role, LifecyclePhase.DEAL)
        for mid, role in (("arch", TeamRole.SOLUTION_MANAGER), ("svc", TeamRole.SERVICE_MANAGER))
    )
    before = Side(snap(member("cio"), team=()), NAMESAKES, apart=APART)
    after = Side(
        snap(
            member("cio"),
            team=team,
            team_knows=(knows("cio", "arch"), knows("cio", "svc", TieStrength.STRONG)),
        ),
        NAMESAKES,
        apart=APART,
    )
    found = chain_changes(before, after)
    arch, svc = "王伟 (Solution Architect)", "王伟 (wang.wei@example.com)"
    assert [c.text_en for c in found] == [
        f"{arch} now knows 钱卫东 (moderate)",
        f"{svc} now knows 钱卫东 (strong)",
        f"{arch} joined our team as solution manager",
        f"{svc} joined our team as service manager",
    ]
    zh = [c.text_zh for c in found]
    assert "王伟（Solution Architect）与钱卫东建立了关系（一般）" in zh, zh
    assert "王伟（wang.wei@example.com）加入我方团队，角色为服务经理" in zh, zh
    # with only one 王伟 on the deal, the name stays bare
    alone = Side(before.snapshot, {"cio": "钱卫东", "arch": "王伟"}, apart=APART)
    bare = Side(
        snap(member("cio"), team=team[:1], team_knows=(knows("cio", "arch"),)),
        {"cio": "钱卫东", "arch": "王伟"},
        apart=APART,
    )
    (tie_added,) = chain_changes(alone, bare)[:1]
    assert tie_added.text_zh == "王伟与钱卫东建立了关系（一般）"


def test_a_step_of_the_process_tells_namesakes_apart() -> None:
    """The resolver gives a namesake's step their name told apart (``told_apart``)."""
    said = told_apart(NAMESAKES, APART)
    (approved,) = process_changes(
        [ApprovalStep(3, INITIATION, said["arch"], ApprovalState.APPROVED, said["svc"])], 0, 9
    )
    assert approved.text_en == (
        "王伟 (Solution Architect) approved TAS+2-1 Opportunity initiation"
        " (requested by 王伟 (wang.wei@example.com))"
    )
    assert approved.text_zh == (
        "王伟（Solution Architect）批准了TAS+2-1 商机立项流程（王伟（wang.wei@example.com）申请）"
    )


def test_a_member_who_left_the_customer_and_the_record_undone_are_each_said() -> None:
    there = (PersonFacts("dm", "Li Wei"),)
    gone = Departure("2025-12-20", DepartureKind.ROTATED, "集团总部", NOW)
    left = (PersonFacts("dm", "Li Wei", left=gone),)
    said = chain_changes(side(dm(), persons=there), side(dm(), persons=left))
    assert [(c.kind, c.after, c.text_en, c.text_zh) for c in said] == [
        (
            ChangeKind.PERSON_LEFT,
            "2025-12-20",
            "Li Wei left the customer on 2025-12-20 (rotated within the group: 集团总部)",
            "Li Wei已于2025-12-20离任（集团内轮岗，去向：集团总部）",
        )
    ]
    back = chain_changes(side(dm(), persons=left), side(dm(), persons=there))
    assert [c.text_en for c in back] == [
        "Li Wei is at the customer again (the record of their leaving was undone)"
    ]


def test_the_one_named_to_hold_the_job_is_said_once_not_the_departure_again() -> None:
    gone = Departure("2025-12-20", DepartureKind.ROTATED, "集团总部", NOW)
    left = (PersonFacts("dm", "Zhang", left=gone), PersonFacts("cio", "Li"))
    named = (
        PersonFacts("dm", "Zhang", left=dataclasses.replace(gone, successor_id="cio")),
        PersonFacts("cio", "Li"),
    )
    chain = (dm(), member("cio"))
    said = chain_changes(side(*chain, persons=left), side(*chain, persons=named))
    assert [(c.kind, c.text_en, c.text_zh) for c in said] == [
        (ChangeKind.PERSON_CHANGED, "Li holds Zhang's job now", "Li已接任Zhang的岗位")
    ]
    cleared = chain_changes(side(*chain, persons=named), side(*chain, persons=left))
    assert [c.text_en for c in cleared] == ["Who holds Zhang's job now is no longer known"]


def test_a_quote_cut_says_how_much_was_given_away() -> None:
    """A sales director reading the deal's changes asks how much the quote moved, not whether
    it did: amounts from how much to how much, then the other fields that changed."""
    before = opp(quote_amount=4_280_000_000, expected_close_date="2027-03-31")
    after = opp(quote_amount=4_000_000_000, expected_close_date="2027-04-30", budget=3_900_000_000)
    (found,) = chain_changes(side(dm(), opportunity=before), side(dm(), opportunity=after))
    assert found.kind is ChangeKind.DEAL_CHANGED
    assert found.text_en == (
        "Deal: budget set to CNY 39,000,000, quote amount CNY 42,800,000 → CNY 40,000,000; "
        "expected close date changed"
    )
    assert found.text_zh == "商机：预算设为3900万元、报价金额4280万元→4000万元；预计签约日期有变化"
