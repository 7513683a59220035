"""Rules about money: prepayment before work, refunds, overpayment and the balance deadline."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from validator.case import FREE_OUTCOMES, Case
from validator.diagnostics import Problem, Severity, Text
from validator.formatting import yen
from validator.rules.base import case_rule

MESSAGES: dict[str, Text] = {
    "P001": Text(
        ja="作業開始日({started})までに内金{required}が支払われていません(受領済み{paid})。内金の受領後に作業を開始してください。",
        en="Work started on {started} before the deposit of {required} was paid ({paid} received by then). Start work only once the deposit is paid."),
    "P002.no-license": Text(
        ja="ライセンスがないため全額前払いが必要ですが、作業開始日({started})までの受領は{paid}で、合計{total}に足りません。",
        en="The whole fee ({total}) is due before work because there is no license, but only {paid} was paid by {started}."),
    "P002.other-account": Text(
        ja="ご購入時と異なるPayPalアカウントからの支払いのため全額前払いが必要ですが、作業開始日({started})までの受領は{paid}で、合計{total}に足りません。",
        en="The whole fee ({total}) is due before work because the customer pays from another PayPal account, but only {paid} was paid by {started}."),
    "P003": Text(
        ja="返金が記録されています。サポート料はいかなる理由でも返金しない方針です。",
        en="A refund is recorded, but the policy is that support fees are never refunded."),
    "P004": Text(
        ja="この支払いで受領額が{paid}になり、見積もり合計{total}を超えます。",
        en="This payment brings the amount paid to {paid}, above the estimate total of {total}."),
    "P005": Text(
        ja="対応結果が「{outcome}」({meaning}、無料)なのに、見積もり金額か支払いが記録されています。",
        en="The outcome `{outcome}` ({meaning}) is free of charge, but an estimate above 0 or a payment is recorded."),
    "P006.one-day": Text(
        ja="残金{balance}の支払期限({due})を1日過ぎています。入金を記録するか、ライセンス削除日をlicense_revokedに記録してください。",
        en="The balance of {balance} was due on {due}, 1 day ago. Record the payment, or the license deletion in license_revoked."),
    "P006.days": Text(
        ja="残金{balance}の支払期限({due})を{days}日過ぎています。入金を記録するか、ライセンス削除日をlicense_revokedに記録してください。",
        en="The balance of {balance} was due on {due}, {days} days ago. Record the payment, or the license deletion in license_revoked."),
    "P007.no-license": Text(
        ja="ライセンス削除日({revoked})が不適切です: このお客様にはライセンスがないため、削除するライセンスがありません。",
        en="The license revocation on {revoked} is not allowed: the customer has no license, so there is none to revoke."),
    "P007.not-completed": Text(
        ja="ライセンス削除日({revoked})が不適切です: サポート終了(work.completed)が記録されていないため、支払期限が始まっていません。",
        en="The license revocation on {revoked} is not allowed: no completion notice (work.completed) is recorded, so no deadline has started."),
    "P007.before-due": Text(
        ja="ライセンス削除日({revoked})が不適切です: 支払期限({due})より前です。削除できるのは期限を過ぎてから(早くても{earliest})です。",
        en="The license revocation on {revoked} is not allowed: it is before the due date ({due}). Revoke only after the deadline has passed ({earliest} at the earliest)."),
    "P007.on-due": Text(
        ja="ライセンス削除日({revoked})が不適切です: 支払期限の当日です。期限の日までの入金は期限内なので、削除できるのは翌日({earliest})からです。",
        en="The license revocation on {revoked} is not allowed: it is the due date itself, and a payment on the due date is on time. Revoke from the next day ({earliest}) at the earliest."),
    "P007.paid-in-time": Text(
        ja="ライセンス削除日({revoked})が不適切です: 残金は期限({due})までに支払われています。",
        en="The license revocation on {revoked} is not allowed: the balance was paid in time (by {due})."),
    "P007.nothing-owed": Text(
        ja="ライセンス削除日({revoked})が不適切です: 見積もりも支払うべき残金もないため、ライセンスを削除する理由がありません。",
        en="The license revocation on {revoked} is not allowed: there is no estimate and no balance owed, so there is nothing to revoke the license for."),
    "P008.today": Text(
        ja="残金{balance}の支払期限は本日({due})です。",
        en="The balance of {balance} is due today ({due})."),
    "P008.one-day": Text(
        ja="残金{balance}の支払期限は{due}です(あと1日)。",
        en="The balance of {balance} is due on {due} (1 day left)."),
    "P008.days": Text(
        ja="残金{balance}の支払期限は{due}です(あと{days}日)。",
        en="The balance of {balance} is due on {due} ({days} days left)."),
}


_FREE_OUTCOME_MEANINGS = {
    "manual": Text(ja="マニュアルで答える一般的な質問", en="a general question the manual answers"),
    "bug": Text(ja="ソフトウェアの不具合", en="a bug of the software"),
    "declined": Text(ja="お断りした依頼", en="a declined request"),
}

DOCS_JA: dict[str, str] = {
    "P001": (
        "作業を始める前に、お見積もり合計の内金(${deposit_share}、1円未満は切り上げ)を受け取っていること。作業開始日当日の入金は間に合っています。全額前払いが必要な案件では P002 を調べ、P001 は調べません。"),
    "P002": (
        "ライセンスがないお客様、またはソフトウェアを購入したのと別のPayPalアカウントから支払うお客様は、作業の前に全額を支払うこと。"),
    "P003": (
        "一度お支払いいただいたサポート料は、いかなる理由でも返金しません。kind: refund の支払いが記録されていればエラーです。"),
    "P004": (
        "受け取った金額の合計が、お見積もり合計を超えないこと。合計を超えさせた支払いを指します。"),
    "P005": (
        "一般的な質問(manual)と不具合(bug)は無料で、お断りした依頼(declined)にも料金はかかりません。これらの案件に0円を超えるお見積もりや支払いがあればエラーです。"),
    "P006": (
        "残金は終了のお知らせから${balance_deadline_days}日以内に支払っていただきます。期限を過ぎても残金があり、ライセンス削除(license_revoked)も記録されていなければエラーです。入金を記録するか、ライセンスの削除を記録してください。"),
    "P007": (
        "ライセンスを削除できるのは、支払期限が過ぎても残金が支払われていないときだけです。期限の日まで(当日を含む)の削除、終了のお知らせがない案件での削除、期限内に支払われた案件や支払うべき残金がない案件での削除、ライセンスのないお客様への削除はエラーです。"),
    "P008": (
        "終了のお知らせを送り、残金の期限がまだ来ていない案件のお知らせです(期限の日まで)。期限を過ぎると P006 になります。ライセンス削除が記録されている案件(早すぎる削除を含む)では出ません。早すぎる削除は P007 が指摘し、それを消せば再び出ます。"),
}


@case_rule("P001", "deposit-before-work", Severity.ERROR, "deposit", Text(
    ja="内金の受領前に作業を開始", en="Work started before the deposit was paid"), messages=MESSAGES, docs_ja=DOCS_JA)
def deposit_before_work(case: Case) -> Iterator[Problem]:
    """Paid support starts only once the deposit (the policy's share of the total,
    rounded up to the yen) is paid; a payment dated the day work starts counts.

    Not checked when the whole total is required up front (P002 is).

    Fails (total 15,000, deposit 7,500)::

        payments: [{date: 2026-11-06, amount: 7500, method: paypal, kind: deposit}]
        work: {started: 2026-11-05}

    Passes::

        payments: [{date: 2026-11-05, amount: 7500, method: paypal, kind: deposit}]
        work: {started: 2026-11-05}
    """
    if not case.has_estimate or case.started is None or case.full_prepayment_required:
        return
    required, paid = case.required_prepayment, case.paid(by=case.started)
    if paid < required:
        yield Problem(case.at("work", "started"), MESSAGES["P001"].format(
            started=case.started, required=yen(required), paid=yen(paid)))


@case_rule("P002", "full-payment-before-work", Severity.ERROR, "full-prepayment", Text(
    ja="全額前払いの受領前に作業を開始", en="Work started before the whole fee was paid"), messages=MESSAGES, docs_ja=DOCS_JA)
def full_payment_before_work(case: Case) -> Iterator[Problem]:
    """A customer with no license, or paying from another PayPal account than the one
    that bought the software, pays the whole total before work starts.

    Fails::

        customer: {license: null, same_paypal_account: true}
        payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]
        work: {started: 2026-11-05}   # total 15,000

    Passes::

        payments: [{date: 2026-11-04, amount: 15000, method: paypal, kind: full}]
    """
    if not case.has_estimate or case.started is None or not case.full_prepayment_required:
        return
    paid = case.paid(by=case.started)
    if paid < case.total:
        variant = "P002.no-license" if not case.has_license else "P002.other-account"
        yield Problem(case.at("work", "started"), MESSAGES[variant].format(
            started=case.started, paid=yen(paid), total=yen(case.total)))


@case_rule("P003", "refund", Severity.ERROR, "non-refundable", Text(
    ja="返金の記録", en="A refund is recorded"), messages=MESSAGES, docs_ja=DOCS_JA)
def refund(case: Case) -> Iterator[Problem]:
    """Support fees once paid are not refunded, for any reason.

    Fails::

        payments: [{date: 2026-11-10, amount: 7500, method: paypal, kind: refund}]

    Passes::

        payments: [{date: 2026-11-10, amount: 7500, method: paypal, kind: balance}]
    """
    for payment in case.standing_payments:
        if payment.kind == "refund":
            yield Problem(case.at("payments", payment.index, "kind"), MESSAGES["P003"])


@case_rule("P004", "overpaid", Severity.ERROR, "fees", Text(
    ja="支払いが見積もり合計を超えています", en="Payments exceed the total"), messages=MESSAGES, docs_ja=DOCS_JA)
def overpaid(case: Case) -> Iterator[Problem]:
    """The customer never pays more than the estimate's total.

    Points at the payment that takes the sum over the total.

    Fails (total 15,000)::

        payments: [{amount: 7500, kind: deposit, ...}, {amount: 15000, kind: balance, ...}]

    Passes::

        payments: [{amount: 7500, kind: deposit, ...}, {amount: 7500, kind: balance, ...}]
    """
    if not case.has_estimate:
        return
    running = 0
    for payment in case.payments:
        if not payment.counts:
            continue
        running += payment.amount
        if running > case.total:
            yield Problem(case.at("payments", payment.index, "amount"), MESSAGES["P004"].format(
                paid=yen(running), total=yen(case.total)))
            return


@case_rule("P005", "charged-free-outcome", Severity.ERROR, "general-questions", Text(
    ja="無料対応の案件に料金", en="A free outcome was charged"), messages=MESSAGES, docs_ja=DOCS_JA)
def charged_free_outcome(case: Case) -> Iterator[Problem]:
    """General questions (answered by the manual) and bugs (fixed by a new version) are
    free, and a declined request is not charged: no estimate above 0, no payment.

    Fails::

        triage: {date: 2026-11-03, outcome: bug}
        payments: [{date: 2026-11-04, amount: 7500, method: paypal, kind: deposit}]

    Passes::

        triage: {date: 2026-11-03, outcome: bug}
    """
    if case.outcome in FREE_OUTCOMES and (case.total > 0 or case.standing_payments):
        yield Problem(case.at("triage", "outcome"), MESSAGES["P005"].format(
            outcome=case.outcome, meaning=_FREE_OUTCOME_MEANINGS[case.outcome]))


@case_rule("P006", "overdue-balance", Severity.ERROR, "balance-deadline", Text(
    ja="残金が期限を過ぎて未払い", en="The balance is overdue"), messages=MESSAGES, docs_ja=DOCS_JA)
def overdue_balance(case: Case) -> Iterator[Problem]:
    """The balance is due within the deadline after the completion notice; once it has
    passed unpaid, the license is deleted and the deletion is recorded.

    Fires when the as-of date is after the due date, the balance is above 0, and no
    ``license_revoked`` is recorded. Record the payment, or the license deletion.

    Fails (as of 2026-11-28, deadline 5 days)::

        work: {completed: 2026-11-20}    # due 2026-11-25, balance 7,500

    Passes::

        work: {completed: 2026-11-20}
        license_revoked: 2026-11-26
    """
    due = case.due_date
    if not case.has_estimate or due is None or case.revoked is not None:
        return
    if case.as_of > due and case.balance > 0:
        days = (case.as_of - due).days
        variant = "P006.one-day" if days == 1 else "P006.days"
        yield Problem(case.at("work", "completed"), MESSAGES[variant].format(
            balance=yen(case.balance), due=due, days=f"{days:,}"))


@case_rule("P007", "early-revocation", Severity.ERROR, "balance-deadline", Text(
    ja="期限前・支払済み・ライセンスなしでのライセンス削除", en="A license revoked too early or without cause"), messages=MESSAGES, docs_ja=DOCS_JA)
def early_revocation(case: Case) -> Iterator[Problem]:
    """A license is deleted only after the due date has passed with the balance unpaid.

    Early: a revocation on or before the due date (the due date itself included: a
    payment on it is on time), with no completion notice, after the balance was paid
    in time (payments dated on or before the due date cover the total), with nothing
    owed at all (no estimate, or a total of 0), or when the customer has no license.

    Fails (completed 2026-11-20, due 2026-11-25)::

        license_revoked: 2026-11-24

    Passes::

        license_revoked: 2026-11-26   # balance still unpaid
    """
    revoked = case.revoked
    if revoked is None:
        return
    due = case.due_date
    if not case.has_license:
        variant = "P007.no-license"
    elif due is None:
        variant = "P007.not-completed"
    elif revoked < due:
        variant = "P007.before-due"
    elif revoked == due:
        variant = "P007.on-due"
    elif not case.has_estimate or case.total == 0:
        variant = "P007.nothing-owed"
    elif case.paid(by=due) >= case.total:
        variant = "P007.paid-in-time"
    else:
        return
    earliest = due + dt.timedelta(days=1) if due is not None else None
    yield Problem(case.at("license_revoked"), MESSAGES[variant].format(
        revoked=revoked, due=due, earliest=earliest))


@case_rule("P008", "balance-due-soon", Severity.NOTICE, "balance-deadline", Text(
    ja="残金の支払期限が近い案件", en="A balance is due soon"), messages=MESSAGES, docs_ja=DOCS_JA)
def balance_due_soon(case: Case) -> Iterator[Problem]:
    """A completed case with a balance whose due date has not passed yet: a reminder.

    Fires on or before the due date; after it, P006 takes over. A recorded
    ``license_revoked`` ends the reminder, even an early one: P007 reports that
    revocation, and once it is corrected (removed) the reminder shows again.

    Fires (as of 2026-11-28)::

        work: {completed: 2026-11-26}    # due 2026-12-01, balance 7,500

    Quiet::

        work: {completed: 2026-11-26}    # balance paid
    """
    due = case.due_date
    if not case.has_estimate or due is None or case.revoked is not None:
        return
    if case.as_of <= due and case.balance > 0:
        days = (due - case.as_of).days
        variant = "P008.today" if days == 0 else "P008.one-day" if days == 1 else "P008.days"
        yield Problem(case.at("work", "completed"), MESSAGES[variant].format(
            balance=yen(case.balance), due=due, days=f"{days:,}"))
