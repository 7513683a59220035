"""``support-policy payments`` on real case files: every filter against a table of payments,
the totals (voided entries shown, never counted), text, csv and json, unreadable files."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import POLICY_DIR, REPO, run_cli

HEAD = """\
id: {id}
opened: 2026-09-01
customer: {{ref: {ref}, license: L-1, same_paypal_account: true}}
product: paypal-automail
triage: {{date: 2026-09-02, outcome: paid}}
estimate:
  date: 2026-09-02
  items: [{{fee: data-repair, amount: 40000}}]
  total: 40000
payments:
"""

# (case, customer, date, amount, method, kind, void)
PAYMENTS = [
    ("p-1", "C-1", "2026-10-01", 5000, "bank", "deposit", None),
    ("p-1", "C-1", "2026-10-10", 15000, "paypal", "balance", None),
    ("p-2", "C-2", "2026-11-01", 20000, "card", "full", None),
    ("p-2", "C-2", "2026-11-01", 20000, "card", "full", ("2026-11-03", "二重に記録した")),
    ("p-3", "=HYPERLINK(1)", "2026-11-15", 7500, "paypal", "deposit", None),
    ("p-3", "=HYPERLINK(1)", "2026-12-01", 7500, "paypal", "balance", None),
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("payments") / "cases"
    folder.mkdir()
    by_case: dict[str, list[tuple[Any, ...]]] = {}
    for entry in PAYMENTS:
        by_case.setdefault(entry[0], []).append(entry)
    for case_id, entries in by_case.items():
        text = HEAD.format(id=case_id, ref=json.dumps(entries[0][1]))
        for _, _, date, amount, method, kind, void in entries:
            text += f"  - {{date: {date}, amount: {amount}, method: {method}, kind: {kind}"
            text += f", void: {{date: {void[0]}, reason: {void[1]}}}}}\n" if void else "}\n"
        (folder / f"{case_id}.yaml").write_text(text, "utf-8")
    return folder


def search(cases: Path, *arguments: str, lang: str = "en") -> dict[str, Any]:
    completed = run_cli("payments", str(cases), "--policy", str(POLICY_DIR), "--format", "json",
                        "--lang", lang, *arguments)
    assert (completed.returncode, completed.stderr) == (0, "")
    return json.loads(completed.stdout)


def found(report: dict[str, Any]) -> list[tuple[str, str, int, bool]]:
    return [(p["case"], p["date"], p["amount"], p["void"] is not None) for p in report["payments"]]


def expected(keep: Any) -> list[tuple[str, str, int, bool]]:
    return sorted(((case, date, amount, void is not None)
                   for case, customer, date, amount, method, kind, void in PAYMENTS
                   if keep(customer=customer, date=date, amount=amount, method=method, case=case)),
                  key=lambda row: (row[1], row[0]))


FILTERS = [
    ((), lambda **p: True),
    (("--from", "2026-11-01"), lambda **p: p["date"] >= "2026-11-01"),
    (("--to", "2026-11-01"), lambda **p: p["date"] <= "2026-11-01"),
    (("--from", "2026-10-02", "--to", "2026-11-15"), lambda **p: "2026-10-02" <= p["date"] <= "2026-11-15"),
    (("--min", "7500"), lambda **p: p["amount"] >= 7500),
    (("--max", "7500"), lambda **p: p["amount"] <= 7500),
    (("--min", "7500", "--max", "15000"), lambda **p: 7500 <= p["amount"] <= 15000),
    (("--customer", "C-2"), lambda **p: p["customer"] == "C-2"),
    (("--customer", "c-1"), lambda **p: p["customer"] == "C-1"),  # the ref's case does not matter
    (("--customer", "=HYPERLINK(1)"), lambda **p: p["case"] == "p-3"),
    (("--method", "paypal"), lambda **p: p["method"] == "paypal"),
    (("--case", "p-2"), lambda **p: p["case"] == "p-2"),
    (("--case", "p-2", "--method", "bank"), lambda **p: False),
    (("--method", "paypal", "--from", "2026-11-01", "--max", "7500"),
     lambda **p: p["method"] == "paypal" and p["date"] >= "2026-11-01" and p["amount"] <= 7500),
]


@pytest.mark.parametrize(("arguments", "keep"), FILTERS, ids=[" ".join(f[0]) or "all" for f in FILTERS])
def test_filters_find_exactly_the_matching_payments(cases: Path, arguments: tuple[str, ...], keep: Any) -> None:
    report = search(cases, *arguments)
    assert found(report) == expected(keep)
    standing = [p for p in report["payments"] if p["void"] is None]
    assert report["totals"] == {
        "payments": len(standing), "received": sum(p["amount"] for p in standing), "refunded": 0,
        "voided": {"payments": len(report["payments"]) - len(standing),
                   "amount": sum(p["amount"] for p in report["payments"] if p["void"] is not None)}}


def test_a_voided_payment_is_listed_as_voided_and_not_in_the_totals(cases: Path) -> None:
    report = search(cases, "--case", "p-2")
    assert [p["void"] for p in report["payments"]] == [None, {"date": "2026-11-03", "reason": "二重に記録した"}]
    assert report["totals"]["received"] == 20000
    assert report["totals"]["voided"] == {"payments": 1, "amount": 20000}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_text_shows_yen_labels_the_void_and_totals(cases: Path, lang: str) -> None:
    completed = run_cli("payments", str(cases), "--policy", str(POLICY_DIR), "--lang", lang, "--case", "p-2")
    assert completed.returncode == 0
    lines = completed.stdout.splitlines()
    if lang == "ja":
        assert lines[0] == "支払いの記録: 2件(条件: 案件 p-2)"
        assert "20,000円" in lines[3] and "カード" in lines[3] and "全額前払い" in lines[3]
        assert lines[4].endswith("取消 2026-11-03: 二重に記録した")
        assert "受領 20,000円" in completed.stdout and "取り消し済み: 1件、20,000円" in completed.stdout
    else:
        assert lines[0] == "Recorded payments: 2 (search: case p-2)"
        assert "¥20,000" in lines[3] and "full prepayment" in lines[3]
        assert lines[4].endswith("voided 2026-11-03: 二重に記録した")
        assert "received ¥20,000" in completed.stdout and "Voided: entries 1, ¥20,000" in completed.stdout


def _csv(cases: Path, lang: str) -> bytes:
    """The CSV as the bytes a spreadsheet opens."""
    completed = subprocess.run([sys.executable, "-m", "validator", "payments", str(cases), "--policy",
                                str(POLICY_DIR), "--format", "csv", "--lang", lang], cwd=REPO,
                               capture_output=True, timeout=120, check=False)
    assert (completed.returncode, completed.stderr) == (0, b"")
    return completed.stdout


def test_csv_in_japanese_opens_in_a_spreadsheet(cases: Path) -> None:
    raw = _csv(cases, "ja")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads it as UTF-8, not Shift_JIS
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF rows, as RFC 4180 writes them
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["取引年月日", "取引金額", "取引先", "案件", "支払方法", "種別", "取消日", "取消理由", "ファイル", "行"]
    assert len(rows) == 1 + len(PAYMENTS)
    voided = next(row for row in rows[1:] if row[6])
    assert voided[:8] == ["2026-11-01", "20000", "C-2", "p-2", "カード", "全額前払い", "2026-11-03", "二重に記録した"]
    assert all(row[2] != "=HYPERLINK(1)" for row in rows[1:])  # never a formula
    assert "'=HYPERLINK(1)" in {row[2] for row in rows[1:]}


def test_csv_in_english_has_plain_utf8_and_english_headers(cases: Path) -> None:
    raw = _csv(cases, "en")
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["date", "amount", "customer"]
    assert {row[4] for row in rows[1:]} == {"bank transfer", "PayPal", "card"}


def test_an_unreadable_file_is_reported_and_exit_1_but_the_rest_is_listed(cases: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "p-1.yaml").write_bytes((cases / "p-1.yaml").read_bytes())
    (folder / "broken.yaml").write_text("id: broken\npayments: [\n", "utf-8")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    completed = run_cli("payments", str(folder), "--policy", str(POLICY_DIR), "--format", "json", "--lang", "en")
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert len(report["payments"]) == 2
    assert [(item["file"], item["code"]) for item in report["unreadable"]] == [(str(folder / "broken.yaml"), "S001")]
    text = run_cli("payments", str(folder), "--policy", str(POLICY_DIR), "--lang", "ja")
    assert text.returncode == 1 and "案件として読めない" in text.stdout and "broken.yaml:" in text.stdout
    as_csv = run_cli("payments", str(folder), "--policy", str(POLICY_DIR), "--format", "csv", "--lang", "en")
    assert as_csv.returncode == 1 and "broken.yaml:" in as_csv.stderr and "broken" not in as_csv.stdout
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before  # never written


@pytest.mark.parametrize(("arguments", "message"), [
    (("--from", "2026-12-01", "--to", "2026-11-01"), "--from (2026-12-01) is above --to (2026-11-01)"),
    (("--min", "9000", "--max", "10"), "--min (9,000) is above --max (10)"),
    (("--min", "15,000"), "is not an amount; write whole yen without commas"),
    (("--from", "2026-02-30"), "is not a date written YYYY-MM-DD"),
    (("--method", "cash"), "invalid choice `cash`"),
])
def test_bad_searches_are_exit_2(cases: Path, arguments: tuple[str, ...], message: str) -> None:
    completed = run_cli("payments", str(cases), "--policy", str(POLICY_DIR), "--lang", "en", *arguments)
    assert completed.returncode == 2 and completed.stdout == ""
    assert message in completed.stderr and "Traceback" not in completed.stderr


def test_a_missing_path_is_exit_2(tmp_path: Path) -> None:
    completed = run_cli("payments", str(tmp_path / "nowhere"), "--policy", str(POLICY_DIR), "--lang", "en")
    assert completed.returncode == 2 and "no such file or folder" in completed.stderr
