from __future__ import annotations

import dataclasses

from builders import NOW, close_to, dm, knows, member, snap, tie

from domain.chain import ChainSnapshot, TeamAssignment
from domain.vocabulary import Attitude, LifecyclePhase, TeamRole, TieStrength
from strategy.engine import analyse
from strategy.warm_paths import (
    WarmGraphInput,
    build_warm_graph,
    input_from_snapshot,
    warm_paths,
)

STRONG, MODERATE, WEAK = TieStrength.STRONG, TieStrength.MODERATE, TieStrength.WEAK


def shortcut_chain(ally_level: TieStrength = TieStrength.STRONG) -> ChainSnapshot:
    """am -STRONG- x -STRONG- dm is short; am -WEAK- y - z - dm is longer. x is a rival's ally."""
    return snap(
        dm(),
        member("x"),
        member("y"),
        member("z"),
        team_knows=[knows("x", level=STRONG), knows("y", level=WEAK)],
        person_knows=[tie("x", "dm", STRONG), tie("y", "z"), tie("z", "dm")],
        competitor_ties=[close_to("x", level=ally_level)],
    )


def test_warm_path_avoids_a_competitors_ally_even_when_shorter() -> None:
    (path,) = warm_paths(input_from_snapshot(shortcut_chain()), "dm", limit=1)
    assert path.via_person_ids == ("y", "z")
    assert path.team_member_id == "am"
    assert [h.to_id for h in path.hops] == ["y", "z", "dm"]
    assert path.hops[0].from_is_team
    assert "Y" in path.text_en
    assert "Z" in path.text_zh
    # a weak rival tie puts x in no camp: the short path through x is taken
    (short,) = warm_paths(input_from_snapshot(shortcut_chain(WEAK)), "dm", limit=1)
    assert short.via_person_ids == ("x",)
    assert short.cost < path.cost


def test_opponents_are_avoided_too() -> None:
    chain = snap(
        dm(),
        member("x", attitude=Attitude.OPPONENT),
        team_knows=[knows("x", level=STRONG)],
        person_knows=[tie("x", "dm", STRONG)],
    )
    assert warm_paths(input_from_snapshot(chain), "dm") == ()


def test_depth_limit_and_several_paths() -> None:
    data = input_from_snapshot(shortcut_chain(WEAK))
    graph = build_warm_graph(data)
    both = warm_paths(graph, "dm", limit=5, max_depth=3)
    assert [p.via_person_ids for p in both] == [("x",), ("y", "z")]
    assert [p.via_person_ids for p in warm_paths(graph, "dm", limit=5, max_depth=2)] == [("x",)]
    assert warm_paths(graph, "dm", limit=5, max_depth=1) == ()


def test_direct_acquaintance_and_unknown_target() -> None:
    data = WarmGraphInput(
        team_knows=[knows("t", "sm", STRONG)],
        reports_to=[tie("t", "boss")],
        team_names={"sm": "Han Mei"},
    )
    (direct,) = warm_paths(data, "t")
    assert direct.via_person_ids == ()
    assert direct.text_en.startswith("Han Mei already knows")
    (via_boss,) = warm_paths(data, "boss")
    assert via_boss.hops[-1].kind == "REPORTS_TO"  # introductions use the org chart both ways
    assert warm_paths(data, "nobody") == ()


def test_a_reporting_line_beside_a_tie_they_have_reads_as_that_tie() -> None:
    """A sales director on the demo: the introduction said 孙丽华 and 周建国 "share only the
    reporting line" while the chain records that they know each other moderately. The hop
    is the line's (it is cheaper), and what thins it is the tie they have; a weak tie beside
    the line leaves it the line (it counts as moderate)."""

    def last_hop(level: TieStrength, kind: str = "KNOWS") -> tuple[str, TieStrength | None]:
        ties = [tie("sun", "boss", level)]
        data = WarmGraphInput(
            team_knows=[knows("sun", "am", STRONG)],
            reports_to=[tie("sun", "boss")],
            person_knows=ties if kind == "KNOWS" else (),
            influences=ties if kind == "INFLUENCES" else (),
        )
        (path,) = warm_paths(data, "boss")
        return path.hops[-1].kind, path.hops[-1].strength

    assert last_hop(MODERATE) == ("REPORTS_TO", MODERATE)
    assert last_hop(MODERATE, "INFLUENCES") == ("REPORTS_TO", MODERATE)
    assert last_hop(WEAK) == ("REPORTS_TO", None)
    assert last_hop(STRONG) == ("KNOWS", STRONG)


