"""Consistency of the links between people, customers and deals, and the words for a refusal.

The write statements enforce the rules (so a write is refused atomically); when one refuses,
the store reads the facts below and these functions say which rule was broken, naming people
and customers by name, in English and zh-CN:

- a customer's parent (group company) must not be the customer itself or a subsidiary of it;
- REPORTS_TO and INFLUENCES join people of one customer or one group (customers that share an
  ancestor over PART_OF);
- a person joins a deal's decision chain as an insider (works at the deal's customer, no
  external kind) or as an external member (works elsewhere, with a kind; a group officer works
  at a parent company of the deal's customer);
- an activity about a deal is with its customer's people or external members of its chain;
  an activity without a deal is with people of one group.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import ErrorCode, FieldProblem
from domain.vocabulary import DecisionRole, ExternalKind, label_of


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A key person with their customer and that customer's group (it and its ancestors)."""

    id: str
    name: str
    customer_id: str
    customer_name: str
    group: tuple[str, ...]
    external_kind: str | None = None
    """The external kind of their membership in the deal's chain, if they are a member."""
    member: bool = False


@dataclass(frozen=True, slots=True)
class DealFacts:
    """An opportunity with its customer and that customer's group."""

    name: str
    customer_id: str
    customer_name: str
    group: tuple[str, ...]


