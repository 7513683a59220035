"""Every rule's examples, run through the real command: ``tests/examples/<CODE>/*.yaml``.

Each example file states what it must produce in header comments, one per diagnostic::

    # expect: P001 18:3

(rule code, 1-based line:column; ``*`` leaves the column open, and for S001 and A004 the
line too). A file with no ``# expect:`` line must produce no diagnostics at all. A file in
``tests/examples/<CODE>/`` that expects ``<CODE>`` is a failing example of that rule; one
that does not is a passing example (a near-identical case that keeps the rule quiet).

The command runs once over the whole folder, as of 2026-11-28, the way CI runs it, so
cross-file rules (S004 follow-ups, S006 duplicate ids) see every example.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "examples"
CASES = REPO / "cases"
AS_OF = "2026-11-28"
MAX_BYTES = 1024 * 1024  # SPEC section 4, S007: a file over 1 MiB

EXPECT = re.compile(r"^#\s*expect:\s*(?P<code>[A-Z]\d{3})\s+(?P<line>\d+|\*):(?P<column>\d+|\*)\s*$")
LINE_WILDCARD_CODES = {"S001", "A004"}  # the only rules whose line may be left open

def rule_codes() -> tuple[str, ...]:
    """The codes of the one table of rules, the registry."""
    from validator.rules import RULES

    return tuple(rule.code for rule in RULES)


Expectation = tuple[str, str, str]  # (code, line or "*", column or "*")
Found = tuple[str, int, int]


def example_files() -> list[Path]:
    """The case files of the examples (``.YAML`` too), and the S008 examples: files that
    look like cases but are not read (``2026-015.yaml.txt``), whose header says S008."""
    return sorted(path for path in EXAMPLES.rglob("*")
                  if path.suffix.lower() in {".yaml", ".yml"} or _looks_like_a_case(path))


def _looks_like_a_case(path: Path) -> bool:
    try:
        from validator.engine import ignored_case_name
    except ImportError:
        return False
    return ignored_case_name(path.name) is not None


def expectations(path: Path) -> list[Expectation]:
    """The ``# expect:`` lines of the file's leading comment block (any encoding)."""
    found = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT.match(line)
        if match:
            found.append((match["code"], match["line"], match["column"]))
    return found


def validate(*paths: Path) -> tuple[int, dict[str, Any]]:
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", *map(str, paths),
         "--format", "json", "--as-of", AS_OF, "--lang", "en"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert completed.stderr == "", completed.stderr
    assert completed.returncode in (0, 1), completed.stdout
    return completed.returncode, json.loads(completed.stdout)


def diagnostics_by_file(report: dict[str, Any]) -> dict[Path, list[Found]]:
    found: dict[Path, list[Found]] = {}
    for diagnostic in report["diagnostics"]:
        path = (REPO / diagnostic["file"]).resolve()
        found.setdefault(path, []).append((diagnostic["code"], diagnostic["line"], diagnostic["column"]))
    return found


@lru_cache(maxsize=1)
def examples_report() -> dict[Path, list[Found]]:
    _, report = validate(EXAMPLES.relative_to(REPO))
    return diagnostics_by_file(report)


def unmatched(expected: list[Expectation], found: list[Found]) -> tuple[list[Expectation], list[Found]]:
    """Pair expectations with diagnostics (exact ones first, wildcards after); return the rest."""
    left = list(found)
    missing = []
    for wanted in sorted(expected, key=lambda item: (item[1] == "*") + (item[2] == "*")):
        code, line, column = wanted
        for index, (got_code, got_line, got_column) in enumerate(left):
            if (got_code == code and line in ("*", str(got_line)) and column in ("*", str(got_column))):
                del left[index]
                break
        else:
            missing.append(wanted)
    return missing, left


def test_examples_exist() -> None:
    assert len(example_files()) > len(rule_codes()) * 2


def test_expectations_are_well_formed() -> None:
    for path in example_files():
        for code, line, _column in expectations(path):
            assert code in rule_codes(), f"{path}: unknown rule code {code}"
            assert line != "*" or code in LINE_WILDCARD_CODES, f"{path}: only S001 and A004 may leave the line open"


@pytest.mark.parametrize("path", example_files(), ids=lambda path: str(path.relative_to(EXAMPLES)))
def test_example(path: Path) -> None:
    expected = expectations(path)
    found = examples_report().get(path.resolve(), [])
    missing, unexpected = unmatched(expected, found)
    assert (missing, unexpected) == ([], []), (
        f"{path.relative_to(REPO)}\n  expected: {sorted(expected)}\n  got:      {sorted(found)}")


def history_codes() -> frozenset[str]:
    """The rules that compare with a git revision: tested on real repositories (tests/test_ledger.py)."""
    try:
        from validator.rules import HISTORY_CODES
    except ImportError:
        return frozenset()
    return HISTORY_CODES


@pytest.mark.parametrize("code", [code for code in rule_codes() if code not in history_codes()])
def test_every_rule_has_a_failing_and_a_passing_example(code: str) -> None:
    folder = EXAMPLES / code
    files = [path for path in example_files() if folder in path.parents]
    failing = [path for path in files if any(wanted[0] == code for wanted in expectations(path))]
    passing = [path for path in files if path not in failing]
    assert failing, f"no example in {folder.relative_to(REPO)} expects {code}"
    assert passing, f"no example in {folder.relative_to(REPO)} keeps {code} quiet"


