"""Kept chains and the analyses made from them: a stale read is impossible.

A seeded sequence of writes of every kind that reaches a decision chain (attitudes, ties of
people and of our team, activities logged, edited and deleted, team assignments, competitors,
renamed people, members, competitors and customers, deal fields, employment, a work plan
result, erasure) is made through the API as deployed by an administrator and an account
manager, on two deals that share people. After each write, what each of them reads (chains
with connectors, likelihood, red flags, plan) must equal a read with every kept result
forgotten: a difference is a write whose audit entry does not name what it changed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from api_helpers import Api, empty_graph, gid, serve
from people import add_person

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.chain import ChainSnapshot, PlannedPlay
from domain.model import EdgeKind, NodeKind
from graph import transfer as gt
from graph.chains import LoadedChain, activity_facts, opportunity_facts
from graph.executor import Executor
from graph.security_store import SecurityStore
from graph.sequence import SequenceMark
from graph.store import GraphStore, now_ms
from resolvers.derived import DAY_MS, KEPT
from resolvers.kept import CHAINS, KeptChain, KeptChains, chain_ids, load_chains

HOUR_MS = 3_600_000
STEPS = 64
DEMO = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
CUSTOMER = gid(NodeKind.CUSTOMER, "demo-cust-jzph")
ACCOUNT_MANAGER = "demo-tm-account"
MEMBERS = ["demo-tm-account", "demo-tm-solution", "demo-tm-delivery", "demo-tm-service"]
COMPETITORS = ["demo-comp-incumbent", "demo-comp-cloud"]
PEOPLE = [
    "demo-kp-president",
    "demo-kp-exec-vp",
    "demo-kp-cio",
    "demo-kp-deputy-cio",
    "demo-kp-architect",
    "demo-kp-procurement",
    "demo-kp-finance-director",
    "demo-kp-nursing",
    "demo-kp-radiology",
    "demo-kp-audit",
    "demo-kp-east-campus",
]
"""People of the two deals: the second deal's chain starts with three of them, and every
other is in the demo chain, next to it, or in neither."""
ATTITUDES = ["OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION"]
LEVELS = ["WEAK", "MODERATE", "STRONG", "VERY_STRONG"]
OUTCOMES = ["NEGATIVE", "NEUTRAL", "POSITIVE"]

VIEW = """query($id: ID!) { node(id: $id) { ... on Opportunity { name version
  assessment { winLikelihood { value } canWin { value } }
  analysis { redFlags { code text persons { name } } gaps { person { name } kinds } }
  suggestedWorkPlan(limit: 5) { actionKey target { name } owner { name } rationale }
  decisionChain(withConnectors: true) {
    customer { name }
    members { person { name version } role attitude influence
      teamTies { member { name } level } competitorTies { competitor { name } level } }
    connectors { name }
    reportsTo { fromPerson { name } toPerson { name } strength }
    influences { fromPerson { name } toPerson { name } strength }
    knows { fromPerson { name } toPerson { name } strength }
    competitors { competitor { name } position }
    team { member { name } role }
    activities { summary outcome } } } } }"""

VERSION = """query($id: ID!) { node(id: $id) {
  ... on Opportunity { version } ... on KeyPerson { version } ... on TeamMember { version }
  ... on Competitor { version } ... on Customer { version } ... on Activity { version } } }"""

CREATE_DEAL = """mutation($input: OpportunityCreateInput!) {
  opportunityCreate(input: $input) { opportunity { id } userErrors { field message } } }"""
CHAIN_SET = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberSet(input: $input) { userErrors { field message } } }"""
CHAIN_REMOVE = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberRemove(input: $input) { userErrors { field message } } }"""
KNOWS = """mutation($input: KnowsInput!) { knowsSet(input: $input) { userErrors { field } } }"""
KNOWS_REMOVE = """mutation($input: KnowsInput!) {
  knowsRemove(input: $input) { userErrors { field } } }"""
INFLUENCE = """mutation($input: InfluenceInput!) {
  influenceSet(input: $input) { userErrors { field } } }"""
REPORTS_TO = """mutation($input: ReportsToInput!) {
  reportsToSet(input: $input) { userErrors { field } } }"""
LOG = """mutation($input: ActivityLogInput!) {
  activityLog(input: $input) { activity { id } userErrors { field message } } }"""
ACTIVITY_UPDATE = """mutation($id: ID!, $input: ActivityUpdateInput!) {
  activityUpdate(id: $id, input: $input) { userErrors { field } } }"""
ACTIVITY_DELETE = """mutation($id: ID!) { activityDelete(id: $id) { userErrors { field } } }"""
ASSIGN = (
    """mutation($input: TeamAssignInput!) { teamAssign(input: $input) { userErrors { field } } }"""
)
UNASSIGN = """mutation($input: TeamAssignInput!) {
  teamUnassign(input: $input) { userErrors { field } } }"""
RIVAL_TIE = """mutation($input: CompetitorTieInput!) {
  competitorTieSet(input: $input) { userErrors { field } } }"""
RIVAL_ON = """mutation($input: CompetitorOnOpportunityInput!) {
  competitorOnOpportunitySet(input: $input) { userErrors { field } } }"""
UPDATES = {
    NodeKind.KEY_PERSON: ("keyPersonUpdate", "KeyPersonUpdateInput", "name"),
    NodeKind.TEAM_MEMBER: ("teamMemberUpdate", "TeamMemberUpdateInput", "name"),
    NodeKind.COMPETITOR: ("competitorUpdate", "CompetitorUpdateInput", "name"),
    NodeKind.CUSTOMER: ("customerUpdate", "CustomerUpdateInput", "name"),
}
EMPLOYMENT = """mutation($id: ID!, $input: EmploymentInput!) {
  keyPersonEmploymentSet(id: $id, input: $input) { userErrors { field } } }"""
DEAL_UPDATE = """mutation($id: ID!, $input: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $input) { userErrors { field } } }"""
ERASE = """mutation($id: ID!) { keyPersonErase(id: $id) { userErrors { field } } }"""
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { id } } } } }"""
ACCEPT = """mutation($input: SuggestionAcceptInput!) {
  workPlanSuggestionAccept(input: $input) { workPlanItem { id version } userErrors { field } } }"""
