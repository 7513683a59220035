"""How amounts and dates read in each language: ¥20,000 / 20,000円, November 1, 2026 / 2026年11月1日."""
from __future__ import annotations

import datetime as dt

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def format_yen(amount: int, lang: str) -> str:
    return f"¥{amount:,}" if lang == "en" else f"{amount:,}円"


def format_date(date: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"
    return f"{date.year}年{date.month}月{date.day}日"
