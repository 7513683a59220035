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
    assert new(tmp_path, "2026-020", "--lang", "en", "--product", "paypal-automail") == (
        "Created cases/2026-020.yaml (case id 2026-020).\n"
        "Wrote the editors' schema cases/case.schema.json; commit it with the case files.\n"
        "Next: open the file and fill in the customer's ref and license and the request. As the case moves on, "
        "remove the leading \"# \" of each step's lines and write its date. After saving, check it with: "
        "support-policy validate cases/2026-020.yaml\n")
    assert (tmp_path / "cases" / "2026-020.yaml").read_text("utf-8") == """\
# yaml-language-server: $schema=case.schema.json
id: 2026-020
opened: 2026-11-29                     # the inquiry arrived (step 1)
customer:
  ref:                                 # your own customer reference; no personal data
  language: ja                         # ja | en
  license:                             # the license number; empty: no license (the whole fee is paid up front)
  same_paypal_account: true            # pays from the PayPal account that bought the software
product: paypal-automail               # raku-affiliate | paypal-automail
paypal_api_signature: null             # ask whether a PayPal API signature is set: true | false
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
    assert new(tmp_path, "2026-021").splitlines() == [
        "cases/2026-021.yaml を作成しました(案件id 2026-021)。",
        "エディター用のスキーマ cases/case.schema.json を書き出しました。案件ファイルと一緒にコミットしてください。",
        "次は: ファイルを開いて customer の ref と license、request(ご依頼の内容)を書いてください。"
        "手順が進むたびに、その行の先頭の「# 」を消して日付を入れます。"
        "保存したら support-policy validate cases/2026-021.yaml で確かめられます。"]
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
    """The line names the schema `new` writes beside the case: the same text on every machine,
    whatever the install; the schema is the installed one with the policy's ids."""
    new(tmp_path, "2026-023")
    path = tmp_path / "cases" / "2026-023.yaml"
    first = path.read_text("utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match and match.group(1) == "case.schema.json"
    written = json.loads((path.parent / match.group(1)).read_text("utf-8"))
    packaged = json.loads(SCHEMA.read_text("utf-8"))
    assert {key: value for key, value in written.items() if key != "$comment"} == packaged
    jsonschema.Draft202012Validator(written, format_checker=date_format_checker()).validate(load_file(str(path)).data)


def test_the_schema_is_brought_up_to_date_and_left_alone_when_it_is(tmp_path: Path) -> None:
    new(tmp_path, "2026-025")
    schema = tmp_path / "cases" / "case.schema.json"
    schema.write_text("{}", "utf-8")  # an older validator's, or another policy's
    assert "cases/case.schema.json" in new(tmp_path, "2026-026", "--lang", "en")
    assert json.loads(schema.read_text("utf-8"))["title"] == "サポート案件 / Support case"
    assert "schema" not in new(tmp_path, "2026-027", "--lang", "en")


def test_with_no_id_the_next_free_id_of_the_year(tmp_path: Path) -> None:
    """Every file under cases/ counts: a case in a subfolder, one misnamed, a file not read (S008)."""
    assert "Created cases/2026-001.yaml (case id 2026-001)." in new(tmp_path, "--lang", "en")
    (tmp_path / "cases" / "2025").mkdir()
    (tmp_path / "cases" / "2025" / "2025-077.yaml").write_text("id: 2025-077\n", "utf-8")
    (tmp_path / "cases" / "2026-009.yaml.txt").write_text("id: 2026-009\n", "utf-8")
    (tmp_path / "cases" / "2025" / "misnamed.yaml").write_text("id: 2026-011\n", "utf-8")
    (tmp_path / "cases" / "2026-01-draft.yaml").write_text("id: x\n", "utf-8")  # not YYYY-NNN
    assert "Created cases/2026-012.yaml (case id 2026-012)." in new(tmp_path, "--lang", "en")
    text = (tmp_path / "cases" / "2026-012.yaml").read_text("utf-8")
    assert "\nid: 2026-012\nopened: 2026-11-29 " in text


def test_an_id_written_as_a_file_name_means_the_id(tmp_path: Path) -> None:
    assert "Created cases/2026-016.yaml (case id 2026-016)." in new(tmp_path, "2026-016.yaml", "--lang", "en")
    assert "\nid: 2026-016\n" in (tmp_path / "cases" / "2026-016.yaml").read_text("utf-8")
    assert "cases/2026-016.yaml" in new(tmp_path, "2026-016.YML", "--lang", "en", code=2)


@pytest.mark.parametrize("lang, message", [
    ("en", "support-policy: --opened 2026-11-30 is after today (2026-11-29); give the day the inquiry arrived.\n"),
    ("ja", "support-policy: --opened 2026-11-30 は今日(2026-11-29)より後の日付です。"
           "お問い合わせが届いた日を指定してください。\n"),
])
def test_a_future_opened_is_refused(tmp_path: Path, lang: str, message: str) -> None:
    assert new(tmp_path, "2026-050", "--opened", "2026-11-30", "--lang", lang, code=2) == message
    assert not (tmp_path / "cases").exists()
    new(tmp_path, "2026-050", "--opened", "2026-11-29")  # today in Tokyo is not the future


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
        "support-policy: The case id `2026-030` is already used by cases/2026-030.yaml; nothing was overwritten. "
        "Give another id, or leave it out to take the next free one.\n")
    assert (tmp_path / "cases" / "2026-030.yaml").read_text("utf-8") == "id: 2026-030\n"


