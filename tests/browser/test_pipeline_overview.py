"""The top of the pipeline as a sales director prepares his Monday session with it: his own
login (``dealgraph user add NAME --role sales_director --member ID``, then ``dealgraph user
manage`` for each of his four people), another director with a team and a book of his own. The
book: open deals that skipped their approvals (the sweep raises their violations, one of them
answered by its account manager), one deal meeting its gate, deals won, lost and abandoned on
days around the quarter, and one entered already won. Debian's Chromium through playwright-core
(``pipeline_overview.mjs``) checks the open violations by rule (unanswered and answered, each a
way into its deals), the gate compliance, won and lost with their amounts and the win rate (the
deal entered already won set apart), each against figures the
script works out from the API itself, in English and in Chinese, at 1280 px and on a phone; the
other director's deals are counted for him, never for the first. On both back ends; screenshots
land in ``tests/browser/artifacts/<back end>/overview-*.png``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHECKS = 9  # the checks in pipeline_overview.mjs: all must run and pass
K, E = NodeKind, EdgeKind
TEAM = {
    "ov-zhou": ("周志强", "SALES_DIRECTOR"),
    "ov-wang": ("王浩然", "ACCOUNT_MANAGER"),
    "ov-chen": ("陈静怡", "ACCOUNT_MANAGER"),
    "ov-su": ("苏婉清", "SOLUTION_MANAGER"),
    "ov-liu": ("刘洋", "DELIVERY_MANAGER"),
    # the other director and his account manager: a book of their own
    "ov-zhao": ("赵磊", "SALES_DIRECTOR"),
    "ov-li": ("李明", "ACCOUNT_MANAGER"),
}
MANAGES = {"ov-zhou": ("ov-wang", "ov-chen", "ov-su", "ov-liu"), "ov-zhao": ("ov-li",)}
LOGINS = {
    "admin": ("admin", None),
    "zhou.sd": ("sales_director", "ov-zhou"),
    "zhao.sd": ("sales_director", "ov-zhao"),
    "chen.am": ("account_manager", "ov-chen"),
}
# (id, name, account manager, stage now, amount in CNY fen, closed so many days ago, or None:
# open, created in that stage)
DEALS = (
    ("ov-val", "智慧病房项目（一期）", "ov-chen", "VALIDATE", 60_000_000, None),
    ("ov-init", "LIS检验系统项目", "ov-chen", "INITIATE", 150_000_000, None),
    ("ov-bid", "运营管理HRP项目", "ov-wang", "BIDDING", 800_000_000, None),
    ("ov-won", "数据中台项目", "ov-wang", "WON", 200_000_000, 6),
    ("ov-won2", "Cloud PACS rollout", "ov-chen", "WON", 90_000_000, 40),
    ("ov-lost", "互联网医院平台", "ov-wang", "LOST", 120_000_000, 3),
    ("ov-lost-old", "病案管理系统", "ov-chen", "LOST", 70_000_000, 200),
    ("ov-gone", "体检中心系统", "ov-chen", "ABANDONED", 30_000_000, 10),
    # the other director's: never counted for the first
    ("ov-b-bid", "智慧后勤项目", "ov-li", "BIDDING", 500_000_000, None),
    ("ov-b-won", "医保结算平台", "ov-li", "WON", 990_000_000, 2),
    ("ov-b-lost", "远程会诊平台", "ov-li", "LOST", 40_000_000, 5),
)
ENTERED = ("ov-moved", "区域影像平台", "ov-chen", "WON", 50_000_000, 4)
"""A deal an administrator entered 4 days ago already won (history from another system): the
results set it apart, it is no win of this period."""
OPENED_DAYS_AGO = {"ov-bid": 40, "ov-b-bid": 40}
"""Open deals that came in weeks ago, their required actions overdue and no contact since; the
other open ones came in today."""


def book(store: GraphStore, clock: DayClock) -> None:
    """Our people, who manages whom, the customers and the deals, each closed deal moved to its
    end on its day (from the stage before it, as its account manager moved it)."""
    for member, (name, role) in TEAM.items():
        store.create(K.TEAM_MEMBER, {"name": name, "role": role}, node_id=member)
    store.create(K.CUSTOMER, {"name": "海州市中心医院"}, node_id="ov-hz")
    for oid, name, manager, stage, amount, days_ago in DEALS:
        clock.days_ago(days_ago + 30 if days_ago else OPENED_DAYS_AGO.get(oid, 0))
        props = {"name": name, "stage": "NEGOTIATION" if days_ago else stage, "amount": amount}
        props["expected_close_date"] = "2099-12-31" if days_ago else day_after(clock, 90)
        store.create_opportunity("ov-hz", props, node_id=oid)
        am = {"role": "ACCOUNT_MANAGER"}
        store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, manager), (K.OPPORTUNITY, oid), am)
        if days_ago is None:
            continue
        clock.days_ago(days_ago)
        ps.advance_stage(
            store,
            opportunity=store.get(K.OPPORTUNITY, oid),
            to_stage=Stage(stage),
            reason=None if stage == "WON" else "the customer chose otherwise",
            lost_to_competitor_id=None,
            member_id=manager,
        )
    oid, name, manager, stage, amount, days_ago = ENTERED
    clock.days_ago(days_ago)
    store.create_opportunity("ov-hz", {"name": name, "stage": stage, "amount": amount}, node_id=oid)
    am = {"role": "ACCOUNT_MANAGER"}
    store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, manager), (K.OPPORTUNITY, oid), am)
    clock.days_ago(0)


def day_after(clock: DayClock, days: int) -> str:
    """The day ``days`` after today (UTC)."""
    return time.strftime("%Y-%m-%d", time.gmtime(clock.day / 1000 + days * 86_400))


def test_the_pipeline_overview_answers_a_directors_monday_session_in_chromium(
    served_backend: ServedBackend,
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    clock = DayClock()
    store = served_backend.open_store(clock)
    book(store, clock)
    tokens = logins(store, LOGINS)
    security = SecurityStore(store)
    for director, members in MANAGES.items():
        for member in members:
            security.set_manages(director, member)
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEALS": json.dumps({gid("Opportunity", d[0]): d[0] for d in (*DEALS, ENTERED)}),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("pipeline_overview.mjs")
        run_checks(script, env, folder / "overview-browser.log", CHECKS)
