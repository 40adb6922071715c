"""Bilingual problem records shared by every check, so callers list all issues at once."""

from __future__ import annotations

from dataclasses import dataclass

from domain.text import Text


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an operation is refused or a state is incomplete.

    ``code`` is stable and machine-readable (e.g. ``MISSING_FIELD``); ``path`` names the offending
    item (``fields.budget``, ``actions.decision_maker_met``, ``approvals.2-1``); ``zh``/``en`` are
    the messages shown to people.
    """

    code: str
    path: str
    zh: str
    en: str

    @property
    def text(self) -> Text:
        """The message in both languages."""
        return Text(self.en, self.zh)

    def message(self, locale: str = "en") -> str:
        """Return the message for a BCP-47 locale (anything Chinese gets zh-CN)."""
        return self.text.in_(locale)
