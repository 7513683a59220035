"""`validate --only-given` and `--overdue-as-warning`, the pre-commit hook's options, on real folders.

(tests/test_precommit.py runs them through pre-commit itself.)
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import POLICY_DIR, REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "reporting" / "cases"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """cases/: a settled case, a broken one (S003), an overdue one (P006 as of 2026-11-28),
    and a copy of the settled one in a subfolder (the same id twice: S006)."""
    cases = tmp_path / "cases"
    (cases / "2025").mkdir(parents=True)
    for name in ("settled.yaml", "typo.yaml"):
        shutil.copy(FIXTURES / name, cases / name)
    shutil.copy(FIXTURES / "settled.yaml", cases / "2025" / "settled.yaml")
    (cases / "overdue.yaml").write_text((FIXTURES / "due-soon.yaml").read_text("utf-8").replace(
        "id: due-soon", "id: overdue").replace("completed: 2026-11-25", "completed: 2026-11-21"), "utf-8")
    shutil.copytree(POLICY_DIR, tmp_path / "policy")
    return tmp_path


def validate(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    completed = run_cli("validate", "--as-of", "2026-11-28", "--format", "json", "--lang", "en", *args, cwd=folder)
    assert completed.stderr == ""
    return completed.returncode, json.loads(completed.stdout)


def found(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(diagnostic["file"], diagnostic["code"]) for diagnostic in report["diagnostics"]]


def test_only_the_given_files_are_reported_and_cross_file_rules_see_the_folder(repository: Path) -> None:
    code, report = validate(repository, "--only-given", "cases/2025/settled.yaml")
    assert code == 1
    assert found(report) == [("cases/2025/settled.yaml", "S006")]
    assert report["diagnostics"][0]["message"] == "The id `settled` is also used by: cases/settled.yaml"
    assert (report["files"], report["cases"]) == (1, 1)


def test_a_clean_file_passes_though_another_is_broken(repository: Path) -> None:
    assert validate(repository, "--only-given", "./cases/overdue.yaml", "cases/README.md")[1]["files"] == 1
    code, report = validate(repository, "--only-given", "--overdue-as-warning", "cases/overdue.yaml")
    assert (code, found(report)) == (0, [("cases/overdue.yaml", "P006")])
    assert report["diagnostics"][0]["severity"] == "warning"
    assert report["summary"] == {"errors": 0, "warnings": 1, "notices": 0}


def test_an_overdue_balance_is_still_an_error_without_the_option(repository: Path) -> None:
    code, report = validate(repository, "--only-given", "cases/overdue.yaml")
    assert code == 1
    assert report["diagnostics"][0]["severity"] == "error"


@pytest.mark.parametrize("given", ["policy/policy.yaml", "cases"])
def test_a_policy_file_or_a_folder_reports_every_case(repository: Path, given: str) -> None:
    code, report = validate(repository, "--only-given", "--overdue-as-warning", given, "cases/overdue.yaml")
    assert code == 1
    assert set(found(report)) == {("cases/2025/settled.yaml", "S006"), ("cases/settled.yaml", "S006"),
                                  ("cases/typo.yaml", "S003"), ("cases/overdue.yaml", "P006")}
    assert report["files"] == 4


def test_another_case_folder(repository: Path) -> None:
    (repository / "cases").rename(repository / "support")
    code, report = validate(repository, "--only-given", "--cases", "support", "support/2025/settled.yaml")
    assert (code, found(report)) == (1, [("support/2025/settled.yaml", "S006")])


def test_cases_without_only_given_is_bad_usage(repository: Path) -> None:
    completed = run_cli("validate", "--cases", "cases", "--lang", "en", cwd=repository)
    assert completed.returncode == 2
    assert completed.stderr == "support-policy: --cases is for --only-given; give the folders to validate as PATHs.\n"


def test_junit_lists_only_the_files_reported_on(repository: Path) -> None:
    completed = run_cli("validate", "--as-of", "2026-11-28", "--format", "junit", "--only-given",
                        "cases/overdue.yaml", cwd=repository)
    assert completed.returncode == 1
    assert completed.stdout.count("<testcase ") == 1
    assert 'name="cases/overdue.yaml"' in completed.stdout


def test_nothing_given_reports_nothing(repository: Path) -> None:
    """The hook runs on every commit (a deleted case is never passed to it): a commit of other
    files gives no case file, and the broken and overdue cases already committed stay quiet."""
    code, report = validate(repository, "--only-given", "--overdue-as-warning")
    assert (code, report["files"], report["diagnostics"]) == (0, 0, [])


def test_a_case_outside_the_case_folder_is_bad_usage(repository: Path) -> None:
    """A misnamed case folder must not make every commit pass unchecked."""
    (repository / "cases").rename(repository / "support")
    completed = run_cli("validate", "--only-given", "support/overdue.yaml", cwd=repository)
    assert completed.returncode == 2
    assert completed.stderr == ("support-policy: support/overdue.yaml: not in the case folder (cases); "
                                "name the folder with --cases DIR\n")
    # Policy files are YAML too: they report on every case (here: none).
    assert validate(repository, "--only-given", "policy/policy.yaml")[1]["files"] == 0
