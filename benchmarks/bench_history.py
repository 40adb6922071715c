"""Benchmark: a 100-person decision chain with a year of history, read as of past instants.

The chain is written through the store's own write operations at controlled times, the way
the API writes it (every write with its audit entry): in the first month the customer, the
100 people, their reporting tree, influence, our team's and the rivals' ties; then every week
of a year two activities, two attitude changes, a tie that grows or cools, now and then a
member leaving and another joining, and the stage moving through the gates. Printed, medians
of one run:

* the present-day chain read (``graph.chains.load_decision_chain``) and the same chain as of
  mid-year and as of a month ago (``graph.history.load_chain_as_of``: the audit entries read
  and replayed), with the ratio as-of / present (goal <= 3);
* the same over GraphQL in process (Starlette's test client, no network, no authentication):
  ``decisionChain`` now and ``decisionChain(asOf:)``;
* ``changes(from:, to:)`` over the last quarter, ``changesBetweenStages`` and
  ``likelihoodHistory`` (the trend replays and scores the chain at every change).

    .venv/bin/python benchmarks/bench_history.py [--runs 30] [--store neo4j]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j_process import PASSWORD, USER, Neo4jProcess  # noqa: E402

from dealgraph.app import create_app  # noqa: E402
from dealgraph.settings import Settings  # noqa: E402
from domain.model import EdgeKind, NodeKind  # noqa: E402
from domain.vocabulary import Stage  # noqa: E402
from graph import process_store as ps  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.backends.neo4j import Neo4jExecutor  # noqa: E402
from graph.chains import load_decision_chain  # noqa: E402
from graph.executor import Executor  # noqa: E402
from graph.history import load_chain_as_of, load_chain_history  # noqa: E402
from graph.statements import AUDIT_LABEL  # noqa: E402
from graph.store import GraphStore  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

K, E = NodeKind, EdgeKind
PEOPLE = 100
DAY = 86_400_000
START = 1_767_225_600_000  # 2026-01-01T00:00:00Z
OPP = "hist-opp"
ROLES = ("DECISION_MAKER", "APPROVER", "TECHNICAL_EVALUATOR", "BUSINESS_EVALUATOR", "USER")
ATTITUDES = ("OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION")
LEVELS = ("WEAK", "MODERATE", "STRONG", "VERY_STRONG")
GATES = (Stage.INITIATE, Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION, Stage.PROPOSAL)


class Clock:
    """One millisecond per reading, moved to the day being written."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        self.now += 1
        return self.now

    def day(self, day: int) -> None:
        self.now = max(self.now, START + day * DAY)


def person(p: int) -> str:
    return f"hp{p:03d}"


def build(store: GraphStore, clock: Clock) -> int:
    """Write the deal and its year; returns the instant the year ends."""
    rng = random.Random(16)
    store.create(K.CUSTOMER, {"name": "Provincial Hospital Group"}, node_id="hist-cust")
    store.create_opportunity(
        "hist-cust", {"name": "Smart hospital", "amount": 8_000_000_000}, node_id=OPP
    )
    for m in range(5):
        store.create(K.TEAM_MEMBER, {"name": f"Member {m}"}, node_id=f"hm{m}")
        role = "ACCOUNT_MANAGER" if m == 0 else "SOLUTION_MANAGER"
        store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, f"hm{m}"), (K.OPPORTUNITY, OPP), {"role": role})
    for k in range(3):
        store.create(K.COMPETITOR, {"name": f"Rival {k}"}, node_id=f"hk{k}")
        store.set_edge(E.COMPETES_FOR, (K.COMPETITOR, f"hk{k}"), (K.OPPORTUNITY, OPP))
    members: dict[str, str] = {}
    for p in range(PEOPLE + 20):
        clock.day(p // 4)  # the first month: four people a day
        pid = person(p)
        store.create_key_person(
            "hist-cust",
            {"name": f"Person {p:03d}"},
            {"title": f"Title {p % 12}", "department": f"Dept {p % 7}"},
            node_id=pid,
        )
        if p:
            boss = person((p - 1) // 4)
            store.set_edge(E.REPORTS_TO, (K.KEY_PERSON, pid), (K.KEY_PERSON, boss))
            if p % 3 == 0:
                props = {"strength": "STRONG"}
                store.set_edge(E.INFLUENCES, (K.KEY_PERSON, pid), (K.KEY_PERSON, boss), props)
        if p < PEOPLE:
            role = ROLES[p % 5]
            members[pid] = role
            props = {"role": role, "attitude": ATTITUDES[p % 5], "needs": "uptime"}
            store.set_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, OPP), props)
            store.set_edge(
                E.KNOWS, (K.TEAM_MEMBER, f"hm{p % 5}"), (K.KEY_PERSON, pid), {"level": "WEAK"}
            )
            if p % 4 == 0:
                store.set_edge(E.CLOSE_TO, (K.COMPETITOR, f"hk{p % 3}"), (K.KEY_PERSON, pid))
    bench = [person(p) for p in range(PEOPLE, PEOPLE + 20)]
    for week in range(5, 53):
        clock.day(week * 7)
        for _ in range(2):
            who = rng.sample(sorted(members), 2)
            store.log_activity(
                {
                    "type": "VISIT",
                    "occurred_at": clock.now,
                    "summary": f"week {week}",
                    "outcome": rng.choice(("POSITIVE", "NEUTRAL", "NEGATIVE")),
                },
                person_ids=who,
                member_ids=[f"hm{week % 5}"],
                opportunity_id=OPP,
            )
        for pid in rng.sample(sorted(members), 2):
            props = {"role": members[pid], "attitude": rng.choice(ATTITUDES)}
            store.set_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, OPP), props)
        pid = rng.choice(sorted(members))
        store.set_edge(
            E.KNOWS,
            (K.TEAM_MEMBER, f"hm{int(pid[2:]) % 5}"),
            (K.KEY_PERSON, pid),
            {"level": rng.choice(LEVELS)},
        )
        if week % 4 == 0:  # one leaves, one joins
            gone = rng.choice(sorted(members))
            store.remove_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, gone), (K.OPPORTUNITY, OPP))
            role = members.pop(gone)
            bench.append(gone)
            joined = bench.pop(0)
            members[joined] = role
            store.set_edge(
                E.IN_DECISION_CHAIN, (K.KEY_PERSON, joined), (K.OPPORTUNITY, OPP), {"role": role}
            )
        if week % 12 == 0:
            opportunity = store.get(K.OPPORTUNITY, OPP)
            ps.advance_stage(
                store,
                opportunity=opportunity,
                to_stage=GATES[week // 12 - 1],
                reason=None,
                lost_to_competitor_id=None,
                member_id="hm0",
            )
    return clock.now


def median_ms(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def iso(instant: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(instant / 1000)) + "Z"


CHAIN = """query($id: ID!, $at: DateTime) { node(id: $id) { ... on Opportunity {
  decisionChain(asOf: $at) {
    members { person { id name title department } role influence attitude needs
      teamTies { member { name } level } competitorTies { competitor { name } level }
      lastContactAt }
    reportsTo { fromPerson { id } toPerson { id } }
    influences { fromPerson { id } toPerson { id } strength }
    competitors { competitor { name } position } team { member { name } role } } } } }"""
CHANGES = """query($id: ID!, $from: DateTime!, $to: DateTime) { node(id: $id) {
  ... on Opportunity { changes(from: $from, to: $to) { changes { kind text }
  winLikelihoodBefore winLikelihoodAfter movers { delta } } } } }"""
STAGES = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  changesBetweenStages(from: REQUIREMENTS, to: VALUE_PRESENTATION) {
    changes { kind text } } } } }"""
TREND = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  likelihoodHistory { at winLikelihood stageTransition } } } }"""


