"""``dealgraph user add|set|token|revoke|list|manage`` and the development token of ``demo``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dealgraph.cli import main
from dealgraph.settings import load_settings
from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore
from schema.ids import to_global


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.slow
def test_user_lifecycle_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DEALGRAPH_FSYNC", "everysec")
    monkeypatch.chdir(tmp_path)

    status, out, _ = _run(capsys, "demo")
    assert status == 0
    token_line = next(line for line in out.splitlines() if "Authorization: Bearer" in line)
    dev_token = token_line.split("Bearer ", 1)[1].strip()
    assert (tmp_path / "data" / "dev-token").read_text().strip() == dev_token
    status, again, _ = _run(capsys, "demo")
    assert status == 0
    assert dev_token in again, "demo is idempotent: the same token again"

    assert _run(capsys, "user", "add", "wu", "--role", "viewer")[0] == 0
    status, _, err = _run(capsys, "user", "add", "wu", "--role", "viewer")
    assert status == 1
    assert "already exists" in err
    status, _, err = _run(capsys, "user", "add", "zed", "--role", "viewer", "--member", "nope")
    assert status == 1
    assert "member 'nope': No team member with this id exists" in err

    status, out, _ = _run(capsys, "user", "token", "wu", "--label", "laptop")
    assert status == 0
    token_id = out.split()[1]
    token = out.strip().splitlines()[-1]
    assert token.startswith(f"dg_{token_id}_")

    status, out, _ = _run(capsys, "user", "list")
    assert status == 0
    listed = {line.split("\t")[0]: line for line in out.splitlines()}
    assert set(listed) >= {"developer", "wu"}
    assert token_id in listed["wu"]
    assert token not in out

    settings = load_settings()
    store = GraphStore(EmbeddedExecutor(settings.data_dir, fsync="everysec"))
    try:
        security = SecurityStore(store)
        assert security.principal_for_token(token) is not None
        assert _run(capsys, "user", "revoke", token_id)[0] == 0
        assert security.principal_for_token(token) is None
        assert security.principal_for_token(dev_token) is not None
    finally:
        store.close()
    status, _, err = _run(capsys, "user", "revoke", token_id)
    assert status == 1
    assert re.search(r"The token “laptop” of wu was already revoked on \d{4}-\d\d-\d\d ", err)
    status, _, err = _run(capsys, "user", "revoke", "0123456789abcdef")
    assert status == 1
    assert "No API token with this id exists" in err


def _members_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *members: str) -> GraphStore:
    """The store the CLI opens (its settings from the environment), holding these team members
    (named by their ids); the caller closes it."""
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DEALGRAPH_FSYNC", "everysec")
    store = GraphStore(EmbeddedExecutor(load_settings().data_dir, fsync="everysec"))
    store.ensure_schema()
    for member in members:
        store.create(NodeKind.TEAM_MEMBER, {"name": member}, node_id=member)
    return store


def test_user_set_links_relinks_and_unlinks_a_user_in_one_audited_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user added without ``--member`` (or linked to the wrong person) is fixed with
    ``dealgraph user set``; a refused change writes nothing."""
    store = _members_store(tmp_path, monkeypatch, "tm-li", "tm-wang")
    try:
        security = SecurityStore(store)
        security.add_user("li", "viewer")
        token = security.issue_token("li").token

        def state() -> tuple[str, str | None, int]:
            user = security.get_user("li")
            assert user is not None
            rows = store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS n", {})
            return user["role"], user["member_id"], int(rows[0]["n"])

        status, out, _ = _run(capsys, "user", "set", "li", "--member", "tm-li")
        assert status == 0
        assert "role=viewer\tmember=tm-li" in out
        principal = security.principal_for_token(token)
        assert principal is not None
        assert principal.member_id == "tm-li"
        status, _, _ = _run(capsys, "user", "set", "li", "--role", "account_manager")
        assert status == 0
        assert state()[:2] == ("account_manager", "tm-li")
        assert _run(capsys, "user", "set", "li", "--member", "tm-wang")[0] == 0
        assert state()[:2] == ("account_manager", "tm-wang")

        before = state()
        status, _, err = _run(capsys, "user", "set", "li", "--member", "nope")
        assert (status, "member 'nope': No team member with this id exists" in err) == (1, True)
        status, _, err = _run(capsys, "user", "set", "nobody", "--role", "viewer")
        assert (status, "name 'nobody': No user with this name exists" in err) == (1, True)
        status, _, err = _run(capsys, "user", "set", "li")
        assert (status, "give --role, --member, --unlink, --disable or --enable" in err) == (
            2,
            True,
        )
        assert state() == before

        assert _run(capsys, "user", "set", "li", "--unlink")[0] == 0
        assert state()[:2] == ("account_manager", None)
    finally:
        store.close()


