"""Every output format of `validate`, exactly, through the real command on real case files.

`tests/fixtures/reporting/cases/` holds five small cases: one clean, two errors (P001, S003),
one warning (E002) and one notice (P008). The long outputs (JSON, SARIF, JUnit) are
compared with the files in `tests/fixtures/reporting/expected/`; when an output changes on
purpose, write them again and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_reporters.py
"""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from validator.reporters import REPORTER_BY_NAME, escape_data, escape_property
from validator.rule_reference import REFERENCE_FILE, render_rule_reference
from validator.rules import RULES

from conftest import REPO, run_cli

CASES = "tests/fixtures/reporting/cases"  # relative: the output quotes paths as given
EXPECTED = REPO / "tests" / "fixtures" / "reporting" / "expected"
SARIF_SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
GITHUB_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "operator/support",
              "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567"}
BLOB = "https://github.com/operator/support/blob/0123456789abcdef0123456789abcdef01234567"


def validate(*args: str, env: dict[str, str] | None = None) -> str:
    completed = run_cli("validate", CASES, "--as-of", "2026-11-28", *args, env=env)
    assert completed.stderr == ""
    assert completed.returncode == 1  # two errors
    return completed.stdout


def golden(name: str, output: str) -> str:
    path = EXPECTED / name
    if UPDATE:
        path.write_text(output, "utf-8")
    return path.read_text("utf-8")


def test_the_format_choices_are_the_registry() -> None:
    assert set(REPORTER_BY_NAME) == {"text", "json", "github", "sarif", "junit"}
    completed = run_cli("validate", "--format", "xml")
    assert completed.returncode == 2
    assert "[--format {github,json,junit,sarif,text}]" in completed.stderr


def test_text() -> None:
    assert validate("--lang", "en") == f"""\
{CASES}/cheap.yaml:14:15: warning E002 The estimate item "Investigating mail delivery" costs ¥14,000, below its fee guide of ¥15,000.
{CASES}/due-soon.yaml:24:14: notice P008 The balance of ¥7,500 is due on 2026-11-30 (2 days left).
{CASES}/late-deposit.yaml:26:12: error P001 Work started on 2026-11-05 before the deposit of ¥7,500 was paid (¥0 received by then). Start work only once the deposit is paid.
{CASES}/typo.yaml:7:1: error S003 `payements` is not a known key; did you mean `payments`?
Checked 5 files, 5 cases, as of 2026-11-28: 2 errors, 1 warning, 1 notice
"""


def test_json() -> None:
    output = validate("--lang", "en", "--format", "json")
    assert output == golden("validate.json", output)


def test_github_annotations() -> None:
    assert validate("--lang", "en", "--format", "github") == f"""\
::warning file={CASES}/cheap.yaml,line=14,col=15,title=E002 below-fee-guide::The estimate item "Investigating mail delivery" costs ¥14,000, below its fee guide of ¥15,000.
::notice file={CASES}/due-soon.yaml,line=24,col=14,title=P008 balance-due-soon::The balance of ¥7,500 is due on 2026-11-30 (2 days left).
::error file={CASES}/late-deposit.yaml,line=26,col=12,title=P001 deposit-before-work::Work started on 2026-11-05 before the deposit of ¥7,500 was paid (¥0 received by then). Start work only once the deposit is paid.
::error file={CASES}/typo.yaml,line=7,col=1,title=S003 schema::`payements` is not a known key; did you mean `payments`?
Checked 5 files, 5 cases, as of 2026-11-28: 2 errors, 1 warning, 1 notice
"""


