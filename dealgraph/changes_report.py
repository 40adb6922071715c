"""``dealgraph changes``: what changed in a deal's decision chain, printed for a strategy
session (the same diff as ``Opportunity.changes`` and ``changesBetweenStages``)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.errors import DomainError
from domain.model import NodeKind
from domain.text import Text
from domain.vocabulary import Stage
from graph.store import GraphStore
from resolvers import history
from resolvers.context import RequestContext
from strategy.changes import ChainChange

QUESTIONS = {
    "is_real": Text("is it real", "是不是机会"),
    "can_compete": Text("can we compete", "有没有竞争力"),
    "can_win": Text("can we win", "能不能赢"),
    "worth_it": Text("is it worth it", "值不值得"),
}
NO_CHANGES = Text("  (no changes)", "  （无变化）")
MOVED_MOST = Text("Moved it most:", "影响最大的变化：")
POINTS = Text("points", "个百分点")
LIST_SEPARATOR = Text(", ", "，")


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


def _change(change: ChainChange) -> Text:
    """A change as a line; a step of the process (an approval, the review, the quote, a stage
    move) with its time first, so the steps read as the story they are."""
    when = f"{_when(change.at)}  " if change.at is not None else ""
    return Text(f"  {when}{change.text_en}", f"  {when}{change.text_zh}")


def render(found: history.Changes, name: str, locale: str) -> str:
    """The diff as lines of text in ``locale`` (zh-CN or English)."""
    diff = found.diff
    start, end = _when(found.start), _when(found.end)
    lines = [Text(f"{name}: changes from {start} to {end}", f"{name}：{start} 至 {end} 的变化")]
    lines += [_change(c) for c in diff.changes] or [NO_CHANGES]
    moves = LIST_SEPARATOR.in_(locale).join(
        f"{QUESTIONS[q.question].in_(locale)} {q.before} → {q.after}" for q in diff.questions
    )
    lines.append(Text(f"Four questions: {moves}", f"四个问题：{moves}"))
    before, after = diff.likelihood_before * 100, diff.likelihood_after * 100
    lines.append(
        Text(
            f"Win likelihood: {before:.1f}% → {after:.1f}%",
            f"赢单概率：{before:.1f}% → {after:.1f}%",
        )
    )
    if diff.movers:
        lines.append(MOVED_MOST)
        for point in diff.movers:
            texts = "; ".join(Text(c.text_en, c.text_zh).in_(locale) for c in point.changes)
            day = datetime.fromtimestamp(point.at / 1000, tz=UTC).date().isoformat()
            lines.append(
                Text(
                    f"  {point.delta * 100:+.1f} {POINTS.en}  {day}  {texts}",
                    f"  {point.delta * 100:+.1f} {POINTS.zh}  {day}  {texts}",
                )
            )
    return "\n".join(line.in_(locale) for line in lines)


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