def same_group(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two customers are of one group when their ancestor lists meet (groups are trees)."""
    return bool(set(a) & set(b))


def _problem(field: str, en: str, zh: str) -> FieldProblem:
    return FieldProblem(field, en, ErrorCode.BAD_USER_INPUT, zh)


def parent_cycle(field: str, customer: str, parent: str) -> FieldProblem:
    """A customer cannot sit under itself or one of its own subsidiaries."""
    return _problem(
        field,
        f"{parent} cannot be the parent company of {customer}: "
        f"it is {customer} itself or one of its subsidiaries",
        f"{parent}不能作为{customer}的上级公司：它是{customer}本身或其下属公司",
    )


def person_link(field: str, kind: str, source: PersonFacts, target: PersonFacts) -> FieldProblem:
    """A reporting line or an influence tie that leaves the customer's group."""
    who = f"{source.name} ({source.customer_name})"
    whom = f"{target.name} ({target.customer_name})"
    who_zh = f"{source.name}（{source.customer_name}）"
    whom_zh = f"{target.name}（{target.customer_name}）"
    if kind == "REPORTS_TO":
        return _problem(
            field,
            f"{who} cannot report to {whom}: reporting lines stay within one customer or its group",
            f"{who_zh}不能向{whom_zh}汇报：汇报关系只能在同一客户或同一集团内",
        )
    return _problem(
        field,
        f"{who} cannot be recorded as influencing {whom}: influence is recorded within one "
        "customer or its group",
        f"不能记录{who_zh}对{whom_zh}的影响：影响关系只能在同一客户或同一集团内",
    )


def self_link(field: str, kind: str, person: PersonFacts) -> FieldProblem:
    """A reporting line, an influence tie or an acquaintance from a person to themselves."""
    if kind == "REPORTS_TO":
        return _problem(
            field, f"{person.name} cannot report to themselves", f"{person.name}不能向自己汇报"
        )
    if kind == "INFLUENCES":
        return _problem(
            field,
            f"{person.name} cannot be recorded as influencing themselves",
            f"不能记录{person.name}对自己的影响",
        )
    return _problem(
        field,
        f"{person.name} cannot be recorded as knowing themselves",
        f"不能记录{person.name}认识自己",
    )


def reporting_cycle(field: str, person: PersonFacts, manager: PersonFacts) -> FieldProblem:
    """A reporting line that would make someone their own manager's manager."""
    return _problem(
        field,
        f"{person.name} cannot report to {manager.name}: {manager.name} already reports to "
        f"{person.name}, directly or through others, so the reporting lines would form a cycle",
        f"{person.name}不能向{manager.name}汇报：{manager.name}已直接或间接向{person.name}汇报，"
        "汇报关系将形成循环",
    )


def chain_member(
    person: PersonFacts,
    deal: DealFacts,
    external_kind: str | None,
    person_field: str,
    kind_field: str,
) -> FieldProblem | None:
    """Why a person may not sit in a deal's decision chain as asked, or None when they may."""
    insider = person.customer_id == deal.customer_id
    if insider and external_kind is not None:
        return _problem(
            kind_field,
            f"{person.name} works at {deal.customer_name}, the customer of {deal.name}, so is "
            "not an external member; leave externalKind empty",
            f"{person.name}就职于商机「{deal.name}」的客户{deal.customer_name}，不是外部人员；"
            "请不要填写外部人员类型",
        )
    if not insider and external_kind is None:
        return _problem(
            person_field,
            f"{person.name} works at {person.customer_name}, not at {deal.customer_name}, the "
            f"customer of {deal.name}: a person of another organisation joins the decision "
            "chain only as an external member (externalKind)",
            f"{person.name}就职于{person.customer_name}，不是商机「{deal.name}」的客户"
            f"{deal.customer_name}的人员：其他单位的人员只能作为外部人员（须填写外部人员类型）"
            "加入决策链",
        )
    if (
        not insider
        and external_kind == ExternalKind.GROUP_OFFICER.value
        and person.customer_id not in deal.group
    ):
        officer_en = label_of(ExternalKind.GROUP_OFFICER, "en").lower()
        officer_zh = label_of(ExternalKind.GROUP_OFFICER, "zh-CN")
        return _problem(
            kind_field,
            f"{person.name} works at {person.customer_name}, which is not a parent company of "
            f"{deal.customer_name}: only people of the customer's group companies join as "
            f"{officer_en}",
            f"{person.name}就职的{person.customer_name}不是{deal.customer_name}的上级集团公司："
            f"只有客户所属集团的人员才能作为{officer_zh}加入",
        )
    return None


def activity_person(field: str, person: PersonFacts, deal: DealFacts) -> FieldProblem | None:
    """Why a person may not take part in an activity about a deal, or None when they may."""
    if person.customer_id == deal.customer_id or person.external_kind is not None:
        return None
    return _problem(
        field,
        f"{person.name} works at {person.customer_name}, not at {deal.customer_name}, the "
        f"customer of {deal.name}: put them in its decision chain as an external member first",
        f"{person.name}就职于{person.customer_name}，不是商机「{deal.name}」的客户"
        f"{deal.customer_name}的人员：请先将其作为外部人员加入该商机的决策链",
    )


def activity_group(field: str, first: PersonFacts, other: PersonFacts) -> FieldProblem | None:
    """Why two people may not share an activity without a deal, or None when they may."""
    if same_group(first.group, other.group):
        return None
    return _problem(
        field,
        f"{other.name} ({other.customer_name}) and {first.name} ({first.customer_name}) work "
        "for unrelated customers: an activity without an opportunity is with people of one "
        "customer or group",
        f"{other.name}（{other.customer_name}）与{first.name}（{first.customer_name}）"
        "分属无关的客户：不关联商机的活动只能涉及同一客户或同一集团的人员",
    )


def group_break(field: str, customer: str, kind: str, a: str, b: str, c: str) -> FieldProblem:
    """A move of a customer that would strand a link or a group officer outside the group."""
    if kind == "LINK":
        return _problem(
            field,
            f"{customer} cannot move: {a} and {b} ({c}) are linked in the org chart or by "
            "influence and would no longer be of one group; remove that link first",
            f"{customer}不能调整所属集团：{a}与{b}（{c}）之间存在汇报或影响关系，调整后将不属于同一集团；"
            "请先删除该关系",
        )
    return _problem(
        field,
        f"{customer} cannot move: {a} of {c} sits in the decision chain of {b} as group "
        "officer and would no longer be of a parent company; change that first",
        f"{customer}不能调整所属集团：{c}的{a}作为集团总部人员在商机「{b}」的决策链中，"
        "调整后将不再属于上级公司；请先修改",
    )


def chain_role(field: str, person: str, actual: str, named: str) -> FieldProblem:
    """A person's place in a chain named by another role than theirs: nothing is removed,
    and the refusal says which role they really have (the client's view may be stale)."""
    (actual_en, actual_zh), (named_en, named_zh) = (_role(actual), _role(named))
    return FieldProblem(
        field,
        f"{person} is in this decision chain as {actual_en}, not as {named_en}",
        ErrorCode.CONFLICT,
        f"{person}在此决策链中的角色是{actual_zh}，而不是{named_zh}",
    )


def _role(value: str) -> tuple[str, str]:
    """A decision role's label as a sentence uses it: English in lower case, and zh-CN."""
    role = DecisionRole(value)
    return label_of(role).lower(), label_of(role, "zh-CN")
