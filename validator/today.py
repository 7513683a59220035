"""``support-policy today``: what the operator does today, most urgent first (SPEC 7.4).

Each case's standing on the as-of date (``validator/standing.py``, the state
``status`` shows) gives at most one action:

============================  ==============================================================
``send-estimate``             triaged as paid support, no estimate recorded yet
``request-prepayment``        an estimate, the prepayment (deposit or whole fee) not all paid
``request-checks``            prepayment paid, checks A001-A003 need are not recorded
``start-work``                prepayment and checks recorded, work not started
``remind-balance``            the day of the completion notice, and each day of the policy's
                              reminder ladder (``balance_reminder_days``) before the due date
``balance-due-today``         the due date, when the ladder has 0
``revoke-license``            the due date has passed, the balance unpaid (P006): every day
                              until the payment or the revocation is recorded
``notify-revocation``         the day ``license_revoked`` is dated
============================  ==============================================================

The amount is what to ask the customer for: the prepayment still missing
(``Case.required_prepayment`` minus what is paid) or the balance. ``days`` counts
the days left to the due date, negative when it has passed.
"""
from __future__ import annotations

import datetime as dt
import enum
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from validator.diagnostics import Text
from validator.engine import discover, read_case
from validator.formatting import cell_width, format_yen
from validator.policy import Policy
from validator.standing import Standing, State, standing
from validator.status import BOM, markdown_cell
from validator.terminal import TERMINAL_WIDTH, clip, table, wrap


class ActionCode(str, enum.Enum):
    """The actions, in the order of urgency (the listing's order)."""

    REVOKE_LICENSE = "revoke-license"
    NOTIFY_REVOCATION = "notify-revocation"
    BALANCE_DUE_TODAY = "balance-due-today"
    REMIND_BALANCE = "remind-balance"
    START_WORK = "start-work"
    REQUEST_CHECKS = "request-checks"
    REQUEST_PREPAYMENT = "request-prepayment"
    SEND_ESTIMATE = "send-estimate"

    @property
    def label(self) -> Text:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    ActionCode.REVOKE_LICENSE: Text("ライセンス削除", "revoke license"),
    ActionCode.NOTIFY_REVOCATION: Text("削除の連絡", "notify revocation"),
    ActionCode.BALANCE_DUE_TODAY: Text("本日が支払期限", "balance due today"),
    ActionCode.REMIND_BALANCE: Text("残金の案内", "remind balance"),
    ActionCode.START_WORK: Text("作業開始", "start work"),
    ActionCode.REQUEST_CHECKS: Text("事前確認の依頼", "request checks"),
    ActionCode.REQUEST_PREPAYMENT: Text("前払いの依頼", "request prepayment"),
    ActionCode.SEND_ESTIMATE: Text("見積もり送付", "send estimate"),
}
_URGENCY = {code: index for index, code in enumerate(ActionCode)}

CHECK_NAMES = {
    "A001": Text("パスワードの変更(または一時アカウントの作成)", "securing the lent credentials"),
    "A002": Text("PayPal API署名の削除", "removing the PayPal API signature"),
    "A003": Text("API署名を含むバックアップファイルの削除", "removing the backup files holding the API signature"),
    "A005": Text("PayPal API署名の設定の有無(答えは paypal_api_signature に true か false で記録)",
                 "whether a PayPal API signature is set (record the answer as paypal_api_signature: true or false)"),
}

