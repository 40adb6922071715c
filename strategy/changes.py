"""What changed in a decision chain between two instants, said for people in both languages.

Pure: it compares two chain snapshots (with the scores and red flags the engine computed for
each) and a trend of win-likelihood points, and names every change by people's and things'
names and labels, never ids. A strategy session opens with it: who joined, who turned, which
ties grew or cooled, which red flags came or went, how the four questions and the win
likelihood moved and which changes moved the likelihood most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    Departure,
    MemberFacts,
    OpportunityFacts,
)
from domain.money import money
from domain.text import Text, told_apart
from domain.vocabulary import CLOSED_STAGES, ApprovalState, QuoteStatus, Stage, label_of
from strategy.analysis import RedFlag
from strategy.assessment import Assessment


class ChangeKind(StrEnum):
    """The kinds of change a diff names."""

    MEMBER_ADDED = "MEMBER_ADDED"
    MEMBER_REMOVED = "MEMBER_REMOVED"
    ROLE_CHANGED = "ROLE_CHANGED"
    ATTITUDE_CHANGED = "ATTITUDE_CHANGED"
    INFLUENCE_CHANGED = "INFLUENCE_CHANGED"
    LINK_ADDED = "LINK_ADDED"
    LINK_REMOVED = "LINK_REMOVED"
    TIE_ADDED = "TIE_ADDED"
    TIE_CHANGED = "TIE_CHANGED"
    TIE_REMOVED = "TIE_REMOVED"
    RIVAL_TIE_ADDED = "RIVAL_TIE_ADDED"
    RIVAL_TIE_CHANGED = "RIVAL_TIE_CHANGED"
    RIVAL_TIE_REMOVED = "RIVAL_TIE_REMOVED"
    CLOSENESS_CHANGED = "CLOSENESS_CHANGED"
    MEMBER_DETAILS_CHANGED = "MEMBER_DETAILS_CHANGED"
    PERSON_CHANGED = "PERSON_CHANGED"
    PERSON_LEFT = "PERSON_LEFT"
    """A member left the customer, or the record of it was undone."""
    TEAM_JOINED = "TEAM_JOINED"
    TEAM_LEFT = "TEAM_LEFT"
    COMPETITOR_ADDED = "COMPETITOR_ADDED"
    COMPETITOR_REMOVED = "COMPETITOR_REMOVED"
    COMPETITOR_CHANGED = "COMPETITOR_CHANGED"
    DEAL_CHANGED = "DEAL_CHANGED"
    ACTIVITY_LOGGED = "ACTIVITY_LOGGED"
    ACTIVITY_UPDATED = "ACTIVITY_UPDATED"
    STAGE_CHANGED = "STAGE_CHANGED"
    RED_FLAG_RAISED = "RED_FLAG_RAISED"
    RED_FLAG_RESOLVED = "RED_FLAG_RESOLVED"
    STAGE_MOVED = "STAGE_MOVED"
    APPROVAL_REQUESTED = "APPROVAL_REQUESTED"
    APPROVAL_DECIDED = "APPROVAL_DECIDED"
    DELIVERY_REVIEWED = "DELIVERY_REVIEWED"
    QUOTE_SUBMITTED = "QUOTE_SUBMITTED"
    QUOTE_RESET = "QUOTE_RESET"


PROCESS_KINDS: frozenset[ChangeKind] = frozenset(
    {
        ChangeKind.STAGE_MOVED,
        ChangeKind.APPROVAL_REQUESTED,
        ChangeKind.APPROVAL_DECIDED,
        ChangeKind.DELIVERY_REVIEWED,
        ChangeKind.QUOTE_SUBMITTED,
        ChangeKind.QUOTE_RESET,
    }
)
"""The steps of the TAS+ process a diff tells, each at its instant (``ChainChange.at``)."""


@dataclass(frozen=True, slots=True)
class ChainChange:
    """One change, with the person it concerns (if any) and a sentence in each language."""

    kind: ChangeKind
    person_id: str | None
    before: str | None
    after: str | None
    text_en: str
    text_zh: str
    at: int | None = None
    """When it happened, for a step of the process (None: a difference between the ends)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One end of a comparison: the chain, the names of the people and things in it, and
    (optionally) the engine's closeness scores and red flags for it."""

    snapshot: ChainSnapshot
    names: Mapping[str, str]
    closeness: Mapping[str, int] = field(default_factory=dict)
    red_flags: tuple[RedFlag, ...] = ()
    at: int | None = None
    """The instant the chain is as of: an activity dated after it is still planned."""
    apart: Mapping[str, str] = field(default_factory=dict)
    """What tells each person from a namesake (their title, else their e-mail), by id: said
    after the name of one whose name someone else in ``names`` has too (``told_apart``)."""


