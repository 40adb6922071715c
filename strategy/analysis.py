"""Decision-chain analysis: influence ranking, support balance, coverage gaps, red flags,
competitor camps and bridge people.

It reads the snapshot plus what the scoring, influence and assessment steps already computed,
so the engine runs each of those once. Bridges are found by what-if: flip one member to our
side and re-run the opportunity-level model; only the top-K flippable members by effective
influence are tried (config ``analysis.bridge_candidates``), which keeps large chains fast.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from domain.chain import ActivityFacts, ChainSnapshot, OpportunityFacts, drawn_expert
from domain.money import money
from domain.text import Text
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    DecisionRole,
    ExternalKind,
    InfluenceLevel,
    NeedsFit,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
    label_of,
)
from strategy.assessment import (
    INFLUENCE_RANK,
    LATE_STAGES,
    PRICE_BINDING_STAGES,
    PRICE_KEEPERS,
    SEALED_WHILE_BID_IN,
    SETTLING_STAGES,
    SIGNERS,
    TIE_RANK,
    AssessMemo,
    Assessment,
    Listeners,
    PersonState,
    SupportBalance,
    Totals,
    at_arms_length,
    at_furthest,
    bid_in,
    budget_share,
    cheaper_bidders,
    deal_value,
    in_camp,
    is_ally,
    locks_scoring,
    poor_fit_judge,
    price_concern,
    restated,
    review_pressing,
    runs_tender,
    tender_led,
    trial_likelihood,
    unstaffed,
    wired_by,
)
from strategy.config import StrategyConfig
from strategy.dominators import immediate_dominators
from strategy.influence import InfluenceResult
from strategy.playbook import default_playbook
from strategy.scoring import (
    BUDGET_HOLDERS,
    DAY_MS,
    EVALUATORS,
    SOLUTION_JUDGES,
    SUPERVISORS,
    SUPPORTIVE,
    ChainScorer,
    PersonContext,
    PersonScores,
    breach,
    calendar_days,
    hearsay,
    quote_days,
    split_ties,
    stage_days,
    standing_objection,
    stuck_level,
    tender_since,
)

ATTITUDE_ORDER: tuple[Attitude, ...] = tuple(Attitude)


@dataclass(frozen=True, slots=True)
class MemberInfluence:
    """A member's declared and effective influence shares (each sums to 1 over the chain)."""

    person_id: str
    declared: float
    effective: float


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """An influential member we do not cover well enough, ranked by ``severity``."""

    person_id: str
    severity: float
    kinds: tuple[str, ...]
    effective_influence: float
    closeness: int
    solution: int
    price: int
    days_since_contact: int | None
    text_en: str
    text_zh: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A known danger pattern with coaching advice.

    ``clause_en``/``clause_zh``: for a flag about one person (its first person, when it names
    another too: "stands between us and 周建国"), what it says of them without naming them
    ("opposes us"), so that a status can join several flags about the same person into one
    line; empty otherwise."""

    code: str
    severity: str
    person_ids: tuple[str, ...]
    competitor_ids: tuple[str, ...]
    text_en: str
    text_zh: str
    coaching_en: str
    coaching_zh: str
    clause_en: str = ""
    clause_zh: str = ""


@dataclass(frozen=True, slots=True)
class CompetitorCamp:
    """People aligned with one competitor: its CLOSE_TO core plus those the core can sway."""

    competitor_id: str
    competitor_name: str
    core_ids: tuple[str, ...]
    member_ids: tuple[str, ...]
    influence_share: float


@dataclass(frozen=True, slots=True)
class Bridge:
    """A member whose move to our side would raise the win likelihood the most."""

    person_id: str
    attitude: Attitude
    delta_win_likelihood: float
    delta_support: float
    text_en: str
    text_zh: str


@dataclass(frozen=True, slots=True)
class ChainAnalysis:
    """Everything the decision-chain analysis finds on one opportunity."""

    influence: tuple[MemberInfluence, ...]
    support: SupportBalance
    gaps: tuple[CoverageGap, ...]
    red_flags: tuple[RedFlag, ...]
    camps: tuple[CompetitorCamp, ...]
    bridges: tuple[Bridge, ...]


_AT_A_DISTANCE = frozenset({ActivityType.CALL, ActivityType.EMAIL})


def met(ctx: PersonContext) -> bool:
    """Someone of ours sat down with them (a visit, a meeting, a demo, a dinner...): a cold
    e-mail or a phone call is contact, not a meeting."""
    return any(a.type not in _AT_A_DISTANCE for a in ctx.activities)


def _never_met(ctx: PersonContext, name: str) -> RedFlag:
    """No meeting with a decision maker on record. When one of ours knows them, the flag says
    so rather than "never met" beside that tie: the meetings may just not be logged."""
    pid = ctx.person_id
    known = max(ctx.knows, key=lambda k: TIE_RANK[k.level], default=None)
    if known is None and hearsay(ctx):
        # their support is what someone told us: the commonest way to lose a big deal
        att_en, att_zh = label_of(ctx.member.attitude), label_of(ctx.member.attitude, "zh")
        return RedFlag(
            "DECISION_MAKER_NEVER_MET",
            "HIGH",
            (pid,),
            (),
            f"Decision maker {name} has never been met: their support ({att_en}) is only what"
            " someone told us",
            f"从未与决策者{name}接触：其支持（{att_zh}）只是他人转述",
            "Have whoever told us of their support introduce our executive, and hear their"
            " stance in their own words before the next stage.",
            "请转述其态度的人引荐我方高层拜访，在进入下一阶段前当面确认其态度。",
            "has never been met; their support is hearsay",
            "从未与我方接触，其支持只是转述",
        )
    if known is None:
        return RedFlag(
            "DECISION_MAKER_NEVER_MET",
            "HIGH",
            (pid,),
            (),
            f"Decision maker {name} has never been met",
            f"从未与决策者{name}接触",
            "Plan an executive visit; use a warm introduction if nobody knows them.",
            "安排高层拜访；如无人相识，通过熟人引荐。",
            "has never been met",
            "从未与我方接触",
        )
    who, level = ctx.one_of_ours(known.member_id), label_of(known.level)
    level_zh = label_of(known.level, "zh")
    return RedFlag(
        "DECISION_MAKER_NEVER_MET",
        "HIGH",
        (pid,),
        (),
        f"Decision maker {name}: no meeting on record, though {who.en} knows them "
        f"({level.lower()})",
        f"决策者{name}：{who.zh}与其相识（{level_zh}），但没有会面记录",
        f"Log the meetings held with them; if there were none, {who.en} brings our executive to "
        "meet them.",
        f"补记与其会面的记录；如确无会面，由{who.zh}引荐我方高层拜访。",
        "has no meeting on record",
        "没有会面记录",
    )


def _tendered(stage: Stage, contexts: Mapping[str, PersonContext]) -> bool:
    """``assessment.tender_led`` of the chain's members."""
    return tender_led(
        stage, any(runs_tender(c.member.role, c.member.influence) for c in contexts.values())
    )


_KEY_ROLES = EVALUATORS | BUDGET_HOLDERS | {DecisionRole.DECISION_MAKER}
_DECLARED = frozenset({InfluenceLevel.MEDIUM, InfluenceLevel.HIGH, InfluenceLevel.DECISIVE})


def _declared_key(ctx: PersonContext) -> bool:
    """Evaluates, signs or holds the budget, declared of at least medium influence."""
    return ctx.member.role in _KEY_ROLES and ctx.member.influence in _DECLARED


def coverage_gaps(
    stage: Stage,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    influence: InfluenceResult,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
    *,
    sealed: bool = False,
) -> tuple[CoverageGap, ...]:
    """Influential members with a low score or no recent contact, most severe first.

    Severity = effective influence x (1 - lowest score / 100), plus half the influence again
    when we have not been in touch for ``analysis.no_contact_days``. In a tender-led deal the
    procurement and evaluation roles count with at least ``analysis.tender_relative_floor``,
    an evaluator a competitor holds with at least ``analysis.tender_held_evaluator_floor``;
    at bidding and negotiation procurement and finance, who settle the price and the contract,
    with at least ``analysis.settling_relative_floor``.
    Someone who evaluates, signs or holds the budget and was declared of at least medium
    influence can be a gap however the influence flow ranks them (the architect who writes the
    scoring sheet matters even below the average); price counts only where it is a concern
    (``price_concern``): someone outside finance and procurement who never objected, other
    than a decision maker not with us yet, is no price gap. A supervisor of the purchase or a
    tender-evaluation expert (``at_arms_length``) is never a gap: we keep our distance from
    them on purpose; nor, once our bid is in (``sealed``), anyone on the committee
    (``SEALED_WHILE_BID_IN``): nobody may work on them until the award.
    """
    an = config.analysis
    tender = _tendered(stage, contexts)
    settling = stage in SETTLING_STAGES
    count = max(1, len(contexts))
    low, no_contact, min_relative = an.low_score, an.no_contact_days, an.gap_min_relative_influence
    # InfluenceResult.relative written out: this loop visits every member.
    effective, members = influence.effective, len(influence.effective)
    ranked: list[tuple[float, str, int | None, int]] = []
    for pid, ctx in contexts.items():
        if at_arms_length(ctx.member) or (sealed and ctx.member.role in SEALED_WHILE_BID_IN):
            continue  # the distance we keep from them is what the rules ask, not a gap
        relative = effective.get(pid, 0.0) * members
        if tender:
            relative = max(relative, an.tender_relative_floor[ctx.member.role])
            if locks_scoring(ctx.member.role, ctx.member.attitude, ctx, config):
                relative = max(relative, an.tender_held_evaluator_floor)
        if settling:
            relative = max(relative, an.settling_relative_floor[ctx.member.role])
        if relative < min_relative and not _declared_key(ctx):
            continue
        s = scores[pid]
        price = s.price.value if price_concern(ctx) else 100  # counts only where a concern
        lowest = min(s.closeness.value, s.solution.value, price)
        acts = ctx.activities
        days = max(0, now_ms - max(a.occurred_at for a in acts)) // DAY_MS if acts else None
        stale = days is None or days >= no_contact
        if lowest >= low and not stale:
            continue
        eff = relative / count
        severity = eff * (1 - lowest / 100) + (0.5 * eff if stale else 0.0)
        ranked.append((severity, pid, days, price))
    ranked.sort(key=lambda g: (-g[0], g[1]))
    gaps: list[CoverageGap] = []
    # Texts only for the gaps shown.
    for severity, pid, days, price in ranked[: an.max_gaps]:
        s = scores[pid]
        kinds: list[str] = []
        en: list[str] = []
        zh: list[str] = []
        for kind, score, label_en, label_zh in (
            ("LOW_CLOSENESS", s.closeness.value, "closeness", "关系紧密度"),
            ("LOW_SOLUTION", s.solution.value, "solution acceptance", "方案认可度"),
            ("LOW_PRICE", price, "price acceptance", "价格接受度"),
        ):
            if score < low:
                kinds.append(kind)
                en.append(f"{label_en} {score}/100")
                zh.append(f"{label_zh} {score}/100")
        if days is None or days >= an.no_contact_days:
            kinds.append("NO_RECENT_CONTACT")
            en.append("never contacted" if days is None else f"no contact for {days} days")
            zh.append("从未接触" if days is None else f"{days}天未接触")
        eff = influence.effective[pid]
        name = names.get(pid, pid)
        role = contexts[pid].member.role
        gaps.append(
            CoverageGap(
                pid,
                severity,
                tuple(kinds),
                eff,
                s.closeness.value,
                s.solution.value,
                s.price.value,
                days,
                f"{name} ({label_of(role)}, {eff:.0%} of influence): " + ", ".join(en),
                f"{name}（{label_of(role, 'zh')}，影响力占{eff:.0%}）：" + "，".join(zh),
            )
        )
    return tuple(gaps)


