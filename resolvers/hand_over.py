"""A team member who leaves hands their work over to a successor: their open deals and
accounts, their open work plan items; the relationships they had leave with them, and so do
their logins. The deals' process is checked right after (a triangle may lack a role now)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import bad_input, not_found
from domain.model import EdgeKind, NodeKind
from domain.records import TeamMemberRecord
from graph import hand_over as ho
from graph.store import Node
from resolvers import process
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.violations import TEAM_RULES, TIE_RULES
from resolvers.writes import refuse_if_left, require_writer

MEMBER, DEAL, ACCOUNT = NodeKind.TEAM_MEMBER, NodeKind.OPPORTUNITY, NodeKind.CUSTOMER


@dataclass(frozen=True, slots=True)
class HandedOver:
    """What a hand-over did: who left, who took over, and what moved or ended (by name)."""

    member: TeamMemberRecord
    successor: TeamMemberRecord
    opportunities: list[Node]
    """The open deals whose team the successor took the member's place on."""
    customers: list[Node]
    """The accounts whose team the successor took the member's place on."""
    work_plan_items: list[Node]
    activities: list[Node]
    """The contacts the member planned, the successor taking part in their place."""
    ties_ended: list[tuple[Node, str | None]]
    """The key persons the member knew, and how well: known through them no longer."""
    users_disabled: tuple[str, ...]


def _loaded(ctx: RequestContext, kind: NodeKind, ids: Sequence[str]) -> list[Node]:
    found = ctx.store.get_many(kind, list(ids)) if ids else {}
    return [found[i] for i in ids if i in found]


def _checked_plan(ctx: RequestContext, member_id: str, successor_id: str) -> ho.HandOverPlan:
    """The plan, or why there is none: unknown people, the same person, someone who left."""
    plan = ho.hand_over_plan(ctx.store, member_id, successor_id)
    if plan is None:
        found = ctx.store.get_many(MEMBER, [member_id, successor_id])
        raise not_found(MEMBER.value, "id" if member_id not in found else "input.successorId")
    refuse_if_left(plan.member, "id")
    if member_id == ctx.member_id:
        raise bad_input(
            "id",
            "You cannot hand over your own work: another administrator does it",
            "不能交接您本人的工作，请由另一位管理员操作",
        )
    if member_id == successor_id:
        name = plan.member["name"]
        raise bad_input(
            "input.successorId",
            f"Hand {name}'s work over to someone else",
            f"请把{name}的工作交接给其他人",
        )
    refuse_if_left(plan.successor, "input.successorId")
    return plan


@InThread
def hand_over(ctx: RequestContext, member_id: str, successor_id: str, version: int) -> HandedOver:
    """``member_id`` leaves: ``successor_id`` takes their places on open deals and accounts
    (keeping their own role where they already had one), their open work plan items and the
    contacts they planned; the
    key persons they knew are no longer known through them, their logins stop. One statement;
    the moved deals' and the known people's deals' process rules are checked after it."""
    require_writer(ctx)
    require_role(ctx.roles, "hand_over", MEMBER.value)
    plan = _checked_plan(ctx, member_id, successor_id)
    member = ho.hand_over(ctx.store, plan, version=version, actor=ctx.actor)
    people = [p for p, _ in plan.ties]
    deals = [
        *(t.target_id for t in plan.teams if t.kind is DEAL),
        *process.open_deals_tied(ctx, EdgeKind.IN_DECISION_CHAIN, NodeKind.KEY_PERSON, people),
    ]
    process.detect_after_writes(ctx, list(dict.fromkeys(deals)), TEAM_RULES | TIE_RULES)
    persons = {str(p["id"]): p for p in _loaded(ctx, NodeKind.KEY_PERSON, people)}
    return HandedOver(
        member,
        plan.successor,  # the hand-over changes no field of theirs
        _loaded(ctx, NodeKind.OPPORTUNITY, [t.target_id for t in plan.teams if t.kind is DEAL]),
        _loaded(ctx, NodeKind.CUSTOMER, [t.target_id for t in plan.teams if t.kind is ACCOUNT]),
        _loaded(ctx, NodeKind.WORK_PLAN_ITEM, plan.item_ids),
        _loaded(ctx, NodeKind.ACTIVITY, plan.planned_ids),
        [(persons[p], level) for p, level in plan.ties if p in persons],
        plan.users,
    )
