"""Kept derived results over GraphQL: after each kind of change the next read shows the new
result, the same as a computation from scratch, on both back ends.

Each test reads the demo deal's judgements (likelihood, red flags, gaps, suggested plan, the
president's scores), makes one change through the API or the rules, and compares the next
read with the read before and with a read after every kept result was forgotten. The store's
clock is the test's, so time passes when a test says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, empty_graph, gid, serve

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import NodeKind
from graph.executor import Executor
from graph.store import GraphStore, now_ms
from resolvers import rules
from resolvers.derived import DAY_MS, KEPT

OPPORTUNITY = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")
CIO = gid(NodeKind.KEY_PERSON, "demo-kp-cio")
ACCOUNT_MANAGER = gid(NodeKind.TEAM_MEMBER, "demo-tm-account")
SOLUTION_MANAGER = gid(NodeKind.TEAM_MEMBER, "demo-tm-solution")
HOUR_MS = 3_600_000
ROOT = Path(rules.__file__).resolve().parent.parent

VIEW = """query($id: ID!, $p: ID!) {
  node(id: $id) { ... on Opportunity {
    assessment { canWin { value } winLikelihood { value logit } }
    analysis { redFlags { code text persons { id } } gaps { person { id } kinds severity } }
    suggestedWorkPlan(limit: 10) { actionKey target { id } owner { id } dueDate rationale } } }
  person: node(id: $p) { ... on KeyPerson { scores(opportunityId: $id) {
    closeness { value } solution { value } price { value } } } } }"""

CHAIN_MEMBER = """mutation($input: DecisionChainMemberInput!) {
  decisionChainMemberSet(input: $input) { userErrors { field message } } }"""
KNOWS = """mutation($input: KnowsInput!) {
  knowsSet(input: $input) { userErrors { field message } } }"""
ACTIVITY = """mutation($input: ActivityLogInput!) {
  activityLog(input: $input) { userErrors { field message } } }"""
UNASSIGN = """mutation($input: TeamAssignInput!) {
  teamUnassign(input: $input) { userErrors { field message } } }"""
UPDATE = """mutation($id: ID!, $input: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $input) { userErrors { field message } } }"""
VERSION = """query($id: ID!) { node(id: $id) { ... on Opportunity { version } } }"""


class Clock:
    """A store clock the test moves: 10:00 UTC today when it starts."""

    def __init__(self) -> None:
        self.now = now_ms() // DAY_MS * DAY_MS + 10 * HOUR_MS

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def world(api_executor: Executor) -> Iterator[tuple[Api, Clock]]:
    """The demo deal on an emptied store, served as deployed, with the test's clock."""
    empty_graph(api_executor)
    clock = Clock()
    store = GraphStore(api_executor, clock=clock)
    load_demo(store)
    installed = rules.active()
    KEPT.clear()
    with serve(store) as api:
        yield api, clock
    rules.install(installed)


def view(api: Api) -> dict[str, Any]:
    return api.data(VIEW, {"id": OPPORTUNITY, "p": PRESIDENT})


def from_scratch(api: Api) -> dict[str, Any]:
    """The same read with nothing kept: what a computation from scratch says now."""
    KEPT.clear()
    return view(api)


def changed(api: Api, before: dict[str, Any]) -> dict[str, Any]:
    """The next read after a change: new, and equal to a computation from scratch."""
    after = view(api)
    assert after != before, "the change did not reach the next read"
    assert after == from_scratch(api)
    return after


def test_a_repeated_read_is_served_from_the_kept_result(world: tuple[Api, Clock]) -> None:
    api, _ = world
    first = view(api)
    misses, hits = KEPT.misses, KEPT.hits
    assert view(api) == first
    assert KEPT.misses == misses
    assert KEPT.hits > hits


def test_an_attitude(world: tuple[Api, Clock]) -> None:
    api, _ = world
    before = view(api)
    member = {"personId": PRESIDENT, "opportunityId": OPPORTUNITY, "role": "DECISION_MAKER"}
    api.mutate(CHAIN_MEMBER, {"input": {**member, "attitude": "CHAMPION"}})
    changed(api, before)


def test_a_tie_of_our_team(world: tuple[Api, Clock]) -> None:
    api, _ = world
    before = view(api)
    tie = {"targetPersonId": PRESIDENT, "memberId": ACCOUNT_MANAGER, "level": "VERY_STRONG"}
    api.mutate(KNOWS, {"input": tie})
    changed(api, before)


def test_an_activity(world: tuple[Api, Clock]) -> None:
    api, clock = world
    before = view(api)
    visit = {
        "type": "VISIT",
        "occurredAt": _iso(clock.now - HOUR_MS),
        "summary": "Met the president",
        "personIds": [PRESIDENT],
        "memberIds": [ACCOUNT_MANAGER],
        "opportunityId": OPPORTUNITY,
        "outcome": "POSITIVE",
    }
    api.mutate(ACTIVITY, {"input": visit})
    changed(api, before)


def test_a_team_member(world: tuple[Api, Clock]) -> None:
    api, _ = world
    before = view(api)
    assignment = {"memberId": ACCOUNT_MANAGER, "targetId": OPPORTUNITY, "role": "ACCOUNT_MANAGER"}
    api.mutate(UNASSIGN, {"input": assignment})
    changed(api, before)


def test_an_opportunity_field(world: tuple[Api, Clock]) -> None:
    api, _ = world
    before = view(api)
    version = api.data(VERSION, {"id": OPPORTUNITY})["node"]["version"]
    api.mutate(UPDATE, {"id": OPPORTUNITY, "input": {"version": version, "budget": 1}})
    changed(api, before)


def test_the_strategy_config(world: tuple[Api, Clock], tmp_path: Path) -> None:
    api, _ = world
    before = view(api)
    packaged = (ROOT / "strategy" / "config.toml").read_text()
    assert "intercept = -0.1" in packaged
    config = tmp_path / "config.toml"
    config.write_text(packaged.replace("intercept = -0.1", "intercept = 1.5"))
    rules.install(rules.load_rules(strategy_file=config))
    changed(api, before)


def test_the_process_file(world: tuple[Api, Clock], tmp_path: Path) -> None:
    """The analysis reads no process rule, so its figures stay; but nothing computed under
    the old rules is served under the new ones."""
    api, _ = world
    before = view(api)
    packaged = (ROOT / "strategy" / "tas" / "process.toml").read_text()
    process = tmp_path / "process.toml"
    process.write_text(packaged.replace('name_en = "Validate opportunity"', 'name_en = "Qualify"'))
    rules.install(rules.load_rules(process_file=process))
    misses = KEPT.misses
    assert view(api) == before
    assert KEPT.misses == misses + 1


def test_time_passing_a_planned_activity_and_a_day(world: tuple[Api, Clock]) -> None:
    """A planned visit counts once its time has come; decay moves on at the day boundary."""
    api, clock = world
    planned = {
        "type": "VISIT",
        "occurredAt": _iso(clock.now + 2 * HOUR_MS),
        "summary": "Visit the president",
        "personIds": [PRESIDENT],
        "memberIds": [ACCOUNT_MANAGER],
        "opportunityId": OPPORTUNITY,
    }
    api.mutate(ACTIVITY, {"input": planned})
    before = view(api)
    clock.now += HOUR_MS
    misses = KEPT.misses
    assert view(api) == before  # nothing has happened yet: the kept result is still right
    assert KEPT.misses == misses
    clock.now += HOUR_MS + 1
    after_visit = changed(api, before)
    clock.now += DAY_MS
    changed(api, after_visit)


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")
