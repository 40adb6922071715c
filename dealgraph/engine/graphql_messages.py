"""graphql-core's own error messages in zh-CN, and the GraphQL error that carries both texts.

graphql-core (like graphql-js, whose messages it mirrors) writes its validation, coercion and
syntax messages in English, as f-strings inside each rule: it has no message catalogue, no
locale argument and no hook to supply one (graphql-js declined such a hook and points to
custom rules; see graphql/graphql-js#3542). Replacing the spec's rules would mean owning their
logic. So a request in Chinese gets the message matched against ``TRANSLATIONS``, one row per
message of a rule: a pattern of graphql-core's English text with the names it fills in, and the
zh-CN template those same names fill. Field, type, argument, variable and operation names, and
values quoted from the request, stay as written. A message no row matches (a rare rule, a new
wording after an upgrade) stays English: well-formed and still true, only untranslated; the
tests pin the rows to graphql-core's real messages, so an upgrade that changes one fails there.
A few rows are for the scalars' own messages (strawberry's date and time, our ``Long``), which
reach the client inside graphql-core's.

Errors our own code writes need no matching: ``TextError`` carries their ``Text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from graphql import GraphQLError

from domain.text import Text, is_chinese


class TextError(GraphQLError):
    """A GraphQL error of ours: its message is the English text, ``text`` has both."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True, slots=True)
class Translation:
    """One message of one graphql-core rule and its zh-CN template (same placeholder names);
    ``prefix`` is the literal start of every message the pattern matches (a cheap first test)."""

    rule: str
    pattern: re.Pattern[str]
    zh: str
    prefix: str


_SPECIAL: Final = frozenset("\\.^$*+?{}[]|()")


def _row(rule: str, pattern: str, zh: str) -> Translation:
    literal = ""
    for char in pattern:
        if char in _SPECIAL:
            break
        literal += char
    return Translation(rule, re.compile(pattern, re.DOTALL), zh, literal)


_NAME = r"'(?P<{}>[^']*)'"
"""A quoted name in a message (graphql-core quotes names with single quotes)."""


def _name(group: str) -> str:
    return _NAME.format(group)


NESTED: Final = frozenset({"detail", "reason"})
"""Placeholders holding a message of their own (a coercion inside a variable's, a conflict's
reason): translated by the same table, kept in English when no row matches them."""

