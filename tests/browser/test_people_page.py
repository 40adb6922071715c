"""Our people as an administrator manages them, each person with a login of their own made the
way an administrator makes it: 李明轩 of the demo deal leaves and his work is handed over to a
new account manager, 周文博. Debian's Chromium through playwright-core (``people_page.mjs``)
checks the list with whom each reports to, the hand-over form's warning that 孙总监 would lose
sight of the deals (not 钱总监 above him, who sees the deal through 邓志刚 on its team too) and
its way to 周文博's managers (孙总监 made his manager there keeps seeing
the deal, as his own login reads it), a circle refused in the form, a line removed, what the
hand-over reports (the deal, the triangle it leaves lacking a role, the relationships to build
anew, the login stopped), the deal's team after it, a login given to 蒋雨桐 (a name taken
refused at its field; the token shown once signs in as her), its token revoked on the page, her
role changed and the login disabled (its token stops) and enabled again, two of ours named 王伟
told apart, by title and by e-mail, in their rows, in the question before a third is added and in
their logins' forms and notices, a hand-over on a stale read, the stopped token, an account
manager's view without the page's link, Chinese and a phone. On both back ends; screenshots land in
``tests/browser/artifacts/<back end>/people-*.png``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_run import DayClock, artifacts, logins, run_checks, serve_browser
from people import TWO_WANG_WEI, manage
from servers import ServedBackend
from test_map_page import CHROMIUM, gid

from dealgraph.demo import load_demo
from domain.model import EdgeKind, NodeKind

pytestmark = pytest.mark.slow

CHECKS = 18  # the checks in people_page.mjs: all must run and pass
LOGINS = {
    "admin": ("admin", None),
    "li.am": ("account_manager", "demo-tm-account"),
    "zhou.am": ("account_manager", "pp-zhou"),
    "sun.director": ("sales_director", "pp-sun"),
    "qian.director": ("sales_director", "pp-qian"),
    "wang.am": ("account_manager", "tm-wang-am"),  # TWO_WANG_WEI's other is given one on the page
}


def test_an_account_manager_s_work_is_handed_over_in_chromium(
    served_backend: ServedBackend,
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    load_demo(store)
    store.create(
        NodeKind.TEAM_MEMBER, {"name": "周文博", "role": "ACCOUNT_MANAGER"}, node_id="pp-zhou"
    )
    # 周文博 opened the deal (its acquisition): taking over, he keeps that place, and the deal
    # phase's triangle lacks its account manager until someone puts him there
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "pp-zhou"),
        (NodeKind.OPPORTUNITY, "demo-opp-smart-hospital"),
        {"role": "ACCOUNT_MANAGER", "phase": "ACQUISITION"},
    )
    # 孙总监 directs 李明轩, not 周文博: the form warns that he will not see the deals any more
    store.create(
        NodeKind.TEAM_MEMBER, {"name": "孙总监", "role": "SALES_DIRECTOR"}, node_id="pp-sun"
    )
    manage(store, "pp-sun", ["demo-tm-account"])
    # 钱总监 is above 孙总监 and directs 邓志刚 on the deal too: he keeps seeing it, unnamed
    store.create(
        NodeKind.TEAM_MEMBER, {"name": "钱总监", "role": "SALES_DIRECTOR"}, node_id="pp-qian"
    )
    manage(store, "pp-qian", ["pp-sun", "demo-tm-delivery"])
    # two of ours named 王伟, one told apart by title, the other by e-mail
    for member_id, (name, role, title, email, *_) in TWO_WANG_WEI.items():
        props = {"name": name, "role": role, "title": title, "email": email}
        store.create(NodeKind.TEAM_MEMBER, {k: v for k, v in props.items() if v}, node_id=member_id)
    tokens = logins(store, LOGINS)
    store.close()

    with serve_browser(served_backend) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", "demo-opp-smart-hospital"),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("people_page.mjs")
        run_checks(script, env, folder / "people-browser.log", CHECKS)


FIRST_CHECKS = 4  # the checks in people_first_page.mjs: all must run and pass


def test_our_first_people_are_added_and_given_a_login_in_chromium(
    served_backend: ServedBackend,
) -> None:
    """Before anyone is with us the list says so; the first two are added through the page, one
    reports to the other and is given a login: the notice of the reporting line goes once the
    token is shown, and no second login is offered (``people_first_page.mjs``)."""
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    store = served_backend.open_store(DayClock())
    tokens = logins(store, {"admin": ("admin", None)})
    store.close()

    with serve_browser(served_backend) as base:
        env = {"BASE_URL": base, "TOKENS": json.dumps(tokens), "ARTIFACTS": os.fspath(folder)}
        script = Path(__file__).with_name("people_first_page.mjs")
        run_checks(script, env, folder / "people-first-browser.log", FIRST_CHECKS)
