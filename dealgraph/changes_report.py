"""``dealgraph changes``: what changed in a deal's decision chain, printed for a strategy
session (the same diff as ``Opportunity.changes`` and ``changesBetweenStages``)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.errors import DomainError
from domain.model import NodeKind
from domain.vocabulary import Stage
from graph.store import GraphStore
from resolvers import history
from resolvers.context import RequestContext

QUESTIONS = {
    "is_real": ("is it real", "是不是机会"),
    "can_compete": ("can we compete", "有没有竞争力"),
    "can_win": ("can we win", "能不能赢"),
    "worth_it": ("is it worth it", "值不值得"),
}


def parse_day(text: str) -> int:
    """A date (YYYY-MM-DD, midnight UTC) or an ISO-8601 instant, as epoch milliseconds."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"not a date or time: {text!r} (use YYYY-MM-DD)") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def find_opportunity(store: GraphStore, key: str) -> str | None:
    """An opportunity by id, or by its exact name when that names one."""
    if store.get_many(NodeKind.OPPORTUNITY, [key]):
        return key
    page = store.list_page(NodeKind.OPPORTUNITY, filters={"name": key}, limit=50)
    exact = [n["id"] for n in page.items if n.get("name") == key]
    return str(exact[0]) if len(exact) == 1 else None


def _when(instant: int) -> str:
    return datetime.fromtimestamp(instant / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def render(found: history.Changes, name: str, locale: str) -> str:
    """The diff as lines of text in ``locale`` (zh-CN or English)."""
    zh = locale.lower().startswith("zh")
    diff = found.diff
    lines = [
        f"{name}：{_when(found.start)} 至 {_when(found.end)} 的变化"
        if zh
        else f"{name}: changes from {_when(found.start)} to {_when(found.end)}"
    ]
    lines += [f"  {c.text_zh if zh else c.text_en}" for c in diff.changes] or [
        "  （无变化）" if zh else "  (no changes)"
    ]
    moves = ("，" if zh else ", ").join(
        f"{QUESTIONS[q.question][1 if zh else 0]} {q.before} → {q.after}" for q in diff.questions
    )
    lines.append(f"四个问题：{moves}" if zh else f"Four questions: {moves}")
    before, after = diff.likelihood_before * 100, diff.likelihood_after * 100
    lines.append(
        f"赢单概率：{before:.1f}% → {after:.1f}%"
        if zh
        else f"Win likelihood: {before:.1f}% → {after:.1f}%"
    )
    if diff.movers:
        lines.append("影响最大的变化：" if zh else "Moved it most:")
        for point in diff.movers:
            texts = "; ".join(c.text_zh if zh else c.text_en for c in point.changes)
            day = datetime.fromtimestamp(point.at / 1000, tz=UTC).date().isoformat()
            lines.append(
                f"  {point.delta * 100:+.1f} {'个百分点' if zh else 'points'}  {day}  {texts}"
            )
    return "\n".join(lines)


def report(
    store: GraphStore,
    opportunity: str,
    *,
    since: int | None,
    until: int | None,
    stages: tuple[Stage, Stage] | None,
    locale: str,
    threshold: int,
) -> str:
    """The printed diff of one opportunity; raises ``LookupError`` for an unknown one."""
    opportunity_id = find_opportunity(store, opportunity)
    if opportunity_id is None:
        raise LookupError(f"no opportunity with the id or name {opportunity!r}")
    ctx = RequestContext(store, locale=locale)
    if stages is not None:
        coroutine = history.changes_between_stages(ctx, opportunity_id, *stages, threshold)
    else:
        coroutine = history.changes(ctx, opportunity_id, since or 0, until, threshold)
    try:
        found = asyncio.run(coroutine)
    except DomainError as error:
        raise ValueError(error.problems[0].text(locale)) from error
    if found is None:
        raise LookupError(f"no opportunity with the id or name {opportunity!r}")
    name = str(store.get(NodeKind.OPPORTUNITY, opportunity_id).get("name"))
    return render(found, name, locale)
