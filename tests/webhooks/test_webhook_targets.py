"""SSRF protection: every address a target's host resolves to must be public."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from domain.errors import DomainError
from webhooks.targets import resolve_target


def resolver(*addresses: str) -> Any:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return resolve


def refused(url: str, *addresses: str, allow_private: bool = False) -> str:
    with pytest.raises(DomainError) as caught:
        resolve_target(url, allow_private=allow_private, resolver=resolver(*addresses))
    (problem,) = caught.value.problems
    assert problem.field == "url"
    return problem.message


def test_a_public_host_is_used_at_the_address_that_was_checked() -> None:
    target = resolve_target(
        "https://crm.example.com:8443/h?x=1", resolver=resolver("93.184.215.14")
    )
    assert target.connect_url == "https://93.184.215.14:8443/h?x=1"
    assert target.host_header == "crm.example.com:8443"
    assert target.host == "crm.example.com"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_a_host_resolving_to_a_non_public_address_is_refused(address: str) -> None:
    assert "private, loopback or reserved" in refused("https://crm.example.com/h", address)


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    assert "10.0.0.9" in refused("https://crm.example.com/h", "93.184.215.14", "10.0.0.9")


def test_private_targets_and_http_when_the_setting_allows_them() -> None:
    target = resolve_target("http://localhost:9000/h", allow_private=True)
    assert target.address in ("127.0.0.1", "::1")
    assert "https://" in refused("http://crm.example.com/h", "93.184.215.14")


def test_unresolvable_and_malformed_urls() -> None:
    assert "could not be resolved" in refused("https://nowhere.invalid/h")
    assert "absolute URL" in refused("https://user@crm.example.com/h", "93.184.215.14")
    assert "absolute URL" in refused("https:///h")