MESSAGES: dict[str, Text] = {
    "send-estimate": Text(
        ja="有料サポートの見積もりを作成して estimate に記録してください。記録すると、見積もりと前払いのお願いの下書きを作れます。",
        en="Write the estimate for the paid support and record it under estimate; then today drafts the estimate and the prepayment request."),
    "request-deposit": Text(
        ja="見積もり合計{total}のうち内金{required}が必要です(受領済み{paid})。{amount}の入金をお願いしてください。",
        en="A deposit of {required} of the {total} total is due before work ({paid} received): ask for {amount}."),
    "request-full": Text(
        ja="{reason}ため全額前払い{required}が必要です(受領済み{paid})。{amount}の入金をお願いしてください。",
        en="The whole fee of {required} is due before work because {reason} ({paid} received): ask for {amount}."),
    "request-checks": Text(
        ja="作業の前に、お客様に次の対策をお願いし、済んだ日を checks に記録してください: {checks}。",
        en="Before the work, ask the customer for the following and record the day each is done under checks: {checks}."),
    "start-work": Text(
        ja="前払いと作業前の確認がそろいました。作業を始めて work.started に記録してください。",
        en="The prepayment and the checks before the work are recorded: start the work and record it in work.started."),
    "completion": Text(
        ja="本日、終了のお知らせを送ってください。残金{amount}の支払期限は{due}です。",
        en="Send the completion notice today: the balance of {amount} is due on {due}."),
    "remind-balance": Text(
        ja="残金{amount}の支払期限{due}まであと{days}日です。お知らせを送ってください。",
        en="The balance of {amount} is due on {due}, in {days} days: send a reminder."),
    "remind-balance-one": Text(
        ja="残金{amount}の支払期限{due}まであと{days}日です。お知らせを送ってください。",
        en="The balance of {amount} is due on {due}, tomorrow: send a reminder."),
    "balance-due-today": Text(
        ja="残金{amount}の支払期限は本日{due}です。本日中のお支払いをお願いしてください。",
        en="The balance of {amount} is due today, {due}: ask for the payment today."),
    "revoke-license": Text(
        ja="残金{amount}が期限{due}を{late}日過ぎています。入金がなければライセンス{license}を削除し、license_revoked に日付を記録してください。",
        en="The balance of {amount} was due on {due}, {late} days ago. Unless it is paid, delete license {license} and record the day in license_revoked."),
    "revoke-license-one": Text(
        ja="残金{amount}が期限{due}を{late}日過ぎています。入金がなければライセンス{license}を削除し、license_revoked に日付を記録してください。",
        en="The balance of {amount} was due on {due}, yesterday. Unless it is paid, delete license {license} and record the day in license_revoked."),
    "revoke-no-license": Text(
        ja="残金{amount}が期限{due}を過ぎていますが、このお客様には削除するライセンスがありません。入金を確認してください。",
        en="The balance of {amount} was due on {due}, but the customer has no license to delete: follow up on the payment."),
    "notify-revocation": Text(
        ja="ライセンス{license}を削除したことを、本日お客様にお知らせしてください(未払いの残金{amount})。",
        en="Tell the customer today that license {license} was deleted (balance unpaid: {amount})."),
    "title": Text(ja="{as_of}の対応: {count}件", en="Actions for {as_of}: {count}"),
    "drafts-written": Text(ja="下書きを{count}件 {folder} に書きました。", en="Drafts written to {folder}: {count}."),
    "unreadable": Text(
        ja="support-policy: 案件として読めないファイルが{count}件あります(`support-policy validate` で原因を確認してください): {files}",
        en="support-policy: files that cannot be read as cases ({count}; `support-policy validate` says why): {files}"),
    "none": Text(ja="本日の対応はありません。", en="Nothing to do today."),
    "reason-no-license": Text(ja="ライセンスがない", en="the customer has no license"),
    "reason-other-account": Text(ja="ご購入時と異なるPayPalアカウントからのお支払いの",
                                 en="the customer pays from another PayPal account"),
}


@dataclass(frozen=True)
class Action:
    """One thing to do today for one case; ``draft``: the template of its mail, if it involves the customer."""

    code: ActionCode
    row: Standing
    amount: int | None
    due: dt.date | None
    days: int | None
    detail: Text
    draft: str | None

    def as_dict(self, lang: str) -> dict[str, object]:
        return {
            "case": self.row.id,
            "file": self.row.file,
            "action": self.code.value,
            "customer": {"ref": self.row.customer_ref, "language": self.row.language},
            "amount": self.amount,
            "due": self.due.isoformat() if self.due else None,
            "days": self.days,
            "detail": self.detail.in_language(lang),
        }


@dataclass(frozen=True)
class TodayReport:
    as_of: dt.date
    actions: tuple[Action, ...]
    unreadable: tuple[str, ...]  # files that cannot be read as cases (exit 1)


def yen(amount: int) -> Text:
    return Text(ja=format_yen(amount, "ja"), en=format_yen(amount, "en"))


