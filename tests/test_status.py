"""`support-policy status` as a whole process on real case files: every state, the order,
each format exactly, the time zone of "today", and errors without tracebacks.

`tests/fixtures/status/cases/` holds one case per state (two overdue ones, to show the
order) and one broken file; as of 2026-11-28 each is in the state its name says.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest

from validator.formatting import cell_width
from validator.policy import load_policy
from validator.status import STATUS_REPORTER_BY_NAME, State, TableStatusReporter, collect_status
from validator.terminal import ambiguous_characters

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


def golden(name: str, output: str) -> None:
    path = EXPECTED / name
    if UPDATE:
        path.write_bytes(output.encode("utf-8"))
    assert output == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_table(lang: str) -> None:
    """SPEC 5's columns: case, state, total, paid, balance, due date, days (negative: overdue);
    under them the customer ref, language, license, the amount to ask for now and the missing
    checks; a totals row; notes on what fails."""
    output = status("--as-of", "2026-11-28", "--lang", lang)
    golden(f"status.{lang}.txt", output)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_table_fits_80_columns_with_no_ambiguous_width_character(lang: str) -> None:
    output = status("--as-of", "2026-11-28", "--lang", lang)
    assert max(cell_width(line) for line in output.splitlines()) <= 80
    assert ambiguous_characters(output) == set()
    lines = output.splitlines()
    # Every row's "days" column ends at the same screen column as its header.
    end = cell_width(lines[1])
    for line in lines[3:19]:
        if re.search(r"  -?[0-9]+$", line):
            assert cell_width(line) == end, line


def test_colors_on_a_terminal_mark_what_needs_action() -> None:
    """On a terminal (and without NO_COLOR) the header is bold, overdue rows bold red,
    invalid and overpaid ones red, balances awaited yellow; the text between the codes is the same."""
    report = collect_status([str(REPO / CASES)], load_policy(POLICY_DIR), as_of=dt.date(2026, 11, 28))
    plain = TableStatusReporter(lang="en").render(report).splitlines()
    painted = TableStatusReporter(lang="en", color=True).render(report).splitlines()
    assert painted[1] == f"\x1b[1m{plain[1]}\x1b[0m"
    colors = {}  # the color of each case's first line, by its id
    for line, shown in zip(plain[3:], painted[3:], strict=True):
        if line and not line.startswith(" "):
            assert shown in (line, f"{shown[:shown.index(line)]}{line}\x1b[0m")
            colors[line.split()[0]] = shown[:shown.index(line)]
    assert colors["overdue-long"] == colors["overdue-short"] == "\x1b[1;31m"
    assert colors["broken"] == colors["overpaid"] == "\x1b[31m"
    assert colors["awaiting-bala~"] == "\x1b[33m"
    assert colors["ready"] == colors["settled"] == ""


def test_json() -> None:
    golden("status.json", status("--as-of", "2026-11-28", "--format", "json"))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_csv_for_a_spreadsheet(lang: str) -> None:
    """UTF-8 with a BOM, CRLF rows; Japanese headers and state names under --lang ja."""
    output = status("--as-of", "2026-11-28", "--format", "csv", "--lang", lang)
    assert output.startswith("\ufeff")
    golden(f"status.{lang}.csv", output)
    rows = list(csv.reader(io.StringIO(output.removeprefix("\ufeff"))))
    header = rows[0]
    assert header[0] == ("案件" if lang == "ja" else "id")
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    state = "状態" if lang == "ja" else "state"
    assert by_id["overdue-short"][state] == ("支払期限超過" if lang == "ja" else "overdue")


def test_markdown() -> None:
    golden("status.md", status("--as-of", "2026-11-28", "--format", "markdown", "--lang", "ja"))


def test_the_state_filter_and_the_totals_row() -> None:
    """--state shows only those rows (repeatable); the totals add up what is shown; the exit
    code still says that some case fails (an overdue case elsewhere)."""
    report = json.loads(status("--as-of", "2026-11-28", "--format", "json", "--state", "overdue",
                               "--state", "awaiting-balance"))
    assert [row["id"] for row in report["cases"]] == ["overdue-long", "overdue-short", "awaiting-balance"]
    assert report["totals"] == {"outstanding": 15000 + 7500 + 7500, "outstanding_cases": 3, "month": "2026-11",
                                "received_this_month": 15000 + 7500 + 7500}
    assert [row["days"] for row in report["cases"]] == [-13, -3, 2]
    settled = status("--as-of", "2026-11-28", "--format", "json", "--state", "settled")
    assert [row["id"] for row in json.loads(settled)["cases"]] == ["settled"]


def test_ready_needs_the_checks_too() -> None:
    """A lent raku-affiliate case with its API signature set needs A001, A002 and A003 recorded;
    with only the credentials secured, the state names the two checks still missing."""
    rows = {row["id"]: row for row in json.loads(status("--as-of", "2026-11-28", "--format", "json"))["cases"]}
    assert rows["awaiting-checks"]["state"] == "awaiting-checks"
    assert rows["awaiting-checks"]["missing_checks"] == ["A002", "A003"]
    assert rows["ready"]["missing_checks"] == []
    # On the 20th, the day the deposit arrived and before any check: all three are missing.
    early = json.loads(status(f"{CASES}/awaiting-checks.yaml", "--as-of", "2026-11-20", "--format", "json",
                              paths=(), code=0))["cases"][0]
    assert early["missing_checks"] == ["A001", "A002", "A003"]


def test_overpaid_is_its_own_state_and_fails() -> None:
    rows = json.loads(status(f"{CASES}/overpaid.yaml", "--as-of", "2026-11-28", "--format", "json",
                             paths=(), code=1))["cases"]
    assert [(row["state"], row["paid"], row["total"]) for row in rows] == [("overpaid", 22500, 15000)]
    # Before the second payment arrived, it was a balance awaited.
    earlier = json.loads(status(f"{CASES}/overpaid.yaml", "--as-of", "2026-11-11", "--format", "json",
                                paths=(), code=0))["cases"]
    assert [(row["state"], row["ask_now"], row["days"]) for row in earlier] == [("awaiting-balance", 7500, 4)]


def test_as_of_ignores_what_happened_later() -> None:
    """The settled case (completed 2026-10-10, balance paid 2026-10-12) as it stood on earlier days."""
    def state_of(as_of: str) -> str | None:
        rows = json.loads(status(f"{CASES}/settled.yaml", "--as-of", as_of, "--format", "json",
                                 paths=(), code=0))["cases"]
        return rows[0]["state"] if rows else None

    history = {day: state_of(day) for day in ("2026-09-30", "2026-10-01", "2026-10-02", "2026-10-03",
                                              "2026-10-05", "2026-10-11", "2026-10-20")}
    assert history == golden_history()


def golden_history() -> dict[str, str | None]:
    """Read off the fixture's dates: nothing before it was opened, then each step in turn."""
    return {"2026-09-30": None, "2026-10-01": "inquiry", "2026-10-02": "estimated", "2026-10-03": "ready",
            "2026-10-05": "in-progress", "2026-10-11": "awaiting-balance", "2026-10-20": "settled"}