def _downward_graph(snapshot: ChainSnapshot) -> dict[str, list[str]]:
    """Predecessor lists of the edges towards power (subordinate -> manager, influencer ->
    influenced): who reaches each person one step up."""
    down: dict[str, list[str]] = {}
    for ties in (snapshot.reports_to, snapshot.influences):
        for t in ties:
            below = down.get(t.to_id)
            if below is None:
                down[t.to_id] = [t.from_id]
            else:
                below.append(t.from_id)
    return down


def _reached_from(
    down: Mapping[str, list[str]], dm: str, starts: AbstractSet[str], skip: str
) -> list[str] | None:
    """One route with the fewest steps up from any of ``starts`` to ``dm`` that avoids
    ``skip``, as the people strictly between (nearest ``dm`` first); None if there is none.

    A breadth-first search down from ``dm`` that stops at the first start it meets."""
    parent: dict[str, str] = {dm: dm}
    frontier = [dm]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for below in down.get(node, ()):
                if below in parent or below == skip:
                    continue
                parent[below] = node
                if below in starts:
                    route: list[str] = []
                    step = node
                    while step != dm:
                        route.append(step)
                        step = parent[step]
                    return route
                following.append(below)
        frontier = following
    return None


def allies_on_every_path(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    allies: set[str],
    dms: Sequence[str],
) -> list[tuple[str, str]]:
    """(decision maker, ally) pairs where the ally blocks our way to the decision maker.

    A route climbs the org chart and informal influence (subordinate -> manager, influencer ->
    influenced). An ally stands between us and the decision maker when they are on every route
    from all our supporters together, or on every route of one of our champions or our coach
    (the people who carry our case upwards): they dominate the decision maker in the dominator
    tree from those starts, with none of our supporters above them on that way (one is: the case
    goes on from there). An ally off those routes, or one we can bypass, is no such danger. A
    decision maker who supports us or whom our team knows well (a tie of at least moderate) has
    nobody between us: one bad meeting left a weak tie, no way around the ally. No route at all
    is the never-met flag's business.
    """
    if not allies or not dms:
        return []
    ours = {p for p, c in contexts.items() if c.member.attitude in SUPPORTIVE} - allies
    well = TIE_RANK[TieStrength.MODERATE]
    targets = [
        d
        for d in dms
        if d not in ours and not any(TIE_RANK[k.level] >= well for k in contexts[d].knows)
    ]
    if not ours or not targets:
        return []
    carriers = sorted(
        p
        for p in ours
        if contexts[p].member.attitude == Attitude.CHAMPION
        or contexts[p].member.role == DecisionRole.COACH
    )
    down = _downward_graph(snapshot)
    found: set[tuple[str, str]] = set()
    # Each carrier: the people on every route from them to a decision maker are the carrier's
    # dominators in the reversed graph rooted at that decision maker (post-dominators), so one
    # dominator tree per decision maker serves every carrier.
    for dm in targets:
        ridom = immediate_dominators(down, dm)
        for carrier in carriers:
            if carrier not in ridom or carrier == dm:
                continue
            above: list[str] = []
            node = ridom[carrier]
            while node != dm:
                above.append(node)
                node = ridom[node]
            # an ally below one of ours on the way up holds back only the carrier's voice: the
            # case reaches the decision maker through the supporter above them (a sales
            # leader: "our coach's boss favours the rival, but our sponsor is his boss")
            for at, node in enumerate(above):
                if node in allies and not ours.intersection(above[at + 1 :]):
                    found.add((dm, node))
    # All our supporters together: whoever is on every route is on any one route, so only the
    # allies on one shortest route are candidates, each checked by looking for a route
    # around them (no dominator tree: a supporter is usually a step or two away).
    for dm in targets:
        route = _reached_from(down, dm, ours, dm)
        for node in route or ():
            if node in allies and _reached_from(down, dm, ours, node) is None:
                found.add((dm, node))
    return sorted(found)


def inside_champions(
    contexts: Mapping[str, PersonContext],
    now_ms: int,
    config: StrategyConfig,
    *,
    high_only: bool = True,
) -> list[str]:
    """Champions who already guide us in all but name: of high influence, in no competitor's
    camp, known STRONG or better by one of ours and spoken with in the last
    ``plan.met_lately_days``. "Coach" is a relationship as much as a buying role: a sales
    leader counts the champion we talk to every week as our inside man, whatever the role
    field says, and asks them openly to guide us. Not ``high_only``: of any influence, the
    champion we talk to every week who tells us what she sees (a head nurse we visit often,
    case 67), though one of low influence sees less of who decides than a coach does."""
    high = {InfluenceLevel.HIGH, InfluenceLevel.DECISIVE}
    strong = TIE_RANK[TieStrength.STRONG]
    since = now_ms - config.plan.met_lately_days * DAY_MS
    return sorted(
        pid
        for pid, ctx in contexts.items()
        if ctx.member.attitude == Attitude.CHAMPION
        and (ctx.member.influence in high or not high_only)
        and not in_camp(ctx, config)
        and any(TIE_RANK[k.level] >= strong for k in ctx.knows)
        and (ctx.last_contact_ms() or 0) >= since
    )


