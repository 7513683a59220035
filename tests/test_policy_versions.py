"""Policy versions (SPEC 7.3): a case is judged by the terms in force on its estimate date.

A copy of policy/ gets a version 2.0.0 that raises the deadline days, the deposit share, the
self-operated multiplier and a fee; version 1.0.0's terms move to history.yaml. Cases agreed
before keep their verdicts; cases agreed after follow the new terms.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from validator.case import Case
from validator.policy import PolicyError, load_policy
from validator.yaml_loader import load_file

from conftest import POLICY_DIR, run_cli, run_json

AS_OF = "2027-01-28"

HISTORY = """\
applies:
  ja: お見積もりの日に有効だった版で承ります。
  en: A request is handled under the version in force on its estimate date.
changes:
  ja: 残金の期限を10日に延ばし、内金を3分の2に、メール送信の調査の目安を改めました。
  en: The balance deadline is now 10 days, the deposit two thirds, and the mail check fee changed.
earlier:
  - version: "1.0.0"
    effective: 2026-11-01
    changes:
      ja: 初版。
      en: First version.
    parameters:
      self_operated_multiplier: 10
      deposit_ratio: {numerator: 1, denominator: 2}
      balance_deadline_days: 5
    fees:
      server-move: 20000
      version-up: 10000
      error-check: 15000
      paypal-check: 20000
      mail-check: 15000
      data-repair: 30000
"""

CASE = """\
id: {id}
opened: {year}-{month}-02
customer: {{license: L-1, same_paypal_account: true}}
product: paypal-automail
triage: {{date: {year}-{month}-03, outcome: paid}}
access: none
estimate:
  date: {year}-{month}-03
  items: [{{fee: mail-check, amount: 15000}}]
  total: 15000
payments:
  - {{date: {year}-{month}-04, amount: 7500, method: paypal, kind: deposit}}
work: {{started: {year}-{month}-05, items: [mail-check], completed: 2027-01-20}}
"""

SELF_OPERATED = """\
id: {id}
opened: {year}-{month}-02
customer: {{license: L-1, same_paypal_account: true}}
product: paypal-automail
triage: {{date: {year}-{month}-03, outcome: paid}}
access: self-operated
estimate:
  date: {year}-{month}-03
  items: [{{fee: mail-check, amount: 150000}}]
  total: 150000
