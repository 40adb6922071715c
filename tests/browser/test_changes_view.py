"""The map page's "What changed" view in a real browser: Debian's Chromium driven by
playwright-core (``changes_view.mjs``) against the real server (uvicorn, authentication on).

The deal's first weeks are written before the server starts, at past instants (created 50 days
ago, stage gates 40 and 20 days ago); the server then takes changes through the API (a person
turns, one joins, one leaves, a tie grows, a rival gets close to someone). The page shows the
diff since a date and between two gates, in English and Chinese, marks the changed people on
the map and charts the likelihood. On both back ends; screenshots land in
``tests/browser/artifacts/<back end>/changes``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_run import TOOLS, DayClock, artifacts, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.scope import Actor
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHECKS = 7  # the checks in changes_view.mjs: all must run and pass
K, E = NodeKind, EdgeKind
OPP = "chg-opp"


def first_weeks(store: GraphStore, clock: DayClock) -> None:
    """Created 50 days ago with Li and Wang; gate INITIATE 40 days ago; Zhao joins and Li is
    visited 33 days ago; the quote is submitted and its amount changed 25 days ago; gate
    REQUIREMENTS 20 days ago."""
    store.create(K.CUSTOMER, {"name": "Provincial People's Hospital"}, node_id="chg-cust")
    people = (
        ("chg-li", "Li Wei", "CIO"),
        ("chg-wang", "Wang Fang", "Head of Radiology"),
        ("chg-zhao", "Zhao Lei", "IT Operations"),
        ("chg-qian", "Qian Jun", "Procurement"),
        ("chg-sun", "Sun Hui", "Finance"),
    )
    for pid, name, title in people:
        store.create_key_person("chg-cust", {"name": name}, {"title": title}, node_id=pid)
    store.create_opportunity(
        "chg-cust", {"name": "Imaging cloud", "amount": 480_000_000}, node_id=OPP
    )
    opp = (K.OPPORTUNITY, OPP)
    store.create(K.TEAM_MEMBER, {"name": "Chen (AM)"}, node_id="chg-me")
    store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, "chg-me"), opp, {"role": "ACCOUNT_MANAGER"})
    store.create(K.COMPETITOR, {"name": "Rival Cloud"}, node_id="chg-rival")
    store.set_edge(E.COMPETES_FOR, (K.COMPETITOR, "chg-rival"), opp, {"position": "LEADING"})
    for pid, role, attitude in (
        ("chg-li", "DECISION_MAKER", "NEUTRAL"),
        ("chg-wang", "TECHNICAL_EVALUATOR", "SKEPTIC"),
        ("chg-sun", "APPROVER", "NEUTRAL"),
    ):
        props = {"role": role, "attitude": attitude}
        store.set_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), opp, props)
    store.set_edge(E.REPORTS_TO, (K.KEY_PERSON, "chg-wang"), (K.KEY_PERSON, "chg-li"))
    store.set_edge(E.REPORTS_TO, (K.KEY_PERSON, "chg-zhao"), (K.KEY_PERSON, "chg-li"))
    store.set_edge(E.KNOWS, (K.TEAM_MEMBER, "chg-me"), (K.KEY_PERSON, "chg-li"), {"level": "WEAK"})

    def advance(stage: Stage) -> None:
        ps.advance_stage(
            store,
            opportunity=store.get(K.OPPORTUNITY, OPP),
            to_stage=stage,
            reason=None,
            lost_to_competitor_id=None,
            member_id="chg-me",
        )

    clock.days_ago(40)
    advance(Stage.INITIATE)
    clock.days_ago(33)
    joins = {"role": "USER", "attitude": "NEUTRAL"}
    store.set_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, "chg-zhao"), opp, joins)
    store.log_activity(
        {"type": "VISIT", "occurred_at": clock(), "outcome": "POSITIVE", "summary": "site visit"},
        person_ids=["chg-li"],
        member_ids=["chg-me"],
        opportunity_id=OPP,
    )
    clock.days_ago(25)
    # the account manager submits a quote, then changes its amount: the quote goes back to draft
    chen = Actor("chen", "chen", "chg-me")
    store.update(K.OPPORTUNITY, OPP, {"quote_amount": 100_000_000, "quote_status": "DRAFT"})
    ps.submit_quote(store, store.get(K.OPPORTUNITY, OPP), actor=chen)
    again = {"quote_amount": 120_000_000}
    ps.update_resetting_quote(store, store.get(K.OPPORTUNITY, OPP), again, actor=chen)
    clock.days_ago(20)
    advance(Stage.REQUIREMENTS)


def through_the_api(base: str, token: str) -> None:
    """Last week's changes, made the way the page and other clients make them."""
    opp = gid("Opportunity", OPP)

    def person(key: str) -> str:
        return gid("KeyPerson", key)

    def mutate(name: str, input_type: str, values: dict[str, Any]) -> None:
        query = f"""mutation($i: {input_type}!) {{ {name}(input: $i) {{
            userErrors {{ field message }} }} }}"""
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": query, "variables": {"i": values}},
            headers={"authorization": f"Bearer {token}"},
            timeout=60,
        ).json()
        assert "errors" not in answer, answer
        assert not answer["data"][name]["userErrors"], answer

    member = "DecisionChainMemberInput"
    mutate(
        "decisionChainMemberSet",
        member,
        {
            "personId": person("chg-wang"),
            "opportunityId": opp,
            "role": "TECHNICAL_EVALUATOR",
            "attitude": "SUPPORTER",
        },
    )
    mutate(
        "decisionChainMemberSet",
        member,
        {"personId": person("chg-qian"), "opportunityId": opp, "role": "PROCUREMENT"},
    )
    mutate(
        "decisionChainMemberRemove",
        member,
        {"personId": person("chg-sun"), "opportunityId": opp, "role": "APPROVER"},
    )
    mutate(
        "knowsSet",
        "KnowsInput",
        {
            "memberId": gid("TeamMember", "chg-me"),
            "targetPersonId": person("chg-li"),
            "level": "STRONG",
        },
    )
    mutate(
        "competitorTieSet",
        "CompetitorTieInput",
        {
            "competitorId": gid("Competitor", "chg-rival"),
            "personId": person("chg-zhao"),
            "level": "STRONG",
        },
    )


def test_what_changed_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    assert (TOOLS / "node_modules" / "playwright-core").is_dir(), "run `make browser-deps`"
    folder = artifacts(served_backend) / "changes"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    clock = DayClock(days_ago=50)
    store = served_backend.open_store(clock)
    first_weeks(store, clock)
    security = SecurityStore(store)
    security.add_user("browser", "admin")
    token = security.issue_token("browser", "browser test").token
    store.close()

    people = {key: gid("KeyPerson", f"chg-{key}") for key in ("li", "wang", "zhao", "qian")}
    with serve_browser(served_backend) as base:
        through_the_api(base, token)
        env = {
            "BASE_URL": base,
            "TOKEN": token,
            "OPP_ID": gid("Opportunity", OPP),
            "PEOPLE": json.dumps(people),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("changes_view.mjs")
        run_checks(script, env, folder / "browser.log", CHECKS)
