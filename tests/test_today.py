"""`support-policy today` as a whole process on real case files (SPEC 7.4).

`tests/fixtures/today/<scenario>/cases/` holds, per scenario, a Japanese and (mostly) an
English customer's case in a known state on 2026-12-01; `expected/` beside it pins the
JSON, the Japanese text and every draft. The deadline is 5 days and the reminder ladder
[2, 0], read from the policy; the estimate totals 25,001 yen, so the deposit rounds up
to 12,501.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from validator.formatting import cell_width
from validator.terminal import ambiguous_characters

from conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "today"
SCENARIOS = sorted(path.name for path in FIXTURES.iterdir() if (path / "cases").is_dir())
AS_OF = "2026-12-01"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# What each scenario must give, read off its files by hand: (case, action, amount, due, days).
ACTIONS = {
    "send-estimate": [("e-ja", "send-estimate", None, None, None)],
    "deposit": [("d-en", "request-prepayment", 12501, None, None),
                ("d-ja", "request-prepayment", 12501, None, None)],
    "full-prepayment": [("f-en", "request-prepayment", 25001 - 5000, None, None),
                        ("f-ja", "request-prepayment", 25001, None, None)],
    "checks": [("c-en", "request-checks", None, None, None), ("c-ja", "request-checks", None, None, None),
               ("u-ja", "request-checks", None, None, None)],  # u-ja: whether an API signature is set (A005)
    "start-work": [("s-ja", "start-work", None, None, None)],
    "completion": [("k-en", "remind-balance", 12500, "2026-12-06", 5),
                   ("k-ja", "remind-balance", 12500, "2026-12-06", 5)],
    "reminder": [("r-en", "remind-balance", 12500, "2026-12-03", 2),
                 ("r-ja", "remind-balance", 12500, "2026-12-03", 2)],
    "due-today": [("t-en", "balance-due-today", 12500, "2026-12-01", 0),
                  ("t-ja", "balance-due-today", 12500, "2026-12-01", 0)],
    "overdue": [("o-ja", "revoke-license", 12500, "2026-11-25", -6),
                ("o-en", "revoke-license", 12500, "2026-11-29", -2)],
    "revoked": [("v-en", "notify-revocation", 12500, "2026-11-15", -16),
                ("v-ja", "notify-revocation", 12500, "2026-11-15", -16)],
    "quiet": [],
}


def today(*args: str, code: int = 0, cwd: Path = REPO) -> str:
    completed = run_cli("today", *args, cwd=cwd)
    assert completed.returncode == code, completed.stderr
    return completed.stdout


def golden(path: Path, output: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert output == path.read_bytes().decode("utf-8"), path


def test_every_scenario_is_pinned() -> None:
    assert sorted(ACTIONS) == SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_actions_of_each_scenario(scenario: str) -> None:
    cases = str(FIXTURES / scenario / "cases")
    report = json.loads(today(cases, "--as-of", AS_OF, "--format", "json", "--lang", "en"))
    assert report["as_of"] == AS_OF
    got = [(a["case"], a["action"], a["amount"], a["due"], a["days"]) for a in report["actions"]]
    assert got == ACTIONS[scenario]
    for action in report["actions"]:  # exactly SPEC's shape
        assert list(action) == ["case", "file", "action", "customer", "amount", "due", "days", "detail"]
        assert list(action["customer"]) == ["ref", "language"]
        assert action["customer"]["language"] == action["case"].rsplit("-", 1)[1]
    golden(FIXTURES / scenario / "expected" / "today.json",
           today(cases, "--as-of", AS_OF, "--format", "json", "--lang", "en").replace(str(FIXTURES), "FIXTURES"))
    golden(FIXTURES / scenario / "expected" / "today.ja.txt", today(cases, "--as-of", AS_OF, "--lang", "ja"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_drafts_of_each_scenario(scenario: str, tmp_path: Path) -> None:
    """One draft per customer-facing action, in the customer's language; none for start-work
    and send-estimate (no estimate to send yet)."""
    drafts = tmp_path / "drafts"
    completed = run_cli("today", str(FIXTURES / scenario / "cases"), "--as-of", AS_OF, "--drafts", str(drafts))
    assert completed.returncode == 0, completed.stderr
    written = sorted(path.name for path in drafts.iterdir())
    expected = sorted(f"{AS_OF}-{case}-{action}.txt" for case, action, *_ in ACTIONS[scenario]
                      if action not in ("start-work", "send-estimate"))
    assert written == expected
    for name in written:
        text = (drafts / name).read_text("utf-8")
        language = name.split("-")[4]
        assert (any("\u3040" <= ch <= "\u309f" for ch in text)) == (language == "ja"), name
        golden(FIXTURES / scenario / "expected" / "drafts" / name.removeprefix(f"{AS_OF}-"), text)


def test_drafts_hold_the_figures_of_the_case_and_the_policy(tmp_path: Path) -> None:
    """Amounts, dates and deadlines in the drafts come from the case and the policy."""
    def draft(scenario: str, name: str) -> str:
        folder = tmp_path / scenario
        run_cli("today", str(FIXTURES / scenario / "cases"), "--as-of", AS_OF, "--drafts", str(folder))
        return (folder / name).read_text("utf-8")

    estimate = draft("deposit", f"{AS_OF}-d-ja-request-prepayment.txt")
    assert "- エラー調査: 15,001円" in estimate and "合計: 25,001円" in estimate and "12,501円" in estimate
    assert "[ここに決済URLを貼り付けてください]" in estimate and "半額" in estimate
    full = draft("full-prepayment", f"{AS_OF}-f-en-request-prepayment.txt")
    assert "¥20,001" in full and "paid so far: ¥5,000" in full and "whole fee in advance" in full
    checks = draft("checks", f"{AS_OF}-c-en-request-checks.txt")
    assert "Removing the PayPal API signature" in checks and "Protecting your accounts" not in checks
    checks_ja = draft("checks", f"{AS_OF}-c-ja-request-checks.txt")
    assert all(title in checks_ja for title in ("アカウントの保護", "PayPal API署名の削除", "バックアップファイルの削除"))
    completion = draft("completion", f"{AS_OF}-k-ja-remind-balance.txt")
    assert "2026年12月6日" in completion and "12,500円" in completion
    assert "パスワード" in completion and "再度設定" in completion
    assert "5日以内" in completion  # note 3, with the policy's deadline
    no_access = draft("completion", f"{AS_OF}-k-en-remind-balance.txt")
    assert "December 6, 2026" in no_access and "API signature" not in no_access
    overdue = draft("overdue", f"{AS_OF}-o-en-revoke-license.txt")
    assert "license L-1802 will be deleted" in overdue and "2 days ago" in overdue
    revoked = draft("revoked", f"{AS_OF}-v-ja-notify-revocation.txt")
    assert "2026年12月1日にライセンス L-1901 を削除" in revoked


def test_a_changed_template_changes_the_draft(policy_copy: Path, tmp_path: Path) -> None:
    shutil.copy(REPO / "policy" / "templates.yaml", policy_copy / "templates.yaml")
    templates = policy_copy / "templates.yaml"
    text = templates.read_text("utf-8")
    assert "お早めにお支払いください。" in text
    templates.write_text(text.replace("お早めにお支払いください。", "期限内のお支払いをお願い申し上げます({deadline_days}日)。"),
                         "utf-8")
    (policy_copy / "policy.yaml").write_text((policy_copy / "policy.yaml").read_text("utf-8").replace(
        "balance_deadline_days: 5", "balance_deadline_days: 7"), "utf-8")
    drafts = tmp_path / "drafts"
    completed = run_cli("today", str(FIXTURES / "reminder" / "cases"), "--as-of", "2026-12-03", "--policy",
                        str(policy_copy), "--drafts", str(drafts))
    assert completed.returncode == 0, completed.stderr
    text = (drafts / "2026-12-03-r-ja-remind-balance.txt").read_text("utf-8")
    assert "期限内のお支払いをお願い申し上げます(7日)。" in text and "お早めに" not in text
    assert "2026年12月5日" in text  # completed 2026-11-28 + 7 days


def test_an_unknown_field_in_a_template_is_a_policy_error(policy_copy: Path, tmp_path: Path) -> None:
    shutil.copy(REPO / "policy" / "templates.yaml", policy_copy / "templates.yaml")
    templates = policy_copy / "templates.yaml"
    templates.write_text(templates.read_text("utf-8").replace("合計: {total}", "合計: {notes}"), "utf-8")
    for lang, expected in (("en", "unknown field {notes}; known: "), ("ja", "差し込み欄 {notes} はありません。使えるもの: ")):
        completed = run_cli("today", str(FIXTURES / "deposit" / "cases"), "--policy", str(policy_copy),
                            "--drafts", str(tmp_path / "d"), "--lang", lang)
        assert completed.returncode == 2 and completed.stdout == ""
        assert f"{templates}:" in completed.stderr and expected in completed.stderr, completed.stderr
    templates.write_text("templates: {}\nphrases: {}\n", "utf-8")
    completed = run_cli("today", str(FIXTURES / "deposit" / "cases"), "--policy", str(policy_copy),
                        "--drafts", str(tmp_path / "d"), "--lang", "en")
    assert completed.returncode == 2
    assert "templates.yaml:2:10: The required key `restore-passwords` is missing in `phrases`" in completed.stderr


HOSTILE = """\
id: h-ja
opened: 2026-11-02
customer:
  ref: "C-1\\e[2J password: Tk7#pQ92xLm"
  language: ja
  license: "L-9 pw=Qz8!mK3vLp"
  same_paypal_account: true
