"""The rule registry: the codes of SPEC, each documented, each reading its numbers from the policy."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from validator.policy import load_policy
from validator.rules import RULE_BY_CODE, RULES

from conftest import POLICY_DIR, SPEC, run_json

SPEC_RULES = dict(re.findall(r"^\| ([A-Z]\d{3}) \| ([a-z-]+) \|", SPEC.read_text("utf-8"), re.MULTILINE))
SPEC_SEVERITY = dict(re.findall(r"^\| ([A-Z]\d{3}) \| [a-z-]+ \| (error|warning|notice) \|",
                                SPEC.read_text("utf-8"), re.MULTILINE))
# Rules of SPEC 7.2 that come with `validate --base` (the ledger's), not registered yet here.
NOT_YET_REGISTERED = {"L001", "L002"} - set(RULE_BY_CODE)


def test_registry_matches_spec_codes_names_and_severities() -> None:
    assert len(SPEC_RULES) == 31  # 26 of section 4, 5 of section 7.2
    expected = {code: name for code, name in SPEC_RULES.items() if code not in NOT_YET_REGISTERED}
    assert {rule.code: rule.name for rule in RULES} == expected
    assert {rule.code: rule.severity.value for rule in RULES} == {
        code: severity for code, severity in SPEC_SEVERITY.items() if code not in NOT_YET_REGISTERED}


def test_codes_are_unique() -> None:
    assert len(RULE_BY_CODE) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_is_documented_with_examples(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.summary.ja and rule.summary.en
    assert re.match(r"^[a-z]+(-[a-z]+)*$", rule.name)
    assert len(rule.doc.splitlines()) >= 5, rule.code
    assert "Fails" in rule.doc or "Fires" in rule.doc
    assert "Passes" in rule.doc or "Quiet" in rule.doc


def test_rule_clauses_exist_in_the_policy() -> None:
    clause_ids = {clause["id"] for clause in load_policy(POLICY_DIR).clauses}
    for rule in RULES:
        assert rule.clause is None or rule.clause in clause_ids, rule.code


# --- rules read their numbers from the policy, not from literals ----------------------------

CASE = """\
id: c-1
opened: 2026-11-02
customer: {license: L-1, same_paypal_account: true}
product: paypal-automail
triage: {date: 2026-11-03, outcome: paid}
access: self-operated
estimate:
  date: 2026-11-03
  items:
    - fee: mail-check
      amount: 60000
  total: 60000
payments:
  - {date: 2026-11-04, amount: 20000, method: bank, kind: deposit}
work: {started: 2026-11-05, items: [mail-check], completed: 2026-11-18}
"""


def _codes(policy: Path, cases: Path) -> list[tuple[str, int]]:
    _, report = run_json(str(cases), "--policy", str(policy), "--as-of", "2026-11-28", "--lang", "en")
    return [(d["code"], d["line"]) for d in report["diagnostics"]]


def test_changed_parameters_change_the_rules(policy_copy: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "c-1.yaml").write_text(CASE, "utf-8")
    # The real policy: x10 guide -> 150,000 > 60,000 (E002); deposit 1/2 = 30,000 > 20,000
    # (P001); due 2026-11-23 < as-of with a balance (P006).
    assert _codes(POLICY_DIR, cases) == [("E002", 11), ("P001", 15), ("P006", 15)]
    path = policy_copy / "policy.yaml"
    text = path.read_text("utf-8")
    text = text.replace("self_operated_multiplier: 10", "self_operated_multiplier: 4")
    text = text.replace("numerator: 1\n", "numerator: 1\n", 1).replace("denominator: 2", "denominator: 3")
    text = text.replace("balance_deadline_days: 5", "balance_deadline_days: 14")
    path.write_text(text, "utf-8")
    # x4 -> 60,000 is the guide (quiet); 1/3 -> 20,000 paid (quiet); due 2026-12-02 (P008).
    assert _codes(policy_copy, cases) == [("P008", 15)]
