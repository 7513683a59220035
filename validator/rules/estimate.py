"""Rules about the estimate: its sum, the fee guide, and work outside it."""
from __future__ import annotations

from collections.abc import Iterator

from validator.case import Case
from validator.diagnostics import Problem, Severity, Text
from validator.formatting import quoted, yen
from validator.policy import Policy
from validator.rules.base import case_rule

MESSAGES: dict[str, Text] = {
    "E001": Text(
        ja="見積もり合計({total})が項目の合計({items})と一致しません。",
        en="The estimate total ({total}) differs from the sum of its items ({items})."),
    "E002": Text(
        ja="「{fee}」の金額{amount}が料金の目安{guide}を下回っています。",
        en="The estimate item \"{fee}\" costs {amount}, below its fee guide of {guide}."),
    "E002.self-operated": Text(
        ja="「{fee}」の金額{amount}が料金の目安{guide}(お客様ご自身で操作される場合は目安の{multiplier}倍)を下回っています。",
        en="The estimate item \"{fee}\" costs {amount}, below its fee guide of {guide} (x{multiplier} when the customer operates the server)."),
    "E003": Text(
        ja="作業項目「{fee}」({fee_id})は見積もりにありません。見積もり外の作業は別の案件として申し込んでもらい、follow_upに記録してください。",
        en="The work item \"{fee}\" (`{fee_id}`) is not in the estimate. Out-of-estimate work needs a new case (record it in follow_up)."),
    "E003.unknown-fee": Text(
        ja="作業項目「{fee_id}」は見積もりにありません。見積もり外の作業は別の案件として申し込んでもらい、follow_upに記録してください。",
        en="The work item `{fee_id}` is not in the estimate. Out-of-estimate work needs a new case (record it in follow_up)."),
    "E004": Text(
        ja="見積もりがないまま作業が開始されています。先に見積もりを出し、前払い分を受け取ってください。",
        en="Work started with no estimate. Send an estimate and receive the prepayment first."),
}


def fee_name(policy: Policy, fee_id: str) -> Text:
    """The fee's name as the policy gives it in each language."""
    name = policy.fees[fee_id].name
    return Text(ja=name.get("ja", fee_id), en=name.get("en", fee_id))


DOCS_JA: dict[str, str] = {
    "E001": (
        "お見積もりの合計(total)は、項目の金額の合計と同じであること。"),
    "E002": (
        "各項目の金額が料金表の目安以上であること。お客様ご自身がサーバーを操作する場合(access: self-operated)は目安の${self_operated_multiplier}倍以上です。料金表は目安なので警告です(理由があれば構いません)。"),
    "E003": (
        "作業するのはお見積もりにある項目だけです。それ以外の作業は別の案件として申し込んでいただき、follow_up に記録します。"),
    "E004": (
        "有料の作業は、お見積もりを出して前払い分を受け取ってから始めます。作業が始まっているのにお見積もりがなく、判定が paid かまだ判定していない案件はエラーです。"),
}


@case_rule("E001", "estimate-total", Severity.ERROR, "fees", Text(
    ja="見積もり合計が項目の合計と違います", en="The estimate total differs from the sum of its items"), messages=MESSAGES, docs_ja=DOCS_JA)
def estimate_total(case: Case) -> Iterator[Problem]:
    """The estimate's total is the sum of its items' amounts.

    Fails::

        estimate: {date: 2026-11-03, total: 20000, items: [{fee: mail-check, amount: 15000}]}

    Passes::

        estimate: {date: 2026-11-03, total: 15000, items: [{fee: mail-check, amount: 15000}]}
    """
    if not case.has_estimate:
        return
    items = sum(item["amount"] for item in case.get("estimate", "items") or ())
    if items != case.total:
        yield Problem(case.at("estimate", "total"), MESSAGES["E001"].format(total=yen(case.total), items=yen(items)))


@case_rule("E002", "below-fee-guide", Severity.WARNING, "self-operated", Text(
    ja="料金の目安を下回る見積もり項目", en="An estimate item costs less than its fee guide"), messages=MESSAGES, docs_ja=DOCS_JA)
def below_fee_guide(case: Case) -> Iterator[Problem]:
    """Each item costs at least its fee's guide price, times the self-operation multiplier
    when the customer operates the server.

    The fee table is a guide, so this is a warning: the operator may have a reason.

    Fails (access: self-operated, multiplier 10, mail-check from 15,000)::

        items: [{fee: mail-check, amount: 15000}]

    Passes::

        items: [{fee: mail-check, amount: 150000}]
    """
    self_operated = case.access == "self-operated"
    for index, item in enumerate(case.get("estimate", "items") or ()):
        if item["fee"] not in case.policy.fees:
            continue  # S004 reports it
        guide = case.policy.fee_guide(item["fee"], self_operated=self_operated)
        if item["amount"] < guide:
            message = MESSAGES["E002.self-operated" if self_operated else "E002"]
            yield Problem(case.at("estimate", "items", index, "amount"), message.format(
                fee=fee_name(case.policy, item["fee"]), amount=yen(item["amount"]), guide=yen(guide),
                multiplier=case.policy.parameters.self_operated_multiplier))


@case_rule("E003", "work-outside-estimate", Severity.ERROR, "estimate-bound", Text(
    ja="見積もりにない作業", en="Work outside the estimate"), messages=MESSAGES, docs_ja=DOCS_JA)
def work_outside_estimate(case: Case) -> Iterator[Problem]:
    """Only the items in the estimate are worked on; anything else is a new case.

    Fails::

        estimate: {date: 2026-11-03, total: 15000, items: [{fee: mail-check, amount: 15000}]}
        work: {items: [mail-check, data-repair]}

    Passes::

        work: {items: [mail-check]}   # data-repair goes to a follow-up case
    """
    if not case.has_estimate:
        return
    estimated = {item["fee"] for item in case.get("estimate", "items") or ()}
    for index, fee in enumerate(case.get("work", "items") or ()):
        if fee in estimated:
            continue
        where = case.at("work", "items", index)
        if fee in case.policy.fees:
            yield Problem(where, MESSAGES["E003"].format(fee=fee_name(case.policy, fee), fee_id=fee))
        else:  # not even a fee of the policy (S004 says so too)
            yield Problem(where, MESSAGES["E003.unknown-fee"].format(fee_id=quoted(fee)))


@case_rule("E004", "work-without-estimate", Severity.ERROR, "deposit", Text(
    ja="見積もりなしで有料作業を開始", en="Paid work started with no estimate"), messages=MESSAGES, docs_ja=DOCS_JA)
def work_without_estimate(case: Case) -> Iterator[Problem]:
    """Paid work starts only after an estimate (and its prepayment).

    Applies when work has started, there is no estimate, and the outcome is ``paid``
    or there is no triage yet.

    Fails::

        triage: {date: 2026-11-03, outcome: paid}
        work: {started: 2026-11-05}

    Passes::

        triage: {date: 2026-11-03, outcome: bug}
        work: {started: 2026-11-05}
    """
    if case.started is None or case.has_estimate or case.outcome not in ("paid", None):
        return
    yield Problem(case.at("work", "started"), MESSAGES["E004"])
