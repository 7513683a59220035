"""The validator's output does not change when it is made faster.

`tests/golden/` holds the JSON reports of `validate` over a fixed corpus
(`tests/golden/corpus/`: 160 generated cases of every kind, settled, open, overdue
and broken, plus hand-written odd files under `edge/`), written by the code before
any optimisation. Every way of running (one process, a pool of workers, the default
choice) must reproduce them byte for byte.

When a rule or a message changes on purpose, write the golden files again and
review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_output_stability.py
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import case_schema
from validator.policy import load_policy
from validator.yaml_loader import load_file

from conftest import POLICY_DIR, REPO, run_cli

GOLDEN = REPO / "tests" / "golden"
CORPUS = "tests/golden/corpus"  # relative: the report quotes paths as given
AS_OF = "2026-11-28"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402  (the benchmark's case generator)


def _golden(lang: str, corpus: str = "") -> Path:
    return GOLDEN / f"validate{'-' + corpus if corpus else ''}-{lang}.json"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("jobs", [None, "1", "2"])
def test_json_output_is_the_golden_one(lang: str, jobs: str | None) -> None:
    """The whole corpus: one process (compiled schema check), a pool, the default choice."""
    args = ["validate", CORPUS, "--format", "json", "--as-of", AS_OF, "--lang", lang]
    completed = run_cli(*args, *(["--jobs", jobs] if jobs else []))
    assert completed.stderr == ""
    assert completed.returncode == 1
    if UPDATE and jobs is None:
        _golden(lang).write_text(completed.stdout, "utf-8")
    assert completed.stdout == _golden(lang).read_text("utf-8")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_json_output_of_a_few_odd_files_is_the_golden_one(lang: str) -> None:
    """Few files: one process, jsonschema alone (compiling pays only from a few dozen)."""
    completed = run_cli("validate", f"{CORPUS}/edge", "--format", "json", "--as-of", AS_OF, "--lang", lang)
    assert completed.stderr == ""
    assert completed.returncode == 1
    if UPDATE:
        _golden(lang, "edge").write_text(completed.stdout, "utf-8")
    assert completed.stdout == _golden(lang, "edge").read_text("utf-8")


def test_the_golden_corpus_covers_every_rule() -> None:
    report = json.loads(_golden("en").read_text("utf-8"))
    codes = {diagnostic["code"] for diagnostic in report["diagnostics"]}
    from validator.rules import HISTORY_CODES, RULE_BY_CODE

    assert codes == set(RULE_BY_CODE) - HISTORY_CODES  # those need git history: tests/test_ledger.py
    assert report["files"] > 150


def test_a_pool_and_one_process_give_the_same_report(tmp_path: Path) -> None:
    """More files than the pool's threshold, with cross-file findings (S004, S006)."""
    generate.generate(tmp_path, 450)
    outputs = []
    for jobs in ("1", "2"):
        completed = run_cli("validate", str(tmp_path), "--format", "json", "--as-of", AS_OF,
                            "--lang", "en", "--jobs", jobs)
        assert completed.stderr == ""
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]
    codes = {diagnostic["code"] for diagnostic in json.loads(outputs[0])["diagnostics"]}
    assert {"S004", "S006", "P006"} <= codes


# --- the compiled schema check is never more lenient than jsonschema ------------------------

_POLICY = load_policy(POLICY_DIR)

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**9), st.floats(allow_nan=True),
    st.sampled_from(["2026-11-02", "2026-02-30", "2026-11-02\n", "26-11-02", "", "paid", "bank",
                     "deposit", "mail-check", "raku-affiliate", "ja", "lent", "L-1", "a b", "x" * 201]))


@st.composite
def _mutated(draw: st.DrawFn, case: dict[str, Any]) -> dict[str, Any]:
    """The case with one to three values replaced, deleted or added, anywhere in it."""
    copy = json.loads(json.dumps(case))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(copy))))
        parent = copy
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["payements", "extra", "items", "date"]))] = draw(_scalars)
        else:
            parent[path[-1]] = draw(st.one_of(_scalars, st.lists(_scalars, max_size=2),
                                              st.dictionaries(st.sampled_from(["date", "x"]), _scalars)))
    return copy


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


_VALID_CASES = [load_file(str(path)).data for path in sorted((REPO / CORPUS / "0000").glob("*.yaml"))[:8]]


