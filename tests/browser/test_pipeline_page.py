"""The pipeline as a sales director reads it, with a login of his own made the way an
administrator makes it (``dealgraph user add NAME --role sales_director --member ID``, then
``dealgraph user manage``): his account managers' deals in two currencies, one slipped past its
expected close date, one pushed out three times, one won days ago. Debian's Chromium through
playwright-core (``pipeline_page.mjs``) checks the account manager and status of each deal,
the why under the name of a deal not on track, the slipped mark and its count, the filters and
the sort kept in the URL, figures inside their columns at 1366 px, one order of currencies,
the closing day of a closed deal, the requests a load takes, Chinese and a phone. On both back
ends; screenshots land in ``tests/browser/artifacts/<back end>/pipeline-*.png``."""

from __future__ import annotations

import json
import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_run import DAY_MS, DayClock, artifacts, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHECKS = 13  # the checks in pipeline_page.mjs: all must run and pass
K, E = NodeKind, EdgeKind
DIRECTOR = "pl-director"
MANAGERS = {"pl-am-wang": "王浩然", "pl-am-chen": "陈静怡"}
# (id, name, customer (pl-cust-…), account manager (pl-am-…), stage, currency, amount in minor
# units, expected close in days)
DEALS = (
    ("pl-slip", "LIS检验系统项目（三期）", "hz", "chen", "INITIATE", "CNY", 80_000_000, -10),
    ("pl-hrp", "运营管理HRP项目", "hz", "wang", "REQUIREMENTS", "CNY", 15_000_000_000, 90),
    # US$1,234,567,890 beside CN¥: a figure as wide as a pipeline holds
    ("pl-usd", "Cloud PACS rollout", "nw", "wang", "PROPOSAL", "USD", 123_456_789_000, 20),
    ("pl-cny", "智慧病房项目（二期）", "hz", "chen", "PROPOSAL", "CNY", 250_000_000, 40),
    ("pl-won", "数据中台项目（四期）", "nw", "chen", "INITIATE", "CNY", 900_000_000, 100),
)
WON_DAYS_AGO = 5


def book(store: GraphStore, clock: DayClock) -> None:
    """The director's book: two customers, two account managers, five deals; the last one won
    ``WON_DAYS_AGO`` days ago, long before its expected close."""
    store.create(K.CUSTOMER, {"name": "海州市中心医院"}, node_id="pl-cust-hz")
    store.create(K.CUSTOMER, {"name": "Northwind Health"}, node_id="pl-cust-nw")
    store.create(K.TEAM_MEMBER, {"name": "周志强"}, node_id=DIRECTOR)
    for member, name in MANAGERS.items():
        store.create(K.TEAM_MEMBER, {"name": name}, node_id=member)
    for oid, name, customer, manager, stage, currency, amount, days in DEALS:
        close = time.strftime("%Y-%m-%d", time.gmtime(clock.day / 1000 + days * 86_400))
        props = {"name": name, "stage": stage, "currency": currency, "amount": amount}
        props["expected_close_date"] = close
        store.create_opportunity(f"pl-cust-{customer}", props, node_id=oid)
        am = {"role": "ACCOUNT_MANAGER"}
        store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, f"pl-am-{manager}"), (K.OPPORTUNITY, oid), am)
    push_out(store, clock, "pl-cny")
    clock.days_ago(WON_DAYS_AGO)
    ps.advance_stage(
        store,
        opportunity=store.get(K.OPPORTUNITY, "pl-won"),
        to_stage=Stage.WON,
        reason="signed",
        lost_to_competitor_id=None,
        member_id="pl-am-chen",
    )


def push_out(store: GraphStore, clock: DayClock, oid: str) -> None:
    """The deal's close date was six weeks earlier, and moved out by its account manager a
    fortnight at a time, three times in the last month, while the proposal was out (a week
    apart: three decisions, not one date put right)."""
    close = date.fromisoformat(str(store.get(K.OPPORTUNITY, oid)["expected_close_date"]))
    dates = [(close - timedelta(weeks=weeks)).isoformat() for weeks in (6, 4, 2, 0)]
    clock.days_ago(28)
    node = store.update(K.OPPORTUNITY, oid, {"expected_close_date": dates[0]})
    for days_ago, moved in zip((21, 14, 7), dates[1:], strict=True):
        clock.days_ago(days_ago)
        node = store.update(
            K.OPPORTUNITY, oid, {"expected_close_date": moved}, expected_version=node["version"]
        )


def test_the_pipeline_answers_a_sales_director_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    clock = DayClock()
    store = served_backend.open_store(clock)
    book(store, clock)
    security = SecurityStore(store)
    security.add_user("zhou.sd", "sales_director", DIRECTOR)
    for member in MANAGERS:
        security.set_manages(DIRECTOR, member)
    token = security.issue_token("zhou.sd", "browser test").token
    store.close()
    closed_on = time.strftime("%Y-%m-%d", time.gmtime((clock.day - WON_DAYS_AGO * DAY_MS) / 1000))

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKEN": token,
            "WANG": gid("TeamMember", "pl-am-wang"),
            "CHEN": gid("TeamMember", "pl-am-chen"),
            "ZHOU": gid("TeamMember", DIRECTOR),
            "HAIZHOU": gid("Customer", "pl-cust-hz"),
            "WON_ON": closed_on,
            "DEALS": json.dumps({gid("Opportunity", d[0]): d[0] for d in DEALS}),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("pipeline_page.mjs")
        run_checks(script, env, folder / "pipeline-browser.log", CHECKS)
