"""The map page as its users see it, each with their own login made the way an administrator
makes it (``dealgraph user add NAME --role ROLE --member ID``): the demo deal's account manager
accepts a suggestion and tries a what-if in two languages, a viewer on the deal's team reads it
without edit controls, an account manager linked to nobody is told why the pipeline is empty,
and a revoked session says so. Debian's Chromium through playwright-core (``roles_page.mjs``);
screenshots land in ``tests/browser/artifacts/roles-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import run_checks
from test_map_page import ARTIFACTS, CHROMIUM, gid, serve

from dealgraph.demo import load_demo
from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHECKS = 10  # the checks in roles_page.mjs: all must run and pass
LOGINS = {
    "li.am": ("account_manager", "demo-tm-account"),
    "viewer": ("viewer", "demo-tm-service"),
    "solo": ("account_manager", None),
}


def test_the_map_page_for_each_role_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data_dir = tmp_path / "data"
    store = GraphStore(EmbeddedExecutor(data_dir, fsync="no"))
    store.ensure_schema()
    load_demo(store)
    security = SecurityStore(store)
    tokens = {}
    for login, (role, member) in LOGINS.items():
        security.add_user(login, role, member)
        tokens[login] = security.issue_token(login, "browser test").token
    store.close()

    with serve(data_dir) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", "demo-opp-smart-hospital"),
            "PRESIDENT": gid("KeyPerson", "demo-kp-president"),
            "ARTIFACTS": os.fspath(ARTIFACTS),
        }
        script = Path(__file__).with_name("roles_page.mjs")
        run_checks(script, env, ARTIFACTS / "roles-browser.log", CHECKS)
