"""Shared helpers for the test suite: the repository's paths and two runners for the command.

``run_cli`` runs ``validator.cli.main`` in this process, as the command would run in
its own: arguments, working folder, environment, stdout and stderr, exit status. It
costs a function call instead of starting Python (about a fifth of a second each, on
our 2-core machine most of the suite's time). ``run_process`` starts the real command,
for the tests whose subject is the process itself: exit codes as the shell sees them,
output encodings, the console script, a terminal.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
POLICY_DIR = REPO / "policy"
SPEC = REPO.parent / "shared" / "SPEC.md"

# The checked-policy cache of every run of the suite, in-process or not, lives in a
# folder of its own: the suite never reads or fills the developer's ~/.cache.
_CACHE_HOME = tempfile.TemporaryDirectory(prefix="support-policy-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME.name

# Variables that configure the interpreter itself (PYTHONIOENCODING, PYTHONUTF8, ...)
# only mean something to a new process: with one of them, run_cli starts one.
_INTERPRETER_VARIABLES = "PYTHON"


def command_environment(env: dict[str, str] | None) -> dict[str, str]:
    """The environment the command runs in: ours without GitHub's variables, plus ``env``."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    environment.update(env or {})
    return environment


def run_process(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None,
                command: tuple[str, ...] = (sys.executable, "-m", "validator")) -> subprocess.CompletedProcess[str]:
    """Run the command as a whole process, the way the operator does."""
    return subprocess.run([*command, *args], cwd=cwd, env=command_environment(env),
                          capture_output=True, text=True, timeout=120)


def run_cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command in this process; the result is what ``run_process`` would return."""
    if env and any(key.startswith(_INTERPRETER_VARIABLES) for key in env):
        return run_process(*args, cwd=cwd, env=env)
    from validator.cli import main

    environment = command_environment(env)
    # A process writing to a pipe has no terminal width: argparse's help is 80 columns wide,
    # whatever this test runner's terminal is.
    environment.setdefault("COLUMNS", "80")
    stdout, stderr = _Capture(), _Capture()
    with _environment(environment), _working_folder(cwd), _streams(stdout, stderr):
        try:
            returncode = main(list(args))
        except SystemExit as stop:  # argparse: bad usage, --help
            returncode = _exit_status(stop.code, stderr)
        except Exception:  # as Python would: the traceback on stderr, status 1
            traceback.print_exc(file=sys.stderr)
            returncode = 1
    return subprocess.CompletedProcess(["support-policy", *args], returncode, stdout.text(), stderr.text())


class _Capture(io.TextIOWrapper):
    """A stream like a process's stdout on a pipe: UTF-8 bytes, not a terminal."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)

    def text(self) -> str:
        """What the test reads, decoded as subprocess.run(text=True) does (universal newlines)."""
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _exit_status(code: object, stderr: io.TextIOBase) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)  # sys.exit("message"): printed, status 1
    return 1


@contextlib.contextmanager
def _environment(environment: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    time.tzset()  # TZ, as a new process would read it
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()


@contextlib.contextmanager
def _working_folder(folder: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _streams(stdout: io.TextIOWrapper, stderr: io.TextIOWrapper) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


# Modules whose subject is an external tool or whole processes (mkdocs, pre-commit, git and
# the workflow linters, a browser, the command under the audit guard, the fuzzer): marked
# ``slow``, which ``make check`` skips and ``make test`` runs.
SLOW_MODULES = frozenset({"test_precommit.py", "test_site_build.py", "test_site_browser.py", "test_workflows.py",
                          "test_fuzz.py", "test_tool_security.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def run_json(*args: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    completed = run_cli("validate", "--format", "json", *args, **kwargs)
    assert completed.stderr == "", completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def run_on_terminal(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> str:
    """Run ``python -m validator`` with its output on a pseudo-terminal, as in the operator's
    shell (colours and source lines appear only there); what it printed, with LF line ends."""
    import pty

    leader, follower = pty.openpty()
    environment = env if env is not None else {key: value for key, value in os.environ.items()
                                               if key != "NO_COLOR"}
    process = subprocess.Popen([sys.executable, "-m", "validator", *args], cwd=cwd, env=environment,
                               stdout=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    """A copy of policy/ that a test may change without touching the real one."""
    target = tmp_path / "policy"
    target.mkdir()
    for source in POLICY_DIR.glob("*.yaml"):
        (target / source.name).write_bytes(source.read_bytes())
    return target
