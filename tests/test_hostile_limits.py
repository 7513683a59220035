"""Hostile and odd files of issue 14, on real files: structural errors never hide schema
errors, an alias flood costs bounded work and a bounded report in every format, and a file
over the size limit is never parsed but still scanned for secrets, linearly.

Bounds are asserted as counts, sizes, memory and CPU-time growth ratios, never wall-clock.
"""
from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from pathlib import Path

import pytest

from validator.engine import MAX_PER_CODE, validate
from validator.policy import load_policy
from validator.reporters import REPORTER_BY_NAME
from validator.yaml_loader import MAX_FILE_BYTES, MAX_VALUES, SECRET_SCAN_MAX_BYTES, load_file

from conftest import POLICY_DIR

POLICY = load_policy(POLICY_DIR)
AS_OF = dt.date(2026, 11, 28)
CASE = """\
id: {id}
opened: 2026-11-02
customer:
  license: L-80417
  same_paypal_account: true
product: raku-affiliate
"""


def _codes(folder: Path) -> list[tuple[str, int, int]]:
    report = validate([str(folder)], POLICY, as_of=AS_OF, lang="en")
    return [(d.code, d.line, d.column) for d in report.diagnostics]


# --- item 1: S002 and S007 do not hide S003 and S004 -------------------------------------------

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("anchor-and-unknown-product", CASE.replace("product: raku-affiliate", "product: &p raku-afiliate"),
     [("S004", 6, 10), ("S007", 6, 10)]),
    ("duplicate-and-unknown-key", CASE + "opened: 2026-11-03\npayements: []\n",
     [("S002", 7, 1), ("S003", 8, 1)]),
    ("tag-and-bad-enum", CASE + "triage:\n  date: !!str 2026-11-03\n  outcome: manul\n",
     [("S007", 8, 9), ("S003", 9, 12)]),
    ("alias-as-a-value", CASE + "notes: &n x\nrequest: *n\n",
     [("S007", 7, 8), ("S007", 8, 10)]),  # the alias's null is not reported again as S003
])
def test_structural_errors_do_not_hide_schema_errors(tmp_path: Path, name: str, text: str,
                                                     expected: list[tuple[str, int, int]]) -> None:
    (tmp_path / f"{name}.yaml").write_text(text.format(id=name), "utf-8")
    assert _codes(tmp_path) == expected


def test_gating_still_silences_the_other_rules(tmp_path: Path) -> None:
    """An anchor still gates T/E/P/A/C: work without an estimate gives no E004."""
    text = CASE.format(id="gated") + "work:\n  started: &s 2026-11-05\n"
    (tmp_path / "gated.yaml").write_text(text, "utf-8")
    assert {code for code, _, _ in _codes(tmp_path)} == {"S007"}


# --- item 2: an alias flood is bounded --------------------------------------------------------

def _flood(path: Path) -> None:
    lines = ["id: flood", "a: &a x", "l:"]
    size = sum(len(line) + 1 for line in lines)
    while size < MAX_FILE_BYTES - 16:
        lines.append("  - *a")
        size += 7
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_an_alias_flood_counts_against_the_value_limit(tmp_path: Path) -> None:
    _flood(tmp_path / "flood.yaml")
    document = load_file(str(tmp_path / "flood.yaml"))
    assert document.text is not None and document.text.count("*a") > 140_000
    assert len(document.findings) <= MAX_VALUES + 1  # the parse stopped at the limit
    assert document.findings[-1].code == "S003"


def test_an_alias_flood_gives_a_bounded_report_in_every_format(tmp_path: Path) -> None:
    _flood(tmp_path / "flood.yaml")
    tracemalloc.start()
    try:
        report = validate([str(tmp_path)], POLICY, as_of=AS_OF, lang="en")
        rendered = {name: reporter(lang=lang).render(report)
                    for name, reporter in REPORTER_BY_NAME.items() for lang in ["en"]}
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    codes = [d.code for d in report.diagnostics]
    assert codes.count("S007") == MAX_PER_CODE + 1
    found = sum(f.code == "S007" for f in load_file(str(tmp_path / "flood.yaml")).findings)
    assert found > MAX_VALUES - 10
    more = [d for d in report.diagnostics if "more S007 findings" in d.message]
    assert len(more) == 1 and f"{found - MAX_PER_CODE:,} more" in more[0].message
    assert len(report.diagnostics) <= 3 * (MAX_PER_CODE + 1)
    for name, text in rendered.items():
        assert "more S007 findings" in text, name
        assert len(text.encode()) < 200_000, (name, len(text))
    assert peak < 100 * 1024 * 1024, peak


