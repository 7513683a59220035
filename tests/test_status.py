"""`support-policy status` as a whole process on real case files: every state, the order,
each format exactly, the time zone of "today", and errors without tracebacks.

`tests/fixtures/status/cases/` holds one case per state (two overdue ones, to show the
order) and one broken file; as of 2026-11-28 each is in the state its name says.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from validator.policy import load_policy
from validator.status import STATUS_REPORTER_BY_NAME, State, TableStatusReporter, collect_status

from conftest import POLICY_DIR, REPO, run_cli

CASES = "tests/fixtures/status/cases"
EXPECTED = REPO / "tests" / "fixtures" / "status" / "expected"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def status(*args: str, paths: tuple[str, ...] = (CASES,), code: int = 1, env: dict[str, str] | None = None,
           cwd: Path = REPO) -> str:
    completed = run_cli("status", *paths, *args, env=env, cwd=cwd)
    assert completed.stderr == ""
    assert completed.returncode == code
    return completed.stdout


def test_every_state_is_named_after_its_fixture() -> None:
    rows = json.loads(status("--as-of", "2026-11-28", "--format", "json"))["cases"]
    named = {row["id"]: row["state"] for row in rows}
    assert named.pop("overdue-long") == named.pop("overdue-short") == "overdue"
    assert named.pop("broken") == "invalid"
    assert named == {state.value: state.value for state in State if state not in (State.OVERDUE, State.INVALID)}


def test_table_in_english() -> None:
    assert status("--as-of", "2026-11-28", "--lang", "en") == """\
Cases as of 2026-11-28: 14
case                  state                   total      paid   balance   due date     days overdue
───────────────────────────────────────────────────────────────────────────────────────────────────
overdue-long          overdue               ¥30,000   ¥15,000   ¥15,000   2026-11-15             13
overdue-short         overdue               ¥15,000    ¥7,500    ¥7,500   2026-11-25              3
broken                invalid
awaiting-balance      awaiting balance      ¥15,000    ¥7,500    ¥7,500   2026-11-30
in-progress           in progress           ¥15,000    ¥7,500    ¥7,500
ready                 ready                 ¥15,000    ¥7,500    ¥7,500
awaiting-prepayment   awaiting prepayment   ¥20,000   ¥10,000   ¥10,000
estimated             estimated             ¥15,000        ¥0   ¥15,000
triaged               triaged
inquiry               inquiry
settled               settled               ¥15,000   ¥15,000        ¥0   2026-10-15
revoked               revoked               ¥15,000    ¥7,500    ¥7,500   2026-11-06
closed-free           closed free
declined              declined

2 balance(s) overdue: record the payment, or delete the license and record the day in license_revoked.
1 file(s) cannot be read as cases, so their state is unknown: `support-policy validate` says why.
"""


def test_table_in_japanese_lines_up_wide_characters() -> None:
    output = status("--as-of", "2026-11-28", "--lang", "ja")
    assert output == """\
2026-11-28時点の案件: 14件
案件                  状態                     合計   入金済み       残金   支払期限     超過日数
─────────────────────────────────────────────────────────────────────────────────────────────────
overdue-long          支払期限超過         30,000円   15,000円   15,000円   2026-11-15         13
overdue-short         支払期限超過         15,000円    7,500円    7,500円   2026-11-25          3
broken                ファイル不正
awaiting-balance      残金待ち             15,000円    7,500円    7,500円   2026-11-30
in-progress           作業中               15,000円    7,500円    7,500円
ready                 作業開始可           15,000円    7,500円    7,500円
awaiting-prepayment   前払い待ち           20,000円   10,000円   10,000円
estimated             見積もり済み         15,000円        0円   15,000円
triaged               状況確認済み
inquiry               問い合わせ
settled               精算済み             15,000円   15,000円        0円   2026-10-15
revoked               ライセンス削除済み   15,000円    7,500円    7,500円   2026-11-06
closed-free           無料対応で終了
declined              お断り

