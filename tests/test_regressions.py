"""Every defect the fuzzing campaign found, as a regular test on a real file.

Each test names what used to happen. The first three were crashes: a traceback (or a
hang) instead of a diagnostic.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

CASE = """\
id: c
opened: 2026-11-02
customer:
  license: L-1
  same_paypal_account: true
product: paypal-automail
triage: {date: 2026-11-03, outcome: paid}
estimate:
  date: 2026-11-03
  items:
    - fee: mail-check
      amount: 15000
  total: 15000
payments:
  - {date: 2026-11-04, amount: 7500, method: bank, kind: deposit}
work:
  started: 2026-11-05
  items: [mail-check]
  completed: 2026-11-06
"""


def check(tmp_path: Path, text: str | bytes, *, name: str = "c.yaml", lang: str = "en") -> list[dict[str, Any]]:
    """The diagnostics of one file, by the real command, which must end normally with exit 1."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    completed = run_cli("validate", str(path), "--format", "json", "--lang", lang, "--as-of", "2026-11-28")
    assert completed.stderr == "" and completed.returncode == 1, completed.stderr[-2000:]
    return [{key: d[key] for key in ("code", "line", "column", "message")}
            for d in json.loads(completed.stdout)["diagnostics"]]


# --- crashes -------------------------------------------------------------------------------------

def test_hexadecimal_amount_too_long_to_print_was_a_traceback(tmp_path: Path) -> None:
    """``amount: 0xfff…`` (4,000 digits) is an int Python refuses to print (over 4,300 decimal
    digits): jsonschema's error message raised ValueError. The loader now reads such a
    literal as infinity, like a decimal literal too long to parse."""
    found = check(tmp_path, CASE.replace("amount: 15000", "amount: 0x" + "f" * 4000))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 12, 15)]
    assert "whole number of yen" in found[0]["message"]
    octal = check(tmp_path, CASE.replace("total: 15000", "total: -0o" + "7" * 5000))
    assert [(d["code"], d["line"], d["column"]) for d in octal] == [("S003", 13, 10)]


@pytest.mark.parametrize("completed", ["9999-12-27", "9999-12-31"])
def test_completion_at_the_end_of_the_calendar_was_a_traceback(tmp_path: Path, completed: str) -> None:
    """``completed: 9999-12-31``: the due date (five days later) raised OverflowError. A case
    date must now lie in the years 1900-2999 (S003), and a file with S003 gets no P rules."""
    found = check(tmp_path, CASE.replace("completed: 2026-11-06", f"completed: {completed}"))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 19, 14)]
    assert "not a plausible case date" in found[0]["message"]


def test_a_named_pipe_in_the_folder_hung_the_validator(tmp_path: Path) -> None:
    """``open()`` on a FIFO named ``x.yaml`` waited for a writer for ever. Now it is opened
    without blocking, seen not to be a regular file, and reported (S001)."""
    (tmp_path / "c.yaml").write_text(CASE, "utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    writer_done = threading.Event()

    def unblock_if_hung() -> None:  # if the validator opened the pipe, let it finish
        if not writer_done.wait(20):
            with open(tmp_path / "pipe.yaml", "wb") as pipe:
                pipe.write(b"id: hung\n")

    guard = threading.Thread(target=unblock_if_hung, daemon=True)
    guard.start()
    completed = run_cli("validate", str(tmp_path), "--format", "json", "--lang", "en", "--as-of", "2026-11-28")
    writer_done.set()
    report = json.loads(completed.stdout)
    assert report["files"] == 2
    assert [(d["code"], d["line"], d["column"]) for d in report["diagnostics"] if d["file"].endswith("pipe.yaml")] \
        == [("S001", 1, 1)]


def test_a_file_name_that_is_not_utf8_under_a_strict_output_encoding(tmp_path: Path) -> None:
    """A file named b'\\xff.yaml' (git allows it) reaches the output as a lone surrogate;
    with PYTHONIOENCODING=utf-8 (or an ordinary UTF-8 locale) printing it raises
    UnicodeEncodeError: a traceback after the report was half written."""
    (tmp_path / os.fsdecode(b"\xff.yaml")).write_text("id: c\n", "utf-8")
    for output in ("json", "text"):
        completed = run_cli("validate", str(tmp_path), "--format", output, "--as-of", "2026-11-28",
                            env={"PYTHONIOENCODING": "utf-8"})
        assert "Traceback" not in completed.stderr and completed.returncode == 1


# --- wrong results -------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", ["15000.0", "1.5e4"])
def test_a_decimal_amount_passed_as_whole_yen(tmp_path: Path, amount: str) -> None:
    """JSON Schema (jsonschema and fastjsonschema alike) counts 15000.0 as an integer: the
    case passed, and E002 spoke of "¥15,000.0". Whole yen are written as integers."""
    found = check(tmp_path, CASE.replace("amount: 15000", f"amount: {amount}"))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 12, 15)]
    assert "not the decimal 15000.0" in found[0]["message"]


