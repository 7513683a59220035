"""Calendar dates as the policy reads them: plain YYYY-MM-DD days in its time zone."""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # imported when a schema check needs it, not on every start
    import jsonschema

DATE_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# Tests and reproducible runs may pin the clock; the operator never needs to.
NOW_VARIABLE = "SUPPORT_POLICY_NOW"


def parse_date(text: object) -> dt.date | None:
    """The date a ``YYYY-MM-DD`` string names, or None if it names no real day."""
    if not isinstance(text, str) or len(text) != 10:
        return None
    return _parse_date_text(text)


@functools.lru_cache(maxsize=4096)  # rules read the same few dates of a case many times
def _parse_date_text(text: str) -> dt.date | None:
    if not DATE_SHAPE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def today(time_zone: str) -> dt.date:
    """Today's date in ``time_zone``, whatever the machine's TZ says."""
    pinned = os.environ.get(NOW_VARIABLE)
    if pinned:
        now = dt.datetime.fromisoformat(pinned.replace("Z", "+00:00"))
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
    else:
        now = dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(time_zone)).date()


def is_calendar_date_or_other_shape(value: object) -> bool:
    """The ``date`` format: a YYYY-MM-DD string must name a real day.

    Strings of another shape are left to the schema's ``pattern``, so that one
    mistake gives one message.
    """
    if not isinstance(value, str) or not DATE_SHAPE.match(value):
        return True
    return parse_date(value) is not None


def date_format_checker() -> jsonschema.FormatChecker:
    """A format checker that knows only ``date``, the one format our schemas use."""
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date")(is_calendar_date_or_other_shape)
    return checker
