from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from builders import (
    DAY,
    NOW,
    RIVAL,
    TEAM,
    act,
    close_to,
    dm,
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
    DonePlay,
    DroppedPlay,
    PersonFacts,
    PlannedPlay,
    QuoteMove,
    TeamAssignment,
)
from domain.vocabulary import (
    ActivityType,
    Attitude,
    DecisionRole,
    DropReason,
    ExternalKind,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
)
from strategy.casebook import NOW_MS, Case, load_cases
from strategy.config import StrategyConfig, default_config
from strategy.engine import analyse
from strategy.playbook import DEFAULT_PATH, Playbook, default_playbook, load_playbook
from strategy.scoring import build_contexts
from strategy.whatif import (
    AddActivity,
    apply_changes,
    changes_before_suggestion,
    changes_for_suggestion,
    what_if,
)
from strategy.workplan import KNOWN_WELL, Suggestion, choose_owner, due_date, staffed


def listing_all() -> StrategyConfig:
    """The default model with a plan that lists every play found, alternatives included."""
    config = default_config()
    plan = dataclasses.replace(config.plan, max_per_person=20, max_per_job=20, max_suggestions=100)
    return dataclasses.replace(config, plan=plan)


def deal() -> ChainSnapshot:
    return snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.SKEPTIC),
        member("ally", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        reports_to=[tie("te", "dm"), tie("buyer", "dm")],
        influences=[tie("ally", "dm", TieStrength.STRONG)],
        person_knows=[tie("te", "dm", TieStrength.STRONG)],
        team_knows=[knows("te", "sm", TieStrength.STRONG), knows("ally", "am", TieStrength.WEAK)],
        activities=[act("a1", "te", 5)],
        competitors=[RIVAL],
        competitor_ties=[close_to("ally")],
        opportunity=opp(quote_status=QuoteStatus.DRAFT, budget=900_000, quote_amount=1_000_000),
    )


def ranked_gains(plan: tuple[Suggestion, ...]) -> list[float]:
    """The gains the plan is ranked by: a play that follows an introduction at its place."""
    gains = {(s.action_key, s.target_person_id): s.expected_gain for s in plan}
    return [
        s.expected_gain
        if s.follows is None
        else gains.get((s.follows.action_key, s.target_person_id), s.expected_gain)
        for s in plan
    ]


def test_suggestions_are_ranked_by_gain_and_carry_what_callers_assert_on() -> None:
    plan = analyse(deal(), NOW).plan
    assert plan
    gains = ranked_gains(plan)
    assert gains == sorted(gains, reverse=True)
    assert all(g > 0 for g in gains)
    keys = {s.action_key for s in plan}
    assert {"delivery_quote_review", "neutralise_competitor_ally", "develop_coach"} <= keys
    # procurement runs this deal as a tender and the rival holds the business evaluator (whom
    # our account manager knows) while the specification is written: neutralising them is worth
    # most; then a coach, as the chain has none; then meeting the unmet decision maker
    assert (plan[0].action_key, plan[0].target_person_id) == ("neutralise_competitor_ally", "ally")
    assert (plan[1].action_key, plan[1].target_person_id) == ("develop_coach", "te")
    # meeting the unmet decision maker: the introduction first, then the visit
    intro, visit = plan[2], plan[3]
    assert (intro.action_key, intro.target_person_id) == ("warm_introduction", "dm")
    assert intro.warm_path is not None
    assert intro.owner_member_id == intro.warm_path.team_member_id
    assert (visit.action_key, visit.target_person_id) == ("executive_visit", "dm")
    assert visit.addresses == "closeness"
    assert visit.owner_role == TeamRole.ACCOUNT_MANAGER
    assert visit.owner_member_id == "am"
    assert "10/100" in visit.rationale_en
    assert visit.rationale_zh
    assert visit.title_zh == "高层拜访"


def test_a_play_already_planned_and_open_is_not_suggested_again() -> None:
    plan = analyse(deal(), NOW).plan
    first, review = plan[0], next(s for s in plan if s.target_person_id is None)
    planned = (
        PlannedPlay(first.action_key, first.target_person_id),
        PlannedPlay(review.action_key),
    )
    again = analyse(dataclasses.replace(deal(), planned=planned), NOW).plan
    shown = [(s.action_key, s.target_person_id) for s in again]
    assert (first.action_key, first.target_person_id) not in shown
    assert (review.action_key, None) not in shown
    assert [s for s in plan if s not in (first, review)][:3] == list(again[:3])


def test_a_play_done_lately_rests_for_its_person_whoever_would_do_it_next() -> None:
    """A sales director walking the product: he recorded the result of "neutralise a
    competitor's ally" with the vice president, and the same play came straight back as the
    top suggestion, for his account manager. What a play did shows first: it rests for its
    person as a contact of its kind does (three weeks, to the end of that UTC day), whatever
    kind of contact its result recorded; another person's play, or an older one, is not held."""
    plan = analyse(deal(), NOW).plan
    first = next(s for s in plan if s.target_person_id is not None)
    key = (first.action_key, first.target_person_id)

    def shown(*done: DonePlay) -> set[tuple[str, str | None]]:
        chain = dataclasses.replace(deal(), done=done)
        return {(s.action_key, s.target_person_id) for s in analyse(chain, NOW).plan}

    assert key not in shown(DonePlay(*key, NOW - 0 * DAY))
    assert key not in shown(DonePlay(*key, NOW - 20 * DAY))
    assert key in shown(DonePlay(*key, NOW - 22 * DAY))
    assert key in shown(DonePlay(first.action_key, "someone-else", NOW - DAY))


def test_a_quote_changed_after_a_price_talk_is_taken_to_them_without_waiting() -> None:
    """A sales director walking the product: after the ROI workshop with the chief accountant
    (neutral on our price, after two objections) he cut the quote by 7 %; every price reason
    said the new quote had not been shown to him, and no step said to show it: the workshop
    made the price play rest three weeks. A price talk before the quote changed is no reason
    to wait; a change of a percent or two is ordinary haggling, and the play still rests. The
    new quote goes to him once the delivery manager has reviewed it (another director: "an
    unreviewed quote would go to the man who writes the tender"), at once when it has been."""
    workshop_at = NOW - 2 * DAY

    def plan(quote: int, reviewed: bool = True) -> dict[tuple[str, str | None], str]:
        moves = () if quote == 42_800_000 else (QuoteMove(42_800_000, quote, NOW - DAY),)
        chain = snap(
            dm(),
            member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            reports_to=[tie("fin", "dm")],
            team_knows=[knows("dm", level=TieStrength.STRONG), knows("fin")],
            activities=[
                act("o1", "fin", 30, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
                act("o2", "fin", 9, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
                act("w", "fin", 2, type=ActivityType.WORKSHOP, price_reaction=Outcome.NEUTRAL),
            ],
            done=[DonePlay("roi_workshop", "fin", workshop_at)],
            opportunity=opp(
                stage=Stage.PROPOSAL,
                amount=quote,
                budget=40_000_000,
                quote_amount=quote,
                quote_status=QuoteStatus.DRAFT,
                quote_moves=moves,
                delivery_reviewed=reviewed,
            ),
        )
        suggested = analyse(chain, NOW).plan
        due.update({(s.action_key, s.target_person_id): s.due_date for s in suggested})
        return {(s.action_key, s.target_person_id): s.rationale_en for s in suggested}

    due: dict[tuple[str, str | None], str] = {}
    assert ("roi_workshop", "fin") not in plan(42_800_000)  # just held: it rests
    assert ("roi_workshop", "fin") not in plan(42_000_000)  # 2 %: haggling, not news
    cut = plan(39_800_000)
    assert ("roi_workshop", "fin") in cut
    assert due[("roi_workshop", "fin")] <= "2026-01-06", "within three days, on a working day"
    assert cut[("roi_workshop", "fin")].startswith(
        "FIN (Finance) last spoke on our price before our quote changed, and the new quote has "
        "not been put to them yet"
    )
    unreviewed = plan(39_800_000, reviewed=False)
    review = due[("delivery_quote_review", None)]
    assert due[("roi_workshop", "fin")] > review, "the new quote goes out once reviewed"
    assert unreviewed[("roi_workshop", "fin")].endswith(
        f"After the delivery manager's review of our quote (due {review}): no price goes to the "
        "customer unreviewed"
    )


def test_a_play_dropped_lately_waits_for_a_contact_or_a_month() -> None:
    """A sales VP: a team drops a step because the customer refused it, the timing was wrong
    or it no longer made sense; suggesting it again at once is noise. It waits until someone of
    ours has been in touch with the person since (what they said may make it right again), or
    for a month; a play dropped for someone else, or another play for them, is not held back."""
    plan = analyse(deal(), NOW).plan
    first = next(s for s in plan if s.target_person_id is not None)
    key = (first.action_key, first.target_person_id)

    def shown(
        *dropped: DroppedPlay, activities: tuple[ActivityFacts, ...] = ()
    ) -> set[tuple[str, str | None]]:
        chain = deal()
        chain = dataclasses.replace(
            chain, dropped=dropped, activities=(*chain.activities, *activities)
        )
        return {(s.action_key, s.target_person_id) for s in analyse(chain, NOW).plan}

    assert key in shown()
    lately = DroppedPlay(first.action_key, first.target_person_id, NOW - 3 * DAY)
    held = shown(lately)
    assert key not in held
    assert key in shown(DroppedPlay(first.action_key, first.target_person_id, NOW - 31 * DAY))
    assert key in shown(DroppedPlay(first.action_key, "someone-else", NOW - 3 * DAY))
    person = str(first.target_person_id)
    since = act("since", person, 1, Outcome.NEUTRAL, ActivityType.CALL)
    assert key in shown(lately, activities=(since,))
    before = act("before", person, 5, Outcome.NEUTRAL, ActivityType.CALL)
    assert key not in shown(lately, activities=(before,))


def test_each_reason_to_drop_a_play_has_its_own_wait_and_the_play_comes_back_saying_so() -> None:
    """The sales VP on reasons: "a refusal waits for a change in the person, timing for a date
    the team sets, 'nobody to do it' goes to the sales director"; a play that comes back says
    "previously dropped (reason, date)" so nobody takes it for new."""
    plan = analyse(deal(), NOW).plan
    first = next(s for s in plan if s.target_person_id is not None)
    key, person = (first.action_key, first.target_person_id), str(first.target_person_id)
    since = act("since", person, 1, Outcome.NEUTRAL, ActivityType.CALL)

    def plan_with(
        drop: DroppedPlay, *activities: ActivityFacts
    ) -> dict[tuple[str, str | None], str]:
        chain = deal()
        chain = dataclasses.replace(
            chain, dropped=(drop,), activities=(*chain.activities, *activities)
        )
        return {
            (s.action_key, s.target_person_id): s.rationale_en for s in analyse(chain, NOW).plan
        }

    def dropped(days_ago: int, reason: DropReason, resume_on: str | None = None) -> DroppedPlay:
        given_up = int(reason != DropReason.TIMING)  # as the store counts a single drop
        return DroppedPlay(*key, NOW - days_ago * DAY, reason, resume_on, given_up)

    # the timing: until the day set, a call meanwhile or not; from that day on, back
    later = dropped(40, DropReason.TIMING, "2026-01-02")  # NOW is 2026-01-01 (UTC)
    assert key not in plan_with(later, since)
    due = dropped(40, DropReason.TIMING, "2026-01-01")
    assert plan_with(due)[key].endswith(
        ". Dropped from the plan on 2025-11-22 (not now: the timing is wrong)"
    )
    # a refusal: however long ago, until one of ours has been in touch with them since
    refused = dropped(90, DropReason.REFUSED)
    assert key not in plan_with(refused)
    assert plan_with(refused, since)[key].endswith(
        ". Dropped from the plan on 2025-10-03 (the customer refused it)"
    )
    # nobody of ours to do it: about our team, not the customer, so back at once, the sales
    # director's to give to someone; given up so a second time, it waits a month as the others
    nobody = dropped(3, DropReason.NOBODY)
    director = TeamAssignment("sd", "Wang Qiang", TeamRole.SALES_DIRECTOR, LifecyclePhase.DEAL)
    led = dataclasses.replace(deal(), dropped=(nobody,), team=(*deal().team, director))
    (back,) = (s for s in analyse(led, NOW).plan if (s.action_key, s.target_person_id) == key)
    assert (back.owner_role, back.owner_member_id, back.owner_note_en) == (
        TeamRole.SALES_DIRECTOR,
        "sd",
        None,
    )
    assert back.rationale_en.endswith(
        " (nobody of ours to do it); the sales director finds someone to do it"
    )
    assert "曾于2025-12-29移出计划（我方无人可做）；由销售总监安排人选" in back.rationale_zh
    assert back.dropped_before == nobody  # what the director's list reads: when and why
    assert back.awaits_staffing
    given = staffed(back)  # accepted: someone's now
    assert not given.awaits_staffing
    assert given.rationale_en.endswith(" (nobody of ours to do it)")
    assert given.rationale_zh.endswith("（我方无人可做）")
    (unled,) = (
        s
        for s in analyse(dataclasses.replace(deal(), dropped=(nobody,)), NOW).plan
        if (s.action_key, s.target_person_id) == key
    )
    assert (unled.owner_role, unled.owner_member_id) == (TeamRole.SALES_DIRECTOR, None)
    assert unled.owner_note_en == (
        "No sales director on the team: whoever oversees the deal finds someone."
    )
    again = dataclasses.replace(nobody, given_up=2)
    assert key not in plan_with(again)
    assert key in plan_with(dataclasses.replace(again, at=NOW - 31 * DAY))

    # a staffing question from long ago is none: a month on, or once one of ours has been in
    # touch with the person since, the play is an ordinary suggestion again, saying when it
    # was dropped (a sales director's list does not fill with old drops)
    def owner(drop: DroppedPlay, *activities: ActivityFacts) -> str | None:
        chain = dataclasses.replace(led, dropped=(drop,), activities=(*led.activities, *activities))
        (s,) = (s for s in analyse(chain, NOW).plan if (s.action_key, s.target_person_id) == key)
        assert "(nobody of ours to do it)" in s.rationale_en
        return s.owner_member_id

    assert owner(nobody) == "sd"
    assert owner(dataclasses.replace(nobody, at=NOW - 31 * DAY)) == first.owner_member_id
    assert owner(nobody, since) == first.owner_member_id


def test_a_duty_or_the_delivery_review_dropped_is_suggested_again_at_once() -> None:
    """TAS: do what must be done. The delivery review of an unreviewed quote, or a duty, is
    owed whatever the team dropped: no reason keeps it out of the plan (a wrong timing would
    have hidden it for up to a year)."""
    chain = deal()
    owed = [s for s in analyse(chain, NOW).plan if s.action_key in default_playbook().owed_plays]
    assert {s.action_key for s in owed} >= {"delivery_quote_review"}
    # the plays the process owes are the duties and the delivery review, nothing else
    assert {s.action_key for s in analyse(chain, NOW).plan if s.required} <= {
        s.action_key for s in owed
    }
    for reason in DropReason:
        dropped = tuple(
            DroppedPlay(s.action_key, s.target_person_id, NOW - DAY, reason, "2026-06-01")
            for s in owed
        )
        again = analyse(dataclasses.replace(chain, dropped=dropped), NOW).plan
        shown = {(s.action_key, s.target_person_id) for s in again}
        assert {(s.action_key, s.target_person_id) for s in owed} <= shown, reason
        # and the review stays with the delivery manager, the only one who can do it
        review = next(s for s in again if s.action_key == "delivery_quote_review")
        assert review.owner_member_id == "dlm", reason


def test_gain_is_what_the_full_model_says_after_applying_the_effect() -> None:
    chain = deal()
    for suggestion in analyse(chain, NOW).plan:
        # a play that follows another (the visit after the introduction) is measured on the
        # deal with that play done
        base = apply_changes(chain, changes_before_suggestion(chain, suggestion, NOW))
        result = what_if(base, changes_for_suggestion(base, suggestion, NOW), NOW)
        assert result.delta_win_likelihood == pytest.approx(suggestion.expected_gain, abs=1e-12)


def test_a_step_is_due_on_a_working_day() -> None:
    """A sales director: a visit to the president due on New Year's Day, or a step due on a
    Saturday, reads as if nobody had looked. Due days move on to the next working day."""
    off = default_config().plan.days_off
    assert due_date(NOW, 0, off) == "2026-01-02"  # NOW is New Year's Day, a Thursday
    assert due_date(NOW, 2, off) == "2026-01-05"  # Saturday the 3rd: Monday
    assert due_date(NOW, 5, off) == "2026-01-06"  # a Tuesday stays
    assert due_date(NOW + 120 * DAY, 0, off) == "2026-05-04"  # 1 May is a Friday: Monday
    for days in range(0, 60, 3):  # every suggestion, whatever day it is asked on
        for s in analyse(deal(), NOW + days * DAY).plan:
            day = date.fromisoformat(s.due_date)
            assert day.weekday() < 5, (s.action_key, s.due_date)
            assert day.strftime("%m-%d") not in off, (s.action_key, s.due_date)


def test_delivery_review_is_owned_by_the_delivery_manager_with_a_due_date() -> None:
    plan = analyse(deal(), NOW).plan
    review = next(s for s in plan if s.action_key == "delivery_quote_review")
    assert review.target_person_id is None
    assert review.owner_member_id == "dlm"
    assert review.due_date == "2026-01-06"  # NOW is 2026-01-01, lead time 5 days
    reviewed = analyse(
        snap(dm(), opportunity=opp(quote_status=QuoteStatus.DRAFT, delivery_reviewed=True)), NOW
    )
    assert "delivery_quote_review" not in {s.action_key for s in reviewed.plan}


def test_a_quote_judged_not_deliverable_is_reworked_by_the_account_manager() -> None:
    """A sales director, before the engine was asked: once the delivery manager has said the
    quote cannot be delivered as it stands, asking him to review it again asks the wrong
    person; the account manager reworks scope or price with the solution and delivery
    managers, and the review follows. It is owed as the review was: at the negotiation it
    comes before anything else. A changed quote is a new quote: its review is owed again."""
    for stage, first in ((Stage.NEGOTIATION, True), (Stage.PROPOSAL, False)):
        refused = dataclasses.replace(deal().opportunity, stage=stage, delivery_infeasible=True)
        plan = analyse(dataclasses.replace(deal(), opportunity=refused), NOW).plan
        keys = [s.action_key for s in plan]
        assert "delivery_quote_review" not in keys
        rework = next(s for s in plan if s.action_key == "quote_rework")
        assert rework.owner_member_id == "am"
        assert rework.target_person_id is None
        assert rework.rationale_en.startswith(
            "The delivery manager judged the draft quote not deliverable as it stands"
        )
        assert rework.rationale_zh.startswith("交付经理评审认为当前报价（草稿）不可落地")
        assert (keys[0] == "quote_rework") is first, keys
    reviewed = dataclasses.replace(deal().opportunity, delivery_reviewed=True)
    assert "quote_rework" not in {
        s.action_key for s in analyse(dataclasses.replace(deal(), opportunity=reviewed), NOW).plan
    }


def test_a_pressing_delivery_review_comes_first_whatever_it_adds() -> None:
    """At the negotiation a draft quote the delivery manager has not seen is owed his review
    before anything else goes to the customer (casebook 77); at the proposal the same review is
    ranked by what it adds."""
    for stage, first in ((Stage.NEGOTIATION, True), (Stage.PROPOSAL, False)):
        chain = dataclasses.replace(
            deal(), opportunity=dataclasses.replace(deal().opportunity, stage=stage)
        )
        plan = analyse(chain, NOW).plan
        keys = [s.action_key for s in plan]
        assert "delivery_quote_review" in keys
        assert (keys[0] == "delivery_quote_review") is first, keys


def test_warm_introduction_names_the_path() -> None:
    plan = analyse(deal(), NOW).plan
    intro = next(s for s in analyse(deal(), NOW).plan if s.action_key == "warm_introduction")
    assert intro.target_person_id == "dm"
    assert intro.warm_path is not None
    assert intro.warm_path.via_person_ids == ("te",)
    assert "TE" in intro.rationale_en
    assert len(plan) == len({(s.action_key, s.target_person_id) for s in plan})


def test_owner_falls_back_to_account_manager_then_to_nobody() -> None:
    am_only = tuple(t for t in TEAM if t.role == TeamRole.ACCOUNT_MANAGER)
    chain = snap(member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH), team=am_only)
    plan = analyse(chain, NOW).plan
    exchange = next(s for s in plan if s.owner_role == TeamRole.SOLUTION_MANAGER)
    assert exchange.owner_member_id == "am"
    assert exchange.owner_note_en is not None
    nobody = snap(member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH), team=())
    orphan = analyse(nobody, NOW).plan[0]
    assert orphan.owner_member_id is None
    assert orphan.owner_note_zh is not None


