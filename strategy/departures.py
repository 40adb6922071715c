"""Key persons who left the customer: kept on the chain as history, counted no more.

A sales VP: the leaver's scores stop counting the day the departure is recorded, and are never
passed to their successor; the likelihood falls by what they gave us, and the team hears why in
a watch point (a coach: nobody inside tells us anything any more; a decision maker: what they
only promised may not bind their successor; one who left under investigation: our dealings with
them are a compliance question). Whoever of ours knows them best asks them, while the tie is
warm, to introduce their successor: only one who trusted us, soon after they left (later when
they rotated within the group), never one who left under investigation. Their scores are frozen
as they stood the day they left."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.chain import SUCCESSOR_PLAY, ChainSnapshot, Departure, MemberFacts, PersonFacts
from domain.text import Text
from domain.vocabulary import (
    ActivityType,
    Attitude,
    DecisionRole,
    DepartureKind,
    DropReason,
    InfluenceLevel,
    WorkPlanStatus,
    label_of,
)
from strategy.analysis import SEVERITY_ORDER, ChainAnalysis, RedFlag
from strategy.config import StrategyConfig
from strategy.playbook import Playbook
from strategy.rationale import Clause, rationale_text
from strategy.scoring import (
    DAY_MS,
    SUPPORTIVE,
    ChainScorer,
    PersonContext,
    PersonScores,
    build_contexts,
    calendar_days,
)
from strategy.seats import unnamed_for
from strategy.workplan import Suggestion, choose_owner, day_start_ms, due_date, held_back

COACH = DecisionRole.COACH
_WEIGHTY = frozenset({InfluenceLevel.HIGH, InfluenceLevel.DECISIVE})


@dataclass(frozen=True, slots=True)
class DepartedMember:
    """A member of the chain who left the customer, with their place and scores as they
    stood the day they left."""

    member: MemberFacts
    person: PersonFacts
    left: Departure
    scores: PersonScores
    holder: PersonFacts | None = None
    """Who holds their job now, as the team named it (``ChainSnapshot.holder_of``), on the
    chain or not."""
    holder_named_at: int = 0
    """When the team named ``holder`` for their job (epoch ms); 0 when not known, or when the
    holder was named for another member of the chain, who took the job and left in turn: the
    follow-up is said once, on that member's watch point."""


def _day_end_ms(day: str) -> int:
    return day_start_ms(day) + DAY_MS - 1


def left_chain(
    snapshot: ChainSnapshot, config: StrategyConfig
) -> tuple[ChainSnapshot, tuple[DepartedMember, ...]]:
    """The chain without the members who left the customer, and those members, each scored
    at the end of the day they left (their contacts after it, if any, were with someone no
    longer there)."""
    gone = {p.id: p for p in snapshot.persons if p.left is not None}
    members = [m for m in snapshot.members if m.person_id in gone]
    if not members:
        return snapshot, ()
    departed: list[DepartedMember] = []
    on_chain = {m.person_id for m in snapshot.members}
    for member in members:
        person = gone[member.person_id]
        assert person.left is not None
        at = _day_end_ms(person.left.left_on)
        context = build_contexts(snapshot, at)[member.person_id]
        scorer = ChainScorer(snapshot.opportunity, snapshot.competitors, at, config)
        holder, named_at, named_for = snapshot.holding(member.person_id) or (None, 0, "")
        departed.append(
            DepartedMember(
                member,
                person,
                person.left,
                scorer.score(context),
                holder,
                0 if named_for in on_chain - {member.person_id} else named_at,
            )
        )
    return snapshot.present(), tuple(departed)


def _days_since(day: str, now_ms: int) -> int:
    return calendar_days(day_start_ms(day), now_ms)


def _named(d: DepartedMember) -> Text:
    """Their name with their title, else their role: 王主任（CIO）."""
    role = d.person.title or None
    en = role or label_of(d.member.role).lower()
    zh = role or label_of(d.member.role, "zh")
    return Text(f"{d.person.name} ({en})", f"{d.person.name}（{zh}）")


def _where(left: Departure) -> Text:
    said = left.how_said()
    return Text(f" ({said.en})", f"（{said.zh}）")