RESULT = """mutation($id: ID!, $input: WorkPlanResultInput!) {
  workPlanItemResultRecord(id: $id, input: $input) { userErrors { field } } }"""


class Clock:
    """A store clock at 10:00 UTC today, moved only by the test."""

    def __init__(self) -> None:
        self.now = now_ms() // DAY_MS * DAY_MS + 10 * HOUR_MS

    def __call__(self) -> int:
        return self.now


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


class World:
    """Two deals of the demo customer sharing people, read and written by two users."""

    def __init__(self, admin: Api, manager: Api, clock: Clock, rng: random.Random) -> None:
        self.admin = admin
        self.manager = manager
        self.clock = clock
        self.rng = rng
        self.activities: list[str] = []
        created = admin.mutate(
            CREATE_DEAL, {"input": {"customerId": CUSTOMER, "name": "East campus network"}}
        )
        self.second = created["opportunity"]["id"]
        self.deals = [DEMO, self.second]
        for person, role in zip(PEOPLE[:3], ["DECISION_MAKER", "APPROVER", "USER"], strict=True):
            self.write(CHAIN_SET, {"input": self._member(person, self.second, role)})
        self.write(
            ASSIGN,
            {
                "input": {
                    "memberId": gid(NodeKind.TEAM_MEMBER, ACCOUNT_MANAGER),
                    "targetId": self.second,
                    "role": "ACCOUNT_MANAGER",
                }
            },
        )

    @property
    def readers(self) -> list[Api]:
        return [self.admin, self.manager]

    def writer(self) -> Api:
        return self.rng.choice(self.readers)

    def write(self, mutation: str, variables: dict[str, Any]) -> Any:
        """A write by either user's payload; a refused one (a cycle, a link already gone) is
        fine too."""
        (payload,) = self.writer().data(mutation, variables).values()
        return payload

    def version(self, node_id: str) -> int:
        version: int = self.admin.data(VERSION, {"id": node_id})["node"]["version"]
        return version

    def pick(self, kind: NodeKind, ids: list[str]) -> str:
        return gid(kind, str(self.rng.choice(ids)))

    def person(self) -> str:
        return self.pick(NodeKind.KEY_PERSON, PEOPLE)

    def member(self) -> str:
        return self.pick(NodeKind.TEAM_MEMBER, MEMBERS)

    def deal(self) -> str:
        return str(self.rng.choice(self.deals))

    def _member(self, person: str, deal: str, role: str = "USER") -> dict[str, Any]:
        return {
            "personId": gid(NodeKind.KEY_PERSON, person) if "-kp-" in person else person,
            "opportunityId": deal,
            "role": role,
            "attitude": self.rng.choice(ATTITUDES),
        }

    def view(self, api: Api) -> list[Any]:
        return [api.data(VIEW, {"id": deal})["node"] for deal in self.deals]


