"""The map page as its users see it, each with their own login made the way an administrator
makes it (``dealgraph user add NAME --role ROLE --member ID``): the demo deal's account manager
accepts a suggestion and tries a what-if in two languages, a viewer on the deal's team reads it
without edit controls, an account manager linked to nobody is told why the pipeline is empty,
a violation acknowledged three weeks ago and still so comes back on the deal's card, and a
revoked session says so. Debian's Chromium through playwright-core (``roles_page.mjs``);
on both back ends; screenshots land in ``tests/browser/artifacts/<back end>/roles-*.png``.

The server runs a company's own process file, the packaged one with one change: leaving value
presentation needs the POC approval (4-1), which may give hours besides its scope and dates,
so that the request form's typed fields are filled in the browser (no default gate asks for a
process with fields)."""

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
from graph import process_store as ps
from graph.security_store import SecurityStore
from graph.store import GraphStore
from resolvers.violations import sweep
from strategy.tas import load_process

pytestmark = pytest.mark.slow

CHECKS = 47  # the checks in roles_page.mjs: all must run and pass
LOGINS = {
    "li.am": ("account_manager", "demo-tm-account"),
    "viewer": ("viewer", "demo-tm-service"),
    "solo": ("account_manager", None),
    "deng.dm": ("delivery_manager", "demo-tm-delivery"),
    "zhou.sd": ("sales_director", "demo-tm-director"),
}
# The sales director, off the deal's team, who manages its people and so sees and decides it.
DIRECTOR = {"name": "周志强", "role": "SALES_DIRECTOR"}
MANAGED = ("demo-tm-account", "demo-tm-solution", "demo-tm-delivery", "demo-tm-lead-expert")


PACKAGED_PROCESS = Path(__file__).resolve().parents[2] / "strategy" / "tas" / "process.toml"
EDITS = (
    (  # the gate out of value presentation asks for the POC approval
        'actions = ["solution_presented", "needs_recorded"]\n',
        'actions = ["solution_presented", "needs_recorded"]\napprovals = ["4-1"]\n',
    ),
    (  # whose request may give the hours of the test besides its scope and dates
        'label_en = "Test scope" },\n',
        'label_en = "Test scope" },\n'
        '  { name = "hours", type = "hours", required = false, '
        'label_zh = "工时", label_en = "Hours" },\n',
    ),
)


def company_process(folder: Path) -> Path:
    """The packaged process file with ``EDITS`` made (each exactly once), written in ``folder``."""
    text = PACKAGED_PROCESS.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, f"the packaged process file no longer has {old!r}"
        text = text.replace(old, new)
    path = folder / "process.toml"
    path.write_text(text, encoding="utf-8")
    return path


def acknowledged_weeks_ago(store: GraphStore, clock: DayClock, process: Path) -> None:
    """Three weeks ago a sweep found the demo deal without its first approval and the sales
    director acknowledged it: its recheck has come due, so the page's own sweep raises it
    again."""
    today = clock.now
    clock.days_ago(21)
    sweep(store, load_process(process))
    found = ps.list_violations(store, opportunity_id="demo-opp-smart-hospital", limit=50).items
    first = next(v for v in found if v["subject"] == "1-1")
    note = "Requested; the VP signs next week"
    ps.acknowledge_violation(store, first, note=note, member_id="demo-tm-director")
    clock.now = today


def test_the_map_page_for_each_role_in_chromium(
    served_backend: ServedBackend, tmp_path: Path
) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: `make test` installs it"
    folder = artifacts(served_backend)
    clock = DayClock()
    store = served_backend.open_store(clock)
    load_demo(store)
    store.create(NodeKind.TEAM_MEMBER, DIRECTOR, node_id="demo-tm-director")
    tokens = logins(store, LOGINS)
    security = SecurityStore(store)
    for member in MANAGED:
        security.set_manages("demo-tm-director", member)
    acknowledged_weeks_ago(store, clock, company_process(tmp_path))
    store.close()

    process = {"DEALGRAPH_PROCESS_FILE": os.fspath(company_process(tmp_path))}
    with serve_browser(served_backend, process) as base:
        env = {
            "BASE_URL": base,
            "TOKENS": json.dumps(tokens),
            "DEMO_ID": gid("Opportunity", "demo-opp-smart-hospital"),
            "PRESIDENT": gid("KeyPerson", "demo-kp-president"),
            "ARTIFACTS": os.fspath(folder),
        }
        script = Path(__file__).with_name("roles_page.mjs")
        run_checks(script, env, folder / "roles-browser.log", CHECKS)