def _flag_of(d: DepartedMember, kept: ChainSnapshot, names: Mapping[str, str]) -> RedFlag | None:
    """The watch point one departure raises, None for someone whose leaving changes little
    (a user of low influence, neutral to us)."""
    who, where, on = _named(d), _where(d.left), d.left.left_on
    gone = Text(f"{who.en} left the customer on {on}{where.en}", f"{who.zh}已于{on}离任{where.zh}")
    if d.left.how == DepartureKind.INVESTIGATED:
        return _investigated(d, gone)
    if d.member.role == DecisionRole.DECISION_MAKER:
        return _decision_maker_left(d, gone, kept, names)
    if d.member.role == COACH:
        return _coach_left(d, gone, kept, names)
    champion = d.member.attitude == Attitude.CHAMPION
    signs = d.member.role == DecisionRole.APPROVER  # whoever signs, whatever their weight
    if not (d.member.attitude in SUPPORTIVE or d.member.influence in _WEIGHTY or signs):
        return None
    name = d.person.name
    lead = Text("Our champion left: ", "拥护者离任：") if champion else None
    lead = lead or Text("Key person left: ", "关键人离任：")
    return RedFlag(
        "KEY_PERSON_LEFT",
        "HIGH" if champion else "MEDIUM",
        (d.member.person_id,),
        (),
        f"{lead.en}{gone.en}",
        f"{lead.zh}{gone.zh}",
        *_meet_successor(name, d.holder, kept),
    )


def _meet_successor(name: str, holder: PersonFacts | None, kept: ChainSnapshot) -> tuple[str, str]:
    """The coaching of a key person's leaving: meet the successor the team named when they
    are on the chain (``kept``), put them on it first when they are not, else find out who
    holds the job now."""
    successor = holder.name if holder else None
    if holder and any(m.person_id == holder.id for m in kept.members):
        return (
            f"Meet {successor}, who holds {name}'s job now; what {name} backed must be won again"
            " with them.",
            f"尽快拜访现任继任者{successor}；{name}认可的内容需要在继任者处重新争取。",
        )
    if successor:
        return (
            f"Put {successor}, who holds {name}'s job now, on the decision chain and meet them;"
            f" what {name} backed must be won again with them.",
            f"将现任继任者{successor}加入决策链并与其会面；{name}认可的内容需要在继任者处重新争取。",
        )
    return (
        f"Find out who takes over {name}'s part in the decision and meet them; what {name}"
        " backed must be won again with their successor.",
        f"了解由谁接替{name}在决策中的角色并与其会面；{name}认可的内容需要在继任者处重新争取。",
    )


def _investigated(d: DepartedMember, gone: Text) -> RedFlag:
    """Whoever they were to the deal: our dealings with them are a compliance question now,
    and the purchase itself may be examined or tendered again (a sales VP)."""
    name = d.person.name
    return RedFlag(
        "KEY_PERSON_INVESTIGATED",
        "HIGH",
        (d.member.person_id,),
        (),
        f"{gone.en}: the purchase may be examined or tendered again",
        f"{gone.zh}：本次采购可能被复查或重新招标",
        f"Have the sales director review every contact of ours with {name} against the"
        " compliance rules now; keep every further contact with the customer formal and on the"
        " record (no hospitality), and ask procurement openly whether the process stands.",
        f"请销售总监立即按合规要求复核我方与{name}的全部接触；此后与客户的一切接触须正式、留痕"
        "（不安排招待），并公开向采购部门确认采购流程是否继续。",
    )