def _no_coach_flag(
    contexts: Mapping[str, PersonContext],
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> RedFlag:
    """Nobody recorded as coach: serious, unless a champion of any influence we talk to every
    week already tells us what goes on inside (``inside_champions``), when it is the account
    manager's to-do: ask them openly. The plan still develops a coach beside one of less than
    high influence (it may be them): they see less of who decides what and when."""
    inside = inside_champions(contexts, now_ms, config, high_only=False)
    if not inside:
        return RedFlag(
            "NO_COACH",
            "HIGH",
            (),
            (),
            "No coach: nobody inside guides us",
            "没有教练：客户内部无人指导我们",
            "Develop a coach among supporters who trust us; they tell you what you cannot see.",
            "在信任我们的支持者中发展教练，他能告诉我们看不到的信息。",
        )
    who_en = ", ".join(names.get(p, p) for p in inside)
    who_zh = "、".join(names.get(p, p) for p in inside)
    return RedFlag(
        "NO_COACH",
        "MEDIUM",
        tuple(inside),
        (),
        f"No coach recorded: {who_en}, a champion we know well and spoke with lately, is "
        "the nearest to one",
        f"尚未记录教练：{who_zh}是我方熟识且近期沟通过的铁杆支持者，最接近教练",
        f"Ask {who_en} openly to guide us (who decides what and when, what the rivals do): a "
        "champion we talk to every week is our inside man in all but name.",
        f"请明确请{who_zh}为我们指路（谁在何时决定什么、对手在做什么）：每周都沟通的铁杆支持者，"
        "实际上就是我们的内线。",
    )


SEVERITY_ORDER = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
"""Most serious first: a reader may stop after a few (the printed deal sheet shows five); within
one severity the flags keep the method's order."""


_OPPONENT_ADVICE = {
    False: (
        "Find out why; address their concern or limit their say through allies.",
        "弄清反对原因；化解其顾虑，或借助支持者限制其影响。",
    ),
    True: (
        "Learn through the coach what they hold against us; have our executive answer it in "
        "person, and win over the people they listen to.",
        "通过教练了解其反对的原因；由我方高层当面回应，并争取其信任的人。",
    ),
}
"""What to do about an influential opponent: nobody limits the say of whoever signs."""


def red_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    influence: InfluenceResult,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> tuple[RedFlag, ...]:
    """Danger patterns named in the TAS+ method, each with coaching text, most serious first.

    A deal moved back keeps the flags of the furthest stage it reached, each at the graver of
    its two readings, as its likelihood keeps that stage's risks: a step back never reads
    better in a review either. A closed deal has none: nothing is left to warn of (a review of
    the loss reads its questions, which keep the reasons they had before the close)."""
    if snapshot.opportunity.stage in CLOSED_STAGES:
        return ()
    flags = _flags_at(snapshot, contexts, scores, influence, now_ms, config, names)
    back = at_furthest(snapshot.opportunity)
    if back is not None:
        there = dataclasses.replace(snapshot, opportunity=back)
        graver = {_flag_key(f): f for f in flags}
        for flag in _flags_at(there, contexts, scores, influence, now_ms, config, names):
            kept = graver.get(_flag_key(flag))
            if kept is None or SEVERITY_ORDER[flag.severity] < SEVERITY_ORDER[kept.severity]:
                graver[_flag_key(flag)] = flag
        flags = tuple(graver.values())
    # the time at the stage it stands at, never read at the furthest (its days are this one's)
    stuck = _stalled_in_stage_flag(snapshot, contexts, now_ms, config, names)
    if stuck is not None:
        flags = (*flags, stuck)
    return tuple(sorted(flags, key=lambda f: SEVERITY_ORDER[f.severity]))


def _stalled_in_stage_flag(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> RedFlag | None:
    """The deal has sat at its stage longer than a leader allows there (``stuck_level``: over
    [health] stage_attention_days, at risk over stage_at_risk_days), counted from when it
    entered it (a deal moved back: re-entered it): contact alone does not move a deal, and a
    coach's weekly call hides a proposal nobody decides on. The advice names who decides."""
    opp = snapshot.opportunity
    days = stage_days(opp, now_ms)
    level = stuck_level(opp.stage, days, config)
    if not level or days is None:
        return None
    hc = config.health
    stage_en = label_of(opp.stage).split(" ", 1)[-1]
    stage_zh = label_of(opp.stage, "zh").split(" ", 1)[-1]
    if level == 2:
        limit = round(hc.stage_at_risk_days[opp.stage])
        over_en = f"over the {limit} after which a deal there is at risk"
        over_zh = f"超过{limit}天即属高风险"
    else:
        limit = round(hc.stage_attention_days[opp.stage])
        over_en, over_zh = (
            f"over the {limit} a deal should take there",
            f"超过该阶段应有的{limit}天",
        )
    deciders = sorted(
        names.get(p, p) for p, c in contexts.items() if c.member.role == DecisionRole.DECISION_MAKER
    )
    who_en = " and ".join(deciders) if deciders else "whoever decides"
    who_zh = "、".join(deciders) if deciders else "拍板的人"
    if opp.stage == Stage.VALIDATE:
        advice_en = (
            f"Decide whether it is an opportunity: confirm the need, the budget and the timing "
            f"with {who_en}, then initiate it or close it."
        )
        advice_zh = f"判断这是不是商机：与{who_zh}确认需求、预算和时间，然后立项或关闭。"
    else:
        advice_en = (
            f"Ask {who_en} what stands between {stage_en} and a decision and agree the next step "
            "with a date; learn through the coach whether a rival is being weighed meanwhile."
        )
        advice_zh = (
            f"向{who_zh}了解从{stage_zh}到做出决定还差什么，并约定有日期的下一步；"
            "通过教练了解其间是否有对手在被考虑。"
        )
    return RedFlag(
        "STALLED_IN_STAGE",
        "HIGH",
        (),
        (),
        f"{days} days at {stage_en}, {over_en}: the deal is not moving, whatever the contacts say",
        f"已在{stage_zh}阶段停留{days}天，{over_zh}：无论接触多频繁，商机都没有推进",
        advice_en,
        advice_zh,
    )


def _given_up_on_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    now_ms: int,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """Steps with a decision maker given up twice or more (dropped for another reason than their
    timing, whichever plays they were), nobody of ours in touch with them since the last drop:
    one flag per decision maker. A sales VP asked for it: the team keeps giving up on the way
    to the one who decides, and the sales director should hear why. A step put off to a day is
    a plan, not giving up."""
    flags: list[RedFlag] = []
    for pid, ctx in sorted(contexts.items()):
        if ctx.member.role != DecisionRole.DECISION_MAKER:
            continue
        theirs = [p for p in snapshot.dropped if p.person_id == pid and p.given_up]
        count = sum(p.given_up for p in theirs)
        last = max(theirs, key=lambda p: p.at, default=None)
        if (
            last is None
            or count < 2
            or any(last.at < a.occurred_at <= now_ms for a in ctx.activities)
        ):
            continue
        name = names.get(pid, pid)
        what = _step_named(last.action_key)
        on = datetime.fromtimestamp(last.at / 1000, UTC).date().isoformat()
        why_en, why_zh = (
            (f" ({label_of(last.reason).lower()})", f"（{label_of(last.reason, 'zh')}）")
            if last.reason
            else ("", "")
        )
        flags.append(
            RedFlag(
                "DECISION_MAKER_PLAY_DROPPED",
                "MEDIUM",
                (pid,),
                (),
                f"Steps with decision maker {name} were dropped from the plan {count} times, the"
                f" last {what.en} on {on}{why_en}",
                f"与决策者{name}相关的步骤已{count}次移出计划，最近一次为{what.zh}，于{on}{why_zh}",
                "Take it to the sales director: learn what keeps the team from the one who"
                " decides, and agree who of ours does it and when.",
                "上报销售总监：查明团队为何接触不到拍板的人，并商定由谁、在何时去做。",
                f"had steps with them dropped {count} times",
                f"相关步骤已{count}次移出计划",
            )
        )
    return flags


def _step_named(action_key: str) -> Text:
    """A play's title in quotes, as a watch point names the step it is about."""
    title = default_playbook().title(action_key)
    return Text(f"“{title.en}”", f"“{title.zh}”") if title else Text("a step", "某一步骤")


def _put_off_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """Steps with one person put off to a day ("not now") ``analysis.put_off_watch_count``
    times or more since the last meeting held with them, whichever plays: one flag per person.
    A sales VP: repeated postponement is a signal about the deal, not diary keeping; test their
    commitment with something concrete and let the sales director decide the deal's grade (a
    customer waiting for its budget cycle is a reason to write down, not a fault). A call or an
    e-mail is no commitment, nor a meeting whose time passed with nothing recorded; a meeting
    held is, and the count starts again after it."""
    flags: list[RedFlag] = []
    for pid, ctx in sorted(contexts.items()):
        held = [
            a.occurred_at
            for a in ctx.activities
            if a.occurred_at <= now_ms and a.recorded and a.type not in _AT_A_DISTANCE
        ]
        since = max(held, default=-1)
        put_off = sorted(
            (at, until, p.action_key)
            for p in snapshot.dropped
            if p.person_id == pid
            for at, until in p.put_off
            if at > since
        )
        if len(put_off) < config.analysis.put_off_watch_count:
            continue
        at, until, action_key = put_off[-1]
        name = names.get(pid, pid)
        role = Text(label_of(ctx.member.role).lower(), label_of(ctx.member.role, "zh"))
        what = _step_named(action_key)
        on = datetime.fromtimestamp(at / 1000, UTC).date().isoformat()
        until_en, until_zh = (f" until {until}", f"推迟至{until}") if until else ("", "推迟")
        count = len(put_off)
        flags.append(
            RedFlag(
                "PLAY_PUT_OFF",
                "MEDIUM",
                (pid,),
                (),
                f"Steps with {name} ({role.en}) were put off {count} times, the last {what.en}"
                f" on {on}{until_en}",
                f"与{name}（{role.zh}）相关的步骤已{count}次推迟，最近一次为{what.zh}，"
                f"于{on}{until_zh}",
                f"Test their commitment: ask {name}, or whoever they report to, for something"
                " concrete (the budget approval, the tender timeline or a date for the step);"
                " then the sales director decides whether the deal keeps its grade, and writes"
                " down why if it waits for the customer's budget cycle.",
                f"检验对方的投入：请{name}或其上级给出具体承诺（预算批复、招标时间表或此步骤的日期）；"
                "再由销售总监决定商机是否保持现有等级；如在等待客户的预算周期，请写明原因。",
                f"had steps with them put off {count} times",
                f"相关步骤已{count}次推迟",
            )
        )
    return flags


def _flag_key(flag: RedFlag) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (flag.code, flag.person_ids, flag.competitor_ids)


def _flags_at(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    influence: InfluenceResult,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> tuple[RedFlag, ...]:
    """``red_flags`` read at the snapshot's own stage."""
    flags: list[RedFlag] = []
    dms = sorted(p for p, c in contexts.items() if c.member.role == DecisionRole.DECISION_MAKER)
    if not dms:
        flags.append(
            RedFlag(
                "NO_DECISION_MAKER",
                "HIGH",
                (),
                (),
                "No decision maker identified in the chain",
                "决策链中未识别决策者",
                "Ask your coach or sponsor who signs off and how the decision is made.",
                "向教练或支持者了解谁拍板、决策流程如何。",
            )
        )
    coaches = sorted(p for p, c in contexts.items() if c.member.role == DecisionRole.COACH)
    held = [p for p in coaches if in_camp(contexts[p], config)]
    if coaches and len(held) == len(coaches):
        flags.append(_no_trusted_coach_flag(held, contexts, names))
    late = snapshot.opportunity.stage in (Stage.BIDDING, Stage.NEGOTIATION)
    flags.extend(
        _unverified_coach_flag(p, names.get(p, p), late)
        for p in coaches
        if contexts[p].knows and not contexts[p].activities and p not in held
    )
    flags.extend(
        _unreached_coach_flag(contexts[p], names.get(p, p), late)
        for p in coaches
        if not contexts[p].knows and not contexts[p].activities and p not in held
    )
    if not coaches:
        flags.append(_no_coach_flag(contexts, now_ms, config, names))
    flags.extend(
        _hearsay_support_flag(c, names.get(p, p), late)
        for p, c in sorted(contexts.items())
        if c.member.role not in _NEVER_MET_FLAGGED and not at_arms_length(c.member) and hearsay(c)
    )
    for pid in dms:
        if not met(contexts[pid]):
            flags.append(_never_met(contexts[pid], names.get(pid, pid)))
    flags.extend(_given_up_on_flags(snapshot, contexts, now_ms, names))
    flags.extend(_put_off_flags(snapshot, contexts, now_ms, config, names))
    flags.extend(_decision_makers_with_competitors(dms, contexts, config, names))
    flags.extend(_approvers_with_competitors(contexts, config, names))
    flags.extend(_signature_and_trust_flags(snapshot, contexts, config, names))
    flags.extend(_solution_rejected_flags(snapshot, contexts, scores, config, names))
    ahead = _planned(snapshot, contexts, now_ms)
    flags.extend(_supervisor_flags(contexts, ahead, config, names))
    flags.extend(_expert_contact_flags(contexts, ahead, names))
    flags.extend(_tender_dinner_flags(snapshot, contexts, ahead, names))
    high = {InfluenceLevel.HIGH, InfluenceLevel.DECISIVE}
    for pid, ctx in sorted(contexts.items()):
        m = ctx.member
        if m.attitude != Attitude.OPPONENT:
            continue
        relative = influence.relative(pid)
        if m.influence in high or relative >= config.analysis.high_relative_influence:
            name = names.get(pid, pid)
            role_en, role_zh = label_of(m.role).lower(), label_of(m.role, "zh")
            flags.append(
                RedFlag(
                    "HIGH_INFLUENCE_OPPONENT",
                    "HIGH",
                    (pid,),
                    tuple(sorted({t.competitor_id for t in ctx.competitor_ties})),
                    f"{name} ({role_en}, high influence) opposes us",
                    f"{name}（{role_zh}，影响力高）反对我方",
                    *_OPPONENT_ADVICE[m.role in SIGNERS],
                    "opposes us",
                    "反对我方",
                )
            )
    allies = {p for p, c in contexts.items() if c.competitor_ties and is_ally(c, config)}
    on_path = allies_on_every_path(snapshot, contexts, allies, dms)
    for dm, pid in on_path:
        comps = tuple(sorted({t.competitor_id for t in contexts[pid].competitor_ties}))
        rivals = sorted({contexts[pid].name_of(c) for c in comps})
        name, dm_name = names.get(pid, pid), names.get(dm, dm)
        answer_en, answer_zh = _ally_answer(contexts[pid].member.role)
        flags.append(
            RedFlag(
                "COMPETITOR_ALLY_ON_PATH_TO_DM",
                "HIGH",
                (pid, dm),
                comps,
                f"{name}, close to {', '.join(rivals)}, stands between us and {dm_name}",
                f"{name}与{'、'.join(rivals)}关系密切，挡在我们与决策者{dm_name}之间",
                f"Neutralise them ({answer_en}) and open a direct route to the decision maker.",
                f"设法中和其立场（{answer_zh}），并建立直达决策者的通道。",
                f"is close to {', '.join(rivals)} and stands between us and {dm_name}",
                f"与{'、'.join(rivals)}关系密切，挡在我们与决策者{dm_name}之间",
            )
        )
    flags.extend(
        _allies_swaying_decision_makers(snapshot, contexts, dms, set(on_path), config, names)
    )
    apart = _amounts_apart_flag(snapshot.opportunity, config)
    if apart is not None:
        flags.append(apart)
    tender = _tendered(snapshot.opportunity.stage, contexts)
    over_budget = _over_budget_flag(snapshot, config, tender)
    if over_budget is not None:
        flags.append(over_budget)
    else:
        flags.extend(_cheaper_bid_flag(snapshot))
    unreviewed = _unreviewed_quote_flag(snapshot)
    if unreviewed is not None:
        flags.append(unreviewed)
    unowned = _no_solution_manager_flag(snapshot, contexts, scores, config, names)
    if unowned is not None:
        flags.append(unowned)
    flags.extend(_non_bidder_flags(snapshot, contexts, config, names))
    untested = _price_untested_flag(snapshot, contexts, scores, influence, now_ms, config, names)
    if untested is not None:
        flags.append(untested)
    flags.extend(_stale_objection_flags(contexts, influence, now_ms, config, names))
    return tuple(sorted(flags, key=lambda f: SEVERITY_ORDER[f.severity]))


def _price_untested_flag(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    influence: InfluenceResult,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> RedFlag | None:
    """Our quote went in ``price.untested_after_days`` ago or more and the budget holders have
    not reacted to it (``PersonScores.price_silent``): none of them, or one of at least
    ``assessment.budget_holder_price_binding`` influence, whose silence no other's word answers
    for, as "can we win" reads it (``assessment.untested_in_full``). Silence after a quote is
    an untested price, not acceptance. It names the silent ones, the most influential first."""
    holders = [p for p, c in contexts.items() if c.member.role in BUDGET_HOLDERS]
    silent = [p for p in holders if scores[p].price_silent]
    binding = INFLUENCE_RANK[config.assessment.budget_holder_price_binding]
    if not silent or (
        len(silent) < len(holders)
        and all(INFLUENCE_RANK[contexts[p].member.influence] < binding for p in silent)
    ):
        return None
    silent.sort(
        key=lambda p: (-INFLUENCE_RANK[contexts[p].member.influence], -influence.relative(p), p)
    )
    days = quote_days(snapshot.opportunity, now_ms) or 0
    first = names.get(silent[0], silent[0])
    if len(silent) == len(holders):
        who_en = ", ".join(names.get(p, p) for p in silent)
        who_zh = "、".join(names.get(p, p) for p in silent)
        text_en = (
            f"Quote in for {days} days: nobody who holds the budget ({who_en}) has reacted to "
            "our price"
        )
        text_zh = f"报价已递交{days}天，掌握预算的人（{who_zh}）没有一个对我方价格表态"
    else:
        m = contexts[silent[0]].member
        who_en = f"{first} ({label_of(m.role).lower()}, {label_of(m.influence).lower()} influence)"
        who_zh = f"{first}（{label_of(m.role, 'zh')}，影响力{label_of(m.influence, 'zh')}）"
        rest = len(silent) - 1
        text_en = (
            f"Quote in for {days} days: {who_en}"
            + (f" and {rest} other budget holder{'s' if rest > 1 else ''}" if rest else "")
            + f" {'have' if rest else 'has'} not reacted to our price"
        )
        text_zh = (
            f"报价已递交{days}天，掌握预算的{who_zh}"
            + (f"等{rest + 1}人" if rest else "")
            + "仍未对我方价格表态"
        )
    one = len(silent) == 1
    return RedFlag(
        "PRICE_UNTESTED",
        "HIGH",
        tuple(silent),
        (),
        text_en,
        text_zh,
        f"Silence after a quote is an untested price, not acceptance: the account manager tests it "
        f"in an ROI / pricing workshop with {first} first, then the others; ask the coach whether "
        "the quote is being compared.",
        f"报价后的沉默是未经检验的价格，不是接受：由客户经理先与{first}做投资回报/价格研讨以检验报价，"
        "再与其他人沟通；通过教练了解报价是否正在被比价。",
        f"has not reacted to our price in the {days} days since the quote went in" if one else "",
        f"报价递交{days}天来未对我方价格表态" if one else "",
    )


def _stale_objection_flags(
    contexts: Mapping[str, PersonContext],
    influence: InfluenceResult,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A high-influence budget holder (declared high or more, or ``high_relative_influence``)
    whose objection to our price stands unanswered and whom nobody of ours has contacted for
    more than ``analysis.stale_objection_days``: the deal may have moved past them, the
    objection has not."""
    flags: list[RedFlag] = []
    high = INFLUENCE_RANK[InfluenceLevel.HIGH]
    for pid, ctx in sorted(contexts.items()):
        m = ctx.member
        if m.role not in BUDGET_HOLDERS or not (
            INFLUENCE_RANK[m.influence] >= high
            or influence.relative(pid) >= config.analysis.high_relative_influence
        ):
            continue
        objection = standing_objection(ctx, now_ms)
        last = max((a.occurred_at for a in ctx.activities if a.occurred_at <= now_ms), default=None)
        if objection is None or last is None:
            continue
        quiet = calendar_days(last, now_ms)
        if quiet <= config.analysis.stale_objection_days:
            continue
        said = calendar_days(objection.occurred_at, now_ms)
        name = names.get(pid, pid)
        role_en, role_zh = label_of(m.role).lower(), label_of(m.role, "zh")
        clause_en = (
            f"objected to our price {said} days ago, unanswered, and nobody of ours has "
            f"contacted them for {quiet} days"
        )
        clause_zh = f"{said}天前对我方价格提出异议，至今未获回应，我方已{quiet}天无人与其联系"
        flags.append(
            RedFlag(
                "STALE_PRICE_OBJECTION",
                "HIGH",
                (pid,),
                (),
                f"{name} ({role_en}, high influence, holds the budget) {clause_en}",
                f"{name}（{role_zh}，影响力高，掌握预算）{clause_zh}",
                "The deal may have moved past them; the objection has not, and they co-sign the "
                "amount and the terms. The account manager re-opens with them and turns it into "
                "an ROI, total cost and payment terms session, the solution manager on the "
                "numbers; do not go over their head.",
                "商机也许已越过其推进，但异议仍在，而合同金额和条款要其会签。由客户经理重新拜访，"
                "转为投资回报、总拥有成本与付款条件研讨，方案经理负责算账；不要越过其找上级。",
                clause_en,
                clause_zh,
            )
        )
    return flags


def _non_bidder_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A member close to a competitor that is not bidding on this deal (at least
    ``analysis.ally_min_level``): no ally here (``scoring.ties_in_play``), but what we tell
    them may reach that competitor, which may team up with a bidder or enter late. Medium for
    whoever signs and for a tender expert, low for anyone else; never serious enough to change
    the deal's status."""
    floor = TIE_RANK[config.analysis.ally_min_level]
    outside: dict[str, set[str]] = {}
    for t in split_ties(snapshot)[1]:
        if t.person_id in contexts and TIE_RANK[t.level] >= floor:
            outside.setdefault(t.person_id, set()).add(t.competitor_id)
    flags = []
    for pid, found in sorted(outside.items()):
        ctx, comps = contexts[pid], tuple(sorted(found))
        rivals = [ctx.name_of(c) for c in comps]
        en, zh = ", ".join(rivals), "、".join(rivals)
        name, m = names.get(pid, pid), ctx.member
        weighty = m.role in SIGNERS or drawn_expert(m)
        flags.append(
            RedFlag(
                "CLOSE_TO_NON_BIDDER",
                "MEDIUM" if weighty else "LOW",
                (pid,),
                comps,
                f"{name} is close to {en}, which {'is' if len(comps) == 1 else 'are'} not "
                "bidding on this deal",
                f"{name}与{zh}关系密切（{zh}未参与本商机的竞争）",
                f"Ask your coach whether {en} works with a bidder or may still enter; share "
                f"nothing with {name} that {en} should not hear.",
                f"向教练了解{zh}是否与参与竞争的厂商合作、是否可能加入竞争；"
                f"不要向{name}透露不希望{zh}知道的信息。",
            )
        )
    return flags


def _cheaper_bid_flag(snapshot: ChainSnapshot) -> list[RedFlag]:
    """A competitor priced below us once a quote is on the table (the over-budget flag says it
    too when our quote is over the budget): serious from the bids on, where the price score is
    the cheaper bid's; medium while the proposal is written, the account manager's and the
    sales director's to-do. "Can we win" counts what it costs."""
    opp = snapshot.opportunity
    rivals = cheaper_bidders(snapshot.competitors)
    if opp.stage not in LATE_STAGES or not rivals:
        return []
    en, zh = ", ".join(c.name for c in rivals), "、".join(c.name for c in rivals)
    return [
        RedFlag(
            "CHEAPER_BID",
            "HIGH" if opp.stage in SETTLING_STAGES else "MEDIUM",
            (),
            tuple(c.id for c in rivals),
            f"{en} {'is' if len(rivals) == 1 else 'are'} priced below us: in a price-scored "
            "evaluation the cheaper bid takes the price points",
            f"{zh}报价低于我方：按综合评分，价格分归报价更低者",
            "Learn from the coach how the bids are scored and what price weighs; before the bids "
            "make our value count in the technical score and let the sales director set the "
            "floor price; once they are in, prepare the negotiation, not a price cut.",
            "通过教练了解评标办法及价格分权重；投标前让我方价值体现在技术分中，并由销售总监确定底价；"
            "开标后准备谈判，而不是降价。",
        )
    ]


def _infeasible_quote_flag(opp: OpportunityFacts) -> RedFlag:
    """The delivery manager reviewed the quote as it stands and judged it not deliverable: a
    review is not what is missing, the rework is (scope or price), and the review after it.
    Already with the customer, the quote is one we know we would over-promise on."""
    out = opp.quote_status == QuoteStatus.SUBMITTED
    return RedFlag(
        "DELIVERY_NOT_FEASIBLE",
        "HIGH",
        (),
        (),
        "The quote with the customer is one the delivery manager judged not deliverable"
        if out
        else "The delivery manager judged the quote not deliverable as it stands",
        "已提交给客户的报价，交付经理评审认为不可落地"
        if out
        else "交付经理评审认为按当前报价不可落地",
        "Rework scope or price with the solution and delivery managers (phasing, fewer "
        "modules, another price), then have the delivery manager review it again before it "
        + ("the contract is negotiated." if out else "goes out."),
        "与方案经理、交付经理一起调整范围或价格（分期、减少模块、调整报价），再请交付经理重新评审，"
        + ("赶在合同谈判之前。" if out else "然后再提交。"),
    )


def _unreviewed_quote_flag(snapshot: ChainSnapshot) -> RedFlag | None:
    """A quote drafted or submitted without the delivery manager's review (or with no delivery
    manager on the team): high once it went out, since the customer now holds what we may not
    deliver at that price, and while it is about to go out (``review_pressing``); the text says
    which it is."""
    opp = snapshot.opportunity
    if opp.quote_status not in (QuoteStatus.SUBMITTED, QuoteStatus.DRAFT):
        return None
    has_dm = any(t.role == TeamRole.DELIVERY_MANAGER for t in snapshot.team)
    if has_dm and opp.delivery_reviewed:
        return None
    if opp.delivery_infeasible:
        return _infeasible_quote_flag(opp)
    if opp.quote_status == QuoteStatus.SUBMITTED:
        return RedFlag(
            "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE",
            "HIGH",
            (),
            (),
            "Quote submitted without the delivery manager's review",
            "报价已提交，未经交付经理评审",
            "Have the delivery manager review solution, workload and quote now, before the "
            "contract is negotiated: win deliverable, profitable deals.",
            "请交付经理立即评审方案、工作量和报价，赶在合同谈判之前：要赢可交付、能盈利的单。",
        )
    text_en, text_zh = (
        "Quote prepared without the delivery manager's review",
        "报价未经交付经理评审",
    )
    late = PRICE_BINDING_STAGES.get(opp.stage)
    if late is not None:
        text_en += f" at the {late[0]}: it is days from being the price we are held to"
        text_zh += f"，而商机已到{late[1]}阶段：几天内这就是我们要兑现的价格"
    return RedFlag(
        "DELIVERY_NOT_INVOLVED_BEFORE_QUOTE",
        "HIGH" if review_pressing(opp) else "MEDIUM",
        (),
        (),
        text_en,
        text_zh,
        "Have the delivery manager review solution, workload and quote before "
        "submitting: win deliverable, profitable deals.",
        "提交前请交付经理评审方案、工作量和报价：要赢可交付、能盈利的单。",
    )


def _no_solution_manager_flag(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> RedFlag | None:
    """No solution manager on the team while the solution is presented, proposed and bid
    (``assessment.no_solution_manager_share``): serious from the proposal on when a judge of
    the solution of at least medium influence is not with us yet (below supporter, or solution
    acceptance under 50; a drawn tender-evaluation expert is at arm's length and not counted),
    since the technical bid is being written and their objection has nobody to answer it; a
    watch point otherwise (a sales leader, casebook 83)."""
    stage = snapshot.opportunity.stage
    if not unstaffed(snapshot) or stage not in config.assessment.no_solution_manager_share:
        return None
    doubting = sorted(
        pid
        for pid, ctx in contexts.items()
        if ctx.member.role in SOLUTION_JUDGES
        and ctx.member.influence != InfluenceLevel.LOW
        and not drawn_expert(ctx.member)  # the panel is not ours to answer: nobody contacts it
        and (ctx.member.attitude not in SUPPORTIVE or scores[pid].solution.value < 50)
    )
    serious = bool(doubting) and stage in LATE_STAGES
    who_en = ", ".join(names.get(p, p) for p in doubting)
    who_zh = "、".join(names.get(p, p) for p in doubting)
    return RedFlag(
        "NO_SOLUTION_MANAGER",
        "HIGH" if serious else "MEDIUM",
        tuple(doubting),
        (),
        "No solution manager on the team"
        + (f": nobody answers the doubts of {who_en} about our solution" if doubting else ""),
        "团队中没有方案经理" + (f"：{who_zh}对方案的疑虑无人解答" if doubting else ""),
        "Request a solution manager now (presales resources): demos, the POC and the technical "
        "bid need the person who owns the solution.",
        "立即申请方案经理（售前资源）：演示、POC 和技术标都需要方案的负责人。",
    )


def _allies_swaying_decision_makers(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    dms: Sequence[str],
    on_path: AbstractSet[tuple[str, str]],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A competitor's ally, not with us, who sways a decision maker: their line manager, or
    someone who influences them at least ``analysis.ally_sway_min_level``. Nobody need stand
    between us and the decision maker for this (we may know them well, they may back us): the
    danger is who has their ear, such as a group officer over a subsidiary's general manager.
    An ally already flagged as standing between us and that decision maker is not flagged
    twice."""
    floor = TIE_RANK[config.analysis.ally_sway_min_level]
    managers = [(r.to_id, r.from_id, "manages") for r in snapshot.reports_to]
    influencers = [
        (i.from_id, i.to_id, "influences")
        for i in snapshot.influences
        if TIE_RANK[i.strength] >= floor
    ]
    flags: list[RedFlag] = []
    seen: set[tuple[str, str]] = set()
    for pid, dm, how in sorted(managers + influencers):
        ctx = contexts.get(pid)
        if dm not in dms or ctx is None or (dm, pid) in on_path or (dm, pid) in seen:
            continue
        if ctx.member.attitude in SUPPORTIVE or not is_ally(ctx, config):
            continue
        seen.add((dm, pid))
        flags.append(_sway_flag(ctx, contexts[dm], how == "manages", names))
    return flags


def _sway_flag(
    ctx: PersonContext, dm: PersonContext, manages: bool, names: Mapping[str, str]
) -> RedFlag:
    """The flag of a competitor's ally who sways a decision maker (``manages``: as their line
    manager)."""
    pid, dm_id = ctx.member.person_id, dm.member.person_id
    rivals, comps = _rivals(ctx)
    name, dm_name = names.get(pid, pid), names.get(dm_id, dm_id)
    role_en, role_zh = label_of(ctx.member.role).lower(), label_of(ctx.member.role, "zh")
    dm_en = label_of(DecisionRole.DECISION_MAKER).lower()
    dm_zh = label_of(DecisionRole.DECISION_MAKER, "zh")
    if manages:
        sway_en = f"is the manager of {dm_name} ({dm_en})"
        sway_zh = f"是{dm_name}（{dm_zh}）的上级"
    else:
        sway_en = f"strongly influences {dm_name} ({dm_en})"
        sway_zh = f"对{dm_name}（{dm_zh}）影响很大"
    answer_en, answer_zh = _ally_answer(ctx.member.role)
    return RedFlag(
        "COMPETITOR_ALLY_SWAYS_DM",
        "HIGH",
        (pid, dm_id),
        comps,
        f"{name} ({role_en}), close to {', '.join(rivals)}, {sway_en}",
        f"{name}（{role_zh}）与{'、'.join(rivals)}关系密切，{sway_zh}",
        f"Neutralise them ({answer_en}), have our executive meet them, and give the decision "
        "maker the arguments and references to hold our case against them.",
        f"设法中和其立场（{answer_zh}），请我方高层拜访此人，"
        "并为决策者准备好足以支撑我方方案的论据和成功案例。",
        f"is close to {', '.join(rivals)} and {sway_en}",
        f"与{'、'.join(rivals)}关系密切，{sway_zh}",
    )


def _approvers_with_competitors(
    contexts: Mapping[str, PersonContext], config: StrategyConfig, names: Mapping[str, str]
) -> list[RedFlag]:
    """An approver a competitor holds (``is_ally``) and who is not with us: they cannot choose
    the winner, but they can refuse a filing or a budget, and they are the rival's way to stop
    us at the last step, at any stage (a sales leader, casebook 79)."""
    flags: list[RedFlag] = []
    role_en = label_of(DecisionRole.APPROVER).lower()
    role_zh = label_of(DecisionRole.APPROVER, "zh")
    for pid, ctx in sorted(contexts.items()):
        if ctx.member.role != DecisionRole.APPROVER or ctx.member.attitude in SUPPORTIVE:
            continue
        if not is_ally(ctx, config):
            continue
        rivals, comps = _rivals(ctx)
        name = names.get(pid, pid)
        flags.append(
            RedFlag(
                "APPROVER_WITH_COMPETITOR",
                "HIGH",
                (pid,),
                comps,
                f"{name} ({role_en}) is close to {', '.join(rivals)} and can refuse the deal",
                f"{name}（{role_zh}）与{'、'.join(rivals)}关系密切，且握有否决权",
                "Have our most senior person who knows them meet them openly, on the merits: "
                "what the approval checks (compliance, the business case) and references they "
                "respect; answer the rival's arguments, never the relationship.",
                "请我方认识其的最资深人员公开、就事论事地拜访：讲清审批所看重的内容（合规、投资回报）"
                "和其认可的案例；回应竞争对手的说法，而不是拼关系。",
                f"is close to {', '.join(rivals)} and can refuse the deal",
                f"与{'、'.join(rivals)}关系密切，且握有否决权",
            )
        )
    return flags


def _decision_makers_with_competitors(
    dms: Sequence[str],
    contexts: Mapping[str, PersonContext],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A decision maker a competitor holds (CLOSE_TO at least ``analysis.ally_min_level``) and
    who is not with us: whoever signs already has a favourite, at any stage. The likelihood
    counts it, but a low likelihood is normal early on, so a leader would miss it without a
    flag. One marked as backing us is no such flag, but their support is a claim until the
    coach confirms it and their deeds show it: saying kind things to both sides is common."""
    flags: list[RedFlag] = []
    role_en = label_of(DecisionRole.DECISION_MAKER).lower()
    role_zh = label_of(DecisionRole.DECISION_MAKER, "zh")
    for pid in dms:
        ctx = contexts[pid]
        if not is_ally(ctx, config):
            continue
        rivals, comps = _rivals(ctx)
        name = names.get(pid, pid)
        if ctx.member.attitude in SUPPORTIVE:
            flags.append(
                RedFlag(
                    "DECISION_MAKER_ON_BOTH_SIDES",
                    "HIGH",
                    (pid,),
                    comps,
                    f"{name} ({role_en}) is said to back us but is close to {', '.join(rivals)}",
                    f"{name}（{role_zh}）被认为支持我方，但与{'、'.join(rivals)}关系密切",
                    "Confirm the support through the coach and by what they do (sponsoring our "
                    "solution before their team, joining a reference visit), not by what they "
                    "tell us; until then do not count on it.",
                    "通过教练、并看其行动（在其团队面前支持我方方案、参加参考案例考察）确认其支持，"
                    "而不是只听其对我们说什么；在此之前不要指望这份支持。",
                    f"is said to back us but is close to {', '.join(rivals)}",
                    f"被认为支持我方，但与{'、'.join(rivals)}关系密切",
                )
            )
            continue
        flags.append(
            RedFlag(
                "DECISION_MAKER_WITH_COMPETITOR",
                "HIGH",
                (pid,),
                comps,
                f"{name} ({role_en}) supports {', '.join(rivals)}",
                f"{name}（{role_zh}）支持{'、'.join(rivals)}",
                "Learn what ties them to the competitor and what they need from this deal; have "
                "our executive meet them, introduced by someone they trust, with a reference "
                "they respect.",
                "弄清其与竞争对手的关系以及其对本项目的诉求；请我方高层在其信任的人引荐下拜访，"
                "并带上其认可的成功案例。",
                f"backs {', '.join(rivals)}",
                f"支持{'、'.join(rivals)}",
            )
        )
    return flags


def _planned(
    snapshot: ChainSnapshot, contexts: Mapping[str, PersonContext], now_ms: int
) -> dict[str, list[ActivityFacts]]:
    """Each member's activities still to come (the contexts hold those that happened)."""
    ahead: dict[str, list[ActivityFacts]] = {}
    for a in snapshot.activities:
        if a.occurred_at > now_ms:
            for pid in dict.fromkeys(a.person_ids):
                if pid in contexts:
                    ahead.setdefault(pid, []).append(a)
    return ahead


def _supervisor_flags(
    contexts: Mapping[str, PersonContext],
    ahead: Mapping[str, Sequence[ActivityFacts]],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A social contact (a meal, an outing) with the officer who supervises the purchase, on
    record or planned: in a state-owned tender a compliance breach that can disqualify the bid,
    whatever it did for the relationship; a planned one is flagged so that it is called off.
    Formal contacts are what we owe him. And that officer close to a competitor: the tender may
    be wired."""
    flags = []
    for pid, ctx in sorted(contexts.items()):
        if ctx.member.role not in SUPERVISORS:
            continue
        name = names.get(pid, pid)
        comps = wired_by(ctx, config)
        if comps:
            flags.append(_wired_flag(pid, name, [ctx.name_of(c) for c in comps], comps))
        if any(a.type == ActivityType.SOCIAL for a in ctx.activities):
            flags.append(_supervisor_dinner_flag(pid, name, planned=False))
        elif any(a.type == ActivityType.SOCIAL for a in ahead.get(pid, ())):
            flags.append(_supervisor_dinner_flag(pid, name, planned=True))
    return flags


@dataclass(frozen=True, slots=True)
class _When:
    """A contact flag's words for one on record or one planned (an activity dated ahead)."""

    prefix: str
    en: str
    zh: str
    act_en: str
    act_zh: str


_WHEN = {
    False: _When("", "on record", "记录中有", "Stop it", "立即停止"),
    True: _When("PLANNED_", "planned", "计划中有", "Call it off", "立即取消"),
}


def _supervisor_dinner_flag(pid: str, name: str, *, planned: bool) -> RedFlag:
    w = _WHEN[planned]
    return RedFlag(
        f"{w.prefix}SOCIAL_CONTACT_WITH_SUPERVISOR",
        "HIGH",
        (pid,),
        (),
        f"A social contact with {name}, who supervises the purchase, is {w.en}",
        f"{w.zh}与监督采购的{name}的社交往来",
        f"{w.act_en} and tell the sales director: meet them only openly, formally and on the "
        "record; a meal or a gift can disqualify the bid.",
        f"{w.act_zh}并报告销售总监：只能公开、正式、全程留痕地与其沟通；一次宴请或礼品就可能导致投标被取消资格。",
        f"has a social contact with us {w.en}",
        "与我方有计划中的社交往来" if planned else "与我方的社交往来已有记录",
    )


_NEVER_MET_FLAGGED = frozenset(
    {DecisionRole.DECISION_MAKER, DecisionRole.APPROVER, DecisionRole.COACH}
)
"""The roles whose own flags say it when their support is hearsay (never met, the coach's)."""


def _hearsay_support_flag(ctx: PersonContext, name: str, late: bool) -> RedFlag:
    """Support nobody of ours heard first hand (``scoring.hearsay``, as the scores count it), of
    someone whose role has no flag of its own to say it (the never-met flags, the coach's): by
    what they can do to the deal (a sales leader). One who weighs much can stall it in its
    reviews: medium, high once the bids are in or the contract is negotiated; anyone else sinks
    nothing alone: low, not to bury the flags that matter."""
    m = ctx.member
    weighs = m.influence in (InfluenceLevel.HIGH, InfluenceLevel.DECISIVE)
    role_en, role_zh = label_of(m.role), label_of(m.role, "zh")
    att_en, att_zh = label_of(m.attitude), label_of(m.attitude, "zh")
    return RedFlag(
        "SUPPORT_UNVERIFIED",
        ("HIGH" if late else "MEDIUM") if weighs else "LOW",
        (ctx.person_id,),
        (),
        f"Nobody of ours has heard {name} ({role_en}) say it: their support ({att_en}) is only"
        " what someone told us",
        f"我方没有人听{name}（{role_zh}）亲口表态：其支持（{att_zh}）只是他人转述",
        "Ask whoever told us to introduce one of ours, and hear their stance in their own"
        " words; until then, do not count on it.",
        "请转述者引荐我方人员与其见面，当面确认其态度；在此之前不要指望这份支持。",
        "is known to nobody of ours: their support is hearsay",
        "与我方素不相识：其支持只是转述",
    )


def _unverified_coach_flag(pid: str, name: str, late: bool) -> RedFlag:
    """A coach known to us by a tie only, with no meeting or call on record: neither active nor
    gone quiet but unverified; what they tell us is to be confirmed. It counts in full in the
    likelihood (a team may not log its calls), so the flag is where the doubt shows: low, and
    medium once the bids are in or the contract is negotiated."""
    role_en, role_zh = label_of(DecisionRole.COACH), label_of(DecisionRole.COACH, "zh")
    return RedFlag(
        "COACH_NO_CONTACT_ON_RECORD",
        "MEDIUM" if late else "LOW",
        (pid,),
        (),
        f"No contact with {name} ({role_en}) is on record: what they tell us is unverified",
        f"没有与{name}（{role_zh}）接触的记录：其提供的信息尚未核实",
        "Meet or call them this week and log it; check what they said against another source.",
        "本周与其见面或通话并记录在案；用其他渠道核实其说法。",
        "has no contact with us on record",
        "与我方没有接触记录",
    )


def _unreached_coach_flag(ctx: PersonContext, name: str, late: bool) -> RedFlag:
    """A coach nobody of ours knows or has been in touch with: their attitude is what someone
    told us, and they guide nobody of ours (a sales leader: "a coach who has never met us is a
    name, not a coach"). Worse than a coach known by a tie only: medium, high once the bids
    are in or the contract is negotiated; their guidance counts for nothing in the likelihood
    (``assessment.insider_unreached_credit``)."""
    role_en, role_zh = label_of(DecisionRole.COACH), label_of(DecisionRole.COACH, "zh")
    att_en, att_zh = label_of(ctx.member.attitude), label_of(ctx.member.attitude, "zh")
    return RedFlag(
        "COACH_UNKNOWN_TO_US",
        "HIGH" if late else "MEDIUM",
        (ctx.person_id,),
        (),
        f"Nobody of ours knows {name} ({role_en}) or has been in touch with them: their"
        f" attitude ({att_en}) is only what someone told us, and they guide nobody of ours yet",
        f"我方无人认识{name}（{role_zh}），也没有与其接触的记录：其态度（{att_zh}）"
        "只是他人转述，目前还无法为我方指路",
        "Find out who told us, have them introduce one of ours and meet them; until then, plan"
        " as if the chain had no coach.",
        "弄清是谁转述的，请其引荐我方人员与之见面；在此之前，按决策链中没有教练来规划。",
        "is known to nobody of ours, with no contact on record",
        "与我方素不相识，也没有接触记录",
    )


def _no_trusted_coach_flag(
    held: Sequence[str], contexts: Mapping[str, PersonContext], names: Mapping[str, str]
) -> RedFlag:
    """Every coach in a competitor's camp: what they tell us may be the competitor's story and
    our plans may reach it, which is worse than having no coach at all."""
    comps = tuple(sorted({c for p in held for c in _rivals(contexts[p])[1]}))
    who = [names.get(p, p) for p in held]
    rivals = sorted({contexts[held[0]].name_of(c) for c in comps})
    en, zh = ", ".join(rivals), "、".join(rivals)
    return RedFlag(
        "NO_TRUSTED_COACH",
        "HIGH",
        tuple(held),
        comps,
        f"No coach we can trust: {', '.join(who)} {'is' if len(who) == 1 else 'are'} close to {en}",
        f"没有可信赖的教练：{'、'.join(who)}与{zh}关系密切",
        f"Develop a coach among supporters in no competitor's camp; until then check what "
        f"{', '.join(who)} tell{'s' if len(who) == 1 else ''} us against other sources and "
        "share no plans with them.",
        f"在不属于任何对手阵营的支持者中发展教练；在此之前，用其他渠道核实{'、'.join(who)}提供的信息，"
        "不向其透露我方计划。",
        f"coaches us and is close to {en}",
        f"是我们的教练，却与{zh}关系密切",
    )


def _tender_dinner_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    ahead: Mapping[str, Sequence[ActivityFacts]],
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A social contact (a meal, an outing) during the tender with those who evaluate the
    bids: the buyer's evaluators and procurement. Once the tender is on (the bidding stage,
    since the deal entered it), private contact with its evaluation is a tender violation
    that can void the bid; the same dinner before the tender is relationship work. A planned
    one is flagged so that it is called off; drawn experts have their own flag."""
    opp = snapshot.opportunity
    if opp.stage != Stage.BIDDING:
        return []
    since = tender_since(opp)
    held: list[str] = []
    planned: list[str] = []
    for pid, ctx in sorted(contexts.items()):
        role = ctx.member.role
        if role not in EVALUATORS or drawn_expert(ctx.member):
            continue
        if any(breach(role, a, since) for a in ctx.activities):
            held.append(pid)
        elif any(a.type == ActivityType.SOCIAL for a in ahead.get(pid, ())):
            planned.append(pid)
    return [
        _tender_dinner_flag(who, contexts, names, planned=when)
        for who, when in ((held, False), (planned, True))
        if who
    ]


def _tender_dinner_flag(
    who: Sequence[str],
    contexts: Mapping[str, PersonContext],
    names: Mapping[str, str],
    *,
    planned: bool,
) -> RedFlag:
    w = _WHEN[planned]
    named = [(names.get(p, p), contexts[p].member.role) for p in who]
    listed_en = [f"{name} ({label_of(role)})" for name, role in named]
    listed_zh = [f"{name}（{label_of(role, 'zh')}）" for name, role in named]
    one = len(who) == 1
    whom_en = listed_en[0] if one else f"{', '.join(listed_en[:-1])} and {listed_en[-1]}"
    return RedFlag(
        f"{w.prefix}SOCIAL_CONTACT_WITH_EVALUATOR",
        "HIGH",
        tuple(who),
        (),
        f"A social contact during the tender with {whom_en}, who evaluate"
        f"{'s' if one else ''} the bids, is {w.en}",
        f"招标期间{w.zh}与参与评标的{'、'.join(listed_zh)}的社交往来",
        f"{w.act_en} and tell the sales director: until the award, meet the buyer's evaluators "
        "and procurement only formally and answer their questions in writing; a meal or a gift "
        "during the tender can void the bid.",
        f"{w.act_zh}并报告销售总监：定标前只能正式地与采购方的评标人员和采购部门接触，问题一律书面答复；"
        "招标期间的一次宴请或礼品就可能导致投标无效。",
        f"has a social contact with us during the tender {w.en}" if one else "",
        ("招标期间与我方有计划中的社交往来" if planned else "招标期间与我方的社交往来已有记录")
        if one
        else "",
    )


def _expert_contact_flags(
    contexts: Mapping[str, PersonContext],
    ahead: Mapping[str, Sequence[ActivityFacts]],
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A contact on record with a drawn tender-evaluation expert, of any kind: bidders may not
    contact the evaluation panel, and a record cannot tell a private visit or demo from the
    session the tender agency holds for the whole panel. It can void the bid. A contact
    planned is flagged too, so that it is called off."""
    role_en = label_of(ExternalKind.TENDER_EXPERT)
    role_zh = label_of(ExternalKind.TENDER_EXPERT, "zh")
    flags = []
    for pid, ctx in sorted(contexts.items()):
        if not drawn_expert(ctx.member) or not (ctx.activities or pid in ahead):
            continue
        name = names.get(pid, pid)
        w = _WHEN[not ctx.activities]
        if ctx.activities:
            unless_en, act_en, act_zh = (
                "it was the session the tender agency held",
                "stop all contact",
                "立即停止一切接触",
            )
            clause_en, clause_zh = "we have been in contact with", "与我方有过接触"
        else:
            unless_en, act_en, act_zh = (
                "it is the session the tender agency holds",
                "call it off",
                "立即取消",
            )
            clause_en, clause_zh = "we plan to contact", "我方计划接触"
        flags.append(
            RedFlag(
                f"{w.prefix}CONTACT_WITH_EXPERT",
                "HIGH",
                (pid,),
                (),
                f"A contact with {name} ({role_en}) is {w.en}",
                f"{w.zh}与{name}（{role_zh}）的接触",
                f"Bidders may not contact the evaluation experts: unless {unless_en} for the "
                f"whole panel, {act_en} and tell the sales director; a private contact can void "
                "the bid.",
                "投标人不得私下接触评标专家：除非是招标代理机构为全体评标专家组织的环节，"
                f"否则{act_zh}并报告销售总监；私下接触可能导致投标无效。",
                f"is a {role_en.lower()} {clause_en}",
                f"是{clause_zh}的{role_zh}",
            )
        )
    return flags


def _wired_flag(pid: str, name: str, rivals: Sequence[str], comps: tuple[str, ...]) -> RedFlag:
    """The supervisor of the tender close to a competitor: we never court them, and we never
    complain to them; the fair process is asked for openly, through the proper channel."""
    role_en, role_zh = label_of(DecisionRole.SUPERVISOR), label_of(DecisionRole.SUPERVISOR, "zh")
    return RedFlag(
        "SUPERVISOR_CLOSE_TO_COMPETITOR",
        "HIGH",
        (pid,),
        comps,
        f"{name} ({role_en}), who supervises the tender, is close to {', '.join(rivals)}: the "
        "fairness of the tender is in question",
        f"监督招标的{name}（{role_zh}）与{'、'.join(rivals)}关系密切：招标的公平性存疑",
        "Do not approach them. Ask the decision maker (or procurement) on the record for the "
        "evaluation criteria and the scoring to be published and for conflicts of interest to "
        "be declared, with a recusal where one exists; keep every contact documented, make "
        "our bid formally flawless, and weigh whether the tender is worth bidding.",
        "不要私下接触此人。通过正式渠道书面请求决策者（或采购部门）公布评标标准和评分细则，"
        "并要求相关人员申报利益冲突，存在冲突的应当回避；所有沟通全程留痕，投标文件做到形式上无懈可击，"
        "并慎重评估是否值得投标。",
        f"supervises the tender and is close to {', '.join(rivals)}",
        f"监督招标且与{'、'.join(rivals)}关系密切",
    )


def _ally_answer(role: DecisionRole) -> tuple[str, str]:
    """How a competitor's ally is answered: finance and procurement, tied by the competitor's
    commercial offer, on cost; everyone else on the merits."""
    if role in PRICE_KEEPERS:
        return (
            "answer their cost concerns with the total cost over the contract's life, payment "
            "terms and financing",
            "用整个合同期的总成本、付款方式和融资方案回应其成本关切",
        )
    return (
        "answer their professional concerns with our solution and references",
        "了解其专业关切，用技术方案和案例回应",
    )


_AMOUNT_NAMES: Final = {
    "quote": ("our quote", "我方报价"),
    "amount": ("the deal's amount", "商机金额"),
    "budget": ("the customer's budget", "客户预算"),
}


def _amounts_apart_flag(opp: OpportunityFacts, config: StrategyConfig) -> RedFlag | None:
    """Two of the deal's amounts (quote, amount, budget) ``analysis.amounts_apart_ratio`` or
    more times apart: one of them was entered in the wrong unit (fen for yuan is 100 times) or
    with a zero too many, and every price score reads the budget's cover of our quote from
    them. The flag names both figures as entered, so whoever reads it sees which is wrong; the
    scores read the figures as they stand (a guess at the right one would hide the slip)."""
    figures = [
        (key, value)
        for key, value in (
            ("quote", opp.quote_amount),
            ("amount", opp.amount),
            ("budget", opp.budget),
        )
        if value is not None and value > 0
    ]
    pairs = [
        (max(a, b) / min(a, b), (ka, a), (kb, b))
        for i, (ka, a) in enumerate(figures)
        for kb, b in figures[i + 1 :]
    ]
    if not pairs:
        return None
    times, (one, first), (other, second) = max(pairs, key=lambda p: p[0])
    if times < config.analysis.amounts_apart_ratio:
        return None
    (one_en, one_zh), (other_en, other_zh) = _AMOUNT_NAMES[one], _AMOUNT_NAMES[other]
    first_text, second_text = money(first, opp.currency), money(second, opp.currency)
    apart = f"{times:,.0f}"
    return RedFlag(
        "AMOUNTS_APART",
        "HIGH",
        (),
        (),
        f"{one_en.capitalize()} ({first_text.en}) and {other_en} ({second_text.en}) are "
        f"{apart} times apart: one of them is in the wrong unit or has a zero too many, and "
        "every price score reads the budget from them",
        f"{one_zh}（{first_text.zh}）与{other_zh}（{second_text.zh}）相差{apart}倍："
        "其中一项的单位或位数有误，而每个人的价格评分都依据这些金额计算预算覆盖",
        "Check both figures with whoever entered them and correct the wrong one (the API takes "
        "amounts in fen: a yuan figure entered as is reads a hundred times smaller).",
        "与录入人核对这两项金额并改正错误的一项（接口中金额以分为单位：按元直接录入会小一百倍）。",
    )


def _over_budget_flag(
    snapshot: ChainSnapshot, config: StrategyConfig, tender: bool
) -> RedFlag | None:
    """Our quote above the customer's budget: unless the offer is reworked before it goes in,
    the budget holders say no or the cheaper vendor wins. High when the budget covers less than
    ``assessment.budget_sufficient_ratio`` of it (no discount closes that), when a competitor is
    cheaper (the customer has an offer that fits), or in a tender (``tender``), where the
    budget is usually the ceiling price and a bid above it may be rejected however slightly it
    is over; the share is the one "is it real?" reads."""
    opp = snapshot.opportunity
    quote = deal_value(opp)
    quoted = opp.quote_status in (QuoteStatus.SUBMITTED, QuoteStatus.DRAFT)
    if not quoted or opp.budget is None or quote <= 0 or opp.budget >= quote:
        return None
    cheaper = cheaper_bidders(snapshot.competitors)
    far = opp.budget < config.assessment.budget_sufficient_ratio * quote
    over, share = f"{quote / opp.budget - 1:.0%}", budget_share(opp.budget, quote)
    if over == "0%":
        over = "<1%"
    text_en = f"Our quote is {over} over the customer's budget (the budget covers {share} of it)"
    text_zh = f"我方报价超出客户预算{over}（预算仅覆盖报价的{share}）"
    coaching_en = (
        "Rework the offer before it goes in: phase the project, trim or defer scope, or spread "
        "the cost with payment terms or financing so that it fits the budget; let the delivery "
        "manager confirm what can go without putting delivery at risk."
    )
    coaching_zh = (
        "提交前重新设计报价方案：分期实施、精简或延后部分范围，或通过付款方式、融资分摊费用，使其落在预算内；"
        "请交付经理确认哪些内容可以调整而不影响交付"
    )
    if cheaper:
        names_en, names_zh = ", ".join(c.name for c in cheaper), "、".join(c.name for c in cheaper)
        text_en += f", and {names_en} {'is' if len(cheaper) == 1 else 'are'} cheaper"
        text_zh += f"，且{names_zh}报价更低"
        coaching_en += f" Set the total cost over the contract's life against {names_en}."
        coaching_zh += f"；并用整个合同期的总成本与{names_zh}的方案对比"
    if tender:
        text_en += "; in a tender a bid above the budget may be rejected"
        text_zh += "；招标中超出预算的投标可能被否决"
    return RedFlag(
        "QUOTE_OVER_BUDGET",
        "HIGH" if far or cheaper or tender else "MEDIUM",
        (),
        tuple(c.id for c in cheaper),
        text_en,
        text_zh,
        coaching_en,
        coaching_zh + "。",
    )


_WATCHED_ROLES = EVALUATORS | {DecisionRole.APPROVER, DecisionRole.COACH}
"""The roles the flags below are about (the rest of a large chain is skipped at once)."""


def _signature_and_trust_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """An approver nobody has met, an evaluator a competitor holds in a tender, and a coach
    who is also close to a competitor: each can sink a deal that otherwise looks good."""
    flags: list[RedFlag] = []
    late = snapshot.opportunity.stage in LATE_STAGES
    tender = _tendered(snapshot.opportunity.stage, contexts)
    watched = sorted(p for p, c in contexts.items() if c.member.role in _WATCHED_ROLES)
    for pid in watched:
        ctx = contexts[pid]
        m, name = ctx.member, names.get(pid, pid)
        if m.role == DecisionRole.APPROVER and not met(ctx):
            # support nobody of ours saw is what someone told us: said with the flag
            att_en, att_zh = label_of(m.attitude), label_of(m.attitude, "zh")
            heard_en, heard_zh = (
                (
                    f": their support ({att_en}) is only what someone told us",
                    f"：其支持（{att_zh}）只是他人转述",
                )
                if hearsay(ctx)
                else ("", "")
            )
            flags.append(
                RedFlag(
                    "APPROVER_NEVER_MET",
                    "HIGH" if late else "MEDIUM",
                    (pid,),
                    (),
                    f"Approver {name} has never been met{heard_en}",
                    f"从未与审批人{name}接触{heard_zh}",
                    "An approver can still say no: have the coach or the decision maker "
                    "introduce us, and show them the business case.",
                    "审批人仍可一票否决：请教练或决策者引荐，并向其讲清投资回报。",
                    "has never been met",
                    "从未与我方接触",
                )
            )
        if tender and locks_scoring(m.role, m.attitude, ctx, config):
            rivals, comps = _rivals(ctx)
            role_en, role_zh = label_of(m.role).lower(), label_of(m.role, "zh")
            flags.append(
                RedFlag(
                    "EVALUATOR_LOCKED",
                    "HIGH",
                    (pid,),
                    comps,
                    f"{name} ({role_en}) is close to {', '.join(rivals)} in a tender: the "
                    "scoring may be locked",
                    f"{name}（{role_zh}）与{'、'.join(rivals)}关系密切，招标评分可能已被控标",
                    "Have the solution manager challenge the specification's control points, "
                    "ask the decision maker for balanced scoring rules, and work to neutralise "
                    "them.",
                    "请方案经理就招标文件中的控标点提出澄清，争取决策者支持公平的评分规则，"
                    "并设法中和其立场。",
                    f"is close to {', '.join(rivals)} in a tender: the scoring may be locked",
                    f"在招标中与{'、'.join(rivals)}关系密切，评分可能已被控标",
                )
            )
        if m.role == DecisionRole.COACH and m.attitude in SUPPORTIVE and in_camp(ctx, config):
            rivals, comps = _rivals(ctx)
            flags.append(
                RedFlag(
                    "COACH_CLOSE_TO_COMPETITOR",
                    "MEDIUM",
                    (pid,),
                    comps,
                    f"Coach {name} is also close to {', '.join(rivals)}",
                    f"教练{name}同时与{'、'.join(rivals)}关系密切",
                    "Check what they tell us against other sources, share nothing sensitive "
                    "with them, and develop a second coach.",
                    "用其他渠道核实其提供的信息，不向其透露敏感内容，并发展第二位教练。",
                )
            )
    return flags


def _solution_rejected_flags(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    config: StrategyConfig,
    names: Mapping[str, str],
) -> list[RedFlag]:
    """A judge of the solution of at least medium influence whose needs it fits poorly and who
    does not accept it (a failed POC, a demo that missed their workflow), once it has been
    presented: serious from the proposal on, when the evaluation is written. Warm relationships
    elsewhere do not make up for it, and the first job is the solution manager's, not a
    champion's word."""
    stage = snapshot.opportunity.stage
    if stage not in LATE_STAGES and stage != Stage.VALUE_PRESENTATION:
        return []
    below = config.assessment.solution_rejected_below
    flags: list[RedFlag] = []
    for pid, ctx in sorted(contexts.items()):
        m = ctx.member
        if not poor_fit_judge(m.role, m.influence, m.needs_fit == NeedsFit.POOR):
            continue
        value = scores[pid].solution.value
        if value >= below:
            continue
        name = names.get(pid, pid)
        role_en, role_zh = label_of(m.role).lower(), label_of(m.role, "zh")
        flags.append(
            RedFlag(
                "SOLUTION_REJECTED",
                "HIGH" if stage in LATE_STAGES else "MEDIUM",
                (pid,),
                (),
                f"{name} ({role_en}) does not accept our solution ({value}/100)",
                f"{name}（{role_zh}）不认可我方方案（{value}/100）",
                "Close the gap before anything else: the solution manager finds out what failed "
                "and how to meet it (a fix, a partner module, a changed scope), then shows them "
                "in a technical exchange or a new test. Nobody asks the decision maker to "
                "overrule them.",
                "先补方案短板：由方案经理弄清问题所在和解决办法（修复、引入合作伙伴模块或调整范围），"
                "再通过技术交流或重新测试向其证明。不要请决策者去压服其接受。",
                f"does not accept our solution ({value}/100)",
                f"不认可我方方案（{value}/100）",
            )
        )
    return flags


def _rivals(ctx: PersonContext) -> tuple[list[str], tuple[str, ...]]:
    """The names and the ids of the competitors a member is tied to."""
    ids = tuple(sorted({t.competitor_id for t in ctx.competitor_ties}))
    return sorted({ctx.name_of(c) for c in ids}), ids


def competitor_camps(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    influence: InfluenceResult,
    config: StrategyConfig,
) -> tuple[CompetitorCamp, ...]:
    """Per competitor: its core and the members its core sways; each person in one camp at most.

    Own position first: a member's own CLOSE_TO tie (at least ``camp_min_level``) puts them in
    the core of the competitor they are closest to. A member with no such tie joins a camp only
    when they lean against us (skeptic or opponent) and a core person sways them: as their line
    manager (counted as a strong tie) or by INFLUENCES at least ``camp_sway_min_level``; the
    strongest sway decides.
    Neutral members and our supporters are in no competitor's camp.
    """
    an = config.analysis
    floor, sway_floor = TIE_RANK[an.camp_min_level], TIE_RANK[an.camp_sway_min_level]
    own: dict[str, str] = {}
    for pid, ctx in contexts.items():
        ties = [t for t in ctx.competitor_ties if TIE_RANK[t.level] >= floor]
        if ties:
            best = max(ties, key=lambda t: (TIE_RANK[t.level], t.competitor_id))
            own[pid] = best.competitor_id
    swayers: dict[str, list[tuple[int, str]]] = {}
    # A line manager's sway counts as strong whatever the stored tie says.
    edges = [(r.to_id, r.from_id, TieStrength.STRONG) for r in snapshot.reports_to]
    edges += [(i.from_id, i.to_id, i.strength) for i in snapshot.influences]
    for core, other, strength in edges:
        if core in own and TIE_RANK[strength] >= sway_floor:
            swayers.setdefault(other, []).append((TIE_RANK[strength], own[core]))
    swayed: dict[str, str] = {}
    leaning = {Attitude.OPPONENT, Attitude.SKEPTIC}
    for pid, found in swayers.items():
        swayable = contexts.get(pid)
        if swayable is not None and pid not in own and swayable.member.attitude in leaning:
            swayed[pid] = max(found)[1]
    by_camp: dict[str, tuple[set[str], set[str]]] = {}
    for pid, cid in own.items():
        by_camp.setdefault(cid, (set(), set()))[0].add(pid)
    for pid, cid in swayed.items():
        by_camp.setdefault(cid, (set(), set()))[1].add(pid)
    names = snapshot.display_names()
    camps: list[CompetitorCamp] = []
    for cid, (core_ids, extra) in sorted(by_camp.items()):
        members = core_ids | extra
        share = sum(influence.effective.get(p, 0.0) for p in members)
        camps.append(
            CompetitorCamp(
                cid, names.get(cid, cid), tuple(sorted(core_ids)), tuple(sorted(members)), share
            )
        )
    camps.sort(key=lambda c: (-c.influence_share, c.competitor_id))
    return tuple(camps)


def flipped(ctx: PersonContext) -> PersonContext:
    """The member turned to our side by us, so heard at first hand: at least SUPPORTER. Their
    competitor ties stay, counted as a supporter's (in part), when the attitude changes: someone
    won over still talks to the competitor, and cutting that tie is another play. For someone
    already with us what is left to win is the tie, and it is dropped."""
    m = ctx.member
    attitude = m.attitude
    if ATTITUDE_ORDER.index(attitude) < ATTITUDE_ORDER.index(Attitude.SUPPORTER):
        attitude = Attitude.SUPPORTER
    ties = ctx.competitor_ties if attitude != m.attitude else ()
    won = dataclasses.replace(m, attitude=attitude, heard=True)  # won over by us, face to face
    return dataclasses.replace(ctx, member=won, competitor_ties=ties)


def bridges(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    states: Sequence[PersonState],
    base: Assessment,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
    *,
    scorer: ChainScorer | None = None,
    totals: Totals | None = None,
) -> tuple[Bridge, ...]:
    """Flip each of the top-K flippable members to our side and measure the likelihood gain.

    Nobody kept ``at_arms_length`` is one: an expert may not be courted, and the supervisor is
    there to see that nobody is; nor, once our bid is in, anyone on the committee.

    ``scorer`` and ``totals`` are the chain's scorer and the states' totals when the caller
    has them (made once per analysis)."""
    an = config.analysis
    opp, comps = snapshot.opportunity, snapshot.competitors
    scorer = scorer or ChainScorer(opp, comps, now_ms, config)
    totals = totals or Totals.of(states, config)
    listeners = Listeners.of(snapshot, states, config)
    memo = AssessMemo()
    sealed = SEALED_WHILE_BID_IN if bid_in(opp) else frozenset()
    flippable = [
        s
        for s in states
        if not s.arms_length
        and s.role not in sealed
        and (s.attitude not in SUPPORTIVE or contexts[s.person_id].competitor_ties)
    ]
    flippable.sort(key=lambda s: (-s.weight, s.person_id))
    found: list[Bridge] = []
    for s in flippable[: an.bridge_candidates]:
        ctx = flipped(contexts[s.person_id])
        new_state = restated(s, ctx, scorer.score(ctx), now_ms, config)
        trial = listeners.swap(totals, s, new_state, config)
        likelihood, net = trial_likelihood(opp, comps, trial, now_ms, config, memo)
        gain = likelihood - base.win_likelihood.value
        if gain <= 0:
            continue
        name = names.get(s.person_id, s.person_id)
        found.append(
            Bridge(
                s.person_id,
                s.attitude,
                gain,
                net - base.support.net,
                f"Winning {name} over would add {gain * 100:.1f} points of win likelihood",
                f"争取到{name}可使赢单概率提高{gain * 100:.1f}个百分点",
            )
        )
    found.sort(key=lambda b: (-b.delta_win_likelihood, b.person_id))
    return tuple(found[: an.max_bridges])


def analyse_chain(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    influence: InfluenceResult,
    states: Sequence[PersonState],
    assessment: Assessment,
    now_ms: int,
    config: StrategyConfig,
    names: Mapping[str, str],
    *,
    scorer: ChainScorer | None = None,
    totals: Totals | None = None,
) -> ChainAnalysis:
    """Assemble the analysis from precomputed scores, influence and assessment."""
    ranked = sorted(influence.effective.items(), key=lambda kv: (-kv[1], kv[0]))
    return ChainAnalysis(
        tuple(MemberInfluence(p, influence.declared[p], e) for p, e in ranked),
        assessment.support,
        coverage_gaps(
            snapshot.opportunity.stage,
            contexts,
            scores,
            influence,
            now_ms,
            config,
            names,
            sealed=bid_in(snapshot.opportunity),
        ),
        red_flags(snapshot, contexts, scores, influence, now_ms, config, names),
        competitor_camps(snapshot, contexts, influence, config),
        bridges(
            snapshot,
            contexts,
            states,
            assessment,
            now_ms,
            config,
            names,
            scorer=scorer,
            totals=totals,
        ),
    )