def test_extra_avoid_set_is_honoured() -> None:
    data = input_from_snapshot(shortcut_chain(WEAK))
    (path,) = warm_paths(data, "dm", limit=1, avoid=frozenset({"x"}))
    assert path.via_person_ids == ("y", "z")


def test_a_path_never_goes_through_the_core_of_a_competitors_camp() -> None:
    """A sales leader: asking someone for an introduction tells them our plan. Someone the
    screen lists in a competitor's core camp (a moderate tie is a working relationship with
    them) passes it on or steers the meeting, so the path goes round them, as round an ally."""
    chain = shortcut_chain(MODERATE)
    (camp,) = analyse(chain, NOW, include_plan=False).analysis.camps
    assert "x" in camp.core_ids
    (path,) = warm_paths(input_from_snapshot(chain), "dm", limit=1)
    assert path.via_person_ids == ("y", "z")


def test_nobody_introduces_us_over_their_own_managers_head() -> None:
    """A sales leader (case 68): the head nurse knows the vice dean, but her boss, the director
    of nursing, reports to him; a vendor she takes to her boss's boss makes an opponent of the
    boss she bypassed. The way up runs through the director: she introduces us, who reports to
    the vice dean herself."""
    chain = snap(
        dm("vd"),
        member("nd"),
        member("hn", attitude=Attitude.CHAMPION),
        team_knows=[knows("hn", level=STRONG)],
        reports_to=[tie("hn", "nd"), tie("nd", "vd")],
        person_knows=[tie("hn", "vd", MODERATE), tie("hn", "nd", STRONG)],
    )
    paths = warm_paths(input_from_snapshot(chain), "vd", limit=3)
    assert paths
    assert all(p.via_person_ids[-1] == "nd" for p in paths), [p.text_en for p in paths]
    # her own boss she may introduce us to; and with no boss between, the vice dean too
    assert warm_paths(input_from_snapshot(chain), "nd", limit=1)[0].via_person_ids == ("hn",)
    flat = dataclasses.replace(chain, reports_to=(tie("nd", "vd"),))
    direct = warm_paths(input_from_snapshot(flat), "vd", limit=3)
    assert ("hn",) in [p.via_person_ids for p in direct]


def test_the_introduction_says_which_of_two_of_ours_with_one_name_should_ask() -> None:
    """Two 王伟 on our team: the one who knows the technical evaluator asks for the
    introduction, and the text says which, in each language's words; a unique name stays
    bare."""
    team = (
        TeamAssignment("wang-am", "王伟", TeamRole.ACCOUNT_MANAGER, LifecyclePhase.DEAL),
        TeamAssignment("wang-sm", "王伟", TeamRole.SOLUTION_MANAGER, LifecyclePhase.DEAL),
        TeamAssignment("zhou", "周强", TeamRole.DELIVERY_MANAGER, LifecyclePhase.DEAL),
    )
    chain = snap(
        dm(),
        member("te"),
        team=team,
        apart=(("wang-am", "Key Account Manager"), ("wang-sm", "Solution Architect")),
        team_knows=[knows("te", "wang-sm", STRONG)],
        person_knows=[tie("te", "dm", STRONG)],
    )
    (path,) = warm_paths(input_from_snapshot(chain), "dm", limit=1)
    assert path.text_en == "王伟 (Solution Architect) should ask TE to introduce us to DM."
    assert path.text_zh == "由王伟（Solution Architect）请TE引荐给DM。"
    intro = next(s for s in analyse(chain, NOW).plan if s.action_key == "warm_introduction")
    assert "王伟 (Solution Architect) should ask TE" in intro.rationale_en
    assert "由王伟（Solution Architect）请TE引荐给DM" in intro.rationale_zh
    alone = dataclasses.replace(chain, team=team[1:], apart=(("wang-sm", "Solution Architect"),))
    (bare,) = warm_paths(input_from_snapshot(alone), "dm", limit=1)
    assert bare.text_en == "王伟 should ask TE to introduce us to DM."