def _decision_maker_left(
    d: DepartedMember, gone: Text, kept: ChainSnapshot, names: Mapping[str, str]
) -> RedFlag:
    """What was agreed with them and was not approved by the customer's bodies may not bind
    their successor, who often delays, re-scopes or tenders again (a sales VP)."""
    name = d.person.name
    new = [m.person_id for m in kept.members if m.role == DecisionRole.DECISION_MAKER]
    after = Text("no new decision maker is on the chain yet", "决策链中尚无新的决策者")
    if not new and d.holder is not None and d.holder.id not in {m.person_id for m in kept.members}:
        after = Text(
            f"{d.holder.name} holds their job now and is not on the decision chain yet",
            f"{d.holder.name}已接任，尚未加入决策链",
        )
    if new:
        successor = names.get(new[0], new[0])
        ties = [t for t in kept.competitor_ties if t.person_id == new[0]]
        rivals = sorted({names.get(t.competitor_id, t.competitor_id) for t in ties})
        close = Text(f", close to {', '.join(rivals)}", f"，与{'、'.join(rivals)}关系密切")
        close = close if rivals else Text("", "")
        after = Text(
            f"the new decision maker is {successor}{close.en}",
            f"新决策者为{successor}{close.zh}",
        )
    group = Text("", "")
    if d.left.how == DepartureKind.ROTATED:
        group = Text(
            f" If {name} now sits above the customer in the group, map them there as a group"
            " officer: they may still weigh on this decision.",
            f"如{name}调入集团、位于客户上级，请在集团一方为其建档并作为集团人员加入决策链：其仍可能"
            "影响本次决策。",
        )
    return RedFlag(
        "DECISION_MAKER_LEFT",
        "HIGH",
        (d.member.person_id,),
        (),
        f"Decision maker changed: {gone.en}; {after.en}",
        f"决策者变更：{gone.zh}；{after.zh}",
        f"Ask {name} first about their successor's background and priorities, then meet the new"
        " decision maker at a senior level within 14 days and re-confirm the budget, the"
        " timeline and the compelling event: what the customer approved formally (the project,"
        f" the budget) stands, what {name} only promised may not bind the successor, and a new"
        " leader often delays, re-scopes or tenders again. Watch the tender's timing and"
        f" specifications; the sales director reviews the deal's grade.{group.en}",
        f"先向{name}了解继任者的背景和关注点，再在14天内由我方高层拜访新决策者，重新确认预算、"
        f"时间表和紧迫事件：已上会批准的事项（立项、预算）仍然有效，{name}的口头承诺未必被继任者"
        "认可；新领导常会推迟、调整范围或重新招标。留意招标时间与技术规格的变化；由销售总监重新评估"
        f"商机等级。{group.zh}",
    )


def _coach_left(
    d: DepartedMember, gone: Text, kept: ChainSnapshot, names: Mapping[str, str]
) -> RedFlag:
    """Nobody inside tells us how the decision goes any more, unless another coach remains."""
    name = d.person.name
    others = [names.get(m.person_id, m.person_id) for m in kept.members if m.role == COACH]
    still = Text("; the decision chain has no coach", "，决策链当前无教练")
    if others:
        still = Text(f"; {others[0]} remains our coach", f"；{others[0]}仍是我方教练")
    return RedFlag(
        "COACH_LEFT",
        "MEDIUM" if others else "HIGH",
        (d.member.person_id,),
        (),
        f"Coach left: {gone.en}{still.en}.",
        f"教练离任：{gone.zh}{still.zh}。",
        f"Nobody inside tells us how the decision is going now: ask {name} to introduce"
        " their successor while the tie is warm, and develop a new coach within 30 days"
        " among those who support us.",
        f"目前客户内部已没有人能给我们传递决策进展：趁人走茶未凉，请{name}引荐其继任者，"
        "并在30天内从支持我方的人中发展新的教练。",
    )


