"""How values read for a person, in each language and on a terminal.

Amounts (¥20,000 / 20,000円), dates (November 1, 2026 / 2026年11月1日), counts with their
plural (1 error / 2 errors), a place in a case as people count it (``payments 1件目 > date``,
``payments entry 1 > date``), and how wide text is on a terminal (a CJK character takes two
cells), shared by the reporters and the status table.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from validator.diagnostics import Text

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def format_yen(amount: int, lang: str) -> str:
    """20,000円 / ¥20,000; a negative amount (an overpaid balance) is -7,500円 / -¥7,500."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,}" if lang == "en" else f"{amount:,}円"


def yen(amount: int) -> Text:
    """An amount in every language, for a ``{field}`` of a message."""
    return Text(ja=format_yen(amount, "ja"), en=format_yen(amount, "en"))


def format_date(date: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"
    return f"{date.year}年{date.month}月{date.day}日"


def count_of(count: int, one: Text, other: Text) -> Text:
    """``count`` with its noun, singular or plural: ``1 error`` / ``2 errors``, ``1件`` / ``2件``.

    ``one`` and ``other`` hold ``{count}``; Japanese has no plural and usually gives both
    the same words. The number is written with thousands separators.
    """
    return (one if count == 1 else other).format(count=f"{count:,}")


def describe_path(path: Sequence[str | int]) -> Text:
    """A place in a case as a person counts it: ``payments 1件目 > date``, ``payments entry 1 > date``.

    List entries count from 1, as people do; the whole file is named as such.
    """
    if not path:
        return Text(ja="ファイル全体", en="the case")
    parts: dict[str, list[str]] = {"ja": [], "en": []}
    for part in path:
        for lang, words in parts.items():
            if isinstance(part, int):
                entry = f"{part + 1}件目" if lang == "ja" else f"entry {part + 1}"
                if words:
                    words[-1] += f" {entry}"
                else:
                    words.append(entry)
            else:
                words.append(part)
    return Text(ja=" > ".join(parts["ja"]), en=" > ".join(parts["en"]))


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(character) else
               2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: a tab as a space, every other control or format
    character (ESC, a right-to-left override, a line separator) as its escape ``\\x1b``."""
    out = []
    for character in text:
        if character == "\t":
            out.append(" ")
        elif unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(character.encode("unicode_escape").decode("ascii"))
        else:
            out.append(character)
    return "".join(out)


def quoted(value: object, limit: int = 40) -> str:
    """User input as a message quotes it: at most ``limit`` characters, control characters
    escaped, and any credential in it hidden entirely (``pw: ***``): not its first
    character, not its length (``yaml_loader.excerpt`` does all three)."""
    from validator.yaml_loader import excerpt

    return excerpt(value, limit)
