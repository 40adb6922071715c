"""Strategy glue: one decision-chain load per opportunity and request, its analysis kept per
change (``resolvers.derived``), shared by every field that asks (scores, analysis, assessment,
plan)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.errors import (
    DomainError,
    ErrorCode,
    FieldProblem,
    at_positions,
    bad_input,
    not_found,
)
from domain.model import NODE_SPECS, NodeKind
from domain.records import KeyPersonRecord, TeamMemberRecord, WorkPlanItemRecord
from domain.text import Text, told_apart
from domain.validation import check_value
from domain.vocabulary import (
    CLOSED_STAGES,
    Attitude,
    DropReason,
    TeamRole,
    TieStrength,
    WorkPlanStatus,
    label_of,
)
from graph.chains import LoadedChain
from graph.outcomes import work_plan_item_target
from graph.workplans import (
    WarmGraphData,
    accept_suggestion,
    change_item,
    load_warm_graph,
    outsider_to_deal,
    record_result,
)
from resolvers import calibration, rules
from resolvers.context import RequestContext
from resolvers.derived import KEPT
from resolvers.loaders import chain_loader, chain_tokens
from resolvers.pagination import require_between
from resolvers.process import (
    detect_after_write,
    refuse_future_work_plan_result,
    refuse_review_as_contact,
)
from resolvers.violations import CONTACT_RULES
from resolvers.writes import require_visible, require_with_us, require_writer
from strategy.engine import FullAnalysis
from strategy.playbook import default_playbook, play_title
from strategy.rationale import to_json
from strategy.warm_paths import WarmGraphInput, WarmPath, warm_paths
from strategy.whatif import Change, WhatIfResult, what_if
from strategy.workplan import Suggestion, staffed

MAX_WARM_PATHS = 10
MAX_WARM_DEPTH = 6
TIES: tuple[TieStrength, ...] = tuple(TieStrength)


@dataclass(frozen=True, slots=True)
class Analysed:
    """A loaded chain and its full analysis."""

    chain: LoadedChain
    result: FullAnalysis


async def analysed(ctx: RequestContext, opportunity_id: str) -> Analysed | None:
    """The analysis of a visible opportunity, computed at most once per request."""
    return await ctx.once(("analysis", opportunity_id), lambda: _analyse(ctx, opportunity_id))


async def _analyse(ctx: RequestContext, opportunity_id: str) -> Analysed | None:
    chain = await chain_loader(ctx).load(opportunity_id)
    if chain is None:
        return None
    now = ctx.store.clock()
    model = await calibration.active_model(ctx)
    token = chain_tokens(ctx).get(opportunity_id)
    keyed = None if token is None else (opportunity_id, token)
    active = rules.active()
    kept = KEPT.kept(keyed, now, active, model) if keyed is not None else None
    if kept is not None:  # a list of deals served from memory makes no thread hop per deal
        return Analysed(chain, kept)
    result = await ctx.run(KEPT.analysis, chain.snapshot, now, active, model, chain_token=keyed)
    return Analysed(chain, result)


async def require_analysed(ctx: RequestContext, opportunity_id: str, field: str) -> Analysed:
    """Like ``analysed`` but NOT_FOUND for an unknown or invisible opportunity."""
    found = await analysed(ctx, opportunity_id)
    if found is None:
        raise not_found("Opportunity", field)
    return found


def _warm_input(data: WarmGraphData, camp_level: TieStrength) -> WarmGraphInput:
    """The introduction graph, avoiding whoever is in a competitor's camp core (CLOSE_TO at
    least ``camp_level``, as the camps count it) or opposed to us."""
    floor = TIES.index(camp_level)
    avoid = frozenset(
        pid
        for pid in data.person_names
        if any(TIES.index(level) >= floor for level in data.competitor_levels.get(pid, ()))
        or Attitude.OPPONENT in data.attitudes.get(pid, ())
    )
    return WarmGraphInput(
        team_knows=data.team_knows,
        person_knows=data.person_knows,
        reports_to=data.reports_to,
        influences=data.influences,
        avoid=avoid - {data.target_id},
        person_names=data.person_names,
        team_names=data.team_names,
        team_told=told_apart(data.team_names, data.team_apart),
    )


@dataclass(frozen=True, slots=True)
class WarmPaths:
    """Introduction paths to a person, with everyone on them as the API shows them."""

    paths: tuple[WarmPath, ...]
    data: WarmGraphData
    people: dict[str, KeyPersonRecord]
    """The visible key persons on the paths, the target included, by id."""
    members: dict[str, TeamMemberRecord]
    """Our team members who start a path, by id."""


async def find_warm_paths(
    ctx: RequestContext, target_id: str, limit: int, max_depth: int
) -> WarmPaths:
    """Warm introduction paths to a visible key person, avoiding competitors' allies."""
    require_between("limit", limit, 1, MAX_WARM_PATHS)
    require_between("maxDepth", max_depth, 1, MAX_WARM_DEPTH)
    data = await ctx.run(load_warm_graph, ctx.store, target_id, scope=ctx.scope)
    if data is None:
        raise not_found("KeyPerson", "to")
    config = rules.active().strategy
    graph = _warm_input(data, config.analysis.camp_min_level)
    paths = await ctx.run(warm_paths, graph, target_id, limit, max_depth, config=config)
    member_ids = sorted({p.team_member_id for p in paths})
    person_ids = sorted(
        {data.target_id}
        | {h.to_id for p in paths for h in p.hops}
        | {h.from_id for p in paths for h in p.hops if not h.from_is_team}
    )

    def on_paths() -> tuple[dict[str, KeyPersonRecord], dict[str, TeamMemberRecord]]:
        # Called by name, the store keeps its overload by kind (a method passed on loses it).
        people = ctx.store.get_many(NodeKind.KEY_PERSON, person_ids, scope=ctx.scope)
        return people, ctx.store.get_many(NodeKind.TEAM_MEMBER, member_ids)

    people, members = await ctx.run(on_paths)  # one hop for both lookups
    return WarmPaths(paths, data, people, members)


