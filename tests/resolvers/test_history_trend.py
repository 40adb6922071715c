"""The likelihood trend, computed fast (one forward replay, chains rebuilt only where entries
touched them, the model reusing what did not change), equals the slow computation: the chain
replayed from scratch at every instant and fully analysed there. A scripted deal with time
between its steps (so activities decay), on both back ends."""

from __future__ import annotations

from collections.abc import Callable

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.chains import LoadedChain
from graph.history import ChainHistory, load_chain_history
from graph.store import GraphStore
from resolvers.history import _names, _trend
from strategy.changes import Side, TrendPoint, chain_changes
from strategy.config import default_config
from strategy.engine import analyse

KP, OPP, TM, CX, CU = (
    NodeKind.KEY_PERSON,
    NodeKind.OPPORTUNITY,
    NodeKind.TEAM_MEMBER,
    NodeKind.COMPETITOR,
    NodeKind.CUSTOMER,
)
E = EdgeKind
DAY = 86_400_000
START = 1_790_000_000_000


class Clock:
    """One millisecond per reading, moved to the day being written."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        self.now += 1
        return self.now

    def day(self, day: int) -> None:
        self.now = max(self.now, START + day * DAY)


def visit(store: GraphStore, people: list[str], outcome: str, at: int | None = None) -> None:
    store.log_activity(
        {"type": "VISIT", "occurred_at": at or store.clock(), "outcome": outcome, "summary": "v"},
        person_ids=people,
        member_ids=["m1"],
        opportunity_id="o1",
    )


def advance(store: GraphStore, stage: Stage) -> None:
    ps.advance_stage(
        store,
        opportunity=store.get(OPP, "o1"),
        to_stage=stage,
        reason=None,
        lost_to_competitor_id=None,
        member_id="m1",
    )


def scripted_deal(store: GraphStore, clock: Clock) -> None:
    """People join, turn and leave; ties grow; activities (one planned ahead) age; people
    outside the chain report to members; the stage moves; a person is deleted."""
    store.create(CU, {"name": "Hospital"}, node_id="c1")
    for pid, name in (("p1", "Li"), ("p2", "Wang"), ("p3", "Zhao"), ("p4", "Qian"), ("p5", "Sun")):
        store.create_key_person("c1", {"name": name}, {"title": "T"}, node_id=pid)
    store.create_opportunity("c1", {"name": "HIS", "amount": 100_000_000}, node_id="o1")
    store.create(TM, {"name": "Me"}, node_id="m1")
    store.create(CX, {"name": "Rival"}, node_id="x1")
    store.set_edge(E.ON_TEAM, (TM, "m1"), (OPP, "o1"), {"role": "ACCOUNT_MANAGER"})
    store.set_edge(E.COMPETES_FOR, (CX, "x1"), (OPP, "o1"), {"position": "LEADING"})
    for pid, role in (("p1", "DECISION_MAKER"), ("p2", "TECHNICAL_EVALUATOR"), ("p3", "USER")):
        store.set_edge(E.IN_DECISION_CHAIN, (KP, pid), (OPP, "o1"), {"role": role})
    store.set_edge(E.REPORTS_TO, (KP, "p2"), (KP, "p1"))
    store.set_edge(E.REPORTS_TO, (KP, "p5"), (KP, "p1"))  # outside the chain
    store.set_edge(E.KNOWS, (TM, "m1"), (KP, "p1"), {"level": "WEAK"})
    visit(store, ["p1"], "POSITIVE")
    visit(store, ["p2"], "NEUTRAL", at=START + 20 * DAY)  # planned: counts once it happened
    steps: list[Callable[[], object]] = [
        lambda: advance(store, Stage.INITIATE),
        lambda: store.set_edge(
            E.IN_DECISION_CHAIN,
            (KP, "p2"),
            (OPP, "o1"),
            {"role": "TECHNICAL_EVALUATOR", "attitude": "SUPPORTER"},
        ),
        lambda: store.set_edge(E.INFLUENCES, (KP, "p3"), (KP, "p1"), {"strength": "STRONG"}),
        lambda: store.set_edge(E.CLOSE_TO, (CX, "x1"), (KP, "p3"), {"level": "STRONG"}),
        lambda: visit(store, ["p1", "p3"], "NEGATIVE"),
        lambda: store.set_edge(E.INFLUENCES, (KP, "p5"), (KP, "p3")),  # outside the chain
        lambda: store.set_edge(E.KNOWS, (TM, "m1"), (KP, "p1"), {"level": "STRONG"}),
        lambda: store.update(OPP, "o1", {"budget": 90_000_000}),
        lambda: advance(store, Stage.REQUIREMENTS),
        lambda: store.set_edge(E.IN_DECISION_CHAIN, (KP, "p4"), (OPP, "o1"), {"role": "APPROVER"}),
        lambda: store.remove_edge(E.IN_DECISION_CHAIN, (KP, "p2"), (OPP, "o1")),
        lambda: store.update(KP, "p3", {"name": "Zhao Min"}),
        lambda: store.delete(KP, "p4"),
    ]
    for day, step in enumerate(steps, start=3):
        clock.day(day * 3)
        step()
    clock.day(60)


def slow(history: ChainHistory, until: int) -> list[TrendPoint]:
    """The trend as its definition says: every instant replayed from scratch, fully analysed."""
    config = default_config()
    moves = {e.at for e in history.entries if e.operation == "advance_stage"}
    points: list[TrendPoint] = []
    previous: Side | None = None
    last = 0.0
    for instant in sorted({e.at for e in history.entries if e.at <= until}):
        chain: LoadedChain | None = history.chain_at(instant)
        if chain is None:
            continue
        if previous is not None and chain.snapshot == previous.snapshot and instant not in moves:
            continue
        found = analyse(chain.snapshot, instant, config, include_plan=False)
        closeness = {s.person_id: s.closeness.value for s in found.scores}
        side = Side(chain.snapshot, _names(chain), closeness, at=instant)
        value = found.win_likelihood
        points.append(
            TrendPoint(
                at=instant,
                likelihood=value,
                stage=chain.snapshot.opportunity.stage.value,
                stage_transition=instant in moves,
                changes=tuple(chain_changes(previous, side)) if previous is not None else (),
                delta=value - last if previous is not None else 0.0,
            )
        )
        previous, last = side, value
    return points


def test_the_fast_trend_equals_the_slow_computation_at_every_instant(store: GraphStore) -> None:
    clock = Clock()
    store.clock = clock
    scripted_deal(store, clock)
    history = load_chain_history(store, "o1")
    assert history is not None
    now = clock()
    fast = _trend(history, default_config(), now)
    expected = slow(history, now)
    assert [p.at for p in fast.points] == [p.at for p in expected]
    assert list(fast.points) == expected  # likelihoods, deltas and changes to the last bit
    assert [p.stage for p in expected if p.stage_transition] == ["INITIATE", "REQUIREMENTS"]
    assert len({p.likelihood for p in expected}) > 5
    # People outside the chain reporting to or influencing members add no point.
    outside = [e.at for e in history.entries if e.changes.get("from_id") == "p5"]
    assert outside
    assert not {p.at for p in expected} & set(outside)
    # A window starts with the chain at its first instant.
    since = expected[3].at + 1
    window = _trend(history, default_config(), now, since)
    assert window.points[0].at == since
    assert [p.at for p in window.points[1:]] == [p.at for p in expected if p.at > since]
    assert [p.likelihood for p in window.points[1:]] == [
        p.likelihood for p in expected if p.at > since
    ]
