"""Domain errors: what went wrong, in words a user can act on, with a stable code.

The API maps ``code`` to GraphQL ``userErrors`` and ``extensions.code``; nothing here carries
store internals, so these messages are safe to show to clients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.text import Text


class ErrorCode(StrEnum):
    """The fixed set of error codes a client can see."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    UNAVAILABLE = "UNAVAILABLE"
    """The store is down, unreachable or did not answer in time: nothing is wrong with the
    request, and the same request may be sent again shortly (a change: once it is checked)."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one input field (``field`` is a dotted path, empty for the whole input).

    ``message`` is English, ``message_zh`` the zh-CN text: every problem a person may read is
    written in both languages (the type requires it)."""

    field: str
    message: str
    code: ErrorCode
    message_zh: str

    def text(self, locale: str) -> str:
        """The message in a BCP-47 locale: zh-CN for anything Chinese, else English."""
        return Text(self.message, self.message_zh).in_(locale)


class DomainError(Exception):
    """A refusal the caller can understand and fix; carries one or more field problems."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__(
            "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in self.problems)
        )

    @property
    def code(self) -> ErrorCode:
        """The code of the first problem: the one a top-level error reports."""
        return self.problems[0].code

    @property
    def text(self) -> Text:
        """Every problem after its field, in both languages, each with its own punctuation: what
        a top-level error or a delivery log says when no userErrors can carry the fields."""
        return Text(
            str(self),
            "；".join(
                f"{p.field}：{p.message_zh}" if p.field else p.message_zh for p in self.problems
            ),
        )


KIND_ZH: dict[str, str] = {
    "Customer": "客户",
    "KeyPerson": "关键人",
    "Competitor": "竞争对手",
    "Opportunity": "商机",
    "TeamMember": "团队成员",
    "Activity": "活动",
    "WorkPlanItem": "工作计划项",
    "Approval": "审批",
    "Violation": "违规记录",
    "Webhook delivery": "Webhook 投递",
    "Webhook endpoint": "Webhook 端点",
    "ApiToken": "API 令牌",
    "User": "用户",
    "MANAGES": "管理关系",
    "Opportunity or TeamMember": "商机或团队成员",
    "node": "对象",
}


KIND_EN: dict[str, str] = {
    "Customer": "customer",
    "KeyPerson": "key person",
    "Competitor": "competitor",
    "Opportunity": "opportunity",
    "TeamMember": "team member",
    "Activity": "activity",
    "WorkPlanItem": "work plan item",
    "Approval": "approval",
    "Violation": "violation",
    "Webhook delivery": "webhook delivery",
    "Webhook endpoint": "webhook endpoint",
    "ApiToken": "API token",
    "User": "user",
    "MANAGES": "management line",
    "Opportunity or TeamMember": "opportunity or team member",
    "node": "object",
}


class NotConfiguredError(Exception):
    """The server lacks a setting this request needs: an operator's problem, not the caller's,
    so it is a top-level error (``NOT_CONFIGURED``) rather than a userError, and no mutation's
    refusal path turns it into one. ``text`` says which setting, in both languages."""

    code = ErrorCode.NOT_CONFIGURED

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def not_found(kind: str, field: str = "id") -> DomainError:
    """The error for an id (or, on a ``name`` field, a name) that names nothing the caller may
    see, on the input ``field`` that named it (an item of a list at its position,
    ``personIds.2``): says which kind of thing it is, never the id (people know things by
    their names; the API speaks global IDs, not store ids), and reads the same whether the
    thing does not exist or is hidden, so existence is not leaked."""
    en_kind, zh_kind = KIND_EN.get(kind, kind), KIND_ZH.get(kind, kind)
    by = "name" if field.rsplit(".", 1)[-1] == "name" else "id"
    en = f"No {en_kind} with this {by} exists, or you may not see it"
    gap = " " if zh_kind[:1].isascii() else ""  # 该 Webhook 端点, as 该 ID
    zh = f"该{gap}{zh_kind}不存在，或您无权查看"
    return DomainError(FieldProblem(field, en, ErrorCode.NOT_FOUND, zh))


def at_positions(field: str, ids: Sequence[str]) -> list[tuple[str, str]]:
    """Each id of a list with the field path of its position (``personIds.0``), an id named
    twice once, at its first place: a refusal points at the item, not at the whole list."""
    seen: dict[str, str] = {}
    for n, item in enumerate(ids):
        seen.setdefault(item, f"{field}.{n}")
    return list(seen.items())


NO_TIE: dict[str, Text] = {
    "REPORTS_TO": Text("{a} does not report to {b}", "{a}并不向{b}汇报"),
    "INFLUENCES": Text("No influence of {a} on {b} is recorded", "未记录{a}对{b}的影响"),
    "KNOWS": Text("{a} is not recorded as knowing {b}", "未记录{a}认识{b}"),
    "IN_DECISION_CHAIN": Text("{a} is not in the decision chain of {b}", "{a}不在{b}的决策链中"),
    "COMPETES_FOR": Text("{a} is not recorded as bidding for {b}", "未记录{a}参与{b}的竞争"),
    "CLOSE_TO": Text("No tie of {a} to {b} is recorded", "未记录{a}与{b}的关系"),
    "ON_TEAM": Text("{a} is not on the team of {b}", "{a}不在{b}的团队中"),
    "MANAGES": Text("{b} is not managed by {a}", "{b}并不由{a}管理"),
}
"""Why an edge to remove is not there, by edge kind, naming its two ends (``a`` the edge's
source, ``b`` its target): both were found, the tie was not."""


def no_tie(edge: str, field: str, a: str, b: str) -> DomainError:
    """The NOT_FOUND of removing a tie that does not exist between ``a`` and ``b`` (named as
    people know them), on ``field``."""
    text = NO_TIE.get(edge, Text("{a} and {b} have no such tie", "{a}与{b}之间没有这种关系"))
    return DomainError(
        FieldProblem(field, text.en.format(a=a, b=b), ErrorCode.NOT_FOUND, text.zh.format(a=a, b=b))
    )


_TITLE_KEYS = ("name", "title", "summary", "process")
"""The property that names a node to a person, by kind: the first one it has."""


def stale(
    kind: str, node: Mapping[str, Any], sent: int | None = None, *, name: Text | None = None
) -> DomainError:
    """The CONFLICT of a write based on an old version: names the thing as people know it
    (``name`` in each language, else its name or title, never its id) and, when known, both
    versions, so the page can say "someone else changed it" and reload it."""
    stored = next((str(node[k]) for k in _TITLE_KEYS if node.get(k)), "")
    title = name or Text(stored, stored)
    en_kind, zh_kind = KIND_EN.get(kind, kind), KIND_ZH.get(kind, kind)
    version = node.get("version")
    en_versions = f" (version {version}, you sent {sent})" if sent is not None else ""
    zh_versions = f"（当前版本 {version}，您提交的是 {sent}）" if sent is not None else ""
    return DomainError(
        FieldProblem(
            "version",
            f"The {en_kind} “{title.en}” was changed by someone else{en_versions}; "
            "reload and retry",
            ErrorCode.CONFLICT,
            f"{zh_kind}“{title.zh}”已被他人修改{zh_versions}，请重新加载后重试",
        )
    )


def conflict(message: str, message_zh: str, field: str = "") -> DomainError:
    """The error for a write that clashes with the current state (duplicate id, stale version)."""
    return DomainError(FieldProblem(field, message, ErrorCode.CONFLICT, message_zh))


def named(given: str, kind: str, field: str = "id") -> str:
    """An id or name as sent; one with a NUL character names nothing stored (no store takes it
    as a parameter: the embedded one fails to parse it), so it is unknown, not an internal
    error."""
    if "\x00" in given:
        raise not_found(kind, field)
    return given


def without_nul(text: str, field: str) -> str:
    """A text to store as sent, refused on ``field`` when it holds a NUL character."""
    if "\x00" in text:
        raise bad_input(field, "must not contain NUL characters", "不能包含 NUL 字符")
    return text


def bad_input(field: str, message: str, message_zh: str) -> DomainError:
    """The error for input that is malformed or breaks a rule of the model."""
    return DomainError(FieldProblem(field, message, ErrorCode.BAD_USER_INPUT, message_zh))
