"""Store operations behind the strategy engine: accepting a suggestion as a work plan item,
changing it as the plan is revised, recording its result as an activity, and loading the
introduction graph around a person.

Each write is one statement with its audit entry; the warm-path graph is one read.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.chain import PersonTie, TeamKnows
from domain.errors import DomainError, ErrorCode, FieldProblem, not_found, stale
from domain.model import NODE_SPECS, NodeKind
from domain.records import WorkPlanItemRecord
from domain.text import Text, telling
from domain.validation import validate_props
from domain.vocabulary import Attitude, DropReason, TieStrength, WorkPlanStatus, label_of
from graph import statements as st
from graph.executor import Row
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.store import GraphStore


@dataclass(frozen=True, slots=True)
class WarmGraphData:
    """The people of one customer and every tie an introduction could travel along."""

    target_id: str
    person_names: dict[str, str]
    team_names: dict[str, str]
    team_apart: dict[str, str]
    """What tells each of ours from a namesake (``telling``: title, else e-mail)."""
    team_knows: tuple[TeamKnows, ...]
    person_knows: tuple[PersonTie, ...]
    reports_to: tuple[PersonTie, ...]
    influences: tuple[PersonTie, ...]
    competitor_levels: dict[str, tuple[TieStrength, ...]]
    attitudes: dict[str, tuple[Attitude, ...]]


def accept_suggestion(
    store: GraphStore,
    *,
    opportunity_id: str,
    person_id: str | None,
    owner_id: str | None,
    props: Mapping[str, Any],
    actor: Actor = SYSTEM,
) -> WorkPlanItemRecord | None:
    """Create a work plan item for an opportunity, targeting a person, owned by a member; None,
    with nothing written, when the same play for the same person is an open item of the deal
    already (however close together the two accepts came)."""
    clean = validate_props(NODE_SPECS[NodeKind.WORK_PLAN_ITEM].all_fields, props, partial=False)
    now = store.clock()
    item_id = str(uuid.uuid4())
    clean.update(id=item_id, version=1, created_at=now, updated_at=now)
    audit = store.audit_entry(
        actor,
        "create",
        NodeKind.WORK_PLAN_ITEM.value,
        item_id,
        {
            "after": clean,
            "opportunity_id": opportunity_id,
            "person_id": person_id,
            "owner_id": owner_id,
        },
        now,
    )
    rows = store.write(
        st.ACCEPT_SUGGESTION,
        {
            "opportunity_id": opportunity_id,
            "person_id": person_id,
            "owner_id": owner_id,
            "props": clean,
            "audit": audit,
        },
    )
    if rows:
        node: WorkPlanItemRecord = rows[0]["node"]
        return node
    problems = [
        not_found(kind.value, field).problems[0]
        for kind, node_id, field in (
            (NodeKind.OPPORTUNITY, opportunity_id, "opportunityId"),
            (NodeKind.KEY_PERSON, person_id, "targetPersonId"),
            (NodeKind.TEAM_MEMBER, owner_id, "ownerId"),
        )
        if node_id is not None and not store.get_many(kind, [node_id])
    ]
    if problems:
        raise DomainError(problems)
    return None


def record_result(
    store: GraphStore,
    *,
    item_id: str,
    version: int,
    activity: Mapping[str, Any],
    result: str | None,
    actor: Actor = SYSTEM,
    observation: Mapping[str, Any] | None = None,
    about: Mapping[str, Any] | None = None,
    title: Text | None = None,
    member_ids: Sequence[str] = (),
) -> WorkPlanItemRecord:
    """Close an open item with its result, logged as an activity with the target person and
    done by ``member_ids``, who of ours took part (the audit entry names who recorded it).

    ``title``: the item as a refusal names it in each language (a play's title in both),
    else its stored title.

    ``observation``: the target's closeness and attitude now (WorkPlanItem effect_* fields),
    from which the play's effect is measured when its window ends. ``about``: the item's
    ``opportunity_id``, ``person_id`` and ``owner_id``, named by the audit entry so that
    whoever keeps that deal's chain sees the new activity (``resolvers.kept``).
    """
    clean = validate_props(NODE_SPECS[NodeKind.ACTIVITY].fields, activity, partial=False)
    if result is not None:
        validate_props(NODE_SPECS[NodeKind.WORK_PLAN_ITEM].fields, {"result": result}, partial=True)
    now = store.clock()
    clean.update(id=str(uuid.uuid4()), version=1, created_at=now, updated_at=now)
    audit = store.audit_entry(
        actor,
        "record_result",
        NodeKind.WORK_PLAN_ITEM.value,
        item_id,
        {
            "after": {"status": "DONE", "result": result},
            "activity": clean,
            "member_ids": list(member_ids),
            **(about or {}),
        },
        now,
    )
    params = {
        "item_id": item_id,
        "version": version,
        "activity": clean,
        "result": result,
        "member_ids": list(member_ids),
        "now": now,
        "audit": audit,
    }
    rows = store.write(st.RECORD_WORK_PLAN_RESULT, {**params, "observation": observation or {}})
    if rows:
        node: WorkPlanItemRecord = rows[0]["node"]
        return node
    raise _refused(store, item_id, title, "不能再记录结果")


def outsider_to_deal(store: GraphStore, opportunity_id: str, member_id: str) -> Row | None:
    """``member`` and ``deal`` names when ``member_id`` does not work the deal (neither on its
    team or its account's, nor over someone who is); None when they do, or either is unknown
    (the caller's to refuse)."""
    rows = store.read(
        st.MEMBER_WORKS_DEAL, {"opportunity_id": opportunity_id, "member_id": member_id}
    )
    return rows[0] if rows and not rows[0]["works"] else None


def change_item(
    store: GraphStore,
    *,
    item_id: str,
    version: int,
    props: Mapping[str, Any],
    owner_id: str | None = None,
    actor: Actor = SYSTEM,
    about: Mapping[str, Any] | None = None,
    title: Text | None = None,
    why: DropReason | None = None,
    resume_on: str | None = None,
) -> WorkPlanItemRecord:
    """Change an open item as its plan is revised (one statement): ``props`` (its due date, or
    its status when it is dropped, then ``why`` and, for a wrong timing, the day it may come
    back) and, when given, its owner. ``about``: the item's ``opportunity_id`` and
    ``person_id``, named by the audit entry so that whoever keeps that deal's chain sees the
    change; ``title`` as in ``record_result``."""
    clean = validate_props(NODE_SPECS[NodeKind.WORK_PLAN_ITEM].fields, props, partial=True)
    now = store.clock()
    if clean.get("status") == WorkPlanStatus.CANCELLED.value:
        # its play waits before it is suggested again, as long as ``why`` says
        clean.update(dropped_at=now, drop_reason=why and why.value, resume_on=resume_on)
    owner = {"owner_id": owner_id} if owner_id else {}
    audit = store.audit_entry(
        actor,
        "update",
        NodeKind.WORK_PLAN_ITEM.value,
        item_id,
        {"after": clean, **(about or {}), **owner},
        now,
    )
    params = {
        "item_id": item_id,
        "version": version,
        "props": clean,
        "owner_id": owner_id,
        "now": now,
        "audit": audit,
    }
    rows = store.write(st.CHANGE_WORK_PLAN_ITEM, params)
    if rows:
        node: WorkPlanItemRecord = rows[0]["node"]
        return node
    if owner_id and not store.get_many(NodeKind.TEAM_MEMBER, [owner_id]):
        raise not_found(NodeKind.TEAM_MEMBER.value, "input.ownerId")
    raise _refused(store, item_id, title, "不能再修改")


def _refused(store: GraphStore, item_id: str, title: Text | None, cannot_zh: str) -> DomainError:
    """Why a write to an open item at a version wrote nothing: it is closed (done or dropped,
    ``cannot_zh`` says what it can no longer have) or someone changed it meanwhile."""
    current = store.get(NodeKind.WORK_PLAN_ITEM, item_id)
    named = title or Text(str(current.get("title")), str(current.get("title")))
    if current.get("status") != "OPEN":
        status = WorkPlanStatus(str(current.get("status")))
        return DomainError(
            FieldProblem(
                "id",
                f"the work plan item “{named.en}” is already {label_of(status).lower()}",
                ErrorCode.CONFLICT,
                f"工作计划项“{named.zh}”当前为“{label_of(status, 'zh')}”状态，{cannot_zh}",
            )
        )
    return stale(NodeKind.WORK_PLAN_ITEM.value, current, name=named)


def load_warm_graph(
    store: GraphStore, target_id: str, *, scope: Scope = EVERYTHING
) -> WarmGraphData | None:
    """The introduction graph around a visible person (their customer's people), or None."""
    rows = store.read(st.WARM_GRAPH, {"target_id": target_id, **scope.params()})
    if not rows:
        return None
    row = rows[0]

    def flat(key: str) -> list[dict[str, Any]]:
        return list(row[key])

    levels: dict[str, list[TieStrength]] = {}
    for tie in flat("competitor_ties"):
        levels.setdefault(tie["person_id"], []).append(TieStrength(tie["level"]))
    attitudes: dict[str, list[Attitude]] = {}
    for entry in flat("attitudes"):
        if entry.get("attitude"):
            attitudes.setdefault(entry["person_id"], []).append(Attitude(entry["attitude"]))
    team = flat("team_knows")
    return WarmGraphData(
        target_id=row["target_id"],
        person_names={p["id"]: p["name"] for p in row["people"]},
        team_names={k["member_id"]: k["member_name"] for k in team},
        team_apart={k["member_id"]: telling(k) for k in team},
        team_knows=tuple(
            TeamKnows(k["member_id"], k["person_id"], TieStrength(k["level"])) for k in team
        ),
        person_knows=tuple(_tie(t) for t in flat("person_knows")),
        reports_to=tuple(_tie(t) for t in flat("reports_to")),
        influences=tuple(_tie(t) for t in flat("influences")),
        competitor_levels={k: tuple(v) for k, v in levels.items()},
        attitudes={k: tuple(v) for k, v in attitudes.items()},
    )


def _tie(item: Mapping[str, Any]) -> PersonTie:
    strength = item.get("strength")
    return PersonTie(
        item["from_id"], item["to_id"], TieStrength(strength) if strength else TieStrength.MODERATE
    )
