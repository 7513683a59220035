"""``support-policy status``: where every case stands, the most urgent first.

Each case file becomes one row (``standing.Standing``): its state, total, paid, balance,
due date and the days left to it (negative when overdue; ``days_overdue`` in JSON), then
the customer's reference, language and license, and the amount to ask the customer for
now (the prepayment still missing, or the balance). The states and how they are decided are in
``validator/standing.py``; files are read through ``engine.read_case``, as by
``validate``. A totals row gives the balances outstanding and what was received
in the as-of date's month.

Output formats are reporter classes listed in ``STATUS_REPORTER_BY_NAME``, as for
``validate``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from validator.diagnostics import Text
from validator.engine import discover, read_case
from validator.formatting import cell_width, format_yen
from validator.policy import Policy
from validator.standing import STATE_ORDER, Standing, State, standing
from validator.terminal import TERMINAL_WIDTH, clip, table, wrap

__all__ = ["STATUS_REPORTER_BY_NAME", "State", "StatusReport", "cell_width", "collect_status"]


@dataclass(frozen=True)
class Totals:
    outstanding: int  # balances of completed work not paid yet (awaiting or overdue)
    outstanding_cases: int
    received_this_month: int  # payments counted as paid, dated in the as-of date's month up to it

    def as_dict(self, as_of: dt.date) -> dict[str, object]:
        return {"outstanding": self.outstanding, "outstanding_cases": self.outstanding_cases,
                "month": f"{as_of:%Y-%m}", "received_this_month": self.received_this_month}


@dataclass(frozen=True)
class StatusReport:
    as_of: dt.date
    rows: tuple[Standing, ...]  # the rows shown (after ``--state``)
    fails: bool  # some case, shown or not, is in a state validate reports as an error

    def count(self, state: State) -> int:
        return sum(1 for row in self.rows if row.state is state)

    @property
    def totals(self) -> Totals:
        owed = [row for row in self.rows if row.state in (State.AWAITING_BALANCE, State.OVERDUE)]
        received = sum(row.received_this_month for row in self.rows)
        return Totals(sum(row.balance or 0 for row in owed), len(owed), received)


def collect_status(paths: Sequence[str], policy: Policy, *, as_of: dt.date,
                   states: Sequence[State] = ()) -> StatusReport:
    """Every case file under ``paths`` opened by ``as_of``, the most urgent first.

    By state in the order of ``State``, the most days late first, then by due date
    (the earliest first), id and file. ``states``: only rows in these states.
    """
    rows = [dataclasses.replace(row, case=None)  # a row keeps its figures, not the file: memory stays flat
            for row in (standing(read_case(path, policy, as_of), as_of) for path in discover(paths))
            if row is not None]
    rows.sort(key=lambda row: (STATE_ORDER[row.state], row.days if row.days is not None else 0,
                               row.due_date or dt.date.max, row.id, row.file))
    fails = any(row.state.fails for row in rows)
    shown = tuple(row for row in rows if not states or row.state in states)
    return StatusReport(as_of, shown, fails)


def state_cell(row: Standing, lang: str) -> str:
    """The state's name; for a case awaiting checks, with the rules whose checks are missing."""
    label = row.state.label.in_language(lang)
    if row.missing_checks:
        return f"{label}:{','.join(row.missing_checks)}"
    return label


MESSAGES: dict[str, Text] = {
    "title": Text(ja="{as_of}時点の案件: {count}件", en="Cases as of {as_of}: {count}"),
    "totals": Text(ja="未収の残金: {outstanding}({cases}件)  {month}の入金: {received}",
                   en="Balances outstanding: {outstanding} ({cases})  received in {month}: {received}"),
    "overdue": Text(ja="期限を過ぎた残金が{count}件あります。入金を記録するか、ライセンスを削除して license_revoked に日付を記録してください。",
                    en="Overdue balances: {count}. Record the payment, or delete the license and record the day in license_revoked."),
    "overpaid": Text(ja="見積もり合計を超える入金が{count}件あります(P004)。入金の記録を確認してください。",
                     en="Cases paid more than their total: {count} (P004). Check the payments recorded."),
    "invalid": Text(ja="案件として読めないファイルが{count}件あり、状態を判定できません。`support-policy validate` で原因を確認してください。",
                    en="Files that cannot be read as cases, so their state is unknown: {count}. `support-policy validate` says why."),
    "missing-checks": Text(ja="未記録の確認: {codes}", en="checks to record: {codes}"),
    "checks": Text(ja="確認待ち: A001 パスワードの変更、A002 API署名の削除、A003 バックアップファイルの削除、A005 API署名の有無のうち、記録されていないものがあります。",
                   en="Awaiting checks: some of A001 credentials secured, A002 API signature removed, A003 backups removed, A005 whether an API signature is set are not recorded."),
}

