"""Saving a what-if: the changes a sales team tried on a deal, written as what is so, all or
none.

Each change is checked as its ordinary write checks it (who may make it, a quote the process
lets change, a team member still with us) before anything is written, and the whole what-if is
one statement (``graph.what_if``): a refusal, or a colleague's change meanwhile to what it
rests on, leaves nothing half saved, and the what-if stays as tried."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from domain.errors import DomainError, bad_input, conflict, stale
from domain.model import EdgeKind, NodeKind
from domain.money import money
from domain.records import OpportunityRecord
from domain.text import Text
from domain.vocabulary import ActivityType, Outcome, TeamRole, label_of
from graph.chains import LoadedChain
from graph.what_if import SavedWhatIf, Talk, save_what_if
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.process import detect_after_write, quote_change
from resolvers.strategy import require_analysed, what_if_refusals
from resolvers.writes import refuse_if_left, require_with_us, require_writer
from strategy.whatif import (
    Change,
    CompetitorWinsAlly,
    PersonLeaves,
    PriceHeard,
    RaiseCloseness,
    SetAttitude,
    SetQuote,
)


async def save(
    ctx: RequestContext,
    opportunity_id: str,
    changes: Sequence[Change],
    versions: Sequence[int | None],
    version: int | None,
) -> OpportunityRecord:
    """Write ``changes`` (``versions``: the version of each one's place in the chain its client
    read, None for any; ``version``: the deal's, required with a new quote) in one statement,
    then check the deal's violations as every write does."""
    require_writer(ctx)
    base = await require_analysed(ctx, opportunity_id, "id")
    if not changes:
        raise bad_input("input.changes", "give at least one change", "请至少给出一项变化")
    await ctx.run(_taken_off, ctx, base.chain, changes, versions)
    await what_if_refusals(ctx, base, changes, "input.changes")
    saved = await ctx.run(_saved, ctx, base.chain, changes, versions, version)
    written = await ctx.run(save_what_if, ctx.store, saved, ctx.actor)
    if written is None:
        raise await ctx.run(_why_not, ctx, saved)
    await ctx.run(detect_after_write, ctx, opportunity_id)
    return written


def _taken_off(
    ctx: RequestContext,
    chain: LoadedChain,
    changes: Sequence[Change],
    versions: Sequence[int | None],
) -> None:
    """A change to a place its client read (at a version) that someone took off the chain
    meanwhile: the CONFLICT that says so, not "not in this chain"."""
    placed = {m.person_id for m in chain.snapshot.members}
    for index, (change, expected) in enumerate(zip(changes, versions, strict=False)):
        person_id = getattr(change, "person_id", None)
        if expected is None or person_id is None or person_id in placed:
            continue
        moved = ctx.store.chain_place_moved(person_id, str(chain.opportunity["id"]), expected)
        if moved is not None:
            raise _on(moved, f"input.changes.{index}.expectedVersion")


def _saved(
    ctx: RequestContext,
    chain: LoadedChain,
    changes: Sequence[Change],
    versions: Sequence[int | None],
    version: int | None,
) -> SavedWhatIf:
    """What the changes write, each checked as its own write checks it."""
    deal = chain.opportunity
    # the deal's version guards a new quote only: a colleague's note on the deal meanwhile is
    # no reason to refuse an attitude the session settled
    saved = SavedWhatIf(cast(OpportunityRecord, deal))
    placed = {m.person_id for m in chain.snapshot.members}
    for index, change in enumerate(changes):
        path = f"input.changes.{index}"
        expected = versions[index] if index < len(versions) else None
        match change:
            case SetQuote(amount):
                if version is None:
                    raise bad_input(
                        "input.version",
                        "is required to save a new quote: the deal's version you read",
                        "保存新报价时必须给出所读商机的版本",
                    )
                if int(deal["version"]) != version:
                    raise _on(stale(NodeKind.OPPORTUNITY.value, deal, version), "input.version")
                fields, reset = quote_change(ctx, deal, amount, f"{path}.amount")
                saved.version = version
                saved.quote, saved.quote_fields, saved.quote_reset = amount, fields, reset
                _step(saved, "quote", None)
            case SetAttitude(person_id, attitude):
                _places_changed_by(ctx)
                _in_chain(ctx, chain, placed, saved, person_id, f"{path}.personId")
                _place(ctx, chain, saved, person_id, expected, path)
                saved.attitudes[person_id] = attitude.value
                _step(saved, "attitude", person_id)
            case PersonLeaves(person_id):
                _places_changed_by(ctx)
                _in_chain(ctx, chain, placed, saved, person_id, f"{path}.personId")
                _place(ctx, chain, saved, person_id, expected, path)
                saved.attitudes.pop(person_id, None)
                saved.steps = [s for s in saved.steps if s != ("attitude", person_id)]
                saved.leaving.append(person_id)
                _step(saved, "leave", person_id)
            case RaiseCloseness(member_id, person_id, level):
                require_role(
                    ctx.roles, "edge", f"{EdgeKind.KNOWS.value}:{NodeKind.KEY_PERSON.value}"
                )
                require_with_us(ctx, member_id, f"{path}.memberId")
                saved.ties[member_id, person_id] = level.value
                _step(saved, "tie", (member_id, person_id))
            case CompetitorWinsAlly(competitor_id, person_id, level):
                require_role(
                    ctx.roles, "edge", f"{EdgeKind.CLOSE_TO.value}:{NodeKind.KEY_PERSON.value}"
                )
                saved.allies[competitor_id, person_id] = level.value
                _step(saved, "ally", (competitor_id, person_id))
            case PriceHeard(person_id, reaction, member_id):
                require_role(ctx.roles, "create", NodeKind.ACTIVITY.value)
                _in_chain(ctx, chain, placed, saved, person_id, f"{path}.personId")
                _place(ctx, chain, saved, person_id, None, path)
                ours = member_id or _our_member(ctx, chain)
                if ours is not None:
                    _with_us_then(ctx, chain, ours, f"{path}.memberId")
                talk = _talk(ctx, chain, saved, person_id, reaction)
                saved.talks.append(Talk(talk, person_id, ours, saved.quote is not None))
                saved.steps.append(("talk", len(saved.talks) - 1))
            case _:
                raise bad_input(f"{path}.kind", "cannot be saved", "无法保存")
    return saved


def _step(saved: SavedWhatIf, step: str, key: object) -> None:
    """A change made again is written once, where it was made last."""
    saved.steps = [s for s in saved.steps if s != (step, key)]
    saved.steps.append((step, key))


def _place(
    ctx: RequestContext,
    chain: LoadedChain,
    saved: SavedWhatIf,
    person_id: str,
    expected: int | None,
    path: str,
) -> None:
    """A place in the chain the what-if rests on, at the version its client read (the first
    change that names one says it): refused now when it has moved already, and guarded in the
    write against a change meanwhile."""
    known = saved.places.get(person_id)
    if known is not None or (person_id in saved.places and expected is None):
        return
    field = f"{path}.expectedVersion" if expected is not None else f"{path}.personId"
    saved.places[person_id] = expected
    saved.place_fields[person_id] = field
    held = chain.member_versions.get(person_id)
    if expected is not None and held is not None and held != expected:
        moved = ctx.store.chain_place_moved(person_id, str(chain.opportunity["id"]), expected)
        if moved is not None:
            raise _on(moved, field)


def _on(error: DomainError, field: str) -> DomainError:
    """The refusal of a place in the chain, on the input field that named it."""
    return DomainError([replace(p, field=field) for p in error.problems])


def _places_changed_by(ctx: RequestContext) -> None:
    """A change to a place in the chain, by whom may change one (a price heard is a contact
    logged, and asks only for that)."""
    require_role(
        ctx.roles, "edge", f"{EdgeKind.IN_DECISION_CHAIN.value}:{NodeKind.OPPORTUNITY.value}"
    )


def _in_chain(
    ctx: RequestContext,
    chain: LoadedChain,
    placed: set[str],
    saved: SavedWhatIf,
    person_id: str,
    field: str,
) -> None:
    """A change that needs the person in the chain (and not leaving it earlier in the
    what-if)."""
    name = str(chain.persons.get(person_id, {}).get("name", ""))
    if person_id in saved.leaving:
        raise bad_input(
            field,
            f"{name} leaves the chain earlier in this what-if",
            f"{name}在本次假设中已先离开决策链",
        )
    if person_id not in placed:
        raise bad_input(
            field,
            f"{name} is not in this deal's decision chain: add them first",
            f"{name}不在本商机的决策链中：请先将其加入",
        )


def _our_member(ctx: RequestContext, chain: LoadedChain) -> str | None:
    """Who of ours heard a price when the what-if named nobody: the deal's account manager,
    else the one saving it when they are on the deal's team."""
    team = chain.snapshot.team
    manager = next((t.member_id for t in team if t.role == TeamRole.ACCOUNT_MANAGER), None)
    if manager is not None:
        return manager
    mine = ctx.actor.member_id
    return mine if any(t.member_id == mine for t in team) else None


def _with_us_then(ctx: RequestContext, chain: LoadedChain, member_id: str, field: str) -> None:
    """Nobody of ours takes part in a contact after they left us."""
    member = chain.team_members.get(member_id)
    if member is None:
        require_with_us(ctx, member_id, field)
    elif member.get("left_at") is not None:
        refuse_if_left(member, field)


def _talk(
    ctx: RequestContext,
    chain: LoadedChain,
    saved: SavedWhatIf,
    person_id: str,
    reaction: Outcome,
) -> dict[str, object]:
    """The pricing discussion a price heard was, on the quote as it then stands (the new one
    when the what-if set one before it), in the saver's language; its time is the save's
    (``graph.what_if``)."""
    deal = chain.opportunity
    amount = saved.quote if saved.quote is not None else deal.get("quote_amount")
    name = str(chain.persons[person_id]["name"])
    said = Text(label_of(reaction), label_of(reaction, "zh"))
    if amount is None:
        text = Text(
            f"{name} heard our price (no quote on record): {said.en}",
            f"{name}听到我方报价（尚无报价记录）：{said.zh}",
        )
    else:
        price = money(int(amount), str(deal.get("currency") or "CNY"))
        text = Text(
            f"{name} heard our price of {price.en}: {said.en}",
            f"{name}听到我方报价{price.zh}：{said.zh}",
        )
    return {
        "type": ActivityType.PRICING_DISCUSSION.value,
        "summary": text.in_(ctx.locale),
        "outcome": reaction.value,
        "price_reaction": reaction.value,
    }


def _why_not(ctx: RequestContext, saved: SavedWhatIf) -> DomainError:
    """Why the what-if was not written: the deal or a place in its chain changed meanwhile
    (named), else something it names is gone."""
    deal = ctx.store.get(NodeKind.OPPORTUNITY, str(saved.opportunity["id"]), scope=ctx.scope)
    if saved.version is not None and int(deal["version"]) != saved.version:
        return _on(stale(NodeKind.OPPORTUNITY.value, deal, saved.version), "input.version")
    for person_id, expected in saved.places.items():
        moved = ctx.store.chain_place_moved(person_id, str(deal["id"]), expected)
        if moved is not None:
            return _on(moved, saved.place_fields[person_id])
    return conflict(
        "Something this what-if rests on was changed by someone else meanwhile: nothing was "
        "saved; reload and save it again",
        "假设分析所依据的内容刚被他人修改：未保存任何变化；请重新加载后再保存",
    )