def run(executor: Executor, runs: int) -> None:
    clock = Clock()
    store = GraphStore(executor, clock=clock)
    store.ensure_schema()
    began = time.perf_counter()
    end = build(store, clock)
    entries = executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS n", {})[0]["n"]
    took = time.perf_counter() - began
    print(f"wrote the deal and its year: {entries} audit entries in {took:.0f} s")
    history = load_chain_history(store, OPP)
    assert history is not None
    print(f"entries of this chain: {len(history.entries)}")
    mid, late = START + 180 * DAY, end - 30 * DAY
    present = load_decision_chain(store, OPP)
    assert present is not None
    assert len(present.snapshot.members) == PEOPLE
    then = load_chain_as_of(store, OPP, end)
    assert then is not None
    assert then.snapshot == present.snapshot, "the replayed chain differs from today's"

    now_ms = median_ms(lambda: load_decision_chain(store, OPP), runs)
    mid_ms = median_ms(lambda: load_chain_as_of(store, OPP, mid), runs)
    late_ms = median_ms(lambda: load_chain_as_of(store, OPP, late), runs)
    print("\nstore level (median of one run)")
    print(f"  chain now                         {now_ms:8.1f} ms")
    print(f"  chain as of mid-year              {mid_ms:8.1f} ms   ratio {mid_ms / now_ms:.2f}")
    print(f"  chain as of a month ago           {late_ms:8.1f} ms   ratio {late_ms / now_ms:.2f}")

    settings = Settings(data_dir=Path(tempfile.gettempdir()), auth_required=False)
    app = create_app(settings, store=store)
    gid = "T3Bwb3J0dW5pdHk6aGlzdC1vcHA="  # Opportunity:hist-opp
    with TestClient(app) as client:

        def ask(query: str, **variables: Any) -> Callable[[], object]:
            def call() -> object:
                body = client.post(
                    "/graphql", json={"query": query, "variables": {"id": gid, **variables}}
                )
                answer = body.json()
                assert "errors" not in answer, answer
                return answer

            return call

        api_now = median_ms(ask(CHAIN, at=None), runs)
        api_late = median_ms(ask(CHAIN, at=iso(late)), runs)
        slow = max(5, runs // 5)
        quarter = median_ms(ask(CHANGES, **{"from": iso(end - 90 * DAY), "to": iso(end)}), slow, 1)
        gates = median_ms(ask(STAGES), slow, 1)
        trend = median_ms(ask(TREND), slow, 1)
        points = len(ask(TREND)()["data"]["node"]["likelihoodHistory"])  # type: ignore[index]
    print("\nGraphQL in process (median of one run)")
    print(f"  decisionChain now                 {api_now:8.1f} ms")
    print(
        f"  decisionChain(asOf: a month ago)  {api_late:8.1f} ms   ratio {api_late / api_now:.2f}"
    )
    print(f"  changes over the last quarter     {quarter:8.1f} ms")
    print(f"  changesBetweenStages (two gates)  {gates:8.1f} ms")
    print(f"  likelihoodHistory ({points} points)  {trend:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dealgraph-bench-history-"))
    neo4j = Neo4jProcess(folder / "neo4j") if args.store == "neo4j" else None
    try:
        if neo4j is not None:
            neo4j.start()
            executor: Executor = Neo4jExecutor(neo4j.uri, USER, PASSWORD)
        else:
            executor = EmbeddedExecutor(folder, fsync="no")
        try:
            run(executor, args.runs)
        finally:
            executor.close()
    finally:
        if neo4j is not None:
            neo4j.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