def test_plan_is_deterministic() -> None:
    assert analyse(deal(), NOW).plan == analyse(deal(), NOW).plan


def test_packaged_playbook_covers_the_core_plays() -> None:
    keys = {a.key for a in default_playbook().actions}
    assert {
        "executive_visit",
        "technical_exchange",
        "demo",
        "poc",
        "reference_visit",
        "roi_workshop",
        "warm_introduction",
        "develop_coach",
        "neutralise_competitor_ally",
        "delivery_quote_review",
    } <= keys


def test_malformed_playbook_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "playbook.toml"
    path.write_text(
        "[actions.x]\ntitle_en='a'\ntitle_zh='b'\ndescription_en='c'\ndescription_zh='d'\n"
        "owner_role='BOSS'\naddresses='closeness'\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"actions\.x\.owner_role"):
        load_playbook(path)


DIRECTOR = TeamAssignment("sd", "Li Zong", TeamRole.SALES_DIRECTOR, LifecyclePhase.DEAL)
EXPERT = TeamAssignment("le", "Prof. Zhang", TeamRole.LEAD_EXPERT, LifecyclePhase.DEAL)


def test_executive_visit_is_led_by_our_most_senior_member() -> None:
    chain = snap(dm(), team_knows=[knows("dm", level=TieStrength.WEAK)], team=(*TEAM, DIRECTOR))
    visit = next(s for s in analyse(chain, NOW).plan if s.action_key == "executive_visit")
    assert visit.owner_member_id == "sd"
    assert visit.owner_role == TeamRole.SALES_DIRECTOR
    assert visit.owner_note_en is None


def test_an_executive_visit_is_led_by_the_executive_the_target_knows() -> None:
    """The provincial regulator knows our lead expert well and our sales director not at all
    (casebook 80): the expert leads the visit. A tie below moderate opens no door, and the
    sales director leads by rank."""
    for level, owner in ((TieStrength.STRONG, EXPERT), (TieStrength.WEAK, DIRECTOR)):
        chain = snap(dm(), team_knows=[knows("dm", "le", level)], team=(*TEAM, DIRECTOR, EXPERT))
        ctx = build_contexts(chain, NOW)["dm"]
        visit = default_playbook().get("executive_visit")
        assert choose_owner(chain.team, visit, ctx) == (owner, None, None)


def test_relationship_plays_go_to_who_knows_the_target_best() -> None:
    chain = snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        team_knows=[
            knows("dm", "le", TieStrength.STRONG),
            knows("dm", "am", TieStrength.WEAK),
            knows("te", "sm", TieStrength.MODERATE),
        ],
        team=(*TEAM, EXPERT, DIRECTOR),
    )
    ctx = build_contexts(chain, NOW)
    visit = default_playbook().get("relationship_visit")
    team = chain.team
    assert choose_owner(team, visit, ctx["dm"])[0] == EXPERT
    assert choose_owner(team, visit, ctx["te"])[0].member_id == "sm"  # type: ignore[union-attr]
    # a decision maker nobody knows is met by our most senior member
    stranger = build_contexts(snap(dm(), team=(*TEAM, DIRECTOR)), NOW)["dm"]
    assert choose_owner(team, visit, stranger)[0] == DIRECTOR
    # technical plays stay with their role
    exchange = default_playbook().get("technical_exchange")
    assert choose_owner(team, exchange, ctx["dm"])[0].member_id == "sm"  # type: ignore[union-attr]


def test_nobody_is_sent_back_to_someone_whose_last_meeting_with_them_went_badly() -> None:
    """The business owner our delivery manager knows best was burned by his late project, and
    their last meeting went badly (casebook 82): a sales leader does not send him back; the
    account manager goes. Our sales director still meets the decision maker after a bad
    meeting of his own (casebook 63): rank repairs it, not a junior."""
    owner = member("owner", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.OPPONENT)
    badly = [
        dataclasses.replace(
            act("a1", "owner", days_ago=20, outcome=Outcome.NEGATIVE), member_ids=("dlm",)
        ),
        dataclasses.replace(
            act("a2", "dm", days_ago=9, outcome=Outcome.NEGATIVE), member_ids=("sd",)
        ),
    ]
    ties = [knows("owner", "dlm", TieStrength.STRONG), knows("dm", "sd", TieStrength.MODERATE)]
    team = (*TEAM, DIRECTOR)
    visit = default_playbook().get("relationship_visit")
    met = build_contexts(snap(dm(), owner, team_knows=ties, team=team), NOW)
    burned = build_contexts(snap(dm(), owner, team_knows=ties, team=team, activities=badly), NOW)
    assert choose_owner(team, visit, met["owner"])[0].member_id == "dlm"  # type: ignore[union-attr]
    assert choose_owner(team, visit, burned["owner"])[0].member_id == "am"  # type: ignore[union-attr]
    executive = default_playbook().get("executive_visit")
    assert choose_owner(team, executive, burned["dm"])[0] == DIRECTOR


def test_one_coach_suggestion_and_a_supporter_before_a_neutral() -> None:
    chain = snap(
        dm(),
        member("fan", DecisionRole.USER, InfluenceLevel.MEDIUM, Attitude.SUPPORTER),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        team_knows=[knows("fan", level=TieStrength.STRONG), knows("te", "sm", TieStrength.WEAK)],
    )
    coach = [s for s in analyse(chain, NOW).plan if s.addresses == "coach"]
    assert [s.target_person_id for s in coach] == ["fan"]


