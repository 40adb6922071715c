"""The role policy table: every rule names known roles, and the least role grants the least."""

from __future__ import annotations

from domain.model import NodeKind
from domain.roles import (
    ADMINS,
    AUDIT_READERS,
    DEFAULT_ROLE,
    ROLE_LABELS,
    ROLE_RULES,
    ROLES,
    RULE_ACTIONS,
    WRITERS,
    Role,
    allowed_roles,
    creator_team_role,
    refusal,
    sees_everything,
)
from domain.vocabulary import LABELS, TeamRole


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


def test_every_rule_and_role_has_a_name_in_both_languages() -> None:
    assert set(RULE_ACTIONS) == set(ROLE_RULES)
    assert set(ROLE_LABELS) == set(Role)
    for text in (*RULE_ACTIONS.values(), *ROLE_LABELS.values()):
        assert text.en
        assert text.zh


def test_a_refusal_names_the_action_and_the_roles_that_may_by_their_labels() -> None:
    text = refusal("delete", NodeKind.CUSTOMER.value)
    assert text.en == "Your role may not delete a customer; this needs the role administrator."
    assert text.zh == "您的角色不能删除客户，需要以下角色：管理员。"
    both = refusal("edge", "ON_TEAM:Customer")
    assert both.en.endswith("this needs the role administrator or sales director.")
    assert both.zh.endswith("管理员或销售总监。")
    assert "admin" not in text.en.replace("administrator", "")


def test_a_creator_joins_the_team_in_their_members_role_else_their_users() -> None:
    assert creator_team_role("SOLUTION_MANAGER", frozenset({"account_manager"})) == (
        TeamRole.SOLUTION_MANAGER
    )
    assert creator_team_role(None, frozenset({"delivery_manager"})) == TeamRole.DELIVERY_MANAGER
    assert creator_team_role(None, frozenset({"viewer"})) == TeamRole.ACCOUNT_MANAGER


def test_a_login_role_is_called_as_the_team_role_of_the_same_name() -> None:
    """A solution manager's login and their place on a deal's team read the same in Chinese
    (方案经理, not 解决方案经理 on one page and 方案经理 on the next)."""
    for role in Role:
        team = TeamRole.__members__.get(role.value.upper())
        if team is not None:
            assert ROLE_LABELS[role].zh == LABELS[team].zh, role
            assert ROLE_LABELS[role].en == LABELS[team].en.lower(), role


def test_an_account_team_refusal_reads_right_for_taking_someone_off_too() -> None:
    """The one rule guards putting someone on an account team and taking them off it: the
    refusal an account manager reads after trying either names both."""
    text = refusal("edge", "ON_TEAM:Customer")
    assert "put someone on an account team or take them off it" in text.en
    assert "把人员加入或移出客户团队" in text.zh