def test_github_is_the_default_in_actions_and_writes_the_step_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", "utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), **GITHUB_ENV}
    output = validate("--lang", "ja", env=env)
    assert output.splitlines()[0] == (
        f"::warning file={CASES}/cheap.yaml,line=14,col=15,title=E002 below-fee-guide::"
        "「メール送信の調査」の金額14,000円が料金の目安15,000円を下回っています。")
    assert summary.read_text("utf-8") == f"""\
earlier step
### サポート案件の検査

5ファイル(5案件)を2026-11-28時点で検査: エラー2件、警告1件、お知らせ1件

| | 重要度 | 場所 | ルール | 内容 |
| --- | --- | --- | --- | --- |
| ⚠️ | 警告 | [`{CASES}/cheap.yaml:14:15`]({BLOB}/{CASES}/cheap.yaml#L14) | [E002 below-fee-guide]({BLOB}/RULES.ja.md#e002-below-fee-guide) | 「メール送信の調査」の金額14,000円が料金の目安15,000円を下回っています。 |
| ℹ️ | お知らせ | [`{CASES}/due-soon.yaml:24:14`]({BLOB}/{CASES}/due-soon.yaml#L24) | [P008 balance-due-soon]({BLOB}/RULES.ja.md#p008-balance-due-soon) | 残金7,500円の支払期限は2026-11-30です(あと2日)。 |
| ❌ | エラー | [`{CASES}/late-deposit.yaml:26:12`]({BLOB}/{CASES}/late-deposit.yaml#L26) | [P001 deposit-before-work]({BLOB}/RULES.ja.md#p001-deposit-before-work) | 作業開始日(2026-11-05)までに内金7,500円が支払われていません(受領済み0円)。内金の受領後に作業を開始してください。 |
| ❌ | エラー | [`{CASES}/typo.yaml:7:1`]({BLOB}/{CASES}/typo.yaml#L7) | [S003 schema]({BLOB}/RULES.ja.md#s003-schema) | 「payements」は使えないキーです。「payments」の書き間違いではありませんか? |
"""