@dataclass(frozen=True, slots=True)
class QuestionMove:
    """One of the four questions (0-100) before and after."""

    question: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The win likelihood right after a change (or a stage move), with what changed."""

    at: int
    likelihood: float
    stage: str
    stage_transition: bool
    changes: tuple[ChainChange, ...]
    delta: float = 0.0


@dataclass(frozen=True, slots=True)
class ChainDiff:
    """Everything that changed between two instants."""

    changes: tuple[ChainChange, ...]
    questions: tuple[QuestionMove, ...]
    likelihood_before: float
    likelihood_after: float
    movers: tuple[TrendPoint, ...]


QUESTIONS = ("is_real", "can_compete", "can_win", "worth_it")

_MEMBER_DETAILS = (
    ("needs", "needs", "需求"),
    ("needs_fit", "needs fit", "需求匹配度"),
    ("external_kind", "outside role", "外部身份"),
)
_PERSON_DETAILS = (
    ("name", "name", "姓名"),
    ("title", "title", "职务"),
    ("department", "department", "部门"),
)
_DEAL_DETAILS = (
    ("name", "name", "名称"),
    ("grade", "grade", "等级"),
    ("amount", "amount", "金额"),
    ("currency", "currency", "币种"),
    ("budget", "budget", "预算"),
    ("quote_amount", "quote amount", "报价金额"),
    ("quote_status", "quote status", "报价状态"),
    ("expected_close_date", "expected close date", "预计签约日期"),
    ("compelling_event", "compelling event", "紧迫事件"),
    ("decision_process_known", "decision process known", "决策流程已明确"),
    ("presales_cost", "presales cost", "售前成本"),
    ("delivery_cost", "delivery cost", "交付成本"),
    ("delivery_risk", "delivery risk", "交付风险"),
    ("delivery_reviewed", "delivery review", "交付评审"),
)


_DEAL_MONEY: Final = frozenset(
    {"amount", "budget", "quote_amount", "presales_cost", "delivery_cost"}
)
"""The deal's amounts: a change says from how much to how much (a director reading "quote
amount changed" cannot tell how much was given away)."""


def _label(value: StrEnum | None, locale: str) -> str:
    return label_of(value, locale) if value is not None else ""


def _arrow(a: StrEnum, b: StrEnum) -> tuple[str, str]:
    return (
        f"{_label(a, 'en').lower()} → {_label(b, 'en').lower()}",
        f"{_label(a, 'zh')} → {_label(b, 'zh')}",
    )


class _Changes:
    """Collects changes, naming people by the names of either side (namesakes told apart)."""

    def __init__(self, names: Mapping[str, str], apart: Mapping[str, str]) -> None:
        self.names = names
        self.said = told_apart(names, apart)
        self.found: list[ChainChange] = []

    def who(self, node_id: str) -> Text:
        """A person as the sentences name them, in each language."""
        name = self.names.get(node_id, "?")
        return self.said.get(node_id) or Text(name, name)

    def name(self, node_id: str) -> str:
        """A person's name as the English sentence says it (what changes are sorted by)."""
        return self.who(node_id).en

    def add(
        self,
        kind: ChangeKind,
        person: str | None,
        values: tuple[str | None, str | None],
        en: str,
        zh: str,
    ) -> None:
        self.found.append(ChainChange(kind, person, values[0], values[1], en, zh))


def _members(
    c: _Changes, before: Mapping[str, MemberFacts], after: Mapping[str, MemberFacts]
) -> None:
    for pid in sorted(after.keys() - before.keys(), key=c.name):
        m, who = after[pid], c.who(pid)
        c.add(
            ChangeKind.MEMBER_ADDED,
            pid,
            (None, m.role.value),
            f"{who.en} joined the decision chain as {_label(m.role, 'en').lower()}",
            f"{who.zh}加入决策链，角色为{_label(m.role, 'zh')}",
        )
    for pid in sorted(before.keys() - after.keys(), key=c.name):
        who = c.who(pid)
        c.add(
            ChangeKind.MEMBER_REMOVED,
            pid,
            (before[pid].role.value, None),
            f"{who.en} left the decision chain",
            f"{who.zh}离开了决策链",
        )
    for pid in sorted(before.keys() & after.keys(), key=c.name):
        old, new, who = before[pid], after[pid], c.who(pid)
        for kind, a, b, en, zh in (
            (ChangeKind.ROLE_CHANGED, old.role, new.role, "role", "角色"),
            (ChangeKind.ATTITUDE_CHANGED, old.attitude, new.attitude, "attitude", "态度"),
            (ChangeKind.INFLUENCE_CHANGED, old.influence, new.influence, "influence", "影响力"),
        ):
            if a != b:
                text_en, text_zh = _arrow(a, b)
                c.add(
                    kind,
                    pid,
                    (a.value, b.value),
                    f"{who.en}'s {en}: {text_en}",
                    f"{who.zh}的{zh}：{text_zh}",
                )
        details = [
            (en, zh)
            for field, en, zh in _MEMBER_DETAILS
            if getattr(old, field) != getattr(new, field)
        ]
        if details:
            c.add(
                ChangeKind.MEMBER_DETAILS_CHANGED,
                pid,
                (None, None),
                f"{who.en}'s {', '.join(en for en, _ in details)} changed",
                f"{who.zh}的{'、'.join(zh for _, zh in details)}有变化",
            )


