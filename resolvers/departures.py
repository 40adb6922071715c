"""A key person leaves the customer: recorded once, on every deal at once; and the undo of a
mistaken record. The steps of the plans that meet them close with the record ("the key person
left") and open again with its undo; the deals' analyses read them as history from then on
(``strategy.departures``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.chain import SUCCESSOR_PLAY
from domain.errors import DomainError, bad_input, conflict, not_found
from domain.model import NODE_SPECS, EdgeKind, NodeKind
from domain.records import KeyPersonRecord, WorkPlanItemRecord
from domain.validation import check_value
from domain.vocabulary import DepartureKind
from graph import departures as gd
from resolvers import process
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.loaders import request_loader
from resolvers.violations import CONTACT_RULES, TIE_RULES
from resolvers.writes import require_visible, require_writer

PERSON = NodeKind.KEY_PERSON
_WHERE_TO = next(f for f in NODE_SPECS[PERSON].all_fields if f.name == "left_to")


@dataclass(frozen=True, slots=True)
class DepartureRecorded:
    """The person as now stored, and the steps the record closed (or its undo opened)."""

    person: KeyPersonRecord
    work_plan_items: list[WorkPlanItemRecord]


def _checked_day(left_on: str, now_ms: int) -> str:
    """The day they left: a day, not after today (UTC, as the API counts days); any day
    before is accepted, a departure is often recorded late."""
    try:
        day = date.fromisoformat(left_on)
    except ValueError:
        raise bad_input(
            "input.leftOn", "give the day they left as a date", "请填写离任日期"
        ) from None
    today = datetime.fromtimestamp(now_ms / 1000, UTC).date()
    if day > today:
        raise bad_input(
            "input.leftOn",
            f"the day they left cannot be after today ({today.isoformat()})",
            f"离任日期不能晚于今天（{today.isoformat()}）",
        )
    return day.isoformat()


def _checked_to(to: str | None) -> str | None:
    """Where they went, trimmed; blank: not known."""
    kept = (to or "").strip() or None
    if kept is not None:
        _, problem = check_value(_WHERE_TO, kept, "input.to")
        if problem is not None:
            raise DomainError(problem)
    return kept


def _plan(ctx: RequestContext, person_id: str, *, undo: bool) -> gd.DeparturePlan:
    """What the write touches, for a visible person whose data was not erased."""
    require_visible(ctx, [(PERSON, person_id, "id")])
    plan = gd.departure_plan(ctx.store, person_id, undo=undo, asked_play=SUCCESSOR_PLAY)
    if plan is None:
        raise not_found(PERSON.value, "id")
    if plan.person.get("erased_at") is not None:
        raise _erased("id")
    return plan


def _items(ctx: RequestContext, plan: gd.DeparturePlan) -> list[WorkPlanItemRecord]:
    """The steps the write changed that the caller sees (those of other teams' deals changed
    too, unnamed)."""
    ids = [*plan.item_ids, *plan.asked_ids]
    found = ctx.store.get_many(NodeKind.WORK_PLAN_ITEM, ids, scope=ctx.scope)
    return [found[i] for i in ids if i in found]


def _recheck(ctx: RequestContext, person_id: str) -> None:
    """The process of the open deals whose chains hold them, checked again: a decision maker
    met who has left is no decision maker met any more (and one back counts again)."""
    deals = process.open_deals_tied(ctx, EdgeKind.IN_DECISION_CHAIN, PERSON, [person_id])
    process.detect_after_writes(ctx, deals, CONTACT_RULES | TIE_RULES)


@InThread
def record_departure(
    ctx: RequestContext, person_id: str, left_on: str, how: DepartureKind, to: str | None
) -> DepartureRecorded:
    """``person_id`` left the customer on ``left_on``, ``how``, for ``to``: one statement that
    records it and drops the open steps with them on every deal."""
    require_writer(ctx)
    day = _checked_day(left_on, ctx.store.clock())
    where = _checked_to(to)
    plan = _plan(ctx, person_id, undo=False)
    if plan.person.get("left_on"):
        name, on = plan.person["name"], plan.person["left_on"]
        raise conflict(
            f"{name} is already recorded as having left on {on}: undo that record first",
            f"已记录{name}于{on}离任：如有误，请先撤销该记录",
            "id",
        )
    person = gd.record_departure(ctx.store, plan, left_on=day, how=how, to=where, actor=ctx.actor)
    _recheck(ctx, person_id)
    return DepartureRecorded(person, _items(ctx, plan))


@InThread
def undo_departure(ctx: RequestContext, person_id: str) -> DepartureRecorded:
    """Undo a mistaken record of ``person_id``'s departure: one statement that clears it and
    opens again the steps it dropped."""
    require_writer(ctx)
    plan = _plan(ctx, person_id, undo=True)
    if not plan.person.get("left_on"):
        name = plan.person["name"]
        raise conflict(
            f"{name} is not recorded as having left the customer",
            f"未记录{name}离任，无需撤销",
            "id",
        )
    person = gd.undo_departure(ctx.store, plan, actor=ctx.actor)
    _recheck(ctx, person_id)
    return DepartureRecorded(person, _items(ctx, plan))


def _erased(field: str) -> DomainError:
    return bad_input(field, "this person's data was erased", "此人的个人信息已被删除")


def _successor_problem(
    ctx: RequestContext, person: KeyPersonRecord, successor: KeyPersonRecord
) -> DomainError | None:
    """Why ``successor`` cannot hold the job ``person`` left, None when they can: one of the
    same customer's people, still there, not the person themselves."""
    successor_id, name = str(successor["id"]), successor["name"]
    if successor_id == person["id"]:
        return bad_input(
            "successorId", f"{name} cannot succeed themselves", f"{name}不能接任自己的岗位"
        )
    if successor.get("erased_at") is not None:
        return _erased("successorId")
    if successor.get("left_on"):
        day = successor["left_on"]
        return bad_input(
            "successorId",
            f"{name} left the customer on {day}: pick who holds the job now",
            f"{name}已于{day}离任：请选择现在接手该岗位的人",
        )
    works = ctx.store.neighbours(
        EdgeKind.WORKS_AT,
        PERSON,
        NodeKind.CUSTOMER,
        [str(person["id"]), successor_id],
        scope=ctx.scope,
    )
    left_from = works[str(person["id"])]
    if not left_from:  # a person is made at a customer: only an import can leave one nowhere
        left = person["name"]
        return bad_input(
            "id",
            f"{left} has no customer on record: a successor holds a job at the same customer",
            f"{left}没有任职客户的记录：继任者应在同一客户任职",
        )
    theirs = {str(w.node["id"]) for w in works[successor_id]}
    if not theirs & {str(w.node["id"]) for w in left_from}:
        customer = left_from[0].node.get("name", "")
        return bad_input(
            "successorId",
            f"{name} does not work at {customer}: the successor holds the job at the same customer",
            f"{name}不在{customer}任职：继任者应在同一客户任职",
        )
    return None


