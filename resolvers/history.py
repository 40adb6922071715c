"""History glue: decision chains, assessments and org charts as of an instant, the changes
between two instants or two stage gates, and the win-likelihood trend.

A chain's audit history is loaded once per request and opportunity (``graph.history``) and
replayed for every instant asked; the strategy engine analyses each replayed chain at that
instant. Visibility is today's: the opportunity or customer must be visible to the caller now,
and people erased for personal-data requests are absent from every instant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from domain.errors import bad_input, not_found
from domain.model import NodeKind
from domain.text import Text, telling, told_apart
from domain.vocabulary import Stage, label_of
from graph import process_store as ps
from graph.chains import LoadedChain, OrgChart
from graph.history import ChainHistory, load_chain_history, load_org_chart_as_of
from graph.replay import Entry
from resolvers import calibration, rules
from resolvers import process_records as pr
from resolvers.context import RequestContext
from resolvers.pagination import require_between
from resolvers.strategy import Analysed
from strategy.changes import (
    ApprovalStep,
    ChainChange,
    ChainDiff,
    MoveStep,
    ProcessStep,
    QuoteStep,
    ResetStep,
    ReviewStep,
    Side,
    TrendPoint,
    chain_changes,
    movers,
    process_changes,
    question_moves,
    steps_between,
    told_by,
    with_process,
)
from strategy.config import StrategyConfig
from strategy.engine import analyse
from strategy.tas.problem_texts import process_name
from strategy.trend import TrendModel

MAX_THRESHOLD = 100


async def chain_history(
    ctx: RequestContext, opportunity_id: str, *, with_connectors: bool = False
) -> ChainHistory | None:
    """The audit history of a visible opportunity's chain, loaded at most once per request."""
    return await ctx.once(
        ("history", opportunity_id, with_connectors),
        lambda: ctx.run(
            load_chain_history,
            ctx.store,
            opportunity_id,
            scope=ctx.scope,
            with_connectors=with_connectors,
        ),
    )


async def chain_as_of(
    ctx: RequestContext, opportunity_id: str, instant: int, *, with_connectors: bool = False
) -> LoadedChain | None:
    """The decision chain as it stood at ``instant`` (None: invisible today or not yet there)."""
    history = await chain_history(ctx, opportunity_id, with_connectors=with_connectors)
    if history is None:
        return None
    return await ctx.run(history.chain_at, instant, scope=ctx.scope)


async def analysed_as_of(ctx: RequestContext, opportunity_id: str, instant: int) -> Analysed | None:
    """The chain at ``instant`` analysed at that instant, once per request and instant."""

    async def run() -> Analysed | None:
        chain = await chain_as_of(ctx, opportunity_id, instant)
        if chain is None:
            return None
        model = await calibration.active_model(ctx)
        config = model.config(rules.active().strategy)
        result = await ctx.run(analyse, chain.snapshot, instant, config, include_plan=False)
        return Analysed(chain, result)

    return await ctx.once(("analysis_as_of", opportunity_id, instant), run)


async def org_chart_as_of(ctx: RequestContext, customer_id: str, instant: int) -> OrgChart:
    """A visible customer's org chart as it stood at ``instant``; NOT_FOUND otherwise."""
    chart = await ctx.run(load_org_chart_as_of, ctx.store, customer_id, instant, scope=ctx.scope)
    if chart is None:
        raise not_found("Customer")
    return chart


async def _config(ctx: RequestContext) -> StrategyConfig:
    """The strategy configuration with the win model in force, as present-day answers use it
    (an as-of answer is the chain then, judged by today's model)."""
    model = await calibration.active_model(ctx)
    return model.config(rules.active().strategy)


def _names(chain: LoadedChain) -> dict[str, str]:
    names = {p.id: p.name for p in chain.snapshot.successors}
    names.update((pid, str(p.get("name") or "")) for pid, p in chain.persons.items())
    names.update((mid, str(m.get("name") or "")) for mid, m in chain.team_members.items())
    names.update((cid, str(c.get("name") or "")) for cid, c in chain.competitors.items())
    return names