def test_an_explicit_format_wins_in_actions_and_writes_no_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    output = validate("--lang", "en", "--format", "text",
                      env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert output.startswith(f"{CASES}/cheap.yaml:14:15: warning E002 ")
    assert not summary.exists()


def test_a_clean_run_summary_says_so(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    completed = run_cli("validate", f"{CASES}/settled.yaml", "--as-of", "2026-11-28", "--lang", "en",
                        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == "Checked 1 file, 1 case, as of 2026-11-28: 0 errors, 0 warnings, 0 notices\n"
    assert summary.read_text("utf-8") == """\
### Support case check

Checked 1 file, 1 case, as of 2026-11-28: 0 errors, 0 warnings, 0 notices

No problems found.
"""


def test_an_unwritable_step_summary_is_reported_and_changes_no_exit_code(tmp_path: Path) -> None:
    completed = run_cli("validate", CASES, "--as-of", "2026-11-28", "--lang", "en",
                        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such.md")})
    assert completed.returncode == 1
    assert completed.stdout.startswith("::warning ")
    assert completed.stderr == (f"support-policy: cannot write the step summary {tmp_path / 'no' / 'such.md'}: "
                                "No such file or directory (the result of the check stands; check where "
                                "GITHUB_STEP_SUMMARY points)\n")


def test_workflow_command_escaping() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"


def test_github_escapes_real_paths_and_messages(tmp_path: Path) -> None:
    """A folder named with `,` and `:` and a key with `%`: the command stays one command."""
    folder = tmp_path / "odd,folder:1"
    folder.mkdir()
    (folder / "c-1.yaml").write_text(
        "id: c-1\nopened: 2026-11-20\ncustomer: {license: L-1, same_paypal_account: true}\n"
        "product: paypal-automail\n'50%off': 1\n", "utf-8")
    completed = run_cli("validate", str(folder), "--as-of", "2026-11-28", "--lang", "en", "--format", "github")
    escaped_path = str(folder / "c-1.yaml").replace(",", "%2C").replace(":", "%3A")
    assert completed.stdout.splitlines()[0].startswith(
        f"::error file={escaped_path},line=5,col=1,title=S003 schema::`50%25off` is not a known key")


def test_sarif_is_the_golden_one_and_valid_against_the_official_schema() -> None:
    output = validate("--lang", "en", "--format", "sarif")
    assert output == golden("validate.sarif", output)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(json.loads(output))


def test_sarif_results_rules_and_help_links() -> None:
    document = json.loads(validate("--lang", "ja", "--format", "sarif", env=GITHUB_ENV))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    p001 = rules[[rule.code for rule in RULES].index("P001")]
    assert p001["name"] == "deposit-before-work"
    assert p001["shortDescription"] == {"text": "内金の受領前に作業を開始"}
    assert p001["helpUri"] == f"{BLOB}/RULES.ja.md#p001-deposit-before-work"
    assert "Passes:\n\n    payments: [{date: 2026-11-05" in p001["help"]["markdown"]
    assert "::" in p001["help"]["text"] and "::" not in p001["help"]["markdown"]
    assert p001["defaultConfiguration"] == {"level": "error"}
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"])
            for r in run["results"]] == [
        ("E002", "warning", {"startLine": 14, "startColumn": 15}),
        ("P008", "note", {"startLine": 24, "startColumn": 14}),
        ("P001", "error", {"startLine": 26, "startColumn": 12}),
        ("S003", "error", {"startLine": 7, "startColumn": 1}),
    ]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(f"{CASES}/")
    # Every help link leads to a heading of the rule reference.
    headings = {line[3:].lower().replace(" ", "-") for line in (REPO / REFERENCE_FILE).read_text("utf-8").splitlines()
                if line.startswith("## ")}
    assert {rule["helpUri"].rsplit("#", 1)[1] for rule in rules} <= headings


def test_junit_is_the_golden_one() -> None:
    output = validate("--lang", "en", "--format", "junit")
    assert output == golden("validate.junit.xml", output)


def test_junit_has_a_testcase_per_file_and_a_failure_per_error() -> None:
    root = ET.fromstring(validate("--lang", "en", "--format", "junit").encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == [f"{CASES}/{name}.yaml" for name in
                             ("cheap", "due-soon", "late-deposit", "settled", "typo")]
    failures = {name: [f.get("type") for f in case.iter("failure")] for name, case in cases.items()}
    assert failures == {f"{CASES}/cheap.yaml": [], f"{CASES}/due-soon.yaml": [],
                        f"{CASES}/late-deposit.yaml": ["P001 deposit-before-work"],
                        f"{CASES}/settled.yaml": [], f"{CASES}/typo.yaml": ["S003 schema"]}
    assert (suite.get("tests"), suite.get("failures")) == ("5", "2")
    assert "E002 below-fee-guide" in (cases[f"{CASES}/cheap.yaml"].findtext("system-out") or "")


def test_junit_lists_every_file_of_several_paths_once(tmp_path: Path) -> None:
    completed = run_cli("validate", CASES, f"{CASES}/settled.yaml", "--as-of", "2026-11-28", "--format", "junit")
    names = [case.get("name") for case in ET.fromstring(completed.stdout.encode("utf-8")).iter("testcase")]
    assert len(names) == 5 == len(set(names))


def test_the_rule_reference_is_generated_from_the_registry() -> None:
    """RULES.md is what `python -m validator.rule_reference` writes (run it after changing a rule)."""
    rendered = render_rule_reference()
    if UPDATE:
        (REPO / REFERENCE_FILE).write_text(rendered, "utf-8")
    assert (REPO / REFERENCE_FILE).read_text("utf-8") == rendered
    for rule in RULES:
        assert f"\n## {rule.code} {rule.name}\n" in rendered


@pytest.mark.parametrize("name", sorted(REPORTER_BY_NAME))
def test_every_format_renders_an_empty_folder(tmp_path: Path, name: str) -> None:
    completed = run_cli("validate", str(tmp_path), "--as-of", "2026-11-28", "--format", name, "--lang", "en")
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout
