"""The roles an API user can have and what each may do: the one place role policy is written.

A user has exactly one role. The store keeps the role's value (lower case, as operators type it
in ``dealgraph user add --role``); authentication, the resolvers and the CLI read the roles and
the rules from here, so adding a role or a rule is one edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from domain.model import EdgeKind, NodeKind
from domain.text import Text
from domain.vocabulary import TeamRole


class Role(StrEnum):
    """What a user may do. Only ``admin`` sees everything; ``viewer`` never writes."""

    ADMIN = "admin"
    SALES_DIRECTOR = "sales_director"
    ACCOUNT_MANAGER = "account_manager"
    SOLUTION_MANAGER = "solution_manager"
    DELIVERY_MANAGER = "delivery_manager"
    SERVICE_MANAGER = "service_manager"
    LEAD_EXPERT = "lead_expert"
    VIEWER = "viewer"


ROLE_LABELS: Final[dict[Role, Text]] = {
    Role.ADMIN: Text("administrator", "管理员"),
    Role.SALES_DIRECTOR: Text("sales director", "销售总监"),
    Role.ACCOUNT_MANAGER: Text("account manager", "客户经理"),
    Role.SOLUTION_MANAGER: Text("solution manager", "方案经理"),
    Role.DELIVERY_MANAGER: Text("delivery manager", "交付经理"),
    Role.SERVICE_MANAGER: Text("service manager", "服务经理"),
    Role.LEAD_EXPERT: Text("lead expert", "引领专家"),
    Role.VIEWER: Text("viewer", "只读用户"),
}
"""How people name each role in either language (refusals name roles by these, not values)."""

ROLES: Final[tuple[str, ...]] = tuple(role.value for role in Role)
"""Every role's stored value, in the order the CLI lists them."""

DEFAULT_ROLE: Final = Role.VIEWER
"""The role of a user stored without one: the least that can be granted."""

EVERYTHING_ROLES: Final[frozenset[str]] = frozenset({Role.ADMIN.value})
"""Roles that see every customer and opportunity; the others see their teams' accounts."""

ADMINS: Final[frozenset[str]] = frozenset({Role.ADMIN.value})
LEADS: Final[frozenset[str]] = frozenset({Role.ADMIN.value, Role.SALES_DIRECTOR.value})

WRITERS: Final[frozenset[str]] = frozenset(ROLES) - {Role.VIEWER.value}
"""Roles that may change data at all; a viewer may only read."""

AUDIT_READERS: Final[frozenset[str]] = LEADS
"""Roles that may read the audit trail of other people's changes."""


def creator_team_role(member_role: object, user_roles: frozenset[str]) -> TeamRole:
    """The team role of someone who creates a customer or an opportunity and so joins its team
    (they see only their teams' accounts and deals): their team member's own role, else the
    team role named like their user role, else account manager (who opens accounts and deals).
    """
    for candidate in (member_role, *(r.upper() for r in sorted(user_roles))):
        if isinstance(candidate, str) and candidate in TeamRole.__members__:
            return TeamRole[candidate]
    return TeamRole.ACCOUNT_MANAGER


