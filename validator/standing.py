"""Where a case stands on a day: its state in the flow and the figures the operator acts on.

``status`` lists these; ``today`` turns them into actions. Both read each file
through ``engine.read_case``, the path ``validate`` takes, and decide with the same
conditions as the rules, so the three commands never disagree: ``overdue`` is
exactly when P006 fires, ``overpaid`` when P004 does, ``invalid`` when the file is
gated (S001, S002, S003, S007).

The state on an earlier day (``--as-of``) is read from the case as it was then:
every event dated after that day is left out (``case_on``).

States, decided in this order (the first that applies):

- ``invalid``: the file cannot be read as a case;
- ``overpaid``: the payments exceed the estimate's total (P004);
- ``overdue``: a balance whose due date has passed, no revocation recorded (P006);
- ``revoked``: ``license_revoked`` is recorded;
- ``declined``: triage outcome ``declined``;
- ``closed-free``: triage outcome ``manual`` or ``bug`` (answered free);
- ``settled``: work completed and nothing left to pay;
- ``awaiting-balance``: work completed, a balance, its due date not passed yet (P008);
- ``in-progress``: work started, not completed;
- ``ready``: the prepayment is paid and every check A001-A003 needs is recorded (and, for
  A005, whether a PayPal API signature is set is known);
- ``awaiting-checks``: the prepayment is paid, some of those checks are not recorded;
- ``awaiting-prepayment``: an estimate, part of the required prepayment paid;
- ``estimated``: an estimate, nothing paid yet;
- ``triaged``: triage recorded, no estimate yet;
- ``inquiry``: only the inquiry is recorded.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from validator.case import FREE_OUTCOMES, Case
from validator.dates import parse_date
from validator.diagnostics import Text
from validator.engine import ReadCase
from validator.formatting import quoted
from validator.rules.access import api_signature_unknown_for, checks_needed


class State(str, enum.Enum):
    """Where a case stands. The order here is the listing's: what needs action first."""

    OVERDUE = "overdue"
    INVALID = "invalid"
    OVERPAID = "overpaid"
    AWAITING_BALANCE = "awaiting-balance"
    IN_PROGRESS = "in-progress"
    READY = "ready"
    AWAITING_CHECKS = "awaiting-checks"
    AWAITING_PREPAYMENT = "awaiting-prepayment"
    ESTIMATED = "estimated"
    TRIAGED = "triaged"
    INQUIRY = "inquiry"
    SETTLED = "settled"
    REVOKED = "revoked"
    CLOSED_FREE = "closed-free"
    DECLINED = "declined"

    @property
    def label(self) -> Text:
        return STATE_LABELS[self]

    @property
    def fails(self) -> bool:
        """A state ``validate`` reports as an error of its own: the command exits 1."""
        return self in (State.OVERDUE, State.INVALID, State.OVERPAID)


STATE_LABELS = {
    State.OVERDUE: Text("支払期限超過", "overdue"),
    State.INVALID: Text("ファイル不正", "invalid"),
    State.OVERPAID: Text("過入金", "overpaid"),
    State.AWAITING_BALANCE: Text("残金待ち", "awaiting balance"),
    State.IN_PROGRESS: Text("作業中", "in progress"),
    State.READY: Text("作業開始可", "ready"),
    State.AWAITING_CHECKS: Text("確認待ち", "awaiting checks"),
    State.AWAITING_PREPAYMENT: Text("前払い待ち", "awaiting prepayment"),
    State.ESTIMATED: Text("見積もり済み", "estimated"),
    State.TRIAGED: Text("状況確認済み", "triaged"),
    State.INQUIRY: Text("問い合わせ", "inquiry"),
    State.SETTLED: Text("精算済み", "settled"),
    State.REVOKED: Text("ライセンス削除済み", "revoked"),
    State.CLOSED_FREE: Text("無料対応で終了", "closed free"),
    State.DECLINED: Text("お断り", "declined"),
}
STATE_ORDER = {state: index for index, state in enumerate(State)}


@dataclass(frozen=True)
class Standing:
    """One case on one day. Figures are None where the case has none (no estimate, no completion).

    ``customer_ref`` and ``license`` are shown as ``validate`` quotes user text: a
    credential masked, control characters escaped, cut to a readable length.
    """

    id: str
    file: str
    state: State
    case: Case | None = None  # the case as it was on the day; None for an invalid file
    customer_ref: str | None = None
    language: str = "ja"
    license: str | None = None
    missing_checks: tuple[str, ...] = ()  # rule codes (A001-A003, A005) whose check is not recorded
    total: int | None = None
    paid: int | None = None
    balance: int | None = None
    required_prepayment: int | None = None
    ask_now: int | None = None  # the amount to ask the customer for today
    due_date: dt.date | None = None
    days: int | None = None  # days left to the due date; negative when overdue
    received_this_month: int = 0  # paid in the as-of date's month, up to that day

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "file": self.file,
            "state": self.state.value,
            "missing_checks": list(self.missing_checks),
            "customer": {"ref": self.customer_ref, "language": self.language},
            "license": self.license,
            "total": self.total,
            "paid": self.paid,
            "balance": self.balance,
            "ask_now": self.ask_now,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "days": self.days,
            "days_overdue": self.days_overdue,
        }

    @property
    def days_overdue(self) -> int | None:
        """Days past the due date (SPEC 5's "days overdue"); None when not overdue."""
        return -self.days if self.days is not None and self.days < 0 else None


