"""Our people as deployed: users with a role, a team-member link and an API token.

Users are made exactly as an administrator makes them on a server:
``dealgraph user add NAME --role ROLE --member TEAM_MEMBER_ID`` calls
``SecurityStore.add_user``, ``dealgraph user token NAME`` calls ``SecurityStore.issue_token``
and ``dealgraph user manage DIRECTOR MEMBER`` (like the API's ``teamMemberManagerAdd``) calls
``resolvers.security.set_manages``; these helpers call the same functions, so the suites run
the product the way its users do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.model import EdgeKind, NodeKind
from graph.security_store import SecurityStore
from graph.store import GraphStore
from resolvers import security as use_cases

ADMIN_LOGIN = "admin"
"""The administrator every API suite acts as unless a test names someone else."""

USER_ROLE_OF_TEAM_ROLE: Mapping[str, str] = {
    "ACCOUNT_MANAGER": "account_manager",
    "SOLUTION_MANAGER": "solution_manager",
    "DELIVERY_MANAGER": "delivery_manager",
    "SERVICE_MANAGER": "service_manager",
    "LEAD_EXPERT": "lead_expert",
    "SALES_DIRECTOR": "sales_director",
}
"""The user role a team member of each team role logs in with."""

TWO_WANG_WEI: Mapping[str, tuple[str, str, str, str, str, str]] = {
    "tm-wang-am": (
        "王伟",
        "ACCOUNT_MANAGER",
        "Key Account Manager 大客户经理",
        "",
        "wang.am",
        "account_manager",
    ),
    "tm-wang-sm": (
        "王伟",
        "SOLUTION_MANAGER",
        "",
        "wang.wei@example.com",
        "wang.sm",
        "solution_manager",
    ),
}
"""Two of ours named 王伟, by team-member id: name, team role, title, e-mail, login, user role;
one told apart by title, the other (no title) by e-mail."""


@dataclass(frozen=True)
class Person:
    """A login: the user's name, role, linked team member and bearer token."""

    login: str
    role: str
    member_id: str | None
    token: str

    @property
    def authorization(self) -> dict[str, str]:
        """The header a client sends to act as this person."""
        return {"Authorization": f"Bearer {self.token}"}


def add_person(store: GraphStore, login: str, role: str, member_id: str | None = None) -> Person:
    """``dealgraph user add LOGIN --role ROLE [--member ID]`` then ``dealgraph user token``;
    an existing user (a second app over the same graph) only gets a new token."""
    security = SecurityStore(store)
    found = security.get_user(login)
    if found is None:
        security.add_user(login, role, member_id)
    else:
        assert (found["role"], found["member_id"]) == (role, member_id), found
    return Person(login, role, member_id, security.issue_token(login).token)


def add_team(store: GraphStore, members: Mapping[str, tuple[str, str]]) -> dict[str, Person]:
    """One login per team member: ``{member_id: (login, user_role)}`` -> people by member id."""
    return {
        member_id: add_person(store, login, role, member_id)
        for member_id, (login, role) in members.items()
    }


def manage(store: GraphStore, director_member_id: str, member_ids: Iterable[str]) -> None:
    """``dealgraph user manage DIRECTOR MEMBER`` for each member: a director sees their deals."""
    for member_id in member_ids:
        use_cases.set_manages(store, director_member_id, member_id, remove=False)


TRIO: Mapping[str, tuple[str, str]] = {
    "m-am": ("Li Na", "ACCOUNT_MANAGER"),
    "m-sm": ("Su Wan", "SOLUTION_MANAGER"),
    "m-director": ("Zhou Wei", "SALES_DIRECTOR"),
}
"""A hospital deal's account and solution managers and their sales director, by member id."""


def logins_of(members: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Each of ``{member_id: (name, team role)}`` given the login of their name and role."""
    return {
        member_id: (name.lower().replace(" ", "."), USER_ROLE_OF_TEAM_ROLE[role])
        for member_id, (name, role) in members.items()
    }


def our_people(store: GraphStore, members: Mapping[str, tuple[str, str]]) -> None:
    """Our team members, ``{member_id: (name, team role)}``, as an administrator adds them."""
    for member_id, (name, role) in members.items():
        store.create(NodeKind.TEAM_MEMBER, {"name": name, "role": role}, node_id=member_id)


def hospital_team(store: GraphStore, members: Mapping[str, tuple[str, str]]) -> None:
    """The administration suites' people: ``{member_id: (name, team role)}``, and the
    Provincial Hospital's deal HIS (id ``his``) with the first of them its account manager."""
    our_people(store, members)
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    store.create_opportunity("c1", {"name": "HIS", "stage": "PROPOSAL"}, node_id="his")
    first = next(iter(members))
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, first),
        (NodeKind.OPPORTUNITY, "his"),
        {"role": "ACCOUNT_MANAGER"},
    )


def ward_deal(store: GraphStore, stage: str = "VALIDATE") -> dict[str, Person]:
    """The ``TRIO``'s deal: the Provincial Hospital's Smart ward (id ``o1``) in ``stage``, its
    account and solution managers on its team, their director managing both, and the logins
    of all three."""
    am, sm, director = TRIO
    our_people(store, TRIO)
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    store.create_opportunity("c1", {"name": "Smart ward", "stage": stage}, node_id="o1")
    for member, role in ((am, "ACCOUNT_MANAGER"), (sm, "SOLUTION_MANAGER")):
        store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, member),
            (NodeKind.OPPORTUNITY, "o1"),
            {"role": role},
        )
    people = add_team(store, logins_of(TRIO))
    manage(store, director, [am, sm])
    return people