def test_the_more_message_speaks_both_languages_and_counts_right() -> None:
    from validator.diagnostics import Finding, Position, Text
    from validator.engine import bounded

    findings = [Finding("S007", Position(line, 1), Text(ja="x", en="x")) for line in range(1, MAX_PER_CODE + 2)]
    kept = bounded(findings)
    assert len(kept) == MAX_PER_CODE + 1
    assert kept[-1].message.en == (f"This file has 1 more S007 finding like the ones above; "
                                   f"only the first {MAX_PER_CODE} are shown.")
    assert kept[-1].message.ja == (f"このファイルには同じ指摘(S007)がほかに1件あります。"
                                   f"最初の{MAX_PER_CODE}件だけを表示しています。")
    assert bounded(findings[:MAX_PER_CODE]) == findings[:MAX_PER_CODE]


# --- item 5: an oversized file is scanned for secrets, never parsed ---------------------------

def _oversized(path: Path, lines: int, secret_line: int) -> None:
    note = "notes: 普通のメモです。電話で確認しました。\n"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("id: big\n")
        for number in range(2, lines + 1):
            stream.write("# ftp pw: Zx81!qwerty\n" if number == secret_line else note)


def test_an_oversized_file_is_refused_and_its_secret_found_at_line_and_column(tmp_path: Path) -> None:
    _oversized(tmp_path / "big.yaml", 60_000, 50_001)
    assert (tmp_path / "big.yaml").stat().st_size > MAX_FILE_BYTES
    assert _codes(tmp_path) == [("S007", 1, 1), ("A004", 50_001, 11)]
    document = load_file(str(tmp_path / "big.yaml"))
    assert document.data is None and not document.value_positions  # never parsed


def test_the_secret_scan_of_an_oversized_file_stops_at_its_bound(tmp_path: Path) -> None:
    lines = SECRET_SCAN_MAX_BYTES // 50 + 100_000  # past 16 MiB
    _oversized(tmp_path / "huge.yaml", lines, lines)
    assert (tmp_path / "huge.yaml").stat().st_size > SECRET_SCAN_MAX_BYTES
    document = load_file(str(tmp_path / "huge.yaml"))
    assert document.text is not None and len(document.text.encode()) <= SECRET_SCAN_MAX_BYTES
    assert _codes(tmp_path) == [("S007", 1, 1)]


def test_the_secret_scan_of_an_oversized_file_is_linear(tmp_path: Path) -> None:
    """CPU time for 4 times the size grows about 4 times (wide margin: under 8 times)."""
    def cpu(lines: int) -> float:
        folder = tmp_path / str(lines)
        folder.mkdir()
        _oversized(folder / "big.yaml", lines, lines // 2)
        started = time.process_time()
        assert ("A004", lines // 2, 11) in _codes(folder)
        return time.process_time() - started

    small, large = cpu(40_000), cpu(160_000)
    assert large < 8 * max(small, 0.01), (small, large)


def test_a_single_line_of_many_megabytes_is_scanned_in_bounded_pieces(tmp_path: Path) -> None:
    text = "id: one\nnotes: " + "電話で確認。" * 400_000 + " pw: Zx81!qwerty " + "メモ" * 100_000 + "\n"
    (tmp_path / "one.yaml").write_text(text, "utf-8")
    codes = _codes(tmp_path)
    assert codes == [("S007", 1, 1), ("A004", 2, 8 + 6 * 400_000 + 5)]


# --- item 4: the secret kinds found missing, through the whole check on a real file ------------

def test_new_secret_kinds_are_reported_at_their_line_and_column(tmp_path: Path) -> None:
    text = CASE.format(id="kinds").replace("  license: L-80417", "  ref: C-0141 admin:P@ssw0rd2026\n  license: L-80417")
    text += ("notes: ＰＷ：Ｋｘ７！ｖｂ９Ｑ\n"
             "request: 'curl -H \"Authorization: Basic c2hvcDAxOlRrNyNwUTkyeExt\"'\n"
             "# 念のため tanaka / Hk7$mQ2w\n")
    (tmp_path / "kinds.yaml").write_text(text, "utf-8")
    report = validate([str(tmp_path)], POLICY, as_of=AS_OF, lang="ja")
    found = [(d.line, d.column) for d in report.diagnostics if d.code == "A004"]
    lines = text.splitlines()
    assert found == [(4, 21), (8, 11), (9, 41), (10, 17)], found
    secrets = ["P@ssw0rd2026", "Ｋｘ７！ｖｂ９Ｑ", "c2hvcDAxOlRrNyNwUTkyeExt", "Hk7$mQ2w"]
    for (line, column), secret in zip(found, secrets, strict=True):
        assert lines[line - 1][column - 1:].startswith(secret)
    assert not any(secret in d.message for d in report.diagnostics for secret in secrets)