def _printable(value: object) -> str | None:
    """User text fit to print in a table (``formatting.quoted``), or None when absent.

    A cut is marked ``~``: the ellipsis is of ambiguous width on a terminal."""
    return None if value is None else quoted(value).replace("\u2026", "~")


def case_on(case: Case, day: dt.date) -> Case | None:
    """The case as it stood at the end of ``day``: every event dated later left out.

    None when the inquiry itself arrived later. With no date after ``day`` in the
    file, the case is returned unchanged.
    """
    voided = [parse_date(entry["void"].get("date")) for entry in case.get("payments") or ()
              if isinstance(entry, dict) and isinstance(entry.get("void"), dict)]
    if all(date <= day for _, date in case.dates()) and all(date is None or date <= day for date in voided):
        return case if case.as_of == day else Case(case.document, case.policy, day)
    data: dict[str, Any] = copy.deepcopy(case.data)

    def later(value: object) -> bool:
        date = parse_date(value)
        return date is not None and date > day

    if later(data.get("opened")):
        return None
    for section in ("triage", "estimate"):
        if isinstance(data.get(section), dict) and later(data[section].get("date")):
            del data[section]
    if isinstance(data.get("payments"), list):
        kept = []
        for entry in data["payments"]:
            if isinstance(entry, dict) and later(entry.get("date")):
                continue
            if isinstance(entry, dict) and isinstance(entry.get("void"), dict) and later(entry["void"].get("date")):
                entry = {key: value for key, value in entry.items() if key != "void"}
            kept.append(entry)
        data["payments"] = kept
    if isinstance(data.get("checks"), dict):
        data["checks"] = {key: value for key, value in data["checks"].items() if not later(value)}
    work = data.get("work")
    if isinstance(work, dict):
        if later(work.get("started")):
            data["work"] = {}
        elif later(work.get("completed")):
            work.pop("completed")
    if later(data.get("license_revoked")):
        data["license_revoked"] = None
    return Case(dataclasses.replace(case.document, data=data), case.policy, day)


def standing(read: ReadCase, as_of: dt.date) -> Standing | None:
    """Where the case of ``read`` stands on ``as_of``; None when it was not opened yet."""
    if read.case is None:
        return Standing(read.label, read.path, State.INVALID)
    case = case_on(read.case, as_of)
    if case is None:
        return None
    state = _state(case)
    missing = _missing_checks(case)
    if state is State.READY and missing:
        state = State.AWAITING_CHECKS
    due = case.due_date if case.has_estimate else None
    figures = case.has_estimate
    paid = case.paid()
    return Standing(
        read.label, read.path, state, case,
        customer_ref=_printable(case.get("customer", "ref")),
        language=case.get("customer", "language") or "ja",
        license=_printable(case.get("customer", "license")),
        missing_checks=missing if state is State.AWAITING_CHECKS else (),
        total=case.total if figures else None,
        paid=paid if figures or case.payments else None,
        balance=case.balance if figures else None,
        required_prepayment=case.required_prepayment if figures else None,
        ask_now=_ask_now(case, state),
        due_date=due,
        days=(due - as_of).days if due is not None and state in (State.AWAITING_BALANCE, State.OVERDUE) else None,
        received_this_month=paid - case.paid(by=as_of.replace(day=1) - dt.timedelta(days=1)),
    )


def _missing_checks(case: Case) -> tuple[str, ...]:
    """The checks A001-A003 still to record, and A005 while no one knows whether a PayPal API
    signature is set: work cannot start safely until the customer has answered."""
    missing = tuple(code for code, key in checks_needed(case) if case.date("checks", key) is None)
    return (*missing, "A005") if api_signature_unknown_for(case) else missing


def _ask_now(case: Case, state: State) -> int | None:
    if state in (State.ESTIMATED, State.AWAITING_PREPAYMENT):
        return case.required_prepayment - case.paid()
    if state in (State.AWAITING_BALANCE, State.OVERDUE):
        return case.balance
    return None


def _state(case: Case) -> State:
    if case.has_estimate and case.paid() > case.total:
        return State.OVERPAID
    due = case.due_date
    if (case.has_estimate and due is not None and case.revoked is None
            and case.as_of > due and case.balance > 0):
        return State.OVERDUE
    if case.revoked is not None:
        return State.REVOKED
    if case.outcome == "declined":
        return State.DECLINED
    if case.outcome in FREE_OUTCOMES:
        return State.CLOSED_FREE
    if case.completed is not None:
        if not case.has_estimate or case.balance <= 0:
            return State.SETTLED
        return State.AWAITING_BALANCE
    if case.started is not None:
        return State.IN_PROGRESS
    if case.has_estimate:
        paid = case.paid()
        if paid >= case.required_prepayment:
            return State.READY
        return State.AWAITING_PREPAYMENT if paid > 0 else State.ESTIMATED
    if case.get("triage") is not None:
        return State.TRIAGED
    return State.INQUIRY
