"""Rules about the order of the case's dates and about dates in the future."""
from __future__ import annotations

from typing import Iterator

from validator.case import Case
from validator.diagnostics import Problem, Severity, Text
from validator.rules.base import case_rule
from validator.yaml_loader import Path_

# The flow's dates in the order the steps happen (SPEC rule T001).
FLOW_ORDER: tuple[Path_, ...] = (
    ("opened",), ("triage", "date"), ("estimate", "date"),
    ("work", "started"), ("work", "completed"), ("license_revoked",),
)
CHECK_KEYS = ("credentials_secured", "api_signature_removed", "backups_removed")


def _name(path: Path_) -> str:
    return ".".join(str(part) for part in path)


@case_rule("T001", "date-order", Severity.ERROR, "flow", Text(
    ja="日付が流れの順序と矛盾しています", en="Dates contradict the order of the flow"))
def date_order(case: Case) -> Iterator[Problem]:
    """Dates follow the flow: opened <= triage <= estimate <= work.started <= work.completed <= license_revoked.

    Only the dates present are compared; each date earlier than one that must precede
    it is flagged. Checks and payments are not dated before the inquiry, and payments
    not before the estimate (there is nothing to pay before it).

    Fails::

        opened: 2026-11-05
        triage: {date: 2026-11-03, outcome: paid}   # before the inquiry

    Passes::

        opened: 2026-11-02
        triage: {date: 2026-11-03, outcome: paid}
    """
    latest: tuple[Path_, object] | None = None
    for path in FLOW_ORDER:
        value = case.date(*path)
        if value is None:
            continue
        if latest is not None and value < latest[1]:  # type: ignore[operator]
            before = _name(latest[0])
            yield Problem(case.at(*path), Text(
                ja=f"{_name(path)}({value})が{before}({latest[1]})より前になっています。日付を確認してください。",
                en=f"{_name(path)} ({value}) is before {before} ({latest[1]}). Check the dates."))
        else:
            latest = (path, value)
    opened = case.date("opened")
    for key in CHECK_KEYS:
        value = case.date("checks", key)
        if value is not None and opened is not None and value < opened:
            yield Problem(case.at("checks", key), Text(
                ja=f"checks.{key}({value})がお問い合わせ日 opened({opened})より前です。",
                en=f"checks.{key} ({value}) is before the inquiry was opened ({opened})."))
    estimated = case.date("estimate", "date")
    for payment in case.standing_payments:
        where = case.at("payments", payment.index, "date")
        if opened is not None and payment.date < opened:
            yield Problem(where, Text(
                ja=f"支払い日({payment.date})がお問い合わせ日 opened({opened})より前です。",
                en=f"The payment date ({payment.date}) is before the inquiry was opened ({opened})."))
        elif estimated is not None and payment.date < estimated:
            yield Problem(where, Text(
                ja=f"支払い日({payment.date})がお見積り日({estimated})より前です。",
                en=f"The payment date ({payment.date}) is before the estimate ({estimated})."))


@case_rule("T002", "future-date", Severity.ERROR, "flow", Text(
    ja="日付が基準日より後です", en="A date lies after the as-of date"))
def future_date(case: Case) -> Iterator[Problem]:
    """No date lies after the as-of date (today in the policy's time zone by default).

    A future date is a typo (2062 for 2026) or a plan recorded as a fact.

    Fails (as of 2026-11-28)::

        work: {started: 2026-12-01}

    Passes::

        work: {started: 2026-11-28}
    """
    for path, value in case.dates():
        if value > case.as_of:
            yield Problem(case.at(*path), Text(
                ja=f"{_name(path)}({value})が基準日({case.as_of})より後の日付です。",
                en=f"{_name(path)} ({value}) is after the as-of date ({case.as_of})."))