async def opportunity_what_if(
    ctx: RequestContext, opportunity_id: str, changes: Sequence[Change]
) -> tuple[Analysed, WhatIfResult]:
    """The analysis before and after hypothetical changes; nothing is written."""
    if not changes:
        raise bad_input("changes", "give at least one change", "请至少给出一项变化")
    base = await require_analysed(ctx, opportunity_id, "id")
    await what_if_refusals(ctx, base, changes, "changes")
    snapshot = base.chain.snapshot
    model = await calibration.active_model(ctx)
    result = await ctx.run(
        what_if, snapshot, list(changes), ctx.store.clock(), model.config(rules.active().strategy)
    )
    return base, result


async def what_if_refusals(
    ctx: RequestContext, base: Analysed, changes: Sequence[Change], prefix: str
) -> None:
    """Refuse changes a what-if cannot try on the deal (their fields under ``prefix``): any on
    a decided deal, a person of another chain or who left the customer, a rival not bidding."""
    snapshot = base.chain.snapshot
    stage = snapshot.opportunity.stage
    if stage in CLOSED_STAGES:
        # a decided deal reads as its outcome whatever the chain: "no change" would read as
        # an answer
        raise bad_input(
            "id",
            f"the deal is {label_of(stage).lower()}: a what-if changes nothing on a decided deal",
            f"商机已{label_of(stage, 'zh')}：已有结果的商机无法做假设分析",
        )
    members = {m.person_id for m in snapshot.members}
    known = {p.id for p in snapshot.persons}
    bidders = {c.id for c in snapshot.competitors}
    rivals = [getattr(change, "competitor_id", None) for change in changes]
    for index, (change, rival) in enumerate(zip(changes, rivals, strict=True)):
        person = getattr(change, "person_id", None)
        if person is not None and person not in known | members:
            raise bad_input(
                f"{prefix}.{index}.personId",
                "is not a person of this decision chain",
                "不是该决策链的成员",
            )
        gone = next((p for p in snapshot.persons if p.id == person and p.left), None)
        if gone is not None and gone.left is not None:
            # they count for nothing now: any change to them would read "no change"
            day = gone.left.left_on
            raise bad_input(
                f"{prefix}.{index}.personId",
                f"{gone.name} left the customer on {day}: the deal is read without them",
                f"{gone.name}已于{day}离任：商机的分析已不计入此人",
            )
        if rival is not None and bidders and rival not in bidders:
            # its ties count for nothing here (``scoring.ties_in_play``): the answer would be
            # "no change", which reads as "no danger"
            raise bad_input(
                f"{prefix}.{index}.competitorId",
                "is not bidding on this deal: record it on the deal first",
                "未参与该商机的竞争：请先在商机上记录该竞争对手",
            )
    unnamed = {r for r in rivals if r is not None} - set(base.chain.competitors)
    if unnamed:
        found = await ctx.run(ctx.store.get_many, NodeKind.COMPETITOR, sorted(unnamed))
        if len(found) < len(unnamed):
            index = next(i for i, r in enumerate(rivals) if r in unnamed - set(found))
            raise not_found("competitor", f"{prefix}.{index}.competitorId")