def test_an_id_used_anywhere_under_cases_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cases" / "2025").mkdir(parents=True)
    (tmp_path / "cases" / "2025" / "2026-031.yml").write_text("id: 2026-031\n", "utf-8")
    (tmp_path / "cases" / "2025" / "misnamed.yaml").write_text("id: 2026-032\nopened: 2026-11-01\n", "utf-8")
    assert new(tmp_path, "2026-031", code=2) == (
        "support-policy: 案件id「2026-031」は cases/2025/2026-031.yml で使われています。上書きはしません。"
        "別のidを指定するか、idを省いて次の空き番号を使ってください。\n")
    assert "cases/2025/misnamed.yaml" in new(tmp_path, "2026-032", "--lang", "en", code=2)
    assert sorted(p.name for p in (tmp_path / "cases").rglob("*")) == ["2025", "2026-031.yml", "misnamed.yaml"]


@pytest.mark.parametrize("args, message", [
    (("bad id",), "`bad id` is not a valid case id: use letters, digits, - and _ only, at most 100 characters "
                  "(e.g. 2026-015)."),
    (("x" * 101,), "is not a valid case id"),
    (("../escape",), "`../escape` is not a valid case id"),
    (("2026-040", "--product", "raku-afiliate"),
     "The product `raku-afiliate` is not in the policy; give --product one of: raku-affiliate, paypal-automail."),
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
    assert new(tmp_path, "2026-042", "--lang", "en", code=2) == (
        "support-policy: cases is not a folder; give --cases the folder that holds the case files.\n")


def test_after_a_non_editable_install_the_case_names_no_install_path(tmp_path: Path) -> None:
    """The package built and installed as a wheel (pip, not -e) into a folder of its own: the case
    file `new` writes in an operator's repository names the schema beside it, not the install."""
    import shutil
    import subprocess
    import sys

    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "validator", source / "validator", ignore=shutil.ignore_patterns("__pycache__"))
    installed = tmp_path / "site-packages"
    completed = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                                "--target", str(installed), str(source)], capture_output=True, text=True,
                               timeout=300)
    if completed.returncode != 0:
        pytest.skip(f"the package could not be built here: {completed.stderr[-300:]}")
    operator = tmp_path / "operator"
    shutil.copytree(POLICY_DIR, operator / "policy")
    environment = {**LATE_EVENING_UTC, "PYTHONPATH": str(installed)}
    where = run_cli("new", "--lang", "en", cwd=operator, env={
        **environment, "PYTHONSAFEPATH": "1"})
    assert where.returncode == 0, where.stderr
    probe = subprocess.run([sys.executable, "-c", "import validator; print(validator.__file__)"], cwd=operator,
                           env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert probe.stdout.startswith(str(installed))  # the installed copy ran, not this tree
    case = (operator / "cases" / "2026-001.yaml").read_text("utf-8")
    assert case.splitlines()[0] == "# yaml-language-server: $schema=case.schema.json"
    assert str(tmp_path) not in case
    written = json.loads((operator / "cases" / "case.schema.json").read_text("utf-8"))
    packaged = json.loads((installed / "validator" / "schemas" / "case.schema.json").read_text("utf-8"))
    assert {key: value for key, value in written.items() if key != "$comment"} == packaged
