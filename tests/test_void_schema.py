"""`void` on a payment: the compiled schema check is never more lenient than jsonschema on it
(as tests/test_output_stability.py proves for the rest of a case)."""
from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_output_stability import _DELETE, _EDGE_VALUES, _mutated, _paths

from validator import case_schema
from validator.policy import load_policy

from conftest import POLICY_DIR

POLICY = load_policy(POLICY_DIR)

VOIDED: dict[str, Any] = {
    "id": "v-1", "opened": "2026-11-02",
    "customer": {"license": "L-1", "same_paypal_account": True},
    "product": "paypal-automail",
    "estimate": {"date": "2026-11-03", "items": [{"fee": "mail-check", "amount": 15000}], "total": 15000},
    "payments": [
        {"date": "2026-11-04", "amount": 7500, "method": "paypal", "kind": "deposit",
         "void": {"date": "2026-11-05", "reason": "二重に記録した"}},
        {"date": "2026-11-04", "amount": 7500, "method": "paypal", "kind": "deposit", "void": None},
    ],
}
REASONS = ["", " ", "\t\n", "x", " 理由 ", "a" * 2000, "a" * 2001, 1, None, True, ["x"]]


def _valid(case: Any) -> tuple[bool, bool]:
    fast = case_schema.compiled_check(POLICY)
    assert fast is not None
    return fast(case), not list(case_schema._validator(POLICY).iter_errors(case))


def test_the_voided_case_is_valid_both_ways() -> None:
    assert _valid(VOIDED) == (True, True)


@pytest.mark.parametrize("reason", REASONS, ids=repr)
def test_a_reason_is_words_both_ways(reason: Any) -> None:
    case = json.loads(json.dumps(VOIDED))
    case["payments"][0]["void"]["reason"] = reason
    words = isinstance(reason, str) and reason.strip() != "" and len(reason) <= 2000
    assert _valid(case) == (words, words)


def test_compiled_schema_agrees_on_every_single_change_of_a_voided_case() -> None:
    lenient = []
    for path in _paths(VOIDED):
        for value in [*_EDGE_VALUES, _DELETE]:
            mutated = json.loads(json.dumps(VOIDED))
            parent = mutated
            for part in path[:-1]:
                parent = parent[part]
            if value is _DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            fast, full = _valid(mutated)
            if fast and not full:
                lenient.append((path, value))
    assert lenient == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_schema_accepts_only_what_jsonschema_accepts_on_voided_cases(data: st.DataObject) -> None:
    mutated = data.draw(_mutated(VOIDED))
    fast, full = _valid(mutated)
    assert full or not fast, mutated