# SPEC 5's columns (state, total, paid, balance, due date, days), then who the case is for
# and what to ask them for now.
_HEADERS = {
    "ja": ("案件", "状態", "合計", "入金済み", "残金", "支払期限", "日数", "顧客", "言語", "ライセンス", "請求額"),
    "en": ("case", "state", "total", "paid", "balance", "due", "days", "customer", "lang", "license", "to ask"),
}
_RIGHT_ALIGNED = frozenset({2, 3, 4, 6, 10})  # the amounts and the days
_FIRST_LINE = 7  # on a terminal, the columns from here go on a second line under the state
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_ROW_COLOR = {State.OVERDUE: "\x1b[1;31m", State.INVALID: "\x1b[31m", State.OVERPAID: "\x1b[31m",
              State.AWAITING_BALANCE: "\x1b[33m"}


class StatusReporter:
    """Base of the output formats of ``status``."""

    name: ClassVar[str]

    def __init__(self, *, lang: str, color: bool = False) -> None:
        self.lang = lang
        self.color = color

    def render(self, report: StatusReport) -> str:
        raise NotImplementedError

    def yen(self, amount: int | None) -> str:
        return "" if amount is None else format_yen(amount, self.lang)

    def totals_line(self, report: StatusReport) -> str:
        totals = report.totals
        return MESSAGES["totals"].format(outstanding=self.yen(totals.outstanding), cases=totals.outstanding_cases,
                                         month=f"{report.as_of:%Y-%m}",
                                         received=self.yen(totals.received_this_month)).in_language(self.lang)


class TableStatusReporter(StatusReporter):
    """A table for people: localized headers and states, amounts in yen, overdue rows in red.

    Fits an 80-column terminal: columns are measured in terminal cells (a kanji takes
    two), a long id, reference or license is cut (marked ``~``), an amount never is. Each
    case takes two lines: its figures, then under them the customer, language, license
    and the amount to ask for now.
    """

    name = "table"

    def render(self, report: StatusReport) -> str:
        lines = [MESSAGES["title"].format(as_of=report.as_of, count=len(report.rows)).in_language(self.lang)]
        if report.rows:
            cells = [_cells(row, self.lang, self.yen, checks=False) for row in report.rows]
            headers = _HEADERS[self.lang][:_FIRST_LINE]
            rows = _fit(headers, [line[:_FIRST_LINE] for line in cells], column=0)
            header, rule, *body = table(headers, rows, right=_RIGHT_ALIGNED)
            indent = " " * (max(cell_width(line[0]) for line in (headers, *rows)) + 2)
            lines += [self._paint(header, _BOLD), rule]
            for row, line, details in zip(report.rows, body, cells, strict=True):
                lines.append(self._paint(line, _ROW_COLOR.get(row.state)))
                second = self._details(row, details[_FIRST_LINE:])
                if second:
                    lines.append(indent + second)
            lines += ["", self.totals_line(report)]
        notes = [MESSAGES[key].format(count=count).in_language(self.lang) for key, count in (
            ("overdue", report.count(State.OVERDUE)), ("overpaid", report.count(State.OVERPAID)),
            ("invalid", report.count(State.INVALID))) if count]
        if report.count(State.AWAITING_CHECKS):
            notes.append(MESSAGES["checks"].in_language(self.lang))
        if notes:
            lines.append("")
            for note in notes:
                lines += wrap(note, TERMINAL_WIDTH)
        return "\n".join(lines) + "\n"

    def _paint(self, line: str, color: str | None) -> str:
        return f"{color}{line}{_RESET}" if self.color and color else line

    def _details(self, row: Standing, cells: Sequence[str]) -> str:
        """The second line of a case: customer, language, license, what to ask for, and the
        checks still to record."""
        customer, language, license_, ask = cells
        words = [clip(customer, 10), language, clip(license_, 10)]
        if ask:
            words.append(f"{_HEADERS[self.lang][-1]} {ask}")
        if row.missing_checks:
            words.append(MESSAGES["missing-checks"].format(codes=", ".join(row.missing_checks)).in_language(self.lang))
        return "  ".join(word for word in words if word)