ROLE_RULES: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("create", NodeKind.TEAM_MEMBER.value): ADMINS,
    ("update", NodeKind.TEAM_MEMBER.value): ADMINS,
    ("hand_over", NodeKind.TEAM_MEMBER.value): ADMINS,
    ("delete", NodeKind.CUSTOMER.value): ADMINS,
    ("delete", NodeKind.OPPORTUNITY.value): ADMINS,
    ("delete", NodeKind.COMPETITOR.value): ADMINS,
    ("edge", f"{EdgeKind.ON_TEAM.value}:{NodeKind.CUSTOMER.value}"): LEADS,
    ("assign", TeamRole.SALES_DIRECTOR.value): LEADS,
    ("personal_data", NodeKind.KEY_PERSON.value): ADMINS,
    ("manage", "webhooks"): ADMINS,
    ("manage", "MANAGES"): ADMINS,
    ("manage", "logins"): ADMINS,
}
"""Writes that need more than a writer role: (action, what) -> the roles that may do it.

Our people and their roles are managed by admins, and so is a leaver's hand-over (it moves
deals of any team and disables their logins); deleting a customer cascades to deals the
caller may not see, so only admins may; a deal takes its approvals and violations with it (a
team deleting its own deal would clear its record from its director's sight: a deal that did
not happen is closed as abandoned), so only admins may; competitors are shared by every team,
and deleting one takes it off deals of other teams, so only admins may; putting someone
on an account team grants all of that account's deals; a deal's sales director approves its
gates, so only a lead may make someone one (else a team member could approve their own deal);
personal-data requests are handled by
an administrator (data-protection officer); webhook endpoints receive every change of every
team, so only admins manage them; who directs whom decides which deals a sales director
sees, so only admins change it, and a login's role is what it may do, so only admins manage
logins and their tokens."""


RULE_ACTIONS: Final[dict[tuple[str, str], Text]] = {
    ("create", NodeKind.TEAM_MEMBER.value): Text("add people to our team", "添加我方团队成员"),
    ("update", NodeKind.TEAM_MEMBER.value): Text("change our team's people", "修改我方团队成员"),
    ("hand_over", NodeKind.TEAM_MEMBER.value): Text(
        "hand over the work of someone who leaves", "为离职人员交接工作"
    ),
    ("delete", NodeKind.CUSTOMER.value): Text("delete a customer", "删除客户"),
    ("delete", NodeKind.OPPORTUNITY.value): Text("delete a deal", "删除商机"),
    ("delete", NodeKind.COMPETITOR.value): Text("delete a competitor", "删除竞争对手"),
    ("edge", f"{EdgeKind.ON_TEAM.value}:{NodeKind.CUSTOMER.value}"): Text(
        "put someone on an account team or take them off it", "把人员加入或移出客户团队"
    ),
    ("assign", TeamRole.SALES_DIRECTOR.value): Text(
        "make someone the sales director of a deal, or take them off it",
        "指定或撤下商机的销售总监",
    ),
    ("personal_data", NodeKind.KEY_PERSON.value): Text(
        "handle a key person's personal-data request", "处理关键人的个人数据请求"
    ),
    ("manage", "webhooks"): Text("manage webhook endpoints", "管理 Webhook 端点"),
    ("manage", "MANAGES"): Text("change who directs whom", "修改谁管理谁"),
    ("manage", "logins"): Text("manage logins and their tokens", "管理登录账号及其令牌"),
}
"""What each rule of ``ROLE_RULES`` guards, as a refusal names it to the person refused."""


def refusal(action: str, what: str) -> Text:
    """Why a caller without one of the rule's roles is refused, naming the roles that may."""
    allowed = [role for role in Role if role.value in ROLE_RULES[(action, what)]]
    doing = RULE_ACTIONS[(action, what)]
    needed = Text(
        " or ".join(ROLE_LABELS[role].en for role in allowed),
        "或".join(ROLE_LABELS[role].zh for role in allowed),
    )
    return Text(
        f"Your role may not {doing.en}; this needs the role {needed.en}.",
        f"您的角色不能{doing.zh}，需要以下角色：{needed.zh}。",
    )


QUOTE_SUBMIT_REFUSED: Final = Text(
    "Only the deal's account manager{who} or a sales director submits its quote",
    "只有本商机的客户经理{who}或销售总监可以提交报价",
)
"""Why another team member may not mark the quote submitted: handing the quote to the customer
is the account manager's commitment, checked by the director."""

CREATE_PAST_FIRST_STAGE: Final = Text(
    "A new deal starts at {stage} and passes each gate from there; a deal already further "
    "along (moved from another system) is entered by a sales director or an administrator",
    "新商机从“{stage}”开始，逐一通过各阶段关口；已在推进中的商机（从其他系统迁入）由销售总监或"
    "管理员录入",
)
"""Why a team member may not create a deal past the process's first stage: it would skip every
gate before it, which the process exists to hold."""

