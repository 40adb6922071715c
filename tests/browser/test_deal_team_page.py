"""The deal's team and competitors kept on the deal page by the people who work it, each with
their own login made the way an administrator makes it: the account manager forms the iron
triangle (someone who left is not offered) and records a competitor, a viewer reads both.
Debian's Chromium through playwright-core (``deal_team_page.mjs``); on both back ends;
screenshots land in ``tests/browser/artifacts/<back end>/team-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from dealgraph.demo import load_demo
from domain.model import NodeKind
from graph import hand_over as ho
from graph.security_store import SecurityStore

pytestmark = pytest.mark.slow

CHECKS = 15  # the checks in deal_team_page.mjs: all must run and pass
LEAVER = "钱已走"
"""A delivery manager who left: not offered for the team."""
LOGINS = {
    "li.am": ("account_manager", "demo-tm-account"),
    "viewer": ("viewer", "demo-tm-service"),
    "ops.admin": ("admin", None),
    "sun.director": ("sales_director", "boss"),
}


def test_the_deal_team_and_competitors_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    store.create(NodeKind.TEAM_MEMBER, {"name": LEAVER, "role": "DELIVERY_MANAGER"}, node_id="gone")
    store.create(NodeKind.TEAM_MEMBER, {"name": "孙总监", "role": "SALES_DIRECTOR"}, node_id="boss")
    plan = ho.hand_over_plan(store, "gone", "demo-tm-account")
    assert plan is not None
    ho.hand_over(store, plan, version=int(plan.member["version"]))
    tokens = logins(store, LOGINS)
    SecurityStore(store).set_manages("boss", "demo-tm-account")  # 孙总监 sees 李明轩's deals
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", "demo-opp-smart-hospital"),
            "ACCOUNTANT": gid("KeyPerson", "demo-kp-chief-accountant"),
            "ARTIFACTS": os.fspath(folder),
            "LEAVER": LEAVER,
        }
        script = Path(__file__).with_name("deal_team_page.mjs")
        run_checks(script, env, folder / "team-browser.log", CHECKS)