"""


def make_version_2(policy: Path, *, history: str = HISTORY) -> None:
    """Version 2.0.0 from 2027-01-01: 10 days, 2/3 deposit, x12, mail-check from 18,000."""
    def change(name: str, *edits: tuple[str, str]) -> None:
        path = policy / name
        text = path.read_text("utf-8")
        for old, new in edits:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")

    change("policy.yaml", ('version: "1.0.0"', 'version: "2.0.0"'), ("effective: 2026-11-01", "effective: 2027-01-01"),
           ("balance_deadline_days: 5", "balance_deadline_days: 10"), ("numerator: 1", "numerator: 2"),
           ("denominator: 2", "denominator: 3"), ("self_operated_multiplier: 10", "self_operated_multiplier: 12"))
    change("fees.yaml", ("    name: {ja: メール送信の調査, en: Investigating mail delivery}\n    from: 15000",
                         "    name: {ja: メール送信の調査, en: Investigating mail delivery}\n    from: 18000"))
    (policy / "history.yaml").write_text(history, "utf-8")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for case_id, template, year, month in (("old-a", CASE, 2026, 11), ("old-b", SELF_OPERATED, 2026, 11),
                                           ("new-a", CASE, 2027, "01"), ("new-b", SELF_OPERATED, 2027, "01")):
        (folder / f"{case_id}.yaml").write_text(template.format(id=case_id, year=year, month=month), "utf-8")
    return folder


def verdicts(policy: Path, cases: Path) -> dict[str, list[str]]:
    _, report = run_json(str(cases), "--policy", str(policy), "--as-of", AS_OF, "--lang", "en")
    found: dict[str, list[str]] = {path.stem: [] for path in cases.glob("*.yaml")}
    for diagnostic in report["diagnostics"]:
        found[diagnostic["case"]].append(diagnostic["code"])
    return found


# Under 1.0.0: due 5 days after 2027-01-20 (passed: P006), deposit 7,500 paid, x10 guide 150,000.
# Under 2.0.0: due 10 days after (not yet: P008), deposit 10,000 not paid (P001), the guide is
# 18,000 (E002 for 15,000) and x12 = 216,000 (E002 for 150,000).
UNDER_1 = {"a": ["P006"], "b": []}
UNDER_2 = {"a": ["E002", "P001", "P008"], "b": ["E002"]}


def test_every_case_follows_the_single_version_of_today(cases: Path) -> None:
    assert verdicts(POLICY_DIR, cases) == {f"{age}-{kind}": codes for age in ("old", "new")
                                           for kind, codes in UNDER_1.items()}


def test_old_cases_keep_their_verdicts_and_new_cases_follow(policy_copy: Path, cases: Path) -> None:
    make_version_2(policy_copy)
    assert verdicts(policy_copy, cases) == {
        "old-a": UNDER_1["a"], "old-b": UNDER_1["b"], "new-a": UNDER_2["a"], "new-b": UNDER_2["b"]}


def test_the_messages_quote_the_terms_of_the_case_s_version(policy_copy: Path, cases: Path) -> None:
    make_version_2(policy_copy)
    _, report = run_json(str(cases), "--policy", str(policy_copy), "--as-of", AS_OF, "--lang", "en")
    messages = {(d["case"], d["code"]): d["message"] for d in report["diagnostics"]}
    assert "2027-01-25" in messages[("old-a", "P006")]       # 5 days after completion
    assert "2027-01-30" in messages[("new-a", "P008")]       # 10 days after
    assert "¥10,000" in messages[("new-a", "P001")]          # two thirds of 15,000
    assert "¥216,000" in messages[("new-b", "E002")]         # 18,000 x 12


def test_the_version_in_force_is_chosen_by_estimate_then_opened_date(policy_copy: Path, tmp_path: Path) -> None:
    make_version_2(policy_copy)
    policy = load_policy(policy_copy)
    assert [version.version for version in policy.history] == ["1.0.0", "2.0.0"]

    def version_of(text: str) -> str:
        path = tmp_path / "c.yaml"
        path.write_text(text, "utf-8")
        return Case(load_file(str(path)), policy, dt.date(2027, 3, 1)).policy.version

    head = "id: c\ncustomer: {license: L-1, same_paypal_account: true}\nproduct: paypal-automail\n"
    estimate = "estimate: {{date: {}, items: [], total: 0}}\n"
    assert version_of(head + "opened: 2026-12-20\n" + estimate.format("2026-12-31")) == "1.0.0"
    assert version_of(head + "opened: 2026-12-20\n" + estimate.format("2027-01-01")) == "2.0.0"  # from that day
    assert version_of(head + "opened: 2027-01-01\n") == "2.0.0"
    assert version_of(head + "opened: 2026-12-31\n") == "1.0.0"
    assert version_of(head + "opened: 2020-01-01\n") == "1.0.0"  # before every version: the oldest
    old = policy.in_force(dt.date(2026, 12, 1))
    assert old is policy.in_force(dt.date(2026, 11, 1))  # made once per version
    assert policy.in_force(dt.date(2027, 6, 1)) is policy
    assert (old.parameters.balance_deadline_days, old.fees["mail-check"].minimum, old.products) == (
        5, 15000, policy.products)


def _broken(history: str, old: str, new: str) -> str:
    assert old in history
    return history.replace(old, new, 1)


# Each mistake in history.yaml: the text replaced, and what the operator reads in English and Japanese.
BROKEN_HISTORIES = [
    ("effective: 2026-11-01", "effective: 2027-01-01",
     r"history\.yaml:9:5: versions are listed oldest first.*1\.0\.0 \(2027-01-01\) is not before the current",
     r"history\.yaml:9:5: バージョンは古い順に.*1\.0\.0\(2027-01-01\)が現在のバージョン\(policy\.yaml\)"),
    ("      mail-check: 15000\n", "",
     r"history\.yaml:17:5: version 1\.0\.0: no guide price for mail-check",
     r"history\.yaml:17:5: バージョン 1\.0\.0: mail-check の料金の目安がありません"),
    ("      mail-check: 15000\n", "      mail-check: 15000\n      mail-chek: 15000\n",
     r"history\.yaml:23:7: version 1\.0\.0: 'mail-chek' is not a fee of fees\.yaml",
     r"history\.yaml:23:7: バージョン 1\.0\.0: 'mail-chek' は fees\.yaml にない料金です"),
    ("      balance_deadline_days: 5\n", "",
     r"history\.yaml:14:7: The required key `balance_deadline_days` is missing in `earlier entry 1 > parameters`",
     r"history\.yaml:14:7: 「earlier 1件目 > parameters」に必須のキー「balance_deadline_days」がありません"),
    ("      en: First version.\n", "",
     r"history\.yaml:11:7: `earlier entry 1 > changes`: a translation is missing: en",
     r"history\.yaml:11:7: 「earlier 1件目 > changes」の訳がありません: en"),
    ("      ja: 初版。", "      ja: 期限は{balance_deadline_days}日。",
     r"history\.yaml:11:11: the history is written out: write the number instead of the placeholder",
     r"history\.yaml:11:11: 改定履歴は書いた時のまま残します"),
    ('version: "1.0.0"', 'version: "2.0.0"',
     r"history\.yaml:8:5: version '2\.0\.0' is listed twice; give each version its own number",
     r"history\.yaml:8:5: バージョン '2\.0\.0' が2回書かれています。版ごとに別の番号を付けてください"),
    ("      deposit_ratio: {numerator: 1, denominator: 2}", "      deposit_ratio: {numerator: 3, denominator: 2}",
     r"history\.yaml:15:7: deposit_ratio must not exceed 1 \(numerator at most the denominator\)",
     r"history\.yaml:15:7: deposit_ratio は1以下にしてください\(numerator を denominator 以下に\)"),
]


@pytest.mark.parametrize(("old", "new", "english", "japanese"), BROKEN_HISTORIES,
                         ids=[case[2][20:60] for case in BROKEN_HISTORIES])
def test_a_broken_history_is_exit_2_at_its_line(policy_copy: Path, tmp_path: Path, old: str, new: str,
                                                 english: str, japanese: str) -> None:
    make_version_2(policy_copy, history=_broken(HISTORY, old, new))
    with pytest.raises(PolicyError, match=english):
        load_policy(policy_copy)
    (tmp_path / "empty").mkdir()
    for lang, expected in (("en", english), ("ja", japanese)):
        completed = run_cli("validate", str(tmp_path / "empty"), "--policy", str(policy_copy), "--lang", lang)
        assert completed.returncode == 2
        assert re.search(expected, completed.stderr) and "Traceback" not in completed.stderr, completed.stderr


def test_a_missing_history_file_is_exit_2(policy_copy: Path) -> None:
    (policy_copy / "history.yaml").unlink()
    with pytest.raises(PolicyError, match=r"history\.yaml: missing policy file"):
        load_policy(policy_copy)