期限を過ぎた残金が2件あります。入金を記録するか、ライセンスを削除して license_revoked に日付を記録してください。
1件のファイルは案件として読めないため状態を判定できません。`support-policy validate` で原因を確認してください。
"""
    import unicodedata

    def cells(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    # Every row's "due date" column starts at the same screen column as its header.
    lines = output.splitlines()
    due = cells(lines[1][:lines[1].index("支払期限")])
    for line in lines[3:8]:
        if "2026-" in line:
            assert cells(line[:line.index("2026-")]) == due, line


def test_colors_on_a_terminal_mark_what_needs_action() -> None:
    """On a terminal (and without NO_COLOR) the header is bold, overdue rows bold red,
    invalid ones red, balances awaited yellow; the text between the codes is the same."""
    report = collect_status([str(REPO / CASES)], load_policy(POLICY_DIR), as_of=dt.date(2026, 11, 28))
    plain = TableStatusReporter(lang="en").render(report).splitlines()
    painted = TableStatusReporter(lang="en", color=True).render(report).splitlines()
    assert painted[1] == f"\x1b[1m{plain[1]}\x1b[0m"
    assert painted[3] == f"\x1b[1;31m{plain[3]}\x1b[0m" and plain[3].startswith("overdue-long ")
    assert painted[5] == f"\x1b[31m{plain[5]}\x1b[0m" and plain[5].startswith("broken ")
    assert painted[6] == f"\x1b[33m{plain[6]}\x1b[0m" and plain[6].startswith("awaiting-balance ")
    assert painted[7] == plain[7]


def test_json() -> None:
    output = status("--as-of", "2026-11-28", "--format", "json")
    path = EXPECTED / "status.json"
    if UPDATE:
        path.write_text(output, "utf-8")
    assert output == path.read_text("utf-8")


def test_csv() -> None:
    assert status("--as-of", "2026-11-28", "--format", "csv", "--lang", "ja") == f"""\
id,file,state,total,paid,balance,due_date,days_overdue
overdue-long,{CASES}/overdue-long.yaml,overdue,30000,15000,15000,2026-11-15,13
overdue-short,{CASES}/overdue-short.yaml,overdue,15000,7500,7500,2026-11-25,3
broken,{CASES}/broken.yaml,invalid,,,,,
awaiting-balance,{CASES}/awaiting-balance.yaml,awaiting-balance,15000,7500,7500,2026-11-30,
in-progress,{CASES}/in-progress.yaml,in-progress,15000,7500,7500,,
ready,{CASES}/ready.yaml,ready,15000,7500,7500,,
awaiting-prepayment,{CASES}/awaiting-prepayment.yaml,awaiting-prepayment,20000,10000,10000,,
estimated,{CASES}/estimated.yaml,estimated,15000,0,15000,,
triaged,{CASES}/triaged.yaml,triaged,,,,,
inquiry,{CASES}/inquiry.yaml,inquiry,,,,,
settled,{CASES}/settled.yaml,settled,15000,15000,0,2026-10-15,
revoked,{CASES}/revoked.yaml,revoked,15000,7500,7500,2026-11-06,
closed-free,{CASES}/closed-free.yaml,closed-free,,,,,
declined,{CASES}/declined.yaml,declined,,,,,
"""


def test_the_format_choices_are_the_registry() -> None:
    assert list(STATUS_REPORTER_BY_NAME) == ["table", "json", "csv"]
    completed = run_cli("status", "--format", "sarif")
    assert completed.returncode == 2
    assert "[--format {table,json,csv}]" in completed.stderr


def test_the_as_of_date_moves_cases_between_states() -> None:
    """Two days later the balance awaited becomes overdue; the day it is due, it is not yet."""
    def state_of(as_of: str) -> tuple[str, int | None]:
        rows = json.loads(status(f"{CASES}/awaiting-balance.yaml", "--as-of", as_of, "--format", "json",
                                 paths=(), code=0 if as_of <= "2026-11-30" else 1))["cases"]
        return rows[0]["state"], rows[0]["days_overdue"]

    assert state_of("2026-11-30") == ("awaiting-balance", None)
    assert state_of("2026-12-01") == ("overdue", 1)


def test_today_is_tokyos_whatever_the_machines_time_zone() -> None:
    """16:30 UTC on 28 November is already 29 November in Tokyo, still the 28th in Honolulu.

    The awaiting-balance case is due on 30 November: no, but a case due on the 28th is
    overdue by one day on Tokyo's 29th."""
    env = {"TZ": "Pacific/Honolulu", "SUPPORT_POLICY_NOW": "2026-11-28T16:30:00Z"}
    report = json.loads(status("--format", "json", env=env))
    assert report["as_of"] == "2026-11-29"
    rows = {row["id"]: row for row in report["cases"]}
    assert rows["overdue-short"]["days_overdue"] == 4  # due 2026-11-25
    assert rows["awaiting-balance"]["state"] == "awaiting-balance"
    # The same instant an hour earlier (15:00 UTC, midnight in Tokyo minus an hour) is still the 28th.
    earlier = json.loads(status("--format", "json", env={**env, "SUPPORT_POLICY_NOW": "2026-11-28T14:59:59Z"}))
    assert earlier["as_of"] == "2026-11-28"