def test_a_hostile_id_and_reference_are_escaped_as_validate_escapes_them(tmp_path: Path) -> None:
    """status reads files through validate's own path: an id with a terminal escape is not echoed
    (S003 gates the file, the file name stands for it, as in validate), a reference's control
    characters are shown escaped and a credential in it masked."""
    text = (REPO / CASES / "ready.yaml").read_text("utf-8")
    (tmp_path / "evil.yaml").write_text(text.replace("id: ready", 'id: "\\e[31mEVIL"'), "utf-8")
    (tmp_path / "ref.yaml").write_text(text.replace("id: ready", "id: ref").replace(
        "customer:\n", 'customer:\n  ref: "C-1\\e]0;x\\a password: Tk7#pQ92xLm"\n'), "utf-8")
    for format_name in ("json", "table", "csv", "markdown"):
        output = status(str(tmp_path), "--as-of", "2026-11-28", "--format", format_name, paths=())
        assert "\x1b" not in output and "\x07" not in output and "Tk7#pQ92xLm" not in output, format_name
    rows = json.loads(status(str(tmp_path), "--as-of", "2026-11-28", "--format", "json", paths=()))["cases"]
    assert [(row["id"], row["state"]) for row in rows] == [("evil", "invalid"), ("ref", "ready")]
    assert rows[1]["customer"]["ref"].startswith("C-1\\x1b]0;x\\x07")
    completed = run_cli("validate", str(tmp_path), "--as-of", "2026-11-28", "--format", "json")
    assert {d["case"] for d in json.loads(completed.stdout)["diagnostics"]} >= {"evil"}