def test_one_value_gave_two_schema_findings(tmp_path: Path) -> None:
    """A negative payment got "at least 0" and "at least 1"; ``.inf`` got "not a whole
    number" and "larger than the maximum". One finding per value."""
    found = check(tmp_path, CASE.replace("amount: 7500", "amount: -7500").replace("amount: 15000", "amount: .inf"))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 12, 15), ("S003", 15, 32)]
    assert "at least 1" in found[1]["message"]


def test_a_secret_after_a_syntax_error_was_not_scanned(tmp_path: Path) -> None:
    """A004 read only the values parsed before the error (and the comments): a password
    two lines after an unclosed bracket passed. The file is now scanned line by line."""
    found = check(tmp_path, "id: c\nrequest: [unclosed\nnotes: pw: Vq3$mZ81rTw\n")
    assert ("A004", 3, 12) in [(d["code"], d["line"], d["column"]) for d in found]


def test_a_secret_in_a_second_document_was_not_scanned(tmp_path: Path) -> None:
    found = check(tmp_path, "id: c\n---\nnotes: pw: Vq3$mZ81rTw\n")
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 2, 1), ("A004", 3, 12)]


def test_a_secret_was_printed_by_the_message_that_quotes_a_bad_value(tmp_path: Path) -> None:
    """``opened: "pw: Vq3$mZ81rTw"``: A004 masked it, S003 ("not a date") printed it whole."""
    found = check(tmp_path, CASE.replace("opened: 2026-11-02", 'opened: "pw: Vq3$mZ81rTw"'))
    assert "Vq3$mZ81rTw" not in json.dumps(found)
    assert "`pw: ***`" in found[0]["message"] and "(11)" not in found[0]["message"]


def test_terminal_escapes_in_a_tag_reached_the_screen(tmp_path: Path) -> None:
    """``!<%1B[2J>``: the tag's escapes decode to ESC [2J (clear screen), and S007 printed it."""
    completed = run_cli("validate", str(_write(tmp_path, "id: c\nnotes: !<%1B[2J%1B]0;pwned%07> x\n")),
                        "--as-of", "2026-11-28", "--lang", "en")
    assert "\x1b" not in completed.stdout and "\x07" not in completed.stdout
    assert "Tags (\\x1b[2J\\x1b]0;pwned\\x07)" in completed.stdout


def test_a_huge_number_was_quoted_whole(tmp_path: Path) -> None:
    found = check(tmp_path, CASE.replace("amount: 15000", "amount: -" + "9" * 4000))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 12, 15)]
    assert len(found[0]["message"]) < 150


def test_100000_keys_took_13_seconds_and_170_mib(tmp_path: Path) -> None:
    """Every key was kept, checked against the schema and reported (100,004 diagnostics).
    The loader now stops after MAX_VALUES values with one S003."""
    found = check(tmp_path, b"".join(b"k%d: 1\n" % n for n in range(100_000)))
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("S003", 2500, 8)]
    assert "too many values" in found[0]["message"]


def test_deep_flow_nesting_was_a_syntax_error_and_said_twice(tmp_path: Path) -> None:
    """10,000 ``[`` gave libyaml's "exceeded maximum nesting depth" as S001; with block
    nesting, both our limit and libyaml's fired. Now one S003 "nesting is too deep"."""
    flow = check(tmp_path, "id: c\nnotes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    block = check(tmp_path, "id: c\nnotes:\n  " + "- " * 10_000 + "x\n")
    for found in (flow, block):
        assert [d["code"] for d in found] == ["S003"] and "nesting is too deep" in found[0]["message"]


def test_a_symlink_out_of_the_folder_was_read_and_quoted(tmp_path: Path) -> None:
    """``cases/x.yaml -> /some/where/else``: the validator read the file and its S003
    messages quoted its lines. Now not read: S007 at 1:1 naming the link's target."""
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("root:x:0:0:root:/root:/bin/bash: 1\n", "utf-8")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.yaml").symlink_to(outside)
    (tmp_path / "cases" / "c.yaml").write_text(CASE, "utf-8")  # an ordinary case beside it
    completed = run_cli("validate", str(tmp_path / "cases"), "--format", "json", "--lang", "en", "--as-of", "2026-11-28")
    report = json.loads(completed.stdout)
    assert "root:x" not in completed.stdout
    assert [(d["code"], d["line"], d["column"]) for d in report["diagnostics"] if d["file"].endswith("x.yaml")] \
        == [("S007", 1, 1)]
    assert report["files"] == 2


def _write(folder: Path, text: str) -> Path:
    path = folder / "c.yaml"
    path.write_text(text, "utf-8")
    return path