def _links(c: _Changes, before: ChainSnapshot, after: ChainSnapshot, stayed: set[str]) -> None:
    """Reporting and influence links between people who were members at both ends (a person
    who joined or left is said once, not once per link)."""
    for ties, en, zh in (
        ("reports_to", "reports to", "向{}汇报"),
        ("influences", "influences", "影响{}"),
        ("person_knows", "knows", "认识{}"),
    ):
        old = {
            (t.from_id, t.to_id) for t in getattr(before, ties) if {t.from_id, t.to_id} <= stayed
        }
        new = {(t.from_id, t.to_id) for t in getattr(after, ties) if {t.from_id, t.to_id} <= stayed}
        for a, b in sorted(new - old, key=lambda k: (c.name(k[0]), c.name(k[1]))):
            c.add(
                ChangeKind.LINK_ADDED,
                a,
                (None, b),
                f"{c.who(a).en} now {en} {c.who(b).en}",
                f"{c.who(a).zh}现在{zh.format(c.who(b).zh)}",
            )
        for a, b in sorted(old - new, key=lambda k: (c.name(k[0]), c.name(k[1]))):
            c.add(
                ChangeKind.LINK_REMOVED,
                a,
                (b, None),
                f"{c.who(a).en} no longer {en} {c.who(b).en}",
                f"{c.who(a).zh}不再{zh.format(c.who(b).zh)}",
            )


# Sentences of tie changes: added (level), removed, changed (levels), in English and Chinese.
_TIE_TEXTS = {
    "team": (
        ("{who} now knows {whom} ({level})", "{who}与{whom}建立了关系（{level}）"),
        ("{who} no longer has a tie with {whom}", "{who}与{whom}的关系已不在"),
        ("{who}'s tie with {whom}: {levels}", "{who}与{whom}的关系：{levels}"),
    ),
    "rival": (
        ("{who} is now close to {whom} ({level})", "竞争对手{who}与{whom}关系密切（{level}）"),
        ("{who} is no longer close to {whom}", "竞争对手{who}与{whom}不再关系密切"),
        ("{who}'s closeness to {whom}: {levels}", "竞争对手{who}与{whom}的关系：{levels}"),
    ),
}


def _ties(c: _Changes, before: ChainSnapshot, after: ChainSnapshot, members: set[str]) -> None:
    """Our team's KNOWS ties and competitors' CLOSE_TO ties to the members at the end."""
    sides = (
        (
            (ChangeKind.TIE_ADDED, ChangeKind.TIE_REMOVED, ChangeKind.TIE_CHANGED),
            _TIE_TEXTS["team"],
            {(k.member_id, k.person_id): k.level for k in before.team_knows},
            {(k.member_id, k.person_id): k.level for k in after.team_knows},
        ),
        (
            (
                ChangeKind.RIVAL_TIE_ADDED,
                ChangeKind.RIVAL_TIE_REMOVED,
                ChangeKind.RIVAL_TIE_CHANGED,
            ),
            _TIE_TEXTS["rival"],
            {(t.competitor_id, t.person_id): t.level for t in before.competitor_ties},
            {(t.competitor_id, t.person_id): t.level for t in after.competitor_ties},
        ),
    )
    for (added, removed, changed), texts, old, new in sides:
        for key in sorted(old.keys() | new.keys(), key=lambda k: (c.name(k[1]), c.name(k[0]))):
            if key[1] not in members:
                continue
            names = {"who": c.who(key[0]), "whom": c.who(key[1])}
            a, b = old.get(key), new.get(key)
            if a is None and b is not None:
                said = Text(*texts[0]).format(
                    **names, level=Text(_label(b, "en").lower(), _label(b, "zh"))
                )
                c.add(added, key[1], (None, b.value), said.en, said.zh)
            elif a is not None and b is None:
                said = Text(*texts[1]).format(**names)
                c.add(removed, key[1], (a.value, None), said.en, said.zh)
            elif a is not None and b is not None and a != b:
                said = Text(*texts[2]).format(**names, levels=Text(*_arrow(a, b)))
                c.add(changed, key[1], (a.value, b.value), said.en, said.zh)


def _activities(
    c: _Changes, before: ChainSnapshot, after: ChainSnapshot, at: int | None = None
) -> None:
    """Activities logged or changed between the sides; one dated after ``at`` (the later
    side's instant) is a contact planned, said with its day and without an outcome."""
    known = {a.id for a in before.activities}
    fresh: list[ActivityFacts] = [a for a in after.activities if a.id not in known]
    earlier = {a.id: a for a in before.activities}
    changed = [a for a in after.activities if a.id in earlier and earlier[a.id] != a]
    for kind, found, en_tag, zh_tag in (
        (ChangeKind.ACTIVITY_LOGGED, fresh, "", ""),
        (ChangeKind.ACTIVITY_UPDATED, changed, "updated: ", "已更新："),
    ):
        for a in found:
            people = sorted((c.who(p) for p in a.person_ids), key=lambda who: who.en)
            people_en = ", ".join(who.en for who in people)
            people_zh = "、".join(who.zh for who in people)
            what_en, what_zh = _label(a.type, "en"), _label(a.type, "zh")
            if at is not None and a.occurred_at > at:
                day = datetime.fromtimestamp(a.occurred_at / 1000, UTC).date().isoformat()
                en = f"{en_tag}planned: {what_en} with {people_en}, {day}"
                zh = f"{zh_tag}计划：{day}与{people_zh}的{what_zh}"
            else:
                en = f"{en_tag}{what_en} with {people_en} ({_label(a.outcome, 'en').lower()})"
                zh = f"{zh_tag}与{people_zh}的{what_zh}（{_label(a.outcome, 'zh')}）"
            c.add(kind, a.person_ids[0] if a.person_ids else None, (None, a.type.value), en, zh)


def _details(
    c: _Changes,
    kind: ChangeKind,
    subject: str | None,
    pairs: list[tuple[str, str]],
    who: tuple[str, str],
) -> None:
    if pairs:
        c.add(
            kind,
            subject,
            (None, None),
            f"{who[0]}: {', '.join(en for en, _ in pairs)} changed",
            f"{who[1]}：{'、'.join(zh for _, zh in pairs)}有变化",
        )


def _deal_details(
    c: _Changes, moved: list[tuple[str, str]], changed: list[tuple[str, str]]
) -> None:
    """The deal's own fields that changed: amounts from how much to how much, then the rest."""
    if not moved:
        _details(c, ChangeKind.DEAL_CHANGED, None, changed, ("Deal", "商机"))
        return
    en = [", ".join(e for e, _ in moved)]
    zh = ["、".join(z for _, z in moved)]
    if changed:
        en.append(f"{', '.join(e for e, _ in changed)} changed")
        zh.append(f"{'、'.join(z for _, z in changed)}有变化")
    c.add(
        ChangeKind.DEAL_CHANGED,
        None,
        (None, None),
        f"Deal: {'; '.join(en)}",
        f"商机：{'；'.join(zh)}",
    )


def _record(left: Departure | None) -> Departure | None:
    """The departure itself, without who holds the job now (said on its own)."""
    return None if left is None else replace(left, successor_id=None)


def _succeeded(c: _Changes, pid: str, who: Text, successor: str | None) -> None:
    """The team named who holds the job of one who left (or no longer knows)."""
    if successor is not None and successor in c.names:
        by = c.who(successor)
        en, zh = f"{by.en} holds {who.en}'s job now", f"{by.zh}已接任{who.zh}的岗位"
    elif successor is None:
        en = f"Who holds {who.en}'s job now is no longer known"
        zh = f"{who.zh}岗位的继任者改为尚未确认"
    else:
        en, zh = f"Who holds {who.en}'s job now changed", f"{who.zh}岗位的继任者有变化"
    c.add(ChangeKind.PERSON_CHANGED, pid, (None, None), en, zh)


def _left(c: _Changes, pid: str, who: Text, left: Departure | None) -> None:
    """A member who left the customer (how and where to), or one whose record was undone."""
    if left is None:
        c.add(
            ChangeKind.PERSON_LEFT,
            pid,
            ("LEFT", None),
            f"{who.en} is at the customer again (the record of their leaving was undone)",
            f"{who.zh}仍在客户任职（离任记录已撤销）",
        )
        return
    said = left.how_said()
    c.add(
        ChangeKind.PERSON_LEFT,
        pid,
        (None, left.left_on),
        f"{who.en} left the customer on {left.left_on} ({said.en})",
        f"{who.zh}已于{left.left_on}离任（{said.zh}）",
    )


def _surroundings(
    c: _Changes,
    before: ChainSnapshot,
    after: ChainSnapshot,
    members: set[str],
    told: frozenset[str] = frozenset(),
) -> None:
    """The deal's own fields (but those ``told`` by the process's steps), members' names and
    jobs, our team and the competitors."""
    old_deal, new_deal = before.opportunity, after.opportunity
    fields = [
        (f, en, zh)
        for f, en, zh in _DEAL_DETAILS
        if getattr(old_deal, f) != getattr(new_deal, f) and f not in told
    ]
    same_currency = old_deal.currency == new_deal.currency
    moved: list[tuple[str, str]] = []
    changed: list[tuple[str, str]] = []
    for f, en, zh in fields:
        was, now = getattr(old_deal, f), getattr(new_deal, f)
        if f in _DEAL_MONEY and same_currency and (was or now):  # 0: an amount not given
            if was and now:
                then, later = money(was, old_deal.currency), money(now, new_deal.currency)
                moved.append((f"{en} {then.en} → {later.en}", f"{zh}{then.zh}→{later.zh}"))
            elif now:
                later = money(now, new_deal.currency)
                moved.append((f"{en} set to {later.en}", f"{zh}设为{later.zh}"))
            else:
                moved.append((f"{en} cleared", f"{zh}已清空"))
        else:
            changed.append((en, zh))
    _deal_details(c, moved, changed)
    old_people = {p.id: p for p in before.persons}
    for person in after.persons:
        was = old_people.get(person.id)
        if was is None or person.id not in members:
            continue
        changed = [
            (en, zh) for f, en, zh in _PERSON_DETAILS if getattr(was, f) != getattr(person, f)
        ]
        who = c.said.get(person.id) or Text(person.name, person.name)
        _details(c, ChangeKind.PERSON_CHANGED, person.id, changed, (who.en, who.zh))
        if _record(was.left) != _record(person.left):
            _left(c, person.id, who, person.left)
        elif was.left and person.left and was.left.successor_id != person.left.successor_id:
            _succeeded(c, person.id, who, person.left.successor_id)
    old_team = {(t.member_id, t.role) for t in before.team}
    new_team = {(t.member_id, t.role) for t in after.team}
    for (mid, role), kind, en, zh in [
        (k, ChangeKind.TEAM_JOINED, "joined our team as", "加入我方团队，角色为")
        for k in sorted(new_team - old_team)
    ] + [
        (k, ChangeKind.TEAM_LEFT, "left our team as", "退出我方团队，原角色为")
        for k in sorted(old_team - new_team)
    ]:
        c.add(
            kind,
            None,
            (None, role.value) if kind is ChangeKind.TEAM_JOINED else (role.value, None),
            f"{c.who(mid).en} {en} {_label(role, 'en').lower()}",
            f"{c.who(mid).zh}{zh}{_label(role, 'zh')}",
        )
    old_rivals = {x.id: x for x in before.competitors}
    new_rivals = {x.id: x for x in after.competitors}
    for xid in sorted(new_rivals.keys() - old_rivals.keys(), key=c.name):
        c.add(
            ChangeKind.COMPETITOR_ADDED,
            None,
            (None, new_rivals[xid].position.value),
            f"{c.name(xid)} competes for the deal"
            f" ({_label(new_rivals[xid].position, 'en').lower()})",
            f"{c.name(xid)}参与竞争（{_label(new_rivals[xid].position, 'zh')}）",
        )
    for xid in sorted(old_rivals.keys() - new_rivals.keys(), key=c.name):
        c.add(
            ChangeKind.COMPETITOR_REMOVED,
            None,
            (old_rivals[xid].position.value, None),
            f"{c.name(xid)} no longer competes for the deal",
            f"{c.name(xid)}不再参与竞争",
        )
    for xid in sorted(old_rivals.keys() & new_rivals.keys(), key=c.name):
        a, b = old_rivals[xid], new_rivals[xid]
        if (a.position, a.price_position) != (b.position, b.price_position):
            text_en, text_zh = _arrow(a.position, b.position)
            c.add(
                ChangeKind.COMPETITOR_CHANGED,
                None,
                (a.position.value, b.position.value),
                f"{c.name(xid)}'s standing: {text_en}",
                f"{c.name(xid)}的竞争地位：{text_zh}",
            )


