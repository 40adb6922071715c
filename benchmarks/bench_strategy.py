"""Benchmark of the strategy engine (a script, not a test).

Full analysis (scores + analysis + assessment + plan) on seeded random 50/500/5,000-person
chains, and warm-path queries on a seeded 100k-person KNOWS graph. Goals: 500 persons <= 50 ms,
warm path <= 50 ms (median).

    .venv/bin/python benchmarks/bench_strategy.py
"""

from __future__ import annotations

import functools
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one

from domain.chain import (  # noqa: E402
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    PersonFacts,
    PersonTie,
    TeamAssignment,
    TeamKnows,
)
from domain.vocabulary import (  # noqa: E402
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    Grade,
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
from strategy.config import StrategyConfig, default_config  # noqa: E402
from strategy.engine import analyse  # noqa: E402
from strategy.playbook import Playbook, default_playbook  # noqa: E402
from strategy.warm_paths import WarmGraphInput, build_warm_graph, warm_paths  # noqa: E402

NOW = 1_767_225_600_000
DAY = 86_400_000
TEAM = tuple(
    TeamAssignment(f"t{i}", f"Member {i}", role, LifecyclePhase.DEAL)
    for i, role in enumerate(
        [
            TeamRole.ACCOUNT_MANAGER,
            TeamRole.SOLUTION_MANAGER,
            TeamRole.DELIVERY_MANAGER,
            TeamRole.LEAD_EXPERT,
            TeamRole.SERVICE_MANAGER,
        ]
    )
)


def chain(n: int, seed: int) -> ChainSnapshot:
    """A random chain of n persons: an org tree, informal influence, ties, activities, rivals."""
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(n)]
    members = [
        MemberFacts("p0", DecisionRole.DECISION_MAKER, InfluenceLevel.DECISIVE, Attitude.NEUTRAL)
    ]
    # A compliance supervisor is one person in a real chain, not one in ten: the draw keeps to
    # the roles that can be many, so the chain stays the same one as before that role existed.
    roles = [
        r for r in DecisionRole if r not in (DecisionRole.DECISION_MAKER, DecisionRole.SUPERVISOR)
    ]
    for pid in ids[1:]:
        members.append(
            MemberFacts(
                pid,
                rng.choice(roles),
                rng.choice(list(InfluenceLevel)[:3]),
                rng.choice(list(Attitude)),
                needs_fit=rng.choice(list(NeedsFit)),
            )
        )
    strengths = list(TieStrength)
    reports = [PersonTie(ids[i], ids[rng.randrange(max(1, i // 3 + 1))]) for i in range(1, n)]
    influences = [
        PersonTie(rng.choice(ids), rng.choice(ids), rng.choice(strengths)) for _ in range(n // 2)
    ]
    person_knows = [
        PersonTie(rng.choice(ids), rng.choice(ids), rng.choice(strengths)) for _ in range(n)
    ]
    team_knows = [
        TeamKnows(rng.choice(TEAM).member_id, rng.choice(ids), rng.choice(strengths))
        for _ in range(max(3, n // 3))
    ]
    activities = [
        ActivityFacts(
            f"a{i}",
            rng.choice(list(ActivityType)),
            NOW - rng.randrange(0, 300) * DAY,
            rng.choice(list(Outcome)),
            solution_reaction=rng.choice([None, *Outcome]),
            price_reaction=rng.choice([None, None, *Outcome]),
            member_ids=(rng.choice(TEAM).member_id,),
            person_ids=tuple(rng.sample(ids, min(n, rng.randint(1, 2)))),
        )
        for i in range(2 * n)
    ]
    competitors = (
        CompetitorFacts("c1", "Rival One", CompetitivePosition.EVEN, PricePosition.LOWER),
        CompetitorFacts("c2", "Rival Two", CompetitivePosition.TRAILING, PricePosition.SIMILAR),
    )
    ties = [
        CompetitorTie(rng.choice(["c1", "c2"]), rng.choice(ids), rng.choice(strengths))
        for _ in range(max(1, n // 10))
    ]
    opp = OpportunityFacts(
        "o1",
        "Bench deal",
        "cust",
        "Customer",
        Stage.PROPOSAL,
        Grade.A,
        5_000_000,
        "CNY",
        budget=4_500_000,
        quote_amount=5_200_000,
        quote_status=QuoteStatus.DRAFT,
        expected_close_date="2026-05-01",
        presales_cost=200_000,
        delivery_cost=3_000_000,
    )
    return ChainSnapshot(
        opp,
        persons=tuple(PersonFacts(p, f"Person {p}") for p in ids),
        members=tuple(members),
        reports_to=tuple(reports),
        influences=tuple(influences),
        person_knows=tuple(person_knows),
        team=TEAM,
        team_knows=tuple(team_knows),
        competitors=competitors,
        competitor_ties=tuple(ties),
        activities=tuple(activities),
    )


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def with_plan(snapshot: ChainSnapshot, config: StrategyConfig, playbook: Playbook) -> None:
    """The full analysis: the work plan is made when it is first read."""
    _ = analyse(snapshot, NOW, config, playbook=playbook).plan


def bench_analysis() -> None:
    config, playbook = default_config(), default_playbook()
    for n, runs in ((50, 50), (500, 20), (5_000, 5)):
        snapshot = chain(n, seed=n)
        full = functools.partial(with_plan, snapshot, config, playbook)
        full()  # warm-up
        ms = timed(full, runs)
        print(
            f"full analysis  {n:>6} persons: median {statistics.median(ms):8.1f} ms"
            f"  p99 {p99(ms):8.1f} ms  ({runs} runs)"
        )


def bench_warm_paths(n: int = 100_000, queries: int = 30) -> None:
    rng = random.Random(7)
    strengths = list(TieStrength)
    ids = [f"p{i}" for i in range(n)]
    person_knows = [
        PersonTie(ids[i], ids[rng.randrange(n)], rng.choice(strengths))
        for i in range(n)
        for _ in range(3)
    ]
    reports = [PersonTie(ids[i], ids[rng.randrange(max(1, i // 5 + 1))]) for i in range(1, n)]
    team_knows = [
        TeamKnows(f"t{rng.randrange(10)}", rng.choice(ids), rng.choice(strengths))
        for _ in range(300)
    ]
    avoid = frozenset(rng.sample(ids, n // 100))
    data = WarmGraphInput(team_knows, person_knows, reports, (), avoid)
    start = time.perf_counter()
    graph = build_warm_graph(data)
    build_ms = (time.perf_counter() - start) * 1000
    targets = rng.sample(ids, queries)
    found = 0
    ms: list[float] = []
    for target in targets:
        start = time.perf_counter()
        paths = warm_paths(graph, target, limit=3, max_depth=4)
        ms.append((time.perf_counter() - start) * 1000)
        found += bool(paths)
    print(
        f"warm paths {n} persons, {len(person_knows) + len(reports)} ties: build {build_ms:.0f} ms"
        f" once; query (limit 3, depth 4) median {statistics.median(ms):.1f} ms, p99 {p99(ms):.1f}"
        f" ms; {found}/{queries} targets reachable"
    )


if __name__ == "__main__":
    bench_analysis()
    bench_warm_paths()