def _champion_deal(
    champion: Attitude = Attitude.CHAMPION,
    target: Attitude = Attitude.NEUTRAL,
    *,
    known: bool = True,
    rival_camp: bool = False,
) -> ChainSnapshot:
    """A CIO whose manager, the COO, may be our champion and may know our solution manager."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("coo", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, champion),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, target),
        reports_to=[tie("cio", "coo"), tie("coo", "dm")],
        team_knows=[knows("cio", "am", TieStrength.WEAK)]
        + ([knows("coo", "sm", TieStrength.STRONG)] if known else []),
        activities=[act("a1", "coo", 5), act("a2", "cio", 20)],
        competitors=[RIVAL],
        competitor_ties=[close_to("coo")] if rival_camp else [],
    )


def _mobilised(chain: ChainSnapshot) -> list[Suggestion]:
    return [s for s in analyse(chain, NOW).plan if s.action_key == "mobilise_champion"]


def test_a_champion_who_manages_a_neutral_person_is_asked_to_speak_for_us() -> None:
    """A sales leader's first move on a neutral CIO whose boss is our champion: brief the boss
    and have them speak for us; the one of us who knows the champion best asks."""
    (play,) = _mobilised(_champion_deal())
    assert play.target_person_id == "cio"
    assert play.owner_member_id == "sm"
    assert play.expected_gain > 0
    assert "COO (Business evaluator), a champion who manages them" in play.rationale_en
    assert "CIO (Technical evaluator) is neutral towards us" in play.rationale_en
    assert "支持者COO（业务评估者）是其上级" in play.rationale_zh


def test_no_champion_is_mobilised_unknown_to_us_in_a_rival_camp_or_for_a_rivals_man() -> None:
    assert not _mobilised(_champion_deal(known=False))
    assert not _mobilised(_champion_deal(rival_camp=True))
    assert not _mobilised(_champion_deal(Attitude.SUPPORTER))
    rivals_man = dataclasses.replace(
        _champion_deal(target=Attitude.OPPONENT), competitor_ties=(close_to("cio"),)
    )
    assert not _mobilised(rivals_man)


def test_an_opponent_who_is_nobodys_ally_hears_our_champion() -> None:
    """A sales leader: a CIO against us with no rival behind him holds something against us (a
    delivery gone wrong elsewhere, a slight); the champion he works under is the one voice that
    can soften him, and is asked to. An opponent who is a rival's man is not: he would only
    carry our case to the rival."""
    (play,) = _mobilised(_champion_deal(target=Attitude.OPPONENT))
    assert play.target_person_id == "cio"
    assert "CIO (Technical evaluator) is against us" in play.rationale_en
    assert "CIO（技术评估者）反对我方" in play.rationale_zh


def test_a_champion_who_reports_to_the_target_makes_the_case_up_the_line() -> None:
    """A sales leader: the head of the lab, our champion, makes the lab's case to the dean he
    reports to; asking him is the first thing to do about a neutral dean we hardly know."""
    chain = snap(
        dm(),
        member("lab", DecisionRole.USER, InfluenceLevel.HIGH, Attitude.CHAMPION),
        reports_to=[tie("lab", "dm")],
        team_knows=[knows("lab", "am", TieStrength.STRONG), knows("dm", "am", TieStrength.WEAK)],
        activities=[act("a1", "lab", 5), act("a2", "dm", 30)],
    )
    (play,) = _mobilised(chain)
    assert play.target_person_id == "dm"
    assert "LAB (User), a champion who reports to them, can speak for us" in play.rationale_en
    assert "支持者LAB（使用者）是其下属" in play.rationale_zh


def test_price_is_worked_on_with_who_raised_it_not_with_everyone_not_with_us() -> None:
    """A sales leader: a business evaluator, with us or not, who never pushed back on price
    gets no pricing workshop (it puts price on their agenda); one who objected gets it."""

    def priced(attitude: Attitude, objected: bool) -> bool:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("biz", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, attitude),
            team_knows=[knows("biz", "am", TieStrength.STRONG)],
            activities=[
                act(
                    "a1",
                    "biz",
                    5,
                    price_reaction=Outcome.NEGATIVE if objected else Outcome.NEUTRAL,
                )
            ],
            opportunity=opp(budget=700_000, quote_amount=1_000_000),
        )
        only_price = Playbook((default_playbook().get("roi_workshop"),))
        plan = analyse(chain, NOW, playbook=only_price).plan
        return any(s.target_person_id == "biz" for s in plan)

    assert not priced(Attitude.SUPPORTER, objected=False)
    assert priced(Attitude.SUPPORTER, objected=True)
    assert not priced(Attitude.NEUTRAL, objected=False)
    assert priced(Attitude.SKEPTIC, objected=True)


def _price_objector(*answered: ActivityFacts) -> ChainSnapshot:
    """A new decision maker, the former CFO, who pushed back hard on our price 50 days ago; a
    champion who knows him can speak for us, and a cheaper rival is in."""
    return snap(
        dm(),
        member("cs", DecisionRole.USER, InfluenceLevel.MEDIUM, Attitude.CHAMPION),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.MEDIUM, Attitude.NEUTRAL),
        reports_to=[tie("cs", "dm"), tie("fin", "dm")],
        person_knows=[tie("cs", "dm")],
        team_knows=[
            knows("dm", "am", TieStrength.WEAK),
            knows("cs", "am", TieStrength.STRONG),
            knows("fin", "am", TieStrength.WEAK),
        ],
        activities=[
            act(
                "a1",
                "dm",
                50,
                Outcome.NEUTRAL,
                ActivityType.PRICING_DISCUSSION,
                price_reaction=Outcome.NEGATIVE,
            ),
            act("a2", "cs", 10, type=ActivityType.WORKSHOP, solution_reaction=Outcome.POSITIVE),
            *answered,
        ],
        competitors=[dataclasses.replace(RIVAL, price_position=PricePosition.LOWER)],
        opportunity=opp(stage=Stage.PROPOSAL, budget=1_030_000, quote_amount=1_000_000),
    )


def test_a_decision_makers_price_objection_on_record_is_answered_in_the_plan() -> None:
    """A sales leader: the new decision maker objected to our price; whatever else we do with
    him (our executive's visit, our champion's word), the plan answers that objection with a
    pricing workshop for him, not only with one for his finance manager."""
    plan = analyse(_price_objector(), NOW).plan
    on_dm = [s.action_key for s in plan if s.target_person_id == "dm"]
    assert "roi_workshop" in on_dm
    (workshop,) = [s for s in plan if s.action_key == "roi_workshop" and s.target_person_id == "dm"]
    assert "DM (Decision maker) pushed back on our price and has had no answer" in (
        workshop.rationale_en
    )
    assert "DM（决策者）曾对我方价格提出异议，尚未得到回应" in workshop.rationale_zh
    assert len(on_dm) == 3  # the answer takes a place of its own beside the two best plays
    assert "mobilise_champion" in on_dm  # whichever of them is listed first (case 44)


def test_an_objection_answered_since_reserves_nothing() -> None:
    """Once he took a revised offer well, his objection is answered: the plan goes back to its
    usual two plays on him."""
    answered = act(
        "a3",
        "dm",
        20,
        Outcome.POSITIVE,
        ActivityType.PRICING_DISCUSSION,
        price_reaction=Outcome.POSITIVE,
    )
    plan = analyse(_price_objector(answered), NOW).plan
    assert len([s for s in plan if s.target_person_id == "dm"]) <= 2


def test_a_pricing_workshop_with_a_finance_director_who_refuses_our_price_shows_its_gain() -> None:
    """A sales leader: at negotiation, a finance director who objected twice to a quote above
    budget is further from yes than "0/100"; the pricing workshop that answers her is worth
    more than a visit, even if it leaves her price acceptance near 0."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        reports_to=[tie("fin", "dm")],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("fin")],
        activities=[  # two price talks in meetings (a visit as recent would wait its turn)
            act(
                "a1",
                "fin",
                7,
                Outcome.NEGATIVE,
                ActivityType.MEETING,
                price_reaction=Outcome.NEGATIVE,
            ),
            act(
                "a2",
                "fin",
                9,
                Outcome.NEGATIVE,
                ActivityType.MEETING,
                price_reaction=Outcome.NEGATIVE,
            ),
        ],
        competitors=[dataclasses.replace(RIVAL, price_position=PricePosition.LOWER)],
        opportunity=opp(stage=Stage.NEGOTIATION, budget=850_000, quote_amount=1_000_000),
    )
    gains = {
        s.action_key: s.expected_gain
        for s in analyse(chain, NOW).plan
        if s.target_person_id == "fin"
    }
    assert gains["roi_workshop"] > gains["relationship_visit"]


def test_a_champion_is_shown_as_the_manager_even_when_they_also_know_the_target() -> None:
    chain = dataclasses.replace(
        _champion_deal(), person_knows=(tie("coo", "cio", TieStrength.VERY_STRONG),)
    )
    (play,) = _mobilised(chain)
    assert "a champion who manages them" in play.rationale_en


def test_no_demo_poc_or_technical_exchange_once_the_deal_is_in_negotiation() -> None:
    """A sales leader: nobody demos the product to a CFO at negotiation; solution plays belong
    before the bids and the contract."""
    solution_plays = {"demo", "poc", "technical_exchange"}

    def plays(stage: Stage) -> set[str]:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
            team_knows=[knows("te", "sm", TieStrength.MODERATE)],
            activities=[act("a1", "te", 10, solution_reaction=Outcome.NEGATIVE)],
            opportunity=opp(stage=stage),
        )
        return {s.action_key for s in analyse(chain, NOW).plan if s.target_person_id == "te"}

    assert plays(Stage.PROPOSAL) & solution_plays
    assert not plays(Stage.NEGOTIATION) & solution_plays


def test_no_reference_visit_once_the_bids_are_in() -> None:
    """A sales leader: a reference visit helps the customer choose between vendors; once the bids
    are in the committee scores what is written, and at negotiation the vendor is chosen."""

    def plays(stage: Stage) -> set[str]:
        chain = snap(
            dm(attitude=Attitude.NEUTRAL),
            member("biz", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
            team_knows=[knows("dm", level=TieStrength.MODERATE), knows("biz")],
            activities=[act("v", "dm", 10), act("w", "biz", 10)],
            opportunity=opp(stage=stage),
        )
        return {s.action_key for s in analyse(chain, NOW, listing_all()).plan}

    assert "reference_visit" in plays(Stage.PROPOSAL)
    assert "reference_visit" not in plays(Stage.BIDDING)
    assert "reference_visit" not in plays(Stage.NEGOTIATION)


def test_a_play_limited_to_unknown_stages_names_the_key(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'stages = ["VALIDATE",', 'stages = ["SOMEDAY", "VALIDATE",', 1
    )
    path = tmp_path / "playbook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"actions\.technical_exchange\.stages"):
        load_playbook(path)


def test_a_play_can_only_follow_an_introduction(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'follows = "warm_introduction"', 'follows = "demo"', 1
    )
    path = tmp_path / "playbook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"actions\.executive_visit\.follows"):
        load_playbook(path)


def test_a_play_done_once_is_known_by_its_activity(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "[actions.mobilise_champion.effect]", "once = true\n[actions.mobilise_champion.effect]", 1
    )
    path = tmp_path / "playbook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"actions\.mobilise_champion\.once"):
        load_playbook(path)


def test_nobody_is_neutralised_or_made_a_coach_before_someone_of_us_knows_or_has_met_them() -> None:
    """A sales leader: you cannot neutralise a man nobody has met; first get access."""
    unknown = dataclasses.replace(deal(), team_knows=(knows("te", "sm", TieStrength.STRONG),))
    plan = analyse(unknown, NOW).plan
    on_ally = {s.action_key for s in plan if s.target_person_id == "ally"}
    assert "neutralise_competitor_ally" not in on_ally
    assert on_ally & {"warm_introduction", "relationship_visit"}  # access first


def test_reasons_say_why_in_a_sales_leaders_words_with_the_score_as_evidence() -> None:
    """'Solution acceptance only 57/100' about a supporter reads as a reproach, not a reason."""
    plan = analyse(deal(), NOW).plan
    intro = next(s for s in plan if s.action_key == "warm_introduction")
    assert intro.rationale_en.startswith(
        "Nobody of ours knows DM (Decision maker) yet: closeness 10/100. "
    )
    assert intro.rationale_zh.startswith("我方还没有人认识DM（决策者），关系紧密度为10/100。")
    assert all(" only " not in s.rationale_en and "仅" not in s.rationale_zh for s in plan)


def skeptical_architect() -> ChainSnapshot:
    """The decision maker backs us; the architect who writes the technical scoring sheet is
    skeptical because our integration did not convince him."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.MEDIUM, Attitude.SKEPTIC),
        member("user", DecisionRole.USER, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("arch", "dm"), tie("user", "arch")],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("arch", "sm", TieStrength.WEAK)],
        activities=[
            act("v", "dm", 5),
            act("t", "arch", 20, Outcome.NEUTRAL, solution_reaction=Outcome.NEGATIVE),
        ],
        opportunity=opp(stage=Stage.VALUE_PRESENTATION),
    )


def test_a_technical_play_that_answers_a_skeptics_concern_wins_them_back_to_neutral() -> None:
    """A sales leader: a skeptic whose objection is the solution is won back on the merits by our
    solution manager; that is worth more than the score points, and ranks accordingly."""
    chain = skeptical_architect()
    plan = analyse(chain, NOW).plan
    technical = [
        s
        for s in plan
        if s.target_person_id == "arch" and s.action_key in ("technical_exchange", "poc")
    ]
    assert technical
    assert technical[0].owner_role == TeamRole.SOLUTION_MANAGER
    assert technical[0] in plan[:3]
    # the play answers the concern: the skeptic comes round to neutral, not further
    assert technical[0].assumed is not None
    assert technical[0].assumed.attitude == 1
    # and the gain is exactly what the full model says after the change
    after = what_if(chain, changes_for_suggestion(chain, technical[0], NOW), NOW)
    assert after.delta_win_likelihood == pytest.approx(technical[0].expected_gain, abs=1e-12)


def test_a_technical_play_does_not_turn_a_neutral_evaluator() -> None:
    chain = skeptical_architect()
    neutral = dataclasses.replace(
        chain,
        members=tuple(
            dataclasses.replace(m, attitude=Attitude.NEUTRAL) if m.person_id == "arch" else m
            for m in chain.members
        ),
    )
    plays = [
        s
        for s in analyse(neutral, NOW).plan
        if s.target_person_id == "arch" and s.action_key in ("technical_exchange", "poc")
    ]
    assert all(s.assumed is not None and s.assumed.attitude == 0 for s in plays)


def test_nobody_is_visited_cold_when_someone_can_introduce_us_first() -> None:
    """A sales leader: an account manager who knocks on the door of a procurement head nobody
    knows, when a colleague of hers could introduce us, burns the first impression; first the
    introduction, then the visit."""
    colleague = dataclasses.replace(deal(), person_knows=(*deal().person_knows, tie("te", "buyer")))
    plan = analyse(colleague, NOW).plan
    on_buyer = {s.action_key for s in plan if s.target_person_id == "buyer"}
    assert "relationship_visit" not in on_buyer
    assert "warm_introduction" in on_buyer


def test_someone_only_a_thin_introduction_reaches_is_visited_too() -> None:
    """A sales leader: a name passed on through two people and the boss's reporting line is no
    better than our own visit: the plan offers the visit."""
    on_buyer = {s.action_key for s in analyse(deal(), NOW).plan if s.target_person_id == "buyer"}
    assert "relationship_visit" in on_buyer


def test_someone_nobody_can_introduce_us_to_is_still_visited() -> None:
    """Without a path to them, the visit is how we get access: the plan still suggests it."""
    chain = snap(
        dm(),
        member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.NEUTRAL),
        team_knows=[knows("dm", level=TieStrength.STRONG)],
        activities=[act("v", "dm", 5)],
        opportunity=opp(stage=Stage.PROPOSAL),
    )
    on_buyer = {s.action_key for s in analyse(chain, NOW).plan if s.target_person_id == "buyer"}
    assert "warm_introduction" not in on_buyer
    assert "relationship_visit" in on_buyer


def test_at_negotiation_a_price_objection_outranks_one_more_visit_to_a_backer() -> None:
    """A sales leader: at negotiation the decision maker who knows and backs us has done what a
    visit can do; the budget holders' objection to our price is what stands between us and the
    contract, so the pricing workshop with the finance director ranks above another executive
    visit to the decision maker (closeness to someone who knows us well adds less and less)."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("proc", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM),
        reports_to=[tie("fin", "dm"), tie("proc", "fin")],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("fin"), knows("proc")],
        activities=[
            act("a1", "dm", 12),
            act("a2", "fin", 7, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
            act("a3", "proc", 5, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
        ],
        competitors=[dataclasses.replace(RIVAL, price_position=PricePosition.LOWER)],
        opportunity=opp(stage=Stage.NEGOTIATION, budget=850_000, quote_amount=1_000_000),
    )
    plan = analyse(chain, NOW).plan
    gains = {(s.action_key, s.target_person_id): s.expected_gain for s in plan}
    assert gains[("roi_workshop", "fin")] > gains[("executive_visit", "dm")]


def test_an_executive_visit_to_a_decision_maker_nobody_has_met_follows_the_introduction() -> None:
    """A sales leader: when a colleague of the decision maker can introduce us, our executive
    does not knock on the door cold. The introduction opens the first meeting and the executive
    visit follows it: the plan lists the introduction first, says that the visit comes after it,
    and does not count the same first meeting twice (the visit is worth what it adds once the
    introduction is done)."""
    chain = deal()
    plan = analyse(chain, NOW).plan
    on_dm = {s.action_key: s for s in plan if s.target_person_id == "dm"}
    intro, visit = on_dm["warm_introduction"], on_dm["executive_visit"]
    assert plan.index(intro) < plan.index(visit)
    assert visit.due_date > intro.due_date
    assert 0 < visit.expected_gain < intro.expected_gain
    assert plan.index(visit) == plan.index(intro) + 1  # one step: the introduction, then the visit
    assert visit.rationale_en == (
        "Nobody of ours knows DM (Decision maker) yet: closeness 10/100. After the introduction:"
        " TE introduces us to DM first, then this visit"
    )
    assert visit.rationale_zh == (
        "我方还没有人认识DM（决策者），关系紧密度为10/100。在引荐之后进行："
        "先由TE把我们引荐给DM，再做此次拜访"
    )
    opened = apply_changes(chain, changes_before_suggestion(chain, visit, NOW))
    added = what_if(opened, changes_for_suggestion(opened, visit, NOW), NOW)
    assert added.delta_win_likelihood == pytest.approx(visit.expected_gain, abs=1e-12)


def test_an_executive_visit_to_a_decision_maker_we_have_met_stands_on_its_own() -> None:
    """Once someone of ours has met the decision maker, the executive visit needs no
    introduction: it is measured against the deal as it is."""
    chain = snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        reports_to=[tie("te", "dm")],
        person_knows=[tie("te", "dm", TieStrength.STRONG)],
        team_knows=[knows("te", "sm", TieStrength.STRONG)],
        activities=[act("m", "dm", 20)],
    )
    plan = analyse(chain, NOW).plan
    visit = next(s for s in plan if (s.action_key, s.target_person_id) == ("executive_visit", "dm"))
    assert visit.follows is None
    assert "introduc" not in visit.rationale_en
    assert changes_before_suggestion(chain, visit, NOW) == ()


