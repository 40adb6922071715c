"""The decision-chain map page in a real browser: Debian's Chromium driven by playwright-core
(``map_page.mjs``) against the real server (uvicorn, authentication on) on the demo deal, a
23-person chain (the focus view, on a laptop and a phone) and a 100-person chain, on both back
ends, and a wide, shallow chain of 75 (the overview and the deal sheet name everyone).
Screenshots, exports and the deal sheet land in ``tests/browser/artifacts/<back end>``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import TOOLS, DayClock, artifacts, run_checks, serve_browser
from servers import ServedBackend

from dealgraph.demo import load_demo
from domain.model import EdgeKind, NodeKind
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
DEMO_OPPORTUNITY = "demo-opp-smart-hospital"
BIG_OPPORTUNITY = "browser-big-opp"
PEOPLE = 100
MID_OPPORTUNITY = "browser-mid-opp"
MID_PEOPLE = 23
WIDE_OPPORTUNITY = "browser-wide-opp"
WIDE_PEOPLE = 75
WIDE_DEPARTMENTS = 10
CHECKS = 41  # the checks in map_page.mjs: all must run and pass
ROLES = ("DECISION_MAKER", "TECHNICAL_EVALUATOR", "BUSINESS_EVALUATOR", "USER", "APPROVER")
ATTITUDES = ("OPPONENT", "SKEPTIC", "NEUTRAL", "SUPPORTER", "CHAMPION")


def gid(kind: str, node_id: str) -> str:
    """The global ID the API gives a store node."""
    import base64

    return base64.b64encode(f"{kind}:{node_id}".encode()).decode()


def big_chain(store: GraphStore) -> None:
    """A 100-person chain: a reporting tree in seven departments, influence, our ties, allies."""
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital Group"}, node_id="browser-cust")
    store.create_opportunity(
        "browser-cust",
        {"name": "Hundred-person chain", "amount": 8_000_000_000},
        node_id=BIG_OPPORTUNITY,
    )
    for m in range(3):
        store.create(NodeKind.TEAM_MEMBER, {"name": f"Our member {m}"}, node_id=f"browser-m{m}")
    store.create(NodeKind.COMPETITOR, {"name": "Rival Cloud"}, node_id="browser-rival")
    team_and_rival(store, BIG_OPPORTUNITY)
    people(store, BIG_OPPORTUNITY, "browser-p", "Person", PEOPLE)


def team_and_rival(store: GraphStore, opportunity: str) -> None:
    """Our three members (account, solution, delivery manager) and the rival on a deal."""
    opp = (NodeKind.OPPORTUNITY, opportunity)
    for m, role in enumerate(("ACCOUNT_MANAGER", "SOLUTION_MANAGER", "DELIVERY_MANAGER")):
        store.set_edge(
            EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, f"browser-m{m}"), opp, {"role": role}
        )
    store.set_edge(EdgeKind.COMPETES_FOR, (NodeKind.COMPETITOR, "browser-rival"), opp)


def mid_chain(store: GraphStore) -> None:
    """A 23-person chain of the same customer, worked by the same team: the size of a real deal
    whose fitted map is too small to read."""
    store.create_opportunity(
        "browser-cust",
        {"name": "Regional imaging cloud", "amount": 1_200_000_000},
        node_id=MID_OPPORTUNITY,
    )
    team_and_rival(store, MID_OPPORTUNITY)
    people(store, MID_OPPORTUNITY, "browser-q", "Contact", MID_PEOPLE)


def wide_chain(store: GraphStore) -> None:
    """A wide, shallow chain of 75 in ten departments: a head of each department reports to
    the president, and most people's managers are not in the chain (no reporting line), as a
    hospital group's chain comes in; a few influence someone and our people know a third."""
    store.create_opportunity(
        "browser-cust",
        {"name": "Group-wide HIS upgrade", "amount": 3_800_000_000},
        node_id=WIDE_OPPORTUNITY,
    )
    team_and_rival(store, WIDE_OPPORTUNITY)
    opp = (NodeKind.OPPORTUNITY, WIDE_OPPORTUNITY)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
    for p in range(WIDE_PEOPLE):
        pid = f"browser-w{p:03d}"
        dept = p % WIDE_DEPARTMENTS
        store.create_key_person(
            "browser-cust",
            {"name": f"{surnames[p % 20]}{given[(p * 7) % 20]}{given[p // 20]}"},
            {
                "title": "Director" if p < WIDE_DEPARTMENTS else "Staff",
                "department": f"科室 {dept}",
            },
            node_id=pid,
        )
        chain = {"role": ROLES[p % 5], "attitude": ATTITUDES[p % 5]}
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, pid), opp, chain)
        if 0 < p < WIDE_DEPARTMENTS:
            boss = (NodeKind.KEY_PERSON, "browser-w000")
            store.set_edge(EdgeKind.REPORTS_TO, (NodeKind.KEY_PERSON, pid), boss)
        if p % 5 == 1 and p > WIDE_DEPARTMENTS:
            target = (NodeKind.KEY_PERSON, f"browser-w{p - 7:03d}")
            store.set_edge(
                EdgeKind.INFLUENCES, (NodeKind.KEY_PERSON, pid), target, {"strength": "MODERATE"}
            )
        if p % 3 == 0:
            member = (NodeKind.TEAM_MEMBER, f"browser-m{p % 3}")
            store.set_edge(
                EdgeKind.KNOWS, member, (NodeKind.KEY_PERSON, pid), {"level": "MODERATE"}
            )


