"""Rules about the order of the case's dates and about dates in the future."""
from __future__ import annotations

from collections.abc import Iterator

from validator.case import Case
from validator.diagnostics import Problem, Severity, Text
from validator.formatting import describe_path
from validator.rules.base import case_rule
from validator.yaml_loader import Path_

MESSAGES: dict[str, Text] = {
    "T001": Text(
        ja="「{later}」({value})が「{earlier}」({earlier_value})より前になっています。日付を確認してください。",
        en="`{later}` ({value}) is before `{earlier}` ({earlier_value}). Check the dates."),
    "T001.check-before-opened": Text(
        ja="「{check}」({value})がお問い合わせの日「opened」({opened})より前です。日付を確認してください。",
        en="`{check}` ({value}) is before the inquiry was opened (`opened`, {opened}). Check the dates."),
    "T001.payment-before-opened": Text(
        ja="支払い日({value})がお問い合わせの日「opened」({opened})より前です。日付を確認してください。",
        en="The payment date ({value}) is before the inquiry was opened (`opened`, {opened}). Check the dates."),
    "T001.payment-before-estimate": Text(
        ja="支払い日({value})がお見積もり日({estimated})より前です。見積もりの前に支払うものはありません。日付を確認してください。",
        en="The payment date ({value}) is before the estimate ({estimated}); nothing is due before the estimate. Check the dates."),
    "T002": Text(
        ja="「{where}」({value})が基準日({as_of})より後の日付です。年や月の打ち間違いか、まだ起きていない予定を書いていないか確認してください。",
        en="`{where}` ({value}) is after the as-of date ({as_of}). Check for a mistyped year or month, or a plan recorded as if it had happened."),
}

# The flow's dates in the order the steps happen (SPEC rule T001).
FLOW_ORDER: tuple[Path_, ...] = (
    ("opened",), ("triage", "date"), ("estimate", "date"),
    ("work", "started"), ("work", "completed"), ("license_revoked",),
)
CHECK_KEYS = ("credentials_secured", "api_signature_removed", "backups_removed")


DOCS_JA: dict[str, str] = {
    "T001": (
        "日付が流れの順序に合っていること: opened ≦ triage ≦ estimate ≦ work.started ≦ work.completed ≦ license_revoked。書かれている日付だけを比べます。確認(checks)と支払いはお問い合わせより前にはならず、支払いはお見積もりより前にはなりません。"),
    "T002": (
        "どの日付も基準日(既定はポリシーのタイムゾーンでの今日)より後でないこと。未来の日付は打ち間違い(2026 を 2062 など)か、まだ起きていない予定です。"),
}


@case_rule("T001", "date-order", Severity.ERROR, "flow", Text(
    ja="日付が流れの順序と矛盾しています", en="Dates contradict the order of the flow"), messages=MESSAGES, docs_ja=DOCS_JA)
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
            yield Problem(case.at(*path), MESSAGES["T001"].format(
                later=describe_path(path), value=value, earlier=describe_path(latest[0]), earlier_value=latest[1]))
        else:
            latest = (path, value)
    opened = case.date("opened")
    for key in CHECK_KEYS:
        value = case.date("checks", key)
        if value is not None and opened is not None and value < opened:
            yield Problem(case.at("checks", key), MESSAGES["T001.check-before-opened"].format(
                check=describe_path(("checks", key)), value=value, opened=opened))
    estimated = case.date("estimate", "date")
    for payment in case.standing_payments:
        where = case.at("payments", payment.index, "date")
        if opened is not None and payment.date < opened:
            yield Problem(where, MESSAGES["T001.payment-before-opened"].format(value=payment.date, opened=opened))
        elif estimated is not None and payment.date < estimated:
            yield Problem(where, MESSAGES["T001.payment-before-estimate"].format(value=payment.date, estimated=estimated))


@case_rule("T002", "future-date", Severity.ERROR, "flow", Text(
    ja="日付が基準日より後です", en="A date lies after the as-of date"), messages=MESSAGES, docs_ja=DOCS_JA)
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
            yield Problem(case.at(*path), MESSAGES["T002"].format(where=describe_path(path), value=value, as_of=case.as_of))
