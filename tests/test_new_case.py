"""`support-policy new ID` as a whole process: the file it writes, that the file validates
clean, today's date in Tokyo whatever the machine's time zone, and every refusal."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from validator.dates import date_format_checker
from validator.new_case import schema_reference
from validator.yaml_loader import load_file

from conftest import POLICY_DIR, REPO, run_cli

SCHEMA = REPO / "validator" / "schemas" / "case.schema.json"
# 16:30 UTC on 28 November: the 29th in Tokyo, the 28th in Los Angeles.
LATE_EVENING_UTC = {"SUPPORT_POLICY_NOW": "2026-11-28T16:30:00Z", "TZ": "America/Los_Angeles"}


def new(folder: Path, *args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
    completed = run_cli("new", *args, "--policy", str(POLICY_DIR), cwd=folder, env=env or LATE_EVENING_UTC)
    assert completed.returncode == code, completed.stderr
    assert "Traceback" not in completed.stderr
    return completed.stdout if code == 0 else completed.stderr


def test_new_writes_a_dated_commented_case_that_validates_clean(tmp_path: Path) -> None:
    assert new(tmp_path, "2026-020", "--lang", "en", "--product", "paypal-automail") == \
        "Created cases/2026-020.yaml.\n"
    schema = Path(os.path.relpath(SCHEMA, tmp_path / "cases")).as_posix()
    assert (tmp_path / "cases" / "2026-020.yaml").read_text("utf-8") == f"""\
# yaml-language-server: $schema={schema}
id: 2026-020
opened: 2026-11-29                     # the inquiry arrived (step 1)
customer:
  ref:                                 # your own customer reference; no personal data
  language: ja                         # ja | en
  license:                             # the license number; empty: no license (the whole fee is paid up front)
  same_paypal_account: true            # pays from the PayPal account that bought the software