def _flag_key(flag: RedFlag) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (flag.code, flag.person_ids, flag.competitor_ids)


def _red_flags(c: _Changes, before: Sequence[RedFlag], after: Sequence[RedFlag]) -> None:
    old = {_flag_key(f): f for f in before}
    new = {_flag_key(f): f for f in after}
    for key, flag in new.items():
        if key not in old:
            c.add(
                ChangeKind.RED_FLAG_RAISED,
                flag.person_ids[0] if flag.person_ids else None,
                (None, flag.code),
                f"New red flag: {flag.text_en}",
                f"新的风险信号：{flag.text_zh}",
            )
    for key, flag in old.items():
        if key not in new:
            c.add(
                ChangeKind.RED_FLAG_RESOLVED,
                flag.person_ids[0] if flag.person_ids else None,
                (flag.code, None),
                f"Red flag resolved: {flag.text_en}",
                f"风险信号已消除：{flag.text_zh}",
            )


def chain_changes(
    before: Side, after: Side, closeness_threshold: int = 10, told: frozenset[str] = frozenset()
) -> list[ChainChange]:
    """Every change from ``before`` to ``after``, grouped by kind, people by name; the deal's
    fields in ``told`` (and its stage, with ``"stage"``) are left to the steps that tell them
    (``told_by``)."""
    c = _Changes({**before.names, **after.names}, {**before.apart, **after.apart})
    old_stage, new_stage = before.snapshot.opportunity.stage, after.snapshot.opportunity.stage
    if old_stage != new_stage and "stage" not in told:
        text_en, text_zh = _arrow(old_stage, new_stage)
        c.add(
            ChangeKind.STAGE_CHANGED,
            None,
            (old_stage.value, new_stage.value),
            f"Stage: {text_en}",
            f"阶段：{text_zh}",
        )
    old = {m.person_id: m for m in before.snapshot.members}
    new = {m.person_id: m for m in after.snapshot.members}
    _members(c, old, new)
    _links(c, before.snapshot, after.snapshot, set(old) & set(new))
    _ties(c, before.snapshot, after.snapshot, set(new))
    for pid in sorted(old.keys() & new.keys(), key=c.name):
        a, b = before.closeness.get(pid), after.closeness.get(pid)
        if a is not None and b is not None and abs(b - a) >= closeness_threshold:
            c.add(
                ChangeKind.CLOSENESS_CHANGED,
                pid,
                (str(a), str(b)),
                f"Relationship closeness with {c.who(pid).en}: {a} → {b}",
                f"与{c.who(pid).zh}的关系紧密度：{a} → {b}",
            )
    _surroundings(c, before.snapshot, after.snapshot, set(old) & set(new), told)
    _activities(c, before.snapshot, after.snapshot, after.at)
    if new_stage not in CLOSED_STAGES:  # a decided deal has no flags: none was resolved by it
        _red_flags(c, before.red_flags, after.red_flags)
    return c.found


def question_moves(before: Assessment, after: Assessment) -> tuple[QuestionMove, ...]:
    """The four questions' scores before and after."""
    return tuple(
        QuestionMove(q, getattr(before, q).value, getattr(after, q).value) for q in QUESTIONS
    )


MOVED_AT_ALL = 0.0005
"""The least step a mover takes: below a twentieth of a point it reads as 0.0 points, which is
no move a person can see (a report listed "-0.0 points" among what moved the deal most)."""


def movers(points: Sequence[TrendPoint], limit: int = 5) -> tuple[TrendPoint, ...]:
    """The points whose change moved the win likelihood most (largest steps first), each by at
    least ``MOVED_AT_ALL``."""
    moved = [p for p in points if p.changes and abs(p.delta) >= MOVED_AT_ALL]
    return tuple(sorted(moved, key=lambda p: (-abs(p.delta), p.at))[:limit])


# --- the process: approvals, the delivery review, the quote and stage moves ------------------

type Who = str | Text
"""Who took a step: their name, or a namesake's told apart in each language (``told_apart``)."""


@dataclass(frozen=True, slots=True)
class ApprovalStep:
    """An approval requested (``state`` PENDING) or decided (approved, rejected, withdrawn)."""

    at: int
    process: Text
    """The process as people know it ("TAS+2-1 Opportunity initiation")."""
    who: Who
    state: ApprovalState
    requester: Who = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReviewStep:
    """The delivery manager's review of feasibility, workload and the quote."""

    at: int
    who: Who
    feasible: bool
    workload_person_days: float | None = None
    amount: int | None = None
    currency: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class QuoteStep:
    """The quote submitted to the customer."""

    at: int
    who: Who
    amount: int | None = None
    currency: str = ""


