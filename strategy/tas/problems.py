"""Bilingual problem records shared by every check, so callers list all issues at once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final

from domain.text import Text


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an operation is refused or a state is incomplete.

    ``code`` is stable and machine-readable (e.g. ``MISSING_FIELD``); ``path`` names the offending
    item (``fields.budget``, ``actions.decision_maker_met``, ``approvals.2-1``, a key that holds
    ``.`` or brackets quoted: ``fields["a.b"]``, see ``key_path``); ``zh``/``en`` are the
    messages shown to people.
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


_PLAIN_KEY: Final = re.compile(r'[^.\[\]"\\]+')
"""A key that can stand in a path as it is: no dot, bracket, quote or backslash."""


def key_path(parent: str, key: str) -> str:
    """The path of ``key`` inside ``parent``: ``fields.budget``; a key a dot or a bracket
    would split (a requester may send any key) is quoted as JSON, ``fields["a.b"]``, so the
    path still holds it as one step."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"
