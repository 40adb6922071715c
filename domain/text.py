"""A text written in English and in Chinese, and the one rule that picks which to show.

Every text shown to people (labels, problems, rule messages, errors) is written in both
languages; the request's locale (from ``Accept-Language`` or an explicit argument) picks one.
Keeping the rule here means "anything Chinese gets zh-CN, the rest English" is stated once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


def is_chinese(locale: str) -> bool:
    """Whether a BCP-47 locale asks for Chinese (``zh``, ``zh-CN``, ``zh-Hans``...)."""
    return locale.lower().startswith("zh")


@dataclass(frozen=True, slots=True)
class Text:
    """One text in English and zh-CN; a missing Chinese text falls back to English."""

    en: str
    zh: str

    def in_(self, locale: str) -> str:
        """The text for a BCP-47 locale: zh-CN for anything Chinese, else English."""
        return self.zh if self.zh and is_chinese(locale) else self.en

    def for_locale(self, locale: str) -> str:
        """The same as ``in_``: the name enum labels have always been read by."""
        return self.in_(locale)

    def format(self, **values: str | int | Text) -> Text:
        """Both texts with their ``{name}`` placeholders filled; a ``Text`` value fills each
        language with its own words (so one template serves both languages)."""
        en = {k: v.en if isinstance(v, Text) else v for k, v in values.items()}
        zh = {k: (v.zh or v.en) if isinstance(v, Text) else v for k, v in values.items()}
        return Text(self.en.format(**en), self.zh.format(**zh) if self.zh else "")


def telling(person: Mapping[str, object], title: object = None) -> str:
    """What tells a person from a namesake: their title (``title`` when given), else their
    e-mail ("" for neither)."""
    return str(title or person.get("title") or person.get("email") or "")


def _same(name: str) -> str:
    return name.strip().casefold()


def told_apart(names: Mapping[str, str], apart: Mapping[str, str]) -> dict[str, Text]:
    """The names of the people of ``names`` whom someone else there shares a name with, each
    with what tells them apart (``apart``: their title, else their e-mail) in brackets, as the
    web app tells namesakes apart: "王伟 (Solution Architect)" / "王伟（Solution Architect）".
    A unique name, or a namesake with nothing to tell them apart by, is not among them."""
    shared = Counter(_same(n) for n in names.values() if n.strip())
    return {
        node_id: Text(f"{name} ({apart[node_id]})", f"{name}（{apart[node_id]}）")
        for node_id, name in names.items()
        if shared[_same(name)] > 1 and apart.get(node_id)
    }
