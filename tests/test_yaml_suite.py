"""The loader on the official YAML test suite (``../shared/yaml-test-suite/``).

Each test of the suite is a folder with ``in.yaml``, its expected parse events
(``test.event``) and, for input a conforming parser must refuse, a file ``error``.
The loader keeps libyaml (a YAML 1.1 parser, chosen for speed) and closes by its own
checks the gaps that matter to case files. Here:

* no invalid input is accepted silently (every one gets some finding);
* no valid input that a case file could contain is refused as S001;
* every line and column the loader gives is the real one, counted as YAML 1.2 counts
  lines (LF, CRLF or CR; never NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR).

The few inputs libyaml still reads differently are listed below with the reason, and
the lists are exact: a fix (or a new gap) fails the test until the list is updated.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from validator.yaml_loader import load_bytes

from conftest import REPO

SUITE = REPO.parent / "shared" / "yaml-test-suite"
pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"the YAML test suite is not at {SUITE}")

# Valid YAML 1.2 a case file could hold, still refused (S001) by libyaml. Each is syntax
# an operator does not write by hand in a case file; the finding is at the right place.
KNOWN_REFUSED = {
    "4ABK": "flow mapping: a key without a value, then `omitted value:,`",
    "4MUZ/00": "flow mapping: the `:` on the line after the key",
    "4MUZ/01": "flow mapping: the `:` on the line after the key",
    "4MUZ/02": "flow mapping: the `:` on the line after the key",
    "58MP": "flow mapping: a value starting with `:` (`{x: :x}`)",
    "5MUD": "flow mapping: the `:` on the line after the key",
    "652Z": "`?foo` in a flow mapping is text in YAML 1.2, a key to libyaml: refused with a hint",
    "96NN/00": "a tab as the first character of a literal block's content",
    "96NN/01": "a tab as the first character of a literal block's content",
    "A2M4": "an explicit key `? a` whose value is a list with a tab after `-`",
    "DK95/00": "a tab after the indentation of a continuation line",
    "K3WX": "flow mapping: the `:` after a comment on the next line",
    "Q5MG": "a tab before a flow mapping at the start of the file",
    "VJP3/01": "flow mapping: key, `:` and value on separate lines",
}
# Invalid YAML that still passes with no finding.
KNOWN_ACCEPTED: dict[str, str] = {}


@dataclass(frozen=True)
class SuiteTest:
    id: str
    raw: bytes
    invalid: bool
    case_like: bool  # valid input of the kind a case file can hold

    def __str__(self) -> str:
        return self.id


def _case_like(events: list[str]) -> bool:
    """One document whose root is a mapping with text keys; no anchors, aliases, tags."""
    if sum(1 for event in events if event.startswith("+DOC")) != 1:
        return False
    body = [event for event in events if not event.startswith(("+STR", "-STR", "+DOC", "-DOC"))]
    if not body or not body[0].startswith("+MAP"):
        return False
    stack: list[list[int | bool]] = []  # per open collection: [items seen, is a mapping]
    for event in body:
        words = event.split(" ")
        if event.startswith("=ALI") or any(word[:1] in "&<" and len(word) > 1 for word in words[1:2]):
            return False
        is_key = bool(stack) and bool(stack[-1][1]) and int(stack[-1][0]) % 2 == 0
        if event.startswith(("+MAP", "+SEQ")):
            if is_key:
                return False
            if stack:
                stack[-1][0] = int(stack[-1][0]) + 1
            stack.append([0, event.startswith("+MAP")])
        elif event.startswith(("-MAP", "-SEQ")):
            stack.pop()
        elif event.startswith("=VAL"):
            if is_key and event in ("=VAL :", "=VAL"):
                return False  # an empty key
            stack[-1][0] = int(stack[-1][0]) + 1
    return True


def _suite() -> list[SuiteTest]:
    if not SUITE.is_dir():
        return []
    tests = []
    for source in sorted(SUITE.rglob("in.yaml")):
        folder = source.parent
        raw = source.read_bytes()
        invalid = (folder / "error").exists()
        directives = any(line.startswith(b"%") for line in raw.splitlines())
        events = (folder / "test.event").read_text("utf-8").splitlines()
        tests.append(SuiteTest(folder.relative_to(SUITE).as_posix(), raw, invalid,
                               not invalid and not directives and _case_like(events)))
    return tests


TESTS = _suite()


def test_the_suite_is_there_whole() -> None:
    assert len(TESTS) > 350
    assert sum(test.invalid for test in TESTS) > 80
    assert sum(test.case_like for test in TESTS) > 80


def test_no_invalid_input_is_accepted_silently() -> None:
    silent = sorted(test.id for test in TESTS if test.invalid and not load_bytes(test.raw, path="in.yaml").findings)
    assert silent == sorted(KNOWN_ACCEPTED)


def test_no_valid_input_a_case_file_could_hold_is_refused_as_s001() -> None:
    refused = {test.id: next(f.message.en for f in document.findings if f.code == "S001")
               for test in TESTS if test.case_like
               for document in [load_bytes(test.raw, path="in.yaml")]
               if any(finding.code == "S001" for finding in document.findings)}
    assert sorted(refused) == sorted(KNOWN_REFUSED), refused


@pytest.mark.parametrize("test", TESTS, ids=str)
def test_every_position_is_the_real_one(test: SuiteTest) -> None:
    document = load_bytes(test.raw, path="in.yaml")
    if document.text is None:
        return
    lines = len(document.text.splitlines(keepends=False)) if "\x85" not in document.text else None
    for finding in document.findings:
        assert finding.position.line >= 1 and finding.position.column >= 1
        assert finding.position.line <= document.position_at_offset(len(document.text)).line
    for path, mark in document.value_positions.items():
        assert document.position_of(path) == document.position_at_offset(mark.index), (path, lines)
    for string in document.strings:
        assert 0 <= string.start <= string.end <= len(document.text)


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_are_not_line_breaks(separator: str) -> None:
    document = load_bytes(f"notes: 電話{separator}メール\nproduct: x\n".encode(), path="x.yaml")
    assert not document.findings
    assert document.data == {"notes": f"電話{separator}メール", "product": "x"}
    assert document.position_of(("product",)).line == 2


def test_a_line_holding_only_a_tab_is_blank() -> None:
    document = load_bytes(b"id: c\ncustomer:\n  ref: C-1\n\t\n  license: null\n", path="x.yaml")
    assert not document.findings
    assert document.position_of(("customer", "license")).line == 5


def test_a_comment_glued_to_a_quoted_value_is_refused_where_it_starts() -> None:
    document = load_bytes('id: c\noutcome: "manual"# 電話で確認\n'.encode(), path="x.yaml")
    assert [(f.code, f.position.line, f.position.column) for f in document.findings] == [("S001", 2, 18)]
    assert "空白" in document.findings[0].message.ja


def test_an_unindented_second_line_of_a_quoted_note_is_refused() -> None:
    document = load_bytes('id: c\nnotes: "電話あり\nメールも送付"\n'.encode(), path="x.yaml")
    assert [(f.code, f.position.line, f.position.column) for f in document.findings] == [("S001", 3, 1)]


def test_question_mark_text_in_flow_is_not_read_as_a_mapping() -> None:
    document = load_bytes(b"follow_up: [?x]\n", path="x.yaml")
    assert [(f.code, f.position.line, f.position.column) for f in document.findings] == [("S001", 1, 13)]


def test_a_control_character_is_reported_where_it_stands() -> None:
    document = load_bytes("id: c\nnotes: 日本語の\x07メモ\n".encode(), path="x.yaml")
    assert [(f.code, f.position.line, f.position.column) for f in document.findings] == [("S001", 2, 12)]
    assert "\\x07" in document.findings[0].message.en