def test_nothing_to_act_on_exits_0(tmp_path: Path) -> None:
    assert status(f"{CASES}/settled.yaml", f"{CASES}/ready.yaml", "--as-of", "2026-11-28", "--lang", "en",
                  paths=(), code=0) == """\
Cases as of 2026-11-28: 2
case      state       total      paid   balance   due date     days overdue
───────────────────────────────────────────────────────────────────────────
ready     ready     ¥15,000    ¥7,500    ¥7,500
settled   settled   ¥15,000   ¥15,000        ¥0   2026-10-15
"""
    assert status(str(tmp_path), "--as-of", "2026-11-28", "--lang", "en", paths=(), code=0) == \
        "Cases as of 2026-11-28: 0\n"


def test_the_default_folder_is_cases(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "ready.yaml").write_bytes((REPO / CASES / "ready.yaml").read_bytes())
    output = status("--as-of", "2026-11-28", "--format", "csv", "--policy", str(REPO / "policy"),
                    paths=(), code=0, cwd=tmp_path)
    assert output.splitlines()[1] == "ready,cases/ready.yaml,ready,15000,7500,7500,,"


def test_odd_files_are_listed_as_invalid_not_a_crash() -> None:
    """The hand-written odd files of the golden corpus: binary, UTF-16, two documents, a list..."""
    report = json.loads(status("tests/golden/corpus/edge", "--as-of", "2026-11-28", "--format", "json", paths=()))
    assert len(report["cases"]) == len(list((REPO / "tests/golden/corpus/edge").glob("*.y*ml")))
    assert report["summary"]["invalid"] >= 8


@pytest.mark.parametrize("args, message", [
    (("--policy", "no-such-policy"), "The policy folder no-such-policy does not exist"),
    (("no-such-folder",), "no-such-folder: no such file or folder"),
    (("--as-of", "2026-02-30"), "`2026-02-30` is not a date written YYYY-MM-DD"),
    (("--format", "xml"), "invalid choice"),
    (("--lang", "fr"), "invalid choice"),
])
def test_usage_errors_exit_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    completed = run_cli("status", *args, env={"LANG": "en_US.UTF-8"})
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_broken_policy_exits_2(policy_copy: Path) -> None:
    (policy_copy / "fees.yaml").write_text("fees: [\n", "utf-8")
    completed = run_cli("status", CASES, "--policy", str(policy_copy), "--lang", "en")
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"support-policy: {policy_copy / 'fees.yaml'}:")
    assert "Traceback" not in completed.stderr