TRANSLATIONS: Final = (
    # --- validation: fields, arguments, selections ---------------------------------------------
    _row(
        "FieldsOnCorrectTypeRule",
        rf"Cannot query field {_name('field')} on type {_name('type')}\.",
        "类型 '{type}' 上没有可查询的字段 '{field}'。",
    ),
    _row(
        "KnownArgumentNamesRule",
        rf"Unknown argument {_name('argument')} on field {_name('field')}\.",
        "字段 '{field}' 没有参数 '{argument}'。",
    ),
    _row(
        "KnownArgumentNamesRule",
        rf"Unknown argument {_name('argument')} on directive {_name('directive')}\.",
        "指令 '{directive}' 没有参数 '{argument}'。",
    ),
    _row(
        "ProvidedRequiredArgumentsRule",
        rf"Argument {_name('argument')} of type {_name('type')} is required, "
        r"but it was not provided\.",
        "缺少必填参数 '{argument}'（类型 '{type}'）。",
    ),
    _row(
        "ScalarLeafsRule",
        rf"Field {_name('field')} of type {_name('type')} must have a selection of subfields\.",
        "字段 '{field}' 的类型是 '{type}'，必须选择它的子字段。",
    ),
    _row(
        "ScalarLeafsRule",
        rf"Field {_name('field')} must not have a selection since type {_name('type')} "
        r"has no subfields\.",
        "字段 '{field}' 的类型 '{type}' 没有子字段，不能为它选择子字段。",
    ),
    _row(
        "ScalarLeafsRule",
        rf"Field {_name('field')} of type {_name('type')} must have at least one field selected\.",
        "字段 '{field}'（类型 '{type}'）至少要选择一个子字段。",
    ),
    _row(
        "UniqueArgumentNamesRule",
        rf"There can be only one argument named {_name('argument')}\.",
        "名为 '{argument}' 的参数只能出现一次。",
    ),
    _row(
        "UniqueInputFieldNamesRule",
        rf"There can be only one input field named {_name('field')}\.",
        "名为 '{field}' 的输入字段只能出现一次。",
    ),
    _row(
        "OverlappingFieldsCanBeMergedRule",
        rf"Fields {_name('field')} conflict because (?P<reason>.+)\. "
        r"Use different aliases on the fields to fetch both if this was intentional\.",
        "字段 '{field}' 相互冲突：{reason}。如果确实需要两者，请为它们使用不同的别名。",
    ),
    _row(
        "OverlappingFieldsCanBeMergedRule",
        r"they have differing arguments",
        "它们的参数不同",
    ),
    _row(
        "OverlappingFieldsCanBeMergedRule",
        rf"{_name('first')} and {_name('second')} are different fields",
        "'{first}' 和 '{second}' 是不同的字段",
    ),
    _row(
        "OverlappingFieldsCanBeMergedRule",
        rf"they return conflicting types {_name('first')} and {_name('second')}",
        "它们返回相互冲突的类型 '{first}' 和 '{second}'",
    ),
    # --- validation: variables ------------------------------------------------------------------
    _row(
        "NoUnusedVariablesRule",
        rf"Variable {_name('variable')} is never used in operation {_name('operation')}\.",
        "变量 '{variable}' 在操作 '{operation}' 中从未被使用。",
    ),
    _row(
        "NoUnusedVariablesRule",
        rf"Variable {_name('variable')} is never used\.",
        "变量 '{variable}' 从未被使用。",
    ),
    _row(
        "NoUndefinedVariablesRule",
        rf"Variable {_name('variable')} is not defined by operation {_name('operation')}\.",
        "变量 '{variable}' 未在操作 '{operation}' 中声明。",
    ),
    _row(
        "NoUndefinedVariablesRule",
        rf"Variable {_name('variable')} is not defined\.",
        "变量 '{variable}' 未声明。",
    ),
    _row(
        "UniqueVariableNamesRule",
        rf"There can be only one variable named {_name('variable')}\.",
        "名为 '{variable}' 的变量只能声明一次。",
    ),
    _row(
        "VariablesAreInputTypesRule",
        rf"Variable {_name('variable')} cannot be non-input type {_name('type')}\.",
        "变量 '{variable}' 不能使用非输入类型 '{type}'。",
    ),
    _row(
        "VariablesInAllowedPositionRule",
        rf"Variable {_name('variable')} of type {_name('type')} used in position "
        rf"expecting type {_name('expected')}\.",
        "变量 '{variable}' 的类型是 '{type}'，但此处需要类型 '{expected}'。",
    ),
    # --- validation: types, directives, fragments, operations -----------------------------------
    _row("KnownTypeNamesRule", rf"Unknown type {_name('type')}\.", "未知类型 '{type}'。"),
    _row(
        "KnownDirectivesRule",
        rf"Unknown directive {_name('directive')}\.",
        "未知指令 '{directive}'。",
    ),
    _row(
        "KnownDirectivesRule",
        rf"Directive {_name('directive')} may not be used on (?P<location>\w+)\.",
        "指令 '{directive}' 不能用在 {location} 上。",
    ),
    _row(
        "UniqueDirectivesPerLocationRule",
        rf"The directive {_name('directive')} can only be used once at this location\.",
        "指令 '{directive}' 在此位置只能使用一次。",
    ),
    _row(
        "KnownFragmentNamesRule",
        rf"Unknown fragment {_name('fragment')}\.",
        "未知片段 '{fragment}'。",
    ),
    _row(
        "NoUnusedFragmentsRule",
        rf"Fragment {_name('fragment')} is never used\.",
        "片段 '{fragment}' 从未被使用。",
    ),
    _row(
        "UniqueFragmentNamesRule",
        rf"There can be only one fragment named {_name('fragment')}\.",
        "名为 '{fragment}' 的片段只能定义一次。",
    ),
    _row(
        "NoFragmentCyclesRule",
        rf"Cannot spread fragment {_name('fragment')} within itself\.",
        "片段 '{fragment}' 不能展开它自己。",
    ),
    _row(
        "PossibleFragmentSpreadsRule",
        rf"Fragment {_name('fragment')} cannot be spread here as objects of type "
        rf"{_name('parent')} can never be of type {_name('type')}\.",
        "片段 '{fragment}' 不能在此展开：类型 '{parent}' 的对象永远不会是类型 '{type}'。",
    ),
    _row(
        "PossibleFragmentSpreadsRule",
        rf"Fragment cannot be spread here as objects of type {_name('parent')} "
        rf"can never be of type {_name('type')}\.",
        "片段不能在此展开：类型 '{parent}' 的对象永远不会是类型 '{type}'。",
    ),
    _row(
        "UniqueOperationNamesRule",
        rf"There can be only one operation named {_name('operation')}\.",
        "名为 '{operation}' 的操作只能有一个。",
    ),
    _row(
        "LoneAnonymousOperationRule",
        r"This anonymous operation must be the only defined operation\.",
        "匿名操作必须是文档中唯一的操作。",
    ),
    _row(
        "KnownOperationTypesRule",
        r"The (?P<operation>\w+) operation is not supported by the schema\.",
        "本 API 不支持 {operation} 操作。",
    ),
    _row(
        "NoSchemaIntrospectionCustomRule",
        rf"GraphQL introspection has been disabled, but the requested query contained "
        rf"the field {_name('field')}\.",
        "GraphQL 内省已关闭，但查询包含字段 '{field}'。",
    ),
    # --- values: literals in the query and variables' values ------------------------------------
    _row(
        "coerce variable values",
        rf"Variable {_name('variable')} has invalid value at (?P<at>[^:]*): (?P<detail>.*)",
        "变量 '{variable}' 在 {at} 处的值无效：{detail}",
    ),
    _row(
        "coerce variable values",
        rf"Variable {_name('variable')} has invalid value: (?P<detail>.*)",
        "变量 '{variable}' 的值无效：{detail}",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Value {_name('value')} does not exist in {_name('type')} enum\.",
        "枚举 '{type}' 中没有值 '{value}'。",
    ),
    _row(
        "ValuesOfCorrectTypeRule (the object it found left out: ECHOED)",
        rf"Expected value of type {_name('type')} to include required field {_name('field')}\.",
        "类型 '{type}' 的值缺少必填字段 '{field}'。",
    ),
    _row(
        "ValuesOfCorrectTypeRule (the object it found left out: ECHOED)",
        rf"Expected value of type {_name('type')} not to include unknown field "
        rf"{_name('field')}\.",
        "类型 '{type}' 的值不能包含未知字段 '{field}'。",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected value of type {_name('type')} to be an object, found: (?P<value>.*)\.",
        "类型 '{type}' 的值必须是对象，收到的是：{value}。",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected a value of non-null type {_name('type')} to be provided\.",
        "必须提供非空类型 '{type}' 的值。",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected value of non-null type {_name('type')} not to be None\.",
        "非空类型 '{type}' 的值不能为 null。",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected value of type {_name('type')}, but encountered error '(?P<detail>.*)'; "
        r"found: (?P<value>.*)\.",
        "类型 '{type}' 不接受收到的值 {value}：{detail}",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected value of type {_name('type')}, found: (?P<value>.*)\.",
        "类型 '{type}' 不接受收到的值 {value}。",
    ),
    _row(
        "ValuesOfCorrectTypeRule",
        rf"Expected variable {_name('variable')} provided to (?:non-null )?type {_name('type')} "
        r"(?:to provide a runtime value|not to be None)\.",
        "提供给类型 '{type}' 的变量 '{variable}' 必须有非 null 的值。",
    ),
    _row(
        "scalar String",
        r"String cannot represent a non string value: (?P<value>.*)",
        "String 不能表示非字符串的值：{value}",
    ),
    _row(
        "scalar Int",
        r"Int cannot represent non-integer value: (?P<value>.*)",
        "Int 不能表示非整数的值：{value}",
    ),
    _row(
        "scalar Int",
        r"Int cannot represent non 32-bit signed integer value: (?P<value>.*)",
        "Int 不能表示超出 32 位有符号整数范围的值：{value}",
    ),
    _row(
        "scalar Float",
        r"Float cannot represent non numeric value: (?P<value>.*)",
        "Float 不能表示非数字的值：{value}",
    ),
    _row(
        "scalar Boolean",
        r"Boolean cannot represent a non boolean value: (?P<value>.*)",
        "Boolean 不能表示非布尔的值：{value}",
    ),
    _row(
        "scalar ID",
        r"ID cannot represent a non-string and non-integer value: (?P<value>.*)",
        "ID 不能表示既非字符串也非整数的值：{value}",
    ),
    _row(
        "scalar ID",
        r"ID cannot represent value: (?P<value>.*)",
        "ID 不能表示这个值：{value}",
    ),
    _row(
        "strawberry's date and time scalars",
        r"Value cannot represent a (?P<type>\w+): (?P<value>.*?)\.(?: .*)?",
        "{value} 不是有效的 {type} 值（请使用 ISO-8601 格式）。",
    ),
    _row(
        "our DateTime scalar",
        r"(?P<value>.*) is not a DateTime with its UTC offset: write the date, the time and the "
        r"offset, as (?P<example>\S+) or (?P<utc>\S+)",
        "{value} 不是带 UTC 偏移的 DateTime：请写明日期、时间和偏移，如 {example} 或 {utc}",
    ),
    _row("our Long scalar", r"Long must be a whole number", "Long 必须是整数"),
    _row(
        "our Long scalar",
        r"Long must be within ±(?P<limit>\d+)",
        "Long 必须在 ±{limit} 之内",
    ),
    # --- syntax ---------------------------------------------------------------------------------
    _row(
        "parser",
        r"Syntax Error: Expected (?P<expected>.+), found (?P<found>.+)\.",
        "语法错误：此处应为 {expected}，实际是 {found}。",
    ),
    _row(
        "parser",
        r"Syntax Error: Unexpected (?P<token>.+)\.",
        "语法错误：不应出现 {token}。",
    ),
    _row("parser", r"Syntax Error: Unterminated string\.", "语法错误：字符串没有结束。"),
)