def _already_planned(found: Analysed, action_key: str, person_id: str | None) -> DomainError:
    """A second accept of the same play: named by its title and target, not by codes."""
    title = default_playbook().title(action_key) or Text(action_key, action_key)
    person = found.chain.persons.get(person_id or "")
    name = str(person["name"]) if person else ""
    return DomainError(
        FieldProblem(
            "input.actionKey",
            f"“{title.en}”{f' with {name}' if name else ''} is already in the work plan and "
            "not done yet",
            ErrorCode.CONFLICT,
            f"{f'与{name}的' if name else ''}“{title.zh}”已在工作计划中，尚未完成",
        )
    )


def _suggestion(found: Analysed, action_key: str, person_id: str | None) -> Suggestion:
    planned = found.chain.snapshot.planned
    if any((p.action_key, p.person_id) == (action_key, person_id) for p in planned):
        raise _already_planned(found, action_key, person_id)
    for suggestion in found.result.plan:
        if suggestion.action_key == action_key and suggestion.target_person_id == person_id:
            return suggestion
    raise DomainError(
        FieldProblem(
            "input.actionKey",
            "no such suggestion for this opportunity now; reload the suggested work plan",
            ErrorCode.NOT_FOUND,
            "该商机当前没有这条建议；请重新加载建议的工作计划",
        )
    )


_CLAUSES_MAX = next(
    f.max_length or 0
    for f in NODE_SPECS[NodeKind.WORK_PLAN_ITEM].stored
    if f.name == "rationale_clauses"
)
"""Clauses too long to store (very long names) leave the rationale as the acceptor read it."""


def _check_owner(ctx: RequestContext, owner: str, opportunity_id: str) -> None:
    """An item's owner is one of our people the caller sees, still with us, who works the
    deal: anyone else would own a step they cannot see, waiting in no list of theirs."""
    require_visible(ctx, [(NodeKind.TEAM_MEMBER, owner, "input.ownerId")])
    require_with_us(ctx, owner, "input.ownerId")
    outsider = outsider_to_deal(ctx.store, opportunity_id, owner)
    if outsider is not None:
        member, deal = outsider["member"], outsider["deal"]
        raise bad_input(
            "input.ownerId",
            f"{member} is not on the team of “{deal}” and manages nobody who is, so would not "
            "see this step: put them on the deal's team first",
            f"{member}不在商机“{deal}”的团队中，也不是其团队成员的上级，看不到此步骤："
            "请先将其加入商机团队",
        )


def _review_owned_by_its_reviewer(found: Analysed, action_key: str, owner: str) -> None:
    """A delivery review step is done by recording the review, which only the deal's delivery
    manager may do: owned by anyone else, it would wait in their list, overdue, for good."""
    if action_key not in default_playbook().reviewer_plays:
        return
    snapshot = found.chain.snapshot
    ours = snapshot.ours_told_apart()
    reviewers = {
        t.member_id: ours.get(t.member_id) or Text(t.name, t.name)
        for t in snapshot.team
        if t.role == TeamRole.DELIVERY_MANAGER
    }
    if owner in reviewers:
        return
    names = sorted(set(reviewers.values()), key=lambda t: t.en)
    if names:
        en = (
            f"the delivery review is recorded by the deal's delivery manager "
            f"({', '.join(n.en for n in names)}): make them its owner"
        )
        zh = f"交付评审由本商机的交付经理（{'、'.join(n.zh for n in names)}）负责：请将其设为负责人"
    else:
        en = (
            "the delivery review is recorded by the deal's delivery manager: put one on its "
            "team first"
        )
        zh = "交付评审由本商机的交付经理负责：请先为商机团队指派交付经理"
    raise bad_input("input.ownerId", en, zh)


