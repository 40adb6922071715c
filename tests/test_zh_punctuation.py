"""Chinese texts use full-width punctuation (，：；（）！？) throughout, never ASCII next to a
Chinese character; ASCII stays inside code, ids, numbers, ``{placeholders}`` and names.

Scanned: every string of the product's data files (TOML) that contains Chinese, the bilingual
tables as the code loads them, and every string literal holding Chinese in the product's
Python source (f-strings with each ``{...}`` as a placeholder). Docstrings are for developers
and are not scanned. What is deliberately not scanned is listed in ``ALLOWED`` with why.
"""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import domain.request_errors
import domain.roles
from dealgraph.engine.graphql_messages import TRANSLATIONS
from domain.roles import ROLE_LABELS, RULE_ACTIONS
from domain.text import Text
from domain.vocabulary import LABELS
from strategy.tas.action_texts import action_texts
from strategy.tas.problem_texts import problem_texts
from strategy.tas.rule_texts import rule_texts

ROOT = Path(__file__).resolve().parent.parent

_CJK = r"[\u3400-\u9fff]"
MIXED = re.compile(rf"{_CJK}[,;:!?()]|[,;:!?()]{_CJK}")
"""ASCII punctuation touching a Chinese character: the one mistake a full-width text shows."""

ALLOWED: dict[str, frozenset[str]] = {
    # The demo's summary is a bilingual console table ("customer 客户: Acme"): English labels
    # with their Chinese gloss, laid out with ASCII colons, not a Chinese sentence.
    "dealgraph/demo.py": frozenset(
        {
            "  customer 客户: {} [{}]",
            "  stage 阶段: {} / {}, grade {}, expected close {}",
            "  key persons 关键人: {}, decision chain 决策链: {} members",
            "  competitors 竞争对手: {}",
            "  our team 我方团队: {}",
            "  activities 活动: {} over the past {} days",
            "  weaknesses to work on 待改进的短板:",
        }
    ),
    # English GraphQL descriptions with the Chinese term as a gloss; they are printed into
    # schema.graphql, which stays byte-identical.
    "schema/strategy.py": frozenset(
        {
            "Relationship closeness (关系紧密度)",
            "Solution acceptance (方案认可度)",
            "Price acceptance (价格接受度)",
            "Is it real? (这是一个机会吗)",
            "Can we compete? (我们有竞争力吗)",
            "Can we win? (我们能赢吗)",
            "Is it worth it? (值得做吗)",
        }
    ),
}
"""Python literals that hold Chinese with ASCII punctuation on purpose, by file."""

PACKAGES = ("dealgraph", "domain", "graph", "resolvers", "schema", "strategy")


