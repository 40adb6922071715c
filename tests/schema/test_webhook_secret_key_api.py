"""Where the key sealing webhook secrets comes from when none is configured, on both back
ends, as deployed: production refuses to make secrets it cannot seal (a top-level error, and
/readyz says why); development makes a key once and keeps it in the data directory."""

from __future__ import annotations

import stat
from pathlib import Path

from api_helpers import open_api

from graph.executor import Executor
from graph.webhook_store import WebhookStore
from webhooks.sealing import SecretBox

CREATE = """
mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) {
    endpoint { id } secret userErrors { field message code }
  }
}"""
GOOD = {"url": "https://93.184.215.14/hooks", "events": ["opportunity.stage_changed"]}
NO_KEY = {"secret_keys": ()}


def test_production_without_a_key_refuses_new_secrets_at_the_top_level(
    api_executor: Executor,
) -> None:
    with open_api(api_executor, mode="production", settings=NO_KEY) as api:
        body = api.body(CREATE, {"input": GOOD})
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "NOT_CONFIGURED"
        assert "DEALGRAPH_SECRET_KEY" in error["message"]
        assert body["data"] == {"webhookEndpointCreate": None}
        chinese = api.body(CREATE, {"input": GOOD}, headers={"Accept-Language": "zh-CN"})
        assert chinese["errors"][0]["message"].startswith("无法加密保存 webhook 签名密钥：")
        assert WebhookStore(api.store).endpoints() == []  # nothing written
        ready = api.client.get("/readyz").json()
        assert ready["status"] == "ready"
        assert "DEALGRAPH_SECRET_KEY is not set" in ready["warnings"][0]


def test_a_configured_key_leaves_readyz_without_warnings(api_executor: Executor) -> None:
    with open_api(api_executor, mode="production") as api:
        assert api.client.get("/readyz").json() == {"status": "ready"}
        assert api.mutate(CREATE, {"input": GOOD})["secret"].startswith("whsec_")


def test_development_without_a_key_makes_one_and_keeps_it(
    api_executor: Executor, tmp_path: Path
) -> None:
    settings = {**NO_KEY, "data_dir": tmp_path}
    with open_api(api_executor, settings=settings) as api:
        secret = api.mutate(CREATE, {"input": GOOD})["secret"]
    key_file = tmp_path / "secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="utf-8").strip()
    with open_api(api_executor, empty=False, settings=settings) as api:  # a restart
        (row,) = WebhookStore(api.store).stored_secrets()
        assert key_file.read_text(encoding="utf-8").strip() == key
    assert row["secret"] != secret
    assert SecretBox((key,)).open(row["secret"]) == secret
