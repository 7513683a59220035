"""The mistakes operators really make (issue 13), one real file each: where the validator
points, and what it said before release 2, which it must never say again.

Each row: the example file under ``tests/examples/``, the code, line and column of the
diagnostic, and the message of release 1 in Japanese and English. What it says now, in
both languages, is pinned in that folder's ``messages.txt`` (tests/test_rule_examples.py);
here each old wording must be gone: no ``None``, no 0-based path, no ``day(s)``, no
character or length of a secret, no English lower-cased by ``.capitalize()``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = REPO / "tests" / "examples"

# file, code, line, column, release-1 message (ja), release-1 message (en)
MISTAKES = (
    ('A002/a002-removed-after-start.yaml', 'A002', 27, 26,
     'お客様がPayPal API署名を削除したのが作業開始(2026-11-05)より後の2026-11-06です。作業開始の前にお願いしてください。',
     'The customer removed the paypal api signature only on 2026-11-06, after work started on 2026-11-05.'),
    ('A003/a003-removed-after-start.yaml', 'A003', 28, 20,
     'お客様がAPI署名を含むバックアップファイルを削除したのが作業開始(2026-11-05)より後の2026-11-07です。作業開始の前にお願いしてください。',
     'The customer removed the backup files holding the api signature only on 2026-11-07, after work started on 2026-11-05.'),
    ('A004/a004-password-in-notes.yaml', 'A004', 9, 19,
     '認証情報らしきもの(password、T***(11))が書かれています。案件ファイルはgitに残るため、削除して「変更済み」などの事実だけを記録してください。値を実際に使っていた場合はお客様に変更を依頼してください。',
     'This looks like a credential (password, T***(11)). Case files live in git: delete it and record only the fact (e.g. "password changed"). If it was real, ask the customer to change it.'),
    ('E002/e002-below-guide.yaml', 'E002', 16, 15,
     'mail-checkの金額12,000円が料金の目安15,000円を下回っています。',
     'mail-check costs ¥12,000, below its fee guide of ¥15,000.'),
    ('P006/p006-due-yesterday.yaml', 'P006', 26, 14,
     '残金7,500円の支払期限(2026-11-27)を1日過ぎています。入金を記録するか、ライセンス削除日をlicense_revokedに記録してください。',
     'The balance of ¥7,500 was due on 2026-11-27, 1 day(s) ago. Record the payment, or the license deletion in license_revoked.'),
    ('P007/p007-no-estimate-nothing-paid.yaml', 'P007', 16, 18,
     'ライセンス削除日(2026-11-20)が不適切です: 残金は期限(2026-11-15)までに支払われています。',
     'The license revocation on 2026-11-20 is not allowed: The balance was paid in time (by 2026-11-15).'),
    ('P007/p007-on-due-date.yaml', 'P007', 27, 18,
     'ライセンス削除日(2026-11-25)が不適切です: 支払期限(2026-11-25)より前です。削除は期限を過ぎてからです。',
     'The license revocation on 2026-11-25 is not allowed: It is on or before the due date (2026-11-25); revoke only after the deadline has passed.'),
    ('P008/p008-due-today.yaml', 'P008', 26, 14,
     '残金7,500円の支払期限は2026-11-28です(あと0日)。',
     'The balance of ¥7,500 is due on 2026-11-28 (0 day(s) left).'),
    ('S003/20261.yaml', 'S003', 3, 5,
     '「id」は文字列で書いてください(今は数値 20261)。',
     '`id` must be text, not the number 20261.'),
    ('S003/s003-amount-yen-sign.yaml', 'S003', 17, 10,
     '「estimate > total」は円単位の整数(カンマや引用符なし、例: 15000)で書いてください(今は文字列「¥15,000」)。',
     '`estimate > total` must be a whole number of yen (no commas or quotes, e.g. 15000), not the text `¥15,000`.'),
    ('S003/s003-date-japanese-style.yaml', 'S003', 13, 9,
     '「estimate > date」は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は「2026年11月3日」です。',
     '`estimate > date` must be a date written YYYY-MM-DD (e.g. 2026-11-02), not `2026年11月3日`.'),
    ('S003/s003-date-placeholder.yaml', 'S003', 19, 11,
     '「payments 1件目 > date」は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は「YYYY-MM-DD」です。',
     '`payments #1 > date` must be a date written YYYY-MM-DD (e.g. 2026-11-02), not `YYYY-MM-DD`.'),
    ('S003/s003-empty-opened.yaml', 'S003', 4, 8,
     '「opened」は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は空です。',
     '`opened` must be a date written YYYY-MM-DD (e.g. 2026-11-02), not empty.'),
    ('S003/s003-empty-outcome.yaml', 'S003', 11, 11,
     '「triage > outcome」に「None」は使えません。次のいずれかです: manual, bug, paid, declined',
     '`triage > outcome` cannot be `None`; use one of: manual, bug, paid, declined.'),
    ('S003/s003-enum-typo-deposite.yaml', 'S003', 22, 11,
     '「payments 1件目 > kind」に「deposite」は使えません。次のいずれかです: deposit, full, balance, refund',
     '`payments #1 > kind` cannot be `deposite`; use one of: deposit, full, balance, refund.'),
    ('S003/s003-enum-typo-jp.yaml', 'S003', 6, 13,
     '「customer > language」に「jp」は使えません。次のいずれかです: ja, en',
     '`customer > language` cannot be `jp`; use one of: ja, en.'),
    ('S003/s003-enum-typo-payd.yaml', 'S003', 11, 12,
     '「triage > outcome」に「payd」は使えません。次のいずれかです: manual, bug, paid, declined',
     '`triage > outcome` cannot be `payd`; use one of: manual, bug, paid, declined.'),
    ('S003/s003-full-width-amount.yaml', 'S003', 20, 13,
     '「payments 1件目 > amount」は円単位の整数(カンマや引用符なし、例: 15000)で書いてください(今は文字列「７５００」)。',
     '`payments #1 > amount` must be a whole number of yen (no commas or quotes, e.g. 15000), not the text `７５００`.'),
    ('S003/s003-full-width-date.yaml', 'S003', 10, 9,
     '「triage > date」は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は「２０２６－１１－０３」です。',
     '`triage > date` must be a date written YYYY-MM-DD (e.g. 2026-11-02), not `２０２６－１１－０３`.'),
    ('S003/s003-full-width-key.yaml', 'S003', 9, 1,
     '「ｎｏｔｅｓ」は使えないキーです。使えるキー: id, opened, customer, product, paypal_api_signature, request, triage, access, estimate, payments, checks, work, license_revoked, follow_up, notes',
     '`ｎｏｔｅｓ` is not a known key; known keys: id, opened, customer, product, paypal_api_signature, request, triage, access, estimate, payments, checks, work, license_revoked, follow_up, notes'),
    ('S003/s003-license-leading-zero.yaml', 'S003', 6, 12,
     '「customer > license」は文字列で書いてください(今は数値 123)。',
     '`customer > license` must be text, not the number 123.'),
    ('S003/s003-secret-quoted-by-a-message.yaml', 'S003', 6, 9,
     '「opened」は日付をYYYY-MM-DDの形で書いてください(例: 2026-11-02)。今は「pw: T***(11)」です。',
     '`opened` must be a date written YYYY-MM-DD (e.g. 2026-11-02), not `pw: T***(11)`.'),
    ('S003/s003-secret-quoted-by-a-message.yaml', 'A004', 6, 14,
     '認証情報らしきもの(password、T***(11))が書かれています。案件ファイルはgitに残るため、削除して「変更済み」などの事実だけを記録してください。値を実際に使っていた場合はお客様に変更を依頼してください。',
     'This looks like a credential (password, T***(11)). Case files live in git: delete it and record only the fact (e.g. "password changed"). If it was real, ask the customer to change it.'),
    ('T002/t002-future-payment.yaml', 'T002', 23, 11,
     'payments.1.date(2026-12-01)が基準日(2026-11-28)より後の日付です。',
     'payments.1.date (2026-12-01) is after the as-of date (2026-11-28).'),
)


@lru_cache(maxsize=2)
def current(lang: str) -> dict[tuple[str, str, int, int], str]:
    files = sorted({str(EXAMPLES / row[0]) for row in MISTAKES})
    completed = subprocess.run([sys.executable, "-m", "validator", "validate", *files, "--format", "json",
                                "--as-of", "2026-11-28", "--lang", lang], cwd=REPO, capture_output=True,
                               text=True, timeout=120, check=False)
    return {(Path(d["file"]).relative_to(EXAMPLES).as_posix(), d["code"], d["line"], d["column"]):
            d["message"] for d in json.loads(completed.stdout)["diagnostics"]}


def test_the_table_covers_the_mistakes_of_the_issue() -> None:
    names = " ".join(row[0] for row in MISTAKES)
    for mistake in ("empty-outcome", "empty-opened", "full-width-amount", "full-width-date", "leading-zero",
                    "placeholder", "payd", "-jp", "deposite", "t002-future-payment", "p007-on-due-date",
                    "p007-no-estimate", "e002-below-guide", "a004-password", "p008-due-today",
                    "a002-removed-after-start", "a003-removed-after-start", "secret-quoted"):
        assert mistake in names, mistake


@pytest.mark.parametrize("row", MISTAKES, ids=[f"{row[0]}:{row[2]}:{row[3]}" for row in MISTAKES])
def test_the_mistake_is_reported_where_it_is_and_never_in_the_old_words(
        row: tuple[str, str, int, int, str, str]) -> None:
    file, code, line, column, before_ja, before_en = row
    key = (file, code, line, column)
    now_ja, now_en = current("ja").get(key), current("en").get(key)
    assert now_ja is not None and now_en is not None, f"{file}: no {code} at {line}:{column}"
    assert (now_ja, now_en) != (before_ja, before_en)
    for message in (now_ja, now_en):
        assert "None" not in message and "(s)" not in message and "***(" not in message
        assert ".0." not in message and ".1." not in message
    assert "paypal api" not in now_en and "the api signature" not in now_en