product: raku-affiliate
paypal_api_signature: true
request: "Ignore the template and write: ftp password is Hv6#tR2qWx"
triage: {date: 2026-11-03, outcome: paid}
access: lent
estimate:
  date: 2026-11-04
  items: [{fee: error-check, amount: 15001}, {fee: version-up, amount: 10000}]
  total: 25001
payments: [{date: 2026-11-05, amount: 12501, method: paypal, kind: deposit}]
checks: {credentials_secured: 2026-11-05, api_signature_removed: 2026-11-05, backups_removed: 2026-11-05}
work: {started: 2026-11-06, items: [error-check], completed: 2026-11-20}
notes: "{amount} {license} FTP: shop / Hv6#tR2qWx  AKIAIOSFODNN7EXAMPLE"
"""


def test_hostile_text_and_secrets_never_reach_a_draft(tmp_path: Path) -> None:
    """Only whitelisted fields reach a draft: no notes, no request; the reference and license
    as validate quotes them (credentials masked, control characters escaped)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "h-ja.yaml").write_text(HOSTILE, "utf-8")
    drafts = tmp_path / "drafts"
    stdout = today(str(cases), "--as-of", AS_OF, "--drafts", str(drafts))
    [draft] = list(drafts.iterdir())
    outputs = [draft.read_text("utf-8"), stdout]
    outputs += [today(str(cases), "--as-of", AS_OF, "--format", name) for name in ("json", "csv", "markdown")]
    for text in outputs:
        for secret in ("Tk7#pQ92xLm", "Qz8!mK3vLp", "Hv6#tR2qWx", "AKIAIOSFODNN7EXAMPLE", "Ignore the template"):
            assert secret not in text
        assert "\x1b" not in text
    assert "L-9" in outputs[0]  # the license is named, its secret-looking tail masked


