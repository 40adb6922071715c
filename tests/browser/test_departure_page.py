"""A key person who left the customer, in a real browser, as the account manager records it and
the team then meets it: the logins made the way an administrator makes them (``dealgraph user
add li.am --role account_manager --member demo-tm-account``, the solution manager's, a viewer
on the deal's team), the demo deal's CIO recorded as rotated to group headquarters on his
panel, who holds his job now named there (the data engineer first, put on the chain in his
place from the card, then the deputy, promoted), asked for his successor on a second deal (not
asked again on this one, his card saying who asks him), then the record undone. Debian's Chromium
through playwright-core (``departure_page.mjs``); on both back ends; screenshots land in
``tests/browser/artifacts/<back end>/departure-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import EdgeKind, NodeKind

pytestmark = pytest.mark.slow

PACS = "影像平台（PACS）升级"
CHECKS = 11  # the checks in departure_page.mjs: all must run and pass
LOGINS = {
    "li.am": ("account_manager", "demo-tm-account"),
    "su.sm": ("solution_manager", "demo-tm-solution"),
    "board": ("viewer", "demo-tm-service"),
}


def test_a_key_person_who_left_is_recorded_and_undone_in_chromium(
    served_backend: ServedBackend,
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    # the CIO sits on a second deal of the customer's, the account manager's too
    store.create_opportunity("demo-cust-jzph", {"name": PACS}, node_id="pacs")
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "demo-kp-cio"),
        (NodeKind.OPPORTUNITY, "pacs"),
        {"role": "TECHNICAL_EVALUATOR", "influence": "HIGH", "attitude": "CHAMPION"},
    )
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "demo-tm-account"),
        (NodeKind.OPPORTUNITY, "pacs"),
        {"role": "ACCOUNT_MANAGER"},
    )
    tokens = logins(store, LOGINS)
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", DEMO_OPPORTUNITY_ID),
            "CIO": gid("KeyPerson", "demo-kp-cio"),
            "FINANCE": gid("KeyPerson", "demo-kp-finance-director"),
            "DATA": gid("KeyPerson", "demo-kp-data-engineer"),
            "REPORT": gid("WorkPlanItem", "demo-wp-poc-report"),
            "PACS": gid("Opportunity", "pacs"),
            "PACS_NAME": PACS,
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("departure_page.mjs")
        run_checks(script, env, folder / "departure-browser.log", CHECKS)