def departure_flags(
    departed: Sequence[DepartedMember],
    kept: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> tuple[RedFlag, ...]:
    """The watch points of the departures of the last ``analysis.departure_watch_days``, and of
    those whose job is not in hand yet however long ago (``_open_job``)."""
    flags = []
    for d in departed:
        open_job = _open_job(d, kept, now_ms, config)
        if open_job is None and _days_since(d.left.left_on, now_ms) > (
            config.analysis.departure_watch_days
        ):
            continue
        flag = _flag_of(d, kept, names)
        if flag is None:
            continue
        said, serious, unmapped = open_job or (None, False, False)
        if said is not None and not (unmapped and flag.code == "DECISION_MAKER_LEFT"):
            flag = _said(flag, said, serious)  # a decision maker's says it already
        flags.append(flag)
    return tuple(flags)


_MATTERS = frozenset({DecisionRole.DECISION_MAKER, DecisionRole.APPROVER, COACH})
"""The roles whose job left unknown is a risk whatever the leaver's weight (with champions and
anyone of high influence)."""


def _open_job(
    d: DepartedMember, kept: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> tuple[Text, bool, bool] | None:
    """What the watch point of one who mattered says while their job is not in hand at a stage
    that counts it (a sales VP: a pipeline risk, not a gap in the data), and whether that is
    serious now, and whether it is that the one named is not on the chain: nobody named
    (``_unnamed``), the one named not on the chain (``analysis.successor_unmapped_days`` after
    they were named), or on it and met by nobody of ours since the leaver left
    (``successor_unmet_days``); None otherwise."""
    member = d.member
    if d.left.how == DepartureKind.INVESTIGATED:
        return None
    if not (
        member.role in _MATTERS
        or member.attitude == Attitude.CHAMPION
        or member.influence in _WEIGHTY
    ):
        return None
    if d.holder is None:
        unnamed = _unnamed(d, kept, now_ms, config)
        return None if unnamed is None else (*unnamed, False)
    if not d.holder_named_at:
        return None
    an, stage = config.analysis, kept.opportunity.stage.value
    days = calendar_days(d.holder_named_at, now_ms)
    who, name = d.holder.name, d.person.name
    unmapped = not any(m.person_id == d.holder.id for m in kept.members)
    if unmapped:
        after, high = an.successor_unmapped_days.get(stage), an.successor_unmapped_high_days
        said = Text(
            f"{who} was named {days} days ago as holding {name}'s job now and is not yet on"
            " the decision chain",
            f"已确认{who}接任{name}的职位{days}天，但{who}仍未列入决策链",
        )
    elif _met(d.holder.id, d.left, kept, now_ms):
        return None
    else:
        after, high = an.successor_unmet_days.get(stage), an.successor_unmet_high_days
        said = Text(
            f"{who}, named {days} days ago as holding {name}'s job now, is on the decision"
            " chain, but nobody of ours has met them",
            f"{who}接任{name}的职位已{days}天，已列入决策链，但我方尚无人与其接触",
        )
    if after is None or days < after:
        return None
    return said, days >= high[stage], unmapped


def _met(person_id: str, left: Departure, chain: ChainSnapshot, now_ms: int) -> bool:
    """Whether one of ours was in touch with ``person_id`` since the day ``left`` says (a
    contact recorded with them, by anyone, a call as well as a visit; an e-mail is not one)."""
    since = day_start_ms(left.left_on)
    return any(
        person_id in a.person_ids
        and a.recorded
        and a.type != ActivityType.EMAIL
        and since <= a.occurred_at <= now_ms
        for a in chain.activities
    )


def _unnamed(
    d: DepartedMember, kept: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> tuple[Text, bool] | None:
    """While nobody on the chain holds the job and no successor is named, long enough for the
    stage (``strategy.seats.unnamed_for``)."""
    if not any(s.left_by == d.member.person_id and not s.named for s in kept.seats):
        return None
    found = unnamed_for(d.left, kept.opportunity.stage.value, now_ms, config)
    if found is None:
        return None
    days, serious = found
    said = Text(
        f"{days} days on, no successor is named on this deal's decision chain",
        f"离任已{days}天，本商机决策链中仍未确定其继任者",
    )
    return said, serious


def _said(flag: RedFlag, said: Text, serious: bool) -> RedFlag:
    """The watch point saying what of the job is not in hand yet, high when serious."""
    en, zh = flag.text_en.removesuffix("."), flag.text_zh.removesuffix("。")
    return dataclasses.replace(
        flag,
        severity="HIGH" if serious else flag.severity,
        text_en=f"{en}; {said.en}" + ("." if flag.text_en.endswith(".") else ""),
        text_zh=f"{zh}；{said.zh}" + ("。" if flag.text_zh.endswith("。") else ""),
    )


def _window(left: Departure, config: StrategyConfig) -> int | None:
    """How many days after they left they may still be asked; None: never."""
    if left.how == DepartureKind.INVESTIGATED:
        return None
    if left.how == DepartureKind.ROTATED:
        return config.plan.successor_group_window_days
    return config.plan.successor_window_days


def _asked_elsewhere(snapshot: ChainSnapshot, person_id: str, left: Departure) -> bool:
    """Whether another deal asks ``person_id`` for their successor already (its step open),
    did (done), or heard them refuse, since ``left`` was recorded: one who left is asked once
    for all their deals (a sales VP). A step another deal dropped for its own reasons (not
    needed there, not now, nobody to do it) leaves the ask to this deal."""
    return any(
        a.person_id == person_id
        and a.asked_at >= left.recorded_at
        and (
            a.status in (WorkPlanStatus.OPEN, WorkPlanStatus.DONE)
            or a.drop_reason == DropReason.REFUSED
        )
        for a in snapshot.asked_elsewhere
    )


def successor_steps(
    departed: Sequence[DepartedMember],
    snapshot: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig,
    playbook: Playbook,
) -> tuple[Suggestion, ...]:
    """The introductions to their successors worth asking of those who left: one who trusted
    us (closeness at least ``plan.successor_min_closeness`` the day they left, supportive),
    within the window their way of leaving allows, not already planned nor dropped and
    waiting. ``snapshot``: the chain with them (their ties tell who of ours asks)."""
    action = playbook.get(SUCCESSOR_PLAY)
    if action is None:
        return ()
    planned = {(p.action_key, p.person_id) for p in snapshot.planned}
    held = held_back(snapshot, now_ms, config)
    contexts: dict[str, PersonContext] = {}  # built once, for the first one asked
    found = []
    for d in departed:
        pid = d.member.person_id
        window = _window(d.left, config)
        if window is None or _days_since(d.left.left_on, now_ms) > window:
            continue
        if d.member.attitude not in SUPPORTIVE:
            continue
        if d.scores.closeness.value < config.plan.successor_min_closeness:
            continue
        if (action.key, pid) in planned or (action.key, pid) in held:
            continue
        if _asked_elsewhere(snapshot, pid, d.left):
            continue
        # asked already (its result recorded), or in touch since their leaving was recorded
        # (often days after it: the contacts between were with someone we took as still there)
        since = max(_day_end_ms(d.left.left_on), d.left.recorded_at)
        if any(
            pid in a.person_ids and since < a.occurred_at <= now_ms for a in snapshot.activities
        ):
            continue
        # one of ours has met the successor the team named: the door is open already
        successor = d.holder.name if d.holder else None
        if d.holder is not None and _met(d.holder.id, d.left, snapshot, now_ms):
            continue
        contexts = contexts or build_contexts(snapshot, now_ms)
        owner, note_en, note_zh = choose_owner(snapshot.team, action, contexts[pid])
        words = {
            "name": d.person.name,
            "on": d.left.left_on,
            "how": d.left.how.value,
            "to": d.left.to or "",
            "closeness": d.scores.closeness.value,
            "successor": successor or "",
        }
        clauses = (Clause("successor", words),)
        why = rationale_text(clauses)
        found.append(
            Suggestion(
                action.key,
                action.title_en,
                action.title_zh,
                action.description_en,
                action.description_zh,
                pid,
                action.addresses,
                why.en,
                why.zh,
                owner.role if owner is not None else action.owner_role,
                owner.member_id if owner else None,
                owner.name if owner else None,
                note_en,
                note_zh,
                due_date(now_ms, config.plan.successor_ask_days, config.plan.days_off),
                0.0,
                action.effect,
                rationale_clauses=clauses,
            )
        )
    return tuple(found)


_REPLACED = {"DECISION_MAKER_LEFT": "NO_DECISION_MAKER", "COACH_LEFT": "NO_COACH"}
"""The flag a departure's watch point says already (the chain has no coach since the coach
left): one line, the one that says why."""


def with_departures(
    analysis: ChainAnalysis,
    departed: Sequence[DepartedMember],
    kept: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> ChainAnalysis:
    """The analysis with the departures' watch points, most serious first."""
    added = departure_flags(departed, kept, now_ms, config, names)
    if not added:
        return analysis
    said = {_REPLACED[f.code] for f in added if f.code in _REPLACED and f.severity == "HIGH"}
    flags = [*added, *(f for f in analysis.red_flags if f.code not in said)]
    flags.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return dataclasses.replace(analysis, red_flags=tuple(flags))
