"""pre-commit: the hook other repositories use (`.pre-commit-hooks.yaml`) and this
repository's own configuration (`.pre-commit-config.yaml`), proven by running them.

The runs install the package into pre-commit's own environments from PyPI (about ten
seconds each); PRE_COMMIT_HOME is a temporary folder, so nothing outside the test changes.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from validator.yaml_loader import load_file

from conftest import POLICY_DIR, REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
CASES = REPO / "tests" / "fixtures" / "reporting" / "cases"
# Nothing in the fixtures lies after this day: T002 (future date) stays quiet.
NOW = "2026-11-28T03:00:00Z"


@pytest.fixture(autouse=True)
def _pre_commit_installed() -> None:
    try:
        metadata.distribution("pre-commit")
    except metadata.PackageNotFoundError:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=folder, check=True,
                          capture_output=True, text=True).stdout.strip()


def commit_all(folder: Path) -> str:
    if not (folder / ".git").exists():
        git(folder, "init", "--quiet")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "--allow-empty", "--message", "test")
    return git(folder, "rev-parse", "HEAD")


def pre_commit(folder: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("GITHUB_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    environment.update(PRE_COMMIT_HOME=str(home), SUPPORT_POLICY_NOW=NOW, LANG="en_US.UTF-8")
    return subprocess.run([*PRE_COMMIT, *args], cwd=folder, env=environment, capture_output=True,
                          text=True, timeout=300)


def hook_repository_of_this_tree(folder: Path) -> tuple[Path, str]:
    """A repository holding the hook definition and the package as they are in this tree,
    committed (as `pre-commit try-repo` needs); the folder and its commit."""
    folder.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, folder / name)
    shutil.copytree(REPO / "validator", folder / "validator", ignore=shutil.ignore_patterns("__pycache__"))
    return folder, commit_all(folder)


def operator_repository(folder: Path, *case_names: str) -> Path:
    """A repository of the operator's: the policy and the named fixture cases, committed."""
    shutil.copytree(POLICY_DIR, folder / "policy")
    (folder / "cases").mkdir()
    for name in case_names:
        shutil.copy(CASES / name, folder / "cases" / name)
    commit_all(folder)
    return folder


def test_the_hook_manifest_and_the_config_are_valid() -> None:
    for command, path in (("validate-manifest", ".pre-commit-hooks.yaml"), ("validate-config", ".pre-commit-config.yaml")):
        completed = subprocess.run([*PRE_COMMIT, command, path], cwd=REPO, capture_output=True, text=True)
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_local_hook_installs_what_the_package_depends_on() -> None:
    """`.pre-commit-config.yaml` runs the validator from the working tree with the
    package's dependencies listed again: the two lists are the same."""
    config = load_file(str(REPO / ".pre-commit-config.yaml")).data
    [hook] = [hook for repo in config["repos"] for hook in repo["hooks"] if hook["id"] == "support-policy"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]

    def normal(requirement: str) -> str:
        return re.sub(r"\s+", "", requirement.split(";")[0]).lower()

    assert sorted(map(normal, hook["additional_dependencies"])) == sorted(map(normal, project["dependencies"]))


def test_the_hook_runs_in_another_repository(tmp_path: Path) -> None:
    """`pre-commit try-repo` with the hook definition and the package as they are in this tree:
    a bad case fails the hook with its diagnostic, and once it is fixed the hook passes."""
    hook_repository, revision = hook_repository_of_this_tree(tmp_path / "hook")
    target = operator_repository(tmp_path / "operator", "settled.yaml", "typo.yaml")
    home = tmp_path / "pre-commit-home"

    failed = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--all-files",
                        "--ref", revision)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^support-policy validate\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    assert "cases/typo.yaml:7:1: error S003 `payements` is not a known key" in failed.stdout
    assert "settled.yaml" not in failed.stdout
    assert "Checked 2 files, 2 cases, as of 2026-11-28: 1 error," in failed.stdout

    (target / "cases" / "typo.yaml").unlink()
    commit_all(target)
    passed = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--all-files",
                        "--ref", revision)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^support-policy validate\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout


