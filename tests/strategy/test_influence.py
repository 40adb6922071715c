from __future__ import annotations

import math

import numpy as np
from builders import chains, dm, member, snap, tie
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.chain import ChainSnapshot
from domain.vocabulary import InfluenceLevel, TieStrength
from strategy.config import default_config
from strategy.influence import _converged, _walk, _walk_numpy, effective_influence

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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39), st.floats(0.1, 1.0)), max_size=80),
)
def test_vectorised_walk_gives_the_same_bits(
    declared: list[float], edges: list[tuple[int, int, float]]
) -> None:
    n = len(declared)
    total = sum(declared)
    personal = [d / total if total else 1.0 / n for d in declared]
    succ: list[dict[int, float]] = [{} for _ in range(n)]
    for u, v, w in edges:
        if u < n and v < n and u != v:
            succ[u][v] = succ[u].get(v, 0.0) + w
    out = [[(j, w / sum(s.values())) for j, w in sorted(s.items())] for s in succ]
    alpha, iterations, tolerance = CFG.influence.alpha, CFG.influence.max_iterations, 1e-12
    assert _walk_numpy(personal, out, alpha, iterations, tolerance) == _walk(
        personal, out, alpha, iterations, tolerance
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(0.0, 1e-6) | st.floats(0.0, 1.0), min_size=1, max_size=600),
    st.integers(-3, 3),
)
def test_the_convergence_test_decides_as_the_sequential_sum(
    changes: list[float], steps: int
) -> None:
    """NumPy's quick sum decides only when it cannot disagree with the loop's ordered sum."""
    exact = sum(changes)
    tolerance = exact
    for _ in range(abs(steps)):
        tolerance = math.nextafter(tolerance, math.inf if steps > 0 else -math.inf)
    if tolerance > 0:
        assert _converged(np.array(changes), tolerance) == (exact < tolerance)
        far = 2 * exact + 1e-300
        assert _converged(np.array(changes), far) == (exact < far)