def _cells(row: Standing, lang: str, yen: Callable[[int | None], str], *, checks: bool = True) -> list[str]:
    """A row's cells, in the order of ``_HEADERS``; ``checks``: the state names the missing checks."""
    state = state_cell(row, lang) if checks else row.state.label.in_language(lang)
    return [row.id, state, yen(row.total), yen(row.paid), yen(row.balance),
            row.due_date.isoformat() if row.due_date else "", "" if row.days is None else str(row.days),
            row.customer_ref or "", row.language if row.state is not State.INVALID else "", row.license or "",
            yen(row.ask_now)]


def _fit(headers: Sequence[str], rows: list[list[str]], *, column: int) -> list[list[str]]:
    """Cut the cells of ``column`` so that the table fits the terminal (never below 8 cells)."""
    width = sum(max(cell_width(line[index]) for line in (headers, *rows)) for index in range(len(headers)))
    width += 2 * (len(headers) - 1)
    excess = width - TERMINAL_WIDTH
    if excess <= 0:
        return rows
    widest = max(cell_width(line[column]) for line in (headers, *rows))
    limit = max(8, widest - excess)
    return [[clip(cell, limit) if index == column else cell for index, cell in enumerate(line)] for line in rows]


class JsonStatusReporter(StatusReporter):
    """One JSON object: the as-of date, the rows (stable keys and state ids, amounts in yen), totals, counts."""

    name = "json"

    def render(self, report: StatusReport) -> str:
        document = {
            "as_of": report.as_of.isoformat(),
            "cases": [row.as_dict() for row in report.rows],
            "totals": report.totals.as_dict(report.as_of),
            "summary": {state.value: report.count(state) for state in State if report.count(state)},
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# `state` is the state's id in every language (other tools read it); `state_name` is for people.
_CSV_FIELDS = ("id", "file", "state", "state_name", "missing_checks", "customer_ref", "language", "license", "total",
               "paid", "balance", "ask_now", "due_date", "days", "days_overdue")
_CSV_HEADERS_JA = ("案件", "ファイル", "状態コード", "状態", "未記録の確認", "顧客", "言語", "ライセンス", "合計",
                   "入金済み", "残金", "請求額", "支払期限", "日数", "超過日数")
BOM = "\ufeff"


class CsvStatusReporter(StatusReporter):
    """CSV for a spreadsheet: UTF-8 with a BOM (Excel reads it as UTF-8), plain numbers.

    ``--lang ja``: Japanese headers and state names; ``--lang en``: the JSON keys and English
    names; the state's id is a column of its own in both.
    """

    name = "csv"

    def render(self, report: StatusReport) -> str:
        import csv  # only this format needs it, not every start of the command

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(_CSV_HEADERS_JA if self.lang == "ja" else _CSV_FIELDS)
        for row in report.rows:
            values = {**row.as_dict(), "state_name": row.state.label.in_language(self.lang),
                      "missing_checks": " ".join(row.missing_checks),
                      "customer_ref": row.customer_ref, "language": row.language}
            writer.writerow(["" if values[key] is None else values[key] for key in _CSV_FIELDS])
        return BOM + out.getvalue()


def markdown_cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table: one line, ``|`` escaped, no HTML tags."""
    return " ".join(text.splitlines()).replace("|", "\\|").replace("<", "&lt;")


class MarkdownStatusReporter(StatusReporter):
    """A Markdown table (a GitHub issue, a run summary)."""

    name = "markdown"

    def render(self, report: StatusReport) -> str:
        lines = [f"### {MESSAGES['title'].format(as_of=report.as_of, count=len(report.rows)).in_language(self.lang)}",
                 ""]
        if report.rows:
            headers = _HEADERS[self.lang]
            lines += ["| " + " | ".join(headers) + " |",
                      "| " + " | ".join("---:" if index in _RIGHT_ALIGNED else "---"
                                        for index in range(len(headers))) + " |"]
            for row in report.rows:
                lines.append("| " + " | ".join(markdown_cell(cell) for cell in _cells(row, self.lang, self.yen)) + " |")
            lines += ["", self.totals_line(report)]
        return "\n".join(lines) + "\n"


STATUS_REPORTER_BY_NAME: dict[str, type[StatusReporter]] = {
    reporter.name: reporter
    for reporter in (TableStatusReporter, JsonStatusReporter, CsvStatusReporter, MarkdownStatusReporter)
}
