"""S008 ignored-file and upper-case suffixes, on real folders (SPEC 7.2)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from validator.engine import ignored_case_name

from conftest import POLICY_DIR, REPO, run_cli

CASE = REPO / "cases" / "2026-001.yaml"


def validate(folder: Path, *paths: str) -> dict[str, object]:
    completed = run_cli("validate", *(paths or ("cases",)), "--policy", str(POLICY_DIR), "--as-of", "2026-11-28",
                        "--format", "json", "--lang", "en", cwd=folder)
    assert completed.stderr == ""
    assert completed.returncode in (0, 1)
    return json.loads(completed.stdout)


@pytest.mark.parametrize("name, suggested", [
    ("2026-015.yaml.txt", "2026-015.yaml"), ("2026-015.yml.txt", "2026-015.yml"),
    ("2026-015.yaml.bak", "2026-015.yaml"), ("2026-015.yaml~", "2026-015.yaml"),
    ("2026-015.yaml.orig", "2026-015.yaml"), ("#2026-015.yaml#", "2026-015.yaml"),
    ("2026-015.YAML.TXT", "2026-015.yaml"), ("2026-015.yaml:Zone.Identifier", "2026-015.yaml"),
])
def test_a_file_that_looks_like_a_case_is_a_warning_at_1_1(tmp_path: Path, name: str, suggested: str) -> None:
    (tmp_path / "cases" / "2026").mkdir(parents=True)
    shutil.copy(CASE, tmp_path / "cases" / "2026" / name)
    report = validate(tmp_path)
    assert report["files"] == 0
    [diagnostic] = report["diagnostics"]  # type: ignore[misc]
    assert (diagnostic["code"], diagnostic["severity"], diagnostic["line"], diagnostic["column"]) == \
        ("S008", "warning", 1, 1)
    assert diagnostic["file"] == f"cases/2026/{name}"
    assert f"rename it to `{suggested}`" in diagnostic["message"]
    assert ignored_case_name(name) == suggested


def test_a_backup_beside_its_case_says_the_case_exists(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    shutil.copy(CASE, tmp_path / "cases" / "2026-001.yaml")
    shutil.copy(CASE, tmp_path / "cases" / "2026-001.yaml.bak")
    report = validate(tmp_path)
    assert [d["code"] for d in report["diagnostics"]] == ["S008"]  # type: ignore[index]
    assert "`2026-001.yaml` exists already" in report["diagnostics"][0]["message"]  # type: ignore[index]
    assert report["files"] == 1


@pytest.mark.parametrize("name", ["2026-016.YAML", "2026-016.Yml"])
def test_an_upper_case_suffix_is_read_as_a_case(tmp_path: Path, name: str) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / name).write_text(CASE.read_text("utf-8").replace("id: 2026-001", "id: 2026-016"), "utf-8")
    report = validate(tmp_path)
    assert (report["files"], report["cases"], report["diagnostics"]) == (1, 1, [])
    assert validate(tmp_path, f"cases/{name}")["files"] == 1  # given by name, too


@pytest.mark.parametrize("name", ["README.md", "notes.txt", ".2026-001.yaml.swp", "2026-001.yamlish", "a.json"])
def test_other_files_are_left_alone(tmp_path: Path, name: str) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / name).write_text("id: x\n", "utf-8")
    assert validate(tmp_path)["diagnostics"] == []
