"""``support-policy status``: where every case stands, the overdue first.

Each case file becomes one row: its state in the flow, the derived figures of SPEC
section 3 (total, paid, balance, due date) and, for an overdue balance, how many
days it is late. A file with a structural problem (S001, S002, S003, S007: no
figures can be read from it) is listed as ``invalid``; ``validate`` says why.

States, decided in this order (the first that applies):

- ``invalid``: the file cannot be read as a case (structural diagnostics);
- ``revoked``: ``license_revoked`` is recorded;
- ``declined``: triage outcome ``declined``;
- ``closed-free``: triage outcome ``manual`` or ``bug`` (answered free);
- ``settled``: work completed and nothing left to pay;
- ``overdue``: work completed, a balance, and its due date has passed;
- ``awaiting-balance``: work completed, a balance, its due date not passed yet;
- ``in-progress``: work started, not completed;
- ``ready``: an estimate, and the prepayment it requires (deposit or whole fee) is paid;
- ``awaiting-prepayment``: an estimate, part of the required prepayment paid;
- ``estimated``: an estimate, nothing paid yet;
- ``triaged``: triage recorded, no estimate yet;
- ``inquiry``: only the inquiry is recorded.

Output formats are reporter classes listed in ``STATUS_REPORTER_BY_NAME``, as for
``validate``.
"""
from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Sequence

from validator.case import FREE_OUTCOMES, Case
from validator.case_schema import schema_findings
from validator.diagnostics import Text
from validator.engine import GATING_CODES, discover
from validator.formatting import format_yen
from validator.policy import Policy
from validator.yaml_loader import load_file


class State(str, enum.Enum):
    """Where a case stands. The order here is the listing's: what needs action first."""

    OVERDUE = "overdue"
    INVALID = "invalid"
    AWAITING_BALANCE = "awaiting-balance"
    IN_PROGRESS = "in-progress"
    READY = "ready"
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
        return _STATE_LABELS[self]

    @property
    def needs_action(self) -> bool:
        """A row that makes ``status`` exit 1: an overdue balance, an unreadable file."""
        return self in (State.OVERDUE, State.INVALID)


_STATE_LABELS = {
    State.OVERDUE: Text("支払期限超過", "overdue"),
    State.INVALID: Text("ファイル不正", "invalid"),
    State.AWAITING_BALANCE: Text("残金待ち", "awaiting balance"),
    State.IN_PROGRESS: Text("作業中", "in progress"),
    State.READY: Text("作業開始可", "ready"),
    State.AWAITING_PREPAYMENT: Text("前払い待ち", "awaiting prepayment"),
    State.ESTIMATED: Text("見積もり済み", "estimated"),
    State.TRIAGED: Text("状況確認済み", "triaged"),
    State.INQUIRY: Text("問い合わせ", "inquiry"),
    State.SETTLED: Text("精算済み", "settled"),
    State.REVOKED: Text("ライセンス削除済み", "revoked"),
    State.CLOSED_FREE: Text("無料対応で終了", "closed free"),
    State.DECLINED: Text("お断り", "declined"),
}
_STATE_ORDER = {state: index for index, state in enumerate(State)}


@dataclass(frozen=True)
class CaseStatus:
    """One row of the listing. Figures are None where the case has none (no estimate, no completion)."""

    id: str
    file: str
    state: State
    total: int | None = None
    paid: int | None = None
    balance: int | None = None
    due_date: dt.date | None = None
    days_overdue: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "file": self.file,
            "state": self.state.value,
            "total": self.total,
            "paid": self.paid,
            "balance": self.balance,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "days_overdue": self.days_overdue,
        }


@dataclass(frozen=True)
class StatusReport:
    as_of: dt.date
    rows: tuple[CaseStatus, ...]

    def count(self, state: State) -> int:
        return sum(1 for row in self.rows if row.state is state)

    @property
    def needs_action(self) -> bool:
        return any(row.state.needs_action for row in self.rows)


def case_status(path: str, policy: Policy, as_of: dt.date) -> CaseStatus:
    """The row of one case file."""
    document = load_file(path)
    data = document.data if isinstance(document.data, dict) else None
    findings = list(document.findings)
    if document.parsed and data is not None:
        findings.extend(schema_findings(document, policy))
    case_id = data.get("id") if data is not None else None
    label = case_id if isinstance(case_id, str) else Path(path).stem
    if data is None or any(finding.code in GATING_CODES for finding in findings):
        return CaseStatus(label, path, State.INVALID)
    case = Case(document, policy, as_of)
    state = _state(case)
    due = case.due_date
    late = (as_of - due).days if state is State.OVERDUE and due is not None else None
    return CaseStatus(label, path, state,
                      total=case.total if case.has_estimate else None,
                      paid=case.paid() if case.has_estimate or case.payments else None,
                      balance=case.balance if case.has_estimate else None,
                      due_date=due if case.has_estimate else None,
                      days_overdue=late)


def _state(case: Case) -> State:
    if case.revoked is not None:
        return State.REVOKED
    if case.outcome == "declined":
        return State.DECLINED
    if case.outcome in FREE_OUTCOMES:
        return State.CLOSED_FREE
    if case.completed is not None:
        if not case.has_estimate or case.balance <= 0:
            return State.SETTLED
        assert case.due_date is not None
        return State.OVERDUE if case.as_of > case.due_date else State.AWAITING_BALANCE
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


