"""The command line as a whole: its commands, its two ways to start, and its exit codes.

Most tests run the command in this process (``run_cli``); the exit codes as a shell sees
them, and the console script, are checked on real processes (``run_process``).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli, run_process

CONSOLE_SCRIPT = Path(sys.executable).parent / "support-policy"


def test_help_names_the_commands() -> None:
    completed = run_cli("--help")
    assert completed.returncode == 0
    for command in ("validate", "status", "today", "new"):
        assert f"    {command} " in completed.stdout


@pytest.mark.parametrize("command", ["validate", "status", "today", "new"])
def test_each_command_has_help(command: str) -> None:
    completed = run_cli(command, "--help")
    assert completed.returncode == 0
    assert "--policy DIR" in completed.stdout and "--lang {ja,en}" in completed.stdout


def test_the_console_script_is_the_same_command() -> None:
    """`support-policy` (installed by pip) and `python -m validator` give the same output."""
    args = ["status", "tests/fixtures/status/cases", "--as-of", "2026-11-28", "--format", "csv"]
    script = subprocess.run([str(CONSOLE_SCRIPT), *args], cwd=REPO, capture_output=True, text=True, timeout=60)
    module = run_cli(*args)
    assert (script.returncode, script.stdout) == (module.returncode, module.stdout) == (1, module.stdout)


@pytest.mark.parametrize("args", [
    (),
    ("unknown-command",),
    ("new", "2026-001", "one-id-too-many"),
    ("validate", "--strict", "--format", "yaml"),
    ("status", "--strict"),
    ("status", "--state", "late"),
    ("today", "--format", "table"),
])
def test_bad_usage_exits_2_without_a_traceback(args: tuple[str, ...]) -> None:
    for locale, usage, error in (("en_US.UTF-8", "usage: support-policy", ": error: "),
                                 ("ja_JP.UTF-8", "使い方: support-policy", ": エラー: ")):
        completed = run_cli(*args, env={"LANG": locale})
        assert completed.returncode == 2
        assert completed.stderr.startswith(usage), completed.stderr
        assert error in completed.stderr
        assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("validate", "tests/fixtures/status/cases/settled.yaml", "--as-of", "2026-11-28"), 0),
    (("validate", "tests/fixtures/status/cases", "--as-of", "2026-11-28"), 1),
    (("validate", "no/such/folder"), 2),
    (("validate", "--policy", "no/such/policy", "tests/fixtures/status/cases"), 2),
    (("frobnicate",), 2),
])
def test_a_real_process_exits_with_the_commands_status(args: tuple[str, ...], code: int) -> None:
    completed = run_process(*args)
    assert completed.returncode == code, completed.stderr
    assert "Traceback" not in completed.stderr
    assert (completed.returncode, completed.stdout, completed.stderr) == _as_tuple(run_cli(*args))


def _as_tuple(completed: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return completed.returncode, completed.stdout, completed.stderr


def test_a_file_validated_alone_finds_its_follow_up_in_its_folder(tmp_path: Path) -> None:
    """`validate cases/A.yaml` (an editor, the operator): a follow-up to a case of the folder
    is known; one to no case file there is S004."""
    shutil.copytree(REPO / "policy", tmp_path / "policy")
    (tmp_path / "cases").mkdir()
    examples = REPO / "tests" / "examples" / "S004"
    for name in ("s004-known-references.yaml", "s004-follow-up-target.yaml"):
        shutil.copy(examples / name, tmp_path / "cases" / name)
    args = ("validate", "cases/s004-known-references.yaml", "--as-of", "2026-11-28", "--lang", "en")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    (tmp_path / "cases" / "s004-follow-up-target.yaml").unlink()
    missing = run_cli(*args, cwd=tmp_path)
    assert missing.returncode == 1
    assert "error S004 The follow-up case `s004-follow-up-target` does not exist" in missing.stdout