def _attitude(w: World) -> None:
    role = w.rng.choice(["DECISION_MAKER", "TECHNICAL_EVALUATOR", "USER", "COACH"])
    w.write(CHAIN_SET, {"input": w._member(w.person(), w.deal(), role)})


def _leave_chain(w: World) -> None:
    w.write(CHAIN_REMOVE, {"input": w._member(w.person(), w.deal())})


def _team_knows(w: World) -> None:
    tie = {"targetPersonId": w.person(), "memberId": w.member(), "level": w.rng.choice(LEVELS)}
    w.write(KNOWS, {"input": tie})


def _team_forgets(w: World) -> None:
    w.write(KNOWS_REMOVE, {"input": {"targetPersonId": w.person(), "memberId": w.member()}})


def _person_knows(w: World) -> None:
    tie = {"targetPersonId": w.person(), "personId": w.person(), "level": w.rng.choice(LEVELS)}
    w.write(KNOWS, {"input": tie})


def _influence(w: World) -> None:
    link = {"fromPersonId": w.person(), "toPersonId": w.person(), "strength": "STRONG"}
    w.write(INFLUENCE, {"input": link})


def _reports_to(w: World) -> None:
    w.write(REPORTS_TO, {"input": {"personId": w.person(), "managerId": w.person()}})


def _log(w: World) -> None:
    people = w.rng.sample(PEOPLE, w.rng.randint(1, 2))
    visit = {
        "type": w.rng.choice(["VISIT", "CALL", "DEMO"]),
        "occurredAt": _iso(w.clock.now - w.rng.randint(1, 200) * HOUR_MS),
        "summary": f"Talk {len(w.activities)}",
        "personIds": [gid(NodeKind.KEY_PERSON, p) for p in people],
        "memberIds": [w.member()],
        "opportunityId": w.rng.choice([*w.deals, None]),
        "outcome": w.rng.choice(OUTCOMES),
    }
    found = w.write(LOG, {"input": visit})["activity"]
    if found is not None:
        w.activities.append(found["id"])


def _edit_activity(w: World) -> None:
    if not w.activities:
        return _log(w)
    activity = w.rng.choice(w.activities)
    change = {"version": w.version(activity), "outcome": w.rng.choice(OUTCOMES)}
    w.write(ACTIVITY_UPDATE, {"id": activity, "input": {**change, "summary": "Edited"}})
    return None


def _delete_activity(w: World) -> None:
    if not w.activities:
        return _log(w)
    w.write(ACTIVITY_DELETE, {"id": w.activities.pop(w.rng.randrange(len(w.activities)))})
    return None


def _assign(w: World) -> None:
    member = w.pick(NodeKind.TEAM_MEMBER, MEMBERS[1:])
    assignment = {"memberId": member, "targetId": w.deal(), "role": "SOLUTION_MANAGER"}
    w.write(w.rng.choice([ASSIGN, UNASSIGN]), {"input": assignment})


def _rival(w: World) -> None:
    rival = w.pick(NodeKind.COMPETITOR, COMPETITORS)
    if w.rng.random() < 0.5:
        tie = {"competitorId": rival, "personId": w.person(), "level": w.rng.choice(LEVELS)}
        w.write(RIVAL_TIE, {"input": tie})
    else:
        on = {"competitorId": rival, "opportunityId": w.deal(), "position": "LEADING"}
        w.write(RIVAL_ON, {"input": on})