@InThread
def set_successor(ctx: RequestContext, person_id: str, successor_id: str | None) -> KeyPersonRecord:
    """Name who of the customer holds the job ``person_id`` left (None: not known): once they
    are on a deal's chain, the seat there counts as theirs, not as someone nobody of ours
    knows."""
    require_writer(ctx)
    # the person's own field first: naming themselves is refused below, at successorId
    wanted = ({} if successor_id is None else {successor_id: "successorId"}) | {person_id: "id"}
    found = ctx.store.get_many(PERSON, list(wanted), scope=ctx.scope)  # both in one read
    missed = [not_found(PERSON.value, f).problems[0] for i, f in wanted.items() if i not in found]
    if missed:
        raise DomainError(missed)
    person: KeyPersonRecord = found[person_id]
    if person.get("erased_at") is not None:
        raise _erased("id")
    if not person.get("left_on"):
        name = person["name"]
        raise bad_input(
            "id",
            f"{name} is not recorded as having left the customer: record that first",
            f"未记录{name}离任：请先记录离任",
        )
    if person.get("left_successor_id") == successor_id:
        return person  # named already: nothing to write, nothing to audit
    problem = None if successor_id is None else _successor_problem(ctx, person, found[successor_id])
    if problem is not None:
        raise problem
    return gd.set_successor(ctx.store, person, successor_id, actor=ctx.actor)


async def successor_asks(ctx: RequestContext, person_id: str, since: int) -> list[gd.SuccessorAsk]:
    """The steps asking ``person_id`` (one who left) to introduce their successor, planned on
    any deal they sat on since their leaving was recorded (``since``, epoch ms: one of an undone
    record is no ask of this one), whoever may see them: one ask for all of them (the page says
    who asks on which deal, naming a deal only to one who may see it)."""

    async def load(ids: list[str]) -> list[list[gd.SuccessorAsk]]:
        found = await ctx.run(gd.successor_asks, ctx.store, ids, SUCCESSOR_PLAY)
        return [found.get(i, []) for i in ids]

    asks = await request_loader(ctx, ("successor_asks",), load).load(person_id)
    return [a for a in asks if int(a.item.get("created_at") or 0) >= since]
