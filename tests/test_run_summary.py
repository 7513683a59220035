"""`make run`'s main job (tools/run_summary.py, which the Makefile's run target calls), run
as a process on the real cases: it ends with a short summary, shows what became overdue
since the samples were recorded as a demonstration, and fails only when it could not do
its job (issue 12, item 10)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from validator.rules import RULE_BY_CODE

from conftest import POLICY_DIR, REPO

SAMPLES_TAKEN = "2026-11-28"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, str(REPO / "tools" / "run_summary.py"), *args], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A one-page MkDocs project: the summary's logic, without building the whole site each time."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# test\n", "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: test\ndocs_dir: {tmp_path / 'docs'}\n", "utf-8")
    return config


def test_the_makefile_runs_it_with_the_day_the_samples_were_recorded() -> None:
    recipe = (REPO / "Makefile").read_text("utf-8")
    assert f"SAMPLES_TAKEN := {SAMPLES_TAKEN}" in recipe
    assert re.search(r"^run: setup\n\t@\$\(BIN\)/python tools/run_summary\.py --samples-taken \$\(SAMPLES_TAKEN\) ",
                     recipe, re.MULTILINE)


def _python() -> str:
    """The interpreter as the summary spells it: relative when it is inside the working folder."""
    relative = os.path.relpath(sys.executable)
    return sys.executable if relative.startswith("..") else relative


def test_an_overdue_sample_is_a_demonstration_and_the_run_succeeds(tmp_path: Path, small_site: Path) -> None:
    site = tmp_path / "built"
    completed = run("--as-of", "2026-12-05", "--samples-taken", SAMPLES_TAKEN, "--lang", "en",
                    "--mkdocs-config", str(small_site), "--site-dir", str(site))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (site / "index.html").is_file()
    output = completed.stdout
    # The diagnostics as `validate` prints them, then the summary last.
    assert re.search(r"^cases/2026-012\.yaml:38:14: error P006 ", output, re.MULTILINE)
    summary = output[output.index("-- make run: summary --"):].splitlines()
    assert summary[1].startswith("Checked 14 files, 14 cases, as of 2026-12-05: 1 error,")
    assert summary[2] == "Needs action today (the list above says what and where):"
    overdue = RULE_BY_CODE["P006"].summary.en  # the rule's one-line summary
    assert summary[3] == f"  2026-012  error P006 {overdue}  (cases/2026-012.yaml:38)  [demonstration]"
    assert summary[4].startswith("Marked demonstration: the sample cases are a record of 2026-11-28")
    assert "make run AS_OF=2026-11-28 shows that day as it was." in summary[4]
    assert summary[5] == (f"The site was built in {site}/. To open it: run {_python()} -m http.server "
                          f"--directory {site} 8000 and open http://localhost:8000/.")
    assert len(summary) == 6


def test_on_the_day_the_samples_were_recorded_nothing_is_a_demonstration(tmp_path: Path, small_site: Path) -> None:
    completed = run("--as-of", SAMPLES_TAKEN, "--samples-taken", SAMPLES_TAKEN, "--lang", "ja",
                    "--mkdocs-config", str(small_site), "--site-dir", str(tmp_path / "built"))
    assert completed.returncode == 0, completed.stderr
    summary = completed.stdout[completed.stdout.index("―― make run のまとめ ――"):].splitlines()
    assert summary[1] == "14ファイル(14案件)を2026-11-28時点で検査: エラー0件、警告0件、お知らせ1件"
    assert summary[3].startswith("  2026-012  お知らせ P008 ")  # a balance due soon: remind the customer
    assert "見本" not in completed.stdout


def test_a_case_with_nothing_to_do(tmp_path: Path, small_site: Path) -> None:
    (tmp_path / "cases").mkdir()
    shutil.copy(REPO / "cases" / "2026-001.yaml", tmp_path / "cases")
    completed = run("--cases", str(tmp_path / "cases"), "--as-of", "2026-12-05", "--lang", "en",
                    "--mkdocs-config", str(small_site), "--site-dir", str(tmp_path / "built"))
    assert completed.returncode == 0, completed.stderr
    assert "\nNothing needs action today.\n" in completed.stdout


def test_a_broken_policy_fails_the_run(tmp_path: Path, small_site: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    path = policy / "policy.yaml"
    path.write_text(path.read_text("utf-8").replace("balance_deadline_days: 5", "balance_deadline_days: 0"), "utf-8")
    completed = run("--policy", str(policy), "--mkdocs-config", str(small_site), "--site-dir", str(tmp_path / "b"))
    assert completed.returncode == 2
    assert "balance_deadline_days" in completed.stderr
    assert completed.stdout == ""
    assert not (tmp_path / "b").exists()


def test_a_site_that_does_not_build_fails_the_run(tmp_path: Path, small_site: Path) -> None:
    small_site.write_text(small_site.read_text("utf-8") + "nav:\n  - missing.md\n", "utf-8")  # --strict: an error
    completed = run("--lang", "en", "--mkdocs-config", str(small_site), "--site-dir", str(tmp_path / "built"))
    assert completed.returncode != 0
    assert "The site could not be built (mkdocs build exited with" in completed.stderr
    assert "-- make run: summary --" not in completed.stdout


def test_the_real_site_builds_and_the_summary_says_where(tmp_path: Path) -> None:
    site = tmp_path / "site"
    completed = run("--as-of", SAMPLES_TAKEN, "--lang", "en", "--site-dir", str(site))
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert completed.stdout.rstrip().endswith("open http://localhost:8000/.")
