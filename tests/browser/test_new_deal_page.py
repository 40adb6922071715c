"""Starting a deal in the app, as deployed: an account manager with a login of their own (made the
way an administrator makes it, ``dealgraph user add NAME --role ROLE --member ID``) opens *New
deal* on the pipeline, creates a deal for a new customer, lands on its empty map and adds the
first person of the chain; a blank name is refused at its field in Chinese; a viewer is offered
no *New deal*; a won deal's Process card offers only what follows the award. Desktop and a 390 px
phone, on both back ends; screenshots land in
``tests/browser/artifacts/<back end>/new-deal-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM

from domain.model import EdgeKind, NodeKind
from graph.store import TeamLink

pytestmark = pytest.mark.slow

CHECKS = 17  # the checks in new_deal_page.mjs: all must run and pass
ACCOUNT_MANAGER = {"name": "王磊", "role": "ACCOUNT_MANAGER"}
SERVICE_MANAGER = {"name": "陈静", "role": "SERVICE_MANAGER"}
# Accounts the account manager already has: enough that the form offers a search by name.
CUSTOMERS = [
    ("华东医疗集团", "医疗", "华东"),
    ("江南银行", "金融", "华东"),
    ("北方电网", "能源", "华北"),
    ("西部航空", "交通", "西南"),
    ("星河证券", "金融", "华南"),
    ("南山大学", "教育", "华南"),
    ("青松保险", "金融", "华北"),
    ("东海港务", "交通", "华东"),
    ("云岭烟草", "制造", "西南"),
    ("长江水务", "公用事业", "华中"),
    ("黄河钢铁", "制造", "华北"),
    ("珠江地铁", "交通", "华南"),
]
LOGINS = {
    "wang.am": ("account_manager", "nd-tm-am"),
    "chen.viewer": ("viewer", "nd-tm-service"),
    "ops.admin": ("admin", None),
}


def test_an_account_manager_starts_a_deal_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    store.create(NodeKind.TEAM_MEMBER, ACCOUNT_MANAGER, node_id="nd-tm-am")
    store.create(NodeKind.TEAM_MEMBER, SERVICE_MANAGER, node_id="nd-tm-service")
    for number, (name, industry, region) in enumerate(CUSTOMERS):
        props = {"name": name, "industry": industry, "region": region}
        team = TeamLink("nd-tm-am", "ACCOUNT_MANAGER")  # the accounts he already serves
        store.create(NodeKind.CUSTOMER, props, node_id=f"nd-cust-{number}", team=team)
    # a deal he won last month: only what follows the award is still asked for on it
    store.create_opportunity(
        "nd-cust-7",
        {"name": "东海港务码头调度系统", "stage": "WON"},
        node_id="nd-won",
        team=TeamLink("nd-tm-am", "ACCOUNT_MANAGER"),
    )
    # its decision maker is on its map
    store.create_key_person("nd-cust-7", {"name": "港务李总"}, node_id="nd-won-dm")
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "nd-won-dm"),
        (NodeKind.OPPORTUNITY, "nd-won"),
        {"role": "DECISION_MAKER", "attitude": "CHAMPION"},
    )
    # its delivery triangle has its service manager so far
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "nd-tm-service"),
        (NodeKind.OPPORTUNITY, "nd-won"),
        {"role": "SERVICE_MANAGER", "phase": "DELIVERY"},
    )
    tokens = logins(store, LOGINS)
    store.close()

    with serve_browser(served_backend) as base:
        env = {"BASE_URL": base, "TOKENS": json.dumps(tokens), "ARTIFACTS": os.fspath(folder)}
        script = Path(__file__).with_name("new_deal_page.mjs")
        run_checks(script, env, folder / "new-deal-browser.log", CHECKS)