def test_example_ids_are_their_file_names() -> None:
    """Only the S005 examples break the id convention (and S003's bad id, which keeps it)."""
    for path in example_files():
        if "S005" in path.parts:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        ids = re.findall(r"^id: ['\"]?([^\s#'\"]+)", text, re.MULTILINE)
        if ids:
            # An S008 example is named as its case would be, plus what made it unread.
            name = path.name if path.suffix.lower() in {".yaml", ".yml"} else path.name.rsplit(".", 1)[0].rstrip("~")
            assert ids[0] == Path(name).stem, path


CASE_TEMPLATE = """\
id: {id}
opened: 2026-11-02
customer:
  license: L-88231
  same_paypal_account: true
product: paypal-automail
notes: a long case file
"""


def write_case_of_size(path: Path, size: int) -> None:
    """A valid case padded with comment lines to exactly ``size`` bytes."""
    head = CASE_TEMPLATE.format(id=path.stem).encode("utf-8")
    line = b"# " + b"-" * 76 + b"\n"
    lines, rest = divmod(size - len(head), len(line))
    padding = line * lines + (b"#" + b"-" * (rest - 2) + b"\n" if rest >= 2 else b"\n" * rest)
    path.write_bytes(head + padding)
    assert path.stat().st_size == size


def test_s007_file_over_one_mebibyte(tmp_path: Path) -> None:
    """S007 at 1:1 for a file one byte over 1 MiB; a file of exactly 1 MiB passes.

    Written at test time rather than committed: a 1 MiB example would bloat the repository.
    """
    over = tmp_path / "s007-too-large.yaml"
    at_limit = tmp_path / "s007-at-limit.yaml"
    write_case_of_size(over, MAX_BYTES + 1)
    write_case_of_size(at_limit, MAX_BYTES)
    _, report = validate(over, at_limit)
    found = diagnostics_by_file(report)
    assert found.get(over.resolve(), []) == [("S007", 1, 1)]
    assert found.get(at_limit.resolve(), []) == []


def test_sample_cases_validate_cleanly() -> None:
    """cases/ is the operator's snapshot of 2026-11-28: no errors, no warnings (notices allowed)."""
    code, report = validate(CASES.relative_to(REPO))
    assert code == 0, report["diagnostics"]
    assert report["summary"]["errors"] == 0
    assert report["summary"]["warnings"] == 0, report["diagnostics"]
    assert report["cases"] == len(list(CASES.rglob("*.yaml"))) >= 12


# --- the exact messages people read, pinned per rule folder ----------------------------------

SNAPSHOT_NAME = "messages.txt"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SNAPSHOT_HEADER = (
    "# What `support-policy validate` says about each example of this folder, as of {as_of},\n"
    "# in Japanese and English: file:line:column code, then the message in each language.\n"
    "# Written by `UPDATE_GOLDEN=1 pytest tests/test_rule_examples.py`; a change here is a\n"
    "# wording change, to be reviewed like code.\n")


@lru_cache(maxsize=2)
def examples_messages(lang: str) -> dict[Path, list[tuple[str, int, int, str]]]:
    completed = subprocess.run(
        [sys.executable, "-m", "validator", "validate", str(EXAMPLES.relative_to(REPO)),
         "--format", "json", "--as-of", AS_OF, "--lang", lang],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert completed.stderr == "", completed.stderr
    found: dict[Path, list[tuple[str, int, int, str]]] = {}
    for diagnostic in json.loads(completed.stdout)["diagnostics"]:
        path = (REPO / diagnostic["file"]).resolve()
        found.setdefault(path, []).append(
            (diagnostic["code"], diagnostic["line"], diagnostic["column"], diagnostic["message"]))
    return found


def render_snapshot(folder: Path) -> str:
    """Every diagnostic of the folder's examples with its message in both languages."""
    japanese, english = examples_messages("ja"), examples_messages("en")
    lines = [SNAPSHOT_HEADER.format(as_of=AS_OF)]
    for path in example_files():
        if folder not in path.parents:
            continue
        name = path.relative_to(folder).as_posix()
        pairs = list(zip(japanese.get(path.resolve(), []), english.get(path.resolve(), []), strict=True))
        if not pairs:
            lines.append(f"{name}: (no diagnostics)\n")
            continue
        for (code, line, column, ja), (_, _, _, en) in pairs:
            lines.append(f"{name}:{line}:{column} {code}\n  ja: {_one_line(ja)}\n  en: {_one_line(en)}\n")
    return "\n".join(lines)


def _one_line(message: str) -> str:
    return message.replace("\\", "\\\\").replace("\n", "\\n")


def rule_folders() -> list[Path]:
    return sorted(path for path in EXAMPLES.iterdir() if path.is_dir())


@pytest.mark.parametrize("folder", rule_folders(), ids=lambda path: path.name)
def test_example_messages_are_the_pinned_ones(folder: Path) -> None:
    """The messages of every example, in both languages, are those of ``<CODE>/messages.txt``."""
    rendered = render_snapshot(folder)
    snapshot = folder / SNAPSHOT_NAME
    if UPDATE:
        snapshot.write_text(rendered, "utf-8")
    assert snapshot.exists(), f"run UPDATE_GOLDEN=1 to write {snapshot.relative_to(REPO)}"
    assert rendered == snapshot.read_text("utf-8")


def test_no_message_shows_none_a_zero_based_path_or_a_plural_placeholder() -> None:
    """What no message may contain, in either language, over every example."""
    for lang in ("ja", "en"):
        for path, found in examples_messages(lang).items():
            for code, line, column, message in found:
                where = f"{path.name}:{line}:{column} {code} ({lang}): {message}"
                assert "None" not in message, where
                assert not re.search(r"\b[a-z_]+\.[0-9]+(\.|\b)", message), where  # payments.0.date
                assert "(s)" not in message, where
                assert "見積り" not in message, where
                assert not re.search(r"\*\*\*\(\d+\)", message), where  # a secret's length
