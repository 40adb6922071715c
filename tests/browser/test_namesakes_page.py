"""The deal page, My work and the pipeline where two of ours share a name, and the approvals a
sales director asks for, each login made the way an administrator makes it (``dealgraph user add
NAME --role ROLE --member ID``): two "王伟" on the demo deal (different titles) are told apart
wherever their names are shown (in the pipeline as account managers of another deal); a
director who asks for an approval he would decide is told who decides it instead (never offered
to decide his own request), an account manager and an administrator see what is theirs to do;
an error banner up during a language switch is said again in the new language; one of them alone
on a deal is still told apart on its team card; after the deal sheet is printed the map is back on
the screen as it stood (printing hides it: it is not laid out again for that). Debian's
Chromium through playwright-core (``namesakes_page.mjs``); on both back ends; screenshots land
in ``tests/browser/artifacts/<back end>/namesakes-*.png``."""

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
from graph.security_store import SecurityStore
from graph.store import GraphStore

pytestmark = pytest.mark.slow

CHECKS = 19  # the checks in namesakes_page.mjs: all must run and pass
NAMESAKES = {
    "tm-wang-arch": {
        "name": "王伟",
        "title": "Solution Architect 解决方案架构师",
        "role": "SOLUTION_MANAGER",
    },
    "tm-wang-svc": {
        "name": "王伟",
        "title": "Service Engineer 服务工程师",
        "role": "SERVICE_MANAGER",
    },
}
"""Two of ours with one name, told apart by their titles."""
DIRECTORS = {
    "demo-tm-director": {"name": "周志强", "role": "SALES_DIRECTOR"},
    "tm-zhao": {"name": "赵敏", "role": "SALES_DIRECTOR"},
}
"""Two sales directors who both manage the demo deal's account manager, so both see it."""
LOGINS = {
    "zhou.sd": ("sales_director", "demo-tm-director"),
    "zhao.sd": ("sales_director", "tm-zhao"),
    "li.am": ("account_manager", "demo-tm-account"),
    "wang.svc": ("service_manager", "tm-wang-svc"),
    "admin": ("admin", None),
}


def seed(store: GraphStore) -> dict[str, str]:
    """The demo, the namesakes and the directors; the logins' tokens by login."""
    load_demo(store)
    for node_id, props in {**NAMESAKES, **DIRECTORS}.items():
        store.create(NodeKind.TEAM_MEMBER, props, node_id=node_id)
    tokens = logins(store, LOGINS)
    security = SecurityStore(store)
    for director in DIRECTORS:
        security.set_manages(director, "demo-tm-account")
    return tokens


def environment(base: str, tokens: dict[str, str], folder: Path) -> dict[str, str]:
    """What the script reads: the server, the tokens, the deal and the people by global id."""
    return {
        "BASE_URL": base,
        "TOKENS": json.dumps(tokens),
        "DEMO_ID": gid("Opportunity", "demo-opp-smart-hospital"),
        "NAMESAKES": json.dumps([gid("TeamMember", i) for i in NAMESAKES]),
        "ARTIFACTS": os.fspath(folder),
    }


def test_namesakes_and_a_directors_own_approvals_in_chromium(
    served_backend: ServedBackend,
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    tokens = seed(store)
    store.close()

    with serve_browser(served_backend) as base:
        script = Path(__file__).with_name("namesakes_page.mjs")
        env = environment(base, tokens, folder)
        run_checks(script, env, folder / "namesakes-browser.log", CHECKS)
