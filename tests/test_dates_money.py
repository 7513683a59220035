"""Dates and money: whole yen, real calendar days, due dates across month ends and leap
days, and "today" in the policy's time zone whatever the machine's TZ says.

Every test writes real case files and runs the real command; the amounts, limits and
deadline it checks against are read from ``policy/``, not repeated here.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from validator.policy import load_policy

from conftest import POLICY_DIR, run_cli, run_json

PARAMETERS = load_policy(POLICY_DIR).parameters
DEADLINE = dt.timedelta(days=PARAMETERS.balance_deadline_days)

CASE = """\
id: {id}
opened: {opened}
customer:
  license: L-1
  same_paypal_account: true
product: paypal-automail
triage:
  date: {opened}
  outcome: paid
estimate:
  date: {opened}
  items:
    - fee: mail-check
      amount: {item}
  total: {total}
payments:
  - date: {opened}
    amount: {deposit}
    method: bank
    kind: deposit
work:
  started: {opened}
  items: [mail-check]
  completed: {completed}
"""
# where each amount's value stands in CASE: (line, column)
AMOUNT_AT = {"item": (14, 15), "total": (15, 10), "payment": (18, 13)}


def case_text(case_id: str, *, opened: str = "2026-11-02", item: str = "15000", total: str = "15000",
              deposit: str = "7500", completed: str = "2026-11-06") -> str:
    return CASE.format(id=case_id, opened=opened, item=item, total=total, deposit=deposit, completed=completed)


def run_folder(folder: Path, *args: str, **kwargs: object) -> dict[str, list[dict[str, object]]]:
    """Validate a folder; the diagnostics of each file, by file name."""
    _, report = run_json(str(folder), "--lang", "en", *args, **kwargs)  # type: ignore[arg-type]
    by_file: dict[str, list[dict[str, object]]] = {path.name: [] for path in folder.glob("*.yaml")}
    for diagnostic in report["diagnostics"]:
        by_file[Path(str(diagnostic["file"])).name].append(diagnostic)
    return by_file


# --- amounts -------------------------------------------------------------------------------------

MAX = PARAMETERS.max_amount
AMOUNTS = {
    # name: (where, value as written, words of the S003 message, or None when it is allowed)
    "decimal": ("item", "15000.0", "not the decimal 15000.0"),
    "exponent": ("item", "1.5e4", "not the decimal 15000.0"),
    "integral-exponent": ("total", "1e4", "not the decimal 10000.0"),
    "half-yen": ("payment", "7500.5", "not the decimal 7500.5"),
    "negative": ("item", "-1", "at least 0"),
    "negative-payment": ("payment", "-7500", "at least 1"),
    "zero-payment": ("payment", "0", "at least 1"),
    "over-the-maximum": ("total", str(MAX + 1), f"sane maximum of {MAX:,}"),
    "far-over-the-maximum": ("item", "9" * 400, f"sane maximum of {MAX:,}"),
    "hexadecimal-beyond-printing": ("item", "0x" + "f" * 4000, "whole number of yen"),
    "decimal-beyond-parsing": ("total", "9" * 5000, "whole number of yen"),
    "infinity": ("item", ".inf", "whole number of yen"),
    "not-a-number": ("payment", ".nan", "whole number of yen"),
    "thousands-separator": ("item", "15,000", "write 15000, without commas"),
    "quoted": ("total", '"15000"', "write 15000, without commas, currency signs or quotes"),
    "boolean": ("payment", "true", "not the boolean true"),
    "yen-sign": ("item", "¥15000", "write 15000, without commas, currency signs"),
    "the-maximum": ("total", str(MAX), None),
    "zero-item": ("item", "0", None),
    "leading-zero": ("payment", "07500", None),  # YAML 1.2: 7500, not octal
}


def test_amounts_are_whole_yen_within_the_policys_maximum(tmp_path: Path) -> None:
    for name, (where, value, _) in AMOUNTS.items():
        fields = {"item": "15000", "total": "15000", "deposit": "7500"}
        fields["deposit" if where == "payment" else where] = value
        (tmp_path / f"{name}.yaml").write_text(case_text(name, **fields), "utf-8")
    by_file = run_folder(tmp_path, "--as-of", "2026-11-28")
    for name, (where, _value, words) in AMOUNTS.items():
        schema = [d for d in by_file[f"{name}.yaml"] if d["code"] == "S003"]
        if words is None:
            assert schema == [], (name, schema)
            continue
        assert [(d["line"], d["column"]) for d in schema] == [AMOUNT_AT[where]], (name, schema)
        assert words in str(schema[0]["message"]), (name, schema[0]["message"])
        assert len(str(schema[0]["message"])) < 200  # a 4,000-digit amount is not quoted whole


# --- dates -----------------------------------------------------------------------------------------

DATES = {
    "2028-02-29": None,  # a leap day
    "2000-02-29": None,  # divisible by 400: a leap year
    "2026-02-29": "not a real calendar date",
    "2100-02-29": "not a real calendar date",  # divisible by 100, not by 400
    "2026-04-31": "not a real calendar date",
    "2026-13-01": "not a real calendar date",
    "2026-00-10": "not a real calendar date",
    "2026-1-5": "written YYYY-MM-DD",
    "2026-11-02T10:00:00": "written YYYY-MM-DD",
    "2026/11/02": "written YYYY-MM-DD",
    "9999-12-31": "not a plausible case date",  # once crashed the due date (an OverflowError)
    "0001-01-01": "not a plausible case date",
}


def test_dates_are_real_calendar_days(tmp_path: Path) -> None:
    for number, completed in enumerate(DATES):
        (tmp_path / f"d{number}.yaml").write_text(case_text(f"d{number}", completed=completed,
                                                            deposit="15000"), "utf-8")
    by_file = run_folder(tmp_path, "--as-of", "2100-12-31")
    for number, (completed, words) in enumerate(DATES.items()):
        schema = [d for d in by_file[f"d{number}.yaml"] if d["code"] == "S003"]
        if words is None:
            assert schema == [], (completed, schema)
        else:
            assert [(d["line"], d["column"]) for d in schema] == [(24, 14)], (completed, schema)
            assert words in str(schema[0]["message"]), (completed, schema[0]["message"])


# --- due dates across month ends and leap days --------------------------------------------------------

@pytest.mark.parametrize("completed", [
    dt.date(2028, 2, 26),   # the deadline runs over a leap day
    dt.date(2028, 2, 29),   # completed on a leap day
    dt.date(2027, 2, 26),   # the same days in a common year
    dt.date(2026, 1, 31),   # from a month's last day
    dt.date(2026, 4, 28),   # into a 31-day month from a 30-day one
    dt.date(2026, 12, 29),  # over the year's end
])
def test_due_date_is_completion_plus_the_deadline_inclusive(tmp_path: Path, completed: dt.date) -> None:
    due = completed + DEADLINE
    opened = (completed - dt.timedelta(days=3)).isoformat()
    (tmp_path / "due.yaml").write_text(case_text("due", opened=opened, completed=completed.isoformat()), "utf-8")
    on_the_day = run_folder(tmp_path, "--as-of", due.isoformat())["due.yaml"]
    assert [(d["code"], d["line"]) for d in on_the_day] == [("P008", 24)]
    assert f"due today ({due.isoformat()})" in str(on_the_day[0]["message"])
    day_after = run_folder(tmp_path, "--as-of", (due + dt.timedelta(days=1)).isoformat())["due.yaml"]
    assert [(d["code"], d["line"]) for d in day_after] == [("P006", 24)]
    assert f"was due on {due.isoformat()}, 1 day ago" in str(day_after[0]["message"])
    # Paying the balance on the due date itself is paying in time.
    paid = case_text("due", opened=opened, completed=completed.isoformat()).replace(
        "    kind: deposit\n",
        f"    kind: deposit\n  - date: {due.isoformat()}\n    amount: 7500\n    method: bank\n    kind: balance\n")
    (tmp_path / "due.yaml").write_text(paid, "utf-8")
    assert run_folder(tmp_path, "--as-of", (due + dt.timedelta(days=30)).isoformat())["due.yaml"] == []


# --- today, in the policy's time zone ------------------------------------------------------------------

SETTLED_CASE = Path(__file__).parent / "fixtures" / "hostile" / "seeds" / "2026-031.yaml"


def _as_of(now: str, tz: str, *options: str) -> str:
    """The as-of date the command chooses when the clock says ``now`` and TZ says ``tz``."""
    completed = run_cli("validate", str(SETTLED_CASE), "--format", "json", *options,
                        env={"SUPPORT_POLICY_NOW": now, "TZ": tz})
    assert completed.stderr == ""
    return json.loads(completed.stdout)["as_of"]


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "not/a-zone"])
@pytest.mark.parametrize(("now", "tokyo_day"), [
    ("2026-11-28T16:30:00Z", "2026-11-29"),  # Kiritimati: the 29th too; Pago Pago: still the 28th
    ("2026-11-28T14:59:59Z", "2026-11-28"),  # Kiritimati: already the 29th
    ("2026-11-28T15:00:00Z", "2026-11-29"),  # Tokyo's midnight
    ("2026-11-29T10:30:00-11:00", "2026-11-30"),  # a clock given in Pago Pago's offset
])
def test_default_as_of_is_tokyos_today_whatever_tz_says(tz: str, now: str, tokyo_day: str) -> None:
    assert _as_of(now, tz) == tokyo_day


def test_a_balance_falls_due_at_tokyos_midnight_not_the_machines(tmp_path: Path) -> None:
    completed = dt.date(2026, 11, 28) - DEADLINE  # due on 2026-11-28
    opened = (completed - dt.timedelta(days=3)).isoformat()
    (tmp_path / "late.yaml").write_text(case_text("late", opened=opened, completed=completed.isoformat()), "utf-8")
    for now, code in (("2026-11-28T14:59:59Z", "P008"), ("2026-11-28T15:00:00Z", "P006")):
        for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            codes = [d["code"] for d in run_folder(tmp_path, env={"SUPPORT_POLICY_NOW": now, "TZ": tz})["late.yaml"]]
            assert codes == [code], (now, tz, codes)


def test_a_date_is_in_the_future_only_after_tokyos_today(tmp_path: Path) -> None:
    (tmp_path / "new.yaml").write_text(
        "id: new\nopened: 2026-11-29\ncustomer: {license: L-1, same_paypal_account: true}\nproduct: raku-affiliate\n",
        "utf-8")
    for now, codes in (("2026-11-28T14:59:59Z", ["T002"]), ("2026-11-28T15:00:00Z", [])):
        for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            found = [d["code"] for d in run_folder(tmp_path, env={"SUPPORT_POLICY_NOW": now, "TZ": tz})["new.yaml"]]
            assert found == codes, (now, tz, found)


def test_the_time_zone_is_the_policys(policy_copy: Path) -> None:
    meta = policy_copy / "policy.yaml"
    meta.write_text(meta.read_text("utf-8").replace("time_zone: Asia/Tokyo", "time_zone: Pacific/Pago_Pago"), "utf-8")
    assert _as_of("2026-11-28T16:30:00Z", "Asia/Tokyo") == "2026-11-29"  # the policy's Tokyo
    assert _as_of("2026-11-28T16:30:00Z", "Asia/Tokyo", "--policy", str(policy_copy)) == "2026-11-28"


@pytest.mark.parametrize("text", ["2026-02-30", "2026-11-2", "tomorrow", "2026-11-28T00:00:00", ""])
def test_an_as_of_that_is_no_calendar_day_is_a_usage_error(text: str) -> None:
    completed = run_cli("validate", "--as-of", text)
    assert completed.returncode == 2 and "YYYY-MM-DD" in completed.stderr and "Traceback" not in completed.stderr
