from __future__ import annotations

from builders import NOW, RIVAL, act, chains, dm, knows, member, snap, tie
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.chain import ChainSnapshot
from domain.vocabulary import (
    ActivityType,
    Attitude,
    DecisionRole,
    InfluenceLevel,
    Outcome,
    TieStrength,
)
from strategy.whatif import (
    AddActivity,
    CompetitorWinsAlly,
    PersonLeaves,
    RaiseCloseness,
    SetAttitude,
    what_if,
)


def base() -> ChainSnapshot:
    return snap(
        dm(),
        member("te", DecisionRole.TECHNICAL_EVALUATOR),
        member("u"),
        reports_to=[tie("te", "dm"), tie("u", "te")],
        influences=[tie("u", "dm")],
        team_knows=[knows("te"), knows("u")],
        activities=[act("a1", "te"), act("a2", "u")],
        competitors=[RIVAL],
    )


def test_input_is_never_mutated() -> None:
    chain = base()
    copy = base()
    what_if(chain, [PersonLeaves("te"), SetAttitude("dm", Attitude.CHAMPION)], NOW)
    assert chain == copy


def test_competitor_winning_the_decision_maker_lowers_our_chances() -> None:
    result = what_if(base(), [CompetitorWinsAlly("rival", "dm", TieStrength.VERY_STRONG)], NOW)
    assert result.delta_win_likelihood < 0
    assert result.delta_support < 0
    dm_delta = next(d for d in result.person_deltas if d.person_id == "dm")
    assert dm_delta.closeness < 0


def test_champion_decision_maker_raises_our_chances() -> None:
    result = what_if(base(), [SetAttitude("dm", Attitude.CHAMPION)], NOW)
    assert result.delta_win_likelihood > 0
    assert result.delta_questions["can_win"] > 0


def test_person_leaving_disappears_from_chain_and_edges() -> None:
    result = what_if(base(), [PersonLeaves("te")], NOW)
    assert result.after.scores_of("te") is None
    assert {i.person_id for i in result.after.analysis.influence} == {"dm", "u"}
    assert result.before.scores_of("te") is not None


def test_raise_closeness_never_lowers_an_existing_tie() -> None:
    chain = snap(member("p"), team_knows=[knows("p", level=TieStrength.VERY_STRONG)])
    result = what_if(chain, [RaiseCloseness("am", "p", TieStrength.WEAK)], NOW)
    assert result.delta_win_likelihood == 0
    assert result.after == result.before


closeness_moves = st.one_of(
    st.builds(
        RaiseCloseness,
        st.sampled_from(["am", "sm", "dlm", "lead"]),
        st.sampled_from([f"p{i}" for i in range(6)]),
        st.sampled_from(TieStrength),
    ),
    # A contact of the last two weeks: an older one may date the silence since we last spoke
    # with a coach or a champion (test_an_old_contact_with_a_coach_dates_the_silence).
    st.builds(
        lambda pid, days, outcome, kind: AddActivity(act("new", pid, days, outcome, kind)),
        st.sampled_from([f"p{i}" for i in range(6)]),
        st.floats(0, 14),
        st.sampled_from([Outcome.NEUTRAL, Outcome.POSITIVE, Outcome.VERY_POSITIVE]),
        st.sampled_from(ActivityType),
    ),
)


@settings(max_examples=150, deadline=None)
@given(chains(), closeness_moves)
def test_raising_our_closeness_never_lowers_the_win_likelihood(
    chain: ChainSnapshot, move: RaiseCloseness | AddActivity
) -> None:
    result = what_if(chain, [move], NOW)
    assert result.delta_win_likelihood >= 0
    for d in result.person_deltas:
        assert d.closeness >= 0


def test_an_old_contact_with_a_coach_dates_the_silence() -> None:
    """A sales leader: a coach known to us with no contact logged is taken at their word; the
    log of a call two months ago says we have not spoken since, and their guidance is stale."""
    coach = member("c", DecisionRole.COACH, InfluenceLevel.LOW, Attitude.SUPPORTER)
    chain = snap(dm(), coach, team_knows=[knows("dm"), knows("c")], activities=[act("v", "dm", 3)])
    old = what_if(chain, [AddActivity(act("old", "c", 62, type=ActivityType.CALL))], NOW)
    assert old.delta_win_likelihood < 0
    recent = what_if(chain, [AddActivity(act("new", "c", 2, type=ActivityType.CALL))], NOW)
    assert recent.delta_win_likelihood >= 0
