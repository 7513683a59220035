"""Accepted breaches (SPEC 7.1) through the real command, in every output format.

One real folder: a case whose A002 breach is accepted, one whose acceptance is stale
(W001), and one that tries to accept what cannot be accepted (S003).
"""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import POLICY_DIR, REPO, run_cli

EXAMPLES = REPO / "tests" / "examples"
AS_OF = "2026-11-28"
REASON = "お客様が作業開始後に削除。影響がないことを確認済み。"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    for source in (EXAMPLES / "W001" / "w001-accepted-breach.yaml", EXAMPLES / "W001" / "w001-stale.yaml",
                   EXAMPLES / "S003" / "s003-accepted-unacceptable.yaml"):
        shutil.copy(source, cases / source.name)
    return tmp_path


def validate(folder: Path, *args: str) -> tuple[int, str]:
    completed = run_cli("validate", "cases", "--policy", str(POLICY_DIR), "--as-of", AS_OF, *args, cwd=folder)
    assert completed.stderr == ""
    return completed.returncode, completed.stdout


def test_json_carries_the_acceptance_on_a_notice(folder: Path) -> None:
    code, output = validate(folder, "--format", "json", "--lang", "en")
    report = json.loads(output)
    by_file = {(d["file"], d["code"]): d for d in report["diagnostics"]}
    accepted = by_file[("cases/w001-accepted-breach.yaml", "A002")]
    assert accepted["severity"] == "notice"
    assert accepted["accepted"] == {"date": "2026-11-26", "reason": REASON}
    assert accepted["message"] == ("The customer removed the PayPal API signature only on 2026-11-06, "
                                   "after work started on 2026-11-05.")
    stale = by_file[("cases/w001-stale.yaml", "W001")]
    assert (stale["severity"], stale["line"], stale["column"]) == ("warning", 29, 11)
    assert "accepted" not in stale
    refused = [d for d in report["diagnostics"] if d["file"] == "cases/s003-accepted-unacceptable.yaml"]
    assert [(d["code"], d["line"], d["column"]) for d in refused] == [("S003", 25, 11), ("S003", 30, 13)]
    assert report["summary"] == {"errors": 2, "warnings": 1, "notices": 1}
    assert code == 1


def test_an_accepted_breach_alone_does_not_fail(folder: Path) -> None:
    (folder / "cases" / "w001-stale.yaml").unlink()
    (folder / "cases" / "s003-accepted-unacceptable.yaml").unlink()
    assert validate(folder, "--strict")[0] == 0


@pytest.mark.parametrize("lang, text", [
    ("en", "cases/w001-accepted-breach.yaml:27:26: notice A002 The customer removed the PayPal API signature "
           f"only on 2026-11-06, after work started on 2026-11-05. (accepted on 2026-11-26: {REASON})"),
    ("ja", "cases/w001-accepted-breach.yaml:27:26: notice A002 お客様がPayPal API署名を削除したのが作業開始"
           "(2026-11-05)より後の2026-11-06です。作業開始の前にお願いしてください。"
           f"(2026-11-26に受け入れ済み: {REASON})"),
])
def test_text_shows_the_date_and_reason(folder: Path, lang: str, text: str) -> None:
    assert text in validate(folder, "--lang", lang)[1].splitlines()


def test_github_annotates_a_notice_with_the_reason(folder: Path) -> None:
    output = validate(folder, "--format", "github", "--lang", "en")[1]
    [line] = [line for line in output.splitlines() if line.startswith("::notice ")]
    assert line.startswith("::notice file=cases/w001-accepted-breach.yaml,line=27,col=26,title=A002 ")
    assert line.endswith(f"(accepted on 2026-11-26: {REASON})")


def test_sarif_marks_the_result_suppressed_with_its_justification(folder: Path) -> None:
    run = json.loads(validate(folder, "--format", "sarif", "--lang", "en")[1])["runs"][0]
    [result] = [result for result in run["results"] if result["ruleId"] == "A002"]
    assert result["level"] == "note"
    assert result["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": REASON}]
    assert result["properties"]["accepted"] == {"date": "2026-11-26", "reason": REASON}
    assert all("suppressions" not in other for other in run["results"] if other is not result)
    schema = json.loads((REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(json.loads(validate(folder, "--format", "sarif")[1]))


def test_junit_lists_the_accepted_breach_as_output_not_a_failure(folder: Path) -> None:
    root = ET.fromstring(validate(folder, "--format", "junit", "--lang", "en")[1].encode("utf-8"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    accepted = cases["cases/w001-accepted-breach.yaml"]
    assert accepted.find("failure") is None
    assert f"(accepted on 2026-11-26: {REASON})" in (accepted.findtext("system-out") or "")
    assert cases["cases/s003-accepted-unacceptable.yaml"].find("failure") is not None


@pytest.mark.parametrize("rule, words", [
    ("S001", "a problem with the file itself is fixed, not accepted"),
    ("S008", "a problem with the file itself is fixed, not accepted"),
    ("A004", "remove the secret from the file"),
    ("P006", "record the payment, or delete the license"),
    ("L001", "a recorded payment is never rewritten or removed"),
    ("W001", "remove the accepted entry that matches nothing"),
    ("Z123", "`Z123` is not a rule code; the rules that can be accepted are: T001, T002,"),
])
def test_what_cannot_be_accepted_is_s003_at_the_rule(folder: Path, rule: str, words: str) -> None:
    path = folder / "cases" / "s003-accepted-unacceptable.yaml"
    path.write_text(path.read_text("utf-8").replace("rule: P006", f"rule: {rule}"), "utf-8")
    report = json.loads(validate(folder, "--format", "json", "--lang", "en")[1])
    [first, _blank_reason] = [d for d in report["diagnostics"] if d["file"] == "cases/s003-accepted-unacceptable.yaml"]
    assert (first["code"], first["line"], first["column"]) == ("S003", 25, 11)
    assert words in first["message"]
    assert first["message"].startswith(rule) or rule == "Z123"


def test_an_acceptance_does_not_outlive_its_breach(folder: Path) -> None:
    """The breach fixed (the signature was removed before the work after all): W001, not a notice."""
    path = folder / "cases" / "w001-accepted-breach.yaml"
    path.write_text(path.read_text("utf-8").replace("api_signature_removed: 2026-11-06",
                                                    "api_signature_removed: 2026-11-05"), "utf-8")
    report = json.loads(validate(folder, "--format", "json", "--lang", "en")[1])
    assert [d["code"] for d in report["diagnostics"] if d["file"] == "cases/w001-accepted-breach.yaml"] == ["W001"]
