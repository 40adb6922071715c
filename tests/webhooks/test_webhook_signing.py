"""Signatures as the Standard Webhooks reference library verifies them."""

from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks import signing


def test_a_signed_message_verifies_with_the_reference_library() -> None:
    secret = signing.new_secret()
    body = '{"type":"opportunity.created","data":{"name":"核心系统"}}'.encode()
    headers = signing.headers([secret], "msg_1", int(time.time()), body)
    assert Webhook(secret).verify(body, headers) == {
        "type": "opportunity.created",
        "data": {"name": "核心系统"},
    }
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)


def test_during_a_rotation_either_secret_verifies() -> None:
    old, new = signing.new_secret(), signing.new_secret()
    body = b"{}"
    headers = signing.headers([new, old], "msg_2", int(time.time()), body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(body, headers)


def test_the_signature_is_hmac_sha256_over_id_timestamp_body() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    # The example of the Standard Webhooks specification.
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
