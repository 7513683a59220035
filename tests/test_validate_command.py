"""`support-policy validate` as a whole process: SPEC section 5's output, exit codes and options."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import REPO, run_cli, run_json, run_on_terminal

SETTLED = """\
id: {id}
opened: 2026-11-02
customer:
  license: L-88231
  same_paypal_account: true
product: paypal-automail
triage:
  date: 2026-11-03
  outcome: paid
estimate:
  date: 2026-11-03
  items:
    - fee: mail-check
      amount: 15000
  total: 15000
payments:
  - date: 2026-11-04
    amount: 7500
    method: paypal
    kind: deposit
  - date: 2026-11-10
    amount: 7500
    method: bank
    kind: balance
work:
  started: 2026-11-05
  items: [mail-check]
  completed: 2026-11-06
"""


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "ok-1.yaml").write_text(SETTLED.format(id="ok-1"), "utf-8")
    late = SETTLED.format(id="late-1").replace("  - date: 2026-11-04\n    amount: 7500",
                                                "  - date: 2026-11-06\n    amount: 7500")
    (folder / "late-1.yaml").write_text(late, "utf-8")
    cheap = SETTLED.format(id="cheap-1").replace("amount: 15000\n", "amount: 14000\n").replace(
        "total: 15000", "total: 14000").replace("amount: 7500\n    method: bank", "amount: 6500\n    method: bank")
    (folder / "cheap-1.yaml").write_text(cheap, "utf-8")
    return folder


def test_json_output_matches_spec_field_by_field(cases: Path) -> None:
    code, report = run_json(str(cases), "--as-of", "2026-11-28", "--lang", "en")
    assert code == 1
    assert list(report) == ["as_of", "files", "cases", "diagnostics", "summary"]
    assert report["as_of"] == "2026-11-28"
    assert report["files"] == 3 and report["cases"] == 3
    assert report["summary"] == {"errors": 1, "warnings": 1, "notices": 0}
    warning, error = report["diagnostics"]
    assert list(error) == ["code", "name", "severity", "file", "line", "column", "case", "message"]
    assert error == {
        "code": "P001", "name": "deposit-before-work", "severity": "error",
        "file": str(cases / "late-1.yaml"), "line": 26, "column": 12, "case": "late-1",
        "message": "Work started on 2026-11-05 before the deposit of ¥7,500 was paid (¥0 received by then). Start work only once the deposit is paid.",
    }
    assert (warning["code"], warning["severity"], warning["line"], warning["column"]) == ("E002", "warning", 14, 15)
    assert warning["file"] == str(cases / "cheap-1.yaml")


def test_file_is_the_path_as_given(cases: Path) -> None:
    policy = str(REPO / "policy")
    _, report = run_json("cases", "--as-of", "2026-11-28", "--policy", policy, cwd=cases.parent)
    assert {d["file"] for d in report["diagnostics"]} == {"cases/late-1.yaml", "cases/cheap-1.yaml"}
    _, report = run_json("./cases/late-1.yaml", "--as-of", "2026-11-28", "--policy", policy,
                         cwd=cases.parent)
    assert [d["file"] for d in report["diagnostics"]] == ["./cases/late-1.yaml"]


def test_text_output_and_summary(cases: Path) -> None:
    completed = run_cli("validate", "cases", "--as-of", "2026-11-28", "--lang", "en",
                        "--policy", str(REPO / "policy"), cwd=cases.parent)
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == [
        "cases/cheap-1.yaml:14:15: warning E002 The estimate item \"Investigating mail delivery\" costs ¥14,000, below its fee guide of ¥15,000.",
        "cases/late-1.yaml:26:12: error P001 Work started on 2026-11-05 before the deposit of ¥7,500 "
        "was paid (¥0 received by then). Start work only once the deposit is paid.",
        "Checked 3 files, 3 cases, as of 2026-11-28: 1 error, 1 warning, 0 notices",
    ]
    assert "\x1b[" not in completed.stdout  # not a terminal: no colour


def test_japanese_messages_by_default(cases: Path) -> None:
    completed = run_cli("validate", str(cases / "late-1.yaml"), "--as-of", "2026-11-28",
                        env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "内金7,500円が支払われていません" in completed.stdout
    assert "エラー1件" in completed.stdout


def test_english_when_lang_says_so(cases: Path) -> None:
    completed = run_cli("validate", str(cases / "late-1.yaml"), "--as-of", "2026-11-28",
                        env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert "before the deposit" in completed.stdout


def test_exit_codes_and_strict(cases: Path) -> None:
    assert run_cli("validate", str(cases / "2026"), "--as-of", "2026-11-28").returncode == 0
    assert run_cli("validate", str(cases / "cheap-1.yaml"), "--as-of", "2026-11-28").returncode == 0
    assert run_cli("validate", str(cases / "cheap-1.yaml"), "--as-of", "2026-11-28", "--strict").returncode == 1
    assert run_cli("validate", str(cases), "--as-of", "2026-11-28").returncode == 1


@pytest.mark.parametrize("arguments", [
    ["validate", "no/such/folder"],
    ["validate", "--as-of", "2026-02-30"],
    ["validate", "--format", "xml"],
    ["validate", "--lang", "fr"],
    ["frobnicate"],
    ["validate", "README.md"],
])
def test_bad_usage_is_exit_2_without_traceback(arguments: list[str]) -> None:
    completed = run_cli(*arguments)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and completed.stderr.strip()


def test_default_as_of_is_today_in_tokyo(cases: Path) -> None:
    # 2026-11-10 20:00 UTC is already 2026-11-11 in Tokyo: the balance of late-1 was
    # paid on 2026-11-10, so a date of 2026-11-10 or 2026-11-11 changes nothing; use a
    # future-date check instead: a payment dated 2026-11-11 is not in the future in Tokyo.
    folder = cases / "2026"
    path = folder / "ok-1.yaml"
    path.write_text(path.read_text("utf-8").replace("2026-11-10", "2026-11-11"), "utf-8")
    for zone in ("Pacific/Pago_Pago", "America/Los_Angeles", "UTC"):
        env = {"TZ": zone, "SUPPORT_POLICY_NOW": "2026-11-10T20:00:00Z"}
        code, report = run_json(str(folder), env=env)
        assert (code, report["as_of"]) == (0, "2026-11-11"), zone
    code, report = run_json(str(folder), env={"SUPPORT_POLICY_NOW": "2026-11-10T14:00:00Z"})
    assert report["as_of"] == "2026-11-10"
    assert [d["code"] for d in report["diagnostics"]] == ["T002"]


def test_validator_never_writes(cases: Path) -> None:
    def snapshot() -> dict[str, tuple[str, int]]:
        return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for p in sorted(cases.parent.rglob("*")) if p.is_file()}

    before = snapshot()
    for format_name in ("text", "json"):
        run_cli("validate", str(cases), "--as-of", "2026-11-28", "--format", format_name)
    assert snapshot() == before


def test_runs_from_any_folder_with_explicit_policy(cases: Path) -> None:
    completed = run_cli("validate", str(cases / "2026"), "--policy", str(REPO / "policy"),
                        "--as-of", "2026-11-28", cwd=cases.parent)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color(cases: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    assert "\x1b[31merror\x1b[0m" in run_on_terminal("validate", str(cases / "late-1.yaml"), "--as-of", "2026-11-28", env=env)
    assert "\x1b[" not in run_on_terminal("validate", str(cases / "late-1.yaml"), "--as-of", "2026-11-28",
                                   env={**env, "NO_COLOR": "1"})