def people(store: GraphStore, opportunity: str, prefix: str, name: str, count: int) -> None:
    """``count`` people in an opportunity's chain: each reports to the one at (p - 1) // 4,
    every third influences their manager, every second is known by one of our members and
    every ninth is close to the rival."""
    opp = (NodeKind.OPPORTUNITY, opportunity)
    for p in range(count):
        pid = f"{prefix}{p:03d}"
        person = (NodeKind.KEY_PERSON, pid)
        store.create_key_person(
            "browser-cust",
            {"name": f"{name} {p:03d}"},
            {"title": f"Title {p % 12}", "department": f"Department {p % 7}"},
            node_id=pid,
        )
        chain = {"role": ROLES[p % 5], "attitude": ATTITUDES[p % 5]}
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, person, opp, chain)
        if p:
            boss = (NodeKind.KEY_PERSON, f"{prefix}{(p - 1) // 4:03d}")
            store.set_edge(EdgeKind.REPORTS_TO, person, boss)
            if p % 3 == 0:
                store.set_edge(EdgeKind.INFLUENCES, person, boss, {"strength": "STRONG"})
        if p % 2 == 0:
            member = (NodeKind.TEAM_MEMBER, f"browser-m{p % 3}")
            store.set_edge(EdgeKind.KNOWS, member, person, {"level": "STRONG"})
        if p % 9 == 0:
            store.set_edge(EdgeKind.CLOSE_TO, (NodeKind.COMPETITOR, "browser-rival"), person)


def test_map_page_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), (
        "Chromium is missing: `make test` installs it (apt-get install chromium)"
    )
    assert (TOOLS / "node_modules" / "playwright-core").is_dir(), (
        "run `make test` (npm install in tools/browser)"
    )
    # each test writes over its own files; the other tests' (changes/, roles-*) stay
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    big_chain(store)
    mid_chain(store)
    wide_chain(store)
    store.create_opportunity(
        "browser-cust", {"name": "Lost imaging archive", "amount": 500_000_000, "stage": "LOST"}
    )
    security = SecurityStore(store)
    security.add_user("browser", "admin")
    token = security.issue_token("browser", "browser test").token
    # the demo deal's account manager, who moves it back a stage near the end
    security.add_user("li", "account_manager", "demo-tm-account")
    am_token = security.issue_token("li", "browser test").token
    store.close()

    people = {
        "cio": gid("KeyPerson", "demo-kp-cio"),
        "accountant": gid("KeyPerson", "demo-kp-chief-accountant"),
        "procurement": gid("KeyPerson", "demo-kp-procurement"),
        "president": gid("KeyPerson", "demo-kp-president"),
        # in the 23-person chain: four reports, an influencer and one of ours; and two reports
        "wide": gid("KeyPerson", "browser-q004"),
        "narrow": gid("KeyPerson", "browser-q005"),
    }
    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKEN": token,
            "AM_TOKEN": am_token,
            "DEMO_ID": gid("Opportunity", DEMO_OPPORTUNITY),
            "BIG_ID": gid("Opportunity", BIG_OPPORTUNITY),
            "MID_ID": gid("Opportunity", MID_OPPORTUNITY),
            "WIDE_ID": gid("Opportunity", WIDE_OPPORTUNITY),
            "PEOPLE": json.dumps(people),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("map_page.mjs")
        stdout = run_checks(script, env, folder / "browser.log", CHECKS)
    timing = next(line for line in stdout.splitlines() if line.startswith("TIMINGS "))
    (folder / "timings.json").write_text(timing.removeprefix("TIMINGS "), encoding="utf-8")