@dataclass(frozen=True, slots=True)
class ResetStep:
    """A quote reset: its amount changed after the delivery review or the submission, so a
    submitted quote went back to draft and the review no longer covers it."""

    at: int
    who: Who
    before: int | None
    after: int | None
    currency: str = ""
    submitted: bool = False
    """The quote stood submitted (it went back to draft)."""
    reviewed: bool = False
    """The delivery review covered it (it no longer does)."""


@dataclass(frozen=True, slots=True)
class MoveStep:
    """A stage move."""

    at: int
    who: Who
    from_stage: Stage
    to_stage: Stage
    reason: str = ""


type ProcessStep = ApprovalStep | ReviewStep | QuoteStep | ResetStep | MoveStep


def _who(name: Who) -> Text:
    if isinstance(name, Text):
        return name
    return Text(name or "Someone", name or "有人")


_NOTHING = Text("", "")


def _aside(comment: str) -> Text:
    return Text(f" ({comment})", f"（{comment}）") if comment else _NOTHING


def _joined(*parts: Text) -> Text:
    return Text("".join(p.en for p in parts), "".join(p.zh for p in parts))


def _approval(step: ApprovalStep) -> tuple[ChangeKind, Text, str | None, str]:
    """An approval's step: what was asked, or what was decided on whose request and why."""
    who = _who(step.who)
    if step.state is ApprovalState.PENDING:
        said = Text("{who} requested {process}", "{who}申请{process}")
        text = said.format(who=who, process=step.process)
        return ChangeKind.APPROVAL_REQUESTED, _joined(text, _aside(step.comment)), None, "PENDING"
    by = _NOTHING
    if step.requester and step.requester != step.who:
        by = Text(" (requested by {who})", "（{who}申请）").format(who=_who(step.requester))
    tail = _aside(step.comment)
    if step.state is ApprovalState.REJECTED:
        said = Text("{who} rejected {process}", "{who}驳回了{process}")
        if step.comment:
            tail = Text(f": {step.comment}", f"，原因：{step.comment}")
    elif step.state is ApprovalState.WITHDRAWN:
        said = Text("{who} withdrew the request for {process}", "{who}撤回了{process}的申请")
        by = _NOTHING
    else:
        said = Text("{who} approved {process}", "{who}批准了{process}")
    text = said.format(who=who, process=step.process)
    return ChangeKind.APPROVAL_DECIDED, _joined(text, by, tail), "PENDING", step.state.value


def _review(step: ReviewStep) -> Text:
    verdict = Text("feasible", "可落地") if step.feasible else Text("not feasible", "不可落地")
    said = Text("{who} recorded the delivery review: ", "{who}记录了交付评审：")
    parts = [said.format(who=_who(step.who)), verdict]
    if step.workload_person_days is not None:
        days = f"{step.workload_person_days:g}"
        parts.append(Text(f", {days} person-days", f"，工作量{days}人天"))
    if step.amount is not None:
        quote = money(step.amount, step.currency)
        parts.append(Text(f", for a quote of {quote.en}", f"，评审报价{quote.zh}"))
    parts.append(_aside(step.comment))
    return _joined(*parts)


def _reset(step: ResetStep) -> Text:
    """Who changed the quote amount, from what to what, and what it undid."""
    who = _who(step.who)
    if step.after is None:
        said = Text("{who} cleared the quote amount", "{who}清空了报价金额").format(who=who)
    elif step.before is None:
        new = money(step.after, step.currency)
        said = Text("{who} set the quote amount to {new}", "{who}将报价金额设为{new}")
        said = said.format(who=who, new=new)
    else:
        old, new = money(step.before, step.currency), money(step.after, step.currency)
        said = Text(
            "{who} changed the quote amount from {old} to {new}", "{who}将报价金额从{old}改为{new}"
        ).format(who=who, old=old, new=new)
    undone = []
    if step.submitted:
        undone.append(Text("the quote went back to draft", "报价退回草稿"))
    if step.reviewed:
        undone.append(Text("the delivery review no longer covers it", "原交付评审已作废"))
    if not undone:
        return said
    return _joined(
        said,
        Text(": " + " and ".join(u.en for u in undone), "：" + "，".join(u.zh for u in undone)),
    )