async def accept(
    ctx: RequestContext,
    opportunity_id: str,
    action_key: str,
    person_id: str | None,
    owner_id: str | None,
    due_date: str | None,
) -> WorkPlanItemRecord:
    """Turn a current suggestion into a work plan item (one statement). No violation check
    follows: an item planned is no contact and no required action done."""
    require_writer(ctx)
    if due_date is not None:
        _check_due(due_date, ctx.store.clock())
    found = await require_analysed(ctx, opportunity_id, "opportunityId")
    suggestion = staffed(_suggestion(found, action_key, person_id))
    owner = owner_id or suggestion.owner_member_id
    if owner is not None:
        await ctx.run(_check_owner, ctx, owner, opportunity_id)
        _review_owned_by_its_reviewer(found, action_key, owner)
    props = {
        "title": Text(suggestion.title_en, suggestion.title_zh).in_(ctx.locale),
        "action": suggestion.action_key,
        "due_date": due_date or suggestion.due_date,
        "rationale": Text(suggestion.rationale_en, suggestion.rationale_zh).in_(ctx.locale),
        "expected_gain": suggestion.expected_gain,
    }
    clauses = to_json(suggestion.rationale_clauses)
    if suggestion.rationale_clauses and len(clauses) <= _CLAUSES_MAX:
        props["rationale_clauses"] = clauses
    item = await ctx.run(
        accept_suggestion,
        ctx.store,
        opportunity_id=opportunity_id,
        person_id=suggestion.target_person_id,
        owner_id=owner,
        props=props,
        actor=ctx.actor,
    )
    if item is None:  # an identical accept got in first, after this one read the plan
        raise _already_planned(found, action_key, suggestion.target_person_id)
    return item


async def change(
    ctx: RequestContext,
    item_id: str,
    version: int,
    owner_id: str | None = None,
    due_date: str | None = None,
    *,
    drop: bool = False,
    why: DropReason | None = None,
    resume_on: str | None = None,
) -> WorkPlanItemRecord:
    """Revise an open step of a visible deal's plan as a strategy session does (one
    statement): give it to another of ours, move its date, or drop it (``drop``: nobody will
    do it; it no longer takes its job from the suggestions; ``why`` and, for a wrong timing,
    the day it may come back say how long its play waits). The owner is checked as when the
    step is accepted (one of ours the caller sees, still with us; a delivery review stays with
    the deal's delivery manager)."""
    require_writer(ctx)
    if not drop and owner_id is None and due_date is None:
        raise bad_input(
            "input",
            "say what changes: another owner (ownerId), another due date (dueDate) or both",
            "请说明要修改什么：负责人（ownerId）、截止日期（dueDate），或两者",
        )
    if due_date is not None:
        _check_due(due_date, ctx.store.clock())
    await ctx.run(require_visible, ctx, [(NodeKind.WORK_PLAN_ITEM, item_id, "id")])
    target = await ctx.run(work_plan_item_target, ctx.store, item_id)
    if target is None:
        raise not_found(NodeKind.WORK_PLAN_ITEM.value, "id")
    title = play_title(target["action"], str(target["title"]))
    if why == DropReason.PERSON_LEFT:
        raise bad_input(
            "reason",
            "a step is dropped for its person's departure only by recording it on the person "
            "(keyPersonDepartureRecord)",
            "只有在关键人处记录其离任（keyPersonDepartureRecord），步骤才会因关键人离任而移出计划",
        )
    if why == DropReason.TIMING and target["action"] in default_playbook().owed_plays:
        raise _owed_cannot_wait(title)
    if drop:
        _check_resume_on(why, resume_on, ctx.store.clock())
    if owner_id is not None:
        await ctx.run(_check_owner, ctx, owner_id, str(target["opportunity_id"]))
        if target["action"] in default_playbook().reviewer_plays:
            found = await require_analysed(ctx, str(target["opportunity_id"]), "id")
            _review_owned_by_its_reviewer(found, str(target["action"]), owner_id)
    props: dict[str, object] = {"status": WorkPlanStatus.CANCELLED.value} if drop else {}
    if due_date is not None:
        props["due_date"] = due_date
    item: WorkPlanItemRecord = await ctx.run(
        change_item,
        ctx.store,
        item_id=item_id,
        version=version,
        props=props,
        owner_id=owner_id,
        actor=ctx.actor,
        about={k: target[k] for k in ("opportunity_id", "person_id")},
        title=title,
        why=why,
        resume_on=resume_on,
    )
    return item


def _owed_cannot_wait(title: Text) -> DomainError:
    """A duty or the delivery review is owed whatever is dropped and comes back at once (a
    sales leader: put off to a day it would hide what the process requires): it is done later
    by moving its day, which keeps it in everyone's sight."""
    return bad_input(
        "reason",
        f"“{title.en}” is required by the process and cannot wait for a day: move its due date"
        " (dueDate) instead",
        f"“{title.zh}”是流程要求必须完成的步骤，不能暂缓至某日：请改为调整其截止日期（dueDate）",
    )


