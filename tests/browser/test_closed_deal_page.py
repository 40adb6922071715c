"""A deal lost, in a real browser, as its account manager marks it and the team then meets it:
his login made the way an administrator makes it (``dealgraph user add li.am --role
account_manager --member demo-tm-account``), the demo deal open with its items, then lost to the
cloud rival in the Move card, after which nothing reads as live. Debian's Chromium through
playwright-core (``closed_deal_page.mjs``); on both back ends; screenshots land in
``tests/browser/artifacts/<back end>/closed-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo

pytestmark = pytest.mark.slow

CHECKS = 8  # the checks in closed_deal_page.mjs: all must run and pass
LOGINS = {"li.am": ("account_manager", "demo-tm-account")}


def test_a_deal_marked_lost_reads_as_decided_in_chromium(served_backend: ServedBackend) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    tokens = logins(store, LOGINS)
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", DEMO_OPPORTUNITY_ID),
            "PERSON": gid("KeyPerson", "demo-kp-chief-accountant"),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("closed_deal_page.mjs")
        run_checks(script, env, folder / "closed-browser.log", CHECKS)
