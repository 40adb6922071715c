"""My work and Team activity as a sales director uses them over his team's book: the director
manages two account managers, each login made the way an administrator makes it (``dealgraph
user add NAME --role ROLE --member ID``, ``dealgraph user manage``); the book (two hospitals with
a deal of the same name, the work plan items, this week's and older activities) is written
through the API by the script itself. Debian's Chromium through playwright-core
(``work_page.mjs``); on both back ends; screenshots land in
``tests/browser/artifacts/<back end>/work-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from domain.model import NodeKind
from graph.security_store import SecurityStore

pytestmark = pytest.mark.slow

CHECKS = 15  # the checks in work_page.mjs: all must run and pass
TEAM = {
    "tm-zhou": ("周志强", "SALES_DIRECTOR"),
    "tm-chen": ("陈静怡", "ACCOUNT_MANAGER"),
    "tm-wang": ("王浩然", "ACCOUNT_MANAGER"),
    "tm-su": ("苏婉清", "SOLUTION_MANAGER"),
    # of ours, not managed by the director, owning nothing he sees
    "tm-li": ("李明轩", "ACCOUNT_MANAGER"),
}
LOGINS = {
    "admin": ("admin", None),
    "zhou.sd": ("sales_director", "tm-zhou"),
    "chen.am": ("account_manager", "tm-chen"),
    "viewer": ("viewer", "tm-su"),
}


def test_my_work_and_team_activity_for_a_director_in_chromium(
    served_backend: ServedBackend,
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    for node_id, (name, role) in TEAM.items():
        store.create(NodeKind.TEAM_MEMBER, {"name": name, "role": role}, node_id=node_id)
    tokens = logins(store, LOGINS)
    security = SecurityStore(store)
    for member in ("tm-chen", "tm-wang"):
        security.set_manages("tm-zhou", member)
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "MEMBERS": json.dumps(
                {name: gid("TeamMember", node_id) for node_id, (name, _) in TEAM.items()},
                ensure_ascii=False,
            ),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("work_page.mjs")
        run_checks(script, env, folder / "work-browser.log", CHECKS)
