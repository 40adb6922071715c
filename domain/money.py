"""Amounts of money as people write them, in English and in Chinese."""

from __future__ import annotations

from decimal import Decimal

from domain.text import Text


def money(amount: int, currency: str) -> Text:
    """An amount in minor units as people write it: "CNY 1,900,000", "190万元"."""
    code = currency or "CNY"
    major, minor = divmod(amount, 100)
    figure = f"{major:,}" + (f".{minor:02d}" if minor else "")
    if code != "CNY":
        return Text(f"{code} {figure}", f"{figure} {code}")
    if major >= 10_000:
        wan = (Decimal(amount) / 1_000_000).normalize()
        return Text(f"CNY {figure}", f"{wan:f}万元")
    return Text(f"CNY {figure}", f"{figure}元")