def quiet_champion_to_be() -> ChainSnapshot:
    """A user who backs us (two steps from the decision maker) reports to the head of her
    department, who signs too, backs us and reports to the decision maker: made a champion,
    the user tells her manager, who carries our case to the decision maker himself."""
    return snap(
        dm(),
        member("head", DecisionRole.APPROVER, InfluenceLevel.MEDIUM, Attitude.SUPPORTER),
        member("user", DecisionRole.USER, InfluenceLevel.MEDIUM, Attitude.SUPPORTER),
        reports_to=[tie("head", "dm"), tie("user", "head")],
        team_knows=[knows("dm"), knows("head"), knows("user", level=TieStrength.STRONG)],
        activities=[act("a1", "dm", 5), act("a2", "head", 5), act("a3", "user", 3)],
        opportunity=opp(stage=Stage.VALUE_PRESENTATION),
    )


def test_a_play_that_makes_a_champion_counts_who_the_champion_tells() -> None:
    """A sales leader: a supporter we make our champion is worth more than her own word to the
    decision maker: her manager, who backs us and reports to him, now hears our case from her
    and carries it on. The plan's gain is what the full what-if of the same change says."""
    chain = quiet_champion_to_be()
    plan = analyse(chain, NOW).plan
    coach = next(s for s in plan if (s.action_key, s.target_person_id) == ("develop_coach", "user"))
    assert coach.effect.attitude_steps == 1  # the supporter becomes a champion
    after = what_if(chain, changes_for_suggestion(chain, coach, NOW), NOW)
    assert after.delta_win_likelihood == pytest.approx(coach.expected_gain, abs=1e-12)


def visits_to_users() -> ChainSnapshot:
    """A decision maker who knows us, and four users we have barely met, of each influence."""
    levels = (InfluenceLevel.LOW, InfluenceLevel.MEDIUM, InfluenceLevel.HIGH)
    users = [member(f"u{i}", DecisionRole.USER, level) for i, level in enumerate(levels)]
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        *users,
        team_knows=[knows("dm", level=TieStrength.STRONG)],
        activities=[act("v", "dm", 10), *(act(f"c{u.person_id}", u.person_id, 90) for u in users)],
        opportunity=opp(stage=Stage.REQUIREMENTS),
    )


def test_relationship_visits_to_people_of_different_weight_show_different_gains() -> None:
    """A sales leader: a plan whose visits all read +0.3 looks like a machine. A visit to a user
    of high influence brings the chain closer to us more than one to a user of low influence,
    and the plan says so, however small both are: the scores shown are whole points, the gains
    are what the plays really do."""
    # the coach each of them could become taken as planned: the visit is the first play on each
    coached = tuple(PlannedPlay("develop_coach", f"u{i}") for i in range(3))
    plan = analyse(dataclasses.replace(visits_to_users(), planned=coached), NOW).plan
    gains = {
        s.target_person_id: s.expected_gain for s in plan if s.action_key == "relationship_visit"
    }
    assert set(gains) == {"u0", "u1", "u2"}
    assert 0 < gains["u0"] < gains["u1"] < gains["u2"]


def test_a_step_closer_to_anyone_raises_the_likelihood_though_no_score_shown_moves() -> None:
    """A sales leader: a good call with a user of low influence brings us a little closer; the
    "can we compete" shown may stay at its whole point, the likelihood still moves."""
    chain = visits_to_users()
    call = act("new", "u0", 0, type=ActivityType.CALL)
    result = what_if(chain, [AddActivity(call)], NOW)
    before, after = result.before.assessment, result.after.assessment
    assert after.can_compete.value == before.can_compete.value
    assert result.delta_win_likelihood > 0


def unknown_dm_deal(*extra: ActivityFacts) -> ChainSnapshot:
    """The plan tests' deal: the decision maker nobody of ours knows, the evaluator who knows
    them well can introduce us; ``extra``: what we have done with the decision maker."""
    chain = deal()
    return dataclasses.replace(chain, activities=(*chain.activities, *extra))


def test_any_meeting_with_a_decision_maker_nobody_knows_comes_after_the_introduction() -> None:
    """A sales leader: the first meeting with a decision maker nobody of ours knows is the one
    the introduction opens, whatever we do in it. A reference visit to him is worth what it adds
    once we are introduced; it does not count that first meeting again, nor is it due before
    the introduction."""
    chain = unknown_dm_deal()
    plan = analyse(chain, NOW, listing_all()).plan
    on_dm = {s.action_key: s for s in plan if s.target_person_id == "dm"}
    intro, reference = on_dm["warm_introduction"], on_dm["reference_visit"]
    assert reference.follows is not None
    assert reference.follows.action_key == "warm_introduction"
    assert 0 < reference.expected_gain < intro.expected_gain / 2
    assert reference.due_date > intro.due_date
    assert "After the introduction: TE introduces us to DM first" in reference.rationale_en
    assert "在引荐之后进行：先由TE把我们引荐给DM" in reference.rationale_zh
    opened = apply_changes(chain, changes_before_suggestion(chain, reference, NOW))
    added = what_if(opened, changes_for_suggestion(opened, reference, NOW), NOW)
    assert added.delta_win_likelihood == pytest.approx(reference.expected_gain, abs=1e-12)
    # the champion's word needs no meeting: measured on the deal as it is
    assert all(s.follows is None for s in plan if s.effect.activity_type is None)


def test_a_meeting_with_a_stranger_comes_after_the_first_meeting_already_planned() -> None:
    """A sales leader walking a new deal: once our director's visit to a president nobody of
    ours has met is in the plan (due in three weeks), a demo to him is not due before it:
    "nobody demos to a hospital president before meeting him"; it comes its own lead after the
    visit, and says so."""
    day = "2026-01-21"
    planned = (PlannedPlay("executive_visit", "dm", day),)
    chain = dataclasses.replace(unknown_dm_deal(), planned=planned)
    plan = analyse(chain, NOW, listing_all()).plan
    on_dm = [s for s in plan if s.target_person_id == "dm" and s.effect.activity_type is not None]
    intro = next(s for s in on_dm if s.action_key == "warm_introduction")
    assert intro.due_date < day, "the introduction opens the door to the visit: before it"
    later = [s for s in on_dm if s is not intro]
    assert later, [(s.action_key, s.target_person_id) for s in plan]
    for step in later:
        assert step.due_date > day, (step.action_key, step.due_date)
        assert f"After the executive visit with DM planned for {day}" in step.rationale_en
        assert f"计划于{day}进行的与DM的高层拜访之后" in step.rationale_zh
    # someone we have met already: the plan's visit is no first meeting to wait for
    met = dataclasses.replace(unknown_dm_deal(act("m", "dm", 3)), planned=planned)
    assert all("planned for" not in s.rationale_en for s in analyse(met, NOW, listing_all()).plan)


def test_a_decision_maker_met_once_to_no_result_is_still_introduced() -> None:
    """A sales leader: a meeting two months ago that came to nothing leaves us strangers to the
    decision maker; the executive visit still goes through the introduction, as one step with
    it, and the two do not show the same first meeting's gain."""
    met = act("m", "dm", 60, Outcome.NEUTRAL, ActivityType.MEETING)
    plan = analyse(unknown_dm_deal(met), NOW).plan
    on_dm = [s for s in plan if s.target_person_id == "dm"]
    assert [s.action_key for s in on_dm] == ["warm_introduction", "executive_visit"]
    intro, visit = on_dm
    assert plan.index(visit) == plan.index(intro) + 1
    assert visit.follows is not None
    assert 0 < visit.expected_gain < intro.expected_gain / 2


def test_nobody_is_introduced_to_a_decision_maker_we_visited_well_three_weeks_ago() -> None:
    """A sales leader: our account manager visited the decision maker three weeks ago and it
    went well; we are known to him, and the executive visit is arranged by us, not through
    an introduction."""
    plan = analyse(unknown_dm_deal(act("m", "dm", 20)), NOW).plan
    on_dm = {s.action_key: s for s in plan if s.target_person_id == "dm"}
    assert "warm_introduction" not in on_dm
    assert on_dm["executive_visit"].follows is None


def test_a_decision_maker_met_this_month_to_no_result_is_asked_directly() -> None:
    """A sales director: someone one of ours met two weeks ago knows who we are, however the
    meeting went; what we lack is their belief, not access, and asking someone else to
    introduce us would look odd. A call this month is no meeting: two months after the last
    meeting, the visit still goes through the introduction."""
    met = act("m", "dm", 15, Outcome.NEUTRAL, ActivityType.MEETING)
    on_dm = {
        s.action_key: s
        for s in analyse(unknown_dm_deal(met), NOW).plan
        if s.target_person_id == "dm"
    }
    assert "warm_introduction" not in on_dm
    assert on_dm["executive_visit"].follows is None

    called = (
        act("m", "dm", 60, Outcome.NEUTRAL, ActivityType.MEETING),
        act("c", "dm", 10, Outcome.NEUTRAL, ActivityType.CALL),
    )
    plan = analyse(unknown_dm_deal(*called), NOW).plan
    assert [s.action_key for s in plan if s.target_person_id == "dm"][:2] == [
        "warm_introduction",
        "executive_visit",
    ]


def test_a_play_after_an_introduction_is_listed_right_behind_it_whatever_it_is_worth() -> None:
    """A sales director: a step that assumes an introduction has the introduction as its own
    step right before it, with its owner and its date, even when the introduction is worth
    little by itself; mentioning it only in the step's reasons leaves it to nobody. Checked on
    every deal of the casebook; in case 02 the introduction to the IT director, worth next to
    nothing alone, comes right before the play on him that needs it and says so."""
    for case in load_cases():
        plan = analyse(case.snapshot, NOW_MS).plan
        places = {(s.action_key, s.target_person_id): i for i, s in enumerate(plan)}
        for i, s in enumerate(plan):
            if s.follows is not None:
                intro = places.get((s.follows.action_key, s.target_person_id))
                assert intro is not None, f"{case.key}: {s.action_key} without its introduction"
                assert intro < i, f"{case.key}: {s.action_key} listed before its introduction"

    (incumbent,) = [c for c in load_cases() if c.key.startswith("02_")]
    plan = analyse(incumbent.snapshot, NOW_MS).plan
    keys = [(s.action_key, s.target_person_id) for s in plan]
    intro = keys.index(("warm_introduction", "kp-itd"))
    assert keys[intro + 1] == ("neutralise_competitor_ally", "kp-itd")
    assert plan[intro].expected_gain < default_config().plan.min_gain
    assert plan[intro].rationale_en.endswith(
        "It comes first: the plan's next step with 曹阳 needs it (Neutralise a competitor's ally)."
    )
    assert plan[intro].rationale_zh.endswith(
        "此步在前：计划中与曹阳的下一步（中和竞争对手的支持者）需要先有此引荐。"
    )


