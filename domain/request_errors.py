"""The texts of the top-level errors our code writes, each once in English and zh-CN.

A top-level error answers a request that could not run as sent (a body too large or
malformed, a wrong method, a query beyond a protective limit) or a failure no userError
describes. The client's people read them in the request's language like every other text, so
each kind is one ``Text`` here with ``{name}`` placeholders, filled and picked where the error
is answered. The English texts are the ones the API has always written: clients that matched
on them keep working. Names from the request (operations, limits, methods) stay as written.
"""

from __future__ import annotations

from typing import Final

from domain.text import Text

# --- the HTTP request ---------------------------------------------------------------------------

BODY_TOO_LARGE: Final = Text(
    "request body is larger than {limit} bytes (limit maxBodyBytes = {limit})",
    "请求体超过 {limit} 字节（上限 maxBodyBytes = {limit}）",
)
NOT_JSON: Final = Text("Unable to parse request body as JSON", "无法把请求体解析为 JSON")
NO_QUERY: Final = Text("No GraphQL query found in the request", "请求中没有 GraphQL 查询（query）")
QUERY_NOT_TEXT: Final = Text(
    "The GraphQL operation's `query` must be a string or null, if provided.",
    "GraphQL 操作的 `query` 如果提供，必须是字符串或 null。",
)
VARIABLES_NOT_OBJECT: Final = Text(
    "The GraphQL operation's `variables` must be an object or null, if provided.",
    "GraphQL 操作的 `variables` 如果提供，必须是对象或 null。",
)
EXTENSIONS_NOT_OBJECT: Final = Text(
    "The GraphQL operation's `extensions` must be an object or null, if provided.",
    "GraphQL 操作的 `extensions` 如果提供，必须是对象或 null。",
)
NO_BATCHING: Final = Text("Batching is not enabled", "不支持批量请求：每个请求只能发送一个操作")
CONTENT_TYPE: Final = Text(
    "Unsupported content type", "不支持的内容类型：请以 application/json 发送请求"
)
METHOD: Final = Text(
    "GraphQL only supports GET and POST requests.", "GraphQL 只支持 GET 和 POST 请求。"
)
OPERATION_KINDS: Final = {
    "query": Text("queries", "查询"),
    "mutation": Text("mutations", "变更"),
    "subscription": Text("subscriptions", "订阅"),
}
"""How the method refusal names an operation type (``{operations}`` below)."""
OPERATION_NOT_ALLOWED: Final = Text(
    "{operations} are not allowed when using {method}", "使用 {method} 请求时不允许执行{operations}"
)
UNKNOWN_OPERATION: Final = Text(
    'Unknown operation named "{name}".', '请求中没有名为 "{name}" 的操作。'
)
NO_OPERATION: Final = Text("Can't get GraphQL operation type", "无法确定要执行的 GraphQL 操作")
OPERATION_NAME_NEEDED: Final = Text(
    "the document holds several operations ({names}): name the one to run in operationName",
    "请求包含多个操作（{names}），请用 operationName 指明要执行哪一个",
)
"""Several operations and no operationName: running the first would be a guess (the GraphQL
specification requires the name; a mutation could run that the client did not mean)."""

# --- the protective limits (engine.limits) ------------------------------------------------------

DEPTH_LIMIT: Final = Text(
    "'{operation}' exceeds maximum operation depth of {limit} (limit maxDepth = {limit})",
    "操作 '{operation}' 的嵌套深度超过上限 {limit}（上限 maxDepth = {limit}）",
)
ALIASES_LIMIT: Final = Text(
    "{count} aliases found. Allowed: {limit} (limit maxAliases = {limit})",
    "查询使用了 {count} 个别名，最多允许 {limit} 个（上限 maxAliases = {limit}）",
)
TOKENS_LIMIT: Final = Text(
    "Syntax Error: Document contains more than {limit} tokens. Parsing aborted. "
    "(limit maxTokens = {limit})",
    "查询文本超过 {limit} 个词法单元，已停止解析（上限 maxTokens = {limit}）",
)
COST_LIMIT: Final = Text(
    "query cost {cost} exceeds the limit maxCost of {limit}; "
    "ask for smaller pages (first/last) or fewer nested lists",
    "查询成本 {cost} 超过上限 maxCost = {limit}；请减小分页（first/last）或减少嵌套的列表",
)

# --- what the API answers itself ----------------------------------------------------------------

NOT_A_NODE: Final = Text(
    "the ID does not name an object of this API", "该 ID 不是本 API 中对象的 ID"
)
NOT_FOUND: Final = Text("Not Found", "未找到")
"""A path the app does not serve (a plain-text answer, like the other refusals by language)."""
LIBRARY_MISSING: Final = Text(
    "the map's graph library is not installed: run `make run` (npm install in tools/browser)",
    "地图的图形库尚未安装：请运行 `make run`（在 tools/browser 中执行 npm install）",
)
"""The map page asks for an npm file that was never installed (a plain-text 503)."""
ORIGIN_REFUSED: Final = Text(
    "this origin may not call the API (DEALGRAPH_CORS_ORIGINS)",
    "此来源不能调用该 API（DEALGRAPH_CORS_ORIGINS）",
)
"""A browser preflight from an origin the server was not configured to allow."""
INTERNAL: Final = Text(
    "Internal server error (request id {request_id})",
    "服务器内部错误（请求编号 {request_id}）",
)
STORE_DOWN: Final = Text(
    "The store is unavailable; try again shortly (request id {request_id})",
    "数据存储暂时不可用，请稍后重试（请求编号 {request_id}）",
)
"""A request the store could not serve (down, unreachable): the person can only wait."""
NOT_CHECKED: Final = Text(
    "The store is unavailable, so the credentials cannot be checked; try again shortly "
    "(request id {request_id})",
    "数据存储暂时不可用，无法核验登录凭据，请稍后重试（请求编号 {request_id}）",
)
"""A request whose credentials the store could not check (down, or no answer by the deadline):
nothing of it ran. The logins live in the store: when it is down, the whole store is."""
NOT_SAVED: Final = Text(
    "The store is unavailable, so your change was not saved; try again shortly "
    "(request id {request_id})",
    "数据存储暂时不可用，您的修改没有保存，请稍后重试（请求编号 {request_id}）",
)
"""A mutation whose credentials the store could not check: it never ran, so the person, signed
in and saving a form, is told the change is not saved, not that their sign-in failed."""
NO_ANSWER: Final = Text(
    "The store did not answer within {seconds} s; try again shortly (request id {request_id})",
    "数据存储在 {seconds} 秒内没有应答，请稍后重试（请求编号 {request_id}）",
)
"""A read cut off at the request's deadline (the store hangs, or is swamped)."""
NO_ANSWER_TO_CHANGE: Final = Text(
    "The store did not answer within {seconds} s; your change may still be saved, so look "
    "before you send it again (request id {request_id})",
    "数据存储在 {seconds} 秒内没有应答；您的修改可能仍会保存，请先查看，再决定是否重新提交"
    "（请求编号 {request_id}）",
)
"""A change cut off at the deadline: its statement was sent, so it may land after the answer."""
UNCONFIRMED: Final = Text(
    "The store stopped while saving your change, so it may or may not be saved; look before "
    "you send it again (request id {request_id})",
    "保存您的修改时数据存储中断，修改可能已保存，也可能没有；请先查看，再决定是否重新提交"
    "（请求编号 {request_id}）",
)
"""A change the store went away during: it may have landed, so sending it again blindly could
make it twice (the embedded store's server died under it and was started again)."""