def _rename(w: World) -> None:
    kind = w.rng.choice(list(UPDATES))
    ids = {
        NodeKind.KEY_PERSON: PEOPLE,
        NodeKind.TEAM_MEMBER: MEMBERS,
        NodeKind.COMPETITOR: COMPETITORS,
        NodeKind.CUSTOMER: ["demo-cust-jzph"],
    }[kind]
    target = w.pick(kind, ids)
    name, input_type, field = UPDATES[kind]
    mutation = f"""mutation($id: ID!, $input: {input_type}!) {{
      {name}(id: $id, input: $input) {{ userErrors {{ field }} }} }}"""
    change = {"version": w.version(target), field: f"Renamed {w.rng.randrange(10**6)}"}
    w.write(mutation, {"id": target, "input": change})


def _deal_field(w: World) -> None:
    deal = w.deal()
    change = {"version": w.version(deal), "budget": w.rng.randrange(10**5, 10**7)}
    w.write(DEAL_UPDATE, {"id": deal, "input": change})


def _employment(w: World) -> None:
    w.write(EMPLOYMENT, {"id": w.person(), "input": {"title": f"Title {w.rng.randrange(99)}"}})


def _plan_result(w: World) -> None:
    """A suggestion taken and its result recorded: an activity with its target."""
    deal = w.deal()
    plan = w.admin.data(PLAN, {"id": deal})["node"]["suggestedWorkPlan"]
    if not plan:
        return _log(w)
    pick = w.rng.choice(plan)
    target = pick["target"]["id"] if pick["target"] else None
    accept = {"opportunityId": deal, "actionKey": pick["actionKey"], "targetPersonId": target}
    item = w.write(ACCEPT, {"input": accept})["workPlanItem"]
    if item is None:
        return None
    done = {"version": item["version"], "type": "VISIT", "summary": "Done", "outcome": "POSITIVE"}
    w.write(RESULT, {"id": item["id"], "input": done})
    return None


def _erase(w: World) -> None:
    w.admin.data(ERASE, {"id": w.person()})


WRITES: list[Callable[[World], None]] = [
    _attitude,
    _leave_chain,
    _team_knows,
    _team_forgets,
    _person_knows,
    _influence,
    _reports_to,
    _log,
    _edit_activity,
    _delete_activity,
    _assign,
    _rival,
    _rename,
    _deal_field,
    _employment,
    _plan_result,
]


@pytest.fixture
def world(api_executor: Executor) -> Iterator[World]:
    empty_graph(api_executor)
    clock = Clock()
    store = GraphStore(api_executor, clock=clock)
    load_demo(store)
    manager = add_person(store, "kept-manager", "account_manager", ACCOUNT_MANAGER)
    KEPT.clear()
    with serve(store) as api:
        yield World(api, api.as_(manager), clock, random.Random(15))