@pytest.mark.slow  # 1,200 generated cases through jsonschema: `make check` leaves it to `make test`
@pytest.mark.parametrize("index", range(len(_VALID_CASES)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_schema_accepts_only_what_jsonschema_accepts(index: int, data: st.DataObject) -> None:
    case = _VALID_CASES[index]
    if not isinstance(case, dict):
        return
    mutated = data.draw(_mutated(case))
    fast_check = case_schema.compiled_check(_POLICY)
    assert fast_check is not None
    errors = list(case_schema._validator(_POLICY).iter_errors(mutated))
    if fast_check(mutated):
        assert errors == [], mutated


_EDGE_VALUES = [None, True, False, 0, -1, 1, 1.0, 0.5, 10**8, 10**8 + 1, float("nan"), float("inf"),
                "", "2026-11-02", "2026-02-30", "2026-11-02\n", "15,000", "x" * 201, "a b", "L-1",
                "mail-check", "paid", [], {}, ["mail-check"], {"date": "2026-11-02"}]


@pytest.mark.slow  # every single change of every sample case through jsonschema
def test_compiled_schema_agrees_on_every_single_change() -> None:
    """Every value of three full cases replaced by each edge value, or deleted."""
    fast_check = case_schema.compiled_check(_POLICY)
    assert fast_check is not None
    validator = case_schema._validator(_POLICY)
    lenient = []
    for case in (_VALID_CASES[0], _VALID_CASES[4], _VALID_CASES[6]):
        for path in _paths(case):
            variants = []
            for value in [*_EDGE_VALUES, _DELETE]:
                mutated = json.loads(json.dumps(case))
                parent = mutated
                for part in path[:-1]:
                    parent = parent[part]
                if value is _DELETE:
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = value
                variants.append(mutated)
            for mutated in variants:
                if fast_check(mutated) and list(validator.iter_errors(mutated)):
                    lenient.append((path, mutated))
    assert lenient == []


_DELETE = object()


@pytest.mark.slow  # 3,000 generated scalars
@settings(max_examples=3000, deadline=None)
@given(text=st.text(alphabet="0123456789-+._eExXoObB~nulNULtrueTRUEfasFASinfINFaNA \n", max_size=8))
def test_plain_scalar_shortcut_matches_the_full_resolution(text: str) -> None:
    """The loader's one-match shortcut for plain text agrees with its seven patterns."""
    from validator import yaml_loader as loader

    patterns = (loader._NULL, loader._INT, loader._OCT, loader._HEX, loader._FLOAT, loader._INF, loader._NAN)
    is_text = text not in loader._BOOL and not any(pattern.match(text) for pattern in patterns)
    assert is_text == (text not in loader._BOOL and not loader._NOT_TEXT.match(text))


def test_a_schema_with_an_unknown_keyword_is_not_compiled() -> None:
    """Then jsonschema alone decides: no keyword is ever skipped silently."""
    from validator.compiled_schema import compile_schema

    assert compile_schema({"type": "object", "anyOf": [{"required": ["a"]}]}, {}) is None
    assert compile_schema({"items": [{"type": "string"}]}, {}) is None
    assert compile_schema({"$ref": "https://example.invalid/other.json"}, {}) is None
    check = compile_schema({"$defs": {"yen": {"type": "integer", "minimum": 0}},
                            "properties": {"amount": {"$ref": "#/$defs/yen", "minimum": 1}}}, {})
    assert check is not None
    assert [check({"amount": value}) for value in (1, 0, 1.0, True, "1")] == [True, False, False, False, False]


_ACCEPTED_VALUES = st.one_of(
    _scalars,
    st.sampled_from(["A002", "E002", "W001", "P006", "S001", "S008", "A004", "L001", "a002", "A002 ", "X999",
                     " ", "\t\n", "お客様と確認済み", "2026-11-26", "2026-13-01"]))


@st.composite
def _acceptance_entry(draw: st.DrawFn) -> Any:
    entry = {"rule": draw(_ACCEPTED_VALUES), "date": draw(_ACCEPTED_VALUES), "reason": draw(_ACCEPTED_VALUES)}
    for key in draw(st.lists(st.sampled_from(["rule", "date", "reason"]), max_size=1)):
        del entry[key]
    if draw(st.booleans()):
        entry[draw(st.sampled_from(["note", "rules"]))] = draw(_ACCEPTED_VALUES)
    return draw(st.one_of(st.just(entry), _ACCEPTED_VALUES))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.one_of(_ACCEPTED_VALUES, st.lists(_acceptance_entry(), max_size=3)))
def test_compiled_schema_is_never_more_lenient_on_accepted_entries(entries: Any) -> None:
    """`accepted:` (SPEC 7.1): which rules, a real date, a reason that is not blank."""
    case = {**json.loads(json.dumps(_VALID_CASES[0])), "accepted": entries}
    fast_check = case_schema.compiled_check(_POLICY)
    assert fast_check is not None
    errors = list(case_schema._validator(_POLICY).iter_errors(case))
    if fast_check(case):
        assert errors == [], case


def test_compiled_schema_agrees_on_accepted_entries() -> None:
    """Both checks accept a well-formed entry and refuse each kind of bad one."""
    fast_check = case_schema.compiled_check(_POLICY)
    assert fast_check is not None
    validator = case_schema._validator(_POLICY)
    good = {"rule": "A002", "date": "2026-11-26", "reason": "確認済み"}
    for entry, valid in ((good, True), ({**good, "rule": "P006"}, False), ({**good, "rule": "S003"}, False),
                         ({**good, "rule": "W001"}, False), ({**good, "reason": " \n"}, False),
                         ({**good, "reason": ""}, False), ({**good, "date": "2026-02-30"}, False),
                         ({key: value for key, value in good.items() if key != "reason"}, False)):
        case = {**json.loads(json.dumps(_VALID_CASES[0])), "accepted": [entry]}
        assert fast_check(case) is valid, entry
        assert (list(validator.iter_errors(case)) == []) is valid, entry
