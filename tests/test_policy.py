"""The policy data: complete, in every language, validated when loaded, one home for numbers."""
from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from validator.case_schema import schema_file_text
from validator.policy import PolicyError, load_policy
from validator.rules import RULE_BY_CODE

from conftest import POLICY_DIR, SPEC, run_cli

_CLAUSE_TABLE = SPEC.read_text("utf-8").split("| clause | what it says |")[1].split("\n\n")[0]
SPEC_CLAUSES = re.findall(r"^\| ([a-z][a-z-]*)(?: \(note \d\))? \|", _CLAUSE_TABLE, re.MULTILINE)


def test_spec_clause_table_was_read() -> None:
    assert "self-help" in SPEC_CLAUSES and "legal-notice" in SPEC_CLAUSES
    assert len(SPEC_CLAUSES) == 21


@pytest.mark.parametrize("clause_id", SPEC_CLAUSES)
def test_every_spec_clause_is_policy_data(clause_id: str) -> None:
    clause = load_policy(POLICY_DIR).clause(clause_id)
    for lang in ("ja", "en"):
        assert clause["title"][lang] and clause["text"][lang]


def test_parameters_are_the_spec_ones() -> None:
    parameters = load_policy(POLICY_DIR).parameters
    assert parameters.self_operated_multiplier == 10
    assert parameters.deposit_ratio == Fraction(1, 2)
    assert parameters.balance_deadline_days == 5
    assert parameters.time_zone == "Asia/Tokyo"
    assert parameters.currency == "JPY"


def test_fees_and_products_are_the_spec_samples() -> None:
    policy = load_policy(POLICY_DIR)
    assert {fee.id: fee.minimum for fee in policy.fees.values()} == {
        "server-move": 20000, "version-up": 10000, "error-check": 15000,
        "paypal-check": 20000, "mail-check": 15000, "data-repair": 30000}
    assert [(p.id, p.api_signature_step, p.backup_step) for p in policy.products.values()] == [
        ("raku-affiliate", True, True), ("paypal-automail", True, False)]


def test_flow_has_nine_steps_and_notes_one_to_three() -> None:
    policy = load_policy(POLICY_DIR)
    assert [step["number"] for step in policy.steps] == list(range(1, 10))
    assert sorted(clause["note"] for clause in policy.clauses if "note" in clause) == [1, 2, 3]


def test_deposit_is_rounded_up_to_the_yen() -> None:
    policy = load_policy(POLICY_DIR)
    assert policy.deposit(15000) == 7500
    assert policy.deposit(15001) == 7501
    assert policy.deposit(0) == 0


def test_texts_fill_parameters_instead_of_repeating_them() -> None:
    policy = load_policy(POLICY_DIR)
    raw = (POLICY_DIR / "clauses.yaml").read_text("utf-8")
    assert "10倍" not in raw and "5日以内" not in raw and "半額" not in raw
    assert "10倍" in policy.text(policy.clause("self-operated")["text"], "ja")
    assert "5日以内" in policy.text(policy.clause("balance-deadline")["text"], "ja")
    assert "half" in policy.text(policy.clause("deposit")["text"], "en")


def test_clauses_name_existing_rules() -> None:
    for clause in load_policy(POLICY_DIR).clauses:
        for code in clause["rules"]:
            assert code in RULE_BY_CODE, (clause["id"], code)


def test_case_schema_file_lists_the_policy_ids() -> None:
    """The editors' schema file is kept in step with policy/ (update its enums when this fails)."""
    policy = load_policy(POLICY_DIR)
    schema = json.loads(schema_file_text())
    assert schema["properties"]["product"]["enum"] == sorted(policy.products)
    assert schema["$defs"]["fee_id"]["enum"] == sorted(policy.fees)
    assert schema["$defs"]["yen"]["maximum"] == policy.parameters.max_amount
    # The rules an `accepted:` entry may name: every registered rule but those SPEC 7.1 refuses.
    from validator.case_schema import acceptable_rule_codes

    accepted_rule = schema["properties"]["accepted"]["items"]["properties"]["rule"]
    assert accepted_rule["enum"] == acceptable_rule_codes()
    assert not {"S001", "S008", "A004", "P006", "L001", "L002"} & set(accepted_rule["enum"])


# --- a broken policy is exit 2 with the file and the place --------------------------------

