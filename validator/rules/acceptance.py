"""Accepted breaches (SPEC 7.1): a breach that really happened, reviewed once, becomes a notice.

A case's ``accepted:`` list names a rule, the day the operator reviewed the breach and
why it was accepted. The engine turns that rule's diagnostics in the case into notices
that carry the date and the reason (``accept``), instead of the operator writing a false
date to silence them. An entry that accepts nothing that fires is W001, so acceptances
do not outlive the breach they were written for.

Some problems cannot be accepted, because accepting them would hide something that must
be fixed: the file's own structure (S001-S008), a secret in the file (A004), an overdue
balance (P006, the daily run's to chase), and a rewritten or removed payment record
(L001, L002). The schema refuses such an entry as S003, with the message below.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from validator.diagnostics import Acceptance, Finding, Severity, Text
from validator.rules.base import Rule
from validator.yaml_loader import excerpt

if TYPE_CHECKING:
    from validator.yaml_loader import LoadedDocument

# The rules no ``accepted:`` entry may name, by why not (the key of their message).
NOT_ACCEPTABLE: dict[str, str] = {
    **{f"S00{number}": "structure" for number in range(1, 9)},
    "A004": "secret",
    "P006": "overdue",
    "L001": "ledger",
    "L002": "ledger",
    "W001": "stale",
}

# A reason is quoted at most this long in every report (it is the operator's own prose).
REASON_LIMIT = 500

MESSAGES: dict[str, Text] = {
    "S003.accept-structure": Text(
        ja="{code}は受け入れられません。ファイルそのものの問題は、受け入れるのではなく直してください。",
        en="{code} cannot be accepted: a problem with the file itself is fixed, not accepted."),
    "S003.accept-secret": Text(
        ja="{code}は受け入れられません。パスワードやAPI署名はファイルから消し、お客様に変更をお願いしてください"
           "(gitの履歴にも残っています)。",
        en="{code} cannot be accepted: remove the secret from the file and have the customer change it "
           "(it is in the git history too)."),
    "S003.accept-overdue": Text(
        ja="{code}は受け入れられません。期限を過ぎた残金は、入金を記録するか、ライセンスを削除して "
           "license_revoked にその日を記録してください。",
        en="{code} cannot be accepted: record the payment, or delete the license and record the day "
           "in license_revoked."),
    "S003.accept-ledger": Text(
        ja="{code}は受け入れられません。記録した支払いは書き換えも削除もせず元に戻してください。"
           "誤って記録した支払いには void を付けます。",
        en="{code} cannot be accepted: a recorded payment is never rewritten or removed; restore it, "
           "and mark a payment recorded by mistake with void."),
    "S003.accept-stale": Text(
        ja="{code}は受け入れられません。何にも当てはまらない accepted の項目は削除してください。",
        en="{code} cannot be accepted: remove the accepted entry that matches nothing instead."),
    "S003.accept-unknown": Text(
        ja="「{code}」はルールのコードではありません。受け入れられるルール: {codes}",
        en="`{code}` is not a rule code; the rules that can be accepted are: {codes}."),
    "S003.accept-blank-reason": Text(
        ja="accepted の reason には、受け入れた理由を書いてください(空にはできません)。",
        en="An accepted entry needs a reason: say why the breach was accepted (it cannot be blank)."),
    "W001": Text(
        ja="この案件に {code} の指摘はもうありません。受け入れ({date})が不要なら、この項目を削除してください。",
        en="Nothing in this case fires {code} any more; if the acceptance of {date} is no longer needed, "
           "remove the entry."),
}

DOCS_JA: dict[str, str] = {
    "W001": (
        "accepted: の項目が、その案件で何も報告していない規則を指しています。違反が直った、規則のコードを間違えた、"
        "他の案件から写した、のいずれかです。受け入れが別の違反を黙らせないよう、項目を削除してください。"),
}

STALE_ACCEPTANCE = Rule("W001", "stale-acceptance", Severity.WARNING, None, Text(
    ja="何にも当てはまらない受け入れ", en="An accepted entry matches no diagnostic of its case"), """\
An ``accepted:`` entry names a rule that reports nothing in its case: the breach was
fixed, the rule was misnamed, or the entry was copied from another case. Remove it, so
an acceptance never silences a breach it was not written for.

Fails (a case where A002 does not fire)::

    accepted:
      - rule: A002
        date: 2026-11-26
        reason: 作業開始後に削除。影響がないことを確認済み。

Passes: the same entry in a case where work started before the API signature was removed.
""", messages=MESSAGES, doc_ja=DOCS_JA["W001"])


def acceptable_codes(codes: Sequence[str]) -> list[str]:
    """The codes, in their order, that an ``accepted:`` entry may name."""
    return [code for code in codes if code not in NOT_ACCEPTABLE]


def refused_rule_message(value: object, acceptable: Sequence[str]) -> Text:
    """Why an ``accepted:`` entry's ``rule`` value is S003."""
    reason = NOT_ACCEPTABLE.get(value) if isinstance(value, str) else None
    if reason is not None:
        return MESSAGES[f"S003.accept-{reason}"].format(code=value)
    return MESSAGES["S003.accept-unknown"].format(code=excerpt(value), codes=", ".join(acceptable))


def blank_reason_message() -> Text:
    return MESSAGES["S003.accept-blank-reason"]


def accept(findings: Sequence[Finding], document: LoadedDocument) -> list[Finding]:
    """The findings with the accepted ones marked, and W001 for each entry that accepts nothing.

    Run only on a schema-valid case: every entry then has a rule, a date and a reason.
    The first entry naming a rule gives the date and reason of its notices.
    """
    entries = document.data.get("accepted") or []
    if not entries:  # most cases accept nothing
        return list(findings)
    by_code: dict[str, Acceptance] = {}
    for entry in entries:
        by_code.setdefault(entry["rule"], Acceptance(
            date=str(entry["date"]), reason=excerpt(" ".join(entry["reason"].split()), REASON_LIMIT)))
    marked = [Finding(finding.code, finding.position, finding.message, by_code[finding.code])
              if finding.code in by_code and finding.accepted is None else finding
              for finding in findings]
    fired = {finding.code for finding in findings}
    for index, entry in enumerate(entries):
        if entry["rule"] not in fired:
            marked.append(Finding(STALE_ACCEPTANCE.code, document.position_of(("accepted", index, "rule")),
                                  MESSAGES["W001"].format(code=entry["rule"], date=entry["date"])))
    return marked
