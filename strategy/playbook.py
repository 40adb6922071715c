"""The sales playbook: actions the work plan may suggest, loaded from ``playbook.toml``.

Why a data file: sales leaders add or retune plays (titles, owners, lead times, expected
effects) without touching the model; every play's modelled effect is plain data that the work
plan applies to a copy of the chain to measure its expected gain.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from domain.config_reader import (
    ConfigValueError,
    Table,
    choice,
    flag,
    integer,
    maybe,
    member,
    text,
)
from domain.text import Text
from domain.vocabulary import ActivityType, DecisionRole, Outcome, Stage, TeamRole, TieStrength

DEFAULT_PATH = Path(__file__).with_name("playbook.toml")

ADDRESSES = frozenset(
    {
        "closeness",
        "solution",
        "price",
        "attitude",
        "coach",
        "competitor_ally",
        "delivery_review",
        "delivery_rework",
        "compliance",
        "fair_process",
        "bid_watch",
        "bid_clarifications",
        "successor",
        "solution_owner",
    }
)
TARGETLESS = frozenset(
    {"delivery_review", "delivery_rework", "bid_clarifications", "solution_owner"}
)
REVIEWED_BY: Final = frozenset({"delivery_review", "delivery_rework"})
"""What plays done by the delivery review address: the review owed, and the rework of a quote
it judged not deliverable (done when it is reviewed again)."""
"""What plays aimed at no person address: the deal's own steps."""
REQUIRES = frozenset({"", "no_team_tie", "champion", "access"})
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
    concern_steps: int = 0
    """Attitude steps towards neutral (never past it) for a target who leans against us: a
    solution play that goes well answers a skeptic's concern on the merits."""


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
    stages: frozenset[Stage] = frozenset()
    """The stages it suits (empty: any)."""
    follows: str = ""
    """The introduction play (``requires = "no_team_tie"``) it comes after for a target nobody
    of ours has met whom that play can reach: the meeting the introduction opens."""
    once: bool = False
    """Not suggested once an activity of its type on the deal went well: a POC that passed is
    presented to whoever still doubts us, not run again."""
    duty: bool = False
    """Owed to everyone it suits, whatever its gain, until a contact of its type with them went
    well; listed before the plays ranked by gain: a bid disqualified for a compliance breach
    loses whatever else we did."""
    every_days: int | None = None
    """A duty owed again and again: done while a contact with them is at most this many days
    old, whatever it was and however it went (a coach heard this week while the bids are
    evaluated)."""


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

    def title(self, key: str | None) -> Text | None:
        """The title of the play with this key in both languages (None if there is none)."""
        action = next((a for a in self.actions if a.key == key), None)
        return None if action is None else Text(action.title_en, action.title_zh)

    def activity_type(self, key: str | None) -> ActivityType | None:
        """The kind of contact the play with this key is (None: none, or no such play)."""
        action = next((a for a in self.actions if a.key == key), None)
        return None if action is None else action.effect.activity_type

    @property
    def review_plays(self) -> frozenset[str]:
        """The plays done by recording the delivery review (not by a contact): the review
        completes them, and their result is the review's."""
        return frozenset(
            a.key for a in self.actions if a.addresses in REVIEWED_BY and a.effect.delivery_reviewed
        )

    @property
    def reviewer_plays(self) -> frozenset[str]:
        """The review plays only the deal's delivery manager can do: the review itself (the
        rework of a quote it refused is the account manager's, done by the next review)."""
        return frozenset(
            a.key
            for a in self.actions
            if a.addresses == "delivery_review" and a.effect.delivery_reviewed
        )

    @property
    def owed_plays(self) -> frozenset[str]:
        """The plays the process owes whatever a session decides (TAS: do what must be done):
        the duties and the delivery review. Dropped, they are suggested again at once; to do
        one later, its day moves."""
        return self.review_plays | {a.key for a in self.actions if a.duty}


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"playbook: {where}: {message}")


_EFFECT_KEYS = frozenset(Effect.__dataclass_fields__)
_ACTION_KEYS = frozenset(PlaybookAction.__dataclass_fields__) - {"key"}


