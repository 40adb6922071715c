from __future__ import annotations

import math

from builders import chains, dm, member, snap, tie
from hypothesis import given, settings

from domain.chain import ChainSnapshot
from domain.vocabulary import InfluenceLevel, TieStrength
from strategy.config import default_config
from strategy.influence import effective_influence

CFG = default_config()


@settings(max_examples=100, deadline=None)
@given(chains())
def test_effective_influence_is_a_distribution_over_members(chain: ChainSnapshot) -> None:
    result = effective_influence(chain, CFG)
    assert set(result.effective) == {m.person_id for m in chain.members}
    assert math.isclose(sum(result.effective.values()), 1.0)
    assert all(v >= 0 for v in result.effective.values())


def test_informal_adviser_of_the_decision_maker_gains_weight() -> None:
    low = InfluenceLevel.LOW
    chain = snap(
        dm(),
        member("adviser", influence=low),
        member("bystander", influence=low),
        influences=[tie("adviser", "dm", TieStrength.STRONG)],
    )
    result = effective_influence(chain, CFG)
    assert result.declared["adviser"] == result.declared["bystander"]
    assert result.effective["adviser"] > result.effective["bystander"]
    assert result.effective["adviser"] > result.declared["adviser"]


def test_manager_gains_from_subordinates() -> None:
    chain = snap(
        member("boss"),
        member("peer"),
        member("a"),
        member("b"),
        reports_to=[tie("a", "boss"), tie("b", "boss")],
    )
    result = effective_influence(chain, CFG)
    # subordinates pass weight up to their manager; an unconnected peer keeps only their own
    assert result.effective["boss"] > result.effective["peer"]
    assert result.effective["boss"] > result.effective["a"] + result.effective["b"]


def test_people_outside_the_chain_relay_but_get_no_share() -> None:
    chain = snap(dm(), member("u"), influences=[tie("outsider", "dm"), tie("u", "outsider")])
    result = effective_influence(chain, CFG)
    assert "outsider" not in result.effective
    assert math.isclose(sum(result.effective.values()), 1.0)