def test_two_plays_that_do_the_same_job_on_one_person_are_alternatives() -> None:
    """A sales leader: for a skeptical architect whom our champion manages, a POC and a
    technical exchange both answer his view of our solution; the plan lists the better of the
    two and gives his other place to the champion's word, which does another job."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        reports_to=[tie("arch", "cio"), tie("cio", "dm")],
        team_knows=[knows("dm"), knows("cio", level=TieStrength.STRONG), knows("arch", "sm")],
        activities=[
            act("v", "dm", 10),
            act("x", "arch", 20, Outcome.NEUTRAL, solution_reaction=Outcome.NEGATIVE),
        ],
        opportunity=opp(stage=Stage.VALUE_PRESENTATION),
    )
    everything = analyse(chain, NOW, listing_all()).plan
    on_arch_all = {s.action_key for s in everything if s.target_person_id == "arch"}
    assert {"poc", "technical_exchange", "mobilise_champion"} <= on_arch_all
    on_arch = [s for s in analyse(chain, NOW).plan if s.target_person_id == "arch"]
    assert len(on_arch) == 2
    assert len({s.addresses for s in on_arch}) == 2
    assert "mobilise_champion" in {s.action_key for s in on_arch}


def test_no_pricing_workshop_for_an_approver_who_never_raised_price() -> None:
    """A sales leader: an approver who signs and has never said a word about price, the vice
    president who backs us or the party secretary whose concerns are compliance, is not the
    one to hold a pricing workshop with: it puts price on their agenda. The chief accountant,
    whose job the price is, the decision maker not with us yet, who weighs what it costs
    against what it brings, and an approver who objected to our price are."""
    chain = snap(
        dm(attitude=Attitude.NEUTRAL),
        member("cfo", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("vp", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("sec", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        team_knows=[knows(p, level=TieStrength.STRONG) for p in ("dm", "cfo", "vp", "sec", "fin")],
        activities=[
            *(act(f"v{p}", p, 10) for p in ("dm", "vp", "sec", "fin")),
            act("p", "cfo", 10, Outcome.NEUTRAL, price_reaction=Outcome.NEGATIVE),
        ],
        opportunity=opp(stage=Stage.PROPOSAL, budget=900_000, quote_amount=1_000_000),
    )
    workshops = {
        s.target_person_id
        for s in analyse(chain, NOW, listing_all()).plan
        if s.action_key == "roi_workshop"
    }
    assert workshops == {"dm", "cfo", "fin"}


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.key)
def test_a_visit_says_we_do_not_know_someone_well_only_while_we_do_not(case: Case) -> None:
    # "We do not know 孙丽华 well yet: closeness 59/100" reads wrong to anyone who knows her
    for suggestion in analyse(case.snapshot, NOW_MS).plan:
        for clause in suggestion.rationale_clauses:
            if clause.kind == "not_close":
                assert clause.words["score"] < KNOWN_WELL, suggestion.rationale_en
            if clause.kind == "closer":
                assert clause.words["score"] >= KNOWN_WELL, suggestion.rationale_en
                assert "can go deeper" in suggestion.rationale_en
                assert "还可以更进一步" in suggestion.rationale_zh


def test_an_executive_visit_is_led_by_someone_of_rank_not_the_account_manager() -> None:
    """A sales leader: a president receives someone of rank; the account manager comes along
    and arranges it but cannot lead it (the president's office deflects them). Without a sales
    director our lead expert leads it, even when only the account manager knows the target; with
    nobody senior on the team the plan says to bring one in."""
    visit = default_playbook().get("executive_visit")
    known = snap(dm(), team_knows=[knows("dm", "am", TieStrength.WEAK)], team=(*TEAM, EXPERT))
    for chain in (known, snap(dm(), team=(*TEAM, EXPERT))):
        ctx = build_contexts(chain, NOW)["dm"]
        assert choose_owner(chain.team, visit, ctx) == (EXPERT, None, None)
    alone = snap(dm(), team_knows=[knows("dm", "am", TieStrength.WEAK)])
    owner, note_en, note_zh = choose_owner(alone.team, visit, build_contexts(alone, NOW)["dm"])
    assert owner is not None
    assert owner.member_id == "am"
    assert note_en == (
        "Nobody senior on our team to lead an executive visit: bring in our sales director or a"
        " lead expert."
    )
    assert note_zh == "团队中没有能出面高层拜访的资深成员：请引入销售总监或引领专家。"


def test_a_finance_or_procurement_ally_is_answered_on_cost_not_with_our_solution() -> None:
    """A sales leader: the chief accountant tied to a rival's subscription and financing is not
    won back with our architecture; he is answered on the total cost over the contract's life,
    payment terms and financing, with the delivery manager confirming the phasing we can
    deliver. A technical evaluator tied to the incumbent is answered on the merits."""
    chain = snap(
        dm(attitude=Attitude.NEUTRAL),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.OPPONENT),
        member("proc", DecisionRole.PROCUREMENT, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        team_knows=[knows(p, level=TieStrength.WEAK) for p in ("dm", "fin", "proc", "te")],
        activities=[act(f"v{p}", p, 10, Outcome.NEUTRAL) for p in ("dm", "fin", "proc", "te")],
        competitors=[RIVAL],
        competitor_ties=[close_to(p) for p in ("fin", "proc", "te")],
    )
    allies = {
        s.target_person_id: s
        for s in analyse(chain, NOW, listing_all()).plan
        if s.addresses == "competitor_ally"
    }
    assert set(allies) == {"fin", "proc", "te"}
    for pid in ("fin", "proc"):
        on_cost = allies[pid]
        for words in ("total cost", "payment terms", "financing", "delivery manager"):
            assert words in on_cost.description_en
        for words in ("总成本", "付款方式", "融资", "交付经理"):
            assert words in on_cost.description_zh
        assert "solution and references" not in on_cost.description_en
        assert on_cost.owner_member_id == "am"  # who knows them best
    assert "our solution and references" in allies["te"].description_en
    # every role has one way to be neutralised; a compliance supervisor none: only open,
    # documented plays reach them
    for role in DecisionRole:
        suits = [
            a.key
            for a in default_playbook().actions
            if a.addresses == "competitor_ally" and (not a.roles or role in a.roles)
        ]
        assert len(suits) == (role != DecisionRole.SUPERVISOR), (role, suits)


def test_no_second_poc_once_a_poc_on_the_deal_went_well() -> None:
    """A sales leader: a POC is run with the technical evaluators on their data; the decision
    maker is shown its results, never put through a POC of his own. Once a POC on the deal went
    well its results are presented to whoever still doubts us: nobody runs a second one."""

    def pocs(poc: Outcome | None) -> set[str]:
        chain = snap(
            dm(attitude=Attitude.NEUTRAL),
            member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            member("arch", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.LOW, Attitude.CHAMPION),
            team_knows=[knows(p, "sm", TieStrength.MODERATE) for p in ("dm", "te", "arch", "cio")],
            activities=[
                act("m1", "dm", 10, Outcome.NEUTRAL, solution_reaction=Outcome.NEGATIVE),
                act("m2", "te", 10, Outcome.NEUTRAL, solution_reaction=Outcome.NEGATIVE),
                act("m3", "arch", 10, Outcome.NEUTRAL, solution_reaction=Outcome.NEGATIVE),
                *(
                    [act("poc", "cio", 8, poc, type=ActivityType.POC, solution_reaction=poc)]
                    if poc is not None
                    else []
                ),
            ],
            opportunity=opp(stage=Stage.VALUE_PRESENTATION),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return {s.target_person_id or "" for s in plan if s.action_key == "poc"}

    assert pocs(None) == {"te", "arch"}  # the evaluators, not the decision maker
    assert {"te", "arch"} <= pocs(Outcome.NEGATIVE)  # a POC that failed may be run again
    assert pocs(Outcome.VERY_POSITIVE) == set()
    assert pocs(Outcome.POSITIVE) == set()


def _supervised(
    *extra: ActivityFacts, influence: InfluenceLevel = InfluenceLevel.MEDIUM
) -> ChainSnapshot:
    """A state-owned tender the discipline-inspection officer supervises; the IT head who backs
    us knows him well, so a warm path to him exists."""
    return snap(
        dm(),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        member("sup", DecisionRole.SUPERVISOR, influence, Attitude.NEUTRAL),
        reports_to=[tie("it", "dm")],
        person_knows=[tie("it", "sup", TieStrength.STRONG)],
        team_knows=[knows("it", level=TieStrength.STRONG), knows("dm")],
        activities=[act("a1", "it", 5), act("a2", "dm", 10), *extra],
        competitors=[RIVAL],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def test_the_supervisor_of_a_purchase_is_owed_our_compliance_commitment_first_and_only() -> None:
    """A sales leader: the discipline-inspection officer who supervises a state-owned tender is
    never warmed up through a friend, a visit or a champion's word: that can disqualify the bid.
    We owe him a documented compliance commitment, given openly by the account manager, before
    anything else."""
    plan = analyse(_supervised(), NOW, listing_all()).plan
    on_him = [(s.action_key, s.owner_member_id) for s in plan if s.target_person_id == "sup"]
    assert on_him == [("compliance_commitment", "am")]
    assert plan[0].action_key == "compliance_commitment"
    assert plan[0].rationale_en == (
        "SUP (Compliance supervisor) supervises the purchase: we deal with them openly and "
        "on the record only"
    )
    assert plan[0].rationale_zh.startswith("SUP（纪检监督人）监督采购全过程：")


def test_the_compliance_commitment_is_owed_until_a_formal_meeting_with_him_went_well() -> None:
    done = act("c1", "sup", 3, type=ActivityType.MEETING)
    plan = analyse(_supervised(done), NOW, listing_all()).plan
    assert not [s.action_key for s in plan if s.target_person_id == "sup"]


def test_closeness_to_a_supervisor_is_neither_an_asset_nor_a_gap() -> None:
    """A dinner with the officer who supervises the tender wins us nothing (it is a risk), and
    the distance we keep from him is what the rules ask, not a coverage gap."""
    chain = _supervised(influence=InfluenceLevel.HIGH)
    base = analyse(chain, NOW)
    dinner = act("d1", "sup", 2, type=ActivityType.SOCIAL)
    dined = analyse(_supervised(dinner, influence=InfluenceLevel.HIGH), NOW)
    assert dined.win_likelihood == pytest.approx(base.win_likelihood)
    assert "sup" not in {g.person_id for g in base.analysis.gaps}


def _wired_tender(
    level: TieStrength | None = TieStrength.STRONG, *, with_dm: bool = True, ours: bool = False
) -> ChainSnapshot:
    """The supervised tender of ``_supervised``, its supervisor tied to the rival at ``level``
    (none when None); ``with_dm``: the dean is in the chain; ``ours``: we know him well."""
    chain = _supervised()
    members = chain.members if with_dm else tuple(m for m in chain.members if m.person_id != "dm")
    members += (member("proc", DecisionRole.PROCUREMENT),)
    ties = (close_to("sup", level=level),) if level is not None else ()
    known = (knows("sup", level=TieStrength.VERY_STRONG),) if ours else ()
    return dataclasses.replace(
        chain,
        members=members,
        competitor_ties=ties,
        team_knows=chain.team_knows + known,
        persons=(*chain.persons, PersonFacts("proc", "PROC")),
        reports_to=chain.reports_to if with_dm else (),
    )


def test_a_wired_tender_leads_with_a_fair_process_request_to_the_decision_maker() -> None:
    """A sales leader: when the officer who supervises the tender is close to a competitor, we
    never court him; the plan opens with an open, documented request through the proper
    channel: the decision maker is asked on the record for published criteria and scoring and
    for conflicts of interest to be declared. The compliance commitment to him stays, and no
    relationship play names him."""
    plan = analyse(_wired_tender(), NOW, listing_all()).plan
    first = plan[0]
    assert (first.action_key, first.target_person_id, first.owner_member_id) == (
        "fair_process_request",
        "dm",
        "am",
    )
    assert first.rationale_en == (
        "SUP (Compliance supervisor), who supervises the tender, is close to Rival Corp: we ask "
        "DM (Decision maker) on the record for a fair, documented process"
    )
    assert first.rationale_zh.startswith("监督招标的SUP（纪检监督人）与Rival Corp关系密切：")
    assert "recusal" in first.description_en
    assert "回避" in first.description_zh
    assert [s.action_key for s in plan if s.target_person_id == "sup"] == ["compliance_commitment"]
    assert [s.target_person_id for s in plan if s.action_key == "fair_process_request"] == ["dm"]


def test_without_a_decision_maker_the_fair_process_request_goes_to_procurement() -> None:
    plan = analyse(_wired_tender(with_dm=False), NOW, listing_all()).plan
    asked = [s.target_person_id for s in plan if s.action_key == "fair_process_request"]
    assert asked == ["proc"]
    assert plan[0].action_key == "fair_process_request"


def test_no_fair_process_request_for_a_weak_tie_or_a_supervisor_close_to_us_only() -> None:
    for chain in (_wired_tender(TieStrength.WEAK), _wired_tender(None, ours=True)):
        plan = analyse(chain, NOW, listing_all()).plan
        assert "fair_process_request" not in {s.action_key for s in plan}


def test_the_fair_process_request_makes_only_its_target_a_candidate() -> None:
    """A duty brings the people it is owed to into the plan whatever their influence; the fair
    process is owed to one person only, so a procurement member beyond the candidates it
    does not go to stays out (a large chain is not searched play by play for every one)."""
    config = listing_all()
    few = dataclasses.replace(config, plan=dataclasses.replace(config.plan, candidate_people=1))
    chain = _wired_tender()
    low = InfluenceLevel.LOW
    members = tuple(
        dataclasses.replace(m, influence=low) if m.person_id == "proc" else m for m in chain.members
    )
    plan = analyse(dataclasses.replace(chain, members=members), NOW, few).plan
    assert "proc" not in {s.target_person_id for s in plan}
    assert "dm" in {s.target_person_id for s in plan if s.action_key == "fair_process_request"}


def test_a_wired_tender_puts_the_go_no_go_in_question() -> None:
    """Is it worth bidding a tender whose referee is close to a rival? "Is it worth it" says so,
    naming the competitor and the supervisor's role, and costs some points: the presales
    effort is at risk. Not for a weak tie."""
    wired = analyse(_wired_tender(), NOW, include_plan=False)
    weak = analyse(_wired_tender(TieStrength.WEAK), NOW, include_plan=False)
    reason = next(r for r in wired.assessment.worth_it.reasons if r.factor == "wired_tender")
    assert reason.points < 0
    assert "Rival Corp" in reason.text_en
    assert "compliance supervisor" in reason.text_en
    assert "Rival Corp" in reason.text_zh
    assert "纪检监督人" in reason.text_zh
    assert [e.ids for e in reason.evidence] == [("sup",)]
    assert "wired_tender" not in {r.factor for r in weak.assessment.worth_it.reasons}
    assert wired.assessment.worth_it.value < weak.assessment.worth_it.value
    assert wired.win_likelihood < weak.win_likelihood


def _workshop_gain(stage: Stage) -> float:
    """The ROI workshop's gain on a chief accountant who twice refused our price."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.OPPONENT),
        reports_to=[tie("fin", "dm")],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("fin")],
        activities=[
            act("a1", "fin", 7, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
            act("a2", "fin", 9, Outcome.NEGATIVE, price_reaction=Outcome.NEGATIVE),
        ],
        competitors=[dataclasses.replace(RIVAL, price_position=PricePosition.LOWER)],
        opportunity=opp(stage=stage, budget=850_000, quote_amount=1_000_000),
    )
    plan = analyse(chain, NOW, listing_all()).plan
    return next(s.expected_gain for s in plan if s.action_key == "roi_workshop")


def test_a_budget_holders_price_objection_counts_before_the_quote_is_on_the_table() -> None:
    """A sales leader: a finance opponent who has already pushed back on our price is won on
    value before the price is on the table. Her objection is there at value presentation: the
    ROI workshop that answers it then is worth at least half what it is once the quote is in,
    not a quarter."""
    assert _workshop_gain(Stage.VALUE_PRESENTATION) >= 0.5 * _workshop_gain(Stage.PROPOSAL)