def _check_due(due_date: str, now_ms: int) -> None:
    """A step planned or moved is due on a day from today to a plan's horizon: a day past makes
    it overdue the moment it exists, years on hides it as a drop would (a step the process
    requires is done later only so). Yesterday (UTC) is still today somewhere west of UTC."""
    day, today = _day_of(due_date, "due_date", "input.dueDate", now_ms)
    if not today - timedelta(days=1) <= day <= today + timedelta(days=RESUME_HORIZON_DAYS):
        raise bad_input(
            "input.dueDate",
            f"a step is due on a day from today to within {RESUME_HORIZON_DAYS} days",
            f"步骤的截止日期须为今天起{RESUME_HORIZON_DAYS}天之内",
        )


def _day_of(value: str, name: str, path: str, now_ms: int) -> tuple[date, date]:
    """A work plan item's day field ``name`` as given at ``path``, checked as the model checks a
    date (YYYY-MM-DD only), and today (UTC, as the API counts days)."""
    spec = next(f for f in NODE_SPECS[NodeKind.WORK_PLAN_ITEM].all_fields if f.name == name)
    _, problem = check_value(spec, value, path)
    if problem is not None:
        raise DomainError(problem)
    return date.fromisoformat(value), datetime.fromtimestamp(now_ms / 1000, UTC).date()


RESUME_HORIZON_DAYS = 365
"""How far ahead a step dropped for its timing may be set to come back: a plan's horizon."""


def _check_resume_on(why: DropReason | None, resume_on: str | None, now_ms: int) -> None:
    """A wrong timing needs the day its play may come back (after today, within a year); no
    other reason takes one."""
    timing = label_of(DropReason.TIMING).lower(), label_of(DropReason.TIMING, "zh")
    if why != DropReason.TIMING:
        if resume_on is not None:
            raise bad_input(
                "resumeOn",
                f"a day to come back goes only with the reason “{timing[0]}”",
                f"只有原因为“{timing[1]}”时才可填写恢复日期",
            )
        return
    if resume_on is None:
        raise bad_input(
            "resumeOn",
            "say the day (YYYY-MM-DD) the step may be suggested again",
            "请填写可再次建议此步骤的日期（YYYY-MM-DD）",
        )
    day, today = _day_of(resume_on, "resume_on", "resumeOn", now_ms)
    if not today < day <= today + timedelta(days=RESUME_HORIZON_DAYS):
        raise bad_input(
            "resumeOn",
            f"must be after today and within {RESUME_HORIZON_DAYS} days",
            f"必须晚于今天，且在{RESUME_HORIZON_DAYS}天之内",
        )


async def record(
    ctx: RequestContext,
    item_id: str,
    version: int,
    activity: dict[str, object],
    result: str | None,
    member_ids: Sequence[str] | None = None,
) -> WorkPlanItemRecord:
    """Close a visible work plan item with its result, logged as an activity (at the
    store's time unless ``activity`` says when; a time still to come is refused) done by
    ``member_ids``, who of ours took part: the item's owner when not given, since whoever
    records it may not have been there. The contact is the deal's: its idle and overdue
    violations are checked right after."""
    require_writer(ctx)
    if activity.get("occurred_at") is None:
        activity["occurred_at"] = ctx.store.clock()
    refuse_future_work_plan_result(ctx, activity["occurred_at"])
    given = list(dict.fromkeys(member_ids or ()))
    refs = [(NodeKind.WORK_PLAN_ITEM, item_id, "id")]
    refs += [(NodeKind.TEAM_MEMBER, m, at) for m, at in at_positions("memberIds", member_ids or ())]
    await ctx.run(require_visible, ctx, refs)
    target = await ctx.run(work_plan_item_target, ctx.store, item_id)
    refuse_review_as_contact(ctx, target and target["action"])
    observation = await calibration.observation_for_item(ctx, target)
    about = {k: target[k] for k in ("opportunity_id", "person_id", "owner_id")} if target else {}
    title = play_title(target["action"], str(target["title"])) if target else None
    owner = target and target["owner_id"]
    members = given if member_ids is not None else [str(owner)] if owner else []
    item: WorkPlanItemRecord = await ctx.run(
        record_result,
        ctx.store,
        item_id=item_id,
        version=version,
        activity=activity,
        result=result,
        actor=ctx.actor,
        observation=observation,
        about=about,
        title=title,
        member_ids=members,
    )
    if target and target["opportunity_id"]:
        await ctx.run(detect_after_write, ctx, str(target["opportunity_id"]), CONTACT_RULES)
    return item