def action_for(row: Standing, policy: Policy, as_of: dt.date) -> Action | None:
    """Today's action for one case, or None when it needs none."""
    case = row.case
    if case is None:
        return None
    state = row.state

    def make(code: ActionCode, detail: Text, draft: str | None, amount: int | None = None,
             due: dt.date | None = None, days: int | None = None) -> Action:
        return Action(code, row, amount, due, days, detail, draft)

    if state is State.TRIAGED:
        return make(ActionCode.SEND_ESTIMATE, MESSAGES["send-estimate"], None)
    if state in (State.ESTIMATED, State.AWAITING_PREPAYMENT):
        assert row.ask_now is not None
        fields: dict[str, object] = {"total": yen(case.total), "required": yen(case.required_prepayment), "paid": yen(case.paid()),
                  "amount": yen(row.ask_now)}
        if case.full_prepayment_required:
            reason = MESSAGES["reason-no-license" if not case.has_license else "reason-other-account"]
            detail = MESSAGES["request-full"].format(reason=reason, **fields)
        else:
            detail = MESSAGES["request-deposit"].format(**fields)
        return make(ActionCode.REQUEST_PREPAYMENT, detail, "estimate", amount=row.ask_now)
    if state is State.AWAITING_CHECKS:
        checks = [CHECK_NAMES[code] for code in row.missing_checks]
        joined = Text(ja="、".join(text.ja for text in checks), en="; ".join(text.en for text in checks))
        return make(ActionCode.REQUEST_CHECKS, MESSAGES["request-checks"].format(checks=joined), "checks")
    if state is State.READY:
        return make(ActionCode.START_WORK, MESSAGES["start-work"], None)
    if state is State.AWAITING_BALANCE:
        assert row.due_date is not None and row.days is not None and row.balance is not None
        fields = {"amount": yen(row.balance), "due": row.due_date.isoformat(), "days": row.days}
        money = (row.balance, row.due_date, row.days)
        if case.completed == as_of:
            return make(ActionCode.REMIND_BALANCE, MESSAGES["completion"].format(**fields), "completion", *money)
        if row.days not in policy.parameters.balance_reminder_days:
            return None
        if row.days == 0:
            return make(ActionCode.BALANCE_DUE_TODAY, MESSAGES["balance-due-today"].format(**fields), "due-today",
                        *money)
        key = "remind-balance-one" if row.days == 1 else "remind-balance"
        return make(ActionCode.REMIND_BALANCE, MESSAGES[key].format(**fields), "reminder", *money)
    if state is State.OVERDUE:
        assert row.due_date is not None and row.days is not None and row.balance is not None
        fields = {"amount": yen(row.balance), "due": row.due_date.isoformat(), "late": -row.days,
                  "license": row.license or ""}
        money = (row.balance, row.due_date, row.days)
        if row.license is None:
            return make(ActionCode.REVOKE_LICENSE, MESSAGES["revoke-no-license"].format(**fields), None, *money)
        key = "revoke-license-one" if row.days == -1 else "revoke-license"
        return make(ActionCode.REVOKE_LICENSE, MESSAGES[key].format(**fields), "overdue", *money)
    if state is State.REVOKED and case.revoked == as_of:
        due = case.due_date
        balance = max(case.balance, 0) if case.has_estimate else 0
        detail = MESSAGES["notify-revocation"].format(license=row.license or "", amount=yen(balance))
        return make(ActionCode.NOTIFY_REVOCATION, detail, "revoked", amount=balance, due=due,
                    days=(due - as_of).days if due is not None else None)
    return None


def collect_today(paths: Sequence[str], policy: Policy, *, as_of: dt.date) -> TodayReport:
    """Today's actions for every case file under ``paths``, the most urgent first.

    By action (``ActionCode``'s order), then the fewest days left (the most days late
    first), the case and the file.
    """
    actions: list[Action] = []
    unreadable: list[str] = []
    for path in discover(paths):
        row = standing(read_case(path, policy, as_of), as_of)
        if row is None:
            continue
        if row.state is State.INVALID:
            unreadable.append(path)
            continue
        action = action_for(row, policy, as_of)
        if action is not None:
            actions.append(action)
    actions.sort(key=lambda action: (_URGENCY[action.code], action.days if action.days is not None else 0,
                                     action.row.id, action.row.file))
    return TodayReport(as_of, tuple(actions), tuple(unreadable))


# --- output formats ---------------------------------------------------------------------------

_HEADERS = {
    "ja": ("日数", "対応", "案件", "顧客", "言語", "金額", "期限"),
    "en": ("days", "action", "case", "customer", "lang", "amount", "due"),
}
_RIGHT_ALIGNED = frozenset({0, 5})
_DETAIL_INDENT = "      "