def test_no_play_is_aimed_at_a_tender_evaluation_expert() -> None:
    """A sales leader: a drawn evaluation expert is reached only through the bid (answering
    the scoring rules point by point, the presentation the tender agency holds for the whole
    panel); a visit, a demo, a POC, an introduction or a champion's word aimed at them is a
    private contact that can void the bid. The same chain with the customer's own engineer in
    their place gets plays aimed at him."""

    def targets(expert: bool) -> set[str]:
        evaluator = dataclasses.replace(
            member("ex", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
            external_kind=ExternalKind.TENDER_EXPERT if expert else None,
        )
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
            evaluator,
            reports_to=[tie("it", "dm")],
            person_knows=[tie("it", "ex", TieStrength.STRONG)],
            team_knows=[knows("it", level=TieStrength.STRONG), knows("dm")],
            activities=[act("a1", "it", 5), act("a2", "dm", 10)],
            competitors=[RIVAL],
            competitor_ties=[close_to("ex", level=TieStrength.STRONG)],
            opportunity=opp(stage=Stage.PROPOSAL),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return {s.target_person_id or "" for s in plan}

    assert "ex" in targets(expert=False)
    assert "ex" not in targets(expert=True)


def test_no_price_talks_while_the_bids_are_evaluated() -> None:
    """A sales leader: once the bids are in, the buyer may not negotiate price with a bidder
    before the award; a pricing workshop or a cost pitch to finance or procurement waits for
    the negotiation, where it is the work."""

    def price_plays(stage: Stage) -> set[str]:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.NEUTRAL),
            team_knows=[knows("dm"), knows("fin"), knows("buyer")],
            activities=[
                act("v", "dm", 5),
                act("p", "fin", 9, Outcome.NEUTRAL, price_reaction=Outcome.NEGATIVE),
                act("b", "buyer", 7),
            ],
            competitors=[RIVAL],
            competitor_ties=[close_to("fin", level=TieStrength.STRONG)],
            opportunity=opp(stage=stage, budget=900_000, quote_status=QuoteStatus.SUBMITTED),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return {s.action_key for s in plan} & {"roi_workshop", "neutralise_ally_on_cost"}

    assert price_plays(Stage.BIDDING) == set()
    assert price_plays(Stage.NEGOTIATION) == {"roi_workshop", "neutralise_ally_on_cost"}


def test_once_the_bid_is_in_nobody_courts_the_evaluators_or_procurement() -> None:
    """A sales leader: once our bid is submitted the evaluation committee sits, the buyer's
    own evaluators and procurement among them, and bidders may not work on them privately until
    the award: no visit, introduction, champion's word, coach or ally play aimed at them, only a
    formal request for published criteria. The decision maker can still be seen at executive
    level. While the bid is still being written, they are the work."""

    def plan_of(quote: QuoteStatus) -> set[tuple[str, str]]:
        chain = snap(
            dm(attitude=Attitude.NEUTRAL),
            member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
            member("biz", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.NEUTRAL),
            member("champ", DecisionRole.USER, InfluenceLevel.MEDIUM, Attitude.CHAMPION),
            reports_to=[tie("it", "dm"), tie("biz", "dm"), tie("champ", "it")],
            team_knows=[knows("dm"), knows("buyer"), knows("champ", level=TieStrength.STRONG)],
            activities=[act("v", "dm", 30), act("b", "buyer", 40), act("c", "champ", 3)],
            competitors=[RIVAL],
            competitor_ties=[close_to("biz", level=TieStrength.STRONG)],
            opportunity=opp(stage=Stage.BIDDING, quote_status=quote),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return {(s.action_key, s.target_person_id or "") for s in plan}

    panel = {"it", "biz", "buyer"}
    writing = plan_of(QuoteStatus.DRAFT)
    assert {t for _, t in writing} & panel  # before the bid goes in they are the work
    sealed = plan_of(QuoteStatus.SUBMITTED)
    assert {(a, t) for a, t in sealed if t in panel} <= {("fair_process_request", "buyer")}
    assert ("executive_visit", "dm") in sealed


def test_in_a_tender_run_again_nobody_courts_its_scorers_even_before_the_new_bid_is_in() -> None:
    """A sales leader (casebook case 95): the tender was annulled after the rival's complaint
    and is run again, the deal moved back from the negotiation. Its scorers are known from the
    first round, and the rival, the supervision with it, watches for any contact: no private
    visit, introduction or ally meeting with the evaluator the rival holds, nor with
    procurement, from the re-run's start; his concerns are answered in the technical bid. In a
    first tender, while the bid is written, they are still the work."""

    def plan_of(furthest: Stage | None) -> set[tuple[str, str]]:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("eval", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
            member("buyer", DecisionRole.PROCUREMENT, InfluenceLevel.MEDIUM, Attitude.NEUTRAL),
            reports_to=[tie("eval", "dm"), tie("buyer", "dm")],
            team_knows=[knows("dm"), knows("buyer", level=TieStrength.WEAK)],
            activities=[act("v", "dm", 10), act("b", "buyer", 20)],
            competitors=[RIVAL],
            competitor_ties=[close_to("eval", level=TieStrength.VERY_STRONG)],
            opportunity=opp(
                stage=Stage.BIDDING, quote_status=QuoteStatus.DRAFT, furthest_stage=furthest
            ),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return {(s.action_key, s.target_person_id or "") for s in plan}

    scorers = {"eval", "buyer"}
    first = plan_of(None)
    assert {t for _, t in first} & scorers  # a first tender: while the bid is written
    rerun = plan_of(Stage.NEGOTIATION)
    assert {(a, t) for a, t in rerun if t in scorers} <= {("fair_process_request", "buyer")}
    assert {t for _, t in rerun} & {"dm"}  # the decision maker is still seen


def test_a_play_just_done_or_already_in_the_calendar_is_not_suggested_again_yet() -> None:
    """A sales leader: the director visited the decision maker three days ago; suggesting the
    same visit again today reads as if nobody had looked. The next one has its time, three
    weeks on, if we still need it; one already in the calendar is not suggested either."""

    def visits(*acts: ActivityFacts) -> list[str]:
        chain = snap(
            dm(attitude=Attitude.NEUTRAL),
            member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
            reports_to=[tie("coach", "dm")],
            team_knows=[knows("dm", level=TieStrength.WEAK), knows("coach")],
            activities=[act("c", "coach", 4), *acts],
            opportunity=opp(stage=Stage.REQUIREMENTS),
        )
        plan = analyse(chain, NOW, listing_all()).plan
        return [s.target_person_id or "" for s in plan if s.action_key == "executive_visit"]

    def visit(days_ago: float) -> ActivityFacts:
        return act("x", "dm", days_ago, Outcome.NEUTRAL, type=ActivityType.EXECUTIVE_VISIT)

    assert visits(visit(40)) == ["dm"]  # long ago: the next one is due
    assert visits(visit(3)) == []  # just done
    assert visits(visit(-5)) == []  # in the calendar


def test_a_meeting_in_the_calendar_with_someone_is_the_relationship_step_with_them() -> None:
    """A sales leader: the director's visit to the decision maker is set for next week. Asking
    for an introduction to him, or a visit by someone else before it, reads as if nobody had
    looked at the calendar: the meeting is arranged, so we have access, and it is the
    relationship step. What is left to plan is what that meeting must carry. A call or an
    e-mail in the calendar arranges no meeting."""

    def on_dm(*ahead: ActivityFacts) -> set[str]:
        chain = dataclasses.replace(deal(), activities=(*deal().activities, *ahead))
        return {
            s.action_key
            for s in analyse(chain, NOW, listing_all()).plan
            if s.target_person_id == "dm"
        }

    unplanned = on_dm()
    assert {"warm_introduction", "executive_visit"} <= unplanned  # nobody of ours knows him
    visit = act("v", "dm", -5, Outcome.NEUTRAL, type=ActivityType.EXECUTIVE_VISIT)
    arranged = on_dm(visit)
    closeness = {"warm_introduction", "executive_visit", "relationship_visit"}
    assert not arranged & closeness, arranged
    mail = act("m", "dm", -5, Outcome.NEUTRAL, type=ActivityType.EMAIL)
    assert "warm_introduction" in on_dm(mail)


def test_nobody_is_taken_to_a_reference_customer_before_one_of_ours_has_met_them() -> None:
    """A sales leader: a business evaluator nobody of ours has met, a skeptic close to the
    rival, is not invited on a trip to one of our customers as our first step with her: nobody
    accepts that invitation from strangers. Meet her first; the reference visit comes once
    she knows us."""

    def on_approver(*acts: ActivityFacts) -> set[str]:
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("ap", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
            team_knows=[knows("dm", "am", TieStrength.STRONG)],
            activities=[act("d", "dm", 5), *acts],
            competitors=[RIVAL],
            competitor_ties=[close_to("ap")],
            opportunity=opp(stage=Stage.REQUIREMENTS),
        )
        return {
            s.action_key
            for s in analyse(chain, NOW, listing_all()).plan
            if s.target_person_id == "ap"
        }

    never_met = on_approver()
    assert "reference_visit" not in never_met, never_met
    assert "relationship_visit" in never_met, never_met
    met = on_approver(act("m", "ap", 10, Outcome.NEUTRAL))
    assert "reference_visit" in met, met


def test_no_product_demo_is_aimed_at_the_coach() -> None:
    """A sales leader: the coach guides us, he is not who we sell to; a demo is for the people
    who evaluate and use the solution. One aimed at the coach fills a plan with a step that
    moves nobody who decides."""
    chain = snap(
        dm(attitude=Attitude.NEUTRAL),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("it", "dm"), tie("coach", "it")],
        team_knows=[knows("dm"), knows("it"), knows("coach")],
        activities=[act("a", "dm", 30), act("b", "it", 30), act("c", "coach", 30)],
        opportunity=opp(stage=Stage.REQUIREMENTS),
    )
    plan = analyse(chain, NOW, listing_all()).plan
    demos = {s.target_person_id for s in plan if s.action_key == "demo"}
    assert "coach" not in demos
    assert "it" in demos


def test_after_a_meeting_that_went_badly_the_plan_says_so_not_that_we_hardly_know_them() -> None:
    """A sales leader: our director's visit to the dean went badly last week; "we do not know
    him well yet" hides what the next visit has to mend. The plan says the last meeting went
    badly."""
    chain = snap(
        dm(attitude=Attitude.SKEPTIC),
        member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER),
        reports_to=[tie("coach", "dm")],
        team_knows=[knows("coach")],
        activities=[act("v", "dm", 40, Outcome.NEGATIVE), act("c", "coach", 3)],
        opportunity=opp(stage=Stage.REQUIREMENTS),
    )
    plan = analyse(chain, NOW, listing_all()).plan
    visits = [s for s in plan if s.target_person_id == "dm" and s.addresses == "closeness"]
    assert visits
    for s in visits:
        assert "Our last meeting with DM (Decision maker) went badly" in s.rationale_en, s
        assert "上次接触不顺利" in s.rationale_zh
        assert "do not know" not in s.rationale_en