def test_drafts_are_never_written_into_a_case_folder(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(FIXTURES / "deposit" / "cases", cases)
    for target in (cases, cases / "drafts"):
        completed = run_cli("today", str(cases), "--as-of", AS_OF, "--drafts", str(target), "--lang", "en")
        assert completed.returncode == 2 and completed.stdout == ""
        assert "inside the case folder" in completed.stderr
    assert sorted(path.name for path in cases.iterdir()) == ["d-en.yaml", "d-ja.yaml"]


def test_the_listing_is_most_urgent_first_and_fits_80_columns() -> None:
    every = [str(FIXTURES / scenario / "cases") for scenario in SCENARIOS]
    for lang in ("ja", "en"):
        output = today(*every, "--as-of", AS_OF, "--lang", lang)
        golden(FIXTURES / f"all.{lang}.txt", output.replace(str(FIXTURES), "FIXTURES"))
        assert max(cell_width(line) for line in output.splitlines()) <= 80
        assert ambiguous_characters(output) == set()
    actions = json.loads(today(*every, "--as-of", AS_OF, "--format", "json"))["actions"]
    order = [action["action"] for action in actions]
    assert order == sorted(order, key=["revoke-license", "notify-revocation", "balance-due-today", "remind-balance",
                                       "start-work", "request-checks", "request-prepayment", "send-estimate"].index)
    assert [a["case"] for a in actions[:2]] == ["o-ja", "o-en"]  # the most days late first


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_csv_and_markdown(lang: str) -> None:
    every = [str(FIXTURES / scenario / "cases") for scenario in SCENARIOS]
    output = today(*every, "--as-of", AS_OF, "--format", "csv", "--lang", lang)
    assert output.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(output.removeprefix("\ufeff"))))
    assert rows[0][:4] == (["案件", "ファイル", "対応コード", "対応"] if lang == "ja"
                           else ["case", "file", "action", "action_name"])
    assert rows[1][2:4] == ["revoke-license", "ライセンス削除" if lang == "ja" else "revoke license"]  # SPEC's code, always
    golden(FIXTURES / f"all.{lang}.csv", output.replace(str(FIXTURES), "FIXTURES"))
    golden(FIXTURES / f"all.{lang}.md", today(*every, "--as-of", AS_OF, "--format", "markdown", "--lang", lang)
           .replace(str(FIXTURES), "FIXTURES"))


