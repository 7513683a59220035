"""``support-policy payments``: every recorded payment, searchable, with totals (SPEC 7.4).

This is the search by 取引年月日 (date), 取引金額 (amount) and 取引先 (the customer) that
電子帳簿保存法 asks of electronic transaction records, over the case files themselves:
the same discovery and per-file reading as ``validate`` (``engine.discover``,
``engine.read_case``); nothing is written. A voided entry (``void``: recorded by mistake)
is listed as voided and left out of the totals. A file that cannot be read as a case is
reported (exit 1), so that no payment is missed silently.

Output formats are reporter classes listed in ``PAYMENT_REPORTER_BY_NAME``. CSV is for a
spreadsheet: headers and labels in the chosen language, UTF-8 with a byte-order mark
under ``--lang ja`` (so that Excel reads the Japanese), one row per payment and no totals
row (a spreadsheet sums a column itself).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from validator.case_schema import schema_file_text
from validator.dates import parse_date
from validator.diagnostics import Text
from validator.engine import discover, read_case
from validator.formatting import cell_width, format_yen
from validator.policy import Policy
from validator.yaml_loader import excerpt


def payment_methods() -> tuple[str, ...]:
    """The methods a payment may name, from the case schema (their one home)."""
    schema = json.loads(schema_file_text())
    return tuple(schema["properties"]["payments"]["items"]["properties"]["method"]["enum"])


MESSAGES: dict[str, Text] = {
    "title": Text(ja="支払いの記録: {count}件", en="Recorded payments: {count}"),
    "title-filtered": Text(ja="支払いの記録: {count}件(条件: {filters})",
                           en="Recorded payments: {count} (search: {filters})"),
    "none": Text(ja="条件に合う支払いはありません。", en="No payment matches."),
    "totals": Text(ja="合計: 受領 {received}、返金 {refunded}(対象{count}件。取り消し済みの記録は含みません)",
                   en="Totals: received {received}, refunded {refunded} (entries counted: {count}; "
                      "voided entries are not counted)"),
    "voided-total": Text(ja="取り消し済み: {count}件、{amount}(合計に含みません)",
                         en="Voided: entries {count}, {amount} (not in the totals)"),
    "voided": Text(ja="取消 {date}: {reason}", en="voided {date}: {reason}"),
    "unreadable": Text(
        ja="{count}件のファイルは案件として読めないため、支払いを一覧にできません。`support-policy validate` で直してください:",
        en="Files that cannot be read as cases, so their payments are not listed (entries: {count}); "
           "`support-policy validate` says how to fix them:"),
    "bad-range": Text(ja="{low}({low_value})が{high}({high_value})より大きいため、合う支払いがありません。",
                      en="{low} ({low_value}) is above {high} ({high_value}), so no payment could match."),
}

FILTER_LABELS: dict[str, Text] = {
    "start": Text(ja="{value}から", en="from {value}"),
    "end": Text(ja="{value}まで", en="to {value}"),
    "minimum": Text(ja="{value}以上", en="at least {value}"),
    "maximum": Text(ja="{value}以下", en="at most {value}"),
    "customer": Text(ja="取引先 {value}", en="customer {value}"),
    "method": Text(ja="支払方法 {value}", en="method {value}"),
    "case": Text(ja="案件 {value}", en="case {value}"),
}

METHOD_LABELS = {"paypal": Text("PayPal", "PayPal"), "card": Text("カード", "card"),
                 "bank": Text("銀行振込", "bank transfer")}
KIND_LABELS = {"deposit": Text("内金", "deposit"), "full": Text("全額前払い", "full prepayment"),
               "balance": Text("残金", "balance"), "refund": Text("返金", "refund")}

COLUMNS: dict[str, tuple[str, ...]] = {
    "ja": ("取引年月日", "取引金額", "取引先", "案件", "支払方法", "種別", "取消日", "取消理由", "ファイル", "行"),
    "en": ("date", "amount", "customer", "case", "method", "kind", "void date", "void reason", "file", "line"),
}


@dataclass(frozen=True)
class Void:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class PaymentRow:
    """One payment entry of one case file."""

    date: dt.date
    amount: int
    method: str
    kind: str
    case: str
    customer: str | None
    file: str
    line: int
    void: Void | None

    @property
    def received(self) -> bool:
        return self.void is None and self.kind != "refund"

    def as_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "amount": self.amount, "method": self.method, "kind": self.kind,
                "case": self.case, "customer": self.customer, "file": self.file, "line": self.line,
                "void": None if self.void is None else {"date": self.void.date.isoformat(),
                                                        "reason": self.void.reason}}


@dataclass(frozen=True)
class PaymentFilter:
    """What to search for; None matches everything. Dates and amounts are inclusive."""

    start: dt.date | None = None
    end: dt.date | None = None
    minimum: int | None = None
    maximum: int | None = None
    customer: str | None = None
    method: str | None = None
    case: str | None = None

    def matches(self, row: PaymentRow) -> bool:
        return ((self.start is None or row.date >= self.start)
                and (self.end is None or row.date <= self.end)
                and (self.minimum is None or row.amount >= self.minimum)
                and (self.maximum is None or row.amount <= self.maximum)
                and (self.customer is None or (row.customer or "").casefold() == self.customer.casefold())
                and (self.method is None or row.method == self.method)
                and (self.case is None or row.case == self.case))

    def contradiction(self) -> Text | None:
        """The message for a range that no payment can match (--from after --to, --min above --max)."""
        for low, high, shown in (("start", "end", str), ("minimum", "maximum", _plain_yen)):
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                return MESSAGES["bad-range"].format(
                    low=_OPTION[low], high=_OPTION[high], low_value=shown(low_value), high_value=shown(high_value))
        return None

    def describe(self, lang: str) -> str:
        parts = []
        for name, value in asdict(self).items():
            if value is None:
                continue
            shown = format_yen(value, lang) if name in ("minimum", "maximum") else excerpt(str(value))
            parts.append(FILTER_LABELS[name].format(value=shown).in_language(lang))
        return "、".join(parts) if lang == "ja" else ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {_OPTION[name].removeprefix("--"): value.isoformat() if isinstance(value, dt.date) else value
                for name, value in asdict(self).items()}


_OPTION = {"start": "--from", "end": "--to", "minimum": "--min", "maximum": "--max",
           "customer": "--customer", "method": "--method", "case": "--case"}


def _plain_yen(amount: int) -> str:
    return f"{amount:,}"


@dataclass(frozen=True)
class Unreadable:
    """A file whose payments cannot be listed, with its first structural problem."""

    file: str
    line: int
    column: int
    code: str
    message: Text


@dataclass(frozen=True)
class Totals:
    count: int      # entries not voided
    received: int   # their amounts, refunds aside
    refunded: int
    voided_count: int
    voided_amount: int


@dataclass(frozen=True)
class PaymentReport:
    rows: tuple[PaymentRow, ...]
    unreadable: tuple[Unreadable, ...]
    filters: PaymentFilter

    @property
    def totals(self) -> Totals:
        standing = [row for row in self.rows if row.void is None]
        voided = [row for row in self.rows if row.void is not None]
        return Totals(len(standing), sum(row.amount for row in standing if row.kind != "refund"),
                      sum(row.amount for row in standing if row.kind == "refund"),
                      len(voided), sum(row.amount for row in voided))


def collect_payments(paths: Sequence[str], policy: Policy, filters: PaymentFilter) -> PaymentReport:
    """Every payment under ``paths`` that ``filters`` matches, by date, case and place in the file."""
    rows: list[PaymentRow] = []
    unreadable: list[Unreadable] = []
    for path in discover(paths):
        read = read_case(path, policy, dt.date.max)  # payments need no as-of day
        if not read.readable:
            first = min(read.findings, key=lambda f: (f.position.line, f.position.column), default=None)
            if first is None:  # a top level that is not a mapping gives no finding of its own here
                unreadable.append(Unreadable(path, 1, 1, "S003", Text(ja="案件として読めません。", en="Not a case.")))
            else:
                unreadable.append(Unreadable(path, first.position.line, first.position.column, first.code,
                                             first.message))
            continue
        rows.extend(row for row in _rows(path, read.document.data, read.document) if filters.matches(row))
    rows.sort(key=lambda row: (row.date, row.case, row.file, row.line))
    return PaymentReport(tuple(rows), tuple(unreadable), filters)


def _rows(path: str, data: dict[str, Any], document: Any) -> list[PaymentRow]:
    customer = data["customer"].get("ref")
    found = []
    for index, entry in enumerate(data.get("payments") or ()):
        void = entry.get("void")
        date = parse_date(entry["date"])
        assert date is not None  # schema-valid
        found.append(PaymentRow(
            date, entry["amount"], entry["method"], entry["kind"], str(data["id"]), customer, path,
            document.position_of(("payments", index)).line,
            None if void is None else Void(parse_date(void["date"]) or dt.date.min, void["reason"])))
    return found


# --- output formats ---------------------------------------------------------------------------

class PaymentReporter:
    """Base of the output formats of ``payments``: ``render`` returns the bytes to write."""

    name: ClassVar[str]

    def __init__(self, *, lang: str) -> None:
        self.lang = lang

    def render(self, report: PaymentReport) -> bytes:
        raise NotImplementedError

    def problems(self, report: PaymentReport) -> str:
        """What goes to standard error: nothing, unless the format has no room for it."""
        return ""

    def _label(self, labels: dict[str, Text], key: str) -> str:
        return labels[key].in_language(self.lang) if key in labels else key


class TextPaymentReporter(PaymentReporter):
    """A table for people: amounts in yen, labels in the language, voided entries marked."""

    name = "text"

    def render(self, report: PaymentReport) -> bytes:
        lang = self.lang
        described = report.filters.describe(lang)
        title = (MESSAGES["title-filtered"].format(count=len(report.rows), filters=described) if described
                 else MESSAGES["title"].format(count=len(report.rows)))
        lines = [title.in_language(lang)]
        if report.rows:
            header = (*COLUMNS[lang][:6], "備考" if lang == "ja" else "note")
            cells = [(row.date.isoformat(), format_yen(row.amount, lang), excerpt(row.customer or ""),
                      excerpt(row.case), self._label(METHOD_LABELS, row.method), self._label(KIND_LABELS, row.kind),
                      "" if row.void is None else MESSAGES["voided"].format(
                          date=row.void.date.isoformat(), reason=excerpt(row.void.reason, 60)).in_language(lang))
                     for row in report.rows]
            widths = [max(cell_width(line[index]) for line in (header, *cells)) for index in range(len(header))]
            lines.append(_line(header, widths))
            lines.append("─" * cell_width(lines[-1]))
            lines.extend(_line(line, widths) for line in cells)
        else:
            lines.append(MESSAGES["none"].in_language(lang))
        totals = report.totals
        lines += ["", MESSAGES["totals"].format(
            received=Text(format_yen(totals.received, "ja"), format_yen(totals.received, "en")),
            refunded=Text(format_yen(totals.refunded, "ja"), format_yen(totals.refunded, "en")),
            count=totals.count).in_language(lang)]
        if totals.voided_count:
            lines.append(MESSAGES["voided-total"].format(
                count=totals.voided_count,
                amount=Text(format_yen(totals.voided_amount, "ja"), format_yen(totals.voided_amount, "en")),
            ).in_language(lang))
        lines += _unreadable_lines(report, lang)
        return ("\n".join(lines) + "\n").encode("utf-8")


_RIGHT = frozenset({1})  # the amount


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = []
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        space = " " * (width - cell_width(cell))
        padded.append(space + cell if index in _RIGHT else cell + space)
    return "   ".join(padded).rstrip()


def _unreadable_lines(report: PaymentReport, lang: str) -> list[str]:
    if not report.unreadable:
        return []
    lines = ["", MESSAGES["unreadable"].format(count=len(report.unreadable)).in_language(lang)]
    lines += [f"  {item.file}:{item.line}:{item.column}: {item.code} {item.message.in_language(lang)}"
              for item in report.unreadable]
    return lines


class JsonPaymentReporter(PaymentReporter):
    """One JSON object: the search, the payments (ids, whole yen), the totals, the unreadable files."""

    name = "json"

    def render(self, report: PaymentReport) -> bytes:
        totals = report.totals
        document = {
            "filters": report.filters.as_dict(),
            "payments": [row.as_dict() for row in report.rows],
            "totals": {"payments": totals.count, "received": totals.received, "refunded": totals.refunded,
                       "voided": {"payments": totals.voided_count, "amount": totals.voided_amount}},
            "unreadable": [{"file": item.file, "line": item.line, "column": item.column, "code": item.code,
                            "message": item.message.in_language(self.lang)} for item in report.unreadable],
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text cell a spreadsheet shows as text, never runs as a formula (``=HYPERLINK(...)``)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CsvPaymentReporter(PaymentReporter):
    """CSV for a spreadsheet: headers and labels in the language, plain whole-yen numbers,
    ISO dates; under ``--lang ja`` UTF-8 with a byte-order mark, so Excel reads the Japanese."""

    name = "csv"

    def render(self, report: PaymentReport) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS[self.lang])
        for row in report.rows:
            writer.writerow([_cell(value) for value in (
                row.date.isoformat(), row.amount, row.customer or "", row.case,
                self._label(METHOD_LABELS, row.method), self._label(KIND_LABELS, row.kind),
                "" if row.void is None else row.void.date.isoformat(), "" if row.void is None else row.void.reason,
                row.file, row.line)])
        encoding = "utf-8-sig" if self.lang == "ja" else "utf-8"
        return out.getvalue().encode(encoding)

    def problems(self, report: PaymentReport) -> str:
        """The unreadable files, for standard error (the CSV itself stays a table)."""
        return "\n".join(_unreadable_lines(report, self.lang)[1:]) + ("\n" if report.unreadable else "")


PAYMENT_REPORTER_BY_NAME: dict[str, type[PaymentReporter]] = {
    reporter.name: reporter for reporter in (TextPaymentReporter, CsvPaymentReporter, JsonPaymentReporter)
}