def _step(step: ProcessStep) -> ChainChange:
    """One step of the process as a change at its instant, said for people."""
    before: str | None = None
    after: str | None
    if isinstance(step, ApprovalStep):
        kind, text, before, after = _approval(step)
    elif isinstance(step, ReviewStep):
        kind, text = ChangeKind.DELIVERY_REVIEWED, _review(step)
        after = "FEASIBLE" if step.feasible else "NOT_FEASIBLE"
    elif isinstance(step, QuoteStep):
        kind, after = ChangeKind.QUOTE_SUBMITTED, None
        said = Text("{who} submitted the quote", "{who}提交了报价").format(who=_who(step.who))
        if step.amount is not None:
            after = str(step.amount)
            quote = money(step.amount, step.currency)
            said = _joined(said, Text(f": {quote.en}", f"：{quote.zh}"))
        text = said
    elif isinstance(step, ResetStep):
        kind, text = ChangeKind.QUOTE_RESET, _reset(step)
        before = str(step.before) if step.before is not None else None
        after = str(step.after) if step.after is not None else None
    else:
        kind, before, after = ChangeKind.STAGE_MOVED, step.from_stage.value, step.to_stage.value
        said = Text("{who} moved the deal from {old} to {new}", "{who}将商机从{old}移至{new}")
        stages = {"old": _stage(step.from_stage), "new": _stage(step.to_stage)}
        text = _joined(said.format(who=_who(step.who), **stages), _aside(step.reason))
    return ChainChange(kind, None, before, after, text.en, text.zh, step.at)


def _stage(stage: Stage) -> Text:
    return Text(label_of(stage, "en"), label_of(stage, "zh"))


def steps_between(steps: Sequence[ProcessStep], start: int, end: int) -> list[ProcessStep]:
    """The steps taken after ``start`` up to ``end``, in time order (ties as recorded)."""
    taken = sorted(
        ((i, s) for i, s in enumerate(steps) if start < s.at <= end),
        key=lambda pair: (pair[1].at, pair[0]),
    )
    return [s for _, s in taken]


_UNSAID: Final = object()
"""A value a step sets without saying which (a feasible review counts only for the amount it
reviewed): the step still tells the field changed."""


def _tells(step: ProcessStep) -> tuple[tuple[str, object], ...]:
    """The deal's fields a step tells, each with the value it leaves."""
    if isinstance(step, QuoteStep):
        return (("quote_status", QuoteStatus.SUBMITTED),)
    if isinstance(step, ReviewStep):
        return (("delivery_reviewed", _UNSAID if step.feasible else False),)
    if isinstance(step, ResetStep):
        told: list[tuple[str, object]] = [("quote_amount", step.after)]
        if step.submitted:
            told.append(("quote_status", QuoteStatus.DRAFT))
        if step.reviewed:
            told.append(("delivery_reviewed", False))
        return tuple(told)
    return ()


def told_by(
    steps: Sequence[ProcessStep], before: OpportunityFacts, after: OpportunityFacts
) -> frozenset[str]:
    """What the steps taken between two ends of a deal (``steps_between``) tell of the change
    from ``before`` to ``after``, so a diff does not say it again: each field whose last step
    leaves it as it ends (the quote's status from its submission or reset, the delivery review
    from the review or a reset, the quote amount from a reset), and ``"stage"`` when a single
    stage move made the whole change of stage (several say each step; the change over all of
    them is still said)."""
    last: dict[str, object] = {}
    for step in steps:
        for name, value in _tells(step):
            last[name] = value
    told = {
        name for name, value in last.items() if value is _UNSAID or getattr(after, name) == value
    }
    moves = [s for s in steps if isinstance(s, MoveStep)]
    if len(moves) == 1 and (moves[0].from_stage, moves[0].to_stage) == (before.stage, after.stage):
        told.add("stage")
    return frozenset(told)


def process_changes(steps: Sequence[ProcessStep], start: int, end: int) -> list[ChainChange]:
    """The steps of the process taken after ``start`` up to ``end``, in time order: who asked
    for and who decided each approval, the delivery review, the quote submitted or reset by a
    new amount, each stage move. A diff of two chains says the stage changed; this says who did
    what on the way."""
    return [_step(s) for s in steps_between(steps, start, end)]


def with_process(changes: Sequence[ChainChange], steps: Sequence[ChainChange]) -> list[ChainChange]:
    """The chain's changes with the process's steps after the stage's change (or first)."""
    at = 1 if changes and changes[0].kind is ChangeKind.STAGE_CHANGED else 0
    return [*changes[:at], *steps, *changes[at:]]