def test_after_every_write_the_kept_answer_is_a_fresh_one(world: World) -> None:
    writes = [*WRITES * (STEPS // len(WRITES)), _erase]
    world.rng.shuffle(writes)
    for reader in world.readers:
        world.view(reader)
    served = 0
    for step, write in enumerate(writes):
        write(world)
        if step % 7 == 3:
            world.clock.now += HOUR_MS
        hits = CHAINS.hits
        kept = [world.view(reader) for reader in world.readers]
        served += CHAINS.hits - hits
        KEPT.clear()
        fresh = [world.view(reader) for reader in world.readers]
        assert kept == fresh, f"step {step}: {write.__name__} left a stale answer"
    assert served > len(writes), "too little was served from the kept chains to prove anything"


def _attitudes(chain: KeptChain) -> dict[str, str]:
    return {m.person_id: m.attitude.value for m in chain.chain.snapshot.members}


def test_a_kept_chain_is_served_until_a_write_names_it(backend: Executor) -> None:
    """Store level, one process's kept chains: writes elsewhere leave the chain served, a write
    naming it, a bulk change and a store emptied and filled again each make the next read
    load it afresh."""
    empty_graph(backend)
    store = GraphStore(backend)
    load_demo(store)
    kept = KeptChains()
    person = "demo-kp-cio"

    def read() -> KeptChain:
        return load_chains(store, [DEMO_OPPORTUNITY_ID], kept=kept)[DEMO_OPPORTUNITY_ID]

    first = read()
    assert read() is first
    other = store.create(NodeKind.CUSTOMER, {"name": "Another customer"})
    store.create_key_person(other["id"], {"name": "Somebody else"})
    assert read() is first
    chain = (NodeKind.KEY_PERSON, person), (NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    role = next(m.role for m in first.chain.snapshot.members if m.person_id == person)
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, *chain, {"role": role, "attitude": "OPPONENT"})
    second = read()
    assert second is not first
    assert _attitudes(second)[person] == "OPPONENT"
    gt.mark_bulk_change(store)
    assert read() is not second
    empty_graph(backend)
    load_demo(store)
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, *chain, {"role": role, "attitude": "CHAMPION"})
    assert _attitudes(read())[person] == "CHAMPION"


def test_a_request_whose_credentials_show_nothing_new_needs_no_check(backend: Executor) -> None:
    """The credentials statement reads where the audit sequence stands. A read whose
    credentials show nothing written since this process last checked is served without a
    round trip; a write elsewhere (another worker, the CLI) before the request is seen, and so
    is a write of this process after the credentials (a mutation reading back its change)."""
    empty_graph(backend)
    store = GraphStore(backend)
    load_demo(store)
    token = add_person(store, "kept-seen", "admin").token
    security = SecurityStore(store)
    kept = KeptChains()
    person = "demo-kp-cio"

    def credentials() -> SequenceMark:
        principal = security.principal_for_token(token)
        assert principal is not None
        assert principal.sequence is not None
        return principal.sequence

    def read(seen: SequenceMark) -> KeptChain:
        return load_chains(store, [DEMO_OPPORTUNITY_ID], kept=kept, seen=seen)[DEMO_OPPORTUNITY_ID]

    first = read(credentials())
    seen = credentials()
    trips = store.round_trips
    assert read(seen) is first
    assert store.round_trips == trips, "the check asked the store again"
    chain = (NodeKind.KEY_PERSON, person), (NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    role = next(m.role for m in first.chain.snapshot.members if m.person_id == person)
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, *chain, {"role": role, "attitude": "OPPONENT"})
    later = credentials()
    assert later.now > seen.now
    assert later.epoch == seen.epoch
    second = read(later)
    assert second is not first
    assert _attitudes(second)[person] == "OPPONENT"
    # A mutation writes after its credentials were read; what it reads back must be its write.
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, *chain, {"role": role, "attitude": "CHAMPION"})
    assert _attitudes(read(later))[person] == "CHAMPION", "a request missed its own write"
    gt.mark_bulk_change(store)
    assert read(credentials()) is not second, "a bulk change went unnoticed"