def _effect(data: object, where: str) -> Effect:
    read = Table(data, where, _fail, _EFFECT_KEYS)
    steps = read("competitor_tie_steps", integer, 0)
    if steps > 0:
        raise _fail(f"{where}.competitor_tie_steps", "must be <= 0 (plays never help rivals)")
    return Effect(
        read("activity_type", maybe(member(ActivityType)), ""),
        read("outcome", member(Outcome), "POSITIVE"),
        read("solution_reaction", maybe(member(Outcome)), ""),
        read("price_reaction", maybe(member(Outcome)), ""),
        read("knows_level", maybe(member(TieStrength)), ""),
        read("attitude_steps", integer, 0),
        steps,
        read("set_role", maybe(member(DecisionRole)), ""),
        read("delivery_reviewed", flag, False),
        read("concern_steps", integer, 0),
    )


def _roles(value: object) -> frozenset[DecisionRole]:
    if not isinstance(value, list):
        raise ConfigValueError("a list", value)
    return frozenset(member(DecisionRole)(role) for role in value)


def _stages(value: object) -> frozenset[Stage]:
    if not isinstance(value, list):
        raise ConfigValueError("a list", value)
    return frozenset(member(Stage)(stage) for stage in value)


def _cap(value: object) -> int | None:
    return None if value is None else integer(value)


def _action(key: str, data: object) -> PlaybookAction:
    where = f"actions.{key}"
    read = Table(data, where, _fail, _ACTION_KEYS)
    return PlaybookAction(
        key,
        read("title_en", text),
        read("title_zh", text),
        read("description_en", text),
        read("description_zh", text),
        read("owner_role", member(TeamRole)),
        read("lead_days", integer, 7),
        read("addresses", choice(sorted(ADDRESSES))),
        read("roles", _roles, []),
        read("max_score", _cap),
        read("requires", choice(sorted(REQUIRES)), ""),
        _effect(read.data.get("effect", {}), f"{where}.effect"),
        read("owner_rule", choice(sorted(OWNER_RULES)), "role"),
        read("stages", _stages, []),
        read("follows", text, ""),
        read("once", flag, False),
        read("duty", flag, False),
        read("every_days", _cap),
    )


def _check_follows(actions: tuple[PlaybookAction, ...]) -> None:
    """A play follows an introduction: a play of the book that needs a warm path. A play done
    once is known by its activity type."""
    intros = {a.key for a in actions if a.requires == "no_team_tie"}
    for action in actions:
        if action.follows and action.follows not in intros:
            raise _fail(f"actions.{action.key}.follows", "must name an introduction play")
        for rule in ("once", "duty"):
            targeted = rule == "once" or action.addresses not in TARGETLESS
            if getattr(action, rule) and targeted and action.effect.activity_type is None:
                # done once a contact of its type went well (a step aimed at no person is
                # owed until it is taken into the work plan)
                raise _fail(f"actions.{action.key}.{rule}", "needs an effect.activity_type")


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
    plays = tuple(_action(k, v) for k, v in actions.items())
    _check_follows(plays)
    return Playbook(plays)


@functools.cache
def default_playbook() -> Playbook:
    """The packaged playbook, loaded once per process."""
    return load_playbook()


def play_activity_type(action_key: str | None) -> ActivityType | None:
    """The kind of contact a work plan item's play is, so its result is recorded as one
    (an ROI workshop as a workshop) unless the person recording says otherwise."""
    return default_playbook().activity_type(action_key)


def play_title(action_key: str | None, stored: str) -> Text:
    """How a work plan item is titled to a reader, in both languages.

    An item accepted from a suggestion stores its play's title in the language of whoever
    accepted it; while that title is still the play's (in either language), every reader
    sees the play's title in their own language. A title someone typed (or one of a play
    since retitled) is shown as stored."""
    title = default_playbook().title(action_key)
    if title is not None and stored in (title.en, title.zh):
        return title
    return Text(stored, stored)