# Each mistake: the file, the text replaced, and what the operator reads in English and in Japanese.
BROKEN_POLICIES = [
    ("fees.yaml", "    name: {ja: サーバー移転, en: Moving to another server}", "    name: {ja: サーバー移転}",
     r"fees\.yaml:5:11: `fees entry 1 > name`: a translation is missing: en$",
     r"fees\.yaml:5:11: 「fees 1件目 > name」の訳がありません: en$"),
    ("policy.yaml", "self_operated_multiplier: 10", "self_operated_multiplier: ten",
     r"policy\.yaml:\d+:29: `parameters > self_operated_multiplier` must be a whole number \(no commas or quotes\), "
     r"not the text `ten`\.$",
     r"policy\.yaml:\d+:29: 「parameters > self_operated_multiplier」は整数\(カンマや引用符なし\)で書いてください"
     r"\(今は文字列「ten」\)。$"),
    ("policy.yaml", "balance_deadline_days: 5", "balance_deadline_days: 0",
     r"policy\.yaml:\d+:26: `parameters > balance_deadline_days` must be at least 1 \(not 0\)\.$",
     r"policy\.yaml:\d+:26: 「parameters > balance_deadline_days」は1以上にしてください\(今は0\)。$"),
    ("clauses.yaml", "{self_operated_multiplier}倍", "{multiplier}倍",
     r"clauses\.yaml:\d+:\d+: unknown placeholder \{multiplier\}; known: balance_deadline_days, deposit_share, "
     r"self_operated_multiplier$",
     r"clauses\.yaml:\d+:\d+: 置き換え用の \{multiplier\} は使えません。使えるもの: balance_deadline_days, "),
    ("fees.yaml", "  - id: version-up", "  - id: server-move",
     r"fees\.yaml:7:9: id 'server-move' is used twice; give each its own id\.$",
     r"fees\.yaml:7:9: id 'server-move' が2回使われています。それぞれに別の id を付けてください。$"),
    ("policy.yaml", "time_zone: Asia/Tokyo", "time_zone: Asia/Atlantis",
     r"policy\.yaml: unknown time zone 'Asia/Atlantis' \(e\.g\. Asia/Tokyo\)\.$",
     r"policy\.yaml: タイムゾーン 'Asia/Atlantis' が見つかりません\(例: Asia/Tokyo\)。$"),
    ("flow.yaml", "    notes: [3]", "    notes: [4]",
     r"flow\.yaml:\d+:\d+: no clause carries note 4; write the note number of a clause of clauses\.yaml\.$",
     r"flow\.yaml:\d+:\d+: 注記4を持つ条項がありません。clauses\.yaml の条項にある note の番号を書いてください。$"),
    ("fees.yaml", "fees:\n", "extra: 1\nfees:\n",
     r"fees\.yaml:3:1: `extra` is not a known key; the keys allowed here: fees\.$",
     r"fees\.yaml:3:1: 「extra」は使えないキーです。ここで使えるキー: fees$"),
]


@pytest.mark.parametrize(("name", "old", "new", "english", "japanese"), BROKEN_POLICIES,
                         ids=[case[2][:30] for case in BROKEN_POLICIES])
def test_broken_policy_is_exit_2_with_file_and_line(policy_copy: Path, tmp_path: Path, name: str,
                                                    old: str, new: str, english: str, japanese: str) -> None:
    path = policy_copy / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(PolicyError, match=english.removesuffix("$")):
        load_policy(policy_copy)
    (tmp_path / "cases").mkdir()
    for lang, expected in (("en", english), ("ja", japanese)):
        completed = run_cli("validate", str(tmp_path / "cases"), "--policy", str(policy_copy), "--lang", lang)
        assert completed.returncode == 2
        assert re.search(expected, completed.stderr.rstrip("\n"), re.MULTILINE), completed.stderr
        assert "Traceback" not in completed.stderr
    assert "ポリシーを使えません" in completed.stderr


@pytest.mark.parametrize(("content", "english", "japanese"), [
    ("", "the policy file is empty; restore its content", "ポリシーのファイルが空です。内容を元に戻してください"),
    ("- a\n- b\n", "a policy file is written as `key: value` lines; restore its content",
     "ポリシーのファイルは「キー: 値」の形で書きます。内容を元に戻してください"),
])
def test_an_empty_policy_file_is_named_as_a_policy_file(policy_copy: Path, tmp_path: Path, content: str,
                                                        english: str, japanese: str) -> None:
    (policy_copy / "policy.yaml").write_text(content, "utf-8")
    (tmp_path / "cases").mkdir()
    for lang, expected in (("en", english), ("ja", japanese)):
        completed = run_cli("validate", str(tmp_path / "cases"), "--policy", str(policy_copy), "--lang", lang)
        assert completed.returncode == 2
        assert f"{policy_copy / 'policy.yaml'}:1:1: {expected}" in completed.stderr, completed.stderr
        assert "case" not in completed.stderr.split("policy.yaml:1:1:")[1] and "案件" not in completed.stderr


def test_missing_policy_folder_is_exit_2(tmp_path: Path) -> None:
    completed = run_cli("validate", "--policy", str(tmp_path / "nowhere"), "--lang", "en")
    assert completed.returncode == 2
    assert f"The policy folder {tmp_path / 'nowhere'} does not exist" in completed.stderr
    completed = run_cli("validate", "--policy", str(tmp_path / "nowhere"), "--lang", "ja")
    assert (completed.returncode, completed.stdout) == (2, "")
    assert f"ポリシーのフォルダー {tmp_path / 'nowhere'} がありません" in completed.stderr