def test_the_format_choices_are_the_registry() -> None:
    assert list(STATUS_REPORTER_BY_NAME) == ["table", "json", "csv", "markdown"]
    completed = run_cli("status", "--format", "sarif")
    assert completed.returncode == 2
    assert "[--format {table,json,csv,markdown}]" in completed.stderr


def test_the_as_of_date_moves_cases_between_states() -> None:
    """Two days later the balance awaited becomes overdue; the day it is due, it is not yet."""
    def state_of(as_of: str) -> tuple[str, int | None]:
        rows = json.loads(status(f"{CASES}/awaiting-balance.yaml", "--as-of", as_of, "--format", "json",
                                 paths=(), code=0 if as_of <= "2026-11-30" else 1))["cases"]
        return rows[0]["state"], rows[0]["days"]

    assert state_of("2026-11-30") == ("awaiting-balance", 0)
    assert state_of("2026-12-01") == ("overdue", -1)


def test_today_is_tokyos_whatever_the_machines_time_zone() -> None:
    """16:30 UTC on 28 November is already 29 November in Tokyo, still the 28th in Honolulu.

    The awaiting-balance case is due on 30 November: no, but a case due on the 28th is
    overdue by one day on Tokyo's 29th."""
    env = {"TZ": "Pacific/Honolulu", "SUPPORT_POLICY_NOW": "2026-11-28T16:30:00Z"}
    report = json.loads(status("--format", "json", env=env))
    assert report["as_of"] == "2026-11-29"
    rows = {row["id"]: row for row in report["cases"]}
    assert rows["overdue-short"]["days"] == -4  # due 2026-11-25
    assert rows["awaiting-balance"]["state"] == "awaiting-balance"
    # The same instant an hour earlier (15:00 UTC, midnight in Tokyo minus an hour) is still the 28th.
    earlier = json.loads(status("--format", "json", env={**env, "SUPPORT_POLICY_NOW": "2026-11-28T14:59:59Z"}))
    assert earlier["as_of"] == "2026-11-28"


def test_nothing_to_act_on_exits_0(tmp_path: Path) -> None:
    assert status(f"{CASES}/settled.yaml", f"{CASES}/ready.yaml", "--as-of", "2026-11-28", "--lang", "en",
                  paths=(), code=0) == """\
Cases as of 2026-11-28: 2
case     state      total     paid  balance  due         days
-------------------------------------------------------------
ready    ready    ¥15,000   ¥7,500   ¥7,500
         ja  L-70001
settled  settled  ¥15,000  ¥15,000       ¥0  2026-10-15
         ja  L-70001

Balances outstanding: ¥0 (0)  received in 2026-11: ¥7,500
"""
    assert status(str(tmp_path), "--as-of", "2026-11-28", "--lang", "en", paths=(), code=0) == \
        "Cases as of 2026-11-28: 0\n"


def test_the_default_folder_is_cases(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "ready.yaml").write_bytes((REPO / CASES / "ready.yaml").read_bytes())
    output = status("--as-of", "2026-11-28", "--format", "csv", "--lang", "en", "--policy", str(REPO / "policy"),
                    paths=(), code=0, cwd=tmp_path)
    assert output.splitlines()[1] == "ready,cases/ready.yaml,ready,ready,,,ja,L-70001,15000,7500,7500,,,,"


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


def test_rows_keep_figures_not_files() -> None:
    """A row of status holds its figures only, so memory does not grow with the files' contents."""
    report = collect_status([str(REPO / CASES)], load_policy(POLICY_DIR), as_of=dt.date(2026, 11, 28))
    assert report.rows and all(row.case is None for row in report.rows)
    assert report.totals.received_this_month == 85000
