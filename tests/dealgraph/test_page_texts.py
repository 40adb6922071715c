"""The page's texts (``i18n.js``): each language gives every key once. A key written twice is
a silent override in JavaScript (the later text wins, in every place that reads the key), and
a key one language lacks shows the other's text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

TEXTS = Path(__file__).parents[2] / "dealgraph" / "web" / "static" / "js" / "i18n.js"
KEY = re.compile(r"(?:^|[\s{,])([A-Za-z_]\w*): ['`]")


def _languages() -> dict[str, list[str]]:
    """Each language's keys, in the order written, read from the ``TEXTS`` table's source."""
    source = TEXTS.read_text(encoding="utf-8")
    start = source.index("const TEXTS")
    table = source[start : source.index("\n};", start)]
    parts = re.split(r"\n  '?(en|zh-CN)'?: \{", table)
    return {parts[i]: KEY.findall(parts[i + 1]) for i in range(1, len(parts), 2)}


def test_each_language_gives_every_key_once() -> None:
    languages = _languages()
    assert set(languages) == {"en", "zh-CN"}
    for language, keys in languages.items():
        twice = sorted(k for k, n in Counter(keys).items() if n > 1)
        assert twice == [], f"{language} writes {twice} more than once"
        assert len(keys) > 400, (
            f"{language}: only {len(keys)} keys read (the table's shape changed?)"
        )
    assert set(languages["en"]) == set(languages["zh-CN"])