CREATE_DECIDED: Final = Text(
    "A new deal is open: a deal is won, lost or abandoned by moving it there, through its "
    "gates; a deal already decided in another system is entered by an administrator",
    "新商机创建时都是进行中的：赢单、丢单或放弃都要经过各阶段关口推进得出；已在其他系统中有结果的"
    "商机由管理员录入",
)
"""Why even a sales director may not create a deal already won, lost or abandoned: the win rate
and the review of how deals were decided read these, and a result nobody worked through the
gates would count as this period's."""

CLOSE_REFUSED: Final = Text(
    "Only the deal's account manager{who} or a sales director closes a deal as won, lost or "
    "abandoned",
    "只有本商机的客户经理{who}或销售总监可以将商机关闭为赢单、丢单或放弃",
)
"""Why a team member who is neither may not close a deal: whether it was won, and why it was
lost, is the account manager's call to make and the director's to check."""

RESPOND_REFUSED: Final = Text(
    "Only {name}, who answers for this violation, responds to it; a sales director acknowledges it",
    "只有该违规的责任人{name}可以答复；由销售总监确认",
)
"""Why someone else on the team may not respond to a violation: the response is the account
of whoever answers for it, not of a colleague covering for them."""

ACKNOWLEDGE_REFUSED: Final = Text(
    "A sales director acknowledges a violation; whoever answers for it responds with what was done",
    "违规由销售总监确认；责任人填写已采取的措施作为答复",
)
"""Why a team member may not acknowledge a violation, their own or a colleague's: a process
with zero tolerance does not let the team clear its own record; its director judges it."""

ACKNOWLEDGE_OWN_REFUSED: Final = Text(
    "You answer for this violation: respond with what was done, and another sales director or "
    "an administrator acknowledges it",
    "您是该违规的责任人：请答复已采取的措施，由其他销售总监或管理员确认",
)
"""Why a sales director may not acknowledge a violation they answer for themselves (their own
approval, say)."""

SEND_BACK_REFUSED: Final = Text(
    "A sales director who does not answer for this violation, or an administrator, sends its "
    "response back",
    "由不是该违规责任人的销售总监或管理员退回其答复",
)
"""Why someone may not send a response back: it is the judgement of whoever acknowledges."""

AUDIT_LOG_REFUSED: Final = Text("your role may not read the audit log", "您的角色不能读取审计日志")
"""Why a caller who is neither administrator nor sales director may not read the audit log."""
AUDIT_TARGET_NEEDED: Final = Text(
    "name the node whose history you want; the whole log is for administrators",
    "请指明要查看哪个节点的历史；完整日志只供管理员查看",
)
"""Why a sales director's audit-log read must name one node."""


def sees_everything(role: str) -> bool:
    """Whether a user of this role sees the whole graph rather than their teams' accounts."""
    return role in EVERYTHING_ROLES


def allowed_roles(action: str, what: str) -> frozenset[str] | None:
    """The roles that may do ``action`` on ``what``; None when any writer may."""
    return ROLE_RULES.get((action, what))


def in_brackets(names: Sequence[Text]) -> Text:
    """People named after their role in a sentence, " (李明轩, …)" / "（李明轩、…）", each as it
    reads in that language (a namesake told apart); nothing when there is nobody."""
    if not names:
        return Text("", "")
    return Text(f" ({', '.join(n.en for n in names)})", f"（{'、'.join(n.zh for n in names)}）")


def account_managers_named(refusal: Text, names: Sequence[Text]) -> Text:
    """``refusal`` (``QUOTE_SUBMIT_REFUSED``, ``CLOSE_REFUSED``) naming the deal's account
    managers, so the person refused knows whom to ask: "… account manager (李明轩) …"."""
    who = in_brackets(names)
    return Text(refusal.en.format(who=who.en), refusal.zh.format(who=who.zh))