product: paypal-automail               # raku-affiliate | paypal-automail
paypal_api_signature: false            # whether a PayPal API signature is set in the software
request:                               # what the customer asks, in a sentence
# triage:                              # steps 2-3
#   date: YYYY-MM-DD
#   outcome: paid                      # manual | bug | paid | declined
# access: none                         # none | lent | self-operated
# estimate:
#   date: YYYY-MM-DD
#   items:
#     - fee: server-move               # server-move | version-up | error-check | paypal-check | mail-check | data-repair
#       amount: 20000                  # whole yen
#   total: 20000
# payments:
#   - date: YYYY-MM-DD
#     amount: 10000
#     method: paypal                   # paypal | card | bank
#     kind: deposit                    # deposit | full | balance
# checks:                              # what the customer confirmed (steps 5-6)
#   credentials_secured: YYYY-MM-DD
#   api_signature_removed: YYYY-MM-DD
#   backups_removed: YYYY-MM-DD
# work:
#   started: YYYY-MM-DD                # work starts (step 7)
#   items: [server-move]               # fee ids actually worked on
#   completed: YYYY-MM-DD              # completion notice (step 8); the balance is due 5 days later
# license_revoked: YYYY-MM-DD          # the day the license was deleted for an overdue balance
# follow_up: []                        # ids of cases opened for work outside the estimate
# notes:
"""
    completed = run_cli("validate", "--policy", str(POLICY_DIR), "--lang", "en", cwd=tmp_path,
                        env=LATE_EVENING_UTC)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == \
        "Checked 1 file, 1 case, as of 2026-11-29: 0 errors, 0 warnings, 0 notices\n"


def test_in_japanese_by_default_and_clean_too(tmp_path: Path) -> None:
    assert new(tmp_path, "2026-021") == "cases/2026-021.yaml を作成しました。\n"
    text = (tmp_path / "cases" / "2026-021.yaml").read_text("utf-8")
    assert "opened: 2026-11-29                     # お問い合わせの日 (手順1)\n" in text
    assert "product: raku-affiliate" in text  # the policy's first product
    assert "残金の期限は5日後" in text
    completed = run_cli("validate", "--policy", str(POLICY_DIR), "--format", "json", cwd=tmp_path,
                        env=LATE_EVENING_UTC)
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["diagnostics"] == []


def test_opened_can_be_given(tmp_path: Path) -> None:
    new(tmp_path, "2026-022", "--opened", "2026-11-20")
    assert "\nopened: 2026-11-20 " in (tmp_path / "cases" / "2026-022.yaml").read_text("utf-8")


def test_the_schema_line_leads_editors_to_the_schema_which_accepts_the_file(tmp_path: Path) -> None:
    new(tmp_path, "2026-023")
    path = tmp_path / "cases" / "2026-023.yaml"
    first = path.read_text("utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match
    assert (path.parent / match.group(1)).resolve() == SCHEMA.resolve()
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=date_format_checker()).validate(load_file(str(path)).data)


def test_in_the_repository_the_schema_line_is_relative_to_cases() -> None:
    assert schema_reference(REPO / "cases") == "../validator/schemas/case.schema.json"
    assert schema_reference(REPO / "cases" / "2026") == "../../validator/schemas/case.schema.json"


def test_the_placeholders_uncommented_are_known_keys(tmp_path: Path) -> None:
    """Uncomment every placeholder, date it: the file has the schema's shape (no S-rule),
    and the rules read it: no license, so the whole fee is due up front (P002); a license
    revoked the day the work completed is early (P007)."""
    new(tmp_path, "2026-024", "--lang", "en")
    path = tmp_path / "cases" / "2026-024.yaml"
    lines = []
    for line in path.read_text("utf-8").splitlines()[1:]:
        if line.startswith("# "):
            line = line[2:]
        lines.append(line.replace("YYYY-MM-DD", "2026-11-29"))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    completed = run_cli("validate", "--policy", str(POLICY_DIR), "--format", "json", cwd=tmp_path,
                        env=LATE_EVENING_UTC)
    codes = [d["code"] for d in json.loads(completed.stdout)["diagnostics"]]
    assert codes == ["P002", "P007"]


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "2026-030.yaml").write_text("id: 2026-030\n", "utf-8")
    assert new(tmp_path, "2026-030", "--lang", "en", code=2) == (
        "support-policy: The case id '2026-030' is already used by cases/2026-030.yaml; nothing was overwritten.\n")
    assert (tmp_path / "cases" / "2026-030.yaml").read_text("utf-8") == "id: 2026-030\n"


def test_an_id_used_anywhere_under_cases_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cases" / "2025").mkdir(parents=True)
    (tmp_path / "cases" / "2025" / "2026-031.yml").write_text("id: 2026-031\n", "utf-8")
    (tmp_path / "cases" / "2025" / "misnamed.yaml").write_text("id: 2026-032\nopened: 2026-11-01\n", "utf-8")
    assert new(tmp_path, "2026-031", code=2) == (
        "support-policy: 案件id「2026-031」は cases/2025/2026-031.yml で使われています。上書きはしません。\n")
    assert "cases/2025/misnamed.yaml" in new(tmp_path, "2026-032", "--lang", "en", code=2)
    assert sorted(p.name for p in (tmp_path / "cases").rglob("*")) == ["2025", "2026-031.yml", "misnamed.yaml"]


@pytest.mark.parametrize("args, message", [
    (("bad id",), "'bad id' is not a valid case id: letters, digits, - and _ only, at most 100 characters."),
    (("x" * 101,), "is not a valid case id"),
    (("../escape",), "'../escape' is not a valid case id"),
    (("2026-040", "--product", "raku-afiliate"),
     "The product 'raku-afiliate' is not in the policy: raku-affiliate, paypal-automail"),
    (("2026-040", "--opened", "2026-13-01"), "`2026-13-01` is not a date written YYYY-MM-DD"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    assert message in new(tmp_path, *args, "--lang", "en", code=2)
    assert not (tmp_path / "cases").exists()


def test_an_unreadable_policy_exits_2(tmp_path: Path) -> None:
    completed = run_cli("new", "2026-041", "--policy", str(tmp_path / "nope"), "--lang", "en", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == (f"support-policy: The policy folder {tmp_path / 'nope'} does not exist. "
                                "Give --policy DIR the folder that holds policy.yaml.\n")
    assert not (tmp_path / "cases").exists()


def test_a_cases_path_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "cases").write_text("", "utf-8")
    assert new(tmp_path, "2026-042", "--lang", "en", code=2) == "support-policy: cases: not a folder\n"