def _apart(chain: LoadedChain) -> dict[str, str]:
    """What tells each person of the chain from a namesake (a key person's title is their
    job's at the customer)."""
    titles = {p.id: p.title for p in chain.snapshot.persons}
    people = {**chain.persons, **chain.team_members}
    return {pid: telling(p, titles.get(pid)) for pid, p in people.items()}


_NAMED: Final = frozenset({NodeKind.KEY_PERSON.value, NodeKind.TEAM_MEMBER.value})


def _people(history: ChainHistory, instant: int) -> tuple[dict[str, str], dict[str, str]]:
    """The names of the key persons and team members the history holds as of ``instant``, and
    what tells each from a namesake: an activity with the deal may be with people outside its
    chain (the president's office director, an engineer), and its change names them too; a
    step of the process names who took it."""
    for _, state in history.states([instant]):
        named = {i: n for i, n in state.nodes.items() if state.labels.get(i) in _NAMED}
        names = {i: str(n.get("name") or "") for i, n in named.items()}
        return names, {i: telling(n) for i, n in named.items()}
    return {}, {}


def _side(found: Analysed, trend: Trend, at: int) -> Side:
    return Side(
        found.chain.snapshot,
        {**trend.people, **_names(found.chain)},
        {s.person_id: s.closeness.value for s in found.result.scores},
        found.result.analysis.red_flags,
        at,
        {**trend.apart, **_apart(found.chain)},
    )


@dataclass(frozen=True, slots=True)
class Trend:
    """Win-likelihood points with the replayed chains they came from (for people's nodes),
    and the names of the key persons of the history at its end (for the texts of changes)."""

    points: tuple[TrendPoint, ...]
    chains: dict[int, LoadedChain]
    people: dict[str, str]
    apart: dict[str, str]
    """What tells each of ``people`` from a namesake (``telling``)."""


UNMOVED: Final = 5e-4
"""A likelihood step smaller than this reads as 0.0 % on a page (it rounds to a tenth of a
point): with no change to name, it is no step."""


def _trend(
    history: ChainHistory,
    config: StrategyConfig,
    until: int,
    since: int | None = None,
    recorded: ps.ProcessSteps | None = None,
) -> Trend:
    """The win likelihood right after every change of the chain and every stage move up to
    ``until`` (after ``since``, whose chain is then the first point). The entries are replayed
    forward once; the chain is rebuilt only at instants whose entries touched it, and the model
    computes only the likelihood, reusing what did not change since the previous point.
    Instants whose chain is unchanged (a change elsewhere), or changed in nothing a diff names
    nor the likelihood shows (a step accepted into the plan), are left out; stage moves never.
    A point made by a step of the process (``recorded``: a quote reset, a stage move) says it
    as the step, who took it, rather than as the deal's fields that changed."""
    moves = {e.at for e in history.entries if e.operation == "advance_stage"}
    instants = sorted({e.at for e in history.entries if e.at <= until})
    if since is not None:
        instants = [since] + [i for i in instants if since < i]
    model = TrendModel(config)
    people, apart = _people(history, until)
    said = told_apart(people, apart)
    steps = _by_instant(process_steps(recorded, people, said) if recorded else [])
    points: list[TrendPoint] = []
    chains: dict[int, LoadedChain] = {}
    previous: Side | None = None
    last = 0.0
    for instant, chain, rebuilt in history.chains(instants):
        if chain is None:
            continue
        if (
            previous is not None
            and instant not in moves
            and (not rebuilt or chain.snapshot == previous.snapshot)
        ):
            continue
        run = model.run(chain.snapshot, instant)
        names, told = {**people, **_names(chain)}, {**apart, **_apart(chain)}
        side = Side(chain.snapshot, names, run.closeness, at=instant, apart=told)
        changes = _told(previous, side, steps.get(instant, ())) if previous is not None else ()
        value = run.likelihood
        quiet = previous is not None and not changes and abs(value - last) < UNMOVED
        if quiet and instant not in moves:  # a step accepted into the plan: nothing to show
            previous = side
            continue
        points.append(
            TrendPoint(
                at=instant,
                likelihood=value,
                stage=chain.snapshot.opportunity.stage.value,
                stage_transition=instant in moves,
                changes=changes,
                delta=value - last if previous is not None else 0.0,
            )
        )
        chains[instant] = chain
        previous, last = side, value
    return Trend(tuple(points), chains, people, apart)


def _by_instant(steps: Sequence[ProcessStep]) -> dict[int, list[ProcessStep]]:
    """The steps of the process by the instant they were taken at (in time order)."""
    found: dict[int, list[ProcessStep]] = {}
    for step in sorted(steps, key=lambda s: s.at):  # stable: ties as recorded
        found.setdefault(step.at, []).append(step)
    return found


def _told(previous: Side, side: Side, steps: Sequence[ProcessStep]) -> tuple[ChainChange, ...]:
    """What changed from one trend point to the next, the steps taken at the later one said
    as steps ("Li Ming changed the quote amount from … to …") and what they tell left out of
    the deal's changed fields, as a diff says it."""
    if not steps:
        return tuple(chain_changes(previous, side))
    told = told_by(steps, previous.snapshot.opportunity, side.snapshot.opportunity)
    at = steps[0].at
    return tuple(
        with_process(chain_changes(previous, side, told=told), process_changes(steps, at - 1, at))
    )


CLOCK_SKEW_MS = 5 * 60_000
"""How far ahead of the server's clock an ``asOf`` may be and still mean now: a browser's
clock a few minutes fast sending its "now"."""


def require_past(ctx: RequestContext, instant: int) -> None:
    """An ``asOf`` is a moment on record: one still to come would be today's chain judged as if
    nobody had met anyone since (months of silence the deal never had)."""
    if instant > ctx.store.clock() + CLOCK_SKEW_MS:
        raise bad_input("asOf", "must not be in the future", "不能晚于当前时间")


def _require_order(ctx: RequestContext, start: int | None, end: int | None) -> None:
    """A period runs forwards: ``to`` not before ``from``, and with ``to`` left out (now) a
    ``from`` still to come is the mistake, so it is ``from`` that is refused."""
    if start is None:
        return
    if end is None and start > ctx.store.clock():
        raise bad_input("from", "must not be in the future", "不能晚于当前时间")
    if end is not None and end < start:
        raise bad_input("to", "must not be before from", "不能早于起始时间")


async def likelihood_history(
    ctx: RequestContext, opportunity_id: str, start: int | None = None, end: int | None = None
) -> Trend:
    """The trend of a visible opportunity from ``start`` (its beginning) to ``end`` (now);
    empty when it is not visible."""
    _require_order(ctx, start, end)
    end = ctx.store.clock() if end is None else end
    history, recorded = await asyncio.gather(
        chain_history(ctx, opportunity_id), ctx.run(ps.process_steps, ctx.store, opportunity_id)
    )
    if history is None:
        return Trend((), {}, {}, {})
    return await ctx.run(_trend, history, await _config(ctx), end, start, recorded)


def process_steps(
    recorded: ps.ProcessSteps, team: Mapping[str, str], said: Mapping[str, Text]
) -> list[ProcessStep]:
    """A deal's process on record as the steps people took, each with the taker's name: a
    namesake's told apart (``said``, by team member), else the store's (the team member who
    took it then, as the step or its audit entry keeps them), else the deal's team's, else the
    login's (an administrator linked to nobody)."""
    definition = rules.active().process
    steps: list[ProcessStep] = []
    for stored, requester, decider in recorded.approvals:
        record = pr.approval_record(stored)
        name = process_name(definition, record.process_code)
        for t in record.history:
            by_requester = t.actor_id == record.requester_id
            who = said.get(t.actor_id) or (requester if by_requester else decider)
            asked = said.get(record.requester_id) or requester
            steps.append(
                ApprovalStep(
                    t.at,
                    name,
                    who or team.get(t.actor_id, ""),
                    t.to_state,
                    asked or team.get(record.requester_id, ""),
                    t.comment,
                )
            )
    for kept, reviewer in recorded.reviews:
        review = pr.delivery_review(kept)
        steps.append(
            ReviewStep(
                review.reviewed_at,
                said.get(review.reviewer_id) or reviewer or team.get(review.reviewer_id, ""),
                review.feasible,
                review.workload_person_days,
                review.reviewed_quote_amount,
                recorded.currency,
                review.comment,
            )
        )
    for transition, mover in recorded.moves:
        move = pr.stage_move(transition)
        member = move.member_id or ""
        who = said.get(member) or mover or team.get(member, "") or move.actor_name or ""
        steps.append(MoveStep(move.at, who, move.from_stage, move.to_stage, move.reason or ""))
    steps += [
        QuoteStep(q.at, said.get(q.member_id) or q.submitter, q.amount, recorded.currency)
        for q in recorded.quotes
    ]
    steps += [
        ResetStep(
            r.at,
            said.get(r.member_id) or r.who,
            r.before,
            r.after,
            recorded.currency,
            r.submitted,
            r.reviewed,
        )
        for r in recorded.resets
    ]
    return steps


@dataclass(frozen=True, slots=True)
class Changes:
    """A diff with the chains at both ends (their nodes name the people of each change)."""

    start: int
    end: int
    diff: ChainDiff
    before: LoadedChain
    after: LoadedChain
    trend: Trend

    def person_node(self, change: ChainChange) -> dict[str, object] | None:
        """The person a change concerns, as they stood at either end or at the change."""
        pid = change.person_id or ""
        for chain in (self.after, self.before, *self.trend.chains.values()):
            if pid in chain.persons:
                return chain.persons[pid]
        return None


async def changes(
    ctx: RequestContext, opportunity_id: str, start: int, end: int | None, threshold: int
) -> Changes | None:
    """What changed in a visible opportunity's chain from ``start`` to ``end`` (now)."""
    require_between("closenessThreshold", threshold, 0, MAX_THRESHOLD)
    _require_order(ctx, start, end)
    end = ctx.store.clock() if end is None else end
    history = await chain_history(ctx, opportunity_id)
    if history is None:
        return None
    before, after, recorded = await asyncio.gather(
        analysed_as_of(ctx, opportunity_id, start),
        analysed_as_of(ctx, opportunity_id, end),
        ctx.run(ps.process_steps, ctx.store, opportunity_id),
    )
    if after is None:
        return None
    if before is None:
        # The opportunity did not exist yet: everything is new, from its first instant.
        first = next((e.at for e in history.entries if e.target == opportunity_id), None)
        if first is None:
            return None
        before = await analysed_as_of(ctx, opportunity_id, first)
        start = first
    if before is None:
        return None
    trend = await ctx.run(_trend, history, await _config(ctx), end, start, recorded)
    window = [p for p in trend.points if start < p.at <= end]
    # people named as of ``end`` (read once by the trend), namesakes told apart as at the end
    sides = (_side(before, trend, start), _side(after, trend, end))
    said = told_apart(sides[1].names, sides[1].apart)
    steps = steps_between(
        process_steps(recorded, _names(after.chain), said) if recorded else [], start, end
    )
    # what the steps tell (who submitted the quote, who moved the deal) the diff does not repeat
    told = told_by(steps, before.chain.snapshot.opportunity, after.chain.snapshot.opportunity)
    diff = ChainDiff(
        changes=tuple(
            with_process(
                chain_changes(*sides, threshold, told=told), process_changes(steps, start, end)
            )
        ),
        questions=question_moves(before.result.assessment, after.result.assessment),
        likelihood_before=before.result.win_likelihood,
        likelihood_after=after.result.win_likelihood,
        movers=movers(window),
    )
    return Changes(start, end, diff, before.chain, after.chain, trend)


@dataclass(frozen=True, slots=True)
class Created:
    """The stage an opportunity was created at and since when it stood there (a deal entered
    or imported at a later stage says when it entered it; else its creation)."""

    stage: Stage
    entered_at: int

    @classmethod
    def of(cls, entry: Entry | None) -> Created:
        """From the opportunity's first audit entry (its creation)."""
        if entry is None:
            return cls(Stage.VALIDATE, 0)
        after = entry.changes.get("after")
        fields = after if isinstance(after, Mapping) else {}
        stage = Stage(str(fields.get("stage") or Stage.VALIDATE.value))
        entered = fields.get("stage_entered_at")
        return cls(stage, int(str(entered)) if entered is not None else entry.at)


def _entered(
    transitions: Sequence[Mapping[str, object]], stage: Stage, created: Created
) -> int | None:
    """When the opportunity last entered ``stage``: its last move there, else, for the stage it
    was created at, when it entered it (the demo deal, an imported one)."""
    times = [int(str(t["at"])) for t in transitions if t.get("to_stage") == stage.value]
    if times:
        return max(times)
    if stage is created.stage:
        return created.entered_at
    return None


async def changes_between_stages(
    ctx: RequestContext, opportunity_id: str, start: Stage, end: Stage, threshold: int
) -> Changes | None:
    """What changed between entering stage ``start`` and entering stage ``end``."""
    history = await chain_history(ctx, opportunity_id)
    if history is None:
        return None
    transitions = (await ctx.run(ps.stage_history, ctx.store, [opportunity_id]))[opportunity_id]
    created = Created.of(next((e for e in history.entries if e.target == opportunity_id), None))
    instants = []
    for field, stage in (("from", start), ("to", end)):
        instant = _entered(transitions, stage, created)
        if instant is None:
            raise bad_input(
                field,
                f"the opportunity has not entered the stage {label_of(stage, 'en')}",
                f"该商机尚未进入{label_of(stage, 'zh')}阶段",
            )
        instants.append(instant)
    if instants[1] < instants[0]:
        raise bad_input(
            "to",
            f"the opportunity entered {label_of(end, 'en')} before {label_of(start, 'en')}",
            f"该商机进入{label_of(end, 'zh')}阶段早于{label_of(start, 'zh')}阶段",
        )
    return await changes(ctx, opportunity_id, instants[0], instants[1], threshold)


@dataclass(frozen=True, slots=True)
class PointPeople:
    """A trend point with the node of the person each of its changes concerns, as they
    stood then (None: the change concerns no person, or one seen in no chain)."""

    point: TrendPoint
    people: tuple[dict[str, object] | None, ...]


def mover_points(found: Changes) -> list[PointPeople]:
    """The diff's movers, each change with its person from either end or from the trend."""
    return [
        PointPeople(p, tuple(found.person_node(c) for c in p.changes)) for p in found.diff.movers
    ]


async def likelihood_points(
    ctx: RequestContext, opportunity_id: str, start: int | None, end: int | None
) -> list[PointPeople]:
    """``likelihood_history``'s points, each change with its person as of that point (the
    people seen in the replayed chains up to it)."""
    trend = await likelihood_history(ctx, opportunity_id, start, end)
    seen: dict[str, dict[str, object]] = {}
    points = []
    for point in trend.points:
        seen.update(trend.chains[point.at].persons)
        people = tuple(seen.get(c.person_id or "") for c in point.changes)
        points.append(PointPeople(point, people))
    return points
