"""The sales playbook: actions the work plan may suggest, loaded from ``playbook.toml``.

Why a data file: sales leaders add or retune plays (titles, owners, lead times, expected
effects) without touching the model; every play's modelled effect is plain data that the work
plan applies to a copy of the chain to measure its expected gain.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from domain.vocabulary import ActivityType, DecisionRole, Outcome, TeamRole, TieStrength

DEFAULT_PATH = Path(__file__).with_name("playbook.toml")

ADDRESSES = frozenset(
    {"closeness", "solution", "price", "coach", "competitor_ally", "delivery_review"}
)
REQUIRES = frozenset({"", "no_team_tie"})
# Who owns a play: the owner role ("role"), whoever on our team knows the target best
# ("relationship"), or our most senior team member ("seniority", for executive actions).
OWNER_RULES = frozenset({"role", "relationship", "seniority"})


@dataclass(frozen=True, slots=True)
class Effect:
    """The modelled result of a play that goes well."""

    activity_type: ActivityType | None = None
    outcome: Outcome = Outcome.POSITIVE
    solution_reaction: Outcome | None = None
    price_reaction: Outcome | None = None
    knows_level: TieStrength | None = None
    attitude_steps: int = 0
    competitor_tie_steps: int = 0
    set_role: DecisionRole | None = None
    delivery_reviewed: bool = False


@dataclass(frozen=True, slots=True)
class PlaybookAction:
    """One play: what, who, when, for whom and with which expected effect."""

    key: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    owner_role: TeamRole
    lead_days: int
    addresses: str
    roles: frozenset[DecisionRole]
    max_score: int | None
    requires: str
    effect: Effect
    owner_rule: str = "role"


@dataclass(frozen=True, slots=True)
class Playbook:
    """All plays, in file order."""

    actions: tuple[PlaybookAction, ...]

    def get(self, key: str) -> PlaybookAction:
        """The play with this key (KeyError if absent)."""
        for action in self.actions:
            if action.key == key:
                return action
        raise KeyError(key)


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"playbook: {where}: {message}")


def _str(table: dict[str, object], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise _fail(f"{where}.{key}", "expected a string")
    return value


def _enum[E: StrEnum](enum: type[E], value: object, where: str) -> E:
    try:
        return enum(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise _fail(where, f"expected one of {allowed}, got {value!r}") from None


def _optional_enum[E: StrEnum](
    enum: type[E], table: dict[str, object], key: str, where: str
) -> E | None:
    value = table.get(key, "")
    return None if value == "" else _enum(enum, value, f"{where}.{key}")


def _int(table: dict[str, object], key: str, where: str, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{where}.{key}", "expected an integer")
    return value


_EFFECT_KEYS = frozenset(Effect.__dataclass_fields__)
_ACTION_KEYS = frozenset(PlaybookAction.__dataclass_fields__) - {"key"}


def _effect(table: object, where: str) -> Effect:
    if not isinstance(table, dict):
        raise _fail(where, "expected a table")
    for key in table:
        if key not in _EFFECT_KEYS:
            raise _fail(f"{where}.{key}", "unknown key")
    reviewed = table.get("delivery_reviewed", False)
    if not isinstance(reviewed, bool):
        raise _fail(f"{where}.delivery_reviewed", "expected true/false")
    steps = _int(table, "competitor_tie_steps", where, 0)
    if steps > 0:
        raise _fail(f"{where}.competitor_tie_steps", "must be <= 0 (plays never help rivals)")
    return Effect(
        _optional_enum(ActivityType, table, "activity_type", where),
        _enum(Outcome, table.get("outcome", "POSITIVE"), f"{where}.outcome"),
        _optional_enum(Outcome, table, "solution_reaction", where),
        _optional_enum(Outcome, table, "price_reaction", where),
        _optional_enum(TieStrength, table, "knows_level", where),
        _int(table, "attitude_steps", where, 0),
        steps,
        _optional_enum(DecisionRole, table, "set_role", where),
        reviewed,
    )


def _action(key: str, table: object) -> PlaybookAction:
    where = f"actions.{key}"
    if not isinstance(table, dict):
        raise _fail(where, "expected a table")
    for k in table:
        if k not in _ACTION_KEYS:
            raise _fail(f"{where}.{k}", "unknown key")
    addresses = _str(table, "addresses", where)
    if addresses not in ADDRESSES:
        raise _fail(f"{where}.addresses", f"expected one of {', '.join(sorted(ADDRESSES))}")
    requires = _str(table, "requires", where, "")
    if requires not in REQUIRES:
        raise _fail(f"{where}.requires", f"expected one of {sorted(REQUIRES)}")
    roles = table.get("roles", [])
    if not isinstance(roles, list):
        raise _fail(f"{where}.roles", "expected a list")
    owner_rule = _str(table, "owner_rule", where, "role")
    if owner_rule not in OWNER_RULES:
        raise _fail(f"{where}.owner_rule", f"expected one of {', '.join(sorted(OWNER_RULES))}")
    max_score = table.get("max_score")
    if max_score is not None and (isinstance(max_score, bool) or not isinstance(max_score, int)):
        raise _fail(f"{where}.max_score", "expected an integer")
    return PlaybookAction(
        key,
        _str(table, "title_en", where),
        _str(table, "title_zh", where),
        _str(table, "description_en", where),
        _str(table, "description_zh", where),
        _enum(TeamRole, table.get("owner_role"), f"{where}.owner_role"),
        _int(table, "lead_days", where, 7),
        addresses,
        frozenset(_enum(DecisionRole, r, f"{where}.roles") for r in roles),
        max_score,
        requires,
        _effect(table.get("effect", {}), f"{where}.effect"),
        owner_rule,
    )


def load_playbook(path: Path | None = None) -> Playbook:
    """Load and validate a playbook TOML file; ``None`` loads the packaged one."""
    source = path or DEFAULT_PATH
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"playbook: {source}: not valid TOML: {error}") from error
    actions = data.get("actions")
    if not isinstance(actions, dict) or not actions:
        raise _fail("actions", "expected a non-empty table of actions")
    return Playbook(tuple(_action(k, v) for k, v in actions.items()))


@functools.cache
def default_playbook() -> Playbook:
    """The packaged playbook, loaded once per process."""
    return load_playbook()
