"""The diff of two chains (strategy/changes.py): every change named once, by name, in both
languages; nothing reported between equal chains; movers ranked by the size of their step."""

from __future__ import annotations

from datetime import UTC, datetime

from builders import NOW, act, close_to, dm, knows, member, opp, snap, tie

from domain.vocabulary import ActivityType, Attitude, DecisionRole, Outcome, Stage, TieStrength
from strategy.analysis import RedFlag
from strategy.changes import (
    ChangeKind,
    Side,
    TrendPoint,
    chain_changes,
    movers,
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
    assert texts[ChangeKind.DEAL_CHANGED] == ("Deal: amount changed", "商机：金额有变化")
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