SUGGESTION: Final = re.compile(r"\s*Did you mean (?:the enum value )?(?P<options>[^?]*)\?")
"""graphql-core's "Did you mean ...?" hint, anywhere in a message (production drops it)."""


def without_suggestions(message: str) -> str:
    """The message without its "Did you mean ...?" hints (which name parts of the schema)."""
    return SUGGESTION.sub("", message)


def _match(message: str) -> str | None:
    for row in TRANSLATIONS:
        if not message.startswith(row.prefix):
            continue
        found = row.pattern.fullmatch(message)
        if found is None:
            continue
        values = found.groupdict(default="")
        for name in NESTED & values.keys():
            values[name] = _match(values[name]) or values[name]
        return row.zh.format(**values)
    return None


def in_chinese(message: str) -> str | None:
    """graphql-core's message in zh-CN, or None when no row of ``TRANSLATIONS`` matches it."""
    hint = SUGGESTION.search(message)
    core = message if hint is None else message[: hint.start()] + message[hint.end() :]
    translated = _match(core)
    if translated is None or hint is None:
        return translated
    options = re.sub(r",? or ", "、", hint.group("options")).replace(", ", "、")
    return f"{translated}您是不是要找 {options}？"


RAW_DETAIL: Final = re.compile(
    r"Value cannot represent a (?P<type>\w+): (?P<value>.*?)\. .*\Z", re.DOTALL
)
"""strawberry's date and time scalars end their refusal with Python's own parse error (e.g.
"invalid literal for int() with base 10: b'yest'"), which tells a client nothing."""

CLEAN_ENGLISH: Final = "{value} is not a valid {type} value (use the ISO-8601 format)."
"""The English the raw detail is replaced by, saying what ``{type}`` the value must be."""


def in_english(message: str) -> str:
    """graphql-core's message in English, without a Python parse error at its end."""
    return RAW_DETAIL.sub(lambda found: CLEAN_ENGLISH.format(**found.groupdict()), message)


ECHOED: Final = re.compile(
    r"((?:to include required|not to include unknown) field '[^']*')[.,] [Ff]ound: \{.*\}\.",
    re.DOTALL,
)
"""graphql-core quotes the whole input object that misses a required field or has an unknown
one: a person's name, phone and notes would travel back in an error message, into a client's
error log. The field is all the message needs."""


def translate(message: str, locale: str) -> str:
    """graphql-core's message in the locale's language, without an input object it quoted
    (``ECHOED``); English when no row matches."""
    message = ECHOED.sub(r"\1.", message)
    if not is_chinese(locale):
        return in_english(message)
    return in_chinese(message) or in_english(message)
