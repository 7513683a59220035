"""The strict YAML loader on real bytes: scalars, positions, encodings and what it refuses."""
from __future__ import annotations

import math

import pytest

from validator.diagnostics import Position
from validator.yaml_loader import load_bytes, resolve_plain_scalar


@pytest.mark.parametrize(("text", "value"), [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("true", True), ("False", False),
    ("012", 12), ("0o12", 10), ("0x1F", 31), ("15000", 15000), ("-3", -3),
    ("15000.5", 15000.5), ("1e3", 1000.0), ("15,000", "15,000"),
    ("2026-11-02", "2026-11-02"), ("null", None), ("~", None), ("", None),
    ("1_000", "1_000"), ("0b101", "0b101"), ("12:30", "12:30"),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert resolve_plain_scalar(text) == value
    assert type(resolve_plain_scalar(text)) is type(value)


def test_enormous_integer_does_not_crash() -> None:
    assert resolve_plain_scalar("9" * 5000) == math.inf


def test_quoted_scalars_stay_strings() -> None:
    document = load_bytes(b'a: "012"\nb: \'true\'\nc: 012\n', path="x.yaml")
    assert document.data == {"a": "012", "b": "true", "c": 12}


def test_positions_of_values_and_keys() -> None:
    document = load_bytes(b"id: c\ncustomer:\n  license: null\npayments:\n  - date: 2026-11-04\n",
                          path="x.yaml")
    assert document.position_of(("customer", "license")) == Position(3, 12)
    assert document.position_of(("customer",)) == Position(3, 3)
    assert document.position_of(("payments", 0, "date")) == Position(5, 11)
    assert document.key_position(("customer", "license")) == Position(3, 3)
    assert document.position_of(("customer", "missing")) == Position(3, 3)


def test_bom_and_crlf_are_accepted() -> None:
    document = load_bytes(b"\xef\xbb\xbfid: c\r\nproduct: x\r\n", path="x.yaml")
    assert not document.findings
    assert document.data == {"id": "c", "product": "x"}
    assert document.position_of(("product",)) == Position(2, 10)


def _only(raw: bytes) -> tuple[str, Position, str]:
    document = load_bytes(raw, path="x.yaml")
    assert len(document.findings) == 1, document.findings
    finding = document.findings[0]
    return finding.code, finding.position, finding.message.en


def test_shift_jis_is_named_with_the_fix() -> None:
    code, position, message = _only("id: c\nnotes: メールが届かない\n".encode("shift_jis"))
    assert (code, position.line) == ("S001", 2)
    assert "Shift_JIS" in message and "UTF-8" in message


def test_utf16_and_binary_are_refused() -> None:
    assert _only("id: c\n".encode("utf-16"))[0] == "S001"
    code, position, message = _only(b"id: c\nx: \x00\x01")
    assert (code, position) == ("S001", Position(2, 4)) and "NUL" in message


def test_syntax_error_points_at_the_bracket_never_closed() -> None:
    code, position, message = _only(b"id: c\ncustomer: {license: L-1\nproduct: x\n")
    assert (code, position) == ("S001", Position(2, 11))
    assert message == "The `{` opened here is never closed. Write `}` at the end of the value."


def test_duplicate_key_points_at_the_repeat() -> None:
    code, position, message = _only(b"id: c\npayments: []\nid: d\n")
    assert (code, position) == ("S002", Position(3, 1)) and "line 1" in message


def test_duplicate_key_in_nested_mapping() -> None:
    document = load_bytes(b"work:\n  started: 2026-11-05\n  started: 2026-11-06\n", path="x.yaml")
    assert [(f.code, f.position) for f in document.findings] == [("S002", Position(3, 3))]
    assert document.data == {"work": {"started": "2026-11-05"}}


@pytest.mark.parametrize(("raw", "position"), [
    (b"a: &x 1\n", Position(1, 4)),
    (b"a: !!str 1\n", Position(1, 4)),
    (b"a: !custom 1\n", Position(1, 4)),
    (b"a: ! 1\n", Position(1, 4)),
    (b"a: !!python/object/apply:os.system [echo hi]\n", Position(1, 4)),
])
def test_anchors_and_tags_are_unsafe(raw: bytes, position: Position) -> None:
    document = load_bytes(raw, path="x.yaml")
    assert [(f.code, f.position) for f in document.findings] == [("S007", position)]


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    document = load_bytes("\n".join(lines).encode(), path="x.yaml")
    assert {f.code for f in document.findings} == {"S007"}
    assert len(str(document.data)) < 2000


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "empty"), (b"# only a comment\n", "empty"), (b"- a\n- b\n", "list"),
    (b"just text\n", "single value"), (b"id: a\n---\nid: b\n", "several YAML documents"),
])
def test_not_one_mapping_is_a_schema_problem(raw: bytes, message: str) -> None:
    code, _, text = _only(raw)
    assert code == "S003" and message in text


def test_deep_nesting_is_bounded() -> None:
    raw = b"a:\n" + b"".join(b"  " * depth + b"k:\n" for depth in range(1, 60)) + b"  " * 60 + b"1\n"
    code, _position, message = _only(raw)
    assert code == "S003" and "nesting" in message


def test_key_that_is_a_collection_is_refused() -> None:
    code, position, _ = _only(b"? [a, b]\n: 1\nid: c\n")
    assert (code, position) == ("S003", Position(1, 3))