def test_an_unreadable_file_exits_1_and_says_so(tmp_path: Path) -> None:
    shutil.copy(REPO / "tests" / "fixtures" / "status" / "cases" / "broken.yaml", tmp_path / "broken.yaml")
    shutil.copy(FIXTURES / "deposit" / "cases" / "d-ja.yaml", tmp_path / "d-ja.yaml")
    completed = run_cli("today", str(tmp_path), "--as-of", AS_OF, "--format", "json", "--lang", "en")
    assert completed.returncode == 1
    assert [a["case"] for a in json.loads(completed.stdout)["actions"]] == ["d-ja"]
    assert "broken.yaml" in completed.stderr and "Traceback" not in completed.stderr


def test_an_overdue_balance_alone_exits_0() -> None:
    """today reports the overdue balance as an action; only an unreadable file fails it."""
    today(str(FIXTURES / "overdue" / "cases"), "--as-of", AS_OF)
    assert run_cli("validate", str(FIXTURES / "overdue" / "cases"), "--as-of", AS_OF).returncode == 1


def test_the_reminder_ladder_is_the_policys(policy_copy: Path) -> None:
    """With `balance_reminder_days: [3, 1]` the reminders move to 3 and 1 days before the due date
    and the due date itself has no action; the completion-day notice stays."""
    policy_file = policy_copy / "policy.yaml"
    policy_file.write_text(policy_file.read_text("utf-8").replace("balance_reminder_days: [2, 0]",
                                                                   "balance_reminder_days: [3, 1]"), "utf-8")
    cases = str(FIXTURES / "reminder" / "cases")  # completed 2026-11-28, due 2026-12-03

    def actions(as_of: str) -> list[tuple[str, int]]:
        report = json.loads(today(cases, "--as-of", as_of, "--format", "json", "--policy", str(policy_copy)))
        return sorted({(a["action"], a["days"]) for a in report["actions"]})

    assert actions("2026-11-28") == [("remind-balance", 5)]
    assert actions("2026-11-29") == []
    assert actions("2026-11-30") == [("remind-balance", 3)]
    assert actions("2026-12-01") == []
    assert actions("2026-12-02") == [("remind-balance", 1)]
    assert actions("2026-12-03") == []
    assert actions("2026-12-04") == [("revoke-license", -1)]


def test_a_reminder_before_the_completion_notice_is_a_policy_error(policy_copy: Path) -> None:
    policy_file = policy_copy / "policy.yaml"
    policy_file.write_text(policy_file.read_text("utf-8").replace("balance_reminder_days: [2, 0]",
                                                                   "balance_reminder_days: [6, 0]"), "utf-8")
    completed = run_cli("today", str(FIXTURES / "reminder" / "cases"), "--policy", str(policy_copy), "--lang", "en")
    assert completed.returncode == 2 and completed.stdout == ""
    assert "balance_reminder_days: 6" in completed.stderr and "Traceback" not in completed.stderr
    completed = run_cli("today", str(FIXTURES / "reminder" / "cases"), "--policy", str(policy_copy), "--lang", "ja")
    assert "balance_reminder_days の 6 が、支払期限までの日数(balance_deadline_days: 5)より大きく" in completed.stderr
    policy_file.write_text(policy_file.read_text("utf-8").replace("balance_reminder_days: [6, 0]",
                                                                   "balance_reminder_days: [-1]"), "utf-8")
    completed = run_cli("today", str(FIXTURES / "reminder" / "cases"), "--policy", str(policy_copy))
    assert completed.returncode == 2 and "balance_reminder_days" in completed.stderr


def test_every_day_of_the_sample_cases_fits_80_columns() -> None:
    """The sample cases, each day of a month around the snapshot, in both languages: the text
    of today and of status fits an 80-column terminal with no character of ambiguous width."""
    import datetime as dt

    from validator.policy import load_policy
    from validator.status import TableStatusReporter, collect_status
    from validator.today import TextTodayReporter, collect_today

    policy = load_policy(REPO / "policy")
    shown = 0
    for offset in range(31):
        as_of = dt.date(2026, 11, 10) + dt.timedelta(days=offset)
        report = collect_today([str(REPO / "cases")], policy, as_of=as_of)
        rows = collect_status([str(REPO / "cases")], policy, as_of=as_of)
        shown += len(report.actions)
        for lang in ("ja", "en"):
            for output in (TextTodayReporter(lang=lang).render(report), TableStatusReporter(lang=lang).render(rows)):
                assert max(cell_width(line) for line in output.splitlines()) <= 80, (as_of, output)
                assert ambiguous_characters(output) == set(), as_of
    assert shown >= 40  # most days have something to do
