"""Webhook signing secrets sealed at rest with the server's secret keys.

A secret is stored as ``fernet:`` + a Fernet token (AES-128-CBC and HMAC-SHA256) made with the
first key of ``DEALGRAPH_SECRET_KEY``; every key of the list opens one, so a new key goes in
front and the old ones stay behind it until ``dealgraph webhooks rekey`` has sealed everything
again under the new one. Whoever reads the database or a backup without the key gets tokens,
not secrets, and cannot forge deliveries. A secret stored before sealing existed (``whsec_…``)
still opens as it is, until the start's migration seals it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from domain.errors import NotConfiguredError
from domain.text import Text
from domain.webhook_events import SECRET_UNREADABLE

SEALED_PREFIX: Final = "fernet:"
KEY_MISSING: Final = Text(
    "webhook signing secrets cannot be sealed: the server has no secret key "
    "(DEALGRAPH_SECRET_KEY); an operator must configure one",
    "无法加密保存 webhook 签名密钥：服务器未配置密钥（DEALGRAPH_SECRET_KEY），请您联系运维人员配置",
)
UNREADABLE: Final = SECRET_UNREADABLE.en
"""Why a delivery failed when its endpoint's secret cannot be opened (a delivery's error)."""


class SecretUnreadableError(Exception):
    """A sealed secret that none of the server's keys opens (a backup restored under another
    key, or a key dropped from the list too early)."""


def new_key() -> str:
    """A fresh secret key, as ``DEALGRAPH_SECRET_KEY`` takes it (url-safe base64, 32 bytes)."""
    return Fernet.generate_key().decode()


def check_key(key: str) -> None:
    """Raise ``ValueError`` unless ``key`` is a usable secret key."""
    Fernet(key.encode())


def is_sealed(stored: str) -> bool:
    """Whether a stored secret is sealed (else it is a plain ``whsec_`` secret)."""
    return stored.startswith(SEALED_PREFIX)


class SecretBox:
    """Seals and opens stored secrets with the server's keys; the first key seals."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        self.keys = tuple(keys)
        fernets = [Fernet(k.encode()) for k in self.keys]
        self._first = fernets[0] if fernets else None
        self._all = MultiFernet(fernets) if fernets else None

    @property
    def configured(self) -> bool:
        """Whether the server has a key (else nothing can be sealed or opened)."""
        return self._first is not None

    def seal(self, secret: str) -> str:
        """The form a secret is stored in; ``NotConfiguredError`` without a key."""
        if self._first is None:
            raise NotConfiguredError(KEY_MISSING)
        return SEALED_PREFIX + self._first.encrypt(secret.encode()).decode()

    def open(self, stored: str) -> str:
        """The secret of a stored value; a plain one is returned as it is."""
        if not is_sealed(stored):
            return stored
        if self._all is None:
            raise SecretUnreadableError(UNREADABLE)
        try:
            return self._all.decrypt(stored.removeprefix(SEALED_PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretUnreadableError(UNREADABLE) from None

    def current(self, stored: str) -> bool:
        """Whether a stored value is sealed with the first key (nothing to do on a rekey)."""
        if self._first is None or not is_sealed(stored):
            return False
        try:
            self._first.decrypt(stored.removeprefix(SEALED_PREFIX).encode())
        except InvalidToken:
            return False
        return True