class TodayReporter:
    """Base of the output formats of ``today``."""

    name: ClassVar[str]

    def __init__(self, *, lang: str) -> None:
        self.lang = lang

    def render(self, report: TodayReport) -> str:
        raise NotImplementedError

    def cells(self, action: Action) -> list[str]:
        return ["" if action.days is None else str(action.days), action.code.label.in_language(self.lang),
                action.row.id, action.row.customer_ref or "", action.row.language,
                "" if action.amount is None else format_yen(action.amount, self.lang),
                action.due.isoformat() if action.due else ""]


class TextTodayReporter(TodayReporter):
    """A table for an 80-column terminal, each action's detail wrapped on the lines below it."""

    name = "text"

    def render(self, report: TodayReport) -> str:
        lines = [MESSAGES["title"].format(as_of=report.as_of, count=len(report.actions)).in_language(self.lang)]
        if not report.actions:
            return "\n".join([*lines, MESSAGES["none"].in_language(self.lang)]) + "\n"
        rows = [self.cells(action) for action in report.actions]
        for cells in rows:
            cells[2], cells[3] = clip(cells[2], 12), clip(cells[3], 10)
        header, rule, *body = table(_HEADERS[self.lang], rows, right=_RIGHT_ALIGNED)
        lines += [header, rule]
        width = TERMINAL_WIDTH - cell_width(_DETAIL_INDENT)
        for action, line in zip(report.actions, body, strict=True):
            lines.append(line)
            lines += [_DETAIL_INDENT + part for part in wrap(action.detail.in_language(self.lang), width)]
        return "\n".join(lines) + "\n"


class JsonTodayReporter(TodayReporter):
    """SPEC 7.4's object: ``{"as_of": ..., "actions": [...]}``."""

    name = "json"

    def render(self, report: TodayReport) -> str:
        document = {"as_of": report.as_of.isoformat(),
                    "actions": [action.as_dict(self.lang) for action in report.actions]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# `action` is SPEC's code in every language (other tools read it); `action_name` is for people.
_CSV_FIELDS = ("case", "file", "action", "action_name", "customer_ref", "language", "amount", "due", "days",
               "detail")
_CSV_HEADERS_JA = ("案件", "ファイル", "対応コード", "対応", "顧客", "言語", "金額", "期限", "日数", "内容")


class CsvTodayReporter(TodayReporter):
    """CSV for a spreadsheet, UTF-8 with a BOM; ``--lang ja``: Japanese headers and action names
    (the action code stays in its own column)."""

    name = "csv"

    def render(self, report: TodayReport) -> str:
        import csv  # only this format needs it, not every start of the command

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(_CSV_HEADERS_JA if self.lang == "ja" else _CSV_FIELDS)
        for action in report.actions:
            row = action.as_dict(self.lang)
            writer.writerow([
                row["case"], row["file"], action.code.value, action.code.label.in_language(self.lang),
                action.row.customer_ref or "", action.row.language,
                "" if action.amount is None else action.amount, row["due"] or "",
                "" if action.days is None else action.days, row["detail"]])
        return BOM + out.getvalue()


class MarkdownTodayReporter(TodayReporter):
    """A Markdown table: the daily run's summary page and its issue."""

    name = "markdown"

    def render(self, report: TodayReport) -> str:
        title = MESSAGES["title"].format(as_of=report.as_of, count=len(report.actions)).in_language(self.lang)
        lines = [f"### {title}", ""]
        if not report.actions:
            return "\n".join([*lines, MESSAGES["none"].in_language(self.lang)]) + "\n"
        headers = (*_HEADERS[self.lang], "内容" if self.lang == "ja" else "detail")
        lines += ["| " + " | ".join(headers) + " |",
                  "| " + " | ".join("---:" if index in _RIGHT_ALIGNED else "---"
                                    for index in range(len(headers))) + " |"]
        for action in report.actions:
            cells = [*self.cells(action), action.detail.in_language(self.lang)]
            lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
        return "\n".join(lines) + "\n"


TODAY_REPORTER_BY_NAME: dict[str, type[TodayReporter]] = {
    reporter.name: reporter
    for reporter in (TextTodayReporter, JsonTodayReporter, CsvTodayReporter, MarkdownTodayReporter)
}
