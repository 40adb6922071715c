"""The role policy table: every rule names known roles, and the least role grants the least."""

from __future__ import annotations

from domain.model import NodeKind
from domain.roles import (
    ADMINS,
    AUDIT_READERS,
    DEFAULT_ROLE,
    ROLE_RULES,
    ROLES,
    WRITERS,
    Role,
    allowed_roles,
    sees_everything,
)


def test_roles_are_the_enum_values_in_order() -> None:
    assert ROLES[0] == "admin"
    assert ROLES[-1] == "viewer"
    assert tuple(role.value for role in Role) == ROLES
    assert all(type(role) is str for role in ROLES)


def test_every_rule_names_known_roles() -> None:
    for roles in (*ROLE_RULES.values(), WRITERS, AUDIT_READERS, ADMINS):
        assert roles <= set(ROLES)
        assert roles <= WRITERS


def test_the_viewer_is_the_default_and_never_writes() -> None:
    assert DEFAULT_ROLE.value == "viewer"
    assert "viewer" not in WRITERS
    assert set(ROLES) - {"viewer"} == WRITERS


def test_only_admins_see_everything() -> None:
    assert [role for role in ROLES if sees_everything(role)] == ["admin"]
    assert not sees_everything("unknown")


def test_rules_for_restricted_and_ordinary_writes() -> None:
    assert allowed_roles("delete", NodeKind.CUSTOMER.value) == frozenset({"admin"})
    assert allowed_roles("edge", "ON_TEAM:Customer") == frozenset({"admin", "sales_director"})
    assert allowed_roles("create", NodeKind.KEY_PERSON.value) is None
