"""Rules about money: prepayment before work, refunds, overpayment and the balance deadline."""
from __future__ import annotations

from typing import Iterator

from validator.case import FREE_OUTCOMES, Case
from validator.diagnostics import Problem, Severity, Text
from validator.formatting import format_yen
from validator.rules.base import case_rule


def _yen(amount: int) -> tuple[str, str]:
    return format_yen(amount, "ja"), format_yen(amount, "en")


@case_rule("P001", "deposit-before-work", Severity.ERROR, "deposit", Text(
    ja="内金の受領前に作業を開始", en="Work started before the deposit was paid"))
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
        (req_ja, req_en), (paid_ja, paid_en) = _yen(required), _yen(paid)
        yield Problem(case.at("work", "started"), Text(
            ja=f"作業開始日({case.started})までに内金{req_ja}が支払われていません(受領済み{paid_ja})。内金の受領後に作業を開始してください。",
            en=f"Work started on {case.started} before the deposit of {req_en} was paid ({paid_en} received by then)."))


@case_rule("P002", "full-payment-before-work", Severity.ERROR, "full-prepayment", Text(
    ja="全額前払いの受領前に作業を開始", en="Work started before the whole fee was paid"))
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
        reason_ja = "ライセンスがない" if not case.has_license else "ご購入時と異なるPayPalアカウントからの支払い"
        reason_en = "there is no license" if not case.has_license else "the customer pays from another PayPal account"
        (total_ja, total_en), (paid_ja, paid_en) = _yen(case.total), _yen(paid)
        yield Problem(case.at("work", "started"), Text(
            ja=f"{reason_ja}ため全額前払いが必要ですが、作業開始日({case.started})までの受領は{paid_ja}で、合計{total_ja}に足りません。",
            en=f"The whole fee ({total_en}) is due before work because {reason_en}, but only {paid_en} was paid by {case.started}."))


@case_rule("P003", "refund", Severity.ERROR, "non-refundable", Text(
    ja="返金の記録", en="A refund is recorded"))
def refund(case: Case) -> Iterator[Problem]:
    """Support fees once paid are not refunded, for any reason.

    Fails::

        payments: [{date: 2026-11-10, amount: 7500, method: paypal, kind: refund}]

    Passes::

        payments: [{date: 2026-11-10, amount: 7500, method: paypal, kind: balance}]
    """
    for payment in case.standing_payments:
        if payment.kind == "refund":
            yield Problem(case.at("payments", payment.index, "kind"), Text(
                ja="返金が記録されています。サポート料はいかなる理由でも返金しない方針です。",
                en="A refund is recorded, but the policy is that support fees are never refunded."))


@case_rule("P004", "overpaid", Severity.ERROR, "fees", Text(
    ja="支払いが見積もり合計を超えています", en="Payments exceed the total"))
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
            (paid_ja, paid_en), (total_ja, total_en) = _yen(running), _yen(case.total)
            yield Problem(case.at("payments", payment.index, "amount"), Text(
                ja=f"この支払いで受領額が{paid_ja}になり、見積もり合計{total_ja}を超えます。",
                en=f"This payment brings the amount paid to {paid_en}, above the total of {total_en}."))
            return


@case_rule("P005", "charged-free-outcome", Severity.ERROR, "general-questions", Text(
    ja="無料対応の案件に料金", en="A free outcome was charged"))
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
        yield Problem(case.at("triage", "outcome"), Text(
            ja=f"対応結果が「{case.outcome}」(無料)なのに、見積もり金額か支払いが記録されています。",
            en=f"The outcome `{case.outcome}` is free of charge, but an estimate above 0 or a payment is recorded."))


@case_rule("P006", "overdue-balance", Severity.ERROR, "balance-deadline", Text(
    ja="残金が期限を過ぎて未払い", en="The balance is overdue"))
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
        balance_ja, balance_en = _yen(case.balance)
        yield Problem(case.at("work", "completed"), Text(
            ja=f"残金{balance_ja}の支払期限({due})を{days}日過ぎています。入金を記録するか、ライセンス削除日をlicense_revokedに記録してください。",
            en=f"The balance of {balance_en} was due on {due}, {days} day(s) ago. Record the payment, or the license deletion in license_revoked."))


@case_rule("P007", "early-revocation", Severity.ERROR, "balance-deadline", Text(
    ja="期限前・支払済み・ライセンスなしでのライセンス削除", en="A license revoked too early or without cause"))
def early_revocation(case: Case) -> Iterator[Problem]:
    """A license is deleted only after the due date has passed with the balance unpaid.

    Early: a revocation on or before the due date, with no completion notice, after
    the balance was paid in time (payments dated on or before the due date cover the
    total), or when the customer has no license at all.

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
        why = Text(ja="このお客様にはライセンスがないため、削除するライセンスがありません。",
                   en="The customer has no license, so there is none to revoke.")
    elif due is None:
        why = Text(ja="サポート終了(work.completed)が記録されていないため、支払期限が始まっていません。",
                   en="No completion notice (work.completed) is recorded, so no deadline has started.")
    elif revoked <= due:
        why = Text(ja=f"支払期限({due})より前です。削除は期限を過ぎてからです。",
                   en=f"It is on or before the due date ({due}); revoke only after the deadline has passed.")
    elif case.paid(by=due) >= case.total:
        why = Text(ja=f"残金は期限({due})までに支払われています。",
                   en=f"The balance was paid in time (by {due}).")
    else:
        return
    yield Problem(case.at("license_revoked"), Text(
        ja=f"ライセンス削除日({revoked})が不適切です: {why.ja}",
        en=f"The license revocation on {revoked} is not allowed: {why.en}"))


@case_rule("P008", "balance-due-soon", Severity.NOTICE, "balance-deadline", Text(
    ja="残金の支払期限が近い案件", en="A balance is due soon"))
def balance_due_soon(case: Case) -> Iterator[Problem]:
    """A completed case with a balance whose due date has not passed yet: a reminder.

    Fires on or before the due date; after it, P006 takes over.

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
        balance_ja, balance_en = _yen(case.balance)
        yield Problem(case.at("work", "completed"), Text(
            ja=f"残金{balance_ja}の支払期限は{due}です(あと{days}日)。",
            en=f"The balance of {balance_en} is due on {due} ({days} day(s) left)."))