def _introduced(asked: TieStrength, passed: TieStrength = TieStrength.STRONG) -> ChainSnapshot:
    """Nobody of ours knows the finance director; our account manager knows the CIO (``asked``),
    who knows her (``passed``)."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("fin", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        person_knows=[tie("cio", "fin", passed)],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("cio", level=asked)],
        activities=[act("a1", "dm", 5), act("a2", "cio", 6)],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def _introduction(chain: ChainSnapshot, target: str = "fin") -> Suggestion | None:
    """The introduction to ``target`` as the first play on them: the plays the plan would hold
    before it on them are taken as planned already (a later play on a person is worth what it
    adds after the earlier ones, and these tests are about the introduction's own worth)."""
    for _ in range(4):
        plan = analyse(chain, NOW, config=listing_all()).plan
        on_target = [s for s in plan if s.target_person_id == target]
        intro = next((s for s in on_target if s.action_key == "warm_introduction"), None)
        if intro is not None and not intro.measured_after:
            return intro
        earlier = intro.measured_after if intro is not None else on_target
        if not earlier:
            return None
        taken = tuple(PlannedPlay(p.action_key, target) for p in earlier)
        chain = dataclasses.replace(chain, planned=(*chain.planned, *taken))
    return None


def test_an_introduction_through_a_weak_tie_is_credited_a_fifth_of_a_warm_one() -> None:
    """A sales leader: asked by someone who hardly knows us, the CIO gives a polite "you can
    contact her", not a recommendation: a fifth of what a warm introduction brings, half
    through a moderate tie."""
    warm = _introduction(_introduced(TieStrength.STRONG))
    weak = _introduction(_introduced(TieStrength.WEAK))
    moderate = _introduction(_introduced(TieStrength.STRONG, TieStrength.MODERATE))
    assert warm is not None
    assert weak is not None
    assert moderate is not None
    # the same introduction, credited a share (the weak tie itself moves the chain a little)
    assert weak.expected_gain == pytest.approx(0.2 * warm.expected_gain, rel=0.05)
    assert moderate.expected_gain == pytest.approx(0.5 * warm.expected_gain, rel=0.05)
    assert (
        "Counted at 20% of a warm introduction: Li Lei knows CIO only weakly." in weak.rationale_en
    )
    assert "按热引荐的20%计：Li Lei与CIO交情很浅。" in weak.rationale_zh
    assert "Counted at" not in warm.rationale_en


def test_each_person_between_beyond_the_introducer_keeps_a_third_of_the_credit() -> None:
    """A sales leader: our friend asks A, who asks B, who introduces us: every link spends a
    favour and thins the message; even all strong, about 30 % of a direct introduction."""
    chain = dataclasses.replace(
        _introduced(TieStrength.STRONG),
        person_knows=(tie("cio", "it2", TieStrength.STRONG), tie("it2", "fin", TieStrength.STRONG)),
        persons=(*_introduced(TieStrength.STRONG).persons, PersonFacts("it2", "IT2")),
    )
    relayed = _introduction(chain)
    direct = _introduction(_introduced(TieStrength.STRONG))
    assert relayed is not None
    assert direct is not None
    assert relayed.warm_path is not None
    assert relayed.warm_path.via_person_ids == ("cio", "it2")
    assert relayed.expected_gain == pytest.approx(0.3 * direct.expected_gain, rel=0.05)
    assert "1 more person in between" in relayed.rationale_en


def test_a_decision_maker_we_hardly_know_is_not_asked_to_introduce_us_down_the_line() -> None:
    """A sales leader: one meeting gives us no standing to ask the general manager for a
    favour, and a vendor sent down by the boss makes his head of department feel bypassed.
    Reach her at her level; one of ours who knows the GM well may ask him."""

    def chain(level: TieStrength) -> ChainSnapshot:
        return snap(
            dm(),
            member("head", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.HIGH),
            reports_to=[tie("head", "dm")],
            team_knows=[knows("dm", "am", level)],
            activities=[act("a1", "dm", 30)],
            opportunity=opp(stage=Stage.PROPOSAL),
        )

    assert _introduction(chain(TieStrength.WEAK), "head") is None
    on_head = {
        s.action_key
        for s in analyse(chain(TieStrength.WEAK), NOW).plan
        if s.target_person_id == "head"
    }
    assert on_head  # still reached, at her own level
    assert _introduction(chain(TieStrength.STRONG), "head") is not None


def test_a_coach_gone_quiet_is_met_again_whatever_we_once_knew_of_them() -> None:
    """A sales leader: two months without a word from the coach, however well we knew him, the
    first thing is to meet him this week and hear why it went quiet; a coach we spoke to last
    week needs no visit."""
    coach = member("coach", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER)

    def chain(days: float) -> ChainSnapshot:
        return snap(
            dm(attitude=Attitude.SUPPORTER),
            coach,
            reports_to=[tie("coach", "dm")],
            team_knows=[
                knows("dm", level=TieStrength.STRONG),
                knows("coach", level=TieStrength.VERY_STRONG),
            ],
            activities=[
                act("a1", "dm", days, type=ActivityType.EXECUTIVE_VISIT),
                act("a2", "coach", days, Outcome.VERY_POSITIVE, ActivityType.MEETING),
            ],
            opportunity=opp(stage=Stage.PROPOSAL),
        )

    quiet = [s for s in analyse(chain(62), NOW).plan if s.target_person_id == "coach"]
    assert [s.action_key for s in quiet] == ["relationship_visit"]
    assert "We have not spoken with COACH (Coach) for 62 days" in quiet[0].rationale_en
    assert "我方已有62天未与COACH（教练）沟通" in quiet[0].rationale_zh
    assert not [s for s in analyse(chain(5), NOW).plan if s.target_person_id == "coach"]


WITH_DIRECTOR = (
    *TEAM,
    TeamAssignment("sd", "Wang Fang", TeamRole.SALES_DIRECTOR, LifecyclePhase.DEAL),
)


def _dean_met_once() -> ChainSnapshot:
    """A decision maker our account manager met once, two months ago, to no result, while the
    user we demonstrated to last week supports us; our sales director is on the team."""
    return snap(
        dm(),
        member("user", attitude=Attitude.SUPPORTER),
        team=WITH_DIRECTOR,
        team_knows=[knows("dm", level=TieStrength.WEAK), knows("user", level=TieStrength.STRONG)],
        activities=[
            act("m", "dm", 60, Outcome.NEUTRAL, ActivityType.MEETING),
            act("d", "user", 7, Outcome.POSITIVE, ActivityType.DEMO),
        ],
        opportunity=opp(stage=Stage.PROPOSAL),
    )


def test_a_second_play_on_a_person_is_worth_what_it_adds_after_the_first() -> None:
    """A sales director: our executive's visit and a reference visit to the same dean overlap
    (the reference visit is the follow-up asked for at the end of the executive's visit); both
    in the top three leave the people who write the specification untouched. A person's next
    play counts what it adds once the plan's earlier plays on them are done, and says so."""
    chain = _dean_met_once()
    plan = analyse(chain, NOW).plan
    on_dm = [s for s in plan if s.target_person_id == "dm"]
    assert len(on_dm) == 2
    first, second = on_dm
    assert first.measured_after == ()
    assert [p.action_key for p in second.measured_after] == [first.action_key]
    # alone, with the first play taken as planned already, it would be worth far more
    alone = analyse(
        dataclasses.replace(chain, planned=(PlannedPlay(first.action_key, "dm"),)), NOW
    ).plan
    by_itself = next(s for s in alone if s.action_key == second.action_key)
    assert by_itself.measured_after == ()
    assert 0 < second.expected_gain < by_itself.expected_gain / 2
    # what the full model says with the first play done
    done = apply_changes(chain, changes_before_suggestion(chain, second, NOW))
    added = what_if(done, changes_for_suggestion(done, second, NOW), NOW)
    assert added.delta_win_likelihood == pytest.approx(second.expected_gain, abs=1e-12)
    title = next(a for a in default_playbook().actions if a.key == first.action_key)
    assert second.rationale_en.endswith(
        f"Worth what it adds once the plan's earlier steps with DM are done ({title.title_en})"
    )
    assert second.rationale_zh.endswith(
        f"其价值按计划中与DM的前几步（{title.title_zh}）完成后的新增部分计算"
    )


def test_the_answer_to_an_objection_keeps_its_own_worth_beside_other_plays() -> None:
    """A sales leader: the decision maker who pushed back on our price gets the ROI session
    that answers it, whatever else we do with him; the other plays do not answer it."""
    chain = dataclasses.replace(
        _dean_met_once(),
        activities=(
            act(
                "m",
                "dm",
                30,
                Outcome.NEGATIVE,
                ActivityType.MEETING,
                price_reaction=Outcome.NEGATIVE,
            ),
        ),
    )
    plan = analyse(chain, NOW, listing_all()).plan
    answer = next(s for s in plan if s.target_person_id == "dm" and s.addresses == "price")
    assert answer.measured_after == ()


def test_a_play_with_an_executive_who_hardly_knows_our_account_manager_goes_to_ours() -> None:
    """A sales leader: the chairman's office does not receive our account manager as a peer;
    a pricing session with a decision maker who hardly knows him is hosted by our sales
    director. One the account manager knows well, he runs himself."""

    def roi_owner(chain: ChainSnapshot) -> str | None:
        plan = analyse(chain, NOW, listing_all()).plan
        return next(s.owner_member_id for s in plan if s.action_key == "roi_workshop")

    assert roi_owner(_dean_met_once()) == "sd"
    known = dataclasses.replace(
        _dean_met_once(),
        team_knows=(knows("dm", level=TieStrength.STRONG), knows("user", level=TieStrength.STRONG)),
    )
    assert roi_owner(known) == "am"
    assert roi_owner(dataclasses.replace(_dean_met_once(), team=TEAM)) == "am"


def test_a_third_play_on_a_person_says_once_what_it_was_measured_after() -> None:
    """Measured again after each play the plan adds on the person, a play's rationale names
    the earlier plays once, all of them."""
    plan = analyse(_dean_met_once(), NOW, listing_all()).plan
    on_dm = [s for s in plan if s.target_person_id == "dm"]
    assert len(on_dm) >= 3
    third = on_dm[2]
    assert len(third.measured_after) == 2
    assert [c.kind for c in third.rationale_clauses].count("after_plays") == 1
    assert third.rationale_en.count("Worth what it adds") == 1


def _case(prefix: str) -> Case:
    return next(c for c in load_cases() if c.key.startswith(prefix))


def _short(snapshot_id: str | None) -> str:
    return "" if snapshot_id is None else snapshot_id.split("-", 1)[1]


def _plays(case: Case) -> list[tuple[str, str, str]]:
    """(play, target, owner) of the case's plan, by the case file's short ids."""
    short = _short
    plan = analyse(case.snapshot, NOW_MS).plan
    return [(s.action_key, short(s.target_person_id), short(s.owner_member_id)) for s in plan]


def test_once_the_bid_is_in_the_team_still_has_its_weekly_work() -> None:
    """A sales leader (case 57): the weeks the committee sits decide the deal. The account
    manager hears from the coach every week (called six days ago: due tomorrow), our sales
    director keeps the decision maker informed, and the solution manager has the clarification
    answers ready; still nothing aimed at procurement, finance, the evaluators or the experts."""
    case = _case("57_")
    plays = _plays(case)
    assert ("bid_watch_coach", "coach", "am") in plays
    assert ("bid_watch_decider", "dgm", "sd") in plays
    assert ("bid_clarifications", "", "sm") in plays
    assert not {t for _, t, _ in plays} & {"proc", "fin", "it", "ex1", "ex2"}
    plan = analyse(case.snapshot, NOW_MS).plan
    coach = next(s for s in plan if s.action_key == "bid_watch_coach")
    assert coach.required
    assert coach.due_date == "2026-06-02"
    assert "how the evaluation runs" in coach.rationale_en


def test_a_rivals_man_is_neither_made_our_coach_nor_lobbied_by_our_champion() -> None:
    """A sales leader (cases 63, 64): a coach in a rival's camp feeds us the rival's story, and a
    champion sent to lobby her boss, the rival's man, hands him our case and burns her. He is
    answered on the merits or neutralised, never courted as an insider."""
    for prefix in ("63_", "64_"):
        plays = _plays(_case(prefix))
        on_him = {key for key, target, _ in plays if target == "tech"}
        assert not on_him & {"develop_coach", "mobilise_champion"}, (prefix, plays)


def test_a_president_our_director_met_well_this_year_is_visited_again_not_introduced() -> None:
    """A sales leader (case 59): a bank president remembers a good meeting with our sales
    director seven months ago; asking his own IT head to introduce us would read as if we had
    forgotten him. Our director renews the contact himself. Met once by the account manager to
    no result (case 60), he is introduced, and the director's visit the introduction opens is
    still in the plan."""
    renewed = _plays(_case("59_"))
    assert ("executive_visit", "pres", "sd") in renewed
    assert not [p for p in renewed if p[:2] == ("warm_introduction", "pres")]
    introduced = [(k, t) for k, t, _ in _plays(_case("60_"))]
    intro = introduced.index(("warm_introduction", "pres"))
    assert introduced[intro + 1] == ("executive_visit", "pres")


def _president_met(days_ago: float) -> ChainSnapshot:
    """A bank president, the neutral decision maker, whom our sales director visited
    ``days_ago`` (it went well) and nobody of ours has met since; the head of IT reports to
    him, knows him well and is our champion, and our account manager saw her last week; the
    vice president who approves supports us."""
    visit = act(
        "a1",
        "dm",
        days_ago,
        type=ActivityType.EXECUTIVE_VISIT,
        solution_reaction=Outcome.POSITIVE,
    )
    return snap(
        dm(),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION),
        member("vp", DecisionRole.APPROVER, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        reports_to=[tie("cio", "dm"), tie("vp", "dm")],
        person_knows=[tie("cio", "dm", TieStrength.STRONG)],
        team_knows=[knows("cio", "am", TieStrength.STRONG), knows("vp", "am")],
        activities=[
            dataclasses.replace(visit, member_ids=("sd",)),
            act("a2", "cio", 5),
            act("a3", "vp", 20),
        ],
        team=(*TEAM, DIRECTOR),
    )


def test_a_decision_maker_not_spoken_with_for_months_is_met_before_the_champion_speaks() -> None:
    """A sales leader (case 59): our director met the president months ago and nobody has seen
    him since; the director asks for a follow-up meeting, and the champion's word is the second
    step: what she tells us he thinks now is hearsay until one of ours hears it from him. Met
    ten days ago, the champion's word comes first, on the deal as it is."""
    for days_ago in (120, 210):
        chain = _president_met(days_ago)
        plan = [s for s in analyse(chain, NOW).plan if s.target_person_id == "dm"]
        first, word = plan[0], next(s for s in plan if s.action_key == "mobilise_champion")
        assert (first.action_key, first.owner_member_id) == ("executive_visit", "sd"), plan
        assert [f.action_key for f in word.measured_after] == [first.action_key]
        assert word.due_date > first.due_date
        assert "Worth what it adds once the plan's earlier steps with DM are done" in (
            word.rationale_en
        )
        # its gain is what it adds with the meeting done, as the what-if says
        base = apply_changes(chain, changes_before_suggestion(chain, word, NOW))
        result = what_if(base, changes_for_suggestion(base, word, NOW), NOW)
        assert result.delta_win_likelihood == pytest.approx(word.expected_gain, abs=1e-12)
        # on the deal as it is, the champion's word is hearsay: worth less than with him met
        alone = what_if(chain, changes_for_suggestion(chain, word, NOW), NOW)
        assert alone.delta_win_likelihood < first.expected_gain < word.expected_gain
    fresh = [s for s in analyse(_president_met(10), NOW).plan if s.target_person_id == "dm"]
    assert fresh[0].action_key == "mobilise_champion"
    assert fresh[0].measured_after == ()


def test_a_meeting_with_someone_met_well_within_the_year_renews_the_contact() -> None:
    """The step that meets the president again says whose contact it renews and how long ago
    it was, in both languages (case 59)."""
    plan = analyse(_president_met(120), NOW, listing_all()).plan
    visit = next(s for s in plan if (s.action_key, s.target_person_id) == ("executive_visit", "dm"))
    assert visit.rationale_en.startswith(
        "Li Zong met DM (Decision maker) 120 days ago and it went well, and nobody of ours has met"
        " them since: renew that contact, referring to the last meeting"
    )
    assert visit.rationale_zh.startswith(
        "Li Zong120天前与DM（决策者）会面，效果不错，此后我方再无人见过其本人："
        "应重新联系，提起上次的会面"
    )
    recent = analyse(_president_met(10), NOW, listing_all()).plan
    assert not any(c.kind == "renew" for s in recent for c in s.rationale_clauses)


def test_whoever_holds_the_purse_is_met_by_our_commercial_people() -> None:
    """A sales leader (case 62): our solution manager knows the finance head best, but the
    relationship over budget and price is the account manager's or our director's; the
    solution manager comes along. The architect's plays stay with who knows him."""
    plays = _plays(_case("62_"))
    on_cfo = [(k, o) for k, t, o in plays if t == "cfo"]
    assert on_cfo, plays
    assert all(o in {"am", "sd"} for _, o in on_cfo), plays


def test_our_champion_is_not_sent_over_her_own_bosss_head() -> None:
    """A sales leader (case 68): the head nurse, our champion, knows the vice dean who decides,
    but her boss the director of nursing reports to him: asked to speak for us to him, or to
    introduce us, she goes over her boss's head and makes an opponent of her. Her word goes
    to her own boss."""
    plays = _plays(_case("68_"))
    assert ("mobilise_champion", "vd") not in [(k, t) for k, t, _ in plays]
    assert ("mobilise_champion", "nd") in [(k, t) for k, t, _ in plays]


def _head_nurse_deal() -> ChainSnapshot:
    """Our only champion is a head nurse, who reports to the neutral director of nursing and
    knows the vice dean who decides (the nursing committee); nobody else of ours knows anyone,
    and the IT director sways the vice dean."""
    return snap(
        dm("vd"),
        member("nd", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.MEDIUM),
        member("hn", DecisionRole.USER, InfluenceLevel.LOW, Attitude.CHAMPION, NeedsFit.GOOD),
        member("itd", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH),
        reports_to=[tie("hn", "nd"), tie("nd", "vd"), tie("itd", "vd")],
        influences=[tie("itd", "vd", TieStrength.STRONG)],
        person_knows=[
            tie("hn", "nd", TieStrength.STRONG),
            tie("hn", "vd", TieStrength.MODERATE),
            tie("itd", "vd", TieStrength.STRONG),
        ],
        team_knows=[knows("hn", "am", TieStrength.STRONG)],
        activities=[
            act("a1", "hn", 4, solution_reaction=Outcome.POSITIVE),
            act("a2", "hn", 16, Outcome.VERY_POSITIVE, ActivityType.DEMO),
        ],
        team=(*TEAM, DIRECTOR),
        opportunity=opp(compelling_event="nursing quality review", budget=1_100_000),
    )


def test_the_way_up_from_our_champion_runs_through_her_boss() -> None:
    """A sales leader (case 68): the head nurse's word reaches the vice dean only through the
    director of nursing she reports to, so the first steps include her boss: the head nurse
    speaks for us to her (or introduces us), the vice dean is reached after that or by our
    sales director directly. Her friendship with the vice dean is no shortcut."""
    plan = analyse(_head_nurse_deal(), NOW).plan
    top = [(s.action_key, s.target_person_id) for s in plan[:3]]
    assert ("mobilise_champion", "nd") in top, top
    word = next(s for s in plan if s.target_person_id == "nd")
    assert "HN (User), a champion who knows them, can speak for us" in word.rationale_en
    assert ("mobilise_champion", "vd") not in [(s.action_key, s.target_person_id) for s in plan]


def test_no_coach_is_developed_beside_a_champion_who_already_guides_us() -> None:
    """A champion of high influence whom one of ours knows well and spoke with this week is our
    coach in all but name (the watch point says to ask them openly): the plan develops no other
    coach (casebook 77-80). Without that champion, a supporter is made our coach."""
    fan = member("fan", DecisionRole.USER, InfluenceLevel.MEDIUM, Attitude.SUPPORTER)

    def coach_plays(champion: bool) -> list[str]:
        members = [dm(), fan]
        knows_ = [knows("fan", "am", TieStrength.STRONG)]
        activities = [act("a1", "fan", 3)]
        if champion:
            members.append(
                member(
                    "cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.CHAMPION
                )
            )
            knows_.append(knows("cio", "sm", TieStrength.STRONG))
            activities.append(act("a2", "cio", 2))
        chain = snap(*members, team_knows=knows_, activities=activities)
        return [
            s.target_person_id or "" for s in analyse(chain, NOW).plan if s.addresses == "coach"
        ]

    assert coach_plays(champion=False) == ["fan"]
    assert coach_plays(champion=True) == []


def test_a_team_without_a_solution_manager_requests_one_before_anything_else() -> None:
    """A sales leader (casebook 83): the account manager cannot own a POC; the first item is
    the request for presales resources, whatever else the plan holds. A team that has its
    solution manager is not told to request one."""
    plan = analyse(skeptical_cio_chain(Stage.PROPOSAL, staffed=False), NOW).plan
    first = plan[0]
    assert (first.action_key, first.target_person_id, first.owner_member_id) == (
        "request_solution_manager",
        None,
        "am",
    )
    assert first.expected_gain > 0
    assert first.rationale_en.startswith("Nobody on our team owns the solution")
    staffed = analyse(skeptical_cio_chain(Stage.PROPOSAL, staffed=True), NOW).plan
    assert all(s.action_key != "request_solution_manager" for s in staffed)


def test_the_roi_workshop_goes_first_to_the_finance_head_who_objected_to_our_price() -> None:
    """A sales leader (cases 93 and 94): the finance head voiced the only price objection, holds
    the budget and is of high influence, so the ROI workshop with her comes before the one with
    procurement, who runs the tender but never objected. Her objection counts in full until it
    is answered, the budget holders' price is never read above hers, and a procurement officer
    who never objected counts about half of an objection: warming procurement up on price does
    not answer her."""
    only_roi = Playbook((default_playbook().get("roi_workshop"),))
    for prefix in ("93_", "94_"):
        case = _case(prefix)
        alone = {
            _short(s.target_person_id): s.expected_gain
            for s in analyse(case.snapshot, NOW_MS, playbook=only_roi).plan
        }
        assert alone["fin"] > alone["proc"], alone
        roi = [target for key, target, _ in _plays(case) if key == "roi_workshop"]
        assert roi[0] == "fin", roi


def test_procurement_s_push_on_price_is_answered_as_haggling_not_as_neglect() -> None:
    """A sales director (case 103): procurement pushing on our price two days ago is doing his
    job; a plan that says he "pushed back on our price and has had no answer" reads as if we
    had left him waiting. The play that answers him says it as what it is."""
    plan = analyse(_case("103_").snapshot, NOW_MS).plan
    on_proc = [s for s in plan if _short(s.target_person_id) == "proc"]
    assert on_proc, [(s.action_key, s.target_person_id) for s in plan]
    said = " ".join(s.rationale_en for s in on_proc)
    assert "pushed on our price, as procurement does, and we have not answered it yet" in said
    assert "has had no answer" not in said
    assert "按采购惯例对我方价格压价，我方尚未回应" in " ".join(s.rationale_zh for s in on_proc)


def test_the_step_on_an_objection_to_a_quote_since_cut_is_to_put_the_new_quote_to_them() -> None:
    """A sales leader: the CFO objected to our CNY 2.1m quote; we cut it to 1.8m and nobody has
    taken it to him. The plan's first step answers his objection, and says it is the re-cut
    quote he has not seen; with the quote unchanged it is an objection with no answer."""

    def first(quote: int) -> Suggestion:
        said = act(
            "o",
            "cfo",
            35,
            Outcome.NEGATIVE,
            type=ActivityType.PRICING_DISCUSSION,
            price_reaction=Outcome.NEGATIVE,
        )
        moves = [QuoteMove(None, 210_000_000, NOW - 60 * DAY)]
        if quote != 210_000_000:
            moves.append(QuoteMove(210_000_000, quote, NOW - 16 * DAY))
        chain = snap(
            dm(attitude=Attitude.SUPPORTER),
            member("cfo", DecisionRole.FINANCE, InfluenceLevel.HIGH),
            activities=[said, act("v", "dm", 10)],
            team_knows=[knows("dm", "am", TieStrength.STRONG)],
            opportunity=opp(
                stage=Stage.PROPOSAL,
                quote_amount=quote,
                budget=190_000_000,
                quote_moves=tuple(moves),
            ),
        )
        return analyse(chain, NOW).plan[0]

    cut = first(180_000_000)
    assert cut.target_person_id == "cfo"
    assert cut.addresses == "price"
    assert cut.rationale_en.startswith(
        "CFO (Finance) pushed back on our price, and our re-cut quote has not been put to them yet"
    )
    assert cut.rationale_zh.startswith(
        "CFO（财务）曾对我方价格提出异议，我方调整后的报价尚未向其呈现"
    )
    same = first(210_000_000)
    assert same.target_person_id == "cfo"
    assert same.rationale_en.startswith(
        "CFO (Finance) pushed back on our price and has had no answer"
    )
    raised = first(230_000_000)
    assert "re-cut" not in raised.rationale_en


@pytest.mark.parametrize(
    ("stage", "days", "quiet"),
    [
        (Stage.PROPOSAL, 35, True),
        (Stage.PROPOSAL, 14, False),
        (Stage.VALUE_PRESENTATION, 35, False),
    ],
)
def test_the_step_with_a_budget_holder_gone_quiet_says_so_and_is_due_within_a_week(
    stage: Stage, days: int, quiet: bool
) -> None:
    """A sales leader, asked before the tool's answer: the CFO who holds the budget not
    contacted for five weeks at the proposal, while the IT head and the user department are met
    weekly. Within a week the account manager books a meeting with him: his budget and price
    position is unverified. Within the stage's limit, or before a quote is before him, the step
    reads as any other."""
    chain = snap(
        dm(attitude=Attitude.SUPPORTER),
        member("cfo", DecisionRole.FINANCE, InfluenceLevel.HIGH),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        member("user", DecisionRole.BUSINESS_EVALUATOR, InfluenceLevel.MEDIUM, Attitude.SUPPORTER),
        opportunity=opp(stage=stage, budget=2_000_000, quote_amount=1_900_000),
        reports_to=[tie("it", "dm"), tie("cfo", "dm"), tie("user", "dm")],
        team_knows=[knows("dm"), knows("it"), knows("user"), knows("cfo")],
        activities=[
            act("a1", "dm", 10),
            act("a2", "it", 3),
            act("a3", "user", 5),
            act("a4", "cfo", days),
        ],
    )
    on_cfo = [s for s in analyse(chain, NOW).plan if s.target_person_id == "cfo"]
    said = [s for s in on_cfo if s.rationale_en.startswith("We have not spoken with CFO")]
    if not quiet:
        assert said == []
        return
    (step,) = said
    assert step.addresses == "closeness"
    assert step.owner_role is TeamRole.ACCOUNT_MANAGER
    assert step.due_date == "2026-01-08"  # a week from now
    assert step.rationale_en == (
        "We have not spoken with CFO (Finance) for 35 days, longer than the 21 days allowed at "
        "Proposal and quotation: their budget and price position is unverified"
    )
    assert step.rationale_zh == (
        "我方已有35天未与CFO（财务）沟通，超过方案与报价阶段21天的上限：其预算与价格立场未经确认"
    )


@pytest.mark.parametrize("accepted", ["reference_visit", "roi_workshop", "executive_visit"])
def test_a_planned_step_that_waits_on_an_introduction_brings_it_to_the_top(accepted: str) -> None:
    """A sales leader, before looking at the engine: a reference visit or a price workshop
    with a decision maker nobody of ours knows cannot happen until someone introduces us; once
    it is in the plan, the introduction is what blocks committed work, so it is the first
    thing to do (after any compliance duty), whatever it adds by itself, and it says which
    step of the plan needs it. Before, the accepted step kept its "after the introduction"
    reason while the introduction ranked by its own gain, or, worth little alone, dropped out
    of the list altogether (casebook 02 below)."""
    chain = dataclasses.replace(unknown_dm_deal(), planned=(PlannedPlay(accepted, "dm"),))
    plan = analyse(chain, NOW).plan
    first = plan[0]
    assert (first.action_key, first.target_person_id) == ("warm_introduction", "dm")
    title = default_playbook().get(accepted)
    assert first.rationale_en.endswith(
        f"It comes first: the plan's next step with DM needs it ({title.title_en})."
    )
    assert first.rationale_zh.endswith(
        f"此步在前：计划中与DM的下一步（{title.title_zh}）需要先有此引荐。"
    )
    assert accepted not in {s.action_key for s in plan if s.target_person_id == "dm"}


def test_an_introduction_worth_next_to_nothing_is_listed_when_a_planned_step_needs_it() -> None:
    """Casebook 02 with the neutralising of the IT director accepted: the introduction to
    him, worth less than the plan's floor alone, still comes first."""
    (incumbent,) = [c for c in load_cases() if c.key.startswith("02_")]
    planned = (PlannedPlay("neutralise_competitor_ally", "kp-itd"),)
    listing = dataclasses.replace(default_config().plan, max_per_person=1)
    config = dataclasses.replace(default_config(), plan=listing)
    plan = analyse(dataclasses.replace(incumbent.snapshot, planned=planned), NOW_MS, config).plan
    assert (plan[0].action_key, plan[0].target_person_id) == ("warm_introduction", "kp-itd")
    assert plan[0].expected_gain < default_config().plan.min_gain


def _stranger_in_finance(stage: Stage = Stage.PROPOSAL) -> ChainSnapshot:
    """A submitted quote above the budget; 周敏 in finance, whom nobody of ours knows and
    nobody can introduce us to, has price concerns."""
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("zm", DecisionRole.FINANCE, InfluenceLevel.HIGH, Attitude.NEUTRAL),
        member("te", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        persons=[PersonFacts("dm", "DM"), PersonFacts("zm", "周敏"), PersonFacts("te", "TE")],
        team_knows=[knows("dm"), knows("te")],
        activities=[act("a1", "dm", 5), act("a2", "te", 5)],
        opportunity=opp(
            stage=stage,
            quote_status=QuoteStatus.SUBMITTED,
            budget=900_000,
            quote_amount=1_000_000,
            delivery_reviewed=True,
        ),
    )


def test_nobody_talks_price_with_someone_nobody_of_ours_has_met() -> None:
    """A sales leader, before looking at the engine: meet before you negotiate price. A price
    workshop with someone nobody of ours knows gets a price list and a polite no; the first
    step with her is the relationship visit, and the workshop waits until one of ours has met
    her. Before, the plan held the price workshop with 周敏 first and the visit after it. In
    the negotiation itself the price talk is the meeting the buyer calls, and it stays."""
    on_zm = [
        s.action_key
        for s in analyse(_stranger_in_finance(), NOW).plan
        if s.target_person_id == "zm"
    ]
    assert on_zm == ["relationship_visit"]
    met = dataclasses.replace(
        _stranger_in_finance(),
        activities=(*_stranger_in_finance().activities, act("v", "zm", 3, Outcome.NEUTRAL)),
    )
    assert "roi_workshop" in {
        s.action_key for s in analyse(met, NOW).plan if s.target_person_id == "zm"
    }
    negotiation = analyse(_stranger_in_finance(Stage.NEGOTIATION), NOW, listing_all()).plan
    assert "roi_workshop" in {s.action_key for s in negotiation if s.target_person_id == "zm"}


def test_a_first_meeting_already_planned_is_not_doubled_by_the_one_an_introduction_opens() -> None:
    """A sales leader: with a visit to the decision maker in the plan, the introduction through
    the head of IT opens the door to it; our executive's visit that the introduction would
    otherwise bring is a second first meeting beside it. One first meeting at a time; a play
    that does another job with him (our solution) keeps its place."""
    chain = snap(
        dm(),
        member("it", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SUPPORTER),
        person_knows=[tie("it", "dm", TieStrength.STRONG)],
        team_knows=[knows("it", level=TieStrength.STRONG)],
        activities=[act("a", "it", 5)],
        opportunity=opp(stage=Stage.VALUE_PRESENTATION),
    )
    before = [
        (s.action_key, s.addresses) for s in analyse(chain, NOW).plan if s.target_person_id == "dm"
    ]
    assert ("executive_visit", "closeness") in before  # opened by the introduction
    planned = dataclasses.replace(chain, planned=(PlannedPlay("relationship_visit", "dm"),))
    after = [s for s in analyse(planned, NOW).plan if s.target_person_id == "dm"]
    assert [s.action_key for s in after if s.addresses == "closeness" and s.warm_path is None] == []
    assert "warm_introduction" in [s.action_key for s in after]
    assert any(s.addresses == "solution" for s in after)


def test_a_meeting_an_introduction_opens_follows_it_taken_on_and_waits_with_it_dropped() -> None:
    """A sales director: the introduction to the decision maker and our executive's visit it
    opens are one step. Once the team took the introduction on, the visit is still the plan's
    next step with him (the introduction is not suggested twice); while the team has dropped
    the introduction ("not now"), the visit waits with it: it cannot be done first."""

    def plays(chain: ChainSnapshot) -> list[tuple[str, str | None]]:
        return [(s.action_key, s.target_person_id) for s in analyse(chain, NOW).plan]

    intro, visit = ("warm_introduction", "dm"), ("executive_visit", "dm")
    fresh = plays(deal())
    assert fresh.index(visit) == fresh.index(intro) + 1
    taken_on = plays(dataclasses.replace(deal(), planned=(PlannedPlay(*intro),)))
    assert visit in taken_on
    assert intro not in taken_on
    put_off = DroppedPlay(*intro, NOW - DAY, DropReason.TIMING, "2026-02-01")
    waiting = plays(dataclasses.replace(deal(), dropped=(put_off,)))
    assert intro not in waiting
    assert visit not in waiting