def test_a_write_to_one_deal_leaves_another_deals_chain_kept(backend: Executor) -> None:
    """Two deals share a person, and the second deal's chain holds an activity of that person
    about the first deal (so the first deal's id). Writes to the first deal that reach none of
    the second deal's people (a field, an activity with someone else) and a tie of a team
    member on both teams to someone outside the second chain leave its kept chain served; an
    activity with the shared person logged and deleted, a team member of both teams renamed and
    the customer's new name are taken into both kept chains without loading them again (what is
    then served equals a fresh load)."""
    empty_graph(backend)
    store = GraphStore(backend)
    load_demo(store)
    shared, outside, member = "demo-kp-cio", "demo-kp-architect", ACCOUNT_MANAGER
    second = store.create_opportunity("demo-cust-jzph", {"name": "East campus network"})["id"]
    store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, shared),
                   (NodeKind.OPPORTUNITY, second), {"role": "DECISION_MAKER"})  # fmt: skip
    store.set_edge(EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, member),
                   (NodeKind.OPPORTUNITY, second), {"role": "ACCOUNT_MANAGER"})  # fmt: skip
    hour = store.clock() - HOUR_MS

    def log(person: str, summary: str) -> str:
        props = {"type": "CALL", "occurred_at": hour, "summary": summary, "outcome": "POSITIVE"}
        logged = store.log_activity(props, person_ids=[person], opportunity_id=DEMO_OPPORTUNITY_ID)
        return str(logged["id"])

    log(shared, "Before")
    kept = KeptChains()

    def read() -> dict[str, KeptChain]:
        return load_chains(store, [DEMO_OPPORTUNITY_ID, second], kept=kept)

    def fresh() -> LoadedChain:
        return load_chains(store, [second], kept=KeptChains())[second].chain

    first = read()
    held = [a.opportunity_id for a in first[second].chain.snapshot.activities]
    assert DEMO_OPPORTUNITY_ID in held, "the second chain holds the first deal's id"
    demo = store.get(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    store.update(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID, {"budget": 12_345_678},
                 expected_version=demo["version"])  # fmt: skip
    log(outside, "Only the first deal")
    store.set_edge(EdgeKind.KNOWS, (NodeKind.TEAM_MEMBER, member),
                   (NodeKind.KEY_PERSON, outside), {"level": "VERY_STRONG"})  # fmt: skip
    now = read()
    assert now[DEMO_OPPORTUNITY_ID] is not first[DEMO_OPPORTUNITY_ID]
    assert now[second] is first[second], "a write to the other deal dropped this chain"
    assert now[second].chain == fresh()

    activity = log(shared, "With the shared person")
    trips = store.round_trips
    after = read()[second]
    assert store.round_trips == trips + 1, "a chain was loaded again, not only checked"
    assert after is not first[second]
    assert "With the shared person" in [a.summary for a in after.chain.snapshot.activities]
    assert after.chain == fresh()
    assert read()[second] is after
    version = store.get(NodeKind.ACTIVITY, activity)["version"]
    store.delete(NodeKind.ACTIVITY, activity, expected_version=version)
    trips = store.round_trips
    gone = read()[second]
    assert store.round_trips == trips + 1, "a chain was loaded again, not only checked"
    assert gone.chain == fresh() != after.chain
    found = store.get(NodeKind.TEAM_MEMBER, member)
    store.update(NodeKind.TEAM_MEMBER, member, {"name": "Renamed"},
                 expected_version=found["version"])  # fmt: skip
    trips = store.round_trips
    renamed = read()[second]
    assert store.round_trips == trips + 1, "a chain was loaded again, not only checked"
    assert renamed is not gone
    assert renamed.chain.team_members[member]["name"] == "Renamed"
    assert renamed.chain == fresh()
    customer = store.get(NodeKind.CUSTOMER, "demo-cust-jzph")
    store.update(NodeKind.CUSTOMER, "demo-cust-jzph", {"name": "Renamed hospital"},
                 expected_version=customer["version"])  # fmt: skip
    trips = store.round_trips
    moved = read()[second]
    assert store.round_trips == trips + 1, "a chain was loaded again, not only checked"
    assert moved is not renamed
    assert moved.chain.snapshot.opportunity.customer_name == "Renamed hospital"
    assert moved.chain == fresh()


CUSTOMER_CREATE = """mutation($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id } userErrors { field message } } }"""
PERSON_CREATE = """mutation($input: KeyPersonCreateInput!) {
  keyPersonCreate(input: $input) { keyPerson { id } userErrors { field message } } }"""
CUSTOMER_DELETE = """mutation($id: ID!) {
  customerDelete(id: $id, cascade: true) { deletedId userErrors { field message } } }"""


def _kept_is_fresh(world: World) -> None:
    """What each user reads from the kept chains equals a read with nothing kept."""
    kept = [world.view(reader) for reader in world.readers]
    KEPT.clear()
    assert kept == [world.view(reader) for reader in world.readers]


def _created(world: World, mutation: str, variables: dict[str, Any]) -> str:
    (payload,) = world.admin.data(mutation, variables).values()
    assert payload["userErrors"] == [], payload
    (node,) = (value for key, value in payload.items() if key != "userErrors")
    return str(node["id"])


def test_a_cascading_customer_delete_drops_the_chains_holding_what_it_removed(
    world: World,
) -> None:
    """A consultant of another firm sits in the second deal's chain and influences a person of
    the demo chain (a connector of it); a person of both chains advises the firm's own deal,
    and a call with them was about it. The firm deleted with its deals and people: no chain
    shows the consultant, and the call, now about no deal, counts for both chains."""
    firm = _created(world, CUSTOMER_CREATE, {"input": {"name": "Harbour Consulting"}})
    consultant = _created(
        world, PERSON_CREATE, {"input": {"customerId": firm, "name": "Gao Consultant"}}
    )
    deal = _created(world, CREATE_DEAL, {"input": {"customerId": firm, "name": "Own deal"}})
    member = {**world._member(consultant, world.second), "externalKind": "CONSULTANT"}
    assert world.admin.data(CHAIN_SET, {"input": member})["decisionChainMemberSet"] == {
        "userErrors": []
    }
    influence = {"fromPersonId": consultant, "toPersonId": world.person(), "strength": "STRONG"}
    world.admin.data(INFLUENCE, {"input": influence})
    adviser = {**world._member(PEOPLE[0], deal), "externalKind": "CONSULTANT"}
    assert world.admin.data(CHAIN_SET, {"input": adviser})["decisionChainMemberSet"] == {
        "userErrors": []
    }
    call = {
        "type": "CALL",
        "occurredAt": _iso(world.clock.now - HOUR_MS),
        "summary": "About the firm's own deal",
        "personIds": [gid(NodeKind.KEY_PERSON, PEOPLE[0])],
        "opportunityId": deal,
    }
    assert world.admin.data(LOG, {"input": call})["activityLog"]["userErrors"] == []
    _kept_is_fresh(world)

    deleted = world.admin.data(CUSTOMER_DELETE, {"id": firm})["customerDelete"]

    assert deleted["userErrors"] == []
    _kept_is_fresh(world)


def test_an_erasure_drops_the_chains_holding_texts_it_rewrote(world: World) -> None:
    """A call with a person of both chains, about no deal, names another person of the
    customer, who sits in neither chain: erasing that person rewrites the call's summary, and
    no chain shows the old one."""
    person = _created(
        world, PERSON_CREATE, {"input": {"customerId": CUSTOMER, "name": "Qian Duoduo"}}
    )
    call = {
        "type": "CALL",
        "occurredAt": _iso(world.clock.now - HOUR_MS),
        "summary": "Asked whether Qian Duoduo signs the budget",
        "personIds": [gid(NodeKind.KEY_PERSON, PEOPLE[0])],
    }
    assert world.admin.data(LOG, {"input": call})["activityLog"]["userErrors"] == []
    _kept_is_fresh(world)

    assert world.admin.data(ERASE, {"id": person})["keyPersonErase"]["userErrors"] == []

    _kept_is_fresh(world)
    summaries = [
        a["summary"] for v in world.view(world.admin) for a in v["decisionChain"]["activities"]
    ]
    assert "Asked whether Qian Duoduo signs the budget" not in summaries


def test_a_chain_holds_every_text_in_it_as_an_id() -> None:
    """Every string a chain holds, wherever it sits (a snapshot's field, an enum's value, a
    node's key or value, lists, sets and maps inside a node), is among the ids a write is
    checked against: a write naming it reaches the chain."""
    deal = opportunity_facts(
        {"id": "o1", "name": "Deal", "stage": "BIDDING"}, {"id": "c1", "name": "H"}
    )
    visit = activity_facts({"id": "a1", "type": "VISIT", "occurred_at": 1}, {"p2"}, {"m1"}, "o2")
    snapshot = ChainSnapshot(
        deal, activities=(visit,), planned=(PlannedPlay("play", "p3"),), names=(("m2", "Me"),)
    )
    chain = LoadedChain(
        snapshot,
        opportunity={"id": "o1", "tags": ["t1", ("t2", {"t3"})], "amount": 7, "won": None},
        customer={"id": "c1", "parts": frozenset({"c2"})},
        persons={"p1": {"id": "p1", "score": 1.5, "ok": True}},
        activities={"a1": {"id": "a1", "nested": {"k": [frozenset({"deep"})]}}},
    )
    ids = chain_ids(chain, ("c9",))
    expected = {"o1", "Deal", "c1", "H", "BIDDING", "VISIT", "a1", "p2", "m1", "o2", "play", "p3"}
    expected |= {"m2", "Me", "tags", "t1", "t2", "t3", "c2", "p1", "nested", "k", "deep", "c9"}
    assert expected <= ids
    assert all(isinstance(i, str) for i in ids)
    assert "amount" in ids
