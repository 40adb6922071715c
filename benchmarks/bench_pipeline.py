"""Benchmark: a sales director's pipeline right after one write somewhere in their book.

A book like a director's (in a fresh folder, embedded store, authentication on): 49 deals,
18 of them at one hospital group whose 60 people sit in many of those deals' chains, 31 at five
smaller customers; the director and four account managers on the teams; about 600 activities.
The director's pipeline query (the web app's: every deal with its win likelihood and red flags)
goes straight to the ASGI app (no HTTP, no client). Printed: the median of the query warm,
right after an activity on one deal of the hospital group, right after a tie of the director's
own team member (on every team) to one person, right after the hospital group's name changes,
right after the director's own name changes, and for each: how many chains were loaded again
and how many analyses worked out again.

``--cold`` measures instead the first pipeline after a start (a new app and store connection,
nothing kept), each trial three times: at once with the warm-up off, at once with it on (the
request meets the warm-up on the store), and once the warm-up of open deals
(``resolvers.warming``) has finished; with where the cold time goes (store round trips,
the chain load with its statement, the analyses, the rest: GraphQL completion).
``--store neo4j`` puts the book into Neo4j (``tools/neo4j``, as ``bench_api.py`` does).

``--overview`` measures instead the pipeline page's overview for larger books (``--deals
200,1000``; ``build_overview``: deals over every stage with approvals, pending requests,
violations raised by the sweep and some answered): the ``pipeline`` summary alone, the page's
first request (``PIPELINE``: 100 deals and the summary) and the whole page (every page of 100),
first after a start and warm, with the store round trips of each request (authentication
left out). ``--audit`` walks the deal of ``tests/process_walk.py`` through every TAS+ gate
(``--rejections 0,5``: each approval first rejected that many times) and measures what its
sales director reads of it: ``auditLog`` and "What changed" (``changes``,
``changesBetweenStages``, ``likelihoodHistory``, as ``changes.js`` asks). The two may be given
together; ``BENCH_STATEMENTS=1`` also prints the statements of each request.

    .venv/bin/python benchmarks/bench_pipeline.py [--trials 7] [--cold] [--store neo4j]
    .venv/bin/python benchmarks/bench_pipeline.py --overview --audit [--store neo4j]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_api import open_executor, store_env  # noqa: E402
from bench_load import gid  # noqa: E402
from bench_request_cost import post  # noqa: E402
from neo4j_process import Neo4jProcess  # noqa: E402

from graph.executor import Executor  # noqa: E402

PIPELINE = (ROOT / "dealgraph/web/static/js/main.js").read_text().split("const PIPELINE = `")[1]
PIPELINE = PIPELINE.split("`")[0]
LOG = """mutation($i: ActivityLogInput!) { activityLog(input: $i) { userErrors { message } } }"""
KNOWS = """mutation($i: KnowsInput!) { knowsSet(input: $i) { userErrors { message } } }"""
RENAME = """mutation($id: ID!, $i: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $i) { customer { version } userErrors { message } } }"""
MEMBER_RENAME = """mutation($id: ID!, $i: TeamMemberUpdateInput!) {
  teamMemberUpdate(id: $id, input: $i) { teamMember { version } userErrors { message } } }"""
VERSION = """query($id: ID!) { node(id: $id) {
  ... on Customer { version } ... on TeamMember { version } } }"""
ROLES = ["DECISION_MAKER", "APPROVER", "TECHNICAL_EVALUATOR", "USER", "COACH"]
ATTITUDES = ["OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION"]
TYPES = ["VISIT", "CALL", "DEMO", "MEETING"]
OUTCOMES = ["NEGATIVE", "NEUTRAL", "POSITIVE", "POSITIVE"]
DAY_MS = 86_400_000


def build(executor: Executor) -> dict[str, str]:
    """The book, written through the store; the director's and the administrator's tokens."""
    from domain.model import EdgeKind, NodeKind
    from graph.security_store import SecurityStore
    from graph.store import GraphStore

    rng = random.Random(9)
    store = GraphStore(executor)
    try:
        store.create(NodeKind.TEAM_MEMBER, {"name": "Director", "role": "SALES_DIRECTOR"},
                     node_id="tm-director")  # fmt: skip
        managers = [f"tm-am-{i}" for i in range(4)]
        for i, member in enumerate(managers):
            store.create(NodeKind.TEAM_MEMBER, {"name": f"Manager {i}", "role": "ACCOUNT_MANAGER"},
                         node_id=member)  # fmt: skip
        security = SecurityStore(store)
        security.add_user("director", "sales_director", "tm-director")
        security.add_user("admin", "admin")
        for member in managers:
            security.set_manages("tm-director", member)
        customers = [("cu-group", 60, 18)] + [(f"cu-{i}", 15, 6 + (i < 1)) for i in range(5)]
        now = store.clock()
        for customer, people, deals in customers:
            store.create(NodeKind.CUSTOMER, {"name": f"Customer {customer}"}, node_id=customer)
            persons = [f"{customer}-kp-{i:02d}" for i in range(people)]
            for person in persons:
                store.create_key_person(customer, {"name": f"Person {person}"}, node_id=person)
            for d in range(deals):
                deal = f"{customer}-deal-{d:02d}"
                store.create_opportunity(customer, {"name": f"Deal {deal}", "amount": 10**8},
                                         node_id=deal)  # fmt: skip
                manager = managers[(d + len(customer)) % len(managers)]
                for member in (manager, "tm-director"):
                    role = "ACCOUNT_MANAGER" if member == manager else "SALES_DIRECTOR"
                    store.set_edge(EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, member),
                                   (NodeKind.OPPORTUNITY, deal), {"role": role})  # fmt: skip
                size = rng.randint(5, 40) if customer == "cu-group" else rng.randint(5, 12)
                chain = rng.sample(persons, min(size, people))
                for i, person in enumerate(chain):
                    props = {"role": ROLES[i % 5], "attitude": rng.choice(ATTITUDES)}
                    store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, person),
                                   (NodeKind.OPPORTUNITY, deal), props)  # fmt: skip
                for _ in range(12):
                    store.log_activity(
                        {"type": rng.choice(TYPES), "summary": "Talk",
                         "occurred_at": now - rng.randint(1, 300) * DAY_MS,
                         "outcome": rng.choice(OUTCOMES)},
                        person_ids=rng.sample(chain, min(len(chain), rng.randint(1, 3))),
                        member_ids=[manager], opportunity_id=deal,
                    )  # fmt: skip
        return {
            "director": security.issue_token("director").token,
            "admin": security.issue_token("admin").token,
        }
    finally:
        store.close()


def caller(app: Any, token: str) -> Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]:
    """POST /graphql through the app's ASGI interface as the token's user."""

    async def send_one(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(await post(app, token, query, variables))
        assert not result.get("errors"), result["errors"]
        return result

    return send_one


class Counts:
    """Chains loaded and analyses worked out, counted (and timed) by wrapping the two
    functions; store round trips counted and timed by wrapping ``GraphStore.read``."""

    def __init__(self) -> None:
        import resolvers.derived as derived
        import resolvers.kept as kept
        from graph.store import GraphStore

        self.chains = self.analyses = self.reads = 0
        self.load_s = self.analyse_s = self.read_s = 0.0
        load = kept.load_sequenced_chains  # type: ignore[attr-defined]
        analyse = derived.analyse  # type: ignore[attr-defined]
        read = GraphStore.read

        def counted_load(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            loaded = load(*args, **kwargs)
            self.load_s += time.perf_counter() - started
            self.chains += len(loaded.chains)
            return loaded

        def counted_analyse(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return analyse(*args, **kwargs)
            finally:
                self.analyse_s += time.perf_counter() - started
                self.analyses += 1

        def counted_read(store: GraphStore, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return read(store, *args, **kwargs)
            finally:
                self.read_s += time.perf_counter() - started
                self.reads += 1

        kept.load_sequenced_chains = counted_load  # type: ignore[attr-defined]
        derived.analyse = counted_analyse  # type: ignore[attr-defined]
        GraphStore.read = counted_read  # type: ignore[method-assign,assignment]

    def reset(self) -> None:
        self.chains = self.analyses = self.reads = 0
        self.load_s = self.analyse_s = self.read_s = 0.0


async def measure_cold(settings: Any, tokens: dict[str, str], trials: int) -> None:
    """The first pipeline after each of ``trials`` starts, without and after the warm-up."""
    from dealgraph.app import create_app
    from resolvers.derived import KEPT

    counts = Counts()
    starts = (("cold (no warm-up)", 0, False), ("during the warm-up", 1000, False),
              ("after the warm-up", 1000, True))  # fmt: skip
    rows: dict[str, list[tuple[float, ...]]] = {name: [] for name, _, _ in starts}
    warm_up_ms: list[float] = []
    for _ in range(trials):
        for name, warm_deals, wait in starts:
            KEPT.clear()  # as in a new process: nothing kept
            app = create_app(dataclasses.replace(settings, warm_deals=warm_deals))
            director = caller(app, tokens["director"])
            started = time.perf_counter()
            async with app.router.lifespan_context(app):
                if wait:
                    assert await asyncio.to_thread(app.state.warming.wait, 120)
                    warm_up_ms.append((time.perf_counter() - started) * 1000)
                counts.reset()
                began = time.perf_counter()
                answer = await director(PIPELINE, {})
                ms = (time.perf_counter() - began) * 1000
                assert len(answer["data"]["opportunities"]["nodes"]) == 49
                if not wait and app.state.warming is not None:
                    await asyncio.to_thread(app.state.warming.wait, 120)  # before the store closes
                rows[name].append(
                    (ms, counts.reads, counts.read_s * 1000, counts.chains, counts.load_s * 1000,
                     counts.analyses, counts.analyse_s * 1000)
                )  # fmt: skip
    print(f"the director's first pipeline (49 deals) after a start, {trials} starts (medians):")
    print(f"  {'':<20} {'total':>9} {'trips':>6} {'store':>9} {'chains':>7} {'load':>9} "
          f"{'analyses':>9} {'analyse':>9} {'rest':>9}")  # fmt: skip
    medians: dict[str, float] = {}
    for name, figures in rows.items():
        m = [statistics.median(f[i] for f in figures) for i in range(7)]
        medians[name] = m[0]
        rest = statistics.median(f[0] - f[4] - f[6] for f in figures)
        print(f"  {name:<20} {m[0]:7.1f}ms {m[1]:6.0f} {m[2]:7.1f}ms {m[3]:7.0f} {m[4]:7.1f}ms "
              f"{m[5]:9.0f} {m[6]:7.1f}ms {rest:7.1f}ms")  # fmt: skip
    cold, warmed = medians["cold (no warm-up)"], medians["after the warm-up"]
    print(f"  cold / after the warm-up: {cold / warmed:.1f}x; the warm-up took "
          f"{statistics.median(warm_up_ms):.0f} ms (median) from the start")  # fmt: skip
    print("  store: every round trip; load: the chain statement and the chains made of its rows;")
    print("  analyse: the analyses' time summed; rest: total - load - analyse (GraphQL, checks);")
    print("  during the warm-up, the counts include the warm-up's own")


async def measure(app: Any, tokens: dict[str, str], trials: int) -> None:
    director, admin = caller(app, tokens["director"]), caller(app, tokens["admin"])
    counts = Counts()
    rng = random.Random(5)

    async def pipeline() -> tuple[float, int, int]:
        chains, analyses = counts.chains, counts.analyses
        started = time.perf_counter()
        answer = await director(PIPELINE, {})
        ms = (time.perf_counter() - started) * 1000
        assert len(answer["data"]["opportunities"]["nodes"]) == 49
        return ms, counts.chains - chains, counts.analyses - analyses

    async def activity() -> None:
        deal = f"cu-group-deal-{rng.randrange(18):02d}"
        chain = await admin(
            """query($id: ID!) { node(id: $id) { ... on Opportunity {
              decisionChain { members { person { id } } } } } }""",
            {"id": gid("Opportunity", deal)},
        )
        person = rng.choice(chain["data"]["node"]["decisionChain"]["members"])["person"]["id"]
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        visit = {"type": "CALL", "occurredAt": at, "summary": "Call", "personIds": [person],
                 "opportunityId": gid("Opportunity", deal), "outcome": "POSITIVE"}  # fmt: skip
        await admin(LOG, {"i": visit})

    async def team_tie() -> None:
        person = f"cu-group-kp-{rng.randrange(60):02d}"
        tie = {"memberId": gid("TeamMember", "tm-director"),
               "targetPersonId": gid("KeyPerson", person),
               "level": rng.choice(["WEAK", "MODERATE", "STRONG"])}  # fmt: skip
        await admin(KNOWS, {"i": tie})

    async def rename() -> None:
        customer = gid("Customer", "cu-group")
        version = (await admin(VERSION, {"id": customer}))["data"]["node"]["version"]
        change = {"version": version, "name": f"Hospital group {rng.randrange(10**6)}"}
        await admin(RENAME, {"id": customer, "i": change})

    async def rename_director() -> None:
        member = gid("TeamMember", "tm-director")
        version = (await admin(VERSION, {"id": member}))["data"]["node"]["version"]
        change = {"version": version, "name": f"Director {rng.randrange(10**6)}"}
        await admin(MEMBER_RENAME, {"id": member, "i": change})

    async with app.router.lifespan_context(app):
        first = await pipeline()
        warm = [await pipeline() for _ in range(trials)]
        rows: list[tuple[str, list[tuple[float, int, int]]]] = [("warm", warm)]
        for name, write in [
            ("after an activity on one deal", activity),
            ("after a tie of the director's team member", team_tie),
            ("after the hospital group's name changed", rename),
            ("after the director's own name changed", rename_director),
        ]:
            after, second = [], []
            for _ in range(trials):
                await write()
                after.append(await pipeline())
                second.append(await pipeline())
            rows += [(name, after), ("  and the query after it", second)]
    print(f"the director's pipeline (49 deals), {trials} trials, ASGI app in process:")
    print(f"  {'first after start':<44} {first[0]:8.1f} ms  {first[1]:3d} chains  "
          f"{first[2]:3d} analyses")  # fmt: skip
    for name, figures in rows:
        ms = statistics.median(f[0] for f in figures)
        chains = statistics.median(f[1] for f in figures)
        analyses = statistics.median(f[2] for f in figures)
        low, high = min(f[0] for f in figures), max(f[0] for f in figures)
        print(f"  {name:<44} {ms:8.1f} ms  {chains:3.0f} chains  {analyses:3.0f} analyses"
              f"   (min {low:.1f}, max {high:.1f})")  # fmt: skip


# --- the overview of a large book: the pipeline's summary (``--overview``) ----------------------

SUMMARY = """{ pipeline { total gateCompliant gateComplianceRate
  violationsByRule { rule label count responded opportunityIds } } }"""
"""The overview's part of the page's first request (``pipeline @skip(if: $more)``)."""
OPEN_STAGES = (
    "VALIDATE",
    "INITIATE",
    "REQUIREMENTS",
    "VALUE_PRESENTATION",
    "PROPOSAL",
    "BIDDING",
    "NEGOTIATION",
)


def build_overview(executor: Executor, deals: int) -> dict[str, Any]:
    """A sales director's book of ``deals`` deals over every stage, written through the store:
    an account manager per 25 deals (the director manages them all and sits on every team), a
    customer per 5 deals with 12 people, chains of 4-8 of them, 3 activities a deal (a fifth
    of the deals idle for 40-90 days), 15% of the deals won or lost this year. Of the open
    deals, 60% have every approval their gates needed (requested by the account manager,
    decided by the director, or the lead expert for 6-1), the others only some; a quarter of
    them have the next gate's first approval pending. The violation sweep then runs as the
    rules run it, and the account managers answer a third of the violations raised. Returns
    the director's token and what was written."""
    from domain.model import EdgeKind, NodeKind
    from domain.vocabulary import ApprovalState, Stage, TeamRole
    from graph import process_store as ps
    from graph.security_store import SecurityStore
    from graph.store import GraphStore, TeamLink
    from resolvers import violations
    from resolvers.process import definition
    from resolvers.process_records import approval_fields, history_json
    from strategy.tas.approvals import ApprovalRecord, Decision, decide, request

    rng = random.Random(11)
    store = GraphStore(executor)
    d = definition()
    written: dict[str, Any] = {"approvals": 0, "pending": 0, "activities": 0, "responses": 0}
    try:
        store.create(
            NodeKind.TEAM_MEMBER,
            {"name": "Director", "role": "SALES_DIRECTOR"},
            node_id="tm-director",
        )
        store.create(
            NodeKind.TEAM_MEMBER, {"name": "Lead expert", "role": "LEAD_EXPERT"}, node_id="tm-le"
        )
        managers = [f"tm-am-{i:02d}" for i in range(max(4, deals // 25))]
        security = SecurityStore(store)
        security.add_user("director", "sales_director", "tm-director")
        for i, member in enumerate(managers):
            store.create(
                NodeKind.TEAM_MEMBER,
                {"name": f"Manager {i}", "role": "ACCOUNT_MANAGER"},
                node_id=member,
            )
            security.set_manages("tm-director", member)
        now = store.clock()
        people: dict[str, list[str]] = {}
        for c in range(max(1, deals // 5)):
            customer = f"cu-{c:03d}"
            store.create(NodeKind.CUSTOMER, {"name": f"Customer {c}"}, node_id=customer)
            people[customer] = [f"{customer}-kp-{i:02d}" for i in range(12)]
            for person in people[customer]:
                store.create_key_person(customer, {"name": f"Person {person}"}, node_id=person)
        customers = sorted(people)
        for n in range(deals):
            deal, customer = f"deal-{n:04d}", customers[n % len(customers)]
            manager = managers[n % len(managers)]
            closing = rng.random() < 0.15
            stage = "NEGOTIATION" if closing else rng.choice(OPEN_STAGES)
            idle = rng.random() < 0.2
            props = {
                "name": f"Deal {n}",
                "amount": rng.randint(1, 80) * 10**7,
                "stage": stage,
                "expected_close_date": "2027-06-30",
                "stage_entered_at": now - rng.randint(3, 60) * DAY_MS,
            }
            store.create_opportunity(
                customer, props, node_id=deal, team=TeamLink(manager, "ACCOUNT_MANAGER")
            )
            team = [("tm-director", "SALES_DIRECTOR")]
            if OPEN_STAGES.index(stage) >= OPEN_STAGES.index("BIDDING"):
                team.append(("tm-le", "LEAD_EXPERT"))
            for member, role in team:
                store.set_edge(
                    EdgeKind.ON_TEAM,
                    (NodeKind.TEAM_MEMBER, member),
                    (NodeKind.OPPORTUNITY, deal),
                    {"role": role},
                )
            chain = rng.sample(people[customer], rng.randint(4, 8))
            for i, person in enumerate(chain):
                store.set_edge(
                    EdgeKind.IN_DECISION_CHAIN,
                    (NodeKind.KEY_PERSON, person),
                    (NodeKind.OPPORTUNITY, deal),
                    {"role": ROLES[i % 5], "attitude": rng.choice(ATTITUDES)},
                )
            for _ in range(3):
                ago = rng.randint(40, 90) if idle else rng.randint(1, 25)
                store.log_activity(
                    {
                        "type": rng.choice(TYPES),
                        "summary": "Talk",
                        "outcome": rng.choice(OUTCOMES),
                        "occurred_at": now - ago * DAY_MS,
                    },
                    person_ids=rng.sample(chain, 2),
                    member_ids=[manager],
                    opportunity_id=deal,
                )
                written["activities"] += 1
            # the approvals of the gates passed: all of them, or some
            at = OPEN_STAGES.index(stage)
            due = [c for s in d.stages[:at] for c in s.exit.approvals]
            complete = closing or rng.random() < 0.6
            kept = due if complete else due[: rng.randint(0, len(due))]
            records: list[ApprovalRecord] = []
            for code in kept:
                process = d.process(code)
                assert process is not None
                record = request(
                    d,
                    approval_id=f"{deal}-{code}",
                    process_code=code,
                    opportunity_id=deal,
                    requester_id=manager,
                    requester_roles={TeamRole.ACCOUNT_MANAGER},
                    request_fields={},
                    stage=Stage(stage),
                    approvals=records,
                    at=store.clock(),
                )
                node = ps.request_approval(store, approval_fields(record))
                assert node is not None
                decider, role = (
                    ("tm-director", TeamRole.SALES_DIRECTOR)
                    if TeamRole.SALES_DIRECTOR in process.approver_roles
                    else ("tm-le", TeamRole.LEAD_EXPERT)
                )
                after = decide(
                    d, record, decider, {role}, Decision.APPROVE, store.clock(), stage=Stage(stage)
                )
                ps.decide_approval(
                    store,
                    node,
                    state=after.state,
                    history=history_json(after.history),
                    comment=None,
                    decider_id=decider,
                    decider_roles=[role.value],
                )
                records.append(after)
                written["approvals"] += 1
            if not closing and at + 1 < len(OPEN_STAGES) and rng.random() < 0.25:
                nxt = d.stages[at].exit.approvals
                if nxt and not any(r.process_code == nxt[0] for r in records):
                    record = request(
                        d,
                        approval_id=f"{deal}-{nxt[0]}",
                        process_code=nxt[0],
                        opportunity_id=deal,
                        requester_id=manager,
                        requester_roles={TeamRole.ACCOUNT_MANAGER},
                        request_fields={},
                        stage=Stage(stage),
                        approvals=records,
                        at=store.clock(),
                    )
                    assert record.state == ApprovalState.PENDING
                    ps.request_approval(store, approval_fields(record))
                    written["pending"] += 1
            if closing:
                closed = {
                    "stage": rng.choice(["WON", "WON", "LOST"]),
                    "stage_entered_at": now - rng.randint(1, 200) * DAY_MS,
                }
                store.update(NodeKind.OPPORTUNITY, deal, closed)
        violations.sweep(store, d)
        raised = ps.open_violations(store, [f"deal-{n:04d}" for n in range(deals)])
        written["violations"] = len(raised)
        by = time.strftime("%Y-%m-%d", time.gmtime(now / 1000 + 14 * 86_400))
        for violation in raised:
            if rng.random() < 1 / 3:
                ps.respond_to_violation(
                    store,
                    violation,
                    note="on it",
                    put_right_by=by,
                    member_id=str(violation["responsible_member_id"]),
                )
                written["responses"] += 1
        written["token"] = security.issue_token("director").token
        return written
    finally:
        store.close()


class Trips:
    """Store round trips (reads and writes), with the first words of each statement, counted by
    wrapping ``GraphStore.read`` and ``GraphStore.write``."""

    def __init__(self) -> None:
        from graph.store import GraphStore

        self.statements: list[str] = []
        read, write = GraphStore.read, GraphStore.write

        def counted_read(store: GraphStore, statement: str, params: Any) -> Any:
            self.statements.append(" ".join(statement.split())[:60])
            return read(store, statement, params)

        def counted_write(store: GraphStore, statement: str, params: Any) -> Any:
            self.statements.append("write: " + " ".join(statement.split())[:53])
            return write(store, statement, params)

        GraphStore.read = counted_read  # type: ignore[method-assign,assignment]
        GraphStore.write = counted_write  # type: ignore[method-assign,assignment]

    async def of(self, send: Callable[[], Awaitable[Any]]) -> tuple[float, list[str]]:
        """Milliseconds and the statements of one request."""
        self.statements = []
        started = time.perf_counter()
        await send()
        return (time.perf_counter() - started) * 1000, self.statements


async def measure_overview(
    app: Any, token: str, deals: int, trials: int, trips: Trips
) -> dict[str, Any]:
    """The director's overview (``SUMMARY``) and the page's requests, first and warm."""
    from resolvers.derived import KEPT

    director = caller(app, token)
    pages = []

    async def summary() -> None:
        data = (await director(SUMMARY, {}))["data"]["pipeline"]
        assert data["violationsByRule"], data

    async def first_page() -> None:
        data = (await director(PIPELINE, {}))["data"]
        assert len(data["opportunities"]["nodes"]) == min(100, deals)

    async def whole_page() -> None:
        """What the page sends: the first 100 deals with the overview, then the rest."""
        data = (await director(PIPELINE, {}))["data"]
        info, count = data["opportunities"]["pageInfo"], len(data["opportunities"]["nodes"])
        while info["hasNextPage"]:
            more = await director(PIPELINE, {"after": info["endCursor"], "more": True})
            info = more["data"]["opportunities"]["pageInfo"]
            count += len(more["data"]["opportunities"]["nodes"])
        assert count == deals, count
        pages.append(1)

    figures: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        for _ in range(2):  # the second: what authenticating a request costs from then on
            _, auth = await trips.of(lambda: director("{ __typename }", {}))
        figures["auth"] = len(auth)
        KEPT.clear()
        figures["summary first"] = await trips.of(summary)
        samples = [await trips.of(summary) for _ in range(trials)]
        figures["summary warm"] = samples
        KEPT.clear()
        figures["page first"] = await trips.of(whole_page)
        figures["first request warm"] = [await trips.of(first_page) for _ in range(trials)]
        figures["page warm"] = [await trips.of(whole_page) for _ in range(trials)]
        data = (await director(SUMMARY, {}))["data"]["pipeline"]
        figures["shape"] = (
            data["total"],
            data["gateCompliant"],
            sum(r["count"] for r in data["violationsByRule"]),
            sum(r["responded"] for r in data["violationsByRule"]),
            len(data["violationsByRule"]),
        )
    return figures


def report_overview(size: int, written: dict[str, Any], f: dict[str, Any], built_s: float) -> None:
    total, compliant, count, responded, rules = f["shape"]
    print(
        f"{size} deals (built in {built_s:.0f} s): {written['approvals']} approvals decided, "
        f"{written['pending']} pending, {written['violations']} open violations "
        f"({written['responses']} answered), {written['activities']} activities"
    )
    print(
        f"  the director's overview: {total} open deals, {compliant} gate-compliant, "
        f"{count} open violations of {rules} rules, {responded} answered"
    )
    print(f"  authentication alone: {f['auth']} round trips (left out below)")
    for name in ("summary first", "summary warm", "page first", "first request warm", "page warm"):
        rows = f[name] if isinstance(f[name], list) else [f[name]]
        ms = statistics.median(r[0] for r in rows)
        trips = statistics.median(len(r[1]) for r in rows) - f["auth"] * (
            (size + 99) // 100 if name.startswith("page") else 1
        )
        spread = f"   (min {min(r[0] for r in rows):.1f}, max {max(r[0] for r in rows):.1f})"
        print(
            f"  {name:<20} {ms:9.1f} ms  {trips:4.0f} round trips{spread if len(rows) > 1 else ''}"
        )
    if os.environ.get("BENCH_STATEMENTS"):
        for name in ("summary first", "summary warm"):
            rows = f[name] if isinstance(f[name], list) else [f[name]]
            print(f"  statements of {name}:")
            for statement in rows[0][1]:
                print(f"    {statement}")


# --- a deal walked through every gate: its audit log and "What changed" (``--audit``) ------------

FIELDS = (ROOT / "dealgraph/web/static/js/changes.js").read_text().split("const FIELDS = `")[1]
FIELDS = FIELDS.split("`")[0]
SINCE = f"""query Since($id: ID!, $from: DateTime!) {{ node(id: $id) {{ ... on Opportunity {{
  changes(from: $from) {{ {FIELDS} }} }} }} }}"""
GATES = f"""query Gates($id: ID!, $from: Stage!, $to: Stage!) {{ node(id: $id) {{
  ... on Opportunity {{ changesBetweenStages(from: $from, to: $to) {{ {FIELDS} }} }} }} }}"""
TREND = """query Trend($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) {
  ... on Opportunity { likelihoodHistory(from: $from, to: $to) {
    at winLikelihood stageTransition stage } } } }"""
AUDIT = """query($id: ID!, $first: Int) { auditLog(targetId: $id, first: $first) { totalCount
  nodes { id at actorId actorName operation targetKind targetId before after changes } } }"""


def walk_deal(executor: Executor, rejections: int) -> dict[str, Any]:
    """The deal of ``tests/process_walk.py`` from VALIDATE to WON through every gate, each step
    by its own login over the API; with ``rejections``, every approval is first rejected that
    many times (each rejection a request and a decision more). Returns the deal's ids, the
    director's token and when the walk began."""
    sys.path.append(str(ROOT / "tests"))
    import process_walk
    from api_helpers import serve

    from graph.store import GraphStore

    approve = process_walk.Walk.approval

    def approval(walk: Any, code: str, reject: str | None = None) -> str:
        for _ in range(rejections if reject is None else 0):
            approve(walk, code, reject="Not yet: " + process_walk.REJECTION)
        decider: str = approve(walk, code, reject)
        return decider

    began = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
    process_walk.Walk.approval = approval  # type: ignore[method-assign,assignment]
    store = GraphStore(executor)
    try:
        with serve(store) as api:
            deal = process_walk.walk_to_won(api)
            director = deal.people["tm-director"].token
    finally:
        process_walk.Walk.approval = approve  # type: ignore[method-assign]
    return {"id": deal.id, "director": director, "began": began}


async def measure_audit(
    app: Any, walked: dict[str, Any], trials: int, trips: Trips
) -> dict[str, Any]:
    """The deal's audit log and "What changed" read by the director, first and warm."""
    from resolvers.derived import KEPT

    director = caller(app, walked["director"])
    deal = walked["id"]
    shown: dict[str, Any] = {}

    async def audit() -> None:
        log = (await director(AUDIT, {"id": deal, "first": 100}))["data"]["auditLog"]
        shown["audit"] = (log["totalCount"], len(log["nodes"]))

    async def since() -> None:
        found = await director(SINCE, {"id": deal, "from": walked["began"]})
        shown["since"] = len(found["data"]["node"]["changes"]["changes"])

    async def gates() -> None:
        found = await director(GATES, {"id": deal, "from": "VALIDATE", "to": "WON"})
        shown["gates"] = len(found["data"]["node"]["changesBetweenStages"]["changes"])

    async def trend() -> None:
        found = await director(TREND, {"id": deal, "from": walked["began"], "to": None})
        shown["trend"] = len(found["data"]["node"]["likelihoodHistory"])

    figures: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        for _ in range(2):  # the second: what authenticating a request costs from then on
            _, auth = await trips.of(lambda: director("{ __typename }", {}))
        figures["auth"] = len(auth)
        for name, read in (
            ("auditLog", audit),
            ("changes(from:)", since),
            ("changesBetweenStages", gates),
            ("likelihoodHistory", trend),
        ):
            KEPT.clear()
            figures[f"{name} first"] = await trips.of(read)
            figures[f"{name} warm"] = [await trips.of(read) for _ in range(trials)]
    figures["shown"] = shown
    return figures


def report_audit(rejections: int, f: dict[str, Any], built_s: float) -> None:
    shown = f["shown"]
    print(
        f"the walked deal, every approval rejected {rejections} time(s) first "
        f"(walked in {built_s:.0f} s): {shown['audit'][0]} audit entries "
        f"({shown['audit'][1]} read), {shown['since']} changes since the start, "
        f"{shown['gates']} between VALIDATE and WON, {shown['trend']} trend points"
    )
    print(f"  authentication alone: {f['auth']} round trips (left out below)")
    for name in ("auditLog", "changes(from:)", "changesBetweenStages", "likelihoodHistory"):
        for when in ("first", "warm"):
            rows = f[f"{name} {when}"]
            rows = rows if isinstance(rows, list) else [rows]
            ms = statistics.median(r[0] for r in rows)
            trips = statistics.median(len(r[1]) for r in rows) - f["auth"]
            print(f"  {name + ' ' + when:<26} {ms:8.1f} ms  {trips:3.0f} round trips")
            if os.environ.get("BENCH_STATEMENTS"):
                for statement in rows[0][1]:
                    print(f"      {statement}")


def fresh(tmp: Path, name: str, neo4j: Neo4jProcess | None) -> tuple[Path, Executor]:
    """An empty store for one book: a new folder, or the benchmark's Neo4j emptied."""
    data_dir = tmp / name
    executor = open_executor(data_dir, neo4j)
    if neo4j is not None:
        executor.write("MATCH (n) DETACH DELETE n", {})
    executor.ensure_schema()
    return data_dir, executor


def served(data_dir: Path, neo4j: Neo4jProcess | None) -> Any:
    """A new app on the book, as a server starts it (authentication on), without the warm-up
    and the webhook dispatcher: both read the store in the background, where the round trips
    of each request are counted."""
    from dealgraph.app import create_app
    from dealgraph.settings import load_settings
    from resolvers.derived import KEPT

    env = {**store_env(data_dir, neo4j), "DEALGRAPH_AUTH_REQUIRED": "true"}
    os.environ.update({**env, "DEALGRAPH_WARM_DEALS": "0", "DEALGRAPH_WEBHOOKS_DISPATCH": "false"})
    KEPT.clear()  # as in a new process: nothing kept
    return create_app(load_settings())


def filled(
    tmp: Path,
    name: str,
    neo4j: Neo4jProcess | None,
    build: Callable[[Executor], dict[str, Any]],
) -> tuple[Path, dict[str, Any], float]:
    """A fresh store filled by ``build`` (closed again, so the app opens it as after a start):
    its folder, what ``build`` returned, and the seconds it took."""
    data_dir, executor = fresh(tmp, name, neo4j)
    started = time.perf_counter()
    try:
        made = build(executor)
    finally:
        executor.close()
    return data_dir, made, time.perf_counter() - started


def run_overview(tmp: Path, neo4j: Neo4jProcess | None, sizes: list[int], trials: int) -> None:
    trips = Trips()
    print(
        f"the pipeline page's overview as a sales director, {trials} trials, ASGI app in "
        "process (medians; round trips: store statements of the request less those of "
        "authenticating it, once per request)"
    )
    for size in sizes:
        data_dir, written, built = filled(
            tmp, f"book-{size}", neo4j, partial(build_overview, deals=size)
        )
        figures = asyncio.run(
            measure_overview(served(data_dir, neo4j), written["token"], size, trials, trips)
        )
        report_overview(size, written, figures, built)


def run_audit(tmp: Path, neo4j: Neo4jProcess | None, rejections: list[int], trials: int) -> None:
    trips = Trips()
    print(
        f"a deal walked through every TAS+ gate, read by its sales director, {trials} trials, "
        "ASGI app in process (medians; first: nothing kept)"
    )
    for times in rejections:
        data_dir, walked, built = filled(
            tmp, f"walk-{times}", neo4j, partial(walk_deal, rejections=times)
        )
        figures = asyncio.run(measure_audit(served(data_dir, neo4j), walked, trials, trips))
        report_audit(times, figures, built)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="the first pipeline after a start")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--overview", action="store_true", help="the overview of large books")
    parser.add_argument("--deals", default="200,1000", help="--overview: the books' sizes")
    parser.add_argument("--audit", action="store_true", help="a walked deal's audit and changes")
    parser.add_argument("--rejections", default="0,5", help="--audit: rejections per approval")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealgraph-pipeline-") as tmp:
        data_dir = Path(tmp) / "data"
        neo4j = Neo4jProcess(Path(tmp) / "neo4j") if args.store == "neo4j" else None
        try:
            if neo4j is not None:
                neo4j.start()
            print(f"store: {args.store}")
            if args.overview or args.audit:
                if args.overview:
                    sizes = [int(n) for n in args.deals.split(",")]
                    run_overview(Path(tmp), neo4j, sizes, args.trials)
                if args.audit:
                    times = [int(n) for n in args.rejections.split(",")]
                    run_audit(Path(tmp), neo4j, times, args.trials)
                return
            executor = open_executor(data_dir, neo4j)
            try:
                executor.ensure_schema()
                tokens = build(executor)
            finally:
                executor.close()
            env = {**store_env(data_dir, neo4j), "DEALGRAPH_AUTH_REQUIRED": "true"}
            os.environ.update({**env, "DEALGRAPH_WARM_DEALS": "0"})
            from dealgraph.app import create_app
            from dealgraph.settings import load_settings

            if args.cold:
                asyncio.run(measure_cold(load_settings(), tokens, args.trials))
            else:
                asyncio.run(measure(create_app(load_settings()), tokens, args.trials))
        finally:
            if neo4j is not None:
                neo4j.stop()


if __name__ == "__main__":
    main()