def test_a_login_disabled_from_the_command_line_is_listed_so_and_gets_no_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """IT's access review from the command line: a disabled login says so in ``user list``,
    ``user token`` refuses it as the API does (a token listed as live that never works is a
    trap), and ``user set --enable`` lets it sign in again with a new token."""
    store = _members_store(tmp_path, monkeypatch)
    try:
        security = SecurityStore(store)
        security.add_user("temp", "viewer")
        old = security.issue_token("temp").token
        assert _run(capsys, "user", "set", "temp", "--disable")[0] == 0
        assert security.principal_for_token(old) is None
        status, out, _ = _run(capsys, "user", "list")
        assert status == 0
        (row,) = [line for line in out.splitlines() if line.startswith("temp\t")]
        assert row.endswith("\tstatus=disabled"), row
        assert "\ttokens=-\t" in row, row
        status, out, err = _run(capsys, "user", "token", "temp")
        assert (status, out) == (1, "")
        assert "The login temp is disabled: enable it first" in err
        assert "tokens=-" in next(  # the refusal wrote nothing
            line for line in _run(capsys, "user", "list")[1].splitlines() if line.startswith("temp")
        )
        assert _run(capsys, "user", "set", "temp", "--enable")[0] == 0
        status, out, _ = _run(capsys, "user", "token", "temp")
        assert status == 0
        assert security.principal_for_token(out.strip().splitlines()[-1]) is not None
        assert security.principal_for_token(old) is None  # enabling brings no old token back
        listed = _run(capsys, "user", "list")[1]
        assert next(line for line in listed.splitlines() if line.startswith("temp")).endswith(
            "\tstatus=active"
        )
    finally:
        store.close()


def test_user_commands_take_a_team_member_s_id_as_the_api_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An administrator copies a team member's ID from the API (``teamMembers``) or the app:
    ``user add --member``, ``user set --member`` and ``user manage`` take it as they take the
    store id; an ID of something else is refused, naming what it had to be."""
    store = _members_store(tmp_path, monkeypatch, "tm-li", "tm-zhou")
    try:
        store.create(NodeKind.CUSTOMER, {"name": "Acme"}, node_id="c1")
        li, zhou = (str(to_global(NodeKind.TEAM_MEMBER, m)) for m in ("tm-li", "tm-zhou"))
        added = _run(capsys, "user", "add", "li", "--role", "account_manager", "--member", li)
        assert added[0] == 0
        security = SecurityStore(store)
        user = security.get_user("li")
        assert user is not None
        assert user["member_id"] == "tm-li"
        assert _run(capsys, "user", "set", "li", "--member", zhou)[0] == 0
        relinked = security.get_user("li")
        assert relinked is not None
        assert relinked["member_id"] == "tm-zhou"
        status, out, _ = _run(capsys, "user", "manage", zhou, li)
        # said by the members' names (here, as the store was made, the same as their ids)
        assert (status, out.strip()) == (0, "tm-zhou manages tm-li")
        # refused as the API refuses it, the field named as the command's argument
        status, _, err = _run(capsys, "user", "manage", "nope", li)
        assert (status, "manager 'nope': No team member with this id exists" in err) == (1, True)
        status, _, err = _run(capsys, "user", "manage", li, zhou)
        assert status == 1
        assert "member 'tm-zhou': tm-zhou already directs tm-li" in err, err
        status, _, err = _run(capsys, "user", "manage", li, li)
        assert (status, "member 'tm-li': tm-li cannot manage themselves" in err) == (1, True)
        customer = str(to_global(NodeKind.CUSTOMER, "c1"))
        status, _, err = _run(capsys, "user", "set", "li", "--member", customer)
        assert status == 1
        assert "must be the ID of a team member, not of a customer" in err
    finally:
        store.close()


def test_a_lost_token_is_replaced_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``user token --replace``: the new token signs in and the ones in use stop, by the same
    write; the command names those it revoked."""
    store = _members_store(tmp_path, monkeypatch)
    try:
        security = SecurityStore(store)
        security.add_user("ann", "viewer")
        lost = security.issue_token("ann", "laptop")
        status, out, _ = _run(capsys, "user", "token", "ann", "--label", "phone", "--replace")
        assert status == 0
        header, token, revoked = out.strip().splitlines()
        assert header.startswith("token ")
        assert header.endswith(" for ann (shown once, store it safely):")
        assert revoked == f"token {lost.token_id} revoked (replaced)"
        assert security.principal_for_token(token) is not None
        assert security.principal_for_token(lost.token) is None
        # the list tells the token in use by its label and the minute it was issued
        (row,) = [r for r in _run(capsys, "user", "list")[1].splitlines() if r.startswith("ann")]
        new_id = header.split()[1]
        assert re.search(rf"\ttokens={new_id}\(phone, \d{{4}}-\d\d-\d\d \d\d:\d\d\)\t", row), row
        assert "\trevoked=1\t" in row
        # what a token is for is a word or two, as on the page: a pasted page is refused
        status, out, err = _run(capsys, "user", "token", "ann", "--label", "x" * 101)
        assert (status, out) == (1, "")
        assert "must be at most 100 characters" in err
        (after,) = [r for r in _run(capsys, "user", "list")[1].splitlines() if r.startswith("ann")]
        assert after == row  # nothing was given
    finally:
        store.close()