def test_this_repositorys_config_runs_the_validator(tmp_path: Path) -> None:
    """`.pre-commit-config.yaml` in a copy of this repository's layout: `pre-commit run` fails on
    a bad case and names it."""
    target = tmp_path / "repository"
    target.mkdir()
    shutil.copy(REPO / ".pre-commit-config.yaml", target)
    shutil.copytree(REPO / "validator", target / "validator", ignore=shutil.ignore_patterns("__pycache__"))
    operator_repository(target, "settled.yaml", "late-deposit.yaml")
    completed = pre_commit(target, tmp_path / "pre-commit-home", "run", "support-policy", "--all-files")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "cases/late-deposit.yaml:26:12: error P001 " in completed.stdout


def test_the_hook_reports_only_the_files_being_committed(tmp_path: Path) -> None:
    """With the files of a commit: a committed broken case elsewhere in the folder is not
    reported; a duplicate id is found across the whole folder and its message names the
    other file; an overdue balance is shown but does not fail the commit (issue 12, item 5)."""
    hook_repository, revision = hook_repository_of_this_tree(tmp_path / "hook")
    target = operator_repository(tmp_path / "operator", "settled.yaml", "typo.yaml")  # typo.yaml: S003
    home = tmp_path / "pre-commit-home"
    cases = target / "cases"
    overdue = (CASES / "due-soon.yaml").read_text("utf-8").replace("id: due-soon", "id: overdue").replace(
        "completed: 2026-11-25", "completed: 2026-11-21")  # due 2026-11-26, two days before NOW
    (cases / "overdue.yaml").write_text(overdue, "utf-8")
    (cases / "2025").mkdir()
    shutil.copy(CASES / "settled.yaml", cases / "2025" / "settled.yaml")  # the same id twice: S006
    git(target, "add", "cases/overdue.yaml", "cases/2025/settled.yaml")

    failed = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--ref", revision,
                        "--verbose")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "cases/2025/settled.yaml:1:5: error S006 The id `settled` is also used by: cases/settled.yaml" \
        in failed.stdout
    assert re.search(r"^cases/overdue\.yaml:\d+:\d+: warning P006 ", failed.stdout, re.MULTILINE), failed.stdout
    assert "typo.yaml" not in failed.stdout  # committed already, not part of this commit
    assert "cases/settled.yaml:" not in failed.stdout  # named in the message only
    assert "Checked 2 files, 2 cases, as of 2026-11-28: 1 error, 1 warning, 0 notices" in failed.stdout

    git(target, "rm", "--cached", "--quiet", "cases/2025/settled.yaml")
    passed = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--ref", revision,
                        "--verbose")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^support-policy validate\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout
    assert re.search(r"^cases/overdue\.yaml:\d+:\d+: warning P006 ", passed.stdout, re.MULTILINE), passed.stdout

    # A change to the policy can change the verdict on every case: then every case is reported.
    (target / "policy" / "policy.yaml").write_text(
        (target / "policy" / "policy.yaml").read_text("utf-8") + "\n", "utf-8")
    git(target, "add", "policy/policy.yaml")
    everything = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--ref", revision)
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "cases/typo.yaml:7:1: error S003 `payements` is not a known key" in everything.stdout

    # pre-commit never passes a deleted file, so the hook runs on every commit (always_run): a
    # commit that only deletes a case with payments is stopped (L002), one of other files passes.
    git(target, "reset", "--quiet", "--hard")
    git(target, "clean", "--quiet", "--force", "-d")
    git(target, "rm", "--quiet", "cases/settled.yaml")
    deleted = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--ref", revision)
    assert deleted.returncode == 1, deleted.stdout + deleted.stderr
    assert "cases/settled.yaml:1:1: error L002 " in deleted.stdout, deleted.stdout
    assert "typo.yaml" not in deleted.stdout
    git(target, "reset", "--quiet", "--hard")
    (target / "notes.txt").write_text("call the customer on Monday\n", "utf-8")
    git(target, "add", "notes.txt")
    other = pre_commit(target, home, "try-repo", str(hook_repository), "support-policy", "--ref", revision)
    assert other.returncode == 0, other.stdout + other.stderr
    assert re.search(r"^support-policy validate\.+Passed$", other.stdout, re.MULTILINE), other.stdout