def collect_status(paths: Sequence[str], policy: Policy, *, as_of: dt.date) -> StatusReport:
    """Every case file under ``paths``, the most urgent first.

    By state in the order of ``State``, the most days late first, then by due date
    (the earliest first), id and file.
    """
    rows = [case_status(path, policy, as_of) for path in discover(paths)]
    rows.sort(key=lambda row: (_STATE_ORDER[row.state], -(row.days_overdue or 0),
                               row.due_date or dt.date.max, row.id, row.file))
    return StatusReport(as_of, tuple(rows))


# --- output formats ---------------------------------------------------------------------------

_HEADERS = {
    "ja": ("案件", "状態", "合計", "入金済み", "残金", "支払期限", "超過日数"),
    "en": ("case", "state", "total", "paid", "balance", "due date", "days overdue"),
}
_RIGHT_ALIGNED = frozenset({2, 3, 4, 6})  # the amounts and the days
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_ROW_COLOR = {State.OVERDUE: "\x1b[1;31m", State.INVALID: "\x1b[31m", State.AWAITING_BALANCE: "\x1b[33m"}


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(character) else
               2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * (width - cell_width(text))
    return space + text if right else text + space


_FIELDS = ("id", "file", "state", "total", "paid", "balance", "due_date", "days_overdue")


class StatusReporter:
    """Base of the output formats of ``status``."""

    name: ClassVar[str]

    def __init__(self, *, lang: str, color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, report: StatusReport) -> str:
        raise NotImplementedError


class TableStatusReporter(StatusReporter):
    """A table for people: localized headers and states, amounts in yen, overdue rows in red.

    Columns are measured in terminal cells (a kanji takes two), never cut: an amount
    must not lose digits to fit a narrow window.
    """

    name = "table"

    def render(self, report: StatusReport) -> str:
        lines = [self._title(report)]
        if report.rows:
            rows = [self._cells(row) for row in report.rows]
            headers = _HEADERS[self.lang]
            widths = [max(cell_width(line[index]) for line in (headers, *rows)) for index in range(len(headers))]
            header = self._line(headers, widths)
            lines += [self._paint(header, _BOLD), "─" * cell_width(header)]
            lines += [self._paint(self._line(cells, widths), _ROW_COLOR.get(row.state))
                      for row, cells in zip(report.rows, rows)]
        lines += self._footer(report)
        return "\n".join(lines) + "\n"

    @staticmethod
    def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
        padded = (_pad(cell, width, right=index in _RIGHT_ALIGNED)
                  for index, (cell, width) in enumerate(zip(cells, widths)))
        return "   ".join(padded).rstrip()

    def _paint(self, line: str, color: str | None) -> str:
        return f"{color}{line}{_RESET}" if self.color and color else line

    def _cells(self, row: CaseStatus) -> tuple[str, ...]:
        def yen(amount: int | None) -> str:
            return "" if amount is None else format_yen(amount, self.lang)

        return (row.id, row.state.label.in_language(self.lang), yen(row.total), yen(row.paid), yen(row.balance),
                row.due_date.isoformat() if row.due_date else "",
                "" if row.days_overdue is None else str(row.days_overdue))

    def _title(self, report: StatusReport) -> str:
        if self.lang == "ja":
            return f"{report.as_of}時点の案件: {len(report.rows)}件"
        return f"Cases as of {report.as_of}: {len(report.rows)}"

    def _footer(self, report: StatusReport) -> list[str]:
        lines = []
        overdue, invalid = report.count(State.OVERDUE), report.count(State.INVALID)
        if overdue:
            lines.append(f"期限を過ぎた残金が{overdue}件あります。入金を記録するか、ライセンスを削除して license_revoked に日付を記録してください。"
                         if self.lang == "ja" else
                         f"{overdue} balance(s) overdue: record the payment, or delete the license and record "
                         "the day in license_revoked.")
        if invalid:
            lines.append(f"{invalid}件のファイルは案件として読めないため状態を判定できません。`support-policy validate` で原因を確認してください。"
                         if self.lang == "ja" else
                         f"{invalid} file(s) cannot be read as cases, so their state is unknown: "
                         "`support-policy validate` says why.")
        return [""] + lines if lines else []


class JsonStatusReporter(StatusReporter):
    """One JSON object: the as-of date, the rows (stable keys and state ids, amounts in yen) and counts."""

    name = "json"

    def render(self, report: StatusReport) -> str:
        document = {
            "as_of": report.as_of.isoformat(),
            "cases": [row.as_dict() for row in report.rows],
            "summary": {state.value: report.count(state) for state in State if report.count(state)},
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class CsvStatusReporter(StatusReporter):
    """CSV for a spreadsheet: the JSON rows' keys as the header, plain numbers, state ids."""

    name = "csv"

    def render(self, report: StatusReport) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in report.rows:
            writer.writerow({key: "" if value is None else value for key, value in row.as_dict().items()})
        return out.getvalue()


STATUS_REPORTER_BY_NAME: dict[str, type[StatusReporter]] = {
    reporter.name: reporter for reporter in (TableStatusReporter, JsonStatusReporter, CsvStatusReporter)
}
