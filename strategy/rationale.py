"""Why a play is suggested, as clauses that re-render in either language.

A suggestion's rationale is kept as its clauses (a kind and the words it needs: names,
labels' codes, scores), never as finished text: an accepted work plan item stores them, so
every reader sees its rationale in their own language whoever accepted it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from domain.chain import Departure
from domain.text import Text
from domain.vocabulary import (
    Attitude,
    DecisionRole,
    DepartureKind,
    DropReason,
    QuoteStatus,
    Stage,
    label_of,
)

Words = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Clause:
    """One part of a rationale: its ``kind`` and the words it is written with."""

    kind: str
    words: Words


def _who(w: Words) -> tuple[str, str]:
    role = DecisionRole(w["role"])
    return f"{w['name']} ({label_of(role)})", f"{w['name']}（{label_of(role, 'zh')}）"


def _lower(value: Any) -> tuple[str, str]:
    return label_of(value).lower(), label_of(value, "zh")


def _quote(w: Words) -> tuple[str, str]:
    en, zh = _lower(QuoteStatus(w["status"]))
    return (
        f"Quote is {en} without the delivery manager's review",
        f"报价状态为{zh}，尚未经交付经理评审",
    )


def _infeasible(w: Words) -> tuple[str, str]:
    en, zh = _lower(QuoteStatus(w["status"]))
    return (
        f"The delivery manager judged the {en} quote not deliverable as it stands",
        f"交付经理评审认为当前报价（{zh}）不可落地",
    )


def _article(noun: str) -> str:
    """An attitude as a noun after "is": "a supporter", "an opponent", "neutral" as it is."""
    if noun in ("neutral",):
        return noun
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _coach(w: Words) -> tuple[str, str]:
    (who_en, who_zh), (att_en, att_zh) = _who(w), _lower(Attitude(w["attitude"]))
    return (
        f"No coach in the chain; {who_en} is {_article(att_en)} and could become one",
        f"决策链中没有教练；{who_zh}态度为{att_zh}，可发展为教练",
    )


def _ally(w: Words) -> tuple[str, str]:
    en, zh = _who(w)
    comps = [str(c) for c in w["competitors"]]
    return f"{en} is close to {', '.join(comps)}", f"{zh}与竞争对手{'、'.join(comps)}关系密切"


def _fair_process(w: Words) -> tuple[str, str]:
    who_en, who_zh = _who(w)
    sup_en, sup_zh = label_of(DecisionRole.SUPERVISOR), label_of(DecisionRole.SUPERVISOR, "zh")
    sups = [str(s) for s in w["supervisors"]]
    comps = [str(c) for c in w["competitors"]]
    return (
        f"{', '.join(sups)} ({sup_en}), who supervises the tender, is close to "
        f"{', '.join(comps)}: we ask {who_en} on the record for a fair, documented process",
        f"监督招标的{'、'.join(sups)}（{sup_zh}）与{'、'.join(comps)}关系密切："
        f"我方正式书面请{who_zh}确保评标公平、全程留痕",
    )


_ABOUT: Final[dict[str, tuple[str, str]]] = {
    "skeptic": ("{who} is skeptical of us", "{who}对我方持怀疑态度"),
    "neutral": ("{who} is neutral towards us", "{who}对我方态度中立"),
    "opponent": ("{who} is against us", "{who}反对我方"),
    "compliance": (
        "{who} supervises the purchase: we deal with them openly and on the record only",
        "{who}监督采购全过程：我方只能公开、全程留痕地与其沟通",
    ),
    "bid_insider": (
        "Our bid is in and the committee sits: {who} tells us how the evaluation runs and what"
        " the rivals do, before it is too late to answer",
        "我方已投标、评标进行中：请{who}告诉我们评标进展和对手动向，以便及时应对",
    ),
    "bid_decider": (
        "Our bid is in: until the award {who} should hear from us, not only from the rivals",
        "我方已投标：定标前要让{who}听到我方的声音，而不只是对手的",
    ),
    "unknown": (
        "Nobody of ours knows {who} yet: closeness {score}/100",
        "我方还没有人认识{who}，关系紧密度为{score}/100",
    ),
    "quiet_insider": (
        "We have not spoken with {who} for {days} days: what they know is going stale",
        "我方已有{days}天未与{who}沟通，其掌握的情况正在过时",
    ),
    "quiet_decider": (
        "We have not spoken with {who} for {days} days: their support may have moved",
        "我方已有{days}天未与{who}沟通，其支持态度可能已有变化",
    ),
    "went_badly": (
        "Our last meeting with {who} went badly: closeness {score}/100",
        "我方与{who}的上次接触不顺利，关系紧密度为{score}/100",
    ),
    "not_close": (
        "We do not know {who} well yet: closeness {score}/100",
        "{who}与我方还不够熟，关系紧密度为{score}/100",
    ),
    "closer": (
        "Our relationship with {who} can go deeper: closeness {score}/100",
        "与{who}的关系还可以更进一步，关系紧密度为{score}/100",
    ),
    "solution_backer": (
        "{who} backs us but has yet to see proof of our solution: solution acceptance {score}/100",
        "{who}支持我们，但还需要看到我方方案的有力证明，方案认可度为{score}/100",
    ),
    "solution": (
        "{who} is not yet convinced by our solution: solution acceptance {score}/100",
        "{who}对我方方案尚未认可，方案认可度为{score}/100",
    ),
    "solution_unseen": (
        "{who} has not seen our solution proven yet: solution acceptance {score}/100",
        "{who}尚未见到我方方案的实际验证，方案认可度为{score}/100",
    ),
    "price": (
        "{who} still has concerns about our price: price acceptance {score}/100",
        "{who}对我方价格仍有顾虑，价格接受度为{score}/100",
    ),
    "price_unweighed": (
        "{who} has not weighed our price against its value yet: price acceptance {score}/100",
        "{who}尚未将我方价格与其价值对比权衡，价格接受度为{score}/100",
    ),
    "price_objection": (
        "{who} pushed back on our price and has had no answer: price acceptance {score}/100",
        "{who}曾对我方价格提出异议，尚未得到回应，价格接受度为{score}/100",
    ),
    "price_requote": (
        "{who} last spoke on our price before our quote changed, and the new quote has not been "
        "put to them yet: price acceptance {score}/100",
        "{who}上次对我方价格表态时报价尚未调整，新报价尚未向其呈现，价格接受度为{score}/100",
    ),
    "price_recut": (
        "{who} pushed back on our price, and our re-cut quote has not been put to them yet: "
        "price acceptance {score}/100",
        "{who}曾对我方价格提出异议，我方调整后的报价尚未向其呈现，价格接受度为{score}/100",
    ),
    "price_push": (
        "{who} pushed on our price, as procurement does, and we have not answered it yet: price "
        "acceptance {score}/100",
        "{who}按采购惯例对我方价格压价，我方尚未回应，价格接受度为{score}/100",
    ),
    "solution_objection": (
        "{who} objected to our solution and has had no answer: solution acceptance {score}/100",
        "{who}曾对我方方案提出异议，尚未得到回应，方案认可度为{score}/100",
    ),
}
"""The clauses about one person (their name and role, and a score where one is the evidence)."""


def _about(kind: str) -> Callable[[Words], tuple[str, str]]:
    """How a clause of ``_ABOUT`` is written."""
    en, zh = _ABOUT[kind]

    def render(w: Words) -> tuple[str, str]:
        who_en, who_zh = _who(w)
        score = int(w["score"]) if "score" in w else None
        days = int(w["days"]) if "days" in w else None
        return (
            en.format(who=who_en, score=score, days=days),
            zh.format(who=who_zh, score=score, days=days),
        )

    return render


_LINK_TEXT: Final = {
    "manages": ("who manages them", "是其上级"),
    "influences": ("who influences them", "对其有影响力"),
    "knows": ("who knows them", "与其熟识"),
    "reports": ("who reports to them", "是其下属"),
}


def _champion(w: Words) -> tuple[str, str]:
    role = DecisionRole(w["role"])
    link_en, link_zh = _LINK_TEXT[w["link"]]
    return (
        f"; {w['name']} ({label_of(role)}), a champion {link_en}, can speak for us",
        f"；支持者{w['name']}（{label_of(role, 'zh')}）{link_zh}，可替我们说话",
    )


def _en(name: object) -> str:
    """A name as English says it: one of ours told apart from a namesake is a ``Text``."""
    return name.en if isinstance(name, Text) else str(name)


def _zh(name: object) -> str:
    """A name as Chinese says it (its own brackets for one of ours told apart)."""
    return (name.zh or name.en) if isinstance(name, Text) else str(name)


def introduction(asker: str | Text, via: Sequence[str], target: str) -> tuple[str, str]:
    """Who of ours should ask whom to be introduced to ``target``, in both languages (``asker``
    told apart from a namesake of ours in each language's words)."""
    en, zh = _en(asker), _zh(asker)
    if not via:
        return (
            f"{en} already knows {target}: {en} should set up the meeting.",
            f"{zh}已认识{target}：由{zh}直接约见。",
        )
    chain_en = ", who introduces us to ".join([*via[1:], target])
    chain_zh = "，再由其引荐给".join([*via[1:], target])
    return (
        f"{en} should ask {via[0]} to introduce us to {chain_en}.",
        f"由{zh}请{via[0]}引荐给{chain_zh}。",
    )


def _path(w: Words) -> tuple[str, str]:
    asker = w["asker"]
    en, zh = introduction(
        asker if isinstance(asker, Text) else str(asker),
        [str(v) for v in w["via"]],
        str(w["target"]),
    )
    return f". {en}", f"。{zh}"


_THIN_TIE: Final = {
    "WEAK": ("{a} knows {b} only weakly", "{a}与{b}交情很浅"),
    "MODERATE": ("{a} knows {b} only moderately", "{a}与{b}交情一般"),
    "REPORTS_TO": ("{a} and {b} share only the reporting line", "{a}与{b}只是上下级关系"),
}
"""Why the weakest tie on an introduction's path thins it."""


def _path_credit(w: Words) -> tuple[str, str]:
    why_en, why_zh = [], []
    if "tie" in w:
        en, zh = _THIN_TIE[str(w["tie"])]
        why_en.append(en.format(a=_en(w["from"]), b=_en(w["to"])))
        why_zh.append(zh.format(a=_zh(w["from"]), b=_zh(w["to"])))
    relays = int(w["relays"])
    if relays:
        why_en.append(f"{relays} more {'person' if relays == 1 else 'people'} in between")
        why_zh.append(f"中间多隔了{relays}人")
    return (
        f" Counted at {w['percent']}% of a warm introduction: {'; '.join(why_en)}.",
        f"按热引荐的{w['percent']}%计：{'；'.join(why_zh)}。",
    )


def _follows(w: Words) -> tuple[str, str]:
    introducer, target = w["introducer"], w["target"]
    return (
        f". After the introduction: {introducer} introduces us to {target} first, then this visit",
        f"。在引荐之后进行：先由{introducer}把我们引荐给{target}，再做此次拜访",
    )


def _after_introduction(w: Words) -> tuple[str, str]:
    introducer, target = w["introducer"], w["target"]
    return (
        f". After the introduction: {introducer} introduces us to {target} first",
        f"。在引荐之后进行：先由{introducer}把我们引荐给{target}",
    )


def _after_planned(w: Words) -> tuple[str, str]:
    en, zh = w["play_en"], w["play_zh"]
    return (
        f". After the {str(en).lower()} with {w['target']} planned for {w['day']}",
        f"。安排在计划于{w['day']}进行的与{w['target']}的{zh}之后",
    )


def _after_review(w: Words) -> tuple[str, str]:
    return (
        f". After the delivery manager's review of our quote (due {w['day']}): no price goes "
        "to the customer unreviewed",
        f"。安排在交付经理评审报价（{w['day']}）之后：未经评审的价格不对客户",
    )


def _after_plays(w: Words) -> tuple[str, str]:
    en = ", ".join(str(title[0]) for title in w["plays"])
    zh = "、".join(str(title[1]) for title in w["plays"])
    return (
        f". Worth what it adds once the plan's earlier steps with {w['target']} are done ({en})",
        f"。其价值按计划中与{w['target']}的前几步（{zh}）完成后的新增部分计算",
    )


def _opens(w: Words) -> tuple[str, str]:
    """After an introduction's own sentences, which end theirs."""
    en, zh = w["play"]
    return (
        f" It comes first: the plan's next step with {w['target']} needs it ({en}).",
        f"此步在前：计划中与{w['target']}的下一步（{zh}）需要先有此引荐。",
    )


def _clarifications(_: Words) -> tuple[str, str]:
    return (
        "Our bid is in: the committee's clarification questions come at a day's notice, and a"
        " slow or loose answer costs points",
        "我方已投标：评标委员会的澄清问题往往要求一天内答复，答得慢或答不准都会失分",
    )


def _quiet_budget_holder(w: Words) -> tuple[str, str]:
    (who_en, who_zh), stage = _who(w), Stage(w["stage"])
    stage_en, stage_zh = label_of(stage).split(" ", 1)[-1], label_of(stage, "zh").split(" ", 1)[-1]
    return (
        f"We have not spoken with {who_en} for {w['days']} days, longer than the {w['limit']}"
        f" days allowed at {stage_en}: their budget and price position is unverified",
        f"我方已有{w['days']}天未与{who_zh}沟通，超过{stage_zh}阶段{w['limit']}天的上限："
        "其预算与价格立场未经确认",
    )


def _renew(w: Words) -> tuple[str, str]:
    """A good meeting within the year, nobody of ours has met them since: the contact is
    renewed by whoever held it, not introduced again."""
    (who_en, who_zh), days = _who(w), int(w["days"])
    by_en, by_zh = (str(w["by"]), str(w["by"])) if w.get("by") else ("We", "我方")
    return (
        f"{by_en} met {who_en} {days} days ago and it went well, and nobody of ours has met them"
        " since: renew that contact, referring to the last meeting",
        f"{by_zh}{days}天前与{who_zh}会面，效果不错，此后我方再无人见过其本人："
        "应重新联系，提起上次的会面",
    )


def _solution_owner(_: Words) -> tuple[str, str]:
    return (
        "Nobody on our team owns the solution: no solution manager is on the deal while it is"
        " presented, proposed and bid",
        "我方团队无人负责方案：商机在演示、方案和投标阶段却没有方案经理",
    )


def _dropped_before(w: Words) -> tuple[str, str]:
    """The play was dropped from the plan before (its latest drop): when and why, so a
    strategy session sees it comes back rather than taking it for new; while it waits for the
    sales director to give it to someone (``director``), that too."""
    on = w["on"]
    if not w.get("reason"):
        return f". Dropped from the plan on {on}", f"。曾于{on}移出计划"
    reason = DropReason(w["reason"])
    en, zh = label_of(reason), label_of(reason, "zh")
    text = (
        f". Dropped from the plan on {on} ({en[:1].lower()}{en[1:]})",
        f"。曾于{on}移出计划（{zh}）",
    )
    if w.get("director"):
        return (
            f"{text[0]}; the sales director finds someone to do it",
            f"{text[1]}；由销售总监安排人选",
        )
    return text


def _successor(w: Words) -> tuple[str, str]:
    """A key person who left and trusted us: asked for their successor (by name, once the
    team named them) while the tie is warm (``strategy.departures``)."""
    said = Departure(w["on"], DepartureKind(w["how"]), w.get("to") or None).how_said()
    whom = w.get("successor")
    return (
        f"{w['name']} left the customer on {w['on']} ({said.en}) and trusted us"
        f" (closeness {w['closeness']} then): ask them to introduce "
        + (f"{whom}, who holds their job now," if whom else "their successor")
        + " while the tie is warm",
        f"{w['name']}已于{w['on']}离任（{said.zh}），离任时与我方关系良好"
        f"（关系紧密度{w['closeness']}）：趁人走茶未凉，请其引荐"
        + (f"现任继任者{whom}" if whom else "继任者"),
    )


_RENDER: Final[dict[str, Callable[[Words], tuple[str, str]]]] = {
    "quote_unreviewed": _quote,
    "quote_infeasible": _infeasible,
    "bid_clarifications": _clarifications,
    "solution_owner": _solution_owner,
    "quiet_budget_holder": _quiet_budget_holder,
    "renew": _renew,
    "coach": _coach,
    "competitor_ally": _ally,
    "fair_process": _fair_process,
    "champion": _champion,
    "warm_path": _path,
    "path_credit": _path_credit,
    "follows": _follows,
    "after_introduction": _after_introduction,
    "after_plays": _after_plays,
    "after_planned": _after_planned,
    "after_review": _after_review,
    "opens": _opens,
    "dropped_before": _dropped_before,
    "successor": _successor,
    **{kind: _about(kind) for kind in _ABOUT},
}
"""Each clause kind and how it is written; a clause after the first brings its own glue."""


def rationale_text(clauses: Sequence[Clause]) -> Text:
    """The rationale in both languages."""
    parts = [_RENDER[c.kind](c.words) for c in clauses]
    return Text(_glued([en for en, _ in parts], "."), _glued([zh for _, zh in parts], "。"))


def _glued(parts: Sequence[str], stop: str) -> str:
    """The clauses one after the other; a clause that opens with its own full stop after one
    that already ended its sentence does not stop it twice."""
    text = ""
    for part in parts:
        text += part[len(stop) :] if text.endswith(stop) and part.startswith(stop) else part
    return text


def to_json(clauses: Sequence[Clause]) -> str:
    """The clauses as stored with an accepted item."""
    return json.dumps([[c.kind, dict(c.words)] for c in clauses], ensure_ascii=False)


def stored_rationale(stored: str | None, clauses_json: str | None) -> Text | None:
    """An item's rationale for every reader: the text its stored clauses give while the
    stored text is still theirs (in either language); a rationale someone typed or edited,
    or one of an item stored without clauses, as it is."""
    if stored is None:
        return None
    text = _from_json(clauses_json) if clauses_json else None
    if text is not None and stored in (text.en, text.zh):
        return text
    return Text(stored, stored)


def _from_json(clauses_json: str) -> Text | None:
    try:
        rows = json.loads(clauses_json)
        return rationale_text([Clause(str(kind), dict(words)) for kind, words in rows])
    except (ValueError, KeyError, TypeError, IndexError):
        return None
