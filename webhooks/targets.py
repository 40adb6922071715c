"""Where a webhook may go: a well-formed http(s) URL whose host resolves only to public
addresses (SSRF protection), unless private targets are allowed (development and tests).

Every address the host resolves to is checked, at registration and again before each
delivery; the delivery then connects to the address that was checked (see ``Target``), so a
name that re-resolves to an internal address between check and connection is not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from domain.errors import DomainError, ErrorCode, FieldProblem

MAX_URL_LENGTH = 2000

Resolver = Callable[..., Sequence[tuple[Any, ...]]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL and the address to connect to for it."""

    url: str
    host: str
    address: str

    @property
    def connect_url(self) -> str:
        """The URL with the checked address in place of the host name (Host header and TLS
        server name keep the name)."""
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if ":" in self.address else self.address
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))

    @property
    def host_header(self) -> str:
        """The Host header the receiver expects: the URL's own host and port."""
        return urlsplit(self.url).netloc.rsplit("@", 1)[-1]


def _problem(field: str, message: str, message_zh: str) -> DomainError:
    return DomainError(FieldProblem(field, message, ErrorCode.BAD_USER_INPUT, message_zh))


def public(address: IpAddress) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, CGNAT,
    multicast, reserved or unspecified); an IPv4-mapped IPv6 address counts as its IPv4."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, field: str = "url", *, allow_http: bool = False) -> tuple[str, int]:
    """The host and port of a well-formed webhook URL, or a BAD_USER_INPUT problem on
    ``field``. https only, unless ``allow_http`` (private targets allowed)."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise _problem(
            field,
            f"must be a URL of 1 to {MAX_URL_LENGTH} characters",
            f"须为 1 至 {MAX_URL_LENGTH} 个字符的网址",
        )
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        return _refuse_scheme(field, allow_http)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or parts.fragment or parts.username is not None:
        raise _problem(
            field,
            "must be an absolute URL with a host, like https://crm.example.com/hooks/dealgraph "
            "(no user name, no #fragment)",
            "须为带主机名的完整网址，例如 https://crm.example.com/hooks/dealgraph"
            "（不含用户名和 #片段）",
        )
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _refuse_scheme(field: str, allow_http: bool) -> tuple[str, int]:
    if allow_http:
        raise _problem(
            field, "must start with https:// or http://", "须以 https:// 或 http:// 开头"
        )
    raise _problem(field, "must start with https://", "须以 https:// 开头")


def resolve_target(
    url: str,
    field: str = "url",
    *,
    allow_private: bool = False,
    resolver: Resolver = socket.getaddrinfo,
) -> Target:
    """Check a URL and every address its host resolves to; the first is the one to use."""
    host, port = check_url(url, field, allow_http=allow_private)
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IpAddress] = [literal]
    else:
        try:
            infos = resolver(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            infos = []
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        if not addresses:
            raise _problem(
                field,
                f"the host {host} could not be resolved",
                f"无法解析主机 {host}",
            )
    if not allow_private:
        refused = [a for a in addresses if not public(a)]
        if refused:
            raise _problem(
                field,
                f"the host {host} resolves to {refused[0]}, a private, loopback or reserved "
                "address; webhooks go to public addresses only",
                f"主机 {host} 解析为 {refused[0]}，属于私有、回环或保留地址；"
                "Webhook 只能发往公网地址",
            )
    return Target(url, host, str(addresses[0]))