def _product_files(suffix: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", *(f"{p}/*{suffix}" for p in PACKAGES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if isinstance(statement, ast.Expr) and _literal(statement.value) is not None:
                    found.add(id(statement.value))
    return found


def _python_literals(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstring |= {id(part) for part in node.values}
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside_fstring:
            continue
        text = _literal(node)
        if text is not None:
            yield text


def _mixed(texts: Iterator[str]) -> list[str]:
    return sorted({text for text in texts if MIXED.search(text)})


def test_data_files_write_chinese_with_full_width_punctuation() -> None:
    bad = {
        str(path.relative_to(ROOT)): found
        for path in _product_files(".toml")
        if (found := _mixed(_strings(tomllib.loads(path.read_text(encoding="utf-8")))))
    }
    assert bad == {}


def _table_texts() -> Iterator[str]:
    tables: list[Text] = [
        *(v for v in vars(domain.request_errors).values() if isinstance(v, Text)),
        *(v for v in vars(domain.roles).values() if isinstance(v, Text)),
        *problem_texts().texts.values(),
        *rule_texts().rules.values(),
        *rule_texts().parts.values(),
        *action_texts().texts.values(),
        *RULE_ACTIONS.values(),
        *ROLE_LABELS.values(),
    ]
    yield from (text.zh for text in tables)
    yield from (label.zh for label in LABELS.values())
    yield from (row.zh for row in TRANSLATIONS)


def test_loaded_tables_write_chinese_with_full_width_punctuation() -> None:
    assert _mixed(_table_texts()) == []


@pytest.mark.parametrize("path", _product_files(".py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_literals_write_chinese_with_full_width_punctuation(path: Path) -> None:
    allowed = ALLOWED.get(str(path.relative_to(ROOT)), frozenset())
    found = _mixed(_python_literals(path))
    assert [text for text in found if text not in allowed] == []
    stale = allowed - set(found)
    assert not stale, f"allowed literals no longer in the file: {sorted(stale)}"


def test_the_check_sees_ascii_punctuation_next_to_chinese() -> None:
    assert _mixed(iter(["商机立项:必填", "售前测试(POC)", "对的？", "a (b)", "{x}:{y}"])) == [
        "售前测试(POC)",
        "商机立项:必填",
    ]


PAGE_TEXTS = ROOT / "dealgraph" / "web" / "static" / "js" / "i18n.js"
PAGE_CODE = sorted((ROOT / "dealgraph" / "web" / "static" / "js").glob("*.js"))
_JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`")


def _page_chinese() -> list[str]:
    """The Chinese table of the page's texts (``i18n.js``), each quoted text of it."""
    source = PAGE_TEXTS.read_text(encoding="utf-8")
    start = source.index("\n  'zh-CN': {")
    table = source[start : source.index("\n};", start)]
    return [a or b for a, b in _JS_STRING.findall(table) if re.search(_CJK, a or b)]


def test_page_texts_write_chinese_with_full_width_punctuation() -> None:
    texts = _page_chinese()
    assert len(texts) > 400, f"only {len(texts)} Chinese texts read (the table's shape changed?)"
    assert _mixed(iter(texts)) == []


PAGE_CODE_MIXES: dict[str, re.Pattern[str]] = {
    # "我方人员: 李明": a label and its value go through ``labelled`` ("：" in Chinese)
    "labelled": re.compile(r"\$\{t\([^`]*?\)\}: "),
    # "(+0.3 个百分点)", "陈国栋 (Chen Guodong)": an aside goes through ``aside`` ("（…）")
    "aside": re.compile(r"` \(\$\{"),
    # "总经理, 总经理办公室": a list goes through ``listOf`` ("、" in Chinese)
    "listOf": re.compile(r"\.join\(', '\)"),
}
"""Code of the page that would put ASCII punctuation between Chinese texts, and the helper
(``i18n.js``) that writes each in the page's language instead."""

PAGE_CODE_ALLOWED = {
    # the GraphQL variables of one request of counts: no text anyone reads
    "const vars = ['$all: ActivityFilter', "
    "...people.map((_, i) => `$m${i}: ActivityFilter`)].join(', ');",
}


def _page_code_mixes() -> list[str]:
    found = []
    for path in PAGE_CODE:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() in PAGE_CODE_ALLOWED:
                continue
            found += [
                f"{path.name}:{number}: use {helper}"
                for helper, pattern in PAGE_CODE_MIXES.items()
                if pattern.search(line)
            ]
    return found


def test_page_code_joins_texts_in_the_pages_language() -> None:
    assert _page_code_mixes() == []


def test_the_page_code_check_sees_ascii_joins() -> None:
    lines = [
        "`${t('ours')}: ${listOf(names)}`",
        "h('strong', {}, x), ` (${pointsOf(d)})`",
        "[p.title, p.department].filter(Boolean).join(', ')",
        "labelled(t('ours'), listOf(names))",
    ]
    found = [h for line in lines for h, p in PAGE_CODE_MIXES.items() if p.search(line)]
    assert found == ["labelled", "aside", "listOf"]


INFORMAL_YOU = re.compile("你")
"""The product addresses its reader as 您 throughout; 你 (informal) is not mixed in."""


def _product_chinese() -> Iterator[str]:
    yield from _page_chinese()
    yield from _table_texts()
    for path in _product_files(".toml"):
        yield from _strings(tomllib.loads(path.read_text(encoding="utf-8")))
    for path in _product_files(".py"):
        yield from _python_literals(path)


def test_chinese_texts_address_the_reader_as_nin() -> None:
    assert sorted({text for text in _product_chinese() if INFORMAL_YOU.search(text)}) == []
